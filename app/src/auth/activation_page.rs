//! Where a new user, following their activation link, chooses their first password.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{get_activation, ActivateAccount};
use super::password_page::NewPasswordFields;
use crate::components::field::{action_error, FormAlert};
use crate::components::logo::Logo;
use crate::error::ErrorPanel;

#[component]
pub fn ActivationPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let owner = Resource::new(token, get_activation);
    view! {
        <Title text="Activate your account" />
        <main class="auth-page">
            <div class="auth-card">
                <Logo />
                <h1>"Activate your account"</h1>
                <Suspense>
                    {move || Suspend::new(async move {
                        match owner.await {
                            Ok(email) => view! { <ActivationForm email token=token() /> }.into_any(),
                            Err(error) => view! { <ErrorPanel error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </main>
    }
}

#[component]
fn ActivationForm(email: String, token: String) -> impl IntoView {
    let activate = ServerAction::<ActivateAccount>::new();
    let error = action_error(activate);
    view! {
        <p class="muted">"Choose the password you will sign in with as " <strong>{email}</strong> "."</p>
        <ActionForm action=activate attr:class="stack">
            <FormAlert error />
            <input type="hidden" name="token" value=token />
            <NewPasswordFields error />
            <button type="submit" class="button primary wide" disabled=activate.pending()>
                "Activate and sign in"
            </button>
        </ActionForm>
    }
}
