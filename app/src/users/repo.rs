//! Users and memberships in the database.

use sqlx::{Any, AnyConnection, Executor, Row};

use crate::auth::repo::{user_from_row, UserRecord, USER_COLUMNS};
use crate::core::roles::{Role, RoleSet};
use crate::core::validate::normalize_email;
use crate::core::{NodeId, UserId, UserStatus};
use crate::db::RowUpdate;
use crate::db::{flag_value, now_ms, violates_unique, Tx};
use crate::error::AppError;

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub language: &'a str,
    pub branding_domain: Option<&'a str>,
    pub status: UserStatus,
    pub password_hash: Option<String>,
    pub must_change_password: bool,
}

pub async fn insert_user<'e>(
    db: impl Executor<'e, Database = Any>,
    user: &NewUser<'_>,
) -> Result<UserId, AppError> {
    let now = now_ms();
    let inserted = sqlx::query_scalar(
        "INSERT INTO users (email, email_normalized, name, language, branding_domain, status, \
         password_hash, must_change_password, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id",
    )
    .bind(user.email.trim())
    .bind(normalize_email(user.email))
    .bind(user.name.trim())
    .bind(user.language)
    .bind(user.branding_domain)
    .bind(user.status.key())
    .bind(user.password_hash.clone())
    .bind(flag_value(user.must_change_password))
    .bind(now)
    .fetch_one(db)
    .await;
    match inserted {
        Ok(id) => Ok(UserId(id)),
        Err(error) if violates_unique(&error, "users_email_unique", "users.email_normalized") => {
            Err(AppError::field("email", email_taken()))
        }
        Err(error) => Err(error.into()),
    }
}

pub fn email_taken() -> &'static str {
    crate::tr!(users.errors.email_taken)
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
        "INSERT INTO memberships (user_id, node_id, roles, holds_seat, version, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, 1, $5, $5) \
         ON CONFLICT (user_id, node_id) DO UPDATE SET roles = excluded.roles, \
         holds_seat = excluded.holds_seat, version = memberships.version + 1, \
         updated_at = excluded.updated_at",
    )
    .bind(user.0)
    .bind(node.0)
    .bind(roles.to_stored())
    .bind(flag_value(roles.holds_seat()))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A membership as the role editor changes it: its roles and version.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Membership {
    pub roles: RoleSet,
    /// 0 when the user holds no roles here.
    pub version: i64,
}

pub async fn membership_at<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
    node: NodeId,
) -> Result<Membership, AppError> {
    let row =
        sqlx::query("SELECT roles, version FROM memberships WHERE user_id = $1 AND node_id = $2")
            .bind(user.0)
            .bind(node.0)
            .fetch_optional(db)
            .await?;
    Ok(match row {
        Some(row) => Membership {
            roles: RoleSet::from_stored(&row.try_get::<String, _>("roles")?),
            version: row.try_get("version")?,
        },
        None => Membership::default(),
    })
}

/// Replaces `user`'s roles at `node` if their membership there is still at `version`
/// (0: none yet); no roles removes the membership. False when someone changed it first.
pub async fn replace_roles(
    conn: &mut AnyConnection,
    user: UserId,
    node: NodeId,
    roles: &RoleSet,
    version: i64,
) -> Result<bool, AppError> {
    let now = now_ms();
    let changed = match (version, roles.is_empty()) {
        (0, true) => return Ok(true),
        (0, false) => sqlx::query(
            "INSERT INTO memberships (user_id, node_id, roles, holds_seat, version, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, 1, $5, $5) ON CONFLICT (user_id, node_id) DO NOTHING",
        )
        .bind(user.0)
        .bind(node.0)
        .bind(roles.to_stored())
        .bind(flag_value(roles.holds_seat()))
        .bind(now),
        (_, true) => {
            sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND node_id = $2 AND version = $3")
                .bind(user.0)
                .bind(node.0)
                .bind(version)
        }
        (_, false) => {
            return RowUpdate::of("memberships")
                .set("roles", roles.to_stored())
                .set("holds_seat", flag_value(roles.holds_seat()))
                .of_row("user_id", user.0)
                .of_row("node_id", node.0)
                .if_at(version, &mut *conn)
                .await
        }
    }
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(changed == 1)
}

/// A client account's seat limit and the seats taken, read under a lock on the
/// account: concurrent invites into one account queue here, so none overfills it.
pub async fn lock_seats(tx: &mut Tx, client: NodeId) -> Result<Option<(i64, i64)>, AppError> {
    // An update that changes nothing still takes the row's write lock (PostgreSQL);
    // SQLite's write transactions are serialized already (db.rs).
    let limit: Option<i64> = sqlx::query_scalar(
        "UPDATE clients SET seat_limit = seat_limit WHERE node_id = $1 RETURNING seat_limit",
    )
    .bind(client.0)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(limit) = limit else {
        return Ok(None);
    };
    let used: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships WHERE node_id = $1 AND holds_seat = 1",
    )
    .bind(client.0)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Some((limit, used)))
}

/// One membership of a user at a node on the way from the root to some node.
#[derive(Clone, Debug)]
pub struct MemberAlongPath {
    pub user: UserRecord,
    pub node_id: NodeId,
    pub node_name: String,
    /// How far above the node the membership is held: 0 at the node itself.
    pub depth: i64,
    pub roles: RoleSet,
}

/// Everyone holding roles at `node` or above it, nearest memberships first.
pub async fn members_along_path<'e>(
    db: impl Executor<'e, Database = Any>,
    node: NodeId,
) -> Result<Vec<MemberAlongPath>, AppError> {
    let columns = USER_COLUMNS
        .split(", ")
        .map(|column| format!("u.{}", column.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = sqlx::query(&format!(
        "SELECT {columns}, m.node_id, m.roles, n.name AS node_name, p.depth \
         FROM node_paths p JOIN memberships m ON m.node_id = p.ancestor_id \
         JOIN users u ON u.id = m.user_id JOIN nodes n ON n.id = m.node_id \
         WHERE p.descendant_id = $1 ORDER BY p.depth, u.id"
    ))
    .bind(node.0)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(MemberAlongPath {
                user: user_from_row(row)?,
                node_id: NodeId(row.try_get("node_id")?),
                node_name: row.try_get("node_name")?,
                depth: row.try_get("depth")?,
                roles: RoleSet::from_stored(&row.try_get::<String, _>("roles")?),
            })
        })
        .collect()
}

/// Active users other than `except` holding `role` directly at `node`.
pub async fn others_holding<'e>(
    db: impl Executor<'e, Database = Any>,
    node: NodeId,
    role: Role,
    except: UserId,
) -> Result<i64, AppError> {
    let holders: Vec<String> = sqlx::query_scalar(
        "SELECT m.roles FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.node_id = $1 AND m.user_id <> $2 AND u.status = 'active'",
    )
    .bind(node.0)
    .bind(except.0)
    .fetch_all(db)
    .await?;
    Ok(holders
        .iter()
        .filter(|roles| RoleSet::from_stored(roles).contains(role))
        .count() as i64)
}

pub async fn set_status<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
    status: UserStatus,
) -> Result<(), AppError> {
    RowUpdate::of("users")
        .set("status", status.key())
        .of_row("id", user.0)
        .apply(db)
        .await
}

/// Makes a user who holds no roles anywhere any more into a new invitee: their row
/// (and its history) stays, their old password and links do not.
pub async fn reinvite<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
    invite: &NewUser<'_>,
) -> Result<(), AppError> {
    RowUpdate::of("users")
        .set("email", invite.email.trim())
        .set("name", invite.name.trim())
        .set("language", invite.language)
        .set("branding_domain", invite.branding_domain)
        .set("status", invite.status.key())
        .set("password_hash", &invite.password_hash)
        .set(
            "must_change_password",
            flag_value(invite.must_change_password),
        )
        .of_row("id", user.0)
        .apply(db)
        .await
}

/// Whether the user holds roles anywhere.
pub async fn has_memberships<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
) -> Result<bool, AppError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE user_id = $1")
        .bind(user.0)
        .fetch_one(db)
        .await?;
    Ok(count > 0)
}
