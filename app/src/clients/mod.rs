//! Client accounts: the directory, adding a client, the client page,
//! features and seats, the credit ledger and the SSO token.

pub mod api;
#[cfg(feature = "ssr")]
pub mod changes;
pub mod client_page;
pub mod directory;
pub mod directory_page;
#[cfg(feature = "ssr")]
pub mod directory_sql;
#[cfg(feature = "ssr")]
pub mod export;
pub mod form;
pub mod ledger;
pub mod new_client_page;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod voice_rule_card;

use serde::{Deserialize, Serialize};

use crate::core::{ClientStatus, Feature, NodeId, VerificationPolicy};
use crate::keyed_enum;
use crate::tenancy::MoveTarget;

keyed_enum! {
    /// The two kinds of communication credit, each with its own ledger.
    pub enum CreditKind {
        Sms = ("sms", labels.credit_kind.sms),
        Voice = ("voice", labels.credit_kind.voice),
    }
}

keyed_enum! {
    pub enum EntryType {
        Grant = ("grant", labels.entry_type.grant),
        TopUp = ("top_up", labels.entry_type.top_up),
        Usage = ("usage", labels.entry_type.usage),
    }
}

/// Below this many credits of either kind, an account counts as low on credit.
pub const LOW_CREDIT: i64 = 100;
pub const MAX_SEATS: i64 = 10_000;
pub const MAX_CREDIT_GRANT: i64 = 10_000_000;

/// Tags as typed: comma-separated, trimmed, folded to lower case, without repeats.
pub fn parse_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = text
        .split(',')
        .map(|tag| tag.trim().to_lowercase())
        .filter(|tag| !tag.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

/// Time zones offered for client accounts: where the platform's clients are.
pub const TIME_ZONES: &[&str] = &[
    "America/St_Johns",
    "America/Halifax",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Zurich",
    "Africa/Casablanca",
    "Asia/Dubai",
    "Asia/Singapore",
    "Australia/Sydney",
    "Pacific/Auckland",
    "UTC",
];

/// One row of the directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRow {
    pub id: NodeId,
    pub name: String,
    pub group_name: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub status: ClientStatus,
    pub tags: Vec<String>,
    pub sms_balance: i64,
    pub voice_balance: i64,
    pub created_at: i64,
}

/// One page of the directory, with the cursors of its neighbours.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryPage {
    pub rows: Vec<ClientRow>,
    pub next: Option<String>,
    pub previous: Option<String>,
    /// Where the directory looks: the chosen group's path, or the viewer's whole scope.
    pub scope: String,
    /// Whether the viewer may add client accounts somewhere.
    pub can_add: bool,
}

/// A company's details as entered on the add and edit forms.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CompanyInfo {
    pub name: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub time_zone: String,
}

/// The add-client form as posted: text as typed, checked on the server field by field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewClientForm {
    #[serde(flatten)]
    pub company: CompanyForm,
    pub group: String,
    /// Checkboxes named `features[]`: absent when none is checked.
    #[serde(default)]
    pub features: Vec<String>,
    pub seat_limit: String,
    #[serde(default)]
    pub sms_credits: String,
    #[serde(default)]
    pub voice_credits: String,
    pub password_choice: String,
}

/// The company details form of the client page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyForm {
    pub name: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    #[serde(default)]
    pub address: String,
    pub time_zone: String,
    #[serde(default)]
    pub tags: String,
}

/// What the add-client form offers the viewer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientFormOptions {
    pub groups: Vec<MoveTarget>,
    pub features: Vec<Feature>,
}

/// The one-time secret shown after adding a client: how its first user signs in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedClient {
    pub id: NodeId,
    pub admin_email: String,
    pub activation_link: Option<String>,
    pub temporary_password: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CreditEntry {
    pub id: i64,
    pub credit: CreditKind,
    pub entry_type: EntryType,
    /// How the entry moved the balance: for credits added, what the shortfall
    /// left of them.
    pub amount: i64,
    pub balance_after: i64,
    /// How it moved what is owed: up for unpaid usage, down for what it paid.
    pub shortfall_change: i64,
    pub shortfall_after: i64,
    pub note: String,
    pub actor_name: Option<String>,
    pub created_at: i64,
}

/// A client account as its page shows it, with what the viewer may do to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientView {
    pub id: NodeId,
    pub path: Vec<String>,
    pub group_id: NodeId,
    pub company: CompanyInfo,
    pub status: ClientStatus,
    pub tags: Vec<String>,
    pub features: Vec<Feature>,
    pub grantable_features: Vec<Feature>,
    pub seat_limit: i64,
    pub seats_used: i64,
    pub sms_balance: i64,
    pub voice_balance: i64,
    /// Usage the balances could not pay, paid first by the next grant or top-up.
    pub sms_shortfall: i64,
    pub voice_shortfall: i64,
    /// How calls are rounded into voice units here, and whether the rule is the
    /// account's own (otherwise it is the partner's).
    pub voice_rule: crate::core::voice::VoiceRule,
    pub voice_rule_is_own: bool,
    pub ledger: Vec<CreditEntry>,
    pub verification: VerificationPolicy,
    pub version: i64,
    pub created_at: i64,
    /// Company, status, features, credits, SSO token and group.
    pub can_manage: bool,
    /// Reads what operators are told about the account.
    pub reads_briefing: bool,
    /// Reads the account's inbox: its calls, or its texts and chat.
    pub can_read_inbox: bool,
    /// May see and manage the people of the account.
    pub can_manage_users: bool,
    /// May log in to the account as one of its users or as the partner.
    pub can_log_in_as: bool,
    /// May grant and revoke support access.
    pub can_grant_support: bool,
    /// "Granted by Cara Client until …", while the account grants support access.
    pub support_access: Option<String>,
    /// May see who came into the account by impersonation.
    pub can_view_access_history: bool,
    pub move_targets: Vec<MoveTarget>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::features_from_stored;
    use crate::core::features_to_stored;
    use crate::core::Feature;

    #[test]
    fn stored_features_keep_catalog_order_and_drop_unknown_keys() {
        assert_eq!(
            features_from_stored("sms,voice,teleport,sms"),
            vec![Feature::Voice, Feature::Sms]
        );
        assert_eq!(
            features_to_stored(&[Feature::Voice, Feature::CallTracking]),
            "voice,call_tracking"
        );
        assert!(features_from_stored("").is_empty());
    }

    #[test]
    fn tags_are_trimmed_folded_and_unique() {
        assert_eq!(parse_tags(" VIP, dental ,,vip"), vec!["dental", "vip"]);
        assert!(parse_tags(" , ").is_empty());
    }
}
