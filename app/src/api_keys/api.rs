//! Server functions of API keys. Each checks, first thing in `service`, that the
//! caller manages the owner's keys: ManageClients at a client account, or
//! ManagePartnerSettings at a partner.

use leptos::prelude::*;

use super::{ApiKeysView, IssuedKey};
use crate::core::NodeId;
use crate::error::AppError;

#[server]
pub async fn list_api_keys(owner: NodeId) -> Result<ApiKeysView, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::service::keys(&caller, owner).await
}

/// Makes a key; its text is in this answer only.
#[server]
pub async fn create_api_key(
    owner: NodeId,
    name: String,
    #[server(default)] scopes: Vec<String>,
) -> Result<IssuedKey, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::service::create(&caller, owner, &name, &scopes).await
}

/// Replaces a key; the old one works for the overlap chosen.
#[server]
pub async fn rotate_api_key(
    owner: NodeId,
    key: i64,
    overlap: String,
) -> Result<IssuedKey, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::service::rotate(&caller, owner, key, &overlap).await
}

#[server]
pub async fn revoke_api_key(owner: NodeId, key: i64) -> Result<(), AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    let kind = super::service::revoke(&caller, owner, key).await?;
    let page = match kind {
        crate::core::NodeKind::Partner => crate::paths::partner_settings(owner),
        _ => crate::paths::client(owner),
    };
    crate::request::redirect_plain_form(&page)
}
