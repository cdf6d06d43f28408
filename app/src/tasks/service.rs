//! Who sees and changes which tasks, and the changes themselves: each checked at the
//! task's account, validated, versioned and audited as a change of its record. A
//! change to a task for the answering service moves the operator view on.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde_json::json;

use super::repo::{self, TaskFields, TaskFilter, TaskRecord};
use super::{
    Assignee, SourceMessage, TaskEditor, TaskInput, TaskPriority, TaskQuery, TaskRow, TaskShow,
    TaskStatus, TaskView, TaskWho, TasksAtHome, TasksView, LIST_LIMIT, MAX_NOTES, MAX_TITLE,
};
use crate::audit_trail::{record_events, record_key, stale_record_conflict, Changed, RecordEvent};
use crate::auth::authorized::Authorized;
use crate::auth::caller::Caller;
use crate::briefing::service::commit_view_change;
use crate::clients::repo::client_record;
use crate::components::trail::TrailStep;
use crate::core::roles::{Permission, PermissionSet};
use crate::core::time::timestamp;
use crate::core::zone::{day_and_clock, zone, zoned};
use crate::core::{NodeId, UserId};
use crate::db::now_ms;
use crate::error::{AppError, FieldErrors};
use crate::oncall::minutes_of;

/// How much of an account's tasks someone sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskScope {
    /// Every task; `edit` when they may change them (ManageAccountContent).
    All { edit: bool },
    /// Those assigned to or made by this person, who completes the ones assigned to
    /// them and makes tasks for themselves (a Client User).
    Own(UserId),
}

impl TaskScope {
    /// What `held` at an account sees of its tasks, for `person`: the account's
    /// content managers all, to change; whoever reads all its calls or messages all,
    /// to read; whoever reads only their own activity their own.
    pub fn of(held: PermissionSet, person: UserId) -> Option<TaskScope> {
        if held.contains(Permission::ManageAccountContent) {
            Some(TaskScope::All { edit: true })
        } else if held.contains(Permission::ViewAccountCalls)
            || held.contains(Permission::ViewAccountMessages)
        {
            Some(TaskScope::All { edit: false })
        } else if held.contains(Permission::ViewOwnActivity) {
            Some(TaskScope::Own(person))
        } else {
            None
        }
    }
}

/// An account whose tasks the caller sees, with its zone.
pub struct TaskAccess<'a> {
    pub account: NodeId,
    pub zone: TimeZone,
    pub zone_name: String,
    pub scope: TaskScope,
    pub authorized: Authorized<'a>,
}

impl TaskAccess<'_> {
    pub fn can_edit(&self) -> bool {
        self.scope == TaskScope::All { edit: true }
    }

    pub fn sees_all(&self) -> bool {
        matches!(self.scope, TaskScope::All { .. })
    }

    pub fn can_add(&self) -> bool {
        matches!(
            self.scope,
            TaskScope::All { edit: true } | TaskScope::Own(_)
        )
    }

    pub fn sees(&self, task: &TaskRecord) -> bool {
        match self.scope {
            TaskScope::All { .. } => true,
            TaskScope::Own(person) => {
                task.fields.assignee == Assignee::Person(person) || task.created_by == Some(person)
            }
        }
    }

    /// The statuses the caller may move `task` to: an editor closes an open task
    /// either way and reopens a closed one; its assignee marks it done or reopens it.
    pub fn moves(&self, task: &TaskRecord) -> Vec<TaskStatus> {
        let assignee = match self.scope {
            TaskScope::All { edit: true } => false,
            TaskScope::Own(person) if task.fields.assignee == Assignee::Person(person) => true,
            _ => return Vec::new(),
        };
        match task.status {
            TaskStatus::Open if assignee => vec![TaskStatus::Done],
            TaskStatus::Open => vec![TaskStatus::Done, TaskStatus::Cancelled],
            TaskStatus::Done => vec![TaskStatus::Open],
            TaskStatus::Cancelled if assignee => Vec::new(),
            TaskStatus::Cancelled => vec![TaskStatus::Open],
        }
    }
}

/// The caller's access to `account`'s tasks (their own account's when none is
/// named): an account they hold nothing at is not found, one where they hold no
/// role that sees tasks is refused.
pub async fn access(caller: &Caller, account: Option<NodeId>) -> Result<TaskAccess<'_>, AppError> {
    let account = account
        .or(caller.actor.account())
        .ok_or(AppError::NotFound)?;
    let authorized = caller.actor.at(caller.db(), account).await?;
    let scope = TaskScope::of(authorized.permissions(), caller.actor.user().id)
        .ok_or_else(|| AppError::forbidden(crate::tr!(tasks.errors.no_tasks)))?;
    let client = client_record(caller.db().pool(), account)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(TaskAccess {
        account,
        zone: zone(&client.company.time_zone),
        zone_name: client.company.time_zone,
        scope,
        authorized,
    })
}

/// Task `id` with the caller's access to it. A task they may not see is not found,
/// exactly like one that does not exist.
async fn visible_task(caller: &Caller, id: i64) -> Result<(TaskRecord, TaskAccess<'_>), AppError> {
    let task = repo::task(caller.db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = match access(caller, Some(task.account)).await {
        Err(AppError::Forbidden(_)) => return Err(AppError::NotFound),
        other => other?,
    };
    if !access.sees(&task) {
        return Err(AppError::NotFound);
    }
    Ok((task, access))
}

fn assignee_label(task: &TaskRecord) -> String {
    match task.fields.assignee {
        Assignee::Person(_) => task.assignee_name.clone().unwrap_or_default(),
        Assignee::AnsweringService => crate::tr!(due.answering_service).to_string(),
        Assignee::Nobody => crate::tr!(due.nobody_yet).to_string(),
    }
}

/// When a task is due, as people say it: "Due today 14:30", "Due tomorrow",
/// "Due Fri 4 Dec", "Due Mon 4 Jan 2027".
pub fn due_label(
    date: Option<&str>,
    time: Option<&str>,
    now: i64,
    zone: &TimeZone,
) -> Option<String> {
    let date: Date = date?.parse().ok()?;
    let today = zoned(now, zone).date();
    let day = if date == today {
        crate::tr!(due.today).to_string()
    } else if today.tomorrow().ok() == Some(date) {
        crate::tr!(due.tomorrow).to_string()
    } else if date.year() == today.year() {
        crate::core::zone::day(date)
    } else {
        crate::core::zone::day_of_year(date)
    };
    Some(match time {
        Some(time) => crate::tr!(due.on_at, day = day, time = time),
        None => crate::tr!(due.on, day = day),
    })
}

fn is_overdue(task: &TaskRecord, now: i64) -> bool {
    task.status == TaskStatus::Open && task.fields.due_at.is_some_and(|due| due <= now)
}

/// "Done by Dana Diaz, 10:42", for a closed task.
fn closed_label(task: &TaskRecord, now: i64, zone: &TimeZone) -> Option<String> {
    let at = task.closed_at?;
    let by = task
        .closed_by_name
        .as_deref()
        .unwrap_or(crate::tr!(trail.someone));
    let at = day_and_clock(at, now, zone);
    Some(match task.status {
        TaskStatus::Cancelled => crate::tr!(tasks.closed.cancelled, by = by, at = at),
        _ => crate::tr!(tasks.closed.done, by = by, at = at),
    })
}

fn task_row(task: &TaskRecord, now: i64, zone: &TimeZone) -> TaskRow {
    TaskRow {
        id: task.id,
        title: task.fields.title.clone(),
        status: task.status,
        priority: task.fields.priority,
        assignee: assignee_label(task),
        due: due_label(
            task.fields.due_date.as_deref(),
            task.fields.due_time.as_deref(),
            now,
            zone,
        ),
        overdue: is_overdue(task, now),
        from_message: task.source_message.is_some(),
        closed: closed_label(task, now, zone),
    }
}

fn filter(caller: &Caller, access: &TaskAccess<'_>, show: TaskShow, who: TaskWho) -> TaskFilter {
    TaskFilter {
        account: access.account,
        own: match access.scope {
            TaskScope::Own(person) => Some(person),
            TaskScope::All { .. } => None,
        },
        show,
        who: if access.sees_all() {
            who
        } else {
            TaskWho::Anyone
        },
        me: caller.actor.user().id,
        message: None,
    }
}

pub async fn list(caller: &Caller, query: &TaskQuery) -> Result<TasksView, AppError> {
    let access = access(caller, query.account).await?;
    let filter = filter(caller, &access, query.show, query.who);
    let mut tasks = repo::tasks(caller.db().pool(), &filter, LIST_LIMIT + 1).await?;
    let more = tasks.len() > LIST_LIMIT;
    tasks.truncate(LIST_LIMIT);
    let now = now_ms();
    Ok(TasksView {
        account: access.account,
        query: TaskQuery {
            account: Some(access.account),
            show: query.show,
            who: filter.who,
        },
        rows: tasks
            .iter()
            .map(|task| task_row(task, now, &access.zone))
            .collect(),
        more,
        sees_all: access.sees_all(),
        can_add: access.can_add(),
    })
}

/// The tasks made from a message of the account that the caller sees, and the form
/// for another when they may make one. The caller of this has checked that they
/// see the message.
pub async fn of_message(
    caller: &Caller,
    account: NodeId,
    message: i64,
) -> Result<(Vec<TaskRow>, Option<TaskEditor>), AppError> {
    let access = access(caller, Some(account)).await?;
    let filter = TaskFilter {
        message: Some(message),
        ..filter(caller, &access, TaskShow::Open, TaskWho::Anyone)
    };
    let now = now_ms();
    let rows = repo::tasks(caller.db().pool(), &filter, LIST_LIMIT)
        .await?
        .iter()
        .map(|task| task_row(task, now, &access.zone))
        .collect();
    let editor = match access.can_add() {
        true => Some(editor(caller, &access, None).await?),
        false => None,
    };
    Ok((rows, editor))
}

/// What the caller's form may assign a task to (and, editing, whom it has now).
async fn editor(
    caller: &Caller,
    access: &TaskAccess<'_>,
    current: Option<&TaskRecord>,
) -> Result<TaskEditor, AppError> {
    let me = caller.actor.user();
    let choices = match access.scope {
        TaskScope::Own(person) => vec![(Assignee::Person(person).key(), me.name.clone())],
        TaskScope::All { .. } => {
            let mut choices = vec![
                (
                    Assignee::Nobody.key(),
                    crate::tr!(due.nobody_yet).to_string(),
                ),
                (
                    Assignee::AnsweringService.key(),
                    crate::tr!(due.answering_service).to_string(),
                ),
            ];
            let people = repo::assignable(caller.db().pool(), access.account).await?;
            choices.extend(
                people
                    .into_iter()
                    .map(|(user, name)| (Assignee::Person(user).key(), name)),
            );
            if let Some(task) = current {
                let key = task.fields.assignee.key();
                if !choices.iter().any(|(value, _)| *value == key) {
                    choices.push((key, assignee_label(task)));
                }
            }
            choices
        }
    };
    Ok(TaskEditor {
        account: access.account,
        zone: access.zone_name.clone(),
        choices,
    })
}

/// The form for a new task of the account.
pub async fn new_task_form(
    caller: &Caller,
    account: Option<NodeId>,
) -> Result<TaskEditor, AppError> {
    let access = access(caller, account).await?;
    adding(&access)?;
    editor(caller, &access, None).await
}

fn adding(access: &TaskAccess<'_>) -> Result<(), AppError> {
    match access.can_add() {
        true => Ok(()),
        false => Err(AppError::forbidden(crate::tr!(tasks.errors.no_adding))),
    }
}

/// A task form's values, checked: a title, notes within bounds, an assignee the
/// caller may choose (or the one the task has), and a due day with an optional
/// time, read in the account's zone.
pub fn task_fields(
    input: &TaskInput,
    editor: &TaskEditor,
    zone: &TimeZone,
    current: Option<Assignee>,
) -> Result<TaskFields, AppError> {
    let mut errors = FieldErrors::default();
    let title = input.title.trim();
    if title.is_empty() {
        errors.add("title", crate::tr!(tasks.errors.title));
    }
    errors.limit("title", title, MAX_TITLE);
    let notes = input.notes.trim();
    errors.limit("notes", notes, MAX_NOTES);
    let assignee = Assignee::from_key(&input.assignee).filter(|assignee| {
        Some(*assignee) == current
            || editor
                .choices
                .iter()
                .any(|(value, _)| *value == assignee.key())
    });
    if assignee.is_none() {
        errors.add("assignee", crate::tr!(tasks.errors.assignee));
    }
    let priority = match input.priority.trim() {
        "" => Some(TaskPriority::Normal),
        key => TaskPriority::from_key(key),
    };
    if priority.is_none() {
        errors.add("priority", crate::tr!(tasks.errors.priority));
    }
    let (date_text, time_text) = (input.due_date.trim(), input.due_time.trim());
    let date = match date_text {
        "" => None,
        text => {
            let date = text
                .parse::<Date>()
                .ok()
                .filter(|date| (2000..=2100).contains(&date.year()));
            if date.is_none() {
                errors.add("due_date", crate::tr!(tasks.errors.due_date));
            }
            date
        }
    };
    let minutes = match time_text {
        "" => None,
        text => {
            let minutes = minutes_of(text);
            if minutes.is_none() {
                errors.add("due_time", crate::tr!(tasks.errors.due_time));
            } else if date_text.is_empty() {
                errors.add("due_time", crate::tr!(tasks.errors.due_time_without_day));
            }
            minutes
        }
    };
    errors.into_result()?;
    let due_at = date.and_then(|date| due_instant(date, minutes, zone));
    Ok(TaskFields {
        title: title.to_string(),
        notes: notes.to_string(),
        assignee: assignee.unwrap_or(Assignee::Nobody),
        due_date: date.map(|date| date.to_string()),
        due_time: date.and(minutes).map(crate::oncall::clock_of),
        due_at,
        priority: priority.unwrap_or(TaskPriority::Normal),
    })
}

/// When a task due on `date` (at `minutes` past midnight, or by the day's end)
/// falls due, in `zone`.
fn due_instant(date: Date, minutes: Option<i64>, zone: &TimeZone) -> Option<i64> {
    let local = match minutes {
        Some(minutes) => date.at((minutes / 60) as i8, (minutes % 60) as i8, 0, 0),
        None => date.tomorrow().ok()?.at(0, 0, 0, 0),
    };
    let at = zone.to_ambiguous_timestamp(local).compatible().ok()?;
    Some(at.as_millisecond())
}

fn task_details(fields: &TaskFields, assignee: &str) -> serde_json::Value {
    let due: Vec<&str> = [fields.due_date.as_deref(), fields.due_time.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    json!({
        "title": fields.title,
        "notes": fields.notes,
        "for": assignee,
        "due": due.join(" "),
        "priority": fields.priority.key(),
    })
}

/// The label of an assignee chosen in a form, by the editor's choices.
fn chosen_label(editor: &TaskEditor, assignee: Assignee) -> String {
    let key = assignee.key();
    editor
        .choices
        .iter()
        .find(|(value, _)| *value == key)
        .map(|(_, label)| label.clone())
        .unwrap_or_default()
}

/// Commits a task's change, moving the operator view on when the task is (or was)
/// for the answering service.
async fn commit(
    change: crate::auth::authorized::AuditedChange<'_>,
    account: NodeId,
    touches_view: bool,
    action: &str,
    details: serde_json::Value,
) -> Result<(), AppError> {
    match touches_view {
        true => commit_view_change(change, account, action, details).await,
        false => change.commit(action, details).await,
    }
}

/// Makes a task of the account, from message `source` when given (whose caller has
/// checked that the caller sees it); its id.
pub async fn add(
    caller: &Caller,
    account: Option<NodeId>,
    input: &TaskInput,
    source: Option<i64>,
) -> Result<i64, AppError> {
    let access = access(caller, account).await?;
    adding(&access)?;
    let editor = editor(caller, &access, None).await?;
    let fields = task_fields(input, &editor, &access.zone, None)?;
    let mut change = access.authorized.begin(caller).await?;
    let by = caller.actor.acting().user;
    let id = repo::insert(&mut change, access.account, &fields, source, by).await?;
    let change = change.about_record(record_key("task", id));
    let details = json!({
        "after": task_details(&fields, &chosen_label(&editor, fields.assignee)),
        "message": source,
    });
    let for_service = fields.assignee == Assignee::AnsweringService;
    commit(change, access.account, for_service, "task.added", details).await?;
    Ok(id)
}

pub async fn update(
    caller: &Caller,
    id: i64,
    input: &TaskInput,
    version: i64,
) -> Result<(), AppError> {
    let (task, access) = visible_task(caller, id).await?;
    if !access.can_edit() {
        return Err(AppError::forbidden(crate::tr!(tasks.errors.no_editing)));
    }
    let editor = editor(caller, &access, Some(&task)).await?;
    let fields = task_fields(input, &editor, &access.zone, Some(task.fields.assignee))?;
    let record = record_key("task", id);
    let mut change = access.authorized.begin(caller).await?;
    if !repo::update(&mut change, id, &fields, version).await? {
        drop(change);
        return Err(stale_record_conflict(caller.db().pool(), &record, Changed::Task).await);
    }
    let change = change.about_record(record);
    let details = json!({
        "before": task_details(&task.fields, &assignee_label(&task)),
        "after": task_details(&fields, &chosen_label(&editor, fields.assignee)),
    });
    let touches_view =
        [task.fields.assignee, fields.assignee].contains(&Assignee::AnsweringService);
    commit(
        change,
        access.account,
        touches_view,
        "task.updated",
        details,
    )
    .await
}

/// Moves a task to `status` (done, cancelled, or open again), as the caller's scope
/// allows; moving it where it already is changes nothing.
pub async fn set_status(
    caller: &Caller,
    id: i64,
    status: TaskStatus,
    version: i64,
) -> Result<(), AppError> {
    let (task, access) = visible_task(caller, id).await?;
    let moves = access.moves(&task);
    if moves.is_empty() && !access.can_edit() {
        return Err(AppError::forbidden(crate::tr!(tasks.errors.no_completing)));
    }
    if status == task.status {
        return Ok(());
    }
    if !moves.contains(&status) {
        return Err(AppError::forbidden(crate::tr!(tasks.errors.no_reopening)));
    }
    let record = record_key("task", id);
    let mut change = access.authorized.begin(caller).await?;
    let by = caller.actor.acting().user;
    if !repo::set_status(&mut change, id, status, by, version).await? {
        drop(change);
        return Err(stale_record_conflict(caller.db().pool(), &record, Changed::Task).await);
    }
    let change = change.about_record(record);
    let action = match status {
        TaskStatus::Done => "task.completed",
        TaskStatus::Cancelled => "task.cancelled",
        TaskStatus::Open => "task.reopened",
    };
    let details = json!({ "title": task.fields.title });
    let for_service = task.fields.assignee == Assignee::AnsweringService;
    commit(change, access.account, for_service, action, details).await
}

/// The most lines a task's activity shows: its latest.
const ACTIVITY: i64 = 100;

pub async fn task_view(caller: &Caller, id: i64) -> Result<TaskView, AppError> {
    let (task, access) = visible_task(caller, id).await?;
    let db = caller.db();
    let now = now_ms();
    let zone = &access.zone;
    let events = record_events(db.pool(), &record_key("task", id), ACTIVITY).await?;
    let editor = match access.can_edit() {
        true => Some(editor(caller, &access, Some(&task)).await?),
        false => None,
    };
    let created_by = task.created_by_name.as_deref().unwrap_or("someone");
    Ok(TaskView {
        id,
        account: access.account,
        title: task.fields.title.clone(),
        notes: task.fields.notes.clone(),
        status: task.status,
        priority: task.fields.priority,
        assignee: assignee_label(&task),
        due: due_label(
            task.fields.due_date.as_deref(),
            task.fields.due_time.as_deref(),
            now,
            zone,
        ),
        overdue: is_overdue(&task, now),
        created: format!(
            "{created_by}, {}",
            day_and_clock(task.created_at, now, zone)
        ),
        closed: closed_label(&task, now, zone),
        source: task.source_message.map(|message| SourceMessage {
            id: message,
            who: task.source_who.clone().unwrap_or_default(),
            received: task.source_received_at.map(timestamp).unwrap_or_default(),
        }),
        version: task.version,
        input: TaskInput {
            title: task.fields.title.clone(),
            notes: task.fields.notes.clone(),
            assignee: task.fields.assignee.key(),
            due_date: task.fields.due_date.clone().unwrap_or_default(),
            due_time: task.fields.due_time.clone().unwrap_or_default(),
            priority: task.fields.priority.key().to_string(),
        },
        editor,
        moves: access.moves(&task),
        activity: events
            .iter()
            .map(|event| TrailStep {
                at: day_and_clock(event.occurred_at, now, zone),
                what: activity_line(event),
            })
            .collect(),
    })
}

/// One line of a task's activity: what was done, by whom, and for an edit which of
/// the task's fields it changed.
fn activity_line(event: &RecordEvent) -> String {
    let by = event.by();
    let details: serde_json::Value = serde_json::from_str(&event.details).unwrap_or_default();
    match event.action.as_str() {
        "task.added" if details["message"].is_i64() => {
            crate::tr!(tasks.activity.made_from_message, by = by)
        }
        "task.added" => crate::tr!(tasks.activity.added, by = by),
        "task.updated" => {
            let (before, after) = (&details["before"], &details["after"]);
            let changed: Vec<(&str, &str)> = [
                ("title", crate::tr!(tasks.activity.field_title)),
                ("notes", crate::tr!(tasks.activity.field_notes)),
                ("for", crate::tr!(tasks.activity.field_for)),
                ("due", crate::tr!(tasks.activity.field_due)),
                ("priority", crate::tr!(tasks.activity.field_priority)),
            ]
            .into_iter()
            .filter(|(field, _)| before[field] != after[field])
            .collect();
            let what = match changed.as_slice() {
                [] => crate::tr!(tasks.activity.nothing).to_string(),
                [("for", _)] => crate::tr!(
                    tasks.activity.now_for,
                    who = after["for"].as_str().unwrap_or_default()
                ),
                fields => fields
                    .iter()
                    .map(|(_, word)| *word)
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            crate::tr!(tasks.activity.edited, by = by, what = what)
        }
        "task.completed" => crate::tr!(tasks.activity.completed, by = by),
        "task.cancelled" => crate::tr!(tasks.activity.cancelled, by = by),
        "task.reopened" => crate::tr!(tasks.activity.reopened, by = by),
        other => crate::tr!(tasks.activity.other, what = other, by = by),
    }
}

/// The home page's word on the caller's tasks: their own open ones for someone who
/// sees only theirs, the account's for someone who sees them all.
pub async fn at_home(caller: &Caller) -> Result<Option<TasksAtHome>, AppError> {
    if caller.actor.account().is_none() {
        return Ok(None);
    }
    let access = match access(caller, None).await {
        Ok(access) => access,
        Err(AppError::Forbidden(_)) => return Ok(None),
        Err(other) => return Err(other),
    };
    let (heading, who, mine) = match access.scope {
        TaskScope::Own(person) => (
            crate::tr!(tasks.home.your_open),
            TaskWho::Mine,
            Some(person),
        ),
        TaskScope::All { .. } => (crate::tr!(tasks.home.all_open), TaskWho::Anyone, None),
    };
    let now = now_ms();
    let (open, overdue) = repo::open_counts(caller.db().pool(), access.account, mine, now).await?;
    let soonest = repo::tasks(
        caller.db().pool(),
        &filter(caller, &access, TaskShow::Open, who),
        3,
    )
    .await?;
    Ok(Some(TasksAtHome {
        account: access.account,
        heading: heading.to_string(),
        open,
        overdue,
        soonest: soonest
            .iter()
            .map(|task| task_row(task, now, &access.zone))
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::roles::Role;
    use crate::core::zone::parse_input;

    fn editor(choices: &[&str]) -> TaskEditor {
        TaskEditor {
            account: NodeId(1),
            zone: "America/New_York".into(),
            choices: choices
                .iter()
                .map(|value| (value.to_string(), format!("Label {value}")))
                .collect(),
        }
    }

    fn input(title: &str, assignee: &str, due_date: &str, due_time: &str) -> TaskInput {
        TaskInput {
            title: title.into(),
            assignee: assignee.into(),
            due_date: due_date.into(),
            due_time: due_time.into(),
            ..TaskInput::default()
        }
    }

    fn problem(result: Result<TaskFields, AppError>, field: &str) -> bool {
        match result {
            Err(AppError::Validation(errors)) => errors.get(field).is_some(),
            _ => false,
        }
    }

    #[test]
    fn a_task_is_due_at_its_time_or_by_the_end_of_its_day_in_the_account_zone() {
        let new_york = zone("America/New_York");
        let choices = editor(&["nobody", "service", "7"]);
        let timed = task_fields(
            &input(" Call back ", "7", "2026-03-08", "14:30"),
            &choices,
            &new_york,
            None,
        )
        .unwrap();
        assert_eq!(timed.title, "Call back");
        assert_eq!(timed.assignee, Assignee::Person(UserId(7)));
        assert_eq!(timed.due_at, parse_input("2026-03-08T14:30", &new_york));
        assert_eq!(timed.due_time.as_deref(), Some("14:30"));
        // The day the clocks spring forward is 23 hours long: its end is still midnight.
        let all_day = task_fields(
            &input("Call back", "service", "2026-03-08", ""),
            &choices,
            &new_york,
            None,
        )
        .unwrap();
        assert_eq!(all_day.due_at, parse_input("2026-03-09T00:00", &new_york));
        assert_eq!(all_day.due_time, None);
    }

    #[test]
    fn a_task_form_says_which_field_is_wrong() {
        let new_york = zone("America/New_York");
        let choices = editor(&["nobody", "7"]);
        let check = |input: TaskInput| task_fields(&input, &choices, &new_york, None);
        assert!(problem(check(input("", "nobody", "", "")), "title"));
        assert!(problem(check(input("Call", "8", "", "")), "assignee"));
        assert!(problem(check(input("Call", "service", "", "")), "assignee"));
        assert!(problem(
            check(input("Call", "nobody", "24/12/2026", "")),
            "due_date"
        ));
        assert!(problem(
            check(input("Call", "nobody", "", "14:30")),
            "due_time"
        ));
        assert!(problem(
            check(input("Call", "nobody", "2026-12-24", "2pm")),
            "due_time"
        ));
        let long = "x".repeat(MAX_TITLE + 1);
        assert!(problem(check(input(&long, "nobody", "", "")), "title"));
        // Someone no longer in the list stays the assignee of a task they have.
        let kept = task_fields(
            &input("Call", "8", "", ""),
            &choices,
            &new_york,
            Some(Assignee::Person(UserId(8))),
        );
        assert_eq!(kept.unwrap().assignee, Assignee::Person(UserId(8)));
    }

    #[test]
    fn due_days_read_as_people_say_them() {
        let paris = zone("Europe/Paris");
        let now = parse_input("2026-12-03T09:00", &paris).unwrap();
        let label = |date, time| due_label(Some(date), time, now, &paris);
        assert_eq!(
            label("2026-12-03", Some("14:30")).as_deref(),
            Some("Due today 14:30")
        );
        assert_eq!(label("2026-12-04", None).as_deref(), Some("Due tomorrow"));
        assert_eq!(label("2026-12-08", None).as_deref(), Some("Due Tue 8 Dec"));
        assert_eq!(
            label("2027-01-04", None).as_deref(),
            Some("Due Mon 4 Jan 2027")
        );
        assert_eq!(due_label(None, None, now, &paris), None);
    }

    #[test]
    fn who_sees_which_tasks() {
        let person = UserId(5);
        let of = |role: Role| TaskScope::of(role.permissions(), person);
        assert_eq!(of(Role::ClientAdmin), Some(TaskScope::All { edit: true }));
        assert_eq!(
            of(Role::AccountManager),
            Some(TaskScope::All { edit: true })
        );
        assert_eq!(of(Role::User), Some(TaskScope::All { edit: false }));
        assert_eq!(
            of(Role::MessagingAgent),
            Some(TaskScope::All { edit: false })
        );
        assert_eq!(of(Role::ClientUser), Some(TaskScope::Own(person)));
        assert_eq!(of(Role::SupportAgent), None);
    }
}
