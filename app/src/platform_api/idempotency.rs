//! The optional `Idempotency-Key` header: a request retried with the same key and
//! body gets the first one's answer instead of running again (409 while the first is
//! still running, 422 when the key comes back with another request). Only answers of
//! success are kept, for 24 hours; after a refusal or a fault the key is free again,
//! so a corrected retry runs.

use std::future::Future;

use http::StatusCode;
use sha2::{Digest, Sha256};

use super::answer::Answer;
use super::repo;
use crate::db::{now_ms, Db};
use crate::error::AppError;

pub const HEADER: &str = "idempotency-key";
pub const KEPT_FOR_MS: i64 = 24 * 60 * 60 * 1000;
/// A claim this old without an answer belongs to a request that died with its
/// process: the key is free again.
pub const ABANDONED_AFTER_MS: i64 = 60 * 1000;
pub const MAX_KEY_LENGTH: usize = 255;

/// What identifies a request's content: its method, path and query, and body.
pub fn request_hash(method: &str, path_and_query: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    for part in [
        method.as_bytes(),
        b"\n",
        path_and_query.as_bytes(),
        b"\n",
        body,
    ] {
        hasher.update(part);
    }
    hex::encode(hasher.finalize())
}

/// Runs `run` once for `key` (if the request has one) and the request's hash.
pub async fn once(
    db: &Db,
    api_key: i64,
    key: Option<&str>,
    hash: &str,
    run: impl Future<Output = Answer>,
) -> Answer {
    let Some(key) = key else {
        return run.await;
    };
    if key.is_empty() || key.len() > MAX_KEY_LENGTH || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Answer::error(AppError::field(
            "Idempotency-Key",
            format!("An Idempotency-Key is 1 to {MAX_KEY_LENGTH} visible ASCII characters, e.g. a UUID."),
        ));
    }
    match claim_or_answer(db, api_key, key, hash).await {
        Ok(None) => {}
        Ok(Some(answer)) => return answer,
        Err(error) => return Answer::error(error),
    }
    let answer = run.await;
    let kept = if answer.status.is_success() {
        repo::keep_answer(
            db.pool(),
            api_key,
            key,
            answer.status.as_u16(),
            &answer.body,
        )
        .await
    } else {
        repo::release(db.pool(), api_key, key).await
    };
    if let Err(error) = kept {
        tracing::error!(%error, "an idempotency key's answer was not kept");
    }
    answer
}

/// Claims `key` for this request (`None`: run it), or the answer it gets instead.
async fn claim_or_answer(
    db: &Db,
    api_key: i64,
    key: &str,
    hash: &str,
) -> Result<Option<Answer>, AppError> {
    // Twice at most: once more after letting go of an expired or abandoned claim.
    for _ in 0..2 {
        let now = now_ms();
        if repo::claim(db.pool(), api_key, key, hash, now).await? {
            return Ok(None);
        }
        let Some(seen) = repo::seen(db.pool(), api_key, key).await? else {
            continue;
        };
        let expired = seen.created_at <= now - KEPT_FOR_MS;
        let abandoned =
            seen.response_status.is_none() && seen.created_at <= now - ABANDONED_AFTER_MS;
        if expired || abandoned {
            repo::release(db.pool(), api_key, key).await?;
            continue;
        }
        if seen.request_hash != hash {
            return Ok(Some(Answer::refusal(
                StatusCode::UNPROCESSABLE_ENTITY,
                "This Idempotency-Key came with another request before: use a new key for a new request.",
            )));
        }
        return Ok(Some(match (seen.response_status, seen.response_body) {
            (Some(status), Some(body)) => Answer {
                status: u16::try_from(status)
                    .ok()
                    .and_then(|status| StatusCode::from_u16(status).ok())
                    .unwrap_or(StatusCode::OK),
                body,
                retry_after_seconds: None,
                replayed: true,
            },
            _ => Answer::refusal(
                StatusCode::CONFLICT,
                "A request with this Idempotency-Key is still being handled: try again shortly.",
            ),
        }));
    }
    Err(AppError::internal(
        "an idempotency key could not be claimed",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_tells_requests_apart_by_method_path_and_body() {
        let base = request_hash("POST", "/api/v1/calls", b"{}");
        assert_eq!(base, request_hash("POST", "/api/v1/calls", b"{}"));
        assert_ne!(base, request_hash("PUT", "/api/v1/calls", b"{}"));
        assert_ne!(base, request_hash("POST", "/api/v1/messages", b"{}"));
        assert_ne!(base, request_hash("POST", "/api/v1/calls", b"{ }"));
    }
}
