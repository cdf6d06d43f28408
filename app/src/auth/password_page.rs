use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use super::api::ChangePassword;
use super::{use_current_user, CurrentUser, Obligation};
use crate::components::brand::use_brand;
use crate::components::error_panel::ErrorPanel;
use crate::components::field::{action_error, field_error, FormAlert, TextField};
use crate::components::logo::Logo;
use crate::paths;
use crate::tr;

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let user = use_current_user();
    view! {
        <Title text=tr!(menu.change_password) />
        <main class="auth-page">
            <Suspense>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(user)) => view! { <ChangePasswordForm user /> }.into_any(),
                        Ok(None) => {
                            view! { <Redirect path=paths::login_then(paths::CHANGE_PASSWORD) /> }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn ChangePasswordForm(user: CurrentUser) -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let error = action_error(change);
    let forced = user.obligation == Some(Obligation::ChangePassword);
    view! {
        <div class="auth-card">
            <Logo brand=use_brand() />
            <h1>{tr!(password.change.title)}</h1>
            {if forced {
                view! {
                    <p class="notice">
                        {tr!(password.change.forced)}
                    </p>
                }
                    .into_any()
            } else {
                view! { <p class="muted">{tr!(password.change.signed_in_as)} {user.email.clone()}</p> }.into_any()
            }}
            <ActionForm action=change attr:class="stack">
                <FormAlert error />
                <TextField
                    label=tr!(password.change.current)
                    name="current_password"
                    input_type="password"
                    autocomplete="current-password"
                    error=field_error(error, "current_password")
                />
                <NewPasswordFields error />
                <button type="submit" class="button primary wide" disabled=change.pending()>
                    {tr!(menu.change_password)}
                </button>
            </ActionForm>
            {(!forced).then(|| view! { <a class="back-link" href=paths::HOME>{tr!(password.change.back)}</a> })}
        </div>
    }
}

/// A new password and its confirmation, each with its own message: shared by changing
/// a password and by activating an account.
#[component]
pub fn NewPasswordFields(error: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    view! {
        <TextField
            label=tr!(password.new_password)
            name="new_password"
            input_type="password"
            autocomplete="new-password"
            hint=tr!(password.new_hint)
            error=field_error(error, "new_password")
        />
        <TextField
            label=tr!(password.confirm)
            name="confirm_password"
            input_type="password"
            autocomplete="new-password"
            error=field_error(error, "confirm_password")
        />
    }
}
