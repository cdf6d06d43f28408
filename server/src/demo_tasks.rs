//! Harbor Dental's demo tasks: one made from the week's urgent message for the front
//! desk, one for reception, one for the answering service, one for nobody yet, and
//! one already done, each with its record in the audit trail. Seeded once: an
//! account that has tasks keeps what it has.

use app::audit_trail::{record, record_key, AuditEvent};
use app::auth::repo::find_by_email;
use app::core::zone::{input_value, zone};
use app::core::{NodeId, UserId};
use app::db::{now_ms, Db};
use app::tasks::repo::{insert, set_status};
use app::tasks::service::task_fields;
use app::tasks::{Assignee, TaskEditor, TaskInput, TaskPriority, TaskStatus};
use serde_json::json;

use crate::cli::CliResult;

const DAY: i64 = 86_400_000;
/// Where the demo's records say the changes came from.
const SEEDED_FROM: &str = "127.0.0.1";

struct DemoTask {
    title: &'static str,
    notes: &'static str,
    assignee: Assignee,
    /// Days from today, and the local time, if it is due.
    due: Option<(i64, Option<&'static str>)>,
    priority: TaskPriority,
    from_message: Option<i64>,
    done: bool,
}

pub async fn seed_tasks(db: &Db, harbor: NodeId, time_zone: &str) -> CliResult {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE client_id = $1")
        .bind(harbor.0)
        .fetch_one(db.pool())
        .await?;
    if existing > 0 {
        return Ok(());
    }
    let admin = person(db, "client.admin@harbor-dental.test").await?;
    let front_desk = person(db, "front.desk@harbor-dental.test").await?;
    let reception = person(db, crate::seed::HARBOR_RECEPTION).await?;
    let urgent_message: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM messages WHERE client_id = $1 AND external_id = 'demo-harbor-fr-000'",
    )
    .bind(harbor.0)
    .fetch_optional(db.pool())
    .await?;
    let tasks = [
        DemoTask {
            title: "Rappeler Élodie Marchand pour un créneau aujourd’hui",
            notes: "Couronne descellée, elle a mal. Proposer 16 h 30 avec le Dr Kim.",
            assignee: Assignee::Person(front_desk),
            due: Some((0, Some("16:00"))),
            priority: TaskPriority::Urgent,
            from_message: urgent_message,
            done: false,
        },
        DemoTask {
            title: "Confirm next week's hygiene appointments",
            notes: "Text each patient; call those who do not answer by noon.",
            assignee: Assignee::Person(reception),
            due: Some((1, None)),
            priority: TaskPriority::Normal,
            from_message: None,
            done: false,
        },
        DemoTask {
            title: "Tell callers about the new parking entrance",
            notes: "Until the end of the month: park behind the building, enter from Atlantic Ave.",
            assignee: Assignee::AnsweringService,
            due: Some((14, None)),
            priority: TaskPriority::Normal,
            from_message: None,
            done: false,
        },
        DemoTask {
            title: "Choose who covers the holiday weekend",
            notes: "",
            assignee: Assignee::Nobody,
            due: Some((5, None)),
            priority: TaskPriority::Normal,
            from_message: None,
            done: false,
        },
        DemoTask {
            title: "Order new appointment cards",
            notes: "",
            assignee: Assignee::Person(admin),
            due: Some((-2, None)),
            priority: TaskPriority::Normal,
            from_message: None,
            done: true,
        },
    ];
    for task in tasks {
        seed_task(db, harbor, time_zone, admin, task).await?;
    }
    Ok(())
}

async fn person(db: &Db, email: &str) -> Result<UserId, Box<dyn std::error::Error>> {
    let user = find_by_email(db.pool(), email).await?;
    Ok(user.ok_or_else(|| format!("{email} is missing"))?.id)
}

async fn seed_task(
    db: &Db,
    harbor: NodeId,
    time_zone: &str,
    admin: UserId,
    task: DemoTask,
) -> CliResult {
    let (due_date, due_time) = match task.due {
        Some((days, time)) => {
            let day = input_value(now_ms() + days * DAY, &zone(time_zone));
            let date = day.split('T').next().unwrap_or_default().to_string();
            (date, time.unwrap_or_default().to_string())
        }
        None => (String::new(), String::new()),
    };
    let input = TaskInput {
        title: task.title.into(),
        notes: task.notes.into(),
        assignee: task.assignee.key(),
        due_date,
        due_time,
        priority: task.priority.key().into(),
    };
    let editor = TaskEditor {
        account: harbor,
        zone: time_zone.into(),
        choices: vec![(task.assignee.key(), String::new())],
    };
    let fields = task_fields(&input, &editor, &zone(time_zone), None)?;
    let mut tx = db.begin().await?;
    let id = insert(&mut tx, harbor, &fields, task.from_message, admin).await?;
    let mut events = vec![(
        "task.added",
        json!({ "after": { "title": fields.title }, "message": task.from_message }),
    )];
    if task.done {
        set_status(&mut tx, id, TaskStatus::Done, admin, 1).await?;
        events.push(("task.completed", json!({ "title": fields.title })));
    }
    for (action, details) in events {
        let mut event = AuditEvent::at_node(admin, harbor, action, details, SEEDED_FROM);
        event.record = Some(record_key("task", id));
        record(&mut tx, event).await?;
    }
    tx.commit().await?;
    Ok(())
}
