//! The client page: status, company details, features and seats, credits with their
//! ledger, the SSO token, the way to what operators read, and the group. Every form carries the
//! version it was drawn from; a stale save comes back as a conflict with Reload.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{
    get_client, AddClientCredits, ModifyClientFeatures, MoveClient, RevealSsoToken, RotateSsoToken,
    SetClientStatus, SetClientVerification, UpdateClient,
};
use crate::api_keys::keys_card::ApiKeysCard;
use crate::clients::form::CompanyFields;
use crate::clients::voice_rule_card::VoiceRuleCard;
use crate::clients::{ClientView, CreditEntry, CreditKind};
use crate::components::error_panel::error_fallback;
use crate::components::fact::Fact;
use crate::components::feature_choices::FeatureChoices;
use crate::components::field::{
    action_error, field_error, ConflictAlert, FormAlert, SelectField, TextField,
};
use crate::components::revision::{on_success, Revision};
use crate::core::time::format_date;
use crate::core::words::number;
use crate::core::{ClientStatus, NodeId, VerificationPolicy};
use crate::error::AppError;
use crate::impersonation::support_card::{LogInAsCard, SupportAccessCard};
use crate::paths;
use crate::tenancy::use_node_id_param;
use crate::tr;

#[component]
pub fn ClientPage() -> impl IntoView {
    let id = use_node_id_param();
    let revision = Revision::new();
    provide_context(revision);
    // Blocking: the tab title comes from it (see the route table).
    let client = Resource::new_blocking(
        move || (id.get(), revision.0.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_client(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    client
                        .await
                        .map(|client| {
                            revision.draw(client, |client| view! { <ClientDetail client /> })
                        })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn ClientDetail(client: ClientView) -> impl IntoView {
    let title = client.company.name.clone();
    view! {
        <Title text=title.clone() />
        <header class="page-header with-actions">
            <div>
                <p class="muted breadcrumb">
                    <a href=paths::CLIENTS>{tr!(nav.clients)}</a>
                    {client.path.iter().skip(1).map(|name| format!(" › {name}")).collect::<String>()}
                </p>
                <h1>
                    {title}
                    <span class=format!(
                        "badge status-{}",
                        client.status.key(),
                    )>{client.status.label()}</span>
                </h1>
                <p class="muted">
                    {tr!(
                        clients.page.number_added,
                        id = client.id.0,
                        day = format_date(client.created_at)
                    )}
                </p>
            </div>
            <div class="header-actions">
                {client
                    .can_read_inbox
                    .then(|| {
                        let inbox = paths::with_query(paths::INBOX, &format!("account={}", client.id.0));
                        view! {
                            <a class="button" href=inbox>
                                {tr!(clients.page.inbox)}
                            </a>
                        }
                    })}
                {client
                    .can_manage_users
                    .then(|| {
                        view! {
                            <a class="button" href=paths::node_users(client.id)>
                                {tr!(clients.page.users)}
                            </a>
                        }
                    })}
                {client.can_manage.then(|| view! { <StatusForm client=client.clone() /> })}
            </div>
        </header>
        <div class="client-grid">
            <div class="client-main">
                <CompanyCard client=client.clone() />
                <CreditsCard client=client.clone() />
            </div>
            <div class="client-side">
                {client.can_log_in_as.then(|| view! { <LogInAsCard account=client.id /> })}
                {(client.can_grant_support || client.can_view_access_history)
                    .then(|| view! { <SupportAccessCard
                            account=client.id
                            support_access=client.support_access.clone()
                            can_grant=client.can_grant_support
                            can_view_history=client.can_view_access_history
                        /> })}
                <FeaturesCard client=client.clone() />
                {client.reads_briefing.then(|| view! { <OperatorsCard client=client.clone() /> })}
                {client
                    .can_manage
                    .then(|| {
                        view! {
                            <VerificationCard client=client.clone() />
                            <VoiceRuleCard client=client.clone() />
                            <SsoTokenCard id=client.id />
                            <ApiKeysCard owner=client.id />
                            <MoveCard client=client.clone() />
                        }
                    })}
            </div>
        </div>
    }
}

/// Runs `then` after each successful submission of `action`.
#[component]
fn StatusForm(client: ClientView) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let set_status = ServerAction::<SetClientStatus>::new();
    on_success(set_status, move |_: &()| revision.bump());
    let error = action_error(set_status);
    let (target, label, class) = match client.status {
        ClientStatus::Active => (
            ClientStatus::Suspended,
            tr!(clients.page.suspend),
            "button danger",
        ),
        ClientStatus::Pending | ClientStatus::Suspended => (
            ClientStatus::Active,
            tr!(clients.page.activate),
            "button primary",
        ),
    };
    view! {
        <ActionForm action=set_status attr:class="header-actions status-form">
            <input type="hidden" name="id" value=client.id.0 />
            <input type="hidden" name="version" value=client.version />
            <input type="hidden" name="status" value=target.key() />
            <button type="submit" class=class disabled=set_status.pending()>
                {label}
            </button>
            <ConflictAlert error on_reload=revision.reload() />
        </ActionForm>
    }
}

#[component]
fn CompanyCard(client: ClientView) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let update = ServerAction::<UpdateClient>::new();
    on_success(update, move |_: &()| revision.bump());
    let error = action_error(update);
    let company = client.company.clone();
    view! {
        <section class="card client-card" aria-labelledby="company-heading">
            <h2 id="company-heading">{tr!(clients.page.company)}</h2>
            {if client.can_manage {
                view! {
                    <ActionForm action=update attr:class="stack">
                        <ConflictAlert error on_reload=revision.reload() />
                        <input type="hidden" name="id" value=client.id.0 />
                        <input type="hidden" name="version" value=client.version />
                        <CompanyFields company tags=client.tags.clone() error />
                        <div class="form-actions">
                            <button type="submit" class="button primary" disabled=update.pending()>
                                {tr!(clients.page.save_company)}
                            </button>
                        </div>
                    </ActionForm>
                }
                    .into_any()
            } else {
                view! {
                    <dl class="facts">
                        <Fact term=tr!(clients.form.contact) value=company.contact_name />
                        <Fact term=tr!(clients.form.email) value=company.email />
                        <Fact term=tr!(clients.form.phone) value=company.phone />
                        <Fact term=tr!(clients.form.address) value=company.address />
                        <Fact term=tr!(clients.form.time_zone) value=company.time_zone />
                        <Fact term=tr!(clients.form.tags) value=client.tags.join(", ") />
                    </dl>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn FeaturesCard(client: ClientView) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let modify = ServerAction::<ModifyClientFeatures>::new();
    on_success(modify, move |_: &()| revision.bump());
    let error = action_error(modify);
    let seats = tr!(
        clients.page.seats,
        used = client.seats_used,
        limit = client.seat_limit
    );
    view! {
        <section class="card client-card" aria-labelledby="features-heading">
            <h2 id="features-heading">{tr!(clients.page.features)}</h2>
            <p class="seat-meter">{seats}</p>
            {if client.can_manage {
                view! {
                    <ActionForm action=modify attr:class="stack">
                        <ConflictAlert error on_reload=revision.reload() />
                        <input type="hidden" name="id" value=client.id.0 />
                        <input type="hidden" name="version" value=client.version />
                        <FeatureChoices
                            offered=client.grantable_features.clone()
                            checked=client.features.clone()
                            error=field_error(error, "features")
                        />
                        <TextField
                            label=tr!(clients.page.user_seats)
                            name="seat_limit"
                            input_type="number"
                            value=client.seat_limit.to_string()
                            hint=seat_hint(client.seats_used)
                            error=field_error(error, "seat_limit")
                        />
                        <button type="submit" class="button" disabled=modify.pending()>
                            {tr!(clients.page.save_features)}
                        </button>
                    </ActionForm>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="feature-list">
                        {client
                            .features
                            .iter()
                            .map(|feature| view! { <li>{feature.label()}</li> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

fn seat_hint(used: i64) -> String {
    match used {
        0 => tr!(clients.page.seat_hint_none).to_string(),
        _ => tr!(clients.page.seat_hint, count = used),
    }
}

#[component]
fn CreditsCard(client: ClientView) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let top_up = ServerAction::<AddClientCredits>::new();
    on_success(top_up, move |_: &i64| revision.bump());
    let error = action_error(top_up);
    let credit_options = CreditKind::ALL
        .iter()
        .map(|credit| (credit.key().to_string(), credit.label().to_string()))
        .collect();
    view! {
        <section class="card client-card" aria-labelledby="credits-heading">
            <h2 id="credits-heading">{tr!(clients.page.credits)}</h2>
            <div class="balances">
                <Balance
                    label=tr!(labels.credit_kind.sms)
                    amount=client.sms_balance
                    shortfall=client.sms_shortfall
                />
                <Balance
                    label=tr!(labels.credit_kind.voice)
                    amount=client.voice_balance
                    shortfall=client.voice_shortfall
                />
            </div>
            {client
                .can_manage
                .then(|| {
                    view! {
                        <ActionForm action=top_up attr:class="inline-form">
                            <FormAlert error />
                            <input type="hidden" name="id" value=client.id.0 />
                            <SelectField
                                label=tr!(clients.page.credit)
                                name="credit"
                                id="top-up-credit"
                                options=credit_options
                                error=field_error(error, "credit")
                            />
                            <TextField
                                label=tr!(clients.page.amount)
                                name="amount"
                                id="top-up-amount"
                                input_type="number"
                                error=field_error(error, "amount")
                            />
                            <TextField
                                label=tr!(common.note)
                                name="note"
                                id="top-up-note"
                                error=field_error(error, "note")
                            />
                            <button type="submit" class="button" disabled=top_up.pending()>
                                {tr!(clients.page.add_credits)}
                            </button>
                        </ActionForm>
                    }
                })}
            <Ledger entries=client.ledger.clone() />
        </section>
    }
}

/// A balance, and what usage beyond it left owed.
#[component]
fn Balance(label: &'static str, amount: i64, shortfall: i64) -> impl IntoView {
    view! {
        <div class="balance" class:low=amount < super::LOW_CREDIT>
            <span class="muted">{label}</span>
            <strong>{number(amount)}</strong>
            {(shortfall > 0)
                .then(|| {
                    view! {
                        <span class="shortfall">
                            {tr!(clients.page.owed_first, owed = shortfall)}
                        </span>
                    }
                })}
        </div>
    }
}

/// How an entry moved what is owed, in words.
fn shortfall_note(change: i64) -> Option<String> {
    match change {
        0 => None,
        owed if owed > 0 => Some(tr!(clients.page.not_covered, owed = owed)),
        paid => Some(tr!(clients.page.paid_owed, paid = -paid)),
    }
}

#[component]
fn Ledger(entries: Vec<CreditEntry>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="muted">{tr!(clients.page.no_movements)}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="data-table ledger">
                <caption class="muted">{tr!(clients.page.latest)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr!(clients.page.date)}</th>
                        <th scope="col">{tr!(clients.page.credit)}</th>
                        <th scope="col">{tr!(clients.page.entry)}</th>
                        <th scope="col" class="numeric">{tr!(clients.page.amount)}</th>
                        <th scope="col" class="numeric">{tr!(clients.page.balance)}</th>
                        <th scope="col">{tr!(common.note)}</th>
                    </tr>
                </thead>
                <tbody>
                    {entries
                        .into_iter()
                        .map(|entry| {
                            let amount = if entry.amount > 0 {
                                format!("+{}", number(entry.amount))
                            } else {
                                number(entry.amount)
                            };
                            let by = entry.actor_name.map(|name| format!(" · {name}")).unwrap_or_default();
                            view! {
                                <tr>
                                    <td data-label=tr!(clients.page.date) class="date">{format_date(entry.created_at)}</td>
                                    <td data-label=tr!(clients.page.credit)>{entry.credit.label()}</td>
                                    <td data-label=tr!(clients.page.entry)>{entry.entry_type.label()}</td>
                                    <td data-label=tr!(clients.page.amount) class="numeric">{amount}</td>
                                    <td data-label=tr!(clients.page.balance) class="numeric">{number(entry.balance_after)}</td>
                                    <td data-label=tr!(common.note)>
                                        <span class="ledger-note">{entry.note}</span>
                                        <span class="muted">{by}</span>
                                        {shortfall_note(entry.shortfall_change)
                                            .map(|note| view! { <span class="shortfall">{note}</span> })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Where the account's status, contacts, resources and on-call calendar for
/// operators are kept: its portal, named for this account.
#[component]
fn OperatorsCard(client: ClientView) -> impl IntoView {
    let link = move |path: &str, label: &'static str| {
        view! { <li><a href=paths::for_account(path, client.id)>{label}</a></li> }
    };
    view! {
        <section class="card client-card" aria-labelledby="operator-heading">
            <h2 id="operator-heading">{tr!(clients.page.operators)}</h2>
            <p class="muted">{tr!(clients.page.operators_lead)}</p>
            <ul class="link-list">
                {link(paths::STATUS, tr!(home.operators.heading))}
                {link(paths::CONTACTS, tr!(briefing.contacts.title))}
                {link(paths::RESOURCES, tr!(briefing.resources.title))}
                {link(paths::ON_CALL, tr!(clients.page.on_call_calendar))}
            </ul>
        </section>
    }
}

/// What the account's Client Users verify before first access.
#[component]
fn VerificationCard(client: ClientView) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let set = ServerAction::<SetClientVerification>::new();
    on_success(set, move |_: &()| revision.bump());
    let error = action_error(set);
    let options = VerificationPolicy::ALL
        .iter()
        .map(|policy| (policy.key().to_string(), policy.label().to_string()))
        .collect();
    view! {
        <section class="card client-card" aria-labelledby="verification-heading">
            <h2 id="verification-heading">{tr!(clients.page.verification)}</h2>
            <p class="muted">
                {tr!(clients.page.verification_lead)}
            </p>
            <ActionForm action=set attr:class="stack">
                <ConflictAlert error on_reload=revision.reload() />
                <input type="hidden" name="id" value=client.id.0 />
                <input type="hidden" name="version" value=client.version />
                <SelectField
                    label=tr!(clients.page.verify)
                    name="verification"
                    options
                    selected=Some(client.verification.key().to_string())
                    error=field_error(error, "verification")
                />
                <button type="submit" class="button" disabled=set.pending()>
                    {tr!(clients.page.save_verification)}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn SsoTokenCard(id: NodeId) -> impl IntoView {
    let reveal = ServerAction::<RevealSsoToken>::new();
    let rotate = ServerAction::<RotateSsoToken>::new();
    let shown = RwSignal::new(None::<String>);
    on_success(reveal, move |token: &String| shown.set(Some(token.clone())));
    on_success(rotate, move |token: &String| shown.set(Some(token.clone())));
    let reveal_error = action_error(reveal);
    let rotate_error = action_error(rotate);
    view! {
        <section class="card client-card" aria-labelledby="sso-heading">
            <h2 id="sso-heading">{tr!(clients.page.sso)}</h2>
            <p class="muted">
                {tr!(clients.page.sso_lead)}
            </p>
            <code class="secret-value" aria-label=tr!(clients.page.sso)>
                {move || shown.get().unwrap_or_else(|| "•".repeat(24))}
            </code>
            <ActionForm action=reveal attr:class="stack">
                <FormAlert error=reveal_error />
                <input type="hidden" name="id" value=id.0 />
                <button type="submit" class="button" disabled=reveal.pending()>
                    {tr!(clients.page.reveal)}
                </button>
            </ActionForm>
            <ActionForm action=rotate attr:class="stack rotate-form">
                <FormAlert error=Signal::derive(move || {
                    rotate_error.get().filter(|error| error.message_for("confirm").is_none())
                }) />
                <input type="hidden" name="id" value=id.0 />
                <div
                    class="field"
                    class:has-error=move || field_error(rotate_error, "confirm").read().is_some()
                >
                    <label class="checkbox">
                        <input type="checkbox" name="confirm" value="yes" />
                        {tr!(clients.page.replace_confirm)}
                    </label>
                    <p class="field-message">{move || field_error(rotate_error, "confirm").get()}</p>
                </div>
                <button type="submit" class="button danger" disabled=rotate.pending()>
                    {tr!(clients.page.rotate)}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn MoveCard(client: ClientView) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let move_action = ServerAction::<MoveClient>::new();
    on_success(move_action, move |_: &()| revision.bump());
    let error = action_error(move_action);
    let targets = client
        .move_targets
        .iter()
        .map(|target| (target.id.0.to_string(), target.label.clone()))
        .collect();
    view! {
        <section class="card client-card" aria-labelledby="move-heading">
            <h2 id="move-heading">{tr!(clients.page.group)}</h2>
            <ActionForm action=move_action attr:class="stack">
                <ConflictAlert error on_reload=revision.reload() />
                <input type="hidden" name="id" value=client.id.0 />
                <input type="hidden" name="version" value=client.version />
                <SelectField
                    label=tr!(clients.page.move_to)
                    name="group"
                    id="move-client-group"
                    options=targets
                    placeholder=tr!(clients.adding.choose_group)
                    error=field_error(error, "group")
                />
                <button type="submit" class="button" disabled=move_action.pending()>
                    {tr!(clients.page.move_client)}
                </button>
            </ActionForm>
        </section>
    }
}
