//! Server functions of the users pages. Each names what it requires; the checks
//! themselves happen first thing in `service`.

use leptos::prelude::*;

use crate::core::{NodeId, UserId};
use crate::error::AppError;
use crate::users::{InviteForm, InviteOptions, Invited, NodeUsers, UserAtNode, UserQuery};

/// After a change made by a form posted without JavaScript, show the user again.
#[cfg(feature = "ssr")]
fn back_to_user(node: NodeId, user: UserId) -> Result<(), AppError> {
    crate::request::redirect_plain_form(&crate::paths::node_user(node, user))
}

/// ManageUsers at `node` (ManageAccountUsers at a client account).
#[server]
pub async fn list_node_users(node: NodeId, query: UserQuery) -> Result<NodeUsers, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    crate::error::FieldErrors::within_limits(&[
        ("q", &query.search, crate::core::validate::MAX_SEARCH_CHARS),
        ("status", &query.status, 20),
    ])?;
    super::service::node_users(&caller, node, &query).await
}

/// ManageUsers at `node`; the user must have access there.
#[server]
pub async fn get_node_user(node: NodeId, user: UserId) -> Result<UserAtNode, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::service::user_at_node(&caller, node, user).await
}

/// ManageUsers at `node`, and every changed role's permissions held there.
#[server]
pub async fn set_user_roles(
    node: NodeId,
    user: UserId,
    version: i64,
    #[server(default)] roles: Vec<String>,
) -> Result<(), AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::role_editor::set_roles(&caller, node, user, &roles, version).await?;
    back_to_user(node, user)
}

/// ManageUsers at `node`.
#[server]
pub async fn get_invite_options(node: NodeId) -> Result<InviteOptions, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::invites::invite_options(&caller, node).await
}

/// ManageUsers at the form's node, and every chosen role's permissions held there.
#[server]
pub async fn invite_user(#[server(flatten)] form: InviteForm) -> Result<Invited, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    let invited = super::invites::invite(&caller, &form).await?;
    back_to_user(invited.node, invited.user)?;
    Ok(invited)
}

/// ManageUsers wherever the user holds roles.
#[server]
pub async fn resend_invite(node: NodeId, user: UserId) -> Result<(), AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::account_actions::resend_invite(&caller, node, user).await?;
    back_to_user(node, user)
}

/// ManageUsers at `node`, and the permissions of the roles taken away.
#[server]
pub async fn remove_user_access(node: NodeId, user: UserId) -> Result<(), AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::account_actions::remove_access(&caller, node, user).await?;
    crate::request::redirect_plain_form(&crate::paths::node_users(node))
}

/// ManageUsers wherever the user holds roles; never one's own account.
#[server]
pub async fn set_user_enabled(node: NodeId, user: UserId, enabled: bool) -> Result<(), AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::account_actions::set_enabled(&caller, node, user, enabled).await?;
    back_to_user(node, user)
}

/// ManageUsers wherever the user holds roles; never one's own account. Returns the
/// generated password, shown once.
#[server]
pub async fn set_generated_password(node: NodeId, user: UserId) -> Result<String, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::account_actions::set_generated_password(&caller, node, user).await
}
