//! A client account's access history: each time someone came in by impersonation,
//! who, as whom, why, how it ended, and what they changed.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::get_access_history;
use crate::components::error_panel::error_fallback;
use crate::core::Mode;
use crate::error::AppError;
use crate::impersonation::{AccessHistory, Visit};
use crate::paths;
use crate::tenancy::use_node_id_param;
use crate::tr;

#[component]
pub fn AccessHistoryPage() -> impl IntoView {
    let account = use_node_id_param();
    let history = Resource::new(
        move || account.get(),
        |account| async move {
            match account {
                Some(account) => get_access_history(account).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=tr!(support.access.title) />
        <Suspense fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    history
                        .await
                        .map(|history| {
                            let back = account.get_untracked().map(paths::client);
                            view! { <History history back /> }
                        })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn History(history: AccessHistory, back: Option<String>) -> impl IntoView {
    let empty = history.visits.is_empty();
    view! {
        <header class="page-header">
            <p class="muted breadcrumb">
                <a href=back.unwrap_or_else(|| paths::HOME.to_string())>{history.account_name.clone()}</a>
                {tr!(support.access.breadcrumb)}
            </p>
            <h1>{tr!(support.access.title)}</h1>
            <p class="muted">
                {tr!(support.access.lead)}
            </p>
        </header>
        {empty
            .then(|| {
                view! {
                    <section class="card empty-state">
                        <h2>{tr!(support.access.none)}</h2>
                        <p>{tr!(support.access.none_text)}</p>
                    </section>
                }
            })}
        <ol class="visits">
            {history.visits.into_iter().map(|visit| view! { <VisitCard visit /> }).collect_view()}
        </ol>
    }
}

#[component]
fn VisitCard(visit: Visit) -> impl IntoView {
    let as_whom = match visit.mode {
        Mode::Client => tr!(support.access.as_user, who = visit.acting_as.clone()),
        Mode::Partner => tr!(support.access.as_partner).to_string(),
    };
    let changes = visit.changes;
    let no_changes = changes.is_empty();
    view! {
        <li class="card visit">
            <div class="visit-head">
                <h2>
                    {visit.who} <span class="muted">{format!(" {as_whom}")}</span>
                </h2>
                <span class="badge">{visit.mode.label()}</span>
            </div>
            <p class="visit-reason">
                <span class="muted">{tr!(support.access.reason)}</span>
                {visit.reason}
            </p>
            <p class="muted visit-times">
                {tr!(support.access.came_in, started = visit.started.clone(), ended = visit.ended.clone())}
            </p>
            {if no_changes {
                view! { <p class="muted">{tr!(support.access.nothing_changed)}</p> }.into_any()
            } else {
                view! {
                    <ul class="visit-changes" aria-label=tr!(support.access.changes)>
                        {changes
                            .into_iter()
                            .map(|change| {
                                view! {
                                    <li>
                                        <span class="muted">{change.when}</span>
                                        " "
                                        <strong>{change.action}</strong>
                                        " "
                                        <code>{change.details}</code>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </li>
    }
}
