//! The on-call tables: weekly rules with their ranked contacts, and overrides.

use sqlx::{Any, AnyConnection, Executor, Row};

use crate::core::NodeId;
use crate::db::{flag, flag_value, now_ms, RowUpdate};
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleRecord {
    pub id: i64,
    pub weekdays: u8,
    pub start_minute: i64,
    pub end_minute: i64,
    pub closed: bool,
    pub note: String,
    /// Rank 1 first.
    pub contacts: Vec<i64>,
    pub version: i64,
}

/// A rule's fields as a form gives them, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleFields {
    pub weekdays: u8,
    pub start_minute: i64,
    pub end_minute: i64,
    pub closed: bool,
    pub note: String,
    pub contacts: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverrideRecord {
    pub id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub add: Option<i64>,
    pub remove: Option<i64>,
    pub note: String,
    pub version: i64,
}

/// An override's fields as a form gives them, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverrideFields {
    pub starts_at: i64,
    pub ends_at: i64,
    pub add: Option<i64>,
    pub remove: Option<i64>,
    pub note: String,
}

const RULE_COLUMNS: &str =
    "id, client_id, weekdays, start_minute, end_minute, closed, note, version";

/// The account's rules, by start time.
pub async fn rules(db: &crate::db::Db, account: NodeId) -> Result<Vec<RuleRecord>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {RULE_COLUMNS} FROM oncall_rules WHERE client_id = $1 ORDER BY start_minute, id"
    ))
    .bind(account.0)
    .fetch_all(db.pool())
    .await?;
    let ranks = sqlx::query(
        "SELECT rc.rule_id, rc.contact_id FROM oncall_rule_contacts rc \
         JOIN oncall_rules r ON r.id = rc.rule_id WHERE r.client_id = $1 \
         ORDER BY rc.rule_id, rc.rank",
    )
    .bind(account.0)
    .fetch_all(db.pool())
    .await?;
    let mut rules = rows.iter().map(rule_of).collect::<Result<Vec<_>, _>>()?;
    for row in &ranks {
        let rule: i64 = row.try_get("rule_id")?;
        if let Some(rule) = rules.iter_mut().find(|r| r.id == rule) {
            rule.contacts.push(row.try_get("contact_id")?);
        }
    }
    Ok(rules)
}

/// One rule with its account, if it exists.
pub async fn rule(db: &crate::db::Db, id: i64) -> Result<Option<(NodeId, RuleRecord)>, AppError> {
    let Some(row) = sqlx::query(&format!(
        "SELECT {RULE_COLUMNS} FROM oncall_rules WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    else {
        return Ok(None);
    };
    let mut rule = rule_of(&row)?;
    rule.contacts = sqlx::query_scalar(
        "SELECT contact_id FROM oncall_rule_contacts WHERE rule_id = $1 ORDER BY rank",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    Ok(Some((NodeId(row.try_get("client_id")?), rule)))
}

fn rule_of(row: &sqlx::any::AnyRow) -> Result<RuleRecord, sqlx::Error> {
    Ok(RuleRecord {
        id: row.try_get("id")?,
        weekdays: row.try_get::<i64, _>("weekdays")? as u8,
        start_minute: row.try_get("start_minute")?,
        end_minute: row.try_get("end_minute")?,
        closed: flag(row.try_get("closed")?),
        note: row.try_get("note")?,
        contacts: Vec::new(),
        version: row.try_get("version")?,
    })
}

pub async fn insert_rule(
    conn: &mut AnyConnection,
    account: NodeId,
    fields: &RuleFields,
) -> Result<i64, AppError> {
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO oncall_rules \
         (client_id, weekdays, start_minute, end_minute, closed, note, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(account.0)
    .bind(i64::from(fields.weekdays))
    .bind(fields.start_minute)
    .bind(fields.end_minute)
    .bind(flag_value(fields.closed))
    .bind(&fields.note)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    write_rule_contacts(conn, id, &fields.contacts).await?;
    Ok(id)
}

/// Saves a rule and its contacts if `version` is current; false when stale.
pub async fn update_rule(
    conn: &mut AnyConnection,
    id: i64,
    fields: &RuleFields,
    version: i64,
) -> Result<bool, AppError> {
    let current = RowUpdate::of("oncall_rules")
        .set("weekdays", i64::from(fields.weekdays))
        .set("start_minute", fields.start_minute)
        .set("end_minute", fields.end_minute)
        .set("closed", flag_value(fields.closed))
        .set("note", &fields.note)
        .of_row("id", id)
        .if_at(version, &mut *conn)
        .await?;
    if current {
        sqlx::query("DELETE FROM oncall_rule_contacts WHERE rule_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        write_rule_contacts(conn, id, &fields.contacts).await?;
    }
    Ok(current)
}

async fn write_rule_contacts(
    conn: &mut AnyConnection,
    rule: i64,
    contacts: &[i64],
) -> Result<(), AppError> {
    for (rank, contact) in contacts.iter().enumerate() {
        sqlx::query(
            "INSERT INTO oncall_rule_contacts (rule_id, rank, contact_id) VALUES ($1, $2, $3)",
        )
        .bind(rule)
        .bind(rank as i64 + 1)
        .bind(contact)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Deletes a rule or an override (`table`) if `version` is current; false when
/// stale or gone.
pub async fn delete_versioned(
    conn: &mut AnyConnection,
    table: ScheduleTable,
    id: i64,
    version: i64,
) -> Result<bool, AppError> {
    crate::db::delete_if_at(conn, table.name(), id, version).await
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleTable {
    Rules,
    Overrides,
}

impl ScheduleTable {
    fn name(self) -> &'static str {
        match self {
            ScheduleTable::Rules => "oncall_rules",
            ScheduleTable::Overrides => "oncall_overrides",
        }
    }
}

const OVERRIDE_COLUMNS: &str =
    "id, client_id, starts_at, ends_at, add_contact_id, remove_contact_id, note, version";

/// The account's overrides that end after `after`, by start.
pub async fn overrides<'e>(
    db: impl Executor<'e, Database = Any>,
    account: NodeId,
    after: i64,
) -> Result<Vec<OverrideRecord>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {OVERRIDE_COLUMNS} FROM oncall_overrides WHERE client_id = $1 AND ends_at > $2 \
         ORDER BY starts_at, id"
    ))
    .bind(account.0)
    .bind(after)
    .fetch_all(db)
    .await?;
    Ok(rows.iter().map(override_of).collect::<Result<_, _>>()?)
}

/// One override with its account, if it exists.
pub async fn override_record<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<(NodeId, OverrideRecord)>, AppError> {
    let row = sqlx::query(&format!(
        "SELECT {OVERRIDE_COLUMNS} FROM oncall_overrides WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?;
    row.map(|row| Ok((NodeId(row.try_get("client_id")?), override_of(&row)?)))
        .transpose()
}

fn override_of(row: &sqlx::any::AnyRow) -> Result<OverrideRecord, sqlx::Error> {
    Ok(OverrideRecord {
        id: row.try_get("id")?,
        starts_at: row.try_get("starts_at")?,
        ends_at: row.try_get("ends_at")?,
        add: row.try_get("add_contact_id")?,
        remove: row.try_get("remove_contact_id")?,
        note: row.try_get("note")?,
        version: row.try_get("version")?,
    })
}

pub async fn insert_override(
    conn: &mut AnyConnection,
    account: NodeId,
    fields: &OverrideFields,
) -> Result<i64, AppError> {
    let now = now_ms();
    Ok(sqlx::query_scalar(
        "INSERT INTO oncall_overrides \
         (client_id, starts_at, ends_at, add_contact_id, remove_contact_id, note, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(account.0)
    .bind(fields.starts_at)
    .bind(fields.ends_at)
    .bind(fields.add)
    .bind(fields.remove)
    .bind(&fields.note)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

pub async fn update_override(
    conn: &mut AnyConnection,
    id: i64,
    fields: &OverrideFields,
    version: i64,
) -> Result<bool, AppError> {
    RowUpdate::of("oncall_overrides")
        .set("starts_at", fields.starts_at)
        .set("ends_at", fields.ends_at)
        .set("add_contact_id", fields.add)
        .set("remove_contact_id", fields.remove)
        .set("note", &fields.note)
        .of_row("id", id)
        .if_at(version, conn)
        .await
}

/// The account's messages received in `from..to`, oldest first, at most `limit`:
/// id, when, and who called.
pub async fn messages_between<'e>(
    db: impl Executor<'e, Database = Any>,
    account: NodeId,
    (from, to): (i64, i64),
    limit: i64,
) -> Result<Vec<(i64, i64, String)>, AppError> {
    let rows = sqlx::query(
        "SELECT id, received_at, caller_name FROM messages \
         WHERE client_id = $1 AND received_at >= $2 AND received_at < $3 \
         ORDER BY received_at, id LIMIT $4",
    )
    .bind(account.0)
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("id")?,
                row.try_get("received_at")?,
                row.try_get("caller_name")?,
            ))
        })
        .collect()
}
