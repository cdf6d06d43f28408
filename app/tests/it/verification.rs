//! Requester users verify before first access, on both databases: what their account's
//! policy asks, codes that expire, work once and allow five tries, one sent a minute,
//! and who may change the policy.

use crate::common::{self, caller};
use crate::fixtures;
use crate::outcome;

use app::auth::actor::{ready, Actor};
use app::auth::session::{authenticate, open_session, resolve, SignInMethod};
use app::auth::verification::{check_code, send_code, MAX_ATTEMPTS};
use app::auth::Obligation;
use app::clients::changes::set_verification;
use app::clients::repo::client_record;
use app::core::roles::Role;
use app::core::NodeId;
use app::core::UserStatus;
use app::core::VerificationPolicy;
use app::core::VerifyChannel;
use app::db::Db;
use app::error::AppError;
use app::password::Passwords;
use app::request::Requester;
use app::state::{AppState, Settings};
use app::users::repo::{insert_user, set_membership, NewUser};
use common::on_every_database;
use fixtures::{actor_with, build_tree, Tree};
use outcome::{outcome, Outcome};

const PASSWORD: &str = "quiet harbour lanterns";
const QUINN: &str = "quinn@harbor.test";

fn state(db: Db) -> AppState {
    AppState {
        db,
        settings: Settings::default(),
        passwords: Passwords::new(2),
    }
}

/// A Requester User of Harbor Dental with a password, who has verified nothing.
async fn add_client_user(state: &AppState, tree: &Tree, must_change_password: bool) {
    let id = insert_user(
        state.db.pool(),
        &NewUser {
            email: QUINN,
            name: "Quinn Query",
            language: "en",
            branding_domain: None,
            status: UserStatus::Active,
            password_hash: Some(state.passwords.hash(PASSWORD.into()).await.unwrap()),
            must_change_password,
        },
    )
    .await
    .unwrap();
    let mut conn = state.db.pool().acquire().await.unwrap();
    let roles = app::core::roles::RoleSet::new([Role::ClientUser]);
    set_membership(&mut conn, id, tree.client, &roles)
        .await
        .unwrap();
}

/// Quinn as a request would see them: signed in through a real session.
async fn quinn(state: &AppState) -> Actor {
    let client = Requester::default();
    let user = authenticate(state, &client, QUINN, PASSWORD.into())
        .await
        .unwrap();
    let token = open_session(state, &user, &client, None, SignInMethod::Password)
        .await
        .unwrap();
    Actor::of(&state.db, resolve(state, &token).await.unwrap())
        .await
        .unwrap()
}

async fn partner_admin(db: &Db, tree: &Tree) -> Actor {
    actor_with(
        db,
        "pat@northwind.test",
        tree.partner,
        &[Role::AccountAdmin],
    )
    .await
}

async fn client_admin(db: &Db, tree: &Tree) -> Actor {
    actor_with(db, "cara@harbor.test", tree.client, &[Role::ClientAdmin]).await
}

async fn set_policy(state: &AppState, actor: &Actor, client: NodeId, policy: VerificationPolicy) {
    let version = client_record(state.db.pool(), client)
        .await
        .unwrap()
        .unwrap()
        .version;
    set_verification(&caller(state, actor), client, policy, version)
        .await
        .unwrap();
}

/// The code in the latest message to `recipient` (an address or a number).
async fn code_sent_to(db: &Db, recipient: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body_text FROM outbox WHERE recipient = $1 AND purpose = 'verification_code' \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(recipient)
    .fetch_one(db.pool())
    .await
    .unwrap();
    let digits: Vec<&str> = body
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == 6)
        .collect();
    digits.first().expect("a six-digit code").to_string()
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

fn another_code(code: &str) -> String {
    let first = (code.as_bytes()[0] - b'0' + 1) % 10;
    format!("{first}{}", &code[1..])
}

fn field_message(result: Result<bool, AppError>, field: &str) -> String {
    match result {
        Err(error) => error
            .message_for(field)
            .unwrap_or_else(|| panic!("no message at {field}: {error:?}")),
        Ok(done) => panic!("accepted (done: {done})"),
    }
}

/// Lets a new code be sent now, as if the last one went out over a minute ago.
async fn a_minute_later(db: &Db) {
    sqlx::query("UPDATE verification_codes SET sent_at = sent_at - 61000")
        .execute(db.pool())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_client_user_verifies_what_their_accounts_policy_asks_and_nobody_else_must() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let admin = partner_admin(&state.db, &tree).await;
        let client_admin = client_admin(&state.db, &tree).await;
        add_client_user(&state, &tree, false).await;

        let quinn_now = quinn(&state).await;
        assert_eq!(
            quinn_now.obligation(),
            Some(Obligation::Verify),
            "email by default"
        );
        assert!(matches!(ready(quinn_now), Err(AppError::Forbidden(_))));
        assert_eq!(
            client_admin.obligation(),
            None,
            "a Requester Admin is not asked"
        );
        assert_eq!(admin.obligation(), None);

        send_code(
            &caller(&state, &quinn(&state).await),
            VerifyChannel::Email,
            "",
        )
        .await
        .unwrap();
        let code = code_sent_to(&state.db, QUINN).await;
        let done = check_code(
            &caller(&state, &quinn(&state).await),
            VerifyChannel::Email,
            &code,
        )
        .await;
        assert_eq!(done, Ok(true));
        assert_eq!(quinn(&state).await.obligation(), None);

        // A stricter policy asks again for what is missing, at the next request.
        set_policy(&state, &admin, tree.client, VerificationPolicy::EmailAndSms).await;
        let quinn_now = quinn(&state).await;
        assert_eq!(quinn_now.obligation(), Some(Obligation::Verify));
        let refused = send_code(&caller(&state, &quinn_now), VerifyChannel::Email, "").await;
        assert!(
            matches!(refused, Err(AppError::Forbidden(_))),
            "the address is done"
        );
        set_policy(&state, &admin, tree.client, VerificationPolicy::Email).await;
        assert_eq!(quinn(&state).await.obligation(), None);
    })
    .await;
}

#[tokio::test]
async fn a_code_works_once_only_for_its_channel_and_a_wrong_one_counts() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let admin = partner_admin(&state.db, &tree).await;
        set_policy(&state, &admin, tree.client, VerificationPolicy::EmailAndSms).await;
        add_client_user(&state, &tree, false).await;
        let quinn_now = quinn(&state).await;

        send_code(&caller(&state, &quinn_now), VerifyChannel::Email, "")
            .await
            .unwrap();
        let email_code = code_sent_to(&state.db, QUINN).await;
        let wrong = check_code(
            &caller(&state, &quinn_now),
            VerifyChannel::Email,
            &another_code(&email_code),
        )
        .await;
        assert_eq!(
            field_message(wrong, "code"),
            "That is not the code we sent. 4 tries left."
        );
        let not_sms =
            check_code(&caller(&state, &quinn_now), VerifyChannel::Sms, &email_code).await;
        assert!(
            field_message(not_sms, "code").contains("Send a new one"),
            "no SMS code is out"
        );
        assert_eq!(
            check_code(
                &caller(&state, &quinn_now),
                VerifyChannel::Email,
                &email_code
            )
            .await,
            Ok(false),
            "the mobile number is still to verify"
        );
        let again = check_code(
            &caller(&state, &quinn(&state).await),
            VerifyChannel::Email,
            &email_code,
        )
        .await;
        assert!(
            matches!(again, Err(AppError::Forbidden(_))),
            "used up: {again:?}"
        );

        let typed = field_message(
            send_code(
                &caller(&state, &quinn_now),
                VerifyChannel::Sms,
                "617 555 0100",
            )
            .await
            .map(|()| false),
            "phone",
        );
        assert!(typed.contains("country code"), "{typed}");
        send_code(
            &caller(&state, &quinn_now),
            VerifyChannel::Sms,
            "+1 (617) 555-0100",
        )
        .await
        .unwrap();
        let sms_code = code_sent_to(&state.db, "+16175550100").await;
        assert_eq!(
            check_code(
                &caller(&state, &quinn(&state).await),
                VerifyChannel::Sms,
                &format!(" {} {} ", &sms_code[..3], &sms_code[3..])
            )
            .await,
            Ok(true),
            "spaces typed in a code are fine"
        );
        let verified: (String, Option<i64>) =
            sqlx::query_as("SELECT phone, phone_verified_at FROM users WHERE email = $1")
                .bind(QUINN)
                .fetch_one(state.db.pool())
                .await
                .unwrap();
        assert_eq!(verified.0, "+16175550100");
        assert!(verified.1.is_some());
        assert_eq!(quinn(&state).await.obligation(), None);
        let left = count(&state.db, "SELECT COUNT(*) FROM verification_codes").await;
        assert_eq!(left, 0, "used codes are gone");
        let audited = count(
            &state.db,
            "SELECT COUNT(*) FROM audit_events \
             WHERE action IN ('auth.email_verified', 'auth.phone_verified')",
        )
        .await;
        assert_eq!(audited, 2);
    })
    .await;
}

#[tokio::test]
async fn codes_expire_allow_five_tries_even_at_once_and_go_out_once_a_minute() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        add_client_user(&state, &tree, false).await;
        let quinn_now = caller(&state, &quinn(&state).await);
        let send = || send_code(&quinn_now, VerifyChannel::Email, "");

        send().await.unwrap();
        let again = send().await;
        assert!(
            again
                .as_ref()
                .unwrap_err()
                .form_message()
                .unwrap()
                .contains("less than a minute ago"),
            "{again:?}"
        );
        let code = code_sent_to(&state.db, QUINN).await;
        let wrong = another_code(&code);
        // Ten wrong guesses at once: only five are ever weighed.
        let guesses = (0..10).map(|_| check_code(&quinn_now, VerifyChannel::Email, &wrong));
        let answers = futures::future::join_all(guesses).await;
        let weighed = answers
            .into_iter()
            .map(|answer| field_message(answer, "code"))
            .filter(|message| message.starts_with("That is not the code"))
            .count();
        assert_eq!(weighed as i64, MAX_ATTEMPTS);
        let after = check_code(&quinn_now, VerifyChannel::Email, &code).await;
        assert!(
            field_message(after, "code").contains("tried too many times"),
            "the right code is too late"
        );

        a_minute_later(&state.db).await;
        send().await.unwrap();
        let fresh = code_sent_to(&state.db, QUINN).await;
        let old = check_code(&quinn_now, VerifyChannel::Email, &code).await;
        if code != fresh {
            assert!(
                field_message(old, "code").starts_with("That is not the code"),
                "a new code replaces the old"
            );
        }
        sqlx::query("UPDATE verification_codes SET expires_at = expires_at - 600001")
            .execute(state.db.pool())
            .await
            .unwrap();
        let expired = check_code(&quinn_now, VerifyChannel::Email, &fresh).await;
        assert!(field_message(expired, "code").contains("expired"));
        assert_eq!(quinn(&state).await.obligation(), Some(Obligation::Verify));
    })
    .await;
}

#[tokio::test]
async fn a_temporary_password_comes_first_and_nobody_verifies_what_is_not_asked() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        add_client_user(&state, &tree, true).await;
        let quinn_now = quinn(&state).await;
        assert_eq!(quinn_now.obligation(), Some(Obligation::ChangePassword));
        let refused = send_code(&caller(&state, &quinn_now), VerifyChannel::Email, "").await;
        assert_eq!(
            refused,
            Err(AppError::forbidden(Obligation::ChangePassword.refusal()))
        );

        let client_admin = client_admin(&state.db, &tree).await;
        let not_asked = send_code(&caller(&state, &client_admin), VerifyChannel::Email, "").await;
        assert!(matches!(not_asked, Err(AppError::Forbidden(_))));
        let sent = count(
            &state.db,
            "SELECT COUNT(*) FROM outbox WHERE purpose = 'verification_code'",
        )
        .await;
        assert_eq!(sent, 0);
    })
    .await;
}

#[tokio::test]
async fn who_may_set_an_accounts_verification_policy() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let cases = [
            (
                "Platform Admin",
                tree.platform,
                Role::PlatformAdmin,
                Outcome::Allowed,
            ),
            (
                "Account Admin of the partner",
                tree.partner,
                Role::AccountAdmin,
                Outcome::Allowed,
            ),
            (
                "Account Admin of the group",
                tree.group,
                Role::AccountAdmin,
                Outcome::Allowed,
            ),
            (
                "Account Admin of the sub-group",
                tree.sub_group,
                Role::AccountAdmin,
                Outcome::Allowed,
            ),
            (
                "User (view only) of the partner",
                tree.partner,
                Role::User,
                Outcome::Forbidden,
            ),
            (
                "Support Agent of the platform",
                tree.platform,
                Role::SupportAgent,
                Outcome::Forbidden,
            ),
            (
                "Requester Admin",
                tree.client,
                Role::ClientAdmin,
                Outcome::Forbidden,
            ),
            (
                "Requester User",
                tree.client,
                Role::ClientUser,
                Outcome::Forbidden,
            ),
            (
                "Account Admin of another partner",
                tree.other_partner,
                Role::AccountAdmin,
                Outcome::NotFound,
            ),
            (
                "Requester Admin of another partner's account",
                tree.other_client,
                Role::ClientAdmin,
                Outcome::NotFound,
            ),
        ];
        for (n, (who, node, role, expected)) in cases.into_iter().enumerate() {
            let actor =
                actor_with(&state.db, &format!("actor{n}@matrix.test"), node, &[role]).await;
            let before = client_record(state.db.pool(), tree.client)
                .await
                .unwrap()
                .unwrap();
            let wanted = if before.verification == VerificationPolicy::Sms {
                VerificationPolicy::EmailAndSms
            } else {
                VerificationPolicy::Sms
            };
            let result =
                set_verification(&caller(&state, &actor), tree.client, wanted, before.version)
                    .await;
            assert_eq!(outcome(&result), expected, "{who}");
            let after = client_record(state.db.pool(), tree.client)
                .await
                .unwrap()
                .unwrap();
            let changed = after.verification == wanted;
            assert_eq!(
                changed,
                expected == Outcome::Allowed,
                "{who}: changed only when allowed"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn codes_are_kept_under_the_servers_key_and_rationed_by_the_day() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        add_client_user(&state, &tree, false).await;
        let admin = partner_admin(&state.db, &tree).await;
        set_policy(&state, &admin, tree.client, VerificationPolicy::EmailAndSms).await;
        let quinn_now = quinn(&state).await;

        // A server with another key cannot use the table: the right code fails there.
        send_code(&caller(&state, &quinn_now), VerifyChannel::Email, "")
            .await
            .unwrap();
        let code = code_sent_to(&state.db, QUINN).await;
        let elsewhere = AppState {
            db: state.db.clone(),
            settings: Settings::default(),
            passwords: Passwords::new(1),
        };
        let keyed = check_code(&caller(&elsewhere, &quinn_now), VerifyChannel::Email, &code).await;
        assert!(field_message(keyed, "code").starts_with("That is not the code"));
        // Each wrong code is on the record, with the tries left.
        let recorded = count(
            &state.db,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'auth.verification_failed' \
             AND details LIKE '%\"tries_left\":4%'",
        )
        .await;
        assert_eq!(recorded, 1);

        // One address gets five codes a day, however the minutes are spaced...
        let resend = |channel, phone: &'static str| {
            let (state, quinn_now) = (&state, &quinn_now);
            async move {
                a_minute_later(&state.db).await;
                send_code(&caller(state, quinn_now), channel, phone).await
            }
        };
        for _ in 1..5 {
            resend(VerifyChannel::Email, "").await.unwrap();
        }
        let sixth = resend(VerifyChannel::Email, "").await;
        assert!(
            matches!(sixth, Err(AppError::TooManyAttempts { .. })),
            "{sixth:?}"
        );
        // ...and one person ten, over every number they try.
        for number in [
            "+16175550101",
            "+16175550102",
            "+16175550103",
            "+16175550104",
            "+16175550105",
        ] {
            resend(VerifyChannel::Sms, number).await.unwrap();
        }
        let eleventh = resend(VerifyChannel::Sms, "+16175550106").await;
        assert!(
            matches!(eleventh, Err(AppError::TooManyAttempts { .. })),
            "{eleventh:?}"
        );
        let sent = count(
            &state.db,
            "SELECT COUNT(*) FROM outbox WHERE purpose = 'verification_code'",
        )
        .await;
        assert_eq!(sent, 10);
    })
    .await;
}
