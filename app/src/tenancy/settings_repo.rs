//! Partner settings in the database: a partner's brand, the features it may grant,
//! and its branding domains.

use sqlx::{Any, AnyConnection, Executor, Row};

use crate::core::voice::VoiceRule;
use crate::core::NodeId;
use crate::db::now_ms;
use crate::db::RowUpdate;
use crate::error::AppError;

/// Stores a partner's settings and branding domains unless it has settings already.
pub async fn ensure_partner_settings(
    conn: &mut AnyConnection,
    settings: &super::PartnerSettings,
) -> Result<(), AppError> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO partner_settings (partner_id, product_name, grantable_features, logo_url, \
         primary_colour, accent_colour, support_email, voice_initial_seconds, \
         voice_increment_seconds, voice_free_under_seconds, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) \
         ON CONFLICT (partner_id) DO NOTHING",
    )
    .bind(settings.partner.0)
    .bind(&settings.product_name)
    .bind(crate::core::features_to_stored(
        &settings.grantable_features,
    ))
    .bind(&settings.logo_url)
    .bind(&settings.primary_colour)
    .bind(&settings.accent_colour)
    .bind(&settings.support_email)
    .bind(settings.voice_rule.initial_seconds)
    .bind(settings.voice_rule.increment_seconds)
    .bind(settings.voice_rule.free_under_seconds)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    add_domains(
        conn,
        settings.partner,
        &settings.domains,
        "ON CONFLICT (domain) DO NOTHING",
    )
    .await
}

/// Adds branding domains; `on_conflict` says what a domain already taken does (by
/// default, fail the statement).
async fn add_domains(
    conn: &mut AnyConnection,
    partner: NodeId,
    domains: &[String],
    on_conflict: &str,
) -> Result<(), AppError> {
    for domain in domains {
        sqlx::query(&format!(
            "INSERT INTO branding_domains (domain, partner_id) VALUES ($1, $2) {on_conflict}"
        ))
        .bind(domain)
        .bind(partner.0)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A partner's settings with its branding domains; none for a node without settings.
pub async fn partner_settings(
    conn: &mut AnyConnection,
    partner: NodeId,
) -> Result<Option<super::PartnerSettings>, AppError> {
    let Some(row) = sqlx::query(
        "SELECT product_name, grantable_features, logo_url, primary_colour, accent_colour, \
         support_email, voice_initial_seconds, voice_increment_seconds, \
         voice_free_under_seconds, version FROM partner_settings WHERE partner_id = $1",
    )
    .bind(partner.0)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let domains: Vec<String> = sqlx::query_scalar(
        "SELECT domain FROM branding_domains WHERE partner_id = $1 ORDER BY domain",
    )
    .bind(partner.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(super::PartnerSettings {
        partner,
        product_name: row.try_get("product_name")?,
        logo_url: row.try_get("logo_url")?,
        primary_colour: row.try_get("primary_colour")?,
        accent_colour: row.try_get("accent_colour")?,
        support_email: row.try_get("support_email")?,
        grantable_features: crate::core::features_from_stored(
            &row.try_get::<String, _>("grantable_features")?,
        ),
        domains,
        voice_rule: VoiceRule {
            initial_seconds: row.try_get("voice_initial_seconds")?,
            increment_seconds: row.try_get("voice_increment_seconds")?,
            free_under_seconds: row.try_get("voice_free_under_seconds")?,
        },
        version: row.try_get("version")?,
    }))
}

/// The voice rule of `partner`'s clients: its own, or by the minute when it has no
/// settings.
pub async fn partner_voice_rule<'e>(
    db: impl Executor<'e, Database = Any>,
    partner: NodeId,
) -> Result<VoiceRule, AppError> {
    let rule: Option<(i64, i64, i64)> = sqlx::query_as(
        "SELECT voice_initial_seconds, voice_increment_seconds, voice_free_under_seconds \
         FROM partner_settings WHERE partner_id = $1",
    )
    .bind(partner.0)
    .fetch_optional(db)
    .await?;
    Ok(
        rule.map_or_else(VoiceRule::default, |(initial, increment, free_under)| {
            VoiceRule {
                initial_seconds: initial,
                increment_seconds: increment,
                free_under_seconds: free_under,
            }
        }),
    )
}

/// The partner whose branding domain `domain` is.
pub async fn partner_of_domain<'e>(
    db: impl Executor<'e, Database = Any>,
    domain: &str,
) -> Result<Option<NodeId>, AppError> {
    let partner: Option<i64> =
        sqlx::query_scalar("SELECT partner_id FROM branding_domains WHERE domain = $1")
            .bind(domain)
            .fetch_optional(db)
            .await?;
    Ok(partner.map(NodeId))
}

/// Which of `domains` already brand a partner other than `partner`.
pub async fn domains_of_others<'e>(
    db: impl Executor<'e, Database = Any>,
    partner: NodeId,
    domains: &[String],
) -> Result<Vec<String>, AppError> {
    if domains.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql =
        crate::db::SqlBuilder::new("SELECT domain FROM branding_domains WHERE partner_id <> ");
    let partner = sql.bind(crate::db::Param::Int(partner.0));
    let list: Vec<String> = domains
        .iter()
        .map(|domain| sql.bind(crate::db::Param::Text(domain.clone())))
        .collect();
    sql.push(&format!("{partner} AND domain IN ({})", list.join(", ")));
    let rows = sql.query().fetch_all(db).await?;
    rows.iter()
        .map(|row| Ok(row.try_get::<String, _>(0)?))
        .collect()
}

/// Saves a partner's settings and replaces its branding domains if `version` is
/// still current; false when it is stale.
pub async fn update_partner_settings(
    conn: &mut AnyConnection,
    settings: &super::PartnerSettings,
    version: i64,
) -> Result<bool, AppError> {
    let updated = RowUpdate::of("partner_settings")
        .set("product_name", &settings.product_name)
        .set(
            "grantable_features",
            crate::core::features_to_stored(&settings.grantable_features),
        )
        .set("logo_url", &settings.logo_url)
        .set("primary_colour", &settings.primary_colour)
        .set("accent_colour", &settings.accent_colour)
        .set("support_email", &settings.support_email)
        .set("voice_initial_seconds", settings.voice_rule.initial_seconds)
        .set(
            "voice_increment_seconds",
            settings.voice_rule.increment_seconds,
        )
        .set(
            "voice_free_under_seconds",
            settings.voice_rule.free_under_seconds,
        )
        .of_row("partner_id", settings.partner.0)
        .if_at(version, &mut *conn)
        .await?;
    if !updated {
        return Ok(false);
    }
    sqlx::query("DELETE FROM branding_domains WHERE partner_id = $1")
        .bind(settings.partner.0)
        .execute(&mut *conn)
        .await?;
    add_domains(conn, settings.partner, &settings.domains, "").await?;
    Ok(true)
}
