//! Verification codes as stored: one per person and channel, kept as an HMAC, with
//! where it went, when it was sent, until when it works and how often it was tried.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::core::validate::normalize_email;
use crate::core::{UserId, VerifyChannel};
use crate::error::AppError;

/// Where `user`'s `channel` code went, while it is out at `now`: unexpired, with
/// tries left under `max_attempts`.
pub async fn destination_of_live<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
    channel: VerifyChannel,
    now: i64,
    max_attempts: i64,
) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT destination FROM verification_codes \
         WHERE user_id = $1 AND channel = $2 AND expires_at > $3 AND attempts < $4",
    )
    .bind(user.0)
    .bind(channel.key())
    .bind(now)
    .bind(max_attempts)
    .fetch_optional(db)
    .await?)
}

/// A code to store.
pub struct NewCode<'a> {
    pub user: UserId,
    pub channel: VerifyChannel,
    pub destination: &'a str,
    pub code_hash: &'a str,
    pub now: i64,
    pub expires_at: i64,
    /// A code sent after this replaces nothing: one a minute at most.
    pub resend_after: i64,
}

/// Stores `new` in place of the person's code on that channel, unless that one was
/// sent after `new.resend_after`: false then. One statement both replaces the code
/// and keeps to the pace, however many requests arrive at once.
pub async fn replace(conn: &mut AnyConnection, new: &NewCode<'_>) -> Result<bool, AppError> {
    let stored = sqlx::query(
        "INSERT INTO verification_codes (user_id, channel, destination, code_hash, sent_at, \
         expires_at, attempts) VALUES ($1, $2, $3, $4, $5, $6, 0) \
         ON CONFLICT (user_id, channel) DO UPDATE SET destination = excluded.destination, \
         code_hash = excluded.code_hash, sent_at = excluded.sent_at, \
         expires_at = excluded.expires_at, attempts = 0 \
         WHERE verification_codes.sent_at <= $7",
    )
    .bind(new.user.0)
    .bind(new.channel.key())
    .bind(new.destination)
    .bind(new.code_hash)
    .bind(new.now)
    .bind(new.expires_at)
    .bind(new.resend_after)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(stored > 0)
}

/// A live code, as one more try at it finds it.
#[derive(Debug, FromRow)]
pub struct TriedCode {
    pub code_hash: String,
    pub destination: String,
    /// Tries so far, this one included.
    pub attempts: i64,
}

/// Counts a try at `user`'s live `channel` code, before it is compared (so that
/// concurrent guesses stay within `max_attempts`); none when no code is live.
pub async fn count_try(
    conn: &mut AnyConnection,
    user: UserId,
    channel: VerifyChannel,
    now: i64,
    max_attempts: i64,
) -> Result<Option<TriedCode>, AppError> {
    Ok(sqlx::query_as(
        "UPDATE verification_codes SET attempts = attempts + 1 \
         WHERE user_id = $1 AND channel = $2 AND expires_at > $3 AND attempts < $4 \
         RETURNING code_hash, destination, attempts",
    )
    .bind(user.0)
    .bind(channel.key())
    .bind(now)
    .bind(max_attempts)
    .fetch_optional(conn)
    .await?)
}

pub async fn delete(
    conn: &mut AnyConnection,
    user: UserId,
    channel: VerifyChannel,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM verification_codes WHERE user_id = $1 AND channel = $2")
        .bind(user.0)
        .bind(channel.key())
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks `destination` verified for `user` at `now`: their address, if it is still
/// theirs (false otherwise), or their mobile number, which becomes theirs.
pub async fn mark_verified(
    conn: &mut AnyConnection,
    user: UserId,
    channel: VerifyChannel,
    destination: &str,
    now: i64,
) -> Result<bool, AppError> {
    let marked = match channel {
        VerifyChannel::Email => sqlx::query(
            "UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_normalized = $3",
        )
        .bind(now)
        .bind(user.0)
        .bind(normalize_email(destination)),
        VerifyChannel::Sms => {
            sqlx::query("UPDATE users SET phone = $3, phone_verified_at = $1 WHERE id = $2")
                .bind(now)
                .bind(user.0)
                .bind(destination)
        }
    }
    .execute(conn)
    .await?
    .rows_affected();
    Ok(marked == 1)
}
