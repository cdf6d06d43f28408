//! Tree storage: `nodes` plus the closure table `node_paths`, which answers subtree and
//! ancestor questions with one indexed lookup on both databases.

use sqlx::{Any, AnyConnection, Executor, Row};

use super::{Node, NodeId, NodeKind, SubtreeCounts};
use crate::db::now_ms;
use crate::error::AppError;

fn node_from_row(row: &sqlx::any::AnyRow) -> Result<Node, AppError> {
    let kind: String = row.try_get("kind")?;
    Ok(Node {
        id: NodeId(row.try_get("id")?),
        parent_id: row.try_get::<Option<i64>, _>("parent_id")?.map(NodeId),
        kind: NodeKind::from_key(&kind)
            .ok_or_else(|| AppError::internal(format!("unknown node kind {kind}")))?,
        name: row.try_get("name")?,
        version: row.try_get("version")?,
    })
}

/// Adds a node under `parent` (or a root, for the platform) with its closure rows.
pub async fn insert_node(
    conn: &mut AnyConnection,
    parent: Option<NodeId>,
    kind: NodeKind,
    name: &str,
) -> Result<NodeId, AppError> {
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO nodes (parent_id, kind, name, version, created_at, updated_at) \
         VALUES ($1, $2, $3, 1, $4, $4) RETURNING id",
    )
    .bind(parent.map(|p| p.0))
    .bind(kind.key())
    .bind(name)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO node_paths (ancestor_id, descendant_id, depth) \
         SELECT ancestor_id, $1, depth + 1 FROM node_paths WHERE descendant_id = $2 \
         UNION ALL SELECT $1, $1, 0",
    )
    .bind(id)
    .bind(parent.map(|p| p.0).unwrap_or(-1))
    .execute(&mut *conn)
    .await?;
    Ok(NodeId(id))
}

pub async fn get_node<'e>(
    db: impl Executor<'e, Database = Any>,
    id: NodeId,
) -> Result<Option<Node>, AppError> {
    sqlx::query("SELECT id, parent_id, kind, name, version FROM nodes WHERE id = $1")
        .bind(id.0)
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(node_from_row)
        .transpose()
}

pub async fn platform_node<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<Option<NodeId>, AppError> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM nodes WHERE kind = 'platform'")
        .fetch_optional(db)
        .await?;
    Ok(id.map(NodeId))
}

pub async fn find_child<'e>(
    db: impl Executor<'e, Database = Any>,
    parent: NodeId,
    kind: NodeKind,
    name: &str,
) -> Result<Option<NodeId>, AppError> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM nodes WHERE parent_id = $1 AND kind = $2 AND name = $3")
            .bind(parent.0)
            .bind(kind.key())
            .bind(name)
            .fetch_optional(db)
            .await?;
    Ok(id.map(NodeId))
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

/// Names of the node's ancestors from the top down, without the node itself.
pub async fn path_names<'e>(
    db: impl Executor<'e, Database = Any>,
    node: NodeId,
) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT n.name FROM node_paths p JOIN nodes n ON n.id = p.ancestor_id \
         WHERE p.descendant_id = $1 AND p.depth > 0 ORDER BY p.depth DESC",
    )
    .bind(node.0)
    .fetch_all(db)
    .await?)
}

/// Every node strictly below `node`.
pub async fn descendants<'e>(
    db: impl Executor<'e, Database = Any>,
    node: NodeId,
) -> Result<Vec<Node>, AppError> {
    sqlx::query(
        "SELECT n.id, n.parent_id, n.kind, n.name, n.version FROM node_paths p \
         JOIN nodes n ON n.id = p.descendant_id \
         WHERE p.ancestor_id = $1 AND p.depth > 0 ORDER BY p.depth, n.name",
    )
    .bind(node.0)
    .fetch_all(db)
    .await?
    .iter()
    .map(node_from_row)
    .collect()
}

pub async fn subtree_counts<'e>(
    db: impl Executor<'e, Database = Any>,
    node: NodeId,
) -> Result<SubtreeCounts, AppError> {
    let rows = sqlx::query(
        "SELECT n.kind, COUNT(*) AS how_many FROM node_paths p \
         JOIN nodes n ON n.id = p.descendant_id \
         WHERE p.ancestor_id = $1 AND p.depth > 0 GROUP BY n.kind",
    )
    .bind(node.0)
    .fetch_all(db)
    .await?;
    let mut counts = SubtreeCounts::default();
    for row in rows {
        let kind: String = row.try_get("kind")?;
        let how_many: i64 = row.try_get("how_many")?;
        match NodeKind::from_key(&kind) {
            Some(NodeKind::Partner) => counts.partners = how_many,
            Some(NodeKind::Group) => counts.groups = how_many,
            Some(NodeKind::Client) => counts.clients = how_many,
            _ => {}
        }
    }
    Ok(counts)
}

/// The platform root, created on first use.
pub async fn ensure_platform(conn: &mut AnyConnection) -> Result<NodeId, AppError> {
    match platform_node(&mut *conn).await? {
        Some(id) => Ok(id),
        None => insert_node(conn, None, NodeKind::Platform, "Switchboard").await,
    }
}

/// The child of `parent` with this kind and name, created if missing.
pub async fn ensure_child(
    conn: &mut AnyConnection,
    parent: NodeId,
    kind: NodeKind,
    name: &str,
) -> Result<NodeId, AppError> {
    match find_child(&mut *conn, parent, kind, name).await? {
        Some(id) => Ok(id),
        None => insert_node(conn, Some(parent), kind, name).await,
    }
}

/// Whether `node` lies in the subtree of `root` (a node is in its own subtree).
pub async fn is_within<'e>(
    db: impl Executor<'e, Database = Any>,
    node: NodeId,
    root: NodeId,
) -> Result<bool, AppError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT depth FROM node_paths WHERE ancestor_id = $1 AND descendant_id = $2",
    )
    .bind(root.0)
    .bind(node.0)
    .fetch_optional(db)
    .await?;
    Ok(found.is_some())
}

/// Re-hangs `node` and everything below it under `new_parent`, keeping the closure
/// table exact. The caller has checked that `new_parent` is not inside the subtree.
pub async fn move_subtree(
    conn: &mut AnyConnection,
    node: NodeId,
    new_parent: NodeId,
) -> Result<(), AppError> {
    // Forget every path from outside the subtree into it...
    sqlx::query(
        "DELETE FROM node_paths \
         WHERE descendant_id IN (SELECT descendant_id FROM node_paths WHERE ancestor_id = $1) \
         AND ancestor_id NOT IN (SELECT descendant_id FROM node_paths WHERE ancestor_id = $1)",
    )
    .bind(node.0)
    .execute(&mut *conn)
    .await?;
    // ...then join every ancestor of the new parent to every node of the subtree.
    sqlx::query(
        "INSERT INTO node_paths (ancestor_id, descendant_id, depth) \
         SELECT above.ancestor_id, below.descendant_id, above.depth + below.depth + 1 \
         FROM node_paths above CROSS JOIN node_paths below \
         WHERE above.descendant_id = $1 AND below.ancestor_id = $2",
    )
    .bind(new_parent.0)
    .bind(node.0)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE nodes SET parent_id = $1, updated_at = $2 WHERE id = $3")
        .bind(new_parent.0)
        .bind(now_ms())
        .bind(node.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
