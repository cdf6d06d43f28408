//! Request-level protections: refusing cross-site state changes (CSRF) and the
//! security headers of every response, with a fresh CSP nonce per request.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};

/// The nonce that lets this response's own inline scripts (hydration) run.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// What the security headers depend on.
#[derive(Clone, Copy, Debug)]
pub struct HeaderPolicy {
    /// Served over https only (secure cookies): browsers are told to keep to https.
    pub https_only: bool,
}

/// The site's own static files (the wasm, scripts, styles, the icon): the same for
/// everyone, so they may be cached. Everything else may be personal.
fn is_static_file(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.svg"
}

pub async fn security_headers(
    State(policy): State<HeaderPolicy>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = app::password::random_token();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let cacheable = is_static_file(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // Pages, server-function answers and exports may hold what only their reader
    // may see: no browser or proxy keeps a copy, unless a route said otherwise.
    if !cacheable && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if policy.https_only {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    // Images may come from any https address: partners' logos live on their own sites.
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: https:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), geolocation=(), payment=()",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Refuses state-changing requests that a browser marks as coming from another site.
pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    let safe_method = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe_method || is_same_site(request.headers()) {
        next.run(request).await
    } else {
        tracing::warn!(uri = %request.uri(), "refused a cross-site request");
        (
            StatusCode::FORBIDDEN,
            Body::from("Cross-site requests are refused."),
        )
            .into_response()
    }
}

/// Browsers say where a request comes from with `Sec-Fetch-Site`, or at least `Origin`.
/// A request with neither is not from a browser, so it carries no cookies a forger
/// could ride on.
fn is_same_site(headers: &HeaderMap) -> bool {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        return matches!(site, "same-origin" | "none");
    }
    match (text(header::ORIGIN), text(header::HOST)) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host)),
        (Some(_), None) => false,
        (None, _) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::post;
    use axum::Router;
    use tower::ServiceExt;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(is_same_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(is_same_site(&headers(&[("sec-fetch-site", "none")])));
        assert!(!is_same_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_same_site(&headers(&[("sec-fetch-site", "same-site")])));
    }

    #[test]
    fn origin_must_match_host_without_fetch_metadata() {
        let same = [
            ("origin", "http://portal.example:3000"),
            ("host", "portal.example:3000"),
        ];
        assert!(is_same_site(&headers(&same)));
        let other = [
            ("origin", "https://evil.example"),
            ("host", "portal.example"),
        ];
        assert!(!is_same_site(&headers(&other)));
        assert!(!is_same_site(&headers(&[
            ("origin", "null"),
            ("host", "portal.example")
        ])));
        assert!(is_same_site(&headers(&[("host", "portal.example")])));
    }

    async fn status_of(method: Method, pairs: &[(&'static str, &'static str)]) -> StatusCode {
        let router = Router::new()
            .route(
                "/api/change",
                post(|| async { "changed" }).get(|| async { "read" }),
            )
            .layer(axum::middleware::from_fn(refuse_cross_site));
        let mut request = http::Request::builder().method(method).uri("/api/change");
        for (name, value) in pairs {
            request = request.header(*name, *value);
        }
        router
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap()
            .status()
    }

    #[tokio::test]
    async fn cross_site_posts_are_refused_and_reads_are_not() {
        let cross = [("sec-fetch-site", "cross-site")];
        assert_eq!(status_of(Method::POST, &cross).await, StatusCode::FORBIDDEN);
        assert_eq!(status_of(Method::GET, &cross).await, StatusCode::OK);
        let same = [("sec-fetch-site", "same-origin")];
        assert_eq!(status_of(Method::POST, &same).await, StatusCode::OK);
    }

    async fn response_to(path: &str, https_only: bool) -> Response {
        Router::new()
            .route("/", axum::routing::get(|| async { "home" }))
            .route(
                "/pkg/switchboard.wasm",
                axum::routing::get(|| async { "wasm" }),
            )
            .route(
                "/brand/1/colours.css",
                axum::routing::get(|| async {
                    ([(header::CACHE_CONTROL, "public, max-age=60")], "css")
                }),
            )
            .layer(axum::middleware::from_fn_with_state(
                HeaderPolicy { https_only },
                security_headers,
            ))
            .oneshot(http::Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn nothing_personal_is_kept_by_a_cache_and_https_is_insisted_on() {
        let page = response_to("/", true).await;
        assert_eq!(page.headers()[header::CACHE_CONTROL], "no-store");
        assert!(page.headers()[header::STRICT_TRANSPORT_SECURITY]
            .to_str()
            .unwrap()
            .starts_with("max-age="));
        let wasm = response_to("/pkg/switchboard.wasm", true).await;
        assert!(wasm.headers().get(header::CACHE_CONTROL).is_none());
        let css = response_to("/brand/1/colours.css", true).await;
        assert_eq!(css.headers()[header::CACHE_CONTROL], "public, max-age=60");
        let local = response_to("/", false).await;
        assert!(local
            .headers()
            .get(header::STRICT_TRANSPORT_SECURITY)
            .is_none());
    }

    #[tokio::test]
    async fn every_response_carries_the_security_headers() {
        let response = response_to("/", false).await;
        let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("'nonce-"));
        assert_eq!(
            response.headers()[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff"
        );
        assert_eq!(response.headers()[header::REFERRER_POLICY], "same-origin");
    }
}
