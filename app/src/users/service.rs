//! What the users pages do, each function checking the actor's rights first: the
//! users of a node, the role editor, invites and the account actions.

use serde_json::json;

use crate::audit_trail::{record, stale_conflict_about, AuditEvent};
use crate::auth::actor::Actor;
use crate::auth::links::{kill_tokens, store_token};
use crate::auth::repo::ancestors;
use crate::auth::repo::{find_by_email, find_by_id, memberships_of, set_password, UserRecord};
use crate::auth::session::end_sessions;
use crate::auth::LinkPurpose;
use crate::core::roles::{grant_problem, PermissionSet, Role, RoleSet};
use crate::core::time::ago;
use crate::core::validate::email_problem;
use crate::core::EndReason;
use crate::core::{Language, UserId, UserStatus};
use crate::core::{NodeId, NodeKind};
use crate::db::{now_ms, Tx};
use crate::error::{AppError, FieldErrors};
use crate::mail::brand_of_partner;
use crate::mail::outbox::enqueue;
use crate::mail::templates::{welcome, FirstAccess, Welcome};
use crate::password::{generate_password, random_token};
use crate::state::AppState;
use crate::tenancy::repo::{get_node, partner_of, partner_settings};
use crate::users::repo::{
    has_memberships, insert_user, lock_seats, members_along_path, membership_at, others_holding,
    reinvite, replace_roles, set_status, MemberAlongPath, NewUser,
};
use crate::users::{
    InheritedRoles, InviteForm, InviteOptions, Invited, NodeSummary, NodeUser, NodeUsers,
    PasswordChoice, RoleChoice, Seats, UserAtNode, UserQuery,
};

const MAX_NAME_LENGTH: usize = 100;

/// A node whose users the actor manages, with the node's path to the root (nearest
/// first) and what the actor holds there.
struct ManagedNode {
    summary: NodeSummary,
    path: Vec<NodeId>,
    held: PermissionSet,
}

async fn managed_node(
    state: &AppState,
    actor: &Actor,
    id: NodeId,
) -> Result<ManagedNode, AppError> {
    let path = ancestors(state.db.pool(), id).await?;
    let held = actor.permissions_along(&path);
    if held == PermissionSet::NONE {
        return Err(AppError::NotFound);
    }
    let node = get_node(state.db.pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !held.manages_users_at(node.kind) {
        return Err(AppError::forbidden(
            "You do not have permission to manage users here.",
        ));
    }
    Ok(ManagedNode {
        summary: NodeSummary {
            id,
            name: node.name,
            kind: node.kind,
        },
        path,
        held,
    })
}

/// The node named by a form's text field, as a managed node.
async fn managed_node_of_form(
    state: &AppState,
    actor: &Actor,
    node: &str,
) -> Result<ManagedNode, AppError> {
    let id = node
        .trim()
        .parse()
        .map(NodeId)
        .map_err(|_| AppError::NotFound)?;
    managed_node(state, actor, id).await
}

/// Everyone with access at the node, grouped by person; memberships above the node
/// are shown only where the actor can see the node that gives them.
fn people_at(node: &ManagedNode, actor: &Actor, members: Vec<MemberAlongPath>) -> Vec<NodeUser> {
    let visible = |member: &MemberAlongPath| {
        let from = node.path.get(member.depth as usize..).unwrap_or_default();
        actor.permissions_along(from) != PermissionSet::NONE
    };
    let now = now_ms();
    let mut people: Vec<NodeUser> = Vec::new();
    let mut index_of: std::collections::HashMap<UserId, usize> = Default::default();
    for member in members.into_iter().filter(|member| visible(member)) {
        let index = *index_of.entry(member.user.id).or_insert_with(|| {
            people.push(person(&member.user, now));
            people.len() - 1
        });
        if member.depth == 0 {
            people[index].roles = member.roles;
        } else {
            people[index].inherited.push(InheritedRoles {
                node: member.node_id,
                node_name: member.node_name,
                roles: member.roles,
            });
        }
    }
    people.sort_by_cached_key(|person| (person.name.to_lowercase(), person.id));
    people
}

fn person(user: &UserRecord, now: i64) -> NodeUser {
    NodeUser {
        id: user.id,
        name: user.name.clone(),
        email: user.email.clone(),
        status: user.status,
        invite_pending: user.status == UserStatus::Invited
            || (user.must_change_password && user.last_sign_in_at.is_none()),
        last_sign_in: user.last_sign_in_at.map(|at| ago(now - at)),
        roles: RoleSet::default(),
        inherited: Vec::new(),
    }
}

fn matches(person: &NodeUser, query: &UserQuery) -> bool {
    let search = query.search.trim().to_lowercase();
    let status_matches =
        UserStatus::from_key(&query.status).is_none_or(|status| person.status == status);
    status_matches
        && (search.is_empty()
            || person.name.to_lowercase().contains(&search)
            || person.email.to_lowercase().contains(&search))
}

async fn seats_at(pool: &sqlx::AnyPool, node: &NodeSummary) -> Result<Option<Seats>, AppError> {
    if node.kind != NodeKind::Client {
        return Ok(None);
    }
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT c.seat_limit, (SELECT COUNT(*) FROM memberships m \
         WHERE m.node_id = c.node_id AND m.holds_seat = 1) FROM clients c WHERE c.node_id = $1",
    )
    .bind(node.id.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(limit, used)| Seats { used, limit }))
}

pub async fn node_users(
    state: &AppState,
    actor: &Actor,
    node: NodeId,
    query: &UserQuery,
) -> Result<NodeUsers, AppError> {
    let node = managed_node(state, actor, node).await?;
    let people = people_at(
        &node,
        actor,
        members_along_path(state.db.pool(), node.summary.id).await?,
    );
    let total = people.len();
    let seats = seats_at(state.db.pool(), &node.summary).await?;
    let log_in_as = match node.summary.kind {
        NodeKind::Client => {
            crate::impersonation::service::acted_as_by(state, actor, node.summary.id)
                .await?
                .into_iter()
                .map(|target| target.id)
                .collect()
        }
        _ => Vec::new(),
    };
    Ok(NodeUsers {
        users: people
            .into_iter()
            .filter(|person| matches(person, query))
            .collect(),
        total,
        seats,
        log_in_as,
        node: node.summary,
    })
}

/// The user `user` as seen at a managed node: they must have access there.
async fn person_at(
    state: &AppState,
    actor: &Actor,
    node: &ManagedNode,
    user: UserId,
) -> Result<NodeUser, AppError> {
    people_at(
        node,
        actor,
        members_along_path(state.db.pool(), node.summary.id).await?,
    )
    .into_iter()
    .find(|person| person.id == user)
    .ok_or(AppError::NotFound)
}

/// How much power over someone's whole account an action gives the actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reach {
    /// Disabling, enabling, resending an invite: wherever the person holds roles, the
    /// actor manages users and holds every permission those roles give (the role
    /// editor's rule), so nobody acts on someone above them.
    Manage,
    /// A password the actor would know, so could sign in with: wherever the person
    /// holds roles, the actor also holds strictly more than those roles give (the
    /// impersonation rule), so nobody takes over an equal or someone above them.
    TakeOver,
}

/// Whether the actor may act on `user`'s whole account with `reach`; never on
/// their own (their own account menu is for that).
async fn reaches_account(
    state: &AppState,
    actor: &Actor,
    user: UserId,
    reach: Reach,
) -> Result<bool, AppError> {
    if user == actor.user().id {
        return Ok(false);
    }
    for membership in memberships_of(state.db.pool(), user).await? {
        let held = actor.permissions_at(&state.db, membership.node_id).await?;
        let theirs = membership.roles.permissions().authority();
        let enough = match reach {
            Reach::Manage => held.covers(theirs),
            Reach::TakeOver => held.authority().exceeds(theirs),
        };
        if !held.manages_users_at(membership.node_kind) || !enough {
            return Ok(false);
        }
    }
    Ok(true)
}

async fn require_account(
    state: &AppState,
    actor: &Actor,
    user: UserId,
    reach: Reach,
) -> Result<(), AppError> {
    if reaches_account(state, actor, user, reach).await? {
        Ok(())
    } else if user == actor.user().id {
        Err(AppError::forbidden(
            "You cannot do this to your own account; use your own account menu.",
        ))
    } else if reach == Reach::TakeOver && reaches_account(state, actor, user, Reach::Manage).await?
    {
        Err(AppError::forbidden(super::PASSWORD_NEEDS_MORE_AUTHORITY))
    } else {
        Err(AppError::forbidden(
            "This person holds roles where you do not manage users, or with permissions you do not hold: ask an administrator above you.",
        ))
    }
}

fn role_choices(node: &ManagedNode, person: Option<&NodeUser>) -> Vec<RoleChoice> {
    Role::ALL
        .into_iter()
        .map(|role| RoleChoice {
            role,
            held: person.is_some_and(|person| person.roles.contains(role)),
            inherited_from: person
                .map(|person| {
                    person
                        .inherited
                        .iter()
                        .filter(|inherited| inherited.roles.contains(role))
                        .map(|inherited| inherited.node_name.clone())
                        .collect()
                })
                .unwrap_or_default(),
            locked: grant_problem(role, node.summary.kind, node.held).map(str::to_string),
        })
        .collect()
}

pub async fn user_at_node(
    state: &AppState,
    actor: &Actor,
    node: NodeId,
    user: UserId,
) -> Result<UserAtNode, AppError> {
    let node = managed_node(state, actor, node).await?;
    let person = person_at(state, actor, &node, user).await?;
    let membership = membership_at(state.db.pool(), user, node.summary.id).await?;
    let record = find_by_id(state.db.pool(), user)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(UserAtNode {
        choices: role_choices(&node, Some(&person)),
        version: membership.version,
        can_manage_account: reaches_account(state, actor, user, Reach::Manage).await?,
        can_set_password: reaches_account(state, actor, user, Reach::TakeOver).await?,
        is_self: user == actor.user().id,
        email_verified: record.email_verified,
        verified_phone: if record.phone_verified {
            record.phone
        } else {
            String::new()
        },
        user: person,
        node: node.summary,
    })
}

/// Parses the checked role keys; one not in the catalog is a field error.
fn chosen_roles(errors: &mut FieldErrors, keys: &[String]) -> RoleSet {
    let mut roles = Vec::new();
    for key in keys {
        match Role::from_key(key) {
            Some(role) => roles.push(role),
            None => errors.add("roles", "Choose roles from the list."),
        }
    }
    RoleSet::new(roles)
}

fn check_changes(errors: &mut FieldErrors, node: &ManagedNode, before: &RoleSet, after: &RoleSet) {
    for role in before.changed(after) {
        if let Some(problem) = grant_problem(role, node.summary.kind, node.held) {
            errors.add("roles", format!("{}: {problem}", role.label()));
            return;
        }
    }
}

/// Refuses to let the last active Account Admin of a partner drop that role themselves
/// (the partner would be left with nobody to run it), as an error on `field`.
async fn keep_last_admin(
    tx: &mut Tx,
    actor: &Actor,
    node: &NodeSummary,
    user: UserId,
    (before, after): (&RoleSet, &RoleSet),
    field: &str,
) -> Result<(), AppError> {
    let drops_admin = before.contains(Role::AccountAdmin) && !after.contains(Role::AccountAdmin);
    if user == actor.user().id
        && node.kind == NodeKind::Partner
        && drops_admin
        && others_holding(&mut **tx, node.id, Role::AccountAdmin, user).await? == 0
    {
        return Err(AppError::field(
            field,
            format!(
                "You are the last Account Admin of {}: make someone else one first.",
                node.name
            ),
        ));
    }
    Ok(())
}

/// Refuses a new seat-holder when every seat of the account is taken.
async fn claim_seat(tx: &mut Tx, node: &NodeSummary) -> Result<(), AppError> {
    if node.kind != NodeKind::Client {
        return Ok(());
    }
    let (limit, used) = lock_seats(tx, node.id).await?.ok_or(AppError::NotFound)?;
    if used >= limit {
        return Err(AppError::field(
            "roles",
            format!(
                "All {limit} seats of {} are taken. Raise its seat limit, remove someone, \
                 or choose roles without a voice line (Account Manager).",
                node.name
            ),
        ));
    }
    Ok(())
}

/// One address is one place: a client account's roles are for its own people, never
/// for partner staff whose access comes from above it.
const NOT_THE_ACCOUNTS_OWN: &str = "They have access from outside this account: roles here are for the account's own people. Give them roles where their access comes from.";

async fn holds_roles_elsewhere(
    state: &AppState,
    user: UserId,
    node: NodeId,
) -> Result<bool, AppError> {
    Ok(memberships_of(state.db.pool(), user)
        .await?
        .iter()
        .any(|membership| membership.node_id != node))
}

pub async fn set_roles(
    state: &AppState,
    actor: &Actor,
    address: &str,
    node: NodeId,
    user: UserId,
    role_keys: &[String],
    version: i64,
) -> Result<(), AppError> {
    let node = managed_node(state, actor, node).await?;
    let person = person_at(state, actor, &node, user).await?;
    let before = person.roles.clone();
    let mut errors = FieldErrors::default();
    let after = chosen_roles(&mut errors, role_keys);
    check_changes(&mut errors, &node, &before, &after);
    if node.summary.kind == NodeKind::Client
        && !after.is_empty()
        && holds_roles_elsewhere(state, user, node.summary.id).await?
    {
        errors.add("roles", NOT_THE_ACCOUNTS_OWN);
    }
    errors.into_result()?;
    if before == after {
        return Ok(());
    }

    let mut tx = state.db.begin().await?;
    keep_last_admin(
        &mut tx,
        actor,
        &node.summary,
        user,
        (&before, &after),
        "roles",
    )
    .await?;
    if after.holds_seat() && !before.holds_seat() {
        claim_seat(&mut tx, &node.summary).await?;
    }
    if !replace_roles(&mut tx, user, node.summary.id, &after, version).await? {
        drop(tx);
        return Err(stale_conflict_about(state.db.pool(), node.summary.id, user, "user").await);
    }
    record(
        &mut tx,
        AuditEvent::about_user(
            actor.acting(),
            user,
            node.summary.id,
            "user.roles_changed",
            json!({
                "before": { "roles": before.to_stored() },
                "after": { "roles": after.to_stored() },
            }),
            address,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn invite_options(
    state: &AppState,
    actor: &Actor,
    node: NodeId,
) -> Result<InviteOptions, AppError> {
    let node = managed_node(state, actor, node).await?;
    let branding_domains = branding_domains(state, node.summary.id).await?;
    Ok(InviteOptions {
        roles: role_choices(&node, None),
        seats: seats_at(state.db.pool(), &node.summary).await?,
        branding_domains,
        node: node.summary,
    })
}

async fn branding_domains(state: &AppState, node: NodeId) -> Result<Vec<String>, AppError> {
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

const ALREADY_HERE: &str = "They already have roles here: change them on their page.";

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
    state: &AppState,
    actor: &Actor,
    node: &ManagedNode,
    email: &str,
) -> Result<Result<Invitee, &'static str>, AppError> {
    let Some(existing) = find_by_email(state.db.pool(), email).await? else {
        return Ok(Ok(Invitee::New));
    };
    let memberships = memberships_of(state.db.pool(), existing.id).await?;
    if memberships.is_empty() {
        return Ok(Ok(Invitee::Returning(existing.id)));
    }
    if memberships.iter().any(|m| m.node_id == node.summary.id) {
        return Ok(Err(ALREADY_HERE));
    }
    let staff = node.summary.kind != NodeKind::Client
        && memberships.iter().all(|m| m.node_kind != NodeKind::Client);
    if staff && reaches_account(state, actor, existing.id, Reach::Manage).await? {
        Ok(Ok(Invitee::Colleague(existing.id)))
    } else {
        Ok(Err(super::repo::EMAIL_TAKEN))
    }
}

pub async fn invite(
    state: &AppState,
    actor: &Actor,
    address: &str,
    form: &InviteForm,
) -> Result<Invited, AppError> {
    let node = managed_node_of_form(state, actor, &form.node).await?;
    let partner = partner_of(state.db.pool(), node.summary.id).await?;
    let domains = branding_domains(state, node.summary.id).await?;

    let mut errors = FieldErrors::default();
    if let Some(problem) = email_problem(&form.email) {
        errors.add("email", problem);
    }
    let name = form.name.trim();
    if name.is_empty() {
        errors.add("name", "Enter the person's name.");
    } else if name.chars().count() > MAX_NAME_LENGTH {
        errors.add("name", format!("Use at most {MAX_NAME_LENGTH} characters."));
    }
    let language = Language::from_key(&form.language);
    if language.is_none() {
        errors.add("language", "Choose English or French.");
    }
    let domain = form.branding_domain.trim();
    let branding_domain = if domain.is_empty() {
        None
    } else if domains.iter().any(|known| known == domain) {
        Some(domain)
    } else {
        errors.add(
            "branding_domain",
            "Choose one of the partner's branding domains.",
        );
        None
    };
    let roles = chosen_roles(&mut errors, &form.roles);
    if roles.is_empty() && errors.get("roles").is_none() {
        errors.add("roles", "Choose at least one role.");
    }
    check_changes(&mut errors, &node, &RoleSet::default(), &roles);
    let choice = PasswordChoice::from_key(&form.password_choice);
    if choice.is_none() {
        errors.add(
            "password_choice",
            "Choose how they get their first password.",
        );
    } else if choice == Some(PasswordChoice::TemporaryPassword) && actor.impersonation().is_some() {
        // A password shown to an impersonator would let them in after the visit ends.
        errors.add(
            "password_choice",
            "While acting as someone else, send an activation link: a password shown to you would outlast your visit.",
        );
    }
    // Said before anything is written, so the form keeps what was typed; checked
    // again by the unique index inside the transaction.
    let invitee = match invitee(state, actor, &node, &form.email).await? {
        Ok(invitee) => Some(invitee),
        Err(problem) => {
            errors.add("email", problem);
            None
        }
    };
    errors.into_result()?;
    let (invitee, language, choice) = match (invitee, language, choice) {
        (Some(invitee), Some(language), Some(choice)) => (invitee, language, choice),
        _ => return Err(AppError::Internal),
    };

    let plan = FirstAccessPlan::prepare(state, choice).await?;
    let new_user = plan.new_user(&form.email, name, language, branding_domain);
    let mut tx = state.db.begin().await?;
    if roles.holds_seat() {
        claim_seat(&mut tx, &node.summary).await?;
    }
    let (user, action) = match invitee {
        Invitee::New => (insert_user(&mut *tx, &new_user).await?, "user.invited"),
        Invitee::Returning(user) => {
            reinvite(&mut *tx, user, &new_user).await?;
            kill_tokens(&mut *tx, user).await?;
            end_sessions(&mut tx, user, None, EndReason::SignedOut, address).await?;
            (user, "user.invited")
        }
        Invitee::Colleague(user) => (user, "user.access_granted"),
    };
    if !replace_roles(&mut tx, user, node.summary.id, &roles, 0).await? {
        return Err(AppError::field("email", ALREADY_HERE));
    }
    let is_new_account = action == "user.invited";
    if is_new_account {
        plan.send_welcome(state, &mut tx, user, partner, &new_user)
            .await?;
    }
    record(
        &mut tx,
        AuditEvent::about_user(
            actor.acting(),
            user,
            node.summary.id,
            action,
            json!({ "after": {
                "email": form.email.trim(), "name": name, "language": language.key(),
                "branding_domain": branding_domain, "roles": roles.to_stored(),
                "password": is_new_account.then(|| choice.key()),
            }}),
            address,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Invited {
        user,
        node: node.summary.id,
        email: form.email.trim().to_string(),
        existing_account: !is_new_account,
        temporary_password: plan.temporary_password.filter(|_| is_new_account),
    })
}

/// A user the actor may act on as a whole with `reach`, at a node where they have access.
async fn managed_account(
    state: &AppState,
    actor: &Actor,
    node: NodeId,
    user: UserId,
    reach: Reach,
) -> Result<(ManagedNode, NodeUser, UserRecord), AppError> {
    let node = managed_node(state, actor, node).await?;
    let person = person_at(state, actor, &node, user).await?;
    require_account(state, actor, user, reach).await?;
    let record = find_by_id(state.db.pool(), user)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((node, person, record))
}

/// A new activation link for someone who has not come in yet; the old link (or
/// temporary password) stops working.
pub async fn resend_invite(
    state: &AppState,
    actor: &Actor,
    address: &str,
    node: NodeId,
    user: UserId,
) -> Result<(), AppError> {
    let (node, person, record_before) =
        managed_account(state, actor, node, user, Reach::Manage).await?;
    if !person.invite_pending {
        return Err(AppError::forbidden(
            "They have already signed in: there is no invite to resend.",
        ));
    }
    let partner = partner_of(state.db.pool(), node.summary.id).await?;
    let plan = FirstAccessPlan::prepare(state, PasswordChoice::ActivationLink).await?;
    let language = Language::from_code(&record_before.language);
    let invite = plan.new_user(
        &record_before.email,
        &record_before.name,
        language,
        record_before.branding_domain.as_deref(),
    );
    let mut tx = state.db.begin().await?;
    kill_tokens(&mut *tx, user).await?;
    reinvite(&mut *tx, user, &invite).await?;
    plan.send_welcome(state, &mut tx, user, partner, &invite)
        .await?;
    record(
        &mut tx,
        AuditEvent::about_user(
            actor.acting(),
            user,
            node.summary.id,
            "user.invite_resent",
            json!({}),
            address,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes away the roles held at the node; for an invite not yet taken up, this is
/// revoking it. Someone left without roles anywhere is signed out and their links die.
pub async fn remove_access(
    state: &AppState,
    actor: &Actor,
    address: &str,
    node: NodeId,
    user: UserId,
) -> Result<(), AppError> {
    let node = managed_node(state, actor, node).await?;
    let person = person_at(state, actor, &node, user).await?;
    if person.roles.is_empty() {
        return Err(AppError::forbidden(
            "Their access comes from above this node: remove it where it is given.",
        ));
    }
    let mut errors = FieldErrors::default();
    check_changes(&mut errors, &node, &person.roles, &RoleSet::default());
    errors
        .into_result()
        .map_err(|_| AppError::forbidden("They hold roles here that you cannot take away."))?;
    let mut tx = state.db.begin().await?;
    let change = (&person.roles, &RoleSet::default());
    keep_last_admin(
        &mut tx,
        actor,
        &node.summary,
        user,
        change,
        FieldErrors::FORM,
    )
    .await?;
    let version = membership_at(&mut *tx, user, node.summary.id)
        .await?
        .version;
    replace_roles(&mut tx, user, node.summary.id, &RoleSet::default(), version).await?;
    if !has_memberships(&mut *tx, user).await? {
        kill_tokens(&mut *tx, user).await?;
        end_sessions(&mut tx, user, None, EndReason::AccessRevoked, address).await?;
    }
    record(
        &mut tx,
        AuditEvent::about_user(
            actor.acting(),
            user,
            node.summary.id,
            if person.invite_pending {
                "user.invite_revoked"
            } else {
                "user.access_removed"
            },
            json!({ "before": { "roles": person.roles.to_stored() } }),
            address,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Disables or enables a whole account; disabling signs them out everywhere at once.
pub async fn set_enabled(
    state: &AppState,
    actor: &Actor,
    address: &str,
    node: NodeId,
    user: UserId,
    enabled: bool,
) -> Result<(), AppError> {
    let (node, _, record_before) = managed_account(state, actor, node, user, Reach::Manage).await?;
    let status = match (enabled, record_before.status) {
        (false, UserStatus::Disabled) | (true, UserStatus::Active | UserStatus::Invited) => {
            return Ok(())
        }
        (false, _) => UserStatus::Disabled,
        // Someone disabled before they ever chose a password is invited again.
        (true, UserStatus::Disabled) if record_before.password_hash.is_none() => {
            UserStatus::Invited
        }
        (true, UserStatus::Disabled) => UserStatus::Active,
    };
    let mut tx = state.db.begin().await?;
    set_status(&mut *tx, user, status).await?;
    if status == UserStatus::Disabled {
        end_sessions(&mut tx, user, None, EndReason::AccessRevoked, address).await?;
    }
    record(
        &mut tx,
        AuditEvent::about_user(
            actor.acting(),
            user,
            node.summary.id,
            if enabled {
                "user.enabled"
            } else {
                "user.disabled"
            },
            json!({
                "before": { "status": record_before.status.key() },
                "after": { "status": status.key() },
            }),
            address,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives the user a generated strong password, returned once for the admin to pass
/// on; they must change it at their next sign-in, and their sessions end now.
pub async fn set_generated_password(
    state: &AppState,
    actor: &Actor,
    address: &str,
    node: NodeId,
    user: UserId,
) -> Result<String, AppError> {
    let (node, _, record_before) =
        managed_account(state, actor, node, user, Reach::TakeOver).await?;
    // A password shown to an impersonator would let them in after the visit ends.
    actor.not_impersonating("Setting a password you would see")?;
    if record_before.status == UserStatus::Disabled {
        return Err(AppError::forbidden(
            "Enable the account before giving it a password.",
        ));
    }
    let password = generate_password();
    let hash = state.passwords.hash(password.clone()).await?;
    let mut tx = state.db.begin().await?;
    set_password(&mut *tx, user, &hash, true).await?;
    kill_tokens(&mut *tx, user).await?;
    end_sessions(&mut tx, user, None, EndReason::SignedOut, address).await?;
    set_status(&mut *tx, user, UserStatus::Active).await?;
    record(
        &mut tx,
        AuditEvent::about_user(
            actor.acting(),
            user,
            node.summary.id,
            "user.password_set",
            json!({ "after": { "must_change_password": true } }),
            address,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(password)
}
