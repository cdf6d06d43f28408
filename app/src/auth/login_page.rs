use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};

use super::api::SignIn;
use super::{use_current_user, SSO_LINK_REFUSED};
use crate::components::brand::use_brand;
use crate::components::field::{action_error, field_error, FormAlert, TextField};
use crate::components::logo::Logo;
use crate::components::support::SupportLink;
use crate::paths;

#[component]
pub fn LoginPage() -> impl IntoView {
    let user = use_current_user();
    let sign_in = ServerAction::<SignIn>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let link_refused = move || query.read().get("link").as_deref() == Some("refused");
    let error = action_error(sign_in);

    view! {
        <Title text="Sign in" />
        <Suspense>
            {move || Suspend::new(async move {
                matches!(user.await, Ok(Some(_))).then(|| view! { <Redirect path=paths::HOME /> })
            })}
        </Suspense>
        <main class="auth-page">
            <div class="auth-card">
                <Logo brand=use_brand() />
                <h1>"Sign in"</h1>
                <p class="muted">"Use the email address your account was set up with."</p>
                <ActionForm action=sign_in attr:class="stack">
                    <Show when=link_refused>
                        <div class="form-alert" role="alert">{SSO_LINK_REFUSED}</div>
                    </Show>
                    <FormAlert error />
                    <input type="hidden" name="next" prop:value=next />
                    <TextField
                        label="Email"
                        name="email"
                        input_type="email"
                        autocomplete="username"
                        autofocus=true
                        error=field_error(error, "email")
                    />
                    <TextField
                        label="Password"
                        name="password"
                        input_type="password"
                        autocomplete="current-password"
                        error=field_error(error, "password")
                    />
                    <button type="submit" class="button primary wide" disabled=sign_in.pending()>
                        {move || if sign_in.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </ActionForm>
                <a href=paths::FORGOT_PASSWORD>"Forgot your password?"</a>
                <SupportLink brand=use_brand() lead="Trouble signing in? Write to" />
            </div>
        </main>
    }
}
