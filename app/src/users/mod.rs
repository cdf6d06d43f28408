//! People: platform-wide unique email, name, language, status and memberships; the
//! users of a node, the role editor and invites.

#[cfg(feature = "ssr")]
pub mod account_actions;
pub mod api;
pub mod form;
pub mod invite_page;
#[cfg(feature = "ssr")]
pub mod invites;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod role_editor;
#[cfg(feature = "ssr")]
pub mod service;
pub mod user_page;
pub mod users_page;

use serde::{Deserialize, Serialize};

use crate::core::roles::{Role, RoleSet};
use crate::core::{NodeId, NodeKind, UserId, UserStatus};
use crate::keyed_enum;

keyed_enum! {
    /// How a new user gets their first password.
    pub enum PasswordChoice {
        ActivationLink = ("activation_link", labels.password_choice.activation_link),
        TemporaryPassword = ("temporary_password", labels.password_choice.temporary_password),
    }
}

/// The roles someone holds at a node above the one being looked at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InheritedRoles {
    pub node: NodeId,
    pub node_name: String,
    pub roles: RoleSet,
}

/// A person with access at a node, as the users page lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeUser {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub status: UserStatus,
    /// Invited and never signed in: the invite can be resent or revoked.
    pub invite_pending: bool,
    /// When they last signed in, as people say it ("3 hours ago").
    pub last_sign_in: Option<String>,
    /// The roles held at the node itself.
    pub roles: RoleSet,
    /// Roles held above the node (those the viewer may see), nearest first.
    pub inherited: Vec<InheritedRoles>,
}

impl NodeUser {
    /// An Account Manager: an account's admin without a voice line of their own.
    pub fn is_account_manager(&self) -> bool {
        self.roles.contains(Role::AccountManager) && !self.roles.holds_seat()
    }
}

/// The seats of a client account: each user with a voice line takes one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seats {
    pub used: i64,
    pub limit: i64,
}

/// The node a users page is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeSummary {
    pub id: NodeId,
    pub name: String,
    pub kind: NodeKind,
}

/// The users page: everyone with access at a node, filtered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeUsers {
    pub node: NodeSummary,
    pub users: Vec<NodeUser>,
    /// How many people have access here before the filters.
    pub total: usize,
    pub seats: Option<Seats>,
    /// The users here the viewer may log in as.
    pub log_in_as: Vec<UserId>,
}

/// The users page's filters, as its address holds them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserQuery {
    #[serde(default)]
    pub search: String,
    #[serde(default)]
    pub status: String,
}

/// One role's checkbox in the role editor or the invite form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChoice {
    pub role: Role,
    /// Held at this node.
    pub held: bool,
    /// The nodes above that give it, by name.
    pub inherited_from: Vec<String>,
    /// Why the viewer cannot change it here, if they cannot.
    pub locked: Option<String>,
}

/// A user at a node, for the role editor and the account actions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserAtNode {
    pub node: NodeSummary,
    pub user: NodeUser,
    pub choices: Vec<RoleChoice>,
    /// The version of their roles here (0: none held here yet).
    pub version: i64,
    /// The viewer may act on the account as a whole (disable, enable,
    /// invites): it holds roles only where the viewer manages users, and none with
    /// permissions the viewer lacks.
    pub can_manage_account: bool,
    /// The viewer may also give them a password: they hold strictly more there.
    pub can_set_password: bool,
    pub is_self: bool,
    /// What they proved is theirs: their address, and the mobile number shown
    /// ('' when none is).
    pub email_verified: bool,
    pub verified_phone: String,
}

/// What the invite form offers at a node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteOptions {
    pub node: NodeSummary,
    pub roles: Vec<RoleChoice>,
    pub branding_domains: Vec<String>,
    pub seats: Option<Seats>,
}

/// The invite form as posted: text as typed, checked on the server field by field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteForm {
    pub node: String,
    pub email: String,
    pub name: String,
    pub language: String,
    #[serde(default)]
    pub branding_domain: String,
    /// Checkboxes named `roles[]`: absent when none is checked.
    #[serde(default)]
    pub roles: Vec<String>,
    pub password_choice: String,
}

/// Shown once after an invite: the secret the new user needs, which is not kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invited {
    pub user: UserId,
    pub node: NodeId,
    pub email: String,
    /// They had an account already (partner staff): the roles were added to it.
    pub existing_account: bool,
    pub temporary_password: Option<String>,
}

/// A readable reason why `email` cannot be an address, if it cannot.
/// Why someone may act on a person's account but not give it a password: a password
/// they would know lets them sign in as that person, so it takes strictly more.
pub fn password_needs_more_authority() -> &'static str {
    crate::tr!(users.errors.password_needs_authority)
}
