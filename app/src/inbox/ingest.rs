//! Calls, messages and message events as the platform sends them: each checked field
//! by field, then upserted by the platform's id. Statuses only move forward; every
//! update is kept as an event, applied or not; credits are debited once, when a call
//! first reaches a final status or a text first goes over the network.

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::repo::{self, CallState, MessageState, NewEvent, SmsBill, VoiceBill};
use super::{moves_forward, CallStatus, Channel, Direction, EventKind, MessageStatus, Priority};
use crate::clients::ledger::Balances;
use crate::clients::repo::{add_credit_entry, balances, ClientRecord, NewCreditEntry};
use crate::clients::service::voice_rule_of;
use crate::clients::{CreditKind, EntryType};
use crate::core::sms::{self, ledger_note, SmsEncoding};
use crate::core::validate::normalize_email;
use crate::core::UserId;
use crate::db::{now_ms, Db, Tx};
use crate::error::{AppError, FieldErrors};

pub const MAX_EXTERNAL_ID: usize = 128;
pub const MAX_NUMBER: usize = 40;
pub const MAX_NAME: usize = 120;
pub const MAX_TEXT: usize = 10_000;
pub const MAX_FIELDS: usize = 50;
pub const MAX_FIELD_LABEL: usize = 80;
pub const MAX_FIELD_VALUE: usize = 2_000;
pub const MAX_RECIPIENTS: usize = 50;
pub const MAX_DETAIL: usize = 2_000;
/// A day: no call lasts longer.
pub const MAX_DURATION_SECONDS: i64 = 86_400;
/// The most segments one text may have (what carriers concatenate at most).
pub const MAX_SEGMENTS: i64 = 255;

/// A call as the platform sends it; every field is checked in [`NewCall::from_body`].
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CallBody {
    /// The platform's id of the call (required): sending it again updates that call.
    #[schema(example = "CA9f1c3e")]
    pub external_id: Option<String>,
    /// `inbound` (the default) or `outbound`.
    pub direction: Option<String>,
    /// The caller's number (required).
    pub from: Option<String>,
    /// The number called (required).
    pub to: Option<String>,
    pub caller_name: Option<String>,
    /// Required: `ringing` < `in_progress` < `completed` / `missed` / `busy` /
    /// `failed` / `voicemail`. It only moves forward; the first final status stays.
    pub status: Option<String>,
    /// When the call began, RFC 3339 (required).
    #[schema(example = "2026-12-01T09:30:00Z")]
    pub started_at: Option<String>,
    pub answered_at: Option<String>,
    pub ended_at: Option<String>,
    /// Seconds talked; otherwise from `answered_at` and `ended_at`.
    pub duration_s: Option<i64>,
    /// The email address of the account's user the call was for.
    pub recipient: Option<String>,
    /// Orders updates of the same stage: a lower one than the last changes nothing.
    pub sequence: Option<i64>,
}

/// A call, checked.
#[derive(Clone, Debug)]
pub struct NewCall {
    pub external_id: String,
    pub direction: Direction,
    pub from: String,
    pub to: String,
    pub caller_name: String,
    pub status: CallStatus,
    pub started_at: i64,
    pub answered_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub duration_seconds: Option<i64>,
    pub recipient: Option<UserId>,
    pub sequence: Option<i64>,
}

/// One label and value of the operator's script.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CustomField {
    pub label: String,
    pub value: String,
}

/// A message as the platform sends it; every field is checked in
/// [`NewMessage::from_body`].
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct MessageBody {
    /// The platform's id of the message (required): sending it again updates it.
    #[schema(example = "MSG-1001")]
    pub external_id: Option<String>,
    /// `call` (taken by an operator on a call; the default), `sms` or `chat`.
    pub channel: Option<String>,
    /// `inbound` (the default) or `outbound`.
    pub direction: Option<String>,
    /// `received` (inbound's default), or for outbound texts `queued` (the
    /// default) < `sending` < `sent` < `delivered` / `undelivered` / `failed`.
    pub status: Option<String>,
    /// `urgent`, `normal` (the default), `low` or `spam`.
    pub priority: Option<String>,
    /// When it was taken or received, RFC 3339 (required).
    #[schema(example = "2026-12-01T09:30:00Z")]
    pub received_at: Option<String>,
    pub caller_name: Option<String>,
    pub callback_number: Option<String>,
    /// What the operator wrote, or the text itself (required).
    pub text: Option<String>,
    /// The script's custom fields, in order.
    #[serde(default)]
    pub fields: Vec<CustomField>,
    /// The call it was taken on, by the platform's id (it may arrive later).
    pub call_external_id: Option<String>,
    /// Who took it: the operator's name.
    pub taken_by: Option<String>,
    /// Email addresses of the account's users it is for.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// The platform's own count of a text's segments, which wins over ours.
    pub segments: Option<i64>,
    /// `GSM-7` or `UCS-2`, as the platform sent it.
    pub encoding: Option<String>,
    /// Orders status updates of the same stage.
    pub sequence: Option<i64>,
}

/// A message, checked.
#[derive(Clone, Debug)]
pub struct NewMessage {
    pub external_id: String,
    pub channel: Channel,
    pub direction: Direction,
    pub status: MessageStatus,
    pub priority: Priority,
    pub received_at: i64,
    pub caller_name: String,
    pub callback_number: String,
    pub text: String,
    pub fields: Vec<CustomField>,
    pub call_external_id: Option<String>,
    pub taken_by: String,
    pub recipients: Vec<UserId>,
    pub segments: Option<i64>,
    pub encoding: Option<SmsEncoding>,
    pub sequence: Option<i64>,
}

/// An event of a message as the platform sends it.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct EventBody {
    /// Required: `dispatched`, `delivered`, `failed`, `viewed`, `acknowledged` (files
    /// the message, once) or `escalated`.
    pub kind: Option<String>,
    /// When, RFC 3339; when it arrived if left out.
    pub at: Option<String>,
    /// How: email, sms, phone, pager…
    pub channel: Option<String>,
    /// To whom or where.
    pub target: Option<String>,
    pub detail: Option<String>,
}

/// Why a call or text cost what it did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "credit", rename_all = "snake_case")]
pub enum Charge {
    Voice {
        units: i64,
        duration_seconds: i64,
        billable_seconds: i64,
        rule: String,
    },
    Sms {
        units: i64,
        segments: i64,
        encoding: String,
    },
}

/// What an ingestion did: the record after it, and the account's balances.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Ingested {
    pub id: i64,
    pub external_id: String,
    pub status: String,
    /// Whether the record is new.
    pub created: bool,
    /// Whether the request changed the record (a stale or repeated update does not).
    pub applied: bool,
    /// What the record cost, once it is billed.
    pub charge: Option<Charge>,
    /// What this request debited (0 for every request but the one that billed it).
    pub credits_debited: i64,
    pub balances: Balances,
}

/// An event recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EventRecorded {
    pub id: i64,
    pub message_id: i64,
    pub kind: String,
    pub applied: bool,
    pub balances: Balances,
}

/// Checks one body's fields, gathering every problem at its field.
struct Checks(FieldErrors);

impl Checks {
    fn text(&mut self, field: &str, value: &Option<String>, max: usize) -> String {
        let value = value.as_deref().unwrap_or("").trim().to_string();
        self.0.limit(field, &value, max);
        value
    }

    fn required(&mut self, field: &str, value: &Option<String>, max: usize) -> String {
        let value = self.text(field, value, max);
        if value.is_empty() {
            self.0.add(field, format!("`{field}` is required."));
        }
        value
    }

    fn keyed<T: Copy>(
        &mut self,
        field: &str,
        value: &Option<String>,
        all: &[T],
        key: fn(T) -> &'static str,
        default: Option<T>,
    ) -> Option<T> {
        let found = match value.as_deref().map(str::trim) {
            None | Some("") => default,
            Some(given) => all.iter().copied().find(|value| key(*value) == given),
        };
        if found.is_none() {
            let keys: Vec<&str> = all.iter().map(|value| key(*value)).collect();
            self.0.add(
                field,
                format!("`{field}` must be one of: {}.", keys.join(", ")),
            );
        }
        found
    }

    fn instant(&mut self, field: &str, value: &Option<String>) -> Option<i64> {
        let text = value.as_deref()?.trim();
        match OffsetDateTime::parse(text, &Rfc3339) {
            Ok(at) => Some((at.unix_timestamp_nanos() / 1_000_000) as i64),
            Err(_) => {
                self.0.add(
                    field,
                    format!("`{field}` must be a time in RFC 3339, e.g. 2026-12-01T09:30:00Z."),
                );
                None
            }
        }
    }

    fn required_instant(&mut self, field: &str, value: &Option<String>) -> i64 {
        if value.as_deref().is_none_or(|text| text.trim().is_empty()) {
            self.0.add(field, format!("`{field}` is required."));
            return 0;
        }
        self.instant(field, value).unwrap_or(0)
    }

    fn number(
        &mut self,
        field: &str,
        value: Option<i64>,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        let value = value?;
        if !range.contains(&value) {
            let (from, to) = (range.start(), range.end());
            self.0
                .add(field, format!("`{field}` must be from {from} to {to}."));
        }
        Some(value)
    }
}

impl NewCall {
    /// The call in `body`, or every problem with it at its field. The recipient is
    /// looked up among the account's users by [`ingest_call`].
    pub fn from_body(body: &CallBody) -> Result<(NewCall, Option<String>), AppError> {
        let mut checks = Checks(FieldErrors::default());
        let call = NewCall {
            external_id: checks.required("external_id", &body.external_id, MAX_EXTERNAL_ID),
            direction: checks
                .keyed(
                    "direction",
                    &body.direction,
                    Direction::ALL,
                    Direction::key,
                    Some(Direction::Inbound),
                )
                .unwrap_or(Direction::Inbound),
            from: checks.required("from", &body.from, MAX_NUMBER),
            to: checks.required("to", &body.to, MAX_NUMBER),
            caller_name: checks.text("caller_name", &body.caller_name, MAX_NAME),
            status: checks
                .keyed(
                    "status",
                    &body.status,
                    CallStatus::ALL,
                    CallStatus::key,
                    None,
                )
                .unwrap_or(CallStatus::Ringing),
            started_at: checks.required_instant("started_at", &body.started_at),
            answered_at: checks.instant("answered_at", &body.answered_at),
            ended_at: checks.instant("ended_at", &body.ended_at),
            duration_seconds: checks.number(
                "duration_s",
                body.duration_s,
                0..=MAX_DURATION_SECONDS,
            ),
            recipient: None,
            sequence: checks.number("sequence", body.sequence, 0..=i64::MAX),
        };
        let recipient = checks.text("recipient", &body.recipient, MAX_NAME);
        checks.0.into_result()?;
        Ok((call, (!recipient.is_empty()).then_some(recipient)))
    }

    /// How long the call was talked: what the platform says, or from its times.
    fn talked_seconds(&self, stored: Option<i64>) -> i64 {
        if !self.status.connected() {
            return 0;
        }
        let from_times = match (self.answered_at, self.ended_at) {
            (Some(answered), Some(ended)) if ended > answered => {
                Some((ended - answered + 999) / 1000)
            }
            _ => None,
        };
        self.duration_seconds.or(stored).or(from_times).unwrap_or(0)
    }
}

impl NewMessage {
    /// The message in `body`, or every problem with it at its field; recipients are
    /// looked up among the account's users by [`ingest_message`].
    pub fn from_body(body: &MessageBody) -> Result<(NewMessage, Vec<String>), AppError> {
        let mut checks = Checks(FieldErrors::default());
        let direction = checks
            .keyed(
                "direction",
                &body.direction,
                Direction::ALL,
                Direction::key,
                Some(Direction::Inbound),
            )
            .unwrap_or(Direction::Inbound);
        let first_status = match direction {
            Direction::Inbound => MessageStatus::Received,
            Direction::Outbound => MessageStatus::Queued,
        };
        if body.fields.len() > MAX_FIELDS {
            checks
                .0
                .add("fields", format!("Send at most {MAX_FIELDS} fields."));
        }
        let fields = body
            .fields
            .iter()
            .take(MAX_FIELDS)
            .enumerate()
            .map(|(i, field)| CustomField {
                label: checks.required(
                    &format!("fields[{i}].label"),
                    &Some(field.label.clone()),
                    MAX_FIELD_LABEL,
                ),
                value: checks.text(
                    &format!("fields[{i}].value"),
                    &Some(field.value.clone()),
                    MAX_FIELD_VALUE,
                ),
            })
            .collect();
        if body.recipients.len() > MAX_RECIPIENTS {
            checks.0.add(
                "recipients",
                format!("Send at most {MAX_RECIPIENTS} recipients."),
            );
        }
        let call_external_id =
            checks.text("call_external_id", &body.call_external_id, MAX_EXTERNAL_ID);
        let message = NewMessage {
            external_id: checks.required("external_id", &body.external_id, MAX_EXTERNAL_ID),
            channel: checks
                .keyed(
                    "channel",
                    &body.channel,
                    Channel::ALL,
                    Channel::key,
                    Some(Channel::Call),
                )
                .unwrap_or(Channel::Call),
            direction,
            status: checks
                .keyed(
                    "status",
                    &body.status,
                    MessageStatus::ALL,
                    MessageStatus::key,
                    Some(first_status),
                )
                .unwrap_or(first_status),
            priority: checks
                .keyed(
                    "priority",
                    &body.priority,
                    Priority::ALL,
                    Priority::key,
                    Some(Priority::Normal),
                )
                .unwrap_or(Priority::Normal),
            received_at: checks.required_instant("received_at", &body.received_at),
            caller_name: checks.text("caller_name", &body.caller_name, MAX_NAME),
            callback_number: checks.text("callback_number", &body.callback_number, MAX_NUMBER),
            text: checks.required("text", &body.text, MAX_TEXT),
            fields,
            call_external_id: (!call_external_id.is_empty()).then_some(call_external_id),
            taken_by: checks.text("taken_by", &body.taken_by, MAX_NAME),
            recipients: Vec::new(),
            segments: checks.number("segments", body.segments, 1..=MAX_SEGMENTS),
            encoding: body.encoding.as_ref().and_then(|given| {
                let found = SmsEncoding::ALL.iter().copied().find(|encoding| {
                    encoding.key().eq_ignore_ascii_case(given.trim())
                        || encoding.label().eq_ignore_ascii_case(given.trim())
                });
                if found.is_none() {
                    checks
                        .0
                        .add("encoding", "`encoding` must be GSM-7 or UCS-2.");
                }
                found
            }),
            sequence: checks.number("sequence", body.sequence, 0..=i64::MAX),
        };
        let recipients = body
            .recipients
            .iter()
            .take(MAX_RECIPIENTS)
            .enumerate()
            .map(|(i, email)| {
                checks.required(&format!("recipients[{i}]"), &Some(email.clone()), MAX_NAME)
            })
            .collect();
        checks.0.into_result()?;
        Ok((message, recipients))
    }
}

/// The account's users of these email addresses; an address of nobody in the
/// account is refused at its place in `field`.
async fn account_users(
    db: &Db,
    client: &ClientRecord,
    field: &str,
    emails: &[String],
) -> Result<Vec<UserId>, AppError> {
    let mut errors = FieldErrors::default();
    let mut users = Vec::with_capacity(emails.len());
    for (i, email) in emails.iter().enumerate() {
        match repo::account_user(db.pool(), client.id, &normalize_email(email)).await? {
            Some(user) => users.push(user),
            None => errors.add(
                &format!("{field}[{i}]"),
                format!("No user of this account has the email address {email}."),
            ),
        }
    }
    errors.into_result()?;
    users.sort_by_key(|user| user.0);
    users.dedup();
    Ok(users)
}

/// Records a call or an update of one, and bills it at its first final status. What
/// can be read is read before the transaction begins, so that it holds SQLite's
/// writer turn (and, once it debits, the account's row) as briefly as it can.
pub async fn ingest_call(
    db: &Db,
    client: &ClientRecord,
    mut call: NewCall,
    recipient: Option<String>,
) -> Result<Ingested, AppError> {
    let now = now_ms();
    if let Some(email) = recipient {
        call.recipient = account_users(db, client, "recipient", &[email])
            .await
            // One address, named at its field rather than as `recipient[0]`; a fault
            // stays a fault.
            .map_err(|error| match error {
                AppError::Validation(_) => AppError::field(
                    "recipient",
                    "No user of this account has this email address.",
                ),
                other => other,
            })?
            .first()
            .copied();
    }
    let rule = match call.status.is_final() {
        true => Some(voice_rule_of(db.pool(), client).await?),
        false => None,
    };
    let bill_with = |stored_duration: Option<i64>| {
        rule.map(|rule| {
            let duration = call.talked_seconds(stored_duration);
            let charge = rule.charge(duration);
            VoiceBill {
                units: charge.units,
                billable_seconds: charge.billable_seconds,
                duration_seconds: duration,
                rule: rule.notation(),
            }
        })
    };
    let mut tx = db.begin().await?;
    let first_bill = bill_with(None);
    let inserted = repo::insert_call(&mut tx, client.id, &call, first_bill.as_ref(), now).await?;
    let (state, created, applied, bill) = match inserted {
        Some(state) => (state, true, true, first_bill),
        None => {
            let current = repo::lock_call(&mut tx, client.id, &call.external_id)
                .await?
                .ok_or(AppError::Internal)?;
            let forward = moves_forward(
                (current.status.rank(), current.sequence),
                (call.status.rank(), call.sequence),
                2,
            );
            if forward {
                let bill = match current.billed_at {
                    None => bill_with(current.duration_seconds),
                    Some(_) => None,
                };
                let state =
                    repo::update_call(&mut tx, current.id, &call, bill.as_ref(), now).await?;
                (state, false, true, bill)
            } else {
                (current, false, false, None)
            }
        }
    };
    repo::insert_call_event(&mut tx, state.id, call.status, call.sequence, applied, now).await?;
    let (debited, balances) = match bill {
        Some(bill) => {
            // A notation the same in every language, as the texts' notes.
            let note = format!(
                "{} · {} s · {}",
                call.external_id, bill.duration_seconds, bill.rule
            );
            let debit = Debit {
                credit: CreditKind::Voice,
                units: bill.units,
                note: &note,
            };
            (bill.units, debit.last(&mut tx, client).await?)
        }
        None => (0, balances(&mut *tx, client.id).await?),
    };
    tx.commit().await?;
    Ok(Ingested {
        id: state.id,
        external_id: call.external_id,
        status: state.status.key().to_string(),
        created,
        applied,
        charge: voice_charge(&state),
        credits_debited: debited,
        balances,
    })
}

fn voice_charge(state: &CallState) -> Option<Charge> {
    state.billed_at?;
    Some(Charge::Voice {
        units: state.voice_units.unwrap_or(0),
        duration_seconds: state.duration_seconds.unwrap_or(0),
        billable_seconds: state.billable_seconds.unwrap_or(0),
        rule: state.voice_rule.clone().unwrap_or_default(),
    })
}

/// Records a message or a status update of one, and bills a text the first time it
/// goes over the network.
pub async fn ingest_message(
    db: &Db,
    client: &ClientRecord,
    mut message: NewMessage,
    recipients: Vec<String>,
) -> Result<Ingested, AppError> {
    let now = now_ms();
    message.recipients = account_users(db, client, "recipients", &recipients).await?;
    let bill_of = |body: &str| {
        let counted = sms::count(body);
        // The platform's own count wins: it knows what the carrier was sent.
        SmsBill {
            segments: message.segments.unwrap_or(i64::from(counted.segments)),
            encoding: message.encoding.unwrap_or(counted.encoding),
        }
    };
    let bills = |channel: Channel| channel == Channel::Sms && message.status.carried();
    let mut tx = db.begin().await?;
    let first_bill = bills(message.channel).then(|| bill_of(&message.text));
    let inserted = repo::insert_message(&mut tx, client.id, &message, first_bill, now).await?;
    let (state, created, applied, bill) = match inserted {
        Some(state) => (state, true, true, first_bill),
        None => {
            let current = repo::lock_message(&mut tx, client.id, &message.external_id)
                .await?
                .ok_or(AppError::Internal)?;
            let forward = moves_forward(
                (current.status.rank(), current.sequence),
                (message.status.rank(), message.sequence),
                3,
            );
            let bill = (forward && bills(current.channel) && current.billed_at.is_none())
                .then(|| bill_of(&current.body));
            let state = match forward {
                true => {
                    let (status, sequence) = (message.status, message.sequence);
                    repo::move_message(&mut tx, current.id, status, sequence, bill, now).await?
                }
                false => current,
            };
            let event = NewEvent {
                message: state.id,
                kind: "status",
                at: now,
                channel: "",
                target: "",
                detail: message.status.key(),
                sequence: message.sequence,
                applied: forward,
            };
            repo::insert_message_event(&mut tx, event, now).await?;
            (state, false, forward, bill)
        }
    };
    let (debited, balances) = match bill {
        Some(bill) => {
            let note = ledger_note(&message.external_id, bill.segments, bill.encoding);
            let debit = Debit {
                credit: CreditKind::Sms,
                units: bill.segments,
                note: &note,
            };
            (bill.segments, debit.last(&mut tx, client).await?)
        }
        None => (0, balances(&mut *tx, client.id).await?),
    };
    tx.commit().await?;
    Ok(Ingested {
        id: state.id,
        external_id: message.external_id,
        status: state.status.key().to_string(),
        created,
        applied,
        charge: sms_charge(&state),
        credits_debited: debited,
        balances,
    })
}

/// What a call or text costs the account, debited as its transaction's last write.
struct Debit<'a> {
    credit: CreditKind,
    units: i64,
    note: &'a str,
}

impl Debit<'_> {
    /// Debits the account (nothing for a free call) and answers its balances after.
    /// Last, because the debit locks the account's row until the commit: concurrent
    /// ingestions for the account wait only for the end of this one.
    async fn last(self, tx: &mut Tx, client: &ClientRecord) -> Result<Balances, AppError> {
        if self.units == 0 {
            return balances(&mut **tx, client.id).await;
        }
        let entry = NewCreditEntry {
            client: client.id,
            credit: self.credit,
            entry_type: EntryType::Usage,
            amount: -self.units,
            note: self.note,
            actor: None,
        };
        add_credit_entry(tx, entry).await
    }
}

fn sms_charge(state: &MessageState) -> Option<Charge> {
    state.billed_at?;
    let encoding = state
        .encoding
        .as_deref()
        .and_then(SmsEncoding::from_key)
        .map_or("", |encoding| encoding.label());
    Some(Charge::Sms {
        units: state.sms_units.unwrap_or(0),
        segments: state.segments.unwrap_or(0),
        encoding: encoding.to_string(),
    })
}

/// Records an event of the account's message `external_id`. An acknowledgement files
/// the message, unless it was filed already; every event is kept.
pub async fn record_event(
    db: &Db,
    client: &ClientRecord,
    external_id: &str,
    body: &EventBody,
) -> Result<EventRecorded, AppError> {
    let mut checks = Checks(FieldErrors::default());
    let kind = checks.keyed("kind", &body.kind, EventKind::ALL, EventKind::key, None);
    let at = checks.instant("at", &body.at);
    let channel = checks.text("channel", &body.channel, MAX_NAME);
    let target = checks.text("target", &body.target, MAX_NAME);
    let detail = checks.text("detail", &body.detail, MAX_DETAIL);
    checks.0.into_result()?;
    let kind = kind.ok_or(AppError::Internal)?;
    let now = now_ms();
    let at = at.unwrap_or(now);
    let mut tx = db.begin().await?;
    let message = repo::lock_message(&mut tx, client.id, external_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let applied = match kind {
        EventKind::Acknowledged => repo::acknowledge(&mut tx, message.id, None, at).await?,
        _ => true,
    };
    let event = NewEvent {
        message: message.id,
        kind: kind.key(),
        at,
        channel: &channel,
        target: &target,
        detail: &detail,
        sequence: None,
        applied,
    };
    let id = repo::insert_message_event(&mut tx, event, now).await?;
    let balances = balances(&mut *tx, client.id).await?;
    tx.commit().await?;
    Ok(EventRecorded {
        id,
        message_id: message.id,
        kind: kind.key().to_string(),
        applied,
        balances,
    })
}
