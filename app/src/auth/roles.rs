//! The role catalog (PRODUCT.md §3): each role is a fixed set of permissions.
//! Shared with the browser so role editors can describe what each role allows.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    PlatformAdmin,
    SupportAgent,
    AccountAdmin,
    AccountManager,
    User,
    MessagingAgent,
    ClientAdmin,
    ClientUser,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    /// See the node and everything below it: tree, directory, client pages.
    ViewNodes,
    /// Create, rename, move and delete groups.
    ManageNodes,
    /// Create, activate and suspend client accounts; change their features and settings.
    ManageClients,
    /// Invite and remove users and grant roles.
    ManageUsers,
    /// Branding and grantable features of a partner.
    ManagePartnerSettings,
    ViewAudit,
    /// "Log in as Client" / "Log in as Partner" on accounts below.
    ImpersonateClients,
    /// Open client accounts that granted support access.
    OpenGrantedAccounts,
    ViewAccountCalls,
    ViewAccountMessages,
    ReplyToMessages,
    ViewOwnActivity,
    /// Status, tasks, contacts, resources and the on-call calendar of an account.
    ManageAccountContent,
    ManageAccountUsers,
    GrantSupportAccess,
    ViewAccessHistory,
    /// Has a voice line of their own.
    UseVoice,
}

impl Permission {
    const fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// A set of permissions, as a bit set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PermissionSet(u32);

impl PermissionSet {
    pub const NONE: Self = Self(0);
    pub const ALL: Self = Self(u32::MAX);

    pub const fn of(permissions: &[Permission]) -> Self {
        let mut bits = 0;
        let mut i = 0;
        while i < permissions.len() {
            bits |= permissions[i].bit();
            i += 1;
        }
        Self(bits)
    }

    pub fn contains(self, permission: Permission) -> bool {
        self.0 & permission.bit() != 0
    }

    pub fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::PlatformAdmin,
        Role::SupportAgent,
        Role::AccountAdmin,
        Role::AccountManager,
        Role::User,
        Role::MessagingAgent,
        Role::ClientAdmin,
        Role::ClientUser,
    ];

    /// The stable key stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "platform_admin",
            Role::SupportAgent => "support_agent",
            Role::AccountAdmin => "account_admin",
            Role::AccountManager => "account_manager",
            Role::User => "user",
            Role::MessagingAgent => "messaging_agent",
            Role::ClientAdmin => "client_admin",
            Role::ClientUser => "client_user",
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "Platform Admin",
            Role::SupportAgent => "Support Agent",
            Role::AccountAdmin => "Account Admin",
            Role::AccountManager => "Account Manager",
            Role::User => "User",
            Role::MessagingAgent => "Messaging Agent",
            Role::ClientAdmin => "Client Admin",
            Role::ClientUser => "Client User",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "Everything, everywhere on the platform.",
            Role::SupportAgent => "Opens the client accounts that granted support access.",
            Role::AccountAdmin => {
                "Modifies account features and settings, creates and removes users, creates and activates accounts."
            }
            Role::AccountManager => {
                "Admin-level access to the account's products and users, with no voice service of their own."
            }
            Role::User => "View-only access, excluding texts and chat; cannot change settings.",
            Role::MessagingAgent => "Reads and replies to chat and text messages.",
            Role::ClientAdmin => {
                "Sees all calls and activity of the account; updates contacts, resources, on-call calendar, status and tasks; manages client users."
            }
            Role::ClientUser => {
                "Sees only their own calls and messages; verifies email or SMS before first access."
            }
        }
    }

    pub fn permissions(self) -> PermissionSet {
        use Permission::*;
        match self {
            Role::PlatformAdmin => PermissionSet::ALL,
            Role::SupportAgent => PermissionSet::of(&[OpenGrantedAccounts]),
            Role::AccountAdmin => PermissionSet::of(&[
                ViewNodes,
                ManageNodes,
                ManageClients,
                ManageUsers,
                ManagePartnerSettings,
                ViewAudit,
                ImpersonateClients,
            ]),
            Role::AccountManager => PermissionSet::of(&[
                ViewNodes,
                ViewAccountCalls,
                ViewAccountMessages,
                ReplyToMessages,
                ManageAccountContent,
                ManageAccountUsers,
                GrantSupportAccess,
                ViewAccessHistory,
            ]),
            Role::User => PermissionSet::of(&[ViewNodes, ViewAccountCalls]),
            Role::MessagingAgent => {
                PermissionSet::of(&[ViewNodes, ViewAccountMessages, ReplyToMessages])
            }
            Role::ClientAdmin => PermissionSet::of(&[
                ViewNodes,
                ViewAccountCalls,
                ViewAccountMessages,
                ReplyToMessages,
                ManageAccountContent,
                ManageAccountUsers,
                GrantSupportAccess,
                ViewAccessHistory,
                UseVoice,
            ]),
            Role::ClientUser => PermissionSet::of(&[ViewOwnActivity, UseVoice]),
        }
    }
}

/// The roles a user holds at one node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSet(Vec<Role>);

impl RoleSet {
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        let mut roles: Vec<Role> = roles.into_iter().collect();
        roles.sort();
        roles.dedup();
        Self(roles)
    }

    /// Parses the stored form; unknown keys (from a newer catalog) grant nothing.
    pub fn from_stored(stored: &str) -> Self {
        Self::new(
            stored
                .split(',')
                .filter_map(|key| Role::from_key(key.trim())),
        )
    }

    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(|role| role.key())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn roles(&self) -> &[Role] {
        &self.0
    }

    pub fn contains(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn permissions(&self) -> PermissionSet {
        self.0.iter().fold(PermissionSet::NONE, |all, role| {
            all.union(role.permissions())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_form_round_trips_and_ignores_unknown_keys() {
        let roles = RoleSet::from_stored("client_admin, user,retired_role,user");
        assert_eq!(roles.roles(), &[Role::User, Role::ClientAdmin]);
        assert_eq!(roles.to_stored(), "user,client_admin");
        assert_eq!(RoleSet::from_stored("").roles(), &[]);
    }

    #[test]
    fn every_role_has_a_unique_key() {
        for role in Role::ALL {
            assert_eq!(Role::from_key(role.key()), Some(role));
        }
    }

    #[test]
    fn account_manager_has_no_voice_but_client_admin_has() {
        assert!(!Role::AccountManager
            .permissions()
            .contains(Permission::UseVoice));
        assert!(Role::ClientAdmin
            .permissions()
            .contains(Permission::UseVoice));
    }

    #[test]
    fn view_only_user_cannot_read_messages_or_change_anything() {
        let user = Role::User.permissions();
        assert!(user.contains(Permission::ViewAccountCalls));
        for denied in [
            Permission::ViewAccountMessages,
            Permission::ManageClients,
            Permission::ManageAccountContent,
            Permission::ManageUsers,
        ] {
            assert!(!user.contains(denied), "{denied:?}");
        }
    }

    #[test]
    fn platform_admin_holds_every_permission() {
        let all = Role::PlatformAdmin.permissions();
        assert!(all.contains(Permission::UseVoice));
        assert!(all.contains(Permission::ManageNodes));
    }
}
