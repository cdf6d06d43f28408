//! The rules of impersonation, each checked where it applies: who may start one and
//! as whom, what the session may do while it lasts, and what ends it.
//!
//! Effective rights are the target's, bounded by the impersonator's own: a target is
//! accepted only while everything they may do lies strictly within what the
//! impersonator may do in the account, checked at start and again at every request,
//! so the target's rights are the effective ones and never exceed the bound. Losing
//! the right (a role removed, the support grant revoked or expired) ends it at the
//! next request.

use serde_json::json;

use super::presence;
use super::presence::Visitor;
use crate::auth::actor::{seconds_left, Actor};
use crate::auth::caller::Caller;
use crate::auth::impersonating::{bound_in, eligible_target, may_act_as, record_about, Ineligible};
use crate::auth::repo::{ancestors, find_impersonation, is_suspended, leave_presence};
use crate::auth::session;
use crate::auth::session::hash_token;
use crate::core::roles::{Permission, PermissionSet};
use crate::core::time::length_of;
use crate::core::{EndReason, Mode, NodeId, NodeKind, UserId};
use crate::db::now_ms;
use crate::error::{AppError, FieldErrors};
use crate::impersonation::repo::NewImpersonation;
use crate::impersonation::{
    repo, LogInAsOptions, Presence, TargetChoice, DURATION_CHOICES, MAX_REASON,
};
use crate::password::random_token;
use crate::request::Requester;
use crate::state::AppState;
use crate::tenancy::repo::get_node;

/// The actor, who may not start an impersonation from inside one, and what they may
/// do in `account` as an impersonator; not found unless they may do something there.
async fn impersonator_in(
    caller: &Caller,
    account: NodeId,
) -> Result<(crate::tenancy::Node, PermissionSet), AppError> {
    if caller.actor.impersonation().is_some() {
        return Err(AppError::forbidden(crate::tr!(
            support.errors.already_acting
        )));
    }
    let path = ancestors(caller.db().pool(), account).await?;
    let own = caller.actor.permissions_along(&path);
    let bound = bound_in(caller.db(), caller.actor.memberships(), account, now_ms()).await?;
    let node = get_node(caller.db().pool(), account).await?;
    match node {
        Some(node) if node.kind == NodeKind::Client && own != PermissionSet::NONE => {
            if is_suspended(caller.db().pool(), account).await? {
                return Err(AppError::forbidden(crate::tr!(
                    support.errors.suspended,
                    account = node.name
                )));
            }
            if bound == PermissionSet::NONE {
                let refusal = if own.contains(Permission::OpenGrantedAccounts) {
                    crate::tr!(support.errors.not_granted)
                } else {
                    crate::tr!(support.errors.may_not)
                };
                return Err(AppError::forbidden(refusal));
            }
            Ok((node, bound))
        }
        _ => Err(AppError::NotFound),
    }
}

/// The start form's choices: the users the actor may act as, and whether they may
/// administer the account as the partner.
pub async fn log_in_as_options(
    caller: &Caller,
    account: NodeId,
) -> Result<LogInAsOptions, AppError> {
    let (node, bound) = impersonator_in(caller, account).await?;
    Ok(LogInAsOptions {
        account,
        account_name: node.name,
        targets: targets(caller, account, bound).await?,
    })
}

/// The users of `account` the actor may act as; none from inside an impersonation
/// or where they may not log in.
pub async fn acted_as_by(caller: &Caller, account: NodeId) -> Result<Vec<TargetChoice>, AppError> {
    if caller.actor.impersonation().is_some() {
        return Ok(Vec::new());
    }
    let bound = bound_in(caller.db(), caller.actor.memberships(), account, now_ms()).await?;
    if bound == PermissionSet::NONE {
        return Ok(Vec::new());
    }
    targets(caller, account, bound).await
}

pub async fn targets(
    caller: &Caller,
    account: NodeId,
    bound: PermissionSet,
) -> Result<Vec<TargetChoice>, AppError> {
    // The same rules as `eligible_target`, for every user of the account at once.
    let users = repo::active_users_of_account_alone(caller.db().pool(), account).await?;
    Ok(users
        .into_iter()
        .filter(|(id, _, _, roles)| {
            *id != caller.actor.user().id && may_act_as(bound, roles.permissions().authority())
        })
        .map(|(id, name, email, roles)| TargetChoice {
            id,
            name,
            email,
            roles: roles
                .roles()
                .iter()
                .map(|role| role.label())
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect())
}

/// What the start form sends, as typed.
pub struct StartRequest {
    pub account: NodeId,
    pub mode: String,
    pub target: String,
    pub reason: String,
    pub minutes: String,
    pub return_to: String,
}

/// Starts an impersonation: a new session replaces the browser's (behind the token
/// `replacing`), and the token of the new one is returned with where to go.
pub async fn start(
    caller: &Caller,
    client: &Requester,
    replacing: Option<&str>,
    request: StartRequest,
) -> Result<(String, String), AppError> {
    let (node, bound) = impersonator_in(caller, request.account).await?;
    let Visit {
        mode,
        reason,
        minutes,
        target,
    } = checked_visit(caller, &request, bound).await?;

    let now = now_ms();
    let return_to = crate::paths::safe_next(Some(request.return_to.as_str())).to_string();
    let token = random_token();
    let mut tx = caller.db().begin().await?;
    let new = NewImpersonation {
        impersonator: caller.actor.user().id,
        target,
        account: request.account,
        mode,
        reason,
        return_to: &return_to,
        address: &client.address,
        started_at: now,
        expires_at: now + minutes * 60_000,
    };
    let id = repo::insert(&mut tx, &new).await?;
    // The browser's session gives way to the impersonation's, which ends when it
    // would have: starting and stopping never lengthens a sign-in.
    if let Some(previous) = replacing {
        session::end_session(
            &mut tx,
            &hash_token(previous),
            EndReason::Stopped,
            &client.address,
        )
        .await?;
    }
    session::insert_session(
        &mut tx,
        &token,
        caller.actor.user().id,
        Some(id),
        client,
        caller.actor.user().expires_at,
    )
    .await?;
    let record = find_impersonation(&mut *tx, id)
        .await?
        .ok_or_else(|| AppError::internal("impersonation vanished"))?;
    record_about(
        &mut tx,
        &record,
        caller.actor.user().id,
        "impersonation.started",
        json!({ "mode": mode.key(), "reason": reason, "minutes": minutes, "account": node.name }),
        &client.address,
    )
    .await?;
    tx.commit().await?;
    let landing = match mode {
        Mode::Client => crate::paths::HOME.to_string(),
        Mode::Partner => crate::paths::client(request.account),
    };
    Ok((token, landing))
}

/// An impersonation as its form asked for it, every field checked.
struct Visit<'r> {
    mode: Mode,
    reason: &'r str,
    minutes: i64,
    target: Option<UserId>,
}

/// Checks every field of the start form, with each problem at its field; `bound`
/// limits what the impersonator may act with.
async fn checked_visit<'r>(
    caller: &Caller,
    request: &'r StartRequest,
    bound: PermissionSet,
) -> Result<Visit<'r>, AppError> {
    let mut errors = FieldErrors::default();
    let mode = Mode::from_key(&request.mode);
    if mode.is_none() {
        errors.add("mode", crate::tr!(support.errors.choose_mode));
    }
    let reason = request.reason.trim();
    if reason.is_empty() {
        errors.add("reason", crate::tr!(support.errors.say_why));
    }
    errors.limit("reason", reason, MAX_REASON);
    let minutes = request.minutes.trim().parse::<i64>().ok();
    let minutes = minutes.filter(|minutes| DURATION_CHOICES.contains(minutes));
    if minutes.is_none() {
        let length = |minutes: Option<&i64>| length_of(minutes.copied().unwrap_or_default());
        errors.add(
            "minutes",
            crate::tr!(
                support.errors.choose_length,
                from = length(DURATION_CHOICES.first()),
                to = length(DURATION_CHOICES.last())
            ),
        );
    }
    let target = match mode {
        Some(Mode::Client) => {
            checked_target(caller, request.account, bound, &request.target, &mut errors).await?
        }
        _ => None,
    };
    errors.into_result()?;
    let (Some(mode), Some(minutes)) = (mode, minutes) else {
        return Err(AppError::internal("checked fields missing"));
    };
    Ok(Visit {
        mode,
        reason,
        minutes,
        target,
    })
}

async fn checked_target(
    caller: &Caller,
    account: NodeId,
    bound: PermissionSet,
    typed: &str,
    errors: &mut FieldErrors,
) -> Result<Option<UserId>, AppError> {
    let Ok(id) = typed.trim().parse::<i64>().map(UserId) else {
        errors.add("target", crate::tr!(support.errors.choose_target));
        return Ok(None);
    };
    let problem = if id == caller.actor.user().id {
        Some(crate::tr!(support.errors.yourself))
    } else {
        eligible_target(caller.db(), account, bound, id)
            .await?
            .err()
            .map(Ineligible::refusal)
    };
    match problem {
        Some(problem) => {
            errors.add("target", problem);
            Ok(None)
        }
        None => Ok(Some(id)),
    }
}

/// Ends the impersonation of the live session behind `token`, even one that has
/// already ended, and opens a new session for the person really acting, ending when
/// theirs would have. Returns the new token and where to go.
pub async fn stop(
    state: &AppState,
    client: &Requester,
    token: &str,
) -> Result<(String, String), AppError> {
    let session = session::peek(state, token).await?;
    let Some(id) = session.impersonation else {
        return Err(AppError::forbidden(crate::tr!(support.errors.not_acting)));
    };
    let record = find_impersonation(state.db.pool(), id)
        .await?
        .ok_or_else(|| AppError::internal("impersonation of a session missing"))?;
    let new_token = random_token();
    let mut tx = state.db.begin().await?;
    leave_presence(&mut tx, session.id, session.impersonation).await?;
    session::end_session(
        &mut tx,
        &session.token_hash,
        EndReason::Stopped,
        &client.address,
    )
    .await?;
    session::insert_session(
        &mut tx,
        &new_token,
        session.id,
        None,
        client,
        session.expires_at,
    )
    .await?;
    tx.commit().await?;
    Ok((new_token, record.return_to))
}

/// What the shell's poll learns, noting the asker as present in their account. A
/// poll is not activity: an open page alone does not keep a session from idling.
pub async fn presence(state: &AppState, token: &str) -> Result<Presence, AppError> {
    let now = now_ms();
    let session = session::peek(state, token).await?;
    let impersonation = session.impersonation;
    let actor = match Actor::of(&state.db, session).await {
        Ok(actor) => crate::auth::actor::ready(actor)?,
        Err(AppError::Unauthenticated) if impersonation.is_some() => {
            let reason = match impersonation {
                Some(id) => find_impersonation(state.db.pool(), id)
                    .await?
                    .and_then(|record| record.end_reason),
                None => None,
            };
            return Ok(Presence::Ended {
                reason: reason.unwrap_or(EndReason::Stopped).label().to_string(),
            });
        }
        Err(error) => return Err(error),
    };
    let Some(account) = actor.account() else {
        return Ok(Presence::InOwnAccount {
            support: Vec::new(),
        });
    };
    let me = Visitor {
        user: actor.session_user().id,
        impersonation,
    };
    presence::touch(&state.db, account, me, now).await?;
    let others = presence::others(&state.db, account, me, now).await?;
    Ok(match actor.impersonation() {
        Some(impersonating) => Presence::Impersonating {
            seconds_left: seconds_left(impersonating.expires_at, now),
            others,
        },
        None => Presence::InOwnAccount {
            support: others.into_iter().filter(|p| p.impersonating).collect(),
        },
    })
}
