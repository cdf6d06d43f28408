//! Switchboard's application: pages, components and server functions, shared by the
//! server (feature `ssr`) and the browser (feature `hydrate`).

pub mod api_keys;
pub mod audit;
#[cfg(feature = "ssr")]
pub mod audit_trail;
pub mod auth;
pub mod briefing;
pub mod clients;
pub mod components;
pub mod core;
pub mod error;
pub mod home;
pub mod impersonation;
pub mod inbox;
pub mod layout;
pub mod locale;
pub mod oncall;
pub mod operator_view;
pub mod paths;
pub mod tasks;
pub mod tenancy;
pub mod users;

// The catalogs of app/locales, made into the `i18n` module by build.rs.
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

#[cfg(feature = "ssr")]
pub mod csv_export;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod platform_api;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod storage;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path, SsrMode,
};

use crate::audit::audit_page::AuditLogPage;
use crate::auth::link_page::{ActivationPage, ForgotPasswordPage, ResetPasswordPage};
use crate::auth::login_page::LoginPage;
use crate::auth::password_page::ChangePasswordPage;
use crate::auth::verify_page::VerifyPage;
use crate::briefing::contacts_page::{ContactPage, ContactsPage, NewContactPage};
use crate::briefing::resources_page::ResourcesPage;
use crate::briefing::status_page::StatusPage;
use crate::clients::client_page::ClientPage;
use crate::clients::directory_page::DirectoryPage;
use crate::clients::new_client_page::NewClientPage;
use crate::home::home_page::HomePage;
use crate::impersonation::access_page::AccessHistoryPage;
use crate::impersonation::log_in_as_page::LogInAsPage;
use crate::impersonation::support_page::SupportPage;
use crate::inbox::inbox_page::InboxPage;
use crate::inbox::message_page::MessagePage;
use crate::layout::{AppShell, NotFoundPage};
use crate::locale::LanguageProvider;
use crate::oncall::calendar_page::CalendarPage;
use crate::oncall::override_page::{NewOverridePage, OverridePage};
use crate::oncall::rule_page::{NewRulePage, RulePage};
use crate::operator_view::preview_page::OperatorPreviewPage;
use crate::tasks::new_task_page::NewTaskPage;
use crate::tasks::task_page::TaskPage;
use crate::tasks::tasks_page::TasksPage;
use crate::tenancy::brand::BrandStylesheet;
use crate::tenancy::groups_page::GroupsPage;
use crate::tenancy::settings_page::PartnerSettingsPage;
use crate::users::invite_page::InvitePage;
use crate::users::user_page::UserPage;
use crate::users::users_page::UsersPage;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        // The language provider writes `lang`, as the page's language.
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The tab title as the title element takes it. The server writes it into the head
/// as it is given, so there it is escaped: a record's name (a client's, a person's)
/// must never become markup. The browser sets `document.title`, which is text.
#[cfg(feature = "ssr")]
fn title_text(title: String) -> String {
    html_escape::encode_text(&title).into_owned()
}

#[cfg(not(feature = "ssr"))]
fn title_text(title: String) -> String {
    title
}

/// Providers and the route table; pages live in their feature folders.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    auth::provide_current_user();
    let brand = tenancy::brand::provide_brand();
    // Marks the page as interactive, for people's tools and the browser tests alike.
    Effect::new(|_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "");
        }
    });

    view! {
        <LanguageProvider>
        <Stylesheet id="leptos" href="/pkg/switchboard.css" />
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Title formatter=move |page: String| {
            let product = tenancy::brand::product_name(&brand);
            title_text(if page.is_empty() { product } else { format!("{page} · {product}") })
        } />
        <BrandStylesheet />
        <Router>
            // In-order streaming puts suspended content in place as it streams, so
            // pages read and work before the wasm arrives, and with JavaScript off.
            // The head goes out with the first chunk: a page titled from its data
            // loads that data with a blocking resource, which holds the stream back
            // until it is there, so the title is in every answer.
            <Routes fallback=NotFoundPage>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::InOrder />
                <Route
                    path=path!("/change-password")
                    view=ChangePasswordPage
                    ssr=SsrMode::InOrder
                />
                <Route path=path!("/verify") view=VerifyPage ssr=SsrMode::InOrder />
                <Route path=path!("/activate") view=ActivationPage ssr=SsrMode::InOrder />
                <Route
                    path=path!("/forgot-password")
                    view=ForgotPasswordPage
                    ssr=SsrMode::InOrder
                />
                <Route
                    path=path!("/reset-password")
                    view=ResetPasswordPage
                    ssr=SsrMode::InOrder
                />
                <ParentRoute path=path!("") view=AppShell ssr=SsrMode::InOrder>
                    <Route path=path!("") view=HomePage ssr=SsrMode::InOrder />
                    <Route path=path!("/groups") view=GroupsPage ssr=SsrMode::InOrder />
                    <Route path=path!("/audit") view=AuditLogPage ssr=SsrMode::InOrder />
                    <Route path=path!("/inbox") view=InboxPage ssr=SsrMode::InOrder />
                    <Route path=path!("/inbox/:id") view=MessagePage ssr=SsrMode::InOrder />
                    <Route path=path!("/status") view=StatusPage ssr=SsrMode::InOrder />
                    <Route path=path!("/contacts") view=ContactsPage ssr=SsrMode::InOrder />
                    <Route path=path!("/contacts/new") view=NewContactPage ssr=SsrMode::InOrder />
                    <Route path=path!("/contacts/:id") view=ContactPage ssr=SsrMode::InOrder />
                    <Route path=path!("/resources") view=ResourcesPage ssr=SsrMode::InOrder />
                    <Route path=path!("/tasks") view=TasksPage ssr=SsrMode::InOrder />
                    <Route path=path!("/tasks/new") view=NewTaskPage ssr=SsrMode::InOrder />
                    <Route path=path!("/tasks/:id") view=TaskPage ssr=SsrMode::InOrder />
                    <Route path=path!("/on-call") view=CalendarPage ssr=SsrMode::InOrder />
                    <Route
                        path=path!("/operator-preview")
                        view=OperatorPreviewPage
                        ssr=SsrMode::InOrder
                    />
                    <Route path=path!("/on-call/rules/new") view=NewRulePage ssr=SsrMode::InOrder />
                    <Route path=path!("/on-call/rules/:id") view=RulePage ssr=SsrMode::InOrder />
                    <Route
                        path=path!("/on-call/overrides/new")
                        view=NewOverridePage
                        ssr=SsrMode::InOrder
                    />
                    <Route
                        path=path!("/on-call/overrides/:id")
                        view=OverridePage
                        ssr=SsrMode::InOrder
                    />
                    <Route path=path!("/clients") view=DirectoryPage ssr=SsrMode::InOrder />
                    <Route path=path!("/clients/new") view=NewClientPage ssr=SsrMode::InOrder />
                    <Route path=path!("/clients/:id") view=ClientPage ssr=SsrMode::InOrder />
                    <Route
                        path=path!("/clients/:id/log-in-as")
                        view=LogInAsPage
                        ssr=SsrMode::InOrder
                    />
                    <Route
                        path=path!("/clients/:id/access")
                        view=AccessHistoryPage
                        ssr=SsrMode::InOrder
                    />
                    <Route path=path!("/support") view=SupportPage ssr=SsrMode::InOrder />
                    <Route path=path!("/nodes/:id/users") view=UsersPage ssr=SsrMode::InOrder />
                    <Route
                        path=path!("/nodes/:id/users/invite")
                        view=InvitePage
                        ssr=SsrMode::InOrder
                    />
                    <Route
                        path=path!("/nodes/:id/users/:user")
                        view=UserPage
                        ssr=SsrMode::InOrder
                    />
                    <Route
                        path=path!("/partners/:id/settings")
                        view=PartnerSettingsPage
                        ssr=SsrMode::InOrder
                    />
                </ParentRoute>
            </Routes>
        </Router>
        </LanguageProvider>
    }
}
