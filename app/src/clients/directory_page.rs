//! The client directory: the group tree to pick a subtree, filters, a sortable table
//! and keyset pages. Everything the viewer chose is in the URL.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::api::list_clients;
use super::directory::{DirectoryQuery, SortKey};
use crate::clients::{ClientRow, DirectoryPage, LOW_CREDIT};
use crate::components::error_panel::error_fallback;
use crate::components::field::{choices, FilterSelect, SearchField};
use crate::core::time::format_date;
use crate::core::words::number;
use crate::core::{ClientStatus, Feature};
use crate::paths;
use crate::tenancy::group_tree::{GroupTree, TreeState};
use crate::tr;

#[component]
pub fn DirectoryPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let params = params.read();
        DirectoryQuery::from_params(|key| params.get(key))
    });
    let page = Resource::new(move || query.get(), list_clients);

    let tree = TreeState::new(
        Signal::derive(move || query.read().under.clone()),
        Callback::new(move |path| {
            DirectoryQuery {
                under: path,
                ..query.get().first_page()
            }
            .href()
        }),
    );
    provide_context(tree);

    view! {
        <Title text=tr!(nav.clients) />
        <div class="directory">
            <aside class="card tree-panel directory-tree" aria-label=tr!(clients.directory.filter_by_group)>
                <a
                    class="tree-all"
                    class:selected=move || query.read().under.is_empty()
                    href=move || {
                        DirectoryQuery {
                            under: Vec::new(),
                            ..query.get().first_page()
                        }
                        .href()
                    }
                >
                    {tr!(clients.directory.all)}
                </a>
                <GroupTree />
            </aside>
            <section class="directory-main">
                <Transition fallback=|| {
                    view! { <p class="muted">{tr!(clients.directory.loading)}</p> }
                }>
                    <ErrorBoundary fallback=error_fallback>
                        {move || Suspend::new(async move {
                            page.await
                                .map(|page| {
                                    view! { <DirectoryView page query=query.get_untracked() /> }
                                })
                        })}
                    </ErrorBoundary>
                </Transition>
            </section>
        </div>
    }
}

#[component]
fn DirectoryView(page: DirectoryPage, query: DirectoryQuery) -> impl IntoView {
    let DirectoryPage {
        rows,
        next,
        previous,
        scope,
        can_add,
    } = page;
    let add_href = query
        .scope()
        .map(paths::new_client_in)
        .unwrap_or_else(|| paths::NEW_CLIENT.to_string());
    let empty = rows.is_empty();
    view! {
        <header class="page-header with-actions">
            <div>
                <h1>{tr!(nav.clients)}</h1>
                <p class="muted">{scope}</p>
            </div>
            <div class="header-actions">
                <a class="button" href=query.export_href() download="clients.csv">
                    {tr!(common.export_csv)}
                </a>
                {can_add.then(|| view! { <a class="button primary" href=add_href>{tr!(clients.directory.add)}</a> })}
            </div>
        </header>
        <Filters query=query.clone() />
        {if empty {
            view! { <EmptyState query=query.clone() can_add /> }.into_any()
        } else {
            view! { <ClientTable rows query=query.clone() /> }.into_any()
        }}
        <nav class="pager" aria-label=tr!(clients.directory.pages)>
            {(previous.is_some() || query.after.is_some() || query.before.is_some())
                .then(|| {
                    view! {
                        <a class="button" href=query.first_page().href()>
                            {tr!(clients.directory.first_page)}
                        </a>
                    }
                })}
            {previous
                .map(|cursor| {
                    view! {
                        <a class="button" rel="prev" href=query.page_before(&cursor).href()>
                            {tr!(clients.directory.previous)}
                        </a>
                    }
                })}
            {next
                .map(|cursor| {
                    view! {
                        <a class="button" rel="next" href=query.page_after(&cursor).href()>
                            {tr!(clients.directory.next)}
                        </a>
                    }
                })}
        </nav>
    }
}

/// A plain GET form: it works before hydration, and the router takes it over after.
#[component]
fn Filters(query: DirectoryQuery) -> impl IntoView {
    let has_filters = query.is_filtered();
    let cleared = DirectoryQuery {
        under: query.under.clone(),
        ..DirectoryQuery::default()
    };
    view! {
        <Form method="get" action=paths::CLIENTS attr:class="card filters" attr:role="search">
            <SearchField
                label=tr!(clients.directory.search)
                name="q"
                value=query.search.clone()
                placeholder=tr!(clients.directory.search_placeholder)
            />
            <FilterSelect
                id="filter-status"
                label=tr!(clients.directory.status)
                name="status"
                any=tr!(clients.directory.any_status)
                choices=choices(ClientStatus::ALL, ClientStatus::key, ClientStatus::label)
                selected=query.status.map_or("", ClientStatus::key)
            />
            <FilterSelect
                id="filter-feature"
                label=tr!(clients.directory.feature)
                name="feature"
                any=tr!(clients.directory.any_feature)
                choices=choices(Feature::ALL, Feature::key, Feature::label)
                selected=query.feature.map_or("", Feature::key)
            />
            <div class="field">
                <label for="filter-tag">{tr!(clients.directory.tag)}</label>
                <input id="filter-tag" name="tag" value=query.tag.clone() />
            </div>
            <label class="checkbox">
                <input type="checkbox" name="low" value="1" checked=query.low_credit />
                {tr!(clients.directory.low_credit, least = LOW_CREDIT)}
            </label>
            {(!query.under.is_empty())
                .then(|| {
                    view! {
                        <input
                            type="hidden"
                            name="under"
                            value=crate::core::url::format_path(&query.under)
                        />
                    }
                })}
            // Column headers sort on a desktop; a phone shows no header row, so these.
            <FilterSelect
                id="filter-sort"
                label=tr!(clients.directory.sort_by)
                name="sort"
                class="sort-controls"
                choices=choices(SortKey::ALL, SortKey::key, SortKey::label)
                selected=query.sort.key()
            />
            <label class="checkbox sort-controls">
                <input type="checkbox" name="desc" value="1" checked=query.descending />
                {tr!(clients.directory.reverse)}
            </label>
            <div class="filter-actions">
                <button type="submit" class="button primary">{tr!(common.apply)}</button>
                {has_filters
                    .then(|| {
                        view! {
                            <a class="button" href=cleared.href()>{tr!(common.clear_filters)}</a>
                        }
                    })}
            </div>
        </Form>
    }
}

#[component]
fn EmptyState(query: DirectoryQuery, can_add: bool) -> impl IntoView {
    if query.is_filtered() {
        let cleared = DirectoryQuery {
            under: query.under.clone(),
            ..DirectoryQuery::default()
        };
        view! {
            <div class="card empty-state">
                <h2>{tr!(clients.directory.no_match)}</h2>
                <p class="muted">{tr!(clients.directory.no_match_text)}</p>
                <a class="button" href=cleared.href()>{tr!(common.clear_filters)}</a>
            </div>
        }
        .into_any()
    } else if query.after.is_some() || query.before.is_some() {
        view! {
            <div class="card empty-state">
                <h2>{tr!(clients.directory.no_more)}</h2>
                <a class="button" href=query.first_page().href()>{tr!(clients.directory.first_page)}</a>
            </div>
        }
        .into_any()
    } else {
        view! {
            <div class="card empty-state">
                <h2>{tr!(clients.directory.none_yet)}</h2>
                <p class="muted">{tr!(clients.directory.none_yet_text)}</p>
                {can_add.then(|| view! { <a class="button primary" href=paths::NEW_CLIENT>{tr!(clients.directory.add)}</a> })}
            </div>
        }
        .into_any()
    }
}

#[component]
fn ClientTable(rows: Vec<ClientRow>, query: DirectoryQuery) -> impl IntoView {
    let header = move |sort: SortKey, class: &'static str| {
        let active = query.sort == sort;
        let (arrow, aria) = match (active, query.descending) {
            (false, _) => ("", "none"),
            (true, false) => (" ▲", "ascending"),
            (true, true) => (" ▼", "descending"),
        };
        view! {
            <th scope="col" class=class aria-sort=aria>
                <a href=query.sorted_by(sort).href()>{sort.label()} {arrow}</a>
            </th>
        }
    };
    view! {
        <div class="card table-card">
            <table class="data-table clients-table">
                <thead>
                    <tr>
                        {header(SortKey::Name, "")}
                        <th scope="col">{tr!(clients.directory.contact)}</th>
                        <th scope="col">{tr!(clients.directory.status)}</th>
                        <th scope="col">{tr!(clients.directory.tags)}</th>
                        {header(SortKey::SmsCredit, "numeric")}
                        {header(SortKey::VoiceCredit, "numeric")}
                        {header(SortKey::Created, "numeric")}
                    </tr>
                </thead>
                <tbody>{rows.into_iter().map(client_row).collect_view()}</tbody>
            </table>
        </div>
    }
}

fn client_row(row: ClientRow) -> impl IntoView {
    let low = |balance: i64| {
        if balance < LOW_CREDIT {
            "numeric low"
        } else {
            "numeric"
        }
    };
    view! {
        <tr>
            <td data-label=tr!(clients.directory.company)>
                <a class="row-title" href=paths::client(row.id)>{row.name}</a>
                <span class="muted small">{row.group_name} " · #" {row.id.0}</span>
            </td>
            <td data-label=tr!(clients.directory.contact)>
                {row.contact_name}
                <span class="muted small">{row.email}</span>
                <span class="muted small">{row.phone}</span>
            </td>
            <td data-label=tr!(clients.directory.status)>
                <span class=format!("badge status-{}", row.status.key())>{row.status.label()}</span>
            </td>
            <td data-label=tr!(clients.directory.tags)>
                {row
                    .tags
                    .into_iter()
                    .map(|tag| view! { <span class="tag">{tag}</span> })
                    .collect_view()}
            </td>
            <td data-label=tr!(clients.directory.sms) class=low(row.sms_balance)>{number(row.sms_balance)}</td>
            <td data-label=tr!(clients.directory.voice) class=low(row.voice_balance)>{number(row.voice_balance)}</td>
            <td data-label=tr!(clients.directory.added) class="numeric">{format_date(row.created_at)}</td>
        </tr>
    }
}
