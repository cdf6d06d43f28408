//! Client accounts in the database: the `clients` row beside each client node, its tags
//! and features, the credit ledger and the SSO token; the directory's query is in
//! `directory_sql`.

use sqlx::{Any, AnyConnection, Executor, Row};

use super::directory_sql::refresh_facets;
use crate::clients::ledger::{Balances, CreditMove};
use crate::clients::{CompanyInfo, CreditEntry, CreditKind, EntryType, LOW_CREDIT};
use crate::core::voice::VoiceRule;
use crate::core::{
    features_from_stored, ClientStatus, Feature, NodeId, NodeKind, UserId, VerificationPolicy,
};
use crate::db::now_ms;
use crate::db::RowUpdate;
use crate::error::AppError;
use crate::tenancy::repo::insert_node;

/// A client account as stored, without its SSO token.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ClientRecord {
    #[sqlx(rename = "node_id")]
    pub id: NodeId,
    pub partner_id: NodeId,
    #[sqlx(rename = "parent_id")]
    pub group_id: NodeId,
    #[sqlx(flatten)]
    pub company: CompanyInfo,
    pub status: ClientStatus,
    pub seat_limit: i64,
    pub sms_balance: i64,
    pub voice_balance: i64,
    /// Usage the balances could not pay, owed until a grant or top-up pays it.
    pub sms_shortfall: i64,
    pub voice_shortfall: i64,
    /// The account's own voice rule's parts, all set or none (see `own_voice_rule`).
    pub voice_initial_seconds: Option<i64>,
    pub voice_increment_seconds: Option<i64>,
    pub voice_free_under_seconds: Option<i64>,
    pub verification: VerificationPolicy,
    pub version: i64,
    pub created_at: i64,
}

impl ClientRecord {
    /// The voice rule the account has of its own, if it has one.
    pub fn own_voice_rule(&self) -> Option<VoiceRule> {
        Some(VoiceRule {
            initial_seconds: self.voice_initial_seconds?,
            increment_seconds: self.voice_increment_seconds?,
            free_under_seconds: self.voice_free_under_seconds?,
        })
    }
}

pub struct NewClientRecord<'a> {
    pub group: NodeId,
    pub partner: NodeId,
    pub company: &'a CompanyInfo,
    pub status: ClientStatus,
    pub seat_limit: i64,
    pub features: &'a [Feature],
    pub tags: &'a [String],
    pub sso_token: &'a str,
}

/// What the directory search looks through, folded to lower case; phone numbers also
/// without their punctuation, so "555 0100" finds "(555) 010-0".
pub fn search_text(company: &CompanyInfo) -> String {
    let digits: String = company.phone.chars().filter(char::is_ascii_digit).collect();
    format!(
        "{} | {} | {} | {} | {digits}",
        company.name, company.contact_name, company.email, company.phone
    )
    .to_lowercase()
}

pub fn status_from(row: &sqlx::any::AnyRow) -> Result<ClientStatus, AppError> {
    let key: String = row.try_get("status")?;
    ClientStatus::from_key(&key).ok_or_else(|| AppError::internal(format!("unknown status {key}")))
}

pub async fn insert_client(
    conn: &mut AnyConnection,
    client: NewClientRecord<'_>,
) -> Result<NodeId, AppError> {
    let company = client.company;
    let id = insert_node(conn, Some(client.group), NodeKind::Client, &company.name).await?;
    sqlx::query(
        "INSERT INTO clients (node_id, partner_id, name_key, contact_name, email, phone, address, \
         time_zone, status, seat_limit, sso_token, search_text, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13)",
    )
    .bind(id.0)
    .bind(client.partner.0)
    .bind(company.name.to_lowercase())
    .bind(&company.contact_name)
    .bind(&company.email)
    .bind(&company.phone)
    .bind(&company.address)
    .bind(&company.time_zone)
    .bind(client.status.key())
    .bind(client.seat_limit)
    .bind(client.sso_token)
    .bind(search_text(company))
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    replace_tags(conn, id, client.tags).await?;
    replace_features(conn, id, client.features).await?;
    refresh_facets(conn, id).await?;
    Ok(id)
}

/// Makes `values` the client's whole set in `table` (its tags or its features).
async fn replace_set(
    conn: &mut AnyConnection,
    table: &str,
    column: &str,
    id: NodeId,
    values: &[&str],
) -> Result<(), AppError> {
    sqlx::query(&format!("DELETE FROM {table} WHERE client_id = $1"))
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    for value in values {
        sqlx::query(&format!(
            "INSERT INTO {table} (client_id, {column}) VALUES ($1, $2)"
        ))
        .bind(id.0)
        .bind(value)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn replace_tags(
    conn: &mut AnyConnection,
    id: NodeId,
    tags: &[String],
) -> Result<(), AppError> {
    let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
    replace_set(conn, "client_tags", "tag", id, &tags).await
}

async fn replace_features(
    conn: &mut AnyConnection,
    id: NodeId,
    features: &[Feature],
) -> Result<(), AppError> {
    let keys: Vec<&str> = features.iter().map(|feature| feature.key()).collect();
    replace_set(conn, "client_features", "feature", id, &keys).await
}

pub async fn client_record<'e>(
    db: impl Executor<'e, Database = Any>,
    id: NodeId,
) -> Result<Option<ClientRecord>, AppError> {
    Ok(sqlx::query_as(
        "SELECT c.node_id, c.partner_id, n.parent_id, n.name, c.contact_name, c.email, c.phone, \
         c.address, c.time_zone, c.status, c.seat_limit, c.sms_balance, c.voice_balance, \
         c.sms_shortfall, c.voice_shortfall, c.voice_initial_seconds, \
         c.voice_increment_seconds, c.voice_free_under_seconds, c.verification, c.version, c.created_at \
         FROM clients c JOIN nodes n ON n.id = c.node_id WHERE c.node_id = $1",
    )
    .bind(id.0)
    .fetch_optional(db)
    .await?)
}

pub async fn tags_of<'e>(
    db: impl Executor<'e, Database = Any>,
    id: NodeId,
) -> Result<Vec<String>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT tag FROM client_tags WHERE client_id = $1 ORDER BY tag")
            .bind(id.0)
            .fetch_all(db)
            .await?,
    )
}

pub async fn features_of<'e>(
    db: impl Executor<'e, Database = Any>,
    id: NodeId,
) -> Result<Vec<Feature>, AppError> {
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT feature FROM client_features WHERE client_id = $1")
            .bind(id.0)
            .fetch_all(db)
            .await?;
    Ok(features_from_stored(&keys.join(",")))
}

/// People with access given at the client account itself: the seats in use.
pub async fn seats_used<'e>(
    db: impl Executor<'e, Database = Any>,
    id: NodeId,
) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE node_id = $1")
            .bind(id.0)
            .fetch_one(db)
            .await?,
    )
}

/// The features a partner may grant to its clients.
pub async fn grantable_features<'e>(
    db: impl Executor<'e, Database = Any>,
    partner: NodeId,
) -> Result<Vec<Feature>, AppError> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT grantable_features FROM partner_settings WHERE partner_id = $1")
            .bind(partner.0)
            .fetch_optional(db)
            .await?;
    Ok(stored
        .map(|stored| features_from_stored(&stored))
        .unwrap_or_default())
}

/// Saves a client's company details if `version` is still current; false when stale.
pub async fn update_company(
    conn: &mut AnyConnection,
    id: NodeId,
    company: &CompanyInfo,
    tags: &[String],
    version: i64,
) -> Result<bool, AppError> {
    let now = now_ms();
    let updated = RowUpdate::of("clients")
        .set("name_key", company.name.to_lowercase())
        .set("contact_name", &company.contact_name)
        .set("email", &company.email)
        .set("phone", &company.phone)
        .set("address", &company.address)
        .set("time_zone", &company.time_zone)
        .set("search_text", search_text(company))
        .of_row("node_id", id.0)
        .if_at(version, &mut *conn)
        .await?;
    if !updated {
        return Ok(false);
    }
    sqlx::query("UPDATE nodes SET name = $1, updated_at = $2 WHERE id = $3")
        .bind(&company.name)
        .bind(now)
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    replace_tags(conn, id, tags).await?;
    refresh_facets(conn, id).await?;
    Ok(true)
}

/// Takes a version step for a change stored elsewhere (a move); false when stale.
pub async fn bump_version<'e>(
    db: impl Executor<'e, Database = Any>,
    id: NodeId,
    version: i64,
) -> Result<bool, AppError> {
    RowUpdate::of("clients")
        .of_row("node_id", id.0)
        .if_at(version, db)
        .await
}

pub async fn set_status(
    conn: &mut AnyConnection,
    id: NodeId,
    status: ClientStatus,
    version: i64,
) -> Result<bool, AppError> {
    if !set_if_current(&mut *conn, id, version, "status", status.key()).await? {
        return Ok(false);
    }
    refresh_facets(conn, id).await?;
    Ok(true)
}

/// Sets one text column of a client's row while the row is still at `version`,
/// taking a version step; false when stale. `column` is a name from this module.
async fn set_if_current<'e>(
    db: impl Executor<'e, Database = Any>,
    id: NodeId,
    version: i64,
    column: &'static str,
    value: &str,
) -> Result<bool, AppError> {
    RowUpdate::of("clients")
        .set(column, value)
        .of_row("node_id", id.0)
        .if_at(version, db)
        .await
}

/// Gives the account a voice rule of its own, or back to its partner's when `rule`
/// is none, if `version` is still current; false when stale.
pub async fn set_voice_rule<'e>(
    db: impl Executor<'e, Database = Any>,
    id: NodeId,
    rule: Option<VoiceRule>,
    version: i64,
) -> Result<bool, AppError> {
    RowUpdate::of("clients")
        .set("voice_initial_seconds", rule.map(|r| r.initial_seconds))
        .set("voice_increment_seconds", rule.map(|r| r.increment_seconds))
        .set(
            "voice_free_under_seconds",
            rule.map(|r| r.free_under_seconds),
        )
        .of_row("node_id", id.0)
        .if_at(version, db)
        .await
}

pub async fn set_verification<'e>(
    db: impl Executor<'e, Database = Any>,
    id: NodeId,
    policy: VerificationPolicy,
    version: i64,
) -> Result<bool, AppError> {
    set_if_current(db, id, version, "verification", policy.key()).await
}

pub async fn set_features_and_seats(
    conn: &mut AnyConnection,
    id: NodeId,
    features: &[Feature],
    seat_limit: i64,
    version: i64,
) -> Result<bool, AppError> {
    let updated = RowUpdate::of("clients")
        .set("seat_limit", seat_limit)
        .of_row("node_id", id.0)
        .if_at(version, &mut *conn)
        .await?;
    if !updated {
        return Ok(false);
    }
    replace_features(conn, id, features).await?;
    refresh_facets(conn, id).await?;
    Ok(true)
}

pub struct NewCreditEntry<'a> {
    pub client: NodeId,
    pub credit: CreditKind,
    pub entry_type: EntryType,
    /// Positive for grants and top-ups, negative for usage (its whole cost).
    pub amount: i64,
    pub note: &'a str,
    pub actor: Option<UserId>,
}

/// Appends a ledger entry and moves the balance and shortfall with it (see
/// [`CreditPosition::moved_by`](crate::clients::ledger::CreditPosition::moved_by)):
/// never refused, never below zero. Returns the account's balances after it. Called inside a transaction: the row stays locked until the
/// entry is written, so concurrent entries queue.
pub async fn add_credit_entry(
    conn: &mut AnyConnection,
    entry: NewCreditEntry<'_>,
) -> Result<Balances, AppError> {
    let (before, moved, after) = match move_balance_only(conn, &entry).await? {
        Some(moved) => moved,
        None => move_balance_and_shortfall(conn, &entry).await?,
    };
    let low = |balances: &Balances| balances.sms < LOW_CREDIT || balances.voice < LOW_CREDIT;
    if low(&after) != low(&before) {
        refresh_facets(conn, entry.client).await?;
    }
    sqlx::query(
        "INSERT INTO credit_entries (client_id, credit, entry_type, amount, balance_after, \
         shortfall_change, shortfall_after, note, actor_user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(entry.client.0)
    .bind(entry.credit.key())
    .bind(entry.entry_type.key())
    .bind(moved.balance_change)
    .bind(moved.after.balance)
    .bind(moved.shortfall_change)
    .bind(moved.after.shortfall)
    .bind(entry.note)
    .bind(entry.actor.map(|user| user.0))
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(after)
}

fn credit_columns(credit: CreditKind) -> (&'static str, &'static str) {
    match credit {
        CreditKind::Sms => ("sms_balance", "sms_shortfall"),
        CreditKind::Voice => ("voice_balance", "voice_shortfall"),
    }
}

/// The balances before and after an entry, and how it moved its credit.
type EntryMove = (Balances, CreditMove, Balances);

/// Applies an entry that moves only the balance (usage the balance covers, or
/// credits added while nothing is owed) in one statement; None for any other entry
/// (or no such account), which [`move_balance_and_shortfall`] applies.
async fn move_balance_only(
    conn: &mut AnyConnection,
    entry: &NewCreditEntry<'_>,
) -> Result<Option<EntryMove>, AppError> {
    let (balance, shortfall) = credit_columns(entry.credit);
    let after: Option<Balances> = sqlx::query_as(&format!(
        "UPDATE clients SET {balance} = {balance} + $1 \
         WHERE node_id = $2 AND {shortfall} = 0 AND {balance} + $1 >= 0 RETURNING {BALANCES}"
    ))
    .bind(entry.amount)
    .bind(entry.client.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(after.map(|after| {
        let mut position = after.of(entry.credit);
        position.balance -= entry.amount;
        let before = after.with(entry.credit, position);
        let moved = position.moved_by(entry.amount);
        debug_assert_eq!(moved.after, after.of(entry.credit));
        (before, moved, after)
    }))
}

/// Applies any entry: locks the account's row, then moves both parts of its credit
/// by [`CreditPosition::moved_by`](crate::clients::ledger::CreditPosition::moved_by).
async fn move_balance_and_shortfall(
    conn: &mut AnyConnection,
    entry: &NewCreditEntry<'_>,
) -> Result<EntryMove, AppError> {
    let (balance, shortfall) = credit_columns(entry.credit);
    // An update that changes nothing takes the row's write lock (PostgreSQL); SQLite's
    // write transactions are serialized already (db.rs).
    let before: Balances = sqlx::query_as(&format!(
        "UPDATE clients SET {balance} = {balance} WHERE node_id = $1 RETURNING {BALANCES}"
    ))
    .bind(entry.client.0)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let moved = before.of(entry.credit).moved_by(entry.amount);
    let after: Balances = sqlx::query_as(&format!(
        "UPDATE clients SET {balance} = $1, {shortfall} = $2 WHERE node_id = $3 \
         RETURNING {BALANCES}"
    ))
    .bind(moved.after.balance)
    .bind(moved.after.shortfall)
    .bind(entry.client.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok((before, moved, after))
}

const BALANCES: &str = "sms_balance AS sms, voice_balance AS voice, sms_shortfall, voice_shortfall";

/// An account's balances, and what it owes.
pub async fn balances<'e>(
    db: impl Executor<'e, Database = Any>,
    client: NodeId,
) -> Result<Balances, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {BALANCES} FROM clients WHERE node_id = $1"
    ))
    .bind(client.0)
    .fetch_one(db)
    .await?)
}

/// The newest `limit` ledger entries of a client, both credits.
pub async fn ledger<'e>(
    db: impl Executor<'e, Database = Any>,
    id: NodeId,
    limit: i64,
) -> Result<Vec<CreditEntry>, AppError> {
    Ok(sqlx::query_as(
        "SELECT e.id, e.credit, e.entry_type, e.amount, e.balance_after, e.shortfall_change, \
         e.shortfall_after, e.note, e.created_at, u.name AS actor_name FROM credit_entries e LEFT JOIN users u ON u.id = e.actor_user_id \
         WHERE e.client_id = $1 ORDER BY e.id DESC LIMIT $2",
    )
    .bind(id.0)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// The sum of a client's ledger entries of one credit: what its balance must equal.
pub async fn ledger_sum<'e>(
    db: impl Executor<'e, Database = Any>,
    id: NodeId,
    credit: CreditKind,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM credit_entries \
         WHERE client_id = $1 AND credit = $2",
    )
    .bind(id.0)
    .bind(credit.key())
    .fetch_one(db)
    .await?)
}

pub async fn set_sso_token<'e>(
    db: impl Executor<'e, Database = Any>,
    id: NodeId,
    token: &str,
) -> Result<(), AppError> {
    sqlx::query("UPDATE clients SET sso_token = $1, updated_at = $2 WHERE node_id = $3")
        .bind(token)
        .bind(now_ms())
        .bind(id.0)
        .execute(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_holds_every_searchable_field_and_bare_phone_digits() {
        let company = CompanyInfo {
            name: "Harbor Dental".into(),
            contact_name: "Hana Harbor".into(),
            email: "Hana@Harbor.test".into(),
            phone: "+1 (617) 555-0100".into(),
            ..CompanyInfo::default()
        };
        let text = search_text(&company);
        for needle in [
            "harbor dental",
            "hana harbor",
            "hana@harbor.test",
            "(617) 555",
            "16175550100",
        ] {
            assert!(text.contains(needle), "{needle} not in {text}");
        }
    }
}
