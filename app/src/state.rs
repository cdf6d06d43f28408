//! What every request can reach on the server: the database, the settings and the
//! password hasher. Provided as Leptos context to pages and server functions.

use crate::db::Db;
use crate::password::Passwords;
use crate::storage::Storage;

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
    /// The key of what is stored keyed (verification codes): a copy of the database
    /// alone reveals nothing that works. Every process sharing a database uses one.
    pub secret: ServerSecret,
    /// How many API requests one key may send (see `platform_api`).
    pub api_limit: ApiLimit,
    /// Where call recordings are kept. The default keeps them in memory, for tests;
    /// `serve` always names a folder or a bucket.
    pub storage: Storage,
    /// The largest recording the API takes, in bytes.
    pub max_recording_bytes: usize,
}

/// Requests per second one API key may send on average, and in a burst. Kept per
/// process: behind a load balancer of N processes a key may send up to N times this.
#[derive(Clone, Copy, Debug)]
pub struct ApiLimit {
    pub per_second: u32,
    pub burst: u32,
}

/// A server's secret key: 32 random bytes, never printed.
#[derive(Clone)]
pub struct ServerSecret([u8; 32]);

impl ServerSecret {
    pub const LENGTH: usize = 32;

    /// A new random secret.
    pub fn generate() -> Self {
        use argon2::password_hash::rand_core::{OsRng, RngCore};
        let mut bytes = [0; Self::LENGTH];
        OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// The secret written as hex (as a secret file holds it), if it is one.
    pub fn from_hex(text: &str) -> Option<Self> {
        hex::decode(text.trim()).ok()?.try_into().ok().map(Self)
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// HMAC-SHA256 of `message` under this key, as hex.
    pub fn sign(&self, message: &[u8]) -> String {
        use hmac::{Hmac, Mac};
        let mut mac =
            Hmac::<sha2::Sha256>::new_from_slice(&self.0).expect("HMAC accepts keys of any length");
        mac.update(message);
        hex::encode(mac.finalize().into_bytes())
    }

    /// Whether `signature` (hex) is [`ServerSecret::sign`] of `message`, compared in
    /// constant time.
    pub fn verify(&self, message: &[u8], signature: &str) -> bool {
        use hmac::{Hmac, Mac};
        let Ok(expected) = hex::decode(signature) else {
            return false;
        };
        let mut mac =
            Hmac::<sha2::Sha256>::new_from_slice(&self.0).expect("HMAC accepts keys of any length");
        mac.update(message);
        mac.verify_slice(&expected).is_ok()
    }
}

impl std::fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerSecret(…)")
    }
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
            secret: ServerSecret::generate(),
            api_limit: ApiLimit {
                per_second: 20,
                burst: 100,
            },
            storage: Storage::in_memory(),
            max_recording_bytes: 50 << 20,
        }
    }
}
