//! Tasks on both databases: who sees and changes which, made from a message and
//! linked both ways, stale saves refused with who changed what, the activity from
//! the audit chain, the answering service's tasks in the operator view, and the
//! authorization of every server function for every role.

use app::auth::actor::Actor;
use app::core::roles::Role;
use app::db::Db;
use app::error::AppError;
use app::inbox::service::{message, task_from_message};
use app::operator_view::service::preview;
use app::state::AppState;
use app::tasks::service::{add, list, new_task_form, set_status, task_view, update};
use app::tasks::{Assignee, TaskInput, TaskQuery, TaskShow, TaskStatus, TaskWho};
use serde_json::Value;

use crate::common::{caller, on_every_database, state};
use crate::fixtures::sessions::{actor, form, impersonate, person, Person};
use crate::fixtures::{actor_with, build_tree, taken, Tree};
use crate::outcome::{outcome, Outcome};

struct World {
    state: AppState,
    tree: Tree,
    /// Harbor Dental's Client Admin.
    admin: Actor,
    /// Two Client Users of Harbor Dental.
    quinn: Person,
    rosa: Person,
    /// A call message for Quinn.
    message: i64,
}

async fn world(db: Db) -> World {
    let tree = build_tree(&db).await;
    let state = state(db);
    let admin = person(
        &state,
        "Hana Harbor",
        "hana@harbor.test",
        tree.client,
        &[Role::ClientAdmin],
    )
    .await;
    let admin = actor(&state, &admin.token).await.unwrap();
    let quinn = person(
        &state,
        "Quinn Client",
        "quinn@harbor.test",
        tree.client,
        &[Role::ClientUser],
    )
    .await;
    let rosa = person(
        &state,
        "Rosa Reyes",
        "rosa@harbor.test",
        tree.client,
        &[Role::ClientUser],
    )
    .await;
    let message = taken(
        &state,
        tree.client,
        "M-task",
        "call",
        "urgent",
        &["quinn@harbor.test"],
    )
    .await;
    World {
        state,
        tree,
        admin,
        quinn,
        rosa,
        message,
    }
}

fn task(title: &str, assignee: Assignee) -> TaskInput {
    TaskInput {
        title: title.into(),
        assignee: assignee.key(),
        due_date: "2026-12-24".into(),
        due_time: "14:30".into(),
        priority: "urgent".into(),
        ..TaskInput::default()
    }
}

/// Adds a task (due 24 December at 14:30, urgent) through `by`; its id.
async fn added(by: &app::auth::caller::Caller, title: &str, assignee: Assignee) -> i64 {
    add(by, None, &task(title, assignee), None).await.unwrap()
}

async fn as_person(world: &World, who: &Person) -> Actor {
    actor(&world.state, &who.token).await.unwrap()
}

/// The titles `who` sees in the open list.
async fn titles(world: &World, who: &Actor, query: TaskQuery) -> Vec<String> {
    let view = list(&caller(&world.state, who), &query).await.unwrap();
    view.rows.into_iter().map(|row| row.title).collect()
}

async fn actions(db: &Db, record: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM audit_events WHERE record = $1 ORDER BY id")
        .bind(record)
        .fetch_all(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_client_user_sees_and_completes_only_what_is_theirs() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let admin = caller(&world.state, &world.admin);
        let for_quinn = added(&admin, "Call Lena back", Assignee::Person(world.quinn.id)).await;
        let for_rosa = added(&admin, "Confirm bookings", Assignee::Person(world.rosa.id)).await;
        added(
            &admin,
            "Tell callers about parking",
            Assignee::AnsweringService,
        )
        .await;
        let quinn = as_person(&world, &world.quinn).await;
        let as_quinn = caller(&world.state, &quinn);

        // The admin sees all three, and can narrow them; Quinn sees hers alone.
        assert_eq!(
            titles(&world, &world.admin, TaskQuery::default())
                .await
                .len(),
            3
        );
        let service = TaskQuery {
            who: TaskWho::Service,
            ..TaskQuery::default()
        };
        assert_eq!(
            titles(&world, &world.admin, service.clone()).await,
            ["Tell callers about parking"]
        );
        assert_eq!(
            titles(&world, &quinn, TaskQuery::default()).await,
            ["Call Lena back"]
        );
        // Her filter by whose is ignored: she sees only hers whatever the address says.
        assert_eq!(titles(&world, &quinn, service).await, ["Call Lena back"]);
        assert!(matches!(
            task_view(&as_quinn, for_rosa).await,
            Err(AppError::NotFound)
        ));

        // She completes hers but neither cancels nor edits it, and touches nobody else's.
        let view = task_view(&as_quinn, for_quinn).await.unwrap();
        assert_eq!(view.moves, [TaskStatus::Done]);
        assert!(view.editor.is_none());
        assert!(matches!(
            set_status(&as_quinn, for_quinn, TaskStatus::Cancelled, view.version).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            update(
                &as_quinn,
                for_quinn,
                &task("Mine now", Assignee::Nobody),
                view.version
            )
            .await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            set_status(&as_quinn, for_rosa, TaskStatus::Done, 1).await,
            Err(AppError::NotFound)
        ));
        set_status(&as_quinn, for_quinn, TaskStatus::Done, view.version)
            .await
            .unwrap();
        let done = task_view(&as_quinn, for_quinn).await.unwrap();
        assert_eq!(done.status, TaskStatus::Done);
        assert!(done.closed.unwrap().starts_with("Done by Quinn Client"));
        assert_eq!(done.moves, [TaskStatus::Open]);
        assert!(titles(&world, &quinn, TaskQuery::default())
            .await
            .is_empty());
        let closed = TaskQuery {
            show: TaskShow::Closed,
            ..TaskQuery::default()
        };
        assert_eq!(titles(&world, &quinn, closed).await, ["Call Lena back"]);

        // She makes tasks for herself only, and sees the ones she made.
        let editor = new_task_form(&as_quinn, None).await.unwrap();
        assert_eq!(editor.choices.len(), 1);
        let refused = add(
            &as_quinn,
            None,
            &task("For Rosa", Assignee::Person(world.rosa.id)),
            None,
        )
        .await;
        let Err(AppError::Validation(errors)) = refused else {
            panic!("{refused:?}")
        };
        assert!(errors.get("assignee").is_some());
        added(&as_quinn, "Order floss", Assignee::Person(world.quinn.id)).await;
        assert_eq!(
            titles(&world, &quinn, TaskQuery::default()).await,
            ["Order floss"]
        );

        // The record: each change, by whom.
        let record = format!("task:{for_quinn}");
        assert_eq!(
            actions(&world.state.db, &record).await,
            ["task.added", "task.completed"]
        );
        let activity: Vec<String> = done.activity.into_iter().map(|line| line.what).collect();
        assert_eq!(
            activity,
            ["Added by Hana Harbor", "Marked done by Quinn Client"]
        );
    })
    .await;
}

#[tokio::test]
async fn a_task_made_from_a_message_links_both_ways() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let admin = caller(&world.state, &world.admin);
        let suggested = message(&admin, world.message).await.unwrap();
        let (_, input) = suggested.new_task.clone().unwrap();
        assert_eq!(input.title, "Call back Caller M-task");
        assert_eq!(input.notes, "Please call back about M-task");
        let input = TaskInput {
            assignee: Assignee::Person(world.quinn.id).key(),
            ..input
        };
        let id = task_from_message(&admin, world.message, &input)
            .await
            .unwrap();

        let view = task_view(&admin, id).await.unwrap();
        let source = view.source.unwrap();
        assert_eq!(
            (source.id, source.who.as_str()),
            (world.message, "Caller M-task")
        );
        assert_eq!(view.activity[0].what, "Made from a message by Hana Harbor");
        let linked = message(&admin, world.message).await.unwrap().tasks;
        assert_eq!(linked.iter().map(|row| row.id).collect::<Vec<_>>(), [id]);
        assert!(linked[0].from_message);

        // Quinn, whom the message is for, sees the task on it; Rosa sees neither.
        let quinn = as_person(&world, &world.quinn).await;
        let on_her_message = message(&caller(&world.state, &quinn), world.message)
            .await
            .unwrap();
        assert_eq!(on_her_message.tasks.len(), 1);
        let rosa = as_person(&world, &world.rosa).await;
        let as_rosa = caller(&world.state, &rosa);
        let mine = TaskInput {
            assignee: Assignee::Person(world.rosa.id).key(),
            ..input.clone()
        };
        assert!(matches!(
            task_from_message(&as_rosa, world.message, &mine).await,
            Err(AppError::NotFound)
        ));
        // A message of another account cannot be named.
        let elsewhere = taken(
            &world.state,
            world.tree.other_client,
            "M-far",
            "sms",
            "normal",
            &[],
        )
        .await;
        assert!(matches!(
            task_from_message(&admin, elsewhere, &input).await,
            Err(AppError::NotFound)
        ));
    })
    .await;
}

#[tokio::test]
async fn a_stale_edit_is_refused_with_who_changed_the_task() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let admin = caller(&world.state, &world.admin);
        let id = added(&admin, "Order cards", Assignee::Nobody).await;
        let other = person(
            &world.state,
            "Milo Manager",
            "milo@harbor.test",
            world.tree.client,
            &[Role::ClientAdmin],
        )
        .await;
        let other = as_person(&world, &other).await;
        let version = task_view(&admin, id).await.unwrap().version;
        update(
            &caller(&world.state, &other),
            id,
            &task("Order cards today", Assignee::Nobody),
            version,
        )
        .await
        .unwrap();
        let stale = update(
            &admin,
            id,
            &task("Order 500 cards", Assignee::Nobody),
            version,
        )
        .await;
        let Err(AppError::Conflict(message)) = stale else {
            panic!("{stale:?}")
        };
        assert!(
            message.starts_with("Milo Manager edited this task"),
            "{message}"
        );
        let stale = set_status(&admin, id, TaskStatus::Done, version).await;
        assert!(matches!(stale, Err(AppError::Conflict(_))), "{stale:?}");

        let view = task_view(&admin, id).await.unwrap();
        assert_eq!(view.title, "Order cards today");
        assert_eq!(view.activity[1].what, "Edited by Milo Manager: title");
        // Bad input is refused at its field and changes nothing.
        let bad = TaskInput {
            due_date: "next week".into(),
            ..task("", Assignee::Nobody)
        };
        let Err(AppError::Validation(errors)) = update(&admin, id, &bad, view.version).await else {
            panic!("a validation error")
        };
        assert!(errors.get("title").is_some() && errors.get("due_date").is_some());
        assert_eq!(task_view(&admin, id).await.unwrap().version, view.version);
    })
    .await;
}

#[tokio::test]
async fn the_operator_view_holds_the_open_tasks_for_the_answering_service() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let admin = caller(&world.state, &world.admin);
        let document = |world: &World| {
            let admin = caller(&world.state, &world.admin);
            async move {
                let body = preview(&admin, None).await.unwrap().body;
                serde_json::from_str::<Value>(&body).unwrap()
            }
        };
        let before = document(&world).await;
        assert_eq!(before["tasks"], Value::Array(vec![]));

        // A task for someone else leaves the document as it was.
        added(&admin, "Order cards", Assignee::Nobody).await;
        assert_eq!(document(&world).await["version"], before["version"]);

        let id = added(
            &admin,
            "Tell callers about parking",
            Assignee::AnsweringService,
        )
        .await;
        let with_task = document(&world).await;
        assert_ne!(with_task["version"], before["version"]);
        let facts = &with_task["tasks"][0];
        assert_eq!(facts["title"], "Tell callers about parking");
        assert_eq!(facts["priority"], "urgent");
        assert_eq!(facts["due_date"], "2026-12-24");
        assert_eq!(facts["due_time"], "14:30");
        assert_eq!(facts["due_at"], "2026-12-24T14:30:00-05:00");

        // Done, it leaves the document, whose version moves on again.
        set_status(&admin, id, TaskStatus::Done, 1).await.unwrap();
        let after = document(&world).await;
        assert_eq!(after["tasks"], Value::Array(vec![]));
        assert_ne!(after["version"], with_task["version"]);
    })
    .await;
}

#[tokio::test]
async fn partner_staff_acting_as_a_client_user_see_what_she_sees_on_the_record() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let state = &world.state;
        let admin = caller(state, &world.admin);
        let hers = added(&admin, "Call Lena back", Assignee::Person(world.quinn.id)).await;
        added(&admin, "Confirm bookings", Assignee::Person(world.rosa.id)).await;
        let staff = person(
            state,
            "Nora North",
            "nora@northwind.test",
            world.tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        let as_quinn =
            impersonate(state, &staff, form(world.tree.client, Some(world.quinn.id))).await;
        let acting = actor(state, &as_quinn.token).await.unwrap();
        assert_eq!(
            titles(&world, &acting, TaskQuery::default()).await,
            ["Call Lena back"]
        );
        set_status(&caller(state, &acting), hers, TaskStatus::Done, 1)
            .await
            .unwrap();
        let view = task_view(&admin, hers).await.unwrap();
        assert_eq!(
            view.activity[1].what,
            "Marked done by Nora North (logged in as Quinn Client)"
        );
        assert!(view.closed.unwrap().starts_with("Done by Nora North"));

        // Logged in as the partner, she sees and edits them all.
        let as_partner = impersonate(state, &staff, form(world.tree.client, None)).await;
        let partner = actor(state, &as_partner.token).await.unwrap();
        assert_eq!(
            titles(&world, &partner, TaskQuery::default()).await,
            ["Confirm bookings"]
        );
        let id = add(
            &caller(state, &partner),
            None,
            &task("Check the rota", Assignee::Nobody),
            None,
        )
        .await
        .unwrap();
        let impersonation: Option<i64> =
            sqlx::query_scalar("SELECT impersonation_id FROM audit_events WHERE record = $1")
                .bind(format!("task:{id}"))
                .fetch_one(state.db.pool())
                .await
                .unwrap();
        assert_eq!(impersonation, Some(as_partner.id.0));
    })
    .await;
}

#[tokio::test]
async fn authorization_matrix_of_tasks() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let tree = &world.tree;
        let admin = caller(&world.state, &world.admin);
        let existing = added(&admin, "Call Lena back", Assignee::Nobody).await;
        use Outcome::{Allowed as A, Forbidden as F, NotFound as N};
        // (role, where, lists, opens the task, makes tasks, edits, completes, previews,
        // makes one from a call message addressed to a Client User)
        let matrix = [
            (Role::ClientAdmin, tree.client, [A, A, A, A, A, A, A]),
            (Role::AccountManager, tree.client, [A, A, A, A, A, A, A]),
            // Sees only her own tasks and the messages addressed to her.
            (Role::ClientUser, tree.client, [A, N, A, N, N, F, N]),
            (Role::AccountAdmin, tree.partner, [A, A, A, A, A, A, A]),
            (Role::User, tree.group, [A, A, F, F, F, A, F]),
            // Reads texts and chat, not calls.
            (Role::MessagingAgent, tree.partner, [A, A, F, F, F, A, N]),
            (Role::PlatformAdmin, tree.platform, [A, A, A, A, A, A, A]),
            (Role::SupportAgent, tree.platform, [F, N, F, N, N, F, N]),
            (Role::AccountAdmin, tree.other_partner, [N; 7]),
            (Role::ClientAdmin, tree.other_client, [N; 7]),
        ];
        for (index, (role, node, expected)) in matrix.into_iter().enumerate() {
            let who = actor_with(
                &world.state.db,
                &format!("actor{index}@matrix.test"),
                node,
                &[role],
            )
            .await;
            let as_them = caller(&world.state, &who);
            let account = Some(tree.client);
            let query = TaskQuery {
                account,
                ..TaskQuery::default()
            };
            let mine = task("Mine", Assignee::Person(who.user().id));
            let got = [
                outcome(&list(&as_them, &query).await),
                outcome(&task_view(&as_them, existing).await),
                outcome(&add(&as_them, account, &mine, None).await),
                outcome(&update(&as_them, existing, &task("X", Assignee::Nobody), 999).await),
                outcome(&set_status(&as_them, existing, TaskStatus::Done, 999).await),
                outcome(&preview(&as_them, account).await),
                outcome(&task_from_message(&as_them, world.message, &mine).await),
            ];
            assert_eq!(got, expected, "{role:?} at {node:?}");
        }
    })
    .await;
}
