//! The web server: Leptos pages and server functions, static files, health check,
//! and the security layers around them.

use std::net::SocketAddr;

use app::state::AppState;
use app::{shell, App};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;
use http::StatusCode;
use leptos::config::get_configuration;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;

use crate::cli::CliResult;
use crate::security::{refuse_cross_site, security_headers, CspNonce};

pub async fn serve(mut state: AppState, addr: Option<SocketAddr>) -> CliResult {
    let mut leptos_options = get_configuration(None)?.leptos_options;
    if let Some(addr) = addr {
        leptos_options.site_addr = addr;
    }
    let addr = leptos_options.site_addr;
    if state.settings.public_url.is_empty() {
        state.settings.public_url = format!("http://{addr}");
    }
    let app = router(state, leptos_options);

    // Pages stream in several writes: without TCP_NODELAY, Nagle's algorithm holds the
    // later ones back until the browser's delayed ACK, some 40 ms a page.
    let listener = tokio::net::TcpListener::bind(addr).await?.tap_io(|stream| {
        if let Err(error) = stream.set_nodelay(true) {
            tracing::warn!(%error, "TCP_NODELAY not set");
        }
    });
    println!("Switchboard is running at http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

pub fn router(state: AppState, leptos_options: LeptosOptions) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || provide_request_context(&state)
    };
    let db = state.db.clone();
    Router::new()
        .leptos_routes_with_context(&leptos_options, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        // Only the pages above: signed-out visitors are redirected before rendering.
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            app::auth::page_gate::redirect_before_rendering,
        ))
        .route(
            "/healthz",
            get(move || {
                let db = db.clone();
                async move {
                    if db.is_reachable().await {
                        (StatusCode::OK, "ok")
                    } else {
                        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
                    }
                }
            }),
        )
        .route(
            app::paths::CLIENTS_EXPORT,
            get({
                let state = state.clone();
                move |request: axum::extract::Request| {
                    let (parts, _) = request.into_parts();
                    app::clients::export::export_clients(state.clone(), parts)
                }
            }),
        )
        .route(
            app::paths::AUDIT_EXPORT,
            get({
                let state = state.clone();
                move |request: axum::extract::Request| {
                    let (parts, _) = request.into_parts();
                    app::audit::export::export_audit(state.clone(), parts)
                }
            }),
        )
        .route(
            app::paths::SSO_LOGIN,
            get({
                let state = state.clone();
                move |request: axum::extract::Request| {
                    let (parts, _) = request.into_parts();
                    app::auth::sso::sign_in_with_link(state.clone(), parts)
                }
            }),
        )
        .route(
            app::paths::BRAND_STYLESHEET_ROUTE,
            get({
                let state = state.clone();
                move |axum::extract::Path(partner): axum::extract::Path<i64>| {
                    app::tenancy::settings::colours_stylesheet(state.clone(), partner)
                }
            }),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context, shell,
        ))
        .with_state(leptos_options)
        .layer(axum::middleware::from_fn(refuse_cross_site))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(CompressionLayer::new())
}

/// What every page render and server function can reach.
fn provide_request_context(state: &AppState) {
    provide_context(state.clone());
    app::auth::guard::provide_actor_of_request();
    let nonce = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(nonce)) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::auth::api::SignIn;
    use app::auth::password::Passwords;
    use app::db::Db;
    use app::state::Settings;
    use app::users::repo::{insert_user, NewUser};
    use app::users::UserStatus;
    use axum::body::{to_bytes, Body};
    use http::{header, Request, Response};
    use leptos::server_fn::ServerFn;
    use tower::ServiceExt;

    async fn test_router(dir: &tempfile::TempDir) -> Router {
        let url = format!("sqlite://{}/serve.db?mode=rwc", dir.path().display());
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        let state = AppState {
            db,
            settings: Settings {
                secure_cookies: false,
                ..Settings::default()
            },
            passwords: Passwords::new(1),
        };
        insert_user(
            state.db.pool(),
            &NewUser {
                email: "nora@northwind.test",
                name: "Nora North",
                language: "en",
                branding_domain: None,
                status: UserStatus::Active,
                password_hash: Some(
                    state
                        .passwords
                        .hash("a long enough secret".into())
                        .await
                        .unwrap(),
                ),
                must_change_password: false,
            },
        )
        .await
        .unwrap();
        let options = LeptosOptions::builder().output_name("switchboard").build();
        router(state, options)
    }

    fn sign_in_request(site: &str, password: &str) -> Request<Body> {
        Request::post(SignIn::PATH)
            .header("sec-fetch-site", site)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "email=nora%40northwind.test&password={}",
                password.replace(' ', "+")
            )))
            .unwrap()
    }

    /// A browser navigation: redirects are answered with 302 only to those.
    fn page_request(path: &str) -> http::request::Builder {
        Request::get(path).header(header::ACCEPT, "text/html")
    }

    /// A page that never finishes streaming fails the test instead of hanging it.
    const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(30);

    async fn send(router: &Router, request: Request<Body>) -> Response<Body> {
        let path = request.uri().to_string();
        tokio::time::timeout(ANSWER_WITHIN, router.clone().oneshot(request))
            .await
            .unwrap_or_else(|_| panic!("no answer to {path} within {ANSWER_WITHIN:?}"))
            .unwrap()
    }

    async fn body_text(response: Response<Body>) -> String {
        let body = tokio::time::timeout(ANSWER_WITHIN, to_bytes(response.into_body(), 1 << 20))
            .await
            .expect("the page finishes streaming")
            .unwrap();
        String::from_utf8(body.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn health_reports_a_reachable_database() {
        let dir = tempfile::tempdir().unwrap();
        let response = send(
            &test_router(&dir).await,
            Request::get("/healthz").body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn a_refused_sign_in_link_lands_on_the_sign_in_page_saying_why() {
        let dir = tempfile::tempdir().unwrap();
        let router = test_router(&dir).await;
        let forged = "/sso/login?client=1&email=nora%40northwind.test&expires=4000000000\
                      &nonce=n0nce&signature=00";
        let refused = send(&router, page_request(forged).body(Body::empty()).unwrap()).await;
        assert!(refused.headers().get(header::SET_COOKIE).is_none());
        let location = refused.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(location, app::paths::SSO_LINK_REFUSED_PAGE);
        let page = send(
            &router,
            page_request(&location).body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(page.status(), StatusCode::OK);
        assert!(body_text(page).await.contains(app::auth::SSO_LINK_REFUSED));
    }

    #[tokio::test]
    async fn a_cross_site_sign_in_is_refused_before_it_runs() {
        let dir = tempfile::tempdir().unwrap();
        let response = send(
            &test_router(&dir).await,
            sign_in_request("cross-site", "a long enough secret"),
        )
        .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(response.headers().get(header::SET_COOKIE).is_none());
    }

    #[tokio::test]
    async fn signing_in_sets_a_session_cookie_that_opens_the_home_page() {
        let dir = tempfile::tempdir().unwrap();
        let router = test_router(&dir).await;

        let signed_out = send(&router, page_request("/").body(Body::empty()).unwrap()).await;
        assert_eq!(signed_out.status(), StatusCode::FOUND);
        assert_eq!(signed_out.headers()[header::LOCATION], "/login");
        // Redirected before rendering, keeping where the visitor was going.
        let deep = send(
            &router,
            page_request("/clients?status=active")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(deep.status(), StatusCode::FOUND);
        assert_eq!(
            deep.headers()[header::LOCATION],
            "/login?next=/clients%3Fstatus%3Dactive"
        );

        let wrong = send(&router, sign_in_request("same-origin", "not the secret")).await;
        assert!(wrong.headers().get(header::SET_COOKIE).is_none());
        assert!(body_text(wrong)
            .await
            .contains("Email or password is incorrect."));

        let right = send(
            &router,
            sign_in_request("same-origin", "a long enough secret"),
        )
        .await;
        let cookie = right.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .to_string();
        assert!(cookie.contains("HttpOnly; SameSite=Lax"), "{cookie}");
        let session = cookie.split(';').next().unwrap().to_string();

        let home = send(
            &router,
            page_request("/")
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(home.status(), StatusCode::OK);
        let csp = home.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_string();
        let page = body_text(home).await;
        assert!(
            page.contains("Nora North"),
            "the shell names the signed-in user"
        );
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .unwrap()
            .split('\'')
            .next()
            .unwrap();
        assert!(
            page.contains(&format!("nonce=\"{nonce}\"")),
            "inline scripts carry the CSP nonce"
        );

        // The page's title is in the head the server sends, with the brand's name:
        // it names the tab before (and without) JavaScript.
        let groups = send(
            &router,
            page_request("/groups")
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert!(body_text(groups)
            .await
            .contains("<title>Groups · Switchboard</title>"));
    }

    /// The session cookie of Nora, signed in with the right password.
    async fn signed_in_session(router: &Router) -> String {
        let signed_in = send(
            router,
            sign_in_request("same-origin", "a long enough secret"),
        )
        .await;
        signed_in.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string()
    }

    async fn assert_every_page_sends_to(router: &Router, session: &str, page: &str) {
        for path in ["/", "/clients", "/nodes/1/users"] {
            let response = send(
                router,
                page_request(path)
                    .header(header::COOKIE, session)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
            assert_eq!(response.status(), StatusCode::FOUND, "{path}");
            assert_eq!(response.headers()[header::LOCATION], page, "{path}");
        }
    }

    #[tokio::test]
    async fn a_client_user_verifies_before_any_page_opens() {
        use app::auth::roles::{Role, RoleSet};
        use app::clients::repo::{insert_client, NewClientRecord};
        use app::clients::{ClientStatus, CompanyInfo};
        use app::tenancy::{repo, NodeKind};

        let dir = tempfile::tempdir().unwrap();
        let router = test_router(&dir).await;
        let url = format!("sqlite://{}/serve.db", dir.path().display());
        let db = Db::connect(&url).await.unwrap();
        let mut conn = db.pool().acquire().await.unwrap();
        let platform = repo::ensure_platform(&mut conn).await.unwrap();
        let partner = repo::insert_node(&mut conn, Some(platform), NodeKind::Partner, "Northwind")
            .await
            .unwrap();
        let company = CompanyInfo {
            name: "Harbor Dental".into(),
            contact_name: "Hana".into(),
            email: "office@harbor.test".into(),
            phone: "+1 617 555 0100".into(),
            address: String::new(),
            time_zone: "UTC".into(),
        };
        let client = NewClientRecord {
            group: partner,
            partner,
            company: &company,
            status: ClientStatus::Active,
            seat_limit: 2,
            features: &[],
            tags: &[],
            sso_token: "token",
        };
        let account = insert_client(&mut conn, client).await.unwrap();
        let nora = app::users::repo::find_by_email(&mut *conn, "nora@northwind.test")
            .await
            .unwrap()
            .unwrap();
        let roles = RoleSet::new([Role::ClientUser]);
        app::users::repo::set_membership(&mut conn, nora.id, account, &roles)
            .await
            .unwrap();
        drop(conn);
        db.close().await;

        let session = signed_in_session(&router).await;
        assert_every_page_sends_to(&router, &session, app::paths::VERIFY).await;
        let verify = send(
            &router,
            page_request(app::paths::VERIFY)
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(verify.status(), StatusCode::OK);
        let page = body_text(verify).await;
        assert!(page.contains("Verify your account"), "{page}");
        assert!(
            page.contains("nora@northwind.test"),
            "the address the code goes to"
        );
    }

    #[tokio::test]
    async fn a_temporary_password_is_changed_before_any_page_opens() {
        let dir = tempfile::tempdir().unwrap();
        let router = test_router(&dir).await;
        let url = format!("sqlite://{}/serve.db", dir.path().display());
        let db = Db::connect(&url).await.unwrap();
        sqlx::query("UPDATE users SET must_change_password = 1")
            .execute(db.pool())
            .await
            .unwrap();
        db.close().await;

        let session = signed_in_session(&router).await;
        assert_every_page_sends_to(&router, &session, app::paths::CHANGE_PASSWORD).await;
        let change = send(
            &router,
            page_request(app::paths::CHANGE_PASSWORD)
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(change.status(), StatusCode::OK);
    }
}
