//! An account's inbox as one person sees it: who may read what (in the queries, by
//! [`InboxScope`]), per-person read state, acknowledging, and each message's history.
//! Reading in an impersonation never marks anything read for the client; it is
//! recorded as viewed by support instead.

use serde_json::json;

use super::repo::{self, EventRecord, InboxFilter, ListedMessage, MessageRecord};
use super::{
    cursor_of, parse_cursor, suggested_task, Channel, InboxQuery, InboxRow, InboxScope,
    InboxSummary, InboxView, LinkedCall, MessageView, INBOX_PAGE, MAX_REPLY,
};
use crate::audit_trail::{record_events, record_key, RecordEvent};
use crate::auth::authorized::Authorized;
use crate::auth::caller::Caller;
use crate::auth::repo::{node_kind, node_name};
use crate::clients::repo::{add_credit_entry, balances, NewCreditEntry};
use crate::clients::{CreditKind, EntryType};
use crate::components::trail::TrailStep;
use crate::core::roles::Permission;
use crate::core::sms::{self, ledger_note};
use crate::core::time::{day_start, short_time, timestamp};
use crate::core::{NodeId, NodeKind};
use crate::db::now_ms;
use crate::error::AppError;
use crate::mail::outbox::enqueue;
use crate::mail::sms::Sms;
use crate::tr;

const DAY_MS: i64 = 86_400_000;
const FIRST_LINE: usize = 120;
/// The most events of people a message's history shows: its latest.
const MESSAGE_TRAIL: i64 = 200;

/// An account the caller reads the inbox of, and how much of it they see.
pub(super) struct InboxAccess<'a> {
    account: NodeId,
    scope: InboxScope,
    pub(super) authorized: Authorized<'a>,
}

/// The caller's view of `account`'s inbox (their own account's when none is named).
/// An account they hold nothing at is not found; one they hold no reading role at
/// is refused.
async fn inbox_access(
    caller: &Caller,
    account: Option<NodeId>,
) -> Result<InboxAccess<'_>, AppError> {
    let account = account
        .or(caller.actor.account())
        .ok_or(AppError::NotFound)?;
    let authorized = caller.actor.at(caller.db(), account).await?;
    if node_kind(caller.db().pool(), account).await? != Some(NodeKind::Client) {
        return Err(AppError::NotFound);
    }
    let scope = InboxScope::of(authorized.permissions(), caller.actor.user().id)
        .ok_or_else(|| AppError::forbidden(tr!(inbox.errors.no_reading)))?;
    Ok(InboxAccess {
        account,
        scope,
        authorized,
    })
}

fn filter<'q>(caller: &Caller, access: &InboxAccess<'_>, query: &'q InboxQuery) -> InboxFilter<'q> {
    InboxFilter {
        account: access.account,
        reader: caller.actor.user().id,
        scope: access.scope,
        query,
        from: day_start(&query.from),
        until: day_start(&query.to).map(|start| start + DAY_MS),
    }
}

pub async fn inbox(caller: &Caller, query: &InboxQuery) -> Result<InboxView, AppError> {
    let access = inbox_access(caller, query.account).await?;
    let view = filter(caller, &access, query);
    let after = query.after.as_deref().and_then(parse_cursor);
    let mut rows = repo::inbox_rows(caller.db(), &view, after, INBOX_PAGE + 1).await?;
    let more = rows.len() > INBOX_PAGE;
    rows.truncate(INBOX_PAGE);
    let next = match (more, rows.last()) {
        (true, Some(last)) => Some(InboxQuery {
            after: Some(cursor_of(last.received_at, last.id)),
            ..query.clone()
        }),
        _ => None,
    };
    let newest = repo::newest_in_view(caller.db(), &view).await?;
    let now = now_ms();
    Ok(InboxView {
        account: access.account,
        account_name: node_name(caller.db().pool(), access.account)
            .await?
            .unwrap_or_default(),
        rows: rows.into_iter().map(|row| inbox_row(row, now)).collect(),
        next,
        newest,
        channels: access.scope.channels(),
        can_filter_mine: access.scope.only_for.is_none(),
    })
}

fn inbox_row(row: ListedMessage, now: i64) -> InboxRow {
    let first_line: String = row
        .body
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(FIRST_LINE)
        .collect();
    InboxRow {
        id: row.id,
        channel: row.channel,
        priority: row.priority,
        caller_name: row.caller_name,
        callback_number: row.callback_number,
        first_line,
        received: short_time(row.received_at, now),
        unread: row.read_at.is_none(),
        acknowledged: row.acknowledged_at.is_some(),
        has_recording: row.recording_key.is_some(),
    }
}

/// How many messages in view of `query` arrived after message `since`: what the
/// inbox's "new" pill counts, from whichever process took them in.
pub async fn newer(caller: &Caller, query: &InboxQuery, since: i64) -> Result<i64, AppError> {
    let access = inbox_access(caller, query.account).await?;
    repo::newer_in_view(caller.db(), &filter(caller, &access, query), since).await
}

/// The caller's own account's unread and urgent counts and latest messages, when
/// they read one's inbox.
pub async fn summary(caller: &Caller) -> Result<Option<InboxSummary>, AppError> {
    if caller.actor.account().is_none() {
        return Ok(None);
    }
    let access = match inbox_access(caller, None).await {
        Ok(access) => access,
        Err(AppError::Forbidden(_)) => return Ok(None),
        Err(other) => return Err(other),
    };
    let everything = InboxQuery::default();
    let view = filter(caller, &access, &everything);
    let unread = repo::count_in_view(caller.db(), &view, " AND r.user_id IS NULL").await?;
    let urgent = repo::count_in_view(
        caller.db(),
        &view,
        " AND m.priority = 'urgent' AND m.acknowledged_at IS NULL",
    )
    .await?;
    let latest = repo::inbox_rows(caller.db(), &view, None, 5).await?;
    let balances = balances(caller.db().pool(), access.account).await?;
    let now = now_ms();
    Ok(Some(InboxSummary {
        account: access.account,
        unread,
        urgent,
        latest: latest.into_iter().map(|row| inbox_row(row, now)).collect(),
        balances,
    }))
}

/// Message `id` with the proof of the caller's access to it. A message they may not
/// see is not found, exactly like one that does not exist.
pub(super) async fn visible_message(
    caller: &Caller,
    id: i64,
) -> Result<
    (
        MessageRecord,
        Vec<(crate::core::UserId, String)>,
        InboxAccess<'_>,
    ),
    AppError,
> {
    let account = repo::account_of_message(caller.db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = match inbox_access(caller, Some(account)).await {
        Err(AppError::Forbidden(_)) => return Err(AppError::NotFound),
        other => other?,
    };
    let message = repo::message_record(caller.db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let recipients = repo::recipients_of(caller.db().pool(), id).await?;
    let ids: Vec<_> = recipients.iter().map(|(user, _)| *user).collect();
    if !access.scope.sees(message.channel, &ids) {
        return Err(AppError::NotFound);
    }
    Ok((message, recipients, access))
}

/// Message `id` as its page shows it. Opening it marks it read for the caller (and
/// records, the first time, that they opened it); in an impersonation it marks
/// nothing and records the view as support's.
pub async fn message(caller: &Caller, id: i64) -> Result<MessageView, AppError> {
    let (message, recipients, access) = visible_message(caller, id).await?;
    note_the_view(caller, &access, &message).await?;
    let pool = caller.db().pool();
    let call = match &message.call_external_id {
        Some(external_id) => {
            repo::call_by_external_id(pool, message.client_id, external_id).await?
        }
        None => None,
    };
    let records_calls = crate::clients::repo::features_of(pool, message.client_id)
        .await?
        .contains(&crate::core::Feature::CallRecording);
    let events = repo::events_of(pool, id).await?;
    let done = record_events(pool, &record_key("message", id), MESSAGE_TRAIL).await?;
    let fields: Vec<super::ingest::CustomField> =
        serde_json::from_str(&message.fields).unwrap_or_default();
    let can_acknowledge =
        message.acknowledged_at.is_none() && caller.actor.impersonation().is_none();
    let can_reply = replies_to(&access, &message).is_ok();
    let zone = match crate::clients::repo::client_record(pool, message.client_id).await? {
        Some(client) => crate::core::zone::zone(&client.company.time_zone),
        None => return Err(AppError::NotFound),
    };
    let arrived_uncovered = crate::oncall::service::uncovered_at(
        caller.db(),
        message.client_id,
        &zone,
        message.received_at,
    )
    .await?;
    let (tasks, editor) = crate::tasks::service::of_message(caller, message.client_id, id).await?;
    let new_task = editor.map(|editor| {
        let (title, notes) = suggested_task(
            &message.caller_name,
            &message.callback_number,
            &message.body,
        );
        let input = crate::tasks::TaskInput::blank(&editor, title, notes);
        (editor, input)
    });
    Ok(MessageView {
        arrived_uncovered,
        tasks,
        new_task,
        id,
        account: message.client_id,
        account_name: node_name(pool, message.client_id)
            .await?
            .unwrap_or_default(),
        trail: trail(&message, &events, &done),
        channel: message.channel,
        direction: message.direction,
        status: message.status,
        priority: message.priority,
        caller_name: message.caller_name.clone(),
        callback_number: message.callback_number.clone(),
        text: message.body.clone(),
        fields: fields
            .into_iter()
            .map(|field| (field.label, field.value))
            .collect(),
        taken_by: message.taken_by.clone(),
        received: timestamp(message.received_at),
        recipients: recipients.into_iter().map(|(_, name)| name).collect(),
        call: call.map(|call| LinkedCall {
            charge: call.billed_at.map(|_| {
                tr!(
                    inbox.call.charge,
                    count = call.voice_units.unwrap_or(0),
                    seconds = call.duration_seconds.unwrap_or(0),
                    billed = call.billable_seconds.unwrap_or(0),
                    rule = call.voice_rule.clone().unwrap_or_default()
                )
            }),
            recording: (call.recording_key.is_some() && records_calls)
                .then(|| crate::paths::message_recording(id)),
            status: call.status,
            from: call.from_number,
            to: call.to_number,
            started: timestamp(call.started_at),
            duration_seconds: call.duration_seconds,
        }),
        charge: message.billed_at.map(|_| {
            let encoding = message
                .encoding
                .as_deref()
                .and_then(crate::core::sms::SmsEncoding::from_key)
                .map_or("", |encoding| encoding.label());
            tr!(
                inbox.message.sms_charge,
                count = message.sms_units.unwrap_or(0),
                segments = tr!(
                    inbox.message.segments,
                    count = message.segments.unwrap_or(0)
                ),
                encoding = encoding
            )
        }),
        acknowledged: message.acknowledged_at.map(|at| {
            let by = message
                .acknowledged_by_name
                .clone()
                .unwrap_or_else(|| tr!(inbox.message.answering_service).into());
            format!("{by}, {}", timestamp(at))
        }),
        can_acknowledge,
        can_reply,
    })
}

/// Marks the message read for the caller and records their first opening; in an
/// impersonation marks nothing and records that support viewed it.
async fn note_the_view(
    caller: &Caller,
    access: &InboxAccess<'_>,
    message: &MessageRecord,
) -> Result<(), AppError> {
    let tx = access.authorized.begin(caller).await?;
    let mut tx = tx.about_record(record_key("message", message.id));
    if caller.actor.impersonation().is_some() {
        return tx.commit("message.viewed", json!({})).await;
    }
    if repo::mark_read(&mut tx, message.id, caller.actor.user().id, now_ms()).await? {
        tx.commit("message.opened", json!({})).await?;
    }
    Ok(())
}

/// Makes a task from message `id`, linked to it: whoever sees the message and may
/// make tasks at its account. The task's id.
pub async fn task_from_message(
    caller: &Caller,
    id: i64,
    task: &crate::tasks::TaskInput,
) -> Result<i64, AppError> {
    let (message, _, _) = visible_message(caller, id).await?;
    crate::tasks::service::add(caller, Some(message.client_id), task, Some(id)).await
}

/// Files message `id` as dealt with. Acknowledging again changes nothing; nobody
/// acknowledges for the client through an impersonation.
pub async fn acknowledge(caller: &Caller, id: i64) -> Result<(), AppError> {
    let (message, _, access) = visible_message(caller, id).await?;
    caller
        .actor
        .not_impersonating(crate::tr!(as_yourself.acknowledge))?;
    let tx = access.authorized.begin(caller).await?;
    let mut tx = tx.about_record(record_key("message", message.id));
    let user = caller.actor.user().id;
    if repo::acknowledge(&mut tx, message.id, Some(user), now_ms()).await? {
        tx.commit("message.acknowledged", json!({})).await?;
    }
    Ok(())
}

/// The number a reply to `message` goes to, if the caller may answer it: a text (not
/// a call's message or a chat), with a number to answer, and ReplyToMessages held.
fn replies_to(access: &InboxAccess<'_>, message: &MessageRecord) -> Result<String, AppError> {
    if !access
        .authorized
        .permissions()
        .contains(Permission::ReplyToMessages)
    {
        return Err(AppError::forbidden(tr!(inbox.errors.no_replying)));
    }
    if message.channel != Channel::Sms {
        return Err(AppError::forbidden(tr!(inbox.errors.only_texts)));
    }
    let digits: String = message
        .callback_number
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    if digits.len() < 7 {
        return Err(AppError::field("text", tr!(inbox.errors.no_number)));
    }
    Ok(format!("+{digits}"))
}

/// Answers text message `id` by text: the reply goes out through the SMS outbox, its
/// segments are debited from the account's SMS credits (never refused: what the
/// balance cannot pay is owed), and it is on the message's history.
pub async fn reply(caller: &Caller, id: i64, text: &str) -> Result<(), AppError> {
    let (message, _, access) = visible_message(caller, id).await?;
    let number = replies_to(&access, &message)?;
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::field("text", tr!(inbox.errors.empty_reply)));
    }
    if text.chars().count() > MAX_REPLY {
        return Err(AppError::field(
            "text",
            tr!(errors.at_most_characters, count = MAX_REPLY),
        ));
    }
    let counted = sms::count(text);
    let segments = i64::from(counted.segments);
    let account_name = node_name(caller.db().pool(), message.client_id)
        .await?
        .unwrap_or_default();
    let tx = access.authorized.begin(caller).await?;
    let mut tx = tx.about_record(record_key("message", id));
    let note = ledger_note(&format!("→ {number}"), segments, counted.encoding);
    add_credit_entry(
        &mut tx,
        NewCreditEntry {
            client: message.client_id,
            credit: CreditKind::Sms,
            entry_type: EntryType::Usage,
            amount: -segments,
            note: &note,
            actor: Some(caller.actor.acting().user),
        },
    )
    .await?;
    let sms = Sms {
        recipient: number.clone(),
        recipient_name: message.caller_name.clone(),
        sender_name: account_name,
        text: text.to_string(),
        purpose: "reply".into(),
    };
    enqueue(&mut **tx, sms).await?;
    let details = json!({ "after": {
        "to": number, "text": text, "segments": segments, "encoding": counted.encoding.label(),
    }});
    tx.commit("message.replied", details).await
}

/// The message's history, oldest first: taken, what the platform reported, and what
/// people did.
fn trail(message: &MessageRecord, events: &[EventRecord], done: &[RecordEvent]) -> Vec<TrailStep> {
    let taken = match (message.channel, message.taken_by.is_empty()) {
        (Channel::Call, false) => tr!(inbox.history.taken_by, name = &message.taken_by),
        (Channel::Call, true) => tr!(inbox.history.taken_by_service).to_string(),
        _ => tr!(inbox.history.received).to_string(),
    };
    let mut entries = vec![(message.received_at, taken)];
    for event in events {
        let what = match event.kind.as_str() {
            "status" => tr!(inbox.history.status, status = &event.detail),
            kind => super::EventKind::from_key(kind).map_or(kind.to_string(), |k| k.label().into()),
        };
        let channel = match event.channel.as_str() {
            "email" => tr!(inbox.history.channel_email),
            "sms" => tr!(inbox.history.channel_sms),
            other => other,
        };
        let target = &event.target;
        let mut what = match (channel.is_empty(), target.is_empty()) {
            (true, true) => what,
            (false, true) => tr!(inbox.history.event_by, event = what, channel = channel),
            (true, false) => tr!(inbox.history.event_to, event = what, target = target),
            (false, false) => tr!(
                inbox.history.event_by_to,
                event = what,
                channel = channel,
                target = target
            ),
        };
        if event.kind != "status" && !event.detail.is_empty() {
            what = tr!(
                inbox.history.event_detail,
                event = what,
                detail = &event.detail
            );
        }
        if event.applied == 0 {
            what = tr!(inbox.history.reported_again, event = what);
        }
        entries.push((event.at, what));
    }
    for step in done {
        let who = step
            .actor_name
            .clone()
            .unwrap_or_else(|| tr!(inbox.history.someone).into());
        let what = match step.action.as_str() {
            "message.viewed" => tr!(
                inbox.history.viewed,
                name = &who,
                account = step
                    .acted_as
                    .clone()
                    .unwrap_or_else(|| tr!(inbox.history.the_account).into())
            ),
            "message.opened" => tr!(inbox.history.opened, name = &who),
            "message.acknowledged" => tr!(inbox.acknowledged_by, name = &who),
            "message.recording_played" => tr!(inbox.history.recording_played, name = &who),
            "message.replied" => {
                let details: serde_json::Value =
                    serde_json::from_str(&step.details).unwrap_or_default();
                let text = details["after"]["text"].as_str().unwrap_or_default();
                tr!(inbox.history.replied, name = &who, text = text)
            }
            other => tr!(inbox.history.other, action = other, name = &who),
        };
        entries.push((step.occurred_at, what));
    }
    entries.sort_by_key(|(at, _)| *at);
    entries
        .into_iter()
        .map(|(at, what)| TrailStep {
            at: timestamp(at),
            what,
        })
        .collect()
}
