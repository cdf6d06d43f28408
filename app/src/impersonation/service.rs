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
use crate::audit_trail::{record, AuditEvent};
use crate::auth::actor::{seconds_left, Actor};
use crate::auth::impersonating::{bound_in, eligible_target, may_act_as, record_about, Ineligible};
use crate::auth::repo::ancestors;
use crate::auth::repo::find_by_id;
use crate::auth::repo::is_suspended;
use crate::auth::repo::{find_impersonation, leave_presence, live_grant, ImpersonationRecord};
use crate::auth::session::{self, hash_token};
use crate::core::roles::{Permission, PermissionSet};
use crate::core::time::timestamp;
use crate::core::UserId;
use crate::core::{EndReason, Mode};
use crate::core::{NodeId, NodeKind};
use crate::db::{now_ms, Db};
use crate::error::{AppError, FieldErrors};
use crate::impersonation::repo;
use crate::impersonation::repo::NewImpersonation;
use crate::impersonation::{
    AccessHistory, GrantedAccount, LogInAsOptions, Presence, TargetChoice, Visit, VisitChange,
    DURATION_CHOICES, GRANT_DAYS, MAX_REASON,
};
use crate::password::random_token;
use crate::request::Client;
use crate::state::AppState;
use crate::tenancy::repo::get_node;

/// The actor, who may not start an impersonation from inside one, and what they may
/// do in `account` as an impersonator; not found unless they may do something there.
async fn impersonator_in(
    state: &AppState,
    actor: &Actor,
    account: NodeId,
) -> Result<(crate::tenancy::Node, PermissionSet), AppError> {
    if actor.impersonation().is_some() {
        return Err(AppError::forbidden(
            "You are already acting as someone else. Stop that impersonation first.",
        ));
    }
    let path = ancestors(state.db.pool(), account).await?;
    let own = actor.permissions_along(&path);
    let bound = bound_in(&state.db, actor.memberships(), account, now_ms()).await?;
    let node = get_node(state.db.pool(), account).await?;
    match node {
        Some(node) if node.kind == NodeKind::Client && own != PermissionSet::NONE => {
            if is_suspended(state.db.pool(), account).await? {
                return Err(AppError::forbidden(format!(
                    "{} is suspended: nobody can log in to it until it is reactivated.",
                    node.name
                )));
            }
            if bound == PermissionSet::NONE {
                let refusal = if own.contains(Permission::OpenGrantedAccounts) {
                    "This account has not granted support access, or the access has ended."
                } else {
                    "You may not log in to this account."
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
    state: &AppState,
    actor: &Actor,
    account: NodeId,
) -> Result<LogInAsOptions, AppError> {
    let (node, bound) = impersonator_in(state, actor, account).await?;
    Ok(LogInAsOptions {
        account,
        account_name: node.name,
        targets: targets(state, actor, account, bound).await?,
    })
}

/// The users of `account` the actor may act as; none from inside an impersonation
/// or where they may not log in.
pub async fn acted_as_by(
    state: &AppState,
    actor: &Actor,
    account: NodeId,
) -> Result<Vec<TargetChoice>, AppError> {
    if actor.impersonation().is_some() {
        return Ok(Vec::new());
    }
    let bound = bound_in(&state.db, actor.memberships(), account, now_ms()).await?;
    if bound == PermissionSet::NONE {
        return Ok(Vec::new());
    }
    targets(state, actor, account, bound).await
}

async fn targets(
    state: &AppState,
    actor: &Actor,
    account: NodeId,
    bound: PermissionSet,
) -> Result<Vec<TargetChoice>, AppError> {
    // The same rules as `eligible_target`, for every user of the account at once.
    let users = repo::active_users_of_account_alone(state.db.pool(), account).await?;
    Ok(users
        .into_iter()
        .filter(|(id, _, _, roles)| {
            *id != actor.user().id && may_act_as(bound, roles.permissions().authority())
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
    state: &AppState,
    actor: &Actor,
    client: &Client,
    replacing: Option<&str>,
    request: StartRequest,
) -> Result<(String, String), AppError> {
    let (node, bound) = impersonator_in(state, actor, request.account).await?;
    let mut errors = FieldErrors::default();
    let mode = Mode::from_key(&request.mode);
    if mode.is_none() {
        errors.add("mode", "Choose how to log in.");
    }
    let reason = request.reason.trim();
    if reason.is_empty() {
        errors.add(
            "reason",
            "Say why you need to log in; the account's admins will see it.",
        );
    } else if reason.chars().count() > MAX_REASON {
        errors.add("reason", format!("Use at most {MAX_REASON} characters."));
    }
    let minutes = request.minutes.trim().parse::<i64>().ok();
    let minutes = minutes.filter(|minutes| DURATION_CHOICES.contains(minutes));
    if minutes.is_none() {
        errors.add("minutes", "Choose how long, from 15 minutes to 4 hours.");
    }
    let target = match mode {
        Some(Mode::Client) => {
            checked_target(
                state,
                actor,
                request.account,
                bound,
                &request.target,
                &mut errors,
            )
            .await?
        }
        _ => None,
    };
    errors.into_result()?;
    let (Some(mode), Some(minutes)) = (mode, minutes) else {
        return Err(AppError::internal("checked fields missing"));
    };

    let now = now_ms();
    let return_to = crate::paths::safe_next(Some(request.return_to.as_str())).to_string();
    let token = random_token();
    let mut tx = state.db.begin().await?;
    let new = NewImpersonation {
        impersonator: actor.user().id,
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
        actor.user().id,
        Some(id),
        client,
        actor.user().expires_at,
    )
    .await?;
    let record = find_impersonation(&mut *tx, id)
        .await?
        .ok_or_else(|| AppError::internal("impersonation vanished"))?;
    record_about(
        &mut tx,
        &record,
        actor.user().id,
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

async fn checked_target(
    state: &AppState,
    actor: &Actor,
    account: NodeId,
    bound: PermissionSet,
    typed: &str,
    errors: &mut FieldErrors,
) -> Result<Option<UserId>, AppError> {
    let Ok(id) = typed.trim().parse::<i64>().map(UserId) else {
        errors.add("target", "Choose the user to act as.");
        return Ok(None);
    };
    let problem = if id == actor.user().id {
        Some("You cannot log in as yourself.")
    } else {
        eligible_target(&state.db, account, bound, id)
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
    client: &Client,
    token: &str,
) -> Result<(String, String), AppError> {
    let session = session::peek(state, token).await?;
    let Some(id) = session.impersonation else {
        return Err(AppError::forbidden("You are not acting as anyone."));
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

/// The support access `account` grants now, as its page says it.
pub async fn support_access(db: &Db, account: NodeId) -> Result<Option<String>, AppError> {
    let grant = live_grant(db.pool(), account, now_ms()).await?;
    Ok(grant.map(|grant| {
        format!(
            "Granted by {} until {}",
            grant.granted_by,
            timestamp(grant.expires_at)
        )
    }))
}

/// Grants support access to `account` for `days` (replacing a grant in force), or
/// withdraws it when `days` is none.
pub async fn set_support_access(
    state: &AppState,
    actor: &Actor,
    address: &str,
    account: NodeId,
    days: Option<String>,
) -> Result<(), AppError> {
    if actor.permissions_at(&state.db, account).await? == PermissionSet::NONE {
        return Err(AppError::NotFound);
    }
    actor.not_impersonating("Granting support access")?;
    if !actor.grants_support_to(account) {
        return Err(AppError::forbidden(
            "Support access is granted by the account's own admins.",
        ));
    }
    let days = match days {
        Some(days) => Some(
            days.trim()
                .parse::<i64>()
                .ok()
                .filter(|days| GRANT_DAYS.contains(days))
                .ok_or_else(|| AppError::field("days", "Choose for how long."))?,
        ),
        None => None,
    };
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    let revoked = repo::revoke_grants(&mut tx, account, actor.user().id, now).await?;
    let (action, details) = match days {
        Some(days) => {
            let expires_at = now + days * 86_400_000;
            repo::insert_grant(&mut tx, account, actor.user().id, now, expires_at).await?;
            (
                "support.granted",
                json!({ "after": { "days": days, "until": timestamp(expires_at) } }),
            )
        }
        None if revoked == 0 => return Ok(()),
        None => ("support.revoked", json!({})),
    };
    record(
        &mut tx,
        AuditEvent::at_node(actor.acting(), account, action, details, address),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The accounts that grant the actor's support access now, with their users.
pub async fn granted_accounts(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<GrantedAccount>, AppError> {
    if actor.impersonation().is_some() {
        return Ok(Vec::new());
    }
    let roots: Vec<NodeId> = actor
        .holding(Permission::OpenGrantedAccounts)
        .map(|m| m.node_id)
        .collect();
    if roots.is_empty() {
        return Err(AppError::forbidden(
            "Only support staff have a list of accounts that granted support access.",
        ));
    }
    let now = now_ms();
    let mut accounts = Vec::new();
    for (account, name, until) in repo::granting_accounts(state.db.pool(), &roots, now).await? {
        let bound = bound_in(&state.db, actor.memberships(), account, now).await?;
        accounts.push(GrantedAccount {
            account,
            partner: crate::tenancy::repo::path_names(state.db.pool(), account)
                .await?
                .into_iter()
                .nth(1)
                .unwrap_or_default(),
            name,
            until: timestamp(until),
            users: targets(state, actor, account, bound).await?,
        });
    }
    Ok(accounts)
}

/// Who came into `account` by impersonation, why, and what they changed.
pub async fn access_history(
    state: &AppState,
    actor: &Actor,
    account: NodeId,
) -> Result<AccessHistory, AppError> {
    actor
        .require(&state.db, Permission::ViewAccessHistory, account)
        .await?;
    let node = get_node(state.db.pool(), account)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = now_ms();
    let mut visits = Vec::new();
    for record in repo::of_account(state.db.pool(), account, 100).await? {
        visits.push(visit(state, &record, now).await?);
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
        (Some(at), Some(reason)) => format!("{} at {}", reason.label(), timestamp(at)),
        _ if now >= record.expires_at => "Time ran out".to_string(),
        _ => "In the account now".to_string(),
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
