//! The audit log viewer on both databases: each reader sees the events of the
//! subtrees where they hold ViewAudit (the platform's also those tied to no node), and
//! the filters and pages narrow and walk them.

use crate::common::{self, caller, state};
use crate::fixtures;

use app::audit::service::{audit_page, PAGE_SIZE};
use app::audit::{AuditPage, AuditQuery};
use app::audit_trail::{record, AuditEvent};
use app::auth::actor::Actor;
use app::core::roles::Role;
use app::core::NodeId;
use app::db::Db;
use app::error::AppError;
use app::state::AppState;
use common::on_every_database;
use fixtures::{actor_with, build_tree};

async fn event(db: &Db, actor: &Actor, node: Option<NodeId>, action: &str) {
    let mut tx = db.begin().await.unwrap();
    let event = match node {
        Some(node) => AuditEvent::at_node(
            actor.user().id,
            node,
            action,
            serde_json::json!({}),
            "198.51.100.2",
        ),
        None => AuditEvent::about_self(
            actor.user().id,
            action,
            serde_json::json!({}),
            "198.51.100.2",
        ),
    };
    record(&mut tx, event).await.unwrap();
    tx.commit().await.unwrap();
}

async fn read(state: &AppState, actor: &Actor, query: AuditQuery) -> Result<AuditPage, AppError> {
    audit_page(&caller(state, actor), &query).await
}

/// An Account Admin at `node`: the role that reads the log of its subtree.
async fn admin(db: &Db, email: &str, node: NodeId) -> Actor {
    actor_with(db, email, node, &[Role::AccountAdmin]).await
}

/// The actions a reader sees with no filter, oldest first.
async fn actions_seen(state: &AppState, actor: &Actor) -> Vec<String> {
    let page = read(state, actor, AuditQuery::default()).await.unwrap();
    page.entries
        .into_iter()
        .rev()
        .map(|entry| entry.action)
        .collect()
}

#[tokio::test]
async fn each_reader_sees_the_events_of_their_own_subtrees() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let db = &state.db;
        let platform = actor_with(
            db,
            "root@platform.test",
            tree.platform,
            &[Role::PlatformAdmin],
        )
        .await;
        let partner = admin(db, "pat@northwind.test", tree.partner).await;
        let group = admin(db, "gus@northwind.test", tree.group).await;
        let other = admin(db, "bo@bluebird.test", tree.other_partner).await;
        let viewer = actor_with(db, "vic@northwind.test", tree.partner, &[Role::User]).await;
        let client_admin =
            actor_with(db, "cara@harbor.test", tree.client, &[Role::ClientAdmin]).await;

        event(db, &partner, Some(tree.partner), "at.partner").await;
        event(db, &partner, Some(tree.sub_group), "at.sub_group").await;
        event(db, &partner, Some(tree.client), "at.client").await;
        event(db, &other, Some(tree.other_client), "at.other_client").await;
        event(db, &partner, None, "auth.sign_in").await;

        assert_eq!(
            actions_seen(&state, &partner).await,
            ["at.partner", "at.sub_group", "at.client"]
        );
        assert_eq!(
            actions_seen(&state, &group).await,
            ["at.sub_group", "at.client"]
        );
        assert_eq!(actions_seen(&state, &other).await, ["at.other_client"]);
        assert_eq!(
            actions_seen(&state, &platform).await,
            [
                "at.partner",
                "at.sub_group",
                "at.client",
                "at.other_client",
                "auth.sign_in"
            ]
        );
        for reader in [&viewer, &client_admin] {
            let refused = read(&state, reader, AuditQuery::default()).await;
            assert!(
                matches!(refused, Err(AppError::Forbidden(_))),
                "{refused:?}"
            );
        }
        let elsewhere = AuditQuery {
            under: tree.other_partner.0.to_string(),
            ..AuditQuery::default()
        };
        assert_eq!(
            read(&state, &partner, elsewhere).await.unwrap_err(),
            AppError::NotFound
        );

        let page = read(&state, &partner, AuditQuery::default()).await.unwrap();
        let client_event = &page.entries[0];
        assert_eq!(
            client_event.node,
            "Northwind › East › Boston › Harbor Dental"
        );
        assert_eq!(client_event.actor, "Test User <pat@northwind.test>");
        assert_eq!(client_event.address, "198.51.100.2");
        assert!(page
            .scopes
            .iter()
            .any(|scope| scope.label == "Northwind › East"));
    })
    .await;
}

#[tokio::test]
async fn filters_narrow_by_place_person_action_and_days_and_pages_go_back() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let db = &state.db;
        let partner = admin(db, "pat@northwind.test", tree.partner).await;
        let colleague = admin(db, "cleo@northwind.test", tree.partner).await;
        for _ in 0..(PAGE_SIZE + 5) {
            event(db, &partner, Some(tree.client), "client.renamed").await;
        }
        event(db, &colleague, Some(tree.group), "group.moved").await;

        let query = |change: fn(&mut AuditQuery)| {
            let mut query = AuditQuery::default();
            change(&mut query);
            query
        };
        let first = read(&state, &partner, AuditQuery::default()).await.unwrap();
        assert_eq!(first.entries.len() as i64, PAGE_SIZE);
        let older = read(&state, &partner, first.older.clone().unwrap())
            .await
            .unwrap();
        assert_eq!(older.entries.len(), 6);
        assert!(older.older.is_none());
        assert!(older.entries[0].id < first.entries.last().unwrap().id);

        let moved = read(&state, &partner, query(|q| q.action = "group.moved".into()))
            .await
            .unwrap();
        assert_eq!(moved.entries.len(), 1);
        let by_cleo = read(&state, &partner, query(|q| q.actor = "CLEO@".into()))
            .await
            .unwrap();
        assert_eq!(by_cleo.entries.len(), 1);
        let sub_group = tree.sub_group.0.to_string();
        let in_sub_group = read(
            &state,
            &partner,
            AuditQuery {
                under: sub_group,
                ..AuditQuery::default()
            },
        )
        .await
        .unwrap();
        assert!(in_sub_group
            .entries
            .iter()
            .all(|entry| entry.action == "client.renamed"));
        assert!(first.actions.contains(&"group.moved".to_string()));

        let future = read(&state, &partner, query(|q| q.from = "2999-01-01".into()))
            .await
            .unwrap();
        assert!(future.entries.is_empty());
        let past = read(&state, &partner, query(|q| q.to = "2000-01-01".into()))
            .await
            .unwrap();
        assert!(past.entries.is_empty());
        let bad = read(&state, &partner, query(|q| q.from = "yesterday".into())).await;
        assert_eq!(
            bad.unwrap_err().message_for("from").unwrap(),
            "Enter a date like 2026-11-29."
        );
        let backwards = read(
            &state,
            &partner,
            query(|q| {
                q.from = "2026-11-29".into();
                q.to = "2026-11-01".into();
            }),
        )
        .await;
        assert!(backwards.unwrap_err().message_for("to").is_some());
        let mut other_client = AuditQuery::default();
        other_client.under = tree.other_client.0.to_string();
        assert_eq!(
            read(&state, &partner, other_client).await.unwrap_err(),
            AppError::NotFound
        );
    })
    .await;
}
