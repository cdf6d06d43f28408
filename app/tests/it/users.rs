//! Users, the role editor and invites on both databases: inheritance, who may grant
//! what, the platform-wide email, seats under concurrent invites, invite links,
//! disabling, generated passwords, and who may call what.

use crate::browser;
use crate::common::{self, caller};
use crate::fixtures;
use crate::outcome;

use app::auth::actor::Actor;
use app::auth::links::{follow, send_password_reset};
use app::auth::repo::find_by_email;
use app::auth::session::{authenticate, open_session, SignInMethod};
use app::auth::LinkPurpose;
use app::core::roles::{Role, RoleSet};
use app::core::NodeId;
use app::core::{UserId, UserStatus};
use app::db::Db;
use app::error::AppError;
use app::password::Passwords;
use app::request::Requester;
use app::state::{AppState, Settings};
use app::users::account_actions::{
    remove_access, resend_invite, set_enabled, set_generated_password,
};
use app::users::invites::invite;
use app::users::invites::invite_options;
use app::users::role_editor::set_roles;
use app::users::service::{node_users, user_at_node};
use app::users::{InviteForm, UserQuery};
use browser::client_at;
use common::on_every_database;
use fixtures::{actor_with, build_tree, Tree};
use outcome::{outcome, Outcome};

fn state(db: Db) -> AppState {
    AppState {
        db,
        settings: Settings::default(),
        passwords: Passwords::new(2),
    }
}

fn invite_form(node: NodeId, email: &str, roles: &[Role]) -> InviteForm {
    InviteForm {
        node: node.0.to_string(),
        email: email.into(),
        name: "Ines Invitee".into(),
        language: "en".into(),
        branding_domain: String::new(),
        roles: roles.iter().map(|role| role.key().to_string()).collect(),
        password_choice: "activation_link".into(),
    }
}

fn keys(roles: &[Role]) -> Vec<String> {
    roles.iter().map(|role| role.key().to_string()).collect()
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

/// The activation token in the latest email to `email`.
async fn token_mailed_to(db: &Db, email: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body_text FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(email)
    .fetch_one(db.pool())
    .await
    .unwrap();
    let start = body.find("token=").expect("an activation link") + "token=".len();
    body[start..].split_whitespace().next().unwrap().to_string()
}

async fn version_at(state: &AppState, actor: &Actor, node: NodeId, user: UserId) -> i64 {
    user_at_node(&caller(state, actor), node, user)
        .await
        .unwrap()
        .version
}

async fn sign_in_as(state: &AppState, email: &str, password: &str) -> Result<String, AppError> {
    let client = Requester::default();
    let user = authenticate(state, &client, email, password.into()).await?;
    open_session(state, &user, &client, None, SignInMethod::Password).await
}

async fn sessions_of(db: &Db, user: UserId) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
        .bind(user.0)
        .fetch_one(db.pool())
        .await
        .unwrap()
}

/// Northwind's Account Admin, a view-only user of East and Harbor Dental's Requester
/// Admin, and a platform admin.
struct People {
    partner_admin: Actor,
    east_viewer: Actor,
    client_admin: Actor,
    platform_admin: Actor,
}

async fn people(db: &Db, tree: &Tree) -> People {
    People {
        partner_admin: actor_with(
            db,
            "pat@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await,
        east_viewer: actor_with(db, "vic@northwind.test", tree.group, &[Role::User]).await,
        client_admin: actor_with(db, "cara@harbor.test", tree.client, &[Role::ClientAdmin]).await,
        platform_admin: actor_with(
            db,
            "root@platform.test",
            tree.platform,
            &[Role::PlatformAdmin],
        )
        .await,
    }
}

#[tokio::test]
async fn a_node_lists_its_members_and_who_inherits_access_with_the_source() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let p = people(&state.db, &tree).await;

        let seen = node_users(
            &caller(&state, &p.partner_admin),
            tree.client,
            &UserQuery::default(),
        )
        .await
        .unwrap();
        let names: Vec<_> = seen.users.iter().map(|user| user.email.as_str()).collect();
        // The platform's staff sit above the partner: not the partner's to see.
        assert_eq!(names.len(), 3, "{names:?}");
        let cara = seen
            .users
            .iter()
            .find(|u| u.email == "cara@harbor.test")
            .unwrap();
        assert!(cara.roles.contains(Role::ClientAdmin));
        assert!(cara.inherited.is_empty());
        let vic = seen
            .users
            .iter()
            .find(|u| u.email == "vic@northwind.test")
            .unwrap();
        assert!(vic.roles.is_empty());
        assert_eq!(vic.inherited[0].node_name, "East");
        assert!(vic.inherited[0].roles.contains(Role::User));
        let pat = seen
            .users
            .iter()
            .find(|u| u.email == "pat@northwind.test")
            .unwrap();
        assert_eq!(pat.inherited[0].node_name, "Northwind");
        assert_eq!(seen.seats.map(|s| (s.used, s.limit)), Some((1, 5)));

        let from_the_top = node_users(
            &caller(&state, &p.platform_admin),
            tree.client,
            &UserQuery::default(),
        )
        .await
        .unwrap();
        assert_eq!(from_the_top.users.len(), 4);

        // Nobody at East holds roles below it: the client admin is not listed there.
        let east = node_users(
            &caller(&state, &p.partner_admin),
            tree.group,
            &UserQuery::default(),
        )
        .await
        .unwrap();
        assert_eq!(east.users.len(), 2);

        let search = UserQuery {
            search: "CARA".into(),
            status: String::new(),
        };
        let found = node_users(&caller(&state, &p.partner_admin), tree.client, &search)
            .await
            .unwrap();
        assert_eq!((found.users.len(), found.total), (1, 3));
        let invited = UserQuery {
            search: String::new(),
            status: "invited".into(),
        };
        let none = node_users(&caller(&state, &p.partner_admin), tree.client, &invited)
            .await
            .unwrap();
        assert!(none.users.is_empty());

        let detail = user_at_node(
            &caller(&state, &p.partner_admin),
            tree.client,
            p.east_viewer.user().id,
        )
        .await
        .unwrap();
        let user_role = detail
            .choices
            .iter()
            .find(|c| c.role == Role::User)
            .unwrap();
        assert!(!user_role.held);
        assert_eq!(user_role.inherited_from, vec!["East".to_string()]);
    })
    .await;
}

#[tokio::test]
async fn nobody_grants_or_takes_away_a_role_they_do_not_hold() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let p = people(&state.db, &tree).await;
        let vic = p.east_viewer.user().id;

        // The client's admin may add a Requester User's line to their Account Manager...
        let ivy = invite(
            &caller(&state, &p.client_admin),
            &invite_form(tree.client, "ivy@harbor.test", &[Role::AccountManager]),
        )
        .await
        .unwrap()
        .user;
        let ivy_version = version_at(&state, &p.client_admin, tree.client, ivy).await;
        set_roles(
            &caller(&state, &p.client_admin),
            tree.client,
            ivy,
            &keys(&[Role::AccountManager, Role::ClientUser]),
            ivy_version,
        )
        .await
        .unwrap();
        let ivy_version = version_at(&state, &p.client_admin, tree.client, ivy).await;
        // ...but not make them an Account Admin, which is more than they hold.
        let refused = set_roles(
            &caller(&state, &p.client_admin),
            tree.client,
            ivy,
            &keys(&[Role::ClientUser, Role::AccountAdmin]),
            ivy_version,
        )
        .await
        .unwrap_err();
        assert!(
            refused
                .message_for("roles")
                .unwrap()
                .contains("Account Admin"),
            "{refused:?}"
        );
        // People who reach the account from above are not the client's to see.
        let above = set_roles(
            &caller(&state, &p.client_admin),
            tree.client,
            vic,
            &keys(&[Role::ClientUser]),
            0,
        )
        .await;
        assert_eq!(above, Err(AppError::NotFound));
        // Partner staff reach the account from above: its roles are for its own people.
        let staff_at_client = set_roles(
            &caller(&state, &p.partner_admin),
            tree.client,
            vic,
            &keys(&[Role::ClientUser]),
            0,
        )
        .await
        .unwrap_err();
        assert!(
            staff_at_client
                .message_for("roles")
                .is_some_and(|message| message.contains("the account's own people")),
            "{staff_at_client:?}"
        );
        set_roles(
            &caller(&state, &p.partner_admin),
            tree.sub_group,
            vic,
            &keys(&[Role::User]),
            0,
        )
        .await
        .unwrap();
        let version = version_at(&state, &p.partner_admin, tree.sub_group, vic).await;
        // Taking away a role they could not give is refused the same way.
        set_roles(
            &caller(&state, &p.partner_admin),
            tree.sub_group,
            vic,
            &keys(&[Role::User, Role::MessagingAgent]),
            version,
        )
        .await
        .unwrap();
        let partner_version = version_at(&state, &p.partner_admin, tree.sub_group, vic).await;
        let platform_only = set_roles(
            &caller(&state, &p.partner_admin),
            tree.sub_group,
            vic,
            &keys(&[Role::SupportAgent]),
            partner_version,
        )
        .await
        .unwrap_err();
        assert!(platform_only.message_for("roles").is_some());
        // A view-only user manages nobody.
        let viewer = set_roles(
            &caller(&state, &p.east_viewer),
            tree.group,
            p.partner_admin.user().id,
            &[],
            0,
        )
        .await;
        assert!(matches!(viewer, Err(AppError::Forbidden(_))), "{viewer:?}");
        // A stale version is a conflict naming who changed the roles.
        let stale = set_roles(
            &caller(&state, &p.partner_admin),
            tree.sub_group,
            vic,
            &keys(&[Role::User]),
            version,
        )
        .await
        .unwrap_err();
        match stale {
            AppError::Conflict(message) => {
                assert!(message.contains("changed the roles of"), "{message}")
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        // Someone without access at a node cannot be given roles there through it.
        let stranger = actor_with(
            &state.db,
            "sam@bluebird.test",
            tree.other_partner,
            &[Role::User],
        )
        .await;
        let outside = set_roles(
            &caller(&state, &p.partner_admin),
            tree.client,
            stranger.user().id,
            &keys(&[Role::User]),
            0,
        )
        .await;
        assert_eq!(outside, Err(AppError::NotFound));
    })
    .await;
}

#[tokio::test]
async fn the_last_admin_of_a_partner_keeps_their_admin_role() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let p = people(&state.db, &tree).await;
        let me = p.partner_admin.user().id;
        let version = version_at(&state, &p.partner_admin, tree.partner, me).await;
        let refused = set_roles(
            &caller(&state, &p.partner_admin),
            tree.partner,
            me,
            &keys(&[Role::User]),
            version,
        )
        .await
        .unwrap_err();
        assert!(refused
            .message_for("roles")
            .unwrap()
            .contains("last Account Admin"));
        assert!(
            remove_access(&caller(&state, &p.partner_admin), tree.partner, me)
                .await
                .is_err()
        );

        // With a second admin, the first may step down.
        let second = actor_with(
            &state.db,
            "pam@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        set_roles(
            &caller(&state, &p.partner_admin),
            tree.partner,
            me,
            &keys(&[Role::User]),
            version,
        )
        .await
        .unwrap();
        assert!(second.user().id != me);
    })
    .await;
}

#[tokio::test]
async fn one_email_is_one_person_on_the_whole_platform() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let p = people(&state.db, &tree).await;
        let bluebird_admin = actor_with(
            &state.db,
            "bob@bluebird.test",
            tree.other_partner,
            &[Role::AccountAdmin],
        )
        .await;

        invite(
            &caller(&state, &p.partner_admin),
            &invite_form(tree.client, "Ines@Harbor.test", &[Role::ClientUser]),
        )
        .await
        .unwrap();
        let clash = invite(
            &caller(&state, &bluebird_admin),
            &invite_form(
                tree.other_client,
                "  ines@harbor.TEST ",
                &[Role::AccountManager],
            ),
        )
        .await
        .unwrap_err();
        assert!(
            clash
                .message_for("email")
                .unwrap()
                .contains("already belongs"),
            "{clash:?}"
        );
        let own_partner = invite(
            &caller(&state, &p.partner_admin),
            &invite_form(tree.group, "ines@harbor.test", &[Role::User]),
        )
        .await
        .unwrap_err();
        assert!(own_partner.message_for("email").is_some());

        // Partner staff the admin manages get roles elsewhere in the partner added to
        // their one account; a client account's people are that account's only.
        let vic = invite(
            &caller(&state, &p.partner_admin),
            &invite_form(
                tree.sub_group,
                "VIC@northwind.test",
                &[Role::MessagingAgent],
            ),
        )
        .await
        .unwrap();
        assert!(vic.existing_account && vic.temporary_password.is_none());
        assert_eq!(vic.user, p.east_viewer.user().id);
        let into_client = invite(
            &caller(&state, &p.partner_admin),
            &invite_form(tree.client, "vic@northwind.test", &[Role::ClientUser]),
        )
        .await
        .unwrap_err();
        assert!(into_client.message_for("email").is_some());
        let twice = invite(
            &caller(&state, &p.partner_admin),
            &invite_form(tree.sub_group, "vic@northwind.test", &[Role::User]),
        )
        .await
        .unwrap_err();
        assert!(twice
            .message_for("email")
            .unwrap()
            .contains("already have roles here"));

        // Once nobody gives her roles anywhere, her address can be invited again,
        // and it is the same person (their history stays theirs).
        let ines = find_by_email(state.db.pool(), "ines@harbor.test")
            .await
            .unwrap()
            .unwrap();
        remove_access(&caller(&state, &p.partner_admin), tree.client, ines.id)
            .await
            .unwrap();
        let again = invite(
            &caller(&state, &bluebird_admin),
            &invite_form(
                tree.other_client,
                "ines@harbor.test",
                &[Role::AccountManager],
            ),
        )
        .await
        .unwrap();
        assert_eq!(again.user, ines.id);
    })
    .await;
}

#[tokio::test]
async fn seat_limits_hold_under_concurrent_invites() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let p = people(&state.db, &tree).await;
        // Five seats, one taken by the Requester Admin: eight people invited at once.
        let attempts = (0..8).map(|index| {
            let state = state.clone();
            let admin = p.partner_admin.clone();
            let client = tree.client;
            tokio::spawn(async move {
                invite(
                    &caller(&state, &admin),
                    &invite_form(
                        client,
                        &format!("seat{index}@harbor.test"),
                        &[Role::ClientUser],
                    ),
                )
                .await
            })
        });
        let mut invited = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                Ok(_) => invited += 1,
                Err(error) => assert!(
                    error.message_for("roles").unwrap().contains("seats"),
                    "{error:?}"
                ),
            }
        }
        assert_eq!(invited, 4);
        let seats = count(
            &state.db,
            &format!(
                "SELECT COUNT(*) FROM memberships WHERE node_id = {} AND holds_seat = 1",
                tree.client.0
            ),
        )
        .await;
        assert_eq!(seats, 5);
        // An Account Manager takes no seat, so one still fits.
        let manager = invite(
            &caller(&state, &p.partner_admin),
            &invite_form(tree.client, "manager@harbor.test", &[Role::AccountManager]),
        )
        .await;
        assert!(manager.is_ok(), "{manager:?}");
        // Adding a voice role to someone without one needs a free seat too.
        let manager = manager.unwrap().user;
        let version = version_at(&state, &p.partner_admin, tree.client, manager).await;
        let full = set_roles(
            &caller(&state, &p.partner_admin),
            tree.client,
            manager,
            &keys(&[Role::AccountManager, Role::ClientUser]),
            version,
        )
        .await
        .unwrap_err();
        assert!(full.message_for("roles").unwrap().contains("seats"));
    })
    .await;
}

#[tokio::test]
async fn invite_links_work_once_expire_and_belong_to_the_address_they_were_sent_to() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let p = people(&state.db, &tree).await;
        let client = Requester::default();
        let passphrase = "correct horse battery staple";

        invite(&caller(&state, &p.partner_admin), &invite_form(tree.group, "una@northwind.test", &[Role::User, Role::MessagingAgent]))
            .await
            .unwrap();
        let token = token_mailed_to(&state.db, "una@northwind.test").await;
        let una = follow(&state, &client, LinkPurpose::Activation, &token, passphrase.into(), passphrase).await.unwrap();
        assert_eq!(una.status, UserStatus::Active);
        assert!(follow(&state, &client, LinkPurpose::Activation, &token, passphrase.into(), passphrase).await.is_err());
        sign_in_as(&state, "una@northwind.test", passphrase).await.unwrap();

        invite(&caller(&state, &p.partner_admin), &invite_form(tree.group, "old@northwind.test", &[Role::User]))
            .await
            .unwrap();
        let expired = token_mailed_to(&state.db, "old@northwind.test").await;
        sqlx::query("UPDATE user_tokens SET expires_at = 0").execute(state.db.pool()).await.unwrap();
        assert!(follow(&state, &client, LinkPurpose::Activation, &expired, passphrase.into(), passphrase).await.is_err());

        invite(&caller(&state, &p.partner_admin), &invite_form(tree.group, "moved@northwind.test", &[Role::User]))
            .await
            .unwrap();
        let mailed = token_mailed_to(&state.db, "moved@northwind.test").await;
        sqlx::query("UPDATE users SET email = 'new@northwind.test', email_normalized = 'new@northwind.test' WHERE email_normalized = 'moved@northwind.test'")
            .execute(state.db.pool())
            .await
            .unwrap();
        assert!(follow(&state, &client, LinkPurpose::Activation, &mailed, passphrase.into(), passphrase).await.is_err());
    })
    .await;
}

#[tokio::test]
async fn resending_an_invite_kills_the_old_link_and_revoking_it_kills_both() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let p = people(&state.db, &tree).await;
        let client = Requester::default();
        let passphrase = "a long enough passphrase";
        let mut form = invite_form(tree.client, "rita@harbor.test", &[Role::ClientUser]);
        form.password_choice = "temporary_password".into();
        let invited = invite(&caller(&state, &p.client_admin), &form)
            .await
            .unwrap();
        let temporary = invited.temporary_password.clone().unwrap();

        resend_invite(&caller(&state, &p.client_admin), tree.client, invited.user)
            .await
            .unwrap();
        assert!(
            sign_in_as(&state, "rita@harbor.test", &temporary)
                .await
                .is_err(),
            "the temporary password died"
        );
        let first = token_mailed_to(&state.db, "rita@harbor.test").await;
        resend_invite(&caller(&state, &p.client_admin), tree.client, invited.user)
            .await
            .unwrap();
        let second = token_mailed_to(&state.db, "rita@harbor.test").await;
        assert_ne!(first, second);
        assert!(follow(
            &state,
            &client,
            LinkPurpose::Activation,
            &first,
            passphrase.into(),
            passphrase
        )
        .await
        .is_err());

        remove_access(&caller(&state, &p.client_admin), tree.client, invited.user)
            .await
            .unwrap();
        assert!(follow(
            &state,
            &client,
            LinkPurpose::Activation,
            &second,
            passphrase.into(),
            passphrase
        )
        .await
        .is_err());
        let revoked = count(
            &state.db,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'user.invite_revoked'",
        )
        .await;
        assert_eq!(revoked, 1);
    })
    .await;
}

#[tokio::test]
async fn disabling_ends_sessions_at_once_and_enabling_lets_them_back() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let p = people(&state.db, &tree).await;
        let passphrase = "the quick brown fox";
        let mut form = invite_form(tree.client, "dina@harbor.test", &[Role::ClientUser]);
        form.password_choice = "temporary_password".into();
        let invited = invite(&caller(&state, &p.partner_admin), &form)
            .await
            .unwrap();
        let dina = invited.user;
        let hash = state.passwords.hash(passphrase.into()).await.unwrap();
        app::auth::repo::set_password(state.db.pool(), dina, &hash, false)
            .await
            .unwrap();
        sign_in_as(&state, "dina@harbor.test", passphrase)
            .await
            .unwrap();
        sign_in_as(&state, "dina@harbor.test", passphrase)
            .await
            .unwrap();
        assert_eq!(sessions_of(&state.db, dina).await, 2);

        set_enabled(&caller(&state, &p.partner_admin), tree.client, dina, false)
            .await
            .unwrap();
        assert_eq!(sessions_of(&state.db, dina).await, 0);
        assert!(matches!(
            sign_in_as(&state, "dina@harbor.test", passphrase).await,
            Err(AppError::Forbidden(_))
        ));
        set_enabled(&caller(&state, &p.partner_admin), tree.client, dina, true)
            .await
            .unwrap();
        sign_in_as(&state, "dina@harbor.test", passphrase)
            .await
            .unwrap();

        // Nobody disables themselves, nor someone with access above where they manage.
        let own = set_enabled(
            &caller(&state, &p.client_admin),
            tree.client,
            p.client_admin.user().id,
            false,
        )
        .await;
        assert!(matches!(own, Err(AppError::Forbidden(_))));
        let hidden = set_enabled(
            &caller(&state, &p.client_admin),
            tree.client,
            p.partner_admin.user().id,
            false,
        )
        .await;
        assert_eq!(hidden, Err(AppError::NotFound));
        // Boston's admin sees the East viewer's role at the client, not the one at East.
        let boston_admin = actor_with(
            &state.db,
            "bo@northwind.test",
            tree.sub_group,
            &[Role::AccountAdmin],
        )
        .await;
        // Someone holding roles both at East and at the account (as people could
        // before client roles were kept for the account's own people).
        let vic = p.east_viewer.user().id;
        let mut conn = state.db.pool().acquire().await.unwrap();
        app::users::repo::set_membership(
            &mut conn,
            vic,
            tree.client,
            &RoleSet::new([Role::ClientUser]),
        )
        .await
        .unwrap();
        drop(conn);
        let elsewhere = set_enabled(&caller(&state, &boston_admin), tree.client, vic, false).await;
        assert!(
            matches!(elsewhere, Err(AppError::Forbidden(_))),
            "{elsewhere:?}"
        );
        let events = count(
            &state.db,
            "SELECT COUNT(*) FROM audit_events WHERE action IN ('user.disabled', 'user.enabled')",
        )
        .await;
        assert_eq!(events, 2);
    })
    .await;
}

#[tokio::test]
async fn a_generated_password_ends_sessions_and_must_be_changed() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let p = people(&state.db, &tree).await;
        let mut form = invite_form(tree.client, "gus@harbor.test", &[Role::ClientUser]);
        form.password_choice = "temporary_password".into();
        let invited = invite(&caller(&state, &p.client_admin), &form)
            .await
            .unwrap();
        sign_in_as(
            &state,
            "gus@harbor.test",
            invited.temporary_password.as_deref().unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(sessions_of(&state.db, invited.user).await, 1);

        let password =
            set_generated_password(&caller(&state, &p.client_admin), tree.client, invited.user)
                .await
                .unwrap();
        assert_eq!(password.len(), 23, "four groups of five: {password}");
        assert_eq!(sessions_of(&state.db, invited.user).await, 0);
        sign_in_as(&state, "gus@harbor.test", &password)
            .await
            .unwrap();
        let gus = find_by_email(state.db.pool(), "gus@harbor.test")
            .await
            .unwrap()
            .unwrap();
        assert!(gus.must_change_password);
    })
    .await;
}

#[tokio::test]
async fn an_invite_is_mailed_in_the_chosen_language_on_the_chosen_domain() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let p = people(&state.db, &tree).await;
        for domain in ["portal.northwind.test", "voice.northwind.test"] {
            sqlx::query("INSERT INTO branding_domains (domain, partner_id) VALUES ($1, $2)")
                .bind(domain)
                .bind(tree.partner.0)
                .execute(state.db.pool())
                .await
                .unwrap();
        }
        let options = invite_options(&caller(&state, &p.partner_admin), tree.client).await.unwrap();
        assert_eq!(options.branding_domains.len(), 2);

        let mut form = invite_form(tree.client, "fleur@harbor.test", &[Role::ClientUser]);
        form.language = "fr".into();
        form.branding_domain = "voice.northwind.test".into();
        invite(&caller(&state, &p.partner_admin), &form).await.unwrap();
        let (subject, body, sender): (String, String, String) = sqlx::query_as(
            "SELECT subject, body_text, sender_name FROM outbox WHERE recipient = 'fleur@harbor.test'",
        )
        .fetch_one(state.db.pool())
        .await
        .unwrap();
        assert_eq!(subject, "Votre compte Test Brand");
        assert_eq!(sender, "Test Brand");
        assert!(body.contains("http://voice.northwind.test:3000/activate?token="), "{body}");

        form.email = "other@harbor.test".into();
        form.branding_domain = "evil.example".into();
        let refused = invite(&caller(&state, &p.partner_admin), &form).await.unwrap_err();
        assert!(refused.message_for("branding_domain").is_some());
    })
    .await;
}

#[tokio::test]
async fn bad_invites_are_explained_field_by_field_and_change_nothing() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let p = people(&state.db, &tree).await;
        let form = InviteForm {
            node: tree.client.0.to_string(),
            email: "not an address".into(),
            name: " ".into(),
            language: "de".into(),
            branding_domain: String::new(),
            roles: Vec::new(),
            password_choice: "carrier pigeon".into(),
        };
        let error = invite(&caller(&state, &p.partner_admin), &form)
            .await
            .unwrap_err();
        for field in ["email", "name", "language", "roles", "password_choice"] {
            assert!(error.message_for(field).is_some(), "{field}: {error:?}");
        }
        assert_eq!(count(&state.db, "SELECT COUNT(*) FROM outbox").await, 0);
        assert_eq!(
            count(
                &state.db,
                "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'user.%'"
            )
            .await,
            0
        );
    })
    .await;
}

#[tokio::test]
async fn every_users_function_checks_the_actors_rights_at_the_node() {
    use Outcome::{Allowed as A, Forbidden as F, NotFound as N};
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let setup = actor_with(&state.db, "setup@platform.test", tree.platform, &[Role::PlatformAdmin]).await;
        let client = tree.client;
        // role, where it is held, then at Harbor Dental: list, detail, invite options,
        // set roles, invite, resend, set a password, disable, remove access.
        let matrix = [
            (Role::PlatformAdmin, tree.platform, [A; 9]),
            (Role::AccountAdmin, tree.partner, [A; 9]),
            (Role::AccountAdmin, tree.sub_group, [A; 9]),
            (Role::AccountAdmin, tree.other_partner, [N; 9]),
            (Role::User, tree.partner, [F; 9]),
            (Role::MessagingAgent, tree.group, [F; 9]),
            // The subject, an Account Manager, has as much authority as these two:
            // they may act on the account but not set a password for it.
            (Role::AccountManager, client, [A, A, A, A, A, A, F, A, A]),
            (Role::ClientAdmin, client, [A, A, A, A, A, A, F, A, A]),
            (Role::ClientUser, client, [F; 9]),
            (Role::SupportAgent, tree.platform, [F; 9]),
        ];
        let mut changes_made = 0;
        for (index, (role, node, expected)) in matrix.into_iter().enumerate() {
            let actor = actor_with(&state.db, &format!("actor{index}@matrix.test"), node, &[role]).await;
            // A fresh invitee each time (an Account Manager: no seat), so that every
            // call allowed really happens.
            let subject = invite(&caller(&state, &setup), &invite_form(client, &format!("subject{index}@harbor.test"), &[Role::AccountManager]))
                .await
                .unwrap()
                .user;
            let version = version_at(&state, &setup, client, subject).await;
            let roles = keys(&[Role::AccountManager, Role::MessagingAgent]);
            let got = [
                outcome(&node_users(&caller(&state, &actor), client, &UserQuery::default()).await),
                outcome(&user_at_node(&caller(&state, &actor), client, subject).await),
                outcome(&invite_options(&caller(&state, &actor), client).await),
                outcome(&set_roles(&caller(&state, &actor), client, subject, &roles, version).await),
                outcome(&invite(&caller(&state, &actor), &invite_form(client, "", &[Role::ClientUser])).await),
                outcome(&resend_invite(&caller(&state, &actor), client, subject).await),
                outcome(&set_generated_password(&caller(&state, &actor), client, subject).await),
                outcome(&set_enabled(&caller(&state, &actor), client, subject, false).await),
                outcome(&remove_access(&caller(&state, &actor), client, subject).await),
            ];
            assert_eq!(got, expected, "{role:?} at {node:?}");
            // Setting roles, resending, a password, disabling and removing access
            // each change something when allowed (the empty invite is refused).
            changes_made += [3, 5, 6, 7, 8].iter().filter(|&&call| expected[call] == A).count() as i64;
        }
        let changes = count(&state.db, "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'user.%' AND action <> 'user.invited'").await;
        assert_eq!(changes, changes_made);
    })
    .await;
}

#[tokio::test]
async fn account_actions_reach_only_people_below_and_passwords_only_people_with_less() {
    use Outcome::{Allowed as A, Forbidden as F, NotFound as N};
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let (client, partner) = (tree.client, tree.partner);
        let actors = [
            (
                "client admin",
                actor_with(&state.db, "cara@harbor.test", client, &[Role::ClientAdmin]).await,
            ),
            (
                "partner admin",
                actor_with(
                    &state.db,
                    "pat@northwind.test",
                    partner,
                    &[Role::AccountAdmin],
                )
                .await,
            ),
            (
                "Boston admin",
                actor_with(
                    &state.db,
                    "bo@northwind.test",
                    tree.sub_group,
                    &[Role::AccountAdmin],
                )
                .await,
            ),
            (
                "platform admin",
                actor_with(
                    &state.db,
                    "root@platform.test",
                    tree.platform,
                    &[Role::PlatformAdmin],
                )
                .await,
            ),
        ];
        // Whom, where they hold their role, then for each actor above: disabling
        // (needs every permission the person's roles give), then setting a password
        // (needs strictly more).
        let matrix = [
            (Role::ClientUser, client, [[A, A], [A, A], [A, A], [A, A]]),
            (
                Role::AccountManager,
                client,
                [[A, F], [A, A], [A, A], [A, A]],
            ),
            (Role::ClientAdmin, client, [[A, F], [A, A], [A, A], [A, A]]),
            (Role::AccountAdmin, client, [[F, F], [A, F], [A, F], [A, A]]),
            (
                Role::AccountAdmin,
                partner,
                [[N, N], [A, F], [N, N], [A, A]],
            ),
            (
                Role::SupportAgent,
                partner,
                [[N, N], [F, F], [N, N], [A, A]],
            ),
        ];
        for (index, (role, node, expected)) in matrix.into_iter().enumerate() {
            for (column, (who, actor)) in actors.iter().enumerate() {
                let email = format!("subject{index}.{column}@matrix.test");
                let subject = actor_with(&state.db, &email, node, &[role]).await.user().id;
                // The page offers what the actions allow.
                if let Ok(page) = user_at_node(&caller(&state, actor), node, subject).await {
                    let offered = [page.can_manage_account, page.can_set_password];
                    let allowed = expected[column].map(|outcome| outcome == A);
                    assert_eq!(offered, allowed, "{who} sees a {role:?}");
                }
                let password = set_generated_password(&caller(&state, actor), node, subject).await;
                let disable = set_enabled(&caller(&state, actor), node, subject, false).await;
                let got = [outcome(&disable), outcome(&password)];
                assert_eq!(got, expected[column], "{who} on a {role:?} at {node:?}");
                let status = find_by_email(state.db.pool(), &email)
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(
                    status.must_change_password,
                    got[1] == A,
                    "{who} on a {role:?}"
                );
                assert_eq!(
                    status.status == UserStatus::Disabled,
                    got[0] == A,
                    "{who} on a {role:?}"
                );
            }
        }
    })
    .await;
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_a_mailed_link_that_ends_every_session() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let p = people(&state.db, &tree).await;
        let client = Requester::default();
        let vic = p.east_viewer.user().id;
        let old = "an old but decent passphrase";
        let hash = state.passwords.hash(old.into()).await.unwrap();
        app::auth::repo::set_password(state.db.pool(), vic, &hash, false)
            .await
            .unwrap();
        sign_in_as(&state, "vic@northwind.test", old).await.unwrap();
        assert_eq!(sessions_of(&state.db, vic).await, 1);

        send_password_reset(&state, &client, "VIC@Northwind.test")
            .await
            .unwrap();
        // A second ask within the minute sends nothing more; an unknown address
        // gets the same answer and no message.
        send_password_reset(&state, &client, "vic@northwind.test")
            .await
            .unwrap();
        send_password_reset(&state, &client, "nobody@northwind.test")
            .await
            .unwrap();
        let mails = count(
            &state.db,
            "SELECT COUNT(*) FROM outbox WHERE purpose = 'password_reset'",
        )
        .await;
        assert_eq!(mails, 1);
        let token = token_mailed_to(&state.db, "vic@northwind.test").await;
        assert!(
            follow(
                &state,
                &client,
                LinkPurpose::Activation,
                &token,
                "x".into(),
                "x"
            )
            .await
            .is_err(),
            "a reset link is no activation link"
        );

        let common = follow(
            &state,
            &client,
            LinkPurpose::PasswordReset,
            &token,
            "password123".into(),
            "password123",
        )
        .await
        .unwrap_err();
        assert!(common.message_for("new_password").is_some(), "{common:?}");
        let new = "a fresh passphrase for vic";
        follow(
            &state,
            &client,
            LinkPurpose::PasswordReset,
            &token,
            new.into(),
            new,
        )
        .await
        .unwrap();
        assert_eq!(sessions_of(&state.db, vic).await, 0);
        assert!(sign_in_as(&state, "vic@northwind.test", old).await.is_err());
        sign_in_as(&state, "vic@northwind.test", new).await.unwrap();
        assert!(
            follow(
                &state,
                &client,
                LinkPurpose::PasswordReset,
                &token,
                new.into(),
                new
            )
            .await
            .is_err(),
            "the link works once"
        );
    })
    .await;
}

#[tokio::test]
async fn the_platform_invites_its_own_staff_in_the_platforms_brand() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let p = people(&state.db, &tree).await;
        invite(
            &caller(&state, &p.platform_admin),
            &invite_form(tree.platform, "sue@platform.test", &[Role::SupportAgent]),
        )
        .await
        .unwrap();
        let (sender, body): (String, String) = sqlx::query_as(
            "SELECT sender_name, body_text FROM outbox WHERE recipient = 'sue@platform.test'",
        )
        .fetch_one(state.db.pool())
        .await
        .unwrap();
        assert_eq!(sender, "Switchboard");
        assert!(
            body.contains("http://127.0.0.1:3000/activate?token="),
            "{body}"
        );
        // A partner's admin gives no platform role, not even at their own partner.
        let refused = invite(
            &caller(&state, &p.partner_admin),
            &invite_form(tree.partner, "sid@northwind.test", &[Role::SupportAgent]),
        )
        .await
        .unwrap_err();
        assert!(refused.message_for("roles").is_some());
    })
    .await;
}

#[tokio::test]
async fn one_address_asks_for_only_so_many_password_resets_an_hour() {
    on_every_database(|db| async move {
        let state = state(db);
        let (sprayer, neighbour) = (client_at("203.0.113.5"), client_at("203.0.113.6"));
        let allowed = app::auth::links::RESETS_AN_HOUR_PER_ADDRESS.uses;
        for n in 0..allowed {
            // The answer is the same whether or not the address has an account.
            send_password_reset(&state, &sprayer, &format!("user{n}@spray.test"))
                .await
                .unwrap();
        }
        let refused = send_password_reset(&state, &sprayer, "one.more@spray.test").await;
        assert!(
            matches!(refused, Err(AppError::TooManyAttempts { .. })),
            "{refused:?}"
        );
        assert!(
            send_password_reset(&state, &neighbour, "one.more@spray.test")
                .await
                .is_ok()
        );
    })
    .await;
}
