//! What live presence costs (issue 5): every open page of a client account polls
//! `poll_presence` every 4 s. On the demo world, on SQLite and, when
//! `TEST_POSTGRES_URL` is set, on PostgreSQL, prints the p50/p95 of one poll — by a
//! client's admin, and by a partner admin impersonating one of the account's users —
//! beside the session lookup every request already pays, measured in the same run,
//! and how many presence rows the polls wrote (at most one per person every 10 s).
//!
//! Run by `scripts/bench.sh`. Figures only: nothing here can fail on a slow machine.

mod common;

use std::process::{Command, Stdio};

use app::auth::caller::Caller;
use app::auth::repo::find_by_email;
use app::auth::session::{authenticate, open_session, resolve, SignInMethod};
use app::core::NodeId;
use app::db::Db;
use app::impersonation::start_stop::{presence, start, StartRequest};
use app::password::Passwords;
use app::request::Requester;
use app::state::{AppState, Settings};
use common::{binary, on_each_database, time};

const PASSWORD: &str = "bench-Password-2026!";
const CLIENT_ADMIN: &str = "client.admin@harbor-dental.test";
const PARTNER_ADMIN: &str = "admin@northwind.test";
const CLIENT_USER: &str = "front.desk@harbor-dental.test";

#[tokio::main]
async fn main() {
    on_each_database(|url, backend, _| async move { run(&url, backend).await }).await;
}

async fn run(url: &str, backend: &str) {
    println!("\n== {backend}: presence ==");
    let status = Command::new(binary())
        .args(["seed", "--demo", "--password", PASSWORD])
        .env("DATABASE_URL", url)
        .stdout(Stdio::null())
        .status()
        .expect("run switchboard seed");
    assert!(status.success(), "seeding failed");
    let state = AppState {
        db: Db::connect(url).await.expect("connect"),
        settings: Settings::default(),
        passwords: Passwords::new(2),
    };
    let client_admin = signed_in(&state, CLIENT_ADMIN).await;
    let impersonator = impersonating(&state).await;

    let (lookup_p50, lookup_p95) = time(|_| async {
        resolve(&state, &client_admin).await.expect("session");
    })
    .await;
    println!("session lookup (every request)     p50 {lookup_p50:.2} ms  p95 {lookup_p95:.2} ms");
    let mut p50s = Vec::new();
    for (who, token) in [
        ("client admin", &client_admin),
        ("impersonator", &impersonator),
    ] {
        let (p50, p95) = time(|_| async {
            presence(&state, token).await.expect("poll");
        })
        .await;
        p50s.push(p50);
        println!(
            "poll as {who:<27} p50 {p50:.2} ms  p95 {p95:.2} ms  ({:.1}× the lookup)",
            p50 / lookup_p50
        );
    }
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM presence")
        .fetch_one(state.db.pool())
        .await
        .expect("count");
    println!("presence rows after 640 polls: {rows} (one per person in the account)");
    println!(
        "a page polling every 4 s spends {:.3}% of one connection's time",
        p50s.iter().cloned().fold(0.0, f64::max) / 4_000.0 * 100.0
    );
    state.db.close().await;
}

async fn signed_in(state: &AppState, email: &str) -> String {
    let client = Requester::default();
    let user = authenticate(state, &client, email, PASSWORD.into())
        .await
        .expect("demo login");
    open_session(state, &user, &client, None, SignInMethod::Password)
        .await
        .expect("session")
}

/// A partner admin's session acting as Harbor Dental's front desk.
async fn impersonating(state: &AppState) -> String {
    let token = signed_in(state, PARTNER_ADMIN).await;
    let actor = app::auth::actor::Actor::of(&state.db, resolve(state, &token).await.unwrap())
        .await
        .expect("actor");
    let target = find_by_email(state.db.pool(), CLIENT_USER)
        .await
        .expect("query")
        .expect("demo client user");
    let account: i64 = sqlx::query_scalar("SELECT node_id FROM memberships WHERE user_id = $1")
        .bind(target.id.0)
        .fetch_one(state.db.pool())
        .await
        .expect("account");
    let request = StartRequest {
        account: NodeId(account),
        mode: "client".into(),
        target: target.id.0.to_string(),
        reason: "Benchmark".into(),
        minutes: "30".into(),
        return_to: "/".into(),
    };
    let client = Requester::default();
    let caller = Caller::new(state.clone(), actor, client.address.clone());
    let (token, _) = start(&caller, &client, Some(&token), request)
        .await
        .expect("start");
    token
}
