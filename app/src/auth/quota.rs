//! Limits on how often something may be done in a sliding window, whoever asks: a
//! verification code to one person or one number, a password-reset request from one
//! address. A use is counted in the caller's transaction, under a lock on the quota,
//! so uses asked for at once cannot all slip under the limit; a change that fails
//! afterwards takes its use back with it.

use crate::db::{Db, Tx};
use crate::error::AppError;

/// How many uses a quota allows in how long.
#[derive(Clone, Copy, Debug)]
pub struct Quota {
    pub uses: i64,
    pub window_ms: i64,
}

/// Counts one use of `quota` named `name`, or refuses with how long until the
/// oldest use leaves the window.
pub async fn take(
    db: &Db,
    tx: &mut Tx,
    name: &str,
    quota: Quota,
    now: i64,
) -> Result<(), AppError> {
    db.lock_key(tx, &format!("quota:{name}")).await?;
    let since = now - quota.window_ms;
    sqlx::query("DELETE FROM quota_uses WHERE quota = $1 AND used_at <= $2")
        .bind(name)
        .bind(since)
        .execute(&mut **tx)
        .await?;
    let (used, oldest): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(used_at) FROM quota_uses WHERE quota = $1")
            .bind(name)
            .fetch_one(&mut **tx)
            .await?;
    if used >= quota.uses {
        return Err(AppError::TooManyAttempts {
            retry_after_minutes: minutes_until_free(oldest, now, quota.window_ms),
        });
    }
    sqlx::query("INSERT INTO quota_uses (quota, used_at) VALUES ($1, $2)")
        .bind(name)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whole minutes until the oldest of some uses (or failures) leaves a window.
pub fn minutes_until_free(oldest: Option<i64>, now: i64, window_ms: i64) -> i64 {
    let wait_ms = oldest.unwrap_or(now) + window_ms - now;
    (wait_ms.max(0) + 59_999) / 60_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_says_when_the_oldest_use_leaves_the_window() {
        let window = 15 * 60_000;
        assert_eq!(minutes_until_free(Some(0), 0, window), 15);
        assert_eq!(minutes_until_free(Some(0), 14 * 60_000 + 1, window), 1);
        assert_eq!(minutes_until_free(None, 0, window), 15);
    }
}
