//! What the users pages do, each function checking the actor's rights first: the
//! users of a node and one person there; the role editor (`role_editor`), invites
//! (`invites`) and the account actions (`account_actions`) build on it.

use crate::auth::actor::Actor;
use crate::auth::authorized::Authorized;
use crate::auth::caller::Caller;
use crate::auth::repo::{ancestors, find_by_id, memberships_of, UserRecord};
use crate::core::roles::{grant_problem, PermissionSet, Role, RoleSet};
use crate::core::time::ago;
use crate::core::{NodeId, NodeKind, UserId, UserStatus};
use crate::db::now_ms;
use crate::error::AppError;
use crate::tenancy::repo::get_node;
use crate::users::repo::{members_along_path, membership_at, MemberAlongPath};
use crate::users::{
    InheritedRoles, NodeSummary, NodeUser, NodeUsers, RoleChoice, Seats, UserAtNode, UserQuery,
};

pub(super) const MAX_NAME_LENGTH: usize = 100;

/// A node whose users the actor manages, with the node's path to the root (nearest
/// first) and the proof of what the actor holds there.
pub(super) struct ManagedNode<'a> {
    pub(super) summary: NodeSummary,
    pub(super) path: Vec<NodeId>,
    pub(super) authorized: Authorized<'a>,
}

impl ManagedNode<'_> {
    /// What the actor holds at the node.
    pub(super) fn held(&self) -> PermissionSet {
        self.authorized.permissions()
    }
}

pub(super) async fn managed_node<'a>(
    caller: &'a Caller,
    id: NodeId,
) -> Result<ManagedNode<'a>, AppError> {
    let path = ancestors(caller.db().pool(), id).await?;
    let authorized = caller.actor.at_along(id, &path)?;
    let held = authorized.permissions();
    let node = get_node(caller.db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !held.manages_users_at(node.kind) {
        return Err(AppError::forbidden(crate::tr!(users.errors.no_managing)));
    }
    Ok(ManagedNode {
        summary: NodeSummary {
            id,
            name: node.name,
            kind: node.kind,
        },
        path,
        authorized,
    })
}

/// The node named by a form's text field, as a managed node.
pub(super) async fn managed_node_of_form<'a>(
    caller: &'a Caller,
    node: &str,
) -> Result<ManagedNode<'a>, AppError> {
    let id = node
        .trim()
        .parse()
        .map(NodeId)
        .map_err(|_| AppError::NotFound)?;
    managed_node(caller, id).await
}

/// Everyone with access at the node, grouped by person; memberships above the node
/// are shown only where the actor can see the node that gives them.
fn people_at(
    node: &ManagedNode<'_>,
    actor: &Actor,
    members: Vec<MemberAlongPath>,
) -> Vec<NodeUser> {
    let visible = |member: &MemberAlongPath| {
        let from = node.path.get(member.depth as usize..).unwrap_or_default();
        actor.permissions_along(from) != PermissionSet::NONE
    };
    let now = now_ms();
    let mut people: Vec<NodeUser> = Vec::new();
    let mut index_of: std::collections::HashMap<UserId, usize> = Default::default();
    for member in members.into_iter().filter(|member| visible(member)) {
        let index = *index_of.entry(member.user.id).or_insert_with(|| {
            people.push(person(&member.user, now));
            people.len() - 1
        });
        if member.depth == 0 {
            people[index].roles = member.roles;
        } else {
            people[index].inherited.push(InheritedRoles {
                node: member.node_id,
                node_name: member.node_name,
                roles: member.roles,
            });
        }
    }
    people.sort_by_cached_key(|person| (person.name.to_lowercase(), person.id));
    people
}

pub(super) fn person(user: &UserRecord, now: i64) -> NodeUser {
    NodeUser {
        id: user.id,
        name: user.name.clone(),
        email: user.email.clone(),
        status: user.status,
        invite_pending: user.status == UserStatus::Invited
            || (user.must_change_password && user.last_sign_in_at.is_none()),
        last_sign_in: user.last_sign_in_at.map(|at| ago(now - at)),
        roles: RoleSet::default(),
        inherited: Vec::new(),
    }
}

pub(super) fn matches(person: &NodeUser, query: &UserQuery) -> bool {
    let search = query.search.trim().to_lowercase();
    let status_matches =
        UserStatus::from_key(&query.status).is_none_or(|status| person.status == status);
    status_matches
        && (search.is_empty()
            || person.name.to_lowercase().contains(&search)
            || person.email.to_lowercase().contains(&search))
}

pub(super) async fn seats_at(
    pool: &sqlx::AnyPool,
    node: &NodeSummary,
) -> Result<Option<Seats>, AppError> {
    if node.kind != NodeKind::Client {
        return Ok(None);
    }
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT c.seat_limit, (SELECT COUNT(*) FROM memberships m \
         WHERE m.node_id = c.node_id AND m.holds_seat = 1) FROM clients c WHERE c.node_id = $1",
    )
    .bind(node.id.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(limit, used)| Seats { used, limit }))
}

pub async fn node_users(
    caller: &Caller,
    node: NodeId,
    query: &UserQuery,
) -> Result<NodeUsers, AppError> {
    let node = managed_node(caller, node).await?;
    let people = people_at(
        &node,
        &caller.actor,
        members_along_path(caller.db().pool(), node.summary.id).await?,
    );
    let total = people.len();
    let seats = seats_at(caller.db().pool(), &node.summary).await?;
    let log_in_as = match node.summary.kind {
        NodeKind::Client => crate::impersonation::start_stop::acted_as_by(caller, node.summary.id)
            .await?
            .into_iter()
            .map(|target| target.id)
            .collect(),
        _ => Vec::new(),
    };
    Ok(NodeUsers {
        users: people
            .into_iter()
            .filter(|person| matches(person, query))
            .collect(),
        total,
        seats,
        log_in_as,
        node: node.summary,
    })
}

/// The user `user` as seen at a managed node: they must have access there.
pub(super) async fn person_at(
    caller: &Caller,
    node: &ManagedNode<'_>,
    user: UserId,
) -> Result<NodeUser, AppError> {
    people_at(
        node,
        &caller.actor,
        members_along_path(caller.db().pool(), node.summary.id).await?,
    )
    .into_iter()
    .find(|person| person.id == user)
    .ok_or(AppError::NotFound)
}

/// How much power over someone's whole account an action gives the actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Reach {
    /// Disabling, enabling, resending an invite: wherever the person holds roles, the
    /// actor manages users and holds every permission those roles give (the role
    /// editor's rule), so nobody acts on someone above them.
    Manage,
    /// A password the actor would know, so could sign in with: wherever the person
    /// holds roles, the actor also holds strictly more than those roles give (the
    /// impersonation rule), so nobody takes over an equal or someone above them.
    TakeOver,
}

/// Whether the actor may act on `user`'s whole account with `reach`; never on
/// their own (their own account menu is for that).
pub(super) async fn reaches_account(
    caller: &Caller,
    user: UserId,
    reach: Reach,
) -> Result<bool, AppError> {
    if user == caller.actor.user().id {
        return Ok(false);
    }
    for membership in memberships_of(caller.db().pool(), user).await? {
        let held = caller
            .actor
            .permissions_at(caller.db(), membership.node_id)
            .await?;
        let theirs = membership.roles.permissions().authority();
        let enough = match reach {
            Reach::Manage => held.covers(theirs),
            Reach::TakeOver => held.authority().exceeds(theirs),
        };
        if !held.manages_users_at(membership.node_kind) || !enough {
            return Ok(false);
        }
    }
    Ok(true)
}

pub(super) async fn require_account(
    caller: &Caller,
    user: UserId,
    reach: Reach,
) -> Result<(), AppError> {
    if reaches_account(caller, user, reach).await? {
        Ok(())
    } else if user == caller.actor.user().id {
        Err(AppError::forbidden(crate::tr!(users.errors.own_account)))
    } else if reach == Reach::TakeOver && reaches_account(caller, user, Reach::Manage).await? {
        Err(AppError::forbidden(super::password_needs_more_authority()))
    } else {
        Err(AppError::forbidden(crate::tr!(users.errors.more_authority)))
    }
}

pub(super) fn role_choices(node: &ManagedNode<'_>, person: Option<&NodeUser>) -> Vec<RoleChoice> {
    Role::ALL
        .into_iter()
        .map(|role| RoleChoice {
            role,
            held: person.is_some_and(|person| person.roles.contains(role)),
            inherited_from: person
                .map(|person| {
                    person
                        .inherited
                        .iter()
                        .filter(|inherited| inherited.roles.contains(role))
                        .map(|inherited| inherited.node_name.clone())
                        .collect()
                })
                .unwrap_or_default(),
            locked: grant_problem(role, node.summary.kind, node.held()).map(str::to_string),
        })
        .collect()
}

pub async fn user_at_node(
    caller: &Caller,
    node: NodeId,
    user: UserId,
) -> Result<UserAtNode, AppError> {
    let node = managed_node(caller, node).await?;
    let person = person_at(caller, &node, user).await?;
    let membership = membership_at(caller.db().pool(), user, node.summary.id).await?;
    let record = find_by_id(caller.db().pool(), user)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(UserAtNode {
        choices: role_choices(&node, Some(&person)),
        version: membership.version,
        can_manage_account: reaches_account(caller, user, Reach::Manage).await?,
        can_set_password: reaches_account(caller, user, Reach::TakeOver).await?,
        is_self: user == caller.actor.user().id,
        email_verified: record.email_verified,
        verified_phone: if record.phone_verified {
            record.phone
        } else {
            String::new()
        },
        user: person,
        node: node.summary,
    })
}
