//! Sign-in, sessions and throttling against a real database, on both backends.

use crate::browser;
use crate::common;

use app::auth::actor::Actor;
use app::auth::repo::UserRecord;
use app::auth::session::{
    authenticate, change_own_password, close_session, hash_token, open_session, resolve,
    SignInMethod,
};
use app::core::UserStatus;
use app::db::Db;
use app::error::AppError;
use app::password::Passwords;
use app::state::{AppState, Settings};
use app::users::repo::{insert_user, NewUser};
use browser::client_at;
use common::on_every_database;

const PASSWORD: &str = "correct horse battery staple";

fn state(db: Db) -> AppState {
    AppState {
        db,
        settings: Settings::default(),
        passwords: Passwords::new(2),
    }
}

async fn add_user(state: &AppState, email: &str, status: UserStatus) {
    insert_user(
        state.db.pool(),
        &NewUser {
            email,
            name: "Nora North",
            language: "en",
            branding_domain: None,
            status,
            password_hash: Some(state.passwords.hash(PASSWORD.into()).await.unwrap()),
            must_change_password: false,
        },
    )
    .await
    .unwrap();
}

async fn signed_in_user(state: &AppState, email: &str) -> UserRecord {
    authenticate(state, &client_at("198.51.100.1"), email, PASSWORD.into())
        .await
        .expect("correct credentials")
}

fn wrong_credentials() -> AppError {
    AppError::Validation(app::error::FieldErrors::one(
        "",
        app::auth::session::wrong_credentials(),
    ))
}

#[tokio::test]
async fn right_password_signs_in_and_wrong_or_unknown_get_the_same_answer() {
    on_every_database(|db| async move {
        let state = state(db);
        add_user(&state, "nora@northwind.test", UserStatus::Active).await;
        let client = client_at("198.51.100.1");

        let user = authenticate(&state, &client, " NORA@northwind.test", PASSWORD.into())
            .await
            .unwrap();
        assert_eq!(user.email, "nora@northwind.test");

        let wrong = authenticate(&state, &client, "nora@northwind.test", "nope".into()).await;
        let unknown = authenticate(&state, &client, "nobody@northwind.test", PASSWORD.into()).await;
        assert_eq!(wrong.unwrap_err(), wrong_credentials());
        assert_eq!(unknown.unwrap_err(), wrong_credentials());
    })
    .await;
}

#[tokio::test]
async fn a_disabled_user_cannot_sign_in() {
    on_every_database(|db| async move {
        let state = state(db);
        add_user(&state, "gone@northwind.test", UserStatus::Disabled).await;
        let refused = authenticate(
            &state,
            &client_at("198.51.100.1"),
            "gone@northwind.test",
            PASSWORD.into(),
        )
        .await;
        assert!(matches!(refused, Err(AppError::Forbidden(_))));
    })
    .await;
}

#[tokio::test]
async fn a_session_resolves_until_signed_out_and_its_id_rotates_at_sign_in() {
    on_every_database(|db| async move {
        let state = state(db);
        add_user(&state, "nora@northwind.test", UserStatus::Active).await;
        let user = signed_in_user(&state, "nora@northwind.test").await;
        let client = client_at("198.51.100.1");

        let first = open_session(&state, &user, &client, None, SignInMethod::Password).await.unwrap();
        let session_user = resolve(&state, &first).await.unwrap();
        assert_eq!(session_user.id, user.id);
        assert_eq!(session_user.token_hash, hash_token(&first));

        let second = open_session(&state, &user, &client, Some(&first), SignInMethod::Password).await.unwrap();
        assert_ne!(first, second);
        assert_eq!(resolve(&state, &first).await, Err(AppError::Unauthenticated));

        let current = resolve(&state, &second).await.unwrap();
        close_session(&state, &current, &client).await.unwrap();
        assert_eq!(resolve(&state, &second).await, Err(AppError::Unauthenticated));

        let signed_in_events: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'auth.sign_in' AND actor_user_id = $1",
        )
        .bind(user.id.0)
        .fetch_one(state.db.pool())
        .await
        .unwrap();
        assert_eq!(signed_in_events, 2, "every sign-in is audited");
    })
    .await;
}

#[tokio::test]
async fn sessions_end_when_idle_too_long_past_their_lifetime_or_when_the_user_is_disabled() {
    on_every_database(|db| async move {
        let state = state(db);
        add_user(&state, "nora@northwind.test", UserStatus::Active).await;
        let user = signed_in_user(&state, "nora@northwind.test").await;
        let client = client_at("198.51.100.1");
        let now = app::db::now_ms();

        let idle = open_session(&state, &user, &client, None, SignInMethod::Password)
            .await
            .unwrap();
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now - state.settings.session_idle_ms - 1_000)
            .bind(hash_token(&idle))
            .execute(state.db.pool())
            .await
            .unwrap();
        assert_eq!(resolve(&state, &idle).await, Err(AppError::Unauthenticated));
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE token_hash = $1")
            .bind(hash_token(&idle))
            .fetch_one(state.db.pool())
            .await
            .unwrap();
        assert_eq!(left, 0, "a dead session is deleted on sight");

        let old = open_session(&state, &user, &client, None, SignInMethod::Password)
            .await
            .unwrap();
        sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
            .bind(now - 1)
            .bind(hash_token(&old))
            .execute(state.db.pool())
            .await
            .unwrap();
        assert_eq!(resolve(&state, &old).await, Err(AppError::Unauthenticated));

        let live = open_session(&state, &user, &client, None, SignInMethod::Password)
            .await
            .unwrap();
        assert!(resolve(&state, &live).await.is_ok());
        sqlx::query("UPDATE users SET status = 'disabled' WHERE id = $1")
            .bind(user.id.0)
            .execute(state.db.pool())
            .await
            .unwrap();
        assert_eq!(resolve(&state, &live).await, Err(AppError::Unauthenticated));
    })
    .await;
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

#[tokio::test]
async fn failed_sign_ins_are_limited_per_account_and_address_and_per_address_but_never_for_good() {
    on_every_database(|db| async move {
        let state = state(db);
        let limits = state.settings.sign_in_limits;
        add_user(&state, "nora@northwind.test", UserStatus::Active).await;
        add_user(&state, "hana@harbor.test", UserStatus::Active).await;
        let attacker = client_at("203.0.113.9");

        for _ in 0..limits.per_account_and_address {
            let wrong =
                authenticate(&state, &attacker, "nora@northwind.test", "guess".into()).await;
            assert_eq!(wrong.unwrap_err(), wrong_credentials());
        }
        // Past the limit, that address waits, even with the right password...
        let throttled =
            authenticate(&state, &attacker, "nora@northwind.test", PASSWORD.into()).await;
        assert!(matches!(
            throttled,
            Err(AppError::TooManyAttempts {
                retry_after_minutes: 15
            })
        ));
        // ...but the account's owner, elsewhere, is not locked out.
        signed_in_user(&state, "nora@northwind.test").await;
        // Other accounts are not affected by one account's limit.
        assert!(
            authenticate(&state, &attacker, "hana@harbor.test", PASSWORD.into())
                .await
                .is_ok()
        );
        // Each failure is on the record: whom it named, from where, how many so far.
        let recorded = count(
            &state.db,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'auth.sign_in_failed' \
             AND address = '203.0.113.9' AND subject_user_id IS NOT NULL \
             AND details LIKE '%\"failures_from_address\":5%'",
        )
        .await;
        assert_eq!(recorded, 1);

        // Once the failures leave the window, the address may try again by itself.
        sqlx::query("UPDATE sign_in_failures SET failed_at = failed_at - $1")
            .bind(limits.window_ms)
            .execute(state.db.pool())
            .await
            .unwrap();
        assert!(
            authenticate(&state, &attacker, "nora@northwind.test", PASSWORD.into())
                .await
                .is_ok()
        );

        // One address spraying many accounts is limited too.
        for n in 0..limits.per_address {
            let _ = authenticate(
                &state,
                &attacker,
                &format!("user{n}@spray.test"),
                "guess".into(),
            )
            .await;
        }
        let sprayed = authenticate(&state, &attacker, "hana@harbor.test", PASSWORD.into()).await;
        assert!(matches!(sprayed, Err(AppError::TooManyAttempts { .. })));
        signed_in_user(&state, "hana@harbor.test").await;
    })
    .await;
}

#[tokio::test]
async fn guesses_sent_at_once_are_counted_before_any_is_weighed() {
    on_every_database(|db| async move {
        let state = state(db);
        let limit = state.settings.sign_in_limits.per_account_and_address;
        add_user(&state, "nora@northwind.test", UserStatus::Active).await;
        let attacker = client_at("203.0.113.9");
        let guesses = (0..12).map(|n| {
            let (state, attacker) = (&state, &attacker);
            async move {
                authenticate(state, attacker, "nora@northwind.test", format!("guess {n}")).await
            }
        });
        let answers = futures::future::join_all(guesses).await;
        let weighed = answers
            .iter()
            .filter(|answer| answer.as_ref().err() == Some(&wrong_credentials()))
            .count();
        let refused = answers
            .iter()
            .filter(|answer| matches!(answer, Err(AppError::TooManyAttempts { .. })))
            .count();
        assert_eq!((weighed, refused), (limit as usize, 12 - limit as usize));
        let recorded = count(
            &state.db,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'auth.sign_in_failed'",
        )
        .await;
        assert_eq!(recorded, limit);
    })
    .await;
}

#[tokio::test]
async fn an_account_failing_from_many_addresses_is_slowed_never_refused() {
    on_every_database(|db| async move {
        let mut state = state(db);
        state.settings.sign_in_limits.account_slowdown_after = 2;
        state.settings.sign_in_limits.account_slowdown_step_ms = 1;
        add_user(&state, "nora@northwind.test", UserStatus::Active).await;
        for n in 0..20 {
            let botnet = client_at(&format!("203.0.113.{n}"));
            for _ in 0..2 {
                let wrong =
                    authenticate(&state, &botnet, "nora@northwind.test", "guess".into()).await;
                assert_eq!(wrong.unwrap_err(), wrong_credentials());
            }
        }
        signed_in_user(&state, "nora@northwind.test").await;
    })
    .await;
}

#[tokio::test]
async fn guessing_the_current_password_is_limited_as_signing_in_is() {
    on_every_database(|db| async move {
        let state = state(db);
        let limit = state.settings.sign_in_limits.per_account_and_address;
        add_user(&state, "nora@northwind.test", UserStatus::Active).await;
        let user = signed_in_user(&state, "nora@northwind.test").await;
        let client = client_at("203.0.113.9");
        let token = open_session(&state, &user, &client, None, SignInMethod::Password)
            .await
            .unwrap();
        let actor = Actor::of(&state.db, resolve(&state, &token).await.unwrap())
            .await
            .unwrap();
        let new = "a brand new passphrase here";
        for n in 0..limit {
            let wrong =
                change_own_password(&state, &actor, &client, format!("guess {n}"), new, new).await;
            assert!(wrong.unwrap_err().message_for("current_password").is_some());
        }
        let throttled =
            change_own_password(&state, &actor, &client, PASSWORD.into(), new, new).await;
        assert!(
            matches!(throttled, Err(AppError::TooManyAttempts { .. })),
            "{throttled:?}"
        );
        let recorded = count(
            &state.db,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'auth.password_change_failed'",
        )
        .await;
        assert_eq!(recorded, limit);
    })
    .await;
}
