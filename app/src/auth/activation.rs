//! Activation links: a user created without a password follows a single-use, expiring
//! link, chooses their password and is signed in.

use serde_json::json;
use sqlx::{Any, Executor};

use super::password::new_password_problem;
use super::session::hash_token;
use crate::audit::repo::{record, AuditEvent};
use crate::db::now_ms;
use crate::error::{AppError, FieldErrors};
use crate::request::Client;
use crate::state::AppState;
use crate::users::repo::{find_by_id, set_password, UserRecord};
use crate::users::{normalize_email, UserId};

pub const LINK_LIFETIME_MS: i64 = 7 * 24 * 60 * 60 * 1000;

const DEAD_LINK: &str =
    "This activation link has expired or was already used. Ask your administrator for a new one.";

/// Stores a new activation link for `user`, bound to the address it is sent to.
pub async fn store_token<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
    email: &str,
    token: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO user_tokens (token_hash, user_id, purpose, email_normalized, expires_at) \
         VALUES ($1, $2, 'activation', $3, $4)",
    )
    .bind(hash_token(token))
    .bind(user.0)
    .bind(normalize_email(email))
    .bind(now_ms() + LINK_LIFETIME_MS)
    .execute(db)
    .await?;
    Ok(())
}

/// Kills every unused activation link of `user`: after a resend only the new one works.
pub async fn kill_tokens<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE user_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = 'activation' \
         AND used_at IS NULL",
    )
    .bind(now_ms())
    .bind(user.0)
    .execute(db)
    .await?;
    Ok(())
}

/// The user a live activation link belongs to, while their address is still the one
/// the link was sent to.
pub async fn link_owner(state: &AppState, token: &str) -> Result<UserRecord, AppError> {
    let user: Option<i64> = sqlx::query_scalar(
        "SELECT t.user_id FROM user_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.purpose = 'activation' AND t.used_at IS NULL \
         AND t.expires_at > $2 AND u.email_normalized = t.email_normalized \
         AND u.status <> 'disabled'",
    )
    .bind(hash_token(token))
    .bind(now_ms())
    .fetch_optional(state.db.pool())
    .await?;
    let user = user.ok_or_else(|| AppError::forbidden(DEAD_LINK))?;
    find_by_id(state.db.pool(), UserId(user))
        .await?
        .ok_or_else(|| AppError::forbidden(DEAD_LINK))
}

/// Uses up the link and sets the user's password; the caller then opens a session.
pub async fn activate(
    state: &AppState,
    client: &Client,
    token: &str,
    new_password: String,
    confirm_password: &str,
) -> Result<UserRecord, AppError> {
    let user = link_owner(state, token).await?;
    let mut errors = FieldErrors::default();
    if let Some(problem) = new_password_problem(&new_password) {
        errors.add("new_password", problem);
    }
    if confirm_password != new_password {
        errors.add("confirm_password", "The two passwords do not match.");
    }
    errors.into_result()?;
    let hash = state.passwords.hash(new_password).await?;

    let mut tx = state.db.begin().await?;
    // The guarded update makes the link single-use even when submitted twice at once.
    let used = sqlx::query(
        "UPDATE user_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
         AND expires_at > $1",
    )
    .bind(now_ms())
    .bind(hash_token(token))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if used != 1 {
        return Err(AppError::forbidden(DEAD_LINK));
    }
    set_password(&mut *tx, user.id, &hash, false).await?;
    sqlx::query("UPDATE users SET status = 'active' WHERE id = $1 AND status = 'invited'")
        .bind(user.id.0)
        .execute(&mut *tx)
        .await?;
    record(
        &mut *tx,
        AuditEvent::about_self(
            user.id,
            "auth.account_activated",
            json!({}),
            &client.address,
        ),
    )
    .await?;
    tx.commit().await?;
    find_by_id(state.db.pool(), user.id)
        .await?
        .ok_or(AppError::Internal)
}
