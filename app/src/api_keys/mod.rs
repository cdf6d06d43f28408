//! API keys: how the platform's systems reach an account's data. A key belongs to a
//! client account (its own traffic) or to a partner (any account below it, named in
//! each request). It is shown once, kept only as a keyed hash, limited to its scopes,
//! rotated with an overlap and revoked; every key event is on the record.

pub mod api;
pub mod keys_card;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod token;

use serde::{Deserialize, Serialize};

use crate::core::NodeId;
use crate::keyed_enum;

keyed_enum! {
    /// What a key may do.
    pub enum ApiScope {
        IngestCalls = ("ingest:calls", labels.api_scope.ingest_calls),
        IngestMessages = ("ingest:messages", labels.api_scope.ingest_messages),
        ReadOperatorView = ("read:operator-view", labels.api_scope.read_operator_view),
        ReadBalance = ("read:balance", labels.api_scope.read_balance),
    }
}

/// How long a rotated key keeps working beside the new one, with the words the
/// audit record keeps (the form words each choice in the reader's language).
pub const ROTATION_OVERLAPS: &[(&str, &str, i64)] = &[
    ("now", "Stop it now", 0),
    ("1h", "In 1 hour", 60 * 60 * 1000),
    ("24h", "In 24 hours", 24 * 60 * 60 * 1000),
    ("7d", "In 7 days", 7 * 24 * 60 * 60 * 1000),
];

/// The overlap a rotation gives unless told otherwise.
pub const DEFAULT_OVERLAP: &str = "24h";

/// Most keys one account or partner may have working at once.
pub const MAX_WORKING_KEYS: i64 = 20;
pub const MAX_KEY_NAME: usize = 80;

/// Whether a key works, as its list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyState {
    Working,
    /// Rotated: works until then (a time as people read it).
    Expiring(String),
    Expired,
    Revoked,
}

/// One key as its owner's page lists it: never its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyView {
    pub id: i64,
    pub key_id: String,
    pub name: String,
    pub scopes: Vec<ApiScope>,
    pub state: KeyState,
    pub created: String,
    pub created_by: Option<String>,
    pub last_used: Option<String>,
}

impl ApiKeyView {
    pub fn works(&self) -> bool {
        matches!(self.state, KeyState::Working | KeyState::Expiring(_))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeysView {
    pub owner: NodeId,
    /// A partner's keys name the account in each request; an account's do not.
    pub for_partner: bool,
    pub keys: Vec<ApiKeyView>,
}

/// A key just made: its whole text, shown this once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedKey {
    pub key_id: String,
    pub text: String,
}
