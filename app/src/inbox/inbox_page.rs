//! The inbox: an account's messages and calls, newest first, with the filters and the
//! page in the URL. New arrivals are announced by a pill, not by rows moving.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::api::{count_new_messages, list_inbox};
use super::{Channel, InboxQuery, InboxRow, InboxView, Priority};
use crate::components::error_panel::error_fallback;
use crate::paths;
use crate::tr;

/// How often the inbox asks whether anything arrived.
const NEW_EVERY: Duration = Duration::from_secs(5);

#[component]
pub fn InboxPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let params = params.read();
        InboxQuery::from_params(|key| params.get(key))
    });
    let reloaded = RwSignal::new(0u32);
    let page = Resource::new(
        move || (query.get(), reloaded.get()),
        |(query, _)| list_inbox(query),
    );
    view! {
        <Title text=tr!(nav.inbox) />
        <Transition fallback=|| view! { <p class="muted">{tr!(inbox.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    page.await
                        .map(|view| {
                            view! { <Inbox view query=query.get_untracked() reloaded /> }
                        })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn Inbox(view: InboxView, query: InboxQuery, reloaded: RwSignal<u32>) -> impl IntoView {
    let empty = view.rows.is_empty();
    let filtered = query.is_filtered();
    view! {
        <header class="page-header inbox-header">
            <p class="eyebrow">{view.account_name.clone()}</p>
            <h1>{tr!(nav.inbox)}</h1>
        </header>
        <NewPill query=query.clone() newest=view.newest reloaded />
        <Filters query=query.clone() channels=view.channels.clone() can_filter_mine=view.can_filter_mine />
        {if empty {
            let text = if filtered {
                tr!(inbox.empty.filtered)
            } else {
                tr!(inbox.empty.nothing_yet)
            };
            view! { <p class="card empty-state">{text}</p> }.into_any()
        } else {
            view! {
                <ul class="inbox-list" aria-label=tr!(inbox.list_label)>
                    {view.rows.into_iter().map(|row| view! { <Row row /> }).collect_view()}
                </ul>
            }
                .into_any()
        }}
        <nav class="pager" aria-label=tr!(inbox.pages)>
            {query
                .after
                .is_some()
                .then(|| view! { <a class="button" href=query.first_page().href()>{tr!(inbox.newest)}</a> })}
            {view
                .next
                .map(|next| view! { <a class="button" href=next.href()>{tr!(inbox.older)}</a> })}
        </nav>
    }
}

/// One message in a list of them: the inbox's, or the latest on the home page.
#[component]
pub fn Row(row: InboxRow) -> impl IntoView {
    let who = [row.caller_name.as_str(), row.callback_number.as_str()]
        .into_iter()
        .find(|text| !text.is_empty())
        .unwrap_or(tr!(inbox.unknown_caller))
        .to_string();
    let urgent = row.priority == Priority::Urgent;
    let channel = row.channel.label();
    let unread_label = if row.unread {
        format!("{} ", tr!(inbox.row.unread))
    } else {
        String::new()
    };
    view! {
        <li class="inbox-row" class:unread=row.unread class:spam=row.priority == Priority::Spam>
            <a class="inbox-link" href=paths::inbox_message(row.id)>
                <span class="unread-dot" aria-hidden="true"></span>
                <span class="visually-hidden">{unread_label}</span>
                <span class="inbox-main">
                    <span class="inbox-top">
                        <strong class="inbox-who">{who}</strong>
                        <time class="inbox-time">{row.received}</time>
                    </span>
                    <span class="inbox-line">
                        {urgent.then(|| view! { <span class="badge priority-urgent">{Priority::Urgent.label()}</span> })}
                        {(row.priority == Priority::Low || row.priority == Priority::Spam)
                            .then(|| view! { <span class="badge">{row.priority.label()}</span> })}
                        <span class="inbox-channel">{channel}</span>
                        <span class="inbox-text">{row.first_line}</span>
                    </span>
                    <span class="inbox-marks">
                        {row.has_recording.then(|| view! { <span class="mark">{tr!(inbox.row.recording)}</span> })}
                        {row.acknowledged.then(|| view! { <span class="mark">{tr!(inbox.row.acknowledged)}</span> })}
                    </span>
                </span>
            </a>
        </li>
    }
}

/// "3 new": what arrived in view since the page was read, from whichever server
/// took it in. Showing them reloads the first page.
#[component]
fn NewPill(query: InboxQuery, newest: i64, reloaded: RwSignal<u32>) -> impl IntoView {
    let arrived = RwSignal::new(0_i64);
    let asked = query.first_page();
    // Effects run in the browser only; this one tracks nothing, so it runs once.
    Effect::new(move |_| {
        let asked = asked.clone();
        let handle = set_interval_with_handle(
            move || {
                let asked = asked.clone();
                spawn_local(async move {
                    if let Ok(count) = count_new_messages(asked, newest).await {
                        arrived.set(count);
                    }
                });
            },
            NEW_EVERY,
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    });
    let navigate = use_navigate();
    let first_page = query.first_page().href();
    let on_first_page = query.after.is_none();
    let show = move |_| {
        arrived.set(0);
        if on_first_page {
            reloaded.update(|n| *n += 1);
        } else {
            navigate(&first_page, Default::default());
        }
    };
    view! {
        <div class="new-pill-slot" aria-live="polite">
            {move || {
                let count = arrived.get();
                (count > 0)
                    .then(|| {
                        view! {
                            <button type="button" class="new-pill" on:click=show.clone()>
                                {tr!(inbox.arrived, count = count)}
                            </button>
                        }
                    })
            }}
        </div>
    }
}

#[component]
fn Filters(query: InboxQuery, channels: Vec<Channel>, can_filter_mine: bool) -> impl IntoView {
    let active = [
        query.unread,
        query.urgent,
        query.mine,
        query.channel.is_some(),
    ]
    .into_iter()
    .filter(|on| *on)
    .count()
        + usize::from(!query.from.is_empty() || !query.to.is_empty());
    let summary = match active {
        0 => tr!(inbox.filters.title).to_string(),
        n => tr!(inbox.filters.title_active, active = n),
    };
    let clear = InboxQuery {
        account: query.account,
        ..InboxQuery::default()
    }
    .href();
    let filtered = query.is_filtered();
    let open = active > 0;
    let check = |name: &'static str, label: &'static str, on: bool| {
        view! {
            <label class="checkbox">
                <input type="checkbox" name=name value="1" checked=on />
                {label}
            </label>
        }
    };
    view! {
        <Form method="GET" action=paths::INBOX attr:class="inbox-filters">
            {query.account.map(|account| view! { <input type="hidden" name="account" value=account.0 /> })}
            <div class="inbox-search">
                <label for="inbox-q" class="visually-hidden">{tr!(inbox.filters.search_label)}</label>
                <input
                    id="inbox-q"
                    type="search"
                    name="q"
                    value=query.search.clone()
                    placeholder=tr!(inbox.filters.search_placeholder)
                />
                <button type="submit" class="button primary">{tr!(inbox.filters.search)}</button>
            </div>
            <details class="filter-more" open=open>
                <summary>{summary}</summary>
                <div class="filter-grid">
                    <fieldset class="field choices">
                        <legend>{tr!(inbox.filters.show_only)}</legend>
                        {check("unread", tr!(inbox.filters.unread), query.unread)}
                        {check("urgent", tr!(inbox.filters.urgent), query.urgent)}
                        {can_filter_mine.then(|| check("mine", tr!(inbox.filters.mine), query.mine))}
                    </fieldset>
                    <div class="field">
                        <label for="inbox-channel">{tr!(inbox.filters.channel)}</label>
                        <select id="inbox-channel" name="channel">
                            <option value="">{tr!(inbox.filters.all_channels)}</option>
                            {channels
                                .into_iter()
                                .map(|channel| {
                                    view! {
                                        <option value=channel.key() selected=query.channel == Some(channel)>
                                            {channel.label()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="inbox-from">{tr!(inbox.filters.from)}</label>
                        <input id="inbox-from" type="date" name="from" value=query.from.clone() />
                    </div>
                    <div class="field">
                        <label for="inbox-to">{tr!(inbox.filters.to)}</label>
                        <input id="inbox-to" type="date" name="to" value=query.to.clone() />
                    </div>
                </div>
                <div class="filter-actions">
                    <button type="submit" class="button primary">{tr!(inbox.filters.apply)}</button>
                    {filtered.then(|| view! { <a class="button" href=clear.clone()>{tr!(inbox.filters.clear)}</a> })}
                </div>
            </details>
        </Form>
    }
}
