//! Mailed single-use links as stored: the SHA-256 of each token, whose it is, what it
//! is for, the address it was sent to, until when it works and when it was used.

use sqlx::{Any, AnyConnection, Executor};

use crate::auth::LinkPurpose;
use crate::core::UserId;
use crate::error::AppError;

/// A link to store.
pub struct NewToken<'a> {
    pub token_hash: &'a str,
    pub user: UserId,
    pub purpose: LinkPurpose,
    pub email_normalized: &'a str,
    pub expires_at: i64,
}

pub async fn insert<'e>(
    db: impl Executor<'e, Database = Any>,
    new: &NewToken<'_>,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO user_tokens (token_hash, user_id, purpose, email_normalized, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new.token_hash)
    .bind(new.user.0)
    .bind(new.purpose.key())
    .bind(new.email_normalized)
    .bind(new.expires_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Marks every unused link of `user` used at `now`.
pub async fn use_up_all<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query("UPDATE user_tokens SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(user.0)
        .execute(db)
        .await?;
    Ok(())
}

/// How many `purpose` links of `user` work past `after`.
pub async fn count_expiring_after<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
    purpose: LinkPurpose,
    after: i64,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM user_tokens WHERE user_id = $1 AND purpose = $2 AND expires_at > $3",
    )
    .bind(user.0)
    .bind(purpose.key())
    .bind(after)
    .fetch_one(db)
    .await?)
}

/// Whose live `purpose` link hashed `token_hash` is at `now`: unused, unexpired, still
/// bound to the owner's address, and the owner not disabled.
pub async fn live_owner<'e>(
    db: impl Executor<'e, Database = Any>,
    token_hash: &str,
    purpose: LinkPurpose,
    now: i64,
) -> Result<Option<UserId>, AppError> {
    let user: Option<i64> = sqlx::query_scalar(
        "SELECT t.user_id FROM user_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL \
         AND t.expires_at > $3 AND u.email_normalized = t.email_normalized \
         AND u.status <> 'disabled'",
    )
    .bind(token_hash)
    .bind(purpose.key())
    .bind(now)
    .fetch_optional(db)
    .await?;
    Ok(user.map(UserId))
}

/// Uses the live `purpose` link hashed `token_hash` at `now`: false when it was used
/// or expired already. The guarded update makes it single-use even when submitted
/// twice at once.
pub async fn use_up(
    conn: &mut AnyConnection,
    token_hash: &str,
    purpose: LinkPurpose,
    now: i64,
) -> Result<bool, AppError> {
    let used = sqlx::query(
        "UPDATE user_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 \
         AND used_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(token_hash)
    .bind(purpose.key())
    .execute(conn)
    .await?
    .rows_affected();
    Ok(used == 1)
}
