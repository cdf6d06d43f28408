//! Support access: a client account's admins let the partner's support staff in
//! for a while, and those staff see the accounts that did.

use serde_json::json;

use super::start_stop::targets;
use crate::auth::caller::Caller;
use crate::auth::impersonating::bound_in;
use crate::auth::repo::live_grant;
use crate::core::roles::Permission;
use crate::core::time::timestamp;
use crate::core::NodeId;
use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::impersonation::{repo, GrantedAccount, GRANT_DAYS};

/// The support access `account` grants now, as its page says it.
pub async fn support_access(db: &Db, account: NodeId) -> Result<Option<String>, AppError> {
    let grant = live_grant(db.pool(), account, now_ms()).await?;
    Ok(grant.map(|grant| {
        crate::tr!(
            support.card.granted_by,
            who = grant.granted_by,
            until = timestamp(grant.expires_at)
        )
    }))
}

/// Grants support access to `account` for `days` (replacing a grant in force), or
/// withdraws it when `days` is none.
pub async fn set_support_access(
    caller: &Caller,
    account: NodeId,
    days: Option<String>,
) -> Result<(), AppError> {
    let authorized = caller.actor.at(caller.db(), account).await?;
    caller
        .actor
        .not_impersonating(crate::tr!(as_yourself.grant_support))?;
    if !caller.actor.grants_support_to(account) {
        return Err(AppError::forbidden(crate::tr!(
            support.errors.grant_by_admins
        )));
    }
    let days = match days {
        Some(days) => Some(
            days.trim()
                .parse::<i64>()
                .ok()
                .filter(|days| GRANT_DAYS.contains(days))
                .ok_or_else(|| AppError::field("days", crate::tr!(support.errors.choose_days)))?,
        ),
        None => None,
    };
    let now = now_ms();
    let mut tx = authorized.begin(caller).await?;
    let revoked = repo::revoke_grants(&mut tx, account, caller.actor.user().id, now).await?;
    let (action, details) = match days {
        Some(days) => {
            let expires_at = now + days * 86_400_000;
            repo::insert_grant(&mut tx, account, caller.actor.user().id, now, expires_at).await?;
            (
                "support.granted",
                json!({ "after": { "days": days, "until": timestamp(expires_at) } }),
            )
        }
        None if revoked == 0 => return Ok(()),
        None => ("support.revoked", json!({})),
    };
    tx.commit(action, details).await
}

/// The accounts that grant the actor's support access now, with their users.
pub async fn granted_accounts(caller: &Caller) -> Result<Vec<GrantedAccount>, AppError> {
    if caller.actor.impersonation().is_some() {
        return Ok(Vec::new());
    }
    let roots: Vec<NodeId> = caller
        .actor
        .holding(Permission::OpenGrantedAccounts)
        .map(|m| m.node_id)
        .collect();
    if roots.is_empty() {
        return Err(AppError::forbidden(crate::tr!(support.errors.staff_only)));
    }
    let now = now_ms();
    let mut accounts = Vec::new();
    for (account, name, until) in repo::granting_accounts(caller.db().pool(), &roots, now).await? {
        let bound = bound_in(caller.db(), caller.actor.memberships(), account, now).await?;
        accounts.push(GrantedAccount {
            account,
            partner: crate::tenancy::repo::path_names(caller.db().pool(), account)
                .await?
                .into_iter()
                .nth(1)
                .unwrap_or_default(),
            name,
            until: timestamp(until),
            users: targets(caller, account, bound).await?,
        });
    }
    Ok(accounts)
}
