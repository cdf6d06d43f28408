//! The group tree's and the partner settings' functions on both databases: behaviour,
//! stale versions, refusals, and who may call what.

use crate::common::{self, caller, state};
use crate::fixtures;
use crate::tree_counts;

use app::auth::actor::Actor;
use app::auth::repo::ancestors;
use app::core::brand::Brand;
use app::core::roles::Role;
use app::core::Feature;
use app::error::AppError;
use app::state::AppState;
use app::tenancy::groups::{
    children, create_group, delete_group, group, move_group, rename_group, tree_roots,
};
use app::tenancy::settings::{brand_for, settings_view, update_settings};
use app::tenancy::PartnerSettingsForm;
use common::on_every_database;
use fixtures::{actor_with, build_tree};
use tree_counts::assert_counts_exact;

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

        let west = create_group(&caller(&state, &admin), tree.partner, "  West  ")
            .await
            .unwrap();
        assert_eq!(
            (west.name.as_str(), west.version, west.clients),
            ("West", 1, 0)
        );
        let listed: Vec<String> = children(&caller(&state, &admin), tree.partner)
            .await
            .unwrap()
            .into_iter()
            .map(|g| g.name)
            .collect();
        assert_eq!(listed, vec!["East", "West"]);

        let renamed = rename_group(&caller(&state, &admin), west.id, "West Coast", west.version)
            .await
            .unwrap();
        assert_eq!((renamed.name.as_str(), renamed.version), ("West Coast", 2));

        let moved = move_group(&caller(&state, &admin), tree.sub_group, renamed.id, 1)
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
        let east = group(&caller(&state, &admin), tree.group).await.unwrap();
        assert_eq!((east.child_groups, east.clients), (0, 0));
        delete_group(&caller(&state, &admin), tree.group, east.version)
            .await
            .unwrap();
        assert_eq!(
            group(&caller(&state, &admin), tree.group).await,
            Err(AppError::NotFound)
        );
        assert_counts_exact(&state.db).await;

        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_events WHERE actor_user_id = $1 ORDER BY id",
        )
        .bind(admin.user().id.0)
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

        let into_child = move_group(&caller(&state, &admin), tree.group, tree.sub_group, 1).await;
        assert!(is_field_error(into_child, "new_parent"));
        let into_itself = move_group(&caller(&state, &admin), tree.group, tree.group, 1).await;
        assert!(is_field_error(into_itself, "new_parent"));
        let across = move_group(&caller(&state, &admin), tree.group, tree.other_partner, 1).await;
        assert!(is_field_error(across, "new_parent"));
        for client in [tree.client, tree.other_client] {
            let into_client = move_group(&caller(&state, &admin), tree.sub_group, client, 1).await;
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

        rename_group(&caller(&state, &first), tree.group, "East Coast", 1)
            .await
            .unwrap();
        let stale = rename_group(&caller(&state, &second), tree.group, "Eastern", 1).await;
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
            move_group(&caller(&state, &second), tree.group, tree.partner, 1).await,
            Err(AppError::Conflict(_))
        ));
        assert!(matches!(
            delete_group(&caller(&state, &second), tree.sub_group, 7).await,
            Err(AppError::Conflict(_))
        ));
        assert_eq!(
            group(&caller(&state, &second), tree.group)
                .await
                .unwrap()
                .name,
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

        match delete_group(&caller(&state, &admin), tree.group, 1).await {
            Err(AppError::Conflict(reason)) => assert!(reason.contains("1 sub-group"), "{reason}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        match delete_group(&caller(&state, &admin), tree.sub_group, 1).await {
            Err(AppError::Conflict(reason)) => {
                assert!(reason.contains("1 client account"), "{reason}")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        let empty = create_group(&caller(&state, &admin), tree.group, "Staffed")
            .await
            .unwrap();
        actor_with(&state.db, "staff@northwind.test", empty.id, &[Role::User]).await;
        match delete_group(&caller(&state, &admin), empty.id, empty.version).await {
            Err(AppError::Conflict(reason)) => {
                assert!(reason.contains("1 user with access"), "{reason}")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        let duplicate = create_group(&caller(&state, &admin), tree.group, "staffed").await;
        assert!(is_field_error(duplicate, "name"));
        assert!(is_field_error(
            create_group(&caller(&state, &admin), tree.group, "   ").await,
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
            root_ids(tree_roots(&caller(&state, &platform)).await.unwrap()),
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
            root_ids(tree_roots(&caller(&state, &regional)).await.unwrap()),
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
            root_ids(tree_roots(&caller(&state, &client_admin)).await.unwrap()),
            vec![tree.client]
        );

        let support = actor_with(
            &state.db,
            "sam@switchboard.test",
            tree.platform,
            &[Role::SupportAgent],
        )
        .await;
        assert!(tree_roots(&caller(&state, &support))
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Outcome {
    Allowed,
    NotFound,
    Forbidden,
}

/// How far a call got: refusals for bad input or a stale version come after the
/// authorization check, so they count as allowed.
fn outcome<T: std::fmt::Debug>(result: &Result<T, AppError>) -> Outcome {
    match result {
        Ok(_) | Err(AppError::Validation(_)) | Err(AppError::Conflict(_)) => Outcome::Allowed,
        Err(AppError::Forbidden(_)) => Outcome::Forbidden,
        Err(AppError::NotFound) => Outcome::NotFound,
        Err(other) => panic!("unexpected {other:?}"),
    }
}

/// Every function of the group tree × every kind of actor. `Ok` means allowed;
/// strangers get NotFound (nothing to see), viewers without the right get Forbidden.
#[tokio::test]
async fn authorization_matrix_of_the_group_tree() {
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
            let boston = group(&caller(&state, &setup), tree.sub_group)
                .await
                .unwrap();
            let boston_version = if boston.parent_id == Some(tree.group) {
                boston.version
            } else {
                move_group(
                    &caller(&state, &setup),
                    tree.sub_group,
                    tree.group,
                    boston.version,
                )
                .await
                .unwrap()
                .version
            };
            let got = [
                outcome(
                    children(&caller(&state, &actor), tree.group)
                        .await
                        .map(drop),
                ),
                outcome(
                    create_group(&caller(&state, &actor), tree.group, &format!("New {index}"))
                        .await
                        .map(drop),
                ),
                outcome(
                    rename_group(
                        &caller(&state, &actor),
                        tree.sub_group,
                        &format!("Boston {index}"),
                        boston_version,
                    )
                    .await
                    .map(drop),
                ),
                outcome(
                    move_group(
                        &caller(&state, &actor),
                        tree.sub_group,
                        tree.partner,
                        boston_version + 1,
                    )
                    .await
                    .map(drop),
                ),
                outcome(
                    delete_group(&caller(&state, &actor), tree.sub_group, 0)
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

fn settings_form(product: &str, domains: &str) -> PartnerSettingsForm {
    PartnerSettingsForm {
        product_name: product.into(),
        logo_url: "https://cdn.northwind.test/logo.svg".into(),
        primary_colour: "#0F766E".into(),
        accent_colour: "#f59e0b".into(),
        support_email: "help@northwind.test".into(),
        domains: domains.into(),
        features: vec!["sms".into(), "voice".into()],
        voice_initial: "30".into(),
        voice_increment: "6".into(),
        voice_free_under: "3".into(),
    }
}

/// The Account Admins of Northwind and of Bluebird.
async fn partner_admins(state: &AppState, tree: &fixtures::Tree) -> (Actor, Actor) {
    let admin = actor_with(
        &state.db,
        "admin@northwind.test",
        tree.partner,
        &[Role::AccountAdmin],
    )
    .await;
    let other = actor_with(
        &state.db,
        "admin@bluebird.test",
        tree.other_partner,
        &[Role::AccountAdmin],
    )
    .await;
    (admin, other)
}

#[tokio::test]
async fn partner_settings_are_validated_versioned_and_audited() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let (admin, other) = partner_admins(&state, &tree).await;
        let loaded = settings_view(&caller(&state, &admin), tree.partner).await.unwrap();
        assert_eq!((loaded.partner_name.as_str(), loaded.settings.version), ("Northwind", 1));

        update_settings(&caller(&state, &other), tree.other_partner, &settings_form("Bluebird Portal", "my.bluebird.test"), 1)
            .await
            .unwrap();
        let mut wrong = settings_form(" ", "portal.northwind.test\nhttps://bad.test");
        wrong.logo_url = "http://cdn.northwind.test/logo.svg".into();
        wrong.primary_colour = "teal".into();
        wrong.support_email = "help".into();
        wrong.features.push("teleport".into());
        wrong.voice_initial = "0".into();
        wrong.voice_increment = "a minute".into();
        wrong.voice_free_under = "-1".into();
        let refused = update_settings(&caller(&state, &admin), tree.partner, &wrong, 1).await;
        let fields = ["product_name", "logo_url", "primary_colour", "support_email", "domains", "features"];
        for field in fields.into_iter().chain(["voice_initial", "voice_increment", "voice_free_under"]) {
            assert!(refused.as_ref().is_err_and(|e| e.message_for(field).is_some()), "{field}: {refused:?}");
        }
        let taken = update_settings(&caller(&state, &admin), tree.partner, &settings_form("Northwind Connect", "portal.northwind.test\nMY.bluebird.test"), 1).await;
        assert!(is_field_error(taken, "domains"));
        // Nobody brands the platform's own address, a bare IP address or this machine.
        for unclaimable in ["127.0.0.1", "portal.localhost", "203.0.113.10"] {
            let claimed = update_settings(&caller(&state, &admin), tree.partner, &settings_form("Northwind Connect", unclaimable), 1).await;
            assert!(is_field_error(claimed, "domains"), "{unclaimable}");
        }
        let mut platform_hosted = state.clone();
        platform_hosted.settings.public_url = "https://switchboard.example.com".into();
        let own = update_settings(&caller(&platform_hosted, &admin), tree.partner, &settings_form("Northwind Connect", "Switchboard.Example.com"), 1).await;
        assert!(own.as_ref().is_err_and(|e| e.message_for("domains").is_some_and(|m| m.contains("platform's own"))), "{own:?}");
        let endless = update_settings(&caller(&state, &admin), tree.partner, &settings_form("Northwind Connect", &"a.example.com ".repeat(100_000)), 1).await;
        assert!(is_field_error(endless, "domains"));

        update_settings(&caller(&state, &admin), tree.partner, &settings_form("Northwind Connect", "Portal.Northwind.test, app.northwind.test"), 1)
            .await
            .unwrap();
        let saved = settings_view(&caller(&state, &admin), tree.partner).await.unwrap().settings;
        assert_eq!(saved.product_name, "Northwind Connect");
        assert_eq!(saved.primary_colour, "#0f766e");
        assert_eq!(saved.domains, vec!["app.northwind.test", "portal.northwind.test"]);
        assert_eq!(saved.grantable_features, vec![Feature::Voice, Feature::Sms]);
        assert_eq!(saved.voice_rule.notation(), "30/6, free under 3 s");
        assert_eq!(saved.version, 2);

        let stale = update_settings(&caller(&state, &admin), tree.partner, &settings_form("Old copy", ""), 1).await;
        assert!(matches!(stale, Err(AppError::Conflict(_))), "{stale:?}");
        let details: String = sqlx::query_scalar(
            "SELECT details FROM audit_events WHERE action = 'partner.settings_changed' AND node_id = $1",
        )
        .bind(tree.partner.0)
        .fetch_one(state.db.pool())
        .await
        .unwrap();
        let details: serde_json::Value = serde_json::from_str(&details).unwrap();
        assert_eq!(details["before"]["product_name"], "Test Brand");
        assert_eq!(details["after"]["product_name"], "Northwind Connect");
    })
    .await;
}

#[tokio::test]
async fn pages_take_the_brand_of_their_people_then_of_their_address() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let (admin, other) = partner_admins(&state, &tree).await;
        update_settings(
            &caller(&state, &admin),
            tree.partner,
            &settings_form("Northwind Connect", "portal.northwind.test"),
            1,
        )
        .await
        .unwrap();
        update_settings(
            &caller(&state, &other),
            tree.other_partner,
            &settings_form("Bluebird Portal", "my.bluebird.test"),
            1,
        )
        .await
        .unwrap();
        let client = actor_with(
            &state.db,
            "hana@harbor.test",
            tree.client,
            &[Role::ClientAdmin],
        )
        .await;
        let root = actor_with(
            &state.db,
            "root@switchboard.test",
            tree.platform,
            &[Role::PlatformAdmin],
        )
        .await;

        let product = |actor: Option<&Actor>, host: &'static str| {
            let state = state.clone();
            let actor = actor.cloned();
            async move { brand_for(&state, host, actor.as_ref()).await.unwrap() }
        };
        let signed_out = product(None, "My.Bluebird.test:8443").await;
        assert_eq!(signed_out.product_name, "Bluebird Portal");
        assert_eq!(
            signed_out.stylesheet,
            Some(format!("/brand/{}/colours.css?v=2", tree.other_partner.0))
        );
        assert_eq!(product(None, "switchboard.test").await, Brand::platform());
        // A client of Northwind sees Northwind's brand, even on Bluebird's address.
        assert_eq!(
            product(Some(&client), "my.bluebird.test")
                .await
                .product_name,
            "Northwind Connect"
        );
        assert_eq!(
            product(Some(&admin), "switchboard.test").await.product_name,
            "Northwind Connect"
        );
        // Platform staff have no partner: the address decides.
        assert_eq!(
            product(Some(&root), "my.bluebird.test").await.product_name,
            "Bluebird Portal"
        );
        assert_eq!(
            product(Some(&root), "localhost:3000").await,
            Brand::platform()
        );
    })
    .await;
}

#[tokio::test]
async fn partner_settings_check_the_actors_rights_at_the_partner() {
    use Outcome::{Allowed as A, Forbidden as F, NotFound as N};
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let matrix = [
            (Role::PlatformAdmin, tree.platform, A),
            (Role::AccountAdmin, tree.partner, A),
            (Role::AccountAdmin, tree.other_partner, N),
            (Role::AccountAdmin, tree.sub_group, N),
            (Role::User, tree.group, N),
            (Role::MessagingAgent, tree.partner, F),
            (Role::AccountManager, tree.client, N),
            (Role::ClientAdmin, tree.client, N),
            (Role::ClientUser, tree.client, N),
            (Role::SupportAgent, tree.platform, F),
        ];
        for (index, (role, node, expected)) in matrix.into_iter().enumerate() {
            let actor = actor_with(
                &state.db,
                &format!("actor{index}@matrix.test"),
                node,
                &[role],
            )
            .await;
            let view = outcome(&settings_view(&caller(&state, &actor), tree.partner).await);
            // A stale version: allowed callers get a conflict and nothing changes.
            let update = outcome(
                &update_settings(
                    &caller(&state, &actor),
                    tree.partner,
                    &settings_form("Changed", ""),
                    99,
                )
                .await,
            );
            assert_eq!([view, update], [expected, expected], "{role:?} at {node:?}");
        }
        let not_a_partner = actor_with(
            &state.db,
            "root@matrix.test",
            tree.platform,
            &[Role::PlatformAdmin],
        )
        .await;
        assert_eq!(
            settings_view(&caller(&state, &not_a_partner), tree.group).await,
            Err(AppError::NotFound)
        );
        let changed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'partner.settings_changed'",
        )
        .fetch_one(state.db.pool())
        .await
        .unwrap();
        assert_eq!(changed, 0);
    })
    .await;
}
