//! The actor of a session opened for an impersonation: whose view it opens, bounded by
//! what the impersonator may do, and what ends it.
//!
//! Effective rights are the target's, bounded by the impersonator's own: a target is
//! accepted only while everything they may do lies strictly within what the
//! impersonator may do in the account, checked at start and again at every request,
//! so the target's rights are the effective ones and never exceed the bound. Losing
//! the right (a role removed, the support grant revoked or expired) ends it at the
//! next request.

use serde_json::json;
use sqlx::AnyConnection;

use super::actor::{effective_permissions, Actor, Impersonating};
use super::repo;
use super::repo::{
    ancestors, find_by_id, memberships_of, ImpersonationRecord, MembershipRecord, UserRecord,
};
use super::session::SessionUser;
use crate::audit_trail::{record, Acting, AuditEvent};
use crate::core::roles::{Permission, PermissionSet, Role, RoleSet};
use crate::core::{EndReason, ImpersonationId, Mode, NodeId, NodeKind, UserId, UserStatus};
use crate::db::{now_ms, Db};
use crate::error::AppError;

/// What support staff may do in an account that granted them access: see it and its
/// activity, answer its messages, keep its content up to date — never change its
/// people or who may come in, which could outlast the grant.
pub const SUPPORT_POWERS: PermissionSet = PermissionSet::of(&[
    Permission::ViewNodes,
    Permission::ViewAccountCalls,
    Permission::ViewAccountMessages,
    Permission::ReplyToMessages,
    Permission::ManageAccountContent,
    Permission::ViewAccessHistory,
]);

/// The role support staff hold in the partner's view of such an account, limited to
/// [`SUPPORT_POWERS`].
pub const SUPPORT_ROLE: Role = Role::AccountManager;

/// What `memberships` let their holder do in client `account` as an impersonator:
/// their own powers there if they may log in as its users, the support role's if
/// they are support staff and the account grants support access now, else nothing.
pub async fn bound_in(
    db: &Db,
    memberships: &[MembershipRecord],
    account: NodeId,
    now: i64,
) -> Result<PermissionSet, AppError> {
    let path = ancestors(db.pool(), account).await?;
    let own = effective_permissions(memberships, &path);
    if own.contains(Permission::ImpersonateClients) {
        Ok(own.authority())
    } else if own.contains(Permission::OpenGrantedAccounts)
        && repo::live_grant(db.pool(), account, now).await?.is_some()
    {
        Ok(SUPPORT_POWERS)
    } else {
        Ok(PermissionSet::NONE)
    }
}

/// Whether someone bounded by `bound` may act as a user with `target` authority:
/// only as someone with strictly less, never an equal or higher admin.
pub fn may_act_as(bound: PermissionSet, target: PermissionSet) -> bool {
    bound.exceeds(target)
}

/// Why a user may not be acted as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ineligible {
    /// Not a user of this account alone.
    Elsewhere,
    Inactive,
    /// As much authority as the impersonator, or more.
    Equal,
}

impl Ineligible {
    pub fn refusal(self) -> &'static str {
        match self {
            Ineligible::Elsewhere => crate::tr!(support.errors.elsewhere),
            Ineligible::Inactive => crate::tr!(support.errors.inactive),
            Ineligible::Equal => crate::tr!(support.errors.equal),
        }
    }

    fn end_reason(self) -> EndReason {
        match self {
            Ineligible::Elsewhere | Ineligible::Inactive => EndReason::TargetUnavailable,
            Ineligible::Equal => EndReason::AccessRevoked,
        }
    }
}

/// `user` and their memberships, if someone bounded by `bound` may act as them in
/// `account`: a user of that account alone, active, with strictly less authority.
pub async fn eligible_target(
    db: &Db,
    account: NodeId,
    bound: PermissionSet,
    user: UserId,
) -> Result<Result<(UserRecord, Vec<MembershipRecord>), Ineligible>, AppError> {
    let Some(record) = find_by_id(db.pool(), user).await? else {
        return Ok(Err(Ineligible::Elsewhere));
    };
    let memberships = memberships_of(db.pool(), user).await?;
    let authority = memberships
        .iter()
        .fold(PermissionSet::NONE, |all, m| {
            all.union(m.roles.permissions())
        })
        .authority();
    Ok(
        if memberships.is_empty() || memberships.iter().any(|m| m.node_id != account) {
            Err(Ineligible::Elsewhere)
        } else if record.status != UserStatus::Active {
            Err(Ineligible::Inactive)
        } else if !may_act_as(bound, authority) {
            Err(Ineligible::Equal)
        } else {
            Ok((record, memberships))
        },
    )
}

/// The actor of a session opened for impersonation `id` by `real`, or
/// Unauthenticated once it has ended (ending it here if it no longer may go on).
pub async fn actor_through(
    db: &Db,
    real: SessionUser,
    id: ImpersonationId,
) -> Result<Actor, AppError> {
    let now = now_ms();
    let record = repo::find_impersonation(db.pool(), id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if record.ended_at.is_some() || record.impersonator != real.id {
        return Err(AppError::Unauthenticated);
    }
    match going_on(db, &real, &record, now).await? {
        Ok(actor) => Ok(actor),
        Err(reason) => {
            let mut tx = db.begin().await?;
            end_in(&mut tx, id, real.id, reason, "").await?;
            tx.commit().await?;
            Err(AppError::Unauthenticated)
        }
    }
}

/// The impersonation's actor if it may go on, or why it must end.
async fn going_on(
    db: &Db,
    real: &SessionUser,
    record: &ImpersonationRecord,
    now: i64,
) -> Result<Result<Actor, EndReason>, AppError> {
    if now >= record.expires_at {
        return Ok(Err(EndReason::Expired));
    }
    let real_memberships = memberships_of(db.pool(), real.id).await?;
    let bound = bound_in(db, &real_memberships, record.account, now).await?;
    if bound == PermissionSet::NONE {
        return Ok(Err(EndReason::AccessRevoked));
    }
    let Some(account_name) = repo::node_name(db.pool(), record.account).await? else {
        return Ok(Err(EndReason::TargetUnavailable));
    };
    if repo::is_suspended(db.pool(), record.account).await? {
        return Ok(Err(EndReason::AccessRevoked));
    }
    let (user, memberships, acting_as) = match (record.mode, record.target) {
        (Mode::Client, Some(target)) => {
            let (target, memberships) =
                match eligible_target(db, record.account, bound, target).await? {
                    Ok(eligible) => eligible,
                    Err(ineligible) => return Ok(Err(ineligible.end_reason())),
                };
            let user = SessionUser {
                id: target.id,
                name: target.name.clone(),
                email: target.email.clone(),
                must_change_password: false,
                language: crate::core::Language::from_code(&target.language),
                verified: Vec::new(),
                token_hash: real.token_hash.clone(),
                impersonation: Some(record.id),
                expires_at: real.expires_at,
            };
            (user, memberships, target.name)
        }
        _ => {
            // The partner's view of this one account: the impersonator's own roles
            // above it (or support's), held at the account alone.
            let path = ancestors(db.pool(), record.account).await?;
            let own = effective_permissions(&real_memberships, &path);
            let roles = if own.contains(Permission::ImpersonateClients) {
                RoleSet::new(
                    real_memberships
                        .iter()
                        .filter(|m| path.contains(&m.node_id))
                        .flat_map(|m| m.roles.roles().to_vec()),
                )
            } else {
                RoleSet::new([SUPPORT_ROLE])
            };
            let membership = MembershipRecord {
                node_id: record.account,
                node_name: account_name.clone(),
                node_kind: NodeKind::Client,
                roles,
            };
            (real.clone(), vec![membership], String::new())
        }
    };
    Ok(Ok(Actor {
        user,
        memberships,
        obligation: None,
        impersonation: Some(Impersonating {
            id: record.id,
            real: real.clone(),
            account: record.account,
            account_name,
            mode: record.mode,
            reason: record.reason.clone(),
            acting_as,
            started_at: record.started_at,
            expires_at: record.expires_at,
            limit: bound.union(PermissionSet::OWN_SERVICE),
        }),
    }))
}

/// Ends impersonation `id` in the caller's transaction, recording why, unless it
/// already ended.
pub async fn end_in(
    conn: &mut AnyConnection,
    id: ImpersonationId,
    real: UserId,
    reason: EndReason,
    address: &str,
) -> Result<(), AppError> {
    let Some(record) = repo::find_impersonation(&mut *conn, id).await? else {
        return Ok(());
    };
    if repo::end_impersonation(conn, id, reason, now_ms()).await? {
        record_about(
            conn,
            &record,
            real,
            "impersonation.ended",
            json!({ "reason": reason.key() }),
            address,
        )
        .await?;
    }
    Ok(())
}

pub async fn record_about(
    conn: &mut AnyConnection,
    impersonation: &ImpersonationRecord,
    real: UserId,
    action: &str,
    details: serde_json::Value,
    address: &str,
) -> Result<(), AppError> {
    let by = Acting {
        user: real,
        impersonation: Some(impersonation.id),
    };
    let account = impersonation.account;
    let event = match impersonation.target {
        Some(target) => AuditEvent::about_user(by, target, account, action, details, address),
        None => AuditEvent::at_node(by, account, action, details, address),
    };
    record(conn, event).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authority_of(roles: &[Role]) -> PermissionSet {
        RoleSet::new(roles.iter().copied())
            .permissions()
            .authority()
    }

    #[test]
    fn only_someone_with_strictly_less_authority_may_be_acted_as() {
        let account_admin = authority_of(&[Role::AccountAdmin]);
        assert!(may_act_as(account_admin, authority_of(&[Role::ClientUser])));
        assert!(may_act_as(
            account_admin,
            authority_of(&[Role::ClientAdmin])
        ));
        assert!(
            !may_act_as(account_admin, authority_of(&[Role::AccountAdmin])),
            "an equal"
        );
        assert!(
            !may_act_as(account_admin, authority_of(&[Role::PlatformAdmin])),
            "a higher admin"
        );
        let platform = PermissionSet::ALL.authority();
        assert!(may_act_as(platform, authority_of(&[Role::AccountAdmin])));
    }

    #[test]
    fn support_acts_as_client_users_but_not_as_the_admins_who_let_them_in() {
        let support = SUPPORT_POWERS;
        assert!(may_act_as(support, authority_of(&[Role::ClientUser])));
        assert!(may_act_as(support, authority_of(&[Role::MessagingAgent])));
        assert!(!may_act_as(support, authority_of(&[Role::ClientAdmin])));
        assert!(!may_act_as(support, authority_of(&[Role::AccountManager])));
    }
}
