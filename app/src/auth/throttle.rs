//! Limits on guessing passwords (signing in, and the current password when changing
//! it). Each attempt is counted as a failure before the password is checked, in one
//! step with the count that allows it, so guesses sent at once cannot all slip in
//! before the first is recorded; a right password takes its own failures back.
//!
//! - One account from one address: a few failures in the window, then refused until
//!   they leave it (never for good).
//! - One address, whatever accounts it tries: more, then refused the same way.
//! - One account from anywhere: never refused (that would let anyone lock its owner
//!   out), but each attempt past a few failures waits longer, up to a cap.

use std::time::Duration;

use serde_json::json;

use super::quota::minutes_until_free;
use crate::audit_trail::{record, AuditEvent};
use crate::core::UserId;
use crate::db::now_ms;
use crate::error::AppError;
use crate::state::{AppState, SignInLimits};

/// An attempt under way, already counted as a failure.
#[derive(Debug)]
pub struct Attempt {
    email: String,
    address: String,
    /// Failures of this account and address in the window, this one included.
    failures_here: i64,
}

/// Counts an attempt to prove `email`'s password from `address`, or refuses it when
/// too many failed there lately; slows it down when the account failed often from
/// anywhere.
pub async fn begin_attempt(
    state: &AppState,
    email: &str,
    address: &str,
) -> Result<Attempt, AppError> {
    let limits = state.settings.sign_in_limits;
    let mut tx = state.db.begin().await?;
    state
        .db
        .lock_key(&mut tx, &format!("sign-in:{email}"))
        .await?;
    state
        .db
        .lock_key(&mut tx, &format!("sign-in-from:{address}"))
        .await?;
    // The clock is read once the locks are held, so every failure counted is older.
    let now = now_ms();
    let since = now - limits.window_ms;
    sqlx::query("DELETE FROM sign_in_failures WHERE failed_at <= $1")
        .bind(since)
        .execute(&mut *tx)
        .await?;
    let (by_email, by_address) = (("email_normalized", email), ("address", address));
    let here = failures(&mut tx, since, &[by_email, by_address]).await?;
    let from_address = failures(&mut tx, since, &[by_address]).await?;
    let everywhere = failures(&mut tx, since, &[by_email]).await?;
    for (count, limit) in [
        (&here, limits.per_account_and_address),
        (&from_address, limits.per_address),
    ] {
        if count.0 >= limit {
            return Err(AppError::TooManyAttempts {
                retry_after_minutes: minutes_until_free(count.1, now, limits.window_ms),
            });
        }
    }
    sqlx::query(
        "INSERT INTO sign_in_failures (email_normalized, address, failed_at) VALUES ($1, $2, $3)",
    )
    .bind(email)
    .bind(address)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let wait = slowdown(everywhere.0, &limits);
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    Ok(Attempt {
        email: email.to_string(),
        address: address.to_string(),
        failures_here: here.0 + 1,
    })
}

/// The failures since `since` whose columns hold the given values, and when the
/// oldest of them happened.
async fn failures(
    tx: &mut crate::db::Tx,
    since: i64,
    matching: &[(&str, &str)],
) -> Result<(i64, Option<i64>), AppError> {
    let filter = matching
        .iter()
        .enumerate()
        .map(|(index, (column, _))| format!(" AND {column} = ${}", index + 2))
        .collect::<String>();
    let sql = format!(
        "SELECT COUNT(*), MIN(failed_at) FROM sign_in_failures WHERE failed_at > $1{filter}"
    );
    let mut query = sqlx::query_as(&sql).bind(since);
    for (_, value) in matching {
        query = query.bind(*value);
    }
    Ok(query.fetch_one(&mut **tx).await?)
}

/// How long an attempt waits when the account already failed `failures` times in
/// the window from anywhere: nothing at first, then one step more per failure.
pub fn slowdown(failures: i64, limits: &SignInLimits) -> Duration {
    let past = failures - limits.account_slowdown_after + 1;
    if past <= 0 {
        return Duration::ZERO;
    }
    Duration::from_millis(
        (past * limits.account_slowdown_step_ms).min(limits.account_slowdown_max_ms) as u64,
    )
}

impl Attempt {
    /// The password was right: this account's failures from this address are
    /// forgotten (failures elsewhere still count against whoever made them).
    pub async fn succeeded(self, state: &AppState) -> Result<(), AppError> {
        sqlx::query("DELETE FROM sign_in_failures WHERE email_normalized = $1 AND address = $2")
            .bind(&self.email)
            .bind(&self.address)
            .execute(state.db.pool())
            .await?;
        Ok(())
    }

    /// The password was wrong: the failure stays counted, and goes on the record,
    /// about `user` when the address belongs to one.
    pub async fn failed(
        self,
        state: &AppState,
        user: Option<UserId>,
        action: &str,
    ) -> Result<(), AppError> {
        let mut tx = state.db.begin().await?;
        record(
            &mut tx,
            AuditEvent::attempt(
                user,
                action,
                json!({ "email": self.email, "failures_from_address": self.failures_here }),
                &self.address,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_failing_from_everywhere_is_slowed_down_up_to_a_cap() {
        let limits = crate::state::Settings::default().sign_in_limits;
        assert_eq!(slowdown(0, &limits), Duration::ZERO);
        assert_eq!(
            slowdown(limits.account_slowdown_after - 1, &limits),
            Duration::ZERO
        );
        let first = slowdown(limits.account_slowdown_after, &limits);
        let second = slowdown(limits.account_slowdown_after + 1, &limits);
        assert!(
            first > Duration::ZERO && second > first,
            "{first:?} {second:?}"
        );
        assert_eq!(
            slowdown(10_000, &limits),
            Duration::from_millis(limits.account_slowdown_max_ms as u64)
        );
    }
}
