//! CSV export of the directory's current filter, streamed a keyset page at a time so
//! a hundred thousand rows never sit in memory at once.

use axum::response::{IntoResponse, Response};
use futures::stream;
use http::request::Parts;

use super::directory::{cursor_of, DirectoryQuery};
use super::service::directory_scopes;
use super::ClientRow;
use crate::auth::actor::{ready, signed_in_client};
use crate::auth::caller::Caller;
use crate::clients::directory_sql::{attach_tags, directory_rows};
use crate::core::NodeId;
use crate::csv_export::{csv_download, query_params, CsvPage, ExportRecord};
use crate::error::AppError;
use crate::request::Requester;
use crate::state::AppState;

const EXPORT_PAGE: usize = 1_000;
const HEADER: [&str; 11] = [
    "id",
    "company",
    "group",
    "contact",
    "email",
    "phone",
    "status",
    "tags",
    "sms_credits",
    "voice_credits",
    "added",
];

/// GET /clients/export.csv?<directory query>: ViewNodes where the directory looks.
pub async fn export_clients(state: AppState, parts: Parts) -> Response {
    let client = Requester::from_parts(&parts, state.settings.trust_forwarded_for);
    let params = query_params(&parts);
    let query = DirectoryQuery::from_params(|key| {
        params
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.clone())
    })
    .first_page();
    let scopes = async {
        let actor = ready(signed_in_client(&state, &client).await?)?;
        let caller = Caller::new(state.clone(), actor, client.address.clone());
        let (scopes, _) = directory_scopes(&caller, &query).await?;
        Ok::<_, AppError>((caller.actor, scopes))
    };
    match scopes.await {
        Ok((actor, scopes)) => {
            let record = ExportRecord {
                state: state.clone(),
                by: actor.acting(),
                node: scopes.first().copied(),
                action: "clients.exported",
                filter: query.to_query_string(),
                address: client.address,
            };
            stream_csv(state, scopes, query, record)
        }
        Err(error) => error.into_response(),
    }
}

fn stream_csv(
    state: AppState,
    scopes: Vec<NodeId>,
    query: DirectoryQuery,
    record: ExportRecord,
) -> Response {
    let pages = stream::try_unfold(Some(query), move |page| {
        let state = state.clone();
        let scopes = scopes.clone();
        async move {
            let Some(page) = page else {
                return Ok::<_, AppError>(None);
            };
            let (mut rows, more) = directory_rows(&state.db, &scopes, &page, EXPORT_PAGE).await?;
            attach_tags(state.db.pool(), &mut rows).await?;
            let next = match rows.last() {
                Some(last) if more => Some(page.page_after(&cursor_of(last, page.sort))),
                _ => None,
            };
            Ok(Some((CsvPage::of(rows.iter().map(csv_record)), next)))
        }
    });
    csv_download("clients.csv", &HEADER, pages, record)
}

/// One client as a CSV record, in the order of [`HEADER`].
fn csv_record(row: &ClientRow) -> [String; 11] {
    [
        row.id.0.to_string(),
        row.name.clone(),
        row.group_name.clone(),
        row.contact_name.clone(),
        row.email.clone(),
        row.phone.clone(),
        row.status.key().to_string(),
        row.tags.join(" "),
        row.sms_balance.to_string(),
        row.voice_balance.to_string(),
        crate::core::time::format_date(row.created_at),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ClientStatus;

    #[test]
    fn a_client_is_one_record_in_the_headers_order() {
        let row = ClientRow {
            id: NodeId(9),
            name: "Smith, Jones & \"Partners\"".into(),
            group_name: "East".into(),
            contact_name: "Ann".into(),
            email: "ann@example.test".into(),
            phone: "555 0100".into(),
            status: ClientStatus::Active,
            tags: vec!["vip".into(), "legal".into()],
            sms_balance: 5,
            voice_balance: 0,
            created_at: 0,
        };
        let text = String::from_utf8(crate::csv_export::csv_text(
            Some(&HEADER),
            [csv_record(&row)],
        ))
        .unwrap();
        let mut lines = text.lines();
        assert!(lines.next().unwrap().starts_with("id,company,group"));
        assert_eq!(
            lines.next().unwrap(),
            "9,\"Smith, Jones & \"\"Partners\"\"\",East,Ann,ann@example.test,555 0100,active,vip legal,5,0,1970-01-01"
        );
    }
}
