//! Groups and sub-groups of a partner: listing the tree, and creating, renaming, moving
//! and deleting groups. Each function authorizes first, changes inside one transaction
//! with its audit event, and refuses stale versions with a Conflict.

use std::collections::HashSet;

use serde_json::json;

use super::repo::{
    bump_version, child_tree_nodes, delete_node, dependents, groups_below, insert_node, is_within,
    move_subtree, partner_of, path_names, rename_node, sibling_has_name, tree_node,
};
use crate::audit_trail::{stale_conflict, Changed};
use crate::auth::authorized::Authorized;
use crate::auth::caller::Caller;
use crate::auth::repo::MembershipRecord;
use crate::core::roles::Permission;
use crate::core::words::list;
use crate::core::{NodeId, NodeKind};
use crate::db::Db;
use crate::error::AppError;
use crate::tenancy::{group_name_problem, GroupView, MoveTarget, TreeNode, TreeSnapshot};

/// The highest nodes the actor may view: where the tree starts for them, as the
/// memberships that grant it (which carry the node's name).
pub async fn root_memberships(caller: &Caller) -> Result<Vec<&MembershipRecord>, AppError> {
    let viewable: Vec<&MembershipRecord> = caller.actor.holding(Permission::ViewNodes).collect();
    let mut roots = Vec::new();
    for &membership in &viewable {
        let mut covered = false;
        for &other in &viewable {
            if other.node_id != membership.node_id
                && is_within(caller.db().pool(), membership.node_id, other.node_id).await?
            {
                covered = true;
                break;
            }
        }
        if !covered {
            roots.push(membership);
        }
    }
    Ok(roots)
}

/// The highest nodes the actor may view, with their counts, as the tree shows them.
pub async fn tree_roots(caller: &Caller) -> Result<Vec<TreeNode>, AppError> {
    let mut roots = Vec::new();
    for membership in root_memberships(caller).await? {
        if let Some(root) = tree_node(caller.db().pool(), membership.node_id).await? {
            roots.push(root);
        }
    }
    Ok(roots)
}

/// The roots and the children of every open node: roots are open unless `closed`
/// says otherwise, other nodes when `open` names them. Nodes the actor may not see,
/// or that no longer exist, are left out rather than failing the whole tree.
/// The most nodes a tree request may name as open (or as closed): far more than a
/// person opens, few enough that a request stays cheap.
pub const MAX_TREE_IDS: usize = 500;

pub async fn tree_snapshot(
    caller: &Caller,
    open: &[NodeId],
    closed: &[NodeId],
) -> Result<TreeSnapshot, AppError> {
    if open.len() > MAX_TREE_IDS || closed.len() > MAX_TREE_IDS {
        return Err(AppError::field(
            "open",
            crate::tr!(groups.errors.open_at_most, count = MAX_TREE_IDS),
        ));
    }
    let roots = tree_roots(caller).await?;
    let closed: HashSet<NodeId> = closed.iter().copied().collect();
    let mut seen = HashSet::new();
    let expand: Vec<NodeId> = roots
        .iter()
        .map(|root| root.id)
        .chain(open.iter().copied())
        .filter(|id| !closed.contains(id) && seen.insert(*id))
        .collect();
    let mut snapshot = TreeSnapshot {
        roots,
        children: Vec::new(),
    };
    for node in expand {
        match children(caller, node).await {
            Ok(list) => snapshot.children.push((node, list)),
            Err(AppError::NotFound | AppError::Forbidden(_)) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(snapshot)
}

/// The partners and groups directly below `parent`.
pub async fn children(caller: &Caller, parent: NodeId) -> Result<Vec<TreeNode>, AppError> {
    caller
        .actor
        .require(caller.db(), Permission::ViewNodes, parent)
        .await?;
    child_tree_nodes(caller.db().pool(), parent).await
}

/// One partner or group, for its detail panel.
pub async fn group(caller: &Caller, node: NodeId) -> Result<TreeNode, AppError> {
    caller
        .actor
        .require(caller.db(), Permission::ViewNodes, node)
        .await?;
    tree_node(caller.db().pool(), node)
        .await?
        .filter(|n| n.kind != NodeKind::Client)
        .ok_or(AppError::NotFound)
}

/// One partner or group with its path and whether the actor may change it.
pub async fn group_view(caller: &Caller, node: NodeId) -> Result<GroupView, AppError> {
    let found = group(caller, node).await?;
    let can_manage = caller
        .actor
        .permissions_at(caller.db(), node)
        .await?
        .contains(Permission::ManageNodes);
    let move_targets = if can_manage && found.kind == NodeKind::Group {
        move_targets(caller, node).await?
    } else {
        Vec::new()
    };
    Ok(GroupView {
        can_manage,
        path: path_names(caller.db().pool(), node).await?,
        node: found,
        move_targets,
    })
}

/// Where `node` may move: the partner and its groups outside the node's own subtree
/// and other than its current parent, each with its path below the partner.
pub async fn move_targets(caller: &Caller, node: NodeId) -> Result<Vec<MoveTarget>, AppError> {
    let (group, _) = managed_group(caller, node).await?;
    let partner = partner_of(caller.db().pool(), node)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut own_subtree: Vec<NodeId> = groups_below(caller.db().pool(), node)
        .await?
        .iter()
        .map(|below| below.id)
        .collect();
    own_subtree.push(node);
    own_subtree.extend(group.parent_id);
    let mut targets = group_choices(caller.db(), &[partner]).await?;
    targets.retain(|target| !own_subtree.contains(&target.id));
    Ok(targets)
}

/// Each root and the partners and groups below it, labelled with their path from the
/// root ("Northwind › East › Boston"), sorted by label.
pub async fn group_choices(db: &Db, roots: &[NodeId]) -> Result<Vec<MoveTarget>, AppError> {
    let mut choices = Vec::new();
    for &root in roots {
        let Some(root_node) = tree_node(db.pool(), root).await? else {
            continue;
        };
        let mut labels = std::collections::HashMap::from([(root, root_node.name.clone())]);
        choices.push(MoveTarget {
            id: root,
            label: root_node.name,
        });
        for below in groups_below(db.pool(), root).await? {
            let parent_label = below
                .parent_id
                .and_then(|parent| labels.get(&parent).cloned())
                .unwrap_or_default();
            let label = format!("{parent_label} › {}", below.name);
            labels.insert(below.id, label.clone());
            choices.push(MoveTarget {
                id: below.id,
                label,
            });
        }
    }
    choices.sort_by_key(|choice| choice.label.to_lowercase());
    Ok(choices)
}

fn valid_name(name: &str) -> Result<String, AppError> {
    match group_name_problem(name) {
        Some(problem) => Err(AppError::field("name", problem)),
        None => Ok(name.trim().to_string()),
    }
}

async fn refuse_duplicate_name(
    db: &Db,
    parent: NodeId,
    name: &str,
    except: Option<NodeId>,
) -> Result<(), AppError> {
    if sibling_has_name(db.pool(), parent, name, except).await? {
        Err(AppError::field(
            "name",
            crate::tr!(groups.errors.name_taken),
        ))
    } else {
        Ok(())
    }
}

/// A group the actor may manage: partners and the platform are managed elsewhere.
async fn managed_group<'a>(
    caller: &'a Caller,
    node: NodeId,
) -> Result<(TreeNode, Authorized<'a>), AppError> {
    let authorized = caller
        .actor
        .require(caller.db(), Permission::ManageNodes, node)
        .await?;
    match tree_node(caller.db().pool(), node).await? {
        Some(group) if group.kind == NodeKind::Group => Ok((group, authorized)),
        Some(_) => Err(AppError::forbidden(crate::tr!(groups.errors.only_groups))),
        None => Err(AppError::NotFound),
    }
}

async fn stale(db: &Db, node: NodeId) -> AppError {
    stale_conflict(db.pool(), node, Changed::Group).await
}

pub async fn create_group(
    caller: &Caller,
    parent: NodeId,
    name: &str,
) -> Result<TreeNode, AppError> {
    let authorized = caller
        .actor
        .require(caller.db(), Permission::ManageNodes, parent)
        .await?;
    let name = valid_name(name)?;
    let parent_node = tree_node(caller.db().pool(), parent)
        .await?
        .ok_or(AppError::NotFound)?;
    if !matches!(parent_node.kind, NodeKind::Partner | NodeKind::Group) {
        return Err(AppError::forbidden(crate::tr!(groups.errors.belongs_under)));
    }
    refuse_duplicate_name(caller.db(), parent, &name, None).await?;

    let mut tx = authorized.begin(caller).await?;
    let id = insert_node(&mut tx, Some(parent), NodeKind::Group, &name).await?;
    tx.created(id)
        .commit(
            "group.created",
            json!({ "after": { "name": name, "parent": parent.0 } }),
        )
        .await?;
    tree_node(caller.db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn rename_group(
    caller: &Caller,
    node: NodeId,
    name: &str,
    version: i64,
) -> Result<TreeNode, AppError> {
    let (group, authorized) = managed_group(caller, node).await?;
    let name = valid_name(name)?;
    if let Some(parent) = group.parent_id {
        refuse_duplicate_name(caller.db(), parent, &name, Some(node)).await?;
    }
    let mut tx = authorized.begin(caller).await?;
    if !rename_node(&mut **tx, node, &name, version).await? {
        drop(tx);
        return Err(stale(caller.db(), node).await);
    }
    tx.commit(
        "group.renamed",
        json!({ "before": { "name": group.name }, "after": { "name": name } }),
    )
    .await?;
    tree_node(caller.db().pool(), node)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn move_group(
    caller: &Caller,
    node: NodeId,
    new_parent: NodeId,
    version: i64,
) -> Result<TreeNode, AppError> {
    let (group, authorized) = managed_group(caller, node).await?;
    caller
        .actor
        .require(caller.db(), Permission::ManageNodes, new_parent)
        .await?;
    let target = tree_node(caller.db().pool(), new_parent)
        .await?
        .ok_or(AppError::NotFound)?;
    if !matches!(target.kind, NodeKind::Partner | NodeKind::Group) {
        return Err(AppError::field(
            "new_parent",
            crate::tr!(groups.errors.move_target),
        ));
    }
    if is_within(caller.db().pool(), new_parent, node).await? {
        return Err(AppError::field(
            "new_parent",
            crate::tr!(groups.errors.into_itself),
        ));
    }
    if partner_of(caller.db().pool(), new_parent).await?
        != partner_of(caller.db().pool(), node).await?
    {
        return Err(AppError::field(
            "new_parent",
            crate::tr!(groups.errors.within_partner),
        ));
    }
    refuse_duplicate_name(caller.db(), new_parent, &group.name, Some(node)).await?;

    let mut tx = authorized.begin(caller).await?;
    if !bump_version(&mut **tx, node, version).await? {
        drop(tx);
        return Err(stale(caller.db(), node).await);
    }
    move_subtree(&mut tx, node, new_parent).await?;
    tx.commit(
        "group.moved",
        json!({
            "before": { "parent": group.parent_id.map(|p| p.0) },
            "after": { "parent": new_parent.0 },
        }),
    )
    .await?;
    tree_node(caller.db().pool(), node)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn delete_group(caller: &Caller, node: NodeId, version: i64) -> Result<(), AppError> {
    let (group, authorized) = managed_group(caller, node).await?;
    let mut tx = authorized.begin(caller).await?;
    let (groups, clients, members) = dependents(&mut **tx, node).await?;
    if let Some(reason) = deletion_refusal(groups, clients, members) {
        return Err(AppError::Conflict(reason));
    }
    if !delete_node(&mut tx, node, version).await? {
        drop(tx);
        return Err(stale(caller.db(), node).await);
    }
    tx.commit(
        "group.deleted",
        json!({ "before": { "name": group.name, "parent": group.parent_id.map(|p| p.0) } }),
    )
    .await?;
    Ok(())
}

/// Why a group with these dependents cannot be deleted, if it cannot.
pub fn deletion_refusal(groups: i64, clients: i64, members: i64) -> Option<String> {
    let mut holds = Vec::new();
    if groups > 0 {
        holds.push(crate::tr!(groups.errors.holds.sub_groups, count = groups));
    }
    if clients > 0 {
        holds.push(crate::tr!(groups.errors.holds.clients, count = clients));
    }
    if members > 0 {
        holds.push(crate::tr!(groups.errors.holds.members, count = members));
    }
    (!holds.is_empty()).then(|| crate::tr!(groups.errors.still_holds, what = list(&holds)))
}

#[cfg(test)]
mod tests {
    use super::deletion_refusal;

    #[test]
    fn deletion_refusals_say_what_is_still_there() {
        assert_eq!(deletion_refusal(0, 0, 0), None);
        assert_eq!(
            deletion_refusal(1, 3, 0).unwrap(),
            "This group still holds 1 sub-group and 3 client accounts. Move or remove them first: nothing is deleted along with a group."
        );
        assert!(deletion_refusal(0, 0, 2)
            .unwrap()
            .contains("2 users with access"));
        let french = crate::core::words::in_language(crate::core::Language::French, || {
            deletion_refusal(2, 1, 3).unwrap()
        });
        assert!(
            french.starts_with("Ce groupe contient encore 2 sous-groupes, 1 compte client et 3 utilisateurs ayant accès."),
            "{french}"
        );
    }
}
