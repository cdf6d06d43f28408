//! The audit log's viewer at /audit: the trail's events (see `audit_trail`) filtered
//! by where, who, what and when, for those who may read them, and their CSV export.

pub mod api;
pub mod audit_page;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

use crate::core::url::encode_query_value;
use crate::paths;
use crate::tenancy::MoveTarget;

/// The viewer's filters, as its address holds them: text as typed, checked on the
/// server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// A node id: events there and below; empty for everywhere the viewer may look.
    #[serde(default)]
    pub under: String,
    /// Part of the acting person's name or email.
    #[serde(default)]
    pub actor: String,
    /// Part of the name or email of whom it was about, or whom the actor acted as.
    #[serde(default)]
    pub subject: String,
    /// One action key, like `client.suspended`.
    #[serde(default)]
    pub action: String,
    /// First and last day (YYYY-MM-DD, UTC), both included.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// One impersonation's events: what was done through it, start to stop.
    #[serde(default)]
    pub impersonation: String,
    /// Show events older than this event id (the next page).
    #[serde(default)]
    pub before: String,
}

impl AuditQuery {
    /// Refuses filters longer than any real one: a bound on the work a query costs.
    #[cfg(feature = "ssr")]
    pub fn check_bounds(&self) -> Result<(), crate::error::AppError> {
        const MAX_FILTER_CHARS: usize = 200;
        crate::error::FieldErrors::within_limits(&[
            ("under", &self.under, MAX_FILTER_CHARS),
            ("actor", &self.actor, MAX_FILTER_CHARS),
            ("subject", &self.subject, MAX_FILTER_CHARS),
            ("action", &self.action, MAX_FILTER_CHARS),
            ("from", &self.from, MAX_FILTER_CHARS),
            ("to", &self.to, MAX_FILTER_CHARS),
            ("impersonation", &self.impersonation, MAX_FILTER_CHARS),
            ("before", &self.before, MAX_FILTER_CHARS),
        ])
    }

    /// The filters in a request's parameters, read by `get`.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &str| get(name).unwrap_or_default();
        AuditQuery {
            under: get("under"),
            actor: get("actor"),
            subject: get("subject"),
            action: get("action"),
            from: get("from"),
            to: get("to"),
            impersonation: get("impersonation"),
            before: get("before"),
        }
    }

    /// The query string of these filters, empty ones left out.
    /// The audit log viewer showing this query.
    pub fn href(&self) -> String {
        paths::with_query(paths::AUDIT, &self.to_query_string())
    }

    /// The CSV of every event matching the filters, from the newest on.
    pub fn export_href(&self) -> String {
        let from_newest = AuditQuery {
            before: String::new(),
            ..self.clone()
        };
        paths::with_query(paths::AUDIT_EXPORT, &from_newest.to_query_string())
    }

    pub fn to_query_string(&self) -> String {
        [
            ("under", &self.under),
            ("actor", &self.actor),
            ("subject", &self.subject),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
            ("impersonation", &self.impersonation),
            ("before", &self.before),
        ]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", encode_query_value(value)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// One event as the viewer shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// "2026-11-29 14:03:07 UTC"
    pub when: String,
    /// "Nora North <admin@northwind.test>", or "" for the system.
    pub actor: String,
    /// Whom it was about, when not the actor.
    pub subject: String,
    /// Whom the actor acted as, through an impersonation in client mode.
    pub acting_as: String,
    /// Where, as a path: "Northwind Telecom › East › Harbor Dental".
    pub node: String,
    pub action: String,
    /// What changed (JSON as recorded).
    pub details: String,
    pub address: String,
    /// The impersonation it was done through, if any.
    pub impersonation: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The query of the next, older page, if there is one.
    pub older: Option<AuditQuery>,
    /// Where the viewer may look: the subtree choices.
    pub scopes: Vec<MoveTarget>,
    /// The actions the log holds, for the filter.
    pub actions: Vec<String>,
}
