//! The router as a browser meets it: pages, redirects, cookies and headers.

use super::*;
use app::auth::api::SignIn;
use app::core::UserStatus;
use app::db::Db;
use app::password::Passwords;
use app::state::Settings;
use app::users::repo::{insert_user, NewUser};
use axum::body::{to_bytes, Body};
use http::{header, Request, Response};
use leptos::server_fn::ServerFn;
use tower::ServiceExt;

/// Tests take turns: each runs on a tokio runtime of its own, and Leptos's rendering
/// does not keep apart several runtimes of one process. Pages rendered by tests side
/// by side now and then never answered; the same pages fetched 400 at once on one
/// runtime always did, so it is the tests' arrangement, not the server's. Within a
/// test, requests still run at once.
async fn one_test_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    TURN.lock().await
}

async fn test_router(dir: &tempfile::TempDir) -> Router {
    let url = format!("sqlite://{}/serve.db?mode=rwc", dir.path().display());
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let state = AppState {
        db,
        settings: Settings {
            secure_cookies: false,
            ..Settings::default()
        },
        passwords: Passwords::new(1),
    };
    insert_user(
        state.db.pool(),
        &NewUser {
            email: "nora@northwind.test",
            name: "Nora North",
            language: "en",
            branding_domain: None,
            status: UserStatus::Active,
            password_hash: Some(
                state
                    .passwords
                    .hash("a long enough secret".into())
                    .await
                    .unwrap(),
            ),
            must_change_password: false,
        },
    )
    .await
    .unwrap();
    let options = LeptosOptions::builder().output_name("switchboard").build();
    router(state, options)
}

fn sign_in_request(site: &str, password: &str) -> Request<Body> {
    Request::post(SignIn::PATH)
        .header("sec-fetch-site", site)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "email=nora%40northwind.test&password={}",
            password.replace(' ', "+")
        )))
        .unwrap()
}

/// A browser navigation: redirects are answered with 302 only to those.
fn page_request(path: &str) -> http::request::Builder {
    Request::get(path).header(header::ACCEPT, "text/html")
}

/// A page opened by a signed-in browser, with the session cookie `session`.
async fn open_page(router: &Router, session: &str, path: &str) -> Response<Body> {
    send(
        router,
        page_request(path)
            .header(header::COOKIE, session)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// A page that never finishes streaming fails the test instead of hanging it.
const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(30);

async fn send(router: &Router, request: Request<Body>) -> Response<Body> {
    let path = request.uri().to_string();
    tokio::time::timeout(ANSWER_WITHIN, router.clone().oneshot(request))
        .await
        .unwrap_or_else(|_| panic!("no answer to {path} within {ANSWER_WITHIN:?}"))
        .unwrap()
}

async fn body_text(response: Response<Body>) -> String {
    let body = tokio::time::timeout(ANSWER_WITHIN, to_bytes(response.into_body(), 1 << 20))
        .await
        .expect("the page finishes streaming")
        .unwrap();
    String::from_utf8(body.to_vec()).unwrap()
}

#[tokio::test]
async fn health_reports_a_reachable_database() {
    let _turn = one_test_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let response = send(
        &test_router(&dir).await,
        Request::get("/healthz").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_refused_sign_in_link_lands_on_the_sign_in_page_saying_why() {
    let _turn = one_test_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let router = test_router(&dir).await;
    let forged = "/sso/login?client=1&email=nora%40northwind.test&expires=4000000000\
                  &nonce=n0nce&signature=00";
    let refused = send(&router, page_request(forged).body(Body::empty()).unwrap()).await;
    assert!(refused.headers().get(header::SET_COOKIE).is_none());
    let location = refused.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(location, app::paths::SSO_LINK_REFUSED_PAGE);
    let page = send(
        &router,
        page_request(&location).body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(body_text(page)
        .await
        .contains(app::auth::sso_link_refused()));
}

#[tokio::test]
async fn a_cross_site_sign_in_is_refused_before_it_runs() {
    let _turn = one_test_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let response = send(
        &test_router(&dir).await,
        sign_in_request("cross-site", "a long enough secret"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().get(header::SET_COOKIE).is_none());
}

#[tokio::test]
async fn the_platform_api_is_served_in_json_and_outside_the_cross_site_rule() {
    let _turn = one_test_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let router = test_router(&dir).await;
    // Cookies play no part in it: only a key opens it, wherever the request comes from.
    let response = send(
        &router,
        Request::post("/api/v1/calls")
            .header("sec-fetch-site", "cross-site")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let unknown = send(
        &router,
        Request::get("/api/v1/nothing").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert!(body_text(unknown).await.contains("no such API route"));
}

#[tokio::test]
async fn signing_in_sets_a_session_cookie_that_opens_the_home_page() {
    let _turn = one_test_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let router = test_router(&dir).await;

    let signed_out = send(&router, page_request("/").body(Body::empty()).unwrap()).await;
    assert_eq!(signed_out.status(), StatusCode::FOUND);
    assert_eq!(signed_out.headers()[header::LOCATION], "/login");
    // Redirected before rendering, keeping where the visitor was going.
    let deep = send(
        &router,
        page_request("/clients?status=active")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(deep.status(), StatusCode::FOUND);
    assert_eq!(
        deep.headers()[header::LOCATION],
        "/login?next=/clients%3Fstatus%3Dactive"
    );

    let wrong = send(&router, sign_in_request("same-origin", "not the secret")).await;
    assert!(wrong.headers().get(header::SET_COOKIE).is_none());
    assert!(body_text(wrong)
        .await
        .contains("Email or password is incorrect."));

    let right = send(
        &router,
        sign_in_request("same-origin", "a long enough secret"),
    )
    .await;
    let cookie = right.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.contains("HttpOnly; SameSite=Lax"), "{cookie}");
    let session = cookie.split(';').next().unwrap().to_string();

    let home = open_page(&router, &session, "/").await;
    assert_eq!(home.status(), StatusCode::OK);
    let csp = home.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    let page = body_text(home).await;
    assert!(
        page.contains("Nora North"),
        "the shell names the signed-in user"
    );
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        page.contains(&format!("nonce=\"{nonce}\"")),
        "inline scripts carry the CSP nonce"
    );

    // The page's title is in the head the server sends, with the brand's name:
    // it names the tab before (and without) JavaScript.
    let groups = open_page(&router, &session, "/groups").await;
    assert!(body_text(groups)
        .await
        .contains("<title>Groups · Switchboard</title>"));
}

/// The session cookie of Nora, signed in with the right password.
async fn signed_in_session(router: &Router) -> String {
    let signed_in = send(
        router,
        sign_in_request("same-origin", "a long enough secret"),
    )
    .await;
    signed_in.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

async fn assert_every_page_sends_to(router: &Router, session: &str, page: &str) {
    for path in ["/", "/clients", "/nodes/1/users"] {
        let response = open_page(router, session, path).await;
        assert_eq!(response.status(), StatusCode::FOUND, "{path}");
        assert_eq!(response.headers()[header::LOCATION], page, "{path}");
    }
}

#[tokio::test]
async fn a_client_user_verifies_before_any_page_opens() {
    let _turn = one_test_at_a_time().await;
    use app::clients::repo::{insert_client, NewClientRecord};
    use app::clients::CompanyInfo;
    use app::core::roles::{Role, RoleSet};
    use app::core::ClientStatus;
    use app::core::NodeKind;
    use app::tenancy::repo;

    let dir = tempfile::tempdir().unwrap();
    let router = test_router(&dir).await;
    let url = format!("sqlite://{}/serve.db", dir.path().display());
    let db = Db::connect(&url).await.unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    let platform = repo::ensure_platform(&mut conn).await.unwrap();
    let partner = repo::insert_node(&mut conn, Some(platform), NodeKind::Partner, "Northwind")
        .await
        .unwrap();
    let company = CompanyInfo {
        name: "Harbor Dental".into(),
        contact_name: "Hana".into(),
        email: "office@harbor.test".into(),
        phone: "+1 617 555 0100".into(),
        address: String::new(),
        time_zone: "UTC".into(),
    };
    let client = NewClientRecord {
        group: partner,
        partner,
        company: &company,
        status: ClientStatus::Active,
        seat_limit: 2,
        features: &[],
        tags: &[],
        sso_token: "token",
    };
    let account = insert_client(&mut conn, client).await.unwrap();
    let nora = app::auth::repo::find_by_email(&mut *conn, "nora@northwind.test")
        .await
        .unwrap()
        .unwrap();
    let roles = RoleSet::new([Role::ClientUser]);
    app::users::repo::set_membership(&mut conn, nora.id, account, &roles)
        .await
        .unwrap();
    drop(conn);
    db.close().await;

    let session = signed_in_session(&router).await;
    assert_every_page_sends_to(&router, &session, app::paths::VERIFY).await;
    let verify = open_page(&router, &session, app::paths::VERIFY).await;
    assert_eq!(verify.status(), StatusCode::OK);
    let page = body_text(verify).await;
    assert!(page.contains("Verify your account"), "{page}");
    assert!(
        page.contains("nora@northwind.test"),
        "the address the code goes to"
    );
}

#[tokio::test]
async fn a_temporary_password_is_changed_before_any_page_opens() {
    let _turn = one_test_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let router = test_router(&dir).await;
    let url = format!("sqlite://{}/serve.db", dir.path().display());
    let db = Db::connect(&url).await.unwrap();
    sqlx::query("UPDATE users SET must_change_password = 1")
        .execute(db.pool())
        .await
        .unwrap();
    db.close().await;

    let session = signed_in_session(&router).await;
    assert_every_page_sends_to(&router, &session, app::paths::CHANGE_PASSWORD).await;
    let change = open_page(&router, &session, app::paths::CHANGE_PASSWORD).await;
    assert_eq!(change.status(), StatusCode::OK);
}

/// A name written to break out of wherever it is shown: the title, an attribute,
/// a script, or the page (a refresh to another site, an image that swallows it).
const HOSTILE: &str = "=2+5 probe</title></script><img src=x onerror=alert(1)>\
                       <meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">\
                       <img src='https://evil.example/?";

/// Markup the hostile name carries, which must never reach a page unescaped.
const HOSTILE_MARKUP: [&str; 4] = [
    "<img src=x",
    "<meta http-equiv",
    "<img src='https://evil.example",
    "</title></script>",
];

/// A world named by an attacker: a partner, group, client account and person all
/// called [`HOSTILE`], with Nora as the platform's admin. Returns the client and the
/// person.
async fn hostile_world(dir: &tempfile::TempDir) -> (app::core::NodeId, app::core::UserId) {
    use app::clients::repo::{insert_client, NewClientRecord};
    use app::clients::CompanyInfo;
    use app::core::roles::{Role, RoleSet};
    use app::core::ClientStatus;
    use app::core::NodeKind;
    use app::tenancy::repo;
    use app::users::repo::set_membership;

    let url = format!("sqlite://{}/serve.db", dir.path().display());
    let db = Db::connect(&url).await.unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    let platform = repo::ensure_platform(&mut conn).await.unwrap();
    let partner = repo::insert_node(&mut conn, Some(platform), NodeKind::Partner, HOSTILE)
        .await
        .unwrap();
    let group = repo::insert_node(&mut conn, Some(partner), NodeKind::Group, HOSTILE)
        .await
        .unwrap();
    let company = CompanyInfo {
        name: HOSTILE.into(),
        contact_name: HOSTILE.into(),
        email: "office@harbor.test".into(),
        phone: "+1 617 555 0100".into(),
        address: HOSTILE.into(),
        time_zone: "UTC".into(),
    };
    let client = insert_client(
        &mut conn,
        NewClientRecord {
            group,
            partner,
            company: &company,
            status: ClientStatus::Active,
            seat_limit: 2,
            features: &[],
            tags: &[],
            sso_token: "token",
        },
    )
    .await
    .unwrap();
    let person = insert_user(
        &mut *conn,
        &NewUser {
            email: "hostile@harbor.test",
            name: HOSTILE,
            language: "en",
            branding_domain: None,
            status: UserStatus::Active,
            password_hash: None,
            must_change_password: false,
        },
    )
    .await
    .unwrap();
    set_membership(&mut conn, person, client, &RoleSet::new([Role::ClientUser]))
        .await
        .unwrap();
    make_nora_platform_admin(&mut conn, platform).await;
    drop(conn);
    db.close().await;
    (client, person)
}

/// Nora (made by [`test_router`]) becomes the admin of the platform node `platform`.
async fn make_nora_platform_admin(conn: &mut sqlx::AnyConnection, platform: app::core::NodeId) {
    use app::auth::repo::find_by_email;
    use app::core::roles::{Role, RoleSet};
    use app::users::repo::set_membership;

    let nora = find_by_email(&mut *conn, "nora@northwind.test")
        .await
        .unwrap()
        .unwrap();
    set_membership(
        conn,
        nora.id,
        platform,
        &RoleSet::new([Role::PlatformAdmin]),
    )
    .await
    .unwrap();
}

/// The platform, a partner, a group in it and a sub-group in that, with Nora as the
/// platform's admin. Returns their ids, from the platform down.
async fn group_world(dir: &tempfile::TempDir) -> [app::core::NodeId; 4] {
    use app::core::NodeKind;
    use app::tenancy::repo::{ensure_platform, insert_node};

    let url = format!("sqlite://{}/serve.db", dir.path().display());
    let db = Db::connect(&url).await.unwrap();
    let mut conn = db.pool().acquire().await.unwrap();
    let platform = ensure_platform(&mut conn).await.unwrap();
    let mut ids = vec![platform];
    for (kind, name) in [
        (NodeKind::Partner, "Northwind Telecom"),
        (NodeKind::Group, "East Region"),
        (NodeKind::Group, "Boston Metro"),
    ] {
        let parent = ids.last().copied();
        ids.push(insert_node(&mut conn, parent, kind, name).await.unwrap());
    }
    make_nora_platform_admin(&mut conn, platform).await;
    drop(conn);
    db.close().await;
    ids.try_into().unwrap()
}

async fn page_text(router: &Router, session: &str, path: &str) -> String {
    let response = open_page(router, session, path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    body_text(response).await
}

/// The escaped page title `page` would have, in the platform's brand.
fn title_of(page: &str) -> String {
    format!(
        "<title>{} · Switchboard</title>",
        page.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    )
}

#[tokio::test]
async fn names_never_become_markup_on_any_page_that_shows_them() {
    let _turn = one_test_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let router = test_router(&dir).await;
    let (client, person) = hostile_world(&dir).await;
    let session = signed_in_session(&router).await;
    let pages = [
        "/".to_string(),
        "/clients".to_string(),
        format!("/clients?q={}", app::core::url::encode_query_value("probe")),
        format!("/clients/{}", client.0),
        format!("/clients/{}/access", client.0),
        format!("/clients/{}/log-in-as?mode=client", client.0),
        "/groups".to_string(),
        format!("/nodes/{}/users", client.0),
        format!("/nodes/{}/users/{}", client.0, person.0),
        "/audit".to_string(),
    ];
    for path in &pages {
        let page = page_text(&router, &session, path).await;
        for markup in HOSTILE_MARKUP {
            assert!(!page.contains(markup), "{path} carries {markup:?}:\n{page}");
        }
    }
    // Pages titled from a record's name carry it, escaped, in the head.
    for (path, title) in [
        (format!("/clients/{}", client.0), HOSTILE),
        (format!("/nodes/{}/users/{}", client.0, person.0), HOSTILE),
    ] {
        let page = page_text(&router, &session, &path).await;
        let head = &page[..page.find("</head>").expect("a head")];
        assert!(head.contains(&title_of(title)), "{path}:\n{head}");
    }
}

#[tokio::test]
async fn the_group_tree_is_in_the_page_the_server_sends_with_a_link_for_every_node() {
    let _turn = one_test_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let router = test_router(&dir).await;
    let [platform, partner, region, metro] = group_world(&dir).await;
    let session = signed_in_session(&router).await;
    let at = app::core::url::format_path(&[platform, partner, region]);
    let inside = format!("{at}.{}", metro.0);

    // Opened at a group: the group's panel, and the group open, its sub-group a link.
    let groups = page_text(&router, &session, &format!("/groups?path={at}")).await;
    assert!(groups.contains("role=\"tree\""), "{groups}");
    assert!(groups.contains("<h2>East Region</h2>"), "{groups}");
    assert!(
        groups.contains(&format!("href=\"/groups?path={inside}\"")),
        "{groups}"
    );
    let directory = page_text(&router, &session, &format!("/clients?under={at}")).await;
    assert!(
        directory.contains(&format!("href=\"/clients?under={inside}\"")),
        "{directory}"
    );
}

#[tokio::test]
async fn pages_titled_from_data_carry_their_title_in_every_answer() {
    let _turn = one_test_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let router = test_router(&dir).await;
    let (client, person) = hostile_world(&dir).await;
    let session = signed_in_session(&router).await;
    let paths = [
        format!("/clients/{}", client.0),
        format!("/nodes/{}/users/{}", client.0, person.0),
        "/".to_string(),
    ];
    let mut fetches = tokio::task::JoinSet::new();
    for path in paths.iter().cycle().take(30).cloned() {
        let (router, session) = (router.clone(), session.clone());
        fetches.spawn(async move {
            let page = page_text(&router, &session, &path).await;
            (path, page)
        });
    }
    while let Some(fetched) = fetches.join_next().await {
        let (path, page) = fetched.unwrap();
        let head = &page[..page.find("</head>").expect("a head")];
        assert!(
            head.contains("<title>") && head.contains(" · Switchboard</title>"),
            "{path} has no title:\n{head}"
        );
    }
}

#[tokio::test]
async fn after_sign_in_a_browser_goes_only_to_a_plain_path_of_this_site() {
    let _turn = one_test_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let router = test_router(&dir).await;
    for (next, expected) in [
        ("%2Fclients%3Fq%3Da", "/clients?q=a"),
        ("%2F%09%2Fevil.example", "/"),
        ("%2F%0A%2Fevil.example", "/"),
        ("%2F%5Cevil.example", "/"),
        ("https%3A%2F%2Fevil.example", "/"),
    ] {
        let request = Request::post(SignIn::PATH)
            .header("sec-fetch-site", "same-origin")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "email=nora%40northwind.test&password=a+long+enough+secret&next={next}"
            )))
            .unwrap();
        let response = send(&router, request).await;
        assert_eq!(response.headers()[header::LOCATION], expected, "{next}");
    }
}

/// An SSO link for `email` at `client`, signed with `token`, valid for two minutes.
fn sso_path(client: app::core::NodeId, email: &str, nonce: &str, token: &str) -> String {
    app::auth::sso::SsoLink {
        client: client.0,
        email: email.into(),
        expires: app::db::now_ms() / 1000 + 120,
        nonce: nonce.into(),
        signature: String::new(),
    }
    .to_path(token)
}

#[tokio::test]
async fn an_sso_link_signs_in_on_the_record_and_never_into_a_suspended_account() {
    let _turn = one_test_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let router = test_router(&dir).await;
    let (client, _) = hostile_world(&dir).await;
    let url = format!("sqlite://{}/serve.db", dir.path().display());
    let db = Db::connect(&url).await.unwrap();

    let link = sso_path(client, "hostile@harbor.test", "nonce-0001", "token");
    let signed_in = send(&router, page_request(&link).body(Body::empty()).unwrap()).await;
    assert_eq!(signed_in.headers()[header::LOCATION], "/");
    assert!(signed_in.headers().get(header::SET_COOKIE).is_some());
    let details: String = sqlx::query_scalar(
        "SELECT details FROM audit_events WHERE action = 'auth.sign_in' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert!(details.contains(r#""via":"sso""#), "{details}");

    sqlx::query("UPDATE clients SET status = 'suspended' WHERE node_id = $1")
        .bind(client.0)
        .execute(db.pool())
        .await
        .unwrap();
    let link = sso_path(client, "hostile@harbor.test", "nonce-0002", "token");
    let refused = send(&router, page_request(&link).body(Body::empty()).unwrap()).await;
    assert_eq!(
        refused.headers()[header::LOCATION],
        app::paths::SSO_LINK_REFUSED_PAGE
    );
    assert!(refused.headers().get(header::SET_COOKIE).is_none());
    db.close().await;
}

#[tokio::test]
async fn refusals_answer_with_the_status_of_their_kind_and_a_readable_message() {
    let _turn = one_test_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let router = test_router(&dir).await;
    // Twelve wrong passwords at once: at most the limit are weighed, the rest wait.
    let mut guesses = tokio::task::JoinSet::new();
    for n in 0..12 {
        let router = router.clone();
        guesses.spawn(async move {
            let response = send(
                &router,
                sign_in_request("same-origin", &format!("guess {n}")),
            )
            .await;
            let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
            (response.status(), retry_after, body_text(response).await)
        });
    }
    let mut weighed = 0;
    while let Some(answer) = guesses.join_next().await {
        let (status, retry_after, body) = answer.unwrap();
        match status {
            StatusCode::UNPROCESSABLE_ENTITY => {
                assert!(body.contains("Email or password is incorrect."), "{body}");
                weighed += 1;
            }
            StatusCode::TOO_MANY_REQUESTS => {
                assert_eq!(retry_after.unwrap(), "900");
                assert!(body.contains("TooManyAttempts"), "{body}");
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(
        weighed,
        Settings::default().sign_in_limits.per_account_and_address
    );

    // Signed out: 401, not a fault.
    let signed_out = send(
        &router,
        Request::post(app::tenancy::api::ListTree::PATH)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("open=&closed="))
            .unwrap(),
    )
    .await;
    assert_eq!(signed_out.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn oversized_requests_are_refused_before_any_work() {
    let _turn = one_test_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let router = test_router(&dir).await;
    let (_, _) = hostile_world(&dir).await;
    let session = signed_in_session(&router).await;

    let huge = format!(
        "email=nora%40northwind.test&password={}",
        "x".repeat(3 << 20)
    );
    let too_large = send(
        &router,
        Request::post(SignIn::PATH)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::CONTENT_LENGTH, huge.len())
            .body(Body::from(huge))
            .unwrap(),
    )
    .await;
    assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body_text(too_large).await.contains("at most 1 MB"));

    // A tree request naming 100,000 nodes is refused at once, not worked through.
    let ids = (1..=100_000)
        .map(|id| id.to_string())
        .collect::<Vec<_>>()
        .join(".");
    let started = std::time::Instant::now();
    let refused = send(
        &router,
        Request::post(app::tenancy::api::ListTree::PATH)
            .header(header::COOKIE, &session)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("open={ids}&closed=")))
            .unwrap(),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    println!("refused 100,000 tree ids in {:?}", started.elapsed());
}

#[tokio::test]
async fn exports_go_on_the_record_with_who_from_where_and_how_many_rows() {
    let _turn = one_test_at_a_time().await;
    let dir = tempfile::tempdir().unwrap();
    let router = test_router(&dir).await;
    let (client, _) = hostile_world(&dir).await;
    let session = signed_in_session(&router).await;
    let clients =
        body_text(open_page(&router, &session, "/clients/export.csv?q=probe").await).await;
    assert_eq!(clients.lines().count(), 2, "{clients}");
    // The formula-like name is written as text.
    assert!(clients.contains("'=2+5 probe"), "{clients}");
    let audit = body_text(open_page(&router, &session, "/audit/export.csv").await).await;

    let url = format!("sqlite://{}/serve.db", dir.path().display());
    let db = Db::connect(&url).await.unwrap();
    let recorded: Vec<(String, Option<i64>, String)> = sqlx::query_as(
        "SELECT action, node_id, details FROM audit_events WHERE action LIKE '%.exported' ORDER BY id",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    db.close().await;
    assert_eq!(recorded.len(), 2, "{recorded:?}");
    assert_eq!(recorded[0].0, "clients.exported");
    assert!(
        recorded[0].2.contains(r#""rows":1"#) && recorded[0].2.contains("q=probe"),
        "{recorded:?}"
    );
    assert_eq!(recorded[1].0, "audit.exported");
    let audit_rows = audit.lines().count() - 1;
    assert!(
        recorded[1].2.contains(&format!(r#""rows":{audit_rows}"#)),
        "{recorded:?}"
    );
    assert!(
        recorded.iter().all(|(_, node, _)| node.is_some()),
        "{recorded:?} {client:?}"
    );
}
