//! Checks of what people type that several features share.

/// Emails compare case-insensitively and without surrounding blanks.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The longest search text a list accepts: beyond any real search, and a bound on
/// the work one costs.
pub const MAX_SEARCH_CHARS: usize = 200;

/// The longest address mail can carry.
pub const MAX_EMAIL_CHARS: usize = 254;

pub fn email_problem(email: &str) -> Option<&'static str> {
    let email = email.trim();
    if email.is_empty() {
        return Some(crate::tr!(validate.enter_email));
    }
    if email.len() > MAX_EMAIL_CHARS {
        return Some(crate::tr!(validate.email_too_long));
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
        _ => Some(crate::tr!(validate.email_shape)),
    }
}

/// A phone number as people write it: digits with spaces, dashes, dots, brackets and a
/// leading +; between 7 and 15 digits.
pub fn phone_problem(phone: &str) -> Option<&'static str> {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || " -.()".contains(c) || (c == '+' && i == 0));
    if phone.is_empty() {
        Some(crate::tr!(validate.enter_phone))
    } else if !allowed || !(7..=15).contains(&digits) {
        Some(crate::tr!(validate.phone_shape))
    } else {
        None
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
