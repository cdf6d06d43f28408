//! What may be done to a person's account as a whole: resend an invite, remove
//! their access here, disable or enable them, give them a generated password.

use serde_json::json;

use crate::auth::caller::Caller;
use crate::auth::links::kill_tokens;
use crate::auth::repo::{find_by_id, set_password, UserRecord};
use crate::auth::session::end_sessions;
use crate::core::roles::RoleSet;
use crate::core::{EndReason, Language, NodeId, UserId, UserStatus};
use crate::error::{AppError, FieldErrors};
use crate::password::generate_password;
use crate::tenancy::repo::partner_of;
use crate::users::invites::FirstAccessPlan;
use crate::users::repo::{has_memberships, membership_at, reinvite, replace_roles, set_status};
use crate::users::role_editor::{check_changes, keep_last_admin};
use crate::users::service::{managed_node, person_at, require_account, ManagedNode, Reach};
use crate::users::{NodeUser, PasswordChoice};

/// A user the actor may act on as a whole with `reach`, at a node where they have access.
async fn managed_account<'a>(
    caller: &'a Caller,
    node: NodeId,
    user: UserId,
    reach: Reach,
) -> Result<(ManagedNode<'a>, NodeUser, UserRecord), AppError> {
    let node = managed_node(caller, node).await?;
    let person = person_at(caller, &node, user).await?;
    require_account(caller, user, reach).await?;
    let record = find_by_id(caller.db().pool(), user)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((node, person, record))
}

/// A new activation link for someone who has not come in yet; the old link (or
/// temporary password) stops working.
pub async fn resend_invite(caller: &Caller, node: NodeId, user: UserId) -> Result<(), AppError> {
    let (node, person, record_before) = managed_account(caller, node, user, Reach::Manage).await?;
    if !person.invite_pending {
        return Err(AppError::forbidden(crate::tr!(
            users.errors.no_invite_to_resend
        )));
    }
    let partner = partner_of(caller.db().pool(), node.summary.id).await?;
    let plan = FirstAccessPlan::prepare(&caller.state, PasswordChoice::ActivationLink).await?;
    let language = Language::from_code(&record_before.language);
    let invite = plan.new_user(
        &record_before.email,
        &record_before.name,
        language,
        record_before.branding_domain.as_deref(),
    );
    let mut tx = node.authorized.begin(caller).await?;
    kill_tokens(&mut **tx, user).await?;
    reinvite(&mut **tx, user, &invite).await?;
    plan.send_welcome(&caller.state, &mut tx, user, partner, &invite)
        .await?;
    tx.commit_about(user, "user.invite_resent", json!({}))
        .await?;
    Ok(())
}

/// Takes away the roles held at the node; for an invite not yet taken up, this is
/// revoking it. Someone left without roles anywhere is signed out and their links die.
pub async fn remove_access(caller: &Caller, node: NodeId, user: UserId) -> Result<(), AppError> {
    let node = managed_node(caller, node).await?;
    let person = person_at(caller, &node, user).await?;
    if person.roles.is_empty() {
        return Err(AppError::forbidden(crate::tr!(
            users.errors.access_from_above
        )));
    }
    let mut errors = FieldErrors::default();
    check_changes(&mut errors, &node, &person.roles, &RoleSet::default());
    errors
        .into_result()
        .map_err(|_| AppError::forbidden(crate::tr!(users.errors.roles_you_cannot_remove)))?;
    let mut tx = node.authorized.begin(caller).await?;
    let change = (&person.roles, &RoleSet::default());
    keep_last_admin(
        &mut tx,
        &caller.actor,
        &node.summary,
        user,
        change,
        FieldErrors::FORM,
    )
    .await?;
    let version = membership_at(&mut **tx, user, node.summary.id)
        .await?
        .version;
    replace_roles(&mut tx, user, node.summary.id, &RoleSet::default(), version).await?;
    if !has_memberships(&mut **tx, user).await? {
        kill_tokens(&mut **tx, user).await?;
        end_sessions(
            &mut tx,
            user,
            None,
            EndReason::AccessRevoked,
            &caller.address,
        )
        .await?;
    }
    tx.commit_about(
        user,
        if person.invite_pending {
            "user.invite_revoked"
        } else {
            "user.access_removed"
        },
        json!({ "before": { "roles": person.roles.to_stored() } }),
    )
    .await?;
    Ok(())
}

/// Disables or enables a whole account; disabling signs them out everywhere at once.
pub async fn set_enabled(
    caller: &Caller,
    node: NodeId,
    user: UserId,
    enabled: bool,
) -> Result<(), AppError> {
    let (node, _, record_before) = managed_account(caller, node, user, Reach::Manage).await?;
    let status = match (enabled, record_before.status) {
        (false, UserStatus::Disabled) | (true, UserStatus::Active | UserStatus::Invited) => {
            return Ok(())
        }
        (false, _) => UserStatus::Disabled,
        // Someone disabled before they ever chose a password is invited again.
        (true, UserStatus::Disabled) if record_before.password_hash.is_none() => {
            UserStatus::Invited
        }
        (true, UserStatus::Disabled) => UserStatus::Active,
    };
    let mut tx = node.authorized.begin(caller).await?;
    set_status(&mut **tx, user, status).await?;
    if status == UserStatus::Disabled {
        end_sessions(
            &mut tx,
            user,
            None,
            EndReason::AccessRevoked,
            &caller.address,
        )
        .await?;
    }
    tx.commit_about(
        user,
        if enabled {
            "user.enabled"
        } else {
            "user.disabled"
        },
        json!({
            "before": { "status": record_before.status.key() },
            "after": { "status": status.key() },
        }),
    )
    .await?;
    Ok(())
}

/// Gives the user a generated strong password, returned once for the admin to pass
/// on; they must change it at their next sign-in, and their sessions end now.
pub async fn set_generated_password(
    caller: &Caller,
    node: NodeId,
    user: UserId,
) -> Result<String, AppError> {
    let (node, _, record_before) = managed_account(caller, node, user, Reach::TakeOver).await?;
    // A password shown to an impersonator would let them in after the visit ends.
    caller
        .actor
        .not_impersonating(crate::tr!(as_yourself.set_password))?;
    if record_before.status == UserStatus::Disabled {
        return Err(AppError::forbidden(crate::tr!(users.errors.enable_first)));
    }
    let password = generate_password();
    let hash = caller.state.passwords.hash(password.clone()).await?;
    let mut tx = node.authorized.begin(caller).await?;
    set_password(&mut **tx, user, &hash, true).await?;
    kill_tokens(&mut **tx, user).await?;
    end_sessions(&mut tx, user, None, EndReason::SignedOut, &caller.address).await?;
    set_status(&mut **tx, user, UserStatus::Active).await?;
    tx.commit_about(
        user,
        "user.password_set",
        json!({ "after": { "must_change_password": true } }),
    )
    .await?;
    Ok(password)
}
