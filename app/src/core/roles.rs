//! The role catalog: each role is a fixed set of permissions.
//! Shared with the browser so role editors can describe what each role allows.

use serde::{Deserialize, Serialize};

use crate::core::NodeKind;

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

    pub fn intersection(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }

    /// Whether every permission of `other` is in this set.
    pub fn covers(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether this set covers `other` and holds more besides: strictly more authority.
    pub fn exceeds(self, other: Self) -> bool {
        self.covers(other) && self != other
    }

    /// Whether these permissions at a node of `kind` let someone manage the users
    /// there: partner staff with ManageUsers anywhere, an account's own admins at it.
    pub fn manages_users_at(self, kind: NodeKind) -> bool {
        self.contains(Permission::ManageUsers)
            || (kind == NodeKind::Client && self.contains(Permission::ManageAccountUsers))
    }

    /// The permissions that give power over others: without what only describes the
    /// holder's own service (a voice line, their own activity).
    pub fn authority(self) -> Self {
        Self(self.0 & !Self::OWN_SERVICE.0)
    }

    /// Whether these permissions read an account's inbox: all its calls, all its texts
    /// and chat, or (a Client User's) what is addressed to them.
    pub fn reads_inbox(self) -> bool {
        self.contains(Permission::ViewAccountCalls)
            || self.contains(Permission::ViewAccountMessages)
            || self.contains(Permission::ViewOwnActivity)
    }

    /// What only describes the holder's own service: a voice line, their own activity.
    pub const OWN_SERVICE: Self = Self::of(&[Permission::UseVoice, Permission::ViewOwnActivity]);
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
            Role::PlatformAdmin => crate::tr!(roles.name.platform_admin),
            Role::SupportAgent => crate::tr!(roles.name.support_agent),
            Role::AccountAdmin => crate::tr!(roles.name.account_admin),
            Role::AccountManager => crate::tr!(roles.name.account_manager),
            Role::User => crate::tr!(roles.name.user),
            Role::MessagingAgent => crate::tr!(roles.name.messaging_agent),
            Role::ClientAdmin => crate::tr!(roles.name.client_admin),
            Role::ClientUser => crate::tr!(roles.name.client_user),
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Role::PlatformAdmin => crate::tr!(roles.description.platform_admin),
            Role::SupportAgent => crate::tr!(roles.description.support_agent),
            Role::AccountAdmin => crate::tr!(roles.description.account_admin),
            Role::AccountManager => crate::tr!(roles.description.account_manager),
            Role::User => crate::tr!(roles.description.user),
            Role::MessagingAgent => crate::tr!(roles.description.messaging_agent),
            Role::ClientAdmin => crate::tr!(roles.description.client_admin),
            Role::ClientUser => crate::tr!(roles.description.client_user),
        }
    }

    /// Where in the tree the role can be held: client roles at client accounts,
    /// partner staff roles from a partner down, the platform's at the platform.
    pub fn fits(self, kind: NodeKind) -> bool {
        match self {
            Role::PlatformAdmin => kind == NodeKind::Platform,
            Role::SupportAgent => matches!(kind, NodeKind::Platform | NodeKind::Partner),
            Role::AccountAdmin | Role::User | Role::MessagingAgent => {
                matches!(kind, NodeKind::Partner | NodeKind::Group | NodeKind::Client)
            }
            Role::AccountManager | Role::ClientAdmin | Role::ClientUser => kind == NodeKind::Client,
        }
    }

    /// Where the role can be held, said to someone who cannot give it at a node.
    pub fn where_it_fits(self) -> &'static str {
        match self {
            Role::PlatformAdmin => crate::tr!(users.errors.fits_platform),
            Role::SupportAgent => crate::tr!(users.errors.fits_platform_or_partner),
            Role::AccountAdmin | Role::User | Role::MessagingAgent => {
                crate::tr!(users.errors.fits_anywhere_below)
            }
            Role::AccountManager | Role::ClientAdmin | Role::ClientUser => {
                crate::tr!(users.errors.fits_client)
            }
        }
    }

    pub fn permissions(self) -> PermissionSet {
        use Permission::*;
        match self {
            Role::PlatformAdmin => PermissionSet::ALL,
            Role::SupportAgent => PermissionSet::of(&[OpenGrantedAccounts]),
            // Everything below, accounts included, but a voice line of their own: an
            // admin can give every role of the accounts they run (see grant_problem).
            Role::AccountAdmin => PermissionSet::of(&[
                ViewNodes,
                ManageNodes,
                ManageClients,
                ManageUsers,
                ManagePartnerSettings,
                ViewAudit,
                ImpersonateClients,
                ViewAccountCalls,
                ViewAccountMessages,
                ReplyToMessages,
                ManageAccountContent,
                ManageAccountUsers,
                GrantSupportAccess,
                ViewAccessHistory,
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

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether these roles at a client account take one of its seats: the roles that
    /// come with a voice line do. An Account Manager alone takes none.
    pub fn holds_seat(&self) -> bool {
        self.permissions().contains(Permission::UseVoice)
    }

    /// The roles in one set and not the other, either way: what a change touches.
    pub fn changed(&self, other: &RoleSet) -> Vec<Role> {
        Role::ALL
            .into_iter()
            .filter(|role| self.contains(*role) != other.contains(*role))
            .collect()
    }
}

/// Why `role` cannot be given or taken away at a node of `kind` by someone holding
/// `held` there, if it cannot: nobody hands out (or withdraws) more than they hold.
pub fn grant_problem(role: Role, kind: NodeKind, held: PermissionSet) -> Option<&'static str> {
    if !role.fits(kind) {
        Some(role.where_it_fits())
    } else if !held.covers(role.permissions().authority()) {
        Some(crate::tr!(users.errors.no_higher_grant))
    } else {
        None
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
    fn nobody_grants_more_than_they_hold() {
        let client_admin = Role::ClientAdmin.permissions();
        assert_eq!(
            grant_problem(Role::ClientUser, NodeKind::Client, client_admin),
            None
        );
        assert!(grant_problem(Role::AccountAdmin, NodeKind::Client, client_admin).is_some());
        // A voice line is a service, not a power: an admin without one gives it.
        let account_admin = Role::AccountAdmin.permissions();
        assert_eq!(
            grant_problem(Role::ClientAdmin, NodeKind::Client, account_admin),
            None
        );
        assert_eq!(
            grant_problem(Role::User, NodeKind::Group, account_admin),
            None
        );
        assert!(grant_problem(Role::SupportAgent, NodeKind::Partner, account_admin).is_some());
        let manager = Role::AccountManager.permissions();
        assert_eq!(
            grant_problem(Role::ClientAdmin, NodeKind::Client, manager),
            None
        );
        let view_only = Role::User.permissions();
        assert!(grant_problem(Role::MessagingAgent, NodeKind::Client, view_only).is_some());
        assert_eq!(
            grant_problem(Role::ClientAdmin, NodeKind::Client, PermissionSet::ALL),
            None
        );
    }

    #[test]
    fn roles_fit_only_their_part_of_the_tree() {
        let all = PermissionSet::ALL;
        assert!(grant_problem(Role::ClientUser, NodeKind::Group, all).is_some());
        assert!(grant_problem(Role::PlatformAdmin, NodeKind::Partner, all).is_some());
        assert_eq!(
            grant_problem(Role::SupportAgent, NodeKind::Partner, all),
            None
        );
        assert_eq!(
            grant_problem(Role::AccountAdmin, NodeKind::Client, all),
            None
        );
    }

    #[test]
    fn account_managers_take_no_seat() {
        assert!(!RoleSet::new([Role::AccountManager]).holds_seat());
        assert!(RoleSet::new([Role::AccountManager, Role::ClientUser]).holds_seat());
        assert!(RoleSet::new([Role::ClientAdmin]).holds_seat());
    }

    #[test]
    fn a_change_touches_the_roles_added_and_removed() {
        let before = RoleSet::new([Role::User, Role::MessagingAgent]);
        let after = RoleSet::new([Role::User, Role::AccountAdmin]);
        assert_eq!(
            before.changed(&after),
            vec![Role::AccountAdmin, Role::MessagingAgent]
        );
    }

    #[test]
    fn platform_admin_holds_every_permission() {
        let all = Role::PlatformAdmin.permissions();
        assert!(all.contains(Permission::UseVoice));
        assert!(all.contains(Permission::ManageNodes));
    }
}
