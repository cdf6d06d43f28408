//! One message at its own address: everything the operator took, the call it came
//! on, its history, and acknowledging it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{get_message, AcknowledgeMessage, AddTaskFromMessage, ReplyToMessage};
use super::{Channel, InboxQuery, LinkedCall, MessageView, Priority};
use crate::components::error_panel::error_fallback;
use crate::components::field::{action_error, field_error, FormAlert, TextAreaField};
use crate::components::revision::on_success;
use crate::components::trail::Trail;
use crate::error::AppError;
use crate::tasks::fields::TaskFields;
use crate::tasks::tasks_page::TaskItem;
use crate::tasks::{TaskEditor, TaskInput, TaskRow};
use crate::tr;

#[component]
pub fn MessagePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    });
    let reloaded = RwSignal::new(0u32);
    // Blocking: the tab title comes from it.
    let message = Resource::new_blocking(
        move || (id.get(), reloaded.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_message(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    message.await.map(|message| view! { <Message message reloaded /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn Message(message: MessageView, reloaded: RwSignal<u32>) -> impl IntoView {
    let who = [
        message.caller_name.as_str(),
        message.callback_number.as_str(),
    ]
    .into_iter()
    .find(|text| !text.is_empty())
    .unwrap_or(tr!(inbox.unknown_caller))
    .to_string();
    let back = InboxQuery {
        account: Some(message.account),
        ..InboxQuery::default()
    }
    .href();
    let channel = match message.channel {
        Channel::Call => tr!(inbox.message.from_call),
        Channel::Sms => tr!(inbox.message.text_message),
        Channel::Chat => tr!(inbox.message.chat_message),
    };
    let tel = format!("tel:{}", message.callback_number.replace(' ', ""));
    let has_callback = !message.callback_number.is_empty();
    let fields = message.fields.clone();
    let recipients = message.recipients.join(", ");
    view! {
        <Title text=who.clone() />
        <a class="back-link" href=back>{tr!(inbox.message.back)}</a>
        <header class="page-header message-header">
            <p class="eyebrow">{format!("{channel} · {}", message.received)}</p>
            <h1>{who}</h1>
            <p class="message-badges">
                {(message.priority != Priority::Normal)
                    .then(|| {
                        view! {
                            <span class=format!("badge priority-{}", message.priority.key())>
                                {message.priority.label()}
                            </span>
                        }
                    })}
                <span class="badge">{message.status.label()}</span>
                {message
                    .arrived_uncovered
                    .then(|| {
                        view! {
                            <a class="badge uncovered" href=crate::paths::for_account(crate::paths::ON_CALL, message.account)>
                                {tr!(inbox.message.uncovered)}
                            </a>
                        }
                    })}
            </p>
        </header>
        <div class="message-grid">
            <section class="card message-card" aria-label=tr!(inbox.message.label)>
                {has_callback
                    .then(|| {
                        view! {
                            <p class="callback">
                                {tr!(inbox.message.call_back)}
                                " "
                                <a class="callback-number" href=tel>{message.callback_number.clone()}</a>
                            </p>
                        }
                    })}
                <p class="message-text">{message.text.clone()}</p>
                {(!fields.is_empty())
                    .then(|| {
                        view! {
                            <dl class="message-fields">
                                {fields
                                    .into_iter()
                                    .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
                                    .collect_view()}
                            </dl>
                        }
                    })}
                <dl class="message-facts">
                    {(!message.taken_by.is_empty())
                        .then(|| view! { <dt>{tr!(inbox.message.taken_by)}</dt><dd>{message.taken_by.clone()}</dd> })}
                    {(!recipients.is_empty()).then(|| view! { <dt>{tr!(inbox.message.recipients)}</dt><dd>{recipients}</dd> })}
                    {message.charge.clone().map(|charge| view! { <dt>{tr!(inbox.message.cost)}</dt><dd>{charge}</dd> })}
                </dl>
                <Acknowledgement message=message.clone() reloaded />
                {message.can_reply.then(|| view! { <ReplyForm id=message.id reloaded /> })}
            </section>
            <div class="message-side">
                {message.call.clone().map(|call| view! { <CallCard call /> })}
                <MessageTasks id=message.id tasks=message.tasks.clone() new_task=message.new_task.clone() reloaded />
                <Trail heading=tr!(inbox.message.history) id="trail-heading" steps=message.trail />
            </div>
        </div>
    }
}

#[component]
fn Acknowledgement(message: MessageView, reloaded: RwSignal<u32>) -> impl IntoView {
    let acknowledge = ServerAction::<AcknowledgeMessage>::new();
    on_success(acknowledge, move |_: &()| reloaded.update(|n| *n += 1));
    let error = action_error(acknowledge);
    match (message.acknowledged, message.can_acknowledge) {
        (Some(by), _) => view! {
            <p class="acknowledged" role="status">{tr!(inbox.acknowledged_by, name = by)}</p>
        }
        .into_any(),
        (None, true) => view! {
            <ActionForm action=acknowledge attr:class="acknowledge-form">
                <FormAlert error />
                <input type="hidden" name="id" value=message.id />
                <button type="submit" class="button primary wide" disabled=acknowledge.pending()>
                    {tr!(inbox.message.acknowledge)}
                </button>
            </ActionForm>
        }
        .into_any(),
        (None, false) => view! {
            <p class="muted">{tr!(inbox.message.not_acknowledged)}</p>
        }
        .into_any(),
    }
}

/// Answering a text by text, from the account's number.
#[component]
fn ReplyForm(id: i64, reloaded: RwSignal<u32>) -> impl IntoView {
    let send = ServerAction::<ReplyToMessage>::new();
    on_success(send, move |_: &()| reloaded.update(|n| *n += 1));
    let error = action_error(send);
    view! {
        <ActionForm action=send attr:class="reply-form stack">
            <FormAlert error />
            <input type="hidden" name="id" value=id />
            <TextAreaField
                label=tr!(inbox.message.reply_label)
                name="text"
                error=field_error(error, "text")
                hint=tr!(inbox.message.reply_hint)
            />
            <button type="submit" class="button" disabled=send.pending()>
                {tr!(inbox.message.send_reply)}
            </button>
        </ActionForm>
    }
}

/// The tasks made from the message, and the form for another, filled in from it.
#[component]
fn MessageTasks(
    id: i64,
    tasks: Vec<TaskRow>,
    new_task: Option<(TaskEditor, TaskInput)>,
    reloaded: RwSignal<u32>,
) -> impl IntoView {
    let add = ServerAction::<AddTaskFromMessage>::new();
    on_success(add, move |_: &i64| reloaded.update(|n| *n += 1));
    let error = action_error(add);
    // A refused task keeps its form open, with what was typed and why.
    let open = Signal::derive(move || error.get().is_some());
    let none = tasks.is_empty();
    (!none || new_task.is_some()).then(move || {
        view! {
            <section class="card" aria-labelledby="tasks-heading">
                <h2 id="tasks-heading">{tr!(nav.tasks)}</h2>
                {(!none)
                    .then(|| {
                        view! {
                            <ul class="task-list compact" aria-label=tr!(inbox.message.tasks_label)>
                                {tasks.into_iter().map(|row| view! { <TaskItem row /> }).collect_view()}
                            </ul>
                        }
                    })}
                {new_task
                    .map(|(editor, input)| {
                        view! {
                            <details class="new-task" open=open>
                                <summary class="button">{tr!(inbox.message.make_task)}</summary>
                                <ActionForm action=add attr:class="stack">
                                    <FormAlert error />
                                    <input type="hidden" name="id" value=id />
                                    <TaskFields input editor error />
                                    <button type="submit" class="button primary" disabled=add.pending()>
                                        {tr!(inbox.message.add_task)}
                                    </button>
                                </ActionForm>
                            </details>
                        }
                    })}
            </section>
        }
    })
}

#[component]
fn CallCard(call: LinkedCall) -> impl IntoView {
    let duration = call.duration_seconds.map(|seconds| match seconds {
        0..=59 => tr!(inbox.call.duration_seconds, seconds = seconds),
        _ => tr!(
            inbox.call.duration_minutes,
            minutes = seconds / 60,
            seconds = seconds % 60
        ),
    });
    view! {
        <section class="card" aria-labelledby="call-heading">
            <h2 id="call-heading">{tr!(inbox.call.heading)}</h2>
            <dl class="message-facts">
                <dt>{tr!(inbox.call.status)}</dt>
                <dd>{call.status.label()}</dd>
                <dt>{tr!(inbox.call.from)}</dt>
                <dd>{call.from}</dd>
                <dt>{tr!(inbox.call.to)}</dt>
                <dd>{call.to}</dd>
                <dt>{tr!(inbox.call.started)}</dt>
                <dd>{call.started}</dd>
                {duration.map(|duration| view! { <dt>{tr!(inbox.call.length)}</dt><dd>{duration}</dd> })}
                {call.charge.map(|charge| view! { <dt>{tr!(inbox.message.cost)}</dt><dd>{charge}</dd> })}
            </dl>
            {call
                .recording
                .map(|src| {
                    view! {
                        <audio class="recording" controls preload="metadata" src=src aria-label=tr!(inbox.call.recording_label)>
                            <a href=src.clone()>{tr!(inbox.call.download)}</a>
                        </audio>
                    }
                })}
        </section>
    }
}
