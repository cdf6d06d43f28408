//! On a client account's page: "Log in as" for the staff who may, and the account's
//! support access (grant, extend, revoke) for its admins.

use leptos::prelude::*;

use super::api::{GrantSupportAccess, RevokeSupportAccess};
use super::GRANT_DAYS;
use crate::components::field::{action_error, field_error, FormAlert, SelectField};
use crate::components::revision::{on_success, Revision};
use crate::core::NodeId;
use crate::paths;
use crate::tr;

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
        .map(|days| (days.to_string(), tr!(support.card.days, count = *days)))
        .collect();
    let granted = support_access.is_some();
    view! {
        <section class="card client-card" aria-labelledby="support-heading">
            <h2 id="support-heading">{tr!(support.card.heading)}</h2>
            <p class="support-state" class:granted=granted>
                {support_access
                    .clone()
                    .unwrap_or_else(|| tr!(support.card.closed).to_string())}
            </p>
            {can_grant
                .then(|| {
                    view! {
                        <ActionForm action=grant attr:class="stack">
                            <FormAlert error=grant_error />
                            <input type="hidden" name="account" value=account.0 />
                            <SelectField
                                label=if granted { tr!(support.card.extend) } else { tr!(support.card.let_in) }
                                name="days"
                                options=days
                                selected=Some("7".to_string())
                                error=field_error(grant_error, "days")
                            />
                            <button type="submit" class="button" disabled=grant.pending()>
                                {if granted { tr!(support.card.change) } else { tr!(support.card.grant) }}
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
                                            {tr!(support.card.revoke)}
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
                            {tr!(support.card.history)}
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
            <h2 id="log-in-as-heading">{tr!(support.log_in_as)}</h2>
            <p class="muted">
                {tr!(support.card.log_in_lead)}
            </p>
            <div class="button-row">
                <a class="button" href=paths::log_in_as(account, "client", &here)>
                    {tr!(labels.mode.client)}
                </a>
                <a class="button" href=paths::log_in_as(account, "partner", &here)>
                    {tr!(labels.mode.partner)}
                </a>
            </div>
        </section>
    }
}
