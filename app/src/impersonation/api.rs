//! Server functions of impersonation and support access. Each names what it
//! requires; the checks themselves happen first thing in `service`.

use leptos::prelude::*;

use super::{AccessHistory, GrantedAccount, LogInAsOptions, Presence};
use crate::core::NodeId;
use crate::error::AppError;

/// ImpersonateClients at the account, or support staff in an account that granted
/// support access; not from inside an impersonation.
#[server]
pub async fn get_log_in_as_options(account: NodeId) -> Result<LogInAsOptions, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::start_stop::log_in_as_options(&caller, account).await
}

/// As `get_log_in_as_options`, for a user strictly below the impersonator: starts an
/// impersonation in a new session and returns where it opens. The browser loads that
/// page afresh: everything on it changes with whose session it is.
#[server]
pub async fn start_impersonation(
    account: NodeId,
    mode: String,
    #[server(default)] target: String,
    reason: String,
    minutes: String,
    #[server(default)] return_to: String,
) -> Result<String, AppError> {
    use crate::auth::session;
    use crate::request::{set_cookie, Requester};
    let caller = crate::auth::caller::Caller::current().await?;
    let client = Requester::current(&caller.state)?;
    let request = super::start_stop::StartRequest {
        account,
        mode,
        target,
        reason,
        minutes,
        return_to,
    };
    let replacing = session::token_of(&caller.state, &client).ok();
    let (token, landing) = super::start_stop::start(&caller, &client, replacing, request).await?;
    set_cookie(&session::session_cookie(&caller.state.settings, &token))?;
    crate::request::redirect_plain_form(&landing)?;
    Ok(landing)
}

/// A live session opened for an impersonation, even one that has ended: ends it,
/// signs in as oneself and returns where it started (the page to load afresh).
#[server]
pub async fn stop_impersonation() -> Result<String, AppError> {
    use crate::auth::session;
    use crate::request::{set_cookie, Requester};
    let state = crate::request::state()?;
    let client = Requester::current(&state)?;
    let token = session::token_of(&state, &client)?;
    let (new_token, return_to) = super::start_stop::stop(&state, &client, token).await?;
    set_cookie(&session::session_cookie(&state.settings, &new_token))?;
    crate::request::redirect_plain_form(&return_to)?;
    Ok(return_to)
}

/// Signed in: notes the asker as active in their client account and says who else
/// is (the banner's and the client's notice's poll).
#[server]
pub async fn poll_presence() -> Result<Presence, AppError> {
    use crate::request::Requester;
    let state = crate::request::state()?;
    let client = Requester::current(&state)?;
    let token = crate::auth::session::token_of(&state, &client)?;
    super::start_stop::presence(&state, token).await
}

/// GrantSupportAccess at the account, as oneself: grants support access for `days`.
#[server]
pub async fn grant_support_access(account: NodeId, days: String) -> Result<(), AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::support::set_support_access(&caller, account, Some(days)).await
}

/// GrantSupportAccess at the account, as oneself: withdraws support access; support
/// staff inside the account are out at their next request.
#[server]
pub async fn revoke_support_access(account: NodeId) -> Result<(), AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::support::set_support_access(&caller, account, None).await
}

/// OpenGrantedAccounts somewhere: the accounts there that grant support access now.
#[server]
pub async fn list_granted_accounts() -> Result<Vec<GrantedAccount>, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::support::granted_accounts(&caller).await
}

/// ViewAccessHistory at the account: who came in by impersonation, why, and what
/// they changed.
#[server]
pub async fn get_access_history(account: NodeId) -> Result<AccessHistory, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::history::access_history(&caller, account).await
}
