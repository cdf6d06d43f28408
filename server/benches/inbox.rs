//! What the client portal's traffic costs: on SQLite and, when `TEST_POSTGRES_URL` is
//! set, on PostgreSQL, prints the ingestion API's throughput (calls and texts with
//! their debits, through the API's own router: 8 clients at once, each sending for its
//! own account, and 8 senders for one account, whose debits queue on its balance) with
//! the p50/p95 of one ingestion, and the p50/p95 of the inbox's first page with `BENCH_MESSAGES`
//! messages (default 1,000,000) over `BENCH_ACCOUNTS` accounts (10,000), for a
//! Client Admin and for a Client User (who sees what is addressed to them).
//!
//! Run by `scripts/bench.sh`. Figures only: nothing here can fail on a slow machine.

mod accounts;
mod common;

use std::time::Instant;

use accounts::{accounts_of, api_key, migrated, person};
use app::auth::caller::Caller;
use app::core::roles::Role;
use app::core::NodeId;
use app::db::{now_ms, Backend, Db};
use app::inbox::service::inbox;
use app::inbox::InboxQuery;
use app::password::Passwords;
use app::state::{ApiLimit, AppState, Settings};
use axum::body::Body;
use common::{on_each_database, percentiles, time};
use tower::ServiceExt;

const SENDERS: usize = 8;
const PER_SENDER: usize = 250;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    on_each_database(|url, backend, _| async move { run(&url, backend).await }).await;
}

async fn run(url: &str, backend: &str) {
    let accounts = env_number("BENCH_ACCOUNTS", 10_000);
    let messages = env_number("BENCH_MESSAGES", 1_000_000);
    println!("\n== {backend}: the inbox and ingestion ==");
    let db = migrated(url).await;
    let state = AppState {
        db,
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
    let (_, ids) = accounts_of(&state.db, accounts, "UTC").await;
    let first = ids[0];
    fill(&state.db, &ids, messages).await;
    println!(
        "{accounts} accounts and {messages} messages made in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let admin = person(&state.db, "admin@bench.test", first, Role::ClientAdmin).await;
    let user = person(&state.db, "user@bench.test", first, Role::ClientUser).await;
    sqlx::query(&format!(
        "INSERT INTO message_recipients (message_id, user_id) \
         SELECT id, {} FROM messages WHERE client_id = {} AND id % 10 = 0",
        user.user().id.0,
        first.0
    ))
    .execute(state.db.pool())
    .await
    .expect("address some to the Client User");
    analyze(&state.db).await;
    let query = InboxQuery {
        account: Some(first),
        ..InboxQuery::default()
    };
    for (who, actor) in [("Client Admin", &admin), ("Client User", &user)] {
        let caller = Caller::new(state.clone(), actor.clone(), "203.0.113.9");
        let (p50, p95) = time(|_| async {
            inbox(&caller, &query).await.expect("inbox");
        })
        .await;
        println!("inbox first page, {who:<13} p50 {p50:.2} ms  p95 {p95:.2} ms");
    }

    sqlx::query("UPDATE clients SET sms_balance = 100000000, voice_balance = 100000000")
        .execute(state.db.pool())
        .await
        .expect("credit");
    let mut keys = Vec::with_capacity(SENDERS);
    for account in &ids[..SENDERS] {
        keys.push(
            api_key(
                &state,
                *account,
                admin.user().id,
                "ingest:calls,ingest:messages",
            )
            .await,
        );
    }
    let api = app::platform_api::router(state.clone());
    let one = move |key: &str, kind: usize, n: usize| {
        let (path, body) = match kind % 2 {
            0 => (
                "/api/v1/calls",
                format!(
                    r#"{{"external_id":"bench-call-{n}","from":"+15550100","to":"+15550199","status":"completed","started_at":"2026-12-01T09:00:00Z","duration_s":{}}}"#,
                    30 + n % 300
                ),
            ),
            _ => (
                "/api/v1/messages",
                format!(
                    r#"{{"external_id":"bench-text-{n}","channel":"sms","received_at":"2026-12-01T09:00:00Z","callback_number":"+15550100","text":"Bench text {n}: please call back about the appointment."}}"#
                ),
            ),
        };
        let request = http::Request::post(path)
            .header("authorization", format!("Bearer {key}"))
            .header("content-type", "application/json")
            .body(Body::from(body))
            .expect("request");
        let api = api.clone();
        async move {
            let response = api.oneshot(request).await.expect("answer");
            assert!(
                response.status().is_success(),
                "ingestion answered {}",
                response.status()
            );
        }
    };
    let (p50, p95) = time(|n| one(&keys[0], n, 1_000_000 + n)).await;
    println!("one ingestion (alternating call, text)  p50 {p50:.2} ms  p95 {p95:.2} ms");
    for (senders_are, spread) in [
        ("clients, one account each", true),
        ("senders, all for one account", false),
    ] {
        let started = Instant::now();
        let senders: Vec<_> = (0..SENDERS)
            .map(|sender| {
                let one = one.clone();
                let key = keys[if spread { sender } else { 0 }].clone();
                let first = if spread { 2 } else { 3 } * 1_000_000 + sender * PER_SENDER;
                tokio::spawn(async move {
                    let mut latencies = Vec::with_capacity(PER_SENDER);
                    for i in 0..PER_SENDER {
                        let began = Instant::now();
                        one(&key, i, first + i).await;
                        latencies.push(began.elapsed());
                    }
                    latencies
                })
            })
            .collect();
        let mut latencies = Vec::new();
        for sender in senders {
            latencies.extend(sender.await.expect("sender"));
        }
        let seconds = started.elapsed().as_secs_f64();
        let (p50, p95) = percentiles(latencies);
        println!(
            "ingestion, {SENDERS} {senders_are}: {:.0} per s ({} calls and texts with their debits in {seconds:.1} s), p50 {p50:.2} ms  p95 {p95:.2} ms",
            (SENDERS * PER_SENDER) as f64 / seconds,
            SENDERS * PER_SENDER,
        );
    }
}

/// `count` messages spread over the accounts, newest first a second apart, in one
/// statement per database (a recursive count on SQLite, a series on PostgreSQL).
async fn fill(db: &Db, ids: &[NodeId], count: usize) {
    let contiguous = ids.windows(2).all(|pair| pair[1].0 == pair[0].0 + 1);
    assert!(contiguous, "the bench's accounts have consecutive ids");
    let numbers = match db.backend() {
        Backend::Sqlite => format!(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {count}) SELECT i FROM n"
        ),
        Backend::Postgres => format!("SELECT i FROM generate_series(0, {count} - 1) AS i"),
    };
    let now = now_ms();
    let sql = format!(
        "INSERT INTO messages (client_id, external_id, channel, direction, status, priority, \
         caller_name, callback_number, body, received_at, created_at, updated_at) \
         SELECT {first} + i % {accounts}, 'bulk-' || i, \
         CASE i % 3 WHEN 0 THEN 'call' WHEN 1 THEN 'sms' ELSE 'chat' END, 'inbound', 'received', \
         CASE WHEN i % 20 = 0 THEN 'urgent' ELSE 'normal' END, 'Caller ' || i, '+15550100', \
         'Please call back about order ' || i, {now} - i * 1000, {now}, {now} FROM ({numbers}) AS numbers",
        first = ids[0].0,
        accounts = ids.len(),
    );
    sqlx::query(&sql)
        .execute(db.pool())
        .await
        .expect("messages");
}

async fn analyze(db: &Db) {
    sqlx::query("ANALYZE")
        .execute(db.pool())
        .await
        .expect("analyze");
}
