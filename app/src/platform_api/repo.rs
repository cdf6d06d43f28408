//! Requests sent with an Idempotency-Key, in the database: every process sharing it
//! sees the same.

use sqlx::{Any, Executor};

use crate::error::AppError;

/// A request seen before with the same key.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SeenRequest {
    pub request_hash: String,
    pub response_status: Option<i64>,
    pub response_body: Option<String>,
    pub created_at: i64,
}

/// Claims the key for a request about to run; false if it is claimed already.
pub async fn claim<'e>(
    db: impl Executor<'e, Database = Any>,
    api_key: i64,
    idempotency_key: &str,
    request_hash: &str,
    now: i64,
) -> Result<bool, AppError> {
    let claimed = sqlx::query(
        "INSERT INTO ingest_requests (api_key_id, idempotency_key, request_hash, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (api_key_id, idempotency_key) DO NOTHING",
    )
    .bind(api_key)
    .bind(idempotency_key)
    .bind(request_hash)
    .bind(now)
    .execute(db)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

pub async fn seen<'e>(
    db: impl Executor<'e, Database = Any>,
    api_key: i64,
    idempotency_key: &str,
) -> Result<Option<SeenRequest>, AppError> {
    Ok(sqlx::query_as(
        "SELECT request_hash, response_status, response_body, created_at FROM ingest_requests \
         WHERE api_key_id = $1 AND idempotency_key = $2",
    )
    .bind(api_key)
    .bind(idempotency_key)
    .fetch_optional(db)
    .await?)
}

pub async fn keep_answer<'e>(
    db: impl Executor<'e, Database = Any>,
    api_key: i64,
    idempotency_key: &str,
    status: u16,
    body: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE ingest_requests SET response_status = $3, response_body = $4 \
         WHERE api_key_id = $1 AND idempotency_key = $2",
    )
    .bind(api_key)
    .bind(idempotency_key)
    .bind(i64::from(status))
    .bind(body)
    .execute(db)
    .await?;
    Ok(())
}

/// Lets the key go: its request failed, or it expired.
pub async fn release<'e>(
    db: impl Executor<'e, Database = Any>,
    api_key: i64,
    idempotency_key: &str,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM ingest_requests WHERE api_key_id = $1 AND idempotency_key = $2")
        .bind(api_key)
        .bind(idempotency_key)
        .execute(db)
        .await?;
    Ok(())
}

/// Forgets every key claimed before `before`.
pub async fn forget_before<'e>(
    db: impl Executor<'e, Database = Any>,
    before: i64,
) -> Result<u64, AppError> {
    Ok(
        sqlx::query("DELETE FROM ingest_requests WHERE created_at < $1")
            .bind(before)
            .execute(db)
            .await?
            .rows_affected(),
    )
}
