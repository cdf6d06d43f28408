//! Server-side access to the current request from inside server functions and pages.

use http::request::Parts;
use http::{header, HeaderValue};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

use crate::error::AppError;
use crate::state::AppState;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
}

/// The host the request was sent to, as the browser wrote it (port included).
pub fn host() -> Result<String, AppError> {
    let parts = parts()?;
    let from_header = parts
        .headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok());
    Ok(parts
        .uri
        .authority()
        .map(|authority| authority.as_str())
        .or(from_header)
        .unwrap_or_default()
        .to_string())
}

fn parts() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or_else(|| AppError::internal("request parts missing from context"))
}

/// Who sent the current request, as it shows them: the address it came from
/// (see `trust_forwarded_for`), the user agent and the cookies.
#[derive(Clone, Debug, Default)]
pub struct Requester {
    pub address: String,
    pub user_agent: String,
    cookies: Vec<(String, String)>,
}

impl Requester {
    pub fn current(state: &AppState) -> Result<Self, AppError> {
        Ok(Self::from_parts(
            &parts()?,
            state.settings.trust_forwarded_for,
        ))
    }

    pub fn from_parts(parts: &Parts, trust_forwarded_for: bool) -> Self {
        let header_text = |name: header::HeaderName| {
            parts
                .headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let forwarded = trust_forwarded_for
            .then(|| forwarded_by_proxy(&parts.headers))
            .flatten();
        let connected = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip().to_string());
        let cookies = parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|line| line.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        Self {
            address: forwarded.or(connected).unwrap_or_else(|| "unknown".into()),
            user_agent: header_text(header::USER_AGENT).chars().take(300).collect(),
            cookies,
        }
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|(cookie, _)| cookie == name)
            .map(|(_, value)| value.as_str())
    }
}

/// The client's address as the trusted proxy saw it: the last `X-Forwarded-For`
/// entry, the one the proxy appended. Entries before it are whatever the client sent.
fn forwarded_by_proxy(headers: &http::HeaderMap) -> Option<String> {
    let last_line = headers
        .get_all(header::HeaderName::from_static("x-forwarded-for"))
        .iter()
        .filter_map(|value| value.to_str().ok())
        .next_back()?;
    let address = last_line.rsplit(',').next()?.trim();
    address
        .parse::<std::net::IpAddr>()
        .ok()
        .map(|address| address.to_string())
}

/// Adds a `Set-Cookie` header to the current response.
pub fn set_cookie(cookie: &str) -> Result<(), AppError> {
    let value = HeaderValue::from_str(cookie).map_err(AppError::internal)?;
    expect_context::<ResponseOptions>().append_header(header::SET_COOKIE, value);
    Ok(())
}

/// Sends a browser that posted a form without JavaScript on to `path` after success;
/// the hydrated app gets the server function's result instead and shows it in place.
pub fn redirect_plain_form(path: &str) -> Result<(), AppError> {
    let plain_form = parts()?
        .headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if plain_form {
        leptos_axum::redirect(path);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address_behind_proxy(forwarded: &[&str]) -> String {
        let mut request = http::Request::get("/");
        for line in forwarded {
            request = request.header("x-forwarded-for", *line);
        }
        let (parts, _) = request.body(()).unwrap().into_parts();
        Requester::from_parts(&parts, true).address
    }

    #[test]
    fn behind_a_trusted_proxy_the_address_is_the_one_it_appended() {
        assert_eq!(address_behind_proxy(&["203.0.113.7"]), "203.0.113.7");
        // Whatever the client wrote comes first; the proxy appends what it saw.
        assert_eq!(
            address_behind_proxy(&["1.2.3.4, 203.0.113.7"]),
            "203.0.113.7"
        );
        assert_eq!(
            address_behind_proxy(&["1.2.3.4", "203.0.113.7"]),
            "203.0.113.7"
        );
        assert_eq!(address_behind_proxy(&["2001:db8::1"]), "2001:db8::1");
        // Not an address at all: the connection's address (none in this test).
        assert_eq!(address_behind_proxy(&["203.0.113.7, evil"]), "unknown");
        assert_eq!(address_behind_proxy(&[]), "unknown");
    }
}
