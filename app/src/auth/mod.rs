//! Signing in and out, sessions, passwords, and the authorization core.

pub mod api;
pub mod link_page;
pub mod login_page;
pub mod password_page;
pub mod verify_page;

#[cfg(feature = "ssr")]
pub mod actor;
#[cfg(feature = "ssr")]
pub mod authorized;
#[cfg(feature = "ssr")]
pub mod caller;
#[cfg(feature = "ssr")]
pub mod impersonating;
#[cfg(feature = "ssr")]
pub mod links;
#[cfg(feature = "ssr")]
pub mod page_language;
#[cfg(feature = "ssr")]
pub mod quota;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod sso;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod verification;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::core::{Mode, UserId, VerifyChannel};
use crate::error::AppError;

/// Why a signed sign-in link did not sign anyone in: one reason for
/// every refusal, so a link's failure tells a guesser nothing.
pub fn sso_link_refused() -> &'static str {
    crate::tr!(sign_in.errors.link_refused)
}

crate::keyed_enum! {
    /// What a mailed single-use link is for (see `links`); the key is how the
    /// database names it.
    pub enum LinkPurpose {
        Activation = ("activation", labels.link_purpose.activation),
        PasswordReset = ("password_reset", labels.link_purpose.password_reset),
    }
}

/// What a signed-in person must do before anything else; until then every page
/// sends them to do it and every other server function refuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Obligation {
    /// Replace a temporary password.
    ChangePassword,
    /// Verify their email and/or mobile number, as their client account asks.
    Verify,
}

impl Obligation {
    /// The page where it is done.
    pub fn page(self) -> &'static str {
        match self {
            Obligation::ChangePassword => crate::paths::CHANGE_PASSWORD,
            Obligation::Verify => crate::paths::VERIFY,
        }
    }

    pub fn refusal(self) -> &'static str {
        match self {
            Obligation::ChangePassword => crate::tr!(obligation.change_password),
            Obligation::Verify => crate::tr!(obligation.verify),
        }
    }
}

/// One thing a client user's account asks them to verify, as the verification page
/// shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationStep {
    pub channel: VerifyChannel,
    /// Where the code goes: their address; for SMS the number of the code out, or
    /// the one on file ('' when there is none).
    pub destination: String,
    pub verified: bool,
    /// A code is out and can still be typed.
    pub code_sent: bool,
}

/// The session banner's fixed part: known when the page is drawn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BannerFacts {
    pub real_name: String,
    pub real_email: String,
    /// The user acted as; empty in partner mode.
    pub acting_as: String,
    pub account_name: String,
    pub mode: Mode,
    pub reason: String,
    /// When it started, as "14:03 UTC".
    pub since: String,
    pub seconds_left: i64,
}

/// What the browser knows about the signed-in person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub obligation: Option<Obligation>,
    /// Holds a role that sees partners and groups, so the groups page has something.
    pub sees_groups: bool,
    /// The partner whose settings they may change, for the navigation's link.
    pub settings_of: Option<crate::core::NodeId>,
    /// A node whose users they manage, for the navigation's link.
    pub users_of: Option<crate::core::NodeId>,
    /// Holds ViewAudit somewhere: the audit log has something for them.
    pub reads_audit: bool,
    /// Support staff: the list of accounts that granted access is theirs.
    pub supports: bool,
    /// The client account they work in (their own, or the one impersonated), whose
    /// presence the shell reports.
    pub account: Option<crate::core::NodeId>,
    /// Their account (their own, or the one impersonated), when they read its inbox.
    pub inbox_of: Option<crate::core::NodeId>,
    /// Their account, when they may read its access history.
    pub access_history_of: Option<crate::core::NodeId>,
    /// The impersonation this session acts through: the banner's facts.
    pub impersonation: Option<BannerFacts>,
}

impl CurrentUser {
    pub fn initials(&self) -> String {
        self.name
            .split_whitespace()
            .filter_map(|word| word.chars().next())
            .take(2)
            .collect::<String>()
            .to_uppercase()
    }
}

pub type CurrentUserResource = Resource<Result<Option<CurrentUser>, AppError>>;

/// Loads the signed-in user once per page load, before the page streams, so that
/// redirects to the sign-in page are real HTTP redirects.
pub fn provide_current_user() {
    let user: CurrentUserResource = Resource::new_blocking(|| (), |_| api::get_current_user());
    provide_context(user);
}

pub fn use_current_user() -> CurrentUserResource {
    expect_context::<CurrentUserResource>()
}
