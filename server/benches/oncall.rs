//! What operators' information costs, on SQLite and, when `TEST_POSTGRES_URL` is set,
//! on PostgreSQL, with `BENCH_ACCOUNTS` accounts (default 10,000), each with three
//! contacts, a weekday, a weeknight and a weekend rule and an override: the p50/p95
//! of resolving "on call now" for one account, of its whole calendar (the 7-day
//! agenda, gaps, rules and overrides), and of `GET /api/v1/operator-view` through the
//! API's router for accounts picked across all of them (one at a time, and 8 clients
//! at once), each fetch recorded as the platform's would be.
//!
//! Run by `scripts/bench.sh`. Figures only: nothing here can fail on a slow machine.

mod accounts;
mod common;

use std::time::Instant;

use accounts::{accounts_of, api_key, migrated, person};
use app::auth::caller::Caller;
use app::core::roles::Role;
use app::core::zone::zone;
use app::db::{now_ms, Db};
use app::oncall::service::{calendar, on_call_for};
use app::password::Passwords;
use app::state::{ApiLimit, AppState, Settings};
use axum::body::Body;
use common::{on_each_database, percentiles, time};
use tower::ServiceExt;

const CLIENTS: usize = 8;
const PER_CLIENT: usize = 250;
const TIME_ZONE: &str = "America/New_York";

fn accounts_wanted() -> usize {
    std::env::var("BENCH_ACCOUNTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

#[tokio::main]
async fn main() {
    on_each_database(|url, backend, _| async move { run(&url, backend).await }).await;
}

async fn run(url: &str, backend: &str) {
    let count = accounts_wanted();
    println!("\n== {backend}: on call and the operator view ==");
    let state = AppState {
        db: migrated(url).await,
        settings: Settings {
            api_limit: ApiLimit {
                per_second: 1_000_000,
                burst: 1_000_000,
            },
            ..Settings::default()
        },
        passwords: Passwords::new(1),
    };
    let started = Instant::now();
    let (partner, ids) = accounts_of(&state.db, count, TIME_ZONE).await;
    fill(&state.db).await;
    println!(
        "{count} accounts with contacts, rules and overrides made in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let first = ids[0];
    let admin = person(&state.db, "admin@bench.test", first, Role::ClientAdmin).await;
    let caller = Caller::new(state.clone(), admin.clone(), "203.0.113.9");
    let new_york = zone(TIME_ZONE);
    let (p50, p95) = time(|_| async {
        on_call_for(&state.db, first, &new_york)
            .await
            .expect("on call");
    })
    .await;
    println!("on call now, one account          p50 {p50:.2} ms  p95 {p95:.2} ms");
    let (p50, p95) = time(|_| async {
        calendar(&caller, Some(first)).await.expect("calendar");
    })
    .await;
    println!("calendar with the 7-day agenda    p50 {p50:.2} ms  p95 {p95:.2} ms");

    let key = api_key(&state, partner, admin.user().id, "read:operator-view").await;
    let api = app::platform_api::router(state.clone());
    let fetch = move |n: usize| {
        // Accounts spread over all of them, a different one each time.
        let account = ids[(n * 7_919) % ids.len()];
        let request = http::Request::get(format!("/api/v1/operator-view?account={}", account.0))
            .header("authorization", format!("Bearer {key}"))
            .body(Body::empty())
            .expect("request");
        let api = api.clone();
        async move {
            let response = api.oneshot(request).await.expect("answer");
            assert_eq!(response.status(), http::StatusCode::OK, "operator view");
        }
    };
    let (p50, p95) = time(&fetch).await;
    println!("operator view, one at a time      p50 {p50:.2} ms  p95 {p95:.2} ms");
    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let fetch = fetch.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(PER_CLIENT);
                for i in 0..PER_CLIENT {
                    let began = Instant::now();
                    fetch(10_000 + client * PER_CLIENT + i).await;
                    latencies.push(began.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for client in clients {
        latencies.extend(client.await.expect("client"));
    }
    let seconds = started.elapsed().as_secs_f64();
    let (p50, p95) = percentiles(latencies);
    println!(
        "operator view, {CLIENTS} clients at once: {:.0} per s, p50 {p50:.2} ms  p95 {p95:.2} ms",
        (CLIENTS * PER_CLIENT) as f64 / seconds
    );
}

/// Three contacts per account (each with a mobile and an email), a weekday rule, a
/// weeknight rule and a weekend rule naming them, and an override tomorrow: a few
/// statements for all accounts at once, the same on both databases.
async fn fill(db: &Db) {
    let now = now_ms();
    let statements = [
        format!(
            "INSERT INTO contacts (client_id, name, role, instructions, position, created_at, updated_at) \
             SELECT c.node_id, 'Contact ' || k.position, 'Dentist', 'Call, then text.', k.position, {now}, {now} \
             FROM clients c CROSS JOIN (SELECT 1 AS position UNION ALL SELECT 2 UNION ALL SELECT 3) k"
        ),
        "INSERT INTO contact_methods (contact_id, position, kind, value, note) \
         SELECT id, 0, 'mobile', '+1 617 555 0101', 'any time' FROM contacts"
            .to_string(),
        "INSERT INTO contact_methods (contact_id, position, kind, value, note) \
         SELECT id, 1, 'email', 'contact@bench.test', '' FROM contacts"
            .to_string(),
        format!(
            "INSERT INTO oncall_rules (client_id, weekdays, start_minute, end_minute, closed, note, created_at, updated_at) \
             SELECT c.node_id, r.weekdays, r.start_minute, r.end_minute, 0, '', {now}, {now} FROM clients c \
             CROSS JOIN (SELECT 31 AS weekdays, 480 AS start_minute, 1080 AS end_minute \
                         UNION ALL SELECT 15, 1080, 480 UNION ALL SELECT 96, 0, 0) r"
        ),
        "INSERT INTO oncall_rule_contacts (rule_id, rank, contact_id) \
         SELECT r.id, 1, c.id FROM oncall_rules r JOIN contacts c ON c.client_id = r.client_id \
         AND c.position = CASE r.start_minute WHEN 480 THEN 1 WHEN 1080 THEN 2 ELSE 3 END"
            .to_string(),
        format!(
            "INSERT INTO oncall_overrides (client_id, starts_at, ends_at, add_contact_id, remove_contact_id, note, created_at, updated_at) \
             SELECT a.client_id, {from}, {to}, a.id, b.id, 'Conference', {now}, {now} FROM contacts a \
             JOIN contacts b ON b.client_id = a.client_id AND b.position = 1 WHERE a.position = 3",
            from = now + 86_400_000,
            to = now + 86_400_000 + 12 * 3_600_000,
        ),
        "ANALYZE".to_string(),
    ];
    for sql in statements {
        sqlx::query(&sql).execute(db.pool()).await.expect(&sql);
    }
}
