//! The account's tasks: open ones by when they fall due, or the closed ones latest
//! first, and for someone who sees them all, whose.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::list_tasks;
use super::{TaskPriority, TaskQuery, TaskRow, TaskShow, TaskStatus, TaskWho, TasksView};
use crate::components::error_panel::error_fallback;
use crate::paths;
use crate::tr;

#[component]
pub fn TasksPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| TaskQuery::from_query(&params.read()));
    let tasks = Resource::new(move || query.get(), list_tasks);
    view! {
        <Title text=tr!(nav.tasks) />
        <Transition fallback=|| view! { <p class="muted">{tr!(tasks.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move { tasks.await.map(|view| view! { <TaskList view /> }) })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn TaskList(view: TasksView) -> impl IntoView {
    let query = view.query.clone();
    let empty = match query.show {
        TaskShow::Open => tr!(tasks.list.empty_open),
        TaskShow::Closed => tr!(tasks.list.empty_closed),
    };
    view! {
        <header class="page-header with-actions">
            <div>
                <h1>{tr!(nav.tasks)}</h1>
                <p class="muted">
                    {if view.sees_all { tr!(tasks.list.lead_all) } else { tr!(tasks.list.lead_own) }}
                </p>
            </div>
            {view
                .can_add
                .then(|| {
                    view! {
                        <a class="button primary" href=paths::for_account(paths::NEW_TASK, view.account)>
                            {tr!(tasks.list.add)}
                        </a>
                    }
                })}
        </header>
        <nav class="task-filters" aria-label=tr!(tasks.list.filters)>
            <FilterLinks
                label=tr!(tasks.list.show)
                links=TaskShow::ALL
                    .iter()
                    .map(|show| (show.label(), TaskQuery { show: *show, ..query.clone() }, *show == query.show))
                    .collect()
            />
            {view
                .sees_all
                .then(|| {
                    view! {
                        <FilterLinks
                            label=tr!(tasks.list.whose)
                            links=TaskWho::ALL
                                .iter()
                                .map(|who| (who.label(), TaskQuery { who: *who, ..query.clone() }, *who == query.who))
                                .collect()
                        />
                    }
                })}
        </nav>
        {if view.rows.is_empty() {
            view! { <p class="card empty-state">{empty}</p> }.into_any()
        } else {
            view! {
                <ul class="task-list" aria-label=tr!(nav.tasks)>
                    {view.rows.into_iter().map(|row| view! { <TaskItem row /> }).collect_view()}
                </ul>
            }
                .into_any()
        }}
        {view
            .more
            .then(|| {
                view! {
                    <p class="muted">
                        {tr!(tasks.list.more, limit = super::LIST_LIMIT)}
                    </p>
                }
            })}
    }
}

/// A row of links that narrow the list, the current one marked.
#[component]
fn FilterLinks(label: &'static str, links: Vec<(&'static str, TaskQuery, bool)>) -> impl IntoView {
    view! {
        <div class="filter-links">
            <span class="filter-links-label">{label}</span>
            {links
                .into_iter()
                .map(|(text, query, current)| {
                    view! {
                        <a href=query.href() class="chip" class:current=current aria-current=current.then_some("page")>
                            {text}
                        </a>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// One task in a list: the tasks page's, a message's, or the home page's.
#[component]
pub fn TaskItem(row: TaskRow) -> impl IntoView {
    let closed = row.status != TaskStatus::Open;
    view! {
        <li class="task-row" class:closed=closed>
            <a class="task-link" href=paths::task(row.id)>
                <span class="task-top">
                    <strong class="task-title">{row.title}</strong>
                    {(row.priority == TaskPriority::Urgent)
                        .then(|| view! { <span class="badge priority-urgent">{tr!(labels.task_priority.urgent)}</span> })}
                    {row.overdue.then(|| view! { <span class="badge overdue">{tr!(tasks.overdue)}</span> })}
                    {closed.then(|| view! { <span class="badge">{row.status.label()}</span> })}
                </span>
                <span class="task-facts">
                    <span class="task-for">
                        <span class="visually-hidden">{tr!(tasks.item.assignee_label)}</span>
                        {row.assignee}
                    </span>
                    {row.due.map(|due| view! { <span>{due}</span> })}
                    {row.from_message.then(|| view! { <span class="mark">{tr!(tasks.item.from_message)}</span> })}
                    {row.closed.map(|closed| view! { <span>{closed}</span> })}
                </span>
            </a>
        </li>
    }
}
