//! The support list: the client accounts that grant the support agent access now,
//! each with its users; a user's id opens "Log in as" for them.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::list_granted_accounts;
use super::GrantedAccount;
use crate::components::error_panel::error_fallback;
use crate::paths;
use crate::tr;

#[component]
pub fn SupportPage() -> impl IntoView {
    let accounts = Resource::new(|| (), |_| list_granted_accounts());
    view! {
        <Title text=tr!(nav.support) />
        <header class="page-header">
            <h1>{tr!(nav.support)}</h1>
            <p class="muted">
                {tr!(support.page.lead)}
            </p>
        </header>
        <Suspense fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    accounts.await.map(|accounts| view! { <GrantedAccounts accounts /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn GrantedAccounts(accounts: Vec<GrantedAccount>) -> impl IntoView {
    if accounts.is_empty() {
        return view! {
            <section class="card empty-state">
                <h2>{tr!(support.page.none)}</h2>
                <p>{tr!(support.page.none_text)}</p>
            </section>
        }
        .into_any();
    }
    view! {
        <div class="card table-card">
            <table class="data-table support-table">
                <thead>
                    <tr>
                        <th scope="col">{tr!(support.page.account)}</th>
                        <th scope="col">{tr!(support.page.partner)}</th>
                        <th scope="col">{tr!(support.page.until)}</th>
                        <th scope="col">{tr!(support.page.user)}</th>
                    </tr>
                </thead>
                <tbody>
                    {accounts
                        .into_iter()
                        .map(|account| view! { <GrantedRow account /> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn GrantedRow(account: GrantedAccount) -> impl IntoView {
    let id = account.account;
    let partner_view = paths::log_in_as(id, "partner", paths::SUPPORT);
    view! {
        <tr>
            <td data-label=tr!(support.page.account)>
                <strong>{account.name}</strong>
                <a class="muted small-link" href=partner_view>{tr!(support.page.administer)}</a>
            </td>
            <td data-label=tr!(support.page.partner)>{account.partner}</td>
            <td data-label=tr!(support.page.until)>{account.until}</td>
            <td data-label=tr!(support.page.user)>
                <ul class="user-ids">
                    {account
                        .users
                        .into_iter()
                        .map(|user| {
                            view! {
                                <li>
                                    <a
                                        href=paths::log_in_as_user(id, user.id, paths::SUPPORT)
                                        title=tr!(support.page.log_in_as_named, name = user.name.clone())
                                    >
                                        {format!("#{}", user.id.0)}
                                    </a>
                                    <span class="muted">{format!(" {} · {}", user.name, user.roles)}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </td>
        </tr>
    }
}
