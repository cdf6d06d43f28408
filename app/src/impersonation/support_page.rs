//! The support list: the client accounts that grant the support agent access now,
//! each with its users; a user's id opens "Log in as" for them.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::list_granted_accounts;
use super::GrantedAccount;
use crate::components::error_panel::error_fallback;
use crate::paths;

#[component]
pub fn SupportPage() -> impl IntoView {
    let accounts = Resource::new(|| (), |_| list_granted_accounts());
    view! {
        <Title text="Support" />
        <header class="page-header">
            <h1>"Support"</h1>
            <p class="muted">
                "The client accounts that have granted you access. Click a user's id to log in as them; the account sees who came in and why."
            </p>
        </header>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
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
                <h2>"No account has granted access"</h2>
                <p>"A client admin grants support access from their account's page; it appears here until it expires or is revoked."</p>
            </section>
        }
        .into_any();
    }
    view! {
        <div class="card table-card">
            <table class="data-table support-table">
                <thead>
                    <tr>
                        <th scope="col">"Account"</th>
                        <th scope="col">"Partner"</th>
                        <th scope="col">"Access until"</th>
                        <th scope="col">"User"</th>
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
            <td data-label="Account">
                <strong>{account.name}</strong>
                <a class="muted small-link" href=partner_view>"Administer"</a>
            </td>
            <td data-label="Partner">{account.partner}</td>
            <td data-label="Access until">{account.until}</td>
            <td data-label="User">
                <ul class="user-ids">
                    {account
                        .users
                        .into_iter()
                        .map(|user| {
                            view! {
                                <li>
                                    <a
                                        href=paths::log_in_as_user(id, user.id, paths::SUPPORT)
                                        title=format!("Log in as {}", user.name)
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
