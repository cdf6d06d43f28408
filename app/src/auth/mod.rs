//! Signing in and out, sessions, passwords, and the authorization core.

pub mod api;
pub mod link_page;
pub mod login_page;
pub mod password_page;
pub mod roles;

#[cfg(feature = "ssr")]
pub mod guard;
#[cfg(feature = "ssr")]
pub mod links;
#[cfg(feature = "ssr")]
pub mod page_gate;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod sso;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::users::UserId;

/// Why a signed sign-in link (PRODUCT.md §2) did not sign anyone in: one reason for
/// every refusal, so a link's failure tells a guesser nothing.
pub const SSO_LINK_REFUSED: &str =
    "This sign-in link is not valid: it may have expired or been used already.";

crate::keyed_enum! {
    /// What a mailed single-use link is for (see `links`); the key is how the
    /// database names it.
    pub enum LinkPurpose {
        Activation = ("activation", "A new account's first password"),
        PasswordReset = ("password_reset", "A forgotten password"),
    }
}

/// What the browser knows about the signed-in person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub must_change_password: bool,
    /// Holds a role that sees partners and groups, so the groups page has something.
    pub sees_groups: bool,
    /// The partner whose settings they may change, for the navigation's link.
    pub settings_of: Option<crate::tenancy::NodeId>,
    /// A node whose users they manage, for the navigation's link.
    pub users_of: Option<crate::tenancy::NodeId>,
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
