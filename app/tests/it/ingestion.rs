//! The platform's API end to end through its real routes, on every database: keys
//! (made, rotated, revoked, scoped, per account or partner), calls and messages
//! upserted by the platform's id, forward-only statuses, debits once, idempotency and
//! the per-key limit.

use app::api_keys::service as keys;
use app::auth::actor::Actor;
use app::clients::changes::{set_status, top_up};
use app::clients::repo::{client_record, ledger_sum, set_features_and_seats};
use app::clients::CreditKind;
use app::core::roles::Role;
use app::core::{ClientStatus, NodeId};
use app::db::Db;
use app::error::AppError;
use app::password::Passwords;
use app::state::{ApiLimit, AppState, Settings};
use axum::body::Body;
use axum::Router;
use http::{Request, StatusCode};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::common::{caller, on_every_database};
use crate::fixtures::{actor_with, build_tree, Tree};

fn state(db: Db, burst: u32) -> AppState {
    AppState {
        db,
        settings: Settings {
            api_limit: ApiLimit {
                per_second: 1,
                burst,
            },
            max_recording_bytes: 4096,
            ..Settings::default()
        },
        passwords: Passwords::new(1),
    }
}

/// Gives Harbor Dental the call-recording feature.
async fn records_calls(state: &AppState, account: NodeId) {
    let version = client_record(state.db.pool(), account)
        .await
        .unwrap()
        .unwrap()
        .version;
    let mut conn = state.db.pool().acquire().await.unwrap();
    let features = [app::core::Feature::CallRecording];
    assert!(
        set_features_and_seats(&mut conn, account, &features, 5, version)
            .await
            .unwrap()
    );
}

/// A world with Harbor Dental (client of Northwind) and Pacific Realty (client of
/// Bluebird), Northwind's admin, and the API's router.
struct World {
    state: AppState,
    tree: Tree,
    admin: Actor,
    api: Router,
}

async fn world(db: Db) -> World {
    world_limited(db, 1_000).await
}

async fn world_limited(db: Db, burst: u32) -> World {
    let tree = build_tree(&db).await;
    let state = state(db, burst);
    let admin = actor_with(
        &state.db,
        "admin@northwind.test",
        tree.partner,
        &[Role::AccountAdmin],
    )
    .await;
    let api = app::platform_api::router(state.clone());
    World {
        state,
        tree,
        admin,
        api,
    }
}

const ALL_SCOPES: [&str; 4] = [
    "ingest:calls",
    "ingest:messages",
    "read:operator-view",
    "read:balance",
];

impl World {
    async fn key(&self, owner: NodeId, scopes: &[&str]) -> String {
        let scopes: Vec<String> = scopes.iter().map(|scope| scope.to_string()).collect();
        keys::create(
            &caller(&self.state, &self.admin),
            owner,
            "Call platform",
            &scopes,
        )
        .await
        .unwrap()
        .text
    }

    async fn top_up(&self, credit: CreditKind, amount: &str) {
        top_up(
            &caller(&self.state, &self.admin),
            self.tree.client,
            credit,
            amount,
            "",
        )
        .await
        .unwrap();
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> (StatusCode, http::HeaderMap, Value) {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(key) = key {
            request = request.header("authorization", format!("Bearer {key}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let body = body.map_or(Body::empty(), |body| Body::from(body.to_string()));
        let response = self
            .api
            .clone()
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, headers, value)
    }

    async fn post(&self, path: &str, key: &str, body: Value) -> (StatusCode, Value) {
        let (status, _, value) = self.send("POST", path, Some(key), Some(body), &[]).await;
        (status, value)
    }

    async fn voice(&self) -> (i64, i64) {
        let client = client_record(self.state.db.pool(), self.tree.client)
            .await
            .unwrap()
            .unwrap();
        (client.voice_balance, client.voice_shortfall)
    }

    async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(self.state.db.pool())
            .await
            .unwrap()
    }
}

fn call(external_id: &str, status: &str, duration: i64) -> Value {
    json!({
        "external_id": external_id, "from": "+15550100", "to": "+15550199",
        "status": status, "started_at": "2026-12-01T09:30:00Z", "duration_s": duration,
    })
}

fn text(external_id: &str, body: &str) -> Value {
    json!({
        "external_id": external_id, "channel": "sms", "received_at": "2026-12-01T09:30:00Z",
        "callback_number": "+15550100", "text": body,
    })
}

#[tokio::test]
async fn a_key_is_shown_once_kept_hashed_and_stops_when_revoked_or_after_its_rotation() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let as_admin = caller(&world.state, &world.admin);
        let first = world.key(world.tree.client, &["read:balance"]).await;
        let stored: String = sqlx::query_scalar("SELECT secret_hash FROM api_keys")
            .fetch_one(world.state.db.pool())
            .await
            .unwrap();
        assert!(!stored.contains(&first) && !first.contains(&stored));
        let (status, _, balance) = world
            .send("GET", "/api/v1/balance", Some(&first), None, &[])
            .await;
        assert_eq!(status, StatusCode::OK, "{balance}");
        assert_eq!(balance["account"], world.tree.client.0);

        let listed = keys::keys(&as_admin, world.tree.client).await.unwrap();
        let id = listed.keys[0].id;
        assert!(listed.keys[0].last_used.is_some());
        let second = keys::rotate(&as_admin, world.tree.client, id, "1h")
            .await
            .unwrap()
            .text;
        for key in [&first, &second] {
            let (status, _, _) = world
                .send("GET", "/api/v1/balance", Some(key), None, &[])
                .await;
            assert_eq!(status, StatusCode::OK, "both work during the overlap");
        }
        let again = keys::rotate(&as_admin, world.tree.client, id, "1h").await;
        assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");

        let newest = keys::keys(&as_admin, world.tree.client).await.unwrap().keys[0].id;
        let third = keys::rotate(&as_admin, world.tree.client, newest, "now")
            .await
            .unwrap()
            .text;
        let (status, headers, _) = world
            .send("GET", "/api/v1/balance", Some(&second), None, &[])
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "rotated with no overlap");
        assert_eq!(headers["www-authenticate"], "Bearer");
        let third_id = keys::keys(&as_admin, world.tree.client).await.unwrap().keys[0].id;
        keys::revoke(&as_admin, world.tree.client, third_id)
            .await
            .unwrap();
        let (status, _, _) = world
            .send("GET", "/api/v1/balance", Some(&third), None, &[])
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        let events = world
            .count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'api_key.%'")
            .await;
        assert_eq!(events, 4, "created, rotated twice, revoked");
        let audited_text: Vec<String> = sqlx::query_scalar("SELECT details FROM audit_events")
            .fetch_all(world.state.db.pool())
            .await
            .unwrap();
        assert!(audited_text
            .iter()
            .all(|details| !details.contains(&first[13..45])));
    })
    .await;
}

#[tokio::test]
async fn only_partner_staff_who_manage_the_owner_make_keys() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let scopes = vec!["ingest:calls".to_string()];
        let client_admin = actor_with(
            &world.state.db,
            "boss@harbor.test",
            world.tree.client,
            &[Role::ClientAdmin],
        )
        .await;
        let refused = keys::create(
            &caller(&world.state, &client_admin),
            world.tree.client,
            "Mine",
            &scopes,
        )
        .await;
        assert!(
            matches!(refused, Err(AppError::Forbidden(_))),
            "{refused:?}"
        );
        let refused = keys::keys(&caller(&world.state, &client_admin), world.tree.client).await;
        assert!(
            matches!(refused, Err(AppError::Forbidden(_))),
            "{refused:?}"
        );

        let stranger = actor_with(
            &world.state.db,
            "admin@bluebird.test",
            world.tree.other_partner,
            &[Role::AccountAdmin],
        )
        .await;
        let hidden = keys::create(
            &caller(&world.state, &stranger),
            world.tree.client,
            "Theirs",
            &scopes,
        )
        .await;
        assert_eq!(hidden, Err(AppError::NotFound));

        let manager = actor_with(
            &world.state.db,
            "am@northwind.test",
            world.tree.client,
            &[Role::AccountManager],
        )
        .await;
        let refused = keys::create(
            &caller(&world.state, &manager),
            world.tree.client,
            "AM",
            &scopes,
        )
        .await;
        assert!(
            matches!(refused, Err(AppError::Forbidden(_))),
            "{refused:?}"
        );

        let as_admin = caller(&world.state, &world.admin);
        let invalid = keys::create(
            &as_admin,
            world.tree.client,
            " ",
            &["read:everything".into()],
        )
        .await;
        let Err(AppError::Validation(errors)) = invalid else {
            panic!("{invalid:?}")
        };
        assert!(errors.get("name").is_some() && errors.get("scopes").is_some());
        assert!(
            keys::create(&as_admin, world.tree.partner, "Fleet", &scopes)
                .await
                .is_ok()
        );
        assert_eq!(
            keys::create(&as_admin, world.tree.group, "Group", &scopes).await,
            Err(AppError::NotFound),
            "groups have no keys"
        );
    })
    .await;
}

#[tokio::test]
async fn the_api_refuses_bad_keys_missing_scopes_other_accounts_and_suspended_ones() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let balance = "/api/v1/balance";
        let (status, _, body) = world.send("GET", balance, None, None, &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Bearer"));
        let forged = "sbk_AAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_AAAAAA";
        let (status, _, _) = world.send("GET", balance, Some(forged), None, &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        let calls_only = world.key(world.tree.client, &["ingest:calls"]).await;
        let (status, _, _) = world
            .send("GET", balance, Some(&calls_only), None, &[])
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let own = world.key(world.tree.client, &["read:balance"]).await;
        let elsewhere = format!("{balance}?account={}", world.tree.other_client.0);
        let (status, _, _) = world.send("GET", &elsewhere, Some(&own), None, &[]).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "an account's key reaches only its account"
        );

        let partner = world.key(world.tree.partner, &["read:balance"]).await;
        let (status, _, body) = world.send("GET", balance, Some(&partner), None, &[]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["account"].is_string(), "{body}");
        let (status, _, _) = world
            .send("GET", &elsewhere, Some(&partner), None, &[])
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "another partner's account");
        let mine = format!("{balance}?account={}", world.tree.client.0);
        let (status, _, _) = world.send("GET", &mine, Some(&partner), None, &[]).await;
        assert_eq!(status, StatusCode::OK);

        let version = client_record(world.state.db.pool(), world.tree.client)
            .await
            .unwrap()
            .unwrap()
            .version;
        set_status(
            &caller(&world.state, &world.admin),
            world.tree.client,
            ClientStatus::Suspended,
            version,
        )
        .await
        .unwrap();
        let (status, _, _) = world.send("GET", &mine, Some(&partner), None, &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn a_call_sent_again_changes_nothing_and_is_billed_once_at_its_first_final_status() {
    on_every_database(|db| async move {
        let world = world(db).await;
        world.top_up(CreditKind::Voice, "10").await;
        let key = world.key(world.tree.client, &ALL_SCOPES).await;
        let (status, body) = world
            .post("/api/v1/calls", &key, call("CA1", "completed", 61))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["credits_debited"], 2, "61 s under 60/60 is 2 units");
        assert_eq!(body["charge"]["billable_seconds"], 120);
        assert_eq!(body["charge"]["rule"], "60/60");
        assert_eq!(body["balances"]["voice"], 8);
        let (status, again) = world
            .post("/api/v1/calls", &key, call("CA1", "completed", 61))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (again["applied"].clone(), again["credits_debited"].clone()),
            (json!(false), json!(0))
        );
        assert_eq!(again["balances"]["voice"], 8);
        assert_eq!(world.voice().await, (8, 0));
        assert_eq!(world.count("SELECT COUNT(*) FROM calls").await, 1);
        assert_eq!(world.count("SELECT COUNT(*) FROM call_events").await, 2);
    })
    .await;
}

#[tokio::test]
async fn out_of_order_callbacks_end_in_the_latest_state() {
    on_every_database(|db| async move {
        let world = world(db).await;
        world.top_up(CreditKind::Voice, "10").await;
        let key = world.key(world.tree.client, &["ingest:calls"]).await;
        let (_, done) = world
            .post("/api/v1/calls", &key, call("CA2", "completed", 30))
            .await;
        assert_eq!(done["credits_debited"], 1);
        let (status, late) = world
            .post("/api/v1/calls", &key, call("CA2", "ringing", 0))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (late["status"].clone(), late["applied"].clone()),
            (json!("completed"), json!(false))
        );
        let (_, failed) = world
            .post("/api/v1/calls", &key, call("CA2", "failed", 0))
            .await;
        assert_eq!(
            failed["status"], "completed",
            "the first final status stays"
        );

        let mut ringing = call("CA3", "ringing", 0);
        ringing["sequence"] = json!(1);
        world.post("/api/v1/calls", &key, ringing).await;
        let mut answered = call("CA3", "in_progress", 0);
        answered["sequence"] = json!(3);
        world.post("/api/v1/calls", &key, answered.clone()).await;
        answered["sequence"] = json!(2);
        let (_, stale) = world.post("/api/v1/calls", &key, answered).await;
        assert_eq!(
            stale["applied"], false,
            "an older sequence of the same stage"
        );
        let (_, missed) = world
            .post("/api/v1/calls", &key, call("CA3", "missed", 40))
            .await;
        assert_eq!(
            (missed["status"].clone(), missed["credits_debited"].clone()),
            (json!("missed"), json!(0))
        );
        let kept = world
            .count("SELECT COUNT(*) FROM call_events WHERE applied = 0")
            .await;
        assert_eq!(kept, 3, "every stale callback is kept as an event");
        assert_eq!(world.voice().await, (9, 0));
    })
    .await;
}

#[tokio::test]
async fn texts_cost_their_segments_and_the_platforms_count_wins() {
    on_every_database(|db| async move {
        let world = world(db).await;
        world.top_up(CreditKind::Sms, "100").await;
        let key = world.key(world.tree.client, &["ingest:messages"]).await;
        let cases = [
            ("T160", "a".repeat(160), 1, "GSM-7"),
            ("T161", "a".repeat(161), 2, "GSM-7"),
            ("TEURO", format!("€{}", "a".repeat(159)), 2, "GSM-7"),
            ("TEMOJI", "Running late 🙂".to_string(), 1, "UCS-2"),
        ];
        for (id, body, segments, encoding) in cases {
            let (status, answer) = world.post("/api/v1/messages", &key, text(id, &body)).await;
            assert_eq!(status, StatusCode::CREATED, "{answer}");
            assert_eq!(answer["credits_debited"], segments, "{id}");
            assert_eq!(answer["charge"]["encoding"], encoding, "{id}");
        }
        let mut counted = text("TPLATFORM", "short");
        counted["segments"] = json!(3);
        let (_, answer) = world.post("/api/v1/messages", &key, counted).await;
        assert_eq!(answer["credits_debited"], 3);
        assert_eq!(answer["balances"]["sms"], 100 - 1 - 2 - 2 - 1 - 3);

        let mut outbound = text("TOUT", "On my way");
        outbound["direction"] = json!("outbound");
        let (_, queued) = world.post("/api/v1/messages", &key, outbound.clone()).await;
        assert_eq!(
            (queued["status"].clone(), queued["credits_debited"].clone()),
            (json!("queued"), json!(0))
        );
        outbound["status"] = json!("sent");
        let (_, sent) = world.post("/api/v1/messages", &key, outbound.clone()).await;
        assert_eq!(sent["credits_debited"], 1);
        outbound["status"] = json!("delivered");
        let (_, delivered) = world.post("/api/v1/messages", &key, outbound).await;
        assert_eq!(
            (
                delivered["status"].clone(),
                delivered["credits_debited"].clone()
            ),
            (json!("delivered"), json!(0))
        );

        let mut operator = text("M1", "Please call back about the invoice");
        operator["channel"] = json!("call");
        let (_, taken) = world.post("/api/v1/messages", &key, operator).await;
        assert_eq!(
            taken["credits_debited"], 0,
            "messages operators took cost no SMS"
        );
    })
    .await;
}

#[tokio::test]
async fn usage_beyond_the_balance_leaves_it_at_zero_and_a_top_up_pays_the_shortfall_first() {
    on_every_database(|db| async move {
        let world = world(db).await;
        world.top_up(CreditKind::Voice, "3").await;
        let key = world.key(world.tree.client, &["ingest:calls"]).await;
        let (_, body) = world
            .post("/api/v1/calls", &key, call("CA9", "completed", 300))
            .await;
        assert_eq!(body["credits_debited"], 5);
        assert_eq!(
            (
                body["balances"]["voice"].clone(),
                body["balances"]["voice_shortfall"].clone()
            ),
            (json!(0), json!(2))
        );
        world.top_up(CreditKind::Voice, "10").await;
        assert_eq!(world.voice().await, (8, 0));
        let sum = ledger_sum(world.state.db.pool(), world.tree.client, CreditKind::Voice)
            .await
            .unwrap();
        assert_eq!(sum, 8, "the ledger adds up to the balance");
    })
    .await;
}

#[tokio::test]
async fn the_same_call_sent_on_two_connections_at_once_is_one_row_billed_once() {
    on_every_database(|db| async move {
        let world = world(db).await;
        world.top_up(CreditKind::Voice, "100").await;
        let key = world.key(world.tree.client, &["ingest:calls"]).await;
        let sends: Vec<_> = (0..8)
            .map(|_| world.post("/api/v1/calls", &key, call("CA-RACE", "completed", 90)))
            .collect();
        let answers = futures::future::join_all(sends).await;
        let created = answers
            .iter()
            .filter(|(status, _)| *status == StatusCode::CREATED)
            .count();
        assert_eq!(created, 1, "{answers:?}");
        assert!(answers.iter().all(|(status, _)| status.is_success()));
        assert_eq!(world.count("SELECT COUNT(*) FROM calls").await, 1);
        assert_eq!(world.voice().await, (98, 0));
    })
    .await;
}

#[tokio::test]
async fn an_idempotency_key_replays_its_answer_and_refuses_another_body() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let key = world.key(world.tree.client, &["ingest:messages"]).await;
        world
            .post("/api/v1/messages", &key, text("M7", "Call me"))
            .await;
        let event = json!({ "kind": "dispatched", "channel": "sms", "target": "+15550111" });
        let with_key = [("idempotency-key", "7f1c-retry")];
        let path = "/api/v1/messages/M7/events";
        let (first, _, answer) = world
            .send("POST", path, Some(&key), Some(event.clone()), &with_key)
            .await;
        assert_eq!(first, StatusCode::CREATED, "{answer}");
        let (again, headers, replay) = world
            .send("POST", path, Some(&key), Some(event), &with_key)
            .await;
        assert_eq!((again, replay), (StatusCode::CREATED, answer));
        assert_eq!(headers["idempotent-replayed"], "true");
        assert_eq!(world.count("SELECT COUNT(*) FROM message_events").await, 1);
        let other = json!({ "kind": "escalated" });
        let (status, _, _) = world
            .send("POST", path, Some(&key), Some(other), &with_key)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        let (status, _, _) = world
            .send(
                "POST",
                "/api/v1/messages/NOPE/events",
                Some(&key),
                Some(json!({ "kind": "viewed" })),
                &[],
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let ack = json!({ "kind": "acknowledged", "at": "2026-12-01T10:00:00Z" });
        let (_, _, acked) = world
            .send("POST", path, Some(&key), Some(ack.clone()), &[])
            .await;
        assert_eq!(acked["applied"], true);
        let (_, _, twice) = world.send("POST", path, Some(&key), Some(ack), &[]).await;
        assert_eq!(twice["applied"], false, "filed once");
    })
    .await;
}

#[tokio::test]
async fn bad_fields_are_named_big_bodies_refused_and_each_key_limited() {
    on_every_database(|db| async move {
        let world = world_limited(db, 6).await;
        let key = world.key(world.tree.client, &["ingest:calls"]).await;
        let mut bad = call("CA5", "hung_up", 10);
        bad["started_at"] = json!("yesterday");
        let (status, body) = world.post("/api/v1/calls", &key, bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = &body["error"]["fields"];
        assert!(
            fields["status"].as_str().unwrap().contains("completed"),
            "{body}"
        );
        assert!(fields["started_at"].is_string(), "{body}");
        let mut wrong_type = call("CA5", "completed", 10);
        wrong_type["duration_s"] = json!("ten");
        let (status, body) = world.post("/api/v1/calls", &key, wrong_type).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["duration_s"].is_string(), "{body}");
        let (status, _) = world
            .post(
                "/api/v1/calls",
                &key,
                json!({ "external_id": "x".repeat(70_000) }),
            )
            .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(world.count("SELECT COUNT(*) FROM calls").await, 0);

        let mut limited = None;
        for _ in 0..6 {
            let (status, headers, _) = world
                .send("GET", "/api/v1/balance", Some(&key), None, &[])
                .await;
            if status == StatusCode::TOO_MANY_REQUESTS {
                limited = Some(headers);
                break;
            }
        }
        let headers = limited.expect("the seventh request within the burst is limited");
        let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!(wait >= 1);
        let other = world.key(world.tree.client, &["read:balance"]).await;
        let (status, _, _) = world
            .send("GET", "/api/v1/balance", Some(&other), None, &[])
            .await;
        assert_eq!(status, StatusCode::OK, "the limit is per key");
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_describes_exactly_the_routes_served() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let (status, _, document) = world
            .send("GET", app::platform_api::openapi::PATH, None, None, &[])
            .await;
        assert_eq!(status, StatusCode::OK);
        let paths = document["paths"].as_object().expect("paths");
        let mut documented: Vec<&str> = paths.keys().map(String::as_str).collect();
        documented.sort();
        let mut served = vec![
            app::platform_api::CALLS,
            app::platform_api::MESSAGES,
            app::platform_api::MESSAGE_EVENTS,
            app::platform_api::RECORDING,
            app::platform_api::BALANCE,
            app::platform_api::OPERATOR_VIEW,
        ];
        served.sort();
        assert_eq!(documented, served);
        for (path, operations) in paths {
            for method in operations.as_object().unwrap().keys() {
                let concrete = path.replace("{external_id}", "M1");
                let (status, _, _) = world
                    .send(
                        &method.to_uppercase(),
                        &concrete,
                        None,
                        Some(json!({})),
                        &[],
                    )
                    .await;
                assert_eq!(
                    status,
                    StatusCode::UNAUTHORIZED,
                    "{method} {path} is served and asks for a key"
                );
                let operation = &operations[method];
                assert!(
                    operation["responses"]["401"].is_object(),
                    "{method} {path} documents 401"
                );
                assert!(
                    operation["responses"]["422"].is_object(),
                    "{method} {path} documents 422"
                );
            }
        }
        let schemes = &document["components"]["securitySchemes"]["api_key"];
        assert_eq!(schemes["scheme"], "bearer");
        assert!(
            document["components"]["schemas"]["CallBody"]["properties"]["external_id"].is_object()
        );
    })
    .await;
}

#[tokio::test]
async fn a_recording_is_taken_as_audio_of_a_known_call_where_the_account_records_calls() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let key = world.key(world.tree.client, &["ingest:calls"]).await;
        world
            .post("/api/v1/calls", &key, call("CA-REC", "completed", 42))
            .await;
        let put = |path: &str, content_type: &str, body: Vec<u8>| {
            let request = Request::builder()
                .method("PUT")
                .uri(path)
                .header("authorization", format!("Bearer {key}"))
                .header("content-type", content_type)
                .body(Body::from(body))
                .unwrap();
            let api = world.api.clone();
            async move {
                let response = api.oneshot(request).await.unwrap();
                let status = response.status();
                let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
                    .await
                    .unwrap();
                (
                    status,
                    serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null),
                )
            }
        };
        let path = "/api/v1/calls/CA-REC/recording";
        let (status, body) = put(path, "audio/wav", vec![1; 1000]).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "no call-recording feature: {body}"
        );
        records_calls(&world.state, world.tree.client).await;
        let (status, body) = put(path, "audio/wav", vec![1; 1000]).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(
            (body["bytes"].clone(), body["content_type"].clone()),
            (json!(1000), json!("audio/wav"))
        );
        let (status, _) = put(path, "audio/x-m4a", vec![2; 2000]).await;
        assert_eq!(status, StatusCode::OK, "replaced");
        let (status, body) = put(path, "text/plain", vec![1; 10]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body["error"]["fields"]["Content-Type"].is_string(),
            "{body}"
        );
        let (status, _) = put(path, "audio/wav", vec![1; 5000]).await;
        assert_eq!(
            status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "over the server's limit"
        );
        let (status, _) = put("/api/v1/calls/NOPE/recording", "audio/wav", vec![1; 10]).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let stored: (String, i64) = sqlx::query_as(
            "SELECT recording_type, recording_bytes FROM calls WHERE external_id = 'CA-REC'",
        )
        .fetch_one(world.state.db.pool())
        .await
        .unwrap();
        assert_eq!(stored, ("audio/mp4".to_string(), 2000));
    })
    .await;
}
