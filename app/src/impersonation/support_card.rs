//! On a client account's page: "Log in as" for the staff who may, and the account's
//! support access (grant, extend, revoke) for its admins.

use leptos::prelude::*;

use super::api::{GrantSupportAccess, RevokeSupportAccess};
use super::GRANT_DAYS;
use crate::clients::ClientView;
use crate::components::field::{action_error, field_error, FormAlert, SelectField};
use crate::components::revision::{on_success, Revision};
use crate::paths;

/// Support access, and the way to the account's access history.
#[component]
pub fn SupportAccessCard(client: ClientView) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let grant = ServerAction::<GrantSupportAccess>::new();
    let revoke = ServerAction::<RevokeSupportAccess>::new();
    on_success(grant, move |_: &()| revision.bump());
    on_success(revoke, move |_: &()| revision.bump());
    let grant_error = action_error(grant);
    let revoke_error = action_error(revoke);
    let days = GRANT_DAYS
        .iter()
        .map(|days| {
            let label = if *days == 1 {
                "1 day".to_string()
            } else {
                format!("{days} days")
            };
            (days.to_string(), label)
        })
        .collect();
    let granted = client.support_access.is_some();
    view! {
        <section class="card client-card" aria-labelledby="support-heading">
            <h2 id="support-heading">"Support access"</h2>
            <p class="support-state" class:granted=granted>
                {client
                    .support_access
                    .clone()
                    .unwrap_or_else(|| "Support staff cannot open this account.".to_string())}
            </p>
            {client
                .can_grant_support
                .then(|| {
                    view! {
                        <ActionForm action=grant attr:class="stack">
                            <FormAlert error=grant_error />
                            <input type="hidden" name="account" value=client.id.0 />
                            <SelectField
                                label=if granted { "Extend or shorten to" } else { "Let support in for" }
                                name="days"
                                options=days
                                selected=Some("7".to_string())
                                error=field_error(grant_error, "days")
                            />
                            <button type="submit" class="button" disabled=grant.pending()>
                                {if granted { "Change access" } else { "Grant support access" }}
                            </button>
                        </ActionForm>
                        {granted
                            .then(|| {
                                view! {
                                    <ActionForm action=revoke attr:class="stack">
                                        <FormAlert error=revoke_error />
                                        <input type="hidden" name="account" value=client.id.0 />
                                        <button
                                            type="submit"
                                            class="button danger"
                                            disabled=revoke.pending()
                                        >
                                            "Revoke support access"
                                        </button>
                                    </ActionForm>
                                }
                            })}
                    }
                })}
            {client
                .can_view_access_history
                .then(|| {
                    view! {
                        <a class="card-link" href=paths::access_history(client.id)>
                            "Access history: who came in, and why →"
                        </a>
                    }
                })}
        </section>
    }
}

/// The way in for staff who may act in the account.
#[component]
pub fn LogInAsCard(client: ClientView) -> impl IntoView {
    let here = paths::client(client.id);
    view! {
        <section class="card client-card" aria-labelledby="log-in-as-heading">
            <h2 id="log-in-as-heading">"Log in as"</h2>
            <p class="muted">
                "Act in this account for a while, with a reason, under a banner; everything is recorded."
            </p>
            <div class="button-row">
                <a class="button" href=paths::log_in_as(client.id, "client", &here)>
                    "Log in as Client"
                </a>
                <a class="button" href=paths::log_in_as(client.id, "partner", &here)>
                    "Log in as Partner"
                </a>
            </div>
        </section>
    }
}
