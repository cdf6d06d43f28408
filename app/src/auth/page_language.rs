//! The language each page and server function answers in, decided once per request
//! from the signed-in person's own setting (see `locale` for the rule).

use crate::core::words::PageLanguage;
use crate::core::Language;
use crate::locale::{accept_language, negotiate, LANGUAGE_COOKIE};

/// Middleware for the pages and server functions: decides the language of what the
/// request is answered with (`negotiate`'s rule) and puts it on the request.
pub async fn decide_language(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let (mut parts, body) = request.into_parts();
    let language = request_language(&state, &parts).await;
    parts.extensions.insert(PageLanguage(language));
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

async fn request_language(
    state: &crate::state::AppState,
    parts: &http::request::Parts,
) -> Language {
    let client = crate::request::Requester::from_parts(parts, false);
    let own = match super::session::own_language(state, &client).await {
        Ok(own) => own,
        Err(error) => {
            tracing::warn!(%error, "the signed-in person's language could not be read");
            None
        }
    };
    negotiate(own, client.cookie(LANGUAGE_COOKIE), accept_language(parts))
}
