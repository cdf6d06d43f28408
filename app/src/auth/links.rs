//! Single-use, expiring links mailed to a user: activating a new account and
//! resetting a forgotten password. Following one sets a password, ends every other
//! session of the user, counts as verifying their address and signs them in. A link belongs to the address it was sent
//! to: it dies if the user's address changes.

use serde_json::json;
use sqlx::{Any, Executor};

use super::quota::Quota;
use super::session::{end_sessions, hash_token};
use super::{quota, LinkPurpose};
use crate::audit_trail::{record, AuditEvent};
use crate::auth::repo::{
    activate_invited, find_by_id, mark_email_verified, set_password, tokens, UserRecord,
};
use crate::core::validate::normalize_email;
use crate::core::{EndReason, UserId};
use crate::db::now_ms;
use crate::error::{AppError, FieldErrors};
use crate::password::new_password_problem;
use crate::request::Requester;
use crate::state::AppState;

impl LinkPurpose {
    pub fn lifetime_ms(self) -> i64 {
        match self {
            LinkPurpose::Activation => 7 * 24 * 60 * 60 * 1000,
            LinkPurpose::PasswordReset => 60 * 60 * 1000,
        }
    }

    fn dead_link(self) -> &'static str {
        match self {
            LinkPurpose::Activation => crate::tr!(password.errors.activation_dead),
            LinkPurpose::PasswordReset => crate::tr!(password.errors.reset_dead),
        }
    }

    fn audit_action(self) -> &'static str {
        match self {
            LinkPurpose::Activation => "auth.account_activated",
            LinkPurpose::PasswordReset => "auth.password_reset",
        }
    }
}

/// Stores a new link for `user`, bound to the address it is sent to.
pub async fn store_token<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
    email: &str,
    purpose: LinkPurpose,
    token: &str,
) -> Result<(), AppError> {
    let token_hash = hash_token(token);
    let email_normalized = normalize_email(email);
    let link = tokens::NewToken {
        token_hash: &token_hash,
        user,
        purpose,
        email_normalized: &email_normalized,
        expires_at: now_ms() + purpose.lifetime_ms(),
    };
    tokens::insert(db, &link).await
}

/// Kills every unused link of `user`: after a resend only the new one works.
pub async fn kill_tokens<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
) -> Result<(), AppError> {
    tokens::use_up_all(db, user, now_ms()).await
}

/// Whether a `purpose` link was sent to `user` within the last `window_ms`.
pub async fn sent_within<'e>(
    db: impl Executor<'e, Database = Any>,
    user: UserId,
    purpose: LinkPurpose,
    window_ms: i64,
) -> Result<bool, AppError> {
    // A link sent within the window still has more than its lifetime less the window.
    let after = now_ms() + purpose.lifetime_ms() - window_ms;
    Ok(tokens::count_expiring_after(db, user, purpose, after).await? > 0)
}

/// The user a live link belongs to, while their address is still the one the link
/// was sent to and their account is not disabled.
pub async fn link_owner(
    state: &AppState,
    purpose: LinkPurpose,
    token: &str,
) -> Result<UserRecord, AppError> {
    let owner = tokens::live_owner(state.db.pool(), &hash_token(token), purpose, now_ms()).await?;
    let dead = || AppError::forbidden(purpose.dead_link());
    let user = owner.ok_or_else(dead)?;
    find_by_id(state.db.pool(), user).await?.ok_or_else(dead)
}

/// Uses up the link, sets the user's password and ends their sessions; the caller
/// then opens a new one.
pub async fn follow(
    state: &AppState,
    client: &Requester,
    purpose: LinkPurpose,
    token: &str,
    new_password: String,
    confirm_password: &str,
) -> Result<UserRecord, AppError> {
    let user = link_owner(state, purpose, token).await?;
    let mut errors = FieldErrors::default();
    if let Some(problem) = new_password_problem(&new_password, &[&user.email, &user.name]) {
        errors.add("new_password", problem);
    }
    if confirm_password != new_password {
        errors.add(
            "confirm_password",
            crate::tr!(password.errors.passwords_differ),
        );
    }
    errors.into_result()?;
    let hash = state.passwords.hash(new_password).await?;

    let mut tx = state.db.begin().await?;
    if !tokens::use_up(&mut tx, &hash_token(token), purpose, now_ms()).await? {
        return Err(AppError::forbidden(purpose.dead_link()));
    }
    kill_tokens(&mut *tx, user.id).await?;
    end_sessions(
        &mut tx,
        user.id,
        None,
        EndReason::SignedOut,
        &client.address,
    )
    .await?;
    set_password(&mut *tx, user.id, &hash, false).await?;
    activate_invited(&mut tx, user.id).await?;
    // The link reached them at the address it is bound to: that proves the address.
    mark_email_verified(&mut *tx, user.id).await?;
    record(
        &mut tx,
        AuditEvent::about_self(user.id, purpose.audit_action(), json!({}), &client.address),
    )
    .await?;
    tx.commit().await?;
    find_by_id(state.db.pool(), user.id)
        .await?
        .ok_or(AppError::Internal)
}

/// How soon someone may be sent another reset link: a mailbox is not to be flooded.
const RESET_RESEND_WAIT_MS: i64 = 60 * 1000;
/// Reset requests one address may make in an hour, for any accounts: one address
/// cannot mail every account on the platform.
pub const RESETS_AN_HOUR_PER_ADDRESS: Quota = Quota {
    uses: 10,
    window_ms: 60 * 60 * 1000,
};

/// Mails a reset link to the account of `email`, in its language and brand. Says
/// nothing of whether the account exists: the caller answers the same either way.
pub async fn send_password_reset(
    state: &AppState,
    client: &Requester,
    email: &str,
) -> Result<(), AppError> {
    // Counted whether or not the address has an account, so the answer tells nothing.
    let mut tx = state.db.begin().await?;
    let from_address = format!("resets-from:{}", client.address);
    quota::take(
        &state.db,
        &mut tx,
        &from_address,
        RESETS_AN_HOUR_PER_ADDRESS,
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    let Some(user) = crate::auth::repo::find_by_email(state.db.pool(), email).await? else {
        return Ok(());
    };
    let purpose = LinkPurpose::PasswordReset;
    if user.status == crate::core::UserStatus::Disabled
        || sent_within(state.db.pool(), user.id, purpose, RESET_RESEND_WAIT_MS).await?
    {
        return Ok(());
    }
    let token = crate::password::random_token();
    let mut tx = state.db.begin().await?;
    store_token(&mut *tx, user.id, &user.email, purpose, &token).await?;
    let brand = crate::mail::brand_of_user(
        &mut tx,
        user.id,
        user.branding_domain.as_deref(),
        &state.settings.public_url,
    )
    .await?;
    let message = crate::mail::templates::password_reset(
        &brand,
        crate::core::Language::from_code(&user.language),
        &user.name,
        &user.email,
        &token,
    );
    crate::mail::outbox::enqueue(&mut *tx, message).await?;
    record(
        &mut tx,
        AuditEvent::about_self(
            user.id,
            "auth.password_reset_requested",
            json!({}),
            &client.address,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
