//! The preview's server function: reading at the account, checked first thing in
//! `service` (by the briefing's access).

use leptos::prelude::*;

use super::OperatorPreview;
use crate::core::NodeId;
use crate::error::AppError;

/// Reading at the account.
#[server]
pub async fn get_operator_preview(account: Option<NodeId>) -> Result<OperatorPreview, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::service::preview(&caller, account).await
}
