//! Server functions of the audit log. Each names the permission it requires; the
//! checks themselves happen first thing in `service`.

use leptos::prelude::*;

use super::{AuditPage, AuditQuery};
use crate::error::AppError;

/// ViewAudit somewhere: the events of the subtrees where it is held.
#[server]
pub async fn list_audit(query: AuditQuery) -> Result<AuditPage, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    query.check_bounds()?;
    super::service::audit_page(&caller, &query).await
}
