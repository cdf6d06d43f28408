//! Impersonation ("Log in as") on both databases: a session of its own that leaves
//! everyone's other sessions alone, the target's rights and never more, who may act as
//! whom, what ends it (Stop, expiry, rights withdrawn, a support grant revoked), live
//! presence across server processes, the client's access history, the audit chain,
//! and who may call what.

use crate::common::{self, caller};
use crate::fixtures;
use crate::outcome;

use app::audit_trail::chain::{verify, ChainReport};
use app::auth::actor::Actor;
use app::auth::repo::{find_by_id, mark_email_verified};
use app::auth::repo::{find_impersonation as find, ImpersonationRecord};
use app::auth::session::{close_session, open_session, resolve, SignInMethod};
use app::briefing::service::{set_status as set_operator_status, StatusForm};
use app::clients::repo::client_record;
use app::core::roles::{Permission, PermissionSet, Role, RoleSet};
use app::core::ClientStatus;
use app::core::NodeId;
use app::core::{EndReason, ImpersonationId, Mode};
use app::core::{UserId, UserStatus};
use app::db::{now_ms, Db};
use app::error::AppError;
use app::impersonation::history::access_history;
use app::impersonation::start_stop::{log_in_as_options, presence, stop, StartRequest};
use app::impersonation::support::{granted_accounts, set_support_access};
use app::impersonation::Presence;
use app::password::Passwords;
use app::request::Requester;
use app::state::{AppState, Settings};
use app::users::account_actions::{remove_access, set_enabled, set_generated_password};
use app::users::invites::invite as invite_user;
use app::users::repo::{membership_at, replace_roles, set_status};
use app::users::service::node_users;
use app::users::{InviteForm, PasswordChoice, UserQuery};
use common::on_every_database;
use fixtures::sessions::{
    actor, form, impersonate, person, sign_in, start_from, Person, REASON, RETURN_TO,
};
use fixtures::{actor_with, build_tree, Tree};
use outcome::{outcome, Outcome};

fn state(db: Db) -> AppState {
    AppState {
        db,
        settings: Settings::default(),
        passwords: Passwords::new(2),
    }
}

async fn pat(state: &AppState, tree: &Tree) -> Person {
    let roles = [Role::AccountAdmin];
    person(
        state,
        "Pat Partner",
        "pat@northwind.test",
        tree.partner,
        &roles,
    )
    .await
}

/// A Requester User of the account who has verified their address, as it asks.
async fn quinn(state: &AppState, tree: &Tree) -> Person {
    let roles = [Role::ClientUser];
    let quinn = person(
        state,
        "Quinn Requester",
        "quinn@harbor.test",
        tree.client,
        &roles,
    )
    .await;
    mark_email_verified(state.db.pool(), quinn.id)
        .await
        .unwrap();
    quinn
}

async fn cara(state: &AppState, tree: &Tree) -> Person {
    let roles = [Role::ClientAdmin];
    person(state, "Cara Admin", "cara@harbor.test", tree.client, &roles).await
}

async fn sam(state: &AppState, tree: &Tree) -> Person {
    let roles = [Role::SupportAgent];
    person(
        state,
        "Sam Support",
        "sam@switchboard.test",
        tree.platform,
        &roles,
    )
    .await
}

async fn record(db: &Db, id: ImpersonationId) -> ImpersonationRecord {
    find(db.pool(), id).await.unwrap().unwrap()
}

async fn grant_support(state: &AppState, granter: &Person, account: NodeId, days: Option<&str>) {
    let granter = actor(state, &granter.token).await.unwrap();
    set_support_access(&caller(state, &granter), account, days.map(str::to_string))
        .await
        .unwrap();
}

/// Rewrites the operator status of `client` as `actor`: a change worth auditing.
async fn change_operator_status(
    state: &AppState,
    actor: &Actor,
    client: NodeId,
) -> Result<(), AppError> {
    let version = app::briefing::repo::status(state.db.pool(), client)
        .await
        .unwrap()
        .version;
    let text = format!("Closed for training until 2pm ({version})");
    let form = StatusForm {
        text: &text,
        until: "",
        default_text: "",
    };
    set_operator_status(&caller(state, actor), Some(client), &form, version).await
}

/// (actor_user_id, impersonation_id) of each audit event named `action`, in order.
async fn audited(db: &Db, action: &str) -> Vec<(Option<i64>, Option<i64>)> {
    sqlx::query_as(
        "SELECT actor_user_id, impersonation_id FROM audit_events WHERE action = $1 ORDER BY id",
    )
    .bind(action)
    .fetch_all(db.pool())
    .await
    .unwrap()
}

/// The names a presence poll through `token` shows: the others in the account while
/// impersonating, the support staff in it for someone in their own account.
async fn seen_through(state: &AppState, token: &str) -> Vec<String> {
    let people = match presence(state, token).await.unwrap() {
        Presence::Impersonating { others, .. } => others,
        Presence::InOwnAccount { support } => support,
        ended @ Presence::Ended { .. } => panic!("poll answered {ended:?}"),
    };
    people.into_iter().map(|person| person.name).collect()
}

fn field_message<T: std::fmt::Debug>(result: Result<T, AppError>, field: &str) -> String {
    match result {
        Err(error) => error
            .message_for(field)
            .unwrap_or_else(|| panic!("no message at {field}: {error:?}")),
        Ok(done) => panic!("accepted: {done:?}"),
    }
}

fn is_forbidden<T>(result: &Result<T, AppError>) -> bool {
    matches!(result, Err(AppError::Forbidden(_)))
}

#[tokio::test]
async fn starting_replaces_the_browsers_session_and_touches_no_other() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let pat = pat(&state, &tree).await;
        let quinn = quinn(&state, &tree).await;
        let pat_elsewhere = sign_in(&state, pat.id).await;
        let pat_elsewhere_before = resolve(&state, &pat_elsewhere).await.unwrap();
        let quinn_before = resolve(&state, &quinn.token).await.unwrap();

        let pat_actor = actor(&state, &pat.token).await.unwrap();
        let request = form(tree.client, Some(quinn.id));
        let started = start_from(&state, &pat_actor, Some(&pat.token), request)
            .await
            .unwrap();

        assert_eq!(
            resolve(&state, &pat.token).await,
            Err(AppError::Unauthenticated),
            "the browser's previous session is gone"
        );
        assert_ne!(started.token, pat.token);
        let session = resolve(&state, &started.token).await.unwrap();
        assert_eq!(session.impersonation, Some(started.id));
        assert_eq!(session.id, pat.id, "the session is the impersonator's own");
        assert_eq!(
            resolve(&state, &pat_elsewhere).await,
            Ok(pat_elsewhere_before),
            "the impersonator's other session is untouched"
        );
        assert_eq!(
            resolve(&state, &quinn.token).await,
            Ok(quinn_before),
            "the client user's own session is untouched"
        );
        let stored = record(&state.db, started.id).await;
        assert_eq!(
            (stored.impersonator, stored.target, stored.account),
            (pat.id, Some(quinn.id), tree.client)
        );
        assert_eq!((stored.ended_at, stored.end_reason), (None, None));
    })
    .await;
}

#[tokio::test]
async fn stopping_ends_it_and_returns_a_plain_session_to_where_it_started() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let pat = pat(&state, &tree).await;
        let quinn = quinn(&state, &tree).await;
        let started = impersonate(&state, &pat, form(tree.client, Some(quinn.id))).await;

        let (new_token, return_to) = stop(&state, &Requester::default(), &started.token)
            .await
            .unwrap();

        assert_eq!(return_to, RETURN_TO);
        let stored = record(&state.db, started.id).await;
        assert!(stored.ended_at.is_some());
        assert_eq!(stored.end_reason, Some(EndReason::Stopped));
        assert_eq!(
            resolve(&state, &started.token).await,
            Err(AppError::Unauthenticated)
        );
        assert_ne!(new_token, started.token);
        let plain = resolve(&state, &new_token).await.unwrap();
        assert_eq!((plain.id, plain.impersonation), (pat.id, None));
        assert!(actor(&state, &new_token)
            .await
            .unwrap()
            .impersonation()
            .is_none());
        assert_eq!(audited(&state.db, "impersonation.ended").await.len(), 1);

        // Where Stop leads is always a path of this site.
        let elsewhere = StartRequest {
            return_to: "https://phish.example/login".into(),
            ..form(tree.client, Some(quinn.id))
        };
        let started = impersonate(&state, &pat, elsewhere).await;
        let (_, return_to) = stop(&state, &Requester::default(), &started.token)
            .await
            .unwrap();
        assert_eq!(return_to, "/");
    })
    .await;
}

#[tokio::test]
async fn the_effective_rights_are_the_targets_and_changes_name_the_real_person() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let pat = pat(&state, &tree).await;
        let quinn = quinn(&state, &tree).await;
        let cara = cara(&state, &tree).await;

        let as_quinn = impersonate(&state, &pat, form(tree.client, Some(quinn.id))).await;
        let acting = actor(&state, &as_quinn.token).await.unwrap();
        assert_eq!(acting.user().id, quinn.id);
        assert_eq!(acting.session_user().id, pat.id);
        assert_eq!(
            acting.permissions_at(&state.db, tree.client).await.unwrap(),
            Role::ClientUser.permissions()
        );
        assert!(is_forbidden(
            &acting
                .require(&state.db, Permission::ManageClients, tree.client)
                .await
        ));
        assert!(is_forbidden(
            &change_operator_status(&state, &acting, tree.client).await
        ));
        for above_or_beside in [
            tree.platform,
            tree.partner,
            tree.group,
            tree.sub_group,
            tree.other_partner,
            tree.other_client,
        ] {
            assert_eq!(
                acting
                    .permissions_at(&state.db, above_or_beside)
                    .await
                    .unwrap(),
                PermissionSet::NONE
            );
            assert_eq!(
                acting
                    .require(&state.db, Permission::ViewNodes, above_or_beside)
                    .await
                    .map(|_| ()),
                Err(AppError::NotFound)
            );
        }

        let as_cara = impersonate(&state, &pat, form(tree.client, Some(cara.id))).await;
        let acting = actor(&state, &as_cara.token).await.unwrap();
        assert_eq!(
            acting.permissions_at(&state.db, tree.client).await.unwrap(),
            Role::ClientAdmin.permissions()
        );
        change_operator_status(&state, &acting, tree.client)
            .await
            .unwrap();
        assert_eq!(
            audited(&state.db, "status.set").await,
            vec![(Some(pat.id.0), Some(as_cara.id.0))],
            "the real person, through the impersonation"
        );
    })
    .await;
}

#[tokio::test]
async fn nobody_acts_as_themselves_an_equal_a_higher_an_inactive_or_a_stranger() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let pat = pat(&state, &tree).await;
        let quinn = quinn(&state, &tree).await;
        let cara = cara(&state, &tree).await;
        let sam = sam(&state, &tree).await;
        let roles = [Role::AccountAdmin];
        let account_admin = person(
            &state,
            "Ada Account",
            "ada@harbor.test",
            tree.client,
            &roles,
        )
        .await;
        let roles = [Role::ClientUser];
        let disabled = person(&state, "Dee Gone", "dee@harbor.test", tree.client, &roles).await;
        set_status(state.db.pool(), disabled.id, UserStatus::Disabled)
            .await
            .unwrap();
        let stranger = person(
            &state,
            "Rae Pacific",
            "rae@pacific.test",
            tree.other_client,
            &roles,
        )
        .await;
        let pat_actor = actor(&state, &pat.token).await.unwrap();

        for (what, target, expected) in [
            ("oneself", pat.id, "You cannot log in as yourself."),
            (
                "an Account Admin of the account: equal",
                account_admin.id,
                "You cannot act as someone with as much authority as you, or more.",
            ),
            (
                "a disabled user",
                disabled.id,
                "This user is not active: only active users can be acted as.",
            ),
            (
                "a user of another account",
                stranger.id,
                "Choose one of this account's users.",
            ),
        ] {
            let refused =
                start_from(&state, &pat_actor, None, form(tree.client, Some(target))).await;
            assert_eq!(field_message(refused, "target"), expected, "{what}");
        }

        grant_support(&state, &cara, tree.client, Some("7")).await;
        let sam_actor = actor(&state, &sam.token).await.unwrap();
        let higher = start_from(
            &state,
            &sam_actor,
            None,
            form(tree.client, Some(account_admin.id)),
        )
        .await;
        assert_eq!(
            field_message(higher, "target"),
            "You cannot act as someone with as much authority as you, or more.",
            "support acting as an Account Admin"
        );

        let elsewhere = start_from(&state, &pat_actor, None, form(tree.other_client, None)).await;
        assert_eq!(
            elsewhere.map(|_| ()),
            Err(AppError::NotFound),
            "another partner's account"
        );

        let no_reason = StartRequest {
            reason: "   ".into(),
            ..form(tree.client, Some(quinn.id))
        };
        let no_reason = start_from(&state, &pat_actor, None, no_reason).await;
        assert!(field_message(no_reason, "reason").contains("Say why"));
        let odd_length = StartRequest {
            minutes: "45".into(),
            ..form(tree.client, Some(quinn.id))
        };
        let odd_length = start_from(&state, &pat_actor, None, odd_length).await;
        assert!(field_message(odd_length, "minutes").contains("Choose how long"));

        let none_yet: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM impersonations")
            .fetch_one(state.db.pool())
            .await
            .unwrap();
        assert_eq!(none_yet, 0, "no refusal starts anything");

        let inside = impersonate(&state, &pat, form(tree.client, Some(quinn.id))).await;
        let inside = actor(&state, &inside.token).await.unwrap();
        let nested = start_from(&state, &inside, None, form(tree.client, Some(quinn.id))).await;
        assert!(is_forbidden(&nested), "from inside one: {nested:?}");
        let nested_options = log_in_as_options(&caller(&state, &inside), tree.client).await;
        assert!(is_forbidden(&nested_options));
    })
    .await;
}

#[tokio::test]
async fn it_ends_when_its_time_runs_out() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let pat = pat(&state, &tree).await;
        let quinn = quinn(&state, &tree).await;
        let quarter = StartRequest {
            minutes: "15".into(),
            ..form(tree.client, Some(quinn.id))
        };
        let started = impersonate(&state, &pat, quarter).await;
        let stored = record(&state.db, started.id).await;
        assert_eq!(stored.expires_at - stored.started_at, 15 * 60_000);
        assert!(actor(&state, &started.token).await.is_ok());

        sqlx::query("UPDATE impersonations SET expires_at = $1 WHERE id = $2")
            .bind(now_ms() - 1_000)
            .bind(started.id.0)
            .execute(state.db.pool())
            .await
            .unwrap();

        assert_eq!(
            actor(&state, &started.token).await.map(|_| ()),
            Err(AppError::Unauthenticated)
        );
        assert_eq!(
            record(&state.db, started.id).await.end_reason,
            Some(EndReason::Expired)
        );
        assert_eq!(
            audited(&state.db, "impersonation.ended").await,
            vec![(Some(pat.id.0), Some(started.id.0))]
        );
        assert_eq!(
            presence(&state, &started.token).await,
            Ok(Presence::Ended {
                reason: EndReason::Expired.label().to_string()
            }),
            "the banner learns why"
        );
    })
    .await;
}

#[tokio::test]
async fn it_ends_at_the_next_request_once_the_impersonators_role_is_gone() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let pat = pat(&state, &tree).await;
        let quinn = quinn(&state, &tree).await;
        let started = impersonate(&state, &pat, form(tree.client, Some(quinn.id))).await;
        assert!(actor(&state, &started.token).await.is_ok());

        // As the role editor removes a membership.
        let mut tx = state.db.begin().await.unwrap();
        let version = membership_at(&mut *tx, pat.id, tree.partner)
            .await
            .unwrap()
            .version;
        let removed = replace_roles(&mut tx, pat.id, tree.partner, &RoleSet::default(), version)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(removed);

        assert_eq!(
            actor(&state, &started.token).await.map(|_| ()),
            Err(AppError::Unauthenticated)
        );
        assert_eq!(
            record(&state.db, started.id).await.end_reason,
            Some(EndReason::AccessRevoked)
        );
    })
    .await;
}

#[tokio::test]
async fn disabling_or_removing_the_impersonator_ends_the_impersonation_too() {
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
        let pat = pat(&state, &tree).await;
        let roles = [Role::AccountAdmin];
        let pia = person(
            &state,
            "Pia Partner",
            "pia@northwind.test",
            tree.partner,
            &roles,
        )
        .await;
        let quinn = quinn(&state, &tree).await;
        let by_pat = impersonate(&state, &pat, form(tree.client, Some(quinn.id))).await;
        let by_pia = impersonate(&state, &pia, form(tree.client, Some(quinn.id))).await;

        set_enabled(&caller(&state, &admin), tree.partner, pat.id, false)
            .await
            .unwrap();
        remove_access(&caller(&state, &admin), tree.partner, pia.id)
            .await
            .unwrap();

        let mut ends = Vec::new();
        for started in [&by_pat, &by_pia] {
            assert_eq!(
                actor(&state, &started.token).await.map(|_| ()),
                Err(AppError::Unauthenticated)
            );
            ends.push(record(&state.db, started.id).await.end_reason);
        }
        let cara = cara(&state, &tree).await;
        let cara = actor(&state, &cara.token).await.unwrap();
        let history = access_history(&caller(&state, &cara), tree.client)
            .await
            .unwrap();
        let shown: Vec<String> = history
            .visits
            .into_iter()
            .map(|visit| visit.ended)
            .collect();
        assert_eq!(
            (
                ends,
                shown
                    .iter()
                    .filter(|ended| *ended == "In the account now")
                    .count()
            ),
            (vec![Some(EndReason::AccessRevoked); 2], 0),
            "(disabled, access removed) and the history's words: {shown:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn support_acts_only_in_accounts_that_grant_it_and_only_while_they_do() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let pat = pat(&state, &tree).await;
        let quinn = quinn(&state, &tree).await;
        let cara = cara(&state, &tree).await;
        let sam = sam(&state, &tree).await;
        let sam_actor = actor(&state, &sam.token).await.unwrap();

        let ungranted =
            start_from(&state, &sam_actor, None, form(tree.client, Some(quinn.id))).await;
        assert!(is_forbidden(&ungranted), "{ungranted:?}");
        assert_eq!(
            granted_accounts(&caller(&state, &sam_actor)).await,
            Ok(Vec::new())
        );

        grant_support(&state, &cara, tree.client, Some("7")).await;
        let granted = granted_accounts(&caller(&state, &sam_actor)).await.unwrap();
        assert_eq!(granted.len(), 1);
        assert_eq!(
            (
                granted[0].account,
                granted[0].name.as_str(),
                granted[0].partner.as_str()
            ),
            (tree.client, "Harbor Dental", "Northwind")
        );
        let users: Vec<UserId> = granted[0].users.iter().map(|user| user.id).collect();
        assert_eq!(
            users,
            vec![quinn.id],
            "the Requester Admin is support's equal"
        );
        let equal = start_from(&state, &sam_actor, None, form(tree.client, Some(cara.id))).await;
        assert_eq!(
            field_message(equal, "target"),
            "You cannot act as someone with as much authority as you, or more."
        );

        let as_quinn = impersonate(&state, &sam, form(tree.client, Some(quinn.id))).await;
        let as_partner = impersonate(&state, &sam, form(tree.client, None)).await;
        assert_eq!(
            actor(&state, &as_quinn.token).await.unwrap().user().id,
            quinn.id
        );
        // Administering the account, support keeps its content but never changes who
        // its people are or who may come in: that could outlast the grant.
        let administering = actor(&state, &as_partner.token).await.unwrap();
        let held = administering
            .permissions_at(&state.db, tree.client)
            .await
            .unwrap();
        assert!(held.contains(Permission::ManageAccountContent));
        for power in [
            Permission::ManageAccountUsers,
            Permission::GrantSupportAccess,
            Permission::ManageClients,
        ] {
            assert!(!held.contains(power), "{power:?}");
        }
        let people = node_users(
            &caller(&state, &administering),
            tree.client,
            &UserQuery::default(),
        )
        .await;
        assert!(is_forbidden(&people), "{people:?}");

        grant_support(&state, &cara, tree.client, None).await;
        for started in [&as_quinn, &as_partner] {
            assert_eq!(
                actor(&state, &started.token).await.map(|_| ()),
                Err(AppError::Unauthenticated)
            );
            assert_eq!(
                record(&state.db, started.id).await.end_reason,
                Some(EndReason::AccessRevoked)
            );
        }
        assert_eq!(
            granted_accounts(&caller(&state, &sam_actor)).await,
            Ok(Vec::new())
        );

        // Granting is the account's own decision: not made through an impersonation.
        let as_cara = impersonate(&state, &pat, form(tree.client, Some(cara.id))).await;
        let as_cara = actor(&state, &as_cara.token).await.unwrap();
        let through =
            set_support_access(&caller(&state, &as_cara), tree.client, Some("7".into())).await;
        assert!(is_forbidden(&through), "{through:?}");
        assert_eq!(
            granted_accounts(&caller(&state, &sam_actor)).await,
            Ok(Vec::new())
        );
    })
    .await;
}

#[tokio::test]
async fn no_password_an_impersonator_sees_is_made_for_anyone() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let pat = pat(&state, &tree).await;
        let quinn = quinn(&state, &tree).await;
        let cara = cara(&state, &tree).await;
        let as_cara = impersonate(&state, &pat, form(tree.client, Some(cara.id))).await;
        let as_cara = actor(&state, &as_cara.token).await.unwrap();

        let generated =
            set_generated_password(&caller(&state, &as_cara), tree.client, quinn.id).await;
        assert!(is_forbidden(&generated), "{generated:?}");
        let invite = InviteForm {
            node: tree.client.0.to_string(),
            email: "newcomer@harbor.test".into(),
            name: "New Comer".into(),
            language: "en".into(),
            branding_domain: String::new(),
            roles: vec![Role::ClientUser.key().into()],
            password_choice: PasswordChoice::TemporaryPassword.key().into(),
        };
        assert!(field_message(
            invite_user(&caller(&state, &as_cara), &invite).await,
            "password_choice"
        )
        .starts_with("While acting as someone else, send an activation link"));
    })
    .await;
}

#[tokio::test]
async fn polling_keeps_no_session_alive_and_a_dead_one_cannot_be_stopped_into_life() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let pat = pat(&state, &tree).await;
        let quinn = quinn(&state, &tree).await;
        let started = impersonate(&state, &pat, form(tree.client, Some(quinn.id))).await;
        let long_ago = now_ms() - state.settings.session_idle_ms / 2;
        let last_seen = |token: String| {
            let db = state.db.clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "SELECT last_seen_at FROM sessions WHERE token_hash = $1",
                )
                .bind(app::auth::session::hash_token(&token))
                .fetch_one(db.pool())
                .await
                .unwrap()
            }
        };
        sqlx::query("UPDATE sessions SET last_seen_at = $1")
            .bind(long_ago)
            .execute(state.db.pool())
            .await
            .unwrap();
        presence(&state, &quinn.token).await.unwrap();
        presence(&state, &started.token).await.unwrap();
        assert_eq!(
            last_seen(quinn.token.clone()).await,
            long_ago,
            "a poll is no activity"
        );
        assert_eq!(last_seen(started.token.clone()).await, long_ago);

        // Idle past the limit: Stop cannot turn the session into a fresh one.
        sqlx::query("UPDATE sessions SET last_seen_at = $1")
            .bind(now_ms() - state.settings.session_idle_ms - 1)
            .execute(state.db.pool())
            .await
            .unwrap();
        let revived = stop(&state, &Requester::default(), &started.token).await;
        assert_eq!(revived.map(|_| ()), Err(AppError::Unauthenticated));
        assert_eq!(
            record(&state.db, started.id).await.end_reason,
            Some(EndReason::Expired),
            "the dead session's impersonation ended with it"
        );
    })
    .await;
}

#[tokio::test]
async fn the_client_and_the_impersonator_see_each_other_until_one_leaves() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let pat = pat(&state, &tree).await;
        let quinn = quinn(&state, &tree).await;
        let started = impersonate(&state, &pat, form(tree.client, Some(quinn.id))).await;

        // Presence comes from polls, not from starting: before the impersonator's
        // first poll, the client sees nobody.
        assert!(seen_through(&state, &quinn.token).await.is_empty());
        assert_eq!(
            seen_through(&state, &started.token).await,
            ["Quinn Requester"]
        );
        assert_eq!(seen_through(&state, &quinn.token).await, ["Pat Partner"]);

        let session = resolve(&state, &quinn.token).await.unwrap();
        close_session(&state, &session, &Requester::default())
            .await
            .unwrap();
        assert!(seen_through(&state, &started.token).await.is_empty());

        let session = resolve(&state, &started.token).await.unwrap();
        close_session(&state, &session, &Requester::default())
            .await
            .unwrap();
        assert_eq!(
            record(&state.db, started.id).await.end_reason,
            Some(EndReason::SignedOut)
        );
        let quinn_again = sign_in(&state, quinn.id).await;
        assert!(seen_through(&state, &quinn_again).await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn presence_is_shared_by_server_processes_on_one_database() {
    on_every_database(|db| async move {
        let url = db.pool().connect_options().database_url.to_string();
        let tree = build_tree(&db).await;
        let first = state(db);
        let second = state(Db::connect(&url).await.expect("a second pool"));
        let pat = pat(&first, &tree).await;
        let quinn = quinn(&first, &tree).await;
        let started = impersonate(&first, &pat, form(tree.client, Some(quinn.id))).await;

        assert!(seen_through(&first, &quinn.token).await.is_empty());
        assert_eq!(
            seen_through(&second, &started.token).await,
            ["Quinn Requester"]
        );
        assert_eq!(seen_through(&first, &quinn.token).await, ["Pat Partner"]);
        second.db.close().await;
    })
    .await;
}

#[tokio::test]
async fn the_account_sees_who_came_in_why_and_what_they_changed() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let pat = pat(&state, &tree).await;
        let quinn = quinn(&state, &tree).await;
        let cara = cara(&state, &tree).await;
        let started = impersonate(&state, &pat, form(tree.client, Some(cara.id))).await;
        let acting = actor(&state, &started.token).await.unwrap();
        change_operator_status(&state, &acting, tree.client)
            .await
            .unwrap();
        stop(&state, &Requester::default(), &started.token)
            .await
            .unwrap();

        let cara_actor = actor(&state, &cara.token).await.unwrap();
        let history = access_history(&caller(&state, &cara_actor), tree.client)
            .await
            .unwrap();
        assert_eq!(history.account_name, "Harbor Dental");
        assert_eq!(history.visits.len(), 1);
        let visit = &history.visits[0];
        assert_eq!(visit.id, started.id);
        assert_eq!(
            (
                visit.who.as_str(),
                visit.acting_as.as_str(),
                visit.reason.as_str()
            ),
            ("Pat Partner", "Cara Admin", REASON)
        );
        assert_eq!(visit.mode, Mode::Client);
        assert!(visit.ended.starts_with("Stopped at"), "{}", visit.ended);
        let changes: Vec<&str> = visit.changes.iter().map(|c| c.action.as_str()).collect();
        assert_eq!(changes, ["status.set"]);

        let quinn_actor = actor(&state, &quinn.token).await.unwrap();
        assert!(is_forbidden(
            &access_history(&caller(&state, &quinn_actor), tree.client).await
        ));
        let roles = [Role::AccountAdmin];
        let stranger = person(
            &state,
            "Bo Bluebird",
            "bo@bluebird.test",
            tree.other_partner,
            &roles,
        )
        .await;
        let stranger = actor(&state, &stranger.token).await.unwrap();
        assert_eq!(
            access_history(&caller(&state, &stranger), tree.client).await,
            Err(AppError::NotFound)
        );
    })
    .await;
}

#[tokio::test]
async fn who_may_call_what() {
    use Outcome::{Allowed, Forbidden, NotFound};
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let cara = cara(&state, &tree).await;
        // Expected: log_in_as_options, start, set_support_access, granted_accounts,
        // access_history. Support access is the account's own admins' to grant.
        let cases = [
            (
                "Platform Admin",
                tree.platform,
                Role::PlatformAdmin,
                false,
                [Allowed, Allowed, Forbidden, Allowed, Allowed],
            ),
            (
                "Support Agent, no grant",
                tree.platform,
                Role::SupportAgent,
                false,
                [Forbidden, Forbidden, Forbidden, Allowed, Forbidden],
            ),
            (
                "Support Agent, granted",
                tree.platform,
                Role::SupportAgent,
                true,
                [Allowed, Allowed, Forbidden, Allowed, Forbidden],
            ),
            (
                "Account Admin of the partner",
                tree.partner,
                Role::AccountAdmin,
                false,
                [Allowed, Allowed, Forbidden, Forbidden, Allowed],
            ),
            (
                "Account Admin of another partner",
                tree.other_partner,
                Role::AccountAdmin,
                true,
                [NotFound, NotFound, NotFound, Forbidden, NotFound],
            ),
            (
                "User (view only) of the partner",
                tree.partner,
                Role::User,
                true,
                [Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
            ),
            (
                "Requester Admin",
                tree.client,
                Role::ClientAdmin,
                true,
                [Forbidden, Forbidden, Allowed, Forbidden, Allowed],
            ),
            (
                "Requester User",
                tree.client,
                Role::ClientUser,
                true,
                [Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
            ),
        ];
        for (n, (who, node, role, grant, expected)) in cases.into_iter().enumerate() {
            grant_support(&state, &cara, tree.client, grant.then_some("7")).await;
            let actor =
                actor_with(&state.db, &format!("actor{n}@matrix.test"), node, &[role]).await;
            let account = tree.client;
            let days = Some("1".to_string());
            let got = [
                outcome(&log_in_as_options(&caller(&state, &actor), account).await),
                outcome(&start_from(&state, &actor, None, form(account, None)).await),
                outcome(&set_support_access(&caller(&state, &actor), account, days).await),
                outcome(&granted_accounts(&caller(&state, &actor)).await),
                outcome(&access_history(&caller(&state, &actor), account).await),
            ];
            assert_eq!(got, expected, "{who}");
        }
    })
    .await;
}

#[tokio::test]
async fn the_audit_chain_holds_through_a_start_a_change_and_a_stop() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let pat = pat(&state, &tree).await;
        let started = impersonate(&state, &pat, form(tree.client, None)).await;
        let acting = actor(&state, &started.token).await.unwrap();
        change_operator_status(&state, &acting, tree.client)
            .await
            .unwrap();
        stop(&state, &Requester::default(), &started.token)
            .await
            .unwrap();

        let through: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_events WHERE impersonation_id = $1 ORDER BY id",
        )
        .bind(started.id.0)
        .fetch_all(state.db.pool())
        .await
        .unwrap();
        assert_eq!(
            through,
            ["impersonation.started", "status.set", "impersonation.ended"]
        );
        let report = verify(&state.db).await.unwrap();
        assert!(matches!(report, ChainReport::Intact { .. }), "{report:?}");
    })
    .await;
}

/// Suspends or reactivates `account` as `actor`, at its current version.
async fn set_account_status(
    state: &AppState,
    actor: &Actor,
    account: NodeId,
    status: ClientStatus,
) {
    let version = client_record(state.db.pool(), account)
        .await
        .unwrap()
        .unwrap()
        .version;
    app::clients::changes::set_status(&caller(state, actor), account, status, version)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_suspended_account_lets_nobody_in_but_its_partner() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let pat = pat(&state, &tree).await;
        let pat_actor = actor(&state, &pat.token).await.unwrap();
        let quinn = quinn(&state, &tree).await;
        let cara = cara(&state, &tree).await;
        let as_quinn = impersonate(&state, &pat, form(tree.client, Some(quinn.id))).await;

        set_account_status(&state, &pat_actor, tree.client, ClientStatus::Suspended).await;
        // Its people's sessions end at their next request, and so does a visit.
        for token in [&quinn.token, &cara.token, &as_quinn.token] {
            assert_eq!(
                actor(&state, token).await.map(|_| ()),
                Err(AppError::Unauthenticated)
            );
        }
        assert_eq!(
            resolve(&state, &quinn.token).await.map(|_| ()),
            Err(AppError::Unauthenticated)
        );
        assert_eq!(
            record(&state.db, as_quinn.id).await.end_reason,
            Some(EndReason::AccessRevoked)
        );
        // Signing in again is refused, saying why; so is logging in to it.
        let record_of_quinn = find_by_id(state.db.pool(), quinn.id)
            .await
            .unwrap()
            .unwrap();
        let refused = open_session(
            &state,
            &record_of_quinn,
            &Requester::default(),
            None,
            SignInMethod::Password,
        )
        .await;
        match refused {
            Err(AppError::Forbidden(message)) => {
                assert!(message.contains("Harbor Dental is suspended"), "{message}")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        let pat_actor = actor(&state, &pat.token).await.unwrap();
        let visit = start_from(&state, &pat_actor, None, form(tree.client, Some(quinn.id))).await;
        assert!(
            matches!(&visit, Err(AppError::Forbidden(m)) if m.contains("suspended")),
            "{:?}",
            visit.map(|_| ())
        );
        // The partner still sees the account and reactivates it; then its people are back.
        assert!(
            app::clients::service::client_view(&caller(&state, &pat_actor), tree.client)
                .await
                .is_ok()
        );
        set_account_status(&state, &pat_actor, tree.client, ClientStatus::Active).await;
        let token = open_session(
            &state,
            &record_of_quinn,
            &Requester::default(),
            None,
            SignInMethod::Password,
        )
        .await
        .unwrap();
        assert_eq!(actor(&state, &token).await.unwrap().user().id, quinn.id);
    })
    .await;
}

#[tokio::test]
async fn a_support_grant_holds_only_while_its_granter_still_may_give_it() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let quinn = quinn(&state, &tree).await;
        let cara = cara(&state, &tree).await;
        let sam = sam(&state, &tree).await;
        let sam_actor = actor(&state, &sam.token).await.unwrap();
        let pat = pat(&state, &tree).await;
        let pat_actor = actor(&state, &pat.token).await.unwrap();

        // Cara grants access, then loses her admin role: the grant goes with it.
        grant_support(&state, &cara, tree.client, Some("7")).await;
        let visit = impersonate(&state, &sam, form(tree.client, Some(quinn.id))).await;
        let version = membership_at(state.db.pool(), cara.id, tree.client)
            .await
            .unwrap()
            .version;
        let mut tx = state.db.begin().await.unwrap();
        assert!(replace_roles(
            &mut tx,
            cara.id,
            tree.client,
            &RoleSet::new([Role::ClientUser]),
            version
        )
        .await
        .unwrap());
        tx.commit().await.unwrap();
        assert_eq!(
            granted_accounts(&caller(&state, &sam_actor)).await,
            Ok(Vec::new())
        );
        assert_eq!(
            actor(&state, &visit.token).await.map(|_| ()),
            Err(AppError::Unauthenticated)
        );
        assert_eq!(
            record(&state.db, visit.id).await.end_reason,
            Some(EndReason::AccessRevoked)
        );

        // Another admin's grant holds until its granter is disabled.
        let cleo = person(
            &state,
            "Cleo Admin",
            "cleo@harbor.test",
            tree.client,
            &[Role::ClientAdmin],
        )
        .await;
        grant_support(&state, &cleo, tree.client, Some("7")).await;
        assert_eq!(
            granted_accounts(&caller(&state, &sam_actor))
                .await
                .unwrap()
                .len(),
            1
        );
        set_enabled(&caller(&state, &pat_actor), tree.client, cleo.id, false)
            .await
            .unwrap();
        assert_eq!(
            granted_accounts(&caller(&state, &sam_actor)).await,
            Ok(Vec::new())
        );
        let refused = start_from(&state, &sam_actor, None, form(tree.client, Some(quinn.id))).await;
        assert!(is_forbidden(&refused), "{:?}", refused.map(|_| ()));
    })
    .await;
}
