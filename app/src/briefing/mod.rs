//! What an account's operators should know, kept by the client: the status they read
//! first, the people they may reach and how, and links and notes. Every change moves
//! the account's operator-view version on, so the portal can say whether the
//! platform has fetched it since.

pub mod api;
pub mod contacts_page;
pub mod reorder;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod resources_page;
pub mod seen;
#[cfg(feature = "ssr")]
pub mod service;
pub mod status_page;

use serde::{Deserialize, Serialize};

use crate::core::NodeId;
use crate::keyed_enum;

pub const MAX_STATUS: usize = 500;
pub const MAX_NAME: usize = 120;
pub const MAX_NOTE: usize = 2_000;
pub const MAX_METHODS: usize = 6;
pub const MAX_TEMPLATES: usize = 20;

keyed_enum! {
    /// How a contact is reached.
    pub enum MethodKind {
        Phone = ("phone", labels.method_kind.phone),
        Mobile = ("mobile", labels.method_kind.mobile),
        Email = ("email", labels.method_kind.email),
        Pager = ("pager", labels.method_kind.pager),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactMethod {
    pub kind: MethodKind,
    pub value: String,
    pub note: String,
}

impl ContactMethod {
    /// Where a link on it leads: a call, or a mail.
    pub fn href(&self) -> String {
        match self.kind {
            MethodKind::Email => format!("mailto:{}", self.value),
            _ => format!("tel:{}", self.value.replace(' ', "")),
        }
    }
}

/// One row of a contact form's methods, as posted (`method[0][kind]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub note: String,
}

/// The form field of a method row's part: `method[2][value]`.
pub fn method_field(row: usize, part: &str) -> String {
    format!("method[{row}][{part}]")
}

/// A person operators may reach, with their ways of being reached in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub instructions: String,
    pub methods: Vec<ContactMethod>,
    pub version: i64,
}

/// A link or a note for operators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub id: i64,
    pub title: String,
    pub url: String,
    pub note: String,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub id: i64,
    pub text: String,
}

/// Whether the platform has fetched the operator view since its last change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorsSeen {
    /// When the view last changed, in the account's time ("10:40").
    pub changed: Option<String>,
    /// When the platform last fetched it.
    pub fetched: Option<String>,
    /// Whether that fetch had the latest change.
    pub current: bool,
}

impl OperatorsSeen {
    pub fn sentence(&self) -> String {
        match (&self.fetched, &self.changed, self.current) {
            (Some(fetched), _, true) => crate::tr!(briefing.seen.current, fetched = fetched),
            (Some(fetched), Some(changed), false) => {
                crate::tr!(briefing.seen.pending, changed = changed, fetched = fetched)
            }
            (Some(fetched), None, false) => crate::tr!(briefing.seen.fetched, fetched = fetched),
            (None, _, _) => crate::tr!(briefing.seen.never).to_string(),
        }
    }
}

/// One change of the status, from the audit trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub at: String,
    pub who: String,
    pub text: String,
}

/// The status page: what operators read now, the form's values, the account's
/// templates and the status's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusView {
    pub account: NodeId,
    pub account_name: String,
    /// What operators read now: the status, or the default once it ran out.
    pub showing: String,
    pub text: String,
    /// "until 18:00", while a status with an end is showing.
    pub until: Option<String>,
    /// The end as a `datetime-local` input shows it (account time), or empty.
    pub until_input: String,
    pub default_text: String,
    pub zone: String,
    pub version: i64,
    pub templates: Vec<Template>,
    pub history: Vec<StatusChange>,
    pub seen: OperatorsSeen,
    pub can_edit: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactsView {
    pub account: NodeId,
    pub contacts: Vec<Contact>,
    pub can_edit: bool,
    pub seen: OperatorsSeen,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourcesView {
    pub account: NodeId,
    pub resources: Vec<Resource>,
    pub can_edit: bool,
    pub seen: OperatorsSeen,
}

/// The account a portal page is about, from its address (`?account=`): partner
/// staff name it; an account's own people need not.
pub fn use_account_query() -> leptos::prelude::Memo<Option<NodeId>> {
    use leptos::prelude::*;
    let query = leptos_router::hooks::use_query_map();
    Memo::new(move |_| {
        query
            .read()
            .get("account")
            .and_then(|id| id.parse().ok())
            .map(NodeId)
    })
}

/// Which way a record moves in its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reorder {
    Up,
    Down,
}

impl Reorder {
    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "up" => Some(Reorder::Up),
            "down" => Some(Reorder::Down),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_seen_says_whether_the_latest_change_was_fetched() {
        let seen = |fetched: Option<&str>, changed: Option<&str>, current| OperatorsSeen {
            fetched: fetched.map(str::to_string),
            changed: changed.map(str::to_string),
            current,
        };
        assert_eq!(
            seen(Some("10:42"), Some("10:40"), true).sentence(),
            "Operators last fetched this at 10:42."
        );
        assert_eq!(
            seen(Some("10:12"), Some("10:40"), false).sentence(),
            "Operators have not fetched the change of 10:40 yet: they last fetched at 10:12."
        );
        assert_eq!(
            seen(None, Some("10:40"), false).sentence(),
            "Operators have not fetched this account's information yet."
        );
    }

    #[test]
    fn methods_link_to_a_call_or_a_mail() {
        let method = |kind, value: &str| ContactMethod {
            kind,
            value: value.into(),
            note: String::new(),
        };
        assert_eq!(
            method(MethodKind::Mobile, "+1 617 555 0101").href(),
            "tel:+16175550101"
        );
        assert_eq!(
            method(MethodKind::Email, "kim@harbor.test").href(),
            "mailto:kim@harbor.test"
        );
    }
}
