//! The audit log viewer (/audit): who did what, where, when and from which address,
//! newest first, filtered by place, person, action and days, by plain GET form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::api::list_audit;
use super::{AuditEntry, AuditPage, AuditQuery};
use crate::components::error_panel::ErrorPanel;
use crate::components::field::{SearchField, SelectField};
use crate::error::AppError;
use crate::paths;
use crate::tr;

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let params = params.read();
        AuditQuery::from_params(|name| params.get(name))
    });
    let page = Resource::new(move || query.get(), list_audit);
    view! {
        <Title text=tr!(audit.title) />
        <div class="audit-page">
            <header class="page-header">
                <h1>{tr!(audit.title)}</h1>
                <p class="muted">
                    {tr!(audit.lead)}
                </p>
            </header>
            <Transition fallback=|| view! { <p class="muted">{tr!(audit.loading)}</p> }>
                {move || Suspend::new(async move {
                    let query = query.get_untracked();
                    match page.await {
                        Ok(page) => view! { <AuditView page query /> }.into_any(),
                        Err(error @ AppError::Validation(_)) => {
                            view! {
                                <AuditFilters
                                    query
                                    scopes=Vec::new()
                                    actions=Vec::new()
                                    error=Some(error)
                                />
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn AuditView(page: AuditPage, query: AuditQuery) -> impl IntoView {
    let AuditPage {
        entries,
        older,
        scopes,
        actions,
    } = page;
    view! {
        <AuditFilters query scopes actions error=None />
        {if entries.is_empty() {
            view! { <p class="card empty-state">{tr!(audit.none)}</p> }.into_any()
        } else {
            view! {
                <ol class="audit-list">
                    {entries.into_iter().map(|entry| view! { <Entry entry /> }).collect_view()}
                </ol>
            }
                .into_any()
        }}
        {older
            .map(|older| {
                view! {
                    <a class="button" href=older.href()>
                        {tr!(audit.older)}
                    </a>
                }
            })}
    }
}

#[component]
fn AuditFilters(
    query: AuditQuery,
    scopes: Vec<crate::tenancy::MoveTarget>,
    actions: Vec<String>,
    error: Option<AppError>,
) -> impl IntoView {
    let message = move |field: &str| error.as_ref().and_then(|error| error.message_for(field));
    let has_filters = AuditQuery {
        before: String::new(),
        ..query.clone()
    } != AuditQuery::default();
    view! {
        <Form method="get" action=paths::AUDIT attr:class="card filters audit-filters" attr:role="search">
            <SelectField
                label=tr!(audit.place)
                name="under"
                placeholder=tr!(audit.everywhere)
                options=scopes.into_iter().map(|scope| (scope.id.0.to_string(), scope.label)).collect()
                selected=Some(query.under.clone())
                error=Signal::stored(message("under"))
            />
            <SearchField
                label=tr!(audit.person)
                name="actor"
                value=query.actor.clone()
                placeholder=tr!(audit.person_placeholder)
            />
            <SearchField
                label=tr!(audit.about)
                name="subject"
                value=query.subject.clone()
                placeholder=tr!(audit.about_placeholder)
            />
            <SelectField
                label=tr!(audit.action)
                name="action"
                placeholder=tr!(audit.any_action)
                options=actions.into_iter().map(|action| (action.clone(), action)).collect()
                selected=Some(query.action.clone())
                error=Signal::stored(message("action"))
            />
            <SearchField
                label=tr!(audit.impersonation)
                name="impersonation"
                value=query.impersonation.clone()
                placeholder=tr!(audit.impersonation_placeholder)
                inputmode="numeric"
                error=message("impersonation")
            />
            <div class="field">
                <label for="audit-from">{tr!(audit.from)}</label>
                <input id="audit-from" type="date" name="from" value=query.from.clone() />
                <p class="field-message">{message("from")}</p>
            </div>
            <div class="field">
                <label for="audit-to">{tr!(audit.to)}</label>
                <input id="audit-to" type="date" name="to" value=query.to.clone() />
                <p class="field-message">{message("to")}</p>
            </div>
            <div class="filter-actions">
                <button type="submit" class="button primary">
                    {tr!(common.apply)}
                </button>
                <a class="button" href=query.export_href() rel="external" download>
                    {tr!(common.export_csv)}
                </a>
                {has_filters
                    .then(|| view! { <a class="button" href=paths::AUDIT>{tr!(common.clear_filters)}</a> })}
            </div>
        </Form>
    }
}

#[component]
fn Entry(entry: AuditEntry) -> impl IntoView {
    let AuditEntry {
        when,
        actor,
        subject,
        acting_as,
        node,
        action,
        details,
        address,
        impersonation,
        ..
    } = entry;
    let actor = if actor.is_empty() {
        tr!(audit.system).to_string()
    } else {
        actor
    };
    view! {
        <li class="card audit-entry">
            <p class="audit-head">
                <span class="badge">{action}</span>
                <time>{when}</time>
            </p>
            <p>
                <strong>{actor}</strong>
                {(!acting_as.is_empty()).then(|| tr!(audit.acting_as, who = acting_as.clone()))}
                {(!subject.is_empty() && subject != acting_as)
                    .then(|| tr!(audit.about_whom, whom = subject.clone()))}
                {(!node.is_empty()).then(|| tr!(audit.at, node = node.clone()))}
            </p>
            {(details != "{}").then(|| view! { <code class="audit-details">{details}</code> })}
            {(!address.is_empty())
                .then(|| view! { <p class="muted">{tr!(audit.from_address, address = address.clone())}</p> })}
            {impersonation
                .map(|id| {
                    let timeline = AuditQuery {
                        impersonation: id.to_string(),
                        ..AuditQuery::default()
                    };
                    view! {
                        <p class="audit-impersonation">
                            <a href=timeline.href()>
                                {tr!(audit.through, id = id)}
                            </a>
                        </p>
                    }
                })}
        </li>
    }
}
