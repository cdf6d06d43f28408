//! Calls, messages and their events in the database. Writes run inside the ingesting
//! transaction; a record is locked before it is read for an update, so concurrent
//! updates of one call or message queue.

use sqlx::{Any, AnyConnection, Executor, FromRow, Row};

use super::ingest::{NewCall, NewMessage};
use super::{CallStatus, MessageStatus};
use crate::core::sms::SmsEncoding;
use crate::core::{NodeId, UserId};
use crate::db::{Db, Param, SqlBuilder};
use crate::error::AppError;

/// A call as an update needs it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CallState {
    pub id: i64,
    pub status: CallStatus,
    pub sequence: Option<i64>,
    pub duration_seconds: Option<i64>,
    pub billed_at: Option<i64>,
    pub voice_units: Option<i64>,
    pub billable_seconds: Option<i64>,
    pub voice_rule: Option<String>,
}

/// A message as an update needs it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MessageState {
    pub id: i64,
    pub channel: super::Channel,
    pub status: MessageStatus,
    pub sequence: Option<i64>,
    pub body: String,
    pub billed_at: Option<i64>,
    pub segments: Option<i64>,
    pub encoding: Option<String>,
    pub sms_units: Option<i64>,
    pub acknowledged_at: Option<i64>,
}

const CALL_STATE: &str = "id, status, sequence, duration_seconds, billed_at, voice_units, \
     billable_seconds, voice_rule";
const MESSAGE_STATE: &str = "id, channel, status, sequence, body, billed_at, segments, encoding, \
     sms_units, acknowledged_at";

/// What a call cost and why, set once: with the write that makes it final.
#[derive(Clone, Debug)]
pub struct VoiceBill {
    pub units: i64,
    pub billable_seconds: i64,
    pub duration_seconds: i64,
    pub rule: String,
}

/// What a text cost and why, set once: with the write that sends it over the network.
#[derive(Clone, Copy, Debug)]
pub struct SmsBill {
    pub segments: i64,
    pub encoding: SmsEncoding,
}

/// Inserts the call (billed, if `bill` says so) unless the account has one of that
/// id already; the new call if it did.
pub async fn insert_call(
    conn: &mut AnyConnection,
    client: NodeId,
    call: &NewCall,
    bill: Option<&VoiceBill>,
    now: i64,
) -> Result<Option<CallState>, AppError> {
    Ok(sqlx::query_as(&format!(
        "INSERT INTO calls (client_id, external_id, direction, from_number, to_number, \
         caller_name, status, sequence, started_at, answered_at, ended_at, duration_seconds, \
         recipient_id, created_at, updated_at, voice_units, billable_seconds, voice_rule, \
         billed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16, \
         $17, $18) ON CONFLICT (client_id, external_id) DO NOTHING RETURNING {CALL_STATE}"
    ))
    .bind(client.0)
    .bind(&call.external_id)
    .bind(call.direction.key())
    .bind(&call.from)
    .bind(&call.to)
    .bind(&call.caller_name)
    .bind(call.status.key())
    .bind(call.sequence)
    .bind(call.started_at)
    .bind(call.answered_at)
    .bind(call.ended_at)
    .bind(bill.map_or(call.duration_seconds, |bill| Some(bill.duration_seconds)))
    .bind(call.recipient.map(|user| user.0))
    .bind(now)
    .bind(bill.map(|bill| bill.units))
    .bind(bill.map(|bill| bill.billable_seconds))
    .bind(bill.map(|bill| bill.rule.as_str()))
    .bind(bill.map(|_| now))
    .fetch_optional(conn)
    .await?)
}

/// The account's call of that id, locked until the transaction ends. An update that
/// changes nothing takes the row's write lock (PostgreSQL); SQLite's write
/// transactions are serialized already.
pub async fn lock_call(
    conn: &mut AnyConnection,
    client: NodeId,
    external_id: &str,
) -> Result<Option<CallState>, AppError> {
    Ok(sqlx::query_as(&format!(
        "UPDATE calls SET status = status WHERE client_id = $1 AND external_id = $2 \
         RETURNING {CALL_STATE}"
    ))
    .bind(client.0)
    .bind(external_id)
    .fetch_optional(conn)
    .await?)
}

/// Moves call `id` to what the update says (billed, if `bill` says so); what it
/// leaves out stays as it was.
pub async fn update_call(
    conn: &mut AnyConnection,
    id: i64,
    call: &NewCall,
    bill: Option<&VoiceBill>,
    now: i64,
) -> Result<CallState, AppError> {
    Ok(sqlx::query_as(&format!(
        "UPDATE calls SET status = $2, sequence = COALESCE($3, sequence), \
         answered_at = COALESCE($4, answered_at), ended_at = COALESCE($5, ended_at), \
         duration_seconds = COALESCE($6, duration_seconds), \
         caller_name = CASE WHEN $7 = '' THEN caller_name ELSE $7 END, \
         recipient_id = COALESCE($8, recipient_id), updated_at = $9, \
         voice_units = COALESCE($10, voice_units), \
         billable_seconds = COALESCE($11, billable_seconds), \
         voice_rule = COALESCE($12, voice_rule), billed_at = COALESCE($13, billed_at) \
         WHERE id = $1 RETURNING {CALL_STATE}"
    ))
    .bind(id)
    .bind(call.status.key())
    .bind(call.sequence)
    .bind(call.answered_at)
    .bind(call.ended_at)
    .bind(bill.map_or(call.duration_seconds, |bill| Some(bill.duration_seconds)))
    .bind(&call.caller_name)
    .bind(call.recipient.map(|user| user.0))
    .bind(now)
    .bind(bill.map(|bill| bill.units))
    .bind(bill.map(|bill| bill.billable_seconds))
    .bind(bill.map(|bill| bill.rule.as_str()))
    .bind(bill.map(|_| now))
    .fetch_one(conn)
    .await?)
}

pub async fn insert_call_event(
    conn: &mut AnyConnection,
    call: i64,
    status: CallStatus,
    sequence: Option<i64>,
    applied: bool,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO call_events (call_id, status, sequence, applied, received_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(call)
    .bind(status.key())
    .bind(sequence)
    .bind(i64::from(applied))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Inserts the message (billed, if `bill` says so) unless the account has one of
/// that id already; the new message if it did.
pub async fn insert_message(
    conn: &mut AnyConnection,
    client: NodeId,
    message: &NewMessage,
    bill: Option<SmsBill>,
    now: i64,
) -> Result<Option<MessageState>, AppError> {
    let fields = serde_json::to_string(&message.fields).map_err(AppError::internal)?;
    let inserted: Option<MessageState> = sqlx::query_as(&format!(
        "INSERT INTO messages (client_id, external_id, channel, direction, status, sequence, \
         priority, caller_name, callback_number, body, fields, call_external_id, taken_by, \
         received_at, created_at, updated_at, segments, encoding, sms_units, billed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, \
         $17, $16, $18) ON CONFLICT (client_id, external_id) DO NOTHING RETURNING {MESSAGE_STATE}"
    ))
    .bind(client.0)
    .bind(&message.external_id)
    .bind(message.channel.key())
    .bind(message.direction.key())
    .bind(message.status.key())
    .bind(message.sequence)
    .bind(message.priority.key())
    .bind(&message.caller_name)
    .bind(&message.callback_number)
    .bind(&message.text)
    .bind(fields)
    .bind(message.call_external_id.as_deref())
    .bind(&message.taken_by)
    .bind(message.received_at)
    .bind(now)
    .bind(bill.map(|bill| bill.segments))
    .bind(bill.map(|bill| bill.encoding.key()))
    .bind(bill.map(|_| now))
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(inserted) = &inserted {
        for user in &message.recipients {
            sqlx::query("INSERT INTO message_recipients (message_id, user_id) VALUES ($1, $2)")
                .bind(inserted.id)
                .bind(user.0)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(inserted)
}

/// The account's message of that id, locked until the transaction ends (see
/// [`lock_call`]).
pub async fn lock_message(
    conn: &mut AnyConnection,
    client: NodeId,
    external_id: &str,
) -> Result<Option<MessageState>, AppError> {
    Ok(sqlx::query_as(&format!(
        "UPDATE messages SET status = status WHERE client_id = $1 AND external_id = $2 \
         RETURNING {MESSAGE_STATE}"
    ))
    .bind(client.0)
    .bind(external_id)
    .fetch_optional(conn)
    .await?)
}

/// Moves message `id` to `status` (billed, if `bill` says so).
pub async fn move_message(
    conn: &mut AnyConnection,
    id: i64,
    status: MessageStatus,
    sequence: Option<i64>,
    bill: Option<SmsBill>,
    now: i64,
) -> Result<MessageState, AppError> {
    Ok(sqlx::query_as(&format!(
        "UPDATE messages SET status = $2, sequence = COALESCE($3, sequence), updated_at = $4, \
         segments = COALESCE($5, segments), encoding = COALESCE($6, encoding), \
         sms_units = COALESCE($5, sms_units), billed_at = COALESCE($7, billed_at) \
         WHERE id = $1 RETURNING {MESSAGE_STATE}"
    ))
    .bind(id)
    .bind(status.key())
    .bind(sequence)
    .bind(now)
    .bind(bill.map(|bill| bill.segments))
    .bind(bill.map(|bill| bill.encoding.key()))
    .bind(bill.map(|_| now))
    .fetch_one(conn)
    .await?)
}

/// Files message `id` as acknowledged at `at` (by `by`, a person, or by the platform),
/// unless it was already; whether it was not.
pub async fn acknowledge(
    conn: &mut AnyConnection,
    id: i64,
    by: Option<UserId>,
    at: i64,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE messages SET acknowledged_at = $2, acknowledged_by = $3 \
         WHERE id = $1 AND acknowledged_at IS NULL",
    )
    .bind(id)
    .bind(at)
    .bind(by.map(|user| user.0))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One event of a message as it came.
pub struct NewEvent<'a> {
    pub message: i64,
    pub kind: &'a str,
    pub at: i64,
    pub channel: &'a str,
    pub target: &'a str,
    pub detail: &'a str,
    pub sequence: Option<i64>,
    pub applied: bool,
}

pub async fn insert_message_event(
    conn: &mut AnyConnection,
    event: NewEvent<'_>,
    now: i64,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO message_events (message_id, kind, at, channel, target, detail, sequence, \
         applied, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(event.message)
    .bind(event.kind)
    .bind(event.at)
    .bind(event.channel)
    .bind(event.target)
    .bind(event.detail)
    .bind(event.sequence)
    .bind(i64::from(event.applied))
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// The user of that email address who belongs to the account, if there is one.
pub async fn account_user<'e>(
    db: impl Executor<'e, Database = Any>,
    client: NodeId,
    email: &str,
) -> Result<Option<UserId>, AppError> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id \
         WHERE m.node_id = $1 AND u.email_normalized = $2",
    )
    .bind(client.0)
    .bind(email)
    .fetch_optional(db)
    .await?;
    Ok(id.map(UserId))
}

/// A message as the inbox lists it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListedMessage {
    pub id: i64,
    pub channel: super::Channel,
    pub priority: super::Priority,
    pub caller_name: String,
    pub callback_number: String,
    pub body: String,
    pub received_at: i64,
    pub acknowledged_at: Option<i64>,
    pub read_at: Option<i64>,
    pub recording_key: Option<String>,
}

/// What a person's inbox query selects from, for the lists, counts and the newest id
/// alike: the account's messages in their scope, narrowed by the query's filters.
/// Returns the builder with its WHERE clause open, for more conditions.
fn in_view(select: &str, view: &InboxFilter<'_>) -> SqlBuilder {
    let mut sql = SqlBuilder::new("");
    let reader = sql.bind(Param::Int(view.reader.0));
    let account = sql.bind(Param::Int(view.account.0));
    sql.push(&format!(
        "SELECT {select} FROM messages m \
         LEFT JOIN message_reads r ON r.message_id = m.id AND r.user_id = {reader} \
         LEFT JOIN calls c ON c.client_id = m.client_id AND c.external_id = m.call_external_id \
         WHERE m.client_id = {account}"
    ));
    let channels: Vec<String> = view
        .scope
        .channels()
        .into_iter()
        .filter(|channel| view.query.channel.is_none_or(|chosen| chosen == *channel))
        .map(|channel| sql.bind(Param::Text(channel.key().into())))
        .collect();
    match channels.is_empty() {
        true => sql.push(" AND 1 = 0"),
        false => sql.push(&format!(" AND m.channel IN ({})", channels.join(", "))),
    };
    let addressed_to = match (view.scope.only_for, view.query.mine) {
        (Some(person), _) => Some(person),
        (None, true) => Some(view.reader),
        (None, false) => None,
    };
    if let Some(person) = addressed_to {
        let person = sql.bind(Param::Int(person.0));
        sql.push(&format!(
            " AND EXISTS (SELECT 1 FROM message_recipients mr \
             WHERE mr.message_id = m.id AND mr.user_id = {person})"
        ));
    }
    if view.query.unread {
        sql.push(" AND r.user_id IS NULL");
    }
    if view.query.urgent {
        sql.push(" AND m.priority = 'urgent'");
    }
    if let Some(from) = view.from {
        let from = sql.bind(Param::Int(from));
        sql.push(&format!(" AND m.received_at >= {from}"));
    }
    if let Some(until) = view.until {
        let until = sql.bind(Param::Int(until));
        sql.push(&format!(" AND m.received_at < {until}"));
    }
    if !view.query.search.is_empty() {
        let pattern = format!("%{}%", like_escaped(&view.query.search.to_lowercase()));
        let pattern = sql.bind(Param::Text(pattern));
        sql.push(&format!(
            " AND (LOWER(m.body) LIKE {pattern} ESCAPE '\\' \
             OR LOWER(m.caller_name) LIKE {pattern} ESCAPE '\\' \
             OR m.callback_number LIKE {pattern} ESCAPE '\\')"
        ));
    }
    sql
}

/// Whose inbox, of which account, seen how, filtered how.
pub struct InboxFilter<'a> {
    pub account: NodeId,
    pub reader: UserId,
    pub scope: super::InboxScope,
    pub query: &'a super::InboxQuery,
    /// The query's days as times: from the start of `from`, until the end of `to`.
    pub from: Option<i64>,
    pub until: Option<i64>,
}

fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

const LISTED: &str = "m.id, m.channel, m.priority, m.caller_name, m.callback_number, m.body, \
     m.received_at, m.acknowledged_at, r.read_at, c.recording_key";

/// One page of the inbox, newest first, after the cursor's row if there is one.
pub async fn inbox_rows(
    db: &Db,
    view: &InboxFilter<'_>,
    after: Option<(i64, i64)>,
    limit: usize,
) -> Result<Vec<ListedMessage>, AppError> {
    let mut sql = in_view(LISTED, view);
    if let Some((at, id)) = after {
        let at = sql.bind(Param::Int(at));
        let id = sql.bind(Param::Int(id));
        sql.push(&format!(
            " AND (m.received_at < {at} OR (m.received_at = {at} AND m.id < {id}))"
        ));
    }
    sql.push(&format!(
        " ORDER BY m.received_at DESC, m.id DESC LIMIT {limit}"
    ));
    let rows = sql.query().fetch_all(db.pool()).await?;
    rows.iter()
        .map(|row| ListedMessage::from_row(row).map_err(AppError::from))
        .collect()
}

/// The newest message id in view (0 when there is none): what arrives later is new.
pub async fn newest_in_view(db: &Db, view: &InboxFilter<'_>) -> Result<i64, AppError> {
    let sql = in_view("CAST(COALESCE(MAX(m.id), 0) AS BIGINT)", view);
    Ok(sql.query().fetch_one(db.pool()).await?.try_get(0)?)
}

/// How many messages in view arrived after message `since`.
pub async fn newer_in_view(db: &Db, view: &InboxFilter<'_>, since: i64) -> Result<i64, AppError> {
    let mut sql = in_view("COUNT(*)", view);
    let since = sql.bind(Param::Int(since));
    sql.push(&format!(" AND m.id > {since}"));
    Ok(sql.query().fetch_one(db.pool()).await?.try_get(0)?)
}

/// How many messages in view match, without loading them.
pub async fn count_in_view(db: &Db, view: &InboxFilter<'_>, extra: &str) -> Result<i64, AppError> {
    let mut sql = in_view("COUNT(*)", view);
    sql.push(extra);
    Ok(sql.query().fetch_one(db.pool()).await?.try_get(0)?)
}

/// A message as its page needs it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MessageRecord {
    pub id: i64,
    pub client_id: NodeId,
    pub channel: super::Channel,
    pub direction: super::Direction,
    pub status: MessageStatus,
    pub priority: super::Priority,
    pub caller_name: String,
    pub callback_number: String,
    pub body: String,
    pub fields: String,
    pub call_external_id: Option<String>,
    pub taken_by: String,
    pub received_at: i64,
    pub segments: Option<i64>,
    pub encoding: Option<String>,
    pub sms_units: Option<i64>,
    pub billed_at: Option<i64>,
    pub acknowledged_at: Option<i64>,
    pub acknowledged_by_name: Option<String>,
}

/// The account message `id` belongs to, if it exists: what authorization is checked
/// against before anything else of it is read.
pub async fn account_of_message<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<NodeId>, AppError> {
    let account: Option<i64> = sqlx::query_scalar("SELECT client_id FROM messages WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(account.map(NodeId))
}

pub async fn message_record<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<MessageRecord>, AppError> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.client_id, m.channel, m.direction, m.status, m.priority, m.caller_name, \
         m.callback_number, m.body, m.fields, m.call_external_id, m.taken_by, m.received_at, \
         m.segments, m.encoding, m.sms_units, m.billed_at, m.acknowledged_at, \
         u.name AS acknowledged_by_name FROM messages m \
         LEFT JOIN users u ON u.id = m.acknowledged_by WHERE m.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?)
}

/// Whom a message is addressed to: ids and names.
pub async fn recipients_of<'e>(
    db: impl Executor<'e, Database = Any>,
    message: i64,
) -> Result<Vec<(UserId, String)>, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT u.id, u.name FROM message_recipients mr JOIN users u ON u.id = mr.user_id \
         WHERE mr.message_id = $1 ORDER BY u.name",
    )
    .bind(message)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| (UserId(id), name))
        .collect())
}

/// A call as a message's page shows it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CallRecord {
    pub id: i64,
    pub status: CallStatus,
    pub from_number: String,
    pub to_number: String,
    pub started_at: i64,
    pub duration_seconds: Option<i64>,
    pub voice_units: Option<i64>,
    pub billable_seconds: Option<i64>,
    pub voice_rule: Option<String>,
    pub billed_at: Option<i64>,
    pub recording_key: Option<String>,
    pub recording_type: Option<String>,
}

pub async fn call_by_external_id<'e>(
    db: impl Executor<'e, Database = Any>,
    account: NodeId,
    external_id: &str,
) -> Result<Option<CallRecord>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, status, from_number, to_number, started_at, duration_seconds, voice_units, \
         billable_seconds, voice_rule, billed_at, recording_key, recording_type FROM calls \
         WHERE client_id = $1 AND external_id = $2",
    )
    .bind(account.0)
    .bind(external_id)
    .fetch_optional(db)
    .await?)
}

/// What the platform reported about a message, as it came.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EventRecord {
    pub kind: String,
    pub at: i64,
    pub channel: String,
    pub target: String,
    pub detail: String,
    pub applied: i64,
}

pub async fn events_of<'e>(
    db: impl Executor<'e, Database = Any>,
    message: i64,
) -> Result<Vec<EventRecord>, AppError> {
    Ok(sqlx::query_as(
        "SELECT kind, at, channel, target, detail, applied FROM message_events \
         WHERE message_id = $1 ORDER BY at, id",
    )
    .bind(message)
    .fetch_all(db)
    .await?)
}

/// Marks message `id` read by `user`; false if they had read it.
pub async fn mark_read(
    conn: &mut AnyConnection,
    message: i64,
    user: UserId,
    now: i64,
) -> Result<bool, AppError> {
    let marked = sqlx::query(
        "INSERT INTO message_reads (message_id, user_id, read_at) VALUES ($1, $2, $3) \
         ON CONFLICT (message_id, user_id) DO NOTHING",
    )
    .bind(message)
    .bind(user.0)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(marked.rows_affected() == 1)
}

/// Keeps where call `id`'s recording is, what type and how large.
pub async fn set_recording(
    conn: &mut AnyConnection,
    id: i64,
    key: &str,
    content_type: &str,
    bytes: i64,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE calls SET recording_key = $2, recording_type = $3, recording_bytes = $4, \
         updated_at = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(key)
    .bind(content_type)
    .bind(bytes)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
