//! Server functions of client accounts. Each names the permission it requires; the
//! checks themselves happen first thing in `service`.

use leptos::prelude::*;

use super::directory::DirectoryQuery;
use crate::clients::{
    ClientFormOptions, ClientView, CompanyForm, CreatedClient, CreditKind, DirectoryPage,
    NewClientForm,
};
use crate::core::{ClientStatus, NodeId, VerificationPolicy};
use crate::error::AppError;

/// After a change made by a form posted without JavaScript, show the client again.
#[cfg(feature = "ssr")]
fn back_to_client(id: NodeId) -> Result<(), AppError> {
    crate::request::redirect_plain_form(&crate::paths::client(id))
}

/// ViewNodes at `query.under`, or anywhere for the viewer's whole scope.
#[server]
pub async fn list_clients(query: DirectoryQuery) -> Result<DirectoryPage, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    query.check_bounds()?;
    super::service::directory(&caller, &query).await
}

/// ManageClients at a partner or group.
#[server]
pub async fn get_client_form() -> Result<ClientFormOptions, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::service::form_options(&caller).await
}

/// ManageClients at the chosen group.
#[server]
pub async fn create_client(
    #[server(flatten)] form: NewClientForm,
) -> Result<CreatedClient, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    let created = super::service::create_client(&caller, &form).await?;
    back_to_client(created.id)?;
    Ok(created)
}

/// ViewNodes at the client.
#[server]
pub async fn get_client(id: NodeId) -> Result<ClientView, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::service::client_view(&caller, id).await
}

/// ManageClients at the client.
#[server]
pub async fn update_client(
    id: NodeId,
    version: i64,
    #[server(flatten)] company: CompanyForm,
) -> Result<(), AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::changes::update_company(&caller, id, &company, version).await?;
    back_to_client(id)
}

/// ManageClients at the client.
#[server]
pub async fn set_client_status(
    id: NodeId,
    status: ClientStatus,
    version: i64,
) -> Result<(), AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::changes::set_status(&caller, id, status, version).await?;
    back_to_client(id)
}

/// ManageClients at the client.
#[server]
pub async fn modify_client_features(
    id: NodeId,
    version: i64,
    #[server(default)] features: Vec<String>,
    seat_limit: String,
) -> Result<(), AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::changes::modify_features(&caller, id, &features, &seat_limit, version).await?;
    back_to_client(id)
}

/// ManageClients at the client.
#[server]
pub async fn add_client_credits(
    id: NodeId,
    credit: CreditKind,
    amount: String,
    #[server(default)] note: String,
) -> Result<i64, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    let balance = super::changes::top_up(&caller, id, credit, &amount, &note).await?;
    back_to_client(id)?;
    Ok(balance)
}

/// ManageClients at the client; the reveal is audited.
#[server]
pub async fn reveal_sso_token(id: NodeId) -> Result<String, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::changes::reveal_sso_token(&caller, id).await
}

/// ManageClients at the client; the rotation is audited. `confirm` must be "yes".
#[server]
pub async fn rotate_sso_token(
    id: NodeId,
    #[server(default)] confirm: String,
) -> Result<String, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::changes::rotate_sso_token(&caller, id, confirm == "yes").await
}

/// ManageClients at the client and at the new group.
#[server]
pub async fn move_client(id: NodeId, group: String, version: i64) -> Result<(), AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::changes::move_client(&caller, id, &group, version).await?;
    back_to_client(id)
}

/// ManageClients at the client.
#[server]
pub async fn set_client_verification(
    id: NodeId,
    version: i64,
    verification: VerificationPolicy,
) -> Result<(), AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::changes::set_verification(&caller, id, verification, version).await?;
    back_to_client(id)
}

/// ManageClients at the client. `rule` is "own" (with the three fields) or "partner".
#[server]
pub async fn set_client_voice_rule(
    id: NodeId,
    version: i64,
    rule: String,
    #[server(default)] voice_initial: String,
    #[server(default)] voice_increment: String,
    #[server(default)] voice_free_under: String,
) -> Result<(), AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    let fields = [
        voice_initial.as_str(),
        voice_increment.as_str(),
        voice_free_under.as_str(),
    ];
    super::changes::set_voice_rule(&caller, id, rule == "own", fields, version).await?;
    back_to_client(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a browser posts: form fields, unchecked boxes absent, checked ones repeated.
    fn posted<T: serde::de::DeserializeOwned>(body: &str) -> T {
        serde_qs::Config::new(5, false)
            .deserialize_str(body)
            .expect("the form decodes")
    }

    #[test]
    fn the_add_client_form_decodes_as_a_browser_posts_it() {
        let args: CreateClient = posted(
            "name=Harbor+Dental&contact_name=Hana&email=hana%40harbor.test&phone=617+555+0100\
             &address=&time_zone=America%2FNew_York&tags=vip&group=3&seat_limit=5\
             &sms_credits=10&voice_credits=&features%5B%5D=voice&features%5B%5D=sms\
             &password_choice=activation_link",
        );
        assert_eq!(args.form.company.name, "Harbor Dental");
        assert_eq!(args.form.company.time_zone, "America/New_York");
        assert_eq!(args.form.features, vec!["voice", "sms"]);
        assert_eq!(args.form.group, "3");
        let none_checked: CreateClient = posted(
            "name=A&contact_name=B&email=c&phone=1&time_zone=UTC&group=3&seat_limit=5\
             &password_choice=activation_link",
        );
        assert!(none_checked.form.features.is_empty());
    }

    #[test]
    fn feature_changes_decode_with_or_without_checked_boxes() {
        let args: ModifyClientFeatures = posted("id=7&version=2&features%5B%5D=chat&seat_limit=4");
        assert_eq!(
            (args.id, args.features),
            (NodeId(7), vec!["chat".to_string()])
        );
        let args: ModifyClientFeatures = posted("id=7&version=2&seat_limit=4");
        assert!(args.features.is_empty());
        let status: SetClientStatus = posted("id=7&version=2&status=suspended");
        assert_eq!(status.status, ClientStatus::Suspended);
    }
}
