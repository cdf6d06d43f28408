//! Client users prove their email address and/or mobile number before first access,
//! as their client account's policy asks: a six-digit code sent
//! there, good for ten minutes, one use and five tries, with at most one sent a
//! minute. Following a mailed link (activation, password reset) proves the address
//! too.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use serde_json::json;

use super::quota;
use super::quota::Quota;
use super::session::SessionUser;
use crate::audit_trail::{record, AuditEvent};
use crate::auth::caller::Caller;
use crate::auth::repo::{codes, find_by_id, verification_policies, MembershipRecord, UserRecord};
use crate::auth::{Obligation, VerificationStep};
use crate::core::roles::Role;
use crate::core::{Language, VerifyChannel};
use crate::db::{now_ms, Db};
use crate::error::{AppError, FieldErrors};
use crate::mail::outbox::enqueue;
use crate::mail::{brand_of_user, templates};
use crate::state::AppState;
use crate::tr;

pub const CODE_LIFETIME_MS: i64 = 10 * 60 * 1000;
pub const MAX_ATTEMPTS: i64 = 5;
pub const RESEND_WAIT_MS: i64 = 60 * 1000;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// Codes one person may be sent in a day, over all their channels.
pub const CODES_A_DAY_PER_PERSON: Quota = Quota {
    uses: 10,
    window_ms: DAY_MS,
};
/// Codes one number or address may be sent in a day, whoever asks.
pub const CODES_A_DAY_PER_DESTINATION: Quota = Quota {
    uses: 5,
    window_ms: DAY_MS,
};

/// What the client accounts of a Client User ask them to verify; nothing for anyone
/// else, and without a query.
pub async fn channels_asked(
    db: &Db,
    memberships: &[MembershipRecord],
) -> Result<Vec<VerifyChannel>, AppError> {
    let accounts: Vec<_> = memberships
        .iter()
        .filter(|membership| membership.roles.contains(Role::ClientUser))
        .map(|membership| membership.node_id)
        .collect();
    if accounts.is_empty() {
        return Ok(Vec::new());
    }
    let mut asked: Vec<VerifyChannel> = verification_policies(db.pool(), &accounts)
        .await?
        .into_iter()
        .flat_map(|policy| policy.channels().iter().copied())
        .collect();
    asked.sort();
    asked.dedup();
    Ok(asked)
}

/// What `user` still has to verify before they may go on.
pub async fn channels_due(
    db: &Db,
    user: &SessionUser,
    memberships: &[MembershipRecord],
) -> Result<Vec<VerifyChannel>, AppError> {
    let mut due = channels_asked(db, memberships).await?;
    due.retain(|channel| !user.verified.contains(channel));
    Ok(due)
}

/// The verification page's steps: each channel asked, where its code goes, whether
/// it is done, and whether a code is out.
pub async fn steps(caller: &Caller) -> Result<Vec<VerificationStep>, AppError> {
    let user = may_verify(caller).await?;
    let now = now_ms();
    let mut steps = Vec::new();
    for channel in channels_asked(caller.db(), caller.actor.memberships()).await? {
        let code_sent_to =
            codes::destination_of_live(caller.db().pool(), user.id, channel, now, MAX_ATTEMPTS)
                .await?;
        let destination = match channel {
            VerifyChannel::Email => user.email.clone(),
            VerifyChannel::Sms => code_sent_to.clone().unwrap_or_else(|| user.phone.clone()),
        };
        steps.push(VerificationStep {
            channel,
            destination,
            verified: caller.actor.user().verified.contains(&channel),
            code_sent: code_sent_to.is_some(),
        });
    }
    Ok(steps)
}

/// Sends a new code for `channel` (to `phone`, for SMS), replacing any earlier one.
pub async fn send_code(
    caller: &Caller,
    channel: VerifyChannel,
    phone: &str,
) -> Result<(), AppError> {
    let user = may_verify(caller).await?;
    still_due(caller, channel).await?;
    let destination = match channel {
        VerifyChannel::Email => user.email.clone(),
        VerifyChannel::Sms => {
            mobile_number(phone).map_err(|problem| AppError::field("phone", problem))?
        }
    };
    let code = new_code();
    let now = now_ms();
    let mut tx = caller.db().begin().await?;
    let code_hash = hash_code(&caller.state, &user, channel, &code);
    let new_code = codes::NewCode {
        user: user.id,
        channel,
        destination: &destination,
        code_hash: &code_hash,
        now,
        expires_at: now + CODE_LIFETIME_MS,
        resend_after: now - RESEND_WAIT_MS,
    };
    if !codes::replace(&mut tx, &new_code).await? {
        return Err(AppError::field(
            FieldErrors::FORM,
            tr!(verify.errors.too_soon),
        ));
    }
    // However the minutes are spaced: a person, and a number or address (which a
    // code would flood), get only so many codes a day.
    let for_person = format!("codes-for:{}", user.id.0);
    quota::take(
        caller.db(),
        &mut tx,
        &for_person,
        CODES_A_DAY_PER_PERSON,
        now,
    )
    .await?;
    let to_destination = format!("codes-to:{destination}");
    quota::take(
        caller.db(),
        &mut tx,
        &to_destination,
        CODES_A_DAY_PER_DESTINATION,
        now,
    )
    .await?;
    let brand = brand_of_user(
        &mut tx,
        user.id,
        user.branding_domain.as_deref(),
        &caller.state.settings.public_url,
    )
    .await?;
    let language = Language::from_code(&user.language);
    match channel {
        VerifyChannel::Email => {
            let email =
                templates::verification_code(&brand, language, &user.name, &destination, &code);
            enqueue(&mut *tx, email).await?;
        }
        VerifyChannel::Sms => {
            let sms =
                templates::verification_text(&brand, language, &user.name, &destination, &code);
            enqueue(&mut *tx, sms).await?;
        }
    }
    record(
        &mut tx,
        AuditEvent::about_self(
            user.id,
            "auth.verification_code_sent",
            json!({ "channel": channel.key(), "destination": destination }),
            &caller.address,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Checks a code typed for `channel`; the right one marks the address or number
/// verified. Returns whether everything asked is now verified.
pub async fn check_code(
    caller: &Caller,
    channel: VerifyChannel,
    code: &str,
) -> Result<bool, AppError> {
    let user = may_verify(caller).await?;
    still_due(caller, channel).await?;
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(AppError::field("code", tr!(verify.errors.enter_code)));
    }
    let now = now_ms();
    let mut tx = caller.db().begin().await?;
    let Some(tried) = codes::count_try(&mut tx, user.id, channel, now, MAX_ATTEMPTS).await? else {
        return Err(AppError::field("code", tr!(verify.errors.expired)));
    };
    if tried.code_hash != hash_code(&caller.state, &user, channel, &code) {
        let left = MAX_ATTEMPTS - tried.attempts;
        record(
            &mut tx,
            AuditEvent::about_self(
                user.id,
                "auth.verification_failed",
                json!({ "channel": channel.key(), "tries_left": left }),
                &caller.address,
            ),
        )
        .await?;
        tx.commit().await?;
        return Err(AppError::field(
            "code",
            if left > 0 {
                tr!(verify.errors.wrong_code, count = left)
            } else {
                tr!(verify.errors.last_try).into()
            },
        ));
    }
    let destination = tried.destination;
    codes::delete(&mut tx, user.id, channel).await?;
    // The code proves the address it was sent to, if it is still theirs.
    if !codes::mark_verified(&mut tx, user.id, channel, &destination, now).await? {
        return Err(AppError::field("code", tr!(verify.errors.address_changed)));
    }
    let action = match channel {
        VerifyChannel::Email => "auth.email_verified",
        VerifyChannel::Sms => "auth.phone_verified",
    };
    record(
        &mut tx,
        AuditEvent::about_self(
            user.id,
            action,
            json!({ "destination": destination }),
            &caller.address,
        ),
    )
    .await?;
    tx.commit().await?;
    let remaining = channels_asked(caller.db(), caller.actor.memberships())
        .await?
        .into_iter()
        .filter(|due| *due != channel && !caller.actor.user().verified.contains(due))
        .count();
    Ok(remaining == 0)
}

/// The actor's own record, for someone whose next step may be verifying: a temporary
/// password is replaced first.
async fn may_verify(caller: &Caller) -> Result<UserRecord, AppError> {
    if caller.actor.obligation() == Some(Obligation::ChangePassword) {
        return Err(AppError::forbidden(Obligation::ChangePassword.refusal()));
    }
    find_by_id(caller.db().pool(), caller.actor.user().id)
        .await?
        .ok_or(AppError::Unauthenticated)
}

async fn still_due(caller: &Caller, channel: VerifyChannel) -> Result<(), AppError> {
    if channels_due(caller.db(), caller.actor.user(), caller.actor.memberships())
        .await?
        .contains(&channel)
    {
        Ok(())
    } else {
        Err(AppError::forbidden(tr!(verify.errors.nothing_to_verify)))
    }
}

/// A mobile number as SMS providers take it: `+`, the country code and the number,
/// from what a person typed (spaces, dashes, dots and brackets allowed).
pub fn mobile_number(typed: &str) -> Result<String, &'static str> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(tr!(verify.errors.enter_mobile));
    }
    if let Some(problem) = crate::core::validate::phone_problem(typed) {
        return Err(problem);
    }
    if !typed.starts_with('+') {
        return Err(tr!(verify.errors.country_code));
    }
    let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
    Ok(format!("+{digits}"))
}

/// Six random digits, each sequence equally likely.
fn new_code() -> String {
    // The largest multiple of a million a u32 holds: drawing below it keeps the
    // remainders uniform.
    const BOUND: u32 = 4_294_000_000;
    loop {
        let drawn = OsRng.next_u32();
        if drawn < BOUND {
            return format!("{:06}", drawn % 1_000_000);
        }
    }
}

/// Codes are kept as a keyed hash (the server's secret) of whom and what they are
/// for: a copy of the table alone cannot be worked back to a live code, however few
/// six-digit codes there are.
fn hash_code(state: &AppState, user: &UserRecord, channel: VerifyChannel, code: &str) -> String {
    state
        .settings
        .secret
        .sign(format!("{}:{}:{code}", user.id.0, channel.key()).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: Vec<String> = (0..50).map(|_| new_code()).collect();
        assert!(codes
            .iter()
            .all(|code| code.len() == 6 && code.chars().all(|c| c.is_ascii_digit())));
        let mut distinct = codes.clone();
        distinct.sort();
        distinct.dedup();
        assert!(distinct.len() > 40, "50 draws from a million repeat rarely");
    }

    #[test]
    fn mobile_numbers_need_the_country_code_and_keep_only_digits() {
        assert_eq!(
            mobile_number(" +1 (617) 555-0100 "),
            Ok("+16175550100".into())
        );
        assert_eq!(
            mobile_number("+33 6 12 34 56 78"),
            Ok("+33612345678".into())
        );
        assert!(mobile_number("617 555 0100")
            .unwrap_err()
            .contains("country code"));
        assert_eq!(mobile_number(""), Err("Enter your mobile number."));
        assert!(mobile_number("+1 555").is_err());
        assert!(mobile_number("+1 617 555 0100 x2").is_err());
    }
}
