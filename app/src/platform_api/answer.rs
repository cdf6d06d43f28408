//! What the API answers: JSON with the status of what happened, and errors a
//! developer can act on (`{"error": {"status", "message", "fields"}}`).

use std::collections::BTreeMap;

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;

use crate::error::AppError;

/// Every refusal's body.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status, again.
    pub status: u16,
    /// What went wrong, for a developer to read.
    pub message: String,
    /// For 422: what is wrong with each field, by its name (`fields[0].label`).
    pub fields: BTreeMap<String, String>,
}

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
        let fields = match &error {
            AppError::Validation(errors) => errors
                .entries()
                .filter(|(field, _)| !field.is_empty())
                .map(|(field, message)| (field.to_string(), message.to_string()))
                .collect(),
            _ => BTreeMap::new(),
        };
        Answer::refused(error.status(), message, fields)
    }

    /// 429, to try again after `seconds`.
    pub fn too_many(seconds: u64) -> Answer {
        let message = format!("This key sent too many requests: try again in {seconds} s.");
        let mut answer = Answer::refused(StatusCode::TOO_MANY_REQUESTS, message, BTreeMap::new());
        answer.retry_after_seconds = Some(seconds);
        answer
    }

    /// An error of the request's size or shape, or of its Idempotency-Key.
    pub fn refusal(status: StatusCode, message: &str) -> Answer {
        Answer::refused(status, message.to_string(), BTreeMap::new())
    }

    fn refused(status: StatusCode, message: String, fields: BTreeMap<String, String>) -> Answer {
        let body = ErrorBody {
            error: ErrorDetail {
                status: status.as_u16(),
                message,
                fields,
            },
        };
        Answer {
            status,
            ..Answer::json(status, &body)
        }
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
