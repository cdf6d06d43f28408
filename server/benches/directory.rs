//! The client directory at scale (issue 3): a world of `BENCH_CLIENTS` clients (100k by
//! default) and a group per ten clients, on SQLite and, when `TEST_POSTGRES_URL` is set,
//! on PostgreSQL. Prints the directory query's p50/p95 (several filters), the subtree
//! listing, the access check, and the SSR directory page's throughput as a ratio to the
//! plain `/healthz` route and to the sign-in page (server-rendered, with no data) of the
//! same server, measured in the same run.
//!
//! Run by `scripts/bench.sh`, which builds the release binary first. Figures only: no
//! assertion here can fail on a slow machine.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;

use app::auth::actor::Actor;
use app::auth::repo::find_by_email;
use app::clients::directory::{DirectoryQuery, SortKey, PAGE_SIZE};
use app::clients::directory_sql::directory_rows;
use app::core::roles::Permission;
use app::core::NodeId;
use app::core::{ClientStatus, Feature};
use app::db::Db;
use app::password::Passwords;
use app::request::Requester;
use app::state::{AppState, Settings};
use app::tenancy::repo::groups_below;
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;

use common::{binary, on_each_database, time};

const PASSWORD: &str = "bench-Password-2026!";
const PARTNER_ADMIN: &str = "admin@northwind.test";

#[tokio::main]
async fn main() {
    let clients: usize = std::env::var("BENCH_CLIENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    on_each_database(|url, backend, place| async move {
        run(&url, backend, clients, 3931 + place).await
    })
    .await;
}

async fn run(url: &str, backend: &str, clients: usize, port: u16) {
    println!("\n== {backend}: {clients} clients ==");
    let started = Instant::now();
    let status = Command::new(binary())
        .args(["seed", "--demo", "--password", PASSWORD, "--clients"])
        .arg(clients.to_string())
        .env("DATABASE_URL", url)
        .stdout(Stdio::null())
        .status()
        .expect("run switchboard seed");
    assert!(status.success(), "seeding failed");
    println!("seeded in {:.0} s", started.elapsed().as_secs_f64());

    let db = Db::connect(url).await.expect("connect");
    analyze(&db).await;
    let counts: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM clients), (SELECT COUNT(*) FROM nodes WHERE kind = 'group')",
    )
    .fetch_one(db.pool())
    .await
    .expect("count");
    println!("{} clients, {} groups", counts.0, counts.1);

    let actor = actor(&db, PARTNER_ADMIN).await;
    let partner = actor.memberships()[0].node_id;
    queries(&db, partner).await;
    subtree(&db, partner).await;
    access(&db, &actor).await;
    throughput(&db, url, port).await;
    db.close().await;
}

/// Fresh statistics, as a database in service would have.
async fn analyze(db: &Db) {
    sqlx::query("ANALYZE")
        .execute(db.pool())
        .await
        .expect("analyze");
}

async fn actor(db: &Db, email: &str) -> Actor {
    let user = find_by_email(db.pool(), email)
        .await
        .expect("query")
        .expect("demo user");
    let session = app::auth::session::SessionUser {
        id: user.id,
        name: user.name,
        email: user.email,
        must_change_password: false,
        language: app::core::Language::English,
        verified: Vec::new(),
        token_hash: String::new(),
        impersonation: None,
        expires_at: i64::MAX,
    };
    Actor::of(db, session).await.expect("memberships")
}

async fn queries(db: &Db, partner: NodeId) {
    let base = DirectoryQuery::default();
    let cases = [
        ("first page, by company", base.clone()),
        (
            "by SMS credit, descending",
            DirectoryQuery {
                sort: SortKey::SmsCredit,
                descending: true,
                ..base.clone()
            },
        ),
        (
            "status suspended",
            DirectoryQuery {
                status: Some(ClientStatus::Suspended),
                ..base.clone()
            },
        ),
        (
            "tag vip (rare)",
            DirectoryQuery {
                tag: Some("vip".into()),
                ..base.clone()
            },
        ),
        (
            "tag trial (a third of all clients)",
            DirectoryQuery {
                tag: Some("trial".into()),
                ..base.clone()
            },
        ),
        (
            "feature chat",
            DirectoryQuery {
                feature: Some(Feature::Chat),
                ..base.clone()
            },
        ),
        (
            "low credit",
            DirectoryQuery {
                low_credit: true,
                ..base.clone()
            },
        ),
        (
            "search 'harbor' (6% of clients)",
            DirectoryQuery {
                search: "harbor".into(),
                ..base.clone()
            },
        ),
        (
            "search one email address",
            DirectoryQuery {
                search: "office12345@".into(),
                ..base.clone()
            },
        ),
        (
            "suspended and trial (no client is both)",
            DirectoryQuery {
                status: Some(ClientStatus::Suspended),
                tag: Some("trial".into()),
                ..base.clone()
            },
        ),
    ];
    println!("directory query (partner scope, {PAGE_SIZE} rows):  p50 ms   p95 ms");
    for (label, query) in cases {
        // Later pages too: keyset pages cost the same wherever they start.
        let (first, _) = directory_rows(db, &[partner], &query, PAGE_SIZE)
            .await
            .expect("page");
        let deep = first
            .last()
            .map(|row| query.page_after(&app::clients::directory::cursor_of(row, query.sort)));
        let (p50, p95) = time(|i| {
            let query = if i % 2 == 1 {
                deep.clone().unwrap_or(query.clone())
            } else {
                query.clone()
            };
            async move {
                directory_rows(db, &[partner], &query, PAGE_SIZE)
                    .await
                    .expect("page");
            }
        })
        .await;
        println!("  {label:<40} {p50:>7.2} {p95:>8.2}");
    }
    // A group deep in the tree: its subtree is small.
    let group: i64 =
        sqlx::query_scalar("SELECT id FROM nodes WHERE kind = 'group' ORDER BY id DESC LIMIT 1")
            .fetch_one(db.pool())
            .await
            .expect("a group");
    let (p50, p95) = time(|_| async move {
        directory_rows(db, &[NodeId(group)], &DirectoryQuery::default(), PAGE_SIZE)
            .await
            .expect("page");
    })
    .await;
    println!(
        "  {:<40} {p50:>7.2} {p95:>8.2}",
        "one small group's subtree"
    );
}

async fn subtree(db: &Db, partner: NodeId) {
    let size = groups_below(db.pool(), partner)
        .await
        .expect("groups")
        .len();
    let (p50, p95) = time(|_| async move {
        groups_below(db.pool(), partner).await.expect("groups");
    })
    .await;
    println!("subtree listing (all {size} groups of a partner): p50 {p50:.2} ms, p95 {p95:.2} ms");
}

async fn access(db: &Db, actor: &Actor) {
    let clients: Vec<i64> =
        sqlx::query_scalar("SELECT node_id FROM clients ORDER BY node_id DESC LIMIT 100")
            .fetch_all(db.pool())
            .await
            .expect("clients");
    let (p50, p95) = time(|i| {
        let client = NodeId(clients[i % clients.len()]);
        async move {
            let _ = actor.require(db, Permission::ViewNodes, client).await;
        }
    })
    .await;
    println!("access check (permission at a client):  p50 {p50:.3} ms, p95 {p95:.3} ms");
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Requests per second on `path` from `connections` keep-alive connections for `span`.
async fn requests_per_second(port: u16, path: &str, cookie: &str, span: Duration) -> f64 {
    let connections = 8;
    let deadline = Instant::now() + span;
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let path = path.to_string();
        let cookie = cookie.to_string();
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .expect("connect");
            let (mut sender, connection) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream))
                    .await
                    .expect("handshake");
            tokio::spawn(connection);
            let mut done = 0u64;
            while Instant::now() < deadline {
                let request = http::Request::get(&path)
                    .header(http::header::HOST, format!("127.0.0.1:{port}"))
                    .header(http::header::COOKIE, &cookie)
                    .header(http::header::ACCEPT, "text/html")
                    .body(Empty::<Bytes>::new())
                    .expect("request");
                // The connection takes its own turn to be ready for the next request.
                sender.ready().await.expect("connection ready");
                let response = sender.send_request(request).await.expect("response");
                assert!(
                    response.status().is_success(),
                    "{path}: {}",
                    response.status()
                );
                response.into_body().collect().await.expect("body");
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.expect("worker");
    }
    total as f64 / span.as_secs_f64()
}

async fn throughput(db: &Db, url: &str, port: u16) {
    let server = Server(
        Command::new(binary())
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", url)
            .env("SWITCHBOARD_INSECURE_COOKIES", "1")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("start switchboard serve"),
    );
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let settings = Settings {
        secure_cookies: false,
        ..Settings::default()
    };
    let state = AppState {
        db: db.clone(),
        settings: settings.clone(),
        passwords: Passwords::new(1),
    };
    let user = find_by_email(db.pool(), PARTNER_ADMIN)
        .await
        .expect("query")
        .expect("demo user");
    let token = app::auth::session::open_session(
        &state,
        &user,
        &Requester::default(),
        None,
        app::auth::session::SignInMethod::Password,
    )
    .await
    .expect("session");
    let cookie = format!("{}={token}", app::auth::session::cookie_name(&settings));

    let span = Duration::from_secs(5);
    requests_per_second(port, "/clients", &cookie, Duration::from_secs(1)).await;
    let plain = requests_per_second(port, "/healthz", &cookie, span).await;
    // The sign-in page is a server-rendered page too, with no data of its own.
    let plain_page = requests_per_second(port, "/login", "", span).await;
    let page = requests_per_second(port, "/clients", &cookie, span).await;
    println!(
        "throughput: /healthz {plain:.0} req/s, SSR /login {plain_page:.0} req/s, SSR /clients {page:.0} req/s"
    );
    println!(
        "  /clients ÷ /healthz {:.3}, /clients ÷ /login {:.3} (target ≥ 0.15)",
        page / plain,
        page / plain_page
    );
    drop(server);
}
