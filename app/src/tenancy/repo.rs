//! Tree storage: `nodes` plus the closure table `node_paths`, which answers subtree and
//! ancestor questions with one indexed lookup on both databases.

use sqlx::{Any, AnyConnection, Executor, Row};

use crate::core::{NodeId, NodeKind};
use crate::db::now_ms;
use crate::db::RowUpdate;
use crate::error::AppError;
use crate::tenancy::{Node, SubtreeCounts, TreeNode};

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
    if let Some(parent) = parent {
        add_to_counts_from(conn, parent, Weight::of_kind(kind), 1).await?;
    }
    Ok(NodeId(id))
}

/// What a node and its subtree add to the counts of the nodes above it.
#[derive(Clone, Copy, Debug)]
struct Weight {
    groups: i64,
    clients: i64,
}

impl Weight {
    fn of_kind(kind: NodeKind) -> Weight {
        Weight {
            groups: i64::from(kind == NodeKind::Group),
            clients: i64::from(kind == NodeKind::Client),
        }
    }

    async fn of_subtree(conn: &mut AnyConnection, node: NodeId) -> Result<Weight, AppError> {
        let row = sqlx::query("SELECT kind, groups_below, clients_below FROM nodes WHERE id = $1")
            .bind(node.0)
            .fetch_one(&mut *conn)
            .await?;
        let kind: String = row.try_get("kind")?;
        let own = NodeKind::from_key(&kind)
            .map(Weight::of_kind)
            .unwrap_or(Weight {
                groups: 0,
                clients: 0,
            });
        Ok(Weight {
            groups: own.groups + row.try_get::<i64, _>("groups_below")?,
            clients: own.clients + row.try_get::<i64, _>("clients_below")?,
        })
    }
}

/// Adds `sign` × `weight` to the counts of `node` and every node above it.
async fn add_to_counts_from(
    conn: &mut AnyConnection,
    node: NodeId,
    weight: Weight,
    sign: i64,
) -> Result<(), AppError> {
    if weight.groups == 0 && weight.clients == 0 {
        return Ok(());
    }
    sqlx::query(
        "UPDATE nodes SET groups_below = groups_below + $1, clients_below = clients_below + $2 \
         WHERE id IN (SELECT ancestor_id FROM node_paths WHERE descendant_id = $3)",
    )
    .bind(sign * weight.groups)
    .bind(sign * weight.clients)
    .bind(node.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
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

/// The partners and groups strictly below `node`, parents before children.
pub async fn groups_below<'e>(
    db: impl Executor<'e, Database = Any>,
    node: NodeId,
) -> Result<Vec<Node>, AppError> {
    sqlx::query(
        "SELECT n.id, n.parent_id, n.kind, n.name, n.version FROM node_paths p \
         JOIN nodes n ON n.id = p.descendant_id \
         WHERE p.ancestor_id = $1 AND p.depth > 0 AND n.kind <> 'client' ORDER BY p.depth, n.name",
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
    // Partners hang only from the platform root, so counting children finds them all.
    let row = sqlx::query(
        "SELECT n.groups_below, n.clients_below, \
         (SELECT COUNT(*) FROM nodes c WHERE c.parent_id = n.id AND c.kind = 'partner') AS partners \
         FROM nodes n WHERE n.id = $1",
    )
    .bind(node.0)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else {
        return Ok(SubtreeCounts::default());
    };
    Ok(SubtreeCounts {
        partners: row.try_get("partners")?,
        groups: row.try_get("groups_below")?,
        clients: row.try_get("clients_below")?,
    })
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
    let weight = Weight::of_subtree(conn, node).await?;
    let old_parent: Option<i64> = sqlx::query_scalar("SELECT parent_id FROM nodes WHERE id = $1")
        .bind(node.0)
        .fetch_one(&mut *conn)
        .await?;
    if let Some(old_parent) = old_parent {
        add_to_counts_from(conn, NodeId(old_parent), weight, -1).await?;
    }
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
    add_to_counts_from(conn, new_parent, weight, 1).await?;
    Ok(())
}

const TREE_NODE_COLUMNS: &str = "n.id, n.parent_id, n.kind, n.name, n.version, \
     (SELECT COUNT(*) FROM nodes c WHERE c.parent_id = n.id AND c.kind <> 'client') AS child_groups, \
     n.clients_below AS clients";

fn tree_node_from_row(row: &sqlx::any::AnyRow) -> Result<TreeNode, AppError> {
    let node = node_from_row(row)?;
    Ok(TreeNode {
        id: node.id,
        parent_id: node.parent_id,
        kind: node.kind,
        name: node.name,
        version: node.version,
        child_groups: row.try_get("child_groups")?,
        clients: row.try_get("clients")?,
    })
}

pub async fn tree_node<'e>(
    db: impl Executor<'e, Database = Any>,
    id: NodeId,
) -> Result<Option<TreeNode>, AppError> {
    sqlx::query(&format!(
        "SELECT {TREE_NODE_COLUMNS} FROM nodes n WHERE n.id = $1"
    ))
    .bind(id.0)
    .fetch_optional(db)
    .await?
    .as_ref()
    .map(tree_node_from_row)
    .transpose()
}

/// The partners and groups directly below `parent`, by name.
pub async fn child_tree_nodes<'e>(
    db: impl Executor<'e, Database = Any>,
    parent: NodeId,
) -> Result<Vec<TreeNode>, AppError> {
    sqlx::query(&format!(
        "SELECT {TREE_NODE_COLUMNS} FROM nodes n \
         WHERE n.parent_id = $1 AND n.kind <> 'client' ORDER BY lower(n.name), n.id"
    ))
    .bind(parent.0)
    .fetch_all(db)
    .await?
    .iter()
    .map(tree_node_from_row)
    .collect()
}

/// The partner a node belongs to (itself, for a partner).
pub async fn partner_of<'e>(
    db: impl Executor<'e, Database = Any>,
    node: NodeId,
) -> Result<Option<NodeId>, AppError> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT n.id FROM node_paths p JOIN nodes n ON n.id = p.ancestor_id \
         WHERE p.descendant_id = $1 AND n.kind = 'partner'",
    )
    .bind(node.0)
    .fetch_optional(db)
    .await?;
    Ok(id.map(NodeId))
}

/// Whether another child of `parent` already has this name, ignoring case.
pub async fn sibling_has_name<'e>(
    db: impl Executor<'e, Database = Any>,
    parent: NodeId,
    name: &str,
    except: Option<NodeId>,
) -> Result<bool, AppError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM nodes WHERE parent_id = $1 AND lower(name) = lower($2) AND id <> $3",
    )
    .bind(parent.0)
    .bind(name)
    .bind(except.map(|n| n.0).unwrap_or(-1))
    .fetch_optional(db)
    .await?;
    Ok(found.is_some())
}

/// Renames a node if it is still at `version`; false when it has changed since.
pub async fn rename_node<'e>(
    db: impl Executor<'e, Database = Any>,
    node: NodeId,
    name: &str,
    version: i64,
) -> Result<bool, AppError> {
    RowUpdate::of("nodes")
        .set("name", name)
        .of_row("id", node.0)
        .if_at(version, db)
        .await
}

/// Takes a version step for a change made elsewhere (a move); false when stale.
pub async fn bump_version<'e>(
    db: impl Executor<'e, Database = Any>,
    node: NodeId,
    version: i64,
) -> Result<bool, AppError> {
    RowUpdate::of("nodes")
        .of_row("id", node.0)
        .if_at(version, db)
        .await
}

/// What still hangs on a node: nodes below it and people with roles at it.
pub async fn dependents<'e>(
    db: impl Executor<'e, Database = Any>,
    node: NodeId,
) -> Result<(i64, i64, i64), AppError> {
    let row = sqlx::query(
        "SELECT \
         (SELECT COUNT(*) FROM nodes WHERE parent_id = $1 AND kind <> 'client') AS groups, \
         (SELECT COUNT(*) FROM nodes WHERE parent_id = $1 AND kind = 'client') AS clients, \
         (SELECT COUNT(*) FROM memberships WHERE node_id = $1) AS members",
    )
    .bind(node.0)
    .fetch_one(db)
    .await?;
    Ok((
        row.try_get("groups")?,
        row.try_get("clients")?,
        row.try_get("members")?,
    ))
}

/// Deletes a leaf node (its paths go with it) if it is still at `version`; false when
/// it has changed since.
pub async fn delete_node(
    conn: &mut AnyConnection,
    node: NodeId,
    version: i64,
) -> Result<bool, AppError> {
    let deleted =
        sqlx::query("DELETE FROM nodes WHERE id = $1 AND version = $2 RETURNING parent_id, kind")
            .bind(node.0)
            .bind(version)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(deleted) = deleted else {
        return Ok(false);
    };
    let parent: Option<i64> = deleted.try_get("parent_id")?;
    let kind: String = deleted.try_get("kind")?;
    if let (Some(parent), Some(kind)) = (parent, NodeKind::from_key(&kind)) {
        add_to_counts_from(conn, NodeId(parent), Weight::of_kind(kind), -1).await?;
    }
    Ok(true)
}
