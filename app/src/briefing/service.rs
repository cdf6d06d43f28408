//! Who may read and change what operators are told about an account, and the
//! changes themselves: each checked at the account, validated, versioned, audited as
//! a change of its record, and moving the operator view's version on.

use jiff::tz::TimeZone;
use serde_json::json;

use super::repo::{self, ContactFields, ListTable, ResourceFields, StatusRow};
use super::{
    method_field, Contact, ContactMethod, ContactsView, MethodInput, MethodKind, OperatorsSeen,
    Reorder, ResourcesView, StatusChange, StatusView, MAX_METHODS, MAX_NAME, MAX_NOTE, MAX_STATUS,
    MAX_TEMPLATES,
};
use crate::audit_trail::{record_events, record_key, stale_record_conflict, Changed};
use crate::auth::authorized::{AuditedChange, Authorized};
use crate::auth::caller::Caller;
use crate::clients::repo::client_record;
use crate::core::roles::Permission;
use crate::core::validate::{email_problem, phone_problem};
use crate::core::zone::{day_and_clock, input_value, parse_input, zone};
use crate::core::NodeId;
use crate::db::{now_ms, Db};
use crate::error::{AppError, FieldErrors};

/// An account whose briefing the caller reads, with its zone and name.
pub struct AccountAccess<'a> {
    pub account: NodeId,
    pub name: String,
    pub zone: TimeZone,
    pub zone_name: String,
    pub authorized: Authorized<'a>,
}

impl<'a> AccountAccess<'a> {
    /// Whether the caller may change it (ManageAccountContent at the account).
    pub fn can_edit(&self) -> bool {
        self.authorized
            .permissions()
            .contains(Permission::ManageAccountContent)
    }

    /// The proof for a change, if the caller may make one.
    pub fn editing(&self) -> Result<Authorized<'a>, AppError> {
        self.authorized
            .requiring(Permission::ManageAccountContent)
            .map_err(|_| AppError::forbidden(crate::tr!(briefing.errors.no_editing)))
    }
}

/// The caller's access to `account`'s briefing (their own account's when none is
/// named): an account they hold nothing at is not found, and one where they neither
/// read the inbox nor manage the content is refused.
pub async fn reading(
    caller: &Caller,
    account: Option<NodeId>,
) -> Result<AccountAccess<'_>, AppError> {
    let account = account
        .or(caller.actor.account())
        .ok_or(AppError::NotFound)?;
    let authorized = caller.actor.at(caller.db(), account).await?;
    let held = authorized.permissions();
    if !held.contains(Permission::ManageAccountContent) && !held.reads_inbox() {
        return Err(AppError::forbidden(crate::tr!(briefing.errors.no_reading)));
    }
    let client = client_record(caller.db().pool(), account)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(AccountAccess {
        account,
        name: client.company.name,
        zone: zone(&client.company.time_zone),
        zone_name: client.company.time_zone,
        authorized,
    })
}

/// The caller's access to change `account`'s briefing.
pub async fn editing(
    caller: &Caller,
    account: Option<NodeId>,
) -> Result<AccountAccess<'_>, AppError> {
    let access = reading(caller, account).await?;
    access.editing()?;
    Ok(access)
}

/// Begins a change of the record `record` of the account, in the caller's request.
pub async fn begin_change<'a>(
    caller: &'a Caller,
    access: &AccountAccess<'a>,
    record: String,
) -> Result<AuditedChange<'a>, AppError> {
    Ok(access.editing()?.begin(caller).await?.about_record(record))
}

/// Commits a change the operator view shows, moving its version on.
pub async fn commit_view_change(
    mut change: AuditedChange<'_>,
    account: NodeId,
    action: &str,
    details: serde_json::Value,
) -> Result<(), AppError> {
    repo::view_changed(&mut change, account).await?;
    change.commit(action, details).await
}

/// Whether the platform has fetched the account's operator view since it changed.
pub async fn operators_seen(
    db: &Db,
    access: &AccountAccess<'_>,
) -> Result<OperatorsSeen, AppError> {
    let (version, changed_at) = repo::view_version(db.pool(), access.account).await?;
    let fetch = repo::last_fetch(db.pool(), access.account).await?;
    let now = now_ms();
    let when = |at: i64| day_and_clock(at, now, &access.zone);
    Ok(OperatorsSeen {
        changed: changed_at.map(when),
        fetched: fetch.map(|(_, at)| when(at)),
        current: fetch.is_some_and(|(fetched, _)| fetched >= version),
    })
}

fn status_record(account: NodeId) -> String {
    record_key("status", account.0)
}

/// What operators read now, and "until 18:00" while a status with an end shows.
pub async fn status_line(
    db: &Db,
    access: &AccountAccess<'_>,
) -> Result<(String, Option<String>), AppError> {
    let status = repo::status(db.pool(), access.account).await?;
    let now = now_ms();
    Ok((
        status.showing(now).to_string(),
        until_label(&status, now, &access.zone),
    ))
}

fn until_label(status: &StatusRow, now: i64, zone: &TimeZone) -> Option<String> {
    status
        .runs_until(now)
        .map(|until| crate::tr!(briefing.until, time = day_and_clock(until, now, zone)))
}

pub async fn status_view(caller: &Caller, account: Option<NodeId>) -> Result<StatusView, AppError> {
    let access = reading(caller, account).await?;
    let db = caller.db();
    let status = repo::status(db.pool(), access.account).await?;
    let now = now_ms();
    let history = record_events(db.pool(), &status_record(access.account), 10)
        .await?
        .into_iter()
        .rev()
        .filter(|event| event.action == "status.set")
        .map(|event| StatusChange {
            at: day_and_clock(event.occurred_at, now, &access.zone),
            who: event.actor_name.unwrap_or_default(),
            text: status_text_of(&event.details),
        })
        .collect();
    Ok(StatusView {
        account: access.account,
        account_name: access.name.clone(),
        showing: status.showing(now).to_string(),
        text: status.text.clone(),
        until: until_label(&status, now, &access.zone),
        until_input: status
            .runs_until(now)
            .map(|until| input_value(until, &access.zone))
            .unwrap_or_default(),
        default_text: status.default_text.clone(),
        zone: access.zone_name.clone(),
        version: status.version,
        templates: repo::templates(db.pool(), access.account).await?,
        history,
        seen: operators_seen(db, &access).await?,
        can_edit: access.can_edit(),
    })
}

/// What a status change set, as its history shows it.
fn status_text_of(details: &str) -> String {
    let details: serde_json::Value = serde_json::from_str(details).unwrap_or_default();
    let after = &details["after"];
    let text = after["operator_status"].as_str().unwrap_or_default();
    match after["until"].as_str() {
        Some(until) if !text.is_empty() => {
            crate::tr!(briefing.status.until_note, text = text, until = until)
        }
        _ if text.is_empty() => crate::tr!(briefing.status.back_to_default).to_string(),
        _ => text.to_string(),
    }
}

/// The status form as it was posted.
pub struct StatusForm<'a> {
    pub text: &'a str,
    pub until: &'a str,
    pub default_text: &'a str,
}

/// Sets what operators read; an "until" in the account's time makes it give way to
/// the default then.
pub async fn set_status(
    caller: &Caller,
    account: Option<NodeId>,
    form: &StatusForm<'_>,
    version: i64,
) -> Result<(), AppError> {
    let access = editing(caller, account).await?;
    let mut errors = FieldErrors::default();
    let text = form.text.trim();
    let default_text = form.default_text.trim();
    for (field, value) in [("operator_status", text), ("default_status", default_text)] {
        errors.limit(field, value, MAX_STATUS);
    }
    let now = now_ms();
    let until_at = match form.until.trim() {
        "" => None,
        until => match parse_input(until, &access.zone) {
            None => {
                errors.add("until", crate::tr!(briefing.errors.until));
                None
            }
            Some(at) if at <= now => {
                errors.add("until", crate::tr!(briefing.errors.until_past));
                None
            }
            Some(at) if text.is_empty() => {
                errors.add("until", crate::tr!(briefing.errors.until_without_status));
                Some(at)
            }
            Some(at) => Some(at),
        },
    };
    errors.into_result()?;
    let before = repo::status(caller.db().pool(), access.account).await?;
    let record = status_record(access.account);
    let mut change = begin_change(caller, &access, record.clone()).await?;
    let changed = repo::StatusChange {
        text,
        until_at,
        default_text,
    };
    if !repo::set_status(&mut change, access.account, &changed, version).await? {
        drop(change);
        return Err(stale_record_conflict(caller.db().pool(), &record, Changed::Status).await);
    }
    let until = until_at.map(|at| day_and_clock(at, now, &access.zone));
    let details = json!({
        "before": status_details(&before, now, &access.zone),
        "after": { "operator_status": text, "until": until, "default": default_text },
    });
    commit_view_change(change, access.account, "status.set", details).await
}

fn status_details(status: &StatusRow, now: i64, zone: &TimeZone) -> serde_json::Value {
    json!({
        "operator_status": status.text,
        "until": status.until_at.map(|at| day_and_clock(at, now, zone)),
        "default": status.default_text,
    })
}

pub async fn add_template(
    caller: &Caller,
    account: Option<NodeId>,
    text: &str,
) -> Result<(), AppError> {
    let access = editing(caller, account).await?;
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::field(
            "template",
            crate::tr!(briefing.errors.template_empty),
        ));
    }
    FieldErrors::within_limits(&[("template", text, MAX_STATUS)])?;
    if repo::template_count(caller.db().pool(), access.account).await? >= MAX_TEMPLATES as i64 {
        return Err(AppError::field(
            "template",
            crate::tr!(briefing.errors.too_many_templates, most = MAX_TEMPLATES),
        ));
    }
    let mut change = begin_change(caller, &access, status_record(access.account)).await?;
    if !repo::add_template(&mut change, access.account, text).await? {
        return Err(AppError::field(
            "template",
            crate::tr!(briefing.errors.template_exists),
        ));
    }
    change
        .commit("status.template_added", json!({ "template": text }))
        .await
}

pub async fn remove_template(
    caller: &Caller,
    account: Option<NodeId>,
    id: i64,
) -> Result<(), AppError> {
    let access = editing(caller, account).await?;
    let mut change = begin_change(caller, &access, status_record(access.account)).await?;
    let text = repo::remove_template(&mut change, access.account, id)
        .await?
        .ok_or(AppError::NotFound)?;
    change
        .commit("status.template_removed", json!({ "template": text }))
        .await
}

pub async fn contacts_view(
    caller: &Caller,
    account: Option<NodeId>,
) -> Result<ContactsView, AppError> {
    let access = reading(caller, account).await?;
    Ok(ContactsView {
        account: access.account,
        contacts: repo::contacts(caller.db(), access.account).await?,
        can_edit: access.can_edit(),
        seen: operators_seen(caller.db(), &access).await?,
    })
}

/// One contact, for its form: found only through an account the caller reads.
pub async fn contact_view(caller: &Caller, id: i64) -> Result<(NodeId, Contact, bool), AppError> {
    let (account, contact) = repo::contact(caller.db(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = reading(caller, Some(account)).await?;
    Ok((account, contact, access.can_edit()))
}

/// A contact form as it was posted, a row per method.
pub struct ContactForm<'a> {
    pub name: &'a str,
    pub role: &'a str,
    pub instructions: &'a str,
    pub methods: &'a [MethodInput],
}

/// The contact's fields, checked: a name, and every method row that has a value
/// well formed for its kind (rows left empty are dropped).
pub fn contact_fields(form: &ContactForm<'_>) -> Result<ContactFields, AppError> {
    let mut errors = FieldErrors::default();
    let name = form.name.trim();
    if name.is_empty() {
        errors.add("name", crate::tr!(briefing.errors.contact_name));
    }
    for (field, value, max) in [
        ("name", name, MAX_NAME),
        ("role", form.role.trim(), MAX_NAME),
        ("instructions", form.instructions.trim(), MAX_NOTE),
    ] {
        errors.limit(field, value, max);
    }
    let mut methods = Vec::new();
    for (row, input) in form.methods.iter().enumerate() {
        let (value, note) = (input.value.trim(), input.note.trim());
        if value.is_empty() {
            if !note.is_empty() {
                errors.add(
                    &method_field(row, "value"),
                    crate::tr!(briefing.errors.note_without_value),
                );
            }
            continue;
        }
        let kind = MethodKind::from_key(&input.kind).unwrap_or(MethodKind::Phone);
        let problem = match kind {
            MethodKind::Email => email_problem(value),
            _ => phone_problem(value),
        };
        if let Some(problem) = problem {
            errors.add(&method_field(row, "value"), problem);
        }
        errors.limit(&method_field(row, "note"), note, MAX_NAME);
        methods.push(ContactMethod {
            kind,
            value: value.to_string(),
            note: note.to_string(),
        });
    }
    if methods.len() > MAX_METHODS {
        errors.add(
            "methods",
            crate::tr!(briefing.errors.too_many_methods, most = MAX_METHODS),
        );
    }
    errors.into_result()?;
    Ok(ContactFields {
        name: name.to_string(),
        role: form.role.trim().to_string(),
        instructions: form.instructions.trim().to_string(),
        methods,
    })
}

fn contact_details(contact: &ContactFields) -> serde_json::Value {
    json!({
        "name": contact.name,
        "role": contact.role,
        "instructions": contact.instructions,
        "methods": contact.methods.iter().map(|m| format!("{} {} {}", m.kind.label(), m.value, m.note).trim().to_string()).collect::<Vec<_>>(),
    })
}

/// Adds a contact at the end of the account's list; its id.
pub async fn add_contact(
    caller: &Caller,
    account: Option<NodeId>,
    form: &ContactForm<'_>,
) -> Result<i64, AppError> {
    let access = editing(caller, account).await?;
    let fields = contact_fields(form)?;
    let mut change = access.editing()?.begin(caller).await?;
    let id = repo::insert_contact(&mut change, access.account, &fields).await?;
    let change = change.about_record(record_key("contact", id));
    commit_view_change(
        change,
        access.account,
        "contact.added",
        json!({ "after": contact_details(&fields) }),
    )
    .await?;
    Ok(id)
}

pub async fn update_contact(
    caller: &Caller,
    id: i64,
    form: &ContactForm<'_>,
    version: i64,
) -> Result<(), AppError> {
    let (account, before) = repo::contact(caller.db(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = editing(caller, Some(account)).await?;
    let fields = contact_fields(form)?;
    let record = record_key("contact", id);
    let mut change = begin_change(caller, &access, record.clone()).await?;
    if !repo::update_contact(&mut change, id, &fields, version).await? {
        drop(change);
        return Err(stale_record_conflict(caller.db().pool(), &record, Changed::Contact).await);
    }
    let before = ContactFields {
        name: before.name,
        role: before.role,
        instructions: before.instructions,
        methods: before.methods,
    };
    let details = json!({ "before": contact_details(&before), "after": contact_details(&fields) });
    commit_view_change(change, account, "contact.updated", details).await
}

pub async fn remove_contact(caller: &Caller, id: i64, version: i64) -> Result<NodeId, AppError> {
    let (account, contact) = repo::contact(caller.db(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = editing(caller, Some(account)).await?;
    if repo::contact_in_use(caller.db().pool(), id).await? {
        return Err(AppError::Conflict(crate::tr!(
            briefing.errors.on_call,
            name = contact.name
        )));
    }
    let record = record_key("contact", id);
    let mut change = begin_change(caller, &access, record.clone()).await?;
    if !repo::delete_versioned(&mut change, ListTable::Contacts, id, version).await? {
        drop(change);
        return Err(stale_record_conflict(caller.db().pool(), &record, Changed::Contact).await);
    }
    commit_view_change(
        change,
        account,
        "contact.removed",
        json!({ "before": { "name": contact.name } }),
    )
    .await?;
    Ok(account)
}

/// Moves a row of a briefing list up or down (for contacts and resources).
pub async fn reorder(
    caller: &Caller,
    table: ListTable,
    id: i64,
    direction: Reorder,
) -> Result<NodeId, AppError> {
    let (account, kind, title) = match table {
        ListTable::Contacts => {
            let (account, contact) = repo::contact(caller.db(), id)
                .await?
                .ok_or(AppError::NotFound)?;
            (account, "contact", contact.name)
        }
        ListTable::Resources => {
            let (account, resource) = repo::resource(caller.db().pool(), id)
                .await?
                .ok_or(AppError::NotFound)?;
            (account, "resource", resource.title)
        }
    };
    let access = editing(caller, Some(account)).await?;
    let mut change = begin_change(caller, &access, record_key(kind, id)).await?;
    if !repo::reorder(&mut change, table, account, id, direction).await? {
        return Ok(account);
    }
    let action = match direction {
        Reorder::Up => format!("{kind}.moved_up"),
        Reorder::Down => format!("{kind}.moved_down"),
    };
    commit_view_change(change, account, &action, json!({ "name": title })).await?;
    Ok(account)
}

pub async fn resources_view(
    caller: &Caller,
    account: Option<NodeId>,
) -> Result<ResourcesView, AppError> {
    let access = reading(caller, account).await?;
    Ok(ResourcesView {
        account: access.account,
        resources: repo::resources(caller.db().pool(), access.account).await?,
        can_edit: access.can_edit(),
        seen: operators_seen(caller.db(), &access).await?,
    })
}

/// A resource form as it was posted.
pub struct ResourceForm<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub note: &'a str,
}

/// A resource's fields, checked: a title, and a web address or a note or both.
pub fn resource_fields(form: &ResourceForm<'_>) -> Result<ResourceFields, AppError> {
    let mut errors = FieldErrors::default();
    let (title, url, note) = (form.title.trim(), form.url.trim(), form.note.trim());
    if title.is_empty() {
        errors.add("title", crate::tr!(briefing.errors.resource_title));
    }
    errors.limit("title", title, MAX_NAME);
    if !url.is_empty() && !is_web_address(url) {
        errors.add("url", crate::tr!(briefing.errors.url));
    }
    errors.limit("url", url, MAX_NOTE);
    if url.is_empty() && note.is_empty() {
        errors.add("note", crate::tr!(briefing.errors.url_or_note));
    }
    errors.limit("note", note, MAX_NOTE);
    errors.into_result()?;
    Ok(ResourceFields {
        title: title.to_string(),
        url: url.to_string(),
        note: note.to_string(),
    })
}

fn is_web_address(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        host.contains('.')
            && !url
                .chars()
                .any(|ch| ch.is_whitespace() || ch == '"' || ch == '<')
    })
}

fn resource_details(fields: &ResourceFields) -> serde_json::Value {
    json!({ "title": fields.title, "url": fields.url, "note": fields.note })
}

pub async fn add_resource(
    caller: &Caller,
    account: Option<NodeId>,
    form: &ResourceForm<'_>,
) -> Result<i64, AppError> {
    let access = editing(caller, account).await?;
    let fields = resource_fields(form)?;
    let mut change = access.editing()?.begin(caller).await?;
    let id = repo::insert_resource(&mut change, access.account, &fields).await?;
    let change = change.about_record(record_key("resource", id));
    commit_view_change(
        change,
        access.account,
        "resource.added",
        json!({ "after": resource_details(&fields) }),
    )
    .await?;
    Ok(id)
}

pub async fn update_resource(
    caller: &Caller,
    id: i64,
    form: &ResourceForm<'_>,
    version: i64,
) -> Result<NodeId, AppError> {
    let (account, before) = repo::resource(caller.db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = editing(caller, Some(account)).await?;
    let fields = resource_fields(form)?;
    let record = record_key("resource", id);
    let mut change = begin_change(caller, &access, record.clone()).await?;
    if !repo::update_resource(&mut change, id, &fields, version).await? {
        drop(change);
        return Err(stale_record_conflict(caller.db().pool(), &record, Changed::Resource).await);
    }
    let before = ResourceFields {
        title: before.title,
        url: before.url,
        note: before.note,
    };
    let details =
        json!({ "before": resource_details(&before), "after": resource_details(&fields) });
    commit_view_change(change, account, "resource.updated", details).await?;
    Ok(account)
}

pub async fn remove_resource(caller: &Caller, id: i64, version: i64) -> Result<NodeId, AppError> {
    let (account, resource) = repo::resource(caller.db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = editing(caller, Some(account)).await?;
    let record = record_key("resource", id);
    let mut change = begin_change(caller, &access, record.clone()).await?;
    if !repo::delete_versioned(&mut change, ListTable::Resources, id, version).await? {
        drop(change);
        return Err(stale_record_conflict(caller.db().pool(), &record, Changed::Resource).await);
    }
    commit_view_change(
        change,
        account,
        "resource.removed",
        json!({ "before": { "title": resource.title } }),
    )
    .await?;
    Ok(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method(kind: &str, value: &str, note: &str) -> MethodInput {
        MethodInput {
            kind: kind.into(),
            value: value.into(),
            note: note.into(),
        }
    }

    #[test]
    fn a_contact_keeps_the_methods_with_values_and_says_which_row_is_wrong() {
        let mut methods = vec![
            method("mobile", "+1 617 555 0101", "after 6 pm"),
            method("email", "kim@", ""),
            method("pager", "", ""),
        ];
        fn form(methods: &[MethodInput]) -> ContactForm<'_> {
            ContactForm {
                name: " Dr Kim ",
                role: "Dentist",
                instructions: "",
                methods,
            }
        }
        let AppError::Validation(errors) = contact_fields(&form(&methods)).err().unwrap() else {
            panic!("a validation error")
        };
        assert!(errors.get("method[1][value]").is_some());
        assert!(errors.get("method[0][value]").is_none());
        methods[1].value = "kim@harbor-dental.test".into();
        let fields = contact_fields(&form(&methods)).unwrap();
        assert_eq!(fields.name, "Dr Kim");
        assert_eq!(fields.methods.len(), 2);
        assert_eq!(fields.methods[0].note, "after 6 pm");
        assert_eq!(fields.methods[1].kind, MethodKind::Email);
    }

    #[test]
    fn a_resource_needs_a_title_and_a_web_address_or_a_note() {
        let form = |title, url, note| ResourceForm { title, url, note };
        assert!(resource_fields(&form("Directions", "https://harbor-dental.test/map", "")).is_ok());
        assert!(resource_fields(&form("Parking", "", "Behind the building")).is_ok());
        for (title, url, note, field) in [
            ("", "https://harbor-dental.test", "", "title"),
            ("Map", "javascript:alert(1)", "", "url"),
            ("Map", "https://", "", "url"),
            ("Map", "", "", "note"),
        ] {
            let AppError::Validation(errors) =
                resource_fields(&form(title, url, note)).err().unwrap()
            else {
                panic!("a validation error")
            };
            assert!(errors.get(field).is_some(), "{title} {url} {note}");
        }
    }

    #[test]
    fn the_history_says_what_each_change_set() {
        assert_eq!(
            status_text_of(r#"{"after":{"operator_status":"At lunch","until":"13:00"}}"#),
            "At lunch (until 13:00)"
        );
        assert_eq!(
            status_text_of(r#"{"after":{"operator_status":""}}"#),
            "Back to the default"
        );
    }
}
