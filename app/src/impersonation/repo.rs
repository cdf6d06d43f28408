//! Storage of impersonations and support grants.

use sqlx::{Any, AnyConnection, Executor, Row};

use crate::auth::repo::{granter_still_may, ImpersonationRecord, IMPERSONATION_COLUMNS};
use crate::core::roles::RoleSet;
use crate::core::{ImpersonationId, Mode, NodeId, UserId, UserStatus};
use crate::error::AppError;

pub struct NewImpersonation<'a> {
    pub impersonator: UserId,
    pub target: Option<UserId>,
    pub account: NodeId,
    pub mode: Mode,
    pub reason: &'a str,
    pub return_to: &'a str,
    pub address: &'a str,
    pub started_at: i64,
    pub expires_at: i64,
}

pub async fn insert(
    conn: &mut AnyConnection,
    new: &NewImpersonation<'_>,
) -> Result<ImpersonationId, AppError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO impersonations (impersonator_id, target_id, account_id, mode, reason, \
         return_to, address, started_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(new.impersonator.0)
    .bind(new.target.map(|user| user.0))
    .bind(new.account.0)
    .bind(new.mode.key())
    .bind(new.reason)
    .bind(new.return_to)
    .bind(new.address)
    .bind(new.started_at)
    .bind(new.expires_at)
    .fetch_one(conn)
    .await?;
    Ok(ImpersonationId(id))
}

/// The impersonations of `account`, newest first.
pub async fn of_account<'e>(
    db: impl Executor<'e, Database = Any>,
    account: NodeId,
    limit: i64,
) -> Result<Vec<ImpersonationRecord>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {IMPERSONATION_COLUMNS} FROM impersonations WHERE account_id = $1 \
         ORDER BY started_at DESC, id DESC LIMIT $2"
    ))
    .bind(account.0)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// The active users whose every role is held at `account`: (id, name, email, roles).
pub async fn active_users_of_account_alone<'e>(
    db: impl Executor<'e, Database = Any>,
    account: NodeId,
) -> Result<Vec<(UserId, String, String, RoleSet)>, AppError> {
    sqlx::query(
        "SELECT u.id, u.name, u.email, m.roles FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.node_id = $1 AND u.status = $2 \
         AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.user_id = u.id AND o.node_id <> $1) \
         ORDER BY u.name",
    )
    .bind(account.0)
    .bind(UserStatus::Active.key())
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| {
        Ok((
            UserId(row.try_get("id")?),
            row.try_get("name")?,
            row.try_get("email")?,
            RoleSet::from_stored(&row.try_get::<String, _>("roles")?),
        ))
    })
    .collect()
}

/// What was changed through impersonation `id`, in order: (when, action, details).
pub async fn changes_through<'e>(
    db: impl Executor<'e, Database = Any>,
    id: ImpersonationId,
) -> Result<Vec<(i64, String, String)>, AppError> {
    sqlx::query(
        "SELECT occurred_at, action, details FROM audit_events \
         WHERE impersonation_id = $1 AND action NOT LIKE 'impersonation.%' ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(db)
    .await?
    .iter()
    .map(|row| {
        Ok((
            row.try_get("occurred_at")?,
            row.try_get("action")?,
            row.try_get("details")?,
        ))
    })
    .collect()
}

/// Withdraws every live grant of `account`; how many there were.
pub async fn revoke_grants(
    conn: &mut AnyConnection,
    account: NodeId,
    by: UserId,
    now: i64,
) -> Result<u64, AppError> {
    Ok(sqlx::query(
        "UPDATE support_grants SET revoked_at = $1, revoked_by = $2 \
         WHERE account_id = $3 AND revoked_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(by.0)
    .bind(account.0)
    .execute(conn)
    .await?
    .rows_affected())
}

pub async fn insert_grant(
    conn: &mut AnyConnection,
    account: NodeId,
    by: UserId,
    now: i64,
    expires_at: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO support_grants (account_id, granted_by, granted_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(account.0)
    .bind(by.0)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The accounts below `roots` that grant support access now, with their live grant's
/// end, by name.
pub async fn granting_accounts<'e>(
    db: impl Executor<'e, Database = Any>,
    roots: &[NodeId],
    now: i64,
) -> Result<Vec<(NodeId, String, i64)>, AppError> {
    if roots.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = (0..roots.len())
        .map(|n| format!("${}", n + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT n.id, n.name, MAX(g.expires_at) AS until FROM support_grants g \
         JOIN nodes n ON n.id = g.account_id \
         WHERE g.revoked_at IS NULL AND g.expires_at > $1 AND {} AND g.account_id IN \
         (SELECT descendant_id FROM node_paths WHERE ancestor_id IN ({placeholders})) \
         GROUP BY n.id, n.name ORDER BY n.name",
        granter_still_may()
    );
    let mut query = sqlx::query(&sql).bind(now);
    for root in roots {
        query = query.bind(root.0);
    }
    query
        .fetch_all(db)
        .await?
        .iter()
        .map(|row| {
            Ok((
                NodeId(row.try_get("id")?),
                row.try_get("name")?,
                row.try_get("until")?,
            ))
        })
        .collect()
}
