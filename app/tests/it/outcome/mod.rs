//! What a call in an authorization matrix came to.

use app::error::AppError;

/// Allowed (or refused only for its input, after the check), forbidden, or not found
/// (the node is outside the actor's view).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    Allowed,
    Forbidden,
    NotFound,
}

pub fn outcome<T: std::fmt::Debug>(result: &Result<T, AppError>) -> Outcome {
    match result {
        Ok(_) => Outcome::Allowed,
        Err(AppError::Validation(_)) | Err(AppError::Conflict(_)) => Outcome::Allowed,
        Err(AppError::Forbidden(_)) => Outcome::Forbidden,
        Err(AppError::NotFound) => Outcome::NotFound,
        Err(other) => panic!("unexpected {other:?}"),
    }
}
