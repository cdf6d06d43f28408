//! One task at its own address: what it is, for whom and when, the message it came
//! from, completing or cancelling it, editing it, and its activity.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{get_task, SetTaskStatus, UpdateTask};
use super::fields::TaskFields;
use super::{move_label, TaskEditor, TaskPriority, TaskStatus, TaskView};
use crate::components::field::{action_error, ConflictAlert};
use crate::components::revision::{on_success, record_page, Revision};
use crate::components::trail::Trail;
use crate::paths;
use crate::tr;

#[component]
pub fn TaskPage() -> impl IntoView {
    record_page(get_task, |task| view! { <Task task /> })
}

#[component]
fn Task(task: TaskView) -> impl IntoView {
    let list = paths::for_account(paths::TASKS, task.account);
    let closed = task.status != TaskStatus::Open;
    view! {
        <Title text=task.title.clone() />
        <a class="back-link" href=list>{tr!(tasks.page.back)}</a>
        <header class="page-header task-header">
            <h1>{task.title.clone()}</h1>
            <p class="message-badges">
                <span class="badge" class:done=closed>{task.status.label()}</span>
                {(task.priority == TaskPriority::Urgent)
                    .then(|| view! { <span class="badge priority-urgent">{tr!(tasks.page.urgent)}</span> })}
                {task.overdue.then(|| view! { <span class="badge overdue">{tr!(tasks.overdue)}</span> })}
            </p>
        </header>
        <div class="message-grid">
            <section class="card task-card" aria-label=tr!(tasks.page.label)>
                <dl class="message-facts">
                    <dt>{tr!(tasks.page.assignee)}</dt>
                    <dd>{task.assignee.clone()}</dd>
                    {task.due.clone().map(|due| view! { <dt>{tr!(tasks.page.when)}</dt><dd>{due}</dd> })}
                    <dt>{tr!(tasks.page.added)}</dt>
                    <dd>{task.created.clone()}</dd>
                    {task.closed.clone().map(|closed| view! { <dt>{tr!(tasks.page.closed)}</dt><dd>{closed}</dd> })}
                    {task
                        .source
                        .clone()
                        .map(|source| {
                            view! {
                                <dt>{tr!(tasks.page.from)}</dt>
                                <dd>
                                    <a href=paths::inbox_message(source.id)>
                                        {tr!(tasks.page.message_of, who = &source.who)}
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
                <Trail heading=tr!(tasks.page.activity) id="activity-heading" steps=task.activity.clone() />
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
            <summary>{tr!(tasks.page.edit)}</summary>
            <ActionForm action=update attr:class="stack">
                <ConflictAlert error on_reload=revision.reload() />
                <input type="hidden" name="id" value=task.id />
                <input type="hidden" name="version" value=task.version />
                <TaskFields input=task.input.clone() editor error />
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=update.pending()>{tr!(tasks.page.save)}</button>
                </div>
            </ActionForm>
        </details>
    }
}
