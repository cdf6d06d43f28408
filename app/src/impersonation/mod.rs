//! Impersonation: staff act in a client account as one of its users
//! ("Log in as Client") or as the partner ("Log in as Partner"), in a session of its
//! own, under a banner that says so and warns when someone else is active in the same
//! account; client accounts grant support access and see who came in.

pub mod access_page;
pub mod api;
pub mod banner;
#[cfg(feature = "ssr")]
pub mod history;
pub mod log_in_as_page;
pub mod support_card;
pub mod support_page;

#[cfg(feature = "ssr")]
pub mod presence;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod start_stop;
#[cfg(feature = "ssr")]
pub mod support;

use serde::{Deserialize, Serialize};

use crate::core::{ImpersonationId, Mode, NodeId, UserId};

/// How long an impersonation may last, in minutes: the choices offered at start.
pub const DURATION_CHOICES: [i64; 5] = [15, 30, 60, 120, 240];
pub const DEFAULT_DURATION_MINUTES: i64 = 30;
pub const MAX_REASON: usize = 500;

/// Someone seen recently in the same account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresentPerson {
    pub name: String,
    /// Their roles in the account ("Client Admin"), or what they do there through
    /// an impersonation ("Acting as Dana Front (impersonation)").
    pub role: String,
    pub seen_seconds_ago: i64,
    /// Through an impersonation rather than as themselves.
    pub impersonating: bool,
}

/// What the shell polls for while someone is in a client account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Presence {
    /// Impersonating: the others active in the account, and the time left.
    Impersonating {
        seconds_left: i64,
        others: Vec<PresentPerson>,
    },
    /// The impersonation this session belongs to has ended.
    Ended { reason: String },
    /// In one's own account: the support staff in it now.
    InOwnAccount { support: Vec<PresentPerson> },
}

/// The start form's choices for one account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogInAsOptions {
    pub account: NodeId,
    pub account_name: String,
    /// The users that may be acted as.
    pub targets: Vec<TargetChoice>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetChoice {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub roles: String,
}

/// How long support access may be granted for, in days.
pub const GRANT_DAYS: [i64; 4] = [1, 7, 30, 90];

/// One account that granted support access, as the support list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantedAccount {
    pub account: NodeId,
    pub name: String,
    pub partner: String,
    pub until: String,
    pub users: Vec<TargetChoice>,
}

/// One visit to a client account, as its access history shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub id: ImpersonationId,
    pub who: String,
    pub mode: Mode,
    pub acting_as: String,
    pub reason: String,
    pub started: String,
    /// "Stopped at 14:30 UTC", "Active now".
    pub ended: String,
    /// What they changed: "14:05 UTC client.operator_status_set".
    pub changes: Vec<VisitChange>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitChange {
    pub when: String,
    pub action: String,
    pub details: String,
}

/// A client account's access history: the visits, newest first, and the grants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessHistory {
    pub account_name: String,
    pub visits: Vec<Visit>,
}
