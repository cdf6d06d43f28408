//! The account's tasks: open ones by when they fall due, or the closed ones latest
//! first, and for someone who sees them all, whose.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::list_tasks;
use super::{TaskPriority, TaskQuery, TaskRow, TaskShow, TaskStatus, TaskWho, TasksView};
use crate::components::error_panel::error_fallback;
use crate::paths;

#[component]
pub fn TasksPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| TaskQuery::from_query(&params.read()));
    let tasks = Resource::new(move || query.get(), list_tasks);
    view! {
        <Title text="Tasks" />
        <Transition fallback=|| view! { <p class="muted">"Loading tasks…"</p> }>
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
        TaskShow::Open => "No open tasks here.",
        TaskShow::Closed => "Nothing done or cancelled here yet.",
    };
    view! {
        <header class="page-header with-actions">
            <div>
                <h1>"Tasks"</h1>
                <p class="muted">
                    {if view.sees_all {
                        "What is to be done for the account, by its people or the answering service."
                    } else {
                        "The tasks for you, and those you made."
                    }}
                </p>
            </div>
            {view
                .can_add
                .then(|| {
                    view! {
                        <a class="button primary" href=paths::for_account(paths::NEW_TASK, view.account)>
                            "Add task"
                        </a>
                    }
                })}
        </header>
        <nav class="task-filters" aria-label="Which tasks">
            <FilterLinks
                label="Show"
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
                            label="Whose"
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
                <ul class="task-list" aria-label="Tasks">
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
                        {format!("Showing the first {}. Close some to see the rest.", super::LIST_LIMIT)}
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
                        .then(|| view! { <span class="badge priority-urgent">"Urgent"</span> })}
                    {row.overdue.then(|| view! { <span class="badge overdue">"Overdue"</span> })}
                    {closed.then(|| view! { <span class="badge">{row.status.label()}</span> })}
                </span>
                <span class="task-facts">
                    <span class="task-for">
                        <span class="visually-hidden">"For: "</span>
                        {row.assignee}
                    </span>
                    {row.due.map(|due| view! { <span>{due}</span> })}
                    {row.from_message.then(|| view! { <span class="mark">"From a message"</span> })}
                    {row.closed.map(|closed| view! { <span>{closed}</span> })}
                </span>
            </a>
        </li>
    }
}
