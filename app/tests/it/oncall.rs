//! The on-call calendar on both databases: rules and overrides saved from their
//! forms and resolved into "on call now", the week's agenda and gaps, messages that
//! came while nobody was on call, stale saves refused, every change on the record,
//! and who may do what.

use app::auth::actor::Actor;
use app::briefing::service::{add_contact, remove_contact, ContactForm};
use app::clients::repo::client_record;
use app::core::roles::Role;
use app::core::zone::{input_value, rfc3339, zone};
use app::core::NodeId;
use app::db::{now_ms, Db};
use app::error::AppError;
use app::inbox::ingest::{ingest_message, MessageBody, NewMessage};
use app::oncall::repo::ScheduleTable;
use app::oncall::service::{
    calendar, override_form, remove, rule_form, save_override, save_rule, OverrideForm, RuleForm,
};
use app::oncall::Coverage;
use app::state::AppState;

use crate::common::{caller, on_every_database, state};
use crate::fixtures::{actor_with, build_tree, Tree};
use crate::outcome::{outcome, Outcome};

const HOUR: i64 = 3_600_000;
const EVERY_DAY: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

struct World {
    state: AppState,
    tree: Tree,
    admin: Actor,
    kim: i64,
    lee: i64,
}

async fn world(db: Db) -> World {
    let tree = build_tree(&db).await;
    let state = state(db);
    let admin = actor_with(
        &state.db,
        "hana@harbor.test",
        tree.client,
        &[Role::ClientAdmin],
    )
    .await;
    let as_admin = caller(&state, &admin);
    let contact = |name| ContactForm {
        name,
        role: "Dentist",
        instructions: "",
        methods: &[],
    };
    let kim = add_contact(&as_admin, None, &contact("Dr Kim"))
        .await
        .unwrap();
    let lee = add_contact(&as_admin, None, &contact("Dr Lee"))
        .await
        .unwrap();
    World {
        state,
        tree,
        admin,
        kim,
        lee,
    }
}

fn days(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|key| key.to_string()).collect()
}

impl World {
    /// Every day, all day, `contact` on call.
    async fn always(&self, contact: i64) -> i64 {
        let weekdays = days(&EVERY_DAY);
        let contacts = vec![contact.to_string()];
        let form = RuleForm {
            weekdays: &weekdays,
            start: "00:00",
            end: "00:00",
            closed: false,
            contacts: &contacts,
            note: "",
        };
        save_rule(&caller(&self.state, &self.admin), None, None, &form, 0)
            .await
            .unwrap()
            .1
    }

    /// An override of `from..to` (ms) bringing `add` on and taking `remove` off.
    async fn swap(&self, (from, to): (i64, i64), add: &str, remove: &str) -> Result<i64, AppError> {
        let zone = zone("America/New_York");
        let (starts, ends) = (input_value(from, &zone), input_value(to, &zone));
        let form = OverrideForm {
            starts: &starts,
            ends: &ends,
            add,
            remove,
            note: "Conference",
        };
        save_override(&caller(&self.state, &self.admin), None, None, &form, 0)
            .await
            .map(|(_, id)| id)
    }
}

#[tokio::test]
async fn a_rule_and_an_override_decide_who_is_on_call_now_and_until_when() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let as_admin = caller(&world.state, &world.admin);
        let empty = calendar(&as_admin, None).await.unwrap();
        assert!(
            empty.now.people.is_empty() && !empty.now.gap,
            "no rules: nobody is meant to be on call"
        );
        assert!(empty.gaps.is_empty());
        assert_eq!(empty.days.len(), 7);
        assert!(empty.days[0].today);

        world.always(world.kim).await;
        let covered = calendar(&as_admin, None).await.unwrap();
        assert_eq!(covered.now.people[0].name, "Dr Kim");
        assert!(covered.gaps.is_empty(), "{:?}", covered.gaps);
        assert!(covered
            .days
            .iter()
            .all(|day| day.entries.iter().all(|e| e.coverage == Coverage::Covered)));

        // Minutes count in the account's local time, so start on a whole minute.
        let now = now_ms() / 60_000 * 60_000;
        let (kim, lee) = (world.kim.to_string(), world.lee.to_string());
        world
            .swap((now - HOUR, now + 2 * HOUR), &lee, &kim)
            .await
            .unwrap();
        let swapped = calendar(&as_admin, None).await.unwrap();
        let names: Vec<&str> = swapped.now.people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Dr Lee"]);
        assert_eq!(swapped.now.then, ["Dr Kim"]);
        assert!(
            swapped.now.summary().starts_with("until "),
            "{}",
            swapped.now.summary()
        );
        assert_eq!(swapped.overrides[0].change(), "Dr Lee instead of Dr Kim");

        // A contact the calendar names cannot be removed from under it.
        let refused = remove_contact(&as_admin, world.kim, 1).await;
        assert!(
            matches!(refused, Err(AppError::Conflict(ref m)) if m.contains("on-call")),
            "{refused:?}"
        );

        // Bad overrides are refused at their fields.
        let refused = world.swap((now + HOUR, now), &lee, "").await;
        let Err(AppError::Validation(errors)) = refused else {
            panic!("{refused:?}")
        };
        assert!(errors.get("ends").is_some());
        let refused = world.swap((now, now + HOUR), &lee, &lee).await;
        let Err(AppError::Validation(errors)) = refused else {
            panic!("{refused:?}")
        };
        assert!(errors.get("off_call").is_some());
        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_events WHERE action LIKE 'oncall.%' ORDER BY id",
        )
        .fetch_all(world.state.db.pool())
        .await
        .unwrap();
        assert_eq!(actions, ["oncall.rule_added", "oncall.override_added"]);
    })
    .await;
}

#[tokio::test]
async fn a_message_that_came_while_nobody_was_on_call_is_flagged_on_it_and_on_the_calendar() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let as_admin = caller(&world.state, &world.admin);
        world.always(world.kim).await;
        let now = now_ms() / 60_000 * 60_000;
        world
            .swap((now - 3 * HOUR, now + HOUR), "", &world.kim.to_string())
            .await
            .unwrap();
        let received = |at: i64| rfc3339(at, &zone("UTC"));
        let mut ids = Vec::new();
        for (external_id, at) in [("in-the-gap", now - 2 * HOUR), ("covered", now - 4 * HOUR)] {
            let body = MessageBody {
                external_id: Some(external_id.into()),
                channel: Some("call".into()),
                received_at: Some(received(at)),
                caller_name: Some("Lena Ortiz".into()),
                callback_number: Some("+15550100".into()),
                text: Some("Toothache".into()),
                ..MessageBody::default()
            };
            let (message, recipients) = NewMessage::from_body(&body).unwrap();
            let client = client_record(world.state.db.pool(), world.tree.client)
                .await
                .unwrap()
                .unwrap();
            ids.push(
                ingest_message(&world.state.db, &client, message, recipients)
                    .await
                    .unwrap()
                    .id,
            );
        }
        let flagged = app::inbox::service::message(&as_admin, ids[0])
            .await
            .unwrap();
        assert!(flagged.arrived_uncovered);
        assert!(
            !app::inbox::service::message(&as_admin, ids[1])
                .await
                .unwrap()
                .arrived_uncovered
        );
        let view = calendar(&as_admin, None).await.unwrap();
        assert_eq!(view.missed.len(), 1);
        assert_eq!(view.missed[0].messages.len(), 1);
        assert_eq!(view.missed[0].messages[0].id, ids[0]);
    })
    .await;
}

#[tokio::test]
async fn a_stale_rule_is_refused_naming_who_changed_it_and_closed_hours_are_intended() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let as_admin = caller(&world.state, &world.admin);
        let id = world.always(world.kim).await;
        let weekdays = days(&["sat", "sun"]);
        let nobody: Vec<String> = Vec::new();
        let closed = RuleForm {
            weekdays: &weekdays,
            start: "00:00",
            end: "00:00",
            closed: true,
            contacts: &nobody,
            note: "Weekends closed",
        };
        save_rule(&as_admin, None, Some(id), &closed, 1)
            .await
            .unwrap();
        let other = actor_with(
            &world.state.db,
            "nora@northwind.test",
            world.tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        let stale = save_rule(&caller(&world.state, &other), None, Some(id), &closed, 1).await;
        let Err(AppError::Conflict(message)) = stale else {
            panic!("{stale:?}")
        };
        assert!(
            message.starts_with("Test User edited this rule"),
            "{message}"
        );
        let form = rule_form(&as_admin, None, Some(id)).await.unwrap();
        let rule = form.record.unwrap();
        assert!(rule.closed && rule.days == "Sat, Sun" && rule.version == 2);
        let view = calendar(&as_admin, None).await.unwrap();
        assert!(view.gaps.iter().any(|gap| gap.intended), "{:?}", view.gaps);
        assert!(
            view.gaps.iter().any(|gap| !gap.intended),
            "weekdays are uncovered now"
        );
        remove(&as_admin, ScheduleTable::Rules, id, 2)
            .await
            .unwrap();
        assert!(calendar(&as_admin, None).await.unwrap().rules.is_empty());
    })
    .await;
}

#[tokio::test]
async fn authorization_matrix_of_the_on_call_calendar() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let tree = &world.tree;
        let rule = world.always(world.kim).await;
        let now = now_ms() / 60_000 * 60_000;
        let change = world
            .swap((now, now + HOUR), &world.lee.to_string(), "")
            .await
            .unwrap();
        use Outcome::{Allowed as A, Forbidden as F, NotFound as N};
        let matrix = [
            (Role::ClientAdmin, tree.client, A, A),
            (Role::ClientUser, tree.client, A, F),
            (Role::AccountAdmin, tree.partner, A, A),
            (Role::User, tree.group, A, F),
            (Role::SupportAgent, tree.platform, F, F),
            (Role::AccountAdmin, tree.other_partner, N, N),
            (Role::ClientAdmin, tree.other_client, N, N),
        ];
        let weekdays = days(&["mon"]);
        let nobody: Vec<String> = Vec::new();
        let empty_rule = RuleForm {
            weekdays: &weekdays,
            start: "",
            end: "",
            closed: false,
            contacts: &nobody,
            note: "",
        };
        let empty_override = OverrideForm {
            starts: "",
            ends: "",
            add: "",
            remove: "",
            note: "",
        };
        for (index, (role, node, reads, changes)) in matrix.into_iter().enumerate() {
            let who = actor_with(
                &world.state.db,
                &format!("actor{index}@matrix.test"),
                node,
                &[role],
            )
            .await;
            let as_them = caller(&world.state, &who);
            let account: Option<NodeId> = Some(tree.client);
            let read = [
                outcome(&calendar(&as_them, account).await),
                outcome(&rule_form(&as_them, None, Some(rule)).await),
                outcome(&override_form(&as_them, None, Some(change)).await),
            ];
            assert_eq!(read, [reads; 3], "{role:?} reading");
            let changed = [
                outcome(&save_rule(&as_them, account, None, &empty_rule, 0).await),
                outcome(&save_rule(&as_them, None, Some(rule), &empty_rule, 99).await),
                outcome(&save_override(&as_them, account, None, &empty_override, 0).await),
                outcome(&save_override(&as_them, None, Some(change), &empty_override, 99).await),
                outcome(&remove(&as_them, ScheduleTable::Rules, rule, 99).await),
                outcome(&remove(&as_them, ScheduleTable::Overrides, change, 99).await),
            ];
            assert_eq!(changed, [changes; 6], "{role:?} changing");
        }
    })
    .await;
}
