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
use tower_http::limit::RequestBodyLimitLayer;

use crate::answers::{refuse_large_bodies, statuses_of_refusals, MAX_BODY_BYTES};
use crate::cli::CliResult;
use crate::security::{refuse_cross_site, security_headers, CspNonce, HeaderPolicy};

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
    let secure_cookies = state.settings.secure_cookies;
    Router::new()
        .leptos_routes_with_context(&leptos_options, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        // Only the pages and server functions above: signed-out visitors are redirected
        // before rendering, and each answer's language is decided.
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            app::layout::page_gate::redirect_before_rendering,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            app::auth::page_language::decide_language,
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
            app::paths::MESSAGE_RECORDING_ROUTE,
            get({
                let state = state.clone();
                move |axum::extract::Path(id): axum::extract::Path<i64>,
                      request: axum::extract::Request| {
                    let (parts, _) = request.into_parts();
                    app::inbox::recordings::serve_recording(state.clone(), parts, id)
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
        .layer(axum::middleware::from_fn(statuses_of_refusals))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(refuse_large_bodies))
        .layer(axum::middleware::from_fn(refuse_cross_site))
        // The platform's API reads no cookies, so the cross-site rule does not apply;
        // it answers its own refusals (sizes, statuses) in JSON.
        .merge(app::platform_api::router(state))
        .layer(axum::middleware::from_fn_with_state(
            HeaderPolicy {
                https_only: secure_cookies,
            },
            security_headers,
        ))
        .layer(CompressionLayer::new())
}

/// What every page render and server function can reach.
fn provide_request_context(state: &AppState) {
    provide_context(state.clone());
    app::auth::actor::provide_actor_of_request();
    let Some(parts) = use_context::<http::request::Parts>() else {
        return;
    };
    app::locale::provide_page_language(&parts);
    if let Some(CspNonce(nonce)) = parts.extensions.get::<CspNonce>().cloned() {
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
mod tests;
