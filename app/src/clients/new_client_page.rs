//! Add New Client: company, group, tags, features, seats, credits and how the first
//! Client Admin gets a password. A plain form that works before hydration.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{get_client_form, CreateClient};
use super::{ClientFormOptions, CompanyInfo, CreatedClient};
use crate::clients::form::CompanyFields;
use crate::components::error_panel::error_fallback;
use crate::components::feature_choices::FeatureChoices;
use crate::components::field::{action_error, field_error, FormAlert, SelectField, TextField};
use crate::components::secret::Secret;
use crate::paths;
use crate::tr;
use crate::users::form::PasswordChoices;

#[component]
pub fn NewClientPage() -> impl IntoView {
    let query = use_query_map();
    let options = Resource::new(|| (), |_| get_client_form());
    let create = ServerAction::<CreateClient>::new();
    // Only success replaces the form: after a refusal it stays, with what was typed.
    // Set from an effect, which runs after the form has drawn the action's result:
    // swapping the form out in that same pass would leave its fields reading signals
    // already disposed.
    let created = RwSignal::new(None::<CreatedClient>);
    Effect::new(move |_| {
        if let Some(Ok(client)) = create.value().get() {
            created.set(Some(client));
        }
    });
    view! {
        <Title text=tr!(clients.adding.title) />
        <header class="page-header">
            <p class="muted breadcrumb">
                <a href=paths::CLIENTS>{tr!(nav.clients)}</a>
                {tr!(clients.adding.breadcrumb)}
            </p>
            <h1>{tr!(clients.adding.heading)}</h1>
        </header>
        {move || match created.get() {
            Some(created) => view! { <Created created /> }.into_any(),
            None => {
                view! {
                    <Suspense fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
                        <ErrorBoundary fallback=error_fallback>
                            {move || Suspend::new(async move {
                                let group = query.read_untracked().get("group");
                                options.await.map(|options| view! { <NewClientForm options group create /> })
                            })}
                        </ErrorBoundary>
                    </Suspense>
                }
                    .into_any()
            }
        }}
    }
}

#[component]
fn NewClientForm(
    options: ClientFormOptions,
    group: Option<String>,
    create: ServerAction<CreateClient>,
) -> impl IntoView {
    let error = action_error(create);
    let groups = options
        .groups
        .into_iter()
        .map(|group| (group.id.0.to_string(), group.label))
        .collect();
    view! {
        <ActionForm action=create attr:class="card form-card stack">
            <FormAlert error />
            <section class="form-section">
                <h2>{tr!(clients.adding.company)}</h2>
                <CompanyFields company=CompanyInfo::default() tags=Vec::new() error new_account=true />
            </section>
            <section class="form-section">
                <h2>{tr!(clients.adding.account)}</h2>
                <div class="wide-field">
                    <SelectField
                        label=tr!(clients.adding.group)
                        name="group"
                        options=groups
                        selected=group
                        placeholder=tr!(clients.adding.choose_group)
                        error=field_error(error, "group")
                    />
                </div>
                <div class="form-grid">
                    <TextField
                        label=tr!(clients.adding.seats)
                        name="seat_limit"
                        input_type="number"
                        value="5"
                        hint=tr!(clients.adding.seats_hint)
                        error=field_error(error, "seat_limit")
                    />
                    <TextField
                        label=tr!(clients.adding.sms)
                        name="sms_credits"
                        input_type="number"
                        value="0"
                        error=field_error(error, "sms_credits")
                    />
                    <TextField
                        label=tr!(clients.adding.voice)
                        name="voice_credits"
                        input_type="number"
                        value="0"
                        error=field_error(error, "voice_credits")
                    />
                </div>
                <FeatureChoices
                    offered=options.features
                    checked=Vec::new()
                    error=field_error(error, "features")
                />
            </section>
            <section class="form-section">
                <h2>{tr!(clients.adding.first_sign_in)}</h2>
                <PasswordChoices
                    legend=tr!(clients.adding.password_legend)
                    error=field_error(error, "password_choice")
                />
            </section>
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=create.pending()>
                    {tr!(clients.adding.submit)}
                </button>
                <a class="button" href=paths::CLIENTS>{tr!(common.cancel)}</a>
            </div>
        </ActionForm>
    }
}

/// Shown once after adding: the secret the Client Admin needs, which is not kept.
#[component]
fn Created(created: CreatedClient) -> impl IntoView {
    let origin = window().location().origin().unwrap_or_default();
    view! {
        <section class="card form-card stack" role="status">
            <h2>{tr!(clients.adding.added)}</h2>
            <p>
                {tr!(clients.adding.signs_in_as)} <strong>{created.admin_email.clone()}</strong>
                {tr!(clients.adding.email_on_way)}
            </p>
            {created
                .activation_link
                .map(|link| {
                    view! {
                        <Secret
                            lead=tr!(clients.adding.activation_lead)
                            value=format!("{origin}{link}")
                        />
                    }
                })}
            {created
                .temporary_password
                .map(|password| {
                    view! {
                        <Secret
                            lead=tr!(users.invite_page.temporary_lead)
                            value=password
                        />
                    }
                })}
            <p class="muted">{tr!(users.invite_page.shown_once)}</p>
            <div class="form-actions">
                <a class="button primary" href=paths::client(created.id)>{tr!(clients.adding.open)}</a>
                <a class="button" href=paths::NEW_CLIENT rel="external">{tr!(clients.adding.another)}</a>
            </div>
        </section>
    }
}
