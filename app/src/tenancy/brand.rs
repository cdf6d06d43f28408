//! White label: the brand a page is shown in, and the rules a
//! partner's branding must follow.

use leptos::prelude::*;

use super::api::get_brand;
use crate::components::brand::BrandResource;
use crate::core::brand::Brand;
use crate::error::AppError;

pub const MAX_PRODUCT_NAME: usize = 60;
pub const MAX_LOGO_URL: usize = 500;
pub const MAX_DOMAINS: usize = 10;

/// Loads the page's brand once per page load, before the page streams.
pub fn provide_brand() -> ArcResource<Result<Brand, AppError>> {
    let brand = ArcResource::new_blocking(|| (), |_| get_brand());
    provide_context(BrandResource::from(brand.clone()));
    brand
}

/// The product name of the page's brand as far as it is known; the platform's until
/// then. For the tab's title only: markup waits for the brand. Takes the resource
/// itself because the server writes the title after the page's reactive owner has
/// let go of it.
pub fn product_name(brand: &ArcResource<Result<Brand, AppError>>) -> String {
    brand
        .get()
        .and_then(Result::ok)
        .unwrap_or_else(Brand::platform)
        .product_name
}

/// The brand's colour stylesheet, where it has one: a `<link>` in the body, since it
/// must wait for the brand, which the head cannot. On the server the page waits for
/// the brand, so the browser hydrates the same markup.
#[component]
pub fn BrandStylesheet() -> impl IntoView {
    let brand = expect_context::<BrandResource>();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                brand
                    .await
                    .ok()
                    .and_then(|brand| brand.stylesheet)
                    .map(|href| view! { <link rel="stylesheet" href=href /> })
            })}
        </Suspense>
    }
}

/// Why `colour` is not a colour as the settings store them (`#rrggbb`), if it is not.
pub fn colour_problem(colour: &str) -> Option<&'static str> {
    let valid = colour.len() == 7
        && colour.starts_with('#')
        && colour[1..].chars().all(|c| c.is_ascii_hexdigit());
    (!valid).then_some(crate::tr!(settings.errors.colour))
}

/// Why `url` cannot be a logo address, if it cannot. Only https: the page may not
/// load anything over plain http.
pub fn logo_problem(url: &str) -> Option<String> {
    if url.is_empty() {
        return None;
    }
    if url.chars().count() > MAX_LOGO_URL {
        return Some(crate::tr!(errors.at_most_characters, count = MAX_LOGO_URL));
    }
    let host = url
        .strip_prefix("https://")
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
    match host {
        Some(host) if !host.is_empty() && !url.chars().any(char::is_whitespace) => None,
        _ => Some(crate::tr!(settings.errors.logo_https).to_string()),
    }
}

/// The host names in `text`, one per line or separated by commas or spaces, folded
/// to lower case, without duplicates, in the order given.
pub fn parse_domains(text: &str) -> Vec<String> {
    let mut domains: Vec<String> = Vec::new();
    for domain in text
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(|domain| domain.trim().trim_end_matches('.').to_lowercase())
        .filter(|domain| !domain.is_empty())
    {
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    domains
}

/// Why `domain` is not a host name a browser could ask for, if it is not.
pub fn domain_problem(domain: &str) -> Option<String> {
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    let top = labels.last().copied().unwrap_or_default();
    if domain.len() > 253 || labels.len() < 2 || !labels.iter().all(label_ok) {
        Some(crate::tr!(settings.errors.not_host, domain = domain))
    } else if top.chars().all(|c| c.is_ascii_digit()) {
        Some(crate::tr!(settings.errors.ip_address, domain = domain))
    } else if top == "localhost" {
        Some(crate::tr!(settings.errors.localhost, domain = domain))
    } else {
        None
    }
}

/// The host a request was sent to, without its port, in lower case.
pub fn host_without_port(host: &str) -> String {
    let host = host.trim();
    let without_port = match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    };
    without_port.to_lowercase()
}

/// The stylesheet that gives the app a partner's colours: the tokens of
/// `style/_tokens.scss` that are custom properties, with the darker and softer shades
/// worked out from the primary colour.
pub fn colour_stylesheet(primary: &str, accent: &str) -> String {
    let dark = mix(primary, (0, 0, 0), 0.25);
    let soft = mix(primary, (255, 255, 255), 0.9);
    format!(
        ":root {{ --brand: {primary}; --brand-dark: {dark}; --brand-soft: {soft}; --accent: {accent}; }}\n"
    )
}

/// `colour` moved `amount` of the way towards `toward`.
fn mix(colour: &str, toward: (u8, u8, u8), amount: f64) -> String {
    let channel =
        |index: usize| u8::from_str_radix(&colour[1 + 2 * index..3 + 2 * index], 16).unwrap_or(0);
    let blend = |from: u8, to: u8| {
        (f64::from(from) + (f64::from(to) - f64::from(from)) * amount).round() as u8
    };
    format!(
        "#{:02x}{:02x}{:02x}",
        blend(channel(0), toward.0),
        blend(channel(1), toward.1),
        blend(channel(2), toward.2)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_six_hex_digits() {
        assert_eq!(colour_problem("#0f766e"), None);
        assert_eq!(colour_problem("#0F766E"), None);
        assert!(colour_problem("0f766e").is_some());
        assert!(colour_problem("#0f766").is_some());
        assert!(colour_problem("#0f766g").is_some());
        assert!(colour_problem("red").is_some());
    }

    #[test]
    fn logos_are_https_addresses_or_nothing() {
        assert_eq!(logo_problem(""), None);
        assert_eq!(logo_problem("https://cdn.example.com/logo.svg"), None);
        assert!(logo_problem("http://cdn.example.com/logo.svg").is_some());
        assert!(logo_problem("https://").is_some());
        assert!(logo_problem("javascript:alert(1)").is_some());
        assert!(logo_problem("https://cdn.example.com/a logo.svg").is_some());
    }

    #[test]
    fn domains_are_split_folded_and_checked() {
        assert_eq!(
            parse_domains(" Portal.Example.com,\nmy.example.com  portal.example.com. "),
            vec!["portal.example.com", "my.example.com"]
        );
        assert_eq!(domain_problem("portal.example.com"), None);
        assert_eq!(domain_problem("a-b.c0.example"), None);
        for wrong in [
            "localhost",
            "portal.localhost",
            "127.0.0.1",
            "10.0.0.12",
            "[::1]",
            "::1",
            "https://x.com",
            "x.com/path",
            "-x.com",
            "x..com",
            "x_y.com",
        ] {
            assert!(domain_problem(wrong).is_some(), "{wrong}");
        }
    }

    #[test]
    fn hosts_lose_their_port() {
        assert_eq!(
            host_without_port("Portal.Example.com:3000"),
            "portal.example.com"
        );
        assert_eq!(
            host_without_port("portal.example.com"),
            "portal.example.com"
        );
    }

    #[test]
    fn the_stylesheet_derives_shades_of_the_primary_colour() {
        assert_eq!(
            colour_stylesheet("#0f766e", "#f59e0b"),
            ":root { --brand: #0f766e; --brand-dark: #0b5953; --brand-soft: #e7f1f1; --accent: #f59e0b; }\n"
        );
    }
}
