//! Inviting people to a node: a new account with its first access (an activation
//! link or a temporary password), or roles added to an existing one.

use serde_json::json;

use crate::auth::caller::Caller;
use crate::auth::links::{kill_tokens, store_token};
use crate::auth::repo::{find_by_email, memberships_of};
use crate::auth::session::end_sessions;
use crate::auth::LinkPurpose;
use crate::core::roles::RoleSet;
use crate::core::validate::email_problem;
use crate::core::{EndReason, Language, NodeId, NodeKind, UserId, UserStatus};
use crate::db::Tx;
use crate::error::{AppError, FieldErrors};
use crate::mail::brand_of_partner;
use crate::mail::outbox::enqueue;
use crate::mail::templates::{welcome, FirstAccess, Welcome};
use crate::password::{generate_password, random_token};
use crate::state::AppState;
use crate::tenancy::repo::partner_of;
use crate::tenancy::settings_repo::partner_settings;
use crate::users::repo::{insert_user, reinvite, replace_roles, NewUser};
use crate::users::role_editor::{check_changes, chosen_roles, claim_seat};
use crate::users::service::{
    managed_node, managed_node_of_form, reaches_account, role_choices, seats_at, ManagedNode,
    Reach, MAX_NAME_LENGTH,
};
use crate::users::{InviteForm, InviteOptions, Invited, PasswordChoice};

pub async fn invite_options(caller: &Caller, node: NodeId) -> Result<InviteOptions, AppError> {
    let node = managed_node(caller, node).await?;
    let branding_domains = branding_domains(&caller.state, node.summary.id).await?;
    Ok(InviteOptions {
        roles: role_choices(&node, None),
        seats: seats_at(caller.db().pool(), &node.summary).await?,
        branding_domains,
        node: node.summary,
    })
}

pub(super) async fn branding_domains(
    state: &AppState,
    node: NodeId,
) -> Result<Vec<String>, AppError> {
    let Some(partner) = partner_of(state.db.pool(), node).await? else {
        return Ok(Vec::new());
    };
    let mut conn = state.db.pool().acquire().await?;
    Ok(partner_settings(&mut conn, partner)
        .await?
        .map(|settings| settings.domains)
        .unwrap_or_default())
}

/// How a new user gets in, prepared before the transaction: hashing is slow.
pub struct FirstAccessPlan {
    pub temporary_password: Option<String>,
    password_hash: Option<String>,
    activation_token: Option<String>,
}

impl FirstAccessPlan {
    pub async fn prepare(state: &AppState, choice: PasswordChoice) -> Result<Self, AppError> {
        Ok(match choice {
            PasswordChoice::ActivationLink => Self {
                temporary_password: None,
                password_hash: None,
                activation_token: Some(random_token()),
            },
            PasswordChoice::TemporaryPassword => {
                let password = generate_password();
                Self {
                    password_hash: Some(state.passwords.hash(password.clone()).await?),
                    temporary_password: Some(password),
                    activation_token: None,
                }
            }
        })
    }

    /// A user with an activation link is invited until they follow it; one with a
    /// temporary password is active and changes it at first sign-in.
    pub fn new_user<'a>(
        &self,
        email: &'a str,
        name: &'a str,
        language: Language,
        branding_domain: Option<&'a str>,
    ) -> NewUser<'a> {
        NewUser {
            email,
            name,
            language: language.key(),
            branding_domain,
            status: if self.activation_token.is_some() {
                UserStatus::Invited
            } else {
                UserStatus::Active
            },
            password_hash: self.password_hash.clone(),
            must_change_password: self.temporary_password.is_some(),
        }
    }

    /// Where the activation link leads, for an admin to pass on themselves.
    pub fn activation_link(&self) -> Option<String> {
        self.activation_token
            .as_deref()
            .map(crate::paths::activation)
    }

    fn first_access(&self) -> Result<FirstAccess<'_>, AppError> {
        match (&self.activation_token, &self.temporary_password) {
            (Some(token), _) => Ok(FirstAccess::ActivationLink(token)),
            (None, Some(password)) => Ok(FirstAccess::TemporaryPassword(password)),
            (None, None) => Err(AppError::internal("a new user without a way in")),
        }
    }

    /// The activation link (if any) and the welcome email, in the new user's
    /// transaction, in their language and the brand of their domain.
    pub async fn send_welcome(
        &self,
        state: &AppState,
        tx: &mut Tx,
        user: UserId,
        partner: Option<NodeId>,
        invite: &NewUser<'_>,
    ) -> Result<(), AppError> {
        if let Some(token) = &self.activation_token {
            store_token(
                &mut **tx,
                user,
                invite.email,
                LinkPurpose::Activation,
                token,
            )
            .await?;
        }
        let brand = brand_of_partner(
            tx,
            partner,
            invite.branding_domain,
            &state.settings.public_url,
        )
        .await?;
        let email = welcome(
            &brand,
            Language::from_code(invite.language),
            &Welcome {
                name: invite.name.trim(),
                email: invite.email.trim(),
                first_access: self.first_access()?,
            },
        );
        enqueue(&mut **tx, email).await
    }
}

/// Whom an invited address belongs to.
enum Invitee {
    /// Nobody yet.
    New,
    /// Someone who holds no roles anywhere any more: their row and history stay.
    Returning(UserId),
    /// Partner staff whose whole account the actor manages: the roles are added to it.
    Colleague(UserId),
}

/// Who `email` would be as an invitee at `node`, or why it cannot be invited there.
/// One address is one person: a client account's people belong to that account only.
async fn invitee(
    caller: &Caller,
    node: &ManagedNode<'_>,
    email: &str,
) -> Result<Result<Invitee, &'static str>, AppError> {
    let Some(existing) = find_by_email(caller.db().pool(), email).await? else {
        return Ok(Ok(Invitee::New));
    };
    let memberships = memberships_of(caller.db().pool(), existing.id).await?;
    if memberships.is_empty() {
        return Ok(Ok(Invitee::Returning(existing.id)));
    }
    if memberships.iter().any(|m| m.node_id == node.summary.id) {
        return Ok(Err(crate::tr!(users.errors.already_here)));
    }
    let staff = node.summary.kind != NodeKind::Client
        && memberships.iter().all(|m| m.node_kind != NodeKind::Client);
    if staff && reaches_account(caller, existing.id, Reach::Manage).await? {
        Ok(Ok(Invitee::Colleague(existing.id)))
    } else {
        Ok(Err(super::repo::email_taken()))
    }
}

pub async fn invite(caller: &Caller, form: &InviteForm) -> Result<Invited, AppError> {
    let node = managed_node_of_form(caller, &form.node).await?;
    let partner = partner_of(caller.db().pool(), node.summary.id).await?;
    let CheckedInvite {
        invitee,
        name,
        language,
        branding_domain,
        roles,
        choice,
    } = checked_invite(caller, &node, form).await?;

    let plan = FirstAccessPlan::prepare(&caller.state, choice).await?;
    let new_user = plan.new_user(&form.email, name, language, branding_domain);
    let mut tx = node.authorized.begin(caller).await?;
    if roles.holds_seat() {
        claim_seat(&mut tx, &node.summary).await?;
    }
    let (user, action) = match invitee {
        Invitee::New => (insert_user(&mut **tx, &new_user).await?, "user.invited"),
        Invitee::Returning(user) => {
            reinvite(&mut **tx, user, &new_user).await?;
            kill_tokens(&mut **tx, user).await?;
            end_sessions(&mut tx, user, None, EndReason::SignedOut, &caller.address).await?;
            (user, "user.invited")
        }
        Invitee::Colleague(user) => (user, "user.access_granted"),
    };
    if !replace_roles(&mut tx, user, node.summary.id, &roles, 0).await? {
        return Err(AppError::field(
            "email",
            crate::tr!(users.errors.already_here),
        ));
    }
    let is_new_account = action == "user.invited";
    if is_new_account {
        plan.send_welcome(&caller.state, &mut tx, user, partner, &new_user)
            .await?;
    }
    tx.commit_about(
        user,
        action,
        json!({ "after": {
            "email": form.email.trim(), "name": name, "language": language.key(),
            "branding_domain": branding_domain, "roles": roles.to_stored(),
            "password": is_new_account.then(|| choice.key()),
        }}),
    )
    .await?;
    Ok(Invited {
        user,
        node: node.summary.id,
        email: form.email.trim().to_string(),
        existing_account: !is_new_account,
        temporary_password: plan.temporary_password.filter(|_| is_new_account),
    })
}

/// An invitation as its form asked for it, every field checked.
struct CheckedInvite<'f> {
    invitee: Invitee,
    name: &'f str,
    language: Language,
    branding_domain: Option<&'f str>,
    roles: RoleSet,
    choice: PasswordChoice,
}

/// Checks every field of an invitation at `node`, all before anything is written,
/// so the form keeps what was typed and shows each problem at its field.
async fn checked_invite<'f>(
    caller: &Caller,
    node: &ManagedNode<'_>,
    form: &'f InviteForm,
) -> Result<CheckedInvite<'f>, AppError> {
    let domains = branding_domains(&caller.state, node.summary.id).await?;
    let mut errors = FieldErrors::default();
    if let Some(problem) = email_problem(&form.email) {
        errors.add("email", problem);
    }
    let name = form.name.trim();
    if name.is_empty() {
        errors.add("name", crate::tr!(users.errors.name));
    }
    errors.limit("name", name, MAX_NAME_LENGTH);
    let language = Language::from_key(&form.language);
    if language.is_none() {
        errors.add("language", crate::tr!(users.errors.language));
    }
    let domain = form.branding_domain.trim();
    let branding_domain = if domain.is_empty() {
        None
    } else if domains.iter().any(|known| known == domain) {
        Some(domain)
    } else {
        errors.add("branding_domain", crate::tr!(users.errors.branding_domain));
        None
    };
    let roles = chosen_roles(&mut errors, &form.roles);
    if roles.is_empty() && errors.get("roles").is_none() {
        errors.add("roles", crate::tr!(users.errors.roles));
    }
    check_changes(&mut errors, node, &RoleSet::default(), &roles);
    let choice = password_choice(caller, &mut errors, &form.password_choice);
    // Checked again by the unique index inside the transaction.
    let invitee = match invitee(caller, node, &form.email).await? {
        Ok(invitee) => Some(invitee),
        Err(problem) => {
            errors.add("email", problem);
            None
        }
    };
    errors.into_result()?;
    match (invitee, language, choice) {
        (Some(invitee), Some(language), Some(choice)) => Ok(CheckedInvite {
            invitee,
            name,
            language,
            branding_domain,
            roles,
            choice,
        }),
        _ => Err(AppError::Internal),
    }
}

/// How the invitee gets a first password, as the form chose it.
fn password_choice(caller: &Caller, errors: &mut FieldErrors, key: &str) -> Option<PasswordChoice> {
    let choice = PasswordChoice::from_key(key);
    if choice.is_none() {
        errors.add("password_choice", crate::tr!(users.errors.first_password));
    } else if choice == Some(PasswordChoice::TemporaryPassword)
        && caller.actor.impersonation().is_some()
    {
        // A password shown to an impersonator would let them in after the visit ends.
        errors.add(
            "password_choice",
            crate::tr!(users.errors.link_while_acting),
        );
    }
    choice
}
