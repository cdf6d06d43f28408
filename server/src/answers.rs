//! HTTP answers that say what happened. A server function's refusal gets the status
//! of its kind (401, 403, 404, 409, 422, 429 with `Retry-After`; 500 only for faults)
//! while its body stays the readable error the app shows; a request body over the
//! limit is refused with 413 before anything reads it.

use app::error::{AppError, FieldErrors};
use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

/// The most a request may send: forms and server-function arguments are far smaller.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Server functions are served under this prefix.
const SERVER_FN_PREFIX: &str = "/api/";

/// Gives a server function's error answer the status of its error.
pub async fn statuses_of_refusals(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_refusal = response.status() == StatusCode::INTERNAL_SERVER_ERROR
        && response.headers().contains_key(SERVER_FN_ERROR_HEADER);
    if !is_refusal {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.status();
        if let Some(seconds) = error.retry_after_seconds() {
            parts.headers.insert(header::RETRY_AFTER, seconds.into());
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Refuses a request whose declared body is over [`MAX_BODY_BYTES`] with 413 and a
/// message a person can read (the error a form shows, for server functions). Bodies
/// sent without a length are cut at the limit by the layer after this one.
pub async fn refuse_large_bodies(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok())
        .unwrap_or_else(|| request.body().size_hint().lower());
    if declared <= MAX_BODY_BYTES as u64 {
        return next.run(request).await;
    }
    let message = format!(
        "This is more than can be sent at once (at most {} MB). Send less, or in parts.",
        MAX_BODY_BYTES >> 20
    );
    if request.uri().path().starts_with(SERVER_FN_PREFIX) {
        let error = AppError::Validation(FieldErrors::one(FieldErrors::FORM, message));
        let body = serde_json::to_string(&error).unwrap_or_default();
        let mut response = (StatusCode::PAYLOAD_TOO_LARGE, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers.insert(
            SERVER_FN_ERROR_HEADER,
            HeaderValue::from_str(request.uri().path()).unwrap_or(HeaderValue::from_static("/api")),
        );
        response
    } else {
        (StatusCode::PAYLOAD_TOO_LARGE, message).into_response()
    }
}
