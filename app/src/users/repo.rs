//! Users and memberships in the database.

use sqlx::{Any, AnyConnection, Executor, Row};

use super::{normalize_email, UserId, UserStatus};
use crate::auth::roles::RoleSet;
use crate::db::{flag, flag_value, now_ms, violates};
use crate::error::AppError;
use crate::tenancy::{NodeId, NodeKind};

/// A user as stored, including the password hash: server-only, never serialized.
#[derive(Clone, Debug)]
pub struct UserRecord {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub status: UserStatus,
    pub password_hash: Option<String>,
    pub must_change_password: bool,
    pub version: i64,
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub language: &'a str,
    pub status: UserStatus,
    pub password_hash: Option<String>,
    pub must_change_password: bool,
}

/// A user's roles at one node, with what the UI needs to show the node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MembershipRecord {
    pub node_id: NodeId,
    pub node_name: String,
    pub node_kind: NodeKind,
    pub roles: RoleSet,
}

const USER_COLUMNS: &str = "id, email, name, status, password_hash, must_change_password, version";

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<UserRecord, AppError> {
    let status: String = row.try_get("status")?;
    Ok(UserRecord {
        id: UserId(row.try_get("id")?),
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        status: UserStatus::from_key(&status)
            .ok_or_else(|| AppError::internal(format!("unknown user status {status}")))?,
        password_hash: row.try_get("password_hash")?,
        must_change_password: flag(row.try_get("must_change_password")?),
        version: row.try_get("version")?,
    })
}

pub async fn insert_user<'e>(
    db: impl Executor<'e, Database = Any>,
    user: NewUser<'_>,
) -> Result<UserId, AppError> {
    let now = now_ms();
    let inserted = sqlx::query_scalar(
        "INSERT INTO users (email, email_normalized, name, language, status, password_hash, \
         must_change_password, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING id",
    )
    .bind(user.email.trim())
    .bind(normalize_email(user.email))
    .bind(user.name.trim())
    .bind(user.language)
    .bind(user.status.key())
    .bind(user.password_hash)
    .bind(flag_value(user.must_change_password))
    .bind(now)
    .fetch_one(db)
    .await;
    match inserted {
        Ok(id) => Ok(UserId(id)),
        Err(error) if violates(&error, "users_email_unique") || is_unique_email_error(&error) => {
            Err(AppError::field(
                "email",
                "That email address already belongs to a user.",
            ))
        }
        Err(error) => Err(error.into()),
    }
}

/// SQLite names the column rather than the constraint in its message.
fn is_unique_email_error(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.message().contains("users.email_normalized"))
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
    sqlx::query(
        "UPDATE users SET password_hash = $1, must_change_password = $2, \
         version = version + 1, updated_at = $3 WHERE id = $4",
    )
    .bind(password_hash)
    .bind(flag_value(must_change))
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

/// Gives `user` exactly `roles` at `node`, creating the membership if needed.
pub async fn set_membership(
    conn: &mut AnyConnection,
    user: UserId,
    node: NodeId,
    roles: &RoleSet,
) -> Result<(), AppError> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO memberships (user_id, node_id, roles, version, created_at, updated_at) \
         VALUES ($1, $2, $3, 1, $4, $4) \
         ON CONFLICT (user_id, node_id) DO UPDATE SET roles = excluded.roles, \
         version = memberships.version + 1, updated_at = excluded.updated_at",
    )
    .bind(user.0)
    .bind(node.0)
    .bind(roles.to_stored())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn memberships_of<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
) -> Result<Vec<MembershipRecord>, AppError> {
    let rows = sqlx::query(
        "SELECT m.node_id, m.roles, n.name, n.kind FROM memberships m \
         JOIN nodes n ON n.id = m.node_id WHERE m.user_id = $1 ORDER BY n.id",
    )
    .bind(user.0)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            Ok(MembershipRecord {
                node_id: NodeId(row.try_get("node_id")?),
                node_name: row.try_get("name")?,
                node_kind: NodeKind::from_key(&kind)
                    .ok_or_else(|| AppError::internal(format!("unknown node kind {kind}")))?,
                roles: RoleSet::from_stored(&row.try_get::<String, _>("roles")?),
            })
        })
        .collect()
}
