//! Server functions for signing in and out and changing one's password.

use leptos::prelude::*;

use crate::auth::{CurrentUser, LinkPurpose, VerificationStep};
use crate::core::VerifyChannel;
use crate::error::AppError;

/// Public: who is signed in, if anyone.
#[server]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    use crate::auth::actor as guard;
    let state = crate::request::state()?;
    match guard::signed_in(&state).await {
        Ok(actor) => Ok(Some(CurrentUser::of(&actor))),
        Err(AppError::Unauthenticated) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Public: signs in with email and password (throttled), then goes to `next`.
#[server]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use super::session;
    use crate::request::{set_cookie, Requester};

    let state = crate::request::state()?;
    let requester = Requester::current(&state)?;
    let token = session::sign_in_with_password(&state, &requester, &email, password).await?;
    set_cookie(&session::session_cookie(&state.settings, &token))?;
    leptos_axum::redirect(crate::paths::safe_next(next.as_deref()));
    Ok(())
}

/// Public: keeps the language chosen on the sign-in page, and shows the page again in it.
#[server]
pub async fn choose_language(language: String, next: Option<String>) -> Result<(), AppError> {
    let language = chosen_language(&language)?;
    crate::request::set_cookie(&crate::locale::language_cookie(language))?;
    leptos_axum::redirect(&crate::paths::login_then(crate::paths::safe_next(
        next.as_deref(),
    )));
    Ok(())
}

/// The language a switch posted, or the field's error.
#[cfg(feature = "ssr")]
fn chosen_language(key: &str) -> Result<crate::core::Language, AppError> {
    crate::core::Language::from_key(key)
        .ok_or_else(|| AppError::field("language", crate::tr!(language.choose)))
}

/// Signed in, as themselves: changes their own language, and shows the page they were
/// on again in it.
#[server]
pub async fn change_own_language(language: String, next: Option<String>) -> Result<(), AppError> {
    use crate::request::Requester;

    let state = crate::request::state()?;
    let actor = crate::auth::actor::signed_in_as_self(&state).await?;
    let language = chosen_language(&language)?;
    super::session::change_language(&state, &actor, &Requester::current(&state)?, language).await?;
    // Kept for the sign-in page too, once they sign out.
    crate::request::set_cookie(&crate::locale::language_cookie(language))?;
    leptos_axum::redirect(crate::paths::safe_next(next.as_deref()));
    Ok(())
}

/// Signed in: ends the current session.
#[server]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::auth::session;
    use crate::request::{set_cookie, Requester};

    let state = crate::request::state()?;
    session::sign_out(&state, &Requester::current(&state)?).await?;
    set_cookie(&session::expired_cookie(&state.settings))?;
    leptos_axum::redirect(crate::paths::LOGIN);
    Ok(())
}

/// Signed in (a temporary password is enough): replaces the actor's own password
/// and ends their other sessions.
#[server]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use crate::auth::{actor as guard, session};
    use crate::request::Requester;

    let state = crate::request::state()?;
    let client = Requester::current(&state)?;
    let actor = guard::signed_in_as_self(&state).await?;
    session::change_own_password(
        &state,
        &actor,
        &client,
        current_password,
        &new_password,
        &confirm_password,
    )
    .await?;
    leptos_axum::redirect(crate::paths::HOME);
    Ok(())
}

/// Public, with a live link: whom the link is for.
#[server]
pub async fn get_link_owner(purpose: LinkPurpose, token: String) -> Result<String, AppError> {
    let state = crate::request::state()?;
    let user = super::links::link_owner(&state, purpose, &token).await?;
    Ok(user.email)
}

/// Public, with a live link: sets the password, ends other sessions and signs in.
#[server]
pub async fn follow_link(
    purpose: LinkPurpose,
    token: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use super::{links, session};
    use crate::request::{set_cookie, Requester};

    let state = crate::request::state()?;
    let requester = Requester::current(&state)?;
    let user = links::follow(
        &state,
        &requester,
        purpose,
        &token,
        new_password,
        &confirm_password,
    )
    .await?;
    let token =
        session::replace_session(&state, &user, &requester, session::SignInMethod::Link).await?;
    set_cookie(&session::session_cookie(&state.settings, &token))?;
    leptos_axum::redirect(crate::paths::HOME);
    Ok(())
}

/// Public: mails a reset link to the account of `email`, if there is one. The answer
/// is the same either way, so it tells nobody which addresses have accounts.
#[server]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use crate::request::Requester;

    if let Some(problem) = crate::core::validate::email_problem(&email) {
        return Err(AppError::field("email", problem));
    }
    let state = crate::request::state()?;
    let client = Requester::current(&state)?;
    super::links::send_password_reset(&state, &client, &email).await
}

/// Signed in (after any temporary password is replaced): what the actor's client
/// account asks them to verify, and how far they are.
#[server]
pub async fn get_verification() -> Result<Vec<VerificationStep>, AppError> {
    let caller = super::caller::Caller::signed_in().await?;
    super::verification::steps(&caller).await
}

/// Signed in, with `channel` still to verify: sends a code there (for SMS, to `phone`).
#[server]
pub async fn send_verification_code(
    channel: VerifyChannel,
    #[server(default)] phone: String,
) -> Result<(), AppError> {
    let caller = super::caller::Caller::current_as_self().await?;
    super::verification::send_code(&caller, channel, &phone).await
}

/// Signed in, with `channel` still to verify: checks the code typed; once nothing is
/// left to verify, goes on to the home page.
#[server]
pub async fn verify_code(channel: VerifyChannel, code: String) -> Result<(), AppError> {
    let caller = super::caller::Caller::current_as_self().await?;
    if super::verification::check_code(&caller, channel, &code).await? {
        leptos_axum::redirect(crate::paths::HOME);
    }
    Ok(())
}
