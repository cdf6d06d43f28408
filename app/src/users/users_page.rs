//! The people with access at a node: those given roles there and those who inherit
//! them from above, with where from. Search and status filter by plain GET form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::api::list_node_users;
use super::form::RoleChips;
use crate::components::error_panel::error_fallback;
use crate::components::field::{choices, FilterSelect, SearchField};
use crate::core::{NodeKind, UserStatus};
use crate::error::AppError;
use crate::paths;
use crate::tenancy::use_node_id_param;
use crate::tr;
use crate::users::{NodeSummary, NodeUser, NodeUsers, Seats, UserQuery};

#[component]
pub fn UsersPage() -> impl IntoView {
    let node = use_node_id_param();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let params = params.read();
        UserQuery {
            search: params.get("search").unwrap_or_default(),
            status: params.get("status").unwrap_or_default(),
        }
    });
    let users = Resource::new(
        move || (node.get(), query.get()),
        |(node, query)| async move {
            match node {
                Some(node) => list_node_users(node, query).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=tr!(users.title) />
        <Transition fallback=|| view! { <p class="muted">{tr!(users.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    users
                        .await
                        .map(|users| view! { <UsersView users query=query.get_untracked() /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn UsersView(users: NodeUsers, query: UserQuery) -> impl IntoView {
    let NodeUsers {
        node,
        users,
        total,
        seats,
        log_in_as,
    } = users;
    let filtered = users.len() != total;
    view! {
        <div class="users-page">
            <header class="page-header with-actions">
                <div>
                    <p class="eyebrow">{format!("{} · {}", node.kind.label(), node.name)}</p>
                    <h1>{tr!(users.title)}</h1>
                    <p class="muted">{scope_note(&node)}</p>
                </div>
                <div class="header-actions">
                    {node_link(&node)}
                    <a class="button primary" href=paths::invite_at(node.id)>
                        {tr!(users.invite)}
                    </a>
                </div>
            </header>
            {seats.map(|seats| view! { <SeatMeter seats /> })}
            <UserFilters node=node.clone() query=query.clone() />
            <p class="muted" role="status">
                {match (filtered, total) {
                    (true, _) => tr!(users.matching, shown = users.len(), total = total),
                    (false, _) => tr!(users.with_access, count = total as i64),
                }}
            </p>
            {if users.is_empty() {
                view! { <p class="card empty-state">{tr!(users.none_match)}</p> }.into_any()
            } else {
                view! {
                    <ul class="user-list">
                        {users
                            .into_iter()
                            .map(|user| {
                                let log_in_as = log_in_as.contains(&user.id);
                                view! { <UserRow user node=node.clone() log_in_as /> }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </div>
    }
}

fn scope_note(node: &NodeSummary) -> &'static str {
    match node.kind {
        NodeKind::Client => tr!(users.scope_client),
        _ => tr!(users.scope_other),
    }
}

/// Back to the node itself, where it has a page.
fn node_link(node: &NodeSummary) -> Option<impl IntoView> {
    (node.kind == NodeKind::Client).then(|| {
        view! {
            <a class="button" href=paths::client(node.id)>
                {tr!(users.client_account)}
            </a>
        }
    })
}

#[component]
fn SeatMeter(seats: Seats) -> impl IntoView {
    view! {
        <p class="seat-meter">
            {tr!(users.seats, used = seats.used, limit = seats.limit)}
            <span class="muted">{tr!(users.seats_note)}</span>
        </p>
    }
}

#[component]
fn UserFilters(node: NodeSummary, query: UserQuery) -> impl IntoView {
    let has_filters = query != UserQuery::default();
    view! {
        <Form method="get" action=paths::node_users(node.id) attr:class="card filters" attr:role="search">
            <SearchField
                label=tr!(users.search)
                name="search"
                value=query.search.clone()
                placeholder=tr!(users.search_placeholder)
            />
            <FilterSelect
                id="users-status"
                label=tr!(users.status)
                name="status"
                any=tr!(users.any_status)
                choices=choices(
                    &[UserStatus::Invited, UserStatus::Active, UserStatus::Disabled],
                    UserStatus::key,
                    UserStatus::label,
                )
                selected=query.status.clone()
            />
            <div class="filter-actions">
                <button type="submit" class="button primary">{tr!(common.apply)}</button>
                {has_filters
                    .then(|| {
                        view! {
                            <a class="button" href=paths::node_users(node.id)>{tr!(common.clear_filters)}</a>
                        }
                    })}
            </div>
        </Form>
    }
}

#[component]
fn UserRow(user: NodeUser, node: NodeSummary, log_in_as: bool) -> impl IntoView {
    let account_manager = user.is_account_manager();
    let last_sign_in = match (&user.last_sign_in, user.invite_pending) {
        (_, true) => tr!(users.invite_pending).to_string(),
        (Some(ago), false) => tr!(users.last_signed_in, ago = ago.clone()),
        (None, false) => tr!(users.never_signed_in).to_string(),
    };
    view! {
        <li class="card user-row">
            <div class="user-who">
                <a class="user-name" href=paths::node_user(node.id, user.id)>
                    {user.name.clone()}
                </a>
                <span class="muted user-email">{user.email.clone()}</span>
            </div>
            <div class="user-badges">
                <span class=format!("badge user-status-{}", user.status.key())>
                    {user.status.label()}
                </span>
                {account_manager
                    .then(|| {
                        view! {
                            <span class="badge account-manager" title=tr!(users.account_manager_title)>
                                {tr!(roles.name.account_manager)}
                            </span>
                        }
                    })}
            </div>
            <div class="user-roles">
                {(!user.roles.is_empty())
                    .then(|| {
                        view! {
                            <p>
                                <span class="muted">{tr!(users.here)}</span>
                                <RoleChips roles=user.roles.clone() />
                            </p>
                        }
                    })}
                {user
                    .inherited
                    .iter()
                    .map(|inherited| {
                        view! {
                            <p class="inherited">
                                <span class="muted">{tr!(users.from_node, node = inherited.node_name.clone())}</span>
                                <RoleChips roles=inherited.roles.clone() />
                            </p>
                        }
                    })
                    .collect_view()}
            </div>
            <p class="muted user-seen">
                {last_sign_in}
                {log_in_as
                    .then(|| {
                        let here = paths::node_users(node.id);
                        view! {
                            <a class="log-in-as-link" href=paths::log_in_as_user(node.id, user.id, &here)>
                                {tr!(users.log_in_as)}
                            </a>
                        }
                    })}
            </p>
        </li>
    }
}
