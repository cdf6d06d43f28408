//! The briefing's tables: status, templates, contacts with their methods,
//! resources, and the operator view's version and fetches.

use sqlx::{Any, AnyConnection, Executor, Row};

use super::{Contact, ContactMethod, MethodKind, Reorder, Resource, Template};
use crate::core::NodeId;
use crate::db::{now_ms, RowUpdate};
use crate::error::AppError;

#[derive(Clone, Debug, Default, sqlx::FromRow)]
pub struct StatusRow {
    pub default_text: String,
    pub text: String,
    pub until_at: Option<i64>,
    pub version: i64,
}

impl StatusRow {
    /// What operators read at `now`: the status while it lasts, then the default.
    pub fn showing(&self, now: i64) -> &str {
        match self.until_at {
            Some(until) if until <= now => &self.default_text,
            _ if self.text.is_empty() => &self.default_text,
            _ => &self.text,
        }
    }

    /// Whether the status has an end still to come at `now`.
    pub fn runs_until(&self, now: i64) -> Option<i64> {
        self.until_at
            .filter(|&until| until > now && !self.text.is_empty())
    }
}

/// The account's status; a new account's is empty, at version 1.
pub async fn status<'e>(
    db: impl Executor<'e, Database = Any>,
    account: NodeId,
) -> Result<StatusRow, AppError> {
    let row = sqlx::query_as::<_, StatusRow>(
        "SELECT default_text, text, until_at, version FROM operator_statuses WHERE client_id = $1",
    )
    .bind(account.0)
    .fetch_optional(db)
    .await?;
    Ok(row.unwrap_or(StatusRow {
        version: 1,
        ..StatusRow::default()
    }))
}

/// What the status form changes.
pub struct StatusChange<'a> {
    pub text: &'a str,
    pub until_at: Option<i64>,
    pub default_text: &'a str,
}

/// Sets the status if `version` is current; false when stale.
pub async fn set_status(
    conn: &mut AnyConnection,
    account: NodeId,
    change: &StatusChange<'_>,
    version: i64,
) -> Result<bool, AppError> {
    sqlx::query(
        "INSERT INTO operator_statuses (client_id, updated_at) VALUES ($1, $2) \
         ON CONFLICT (client_id) DO NOTHING",
    )
    .bind(account.0)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    RowUpdate::of("operator_statuses")
        .set("text", change.text)
        .set("until_at", change.until_at)
        .set("default_text", change.default_text)
        .of_row("client_id", account.0)
        .if_at(version, conn)
        .await
}

pub async fn templates<'e>(
    db: impl Executor<'e, Database = Any>,
    account: NodeId,
) -> Result<Vec<Template>, AppError> {
    let rows =
        sqlx::query("SELECT id, text FROM status_templates WHERE client_id = $1 ORDER BY text")
            .bind(account.0)
            .fetch_all(db)
            .await?;
    rows.iter()
        .map(|row| {
            Ok(Template {
                id: row.try_get("id")?,
                text: row.try_get("text")?,
            })
        })
        .collect()
}

/// Adds a template; false when the account already has one with this text.
pub async fn add_template(
    conn: &mut AnyConnection,
    account: NodeId,
    text: &str,
) -> Result<bool, AppError> {
    let added = sqlx::query(
        "INSERT INTO status_templates (client_id, text, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (client_id, text) DO NOTHING",
    )
    .bind(account.0)
    .bind(text)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(added.rows_affected() == 1)
}

/// Removes one of the account's templates, returning its text if there was one.
pub async fn remove_template(
    conn: &mut AnyConnection,
    account: NodeId,
    id: i64,
) -> Result<Option<String>, AppError> {
    let row =
        sqlx::query("DELETE FROM status_templates WHERE id = $1 AND client_id = $2 RETURNING text")
            .bind(id)
            .bind(account.0)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|row| row.try_get("text")).transpose()?)
}

pub async fn template_count<'e>(
    db: impl Executor<'e, Database = Any>,
    account: NodeId,
) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM status_templates WHERE client_id = $1")
            .bind(account.0)
            .fetch_one(db)
            .await?,
    )
}

/// A contact's fields as a form gives them, checked.
pub struct ContactFields {
    pub name: String,
    pub role: String,
    pub instructions: String,
    pub methods: Vec<ContactMethod>,
}

/// The account's contacts in order, each with its methods.
pub async fn contacts(db: &crate::db::Db, account: NodeId) -> Result<Vec<Contact>, AppError> {
    let rows = sqlx::query(
        "SELECT id, name, role, instructions, version FROM contacts \
         WHERE client_id = $1 ORDER BY position, id",
    )
    .bind(account.0)
    .fetch_all(db.pool())
    .await?;
    let methods = sqlx::query(
        "SELECT m.contact_id, m.kind, m.value, m.note FROM contact_methods m \
         JOIN contacts c ON c.id = m.contact_id WHERE c.client_id = $1 \
         ORDER BY m.contact_id, m.position",
    )
    .bind(account.0)
    .fetch_all(db.pool())
    .await?;
    let mut contacts = rows.iter().map(contact_of).collect::<Result<Vec<_>, _>>()?;
    for row in &methods {
        let owner: i64 = row.try_get("contact_id")?;
        if let Some(contact) = contacts.iter_mut().find(|contact| contact.id == owner) {
            contact.methods.push(method_of(row)?);
        }
    }
    Ok(contacts)
}

/// One contact with its account, if it exists.
pub async fn contact(db: &crate::db::Db, id: i64) -> Result<Option<(NodeId, Contact)>, AppError> {
    let Some(row) = sqlx::query(
        "SELECT id, client_id, name, role, instructions, version FROM contacts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    else {
        return Ok(None);
    };
    let mut contact = contact_of(&row)?;
    let methods = sqlx::query(
        "SELECT kind, value, note FROM contact_methods WHERE contact_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    contact.methods = methods.iter().map(method_of).collect::<Result<_, _>>()?;
    Ok(Some((NodeId(row.try_get("client_id")?), contact)))
}

fn contact_of(row: &sqlx::any::AnyRow) -> Result<Contact, sqlx::Error> {
    Ok(Contact {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        role: row.try_get("role")?,
        instructions: row.try_get("instructions")?,
        methods: Vec::new(),
        version: row.try_get("version")?,
    })
}

fn method_of(row: &sqlx::any::AnyRow) -> Result<ContactMethod, sqlx::Error> {
    Ok(ContactMethod {
        kind: row.try_get::<MethodKind, _>("kind")?,
        value: row.try_get("value")?,
        note: row.try_get("note")?,
    })
}

pub async fn insert_contact(
    conn: &mut AnyConnection,
    account: NodeId,
    fields: &ContactFields,
) -> Result<i64, AppError> {
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO contacts (client_id, name, role, instructions, position, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, \
                 (SELECT COALESCE(MAX(position), 0) + 1 FROM contacts WHERE client_id = $1), $5, $5) \
         RETURNING id",
    )
    .bind(account.0)
    .bind(&fields.name)
    .bind(&fields.role)
    .bind(&fields.instructions)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    write_methods(conn, id, &fields.methods).await?;
    Ok(id)
}

/// Saves a contact's fields and methods if `version` is current; false when stale.
pub async fn update_contact(
    conn: &mut AnyConnection,
    id: i64,
    fields: &ContactFields,
    version: i64,
) -> Result<bool, AppError> {
    let current = RowUpdate::of("contacts")
        .set("name", &fields.name)
        .set("role", &fields.role)
        .set("instructions", &fields.instructions)
        .of_row("id", id)
        .if_at(version, &mut *conn)
        .await?;
    if current {
        sqlx::query("DELETE FROM contact_methods WHERE contact_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        write_methods(conn, id, &fields.methods).await?;
    }
    Ok(current)
}

async fn write_methods(
    conn: &mut AnyConnection,
    contact: i64,
    methods: &[ContactMethod],
) -> Result<(), AppError> {
    for (position, method) in methods.iter().enumerate() {
        sqlx::query(
            "INSERT INTO contact_methods (contact_id, position, kind, value, note) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(contact)
        .bind(position as i64)
        .bind(method.kind.key())
        .bind(&method.value)
        .bind(&method.note)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Deletes a row of `table` (contacts or resources) if `version` is current; false
/// when stale or gone.
pub async fn delete_versioned(
    conn: &mut AnyConnection,
    table: ListTable,
    id: i64,
    version: i64,
) -> Result<bool, AppError> {
    crate::db::delete_if_at(conn, table.name(), id, version).await
}

/// What names the contact in the on-call calendar, if anything: a contact operators
/// are sent to cannot disappear from under a rule or an override.
pub async fn contact_in_use<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<bool, AppError> {
    let uses: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM oncall_rule_contacts WHERE contact_id = $1) + \
                (SELECT COUNT(*) FROM oncall_overrides \
                 WHERE add_contact_id = $1 OR remove_contact_id = $1)",
    )
    .bind(id)
    .fetch_one(db)
    .await?;
    Ok(uses > 0)
}

/// The ordered lists of the briefing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListTable {
    Contacts,
    Resources,
}

impl ListTable {
    fn name(self) -> &'static str {
        match self {
            ListTable::Contacts => "contacts",
            ListTable::Resources => "resources",
        }
    }
}

/// Swaps a row with its neighbour above or below in the account's list; false when
/// it is already first or last. Positions move without stepping versions: the order
/// is not part of what a form edits.
pub async fn reorder(
    conn: &mut AnyConnection,
    table: ListTable,
    account: NodeId,
    id: i64,
    direction: Reorder,
) -> Result<bool, AppError> {
    let (compare, order) = match direction {
        Reorder::Up => ("<", "DESC"),
        Reorder::Down => (">", "ASC"),
    };
    let name = table.name();
    let sql = format!(
        "SELECT n.id, n.position AS theirs, r.position AS ours FROM {name} r \
         JOIN {name} n ON n.client_id = r.client_id AND n.position {compare} r.position \
         WHERE r.id = $1 AND r.client_id = $2 ORDER BY n.position {order} LIMIT 1"
    );
    let Some(row) = sqlx::query(&sql)
        .bind(id)
        .bind(account.0)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(false);
    };
    let (neighbour, theirs, ours): (i64, i64, i64) = (
        row.try_get("id")?,
        row.try_get("theirs")?,
        row.try_get("ours")?,
    );
    let set = format!("UPDATE {name} SET position = $1 WHERE id = $2");
    sqlx::query(&set)
        .bind(theirs)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(&set)
        .bind(ours)
        .bind(neighbour)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// A resource's fields as a form gives them, checked.
pub struct ResourceFields {
    pub title: String,
    pub url: String,
    pub note: String,
}

pub async fn resources<'e>(
    db: impl Executor<'e, Database = Any>,
    account: NodeId,
) -> Result<Vec<Resource>, AppError> {
    let rows = sqlx::query(
        "SELECT id, title, url, note, version FROM resources \
         WHERE client_id = $1 ORDER BY position, id",
    )
    .bind(account.0)
    .fetch_all(db)
    .await?;
    Ok(rows.iter().map(resource_of).collect::<Result<_, _>>()?)
}

/// One resource with its account, if it exists.
pub async fn resource<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<(NodeId, Resource)>, AppError> {
    let row =
        sqlx::query("SELECT id, client_id, title, url, note, version FROM resources WHERE id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?;
    row.map(|row| Ok((NodeId(row.try_get("client_id")?), resource_of(&row)?)))
        .transpose()
}

fn resource_of(row: &sqlx::any::AnyRow) -> Result<Resource, sqlx::Error> {
    Ok(Resource {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        url: row.try_get("url")?,
        note: row.try_get("note")?,
        version: row.try_get("version")?,
    })
}

pub async fn insert_resource(
    conn: &mut AnyConnection,
    account: NodeId,
    fields: &ResourceFields,
) -> Result<i64, AppError> {
    let now = now_ms();
    Ok(sqlx::query_scalar(
        "INSERT INTO resources (client_id, title, url, note, position, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, \
                 (SELECT COALESCE(MAX(position), 0) + 1 FROM resources WHERE client_id = $1), $5, $5) \
         RETURNING id",
    )
    .bind(account.0)
    .bind(&fields.title)
    .bind(&fields.url)
    .bind(&fields.note)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

pub async fn update_resource(
    conn: &mut AnyConnection,
    id: i64,
    fields: &ResourceFields,
    version: i64,
) -> Result<bool, AppError> {
    RowUpdate::of("resources")
        .set("title", &fields.title)
        .set("url", &fields.url)
        .set("note", &fields.note)
        .of_row("id", id)
        .if_at(version, conn)
        .await
}

/// Moves the account's operator-view version on, in the transaction of the change.
pub async fn view_changed(conn: &mut AnyConnection, account: NodeId) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO operator_view_versions (client_id, version, changed_at) VALUES ($1, 1, $2) \
         ON CONFLICT (client_id) DO UPDATE \
         SET version = operator_view_versions.version + 1, changed_at = $2",
    )
    .bind(account.0)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// The operator view's version and when it changed; version 0 before any change.
pub async fn view_version<'e>(
    db: impl Executor<'e, Database = Any>,
    account: NodeId,
) -> Result<(i64, Option<i64>), AppError> {
    let row =
        sqlx::query("SELECT version, changed_at FROM operator_view_versions WHERE client_id = $1")
            .bind(account.0)
            .fetch_optional(db)
            .await?;
    Ok(match row {
        Some(row) => (row.try_get("version")?, Some(row.try_get("changed_at")?)),
        None => (0, None),
    })
}

/// The platform's last fetch of the account's operator view: its version and time.
pub async fn last_fetch<'e>(
    db: impl Executor<'e, Database = Any>,
    account: NodeId,
) -> Result<Option<(i64, i64)>, AppError> {
    let row = sqlx::query(
        "SELECT version, fetched_at FROM operator_view_fetches WHERE client_id = $1 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(account.0)
    .fetch_optional(db)
    .await?;
    row.map(|row| Ok((row.try_get("version")?, row.try_get("fetched_at")?)))
        .transpose()
}

pub async fn record_fetch<'e>(
    db: impl Executor<'e, Database = Any>,
    account: NodeId,
    api_key: i64,
    version: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO operator_view_fetches (client_id, api_key_id, version, fetched_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(account.0)
    .bind(api_key)
    .bind(version)
    .bind(now_ms())
    .execute(db)
    .await?;
    Ok(())
}
