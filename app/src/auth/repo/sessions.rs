//! Sessions as stored: the SHA-256 of each token, whose it is, since when and until
//! when, and the impersonation it was opened for.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::core::{ImpersonationId, UserId};
use crate::error::AppError;

/// A session to store.
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user: UserId,
    pub impersonation: Option<ImpersonationId>,
    pub address: &'a str,
    pub user_agent: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn insert(conn: &mut AnyConnection, new: &NewSession<'_>) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, \
         address, user_agent, impersonation_id) VALUES ($1, $2, $3, $3, $4, $5, $6, $7)",
    )
    .bind(new.token_hash)
    .bind(new.user.0)
    .bind(new.now)
    .bind(new.expires_at)
    .bind(new.address)
    .bind(new.user_agent)
    .bind(new.impersonation.map(|id| id.0))
    .execute(conn)
    .await?;
    Ok(())
}

/// A session with what a request needs to know of its user.
#[derive(Debug, FromRow)]
pub struct SessionRow {
    pub user_id: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub impersonation_id: Option<i64>,
    pub name: String,
    pub email: String,
    pub status: String,
    pub must_change_password: i64,
    pub language: String,
    pub email_verified_at: Option<i64>,
    pub phone_verified_at: Option<i64>,
}

/// The session hashed `token_hash`, if there is one, with its user.
pub async fn find<'e>(
    db: impl Executor<'e, Database = Any>,
    token_hash: &str,
) -> Result<Option<SessionRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT s.user_id, s.last_seen_at, s.expires_at, s.impersonation_id, u.name, u.email, \
         u.status, u.must_change_password, u.language, u.email_verified_at, u.phone_verified_at \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?)
}

/// The language of the person whose session is hashed `token_hash`: the person
/// really signed in, also when the session is an impersonation's.
pub async fn language_of<'e>(
    db: impl Executor<'e, Database = Any>,
    token_hash: &str,
) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT u.language FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?)
}

/// Notes activity on the session hashed `token_hash`.
pub async fn touch<'e>(
    db: impl Executor<'e, Database = Any>,
    token_hash: &str,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Forgets every session past its lifetime at `now`.
pub async fn delete_expired(conn: &mut AnyConnection, now: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whose the session hashed `token_hash` is, and the impersonation it acts through.
pub async fn owner(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<(UserId, Option<ImpersonationId>)>, AppError> {
    let row: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT user_id, impersonation_id FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(user, impersonation)| (UserId(user), impersonation.map(ImpersonationId))))
}

pub async fn delete(conn: &mut AnyConnection, token_hash: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// The impersonations that `user`'s sessions (but the one hashed `keep`) act through.
pub async fn impersonations_of(
    conn: &mut AnyConnection,
    user: UserId,
    keep: &str,
) -> Result<Vec<ImpersonationId>, AppError> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT impersonation_id FROM sessions \
         WHERE user_id = $1 AND token_hash <> $2 AND impersonation_id IS NOT NULL",
    )
    .bind(user.0)
    .bind(keep)
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().map(ImpersonationId).collect())
}

/// Forgets every session of `user` but the one hashed `keep`.
pub async fn delete_of_user(
    conn: &mut AnyConnection,
    user: UserId,
    keep: &str,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user.0)
        .bind(keep)
        .execute(conn)
        .await?;
    Ok(())
}
