//! What operators read about an account, on both databases: the status with its
//! templates and end, contacts with their methods and order, resources, stale saves
//! refused with who changed what, every change on the record, who may do what, and
//! the operator view through the real API with its ETag and fetch receipts.

use app::api_keys::service as keys;
use app::auth::actor::Actor;
use app::briefing::repo::ListTable;
use app::briefing::service::{
    add_contact, add_resource, add_template, contacts_view, remove_contact, reorder,
    resources_view, set_status, status_view, update_contact, update_resource, ContactForm,
    ResourceForm, StatusForm,
};
use app::briefing::{MethodInput, Reorder};
use app::core::roles::Role;
use app::core::NodeId;
use app::db::{now_ms, Db};
use app::error::AppError;
use app::state::AppState;
use axum::body::Body;
use http::{Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;

use crate::common::{caller, on_every_database, state};
use crate::fixtures::sessions::{actor, form, impersonate, person};
use crate::fixtures::{actor_with, build_tree, Tree};
use crate::outcome::{outcome, Outcome};

struct World {
    state: AppState,
    tree: Tree,
    /// Northwind's Account Admin.
    partner_admin: Actor,
    /// Harbor Dental's Client Admin.
    client_admin: Actor,
}

async fn world(db: Db) -> World {
    let tree = build_tree(&db).await;
    let state = state(db);
    let partner_admin = actor_with(
        &state.db,
        "admin@northwind.test",
        tree.partner,
        &[Role::AccountAdmin],
    )
    .await;
    let client_admin = actor_with(
        &state.db,
        "hana@harbor.test",
        tree.client,
        &[Role::ClientAdmin],
    )
    .await;
    World {
        state,
        tree,
        partner_admin,
        client_admin,
    }
}

fn method(kind: &str, value: &str, note: &str) -> MethodInput {
    MethodInput {
        kind: kind.into(),
        value: value.into(),
        note: note.into(),
    }
}

fn contact_form<'a>(name: &'a str, methods: &'a [MethodInput]) -> ContactForm<'a> {
    ContactForm {
        name,
        role: "Dentist",
        instructions: "Emergencies only after 18:00.",
        methods,
    }
}

fn status_form<'a>(text: &'a str, until: &'a str) -> StatusForm<'a> {
    StatusForm {
        text,
        until,
        default_text: "Open as usual.",
    }
}

async fn actions(db: &Db, record_prefix: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM audit_events WHERE record LIKE $1 ORDER BY id")
        .bind(format!("{record_prefix}%"))
        .fetch_all(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_status_with_an_end_gives_way_to_the_default_and_keeps_its_history() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let admin = caller(&world.state, &world.client_admin);
        let fresh = status_view(&admin, None).await.unwrap();
        assert_eq!((fresh.showing.as_str(), fresh.version), ("", 1));
        assert!(!fresh.seen.current);

        // An end in the past, or one with no status to end, is refused at its field.
        for (text, until) in [
            ("At lunch", "2020-01-01T12:00"),
            ("", "2099-01-01T12:00"),
            ("At lunch", "noon"),
        ] {
            let refused = set_status(&admin, None, &status_form(text, until), 1).await;
            let Err(AppError::Validation(errors)) = refused else {
                panic!("{refused:?}")
            };
            assert!(errors.get("until").is_some(), "{text} {until}");
        }
        set_status(
            &admin,
            None,
            &status_form("At lunch", "2099-01-01T13:00"),
            1,
        )
        .await
        .unwrap();
        let lunch = status_view(&admin, None).await.unwrap();
        assert_eq!(lunch.showing, "At lunch");
        assert_eq!(lunch.until_input, "2099-01-01T13:00");
        assert!(lunch.until.is_some());

        // Once the end has passed, operators read the default.
        sqlx::query("UPDATE operator_statuses SET until_at = $1")
            .bind(now_ms() - 1_000)
            .execute(world.state.db.pool())
            .await
            .unwrap();
        let after = status_view(&admin, None).await.unwrap();
        assert_eq!(after.showing, "Open as usual.");
        assert_eq!(after.until, None);
        let latest = &after.history[0];
        assert!(
            latest.text.starts_with("At lunch (until ") && latest.text.ends_with("1 Jan 13:00)"),
            "{}",
            latest.text
        );
        assert_eq!(latest.who, "Test User");
        assert_eq!(actions(&world.state.db, "status:").await, ["status.set"]);
    })
    .await;
}

#[tokio::test]
async fn two_admins_saving_the_same_version_the_second_is_told_who_changed_it() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let client = caller(&world.state, &world.client_admin);
        let partner = caller(&world.state, &world.partner_admin);
        set_status(&client, None, &status_form("Closed for lunch", ""), 1)
            .await
            .unwrap();
        let stale = set_status(
            &partner,
            Some(world.tree.client),
            &status_form("Open all day", ""),
            1,
        )
        .await;
        let Err(AppError::Conflict(message)) = stale else {
            panic!("{stale:?}")
        };
        assert!(
            message.starts_with("Test User changed this status just now"),
            "{message}"
        );

        let methods = [method("mobile", "+1 617 555 0101", "any time")];
        let kim = add_contact(&client, None, &contact_form("Dr Kim", &methods))
            .await
            .unwrap();
        update_contact(&client, kim, &contact_form("Dr Maya Kim", &methods), 1)
            .await
            .unwrap();
        let stale = update_contact(&partner, kim, &contact_form("Dr M. Kim", &methods), 1).await;
        let Err(AppError::Conflict(message)) = stale else {
            panic!("{stale:?}")
        };
        assert!(
            message.starts_with("Test User edited this contact"),
            "{message}"
        );
        let stale = remove_contact(&partner, kim, 1).await;
        assert!(matches!(stale, Err(AppError::Conflict(_))), "{stale:?}");
    })
    .await;
}

#[tokio::test]
async fn contacts_keep_their_methods_in_order_and_every_change_is_on_the_record() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let admin = caller(&world.state, &world.client_admin);
        let kim_methods = [
            method("mobile", "+1 617 555 0101", "any time"),
            method("email", "kim@harbor.test", ""),
            method("pager", "", ""),
        ];
        let kim = add_contact(&admin, None, &contact_form("Dr Kim", &kim_methods))
            .await
            .unwrap();
        let lee = add_contact(
            &admin,
            None,
            &contact_form("Dr Lee", &[method("pager", "+1 617 555 0190", "")]),
        )
        .await
        .unwrap();
        let bad = [method("email", "not an address", "")];
        let refused = add_contact(&admin, None, &contact_form("Dr Wu", &bad)).await;
        let Err(AppError::Validation(errors)) = refused else {
            panic!("{refused:?}")
        };
        assert!(errors.get("method[0][value]").is_some());

        let view = contacts_view(&admin, None).await.unwrap();
        let names: Vec<&str> = view.contacts.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Dr Kim", "Dr Lee"]);
        assert_eq!(
            view.contacts[0].methods.len(),
            2,
            "the empty row is dropped"
        );
        assert_eq!(view.contacts[0].methods[1].value, "kim@harbor.test");

        reorder(&admin, ListTable::Contacts, lee, Reorder::Up)
            .await
            .unwrap();
        // The first stays first.
        reorder(&admin, ListTable::Contacts, lee, Reorder::Up)
            .await
            .unwrap();
        let view = contacts_view(&admin, None).await.unwrap();
        assert_eq!(view.contacts[0].id, lee);
        assert_eq!(view.contacts[1].id, kim);

        remove_contact(&admin, kim, 1).await.unwrap();
        assert_eq!(
            actions(&world.state.db, "contact:").await,
            [
                "contact.added",
                "contact.added",
                "contact.moved_up",
                "contact.removed"
            ]
        );
        let versions: i64 = sqlx::query_scalar("SELECT version FROM operator_view_versions")
            .fetch_one(world.state.db.pool())
            .await
            .unwrap();
        assert_eq!(versions, 4, "every change moves the operator view on");
    })
    .await;
}

#[tokio::test]
async fn resources_need_a_title_and_a_safe_address() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let admin = caller(&world.state, &world.client_admin);
        let form = |title, url, note| ResourceForm { title, url, note };
        let refused = add_resource(&admin, None, &form("Map", "javascript:alert(1)", "")).await;
        let Err(AppError::Validation(errors)) = refused else {
            panic!("{refused:?}")
        };
        assert!(errors.get("url").is_some());
        let id = add_resource(
            &admin,
            None,
            &form("Directions", "https://harbor.test/visit", "Parking behind"),
        )
        .await
        .unwrap();
        update_resource(
            &admin,
            id,
            &form("Directions and parking", "https://harbor.test/visit", ""),
            1,
        )
        .await
        .unwrap();
        let view = resources_view(&admin, None).await.unwrap();
        assert_eq!(view.resources[0].title, "Directions and parking");
        assert_eq!(view.resources[0].version, 2);
    })
    .await;
}

#[tokio::test]
async fn authorization_matrix_of_the_briefing() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let tree = &world.tree;
        let admin = caller(&world.state, &world.client_admin);
        let methods = [method("phone", "+1 617 555 0100", "")];
        let contact = add_contact(&admin, None, &contact_form("Front desk", &methods))
            .await
            .unwrap();
        use Outcome::{Allowed as A, Forbidden as F, NotFound as N};
        // (role, where, reads, changes)
        let matrix = [
            (Role::ClientAdmin, tree.client, A, A),
            (Role::AccountManager, tree.client, A, A),
            (Role::ClientUser, tree.client, A, F),
            (Role::AccountAdmin, tree.partner, A, A),
            (Role::User, tree.group, A, F),
            (Role::MessagingAgent, tree.partner, A, F),
            (Role::PlatformAdmin, tree.platform, A, A),
            (Role::SupportAgent, tree.platform, F, F),
            (Role::AccountAdmin, tree.other_partner, N, N),
            (Role::ClientAdmin, tree.other_client, N, N),
        ];
        for (index, (role, node, reads, changes)) in matrix.into_iter().enumerate() {
            let who = actor_with(
                &world.state.db,
                &format!("actor{index}@matrix.test"),
                node,
                &[role],
            )
            .await;
            let as_them = caller(&world.state, &who);
            let account = Some(tree.client);
            let read = [
                outcome(&status_view(&as_them, account).await),
                outcome(&contacts_view(&as_them, account).await),
                outcome(&resources_view(&as_them, account).await),
            ];
            // The operator preview's matrix is the tasks' (it holds the answering
            // service's tasks).
            assert_eq!(read, [reads; 3], "{role:?} reading");
            let change = [
                outcome(&set_status(&as_them, account, &status_form("Busy", ""), 999).await),
                outcome(&add_template(&as_them, account, &format!("Template {index}")).await),
                outcome(&add_contact(&as_them, account, &contact_form("", &[])).await),
                outcome(&update_contact(&as_them, contact, &contact_form("X", &[]), 999).await),
                outcome(&remove_contact(&as_them, contact, 999).await),
                outcome(
                    &reorder(&as_them, ListTable::Contacts, contact, Reorder::Down)
                        .await
                        .map(|_| ()),
                ),
                outcome(
                    &add_resource(
                        &as_them,
                        account,
                        &ResourceForm {
                            title: "",
                            url: "",
                            note: "",
                        },
                    )
                    .await,
                ),
            ];
            assert_eq!(change, [changes; 7], "{role:?} changing");
        }
    })
    .await;
}

#[tokio::test]
async fn partner_staff_logged_in_as_the_partner_edit_and_the_record_names_the_impersonation() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let state = &world.state;
        let staff = person(
            state,
            "Nora North",
            "nora@northwind.test",
            world.tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        let started = impersonate(state, &staff, form(world.tree.client, None)).await;
        let acting = actor(state, &started.token).await.unwrap();
        let as_partner = caller(state, &acting);
        set_status(
            &as_partner,
            None,
            &status_form("Phones down until 14:00", ""),
            1,
        )
        .await
        .unwrap();
        let impersonation: Option<i64> = sqlx::query_scalar(
            "SELECT impersonation_id FROM audit_events WHERE action = 'status.set'",
        )
        .fetch_one(state.db.pool())
        .await
        .unwrap();
        assert_eq!(impersonation, Some(started.id.0));
        assert_eq!(
            status_view(&as_partner, None).await.unwrap().showing,
            "Phones down until 14:00"
        );
    })
    .await;
}

/// The API's router, and a key of `owner`'s with `scopes`, made by the partner admin.
async fn key(world: &World, owner: NodeId, scopes: &[&str]) -> String {
    let scopes: Vec<String> = scopes.iter().map(|scope| scope.to_string()).collect();
    let by = caller(&world.state, &world.partner_admin);
    keys::create(&by, owner, "Operators", &scopes)
        .await
        .unwrap()
        .text
}

async fn get(
    world: &World,
    path: &str,
    key: &str,
    etag: Option<&str>,
) -> (StatusCode, http::HeaderMap, String) {
    let mut request = Request::builder()
        .uri(path)
        .header("authorization", format!("Bearer {key}"));
    if let Some(etag) = etag {
        request = request.header("if-none-match", etag);
    }
    let response = app::platform_api::router(world.state.clone())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn the_operator_view_answers_304_while_current_and_the_portal_sees_each_fetch() {
    on_every_database(|db| async move {
        let world = world(db).await;
        let admin = caller(&world.state, &world.client_admin);
        let methods = [method("mobile", "+1 617 555 0101", "any time")];
        add_contact(&admin, None, &contact_form("Dr Kim", &methods))
            .await
            .unwrap();
        set_status(&admin, None, &status_form("At lunch", ""), 1)
            .await
            .unwrap();
        let own = key(&world, world.tree.client, &["read:operator-view"]).await;
        let path = "/api/v1/operator-view";

        let (status, headers, body) = get(&world, path, &own, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let etag = headers["etag"].to_str().unwrap().to_string();
        let document: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(document["status"]["text"], "At lunch");
        assert_eq!(document["contacts"][0]["methods"][0]["kind"], "mobile");
        assert_eq!(document["version"], 2);
        assert_eq!(
            document["on_call"]["gap"], false,
            "no rules: nothing is meant to be covered"
        );
        // The preview shows exactly the same bytes.
        let preview = app::operator_view::service::preview(&admin, None)
            .await
            .unwrap();
        assert_eq!(
            (preview.body.as_str(), preview.etag.as_str()),
            (body.as_str(), etag.as_str())
        );
        assert!(status_view(&admin, None).await.unwrap().seen.current);

        let (status, headers, body) = get(&world, path, &own, Some(&etag)).await;
        assert_eq!((status, body.as_str()), (StatusCode::NOT_MODIFIED, ""));
        assert_eq!(headers["etag"].to_str().unwrap(), etag);
        let fetches: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM operator_view_fetches")
            .fetch_one(world.state.db.pool())
            .await
            .unwrap();
        assert_eq!(fetches, 2, "a 304 is a fetch too");

        // A change: the portal says operators have not seen it, and the ETag moves.
        set_status(&admin, None, &status_form("Back", ""), 2)
            .await
            .unwrap();
        let seen = status_view(&admin, None).await.unwrap().seen;
        assert!(!seen.current);
        assert!(
            seen.sentence()
                .starts_with("Operators have not fetched the change"),
            "{}",
            seen.sentence()
        );
        let (status, headers, _) = get(&world, path, &own, Some(&etag)).await;
        assert_eq!(status, StatusCode::OK);
        assert_ne!(headers["etag"].to_str().unwrap(), etag);

        // Scopes and reach: another scope is refused, another partner's key finds nothing.
        let balance_only = key(&world, world.tree.client, &["read:balance"]).await;
        assert_eq!(
            get(&world, path, &balance_only, None).await.0,
            StatusCode::FORBIDDEN
        );
        let other_admin = actor_with(
            &world.state.db,
            "admin@bluebird.test",
            world.tree.other_partner,
            &[Role::AccountAdmin],
        )
        .await;
        let other = keys::create(
            &caller(&world.state, &other_admin),
            world.tree.other_partner,
            "Theirs",
            &["read:operator-view".to_string()],
        )
        .await
        .unwrap()
        .text;
        let theirs = format!("{path}?account={}", world.tree.client.0);
        assert_eq!(
            get(&world, &theirs, &other, None).await.0,
            StatusCode::NOT_FOUND
        );
        let partner_key = key(&world, world.tree.partner, &["read:operator-view"]).await;
        assert_eq!(
            get(&world, &theirs, &partner_key, None).await.0,
            StatusCode::OK
        );
    })
    .await;
}
