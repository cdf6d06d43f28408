//! Storage of impersonations and support grants.

use sqlx::{Any, AnyConnection, Executor, Row};

use crate::core::roles::{Permission, Role, RoleSet};
use crate::core::NodeId;
use crate::core::{EndReason, ImpersonationId, Mode};
use crate::core::{UserId, UserStatus};
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImpersonationRecord {
    pub id: ImpersonationId,
    pub impersonator: UserId,
    pub target: Option<UserId>,
    pub account: NodeId,
    pub mode: Mode,
    pub reason: String,
    pub return_to: String,
    pub started_at: i64,
    pub expires_at: i64,
    pub ended_at: Option<i64>,
    pub end_reason: Option<EndReason>,
}

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

const COLUMNS: &str = "id, impersonator_id, target_id, account_id, mode, reason, return_to, \
     started_at, expires_at, ended_at, end_reason";

fn from_row(row: &sqlx::any::AnyRow) -> Result<ImpersonationRecord, AppError> {
    let mode: String = row.try_get("mode")?;
    let end_reason: Option<String> = row.try_get("end_reason")?;
    Ok(ImpersonationRecord {
        id: ImpersonationId(row.try_get("id")?),
        impersonator: UserId(row.try_get("impersonator_id")?),
        target: row.try_get::<Option<i64>, _>("target_id")?.map(UserId),
        account: NodeId(row.try_get("account_id")?),
        mode: Mode::from_key(&mode)
            .ok_or_else(|| AppError::internal(format!("unknown impersonation mode {mode}")))?,
        reason: row.try_get("reason")?,
        return_to: row.try_get("return_to")?,
        started_at: row.try_get("started_at")?,
        expires_at: row.try_get("expires_at")?,
        ended_at: row.try_get("ended_at")?,
        end_reason: end_reason.as_deref().and_then(EndReason::from_key),
    })
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

pub async fn find<'e>(
    db: impl Executor<'e, Database = Any>,
    id: ImpersonationId,
) -> Result<Option<ImpersonationRecord>, AppError> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM impersonations WHERE id = $1"
    ))
    .bind(id.0)
    .fetch_optional(db)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// The impersonations of `account`, newest first.
pub async fn of_account<'e>(
    db: impl Executor<'e, Database = Any>,
    account: NodeId,
    limit: i64,
) -> Result<Vec<ImpersonationRecord>, AppError> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM impersonations WHERE account_id = $1 \
         ORDER BY started_at DESC, id DESC LIMIT $2"
    ))
    .bind(account.0)
    .bind(limit)
    .fetch_all(db)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Ends the impersonation unless it already ended; whether this call ended it.
pub async fn end(
    conn: &mut AnyConnection,
    id: ImpersonationId,
    reason: EndReason,
    now: i64,
) -> Result<bool, AppError> {
    let ended = sqlx::query(
        "UPDATE impersonations SET ended_at = $1, end_reason = $2 \
         WHERE id = $3 AND ended_at IS NULL",
    )
    .bind(now)
    .bind(reason.key())
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM presence WHERE impersonation_id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(ended.rows_affected() == 1)
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

/// The support access `account` grants now, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantRecord {
    pub granted_by: String,
    pub expires_at: i64,
}

/// The SQL condition that support grant `g` still holds: the person who gave it still
/// may give it (active, and holding in the account a role with GrantSupportAccess).
/// Taking that role away from them, or disabling them, withdraws what they granted.
fn granter_still_may() -> String {
    let roles = Role::ALL
        .into_iter()
        .filter(|role| role.permissions().contains(Permission::GrantSupportAccess))
        .map(|role| format!("(',' || gm.roles || ',') LIKE '%,{},%'", role.key()))
        .collect::<Vec<_>>()
        .join(" OR ");
    format!(
        "EXISTS (SELECT 1 FROM memberships gm JOIN users gu ON gu.id = gm.user_id \
         WHERE gm.user_id = g.granted_by AND gm.node_id = g.account_id \
         AND gu.status = '{}' AND ({roles}))",
        UserStatus::Active.key()
    )
}

/// The live support grant of `account` that lasts longest, if any.
pub async fn live_grant<'e>(
    db: impl Executor<'e, Database = Any>,
    account: NodeId,
    now: i64,
) -> Result<Option<GrantRecord>, AppError> {
    let row = sqlx::query(&format!(
        "SELECT u.name, g.expires_at FROM support_grants g JOIN users u ON u.id = g.granted_by \
         WHERE g.account_id = $1 AND g.revoked_at IS NULL AND g.expires_at > $2 \
         AND {} ORDER BY g.expires_at DESC LIMIT 1",
        granter_still_may()
    ))
    .bind(account.0)
    .bind(now)
    .fetch_optional(db)
    .await?;
    row.map(|row| {
        Ok(GrantRecord {
            granted_by: row.try_get("name")?,
            expires_at: row.try_get("expires_at")?,
        })
    })
    .transpose()
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
