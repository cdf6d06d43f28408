//! The one place that knows the app's URLs.

pub const HOME: &str = "/";
use crate::core::url::encode_query_value;
pub const LOGIN: &str = "/login";
pub const CHANGE_PASSWORD: &str = "/change-password";

pub const GROUPS: &str = "/groups";
pub const CLIENTS: &str = "/clients";
pub const NEW_CLIENT: &str = "/clients/new";
pub const ACTIVATE: &str = "/activate";
pub const FORGOT_PASSWORD: &str = "/forgot-password";
pub const RESET_PASSWORD: &str = "/reset-password";
pub const VERIFY: &str = "/verify";
/// The pages shown without the signed-in shell (lib.rs routes them outside it).
pub const PAGES_OUTSIDE_SHELL: [&str; 6] = [
    LOGIN,
    CHANGE_PASSWORD,
    VERIFY,
    ACTIVATE,
    FORGOT_PASSWORD,
    RESET_PASSWORD,
];
pub const SSO_LOGIN: &str = "/sso/login";
/// Where a refused sign-in link lands: the sign-in page, saying why.
pub const SSO_LINK_REFUSED_PAGE: &str = "/login?link=refused";
/// The route of a partner's colour stylesheet (axum's syntax).
pub const BRAND_STYLESHEET_ROUTE: &str = "/brand/{partner}/colours.css";

/// A partner's colour stylesheet; the version makes a new address for new colours.
pub fn brand_stylesheet(partner: crate::core::NodeId, version: i64) -> String {
    format!("/brand/{}/colours.css?v={version}", partner.0)
}

/// A partner's settings page.
pub fn partner_settings(partner: crate::core::NodeId) -> String {
    format!("/partners/{}/settings", partner.0)
}

/// `path` with `query` (already encoded) after it, where there is one.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

pub const AUDIT: &str = "/audit";

/// What the answering service took for an account: messages and calls.
pub const INBOX: &str = "/inbox";

/// One message, at its own address.
pub fn inbox_message(id: i64) -> String {
    format!("{INBOX}/{id}")
}

/// The recording of the call a message was taken on.
pub const MESSAGE_RECORDING_ROUTE: &str = "/inbox/{id}/recording";

pub fn message_recording(id: i64) -> String {
    format!("{INBOX}/{id}/recording")
}
/// What operators read first about an account, and its templates.
pub const STATUS: &str = "/status";
/// The people operators may reach.
pub const CONTACTS: &str = "/contacts";
pub const NEW_CONTACT: &str = "/contacts/new";
/// Links and notes for operators.
pub const RESOURCES: &str = "/resources";
/// Who is on call, the week ahead, and the rules and overrides that make it.
pub const ON_CALL: &str = "/on-call";
pub const NEW_RULE: &str = "/on-call/rules/new";
pub const NEW_OVERRIDE: &str = "/on-call/overrides/new";
/// Exactly what the platform's operators get from the API.
pub const OPERATOR_PREVIEW: &str = "/operator-preview";

/// Things to do for the account, by its people or the answering service.
pub const TASKS: &str = "/tasks";
pub const NEW_TASK: &str = "/tasks/new";

pub fn task(id: i64) -> String {
    format!("{TASKS}/{id}")
}

pub fn contact(id: i64) -> String {
    format!("{CONTACTS}/{id}")
}

pub fn oncall_rule(id: i64) -> String {
    format!("{ON_CALL}/rules/{id}")
}

pub fn oncall_override(id: i64) -> String {
    format!("{ON_CALL}/overrides/{id}")
}

/// `path` (with no query) for `account`: a portal page names the account for
/// partner staff, who reach many (an account's own people have one, the default).
pub fn for_account(path: &str, account: crate::core::NodeId) -> String {
    format!("{path}?account={}", account.0)
}

/// The support agent's list of accounts that granted access.
pub const SUPPORT: &str = "/support";

/// Starting an impersonation in `account`, in `mode`, returning to `from` at Stop.
pub fn log_in_as(account: crate::core::NodeId, mode: &str, from: &str) -> String {
    format!(
        "{CLIENTS}/{}/log-in-as?mode={mode}&from={}",
        account.0,
        encode_query_value(from)
    )
}

/// Starting to act as `user` in `account`, returning to `from` at Stop.
pub fn log_in_as_user(
    account: crate::core::NodeId,
    user: crate::core::UserId,
    from: &str,
) -> String {
    format!(
        "{CLIENTS}/{}/log-in-as?user={}&from={}",
        account.0,
        user.0,
        encode_query_value(from)
    )
}

/// Who came into `account` by impersonation.
pub fn access_history(account: crate::core::NodeId) -> String {
    format!("{CLIENTS}/{}/access", account.0)
}

pub const AUDIT_EXPORT: &str = "/audit/export.csv";

pub const CLIENTS_EXPORT: &str = "/clients/export.csv";

pub fn client(id: crate::core::NodeId) -> String {
    format!("{CLIENTS}/{}", id.0)
}

/// The people with access at a node.
pub fn node_users(node: crate::core::NodeId) -> String {
    format!("/nodes/{}/users", node.0)
}

/// The invite form of a node.
pub fn invite_at(node: crate::core::NodeId) -> String {
    format!("/nodes/{}/users/invite", node.0)
}

/// A user as seen at a node: their roles there and their account.
pub fn node_user(node: crate::core::NodeId, user: crate::core::UserId) -> String {
    format!("/nodes/{}/users/{}", node.0, user.0)
}

/// The add-client form with `group` chosen.
pub fn new_client_in(group: crate::core::NodeId) -> String {
    format!("{NEW_CLIENT}?group={}", group.0)
}

/// Where a new user sets their first password.
pub fn activation(token: &str) -> String {
    format!("{ACTIVATE}?token={}", encode_query_value(token))
}

/// Where someone who asked to reset their password chooses a new one.
pub fn password_reset(token: &str) -> String {
    format!("{RESET_PASSWORD}?token={}", encode_query_value(token))
}

/// The groups page with the node at the end of `path` (dot-separated ids) selected.
pub fn groups_at(path: &str) -> String {
    if path.is_empty() {
        GROUPS.to_string()
    } else {
        format!("{GROUPS}?path={path}")
    }
}

/// The sign-in page, returning to `next` afterwards.
pub fn login_then(next: &str) -> String {
    if next == HOME || !is_local_path(next) {
        LOGIN.to_string()
    } else {
        format!("{LOGIN}?next={}", encode_query_value(next))
    }
}

/// Where to go after signing in: only paths on this site, never another origin.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path) if is_local_path(path) => path,
        _ => HOME,
    }
}

/// A plain path (and query) on this site: visible ASCII only, since browsers drop tabs
/// and newlines (`/\t/evil.example` becomes `//evil.example`) and a control character
/// cannot go in a `Location` header; one leading slash, no backslash (read as a slash);
/// and a valid URI path, so it names no scheme or host.
fn is_local_path(path: &str) -> bool {
    path.bytes().all(|byte| byte.is_ascii_graphic())
        && path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && path
            .parse::<http::uri::PathAndQuery>()
            .is_ok_and(|parsed| parsed.as_str() == path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_kept_only_for_local_paths() {
        assert_eq!(safe_next(Some("/clients?q=a")), "/clients?q=a");
        assert_eq!(safe_next(Some("//evil.example")), HOME);
        assert_eq!(safe_next(Some("https://evil.example")), HOME);
        assert_eq!(safe_next(Some("/\\evil.example")), HOME);
        assert_eq!(safe_next(None), HOME);
        for sneaky in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/ /evil.example",
            "/\u{0}x",
            "/\u{7f}",
            "/caf\u{e9}",
            "/#//evil.example",
            "",
            "evil.example",
            "http:/evil.example",
        ] {
            assert_eq!(safe_next(Some(sneaky)), HOME, "{sneaky:?}");
        }
        assert_eq!(
            safe_next(Some("/nodes/2/users?q=a%20b")),
            "/nodes/2/users?q=a%20b"
        );
    }

    #[test]
    fn login_link_carries_the_page_to_return_to() {
        assert_eq!(login_then("/"), "/login");
        assert_eq!(login_then("/a%20b?x=1"), "/login?next=/a%2520b%3Fx%3D1");
        assert_eq!(login_then("/\t/evil.example"), "/login");
    }
}
