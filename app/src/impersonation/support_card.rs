//! On a client account's page: "Log in as" for the staff who may, and the account's
//! support access (grant, extend, revoke) for its admins.

use leptos::prelude::*;

use super::api::{GrantSupportAccess, RevokeSupportAccess};
use super::GRANT_DAYS;
use crate::components::field::{action_error, field_error, FormAlert, SelectField};
use crate::components::revision::{on_success, Revision};
use crate::core::NodeId;
use crate::paths;

/// Support access to `account`: the grant in force (`support_access`, a sentence
/// saying until when), the form to grant or end it for those who may (`can_grant`),
/// and the way to the account's access history for those who may read it.
#[component]
pub fn SupportAccessCard(
    account: NodeId,
    support_access: Option<String>,
    can_grant: bool,
    can_view_history: bool,
) -> impl IntoView {
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
    let granted = support_access.is_some();
    view! {
        <section class="card client-card" aria-labelledby="support-heading">
            <h2 id="support-heading">"Support access"</h2>
            <p class="support-state" class:granted=granted>
                {support_access
                    .clone()
                    .unwrap_or_else(|| "Support staff cannot open this account.".to_string())}
            </p>
            {can_grant
                .then(|| {
                    view! {
                        <ActionForm action=grant attr:class="stack">
                            <FormAlert error=grant_error />
                            <input type="hidden" name="account" value=account.0 />
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
                                        <input type="hidden" name="account" value=account.0 />
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
            {can_view_history
                .then(|| {
                    view! {
                        <a class="card-link" href=paths::access_history(account)>
                            "Access history: who came in, and why →"
                        </a>
                    }
                })}
        </section>
    }
}

/// The way in for staff who may act in the account.
#[component]
pub fn LogInAsCard(account: NodeId) -> impl IntoView {
    let here = paths::client(account);
    view! {
        <section class="card client-card" aria-labelledby="log-in-as-heading">
            <h2 id="log-in-as-heading">"Log in as"</h2>
            <p class="muted">
                "Act in this account for a while, with a reason, under a banner; everything is recorded."
            </p>
            <div class="button-row">
                <a class="button" href=paths::log_in_as(account, "client", &here)>
                    "Log in as Client"
                </a>
                <a class="button" href=paths::log_in_as(account, "partner", &here)>
                    "Log in as Partner"
                </a>
            </div>
        </section>
    }
}
