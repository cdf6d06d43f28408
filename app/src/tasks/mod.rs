//! Tasks of a client account: something to do, for one of its people, for the
//! answering service, or for nobody yet, due on a day (or at a time) of the account's
//! zone, often made from a message. The account's admins see and change them all;
//! a Client User sees those assigned to them or made by them, and completes theirs.
//! Open tasks for the answering service are part of the operator view.

pub mod api;
pub mod fields;
pub mod new_task_page;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod task_page;
pub mod tasks_page;

use serde::{Deserialize, Serialize};

use crate::components::trail::TrailStep;
use crate::core::{NodeId, UserId};
use crate::keyed_enum;

pub const MAX_TITLE: usize = 200;
pub const MAX_NOTES: usize = 4_000;
/// The most tasks one list shows.
pub const LIST_LIMIT: usize = 200;

keyed_enum! {
    pub enum TaskStatus {
        Open = ("open", labels.task_status.open),
        Done = ("done", labels.task_status.done),
        Cancelled = ("cancelled", labels.task_status.cancelled),
    }
}

keyed_enum! {
    pub enum TaskPriority {
        Normal = ("normal", labels.task_priority.normal),
        Urgent = ("urgent", labels.task_priority.urgent),
    }
}

keyed_enum! {
    /// Which tasks a list shows: the open ones, or the closed ones latest first.
    pub enum TaskShow {
        Open = ("open", labels.task_show.open),
        Closed = ("closed", labels.task_show.closed),
    }
}

keyed_enum! {
    /// Whose tasks a list shows, for someone who sees them all.
    pub enum TaskWho {
        Anyone = ("anyone", labels.task_who.anyone),
        Mine = ("mine", labels.task_who.mine),
        Service = ("service", labels.task_who.service),
        Nobody = ("nobody", labels.task_who.nobody),
    }
}

/// Whom a task is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Assignee {
    Nobody,
    AnsweringService,
    Person(UserId),
}

impl Assignee {
    /// The value a form's choice holds: "nobody", "service" or a person's id.
    pub fn key(self) -> String {
        match self {
            Assignee::Nobody => "nobody".to_string(),
            Assignee::AnsweringService => "service".to_string(),
            Assignee::Person(user) => user.0.to_string(),
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        match key.trim() {
            "" | "nobody" => Some(Assignee::Nobody),
            "service" => Some(Assignee::AnsweringService),
            id => id.parse().ok().map(|id| Assignee::Person(UserId(id))),
        }
    }
}

/// A task form as it is posted (`task[title]`, `task[due_date]`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub notes: String,
    /// An [`Assignee::key`].
    #[serde(default)]
    pub assignee: String,
    /// `YYYY-MM-DD` in the account's zone, or empty.
    #[serde(default)]
    pub due_date: String,
    /// `HH:MM` on that day, or empty for any time of it.
    #[serde(default)]
    pub due_time: String,
    #[serde(default)]
    pub priority: String,
}

impl TaskInput {
    /// A new task's form: for the caller themselves when they may only make their
    /// own, otherwise for nobody yet.
    pub fn blank(editor: &TaskEditor, title: String, notes: String) -> Self {
        let assignee = match editor.choices.as_slice() {
            [(only, _)] => only.clone(),
            _ => Assignee::Nobody.key(),
        };
        TaskInput {
            title,
            notes,
            assignee,
            priority: TaskPriority::Normal.key().to_string(),
            ..TaskInput::default()
        }
    }
}

/// What a task form may assign to, and the account's zone its times are in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskEditor {
    pub account: NodeId,
    pub zone: String,
    /// (value, label) of each assignee the caller may choose.
    pub choices: Vec<(String, String)>,
}

/// One task in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRow {
    pub id: i64,
    pub title: String,
    pub status: TaskStatus,
    pub priority: TaskPriority,
    /// "Dana Diaz", "The answering service", "Nobody yet".
    pub assignee: String,
    /// "Due today 14:30", "Due Fri 4 Dec".
    pub due: Option<String>,
    pub overdue: bool,
    pub from_message: bool,
    /// "Done by Dana Diaz, 10:42", for a closed task.
    pub closed: Option<String>,
}

/// Which tasks a list shows, from its address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskQuery {
    pub account: Option<NodeId>,
    pub show: TaskShow,
    pub who: TaskWho,
}

impl Default for TaskQuery {
    fn default() -> Self {
        TaskQuery {
            account: None,
            show: TaskShow::Open,
            who: TaskWho::Anyone,
        }
    }
}

impl TaskQuery {
    pub fn from_query(query: &leptos_router::params::ParamsMap) -> Self {
        TaskQuery {
            account: query
                .get("account")
                .and_then(|id| id.parse().ok())
                .map(NodeId),
            show: query
                .get("show")
                .and_then(|key| TaskShow::from_key(&key))
                .unwrap_or(TaskShow::Open),
            who: query
                .get("who")
                .and_then(|key| TaskWho::from_key(&key))
                .unwrap_or(TaskWho::Anyone),
        }
    }

    /// The list's address, keeping only what differs from the defaults.
    pub fn href(&self) -> String {
        let mut parts = Vec::new();
        if let Some(account) = self.account {
            parts.push(format!("account={}", account.0));
        }
        if self.show != TaskShow::Open {
            parts.push(format!("show={}", self.show.key()));
        }
        if self.who != TaskWho::Anyone {
            parts.push(format!("who={}", self.who.key()));
        }
        crate::paths::with_query(crate::paths::TASKS, &parts.join("&"))
    }
}

/// A list of the account's tasks, as the caller sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TasksView {
    pub account: NodeId,
    pub query: TaskQuery,
    pub rows: Vec<TaskRow>,
    /// More tasks match than the list shows.
    pub more: bool,
    /// Whether the caller sees every task of the account (and so can filter by whom).
    pub sees_all: bool,
    pub can_add: bool,
}

/// The message a task was made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceMessage {
    pub id: i64,
    /// The caller's name or number.
    pub who: String,
    pub received: String,
}

/// A task at its own page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskView {
    pub id: i64,
    pub account: NodeId,
    pub title: String,
    pub notes: String,
    pub status: TaskStatus,
    pub priority: TaskPriority,
    pub assignee: String,
    pub due: Option<String>,
    pub overdue: bool,
    /// "Hana Admin, Thu 3 Dec 10:42".
    pub created: String,
    pub closed: Option<String>,
    pub source: Option<SourceMessage>,
    pub version: i64,
    /// The task's fields as its form shows them.
    pub input: TaskInput,
    /// When the caller may edit it.
    pub editor: Option<TaskEditor>,
    /// The status changes the caller may make, in the order the page offers them.
    pub moves: Vec<TaskStatus>,
    pub activity: Vec<TrailStep>,
}

/// What the home page says about the caller's tasks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TasksAtHome {
    pub account: NodeId,
    /// "Your open tasks" or "Open tasks".
    pub heading: String,
    pub open: i64,
    pub overdue: i64,
    pub soonest: Vec<TaskRow>,
}

/// The button that moves a task to `status`.
pub fn move_label(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Done => crate::tr!(tasks.moves.done),
        TaskStatus::Cancelled => crate::tr!(tasks.moves.cancel),
        TaskStatus::Open => crate::tr!(tasks.moves.reopen),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignees_round_trip_through_their_form_values() {
        for assignee in [
            Assignee::Nobody,
            Assignee::AnsweringService,
            Assignee::Person(UserId(42)),
        ] {
            assert_eq!(Assignee::from_key(&assignee.key()), Some(assignee));
        }
        assert_eq!(Assignee::from_key(""), Some(Assignee::Nobody));
        assert_eq!(Assignee::from_key("someone"), None);
    }

    #[test]
    fn a_list_address_keeps_only_what_differs_from_the_defaults() {
        assert_eq!(TaskQuery::default().href(), "/tasks");
        let query = TaskQuery {
            account: Some(NodeId(7)),
            show: TaskShow::Closed,
            who: TaskWho::Service,
        };
        assert_eq!(query.href(), "/tasks?account=7&show=closed&who=service");
    }
}
