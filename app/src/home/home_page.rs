use leptos::prelude::*;
use leptos_meta::Title;

use super::api::get_home;
use super::{HomeView, OperatorsAtHome, Place};
use crate::auth::use_current_user;
use crate::briefing::seen::OperatorsSeenNote;
use crate::components::error_panel::error_fallback;
use crate::core::roles::Permission;
use crate::core::words::number;
use crate::core::NodeKind;
use crate::inbox::inbox_page::Row;
use crate::inbox::{InboxQuery, InboxSummary};
use crate::oncall::calendar_page::OnCallNowCard;
use crate::paths;
use crate::tasks::tasks_page::TaskItem;
use crate::tasks::TasksAtHome;
use crate::tenancy::SubtreeCounts;
use crate::tr;

#[component]
pub fn HomePage() -> impl IntoView {
    // Blocking: the tab title comes from it (see the route table).
    let home = Resource::new_blocking(|| (), |_| get_home());
    view! {
        <Suspense fallback=|| view! { <div class="page-loading">{tr!(common.loading)}</div> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move { home.await.map(|home| view! { <Home home /> }) })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn Home(home: HomeView) -> impl IntoView {
    let user = use_current_user();
    let first_name = move || {
        user.get()
            .and_then(Result::ok)
            .flatten()
            .and_then(|user| user.name.split_whitespace().next().map(str::to_string))
            .unwrap_or_default()
    };
    let summary = home
        .places
        .first()
        .and_then(|place| place.below.map(|c| (place.kind, c)));
    let empty = home.places.is_empty();
    view! {
        <Title text=home.title.clone() />
        <header class="page-header">
            <p class="eyebrow">{move || tr!(home.welcome_back, name = first_name())}</p>
            <h1>{home.title.clone()}</h1>
        </header>
        {home.operators.map(|operators| view! { <OperatorsCard operators /> })}
        {home.inbox.map(|inbox| view! { <PortalSummary inbox /> })}
        {home.tasks.map(|tasks| view! { <TasksCard tasks /> })}
        {summary.map(|(kind, counts)| view! { <StatCards kind counts /> })}
        {empty
            .then(|| {
                view! {
                    <section class="card empty-state">
                        <h2>{tr!(home.no_access.heading)}</h2>
                        <p>{tr!(home.no_access.text)}</p>
                    </section>
                }
            })}
        <section class="places" aria-labelledby="places-heading">
            <h2 id="places-heading" class="section-title" class:hidden=empty>
                {tr!(home.places_heading)}
            </h2>
            <ul class="place-list">
                {home.places.into_iter().map(|place| view! { <PlaceCard place /> }).collect_view()}
            </ul>
        </section>
    }
}

/// What operators read first, and who they call now.
#[component]
fn OperatorsCard(operators: OperatorsAtHome) -> impl IntoView {
    let status = if operators.status.is_empty() {
        tr!(home.operators.no_status).to_string()
    } else {
        operators.status.clone()
    };
    view! {
        <section class="card home-status" aria-labelledby="home-status-heading">
            <div class="section-head">
                <h2 id="home-status-heading">{tr!(home.operators.heading)}</h2>
                <a href=paths::STATUS>{if operators.can_edit { tr!(home.operators.change) } else { tr!(home.operators.open) }}</a>
            </div>
            <p class="status-showing">{status}</p>
            {operators.until.clone().map(|until| view! { <p class="badge">{until}</p> })}
            <OperatorsSeenNote seen=operators.seen.clone() />
        </section>
        <div class="home-on-call">
            <OnCallNowCard now=operators.on_call.clone() />
            <a class="home-on-call-link" href=paths::ON_CALL>{tr!(home.operators.on_call_link)}</a>
        </div>
    }
}

/// What a client opens the app for: what came in, what is urgent, the latest, and the
/// credit left.
#[component]
fn PortalSummary(inbox: InboxSummary) -> impl IntoView {
    let link = |unread: bool, urgent: bool| {
        InboxQuery {
            unread,
            urgent,
            ..InboxQuery::default()
        }
        .href()
    };
    let balances = inbox.balances;
    let owed = |shortfall: i64| (shortfall > 0).then(|| tr!(home.inbox.owed, count = shortfall));
    let empty = inbox.latest.is_empty();
    let any_urgent = inbox.urgent > 0;
    view! {
        <section class="stat-grid portal-stats" aria-label=tr!(home.inbox.label)>
            <a class="stat-card" href=link(true, false)>
                <span class="stat-value">{number(inbox.unread)}</span>
                <span class="stat-label">{tr!(home.inbox.unread)}</span>
            </a>
            <a class="stat-card" class:alert=any_urgent href=link(false, true)>
                <span class="stat-value">{number(inbox.urgent)}</span>
                <span class="stat-label">{tr!(home.inbox.urgent)}</span>
            </a>
            <div class="stat-card">
                <span class="stat-value">{number(balances.sms)}</span>
                <span class="stat-label">{tr!(labels.credit_kind.sms)}</span>
                {owed(balances.sms_shortfall).map(|owed| view! { <span class="shortfall">{owed}</span> })}
            </div>
            <div class="stat-card">
                <span class="stat-value">{number(balances.voice)}</span>
                <span class="stat-label">{tr!(labels.credit_kind.voice)}</span>
                {owed(balances.voice_shortfall).map(|owed| view! { <span class="shortfall">{owed}</span> })}
            </div>
        </section>
        <section class="inbox-summary" aria-labelledby="latest-heading">
            <div class="section-head">
                <h2 id="latest-heading" class="section-title">{tr!(home.inbox.latest)}</h2>
                <a href=paths::INBOX>{tr!(home.inbox.open)}</a>
            </div>
            {if empty {
                view! { <p class="card empty-state">{tr!(home.inbox.empty)}</p> }
                    .into_any()
            } else {
                view! {
                    <ul class="inbox-list">
                        {inbox.latest.into_iter().map(|row| view! { <Row row /> }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

/// The open tasks: how many, how many overdue, and those due soonest.
#[component]
fn TasksCard(tasks: TasksAtHome) -> impl IntoView {
    let count = match (tasks.open, tasks.overdue) {
        (0, _) => tr!(home.tasks.none).to_string(),
        (open, 0) => tr!(home.tasks.open, count = open),
        (open, overdue) => tr!(home.tasks.open_overdue, count = open, overdue = overdue),
    };
    let overdue = tasks.overdue > 0;
    view! {
        <section class="home-tasks" aria-labelledby="home-tasks-heading">
            <div class="section-head">
                <h2 id="home-tasks-heading" class="section-title">{tasks.heading.clone()}</h2>
                <a href=paths::for_account(paths::TASKS, tasks.account)>{tr!(home.tasks.all)}</a>
            </div>
            <p class="muted" class:alert-text=overdue>{count}</p>
            {(!tasks.soonest.is_empty())
                .then(|| {
                    view! {
                        <ul class="task-list">
                            {tasks.soonest.into_iter().map(|row| view! { <TaskItem row /> }).collect_view()}
                        </ul>
                    }
                })}
        </section>
    }
}

#[component]
fn StatCards(kind: NodeKind, counts: SubtreeCounts) -> impl IntoView {
    let cards = [
        (
            kind == NodeKind::Platform,
            tr!(home.totals.partners),
            counts.partners,
        ),
        (kind != NodeKind::Client, tr!(nav.groups), counts.groups),
        (
            kind != NodeKind::Client,
            tr!(home.totals.clients),
            counts.clients,
        ),
    ];
    view! {
        <section class="stat-grid" aria-label=tr!(home.totals.label)>
            {cards
                .into_iter()
                .filter(|(shown, _, _)| *shown)
                .map(|(_, label, value)| {
                    view! {
                        <div class="stat-card">
                            <span class="stat-value">{value}</span>
                            <span class="stat-label">{label}</span>
                        </div>
                    }
                })
                .collect_view()}
        </section>
    }
}

#[component]
fn PlaceCard(place: Place) -> impl IntoView {
    let path = place.path.join(" › ");
    // An account's own people open its page from here.
    let opens_account = place.kind == NodeKind::Client
        && place
            .roles
            .iter()
            .any(|role| role.permissions().contains(Permission::ViewNodes));
    let name = if opens_account {
        view! { <a href=paths::client(place.node)>{place.name}</a> }.into_any()
    } else {
        place.name.into_any()
    };
    view! {
        <li class="card place-card">
            <div class="place-head">
                <div>
                    <h3>{name}</h3>
                    <p class="muted breadcrumb">{path}</p>
                </div>
                <span class=format!("badge kind-{}", place.kind.key())>{place.kind.label()}</span>
            </div>
            <ul class="role-list" aria-label=tr!(home.roles_here)>
                {place
                    .roles
                    .into_iter()
                    .map(|role| {
                        view! {
                            <li class="role">
                                <span class="role-name">{role.label()}</span>
                                <span class="role-description">{role.description()}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </li>
    }
}
