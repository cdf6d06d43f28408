//! What the answering service took for a client account: its calls and the messages
//! operators took, texts and chats, as the platform sends them in, and (for the
//! portal) read by the account's people.

#[cfg(feature = "ssr")]
pub mod ingest;
#[cfg(feature = "ssr")]
pub mod repo;

use crate::keyed_enum;

keyed_enum! {
    pub enum Direction {
        Inbound = ("inbound", "Inbound"),
        Outbound = ("outbound", "Outbound"),
    }
}

keyed_enum! {
    /// Where a call stands. It only moves forward (see [`CallStatus::rank`]).
    pub enum CallStatus {
        Ringing = ("ringing", "Ringing"),
        InProgress = ("in_progress", "In progress"),
        Completed = ("completed", "Completed"),
        Missed = ("missed", "Missed"),
        Busy = ("busy", "Busy"),
        Failed = ("failed", "Failed"),
        Voicemail = ("voicemail", "Voicemail"),
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
        Call = ("call", "Call"),
        Sms = ("sms", "Text"),
        Chat = ("chat", "Chat"),
    }
}

keyed_enum! {
    /// Where a message stands. It only moves forward (see [`MessageStatus::rank`]).
    pub enum MessageStatus {
        Received = ("received", "Received"),
        Queued = ("queued", "Queued"),
        Sending = ("sending", "Sending"),
        Sent = ("sent", "Sent"),
        Delivered = ("delivered", "Delivered"),
        Undelivered = ("undelivered", "Undelivered"),
        Failed = ("failed", "Failed"),
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
        Urgent = ("urgent", "Urgent"),
        Normal = ("normal", "Normal"),
        Low = ("low", "Low"),
        Spam = ("spam", "Spam"),
    }
}

keyed_enum! {
    /// What happened to a message after it was taken, as the platform reports it.
    pub enum EventKind {
        Dispatched = ("dispatched", "Dispatched"),
        Delivered = ("delivered", "Delivered"),
        Failed = ("failed", "Failed"),
        Viewed = ("viewed", "Viewed"),
        Acknowledged = ("acknowledged", "Acknowledged"),
        Escalated = ("escalated", "Escalated"),
    }
}

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
