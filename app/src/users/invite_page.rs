//! Invite a user at a node: who they are, their language and branding domain, their
//! roles and how they get in. A plain form that works before hydration.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{get_invite_options, InviteUser};
use super::form::{PasswordChoices, RoleCheckboxes};
use crate::components::error_panel::error_fallback;
use crate::components::field::{action_error, field_error, FormAlert, SelectField, TextField};
use crate::components::secret::Secret;
use crate::core::Language;
use crate::error::AppError;
use crate::paths;
use crate::tenancy::use_node_id_param;
use crate::tr;
use crate::users::{InviteOptions, Invited};

#[component]
pub fn InvitePage() -> impl IntoView {
    let node = use_node_id_param();
    let options = Resource::new(
        move || node.get(),
        |node| async move {
            match node {
                Some(node) => get_invite_options(node).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let invite = ServerAction::<InviteUser>::new();
    // Only success replaces the form: after a refusal it stays, with what was typed.
    let invited = RwSignal::new(None::<Invited>);
    Effect::new(move |_| {
        if let Some(Ok(done)) = invite.value().get() {
            invited.set(Some(done));
        }
    });
    view! {
        <Title text=tr!(users.invite) />
        {move || match invited.get() {
            Some(invited) => view! { <InviteSent invited /> }.into_any(),
            None => {
                view! {
                    <Suspense fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
                        <ErrorBoundary fallback=error_fallback>
                            {move || Suspend::new(async move {
                                options.await.map(|options| view! { <InviteForm options invite /> })
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
fn InviteForm(options: InviteOptions, invite: ServerAction<InviteUser>) -> impl IntoView {
    let error = action_error(invite);
    let InviteOptions {
        node,
        roles,
        branding_domains,
        seats,
    } = options;
    let languages = Language::ALL
        .iter()
        .map(|language| (language.key().to_string(), language.label().to_string()))
        .collect();
    view! {
        <header class="page-header">
            <p class="muted breadcrumb">
                <a href=paths::node_users(node.id)>{tr!(users.of_node, node = node.name.clone())}</a>
                " › Invite"
            </p>
            <h1>{tr!(users.invite)}</h1>
            <p class="muted">
                {tr!(users.invite_page.gets_access, node = node.name.clone())}
                {seats
                    .map(|seats| {
                        tr!(users.invite_page.seats, used = seats.used, limit = seats.limit)
                    })}
            </p>
        </header>
        <ActionForm action=invite attr:class="card form-card stack invite-form">
            <FormAlert error />
            <input type="hidden" name="node" value=node.id.0 />
            <div class="form-grid">
                <TextField
                    label=tr!(users.invite_page.email)
                    name="email"
                    input_type="email"
                    autocomplete="off"
                    hint=tr!(users.invite_page.email_hint)
                    error=field_error(error, "email")
                />
                <TextField label=tr!(users.invite_page.name) name="name" error=field_error(error, "name") />
                <SelectField
                    label=tr!(users.invite_page.language)
                    name="language"
                    options=languages
                    selected=Some("en".to_string())
                    error=field_error(error, "language")
                />
                <DomainChoice domains=branding_domains error=field_error(error, "branding_domain") />
            </div>
            <RoleCheckboxes
                choices=roles
                legend=tr!(users.invite_page.roles)
                error=field_error(error, "roles")
            />
            <PasswordChoices
                legend=tr!(users.invite_page.first_password)
                error=field_error(error, "password_choice")
            />
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=invite.pending()>
                    {tr!(users.invite_page.send)}
                </button>
                <a class="button" href=paths::node_users(node.id)>{tr!(common.cancel)}</a>
            </div>
        </ActionForm>
    }
}

/// The branding domain of the user's emails and links: a choice only where the
/// partner has several.
#[component]
fn DomainChoice(domains: Vec<String>, error: Signal<Option<String>>) -> impl IntoView {
    match domains.len() {
        0 => None,
        1 => Some(
            view! { <input type="hidden" name="branding_domain" value=domains[0].clone() /> }
                .into_any(),
        ),
        _ => {
            let options = domains
                .iter()
                .map(|domain| (domain.clone(), domain.clone()))
                .collect();
            Some(
                view! {
                    <SelectField
                        label=tr!(users.invite_page.branding_domain)
                        name="branding_domain"
                        options
                        selected=domains.first().cloned()
                        error
                    />
                }
                .into_any(),
            )
        }
    }
}

/// Shown once after inviting: the temporary password, if one was made, is not kept.
#[component]
fn InviteSent(invited: Invited) -> impl IntoView {
    view! {
        <section class="card form-card stack" role="status">
            {if invited.existing_account {
                view! {
                    <h2>{tr!(users.invite_page.roles_added)}</h2>
                    <p>
                        <strong>{invited.email.clone()}</strong>
                        {tr!(users.invite_page.already_had)}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <h2>{tr!(users.invite_page.sent)}</h2>
                    <p>
                        {tr!(users.invite_page.sent_to)}
                        <strong>{invited.email.clone()}</strong> {tr!(common.period)}
                    </p>
                }
                    .into_any()
            }}
            {invited
                .temporary_password
                .map(|password| {
                    view! {
                        <Secret
                            lead=tr!(users.invite_page.temporary_lead)
                            value=password
                        />
                        <p class="muted">{tr!(users.invite_page.shown_once)}</p>
                    }
                })}
            <div class="form-actions">
                <a class="button primary" href=paths::node_user(invited.node, invited.user)>
                    {tr!(users.invite_page.open_roles)}
                </a>
                <a class="button" href=paths::invite_at(invited.node) rel="external">
                    {tr!(users.invite_page.another)}
                </a>
                <a class="button" href=paths::node_users(invited.node)>{tr!(users.invite_page.all_users)}</a>
            </div>
        </section>
    }
}
