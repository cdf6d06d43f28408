//! Client accounts: each function authorizes first, validates, changes the database in
//! one transaction together with its audit event, and refuses stale versions.

use serde_json::json;
use sqlx::{Any, Executor};

use super::directory::{cursor_of, DirectoryQuery, PAGE_SIZE};
use crate::audit_trail::{stale_conflict, Changed};
use crate::auth::actor::Actor;
use crate::auth::authorized::Authorized;
use crate::auth::caller::Caller;
use crate::clients::directory_sql::{attach_tags, directory_rows};
use crate::clients::repo::{
    add_credit_entry, client_record, features_of, grantable_features, insert_client, ledger,
    seats_used, tags_of, ClientRecord, NewClientRecord, NewCreditEntry,
};
use crate::clients::{
    parse_tags, ClientFormOptions, ClientView, CompanyForm, CompanyInfo, CreatedClient, CreditKind,
    DirectoryPage, EntryType, NewClientForm, MAX_CREDIT_GRANT, MAX_SEATS, TIME_ZONES,
};
use crate::core::roles::{Permission, PermissionSet, Role, RoleSet};
use crate::core::validate::{email_problem, phone_problem};
use crate::core::voice::VoiceRule;
use crate::core::{ClientStatus, Feature, Language, NodeId, NodeKind};
use crate::db::{now_ms, Db};
use crate::error::{AppError, FieldErrors};
use crate::password::random_token;
use crate::tenancy::groups::{group_choices, root_memberships};
use crate::tenancy::repo::{get_node, groups_below, partner_of, path_names};
use crate::tenancy::settings_repo::partner_voice_rule;
use crate::users::invites::FirstAccessPlan;
use crate::users::repo::{insert_user, set_membership};
use crate::users::PasswordChoice;

pub(super) const MAX_NAME: usize = 120;
pub(super) const MAX_TEXT: usize = 200;
pub(super) const MAX_TAGS: usize = 10;
pub(super) const MAX_TAG: usize = 30;
pub(super) const LEDGER_SHOWN: i64 = 50;
/// The first Client Admin's language, until the form asks for one.
const FIRST_ADMIN_LANGUAGE: Language = Language::English;

/// Where the directory looks for the actor: under the chosen group (which they must be
/// allowed to view) or everywhere they may view; with a label for people.
pub async fn directory_scopes(
    caller: &Caller,
    query: &DirectoryQuery,
) -> Result<(Vec<NodeId>, String), AppError> {
    match query.scope() {
        Some(node) => {
            caller
                .actor
                .require(caller.db(), Permission::ViewNodes, node)
                .await?;
            let mut path = path_names(caller.db().pool(), node).await?;
            path.extend(get_node(caller.db().pool(), node).await?.map(|n| n.name));
            Ok((vec![node], path.join(" › ")))
        }
        None => {
            // Names from the memberships: counting what lies below each root would
            // cost a scan of the subtree on every page.
            let roots = root_memberships(caller).await?;
            if roots.is_empty() {
                return Err(AppError::forbidden(crate::tr!(clients.errors.no_access)));
            }
            let label = roots
                .iter()
                .map(|root| root.node_name.clone())
                .collect::<Vec<_>>()
                .join(", ");
            Ok((roots.iter().map(|root| root.node_id).collect(), label))
        }
    }
}

/// The directory page the actor asked for.
pub async fn directory(caller: &Caller, query: &DirectoryQuery) -> Result<DirectoryPage, AppError> {
    let (scopes, scope) = directory_scopes(caller, query).await?;
    let (mut rows, more) = directory_rows(caller.db(), &scopes, query, PAGE_SIZE).await?;
    attach_tags(caller.db().pool(), &mut rows).await?;
    let first = rows.first().map(|row| cursor_of(row, query.sort));
    let last = rows.last().map(|row| cursor_of(row, query.sort));
    let (next, previous) = if query.before.is_some() {
        (last, if more { first } else { None })
    } else {
        (
            if more { last } else { None },
            query.after.as_ref().and(first),
        )
    };
    Ok(DirectoryPage {
        rows,
        next,
        previous,
        scope,
        can_add: !manageable_roots(&caller.actor).is_empty(),
    })
}

/// The partners and groups (or the platform) where the actor may add clients.
fn manageable_roots(actor: &Actor) -> Vec<NodeId> {
    actor
        .holding(Permission::ManageClients)
        .filter(|m| m.node_kind != NodeKind::Client)
        .map(|m| m.node_id)
        .collect()
}

pub async fn form_options(caller: &Caller) -> Result<ClientFormOptions, AppError> {
    let roots = manageable_roots(&caller.actor);
    if roots.is_empty() {
        return Err(AppError::forbidden(crate::tr!(clients.errors.no_adding)));
    }
    let mut partners = Vec::new();
    let mut holds_no_clients = Vec::new();
    for &root in &roots {
        match partner_of(caller.db().pool(), root).await? {
            Some(partner) => partners.push(partner),
            // The platform holds partners, not clients.
            None => {
                holds_no_clients.push(root);
                partners.extend(
                    groups_below(caller.db().pool(), root)
                        .await?
                        .into_iter()
                        .filter(|node| node.kind == NodeKind::Partner)
                        .map(|node| node.id),
                );
            }
        }
    }
    partners.sort();
    partners.dedup();
    let mut groups = group_choices(caller.db(), &roots).await?;
    groups.retain(|group| !holds_no_clients.contains(&group.id));
    let mut features = Vec::new();
    for partner in partners {
        features.extend(grantable_features(caller.db().pool(), partner).await?);
    }
    features.sort();
    features.dedup();
    Ok(ClientFormOptions { groups, features })
}

/// Refuses a blank or over-long text at its field, `blank` saying what to enter.
pub(super) fn check_length(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    blank: &str,
    max: usize,
) {
    if value.is_empty() {
        errors.add(field, blank);
    } else {
        errors.limit(field, value, max);
    }
}

/// The company details and tags of a form, each field checked.
pub fn validate_company(
    form: &CompanyForm,
    errors: &mut FieldErrors,
) -> (CompanyInfo, Vec<String>) {
    let company = CompanyInfo {
        name: form.name.trim().to_string(),
        contact_name: form.contact_name.trim().to_string(),
        email: form.email.trim().to_string(),
        phone: form.phone.trim().to_string(),
        address: form.address.trim().to_string(),
        time_zone: form.time_zone.trim().to_string(),
    };
    check_length(
        errors,
        "name",
        &company.name,
        crate::tr!(clients.errors.enter_company_name),
        MAX_NAME,
    );
    check_length(
        errors,
        "contact_name",
        &company.contact_name,
        crate::tr!(clients.errors.enter_contact_name),
        MAX_NAME,
    );
    if let Some(problem) = email_problem(&company.email) {
        errors.add("email", problem);
    }
    if let Some(problem) = phone_problem(&company.phone) {
        errors.add("phone", problem);
    }
    errors.limit("address", &company.address, MAX_TEXT);
    if !TIME_ZONES.contains(&company.time_zone.as_str()) {
        errors.add("time_zone", crate::tr!(clients.errors.time_zone));
    }
    let tags = parse_tags(&form.tags);
    if tags.len() > MAX_TAGS {
        errors.add(
            "tags",
            crate::tr!(clients.errors.at_most_tags, count = MAX_TAGS),
        );
    } else if tags.iter().any(|tag| tag.chars().count() > MAX_TAG) {
        errors.add(
            "tags",
            crate::tr!(clients.errors.tag_length, count = MAX_TAG),
        );
    }
    (company, tags)
}

/// Features as checked, each one the partner may grant.
pub(super) fn grantable(
    errors: &mut FieldErrors,
    keys: &[String],
    allowed: &[Feature],
) -> Vec<Feature> {
    let mut features = Vec::new();
    for key in keys {
        match Feature::from_key(key) {
            Some(feature) if allowed.contains(&feature) => features.push(feature),
            Some(feature) => errors.add(
                "features",
                crate::tr!(clients.errors.not_grantable, feature = feature.label()),
            ),
            None => errors.add("features", crate::tr!(validate.choose_features)),
        }
    }
    features.sort();
    features.dedup();
    features
}

/// Where a new client goes: a partner or group the actor may add clients to.
pub(super) async fn client_home<'a>(
    caller: &'a Caller,
    group: &str,
) -> Result<(Authorized<'a>, NodeId), AppError> {
    let group = group
        .trim()
        .parse()
        .map(NodeId)
        .map_err(|_| AppError::field("group", crate::tr!(clients.errors.choose_group)))?;
    let authorized = caller
        .actor
        .require(caller.db(), Permission::ManageClients, group)
        .await?;
    let node = get_node(caller.db().pool(), group)
        .await?
        .ok_or(AppError::NotFound)?;
    if !matches!(node.kind, NodeKind::Partner | NodeKind::Group) {
        return Err(AppError::field(
            "group",
            crate::tr!(clients.errors.belongs_in_partner),
        ));
    }
    let partner = partner_of(caller.db().pool(), group)
        .await?
        .ok_or_else(|| AppError::field("group", crate::tr!(clients.errors.choose_group)))?;
    Ok((authorized, partner))
}

pub async fn create_client(
    caller: &Caller,
    form: &NewClientForm,
) -> Result<CreatedClient, AppError> {
    let (authorized, partner) = client_home(caller, &form.group).await?;
    let group = authorized.node();
    let allowed = grantable_features(caller.db().pool(), partner).await?;

    let NewClient {
        company,
        tags,
        features,
        seat_limit,
        sms,
        voice,
        choice,
    } = checked_new_client(form, &allowed)?;

    let plan = FirstAccessPlan::prepare(&caller.state, choice).await?;
    let admin_user = plan.new_user(
        &company.email,
        &company.contact_name,
        FIRST_ADMIN_LANGUAGE,
        None,
    );

    let mut tx = authorized.begin(caller).await?;
    let id = insert_client(
        &mut tx,
        NewClientRecord {
            group,
            partner,
            company: &company,
            status: ClientStatus::Pending,
            seat_limit,
            features: &features,
            tags: &tags,
            sso_token: &random_token(),
        },
    )
    .await?;
    for (credit, amount) in [(CreditKind::Sms, sms), (CreditKind::Voice, voice)] {
        if amount > 0 {
            add_credit_entry(
                &mut tx,
                NewCreditEntry {
                    client: id,
                    credit,
                    entry_type: EntryType::Grant,
                    amount,
                    note: crate::tr!(clients.errors.initial_credits),
                    actor: Some(caller.actor.acting().user),
                },
            )
            .await?;
        }
    }
    let admin = insert_user(&mut **tx, &admin_user).await?;
    set_membership(&mut tx, admin, id, &RoleSet::new([Role::ClientAdmin])).await?;
    plan.send_welcome(&caller.state, &mut tx, admin, Some(partner), &admin_user)
        .await?;
    let details = json!({ "after": {
        "company": company, "group": group.0, "tags": tags,
        "features": features, "seat_limit": seat_limit,
        "sms_credits": sms, "voice_credits": voice,
        "password": choice.key(),
    }});
    tx.created(id)
        .commit_about(admin, "client.created", details)
        .await?;
    Ok(CreatedClient {
        id,
        admin_email: company.email,
        activation_link: plan.activation_link(),
        temporary_password: plan.temporary_password,
    })
}

/// A new client account as its form asked for it, every field checked.
struct NewClient {
    company: CompanyInfo,
    tags: Vec<String>,
    features: Vec<Feature>,
    seat_limit: i64,
    sms: i64,
    voice: i64,
    choice: PasswordChoice,
}

/// Checks every field of a new client account, with each problem at its field;
/// `allowed` are the features its partner may grant.
fn checked_new_client(form: &NewClientForm, allowed: &[Feature]) -> Result<NewClient, AppError> {
    let mut errors = FieldErrors::default();
    let (company, tags) = validate_company(&form.company, &mut errors);
    let features = grantable(&mut errors, &form.features, allowed);
    let seat_limit = errors.whole_number("seat_limit", &form.seat_limit, 1..=MAX_SEATS);
    let sms = errors.whole_number("sms_credits", &form.sms_credits, 0..=MAX_CREDIT_GRANT);
    let voice = errors.whole_number("voice_credits", &form.voice_credits, 0..=MAX_CREDIT_GRANT);
    let choice = PasswordChoice::from_key(&form.password_choice);
    if choice.is_none() {
        errors.add(
            "password_choice",
            crate::tr!(clients.errors.password_choice),
        );
    }
    errors.into_result()?;
    let choice = choice.ok_or(AppError::Internal)?;

    Ok(NewClient {
        company,
        tags,
        features,
        seat_limit,
        sms,
        voice,
        choice,
    })
}

/// How `client`'s calls are rounded into voice units: its own rule, else its
/// partner's.
pub async fn voice_rule_of<'e>(
    db: impl Executor<'e, Database = Any>,
    client: &ClientRecord,
) -> Result<VoiceRule, AppError> {
    match client.own_voice_rule() {
        Some(rule) => Ok(rule),
        None => partner_voice_rule(db, client.partner_id).await,
    }
}

/// Client `id` as stored, with the proof that the actor holds `permission` there.
pub(super) async fn authorized_client<'a>(
    caller: &'a Caller,
    permission: Permission,
    id: NodeId,
) -> Result<(ClientRecord, Authorized<'a>), AppError> {
    let authorized = caller.actor.require(caller.db(), permission, id).await?;
    let client = client_record(caller.db().pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((client, authorized))
}

pub(super) async fn stale(db: &Db, id: NodeId) -> AppError {
    stale_conflict(db.pool(), id, Changed::ClientAccount).await
}

pub async fn client_view(caller: &Caller, id: NodeId) -> Result<ClientView, AppError> {
    let (client, _) = authorized_client(caller, Permission::ViewNodes, id).await?;
    let held = caller.actor.permissions_at(caller.db(), id).await?;
    let can_manage = held.contains(Permission::ManageClients);
    let reads_briefing = held.contains(Permission::ManageAccountContent) || held.reads_inbox();
    let pool = caller.db().pool();
    let move_targets = if can_manage {
        let mut targets = group_choices(caller.db(), &[client.partner_id]).await?;
        targets.retain(|target| target.id != client.group_id);
        targets
    } else {
        Vec::new()
    };
    Ok(ClientView {
        id,
        path: path_names(pool, id).await?,
        group_id: client.group_id,
        status: client.status,
        tags: tags_of(pool, id).await?,
        features: features_of(pool, id).await?,
        grantable_features: grantable_features(pool, client.partner_id).await?,
        seat_limit: client.seat_limit,
        seats_used: seats_used(pool, id).await?,
        sms_balance: client.sms_balance,
        voice_balance: client.voice_balance,
        sms_shortfall: client.sms_shortfall,
        voice_shortfall: client.voice_shortfall,
        voice_rule_is_own: client.own_voice_rule().is_some(),
        voice_rule: voice_rule_of(pool, &client).await?,
        ledger: ledger(pool, id, LEDGER_SHOWN).await?,
        verification: client.verification,
        version: client.version,
        created_at: client.created_at,
        company: client.company,
        can_manage,
        reads_briefing,
        can_read_inbox: held.reads_inbox(),
        can_manage_users: held.manages_users_at(NodeKind::Client),
        can_log_in_as: caller.actor.impersonation().is_none()
            && crate::auth::impersonating::bound_in(
                caller.db(),
                caller.actor.memberships(),
                id,
                now_ms(),
            )
            .await?
                != PermissionSet::NONE,
        can_grant_support: caller.actor.grants_support_to(id),
        can_view_access_history: held.contains(Permission::ViewAccessHistory),
        support_access: crate::impersonation::support::support_access(caller.db(), id).await?,
        move_targets,
    })
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::validate::phone_problem;

    #[test]
    fn phone_numbers_are_checked_as_people_write_them() {
        assert_eq!(phone_problem("+1 (617) 555-0100"), None);
        assert_eq!(phone_problem("617.555.0100"), None);
        assert!(phone_problem("").is_some());
        assert!(phone_problem("555-01").is_some());
        assert!(phone_problem("617 555 0100 ext 4").is_some());
        assert!(phone_problem("1+617 555 0100").is_some());
    }

    #[test]
    fn every_bad_company_field_gets_its_own_message() {
        let mut errors = FieldErrors::default();
        validate_company(
            &CompanyForm {
                name: " ".into(),
                email: "nope".into(),
                time_zone: "Mars/Olympus".into(),
                tags: "a,b,c,d,e,f,g,h,i,j,k".into(),
                ..CompanyForm::default()
            },
            &mut errors,
        );
        for field in [
            "name",
            "contact_name",
            "email",
            "phone",
            "time_zone",
            "tags",
        ] {
            assert!(errors.get(field).is_some(), "no message for {field}");
        }
        assert_eq!(errors.get("address"), None);
    }

    #[test]
    fn only_grantable_features_pass() {
        let mut errors = FieldErrors::default();
        let features = grantable(
            &mut errors,
            &["sms".into(), "voice".into(), "sms".into()],
            &[Feature::Voice, Feature::Sms],
        );
        assert_eq!(features, vec![Feature::Voice, Feature::Sms]);
        assert!(errors.is_empty());
        grantable(&mut errors, &["transcription".into()], &[Feature::Voice]);
        assert_eq!(
            errors.get("features"),
            Some("Transcription is not among the features this partner may grant.")
        );
    }
}
