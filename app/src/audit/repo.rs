//! Appends audit events, inside the transaction of the change they record.

use sqlx::{Any, Executor};

use crate::db::now_ms;
use crate::error::AppError;
use crate::tenancy::NodeId;
use crate::users::UserId;

pub struct AuditEvent<'a> {
    /// The real person acting.
    pub actor: Option<UserId>,
    /// Whom the event is about or whom the actor acted as, when not the actor.
    pub subject: Option<UserId>,
    pub node: Option<NodeId>,
    pub action: &'a str,
    pub details: serde_json::Value,
    pub address: &'a str,
}

impl<'a> AuditEvent<'a> {
    /// Something a user did to their own account (signing in, changing a password).
    pub fn about_self(
        user: UserId,
        action: &'a str,
        details: serde_json::Value,
        address: &'a str,
    ) -> Self {
        Self {
            actor: Some(user),
            subject: None,
            node: None,
            action,
            details,
            address,
        }
    }
}

pub async fn record<'e>(
    db: impl Executor<'e, Database = Any>,
    event: AuditEvent<'_>,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO audit_events (occurred_at, actor_user_id, subject_user_id, node_id, \
         action, details, address) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(now_ms())
    .bind(event.actor.map(|u| u.0))
    .bind(event.subject.map(|u| u.0))
    .bind(event.node.map(|n| n.0))
    .bind(event.action)
    .bind(event.details.to_string())
    .bind(event.address)
    .execute(db)
    .await?;
    Ok(())
}

/// Who made the latest recorded change at `node`, and what it was.
pub async fn last_change<'e>(
    db: impl Executor<'e, Database = Any>,
    node: NodeId,
) -> Result<Option<(String, String)>, AppError> {
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT u.name, e.action FROM audit_events e JOIN users u ON u.id = e.actor_user_id \
         WHERE e.node_id = $1 ORDER BY e.id DESC LIMIT 1",
    )
    .bind(node.0)
    .fetch_optional(db)
    .await?;
    row.map(|row| Ok((row.try_get("name")?, row.try_get("action")?)))
        .transpose()
}
