//! What every request can reach on the server: the database, the settings and the
//! password hasher. Provided as Leptos context to pages and server functions.

use crate::auth::password::Passwords;
use crate::db::Db;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub settings: Settings,
    pub passwords: Passwords,
}

#[derive(Clone, Debug)]
pub struct Settings {
    /// Cookies carry `Secure` (and the `__Host-` prefix) unless serving plain local http.
    pub secure_cookies: bool,
    /// Take the client address from the last `X-Forwarded-For` entry (the one the
    /// proxy appended): only behind a trusted proxy.
    pub trust_forwarded_for: bool,
    /// A session ends after this long without a request.
    pub session_idle_ms: i64,
    /// A session ends this long after sign-in, however active.
    pub session_lifetime_ms: i64,
    pub sign_in_limits: SignInLimits,
    /// Where people reach the platform (scheme, host, port): the base of links in
    /// email, and the scheme and port of links on a partner's branding domain.
    pub public_url: String,
}

/// Failed password checks allowed in a sliding window (see `auth::throttle`). Past
/// the limit of one account from one address, or of one address, attempts are
/// refused until older failures leave the window, so nobody is locked out for good;
/// an account failing from many addresses is slowed down, never refused.
#[derive(Clone, Copy, Debug)]
pub struct SignInLimits {
    pub window_ms: i64,
    pub per_account_and_address: i64,
    pub per_address: i64,
    /// Failures of an account from anywhere before its attempts start to wait.
    pub account_slowdown_after: i64,
    /// How much longer each further attempt waits, up to the cap.
    pub account_slowdown_step_ms: i64,
    pub account_slowdown_max_ms: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            secure_cookies: true,
            trust_forwarded_for: false,
            session_idle_ms: 60 * 60 * 1000,
            session_lifetime_ms: 12 * 60 * 60 * 1000,
            sign_in_limits: SignInLimits {
                window_ms: 15 * 60 * 1000,
                per_account_and_address: 5,
                per_address: 30,
                account_slowdown_after: 10,
                account_slowdown_step_ms: 500,
                account_slowdown_max_ms: 5_000,
            },
            public_url: "http://127.0.0.1:3000".into(),
        }
    }
}
