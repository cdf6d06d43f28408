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
        <Title text="Invite a user" />
        {move || match invited.get() {
            Some(invited) => view! { <InviteSent invited /> }.into_any(),
            None => {
                view! {
                    <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
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
                <a href=paths::node_users(node.id)>{format!("Users of {}", node.name)}</a>
                " › Invite"
            </p>
            <h1>"Invite a user"</h1>
            <p class="muted">
                {format!("They get access to {} and everything below it.", node.name)}
                {seats
                    .map(|seats| {
                        format!(
                            " {} of {} seats are used; an Account Manager takes none.",
                            seats.used,
                            seats.limit,
                        )
                    })}
            </p>
        </header>
        <ActionForm action=invite attr:class="card form-card stack invite-form">
            <FormAlert error />
            <input type="hidden" name="node" value=node.id.0 />
            <div class="form-grid">
                <TextField
                    label="Email"
                    name="email"
                    input_type="email"
                    autocomplete="off"
                    hint="Their username. One address is one person: someone on your staff already gets the roles added."
                    error=field_error(error, "email")
                />
                <TextField label="Name" name="name" error=field_error(error, "name") />
                <SelectField
                    label="Language"
                    name="language"
                    options=languages
                    selected=Some("en".to_string())
                    error=field_error(error, "language")
                />
                <DomainChoice domains=branding_domains error=field_error(error, "branding_domain") />
            </div>
            <RoleCheckboxes
                choices=roles
                legend="Roles (several can be held)"
                error=field_error(error, "roles")
            />
            <PasswordChoices
                legend="How do they get their first password?"
                error=field_error(error, "password_choice")
            />
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=invite.pending()>
                    "Send invite"
                </button>
                <a class="button" href=paths::node_users(node.id)>"Cancel"</a>
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
                        label="Branding domain"
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
                    <h2>"Roles added"</h2>
                    <p>
                        <strong>{invited.email.clone()}</strong>
                        " already had an account: they have the new roles at their next click."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <h2>"Invite sent"</h2>
                    <p>
                        "An email with their username and the way in is on its way to "
                        <strong>{invited.email.clone()}</strong> "."
                    </p>
                }
                    .into_any()
            }}
            {invited
                .temporary_password
                .map(|password| {
                    view! {
                        <Secret
                            lead="Their temporary password, to be changed at first sign-in:"
                            value=password
                        />
                        <p class="muted">"This is shown only once: copy it now if you want to pass it on yourself."</p>
                    }
                })}
            <div class="form-actions">
                <a class="button primary" href=paths::node_user(invited.node, invited.user)>
                    "Open their roles"
                </a>
                <a class="button" href=paths::invite_at(invited.node) rel="external">
                    "Invite another"
                </a>
                <a class="button" href=paths::node_users(invited.node)>"All users"</a>
            </div>
        </section>
    }
}
