//! The authorization core: who is asking, and what they may do where. Every server
//! function starts here. Access is inherited down the tree and denied by default.

use leptos::prelude::{provide_context, use_context};

use super::authorized::Authorized;
use super::impersonating::actor_through;
use super::repo::{ancestors, memberships_of, MembershipRecord};
use super::session::SessionUser;
use super::{session, verification, BannerFacts, CurrentUser, Obligation};
use crate::audit_trail::Acting;
use crate::core::roles::{Permission, PermissionSet};
use crate::core::time::timestamp;
use crate::core::{EndReason, ImpersonationId, Mode, NodeId, NodeKind};
use crate::db::Db;
use crate::error::AppError;
use crate::request::Requester;
use crate::state::AppState;

/// A signed-in person and their memberships; holding one proves authentication. Only
/// auth builds one (from a session), and what it may do is read through its methods,
/// which apply an impersonation's limit.
#[derive(Clone, Debug)]
pub struct Actor {
    pub(super) user: SessionUser,
    pub(super) memberships: Vec<MembershipRecord>,
    /// What they must do before anything else, if anything.
    pub(super) obligation: Option<Obligation>,
    /// The impersonation this session acts through: `user` and `memberships` are
    /// then whose view it opens (see `impersonating`).
    pub(super) impersonation: Option<Impersonating>,
}

/// The signed-in actor, even one with an [`Obligation`] still to meet. Only what
/// meets it (changing the password, verifying) and signing out should accept that.
pub async fn signed_in(state: &AppState) -> Result<Actor, AppError> {
    let client = Requester::current(state)?;
    remembered(state, &client, use_context::<ActorOfRequest>()).await
}

/// The signed-in actor acting as themselves: for what only a person may do for
/// themselves (their password, their verification), never through an impersonation.
pub async fn signed_in_as_self(state: &AppState) -> Result<Actor, AppError> {
    let actor = signed_in(state).await?;
    actor.not_impersonating(crate::tr!(as_yourself.this))?;
    Ok(actor)
}

pub(super) async fn remembered(
    state: &AppState,
    client: &Requester,
    memo: Option<ActorOfRequest>,
) -> Result<Actor, AppError> {
    match memo {
        Some(memo) => memo.get(state, client).await,
        None => signed_in_client(state, client).await,
    }
}

/// The actor of one request, looked up once: a page's shell and each of its
/// resources ask who is signed in, and the answer cannot change within a request.
#[derive(Clone, Default)]
pub struct ActorOfRequest(std::sync::Arc<tokio::sync::OnceCell<Result<Actor, AppError>>>);

impl ActorOfRequest {
    /// The actor behind `client`'s cookies, looked up by the first call only.
    pub async fn get(&self, state: &AppState, client: &Requester) -> Result<Actor, AppError> {
        self.0
            .get_or_init(|| signed_in_client(state, client))
            .await
            .clone()
    }
}

/// Gives the request being handled its [`ActorOfRequest`]: the one the page gate
/// (`super::page_gate`) already looked up and put on the request, or a new one.
pub fn provide_actor_of_request() {
    let known = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ActorOfRequest>().cloned());
    provide_context(known.unwrap_or_default());
}

/// The signed-in actor behind a request's cookies, for handlers outside Leptos.
pub async fn signed_in_client(state: &AppState, client: &Requester) -> Result<Actor, AppError> {
    let user = session::resolve(state, session::token_of(state, client)?).await?;
    Actor::of(&state.db, user).await
}

/// The signed-in actor, ready to work.
pub async fn actor(state: &AppState) -> Result<Actor, AppError> {
    ready(signed_in(state).await?)
}

/// Refuses an actor with an [`Obligation`] still to meet.
pub fn ready(actor: Actor) -> Result<Actor, AppError> {
    match actor.obligation() {
        Some(obligation) => Err(AppError::forbidden(obligation.refusal())),
        None => Ok(actor),
    }
}

impl Actor {
    /// The actor a session belongs to: their memberships and what they must do first.
    pub async fn of(db: &Db, user: SessionUser) -> Result<Actor, AppError> {
        if let Some(impersonation) = user.impersonation {
            return actor_through(db, user, impersonation).await;
        }
        let memberships = memberships_of(db.pool(), user.id).await?;
        if session::suspended_account(db, &memberships)
            .await?
            .is_some()
        {
            let mut tx = db.begin().await?;
            session::end_session(&mut tx, &user.token_hash, EndReason::AccessRevoked, "").await?;
            tx.commit().await?;
            return Err(AppError::Unauthenticated);
        }
        let obligation = if user.must_change_password {
            Some(Obligation::ChangePassword)
        } else if !verification::channels_due(db, &user, &memberships)
            .await?
            .is_empty()
        {
            Some(Obligation::Verify)
        } else {
            None
        };
        Ok(Actor {
            user,
            memberships,
            obligation,
            impersonation: None,
        })
    }

    pub async fn permissions_at(&self, db: &Db, node: NodeId) -> Result<PermissionSet, AppError> {
        let path = ancestors(db.pool(), node).await?;
        Ok(self.permissions_along(&path))
    }

    /// What the actor holds at a node, given its path to the root: what their
    /// memberships grant there, within an impersonation's limit.
    pub fn permissions_along(&self, path_to_root: &[NodeId]) -> PermissionSet {
        self.within_limit(effective_permissions(self.memberships(), path_to_root))
    }

    /// What one of the actor's memberships grants, within an impersonation's limit.
    pub fn held_through(&self, membership: &MembershipRecord) -> PermissionSet {
        self.within_limit(membership.roles.permissions())
    }

    fn within_limit(&self, held: PermissionSet) -> PermissionSet {
        match &self.impersonation {
            Some(impersonating) => held.intersection(impersonating.limit),
            None => held,
        }
    }

    /// Refuses unless the actor holds `permission` at `node`. A node the actor holds
    /// nothing at is reported as not found, exactly like one that does not exist.
    pub async fn require(
        &self,
        db: &Db,
        permission: Permission,
        node: NodeId,
    ) -> Result<Authorized<'_>, AppError> {
        let authorized = self.at(db, node).await?;
        check(authorized.permissions, permission)?;
        Ok(authorized)
    }

    /// What the actor holds at `node`; not found, exactly like a node that does not
    /// exist, when they hold nothing there.
    pub async fn at(&self, db: &Db, node: NodeId) -> Result<Authorized<'_>, AppError> {
        let path = ancestors(db.pool(), node).await?;
        self.at_along(node, &path)
    }

    /// As [`Actor::at`], for a caller that has read the node's path to the root.
    pub fn at_along(
        &self,
        node: NodeId,
        path_to_root: &[NodeId],
    ) -> Result<Authorized<'_>, AppError> {
        let permissions = self.permissions_along(path_to_root);
        if permissions == PermissionSet::NONE {
            return Err(AppError::NotFound);
        }
        Ok(Authorized {
            actor: self,
            node,
            permissions,
        })
    }

    /// The person whose view this is: the one signed in, or the one acted as.
    pub fn user(&self) -> &SessionUser {
        &self.user
    }

    /// Where they hold roles. What a membership lets them do is
    /// [`Actor::held_through`], never its roles' own permissions.
    pub fn memberships(&self) -> &[MembershipRecord] {
        &self.memberships
    }

    /// The memberships through which the actor holds `permission`.
    pub fn holding(&self, permission: Permission) -> impl Iterator<Item = &MembershipRecord> {
        self.memberships
            .iter()
            .filter(move |m| self.held_through(m).contains(permission))
    }

    pub fn obligation(&self) -> Option<Obligation> {
        self.obligation
    }

    /// The impersonation the session acts through, if it does.
    pub fn impersonation(&self) -> Option<&Impersonating> {
        self.impersonation.as_ref()
    }
}

pub(super) fn check(held: PermissionSet, permission: Permission) -> Result<(), AppError> {
    if held == PermissionSet::NONE {
        Err(AppError::NotFound)
    } else if held.contains(permission) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "You do not have permission to do that here.",
        ))
    }
}

/// What memberships grant at a node, given the node's path to the root (the node
/// itself included): the union of the roles held at any node on that path.
pub fn effective_permissions(
    memberships: &[MembershipRecord],
    path_to_root: &[NodeId],
) -> PermissionSet {
    memberships
        .iter()
        .filter(|membership| path_to_root.contains(&membership.node_id))
        .fold(PermissionSet::NONE, |held, membership| {
            held.union(membership.roles.permissions())
        })
}

/// An impersonation in progress, as the actor of its session carries it.
#[derive(Clone, Debug)]
pub struct Impersonating {
    pub id: ImpersonationId,
    /// The person really acting.
    pub real: SessionUser,
    pub account: NodeId,
    pub account_name: String,
    pub mode: Mode,
    pub reason: String,
    pub acting_as: String,
    pub started_at: i64,
    pub expires_at: i64,
    /// What the session may do at most: the impersonator's powers in the account,
    /// and the target's own service (their line, their activity).
    pub limit: PermissionSet,
}

impl Impersonating {
    pub fn banner(&self, now: i64) -> BannerFacts {
        BannerFacts {
            real_name: self.real.name.clone(),
            real_email: self.real.email.clone(),
            acting_as: self.acting_as.clone(),
            account_name: self.account_name.clone(),
            mode: self.mode,
            reason: self.reason.clone(),
            since: timestamp(self.started_at),
            seconds_left: seconds_left(self.expires_at, now),
        }
    }
}

pub fn seconds_left(expires_at: i64, now: i64) -> i64 {
    ((expires_at - now) / 1000).max(0)
}

impl Actor {
    /// Who does what this actor does, for the audit log: the real person, and the
    /// impersonation they act through.
    pub fn acting(&self) -> Acting {
        match &self.impersonation {
            Some(impersonating) => Acting {
                user: impersonating.real.id,
                impersonation: Some(impersonating.id),
            },
            None => self.user.id.into(),
        }
    }

    /// The session's own holder: the person really acting.
    pub fn session_user(&self) -> &SessionUser {
        match &self.impersonation {
            Some(impersonating) => &impersonating.real,
            None => &self.user,
        }
    }

    /// Refuses what only a person may do as themselves (their password, their own
    /// verification, granting access to their account), saying `refusal`.
    pub fn not_impersonating(&self, refusal: &str) -> Result<(), AppError> {
        match self.impersonation {
            Some(_) => Err(AppError::forbidden(refusal)),
            None => Ok(()),
        }
    }

    /// Whether the actor may grant or revoke support access to `account`: a decision
    /// for the account's own admins, made as themselves.
    pub fn grants_support_to(&self, account: NodeId) -> bool {
        self.impersonation.is_none()
            && self.memberships.iter().any(|m| {
                m.node_id == account
                    && self
                        .held_through(m)
                        .contains(Permission::GrantSupportAccess)
            })
    }

    /// The client account this actor works in: the one impersonated, or the one they
    /// belong to.
    pub fn account(&self) -> Option<NodeId> {
        match &self.impersonation {
            Some(impersonating) => Some(impersonating.account),
            None => self
                .memberships
                .iter()
                .find(|m| m.node_kind == NodeKind::Client)
                .map(|m| m.node_id),
        }
    }
}

impl CurrentUser {
    /// What the browser may know of `actor`: who they are, where the navigation's
    /// links lead for them, and the banner's facts when they impersonate.
    pub fn of(actor: &Actor) -> CurrentUser {
        let first_at = |kind: NodeKind, permission: Permission| {
            actor
                .holding(permission)
                .find(|m| m.node_kind == kind)
                .map(|m| m.node_id)
        };
        CurrentUser {
            id: actor.user.id,
            name: actor.user.name.clone(),
            email: actor.user.email.clone(),
            obligation: actor.obligation,
            sees_groups: actor
                .holding(Permission::ViewNodes)
                .any(|m| m.node_kind != NodeKind::Client),
            settings_of: first_at(NodeKind::Partner, Permission::ManagePartnerSettings),
            users_of: actor
                .memberships
                .iter()
                .find(|m| actor.held_through(m).manages_users_at(m.node_kind))
                .map(|m| m.node_id),
            reads_audit: actor.holding(Permission::ViewAudit).next().is_some(),
            supports: actor.impersonation.is_none()
                && actor
                    .holding(Permission::OpenGrantedAccounts)
                    .next()
                    .is_some(),
            account: actor.account(),
            inbox_of: actor.account().filter(|account| {
                actor
                    .memberships
                    .iter()
                    .any(|m| m.node_id == *account && actor.held_through(m).reads_inbox())
            }),
            access_history_of: first_at(NodeKind::Client, Permission::ViewAccessHistory),
            impersonation: actor
                .impersonation
                .as_ref()
                .map(|impersonating| impersonating.banner(crate::db::now_ms())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::roles::{Role, RoleSet};
    use crate::core::NodeKind;

    // platform 1 → partner 2 → group 3 → sub-group 4 → client 5; partner 6 → client 7
    const PLATFORM: NodeId = NodeId(1);
    const PARTNER: NodeId = NodeId(2);
    const GROUP: NodeId = NodeId(3);
    const SUB_GROUP: NodeId = NodeId(4);
    const CLIENT: NodeId = NodeId(5);
    const OTHER_PARTNER: NodeId = NodeId(6);
    const OTHER_CLIENT: NodeId = NodeId(7);

    fn path(node: NodeId) -> Vec<NodeId> {
        match node.0 {
            1 => vec![PLATFORM],
            2 => vec![PARTNER, PLATFORM],
            3 => vec![GROUP, PARTNER, PLATFORM],
            4 => vec![SUB_GROUP, GROUP, PARTNER, PLATFORM],
            5 => vec![CLIENT, SUB_GROUP, GROUP, PARTNER, PLATFORM],
            6 => vec![OTHER_PARTNER, PLATFORM],
            7 => vec![OTHER_CLIENT, OTHER_PARTNER, PLATFORM],
            _ => vec![],
        }
    }

    fn member(node: NodeId, roles: &[Role]) -> MembershipRecord {
        MembershipRecord {
            node_id: node,
            node_name: format!("node {}", node.0),
            node_kind: NodeKind::Group,
            roles: RoleSet::new(roles.iter().copied()),
        }
    }

    fn can(
        memberships: &[MembershipRecord],
        permission: Permission,
        node: NodeId,
    ) -> Result<(), AppError> {
        check(effective_permissions(memberships, &path(node)), permission)
    }

    #[test]
    fn roles_are_inherited_by_every_node_below() {
        let admin = [member(GROUP, &[Role::AccountAdmin])];
        assert_eq!(can(&admin, Permission::ManageClients, GROUP), Ok(()));
        assert_eq!(can(&admin, Permission::ManageClients, SUB_GROUP), Ok(()));
        assert_eq!(can(&admin, Permission::ManageClients, CLIENT), Ok(()));
    }

    #[test]
    fn nothing_is_inherited_upward() {
        let sub_group_admin = [member(SUB_GROUP, &[Role::AccountAdmin])];
        assert_eq!(
            can(&sub_group_admin, Permission::ViewNodes, GROUP),
            Err(AppError::NotFound)
        );
        assert_eq!(
            can(&sub_group_admin, Permission::ViewNodes, PARTNER),
            Err(AppError::NotFound)
        );
    }

    #[test]
    fn deny_by_default() {
        assert_eq!(
            can(&[], Permission::ViewNodes, CLIENT),
            Err(AppError::NotFound)
        );
        let viewer = [member(PARTNER, &[Role::User])];
        assert!(matches!(
            can(&viewer, Permission::ManageClients, CLIENT),
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(
            can(&viewer, Permission::ViewNodes, NodeId(99)),
            Err(AppError::NotFound)
        );
    }

    #[test]
    fn a_partner_admin_never_sees_another_partners_nodes() {
        let partner_admin = [member(PARTNER, &[Role::AccountAdmin])];
        for node in [OTHER_PARTNER, OTHER_CLIENT, PLATFORM] {
            assert_eq!(
                can(&partner_admin, Permission::ViewNodes, node),
                Err(AppError::NotFound)
            );
        }
    }

    #[test]
    fn roles_held_at_several_nodes_add_up() {
        let memberships = [
            member(PARTNER, &[Role::User]),
            member(SUB_GROUP, &[Role::MessagingAgent]),
        ];
        assert_eq!(
            can(&memberships, Permission::ViewAccountMessages, CLIENT),
            Ok(())
        );
        assert!(can(&memberships, Permission::ViewAccountMessages, GROUP).is_err());
        assert_eq!(
            can(&memberships, Permission::ViewAccountCalls, GROUP),
            Ok(())
        );
    }

    #[test]
    fn platform_admin_may_do_everything_everywhere() {
        let admin = [member(PLATFORM, &[Role::PlatformAdmin])];
        for node in [PARTNER, CLIENT, OTHER_CLIENT] {
            assert_eq!(can(&admin, Permission::ManageNodes, node), Ok(()));
        }
    }
}
