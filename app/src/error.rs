//! The one error type of the app. It crosses the wire to the browser, so it carries
//! only what a user may read; the causes of internal errors stay in the server log.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::tr;

/// Its `Display` is what the person reads, in the language of whoever reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    Unauthenticated,
    Forbidden(String),
    NotFound,
    Conflict(String),
    Validation(FieldErrors),
    TooManyAttempts { retry_after_minutes: i64 },
    Internal,
    Network,
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unauthenticated => f.write_str(tr!(errors.sign_in)),
            Self::Forbidden(message) | Self::Conflict(message) => f.write_str(message),
            Self::NotFound => f.write_str(tr!(errors.not_found)),
            Self::Validation(errors) => f.write_str(&errors.summary()),
            Self::TooManyAttempts {
                retry_after_minutes,
            } => f.write_str(&tr!(errors.too_many_attempts, count = *retry_after_minutes)),
            Self::Internal => f.write_str(tr!(errors.internal)),
            Self::Network => f.write_str(tr!(errors.network)),
        }
    }
}

impl std::error::Error for AppError {}

impl AppError {
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden(message.into())
    }

    /// A validation error on one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(FieldErrors::one(field, message))
    }

    /// The message to show next to `field`, if this error is about that field.
    pub fn message_for(&self, field: &str) -> Option<String> {
        match self {
            Self::Validation(errors) => errors.get(field).map(str::to_string),
            _ => None,
        }
    }

    /// The message for the form as a whole: everything not tied to one of its fields.
    pub fn form_message(&self) -> Option<String> {
        match self {
            Self::Validation(errors) => errors.get(FieldErrors::FORM).map(str::to_string),
            other => Some(other.to_string()),
        }
    }

    /// Logs an internal failure on the server and returns the masked error.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        Self::internal(error)
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The HTTP status that says what kind of refusal this is: 500 only for faults.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal | AppError::Network => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Seconds to wait before trying again, when that is what the refusal says.
    pub fn retry_after_seconds(&self) -> Option<i64> {
        match self {
            AppError::TooManyAttempts {
                retry_after_minutes,
            } => Some(retry_after_minutes * 60),
            _ => None,
        }
    }
}

/// For plain HTTP handlers outside Leptos: the status that fits, and the message.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let mut response = (self.status(), self.to_string()).into_response();
        if let Some(seconds) = self.retry_after_seconds() {
            response
                .headers_mut()
                .insert(http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => Self::Network,
            #[cfg(feature = "ssr")]
            other => Self::internal(other),
            #[cfg(not(feature = "ssr"))]
            _ => Self::Internal,
        }
    }
}

/// Validation messages keyed by form field name; [`FieldErrors::FORM`] is the form itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    pub const FORM: &'static str = "";

    pub fn one(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::default();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push((field.to_string(), message.into()));
    }

    /// Refuses a text of more than `max_chars` characters at its field: a server
    /// function says so before it does any work with it, whatever the form allowed.
    pub fn limit(&mut self, field: &str, value: &str, max_chars: usize) {
        // A character is at most four bytes: only a long text is counted.
        if value.len() > max_chars && value.chars().count() > max_chars {
            self.add(
                field,
                crate::tr!(errors.at_most_characters, count = max_chars),
            );
        }
    }

    /// The whole number `text` holds if it is in `range`; otherwise the field's
    /// message (and 0). A blank field is 0 where 0 is allowed.
    pub fn whole_number(
        &mut self,
        field: &str,
        text: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> i64 {
        let text = text.trim();
        if text.is_empty() && *range.start() == 0 {
            return 0;
        }
        match text.parse::<i64>() {
            Ok(value) if range.contains(&value) => value,
            Ok(_) | Err(_) => {
                let (from, to) = (range.start(), range.end());
                self.add(field, tr!(errors.whole_number, from = from, to = to));
                0
            }
        }
    }

    /// As [`FieldErrors::limit`], for several fields at once: `Err` when one is over.
    pub fn within_limits(fields: &[(&str, &str, usize)]) -> Result<(), AppError> {
        let mut errors = Self::default();
        for (field, value, max_chars) in fields {
            errors.limit(field, value, *max_chars);
        }
        errors.into_result()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, message)| message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each (field, message), in the order they were found.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(field, message)| (field.as_str(), message.as_str()))
    }

    /// `Ok` when nothing was added, so validation can end with `errors.into_result()?`.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self))
        }
    }

    fn summary(&self) -> String {
        match self.0.as_slice() {
            [(_, message)] => message.clone(),
            _ => tr!(errors.correct_fields).to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_outside_their_range_are_refused() {
        let mut errors = FieldErrors::default();
        assert_eq!(errors.whole_number("sms", "", 0..=10), 0);
        assert_eq!(errors.whole_number("sms", " 7 ", 0..=10), 7);
        assert!(errors.is_empty());
        errors.whole_number("seats", "", 1..=10);
        errors.whole_number("sms", "-1", 0..=10);
        assert_eq!(
            errors.get("seats"),
            Some("Enter a whole number from 1 to 10.")
        );
        assert!(errors.get("sms").is_some());
    }

    #[test]
    fn field_messages_are_found_by_name() {
        let mut errors = FieldErrors::default();
        errors.add("email", "Enter your email address.");
        errors.add(FieldErrors::FORM, "Email or password is incorrect.");
        let error = AppError::Validation(errors);
        assert_eq!(
            error.message_for("email").as_deref(),
            Some("Enter your email address.")
        );
        assert_eq!(error.message_for("password"), None);
        assert_eq!(
            error.form_message().as_deref(),
            Some("Email or password is incorrect.")
        );
        assert_eq!(error.to_string(), "Please correct the highlighted fields.");
    }

    #[test]
    fn non_validation_errors_are_form_messages() {
        assert_eq!(
            AppError::Unauthenticated.form_message().as_deref(),
            Some("Please sign in to continue.")
        );
        assert_eq!(FieldErrors::default().into_result(), Ok(()));
    }
}
