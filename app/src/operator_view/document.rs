//! The operator view's document: what the API answers, built once for the API and
//! the portal's preview alike.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::briefing::{ContactMethod, MethodKind};

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct OperatorView {
    pub account: AccountFacts,
    /// Moves on with every change the client makes to what operators read.
    pub version: i64,
    pub status: StatusFacts,
    pub on_call: OnCallFacts,
    /// Everyone operators may reach, in the order the client keeps them.
    pub contacts: Vec<ContactFacts>,
    pub resources: Vec<ResourceFacts>,
    /// The open tasks for the answering service, by when they fall due.
    pub tasks: Vec<TaskFacts>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AccountFacts {
    pub id: i64,
    pub name: String,
    /// The IANA zone the account's times are in.
    pub time_zone: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct StatusFacts {
    /// What operators read now: the status, or the default once it ran out.
    pub text: String,
    /// When `text` gives way to the default (RFC 3339), if it does.
    pub until: Option<String>,
    pub default: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct OnCallFacts {
    /// Who is on call now, in the order to try them (with how to reach them).
    pub now: Vec<ContactFacts>,
    /// Nobody is on call, and the account did not mean it to be so.
    pub gap: bool,
    /// Nobody is on call, in the account's closed hours.
    pub closed: bool,
    /// When who is on call next changes (RFC 3339), within a week.
    pub until: Option<String>,
    /// Who is on call from then, in order.
    pub next: Vec<ContactFacts>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ContactFacts {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub instructions: String,
    pub methods: Vec<MethodFacts>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MethodFacts {
    /// phone, mobile, email or pager.
    #[schema(value_type = String)]
    pub kind: MethodKind,
    pub value: String,
    pub note: String,
}

impl From<&ContactMethod> for MethodFacts {
    fn from(method: &ContactMethod) -> Self {
        MethodFacts {
            kind: method.kind,
            value: method.value.clone(),
            note: method.note.clone(),
        }
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ResourceFacts {
    pub title: String,
    pub url: String,
    pub note: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TaskFacts {
    pub id: i64,
    pub title: String,
    pub notes: String,
    /// normal or urgent.
    pub priority: String,
    /// The day it is due in the account's zone (`YYYY-MM-DD`), if it has one.
    pub due_date: Option<String>,
    /// The local time on that day (`HH:MM`), when it has one.
    pub due_time: Option<String>,
    /// When it falls due (RFC 3339): the time given, or the end of the day.
    pub due_at: Option<String>,
}

/// The document as sent, and its entity tag: a hash of exactly those bytes, so it
/// changes with anything in it, a change of who is on call at a shift's end too.
pub struct Rendered {
    pub body: String,
    pub etag: String,
}

impl OperatorView {
    pub fn render(&self) -> Result<Rendered, serde_json::Error> {
        let body = serde_json::to_string_pretty(self)?;
        let digest = Sha256::digest(body.as_bytes());
        let etag = format!("\"{}\"", hex::encode(&digest[..16]));
        Ok(Rendered { body, etag })
    }
}
