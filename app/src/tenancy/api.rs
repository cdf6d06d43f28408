//! Server functions of the group tree.

use leptos::prelude::*;

use crate::core::brand::Brand;
use crate::core::NodeId;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::FieldErrors;
use crate::tenancy::{GroupView, PartnerSettingsForm, PartnerSettingsView, TreeNode, TreeSnapshot};

/// Signed in: the visible tree, with the children of the `open` nodes (dot-separated
/// ids) and of the roots not `closed`; ViewNodes is checked at every node expanded.
#[server]
pub async fn list_tree(open: String, closed: String) -> Result<TreeSnapshot, AppError> {
    use super::groups::MAX_TREE_IDS;
    use crate::core::url::parse_path;
    let caller = crate::auth::caller::Caller::current().await?;
    // A node id is at most 20 digits and a dot.
    let max_chars = MAX_TREE_IDS * 21;
    FieldErrors::within_limits(&[("open", &open, max_chars), ("closed", &closed, max_chars)])?;
    let open = parse_path(Some(&open));
    let closed = parse_path(Some(&closed));
    super::groups::tree_snapshot(&caller, &open, &closed).await
}

/// ViewNodes at `node`.
#[server]
pub async fn get_group(node: NodeId) -> Result<GroupView, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::groups::group_view(&caller, node).await
}

/// ManageNodes at `parent`.
#[server]
pub async fn create_group(parent: NodeId, name: String) -> Result<TreeNode, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::groups::create_group(&caller, parent, &name).await
}

/// ManageNodes at `node`.
#[server]
pub async fn rename_group(node: NodeId, name: String, version: i64) -> Result<TreeNode, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::groups::rename_group(&caller, node, &name, version).await
}

/// ManageNodes at `node` and at `new_parent`.
#[server]
pub async fn move_group(
    node: NodeId,
    new_parent: NodeId,
    version: i64,
) -> Result<TreeNode, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::groups::move_group(&caller, node, new_parent, version).await
}

/// ManageNodes at `node`.
#[server]
pub async fn delete_group(node: NodeId, version: i64) -> Result<(), AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::groups::delete_group(&caller, node, version).await
}

/// ManagePartnerSettings at `partner`.
#[server]
pub async fn get_partner_settings(partner: NodeId) -> Result<PartnerSettingsView, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::settings::settings_view(&caller, partner).await
}

/// ManagePartnerSettings at `partner`.
#[server]
pub async fn update_partner_settings(
    partner: NodeId,
    version: i64,
    #[server(flatten)] form: PartnerSettingsForm,
) -> Result<(), AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::settings::update_settings(&caller, partner, &form, version).await?;
    crate::request::redirect_plain_form(&crate::paths::partner_settings(partner))
}

/// Public: the brand the current page is shown in.
#[server]
pub async fn get_brand() -> Result<Brand, AppError> {
    let state = crate::request::state()?;
    let host = crate::request::host()?;
    let actor = match crate::auth::actor::signed_in(&state).await {
        Ok(actor) => Some(actor),
        Err(AppError::Unauthenticated) => None,
        Err(error) => return Err(error),
    };
    super::settings::brand_for(&state, &host, actor.as_ref()).await
}
