//! The outbox table: email and text messages written with the change that causes
//! them, claimed by one worker at a time, retried with growing waits, given up after
//! a while.

use sqlx::{Any, Executor, Row};

use super::sms::Sms;
use super::templates::Email;
use crate::db::{now_ms, Db};
use crate::error::AppError;

/// Attempts before a message is given up (some four hours of waiting in all).
pub const MAX_ATTEMPTS: i64 = 10;
/// How long a worker may hold a message it claimed before another may take it over.
const CLAIM_MS: i64 = 5 * 60 * 1000;

/// Writes `message` to the outbox; on `db` inside the change's transaction, so the
/// message exists exactly when the change does.
pub async fn enqueue<'e>(
    db: impl Executor<'e, Database = Any>,
    message: impl Into<Outgoing>,
) -> Result<(), AppError> {
    let message = message.into();
    let (channel, subject, html) = match &message {
        Outgoing::Email(email) => ("email", email.subject.as_str(), email.html.as_str()),
        Outgoing::Sms(_) => ("sms", "", ""),
    };
    let (recipient, recipient_name, sender_name, text) = match &message {
        Outgoing::Email(Email {
            recipient,
            recipient_name,
            sender_name,
            text,
            ..
        })
        | Outgoing::Sms(Sms {
            recipient,
            recipient_name,
            sender_name,
            text,
            ..
        }) => (recipient, recipient_name, sender_name, text),
    };
    sqlx::query(
        "INSERT INTO outbox (channel, recipient, recipient_name, sender_name, subject, \
         body_text, body_html, purpose, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(channel)
    .bind(recipient)
    .bind(recipient_name)
    .bind(sender_name)
    .bind(subject)
    .bind(text)
    .bind(html)
    .bind(message.purpose())
    .bind(now_ms())
    .execute(db)
    .await?;
    Ok(())
}

/// What the outbox holds: an email or a text message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outgoing {
    Email(Email),
    Sms(Sms),
}

impl From<Email> for Outgoing {
    fn from(email: Email) -> Self {
        Outgoing::Email(email)
    }
}

impl From<Sms> for Outgoing {
    fn from(sms: Sms) -> Self {
        Outgoing::Sms(sms)
    }
}

impl Outgoing {
    pub fn purpose(&self) -> &str {
        match self {
            Outgoing::Email(email) => &email.purpose,
            Outgoing::Sms(sms) => &sms.purpose,
        }
    }
}

/// A message a worker has claimed.
#[derive(Debug)]
pub struct Claimed {
    pub id: i64,
    pub attempts: i64,
    pub message: Outgoing,
}

/// Up to `limit` messages due now that no other worker holds, each now held by the
/// caller. A message is taken by a guarded update, so two workers on one database
/// never both take it.
pub async fn claim_due(db: &Db, limit: i64) -> Result<Vec<Claimed>, AppError> {
    let now = now_ms();
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 \
         AND claimed_until <= $1 ORDER BY next_attempt_at, id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    let mut claimed = Vec::new();
    for id in due {
        let row = sqlx::query(
            "UPDATE outbox SET claimed_until = $1 \
             WHERE id = $2 AND status = 'pending' AND claimed_until <= $3 \
             RETURNING channel, recipient, recipient_name, sender_name, subject, \
             body_text, body_html, purpose, attempts",
        )
        .bind(now + CLAIM_MS)
        .bind(id)
        .bind(now)
        .fetch_optional(db.pool())
        .await?;
        if let Some(row) = row {
            claimed.push(Claimed {
                id,
                attempts: row.try_get("attempts")?,
                message: outgoing_from_row(&row)?,
            });
        }
    }
    Ok(claimed)
}

fn outgoing_from_row(row: &sqlx::any::AnyRow) -> Result<Outgoing, AppError> {
    let channel: String = row.try_get("channel")?;
    let recipient = row.try_get("recipient")?;
    let recipient_name = row.try_get("recipient_name")?;
    let sender_name = row.try_get("sender_name")?;
    let text = row.try_get("body_text")?;
    let purpose = row.try_get("purpose")?;
    Ok(if channel == "sms" {
        Outgoing::Sms(Sms {
            recipient,
            recipient_name,
            sender_name,
            text,
            purpose,
        })
    } else {
        Outgoing::Email(Email {
            recipient,
            recipient_name,
            sender_name,
            subject: row.try_get("subject")?,
            text,
            html: row.try_get("body_html")?,
            purpose,
        })
    })
}

pub async fn mark_sent(db: &Db, id: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1, \
         claimed_until = 0, last_error = '' WHERE id = $2",
    )
    .bind(now_ms())
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Records a failed attempt: the message waits longer before each new one, and is
/// given up after [`MAX_ATTEMPTS`].
pub async fn mark_failed(db: &Db, message: &Claimed, error: &str) -> Result<(), AppError> {
    let attempts = message.attempts + 1;
    let status = if attempts >= MAX_ATTEMPTS {
        "failed"
    } else {
        "pending"
    };
    sqlx::query(
        "UPDATE outbox SET status = $1, attempts = $2, next_attempt_at = $3, \
         claimed_until = 0, last_error = $4 WHERE id = $5",
    )
    .bind(status)
    .bind(attempts)
    .bind(now_ms() + retry_delay_ms(attempts))
    .bind(error)
    .bind(message.id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The wait after the `attempts`-th failure: 30 s, doubling, at most 4 hours.
pub fn retry_delay_ms(attempts: i64) -> i64 {
    const FIRST: i64 = 30_000;
    const LONGEST: i64 = 4 * 60 * 60 * 1000;
    let doublings = attempts.clamp(1, 20) - 1;
    (FIRST << doublings).min(LONGEST)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_from_thirty_seconds_up_to_four_hours() {
        assert_eq!(retry_delay_ms(1), 30_000);
        assert_eq!(retry_delay_ms(2), 60_000);
        assert_eq!(retry_delay_ms(5), 480_000);
        assert_eq!(retry_delay_ms(12), 4 * 60 * 60 * 1000);
        assert_eq!(retry_delay_ms(1_000), 4 * 60 * 60 * 1000);
    }
}
