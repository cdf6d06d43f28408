//! What authentication and the actor read and write: people and their memberships,
//! the accounts' suspension, verification policy and SSO token, the tree's ancestor
//! paths, and the impersonations and support grants a session acts through.

pub mod codes;
pub mod sessions;
pub mod tokens;

use sqlx::{Any, AnyConnection, Executor, Row};

use crate::core::roles::{Permission, Role, RoleSet};
use crate::core::validate::normalize_email;
use crate::core::{
    ClientStatus, EndReason, ImpersonationId, Mode, NodeId, NodeKind, UserId, UserStatus,
    VerificationPolicy,
};
use crate::db::RowUpdate;
use crate::db::{flag, flag_value, now_ms};
use crate::error::AppError;

pub const USER_COLUMNS: &str = "id, email, name, status, password_hash, must_change_password, \
     language, branding_domain, phone, email_verified_at, phone_verified_at, last_sign_in_at, \
     version";

/// A user as stored, including the password hash: server-only, never serialized.
#[derive(Clone, Debug)]
pub struct UserRecord {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub status: UserStatus,
    pub password_hash: Option<String>,
    pub must_change_password: bool,
    pub language: String,
    /// The branding domain chosen for their emails and links, if one was.
    pub branding_domain: Option<String>,
    /// Their mobile number in international form, once verified; '' before.
    pub phone: String,
    /// They proved their address (a code, or a mailed link followed).
    pub email_verified: bool,
    /// They proved `phone` with a texted code.
    pub phone_verified: bool,
    pub last_sign_in_at: Option<i64>,
    pub version: i64,
}

/// A user's roles at one node, with what the UI needs to show the node.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MembershipRecord {
    pub node_id: NodeId,
    #[sqlx(rename = "name")]
    pub node_name: String,
    #[sqlx(rename = "kind")]
    pub node_kind: NodeKind,
    pub roles: RoleSet,
}

pub fn user_from_row(row: &sqlx::any::AnyRow) -> Result<UserRecord, AppError> {
    let status: String = row.try_get("status")?;
    Ok(UserRecord {
        id: UserId(row.try_get("id")?),
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        status: UserStatus::from_key(&status)
            .ok_or_else(|| AppError::internal(format!("unknown user status {status}")))?,
        password_hash: row.try_get("password_hash")?,
        must_change_password: flag(row.try_get("must_change_password")?),
        language: row.try_get("language")?,
        branding_domain: row.try_get("branding_domain")?,
        phone: row.try_get("phone")?,
        email_verified: row
            .try_get::<Option<i64>, _>("email_verified_at")?
            .is_some(),
        phone_verified: row
            .try_get::<Option<i64>, _>("phone_verified_at")?
            .is_some(),
        last_sign_in_at: row.try_get("last_sign_in_at")?,
        version: row.try_get("version")?,
    })
}

pub async fn find_by_email<'e>(
    db: impl Executor<'e, Database = Any>,
    email: &str,
) -> Result<Option<UserRecord>, AppError> {
    sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE email_normalized = $1"
    ))
    .bind(normalize_email(email))
    .fetch_optional(db)
    .await?
    .as_ref()
    .map(user_from_row)
    .transpose()
}

pub async fn find_by_id<'e>(
    db: impl Executor<'e, Database = Any>,
    id: UserId,
) -> Result<Option<UserRecord>, AppError> {
    sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
}

/// Replaces the password hash; `must_change` marks a temporary password.
pub async fn set_password<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
    password_hash: &str,
    must_change: bool,
) -> Result<(), AppError> {
    RowUpdate::of("users")
        .set("password_hash", password_hash)
        .set("must_change_password", flag_value(must_change))
        .of_row("id", user.0)
        .apply(db)
        .await
}

/// Sets `user`'s language to `code`.
pub async fn set_language<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
    code: &str,
) -> Result<(), AppError> {
    RowUpdate::of("users")
        .set("language", code)
        .of_row("id", user.0)
        .apply(db)
        .await
}

/// Records that `user` proved their address (a mailed link reached them there).
pub async fn mark_email_verified<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL",
    )
    .bind(now_ms())
    .bind(user.0)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn record_sign_in<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET last_sign_in_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(user.0)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn memberships_of<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
) -> Result<Vec<MembershipRecord>, AppError> {
    Ok(sqlx::query_as(
        "SELECT m.node_id, m.roles, n.name, n.kind FROM memberships m \
         JOIN nodes n ON n.id = m.node_id WHERE m.user_id = $1 ORDER BY n.id",
    )
    .bind(user.0)
    .fetch_all(db)
    .await?)
}

/// The node and its ancestors, nearest first; empty when the node does not exist.
pub async fn ancestors<'e>(
    db: impl Executor<'e, Database = Any>,
    node: NodeId,
) -> Result<Vec<NodeId>, AppError> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT ancestor_id FROM node_paths WHERE descendant_id = $1 ORDER BY depth",
    )
    .bind(node.0)
    .fetch_all(db)
    .await?;
    Ok(ids.into_iter().map(NodeId).collect())
}

/// Whether client account `id` is suspended: its people cannot sign in or be acted as.
pub async fn is_suspended<'e>(
    db: impl Executor<'e, Database = Any>,
    id: NodeId,
) -> Result<bool, AppError> {
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM clients WHERE node_id = $1")
            .bind(id.0)
            .fetch_optional(db)
            .await?;
    Ok(status.as_deref() == Some(ClientStatus::Suspended.key()))
}

pub fn verification_from(key: &str) -> Result<VerificationPolicy, AppError> {
    VerificationPolicy::from_key(key)
        .ok_or_else(|| AppError::internal(format!("unknown verification policy {key}")))
}

/// What the client accounts `accounts` ask of their Client Users, each once.
pub async fn verification_policies<'e>(
    db: impl Executor<'e, Database = Any> + Copy,
    accounts: &[NodeId],
) -> Result<Vec<VerificationPolicy>, AppError> {
    let mut policies = Vec::new();
    for account in accounts {
        let key: Option<String> =
            sqlx::query_scalar("SELECT verification FROM clients WHERE node_id = $1")
                .bind(account.0)
                .fetch_optional(db)
                .await?;
        if let Some(key) = key {
            policies.push(verification_from(&key)?);
        }
    }
    Ok(policies)
}

pub async fn sso_token<'e>(
    db: impl Executor<'e, Database = Any>,
    id: NodeId,
) -> Result<Option<String>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT sso_token FROM clients WHERE node_id = $1")
            .bind(id.0)
            .fetch_optional(db)
            .await?,
    )
}

pub const IMPERSONATION_COLUMNS: &str =
    "id, impersonator_id, target_id, account_id, mode, reason, return_to, \
     started_at, expires_at, ended_at, end_reason";

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ImpersonationRecord {
    pub id: ImpersonationId,
    #[sqlx(rename = "impersonator_id")]
    pub impersonator: UserId,
    #[sqlx(rename = "target_id")]
    pub target: Option<UserId>,
    #[sqlx(rename = "account_id")]
    pub account: NodeId,
    pub mode: Mode,
    pub reason: String,
    pub return_to: String,
    pub started_at: i64,
    pub expires_at: i64,
    pub ended_at: Option<i64>,
    pub end_reason: Option<EndReason>,
}

pub async fn find_impersonation<'e>(
    db: impl Executor<'e, Database = Any>,
    id: ImpersonationId,
) -> Result<Option<ImpersonationRecord>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {IMPERSONATION_COLUMNS} FROM impersonations WHERE id = $1"
    ))
    .bind(id.0)
    .fetch_optional(db)
    .await?)
}

/// Ends the impersonation unless it already ended; whether this call ended it.
pub async fn end_impersonation(
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

/// The support access `account` grants now, if any.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct GrantRecord {
    #[sqlx(rename = "name")]
    pub granted_by: String,
    pub expires_at: i64,
}

/// The SQL condition that support grant `g` still holds: the person who gave it still
/// may give it (active, and holding in the account a role with GrantSupportAccess).
/// Taking that role away from them, or disabling them, withdraws what they granted.
pub fn granter_still_may() -> String {
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
    Ok(sqlx::query_as(&format!(
        "SELECT u.name, g.expires_at FROM support_grants g JOIN users u ON u.id = g.granted_by \
         WHERE g.account_id = $1 AND g.revoked_at IS NULL AND g.expires_at > $2 \
         AND {} ORDER BY g.expires_at DESC LIMIT 1",
        granter_still_may()
    ))
    .bind(account.0)
    .bind(now)
    .fetch_optional(db)
    .await?)
}

/// The name of node `id`, if it exists.
pub async fn node_name<'e>(
    db: impl Executor<'e, Database = Any>,
    id: NodeId,
) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT name FROM nodes WHERE id = $1")
        .bind(id.0)
        .fetch_optional(db)
        .await?)
}

/// What kind of node `id` is, if it exists.
pub async fn node_kind<'e>(
    db: impl Executor<'e, Database = Any>,
    id: NodeId,
) -> Result<Option<NodeKind>, AppError> {
    Ok(sqlx::query_scalar("SELECT kind FROM nodes WHERE id = $1")
        .bind(id.0)
        .fetch_optional(db)
        .await?)
}

/// How the presence table names the impersonation a visitor acts through: its id, or
/// 0 for someone there as themselves.
pub fn presence_key(impersonation: Option<ImpersonationId>) -> i64 {
    impersonation.map_or(0, |id| id.0)
}

/// Forgets `user` as present anywhere through `impersonation` (signing out, stopping).
pub async fn leave_presence(
    conn: &mut AnyConnection,
    user: UserId,
    impersonation: Option<ImpersonationId>,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM presence WHERE user_id = $1 AND impersonation_id = $2")
        .bind(user.0)
        .bind(presence_key(impersonation))
        .execute(conn)
        .await?;
    Ok(())
}

/// Makes `user` active if they were invited and have not been active yet.
pub async fn activate_invited(conn: &mut AnyConnection, user: UserId) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET status = 'active' WHERE id = $1 AND status = 'invited'")
        .bind(user.0)
        .execute(conn)
        .await?;
    Ok(())
}
