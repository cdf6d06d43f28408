//! The audit log viewer's reads: the events a viewer's checked filters select.

use sqlx::FromRow;

use super::service::Filters;
use crate::db::{contains_pattern, Db, Param, SqlBuilder};
use crate::error::AppError;

/// One event as the viewer reads it, with the people it names.
#[derive(Debug, FromRow)]
pub struct EventRow {
    pub id: i64,
    pub occurred_at: i64,
    pub node_id: Option<i64>,
    pub action: String,
    pub details: String,
    pub address: String,
    pub impersonation_id: Option<i64>,
    pub actor_name: Option<String>,
    pub actor_email: Option<String>,
    pub subject_name: Option<String>,
    pub subject_email: Option<String>,
    /// Whom the impersonation it happened through acted as.
    pub target_name: Option<String>,
    pub target_email: Option<String>,
}

/// Up to `limit` events matching `filters`, newest first.
pub async fn matching_events(
    db: &Db,
    filters: &Filters,
    limit: i64,
) -> Result<Vec<EventRow>, AppError> {
    let mut sql = SqlBuilder::new(
        "SELECT e.id, e.occurred_at, e.node_id, e.action, e.details, e.address, \
         e.impersonation_id, \
         a.name AS actor_name, a.email AS actor_email, \
         s.name AS subject_name, s.email AS subject_email, \
         t.name AS target_name, t.email AS target_email \
         FROM audit_events e \
         LEFT JOIN users a ON a.id = e.actor_user_id \
         LEFT JOIN users s ON s.id = e.subject_user_id \
         LEFT JOIN impersonations i ON i.id = e.impersonation_id \
         LEFT JOIN users t ON t.id = i.target_id \
         WHERE (e.node_id IN (SELECT descendant_id FROM node_paths WHERE ancestor_id IN (",
    );
    for (n, node) in filters.scope().iter().enumerate() {
        let placeholder = sql.bind(Param::Int(node.0));
        sql.push(if n == 0 { "" } else { ", " }).push(&placeholder);
    }
    sql.push("))");
    if filters.unplaced {
        sql.push(" OR e.node_id IS NULL");
    }
    sql.push(")");
    // People are found by part of their name or email: the actor among those who
    // acted, the subject among those acted on or acted as.
    for (typed, people) in [
        (&filters.actor, &["a"][..]),
        (&filters.subject, &["s", "t"][..]),
    ] {
        if !typed.is_empty() {
            let pattern = sql.bind(Param::Text(contains_pattern(typed)));
            let matches: Vec<String> = people
                .iter()
                .map(|table| {
                    format!(
                        "LOWER({table}.name) LIKE {pattern} ESCAPE '\\' \
                         OR LOWER({table}.email) LIKE {pattern} ESCAPE '\\'"
                    )
                })
                .collect();
            sql.push(&format!(" AND ({})", matches.join(" OR ")));
        }
    }
    if !filters.action.is_empty() {
        let action = sql.bind(Param::Text(filters.action.clone()));
        sql.push(&format!(" AND e.action = {action}"));
    }
    for (value, condition) in [
        (filters.from_ms, "e.occurred_at >="),
        (filters.until_ms, "e.occurred_at <"),
        (filters.impersonation, "e.impersonation_id ="),
        (filters.before, "e.id <"),
    ] {
        if let Some(value) = value {
            let placeholder = sql.bind(Param::Int(value));
            sql.push(&format!(" AND {condition} {placeholder}"));
        }
    }
    let limit = sql.bind(Param::Int(limit));
    sql.push(&format!(" ORDER BY e.id DESC LIMIT {limit}"));
    let rows = sql.query().fetch_all(db.pool()).await?;
    Ok(rows
        .iter()
        .map(EventRow::from_row)
        .collect::<Result<_, _>>()?)
}

/// Every action the log holds, for the viewer's filter.
pub async fn actions(db: &Db) -> Result<Vec<String>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT DISTINCT action FROM audit_events ORDER BY action")
            .fetch_all(db.pool())
            .await?,
    )
}
