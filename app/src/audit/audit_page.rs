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

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let params = params.read();
        AuditQuery::from_params(|name| params.get(name))
    });
    let page = Resource::new(move || query.get(), list_audit);
    view! {
        <Title text="Audit log" />
        <div class="audit-page">
            <header class="page-header">
                <h1>"Audit log"</h1>
                <p class="muted">
                    "Every change, sign-in and reveal, with who made it, where and from which address. Entries cannot be changed or removed."
                </p>
            </header>
            <Transition fallback=|| view! { <p class="muted">"Loading the log…"</p> }>
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
            view! { <p class="card empty-state">"No events match these filters."</p> }.into_any()
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
                        "Older events"
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
                label="Place"
                name="under"
                placeholder="Everywhere you can see"
                options=scopes.into_iter().map(|scope| (scope.id.0.to_string(), scope.label)).collect()
                selected=Some(query.under.clone())
                error=Signal::stored(message("under"))
            />
            <SearchField
                label="Person"
                name="actor"
                value=query.actor.clone()
                placeholder="Name or email of who acted"
            />
            <SearchField
                label="About"
                name="subject"
                value=query.subject.clone()
                placeholder="Whom it was about, or who was acted as"
            />
            <SelectField
                label="Action"
                name="action"
                placeholder="Any action"
                options=actions.into_iter().map(|action| (action.clone(), action)).collect()
                selected=Some(query.action.clone())
                error=Signal::stored(message("action"))
            />
            <SearchField
                label="Impersonation"
                name="impersonation"
                value=query.impersonation.clone()
                placeholder="Its number"
                inputmode="numeric"
                error=message("impersonation")
            />
            <div class="field">
                <label for="audit-from">"From"</label>
                <input id="audit-from" type="date" name="from" value=query.from.clone() />
                <p class="field-message">{message("from")}</p>
            </div>
            <div class="field">
                <label for="audit-to">"To"</label>
                <input id="audit-to" type="date" name="to" value=query.to.clone() />
                <p class="field-message">{message("to")}</p>
            </div>
            <div class="filter-actions">
                <button type="submit" class="button primary">
                    "Apply"
                </button>
                <a class="button" href=query.export_href() rel="external" download>
                    "Export CSV"
                </a>
                {has_filters
                    .then(|| view! { <a class="button" href=paths::AUDIT>"Clear filters"</a> })}
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
        "The system".to_string()
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
                {(!acting_as.is_empty()).then(|| format!(" as {acting_as}"))}
                {(!subject.is_empty() && subject != acting_as)
                    .then(|| format!(" about {subject}"))}
                {(!node.is_empty()).then(|| format!(" at {node}"))}
            </p>
            {(details != "{}").then(|| view! { <code class="audit-details">{details}</code> })}
            {(!address.is_empty())
                .then(|| view! { <p class="muted">{format!("From {address}")}</p> })}
            {impersonation
                .map(|id| {
                    let timeline = AuditQuery {
                        impersonation: id.to_string(),
                        ..AuditQuery::default()
                    };
                    view! {
                        <p class="audit-impersonation">
                            <a href=timeline.href()>
                                {format!("Through impersonation #{id}: all it did")}
                            </a>
                        </p>
                    }
                })}
        </li>
    }
}
