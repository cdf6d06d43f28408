//! API keys in the database: only a keyed hash of each key's text is stored.

use sqlx::{Any, AnyConnection, Executor};

use crate::core::{NodeId, NodeKind, UserId};
use crate::error::AppError;

/// A key as stored.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiKeyRecord {
    pub id: i64,
    pub key_id: String,
    pub secret_hash: String,
    pub owner_id: NodeId,
    pub name: String,
    /// Comma-separated scope keys.
    pub scopes: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub last_used_address: Option<String>,
}

impl ApiKeyRecord {
    /// Whether the key still opens the API at `now`.
    pub fn works_at(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|expires| expires > now)
    }
}

/// A key with the name of the person who made it, as lists show it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListedKey {
    #[sqlx(flatten)]
    pub key: ApiKeyRecord,
    pub creator_name: Option<String>,
}

pub struct NewApiKey<'a> {
    pub key_id: &'a str,
    pub secret_hash: &'a str,
    pub owner: NodeId,
    pub name: &'a str,
    pub scopes: &'a str,
    pub created_by: UserId,
    pub rotated_from: Option<i64>,
    pub now: i64,
}

const COLUMNS: &str = "k.id, k.key_id, k.secret_hash, k.owner_id, k.name, k.scopes, \
     k.created_at, k.expires_at, k.revoked_at, k.last_used_at, k.last_used_address";

pub async fn insert_key(conn: &mut AnyConnection, key: NewApiKey<'_>) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO api_keys (key_id, secret_hash, owner_id, name, scopes, created_by, \
         created_at, rotated_from) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(key.key_id)
    .bind(key.secret_hash)
    .bind(key.owner.0)
    .bind(key.name)
    .bind(key.scopes)
    .bind(key.created_by.0)
    .bind(key.now)
    .bind(key.rotated_from)
    .fetch_one(conn)
    .await?)
}

/// The keys of an account or partner, newest first.
pub async fn keys_of<'e>(
    db: impl Executor<'e, Database = Any>,
    owner: NodeId,
) -> Result<Vec<ListedKey>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS}, u.name AS creator_name FROM api_keys k \
         LEFT JOIN users u ON u.id = k.created_by WHERE k.owner_id = $1 \
         ORDER BY k.created_at DESC, k.id DESC"
    ))
    .bind(owner.0)
    .fetch_all(db)
    .await?)
}

/// How many of an owner's keys work at `now`.
pub async fn working_keys<'e>(
    db: impl Executor<'e, Database = Any>,
    owner: NodeId,
    now: i64,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM api_keys WHERE owner_id = $1 AND revoked_at IS NULL \
         AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(owner.0)
    .bind(now)
    .fetch_one(db)
    .await?)
}

/// Key `id` of `owner`: a key of anyone else is not found.
pub async fn key_of<'e>(
    db: impl Executor<'e, Database = Any>,
    owner: NodeId,
    id: i64,
) -> Result<Option<ApiKeyRecord>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM api_keys k WHERE k.owner_id = $1 AND k.id = $2"
    ))
    .bind(owner.0)
    .bind(id)
    .fetch_optional(db)
    .await?)
}

/// A key with what its owner is, as a request presents it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PresentedKey {
    #[sqlx(flatten)]
    pub key: ApiKeyRecord,
    pub owner_kind: NodeKind,
}

pub async fn key_by_key_id<'e>(
    db: impl Executor<'e, Database = Any>,
    key_id: &str,
) -> Result<Option<PresentedKey>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS}, n.kind AS owner_kind FROM api_keys k \
         JOIN nodes n ON n.id = k.owner_id WHERE k.key_id = $1"
    ))
    .bind(key_id)
    .fetch_optional(db)
    .await?)
}

/// Ends a key that was never rotated at `at`; false if it was revoked or rotated
/// meanwhile, so two rotations of one key cannot both happen.
pub async fn end_after_rotation<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    at: i64,
) -> Result<bool, AppError> {
    let ended = sqlx::query(
        "UPDATE api_keys SET expires_at = $2 WHERE id = $1 AND revoked_at IS NULL \
         AND expires_at IS NULL",
    )
    .bind(id)
    .bind(at)
    .execute(db)
    .await?;
    Ok(ended.rows_affected() == 1)
}

/// Revokes a key that is not revoked yet; false if it was.
pub async fn revoke<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    by: UserId,
    now: i64,
) -> Result<bool, AppError> {
    let revoked = sqlx::query(
        "UPDATE api_keys SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(now)
    .bind(by.0)
    .execute(db)
    .await?;
    Ok(revoked.rows_affected() == 1)
}

/// Notes that the key was used, unless that was noted less than a minute ago: a busy
/// key writes once a minute, not once a request.
pub async fn note_use<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    address: &str,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE api_keys SET last_used_at = $2, last_used_address = $3 \
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $4)",
    )
    .bind(id)
    .bind(now)
    .bind(address)
    .bind(now - USE_NOTED_EVERY_MS)
    .execute(db)
    .await?;
    Ok(())
}

/// How often a key's last use is written at most.
pub const USE_NOTED_EVERY_MS: i64 = 60_000;
