//! CSV export of the audit log (/audit/export.csv): every event matching the viewer's
//! filters, newest first, streamed a page at a time.

use axum::response::{IntoResponse, Response};
use futures::stream;
use http::request::Parts;

use super::service::{checked_filters, events};
use super::{AuditEntry, AuditQuery};
use crate::auth::actor::{ready, signed_in_client};
use crate::auth::caller::Caller;
use crate::csv_export::{csv_download, query_params, CsvPage, ExportRecord};
use crate::error::AppError;
use crate::request::Requester;
use crate::state::AppState;

const EXPORT_PAGE: i64 = 1_000;
const HEADER: [&str; 10] = [
    "id",
    "when",
    "actor",
    "subject",
    "place",
    "action",
    "details",
    "address",
    "impersonation",
    "acting_as",
];

/// GET /audit/export.csv?<viewer's filters>: ViewAudit, like the viewer.
pub async fn export_audit(state: AppState, parts: Parts) -> Response {
    let client = Requester::from_parts(&parts, state.settings.trust_forwarded_for);
    let params = query_params(&parts);
    let query = AuditQuery::from_params(|name| {
        params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    });
    let filters = async {
        let actor = ready(signed_in_client(&state, &client).await?)?;
        let caller = Caller::new(state.clone(), actor, client.address.clone());
        let filters = checked_filters(&caller, &query).await?;
        Ok::<_, AppError>((caller.actor, filters))
    };
    let (actor, filters) = match filters.await {
        Ok(checked) => checked,
        Err(error) => return error.into_response(),
    };
    let record = ExportRecord {
        state: state.clone(),
        by: actor.acting(),
        node: filters.scope().first().copied(),
        action: "audit.exported",
        filter: query.to_query_string(),
        address: client.address,
    };
    let pages = stream::try_unfold(Some(filters), move |filters| {
        let state = state.clone();
        async move {
            let Some(mut filters) = filters else {
                return Ok::<_, AppError>(None);
            };
            let entries = events(&state, &filters, EXPORT_PAGE).await?;
            let next = match entries.last() {
                Some(last) if entries.len() as i64 == EXPORT_PAGE => {
                    filters.before = Some(last.id);
                    Some(filters)
                }
                _ => None,
            };
            Ok(Some((CsvPage::of(entries.iter().map(csv_record)), next)))
        }
    });
    csv_download("audit-log.csv", &HEADER, pages, record)
}

/// One event as a CSV record, in the order of [`HEADER`].
fn csv_record(entry: &AuditEntry) -> [String; 10] {
    [
        entry.id.to_string(),
        entry.when.clone(),
        entry.actor.clone(),
        entry.subject.clone(),
        entry.node.clone(),
        entry.action.clone(),
        entry.details.clone(),
        entry.address.clone(),
        entry
            .impersonation
            .map(|id| id.to_string())
            .unwrap_or_default(),
        entry.acting_as.clone(),
    ]
}
