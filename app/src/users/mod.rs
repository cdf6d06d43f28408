//! People: platform-wide unique email, name, language, status and memberships.

#[cfg(feature = "ssr")]
pub mod repo;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    Invited,
    Active,
    Disabled,
}

impl UserStatus {
    pub fn key(self) -> &'static str {
        match self {
            UserStatus::Invited => "invited",
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [
            UserStatus::Invited,
            UserStatus::Active,
            UserStatus::Disabled,
        ]
        .into_iter()
        .find(|status| status.key() == key)
    }
}

/// Emails compare case-insensitively and without surrounding blanks.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A readable reason why `email` cannot be an address, if it cannot.
pub fn email_problem(email: &str) -> Option<&'static str> {
    let email = email.trim();
    if email.is_empty() {
        return Some("Enter an email address.");
    }
    if email.len() > 254 {
        return Some("That email address is too long.");
    }
    match email.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(char::is_whitespace) =>
        {
            None
        }
        _ => Some("Enter an email address like name@example.com."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_for_uniqueness() {
        assert_eq!(
            normalize_email("  Nora.North@Northwind.TEST "),
            "nora.north@northwind.test"
        );
    }

    #[test]
    fn malformed_emails_are_explained() {
        assert_eq!(email_problem("nora@northwind.test"), None);
        assert!(email_problem("").is_some());
        assert!(email_problem("nora").is_some());
        assert!(email_problem("nora@localhost").is_some());
        assert!(email_problem("no ra@northwind.test").is_some());
    }
}
