//! What the benchmarks share: the release binary under test, timing with percentiles,
//! and the databases they run on.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use app::db::Db;

const SAMPLES: usize = 300;

pub fn binary() -> PathBuf {
    std::env::var_os("SWITCHBOARD_BIN")
        .map(PathBuf::from)
        .expect("SWITCHBOARD_BIN names the release binary (scripts/bench.sh sets it)")
}

/// The 50th and 95th percentiles, in milliseconds.
pub fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let at =
        |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e3;
    (at(0.50), at(0.95))
}

/// Percentiles of `run` over [`SAMPLES`] runs, after 20 to warm up.
pub async fn time<F, Fut>(mut run: F) -> (f64, f64)
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for i in 0..20 {
        run(i).await;
    }
    let mut samples = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES {
        let started = Instant::now();
        run(i).await;
        samples.push(started.elapsed());
    }
    percentiles(samples)
}

/// A new database on the server of `admin_url`: its URL and name.
async fn fresh_postgres(admin_url: &str) -> (String, String) {
    let admin = Db::connect(admin_url)
        .await
        .expect("reach TEST_POSTGRES_URL");
    let name = format!("switchboard_bench_{}", std::process::id());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(admin.pool())
        .await
        .expect("create bench database");
    admin.close().await;
    let base = admin_url
        .rsplit_once('/')
        .map(|(base, _)| base)
        .unwrap_or(admin_url);
    (format!("{base}/{name}"), name)
}

async fn drop_postgres(admin_url: &str, name: &str) {
    let admin = Db::connect(admin_url)
        .await
        .expect("reach TEST_POSTGRES_URL");
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(admin.pool())
        .await;
    admin.close().await;
}

/// Runs `run` on a new SQLite database, then (when `TEST_POSTGRES_URL` is set) on a
/// new PostgreSQL database: with its URL, its backend's name and its place (0, 1).
pub async fn on_each_database<F, Fut>(run: F)
where
    F: Fn(String, &'static str, u16) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let dir = tempfile::tempdir().expect("temporary folder");
    let sqlite = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
    run(sqlite, "SQLite", 0).await;
    if let Ok(admin_url) = std::env::var("TEST_POSTGRES_URL") {
        let (url, name) = fresh_postgres(&admin_url).await;
        run(url, "PostgreSQL", 1).await;
        drop_postgres(&admin_url, &name).await;
    }
}
