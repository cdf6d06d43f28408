//! The audit log's hash chain on both databases: every event joins one chain, also
//! when written at once; the database refuses to change or remove an event; and an
//! edited, removed or missing last event is found by walking the chain.

use crate::common;

use app::audit_trail::chain::{verify, ChainReport};
use app::audit_trail::{record, AuditEvent};
use app::core::{UserId, UserStatus};
use app::db::{Backend, Db};
use app::users::repo::{insert_user, NewUser};
use common::on_every_database;

async fn someone(db: &Db) -> UserId {
    insert_user(
        db.pool(),
        &NewUser {
            email: "ada@example.test",
            name: "Ada",
            language: "en",
            branding_domain: None,
            status: UserStatus::Active,
            password_hash: None,
            must_change_password: false,
        },
    )
    .await
    .unwrap()
}

/// Records `count` events, each in its own transaction; returns their ids.
async fn record_events(db: &Db, user: UserId, count: usize) -> Vec<i64> {
    for n in 0..count {
        let mut tx = db.begin().await.unwrap();
        let details = serde_json::json!({ "n": n });
        record(
            &mut tx,
            AuditEvent::about_self(user, "auth.sign_in", details, "198.51.100.1"),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    sqlx::query_scalar("SELECT id FROM audit_events ORDER BY id")
        .fetch_all(db.pool())
        .await
        .unwrap()
}

/// What someone with the database's own keys could do: take the guard off.
async fn drop_append_only_guard(db: &Db) {
    let statements: &[&str] = match db.backend() {
        Backend::Sqlite => &[
            "DROP TRIGGER audit_events_no_update",
            "DROP TRIGGER audit_events_no_delete",
        ],
        Backend::Postgres => &["DROP TRIGGER audit_events_append_only ON audit_events"],
    };
    for statement in statements {
        sqlx::query(statement).execute(db.pool()).await.unwrap();
    }
}

async fn run(db: &Db, sql: &str, id: i64) {
    sqlx::query(sql).bind(id).execute(db.pool()).await.unwrap();
}

fn broken_at(report: ChainReport) -> (i64, String) {
    match report {
        ChainReport::Broken { event, problem } => (event, problem),
        intact => panic!("the chain was found intact: {intact:?}"),
    }
}

#[tokio::test]
async fn every_event_joins_one_chain_also_when_written_at_once() {
    on_every_database(|db| async move {
        let user = someone(&db).await;
        record_events(&db, user, 3).await;
        let at_once = (0..12).map(|n| {
            let db = db.clone();
            async move {
                let mut tx = db.begin().await.unwrap();
                let event = AuditEvent::about_self(
                    user,
                    "auth.sign_out",
                    serde_json::json!({ "n": n }),
                    "",
                );
                record(&mut tx, event).await.unwrap();
                tx.commit().await.unwrap();
            }
        });
        futures::future::join_all(at_once).await;
        match verify(&db).await.unwrap() {
            ChainReport::Intact {
                unchained,
                chained,
                head,
            } => {
                assert_eq!((unchained, chained), (0, 15));
                assert_eq!(head.len(), 64);
            }
            broken => panic!("{broken:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn the_database_refuses_to_change_or_remove_an_event() {
    on_every_database(|db| async move {
        let user = someone(&db).await;
        let ids = record_events(&db, user, 2).await;
        let edit = sqlx::query("UPDATE audit_events SET action = 'nothing' WHERE id = $1")
            .bind(ids[0])
            .execute(db.pool())
            .await;
        assert!(edit.unwrap_err().to_string().contains("append-only"));
        let removal = sqlx::query("DELETE FROM audit_events WHERE id = $1")
            .bind(ids[0])
            .execute(db.pool())
            .await;
        assert!(removal.unwrap_err().to_string().contains("append-only"));
        assert!(matches!(
            verify(&db).await.unwrap(),
            ChainReport::Intact { .. }
        ));
    })
    .await;
}

#[tokio::test]
async fn an_edited_event_breaks_the_chain_where_it_was_edited() {
    on_every_database(|db| async move {
        let user = someone(&db).await;
        let ids = record_events(&db, user, 5).await;
        drop_append_only_guard(&db).await;
        run(
            &db,
            "UPDATE audit_events SET address = '203.0.113.66' WHERE id = $1",
            ids[2],
        )
        .await;
        let (event, problem) = broken_at(verify(&db).await.unwrap());
        assert_eq!(event, ids[2]);
        assert!(
            problem.contains("changed after it was written"),
            "{problem}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_removed_event_breaks_the_chain_at_the_one_after_it() {
    on_every_database(|db| async move {
        let user = someone(&db).await;
        let ids = record_events(&db, user, 5).await;
        drop_append_only_guard(&db).await;
        run(&db, "DELETE FROM audit_events WHERE id = $1", ids[2]).await;
        let (event, problem) = broken_at(verify(&db).await.unwrap());
        assert_eq!(event, ids[3]);
        assert!(problem.contains("does not follow"), "{problem}");
    })
    .await;
}

#[tokio::test]
async fn removing_the_last_events_is_found_at_the_end() {
    on_every_database(|db| async move {
        let user = someone(&db).await;
        let ids = record_events(&db, user, 4).await;
        drop_append_only_guard(&db).await;
        run(&db, "DELETE FROM audit_events WHERE id >= $1", ids[2]).await;
        let (event, problem) = broken_at(verify(&db).await.unwrap());
        assert_eq!(event, 0, "the break is at the end");
        assert!(
            problem.contains("should hold 4 events and holds 2"),
            "{problem}"
        );
    })
    .await;
}

#[tokio::test]
async fn events_from_before_the_chain_are_counted_and_must_come_first() {
    on_every_database(|db| async move {
        let user = someone(&db).await;
        let unhashed = "INSERT INTO audit_events (occurred_at, actor_user_id, node_id, action, \
                        details, address) VALUES (1, $1, NULL, 'auth.sign_in', '{}', '')";
        run(&db, unhashed, user.0).await;
        record_events(&db, user, 2).await;
        assert!(matches!(
            verify(&db).await.unwrap(),
            ChainReport::Intact {
                unchained: 1,
                chained: 2,
                ..
            }
        ));
        run(&db, unhashed, user.0).await;
        let (_, problem) = broken_at(verify(&db).await.unwrap());
        assert!(problem.contains("no hash"), "{problem}");
    })
    .await;
}
