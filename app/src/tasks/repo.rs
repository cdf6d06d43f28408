//! The tasks table, with the names of the people a task names and the message it
//! was made from.

use sqlx::{Any, AnyConnection, Executor, Row};

use super::{Assignee, TaskPriority, TaskShow, TaskStatus, TaskWho};
use crate::core::{NodeId, UserId};
use crate::db::{flag, flag_value, now_ms, Param, RowUpdate, SqlBuilder};
use crate::error::AppError;

/// A task as stored, with the names its page shows.
#[derive(Clone, Debug)]
pub struct TaskRecord {
    pub id: i64,
    pub account: NodeId,
    pub fields: TaskFields,
    pub assignee_name: Option<String>,
    pub status: TaskStatus,
    pub source_message: Option<i64>,
    /// The source message's caller name, else its number.
    pub source_who: Option<String>,
    pub source_received_at: Option<i64>,
    pub created_by: Option<UserId>,
    pub created_by_name: Option<String>,
    pub created_at: i64,
    pub closed_by_name: Option<String>,
    pub closed_at: Option<i64>,
    pub version: i64,
}

/// What a task form sets, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskFields {
    pub title: String,
    pub notes: String,
    pub assignee: Assignee,
    pub due_date: Option<String>,
    pub due_time: Option<String>,
    /// When it falls due: the time given, or the end of the day.
    pub due_at: Option<i64>,
    pub priority: TaskPriority,
}

const SELECT: &str = "SELECT t.id, t.client_id, t.title, t.notes, t.assigned_to, \
     t.for_answering_service, t.due_date, t.due_time, t.due_at, t.priority, t.status, \
     t.source_message_id, COALESCE(NULLIF(m.caller_name, ''), m.callback_number) AS source_who, \
     m.received_at AS source_received_at, t.created_by, t.created_at, t.closed_at, t.version, \
     a.name AS assignee_name, c.name AS created_by_name, d.name AS closed_by_name \
     FROM tasks t \
     LEFT JOIN users a ON a.id = t.assigned_to \
     LEFT JOIN users c ON c.id = t.created_by \
     LEFT JOIN users d ON d.id = t.closed_by \
     LEFT JOIN messages m ON m.id = t.source_message_id ";

fn record_of(row: &sqlx::any::AnyRow) -> Result<TaskRecord, sqlx::Error> {
    let assignee = match (
        row.try_get::<Option<i64>, _>("assigned_to")?,
        flag(row.try_get("for_answering_service")?),
    ) {
        (Some(user), _) => Assignee::Person(UserId(user)),
        (None, true) => Assignee::AnsweringService,
        (None, false) => Assignee::Nobody,
    };
    Ok(TaskRecord {
        id: row.try_get("id")?,
        account: NodeId(row.try_get("client_id")?),
        fields: TaskFields {
            title: row.try_get("title")?,
            notes: row.try_get("notes")?,
            assignee,
            due_date: row.try_get("due_date")?,
            due_time: row.try_get("due_time")?,
            due_at: row.try_get("due_at")?,
            priority: row.try_get("priority")?,
        },
        assignee_name: row.try_get("assignee_name")?,
        status: row.try_get("status")?,
        source_message: row.try_get("source_message_id")?,
        source_who: row.try_get("source_who")?,
        source_received_at: row.try_get("source_received_at")?,
        created_by: row.try_get::<Option<i64>, _>("created_by")?.map(UserId),
        created_by_name: row.try_get("created_by_name")?,
        created_at: row.try_get("created_at")?,
        closed_by_name: row.try_get("closed_by_name")?,
        closed_at: row.try_get("closed_at")?,
        version: row.try_get("version")?,
    })
}

pub async fn task<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<TaskRecord>, AppError> {
    let row = sqlx::query(&format!("{SELECT} WHERE t.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(row.as_ref().map(record_of).transpose()?)
}

/// Which of an account's tasks a list holds.
pub struct TaskFilter {
    pub account: NodeId,
    /// Only those assigned to or made by this person.
    pub own: Option<UserId>,
    pub show: TaskShow,
    pub who: TaskWho,
    /// Whose "mine" is.
    pub me: UserId,
    /// Only those made from this message.
    pub message: Option<i64>,
}

/// Open tasks by when they fall due (undated last, urgent first on a tie); closed
/// ones latest first.
pub async fn tasks<'e>(
    db: impl Executor<'e, Database = Any>,
    filter: &TaskFilter,
    limit: usize,
) -> Result<Vec<TaskRecord>, AppError> {
    let mut sql = SqlBuilder::new(SELECT);
    let account = sql.bind(Param::Int(filter.account.0));
    sql.push(&format!("WHERE t.client_id = {account} "));
    if let Some(person) = filter.own {
        let person = sql.bind(Param::Int(person.0));
        sql.push(&format!(
            "AND (t.assigned_to = {person} OR t.created_by = {person}) "
        ));
    }
    if let Some(message) = filter.message {
        let message = sql.bind(Param::Int(message));
        sql.push(&format!("AND t.source_message_id = {message} "));
    } else {
        sql.push(match filter.show {
            TaskShow::Open => "AND t.status = 'open' ",
            TaskShow::Closed => "AND t.status <> 'open' ",
        });
    }
    match filter.who {
        TaskWho::Anyone => {}
        TaskWho::Mine => {
            let me = sql.bind(Param::Int(filter.me.0));
            sql.push(&format!("AND t.assigned_to = {me} "));
        }
        TaskWho::Service => {
            sql.push("AND t.for_answering_service = 1 ");
        }
        TaskWho::Nobody => {
            sql.push("AND t.assigned_to IS NULL AND t.for_answering_service = 0 ");
        }
    }
    sql.push(match (filter.message, filter.show) {
        (Some(_), _) => "ORDER BY t.id ",
        (None, TaskShow::Open) => {
            "ORDER BY (t.due_at IS NULL), t.due_at, (t.priority <> 'urgent'), t.id "
        }
        (None, TaskShow::Closed) => "ORDER BY t.closed_at DESC, t.id DESC ",
    });
    let limit = sql.bind(Param::Int(limit as i64));
    sql.push(&format!("LIMIT {limit}"));
    let rows = sql.query().fetch_all(db).await?;
    Ok(rows.iter().map(record_of).collect::<Result<_, _>>()?)
}

/// How many of an account's open tasks (those assigned to `assigned_to`, when
/// given) there are, and how many of them are overdue at `now`.
pub async fn open_counts<'e>(
    db: impl Executor<'e, Database = Any>,
    account: NodeId,
    assigned_to: Option<UserId>,
    now: i64,
) -> Result<(i64, i64), AppError> {
    let mut sql = SqlBuilder::new("");
    let now = sql.bind(Param::Int(now));
    let account = sql.bind(Param::Int(account.0));
    sql.push(&format!(
        "SELECT COUNT(*) AS open, \
                COALESCE(SUM(CASE WHEN due_at <= {now} THEN 1 ELSE 0 END), 0) AS overdue \
         FROM tasks WHERE client_id = {account} AND status = 'open'"
    ));
    if let Some(person) = assigned_to {
        let person = sql.bind(Param::Int(person.0));
        sql.push(&format!(" AND assigned_to = {person}"));
    }
    let row = sql.query().fetch_one(db).await?;
    Ok((row.try_get("open")?, row.try_get("overdue")?))
}

/// The open tasks for the answering service, by when they fall due.
pub async fn open_for_service<'e>(
    db: impl Executor<'e, Database = Any>,
    account: NodeId,
) -> Result<Vec<TaskRecord>, AppError> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE t.client_id = $1 AND t.status = 'open' AND t.for_answering_service = 1 \
         ORDER BY (t.due_at IS NULL), t.due_at, (t.priority <> 'urgent'), t.id"
    ))
    .bind(account.0)
    .fetch_all(db)
    .await?;
    Ok(rows.iter().map(record_of).collect::<Result<_, _>>()?)
}

/// The people of an account a task may be assigned to, by name: those holding roles
/// at it whose sign-in is not disabled.
pub async fn assignable<'e>(
    db: impl Executor<'e, Database = Any>,
    account: NodeId,
) -> Result<Vec<(UserId, String)>, AppError> {
    let rows = sqlx::query(
        "SELECT u.id, u.name FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.node_id = $1 AND u.status <> 'disabled' ORDER BY u.name, u.id",
    )
    .bind(account.0)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| Ok((UserId(row.try_get("id")?), row.try_get("name")?)))
        .collect()
}

fn assignee_columns(assignee: Assignee) -> (Option<i64>, i64) {
    match assignee {
        Assignee::Person(user) => (Some(user.0), 0),
        Assignee::AnsweringService => (None, flag_value(true)),
        Assignee::Nobody => (None, 0),
    }
}

pub async fn insert(
    conn: &mut AnyConnection,
    account: NodeId,
    fields: &TaskFields,
    source_message: Option<i64>,
    by: UserId,
) -> Result<i64, AppError> {
    let (assigned_to, for_service) = assignee_columns(fields.assignee);
    let now = now_ms();
    Ok(sqlx::query_scalar(
        "INSERT INTO tasks (client_id, title, notes, assigned_to, for_answering_service, \
                            due_date, due_time, due_at, priority, source_message_id, \
                            created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(account.0)
    .bind(&fields.title)
    .bind(&fields.notes)
    .bind(assigned_to)
    .bind(for_service)
    .bind(fields.due_date.as_deref())
    .bind(fields.due_time.as_deref())
    .bind(fields.due_at)
    .bind(fields.priority.key())
    .bind(source_message)
    .bind(by.0)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// Saves a task's fields if `version` is current; false when stale.
pub async fn update(
    conn: &mut AnyConnection,
    id: i64,
    fields: &TaskFields,
    version: i64,
) -> Result<bool, AppError> {
    let (assigned_to, for_service) = assignee_columns(fields.assignee);
    RowUpdate::of("tasks")
        .set("title", &fields.title)
        .set("notes", &fields.notes)
        .set("assigned_to", assigned_to)
        .set("for_answering_service", for_service)
        .set("due_date", &fields.due_date)
        .set("due_time", &fields.due_time)
        .set("due_at", fields.due_at)
        .set("priority", fields.priority.key())
        .of_row("id", id)
        .if_at(version, conn)
        .await
}

/// Moves a task to `status` if `version` is current (closing it records by whom and
/// when; reopening forgets that); false when stale.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: i64,
    status: TaskStatus,
    by: UserId,
    version: i64,
) -> Result<bool, AppError> {
    let (closed_by, closed_at) = match status {
        TaskStatus::Open => (None, None),
        TaskStatus::Done | TaskStatus::Cancelled => (Some(by.0), Some(now_ms())),
    };
    RowUpdate::of("tasks")
        .set("status", status.key())
        .set("closed_by", closed_by)
        .set("closed_at", closed_at)
        .of_row("id", id)
        .if_at(version, conn)
        .await
}
