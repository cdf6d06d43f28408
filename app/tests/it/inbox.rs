//! The inbox on both databases: who sees which messages (in the queries and on a
//! message's page), read state per person, acknowledging, what an impersonation
//! leaves untouched, the history from the audit chain, filters and pages.

use app::auth::actor::Actor;
use app::auth::repo::mark_email_verified;
use app::auth::session::cookie_name;
use app::clients::changes::top_up;
use app::clients::repo::{client_record, set_features_and_seats};
use app::clients::CreditKind;
use app::core::roles::Role;
use app::core::NodeId;
use app::db::Db;
use app::error::AppError;
use app::inbox::ingest::{ingest_call, ingest_message, CallBody, MessageBody, NewCall, NewMessage};
use app::inbox::recordings::{serve_recording, store_recording};
use app::inbox::service::{acknowledge, inbox, message, newer, reply, summary};
use app::inbox::InboxQuery;
use app::state::AppState;

use crate::common::{caller, on_every_database, state};
use crate::fixtures::sessions::{actor, form, impersonate, person, sign_in};
use crate::fixtures::{actor_with, build_tree, taken, Tree};

fn of(account: NodeId) -> InboxQuery {
    InboxQuery {
        account: Some(account),
        ..InboxQuery::default()
    }
}

/// The ids `who` sees in the account's inbox, or the refusal.
async fn seen(state: &AppState, who: &Actor, query: &InboxQuery) -> Result<Vec<i64>, AppError> {
    let view = inbox(&caller(state, who), query).await?;
    Ok(view.rows.iter().map(|row| row.id).collect())
}

struct Harbor {
    state: AppState,
    tree: Tree,
    call: i64,
    text: i64,
    chat: i64,
}

async fn harbor(db: Db) -> Harbor {
    let tree = build_tree(&db).await;
    let state = state(db);
    person(
        &state,
        "Quinn Client",
        "quinn@harbor.test",
        tree.client,
        &[Role::ClientUser],
    )
    .await;
    let call = taken(
        &state,
        tree.client,
        "M-call",
        "call",
        "urgent",
        &["quinn@harbor.test"],
    )
    .await;
    let text = taken(&state, tree.client, "M-sms", "sms", "normal", &[]).await;
    let chat = taken(
        &state,
        tree.client,
        "M-chat",
        "chat",
        "normal",
        &["quinn@harbor.test"],
    )
    .await;
    Harbor {
        state,
        tree,
        call,
        text,
        chat,
    }
}

#[tokio::test]
async fn each_role_sees_what_it_may_in_the_list_and_on_the_page() {
    on_every_database(|db| async move {
        let h = harbor(db).await;
        let (state, tree) = (&h.state, &h.tree);
        let quinn = actor_with(
            &state.db,
            "quinn2@harbor.test",
            tree.client,
            &[Role::ClientUser],
        )
        .await;
        let cases: Vec<(&str, Actor, Option<Vec<i64>>)> = vec![
            (
                "client admin",
                actor_with(
                    &state.db,
                    "cara@harbor.test",
                    tree.client,
                    &[Role::ClientAdmin],
                )
                .await,
                Some(vec![h.call, h.text, h.chat]),
            ),
            ("client user, addressed to none", quinn, Some(vec![])),
            (
                "partner user",
                actor_with(
                    &state.db,
                    "viewer@northwind.test",
                    tree.partner,
                    &[Role::User],
                )
                .await,
                Some(vec![h.call]),
            ),
            (
                "messaging agent",
                actor_with(
                    &state.db,
                    "agent@northwind.test",
                    tree.group,
                    &[Role::MessagingAgent],
                )
                .await,
                Some(vec![h.text, h.chat]),
            ),
            (
                "support, not impersonating",
                actor_with(
                    &state.db,
                    "sam@switchboard.test",
                    tree.platform,
                    &[Role::SupportAgent],
                )
                .await,
                None,
            ),
            (
                "another partner's admin",
                actor_with(
                    &state.db,
                    "admin@bluebird.test",
                    tree.other_partner,
                    &[Role::AccountAdmin],
                )
                .await,
                None,
            ),
        ];
        for (who, actor, expected) in cases {
            let mut got = seen(state, &actor, &of(tree.client)).await.ok();
            if let Some(ids) = got.as_mut() {
                ids.sort();
            }
            let mut expected = expected;
            if let Some(ids) = expected.as_mut() {
                ids.sort();
            }
            assert_eq!(got, expected, "{who}");
            for id in [h.call, h.text, h.chat] {
                let opened = message(&caller(state, &actor), id).await;
                let visible = expected.as_ref().is_some_and(|ids| ids.contains(&id));
                match opened {
                    Ok(_) => assert!(visible, "{who} opened {id}"),
                    Err(error) => {
                        assert!(!visible, "{who} could not open {id}: {error:?}");
                        assert_eq!(error, AppError::NotFound, "{who}: hidden, not forbidden");
                    }
                }
            }
        }
    })
    .await;
}

#[tokio::test]
async fn a_client_user_sees_what_is_addressed_to_them_and_read_state_is_each_persons() {
    on_every_database(|db| async move {
        let h = harbor(db).await;
        let (state, tree) = (&h.state, &h.tree);
        let quinn = {
            let id = app::auth::repo::find_by_email(state.db.pool(), "quinn@harbor.test")
                .await
                .unwrap()
                .unwrap();
            let session = crate::fixtures::sessions::sign_in(state, id.id).await;
            actor(state, &session).await.unwrap()
        };
        let mut ids = seen(state, &quinn, &of(tree.client)).await.unwrap();
        ids.sort();
        assert_eq!(ids, vec![h.call, h.chat]);
        let admin = actor_with(
            &state.db,
            "cara@harbor.test",
            tree.client,
            &[Role::ClientAdmin],
        )
        .await;
        message(&caller(state, &quinn), h.call).await.unwrap();
        let unread = |view: app::inbox::InboxView, id: i64| {
            view.rows.iter().find(|row| row.id == id).unwrap().unread
        };
        assert!(!unread(
            inbox(&caller(state, &quinn), &of(tree.client))
                .await
                .unwrap(),
            h.call
        ));
        assert!(
            unread(
                inbox(&caller(state, &admin), &of(tree.client))
                    .await
                    .unwrap(),
                h.call
            ),
            "read by Quinn, not by the admin"
        );
        let only_unread = InboxQuery {
            unread: true,
            ..of(tree.client)
        };
        assert_eq!(
            seen(state, &quinn, &only_unread).await.unwrap(),
            vec![h.chat]
        );
        let home = summary(&caller(state, &quinn)).await.unwrap().unwrap();
        assert_eq!((home.unread, home.urgent), (1, 1));
    })
    .await;
}

#[tokio::test]
async fn acknowledging_is_idempotent_and_an_impersonation_marks_nothing_for_the_client() {
    on_every_database(|db| async move {
        let h = harbor(db).await;
        let (state, tree) = (&h.state, &h.tree);
        let quinn_id = app::auth::repo::find_by_email(state.db.pool(), "quinn@harbor.test")
            .await
            .unwrap()
            .unwrap()
            .id;
        mark_email_verified(state.db.pool(), quinn_id)
            .await
            .unwrap();
        let pat = person(
            state,
            "Pat Partner",
            "pat@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        let started = impersonate(state, &pat, form(tree.client, Some(quinn_id))).await;
        let as_quinn_by_pat = actor(state, &started.token).await.unwrap();
        let viewed = message(&caller(state, &as_quinn_by_pat), h.call)
            .await
            .unwrap();
        assert!(
            !viewed.can_acknowledge,
            "nobody acknowledges for the client"
        );
        let refused = acknowledge(&caller(state, &as_quinn_by_pat), h.call).await;
        assert!(
            matches!(refused, Err(AppError::Forbidden(_))),
            "{refused:?}"
        );

        let quinn = actor(
            state,
            &crate::fixtures::sessions::sign_in(state, quinn_id).await,
        )
        .await
        .unwrap();
        let rows = inbox(&caller(state, &quinn), &of(tree.client))
            .await
            .unwrap()
            .rows;
        assert!(
            rows.iter().all(|row| row.unread),
            "support's visit left it unread"
        );
        acknowledge(&caller(state, &quinn), h.call).await.unwrap();
        acknowledge(&caller(state, &quinn), h.call).await.unwrap();
        let page = message(&caller(state, &quinn), h.call).await.unwrap();
        assert!(page
            .acknowledged
            .as_deref()
            .unwrap()
            .starts_with("Quinn Client"));
        let trail: Vec<&str> = page.trail.iter().map(|entry| entry.what.as_str()).collect();
        assert!(
            trail.contains(&"Viewed by Pat Partner, logged in as Quinn Client"),
            "{trail:?}"
        );
        assert_eq!(
            trail
                .iter()
                .filter(|what| **what == "Acknowledged by Quinn Client")
                .count(),
            1,
            "{trail:?}"
        );
        assert!(trail.contains(&"Opened by Quinn Client"), "{trail:?}");
        let chain = app::audit_trail::chain::verify(&state.db).await.unwrap();
        assert!(
            matches!(chain, app::audit_trail::chain::ChainReport::Intact { .. }),
            "{chain:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn filters_pages_and_the_count_of_what_is_new() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        for i in 0..30 {
            let priority = if i % 10 == 0 { "urgent" } else { "normal" };
            taken(
                &state,
                tree.client,
                &format!("P{i:02}"),
                "sms",
                priority,
                &[],
            )
            .await;
        }
        let admin = actor_with(
            &state.db,
            "cara@harbor.test",
            tree.client,
            &[Role::ClientAdmin],
        )
        .await;
        let as_admin = caller(&state, &admin);
        let first = inbox(&as_admin, &of(tree.client)).await.unwrap();
        assert_eq!(first.rows.len(), 25);
        let second = inbox(&as_admin, first.next.as_ref().unwrap())
            .await
            .unwrap();
        assert_eq!(second.rows.len(), 5);
        assert!(second.next.is_none());
        let mut all: Vec<i64> = first
            .rows
            .iter()
            .chain(&second.rows)
            .map(|row| row.id)
            .collect();
        all.dedup();
        assert_eq!(all.len(), 30, "no row twice, none left out");

        let urgent = InboxQuery {
            urgent: true,
            ..of(tree.client)
        };
        assert_eq!(inbox(&as_admin, &urgent).await.unwrap().rows.len(), 3);
        let search = InboxQuery {
            search: "p07".into(),
            ..of(tree.client)
        };
        assert_eq!(inbox(&as_admin, &search).await.unwrap().rows.len(), 1);
        let calls = InboxQuery {
            channel: app::inbox::Channel::from_key("call"),
            ..of(tree.client)
        };
        assert!(inbox(&as_admin, &calls).await.unwrap().rows.is_empty());

        let since = first.newest;
        taken(&state, tree.client, "NEW1", "sms", "urgent", &[]).await;
        taken(&state, tree.client, "NEW2", "sms", "normal", &[]).await;
        assert_eq!(newer(&as_admin, &of(tree.client), since).await.unwrap(), 2);
        assert_eq!(newer(&as_admin, &urgent, since).await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_recording_plays_in_ranges_behind_the_session_for_who_may_see_the_message() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let version = client_record(state.db.pool(), tree.client)
            .await
            .unwrap()
            .unwrap()
            .version;
        let mut conn = state.db.pool().acquire().await.unwrap();
        let features = [app::core::Feature::CallRecording];
        set_features_and_seats(&mut conn, tree.client, &features, 5, version)
            .await
            .unwrap();
        drop(conn);
        let client = client_record(state.db.pool(), tree.client)
            .await
            .unwrap()
            .unwrap();
        let call = CallBody {
            external_id: Some("CA-R".into()),
            from: Some("+15550100".into()),
            to: Some("+15550199".into()),
            status: Some("completed".into()),
            started_at: Some("2026-12-01T09:00:00Z".into()),
            duration_s: Some(30),
            ..CallBody::default()
        };
        let (call, _) = NewCall::from_body(&call).unwrap();
        ingest_call(&state.db, &client, call, None).await.unwrap();
        let body = MessageBody {
            external_id: Some("M-R".into()),
            received_at: Some("2026-12-01T09:01:00Z".into()),
            text: Some("Left a message about the bill".into()),
            call_external_id: Some("CA-R".into()),
            ..MessageBody::default()
        };
        let (taken, recipients) = NewMessage::from_body(&body).unwrap();
        let id = ingest_message(&state.db, &client, taken, recipients)
            .await
            .unwrap()
            .id;
        let audio: Vec<u8> = (0..1000).map(|n| (n % 251) as u8).collect();
        store_recording(
            &state.db,
            &state.settings.storage,
            &client,
            "CA-R",
            "audio/wav",
            audio.clone().into(),
        )
        .await
        .unwrap();

        let cara = person(
            &state,
            "Cara Admin",
            "cara@harbor.test",
            tree.client,
            &[Role::ClientAdmin],
        )
        .await;
        let una = person(
            &state,
            "Una User",
            "una@harbor.test",
            tree.client,
            &[Role::ClientUser],
        )
        .await;
        let cookie = |token: &str| format!("{}={token}", cookie_name(&state.settings));
        mark_email_verified(state.db.pool(), una.id).await.unwrap();
        let una_token = sign_in(&state, una.id).await;
        let fetch = |cookie: Option<String>, range: Option<&'static str>| {
            let mut request = http::Request::get(app::paths::message_recording(id));
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            if let Some(range) = range {
                request = request.header("range", range);
            }
            let (parts, _) = request.body(()).unwrap().into_parts();
            let state = state.clone();
            async move {
                let response = serve_recording(state, parts, id).await;
                let status = response.status();
                let headers = response.headers().clone();
                let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
                    .await
                    .unwrap();
                (status, headers, bytes.to_vec())
            }
        };
        let played = || async {
            let count: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'message.recording_played'",
            )
            .fetch_one(state.db.pool())
            .await
            .unwrap();
            count
        };

        let (status, headers, bytes) = fetch(Some(cookie(&cara.token)), Some("bytes=0-1")).await;
        assert_eq!(status, http::StatusCode::PARTIAL_CONTENT);
        assert_eq!(headers["content-range"], "bytes 0-1/1000");
        assert_eq!(bytes, audio[..2]);
        assert_eq!(played().await, 0, "Safari's probe plays nothing");
        let (status, headers, bytes) = fetch(Some(cookie(&cara.token)), Some("bytes=500-")).await;
        assert_eq!(
            (status, bytes.len()),
            (http::StatusCode::PARTIAL_CONTENT, 500)
        );
        assert_eq!(headers["content-type"], "audio/wav");
        assert_eq!(bytes, audio[500..]);
        let (status, headers, bytes) = fetch(Some(cookie(&cara.token)), None).await;
        assert_eq!((status, bytes), (http::StatusCode::OK, audio.clone()));
        assert_eq!(headers["accept-ranges"], "bytes");
        assert_eq!(played().await, 1, "playing from the start is on the record");
        let (status, _, _) = fetch(Some(cookie(&cara.token)), Some("bytes=5000-")).await;
        assert_eq!(status, http::StatusCode::RANGE_NOT_SATISFIABLE);

        let (status, _, _una_body) = fetch(Some(cookie(&una_token)), None).await;
        assert_eq!(
            status,
            http::StatusCode::NOT_FOUND,
            "not addressed to Una: {:?}",
            String::from_utf8_lossy(&_una_body)
        );
        let (status, _, _) = fetch(None, None).await;
        assert_eq!(status, http::StatusCode::UNAUTHORIZED);

        let cara_actor = actor(&state, &cara.token).await.unwrap();
        let page = message(&caller(&state, &cara_actor), id).await.unwrap();
        assert_eq!(
            page.call.unwrap().recording,
            Some(app::paths::message_recording(id))
        );
        let trail: Vec<String> = page.trail.into_iter().map(|entry| entry.what).collect();
        assert!(
            trail.contains(&"Recording played by Cara Admin".to_string()),
            "{trail:?}"
        );
    })
    .await;
}
#[tokio::test]
async fn a_messaging_agent_replies_to_a_text_through_the_outbox_and_its_segments_are_debited() {
    on_every_database(|db| async move {
        let h = harbor(db).await;
        let (state, tree) = (&h.state, &h.tree);
        let admin = actor_with(
            &state.db,
            "nora@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        top_up(
            &caller(state, &admin),
            tree.client,
            CreditKind::Sms,
            "10",
            "",
        )
        .await
        .unwrap();
        let agent = actor_with(
            &state.db,
            "agent@northwind.test",
            tree.group,
            &[Role::MessagingAgent],
        )
        .await;
        let as_agent = caller(state, &agent);
        assert!(message(&as_agent, h.text).await.unwrap().can_reply);

        let empty = reply(&as_agent, h.text, "  ").await;
        assert!(
            empty
                .as_ref()
                .err()
                .and_then(|error| error.message_for("text"))
                .is_some(),
            "{empty:?}"
        );
        let text = format!(
            "We can see you Tuesday at 10. {}",
            "Reply YES to confirm. ".repeat(7)
        );
        reply(&as_agent, h.text, &text).await.unwrap();
        let (recipient, body, purpose): (String, String, String) = sqlx::query_as(
            "SELECT recipient, body_text, purpose FROM outbox WHERE channel = 'sms'",
        )
        .fetch_one(state.db.pool())
        .await
        .unwrap();
        assert_eq!(
            (recipient.as_str(), body.as_str(), purpose.as_str()),
            ("+15550100", text.trim(), "reply")
        );
        let balance = client_record(state.db.pool(), tree.client)
            .await
            .unwrap()
            .unwrap()
            .sms_balance;
        assert_eq!(
            balance,
            10 - 1 - 2,
            "the text's own segment, then the reply's two"
        );
        let trail: Vec<String> = message(&as_agent, h.text)
            .await
            .unwrap()
            .trail
            .into_iter()
            .map(|entry| entry.what)
            .collect();
        assert!(
            trail
                .iter()
                .any(|what| what.starts_with("Replied by Test User: We can see you")),
            "{trail:?}"
        );

        // Calls are not answered here, and a Client User does not answer for the account.
        let refused = reply(&caller(state, &admin), h.call, "Hello").await;
        assert!(
            matches!(refused, Err(AppError::Forbidden(_))),
            "{refused:?}"
        );
        let quinn_id = app::auth::repo::find_by_email(state.db.pool(), "quinn@harbor.test")
            .await
            .unwrap()
            .unwrap()
            .id;
        let quinn = actor(state, &sign_in(state, quinn_id).await).await.unwrap();
        assert!(
            !message(&caller(state, &quinn), h.chat)
                .await
                .unwrap()
                .can_reply
        );
        let viewer = actor_with(
            &state.db,
            "viewer@northwind.test",
            tree.partner,
            &[Role::User],
        )
        .await;
        assert_eq!(
            reply(&caller(state, &viewer), h.text, "Hi").await,
            Err(AppError::NotFound),
            "a User never sees texts"
        );
    })
    .await;
}
