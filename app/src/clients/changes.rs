//! What may be changed about a client account once it exists: its company details,
//! status, features and seats, credits, SSO token, place in the tree, verification
//! policy and the status its operators read; each change checked, versioned and on
//! the record.

use serde_json::json;

use crate::auth::caller::Caller;
use crate::clients::repo::{
    add_credit_entry, features_of, grantable_features, seats_used, tags_of, NewCreditEntry,
};
use crate::clients::service::{
    authorized_client, client_home, grantable, stale, validate_company, voice_rule_of, MAX_TEXT,
};
use crate::clients::{repo, CompanyForm, CreditKind, EntryType, MAX_CREDIT_GRANT, MAX_SEATS};
use crate::core::roles::Permission;
use crate::core::{ClientStatus, NodeId, VerificationPolicy};
use crate::error::{AppError, FieldErrors};
use crate::password::random_token;
use crate::tenancy::repo::move_subtree;
use crate::tenancy::settings::voice_rule_from_form;

pub async fn update_company(
    caller: &Caller,
    id: NodeId,
    form: &CompanyForm,
    version: i64,
) -> Result<(), AppError> {
    let (client, authorized) = authorized_client(caller, Permission::ManageClients, id).await?;
    let mut errors = FieldErrors::default();
    let (company, tags) = validate_company(form, &mut errors);
    errors.into_result()?;
    let before_tags = tags_of(caller.db().pool(), id).await?;
    let mut tx = authorized.begin(caller).await?;
    if !repo::update_company(&mut tx, id, &company, &tags, version).await? {
        drop(tx);
        return Err(stale(caller.db(), id).await);
    }
    tx.commit(
        "client.company_updated",
        json!({
            "before": { "company": client.company, "tags": before_tags },
            "after": { "company": company, "tags": tags },
        }),
    )
    .await?;
    Ok(())
}

pub async fn set_status(
    caller: &Caller,
    id: NodeId,
    status: ClientStatus,
    version: i64,
) -> Result<(), AppError> {
    let (client, authorized) = authorized_client(caller, Permission::ManageClients, id).await?;
    if status == ClientStatus::Pending {
        return Err(AppError::forbidden(crate::tr!(
            clients.errors.not_pending_again
        )));
    }
    let mut tx = authorized.begin(caller).await?;
    if !repo::set_status(&mut tx, id, status, version).await? {
        drop(tx);
        return Err(stale(caller.db(), id).await);
    }
    let action = match status {
        ClientStatus::Suspended => "client.suspended",
        _ => "client.activated",
    };
    tx.commit(
        action,
        json!({ "before": { "status": client.status.key() }, "after": { "status": status.key() } }),
    )
    .await?;
    Ok(())
}

pub async fn modify_features(
    caller: &Caller,
    id: NodeId,
    feature_keys: &[String],
    seat_limit: &str,
    version: i64,
) -> Result<(), AppError> {
    let (client, authorized) = authorized_client(caller, Permission::ManageClients, id).await?;
    let allowed = grantable_features(caller.db().pool(), client.partner_id).await?;
    let before = features_of(caller.db().pool(), id).await?;
    let mut errors = FieldErrors::default();
    let features = grantable(&mut errors, feature_keys, &allowed);
    let seats = errors.whole_number("seat_limit", seat_limit, 1..=MAX_SEATS);
    errors.into_result()?;

    let mut tx = authorized.begin(caller).await?;
    // Counted inside the transaction, so a user added meanwhile is not left seatless.
    let used = seats_used(&mut **tx, id).await?;
    if seats < used {
        return Err(AppError::field(
            "seat_limit",
            crate::tr!(clients.errors.seats_below_used, count = used),
        ));
    }
    if !repo::set_features_and_seats(&mut tx, id, &features, seats, version).await? {
        drop(tx);
        return Err(stale(caller.db(), id).await);
    }
    tx.commit(
        "client.features_changed",
        json!({
            "before": { "features": before, "seat_limit": client.seat_limit },
            "after": { "features": features, "seat_limit": seats },
        }),
    )
    .await?;
    Ok(())
}

pub async fn top_up(
    caller: &Caller,
    id: NodeId,
    credit: CreditKind,
    amount: &str,
    note: &str,
) -> Result<i64, AppError> {
    let (_, authorized) = authorized_client(caller, Permission::ManageClients, id).await?;
    let mut errors = FieldErrors::default();
    let amount = errors.whole_number("amount", amount, 1..=MAX_CREDIT_GRANT);
    let note = note.trim();
    errors.limit("note", note, MAX_TEXT);
    errors.into_result()?;
    let mut tx = authorized.begin(caller).await?;
    let balances = add_credit_entry(
        &mut tx,
        NewCreditEntry {
            client: id,
            credit,
            entry_type: EntryType::TopUp,
            amount,
            note: if note.is_empty() { "Top-up" } else { note },
            actor: Some(caller.actor.acting().user),
        },
    )
    .await?;
    let position = balances.of(credit);
    let details = json!({ "after": {
        "credit": credit.key(), "amount": amount, "balance": position.balance,
        "shortfall": position.shortfall, "note": note,
    }});
    tx.commit("client.credits_added", details).await?;
    Ok(position.balance)
}

/// Shows the SSO token; every reveal is recorded.
pub async fn reveal_sso_token(caller: &Caller, id: NodeId) -> Result<String, AppError> {
    let (_, authorized) = authorized_client(caller, Permission::ManageClients, id).await?;
    let mut tx = authorized.begin(caller).await?;
    let token = crate::auth::repo::sso_token(&mut **tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit("client.sso_token_revealed", json!({})).await?;
    Ok(token)
}

/// Replaces the SSO token: links signed with the old one stop working at once.
pub async fn rotate_sso_token(
    caller: &Caller,
    id: NodeId,
    confirmed: bool,
) -> Result<String, AppError> {
    let (_, authorized) = authorized_client(caller, Permission::ManageClients, id).await?;
    if !confirmed {
        return Err(AppError::field(
            "confirm",
            crate::tr!(clients.errors.confirm_rotation),
        ));
    }
    let token = random_token();
    let mut tx = authorized.begin(caller).await?;
    repo::set_sso_token(&mut **tx, id, &token).await?;
    tx.commit("client.sso_token_rotated", json!({})).await?;
    Ok(token)
}

/// Moves a client account to another group of the same partner.
pub async fn move_client(
    caller: &Caller,
    id: NodeId,
    group: &str,
    version: i64,
) -> Result<(), AppError> {
    let (client, authorized) = authorized_client(caller, Permission::ManageClients, id).await?;
    let (at_group, partner) = client_home(caller, group).await?;
    let group = at_group.node();
    if partner != client.partner_id {
        return Err(AppError::field(
            "group",
            "A client account can only move within its partner.",
        ));
    }
    let mut tx = authorized.begin(caller).await?;
    // A move is a change of the client record too: stale copies must not win.
    if !repo::bump_version(&mut **tx, id, version).await? {
        drop(tx);
        return Err(stale(caller.db(), id).await);
    }
    move_subtree(&mut tx, id, group).await?;
    tx.commit(
        "client.moved",
        json!({ "before": { "group": client.group_id.0 }, "after": { "group": group.0 } }),
    )
    .await?;
    Ok(())
}

/// What the account's Client Users must verify before first access.
pub async fn set_verification(
    caller: &Caller,
    id: NodeId,
    policy: VerificationPolicy,
    version: i64,
) -> Result<(), AppError> {
    let (client, authorized) = authorized_client(caller, Permission::ManageClients, id).await?;
    let mut tx = authorized.begin(caller).await?;
    if !repo::set_verification(&mut **tx, id, policy, version).await? {
        drop(tx);
        return Err(stale(caller.db(), id).await);
    }
    tx.commit("client.verification_set", json!({ "before": { "verification": client.verification.key() }, "after": { "verification": policy.key() } })).await?;
    Ok(())
}

/// Gives the account a voice rule of its own from the form's fields, or (with
/// `own` false) back to its partner's.
pub async fn set_voice_rule(
    caller: &Caller,
    id: NodeId,
    own: bool,
    rule: [&str; 3],
    version: i64,
) -> Result<(), AppError> {
    let (client, authorized) = authorized_client(caller, Permission::ManageClients, id).await?;
    let before = voice_rule_of(caller.db().pool(), &client).await?;
    let rule = match own {
        true => {
            let mut errors = FieldErrors::default();
            let [initial, increment, free_under] = rule;
            let rule = voice_rule_from_form(&mut errors, initial, increment, free_under);
            errors.into_result()?;
            Some(rule)
        }
        false => None,
    };
    let mut tx = authorized.begin(caller).await?;
    if !repo::set_voice_rule(&mut **tx, id, rule, version).await? {
        drop(tx);
        return Err(stale(caller.db(), id).await);
    }
    let after = match rule {
        Some(rule) => rule.notation(),
        None => "the partner's".to_string(),
    };
    let details =
        json!({ "before": { "voice_rule": before.notation() }, "after": { "voice_rule": after } });
    tx.commit("client.voice_rule_set", details).await?;
    Ok(())
}
