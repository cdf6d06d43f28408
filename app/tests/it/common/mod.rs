//! A fresh database per test: an SQLite file in a temporary folder always, and a new
//! PostgreSQL database when `TEST_POSTGRES_URL` names a server the tests may create
//! databases on.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};

use app::auth::actor::Actor;
use app::auth::caller::Caller;
use app::db::Db;
use app::state::AppState;

/// The client address the tests' callers come from.
pub const ADDRESS: &str = "198.51.100.7";

/// The app's state over `db`, with default settings and the cheapest password hashing.
pub fn state(db: Db) -> AppState {
    AppState {
        db,
        settings: app::state::Settings::default(),
        passwords: app::password::Passwords::new(1),
    }
}

/// `actor` calling a service, as a server function would for them.
pub fn caller(state: &AppState, actor: &Actor) -> Caller {
    Caller::new(state.clone(), actor.clone(), ADDRESS)
}

static NEXT_DATABASE: AtomicUsize = AtomicUsize::new(0);

/// Runs `test` once on each reachable backend, each time on a new, migrated database.
pub async fn on_every_database<F, Fut>(test: F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
    let db = Db::connect(&url).await.expect("open SQLite");
    db.migrate().await.expect("migrate SQLite");
    test(db.clone()).await;
    db.close().await;

    match std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(admin_url) => {
            let (db, name) = fresh_postgres(&admin_url).await;
            test(db.clone()).await;
            db.close().await;
            drop_postgres(&admin_url, &name).await;
        }
        None => say_postgres_skipped(),
    }
}

/// Says once, where the test output shows it, that only SQLite was tested.
fn say_postgres_skipped() {
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        eprintln!(
            "\n*** TEST_POSTGRES_URL is not set: these tests ran on SQLite only, \
             PostgreSQL was SKIPPED. ***\n"
        );
    });
}

async fn fresh_postgres(admin_url: &str) -> (Db, String) {
    let admin = Db::connect(admin_url)
        .await
        .expect("reach TEST_POSTGRES_URL");
    let name = format!(
        "switchboard_test_{}_{}_{}",
        std::process::id(),
        NEXT_DATABASE.fetch_add(1, Ordering::SeqCst),
        app::db::now_ms() % 1_000_000
    );
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(admin.pool())
        .await
        .expect("create test database");
    admin.close().await;
    let db = Db::connect(&with_database(admin_url, &name))
        .await
        .expect("open test database");
    db.migrate().await.expect("migrate PostgreSQL");
    (db, name)
}

async fn drop_postgres(admin_url: &str, name: &str) {
    if let Ok(admin) = Db::connect(admin_url).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
            .execute(admin.pool())
            .await;
        admin.close().await;
    }
}

fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let server = base
        .rsplit_once('/')
        .map(|(server, _)| server)
        .unwrap_or(base);
    format!("{server}/{name}{query}")
}
