//! Pages reached from a mailed link: a new user chooses their first password, someone
//! who forgot theirs chooses a new one. Also the form that asks for a reset link.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{get_link_owner, FollowLink, RequestPasswordReset};
use super::password_page::NewPasswordFields;
use super::LinkPurpose;
use crate::components::brand::use_brand;
use crate::components::error_panel::ErrorPanel;
use crate::components::field::{action_error, field_error, FormAlert, TextField};
use crate::components::logo::Logo;
use crate::paths;
use crate::tr;

#[component]
pub fn ActivationPage() -> impl IntoView {
    view! { <LinkPage purpose=LinkPurpose::Activation /> }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    view! { <LinkPage purpose=LinkPurpose::PasswordReset /> }
}

/// The words of each kind of link page: title, lead-in and button.
fn wording(purpose: LinkPurpose) -> (&'static str, &'static str, &'static str) {
    match purpose {
        LinkPurpose::Activation => (
            tr!(password.activate.title),
            tr!(password.activate.lead),
            tr!(password.activate.submit),
        ),
        LinkPurpose::PasswordReset => (
            tr!(password.reset.title),
            tr!(password.reset.lead),
            tr!(password.reset.submit),
        ),
    }
}

#[component]
fn LinkPage(purpose: LinkPurpose) -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let owner = Resource::new(token, move |token| get_link_owner(purpose, token));
    let (title, _, _) = wording(purpose);
    view! {
        <Title text=title />
        <main class="auth-page">
            <div class="auth-card">
                <Logo brand=use_brand() />
                <h1>{title}</h1>
                <Suspense>
                    {move || Suspend::new(async move {
                        match owner.await {
                            Ok(email) => {
                                view! { <LinkForm purpose email token=token() /> }.into_any()
                            }
                            Err(error) => view! { <ErrorPanel error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </main>
    }
}

#[component]
fn LinkForm(purpose: LinkPurpose, email: String, token: String) -> impl IntoView {
    let follow = ServerAction::<FollowLink>::new();
    let error = action_error(follow);
    let (_, lead, button) = wording(purpose);
    view! {
        <p class="muted">{lead} <strong>{email}</strong> {tr!(common.period)}</p>
        {(purpose == LinkPurpose::PasswordReset)
            .then(|| {
                view! { <p class="muted">{tr!(password.reset.signed_out)}</p> }
            })}
        <ActionForm action=follow attr:class="stack">
            <FormAlert error />
            <input type="hidden" name="purpose" value=purpose.key() />
            <input type="hidden" name="token" value=token />
            <NewPasswordFields error />
            <button type="submit" class="button primary wide" disabled=follow.pending()>
                {button}
            </button>
        </ActionForm>
    }
}

/// Asks for a reset link. The answer is the same whether or not the address has an
/// account, so the page tells nobody who is a user.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let request = ServerAction::<RequestPasswordReset>::new();
    let error = action_error(request);
    let sent = move || matches!(request.value().get(), Some(Ok(())));
    view! {
        <Title text=tr!(password.forgot.title) />
        <main class="auth-page">
            <div class="auth-card">
                <Logo brand=use_brand() />
                <h1>{tr!(sign_in.forgot)}</h1>
                <Show
                    when=sent
                    fallback=move || {
                        view! {
                            <p class="muted">
                                {tr!(password.forgot.lead)}
                            </p>
                            <ActionForm action=request attr:class="stack">
                                <FormAlert error />
                                <TextField
                                    label=tr!(sign_in.email)
                                    name="email"
                                    input_type="email"
                                    autocomplete="username"
                                    autofocus=true
                                    error=field_error(error, "email")
                                />
                                <button
                                    type="submit"
                                    class="button primary wide"
                                    disabled=request.pending()
                                >
                                    {tr!(password.forgot.submit)}
                                </button>
                            </ActionForm>
                        }
                    }
                >
                    <p role="status">
                        {tr!(password.forgot.sent)}
                    </p>
                </Show>
                <a href=paths::LOGIN>{tr!(password.forgot.back)}</a>
            </div>
        </main>
    }
}
