//! The audit log's tamper evidence: every event carries the SHA-256
//! of what it says and of the event before it, and the chain's head (its length and
//! last hash) is kept beside it. Editing, removing or reordering any event, the last
//! ones included, breaks the chain; [`verify`] walks it. The tables refuse updates and
//! deletes as well (migration 0008), so breaking it takes going around the database's
//! own rules.
//!
//! Events written before the chain existed have no hash: they are counted, and they
//! must all come before the first chained event.

use futures::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use crate::db::Db;
use crate::error::AppError;

/// What an event's hash covers: everything it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chained<'a> {
    pub occurred_at: i64,
    pub actor: Option<i64>,
    pub subject: Option<i64>,
    pub impersonation: Option<i64>,
    pub node: Option<i64>,
    pub action: &'a str,
    /// The details exactly as stored (JSON text).
    pub details: &'a str,
    pub address: &'a str,
    /// The record the event is about, as `kind:id` (a message), when it is one.
    pub record: Option<&'a str>,
}

/// The hash of an event following one hashed `previous`. Fields are written as
/// `[name, value]` pairs in a fixed order, absent ones left out: a field added later
/// leaves the hashes of events without it as they were.
pub fn event_hash(previous: &str, event: &Chained) -> String {
    let mut fields = vec![
        serde_json::json!(["previous", previous]),
        serde_json::json!(["occurred_at", event.occurred_at]),
    ];
    for (name, value) in [
        ("actor", event.actor),
        ("subject", event.subject),
        ("node", event.node),
        ("impersonation", event.impersonation),
    ] {
        if let Some(value) = value {
            fields.push(serde_json::json!([name, value]));
        }
    }
    fields.push(serde_json::json!(["action", event.action]));
    fields.push(serde_json::json!(["details", event.details]));
    fields.push(serde_json::json!(["address", event.address]));
    if let Some(record) = event.record {
        fields.push(serde_json::json!(["record", record]));
    }
    let canonical = serde_json::Value::Array(fields).to_string();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// Appends one event to the chain, in the caller's transaction. Taking the head's row
/// first puts concurrent appends in one order (a row lock on PostgreSQL; SQLite's
/// writers take turns anyway).
pub async fn append(conn: &mut AnyConnection, event: &Chained<'_>) -> Result<(), AppError> {
    let previous: String = sqlx::query_scalar(
        "UPDATE audit_chain_head SET events = events + 1 WHERE id = 1 RETURNING last_hash",
    )
    .fetch_one(&mut *conn)
    .await?;
    let hash = event_hash(&previous, event);
    sqlx::query(
        "INSERT INTO audit_events (occurred_at, actor_user_id, subject_user_id, node_id, \
         action, details, address, prev_hash, hash, impersonation_id, record) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(event.occurred_at)
    .bind(event.actor)
    .bind(event.subject)
    .bind(event.node)
    .bind(event.action)
    .bind(event.details)
    .bind(event.address)
    .bind(&previous)
    .bind(&hash)
    .bind(event.impersonation)
    .bind(event.record)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_chain_head SET last_hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// What walking the chain found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainReport {
    Intact {
        /// Events from before the chain existed, which it does not cover.
        unchained: i64,
        chained: i64,
        /// The last hash: written down elsewhere, it proves later that nothing up to
        /// here was rewritten.
        head: String,
    },
    Broken {
        /// The event where the chain breaks (0: at its end).
        event: i64,
        problem: String,
    },
}

/// Walks every event in order, recomputing each hash.
pub async fn verify(db: &Db) -> Result<ChainReport, AppError> {
    let mut rows = sqlx::query(
        "SELECT id, occurred_at, actor_user_id, subject_user_id, node_id, impersonation_id, \
         action, details, address, record, prev_hash, hash FROM audit_events ORDER BY id",
    )
    .fetch(db.pool());
    let (mut unchained, mut chained, mut running) = (0_i64, 0_i64, String::new());
    while let Some(row) = rows.try_next().await? {
        let id: i64 = row.try_get("id")?;
        let stored: String = row.try_get("hash")?;
        let broken = |problem: &str| ChainReport::Broken {
            event: id,
            problem: problem.to_string(),
        };
        if stored.is_empty() {
            if chained > 0 {
                return Ok(broken("it has no hash, yet comes after chained events"));
            }
            unchained += 1;
            continue;
        }
        let previous: String = row.try_get("prev_hash")?;
        if previous != running {
            return Ok(broken(
                "it does not follow the event before it: an event was removed or changed",
            ));
        }
        let (action, details, address): (String, String, String) = (
            row.try_get("action")?,
            row.try_get("details")?,
            row.try_get("address")?,
        );
        let record: Option<String> = row.try_get("record")?;
        let event = Chained {
            occurred_at: row.try_get("occurred_at")?,
            actor: row.try_get("actor_user_id")?,
            subject: row.try_get("subject_user_id")?,
            impersonation: row.try_get("impersonation_id")?,
            node: row.try_get("node_id")?,
            action: &action,
            details: &details,
            address: &address,
            record: record.as_deref(),
        };
        if event_hash(&previous, &event) != stored {
            return Ok(broken("what it says was changed after it was written"));
        }
        running = stored;
        chained += 1;
    }
    drop(rows);
    let head = sqlx::query("SELECT events, last_hash FROM audit_chain_head WHERE id = 1")
        .fetch_one(db.pool())
        .await?;
    let (events, last_hash): (i64, String) = (head.try_get("events")?, head.try_get("last_hash")?);
    if events != chained || last_hash != running {
        return Ok(ChainReport::Broken {
            event: 0,
            problem: format!(
                "the chain should hold {events} events and holds {chained}: events at its end were removed"
            ),
        });
    }
    Ok(ChainReport::Intact {
        unchained,
        chained,
        head: running,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event<'a>(details: &'a str) -> Chained<'a> {
        Chained {
            occurred_at: 1_700_000_000_000,
            actor: Some(3),
            subject: None,
            impersonation: None,
            node: Some(7),
            action: "client.renamed",
            details,
            address: "198.51.100.4",
            record: None,
        }
    }

    #[test]
    fn each_hash_depends_on_the_event_and_on_the_one_before() {
        let first = event_hash("", &event("{}"));
        assert_eq!(first.len(), 64);
        assert_eq!(
            first,
            event_hash("", &event("{}")),
            "the same input, the same hash"
        );
        assert_ne!(first, event_hash("", &event("{\"a\":1}")));
        assert_ne!(first, event_hash(&first, &event("{}")));
        let moved = Chained {
            subject: Some(7),
            node: None,
            ..event("{}")
        };
        assert_ne!(
            first,
            event_hash("", &moved),
            "a value in another field differs"
        );
        let impersonated = Chained {
            impersonation: Some(1),
            ..event("{}")
        };
        assert_ne!(
            first,
            event_hash("", &impersonated),
            "acting through an impersonation is covered"
        );
        let about_a_message = Chained {
            record: Some("message:4"),
            ..event("{}")
        };
        assert_ne!(
            first,
            event_hash("", &about_a_message),
            "the record it is about is covered"
        );
    }
}
