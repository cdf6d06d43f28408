//! The group tree's functions on both databases: behaviour, stale versions, refusals,
//! and who may call what.

mod common;
mod fixtures;

use app::auth::password::Passwords;
use app::auth::roles::Role;
use app::db::Db;
use app::error::AppError;
use app::state::{AppState, Settings};
use app::tenancy::groups::{
    children, create_group, delete_group, group, move_group, rename_group, tree_roots,
};
use app::tenancy::repo::ancestors;
use common::on_every_database;
use fixtures::{actor_with, assert_counts_exact, build_tree};

const ADDRESS: &str = "198.51.100.7";

fn state(db: Db) -> AppState {
    AppState {
        db,
        settings: Settings::default(),
        passwords: Passwords::new(1),
    }
}

fn is_field_error(result: Result<impl std::fmt::Debug, AppError>, field: &str) -> bool {
    matches!(result, Err(error) if error.message_for(field).is_some())
}

#[tokio::test]
async fn groups_are_created_renamed_moved_and_deleted_with_an_audit_trail() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let admin = actor_with(
            &state.db,
            "admin@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;

        let west = create_group(&state, &admin, ADDRESS, tree.partner, "  West  ")
            .await
            .unwrap();
        assert_eq!(
            (west.name.as_str(), west.version, west.clients),
            ("West", 1, 0)
        );
        let listed: Vec<String> = children(&state, &admin, tree.partner)
            .await
            .unwrap()
            .into_iter()
            .map(|g| g.name)
            .collect();
        assert_eq!(listed, vec!["East", "West"]);

        let renamed = rename_group(&state, &admin, ADDRESS, west.id, "West Coast", west.version)
            .await
            .unwrap();
        assert_eq!((renamed.name.as_str(), renamed.version), ("West Coast", 2));

        let moved = move_group(&state, &admin, ADDRESS, tree.sub_group, renamed.id, 1)
            .await
            .unwrap();
        assert_eq!(moved.parent_id, Some(renamed.id));
        assert_eq!(
            ancestors(state.db.pool(), tree.client).await.unwrap(),
            vec![
                tree.client,
                tree.sub_group,
                renamed.id,
                tree.partner,
                tree.platform
            ]
        );
        let east = group(&state, &admin, tree.group).await.unwrap();
        assert_eq!((east.child_groups, east.clients), (0, 0));
        delete_group(&state, &admin, ADDRESS, tree.group, east.version)
            .await
            .unwrap();
        assert_eq!(
            group(&state, &admin, tree.group).await,
            Err(AppError::NotFound)
        );
        assert_counts_exact(&state.db).await;

        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_events WHERE actor_user_id = $1 ORDER BY id",
        )
        .bind(admin.user.id.0)
        .fetch_all(state.db.pool())
        .await
        .unwrap();
        assert_eq!(
            actions,
            [
                "group.created",
                "group.renamed",
                "group.moved",
                "group.deleted"
            ]
        );
        let rename_details: String =
            sqlx::query_scalar("SELECT details FROM audit_events WHERE action = 'group.renamed'")
                .fetch_one(state.db.pool())
                .await
                .unwrap();
        let details: serde_json::Value = serde_json::from_str(&rename_details).unwrap();
        assert_eq!(details["before"]["name"], "West");
        assert_eq!(details["after"]["name"], "West Coast");
    })
    .await;
}

#[tokio::test]
async fn a_group_never_moves_under_its_own_subtree_nor_to_another_partner() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let admin = actor_with(
            &state.db,
            "root@switchboard.test",
            tree.platform,
            &[Role::PlatformAdmin],
        )
        .await;

        let into_child = move_group(&state, &admin, ADDRESS, tree.group, tree.sub_group, 1).await;
        assert!(is_field_error(into_child, "new_parent"));
        let into_itself = move_group(&state, &admin, ADDRESS, tree.group, tree.group, 1).await;
        assert!(is_field_error(into_itself, "new_parent"));
        let across = move_group(&state, &admin, ADDRESS, tree.group, tree.other_partner, 1).await;
        assert!(is_field_error(across, "new_parent"));
        for client in [tree.client, tree.other_client] {
            let into_client = move_group(&state, &admin, ADDRESS, tree.sub_group, client, 1).await;
            assert!(is_field_error(into_client, "new_parent"));
        }
        assert_eq!(
            ancestors(state.db.pool(), tree.sub_group).await.unwrap(),
            vec![tree.sub_group, tree.group, tree.partner, tree.platform],
            "nothing moved"
        );
    })
    .await;
}

#[tokio::test]
async fn a_stale_copy_is_refused_and_names_who_changed_it() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let first = actor_with(
            &state.db,
            "first@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        let second = actor_with(
            &state.db,
            "second@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;

        rename_group(&state, &first, ADDRESS, tree.group, "East Coast", 1)
            .await
            .unwrap();
        let stale = rename_group(&state, &second, ADDRESS, tree.group, "Eastern", 1).await;
        match stale {
            Err(AppError::Conflict(message)) => {
                assert!(
                    message.starts_with("Test User renamed this group"),
                    "{message}"
                )
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert!(matches!(
            move_group(&state, &second, ADDRESS, tree.group, tree.partner, 1).await,
            Err(AppError::Conflict(_))
        ));
        assert!(matches!(
            delete_group(&state, &second, ADDRESS, tree.sub_group, 7).await,
            Err(AppError::Conflict(_))
        ));
        assert_eq!(
            group(&state, &second, tree.group).await.unwrap().name,
            "East Coast"
        );
    })
    .await;
}

#[tokio::test]
async fn deleting_a_group_that_still_holds_something_is_refused() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let admin = actor_with(
            &state.db,
            "admin@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;

        match delete_group(&state, &admin, ADDRESS, tree.group, 1).await {
            Err(AppError::Conflict(reason)) => assert!(reason.contains("1 sub-group"), "{reason}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        match delete_group(&state, &admin, ADDRESS, tree.sub_group, 1).await {
            Err(AppError::Conflict(reason)) => {
                assert!(reason.contains("1 client account"), "{reason}")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        let empty = create_group(&state, &admin, ADDRESS, tree.group, "Staffed")
            .await
            .unwrap();
        actor_with(&state.db, "staff@northwind.test", empty.id, &[Role::User]).await;
        match delete_group(&state, &admin, ADDRESS, empty.id, empty.version).await {
            Err(AppError::Conflict(reason)) => {
                assert!(reason.contains("1 user with access"), "{reason}")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        let duplicate = create_group(&state, &admin, ADDRESS, tree.group, "staffed").await;
        assert!(is_field_error(duplicate, "name"));
        assert!(is_field_error(
            create_group(&state, &admin, ADDRESS, tree.group, "   ").await,
            "name"
        ));
    })
    .await;
}

#[tokio::test]
async fn the_tree_starts_where_each_actor_may_look() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let root_ids = |roots: Vec<app::tenancy::TreeNode>| {
            roots.into_iter().map(|n| n.id).collect::<Vec<_>>()
        };

        let platform = actor_with(
            &state.db,
            "root@switchboard.test",
            tree.platform,
            &[Role::PlatformAdmin],
        )
        .await;
        assert_eq!(
            root_ids(tree_roots(&state, &platform).await.unwrap()),
            vec![tree.platform]
        );

        let regional = actor_with(
            &state.db,
            "east@northwind.test",
            tree.group,
            &[Role::AccountAdmin],
        )
        .await;
        assert_eq!(
            root_ids(tree_roots(&state, &regional).await.unwrap()),
            vec![tree.group]
        );

        let client_admin = actor_with(
            &state.db,
            "hana@harbor.test",
            tree.client,
            &[Role::ClientAdmin],
        )
        .await;
        assert_eq!(
            root_ids(tree_roots(&state, &client_admin).await.unwrap()),
            vec![tree.client]
        );

        let support = actor_with(
            &state.db,
            "sam@switchboard.test",
            tree.platform,
            &[Role::SupportAgent],
        )
        .await;
        assert!(tree_roots(&state, &support).await.unwrap().is_empty());
    })
    .await;
}

/// Every function of the group tree × every kind of actor. `Ok` means allowed;
/// strangers get NotFound (nothing to see), viewers without the right get Forbidden.
#[tokio::test]
async fn authorization_matrix_of_the_group_tree() {
    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Outcome {
        Allowed,
        NotFound,
        Forbidden,
    }
    use Outcome::*;

    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        // (who, where, roles, [list children of East, create under East, rename Boston, move Boston, delete Boston])
        let cases = [
            (
                "platform admin",
                tree.platform,
                vec![Role::PlatformAdmin],
                [Allowed, Allowed, Allowed, Allowed, Allowed],
            ),
            (
                "partner admin",
                tree.partner,
                vec![Role::AccountAdmin],
                [Allowed, Allowed, Allowed, Allowed, Allowed],
            ),
            (
                "group admin",
                tree.group,
                vec![Role::AccountAdmin],
                [Allowed, Allowed, Allowed, NotFound, Allowed],
            ),
            (
                "account manager",
                tree.partner,
                vec![Role::AccountManager],
                [Allowed, Forbidden, Forbidden, Forbidden, Forbidden],
            ),
            (
                "view-only user",
                tree.partner,
                vec![Role::User],
                [Allowed, Forbidden, Forbidden, Forbidden, Forbidden],
            ),
            (
                "messaging agent",
                tree.group,
                vec![Role::MessagingAgent],
                [Allowed, Forbidden, Forbidden, Forbidden, Forbidden],
            ),
            (
                "support agent",
                tree.platform,
                vec![Role::SupportAgent],
                [Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
            ),
            (
                "client admin",
                tree.client,
                vec![Role::ClientAdmin],
                [NotFound, NotFound, NotFound, NotFound, NotFound],
            ),
            (
                "client user",
                tree.client,
                vec![Role::ClientUser],
                [NotFound, NotFound, NotFound, NotFound, NotFound],
            ),
            (
                "other partner's admin",
                tree.other_partner,
                vec![Role::AccountAdmin],
                [NotFound, NotFound, NotFound, NotFound, NotFound],
            ),
        ];
        let setup = actor_with(
            &state.db,
            "setup@matrix.test",
            tree.platform,
            &[Role::PlatformAdmin],
        )
        .await;
        for (index, (who, node, roles, expected)) in cases.into_iter().enumerate() {
            let actor = actor_with(
                &state.db,
                &format!("actor{index}@matrix.test"),
                node,
                &roles,
            )
            .await;
            let outcome = |result: Result<(), AppError>| match result {
                Ok(()) => Allowed,
                Err(AppError::NotFound) => NotFound,
                Err(AppError::Forbidden(_)) => Forbidden,
                Err(other) => panic!("{who}: unexpected {other:?}"),
            };
            // Every actor meets the same tree: Boston is put back under East first.
            let boston = group(&state, &setup, tree.sub_group).await.unwrap();
            let boston_version = if boston.parent_id == Some(tree.group) {
                boston.version
            } else {
                move_group(
                    &state,
                    &setup,
                    ADDRESS,
                    tree.sub_group,
                    tree.group,
                    boston.version,
                )
                .await
                .unwrap()
                .version
            };
            let got = [
                outcome(children(&state, &actor, tree.group).await.map(drop)),
                outcome(
                    create_group(&state, &actor, ADDRESS, tree.group, &format!("New {index}"))
                        .await
                        .map(drop),
                ),
                outcome(
                    rename_group(
                        &state,
                        &actor,
                        ADDRESS,
                        tree.sub_group,
                        &format!("Boston {index}"),
                        boston_version,
                    )
                    .await
                    .map(drop),
                ),
                outcome(
                    move_group(
                        &state,
                        &actor,
                        ADDRESS,
                        tree.sub_group,
                        tree.partner,
                        boston_version + 1,
                    )
                    .await
                    .map(drop),
                ),
                outcome(
                    delete_group(&state, &actor, ADDRESS, tree.sub_group, 0)
                        .await
                        .map(drop)
                        .or_else(|e| match e {
                            // Boston still holds a client: reaching that refusal means the check passed.
                            AppError::Conflict(_) => Ok(()),
                            other => Err(other),
                        }),
                ),
            ];
            assert_eq!(got, expected, "{who}");
        }
    })
    .await;
}
