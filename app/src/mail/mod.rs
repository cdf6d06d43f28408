//! Email and text messages: rendered in the recipient's language and
//! in their partner's brand, written to the outbox in the transaction of the change
//! that causes them, and delivered by a worker over SMTP and the SMS provider's
//! webhook (or into files, in development).

pub mod delivery;
pub mod outbox;
mod repo;
pub mod sms;
pub mod templates;

use sqlx::AnyConnection;

use crate::core::brand::PLATFORM_PRODUCT;
use crate::core::{NodeId, UserId};
use crate::error::AppError;
use templates::MailBrand;

/// The brand of messages for people of `partner`: its product name and colour, with
/// links on the branding domain chosen for them (`domain`, while it is still the
/// partner's) or else its first; the platform's, at `public_url`, for the platform's
/// own people and a partner without branding.
pub async fn brand_of_partner(
    conn: &mut AnyConnection,
    partner: Option<NodeId>,
    domain: Option<&str>,
    public_url: &str,
) -> Result<MailBrand, AppError> {
    let Some(partner) = partner else {
        return Ok(platform_brand(public_url));
    };
    Ok(match repo::partner_brand(conn, partner).await? {
        None => platform_brand(public_url),
        Some(brand) => MailBrand {
            site: domain
                .and_then(|chosen| brand.domains.iter().find(|domain| *domain == chosen))
                .or(brand.domains.first())
                .map(|domain| site_on(public_url, domain))
                .unwrap_or_else(|| public_url.trim_end_matches('/').to_string()),
            product_name: brand.product_name,
            primary_colour: brand.primary_colour,
            support_email: brand.support_email,
        },
    })
}

fn platform_brand(public_url: &str) -> MailBrand {
    MailBrand {
        product_name: PLATFORM_PRODUCT.into(),
        primary_colour: String::new(),
        support_email: String::new(),
        site: public_url.trim_end_matches('/').to_string(),
    }
}

/// The brand of messages for `user`: their partner's (the one their roles are in),
/// on the branding domain chosen for them (`domain`); the platform's for the
/// platform's staff.
pub async fn brand_of_user(
    conn: &mut AnyConnection,
    user: UserId,
    domain: Option<&str>,
    public_url: &str,
) -> Result<MailBrand, AppError> {
    let partner = repo::partner_of_user(conn, user).await?;
    brand_of_partner(conn, partner, domain, public_url).await
}

/// The address of the site on `domain`, with the scheme and port the platform is
/// reached by at `public_url`: `https://portal.example.com`, or in development
/// `http://portal.example.test:3000`.
pub fn site_on(public_url: &str, domain: &str) -> String {
    let uri: Option<http::Uri> = public_url.parse().ok();
    let scheme = uri
        .as_ref()
        .and_then(http::Uri::scheme_str)
        .unwrap_or("https");
    let port = uri
        .as_ref()
        .and_then(http::Uri::port_u16)
        .map(|port| format!(":{port}"))
        .unwrap_or_default();
    format!("{scheme}://{domain}{port}")
}

#[cfg(test)]
mod tests {
    use super::site_on;

    #[test]
    fn a_branding_domain_keeps_the_platforms_scheme_and_port() {
        assert_eq!(
            site_on("https://switchboard.example.com", "portal.northwind.com"),
            "https://portal.northwind.com"
        );
        assert_eq!(
            site_on("http://127.0.0.1:3000/", "portal.northwind.test"),
            "http://portal.northwind.test:3000"
        );
    }
}
