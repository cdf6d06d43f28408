//! Partner settings: the features a partner may grant its clients,
//! and its brand, which every page its people and its clients see is shown in.

use axum::response::{IntoResponse, Response};
use http::{header, StatusCode};

use serde_json::json;

use crate::audit_trail::{stale_conflict, Changed};
use crate::auth::actor::Actor;
use crate::auth::caller::Caller;
use crate::core::brand::Brand;
use crate::core::roles::Permission;
use crate::core::validate::email_problem;
use crate::core::voice::{VoiceRule, MAX_RULE_SECONDS};
use crate::core::{Feature, NodeId, NodeKind};
use crate::db::Db;
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use crate::tenancy::brand::{
    colour_problem, colour_stylesheet, domain_problem, host_without_port, logo_problem,
    parse_domains, MAX_DOMAINS, MAX_PRODUCT_NAME,
};
use crate::tenancy::repo::{get_node, partner_of};
use crate::tenancy::settings_repo::{
    domains_of_others, partner_of_domain, partner_settings, update_partner_settings,
};
use crate::tenancy::{PartnerSettings, PartnerSettingsForm, PartnerSettingsView};

/// A partner's settings, for those who may change them.
pub async fn settings_view(
    caller: &Caller,
    partner: NodeId,
) -> Result<PartnerSettingsView, AppError> {
    caller
        .actor
        .require(caller.db(), Permission::ManagePartnerSettings, partner)
        .await?;
    let node = get_node(caller.db().pool(), partner)
        .await?
        .filter(|node| node.kind == NodeKind::Partner)
        .ok_or(AppError::NotFound)?;
    let mut conn = caller.db().pool().acquire().await?;
    let settings = partner_settings(&mut conn, partner)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(PartnerSettingsView {
        partner_name: node.name,
        settings,
    })
}

/// The voice rule a form's `voice_initial`, `voice_increment` and `voice_free_under`
/// fields give, each checked at its field: whole seconds, the increments from 1 s to
/// an hour, the free allowance up to an hour.
pub fn voice_rule_from_form(
    errors: &mut FieldErrors,
    initial: &str,
    increment: &str,
    free_under: &str,
) -> VoiceRule {
    VoiceRule {
        initial_seconds: errors.whole_number("voice_initial", initial, 1..=MAX_RULE_SECONDS),
        increment_seconds: errors.whole_number("voice_increment", increment, 1..=MAX_RULE_SECONDS),
        free_under_seconds: errors.whole_number(
            "voice_free_under",
            free_under,
            0..=MAX_RULE_SECONDS,
        ),
    }
}

/// Checks a settings form field by field.
pub fn validate_settings(
    partner: NodeId,
    form: &PartnerSettingsForm,
    platform_host: &str,
    errors: &mut FieldErrors,
) -> PartnerSettings {
    // Splitting is only done on a text that could hold the most domains allowed.
    errors.limit("domains", &form.domains, MAX_DOMAINS * 254);
    let settings = PartnerSettings {
        partner,
        product_name: form.product_name.trim().to_string(),
        logo_url: form.logo_url.trim().to_string(),
        primary_colour: form.primary_colour.trim().to_lowercase(),
        accent_colour: form.accent_colour.trim().to_lowercase(),
        support_email: form.support_email.trim().to_string(),
        grantable_features: Vec::new(),
        domains: if errors.get("domains").is_none() {
            parse_domains(&form.domains)
        } else {
            Vec::new()
        },
        voice_rule: voice_rule_from_form(
            errors,
            &form.voice_initial,
            &form.voice_increment,
            &form.voice_free_under,
        ),
        version: 0,
    };
    if settings.product_name.is_empty() {
        errors.add(
            "product_name",
            crate::tr!(settings.errors.enter_product_name),
        );
    }
    errors.limit("product_name", &settings.product_name, MAX_PRODUCT_NAME);
    if let Some(problem) = logo_problem(&settings.logo_url) {
        errors.add("logo_url", problem);
    }
    for (field, colour) in [
        ("primary_colour", &settings.primary_colour),
        ("accent_colour", &settings.accent_colour),
    ] {
        if let Some(problem) = colour_problem(colour) {
            errors.add(field, problem);
        }
    }
    if let Some(problem) = email_problem(&settings.support_email) {
        errors.add("support_email", problem);
    }
    if settings.domains.len() > MAX_DOMAINS {
        errors.add(
            "domains",
            crate::tr!(settings.errors.at_most_domains, count = MAX_DOMAINS),
        );
    } else if let Some(problem) = settings.domains.iter().find_map(|d| domain_problem(d)) {
        errors.add("domains", problem);
    } else if let Some(own) = settings.domains.iter().find(|d| **d == platform_host) {
        errors.add(
            "domains",
            crate::tr!(settings.errors.platform_domain, domain = own),
        );
    }
    let mut features = Vec::new();
    for key in &form.features {
        match Feature::from_key(key) {
            Some(feature) if !features.contains(&feature) => features.push(feature),
            Some(_) => {}
            None => errors.add("features", crate::tr!(validate.choose_features)),
        }
    }
    features.sort();
    PartnerSettings {
        grantable_features: features,
        ..settings
    }
}

/// The host name of the platform's own address (`--public-url`), in lower case.
fn public_host(public_url: &str) -> String {
    public_url
        .parse::<http::Uri>()
        .ok()
        .and_then(|uri| uri.host().map(str::to_lowercase))
        .unwrap_or_default()
}

/// Saves a partner's settings if `version` is still current.
pub async fn update_settings(
    caller: &Caller,
    partner: NodeId,
    form: &PartnerSettingsForm,
    version: i64,
) -> Result<(), AppError> {
    let authorized = caller
        .actor
        .require(caller.db(), Permission::ManagePartnerSettings, partner)
        .await?;
    let before = settings_view(caller, partner).await?.settings;
    let mut errors = FieldErrors::default();
    let platform_host = public_host(&caller.state.settings.public_url);
    let settings = validate_settings(partner, form, &platform_host, &mut errors);
    errors.into_result()?;

    let mut tx = authorized.begin(caller).await?;
    let taken = domains_of_others(&mut **tx, partner, &settings.domains).await?;
    if let Some(domain) = taken.first() {
        return Err(AppError::field(
            "domains",
            crate::tr!(settings.errors.domain_taken, domain = domain),
        ));
    }
    if !update_partner_settings(&mut tx, &settings, version).await? {
        drop(tx);
        return Err(stale_conflict(caller.db().pool(), partner, Changed::PartnerSettings).await);
    }
    tx.commit(
        "partner.settings_changed",
        json!({
            "before": changed_fields(&before),
            "after": changed_fields(&settings),
        }),
    )
    .await?;
    Ok(())
}

fn changed_fields(settings: &PartnerSettings) -> serde_json::Value {
    json!({
        "product_name": settings.product_name,
        "logo_url": settings.logo_url,
        "primary_colour": settings.primary_colour,
        "accent_colour": settings.accent_colour,
        "support_email": settings.support_email,
        "grantable_features": settings.grantable_features,
        "domains": settings.domains,
        "voice_rule": settings.voice_rule.notation(),
    })
}

/// The brand of a page: a signed-in person's own partner's, whichever address they
/// came by (so clients never see another brand); otherwise the brand of the domain
/// the request was sent to; otherwise the platform's.
pub async fn brand_for(
    state: &AppState,
    host: &str,
    actor: Option<&Actor>,
) -> Result<Brand, AppError> {
    let own = match actor {
        Some(actor) => own_partner(&state.db, actor).await?,
        None => None,
    };
    let partner = match own {
        Some(partner) => Some(partner),
        None => partner_of_domain(state.db.pool(), &host_without_port(host)).await?,
    };
    let Some(partner) = partner else {
        return Ok(Brand::platform());
    };
    let mut conn = state.db.pool().acquire().await?;
    Ok(match partner_settings(&mut conn, partner).await? {
        Some(settings) => Brand {
            stylesheet: Some(crate::paths::brand_stylesheet(partner, settings.version)),
            product_name: settings.product_name,
            logo_url: settings.logo_url,
            support_email: settings.support_email,
        },
        None => Brand::platform(),
    })
}

/// The one partner all of `actor`'s memberships lie in, if there is one.
async fn own_partner(db: &Db, actor: &Actor) -> Result<Option<NodeId>, AppError> {
    let mut found = None;
    for membership in actor.memberships() {
        match partner_of(db.pool(), membership.node_id).await? {
            Some(partner) if found.is_none_or(|seen| seen == partner) => found = Some(partner),
            _ => return Ok(None),
        }
    }
    Ok(found)
}

/// GET /brand/{partner}/colours.css: public, like the pages it colours. Versioned
/// addresses, so browsers may keep it for good.
pub async fn colours_stylesheet(state: AppState, partner: i64) -> Response {
    let mut conn = match state.db.pool().acquire().await {
        Ok(conn) => conn,
        Err(error) => return AppError::from(error).into_response(),
    };
    match partner_settings(&mut conn, NodeId(partner)).await {
        Ok(Some(settings)) => (
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            colour_stylesheet(&settings.primary_colour, &settings.accent_colour),
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => error.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_rule_needs_increments_of_a_second_to_an_hour() {
        let mut errors = FieldErrors::default();
        let rule = voice_rule_from_form(&mut errors, " 30 ", "6", "");
        assert_eq!(
            rule,
            VoiceRule {
                initial_seconds: 30,
                increment_seconds: 6,
                free_under_seconds: 0
            }
        );
        assert!(errors.is_empty());
        voice_rule_from_form(&mut errors, "0", "3601", "-1");
        for field in ["voice_initial", "voice_increment", "voice_free_under"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
