//! Starting an impersonation: whose view (a client user's, or the partner's), why,
//! and for how long. A plain form that works before hydration.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{get_log_in_as_options, StartImpersonation};
use super::banner::load_afresh;
use crate::components::error_panel::error_fallback;
use crate::components::field::{action_error, field_error, FormAlert, SelectField, TextAreaField};
use crate::components::revision::on_success;
use crate::core::Mode;
use crate::error::AppError;
use crate::impersonation::{LogInAsOptions, DEFAULT_DURATION_MINUTES, DURATION_CHOICES};
use crate::paths;
use crate::tenancy::use_node_id_param;
use crate::tr;

#[component]
pub fn LogInAsPage() -> impl IntoView {
    let account = use_node_id_param();
    let options = Resource::new(
        move || account.get(),
        |account| async move {
            match account {
                Some(account) => get_log_in_as_options(account).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let start = ServerAction::<StartImpersonation>::new();
    on_success(start, |landing: &String| load_afresh(landing));
    view! {
        <Title text=tr!(support.log_in_as) />
        <Suspense fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    options.await.map(|options| view! { <LogInAsForm options start /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn LogInAsForm(options: LogInAsOptions, start: ServerAction<StartImpersonation>) -> impl IntoView {
    let error = action_error(start);
    let query = use_query_map();
    let chosen_user = query.read_untracked().get("user");
    let from = query
        .read_untracked()
        .get("from")
        .unwrap_or_else(|| paths::client(options.account));
    let initial_mode = match (query.read_untracked().get("mode").as_deref(), &chosen_user) {
        (Some("partner"), _) => Mode::Partner,
        (_, Some(_)) => Mode::Client,
        _ if options.targets.is_empty() => Mode::Partner,
        _ => Mode::Client,
    };
    let mode = RwSignal::new(initial_mode);
    let targets: Vec<(String, String)> = options
        .targets
        .iter()
        .map(|target| {
            (
                target.id.0.to_string(),
                format!("{} · {} ({})", target.name, target.roles, target.email),
            )
        })
        .collect();
    let durations = DURATION_CHOICES
        .iter()
        .map(|minutes| (minutes.to_string(), crate::core::time::length_of(*minutes)))
        .collect();
    view! {
        <header class="page-header">
            <p class="muted breadcrumb">
                <a href=paths::client(options.account)>{options.account_name.clone()}</a>
                {tr!(support.breadcrumb)}
            </p>
            <h1>{tr!(support.log_in_to, account = options.account_name.clone())}</h1>
            <p class="muted">
                {tr!(support.lead)}
            </p>
        </header>
        <ActionForm action=start attr:class="card form-card stack log-in-as-form">
            <FormAlert error />
            <input type="hidden" name="account" value=options.account.0 />
            <input type="hidden" name="return_to" value=from />
            <ModeChoices initial=initial_mode mode error=field_error(error, "mode") />
            <TargetChoice mode targets chosen_user error=field_error(error, "target") />
            <TextAreaField
                label=tr!(support.reason)
                name="reason"
                hint=tr!(support.reason_hint)
                error=field_error(error, "reason")
            />
            <SelectField
                label=tr!(support.duration)
                name="minutes"
                options=durations
                selected=Some(DEFAULT_DURATION_MINUTES.to_string())
                error=field_error(error, "minutes")
            />
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=start.pending()>
                    {tr!(support.submit)}
                </button>
                <a class="button" href=paths::client(options.account)>{tr!(common.cancel)}</a>
            </div>
        </ActionForm>
    }
}

/// How to log in: as one of the account's users, or as the partner.
#[component]
fn ModeChoices(
    initial: Mode,
    mode: RwSignal<Mode>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <fieldset class="field choices" class:has-error=move || error.read().is_some()>
            <legend>{tr!(support.how)}</legend>
            {Mode::ALL
                .iter()
                .map(|choice| {
                    let choice = *choice;
                    view! {
                        <label class="radio">
                            <input
                                type="radio"
                                name="mode"
                                value=choice.key()
                                checked=choice == initial
                                on:change=move |_| mode.set(choice)
                            />
                            <span>
                                <strong>{choice.label()}</strong>
                                <span class="muted choice-hint">{mode_hint(choice)}</span>
                            </span>
                        </label>
                    }
                })
                .collect_view()}
            <p class="field-message">{move || error.get()}</p>
        </fieldset>
    }
}

/// Whom to act as, when acting as one of the account's users.
#[component]
fn TargetChoice(
    mode: RwSignal<Mode>,
    targets: Vec<(String, String)>,
    chosen_user: Option<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class:hidden=move || mode.get() == Mode::Partner>
            {if targets.is_empty() {
                view! {
                    <p class="muted">
                        {tr!(support.no_targets)}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <SelectField
                        label=tr!(support.act_as)
                        name="target"
                        options=targets
                        selected=chosen_user
                        placeholder=tr!(support.choose_user)
                        error
                    />
                }
                    .into_any()
            }}
        </div>
    }
}

fn mode_hint(mode: Mode) -> &'static str {
    match mode {
        Mode::Client => tr!(support.hint_client),
        Mode::Partner => tr!(support.hint_partner),
    }
}
