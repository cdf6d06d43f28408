//! What the API answers: JSON with the status of what happened, and errors a
//! developer can act on (`{"error": {"status", "message", "fields"}}`).

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;

use crate::error::AppError;

/// An answer before it is sent: kept as it is, so a retry with the same
/// Idempotency-Key gets it again.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub body: String,
    pub retry_after_seconds: Option<u64>,
    /// Set on an answer replayed for a retried Idempotency-Key.
    pub replayed: bool,
}

impl Answer {
    pub fn json(status: StatusCode, value: &impl Serialize) -> Answer {
        match serde_json::to_string(value) {
            Ok(body) => Answer {
                status,
                body,
                retry_after_seconds: None,
                replayed: false,
            },
            Err(error) => Answer::error(AppError::internal(error)),
        }
    }

    pub fn error(error: AppError) -> Answer {
        let message = match &error {
            AppError::Unauthenticated => {
                "Send a working API key as `Authorization: Bearer sbk_…`.".to_string()
            }
            AppError::NotFound => "No such record, or not one this key reaches.".to_string(),
            other => other.to_string(),
        };
        let fields: serde_json::Map<String, serde_json::Value> = match &error {
            AppError::Validation(errors) => errors
                .entries()
                .filter(|(field, _)| !field.is_empty())
                .map(|(field, message)| (field.to_string(), message.into()))
                .collect(),
            _ => serde_json::Map::new(),
        };
        let status = error.status();
        let mut answer = Answer::json(
            status,
            &serde_json::json!({ "error": {
                "status": status.as_u16(), "message": message, "fields": fields,
            }}),
        );
        answer.status = status;
        answer
    }

    /// 429, to try again after `seconds`.
    pub fn too_many(seconds: u64) -> Answer {
        let mut answer = Answer::json(
            StatusCode::TOO_MANY_REQUESTS,
            &serde_json::json!({ "error": {
                "status": 429,
                "message": format!("This key sent too many requests: try again in {seconds} s."),
                "fields": {},
            }}),
        );
        answer.retry_after_seconds = Some(seconds);
        answer
    }

    /// An error of the request's size or shape, before anything was read.
    pub fn refusal(status: StatusCode, message: &str) -> Answer {
        let mut answer = Answer::json(
            status,
            &serde_json::json!({ "error": {
                "status": status.as_u16(), "message": message, "fields": {},
            }}),
        );
        answer.status = status;
        answer
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(seconds) = self.retry_after_seconds {
            headers.insert(header::RETRY_AFTER, seconds.into());
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if self.replayed {
            headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
        }
        response
    }
}
