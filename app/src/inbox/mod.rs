//! What the answering service took for a client account: its calls and the messages
//! operators took, texts and chats, as the platform sends them in, and (for the
//! portal) read by the account's people.

pub mod api;
pub mod inbox_page;
#[cfg(feature = "ssr")]
pub mod ingest;
pub mod message_page;
#[cfg(feature = "ssr")]
pub mod recordings;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

use crate::clients::ledger::Balances;
use crate::components::trail::TrailStep;
use crate::core::roles::{Permission, PermissionSet};
use crate::core::url::encode_query_value;
use crate::core::{NodeId, UserId};
use crate::keyed_enum;
use crate::tr;

keyed_enum! {
    pub enum Direction {
        Inbound = ("inbound", labels.direction.inbound),
        Outbound = ("outbound", labels.direction.outbound),
    }
}

keyed_enum! {
    /// Where a call stands. It only moves forward (see [`CallStatus::rank`]).
    pub enum CallStatus {
        Ringing = ("ringing", labels.call_status.ringing),
        InProgress = ("in_progress", labels.call_status.in_progress),
        Completed = ("completed", labels.call_status.completed),
        Missed = ("missed", labels.call_status.missed),
        Busy = ("busy", labels.call_status.busy),
        Failed = ("failed", labels.call_status.failed),
        Voicemail = ("voicemail", labels.call_status.voicemail),
    }
}

impl CallStatus {
    /// Later stages rank higher; every final status ranks the same, so the first
    /// final one stays.
    pub fn rank(self) -> u8 {
        match self {
            CallStatus::Ringing => 0,
            CallStatus::InProgress => 1,
            _ => 2,
        }
    }

    pub fn is_final(self) -> bool {
        self.rank() == 2
    }

    /// Whether the call's time was talked (and so billed): a missed, busy or failed
    /// call was never connected.
    pub fn connected(self) -> bool {
        matches!(self, CallStatus::Completed | CallStatus::Voicemail)
    }
}

keyed_enum! {
    /// How a message reached the account: taken by an operator on a call, or a text
    /// or chat message.
    pub enum Channel {
        Call = ("call", labels.channel.call),
        Sms = ("sms", labels.channel.sms),
        Chat = ("chat", labels.channel.chat),
    }
}

keyed_enum! {
    /// Where a message stands. It only moves forward (see [`MessageStatus::rank`]).
    pub enum MessageStatus {
        Received = ("received", labels.message_status.received),
        Queued = ("queued", labels.message_status.queued),
        Sending = ("sending", labels.message_status.sending),
        Sent = ("sent", labels.message_status.sent),
        Delivered = ("delivered", labels.message_status.delivered),
        Undelivered = ("undelivered", labels.message_status.undelivered),
        Failed = ("failed", labels.message_status.failed),
    }
}

impl MessageStatus {
    pub fn rank(self) -> u8 {
        match self {
            MessageStatus::Queued => 0,
            MessageStatus::Sending => 1,
            MessageStatus::Sent => 2,
            _ => 3,
        }
    }

    pub fn is_final(self) -> bool {
        self.rank() == 3
    }

    /// Whether the text went over the network (and so is billed): received, or sent
    /// whatever became of it after. A text that failed before sending cost nothing.
    pub fn carried(self) -> bool {
        !matches!(
            self,
            MessageStatus::Queued | MessageStatus::Sending | MessageStatus::Failed
        )
    }
}

keyed_enum! {
    pub enum Priority {
        Urgent = ("urgent", labels.priority.urgent),
        Normal = ("normal", labels.priority.normal),
        Low = ("low", labels.priority.low),
        Spam = ("spam", labels.priority.spam),
    }
}

keyed_enum! {
    /// What happened to a message after it was taken, as the platform reports it.
    pub enum EventKind {
        Dispatched = ("dispatched", labels.event_kind.dispatched),
        Delivered = ("delivered", labels.event_kind.delivered),
        Failed = ("failed", labels.event_kind.failed),
        Viewed = ("viewed", labels.event_kind.viewed),
        Acknowledged = ("acknowledged", labels.event_kind.acknowledged),
        Escalated = ("escalated", labels.event_kind.escalated),
    }
}

/// What one person may see of an account's inbox, from what they hold there: calls
/// (the messages operators took on them) with ViewAccountCalls, texts and chat with
/// ViewAccountMessages; with neither, a Client User's own (ViewOwnActivity) sees only
/// what is addressed to them, of any channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxScope {
    pub calls: bool,
    pub texts: bool,
    /// Only what is addressed to this person.
    pub only_for: Option<UserId>,
}

impl InboxScope {
    pub fn of(held: PermissionSet, person: UserId) -> Option<InboxScope> {
        let calls = held.contains(Permission::ViewAccountCalls);
        let texts = held.contains(Permission::ViewAccountMessages);
        if calls || texts {
            Some(InboxScope {
                calls,
                texts,
                only_for: None,
            })
        } else if held.contains(Permission::ViewOwnActivity) {
            Some(InboxScope {
                calls: true,
                texts: true,
                only_for: Some(person),
            })
        } else {
            None
        }
    }

    /// The channels in view, in the order filters list them.
    pub fn channels(&self) -> Vec<Channel> {
        Channel::ALL
            .iter()
            .copied()
            .filter(|channel| self.sees_channel(*channel))
            .collect()
    }

    pub fn sees_channel(&self, channel: Channel) -> bool {
        match channel {
            Channel::Call => self.calls,
            Channel::Sms | Channel::Chat => self.texts,
        }
    }

    /// Whether a message of `channel` addressed to `recipients` is in view.
    pub fn sees(&self, channel: Channel, recipients: &[UserId]) -> bool {
        self.sees_channel(channel)
            && self
                .only_for
                .is_none_or(|person| recipients.contains(&person))
    }
}

/// How many rows an inbox page shows.
pub const INBOX_PAGE: usize = 25;
pub const MAX_SEARCH: usize = 100;

/// What the inbox shows, as its URL says: the account, filters and the page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxQuery {
    /// The account, when the viewer is not of one (partner staff).
    pub account: Option<NodeId>,
    pub unread: bool,
    pub urgent: bool,
    /// Only what is addressed to the viewer.
    pub mine: bool,
    pub channel: Option<Channel>,
    /// Received on or after this day (YYYY-MM-DD, UTC).
    pub from: String,
    /// Received on or before this day.
    pub to: String,
    pub search: String,
    /// The page after this row (`received_at.id` of the last row shown).
    pub after: Option<String>,
}

impl InboxQuery {
    /// Reads the query from URL parameters; values that make no sense are ignored.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |key: &str| {
            get(key)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let day = |key: &str| text(key).filter(|v| is_day(v)).unwrap_or_default();
        Self {
            account: text("account").and_then(|v| v.parse().ok()).map(NodeId),
            unread: text("unread").is_some_and(|v| v == "1"),
            urgent: text("urgent").is_some_and(|v| v == "1"),
            mine: text("mine").is_some_and(|v| v == "1"),
            channel: text("channel").and_then(|v| Channel::from_key(&v)),
            from: day("from"),
            to: day("to"),
            search: text("q")
                .map(|q| q.chars().take(MAX_SEARCH).collect())
                .unwrap_or_default(),
            after: text("after").filter(|v| parse_cursor(v).is_some()),
        }
    }

    /// The URL query string (without `?`) that reads back as this query.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(account) = self.account {
            pairs.push(("account", account.0.to_string()));
        }
        for (key, on) in [
            ("unread", self.unread),
            ("urgent", self.urgent),
            ("mine", self.mine),
        ] {
            if on {
                pairs.push((key, "1".into()));
            }
        }
        if let Some(channel) = self.channel {
            pairs.push(("channel", channel.key().into()));
        }
        for (key, value) in [("from", &self.from), ("to", &self.to), ("q", &self.search)] {
            if !value.is_empty() {
                pairs.push((key, value.clone()));
            }
        }
        if let Some(after) = &self.after {
            pairs.push(("after", after.clone()));
        }
        pairs
            .iter()
            .map(|(key, value)| format!("{key}={}", encode_query_value(value)))
            .collect::<Vec<_>>()
            .join("&")
    }

    pub fn href(&self) -> String {
        crate::paths::with_query(crate::paths::INBOX, &self.to_query_string())
    }

    pub fn first_page(&self) -> Self {
        Self {
            after: None,
            ..self.clone()
        }
    }

    pub fn is_filtered(&self) -> bool {
        self.unread
            || self.urgent
            || self.mine
            || self.channel.is_some()
            || !self.from.is_empty()
            || !self.to.is_empty()
            || !self.search.is_empty()
    }
}

fn is_day(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, byte)| match i {
            4 | 7 => *byte == b'-',
            _ => byte.is_ascii_digit(),
        })
}

/// The (received_at, id) of a row, as `after` carries it.
pub fn cursor_of(received_at: i64, id: i64) -> String {
    format!("{received_at}.{id}")
}

pub fn parse_cursor(cursor: &str) -> Option<(i64, i64)> {
    let (at, id) = cursor.split_once('.')?;
    Some((at.parse().ok()?, id.parse().ok()?))
}

/// One row of the inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxRow {
    pub id: i64,
    pub channel: Channel,
    pub priority: Priority,
    pub caller_name: String,
    pub callback_number: String,
    /// The text's first line, shortened.
    pub first_line: String,
    /// When it was received, as people read it.
    pub received: String,
    pub unread: bool,
    pub acknowledged: bool,
    pub has_recording: bool,
}

/// An account's inbox, one page of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxView {
    pub account: NodeId,
    pub account_name: String,
    pub rows: Vec<InboxRow>,
    /// The next page, if there is one.
    pub next: Option<InboxQuery>,
    /// The newest message id in view when the page was read: what arrives after it
    /// is new.
    pub newest: i64,
    pub channels: Vec<Channel>,
    /// Whether a "mine" filter means anything (the viewer sees more than theirs).
    pub can_filter_mine: bool,
}

/// How many unread and urgent messages a person has in an account, the latest, and
/// the account's balances: the top of a client's home page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxSummary {
    pub account: NodeId,
    pub unread: i64,
    /// Urgent and not acknowledged yet.
    pub urgent: i64,
    pub latest: Vec<InboxRow>,
    pub balances: Balances,
}

/// The call a message was taken on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedCall {
    pub status: CallStatus,
    pub from: String,
    pub to: String,
    pub started: String,
    pub duration_seconds: Option<i64>,
    /// Why it cost what it did, once billed ("2 units: 61 s at 60/60").
    pub charge: Option<String>,
    /// Where its recording plays from, where there is one the viewer may play.
    pub recording: Option<String>,
}

/// A message as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: i64,
    pub account: NodeId,
    pub account_name: String,
    pub channel: Channel,
    pub direction: Direction,
    pub status: MessageStatus,
    pub priority: Priority,
    pub caller_name: String,
    pub callback_number: String,
    pub text: String,
    pub fields: Vec<(String, String)>,
    pub taken_by: String,
    pub received: String,
    pub recipients: Vec<String>,
    pub call: Option<LinkedCall>,
    /// Why a text cost what it did, once billed ("2 SMS: 2 segments, GSM-7").
    pub charge: Option<String>,
    /// Who filed it, and when.
    pub acknowledged: Option<String>,
    pub can_acknowledge: bool,
    /// May answer it by text: a text with a number, and the caller holds
    /// ReplyToMessages at the account.
    pub can_reply: bool,
    pub trail: Vec<TrailStep>,
    /// It came while nobody was on call, though the account meant someone to be.
    pub arrived_uncovered: bool,
    /// The tasks made from it that the caller sees.
    pub tasks: Vec<crate::tasks::TaskRow>,
    /// The form for a task from it, filled in from it, when the caller may make one.
    pub new_task: Option<(crate::tasks::TaskEditor, crate::tasks::TaskInput)>,
}

/// A task from a message, as its form first suggests it: call the caller back when
/// there is a number, with what they said as the notes.
pub fn suggested_task(caller_name: &str, callback_number: &str, text: &str) -> (String, String) {
    let who = [caller_name, callback_number]
        .into_iter()
        .find(|text| !text.is_empty());
    let title = match (who, callback_number.is_empty()) {
        (Some(who), false) => tr!(inbox.task.call_back, name = who),
        (Some(who), true) => tr!(inbox.task.follow_up_with, name = who),
        (None, _) => tr!(inbox.task.follow_up).to_string(),
    };
    let notes = text.chars().take(crate::tasks::MAX_NOTES).collect();
    (title, notes)
}

/// The longest reply, in characters (ten segments of GSM-7 at most).
pub const MAX_REPLY: usize = 1_530;

/// Whether an update of a record at `current` (rank, sequence) to `incoming` moves it
/// forward: a later stage always does; the same stage only before the final one and
/// with a newer sequence number. Stale and repeated updates change nothing.
pub fn moves_forward(
    current: (u8, Option<i64>),
    incoming: (u8, Option<i64>),
    final_rank: u8,
) -> bool {
    let ((rank, sequence), (new_rank, new_sequence)) = (current, incoming);
    match new_rank.cmp(&rank) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => {
            rank < final_rank
                && matches!((sequence, new_sequence), (Some(old), Some(new)) if new > old)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_stage_moves_forward_and_an_earlier_one_does_not() {
        let ringing = (CallStatus::Ringing.rank(), None);
        let completed = (CallStatus::Completed.rank(), None);
        assert!(moves_forward(ringing, completed, 2));
        assert!(!moves_forward(completed, ringing, 2));
    }

    #[test]
    fn the_first_final_status_stays() {
        let completed = (CallStatus::Completed.rank(), Some(3));
        let failed = (CallStatus::Failed.rank(), Some(9));
        assert!(!moves_forward(completed, failed, 2));
    }

    #[test]
    fn the_same_stage_moves_only_with_a_newer_sequence() {
        let at = |sequence| (CallStatus::InProgress.rank(), sequence);
        assert!(moves_forward(at(Some(2)), at(Some(3)), 2));
        assert!(!moves_forward(at(Some(3)), at(Some(3)), 2));
        assert!(!moves_forward(at(Some(3)), at(Some(2)), 2));
        assert!(!moves_forward(at(None), at(None), 2));
    }

    #[test]
    fn only_texts_that_went_over_the_network_are_billed() {
        assert!(MessageStatus::Received.carried());
        assert!(MessageStatus::Sent.carried());
        assert!(MessageStatus::Undelivered.carried());
        assert!(!MessageStatus::Queued.carried());
        assert!(!MessageStatus::Failed.carried());
    }
}
