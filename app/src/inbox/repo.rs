//! Calls, messages and their events in the database. Writes run inside the ingesting
//! transaction; a record is locked before it is read for an update, so concurrent
//! updates of one call or message queue.

use sqlx::AnyConnection;

use super::ingest::{Balances, NewCall, NewMessage};
use super::{CallStatus, MessageStatus};
use crate::core::{NodeId, UserId};
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

/// Inserts the call unless the account has one of that id already; its id if it did.
pub async fn insert_call(
    conn: &mut AnyConnection,
    client: NodeId,
    call: &NewCall,
    now: i64,
) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO calls (client_id, external_id, direction, from_number, to_number, \
         caller_name, status, sequence, started_at, answered_at, ended_at, duration_seconds, \
         recipient_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) \
         ON CONFLICT (client_id, external_id) DO NOTHING RETURNING id",
    )
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
    .bind(call.duration_seconds)
    .bind(call.recipient.map(|user| user.0))
    .bind(now)
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

/// Moves call `id` to what the update says; what it leaves out stays as it was.
pub async fn update_call(
    conn: &mut AnyConnection,
    id: i64,
    call: &NewCall,
    now: i64,
) -> Result<CallState, AppError> {
    Ok(sqlx::query_as(&format!(
        "UPDATE calls SET status = $2, sequence = COALESCE($3, sequence), \
         answered_at = COALESCE($4, answered_at), ended_at = COALESCE($5, ended_at), \
         duration_seconds = COALESCE($6, duration_seconds), \
         caller_name = CASE WHEN $7 = '' THEN caller_name ELSE $7 END, \
         recipient_id = COALESCE($8, recipient_id), updated_at = $9 \
         WHERE id = $1 RETURNING {CALL_STATE}"
    ))
    .bind(id)
    .bind(call.status.key())
    .bind(call.sequence)
    .bind(call.answered_at)
    .bind(call.ended_at)
    .bind(call.duration_seconds)
    .bind(&call.caller_name)
    .bind(call.recipient.map(|user| user.0))
    .bind(now)
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

/// What a call cost and why, set once.
pub struct VoiceBill<'a> {
    pub units: i64,
    pub billable_seconds: i64,
    pub duration_seconds: i64,
    pub rule: &'a str,
}

pub async fn bill_call(
    conn: &mut AnyConnection,
    id: i64,
    bill: &VoiceBill<'_>,
    now: i64,
) -> Result<CallState, AppError> {
    Ok(sqlx::query_as(&format!(
        "UPDATE calls SET voice_units = $2, billable_seconds = $3, voice_rule = $4, \
         duration_seconds = $5, billed_at = $6 WHERE id = $1 RETURNING {CALL_STATE}"
    ))
    .bind(id)
    .bind(bill.units)
    .bind(bill.billable_seconds)
    .bind(bill.rule)
    .bind(bill.duration_seconds)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// Inserts the message unless the account has one of that id already; its id if it
/// did.
pub async fn insert_message(
    conn: &mut AnyConnection,
    client: NodeId,
    message: &NewMessage,
    now: i64,
) -> Result<Option<i64>, AppError> {
    let fields = serde_json::to_string(&message.fields).map_err(AppError::internal)?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO messages (client_id, external_id, channel, direction, status, sequence, \
         priority, caller_name, callback_number, body, fields, call_external_id, taken_by, \
         received_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) \
         ON CONFLICT (client_id, external_id) DO NOTHING RETURNING id",
    )
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
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = id {
        for user in &message.recipients {
            sqlx::query("INSERT INTO message_recipients (message_id, user_id) VALUES ($1, $2)")
                .bind(id)
                .bind(user.0)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(id)
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

pub async fn move_message(
    conn: &mut AnyConnection,
    id: i64,
    status: MessageStatus,
    sequence: Option<i64>,
    now: i64,
) -> Result<MessageState, AppError> {
    Ok(sqlx::query_as(&format!(
        "UPDATE messages SET status = $2, sequence = COALESCE($3, sequence), updated_at = $4 \
         WHERE id = $1 RETURNING {MESSAGE_STATE}"
    ))
    .bind(id)
    .bind(status.key())
    .bind(sequence)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// What a text cost and why, set once.
pub async fn bill_message(
    conn: &mut AnyConnection,
    id: i64,
    segments: i64,
    encoding: &str,
    now: i64,
) -> Result<MessageState, AppError> {
    Ok(sqlx::query_as(&format!(
        "UPDATE messages SET segments = $2, encoding = $3, sms_units = $2, billed_at = $4 \
         WHERE id = $1 RETURNING {MESSAGE_STATE}"
    ))
    .bind(id)
    .bind(segments)
    .bind(encoding)
    .bind(now)
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
pub async fn account_user(
    conn: &mut AnyConnection,
    client: NodeId,
    email: &str,
) -> Result<Option<UserId>, AppError> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id \
         WHERE m.node_id = $1 AND u.email_normalized = $2",
    )
    .bind(client.0)
    .bind(email)
    .fetch_optional(conn)
    .await?;
    Ok(id.map(UserId))
}

pub async fn balances(conn: &mut AnyConnection, client: NodeId) -> Result<Balances, AppError> {
    Ok(sqlx::query_as(
        "SELECT sms_balance AS sms, voice_balance AS voice, sms_shortfall, voice_shortfall \
         FROM clients WHERE node_id = $1",
    )
    .bind(client.0)
    .fetch_one(conn)
    .await?)
}
