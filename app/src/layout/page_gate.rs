//! The server's half of the shell's gate (layout::SignedInGate): a browser asking for
//! a page of the signed-in shell without a live session is sent to the sign-in page,
//! and one with an obligation (a temporary password, a verification) to the page
//! that meets it, before any page is rendered.
//!
//! The shell does the same in the browser. On the server, rendering a page only to
//! answer with a redirect raced Leptos's streaming: now and then (2 in 80 runs of a
//! loaded test) the response never came.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, Method, StatusCode};

use crate::auth::actor::ActorOfRequest;
use crate::auth::session;
use crate::error::AppError;
use crate::paths;
use crate::request::Requester;
use crate::state::AppState;

/// Middleware for the page routes. The actor it looks up travels on with the request,
/// so the page does not look them up again.
pub async fn redirect_before_rendering(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if !is_shell_page_visit(&request) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let client = Requester::from_parts(&parts, state.settings.trust_forwarded_for);
    let actor = ActorOfRequest::default();
    let elsewhere = match actor.get(&state, &client).await {
        Err(AppError::Unauthenticated) => {
            if let Some(back) = back_from_ended_impersonation(&state, &client).await {
                return back;
            }
            let here = parts
                .uri
                .path_and_query()
                .map_or(paths::HOME, |path| path.as_str());
            Some(paths::login_then(here))
        }
        Ok(signed_in) => signed_in
            .obligation()
            .map(|obligation| obligation.page().to_string()),
        // Other failures are the page's to show.
        Err(_) => None,
    };
    if let Some(location) = elsewhere {
        return (StatusCode::FOUND, [(header::LOCATION, location)]).into_response();
    }
    parts.extensions.insert(actor);
    next.run(Request::from_parts(parts, body)).await
}

/// A session whose impersonation has ended (its time ran out, or the right to it was
/// withdrawn) goes back to where it started, signed in as the person really acting.
async fn back_from_ended_impersonation(state: &AppState, client: &Requester) -> Option<Response> {
    let token = session::token_of(state, client).ok()?;
    let (new_token, return_to) = crate::impersonation::start_stop::stop(state, client, token)
        .await
        .ok()?;
    let cookie = session::session_cookie(&state.settings, &new_token);
    Some(
        (
            StatusCode::FOUND,
            [(header::LOCATION, return_to), (header::SET_COOKIE, cookie)],
        )
            .into_response(),
    )
}

/// A browser's visit (GET, asking for HTML) to a page inside the signed-in shell.
fn is_shell_page_visit(request: &Request) -> bool {
    let wants_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    request.method() == Method::GET
        && wants_html
        && !paths::PAGES_OUTSIDE_SHELL.contains(&request.uri().path())
}
