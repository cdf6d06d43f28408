use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};

use super::api::{ChooseLanguage, SignIn};
use super::{sso_link_refused, use_current_user};
use crate::components::brand::use_brand;
use crate::components::field::{action_error, field_error, FormAlert, TextField};
use crate::components::language_switch::LanguageSwitch;
use crate::components::logo::Logo;
use crate::components::support::SupportLink;
use crate::paths;
use crate::tr;

#[component]
pub fn LoginPage() -> impl IntoView {
    let user = use_current_user();
    let sign_in = ServerAction::<SignIn>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let link_refused = move || query.read().get("link").as_deref() == Some("refused");
    let error = action_error(sign_in);

    view! {
        <Title text=tr!(sign_in.title) />
        <Suspense>
            {move || Suspend::new(async move {
                matches!(user.await, Ok(Some(_))).then(|| view! { <Redirect path=paths::HOME /> })
            })}
        </Suspense>
        <main class="auth-page">
            <div class="auth-card">
                <Logo brand=use_brand() />
                <h1>{tr!(sign_in.title)}</h1>
                <p class="muted">{tr!(sign_in.lead)}</p>
                <ActionForm action=sign_in attr:class="stack">
                    <Show when=link_refused>
                        <div class="form-alert" role="alert">{sso_link_refused()}</div>
                    </Show>
                    <FormAlert error />
                    <input type="hidden" name="next" prop:value=next />
                    <TextField
                        label=tr!(sign_in.email)
                        name="email"
                        input_type="email"
                        autocomplete="username"
                        autofocus=true
                        error=field_error(error, "email")
                    />
                    <TextField
                        label=tr!(sign_in.password)
                        name="password"
                        input_type="password"
                        autocomplete="current-password"
                        error=field_error(error, "password")
                    />
                    <button type="submit" class="button primary wide" disabled=sign_in.pending()>
                        {move || {
                            if sign_in.pending().get() {
                                tr!(sign_in.submitting)
                            } else {
                                tr!(sign_in.submit)
                            }
                        }}
                    </button>
                </ActionForm>
                <a href=paths::FORGOT_PASSWORD>{tr!(sign_in.forgot)}</a>
                <SupportLink brand=use_brand() lead=tr!(sign_in.trouble) />
                <LanguageSwitch action=ChooseLanguage::PATH next />
            </div>
        </main>
    }
}
