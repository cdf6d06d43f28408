//! Sign-in and sessions. A session is an opaque random token in an HttpOnly cookie;
//! the database keeps only its SHA-256, so every server process sharing the database
//! shares the sessions, and a copy of the table opens none of them.

use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use super::throttle;
use crate::audit_trail::{record, AuditEvent};
use crate::auth::actor::Actor;
use crate::auth::impersonating::end_in;
use crate::auth::repo::sessions;
use crate::auth::repo::{
    find_by_email, find_by_id, is_suspended, memberships_of, record_sign_in, set_language,
    set_password, MembershipRecord, UserRecord,
};
use crate::core::validate::normalize_email;
use crate::core::{EndReason, ImpersonationId, NodeKind, UserId, UserStatus, VerifyChannel};
use crate::db::{flag, now_ms, Db};
use crate::error::{AppError, FieldErrors};
use crate::password::{new_password_problem, random_token};
use crate::request::Requester;
use crate::state::{AppState, Settings};

/// What a failed sign-in says, whatever failed: nothing tells an address from a password.
pub fn wrong_credentials() -> &'static str {
    crate::tr!(sign_in.errors.wrong_credentials)
}

/// The signed-in person behind a valid session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionUser {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub must_change_password: bool,
    /// The language they read the product and their mail in.
    pub language: crate::core::Language,
    /// What they have proved is theirs: their address, their mobile number.
    pub verified: Vec<super::VerifyChannel>,
    pub token_hash: String,
    /// The impersonation this session was opened for, if any.
    pub impersonation: Option<ImpersonationId>,
    /// When the session ends however active it is; sessions that replace it (an
    /// impersonation's, and the one after it) end then too.
    pub expires_at: i64,
}

pub fn cookie_name(settings: &Settings) -> &'static str {
    // `__Host-` makes browsers refuse the cookie unless Secure, host-only and Path=/.
    if settings.secure_cookies {
        "__Host-switchboard_session"
    } else {
        "switchboard_session"
    }
}

/// The session token a request's cookie carries.
pub fn token_of<'c>(state: &AppState, client: &'c Requester) -> Result<&'c str, AppError> {
    client
        .cookie(cookie_name(&state.settings))
        .filter(|token| !token.is_empty())
        .ok_or(AppError::Unauthenticated)
}

pub fn session_cookie(settings: &Settings, token: &str) -> String {
    cookie_with(settings, token, settings.session_lifetime_ms / 1000)
}

pub fn expired_cookie(settings: &Settings) -> String {
    cookie_with(settings, "", 0)
}

fn cookie_with(settings: &Settings, value: &str, max_age_seconds: i64) -> String {
    let secure = if settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}",
        cookie_name(settings)
    )
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Signs in with the sign-in form's email and password: each checked, the pair
/// authenticated (throttled), then a session in place of the browser's. Returns
/// the new session's token.
pub async fn sign_in_with_password(
    state: &AppState,
    requester: &Requester,
    email: &str,
    password: String,
) -> Result<String, AppError> {
    let mut errors = FieldErrors::default();
    if email.trim().is_empty() {
        errors.add("email", crate::tr!(sign_in.errors.enter_email));
    }
    if password.is_empty() {
        errors.add("password", crate::tr!(sign_in.errors.enter_password));
    }
    errors.limit("email", email, crate::core::validate::MAX_EMAIL_CHARS);
    errors.limit("password", &password, crate::password::MAX_PASSWORD_LENGTH);
    errors.into_result()?;
    let user = authenticate(state, requester, email, password).await?;
    replace_session(state, &user, requester, SignInMethod::Password).await
}

/// Starts a session for `user` in place of the one the requester's browser holds
/// (see [`open_session`]) and returns its token.
pub async fn replace_session(
    state: &AppState,
    user: &UserRecord,
    requester: &Requester,
    via: SignInMethod,
) -> Result<String, AppError> {
    let previous = requester.cookie(cookie_name(&state.settings));
    open_session(state, user, requester, previous, via).await
}

/// Signs the requester out: ends their session, or, when it is no longer alive,
/// the one their cookie names, so nothing is left to revive it.
pub async fn sign_out(state: &AppState, requester: &Requester) -> Result<(), AppError> {
    match super::actor::signed_in(state).await {
        Ok(actor) => close_session(state, actor.session_user(), requester).await,
        Err(AppError::Unauthenticated) => match token_of(state, requester) {
            Ok(token) => discard(state, token, requester).await,
            Err(_) => Ok(()),
        },
        Err(error) => Err(error),
    }
}

/// Checks an email and password, throttled (see `super::throttle`). Unknown emails
/// cost the same time and get the same answer as wrong passwords; every failure is
/// on the record.
pub async fn authenticate(
    state: &AppState,
    client: &Requester,
    email: &str,
    password: String,
) -> Result<UserRecord, AppError> {
    let email = normalize_email(email);
    let attempt = throttle::begin_attempt(state, &email, &client.address).await?;
    let user = find_by_email(state.db.pool(), &email).await?;
    let stored_hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let password_matches = state.passwords.verify(password, stored_hash).await?;

    match user {
        Some(user) if password_matches => {
            attempt.succeeded(state).await?;
            if user.status == UserStatus::Active {
                Ok(user)
            } else {
                // Said only to someone who knows the password.
                Err(AppError::forbidden(crate::tr!(sign_in.errors.inactive)))
            }
        }
        user => {
            attempt
                .failed(state, user.map(|user| user.id), "auth.sign_in_failed")
                .await?;
            Err(AppError::Validation(FieldErrors::one(
                FieldErrors::FORM,
                wrong_credentials(),
            )))
        }
    }
}

/// Replaces the actor's own password once they proved the current one (throttled as
/// signing in is: guessing it is guessing a password), and ends their other sessions.
pub async fn change_own_password(
    state: &AppState,
    actor: &Actor,
    client: &Requester,
    current_password: String,
    new_password: &str,
    confirm_password: &str,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    if current_password.is_empty() {
        errors.add(
            "current_password",
            crate::tr!(password.errors.enter_current),
        );
    }
    if let Some(problem) =
        new_password_problem(new_password, &[&actor.user().email, &actor.user().name])
    {
        errors.add("new_password", problem);
    } else if new_password == current_password {
        errors.add("new_password", crate::tr!(password.errors.same_as_current));
    }
    if confirm_password != new_password {
        errors.add("confirm_password", crate::tr!(password.errors.mismatch));
    }
    errors.into_result()?;

    let stored = find_by_id(state.db.pool(), actor.user().id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let email = normalize_email(&stored.email);
    let attempt = throttle::begin_attempt(state, &email, &client.address).await?;
    if !state
        .passwords
        .verify(current_password, stored.password_hash)
        .await?
    {
        attempt
            .failed(state, Some(stored.id), "auth.password_change_failed")
            .await?;
        return Err(AppError::field(
            "current_password",
            crate::tr!(password.errors.not_current),
        ));
    }
    attempt.succeeded(state).await?;
    let hash = state.passwords.hash(new_password.to_string()).await?;

    let mut tx = state.db.begin().await?;
    set_password(&mut *tx, actor.user().id, &hash, false).await?;
    end_sessions(
        &mut tx,
        actor.user().id,
        Some(&actor.user().token_hash),
        EndReason::SignedOut,
        &client.address,
    )
    .await?;
    record(
        &mut tx,
        AuditEvent::about_self(
            actor.user().id,
            "auth.password_changed",
            json!({ "was_temporary": actor.user().must_change_password }),
            &client.address,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the language `actor` reads the product and their mail in.
pub async fn change_language(
    state: &AppState,
    actor: &Actor,
    client: &Requester,
    language: crate::core::Language,
) -> Result<(), AppError> {
    let me = actor.session_user();
    if me.language == language {
        return Ok(());
    }
    let mut tx = state.db.begin().await?;
    set_language(&mut *tx, me.id, language.key()).await?;
    record(
        &mut tx,
        AuditEvent::about_self(
            me.id,
            "auth.language_changed",
            json!({ "from": me.language.key(), "to": language.key() }),
            &client.address,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

crate::keyed_enum! {
    /// How someone proved who they are at sign-in, as the audit log records it.
    pub enum SignInMethod {
        Password = ("password", labels.sign_in_method.password),
        Link = ("link", labels.sign_in_method.link),
        Sso = ("sso", labels.sign_in_method.sso),
    }
}

/// Starts a session for `user` and returns its token. The session the browser had
/// before, if any, ends: the id always changes at sign-in. Nobody signs in to a
/// suspended client account.
pub async fn open_session(
    state: &AppState,
    user: &UserRecord,
    client: &Requester,
    previous_token: Option<&str>,
    via: SignInMethod,
) -> Result<String, AppError> {
    let memberships = memberships_of(state.db.pool(), user.id).await?;
    if let Some(account) = suspended_account(&state.db, &memberships).await? {
        return Err(AppError::forbidden(suspended_refusal(&account)));
    }
    let token = random_token();
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    if let Some(previous) = previous_token {
        end_session(
            &mut tx,
            &hash_token(previous),
            EndReason::SignedOut,
            &client.address,
        )
        .await?;
    }
    sessions::delete_expired(&mut tx, now).await?;
    let expires_at = now + state.settings.session_lifetime_ms;
    insert_session(&mut tx, &token, user.id, None, client, expires_at).await?;
    record_sign_in(&mut *tx, user.id).await?;
    record(
        &mut tx,
        AuditEvent::about_self(
            user.id,
            "auth.sign_in",
            json!({ "user_agent": client.user_agent, "via": via.key() }),
            &client.address,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// The suspended client account that every one of `memberships` lies in, if there is
/// one: its people cannot sign in, and their sessions end at their next request.
/// Partner staff, whose roles lie above the account, still see and reactivate it.
pub async fn suspended_account(
    db: &Db,
    memberships: &[MembershipRecord],
) -> Result<Option<String>, AppError> {
    let Some(first) = memberships.first() else {
        return Ok(None);
    };
    for membership in memberships {
        if membership.node_kind != NodeKind::Client
            || !is_suspended(db.pool(), membership.node_id).await?
        {
            return Ok(None);
        }
    }
    Ok(Some(first.node_name.clone()))
}

pub fn suspended_refusal(account: &str) -> String {
    crate::tr!(sign_in.suspended, account = account)
}

/// Stores a new session of `user` behind `token`; one opened for an impersonation
/// names it.
pub async fn insert_session(
    conn: &mut AnyConnection,
    token: &str,
    user: UserId,
    impersonation: Option<ImpersonationId>,
    client: &Requester,
    expires_at: i64,
) -> Result<(), AppError> {
    let token_hash = hash_token(token);
    let session = sessions::NewSession {
        token_hash: &token_hash,
        user,
        impersonation,
        address: &client.address,
        user_agent: &client.user_agent,
        now: now_ms(),
        expires_at,
    };
    sessions::insert(conn, &session).await
}

/// The own language of the person signed in with `client`'s session cookie, if any.
pub async fn own_language(
    state: &AppState,
    client: &Requester,
) -> Result<Option<crate::core::Language>, AppError> {
    let Ok(token) = token_of(state, client) else {
        return Ok(None);
    };
    let code = sessions::language_of(state.db.pool(), &hash_token(token)).await?;
    Ok(code.map(|code| crate::core::Language::from_code(&code)))
}

/// The user behind `token`, if the session exists, is neither idle nor past its
/// lifetime, and the user is active. Dead sessions are ended on sight. A request
/// counts as activity: it keeps the session from going idle.
pub async fn resolve(state: &AppState, token: &str) -> Result<SessionUser, AppError> {
    lookup(state, token, true).await
}

/// As [`resolve`], for what a page does by itself (polling): no activity.
pub async fn peek(state: &AppState, token: &str) -> Result<SessionUser, AppError> {
    lookup(state, token, false).await
}

async fn lookup(state: &AppState, token: &str, activity: bool) -> Result<SessionUser, AppError> {
    let token_hash = hash_token(token);
    let row = sessions::find(state.db.pool(), &token_hash)
        .await?
        .ok_or(AppError::Unauthenticated)?;

    let now = now_ms();
    let alive = now < row.expires_at
        && now - row.last_seen_at < state.settings.session_idle_ms
        && row.status == UserStatus::Active.key();
    if !alive {
        let mut tx = state.db.begin().await?;
        end_session(&mut tx, &token_hash, EndReason::Expired, "").await?;
        tx.commit().await?;
        return Err(AppError::Unauthenticated);
    }
    // One write a minute at most keeps the idle clock honest without a write per request.
    if activity && now - row.last_seen_at > 60_000 {
        sessions::touch(state.db.pool(), &token_hash, now).await?;
    }
    let verified = [
        (row.email_verified_at, VerifyChannel::Email),
        (row.phone_verified_at, VerifyChannel::Sms),
    ]
    .into_iter()
    .filter_map(|(verified_at, channel)| verified_at.map(|_| channel))
    .collect();
    Ok(SessionUser {
        id: UserId(row.user_id),
        name: row.name,
        email: row.email,
        must_change_password: flag(row.must_change_password),
        language: crate::core::Language::from_code(&row.language),
        verified,
        token_hash,
        impersonation: row.impersonation_id.map(ImpersonationId),
        expires_at: row.expires_at,
    })
}

/// Ends the session behind `token` (sign-out).
pub async fn close_session(
    state: &AppState,
    user: &SessionUser,
    client: &Requester,
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    end_session(
        &mut tx,
        &user.token_hash,
        EndReason::SignedOut,
        &client.address,
    )
    .await?;
    super::repo::leave_presence(&mut tx, user.id, user.impersonation).await?;
    record(
        &mut tx,
        AuditEvent::about_self(user.id, "auth.sign_out", json!({}), &client.address),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends the session behind `token` whoever it was (sign-out of a session no longer
/// alive: nothing should be left to revive it).
pub async fn discard(state: &AppState, token: &str, client: &Requester) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    end_session(
        &mut tx,
        &hash_token(token),
        EndReason::SignedOut,
        &client.address,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of `user` (but the one hashed `keep`, if any), and with them
/// the impersonations they were acting through, for `reason`.
pub async fn end_sessions(
    conn: &mut AnyConnection,
    user: UserId,
    keep: Option<&str>,
    reason: EndReason,
    address: &str,
) -> Result<(), AppError> {
    let keep = keep.unwrap_or_default();
    for impersonation in sessions::impersonations_of(conn, user, keep).await? {
        end_in(conn, impersonation, user, reason, address).await?;
    }
    sessions::delete_of_user(conn, user, keep).await
}

/// Ends the session hashed `token_hash`, and the impersonation it acted through.
pub async fn end_session(
    conn: &mut AnyConnection,
    token_hash: &str,
    reason: EndReason,
    address: &str,
) -> Result<(), AppError> {
    if let Some((user, Some(impersonation))) = sessions::owner(conn, token_hash).await? {
        end_in(conn, impersonation, user, reason, address).await?;
    }
    sessions::delete(conn, token_hash).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_lax_and_secure_unless_local() {
        let secure = Settings::default();
        let cookie = session_cookie(&secure, "abc");
        assert!(
            cookie.starts_with("__Host-switchboard_session=abc; Path=/; HttpOnly; SameSite=Lax")
        );
        assert!(cookie.ends_with("; Secure"));

        let local = Settings {
            secure_cookies: false,
            ..Settings::default()
        };
        assert_eq!(
            expired_cookie(&local),
            "switchboard_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
        );
    }

    #[test]
    fn token_hashes_are_hex_sha256() {
        let hash = hash_token("token");
        assert_eq!(hash.len(), 64);
        assert_ne!(hash, hash_token("other"));
    }
}
