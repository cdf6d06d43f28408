//! The role editor: the roles a person holds at a node, changed by someone who may
//! grant them, never leaving an account without its last admin.

use serde_json::json;

use crate::audit_trail::{stale_conflict_about, Changed};
use crate::auth::actor::Actor;
use crate::auth::caller::Caller;
use crate::auth::repo::memberships_of;
use crate::core::roles::{grant_problem, Role, RoleSet};
use crate::core::{NodeId, NodeKind, UserId};
use crate::db::Tx;
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use crate::users::repo::{lock_seats, others_holding, replace_roles};
use crate::users::service::{managed_node, person_at, ManagedNode};
use crate::users::NodeSummary;

/// Parses the checked role keys; one not in the catalog is a field error.
pub(super) fn chosen_roles(errors: &mut FieldErrors, keys: &[String]) -> RoleSet {
    let mut roles = Vec::new();
    for key in keys {
        match Role::from_key(key) {
            Some(role) => roles.push(role),
            None => errors.add("roles", crate::tr!(users.errors.roles_from_list)),
        }
    }
    RoleSet::new(roles)
}

pub(super) fn check_changes(
    errors: &mut FieldErrors,
    node: &ManagedNode<'_>,
    before: &RoleSet,
    after: &RoleSet,
) {
    for role in before.changed(after) {
        if let Some(problem) = grant_problem(role, node.summary.kind, node.held()) {
            errors.add(
                "roles",
                crate::tr!(
                    users.errors.role_problem,
                    role = role.label(),
                    problem = problem
                ),
            );
            return;
        }
    }
}

/// Refuses to let the last active Account Admin of a partner drop that role themselves
/// (the partner would be left with nobody to run it), as an error on `field`.
pub(super) async fn keep_last_admin(
    tx: &mut Tx,
    actor: &Actor,
    node: &NodeSummary,
    user: UserId,
    (before, after): (&RoleSet, &RoleSet),
    field: &str,
) -> Result<(), AppError> {
    let drops_admin = before.contains(Role::AccountAdmin) && !after.contains(Role::AccountAdmin);
    if user == actor.user().id
        && node.kind == NodeKind::Partner
        && drops_admin
        && others_holding(&mut **tx, node.id, Role::AccountAdmin, user).await? == 0
    {
        return Err(AppError::field(
            field,
            crate::tr!(users.errors.last_admin, node = node.name.clone()),
        ));
    }
    Ok(())
}

/// Refuses a new seat-holder when every seat of the account is taken.
pub(super) async fn claim_seat(tx: &mut Tx, node: &NodeSummary) -> Result<(), AppError> {
    if node.kind != NodeKind::Client {
        return Ok(());
    }
    let (limit, used) = lock_seats(tx, node.id).await?.ok_or(AppError::NotFound)?;
    if used >= limit {
        return Err(AppError::field(
            "roles",
            format!(
                "All {limit} seats of {} are taken. Raise its seat limit, remove someone, \
                 or choose roles without a voice line (Account Manager).",
                node.name
            ),
        ));
    }
    Ok(())
}

async fn holds_roles_elsewhere(
    state: &AppState,
    user: UserId,
    node: NodeId,
) -> Result<bool, AppError> {
    Ok(memberships_of(state.db.pool(), user)
        .await?
        .iter()
        .any(|membership| membership.node_id != node))
}

pub async fn set_roles(
    caller: &Caller,
    node: NodeId,
    user: UserId,
    role_keys: &[String],
    version: i64,
) -> Result<(), AppError> {
    let node = managed_node(caller, node).await?;
    let person = person_at(caller, &node, user).await?;
    let before = person.roles.clone();
    let mut errors = FieldErrors::default();
    let after = chosen_roles(&mut errors, role_keys);
    check_changes(&mut errors, &node, &before, &after);
    if node.summary.kind == NodeKind::Client
        && !after.is_empty()
        && holds_roles_elsewhere(&caller.state, user, node.summary.id).await?
    {
        // One address is one place: a client account's roles are for its own people,
        // never for partner staff whose access comes from above it.
        errors.add("roles", crate::tr!(users.errors.not_the_accounts_own));
    }
    errors.into_result()?;
    if before == after {
        return Ok(());
    }

    let mut tx = node.authorized.begin(caller).await?;
    keep_last_admin(
        &mut tx,
        &caller.actor,
        &node.summary,
        user,
        (&before, &after),
        "roles",
    )
    .await?;
    if after.holds_seat() && !before.holds_seat() {
        claim_seat(&mut tx, &node.summary).await?;
    }
    if !replace_roles(&mut tx, user, node.summary.id, &after, version).await? {
        drop(tx);
        return Err(
            stale_conflict_about(caller.db().pool(), node.summary.id, user, Changed::User).await,
        );
    }
    tx.commit_about(
        user,
        "user.roles_changed",
        json!({
            "before": { "roles": before.to_stored() },
            "after": { "roles": after.to_stored() },
        }),
    )
    .await?;
    Ok(())
}
