//! Migrations, the tree, users, concurrency: the storage foundation on both databases.

use crate::common;
use crate::fixtures;
use crate::tree_counts;

use app::auth::repo::ancestors;
use app::auth::repo::{find_by_email, memberships_of};
use app::core::roles::{Permission, Role, RoleSet};
use app::core::UserStatus;
use app::core::{NodeId, NodeKind};
use app::error::AppError;
use app::tenancy::repo::{
    descendants, ensure_child, ensure_platform, insert_node, path_names, subtree_counts,
};
use app::tenancy::SubtreeCounts;
use app::users::repo::{insert_user, set_membership, NewUser};
use common::on_every_database;
use fixtures::{actor_with, add_user, build_tree};
use tree_counts::assert_counts_exact;

#[tokio::test]
async fn a_fresh_database_comes_up_empty_and_migrated() {
    on_every_database(|db| async move {
        db.migrate().await.expect("migrating twice is harmless");
        for table in [
            "nodes",
            "node_paths",
            "users",
            "memberships",
            "sessions",
            "audit_events",
        ] {
            let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(db.pool())
                .await
                .unwrap();
            assert_eq!(rows, 0, "{table} starts empty");
        }
    })
    .await;
}

#[tokio::test]
async fn the_closure_table_answers_subtree_and_ancestor_questions() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        assert_eq!(
            ancestors(db.pool(), tree.client).await.unwrap(),
            vec![
                tree.client,
                tree.sub_group,
                tree.group,
                tree.partner,
                tree.platform
            ]
        );
        assert_eq!(
            path_names(db.pool(), tree.client).await.unwrap(),
            vec!["Switchboard", "Northwind", "East", "Boston"]
        );
        let below: Vec<NodeId> = descendants(db.pool(), tree.partner)
            .await
            .unwrap()
            .into_iter()
            .map(|node| node.id)
            .collect();
        assert_eq!(below, vec![tree.group, tree.sub_group, tree.client]);
        assert_eq!(
            subtree_counts(db.pool(), tree.platform).await.unwrap(),
            SubtreeCounts {
                partners: 2,
                groups: 2,
                clients: 2
            }
        );
        assert_eq!(
            subtree_counts(db.pool(), tree.other_partner).await.unwrap(),
            SubtreeCounts {
                partners: 0,
                groups: 0,
                clients: 1
            }
        );
        assert!(ancestors(db.pool(), NodeId(999_999))
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn ensure_child_finds_instead_of_duplicating() {
    on_every_database(|db| async move {
        let mut conn = db.pool().acquire().await.unwrap();
        let platform = ensure_platform(&mut conn).await.unwrap();
        assert_eq!(ensure_platform(&mut conn).await.unwrap(), platform);
        let first = ensure_child(&mut conn, platform, NodeKind::Partner, "Northwind")
            .await
            .unwrap();
        let again = ensure_child(&mut conn, platform, NodeKind::Partner, "Northwind")
            .await
            .unwrap();
        assert_eq!(first, again);
    })
    .await;
}

#[tokio::test]
async fn emails_are_unique_across_the_platform_ignoring_case() {
    on_every_database(|db| async move {
        add_user(&db, "Nora.North@Northwind.test").await;
        let clash = insert_user(
            db.pool(),
            &NewUser {
                email: " nora.north@NORTHWIND.test ",
                name: "Someone Else",
                language: "fr",
                branding_domain: None,
                status: UserStatus::Invited,
                password_hash: None,
                must_change_password: false,
            },
        )
        .await;
        assert_eq!(
            clash.unwrap_err().message_for("email").as_deref(),
            Some(app::users::repo::email_taken())
        );
        let found = find_by_email(db.pool(), "NORA.north@northwind.TEST")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.email, "Nora.North@Northwind.test");
    })
    .await;
}

#[tokio::test]
async fn memberships_are_replaced_not_duplicated() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let user = add_user(&db, "a@x.test").await;
        let mut conn = db.pool().acquire().await.unwrap();
        set_membership(&mut conn, user, tree.group, &RoleSet::new([Role::User]))
            .await
            .unwrap();
        set_membership(
            &mut conn,
            user,
            tree.group,
            &RoleSet::new([Role::AccountAdmin, Role::MessagingAgent]),
        )
        .await
        .unwrap();
        let memberships = memberships_of(db.pool(), user).await.unwrap();
        assert_eq!(memberships.len(), 1);
        assert_eq!(
            memberships[0].roles.roles(),
            &[Role::AccountAdmin, Role::MessagingAgent]
        );
        assert_eq!(memberships[0].node_name, "East");
    })
    .await;
}

#[tokio::test]
async fn access_is_inherited_down_the_real_tree_and_never_across_partners() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let partner_admin = actor_with(
            &db,
            "admin@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        for node in [tree.partner, tree.group, tree.sub_group, tree.client] {
            assert_eq!(
                partner_admin
                    .require(&db, Permission::ManageClients, node)
                    .await
                    .map(|_| ()),
                Ok(())
            );
        }
        for node in [
            tree.platform,
            tree.other_partner,
            tree.other_client,
            NodeId(424_242),
        ] {
            assert_eq!(
                partner_admin
                    .require(&db, Permission::ViewNodes, node)
                    .await
                    .map(|_| ()),
                Err(AppError::NotFound)
            );
        }

        let branch_viewer =
            actor_with(&db, "viewer@northwind.test", tree.sub_group, &[Role::User]).await;
        assert_eq!(
            branch_viewer
                .require(&db, Permission::ViewNodes, tree.client)
                .await
                .map(|_| ()),
            Ok(())
        );
        assert_eq!(
            branch_viewer
                .require(&db, Permission::ViewNodes, tree.group)
                .await
                .map(|_| ()),
            Err(AppError::NotFound)
        );
        assert!(matches!(
            branch_viewer
                .require(&db, Permission::ManageClients, tree.client)
                .await
                .map(|_| ()),
            Err(AppError::Forbidden(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn fifty_concurrent_writers_never_see_a_locked_database() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let writers = (0..50).map(|n| {
            let db = db.clone();
            tokio::spawn(async move {
                // Read, then write, in one transaction: the pattern that fails with
                // "database is locked" when SQLite transactions begin DEFERRED.
                let mut tx = db.begin().await?;
                let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM nodes")
                    .fetch_one(&mut *tx)
                    .await?;
                insert_node(
                    &mut tx,
                    Some(tree.group),
                    NodeKind::Client,
                    &format!("Client {n} after {before}"),
                )
                .await?;
                tx.commit().await?;
                Ok::<(), AppError>(())
            })
        });
        let results = futures_join_all(writers).await;
        let failures: Vec<_> = results.into_iter().filter(|r| r.is_err()).collect();
        assert!(failures.is_empty(), "{failures:?}");
        assert_eq!(
            subtree_counts(db.pool(), tree.group).await.unwrap().clients,
            51,
            "every writer's row is there"
        );
    })
    .await;
}

async fn futures_join_all(
    handles: impl Iterator<Item = tokio::task::JoinHandle<Result<(), AppError>>>,
) -> Vec<Result<(), AppError>> {
    let mut results = Vec::new();
    for handle in handles {
        results.push(handle.await.expect("writer task"));
    }
    results
}

#[tokio::test]
async fn moving_a_subtree_keeps_every_path_exact() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let mut conn = db.pool().acquire().await.unwrap();
        // East (with Boston and Harbor Dental below) moves under Bluebird.
        app::tenancy::repo::move_subtree(&mut conn, tree.group, tree.other_partner)
            .await
            .unwrap();

        assert_eq!(
            ancestors(&mut *conn, tree.client).await.unwrap(),
            vec![
                tree.client,
                tree.sub_group,
                tree.group,
                tree.other_partner,
                tree.platform
            ]
        );
        assert!(descendants(&mut *conn, tree.partner)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            subtree_counts(&mut *conn, tree.other_partner)
                .await
                .unwrap(),
            SubtreeCounts {
                partners: 0,
                groups: 2,
                clients: 2
            }
        );
        let parent: Option<i64> = sqlx::query_scalar("SELECT parent_id FROM nodes WHERE id = $1")
            .bind(tree.group.0)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(parent, Some(tree.other_partner.0));
        // Every node keeps exactly one path per ancestor, itself included.
        let paths: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM node_paths")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(paths, 1 + 2 + 3 + 4 + 5 + 2 + 3);
        assert_counts_exact(&db).await;
        assert!(
            app::tenancy::repo::is_within(&mut *conn, tree.client, tree.other_partner)
                .await
                .unwrap()
        );
        assert!(
            !app::tenancy::repo::is_within(&mut *conn, tree.other_partner, tree.client)
                .await
                .unwrap()
        );
    })
    .await;
}
