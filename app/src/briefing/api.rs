//! Server functions of the briefing. Reading takes a role that reads the account's
//! inbox or manages its content; every change takes ManageAccountContent at the
//! account. The checks happen first thing in `service`.

use leptos::prelude::*;

use super::{Contact, ContactsView, MethodInput, ResourcesView, StatusView};
use crate::core::NodeId;
use crate::error::AppError;

/// After a change posted without JavaScript, show `path` of the account again.
#[cfg(feature = "ssr")]
fn back_to(path: &str, account: NodeId) -> Result<(), AppError> {
    crate::request::redirect_plain_form(&crate::paths::for_account(path, account))
}

#[cfg(feature = "ssr")]
async fn caller() -> Result<crate::auth::caller::Caller, AppError> {
    crate::auth::caller::Caller::current().await
}

/// Reading at the account.
#[server]
pub async fn get_status(account: Option<NodeId>) -> Result<StatusView, AppError> {
    super::service::status_view(&caller().await?, account).await
}

/// ManageAccountContent at the account. `until` is a local date and time of the
/// account's zone, or empty.
#[server]
pub async fn set_operator_status(
    account: NodeId,
    version: i64,
    #[server(default)] operator_status: String,
    #[server(default)] until: String,
    #[server(default)] default_status: String,
) -> Result<(), AppError> {
    let form = super::service::StatusForm {
        text: &operator_status,
        until: &until,
        default_text: &default_status,
    };
    super::service::set_status(&caller().await?, Some(account), &form, version).await?;
    back_to(crate::paths::STATUS, account)
}

/// ManageAccountContent at the account.
#[server]
pub async fn add_status_template(account: NodeId, template: String) -> Result<(), AppError> {
    super::service::add_template(&caller().await?, Some(account), &template).await?;
    back_to(crate::paths::STATUS, account)
}

/// ManageAccountContent at the account.
#[server]
pub async fn remove_status_template(account: NodeId, id: i64) -> Result<(), AppError> {
    super::service::remove_template(&caller().await?, Some(account), id).await?;
    back_to(crate::paths::STATUS, account)
}

/// Reading at the account.
#[server]
pub async fn get_contacts(account: Option<NodeId>) -> Result<ContactsView, AppError> {
    super::service::contacts_view(&caller().await?, account).await
}

/// Reading at the contact's account: the account, the contact, and whether the
/// caller may change it.
#[server]
pub async fn get_contact(id: i64) -> Result<(NodeId, Contact, bool), AppError> {
    super::service::contact_view(&caller().await?, id).await
}

/// ManageAccountContent at the account. Methods come as rows (`method[0][value]`).
#[server]
pub async fn add_contact(
    account: NodeId,
    name: String,
    #[server(default)] role: String,
    #[server(default)] instructions: String,
    #[server(default)] method: Vec<MethodInput>,
) -> Result<(), AppError> {
    let form = super::service::ContactForm {
        name: &name,
        role: &role,
        instructions: &instructions,
        methods: &method,
    };
    super::service::add_contact(&caller().await?, Some(account), &form).await?;
    back_to(crate::paths::CONTACTS, account)
}

/// ManageAccountContent at the contact's account.
#[server]
pub async fn update_contact(
    id: i64,
    version: i64,
    name: String,
    #[server(default)] role: String,
    #[server(default)] instructions: String,
    #[server(default)] method: Vec<MethodInput>,
) -> Result<(), AppError> {
    let form = super::service::ContactForm {
        name: &name,
        role: &role,
        instructions: &instructions,
        methods: &method,
    };
    super::service::update_contact(&caller().await?, id, &form, version).await?;
    crate::request::redirect_plain_form(&crate::paths::contact(id))
}

/// ManageAccountContent at the contact's account.
#[server]
pub async fn remove_contact(id: i64, version: i64) -> Result<(), AppError> {
    let account = super::service::remove_contact(&caller().await?, id, version).await?;
    back_to(crate::paths::CONTACTS, account)
}

/// Reading at the account.
#[server]
pub async fn get_resources(account: Option<NodeId>) -> Result<ResourcesView, AppError> {
    super::service::resources_view(&caller().await?, account).await
}

/// ManageAccountContent at the account.
#[server]
pub async fn add_resource(
    account: NodeId,
    title: String,
    #[server(default)] url: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let form = super::service::ResourceForm {
        title: &title,
        url: &url,
        note: &note,
    };
    super::service::add_resource(&caller().await?, Some(account), &form).await?;
    back_to(crate::paths::RESOURCES, account)
}

/// ManageAccountContent at the resource's account.
#[server]
pub async fn update_resource(
    id: i64,
    version: i64,
    title: String,
    #[server(default)] url: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let form = super::service::ResourceForm {
        title: &title,
        url: &url,
        note: &note,
    };
    let account = super::service::update_resource(&caller().await?, id, &form, version).await?;
    back_to(crate::paths::RESOURCES, account)
}

/// ManageAccountContent at the resource's account.
#[server]
pub async fn remove_resource(id: i64, version: i64) -> Result<(), AppError> {
    let account = super::service::remove_resource(&caller().await?, id, version).await?;
    back_to(crate::paths::RESOURCES, account)
}

/// ManageAccountContent at the item's account: moves a contact or a resource
/// (`list`) up or down (`direction`) in its list.
#[server]
pub async fn move_briefing_item(list: String, id: i64, direction: String) -> Result<(), AppError> {
    use super::repo::ListTable;
    let direction = super::Reorder::from_key(&direction).ok_or(AppError::NotFound)?;
    let (table, page) = match list.as_str() {
        "contacts" => (ListTable::Contacts, crate::paths::CONTACTS),
        "resources" => (ListTable::Resources, crate::paths::RESOURCES),
        _ => return Err(AppError::NotFound),
    };
    let account = super::service::reorder(&caller().await?, table, id, direction).await?;
    back_to(page, account)
}
