//! Building the operator view of an account, for the platform (through an API key)
//! and for the portal's preview (through a session), and recording each fetch.

use super::document::{
    AccountFacts, ContactFacts, OnCallFacts, OperatorView, Rendered, ResourceFacts, StatusFacts,
    TaskFacts,
};
use super::OperatorPreview;
use crate::auth::caller::Caller;
use crate::briefing::repo::{record_fetch, resources, status, view_version};
use crate::briefing::service::{operators_seen, reading};
use crate::briefing::Contact;
use crate::core::zone::{rfc3339, zone};
use crate::core::NodeId;
use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::oncall::service::{load, resolve};
use crate::tasks::repo::open_for_service;

/// The document for `account` (whose name and zone are given) at `now`.
pub async fn operator_view(
    db: &Db,
    account: NodeId,
    name: &str,
    zone_name: &str,
    now: i64,
) -> Result<OperatorView, AppError> {
    let zone = zone(zone_name);
    let (version, _) = view_version(db.pool(), account).await?;
    let status = status(db.pool(), account).await?;
    let loaded = load(db, account, &zone, now).await?;
    let resolved = resolve(&loaded.schedule, now);
    let contacts = &loaded.contacts;
    let facts = |ids: &[i64]| -> Vec<ContactFacts> {
        ids.iter()
            .filter_map(|id| contacts.iter().find(|contact| contact.id == *id))
            .map(contact_facts)
            .collect()
    };
    Ok(OperatorView {
        account: AccountFacts {
            id: account.0,
            name: name.to_string(),
            time_zone: zone_name.to_string(),
        },
        version,
        status: StatusFacts {
            text: status.showing(now).to_string(),
            until: status.runs_until(now).map(|at| rfc3339(at, &zone)),
            default: status.default_text.clone(),
        },
        on_call: OnCallFacts {
            now: facts(&resolved.on_call),
            gap: resolved.gap,
            closed: resolved.closed,
            until: resolved.next_change.map(|at| rfc3339(at, &zone)),
            next: facts(&resolved.then),
        },
        contacts: contacts.iter().map(contact_facts).collect(),
        resources: resources(db.pool(), account)
            .await?
            .into_iter()
            .map(|resource| ResourceFacts {
                title: resource.title,
                url: resource.url,
                note: resource.note,
            })
            .collect(),
        tasks: open_for_service(db.pool(), account)
            .await?
            .into_iter()
            .map(|task| TaskFacts {
                id: task.id,
                title: task.fields.title,
                notes: task.fields.notes,
                priority: task.fields.priority.key().to_string(),
                due_date: task.fields.due_date,
                due_time: task.fields.due_time,
                due_at: task.fields.due_at.map(|at| rfc3339(at, &zone)),
            })
            .collect(),
    })
}

fn contact_facts(contact: &Contact) -> ContactFacts {
    ContactFacts {
        id: contact.id,
        name: contact.name.clone(),
        role: contact.role.clone(),
        instructions: contact.instructions.clone(),
        methods: contact.methods.iter().map(Into::into).collect(),
    }
}

/// What the API answers a key's fetch: the document, or (when the caller already
/// holds it, by `if_none_match`) nothing new. The fetch is recorded either way.
pub enum Fetched {
    Changed(Rendered),
    NotModified(String),
}

pub async fn fetch(
    db: &Db,
    api_key: i64,
    account: NodeId,
    (name, zone_name): (&str, &str),
    if_none_match: Option<&str>,
) -> Result<Fetched, AppError> {
    let view = operator_view(db, account, name, zone_name, now_ms()).await?;
    let rendered = view.render().map_err(AppError::internal)?;
    record_fetch(db.pool(), account, api_key, view.version).await?;
    let held = if_none_match.is_some_and(|tags| {
        tags.split(',')
            .map(|tag| tag.trim().trim_start_matches("W/"))
            .any(|tag| tag == rendered.etag || tag == "*")
    });
    Ok(match held {
        true => Fetched::NotModified(rendered.etag),
        false => Fetched::Changed(rendered),
    })
}

/// The preview: the same document, for someone who reads the account's briefing
/// and sees all its tasks (the document holds the answering service's).
pub async fn preview(
    caller: &Caller,
    account: Option<NodeId>,
) -> Result<OperatorPreview, AppError> {
    let access = reading(caller, account).await?;
    if !crate::tasks::service::access(caller, Some(access.account))
        .await?
        .sees_all()
    {
        return Err(AppError::forbidden(crate::tr!(operator_preview.no_tasks)));
    }
    let view = operator_view(
        caller.db(),
        access.account,
        &access.name,
        &access.zone_name,
        now_ms(),
    )
    .await?;
    let rendered = view.render().map_err(AppError::internal)?;
    Ok(OperatorPreview {
        account: access.account,
        account_name: access.name.clone(),
        body: rendered.body,
        etag: rendered.etag,
        seen: operators_seen(caller.db(), &access).await?,
    })
}
