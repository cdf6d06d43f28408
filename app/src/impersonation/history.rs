//! A client account's access history: who came in by impersonation, why, for how
//! long, and what they changed.

use crate::auth::caller::Caller;
use crate::auth::repo::{find_by_id, ImpersonationRecord};
use crate::core::roles::Permission;
use crate::core::time::timestamp;
use crate::core::{NodeId, UserId};
use crate::db::now_ms;
use crate::error::AppError;
use crate::impersonation::{repo, AccessHistory, Visit, VisitChange};
use crate::state::AppState;
use crate::tenancy::repo::get_node;

/// Who came into `account` by impersonation, why, and what they changed.
pub async fn access_history(caller: &Caller, account: NodeId) -> Result<AccessHistory, AppError> {
    caller
        .actor
        .require(caller.db(), Permission::ViewAccessHistory, account)
        .await?;
    let node = get_node(caller.db().pool(), account)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = now_ms();
    let mut visits = Vec::new();
    for record in repo::of_account(caller.db().pool(), account, 100).await? {
        visits.push(visit(&caller.state, &record, now).await?);
    }
    Ok(AccessHistory {
        account_name: node.name,
        visits,
    })
}

async fn visit(
    state: &AppState,
    record: &ImpersonationRecord,
    now: i64,
) -> Result<Visit, AppError> {
    let name_of = |user: UserId| async move {
        Ok::<_, AppError>(
            find_by_id(state.db.pool(), user)
                .await?
                .map(|user| user.name)
                .unwrap_or_default(),
        )
    };
    let who = name_of(record.impersonator).await?;
    let acting_as = match record.target {
        Some(target) => name_of(target).await?,
        None => String::new(),
    };
    let ended = match (record.ended_at, record.end_reason) {
        (Some(at), Some(reason)) => crate::tr!(
            support.access.ended_at,
            reason = reason.label(),
            at = timestamp(at)
        ),
        _ if now >= record.expires_at => crate::tr!(support.access.time_ran_out).to_string(),
        _ => crate::tr!(support.access.in_now).to_string(),
    };
    let changes = repo::changes_through(state.db.pool(), record.id)
        .await?
        .into_iter()
        .map(|(at, action, details)| VisitChange {
            when: timestamp(at),
            action,
            details,
        })
        .collect();
    Ok(Visit {
        id: record.id,
        who,
        mode: record.mode,
        acting_as,
        reason: record.reason.clone(),
        started: timestamp(record.started_at),
        ended,
        changes,
    })
}
