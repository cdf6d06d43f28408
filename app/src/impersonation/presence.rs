//! Who is active in a client account right now. Kept in the database, so every server
//! process sharing it sees the same; each open page reports itself while it polls,
//! and a row is rewritten at most once every [`WRITE_EVERY_MS`].

use sqlx::Row;

use crate::auth::repo::presence_key;
use crate::core::roles::RoleSet;
use crate::core::{ImpersonationId, Mode, NodeId, UserId};
use crate::db::Db;
use crate::error::AppError;
use crate::impersonation::PresentPerson;

pub const WRITE_EVERY_MS: i64 = 10_000;
/// Seen within this long counts as being in the account.
pub const PRESENT_WITHIN_MS: i64 = 30_000;

/// Who is in an account: a user as themselves (no impersonation) or through one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Visitor {
    pub user: UserId,
    pub impersonation: Option<ImpersonationId>,
}

impl Visitor {
    fn key(self) -> i64 {
        presence_key(self.impersonation)
    }
}

/// Notes `visitor` as active in `account` now, unless noted in the last ten seconds.
/// Read first: most polls find a fresh row and write nothing (a write, even one that
/// changes no row, would take SQLite's write lock or PostgreSQL's row lock).
pub async fn touch(db: &Db, account: NodeId, visitor: Visitor, now: i64) -> Result<(), AppError> {
    let last_seen: Option<i64> = sqlx::query_scalar(
        "SELECT last_seen_at FROM presence \
         WHERE account_id = $1 AND user_id = $2 AND impersonation_id = $3",
    )
    .bind(account.0)
    .bind(visitor.user.0)
    .bind(visitor.key())
    .fetch_optional(db.pool())
    .await?;
    if last_seen.is_some_and(|seen| seen > now - WRITE_EVERY_MS) {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO presence (account_id, user_id, impersonation_id, last_seen_at) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (account_id, user_id, impersonation_id) \
         DO UPDATE SET last_seen_at = excluded.last_seen_at \
         WHERE presence.last_seen_at <= $5",
    )
    .bind(account.0)
    .bind(visitor.user.0)
    .bind(visitor.key())
    .bind(now)
    .bind(now - WRITE_EVERY_MS)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Everyone but `me` seen in `account` recently, most recent first.
pub async fn others(
    db: &Db,
    account: NodeId,
    me: Visitor,
    now: i64,
) -> Result<Vec<PresentPerson>, AppError> {
    let rows = sqlx::query(
        "SELECT p.user_id, p.impersonation_id, p.last_seen_at, u.name, m.roles, \
         i.mode, t.name AS target_name \
         FROM presence p JOIN users u ON u.id = p.user_id \
         LEFT JOIN memberships m ON m.user_id = p.user_id AND m.node_id = p.account_id \
         LEFT JOIN impersonations i ON i.id = p.impersonation_id \
         LEFT JOIN users t ON t.id = i.target_id \
         WHERE p.account_id = $1 AND p.last_seen_at > $2 \
         ORDER BY p.last_seen_at DESC",
    )
    .bind(account.0)
    .bind(now - PRESENT_WITHIN_MS)
    .fetch_all(db.pool())
    .await?;
    let mut people = Vec::new();
    for row in rows {
        let visitor = Visitor {
            user: UserId(row.try_get("user_id")?),
            impersonation: Some(row.try_get::<i64, _>("impersonation_id")?)
                .filter(|id| *id != 0)
                .map(ImpersonationId),
        };
        if visitor == me {
            continue;
        }
        let role = match visitor.impersonation {
            None => role_labels(&RoleSet::from_stored(
                &row.try_get::<Option<String>, _>("roles")?
                    .unwrap_or_default(),
            )),
            Some(_) => {
                let mode: Option<String> = row.try_get("mode")?;
                let target: Option<String> = row.try_get("target_name")?;
                match (mode.as_deref().and_then(Mode::from_key), target) {
                    (Some(Mode::Client), Some(target)) => {
                        crate::tr!(banner.presence_as_client, target = target)
                    }
                    _ => crate::tr!(banner.presence_as_partner).to_string(),
                }
            }
        };
        let last_seen: i64 = row.try_get("last_seen_at")?;
        people.push(PresentPerson {
            name: row.try_get("name")?,
            role,
            seen_seconds_ago: ((now - last_seen) / 1000).max(0),
            impersonating: visitor.impersonation.is_some(),
        });
    }
    Ok(people)
}

fn role_labels(roles: &RoleSet) -> String {
    let labels: Vec<&str> = roles.roles().iter().map(|role| role.label()).collect();
    if labels.is_empty() {
        crate::tr!(banner.no_roles).to_string()
    } else {
        labels.join(", ")
    }
}
