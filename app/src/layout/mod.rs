//! The app shell: sidebar navigation on desktop, a compact top bar on phones, the user
//! menu, and above everything the impersonation banner (or a client's notice that
//! support is in their account).

#[cfg(feature = "ssr")]
pub mod page_gate;

use leptos::html::Details;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::{Outlet, Redirect, A};
use leptos_router::hooks::use_location;

use crate::auth::api::{ChangeOwnLanguage, SignOut};
use crate::auth::{use_current_user, CurrentUser};
use crate::components::brand::use_brand;
use crate::components::language_switch::LanguageSwitch;
use crate::components::logo::Logo;
use crate::components::support::SupportLink;
use crate::impersonation::banner::SessionBanner;
use crate::paths;
use crate::tr;

/// Wraps every signed-in page; sends everyone else to the sign-in page.
///
/// The page (the outlet) is built once, outside any `Suspense`: on the server a
/// `Suspense` builds its children again each time it checks for pending data, and a
/// page built inside it fetched and serialized its data up to three times. Only the
/// parts that show the user wait for them.
#[component]
pub fn AppShell() -> impl IntoView {
    let nav_menu = NodeRef::<Details>::new();
    let user_menu = NodeRef::<Details>::new();
    // Menus close when the page changes, and only one is open at a time.
    let location = use_location();
    // Not on the first run: that comes with hydration, and would shut a menu opened
    // before the app had loaded.
    Effect::new(move |ran_before: Option<()>| {
        location.pathname.track();
        if ran_before.is_some() {
            close(nav_menu);
            close(user_menu);
        }
    });
    let keep_one_open = move |opened: NodeRef<Details>, other: NodeRef<Details>| {
        if opened.get_untracked().is_some_and(|menu| menu.open()) {
            close(other);
        }
    };
    view! {
        <SignedInGate />
        <div class="app">
            <div class="session-banner-slot">
                <SessionBanner />
            </div>
            <aside class="sidebar">
                <a class="sidebar-brand" href=paths::HOME>
                    <Logo brand=use_brand() />
                </a>
                <WithUser view=|user| view! { <MainNav user /> } />
            </aside>
            <header class="topbar">
                <details
                    class="mobile-menu"
                    node_ref=nav_menu
                    on:toggle=move |_| keep_one_open(nav_menu, user_menu)
                >
                    <summary role="button" aria-label=tr!(nav.menu)>
                        <span class="hamburger" aria-hidden="true"></span>
                    </summary>
                    // Following a link closes the menu, whenever the page itself changes.
                    <div class="mobile-menu-panel" on:click=move |_| close(nav_menu)>
                        <WithUser view=|user| view! { <MainNav user /> } />
                    </div>
                </details>
                <a class="topbar-brand" href=paths::HOME>
                    <Logo brand=use_brand() />
                </a>
                <UserMenu menu=user_menu on_toggle=move || keep_one_open(user_menu, nav_menu) />
            </header>
            <main class="content" id="content">
                <Outlet />
            </main>
            <WithUser view=|user| {
                (user.inbox_of.is_some() && !user.sees_groups).then(|| view! { <BottomNav /> })
            } />
        </div>
    }
}

/// Sends whoever may not see signed-in pages elsewhere: to the sign-in page, or to
/// meet their obligation (change a temporary password, verify their account). As a redirect of the page's own response, since
/// the user is known before the page starts streaming.
#[component]
fn SignedInGate() -> impl IntoView {
    let user = use_current_user();
    let location = use_location();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(CurrentUser { obligation: Some(obligation), .. })) => {
                        Some(view! { <Redirect path=obligation.page() /> }.into_any())
                    }
                    Ok(Some(_)) => None,
                    Ok(None) => {
                        let here = format!(
                            "{}{}",
                            location.pathname.get_untracked(),
                            location.search.get_untracked(),
                        );
                        Some(view! { <Redirect path=paths::login_then(&here) /> }.into_any())
                    }
                    // The page under it reports the same failure where its content goes.
                    Err(_) => None,
                }
            })}
        </Suspense>
    }
}

/// Part of the shell that shows the signed-in user, drawn once they are known.
///
/// `view` must not hold a `Suspense`, resource or error boundary: the server may draw
/// it more than once while the page streams, and each of those takes the next number
/// of the ones the browser matches server data by, so the browser would look for the
/// page's data under the wrong number and fail to hydrate.
#[component]
fn WithUser<V: IntoView + 'static>(
    view: impl Fn(CurrentUser) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let user = use_current_user();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let view = view.clone();
                Suspend::new(async move { user.await.ok().flatten().map(view) })
            }}
        </Suspense>
    }
}

#[component]
fn MainNav(user: CurrentUser) -> impl IntoView {
    let CurrentUser {
        sees_groups,
        settings_of,
        users_of,
        reads_audit,
        supports,
        access_history_of,
        inbox_of,
        ..
    } = user;
    view! {
        <nav class="main-nav" aria-label=tr!(nav.main)>
            <A href=paths::HOME exact=true>
                <span class="nav-icon" aria-hidden="true">"⌂"</span>
                {tr!(nav.home)}
            </A>
            {inbox_of
                .map(|_| {
                    view! {
                        <A href=paths::INBOX>
                            <span class="nav-icon" aria-hidden="true">"✉"</span>
                            {tr!(nav.inbox)}
                        </A>
                        <A href=paths::TASKS>
                            <span class="nav-icon" aria-hidden="true">"✓"</span>
                            {tr!(nav.tasks)}
                        </A>
                        <A href=paths::ON_CALL>
                            <span class="nav-icon" aria-hidden="true">"☎"</span>
                            {tr!(nav.on_call)}
                        </A>
                        <A href=paths::STATUS>
                            <span class="nav-icon" aria-hidden="true">"❖"</span>
                            {tr!(nav.status)}
                        </A>
                        <A href=paths::CONTACTS>
                            <span class="nav-icon" aria-hidden="true">"☷"</span>
                            {tr!(nav.contacts)}
                        </A>
                        <A href=paths::RESOURCES>
                            <span class="nav-icon" aria-hidden="true">"❏"</span>
                            {tr!(nav.resources)}
                        </A>
                    }
                })}
            {sees_groups
                .then(|| {
                    view! {
                        <A href=paths::CLIENTS>
                            <span class="nav-icon" aria-hidden="true">"☰"</span>
                            {tr!(nav.clients)}
                        </A>
                        <A href=paths::GROUPS>
                            <span class="nav-icon" aria-hidden="true">"⋔"</span>
                            {tr!(nav.groups)}
                        </A>
                    }
                })}
            {users_of
                .map(|node| {
                    view! {
                        <A href=paths::node_users(node)>
                            <span class="nav-icon" aria-hidden="true">"☺"</span>
                            {tr!(nav.users)}
                        </A>
                    }
                })}
            {settings_of
                .map(|partner| {
                    view! {
                        <A href=paths::partner_settings(partner)>
                            <span class="nav-icon" aria-hidden="true">"⚙"</span>
                            {tr!(nav.settings)}
                        </A>
                    }
                })}
            {access_history_of
                .map(|account| {
                    view! {
                        <A href=paths::access_history(account)>
                            <span class="nav-icon" aria-hidden="true">"◷"</span>
                            {tr!(nav.access_history)}
                        </A>
                    }
                })}
            {supports
                .then(|| {
                    view! {
                        <A href=paths::SUPPORT>
                            <span class="nav-icon" aria-hidden="true">"✚"</span>
                            {tr!(nav.support)}
                        </A>
                    }
                })}
            {reads_audit
                .then(|| {
                    view! {
                        <A href=paths::AUDIT>
                            <span class="nav-icon" aria-hidden="true">"≡"</span>
                            {tr!(nav.audit)}
                        </A>
                    }
                })}
        </nav>
    }
}

/// The places of a client's portal, at the thumb on a phone (the sidebar has them on
/// a desktop).
#[component]
fn BottomNav() -> impl IntoView {
    view! {
        <nav class="bottom-nav" aria-label=tr!(nav.portal)>
            <A href=paths::HOME exact=true>
                <span class="nav-icon" aria-hidden="true">"⌂"</span>
                <span>{tr!(nav.home)}</span>
            </A>
            <A href=paths::INBOX>
                <span class="nav-icon" aria-hidden="true">"✉"</span>
                <span>{tr!(nav.inbox)}</span>
            </A>
            <A href=paths::TASKS>
                <span class="nav-icon" aria-hidden="true">"✓"</span>
                <span>{tr!(nav.tasks)}</span>
            </A>
            <A href=paths::ON_CALL>
                <span class="nav-icon" aria-hidden="true">"☎"</span>
                <span>{tr!(nav.on_call)}</span>
            </A>
            <A href=paths::STATUS>
                <span class="nav-icon" aria-hidden="true">"❖"</span>
                <span>{tr!(nav.status)}</span>
            </A>
        </nav>
    }
}

fn close(menu: NodeRef<Details>) {
    if let Some(menu) = menu.get_untracked() {
        menu.set_open(false);
    }
}

/// The signed-in person, with their account actions. A `<details>` element, so it
/// opens before (and without) JavaScript.
#[component]
fn UserMenu(menu: NodeRef<Details>, on_toggle: impl Fn() + 'static) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let location = use_location();
    let here = move || format!("{}{}", location.pathname.get(), location.search.get());
    view! {
        <details class="user-menu" node_ref=menu on:toggle=move |_| on_toggle()>
            <summary role="button" aria-haspopup="menu">
                <WithUser view=|user| {
                    view! {
                        <span class="avatar" aria-hidden="true">{user.initials()}</span>
                        <span class="user-menu-name">{user.name}</span>
                    }
                } />
                <span class="chevron" aria-hidden="true"></span>
            </summary>
            <div class="user-menu-panel">
                <WithUser view=|user| {
                    view! {
                        <div class="user-menu-who">
                            <strong>{user.name}</strong>
                            <span class="muted">{user.email}</span>
                        </div>
                    }
                } />
                <WithUser view=|user| {
                    user.impersonation
                        .is_none()
                        .then(|| view! { <a href=paths::CHANGE_PASSWORD>{tr!(menu.change_password)}</a> })
                } />
                // As themselves only: an impersonator changes their own language first.
                <WithUser view=move |user| {
                    user.impersonation
                        .is_none()
                        .then(|| view! { <LanguageSwitch action=ChangeOwnLanguage::PATH next=here /> })
                } />
                <SupportLink brand=use_brand() />
                <ActionForm action=sign_out>
                    <button type="submit" class="link-button">{tr!(menu.sign_out)}</button>
                </ActionForm>
            </div>
        </details>
    }
}

/// The page for addresses that match no route, served with status 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=tr!(not_found.title) />
        <main class="auth-page">
            <div class="auth-card">
                <Logo brand=use_brand() />
                <h1>{tr!(not_found.title)}</h1>
                <p class="muted">{tr!(not_found.text)}</p>
                <a class="button primary wide" href=paths::HOME>{tr!(not_found.home)}</a>
            </div>
        </main>
    }
}
