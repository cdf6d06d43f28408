//! One task at its own address: what it is, for whom and when, the message it came
//! from, completing or cancelling it, editing it, and its activity.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{get_task, SetTaskStatus, UpdateTask};
use super::fields::TaskFields;
use super::{move_label, Activity, TaskEditor, TaskPriority, TaskStatus, TaskView};
use crate::components::error_panel::error_fallback;
use crate::components::field::{action_error, ConflictAlert};
use crate::components::revision::{on_success, Revision};
use crate::error::AppError;
use crate::paths;

#[component]
pub fn TaskPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    });
    let revision = Revision::new();
    provide_context(revision);
    let task = Resource::new(
        move || (id.get(), revision.0.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_task(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    task.await.map(|task| revision.draw(task, |task| view! { <Task task /> }))
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn Task(task: TaskView) -> impl IntoView {
    let list = paths::for_account(paths::TASKS, task.account);
    let closed = task.status != TaskStatus::Open;
    view! {
        <Title text=task.title.clone() />
        <a class="back-link" href=list>"← Tasks"</a>
        <header class="page-header task-header">
            <h1>{task.title.clone()}</h1>
            <p class="message-badges">
                <span class="badge" class:done=closed>{task.status.label()}</span>
                {(task.priority == TaskPriority::Urgent)
                    .then(|| view! { <span class="badge priority-urgent">"Urgent"</span> })}
                {task.overdue.then(|| view! { <span class="badge overdue">"Overdue"</span> })}
            </p>
        </header>
        <div class="message-grid">
            <section class="card task-card" aria-label="Task">
                <dl class="message-facts">
                    <dt>"For"</dt>
                    <dd>{task.assignee.clone()}</dd>
                    {task.due.clone().map(|due| view! { <dt>"Due"</dt><dd>{due}</dd> })}
                    <dt>"Added"</dt>
                    <dd>{task.created.clone()}</dd>
                    {task.closed.clone().map(|closed| view! { <dt>"Closed"</dt><dd>{closed}</dd> })}
                    {task
                        .source
                        .clone()
                        .map(|source| {
                            view! {
                                <dt>"From"</dt>
                                <dd>
                                    <a href=paths::inbox_message(source.id)>
                                        {format!("The message of {}", source.who)}
                                    </a>
                                    <span class="muted">{format!(" · {}", source.received)}</span>
                                </dd>
                            }
                        })}
                </dl>
                {(!task.notes.is_empty()).then(|| view! { <p class="task-notes">{task.notes.clone()}</p> })}
                <StatusMoves task=task.clone() />
            </section>
            <div class="message-side">
                {task.editor.clone().map(|editor| view! { <EditTask task=task.clone() editor /> })}
                <ActivityLog activity=task.activity.clone() />
            </div>
        </div>
    }
}

/// The buttons that complete, cancel or reopen the task, as the caller may.
#[component]
fn StatusMoves(task: TaskView) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let moving = ServerAction::<SetTaskStatus>::new();
    on_success(moving, move |_: &()| revision.bump());
    let error = action_error(moving);
    let (id, version) = (task.id, task.version);
    (!task.moves.is_empty()).then(move || {
        view! {
            <div class="task-moves">
                <ConflictAlert error on_reload=revision.reload() />
                {task
                    .moves
                    .into_iter()
                    .map(|status| {
                        let class = match status {
                            TaskStatus::Done => "button primary",
                            _ => "button",
                        };
                        view! {
                            <ActionForm action=moving>
                                <input type="hidden" name="id" value=id />
                                <input type="hidden" name="version" value=version />
                                <input type="hidden" name="status" value=status.key() />
                                <button type="submit" class=class disabled=moving.pending()>
                                    {move_label(status)}
                                </button>
                            </ActionForm>
                        }
                    })
                    .collect_view()}
            </div>
        }
    })
}

#[component]
fn EditTask(task: TaskView, editor: TaskEditor) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let update = ServerAction::<UpdateTask>::new();
    on_success(update, move |_: &()| revision.bump());
    let error = action_error(update);
    // A failed save keeps the form open, with what was typed and why it was refused.
    let open = Signal::derive(move || error.get().is_some());
    view! {
        <details class="card edit-task" open=open>
            <summary>"Edit task"</summary>
            <ActionForm action=update attr:class="stack">
                <ConflictAlert error on_reload=revision.reload() />
                <input type="hidden" name="id" value=task.id />
                <input type="hidden" name="version" value=task.version />
                <TaskFields input=task.input.clone() editor error />
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=update.pending()>"Save task"</button>
                </div>
            </ActionForm>
        </details>
    }
}

/// What was done with the task, oldest first, from the audit trail.
#[component]
fn ActivityLog(activity: Vec<Activity>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="activity-heading">
            <h2 id="activity-heading">"Activity"</h2>
            <ol class="trail">
                {activity
                    .into_iter()
                    .map(|entry| {
                        view! {
                            <li>
                                <span class="trail-what">{entry.what}</span>
                                <time class="muted">{entry.at}</time>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
