//! Requester accounts on both databases: adding, the directory's filters and keyset pages,
//! the credit ledger under concurrency, stale saves, the SSO token, activation links,
//! and who may call what.

use crate::common::{self, caller};
use crate::fixtures;
use crate::outcome;
use crate::tree_counts;

use app::auth::links::follow;
use app::auth::repo::find_by_email;
use app::auth::repo::sso_token;
use app::auth::sso::{redeem, SsoLink};
use app::auth::LinkPurpose;
use app::clients::changes::{
    modify_features, move_client, reveal_sso_token, rotate_sso_token, set_status, set_voice_rule,
    top_up, update_company,
};
use app::clients::directory::{DirectoryQuery, SortKey};
use app::clients::directory_sql::{directory_rows, directory_rows_driven, Driver, Scope};
use app::clients::repo::{add_credit_entry, client_record, ledger, ledger_sum, NewCreditEntry};
use app::clients::service::{client_view, create_client, directory};
use app::clients::{CompanyForm, CompanyInfo, CreditKind, EntryType, NewClientForm};
use app::core::roles::{Role, RoleSet};
use app::core::NodeId;
use app::core::UserStatus;
use app::core::{ClientStatus, Feature};
use app::db::Db;
use app::error::AppError;
use app::password::Passwords;
use app::request::Requester;
use app::state::{AppState, Settings};
use app::users::repo::set_membership;
use common::on_every_database;
use fixtures::{actor_with, add_user, build_tree, company};
use outcome::{outcome, Outcome};
use sqlx::Row;
use tree_counts::assert_counts_exact;

/// Usage of `amount` credits, as ingestion records it: never refused.
async fn record_usage(
    db: &Db,
    client: NodeId,
    credit: CreditKind,
    amount: i64,
    note: &str,
) -> Result<app::clients::ledger::CreditPosition, AppError> {
    let mut tx = db.begin().await?;
    let entry = NewCreditEntry {
        client,
        credit,
        entry_type: EntryType::Usage,
        amount: -amount,
        note,
        actor: None,
    };
    let balances = add_credit_entry(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(balances.of(credit))
}

fn state(db: Db) -> AppState {
    AppState {
        db,
        settings: Settings::default(),
        passwords: Passwords::new(2),
    }
}

/// The add-client form's company part for `company`.
fn form_of(company: &CompanyInfo, tags: &str) -> CompanyForm {
    CompanyForm {
        name: company.name.clone(),
        contact_name: company.contact_name.clone(),
        email: company.email.clone(),
        phone: company.phone.clone(),
        address: company.address.clone(),
        time_zone: company.time_zone.clone(),
        tags: tags.into(),
    }
}

/// A valid add-client form for a client named `name` in `group`.
fn new_client(name: &str, group: NodeId, password_choice: &str) -> NewClientForm {
    NewClientForm {
        company: form_of(&company(name), "VIP, dental"),
        group: group.0.to_string(),
        features: vec!["sms".into(), "voice".into()],
        seat_limit: "3".into(),
        sms_credits: "500".into(),
        voice_credits: "".into(),
        password_choice: password_choice.into(),
    }
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

#[tokio::test]
async fn a_client_is_added_with_its_first_admin_credits_and_an_audit_event() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let admin = actor_with(
            &state.db,
            "admin@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;

        let created = create_client(
            &caller(&state, &admin),
            &new_client("Cedar Law", tree.group, "temporary_password"),
        )
        .await
        .unwrap();
        let password = created
            .temporary_password
            .clone()
            .expect("a temporary password");
        assert_eq!(created.activation_link, None);

        let view = client_view(&caller(&state, &admin), created.id)
            .await
            .unwrap();
        assert_eq!(view.company.name, "Cedar Law");
        assert_eq!(view.status, ClientStatus::Pending);
        assert_eq!(view.tags, vec!["dental", "vip"]);
        assert_eq!(view.features, vec![Feature::Voice, Feature::Sms]);
        assert_eq!((view.seat_limit, view.seats_used), (3, 1));
        assert_eq!((view.sms_balance, view.voice_balance), (500, 0));
        assert_eq!(view.ledger.len(), 1);
        assert_eq!(view.ledger[0].entry_type, EntryType::Grant);
        assert_eq!(
            ledger_sum(state.db.pool(), created.id, CreditKind::Sms)
                .await
                .unwrap(),
            500
        );

        let first_user = find_by_email(state.db.pool(), "office@cedar-law.test")
            .await
            .unwrap()
            .unwrap();
        assert!(first_user.must_change_password);
        assert_eq!(first_user.status, UserStatus::Active);
        assert!(state
            .passwords
            .verify(password, first_user.password_hash)
            .await
            .unwrap());
        let audited = count(
            &state.db,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'client.created'",
        )
        .await;
        assert_eq!(audited, 1);
    })
    .await;
}

#[tokio::test]
async fn an_activation_link_sets_the_first_password_once() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let admin = actor_with(
            &state.db,
            "admin@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        let created = create_client(
            &caller(&state, &admin),
            &new_client("Maple Realty", tree.group, "activation_link"),
        )
        .await
        .unwrap();
        let link = created.activation_link.expect("an activation link");
        let token = link.split("token=").nth(1).unwrap().to_string();
        let invited = find_by_email(state.db.pool(), "office@maple-realty.test")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(invited.status, UserStatus::Invited);

        let client = Requester::default();
        let mismatch = follow(
            &state,
            &client,
            LinkPurpose::Activation,
            &token,
            "a long passphrase here".into(),
            "another",
        )
        .await;
        assert!(matches!(mismatch, Err(e) if e.message_for("confirm_password").is_some()));
        let user = follow(
            &state,
            &client,
            LinkPurpose::Activation,
            &token,
            "a long passphrase here".into(),
            "a long passphrase here",
        )
        .await
        .unwrap();
        assert_eq!(user.status, UserStatus::Active);
        assert!(!user.must_change_password);
        let again = follow(
            &state,
            &client,
            LinkPurpose::Activation,
            &token,
            "another passphrase 2".into(),
            "another passphrase 2",
        )
        .await;
        assert!(matches!(again, Err(AppError::Forbidden(_))));
        let forged = follow(
            &state,
            &client,
            LinkPurpose::Activation,
            "forged",
            "another passphrase 2".into(),
            "another passphrase 2",
        )
        .await;
        assert!(matches!(forged, Err(AppError::Forbidden(_))));
    })
    .await;
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_nothing_is_written() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let admin = actor_with(
            &state.db,
            "admin@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        let before = count(&state.db, "SELECT COUNT(*) FROM clients").await;

        let mut form = new_client("", tree.group, "");
        form.company.email = "not-an-email".into();
        form.features = vec!["transcription".into()];
        form.seat_limit = "0".into();
        form.sms_credits = "-5".into();
        match create_client(&caller(&state, &admin), &form).await {
            Err(AppError::Validation(errors)) => {
                for field in [
                    "name",
                    "email",
                    "features",
                    "seat_limit",
                    "sms_credits",
                    "password_choice",
                ] {
                    assert!(errors.get(field).is_some(), "no message for {field}");
                }
            }
            other => panic!("expected field errors, got {other:?}"),
        }

        // The contact's email already belongs to someone: a field error, and the
        // client written before the clash is rolled back with it.
        add_user(&state.db, "office@oak-dental.test").await;
        let clash = create_client(
            &caller(&state, &admin),
            &new_client("Oak Dental", tree.group, "activation_link"),
        )
        .await;
        assert!(matches!(clash, Err(e) if e.message_for("email").is_some()));
        assert_eq!(
            count(&state.db, "SELECT COUNT(*) FROM clients").await,
            before
        );
        assert_eq!(
            count(&state.db, "SELECT COUNT(*) FROM credit_entries").await,
            0
        );

        let into_a_client = create_client(
            &caller(&state, &admin),
            &new_client("Pine Co", tree.client, "activation_link"),
        )
        .await;
        assert!(matches!(into_a_client, Err(e) if e.message_for("group").is_some()));
    })
    .await;
}

/// Clients with known attributes, for checking the directory against a plain filter.
struct Seeded {
    id: NodeId,
    name: String,
    status: ClientStatus,
    tag: Option<&'static str>,
    feature: bool,
    sms: i64,
    voice: i64,
    in_sub_group: bool,
}

async fn seed_directory(db: &Db, tree: &fixtures::Tree) -> Vec<Seeded> {
    let mut seeded = vec![Seeded {
        id: tree.client,
        name: "Harbor Dental".into(),
        status: ClientStatus::Active,
        tag: None,
        feature: false,
        sms: 0,
        voice: 0,
        in_sub_group: true,
    }];
    let mut conn = db.pool().acquire().await.unwrap();
    for index in 0..23usize {
        let name = format!(
            "{} Requester {index:02}",
            ["Alder", "birch", "Cedar", "dogwood"][index % 4]
        );
        let in_sub_group = index % 3 == 0;
        let group = if in_sub_group {
            tree.sub_group
        } else {
            tree.group
        };
        let mut info = company(&name);
        info.phone = format!("+1 (617) 555-{:04}", 1000 + index);
        let status = [
            ClientStatus::Active,
            ClientStatus::Pending,
            ClientStatus::Suspended,
        ][index % 3];
        let tag = (index % 4 == 1).then_some("vip");
        let feature = index % 2 == 0;
        let id = app::clients::repo::insert_client(
            &mut conn,
            app::clients::repo::NewClientRecord {
                group,
                partner: tree.partner,
                company: &info,
                status,
                seat_limit: 5,
                features: if feature { &[Feature::Sms] } else { &[] },
                tags: &tag.map(|t| vec![t.to_string()]).unwrap_or_default(),
                sso_token: "token",
            },
        )
        .await
        .unwrap();
        // Several clients share a balance, so ties are broken by id.
        let sms = ((index * 37) % 5) as i64 * 60;
        let voice = if index % 2 == 0 { 150 } else { 0 };
        for (credit, amount) in [(CreditKind::Sms, sms), (CreditKind::Voice, voice)] {
            if amount > 0 {
                add_credit_entry(
                    &mut conn,
                    NewCreditEntry {
                        client: id,
                        credit,
                        entry_type: EntryType::Grant,
                        amount,
                        note: "",
                        actor: None,
                    },
                )
                .await
                .unwrap();
            }
        }
        seeded.push(Seeded {
            id,
            name,
            status,
            tag,
            feature,
            sms,
            voice,
            in_sub_group,
        });
    }
    seeded
}

/// Every row of `query`, walking pages of `size` forward, then back from the end.
async fn walk(
    db: &Db,
    scope: &Scope,
    query: &DirectoryQuery,
    size: usize,
    driver: Driver,
) -> (Vec<NodeId>, Vec<NodeId>) {
    use app::clients::directory::cursor_of;
    let mut forward = Vec::new();
    let mut page = query.first_page();
    let last_rows = loop {
        let (rows, more) = directory_rows_driven(db, scope, &page, size, driver)
            .await
            .unwrap();
        assert!(rows.len() <= size);
        forward.extend(rows.iter().map(|row| row.id));
        match rows.last() {
            Some(last) if more => page = query.page_after(&cursor_of(last, query.sort)),
            _ => break rows,
        }
    };
    let mut backward: Vec<NodeId> = last_rows.iter().rev().map(|row| row.id).collect();
    let mut cursor = last_rows.first().map(|row| cursor_of(row, query.sort));
    while let Some(before) = cursor {
        let (rows, more) =
            directory_rows_driven(db, scope, &query.page_before(&before), size, driver)
                .await
                .unwrap();
        backward.extend(rows.iter().rev().map(|row| row.id));
        cursor = if more {
            rows.first().map(|row| cursor_of(row, query.sort))
        } else {
            None
        };
    }
    backward.reverse();
    (forward, backward)
}

#[tokio::test]
async fn directory_filters_and_keyset_pages_return_exactly_the_right_rows() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let seeded = seed_directory(&db, &tree).await;
        let everything = DirectoryQuery::default();

        let check = |query: DirectoryQuery, scope: NodeId, keep: Box<dyn Fn(&Seeded) -> bool>| {
            let db = db.clone();
            let seeded = &seeded;
            async move {
                let mut expected: Vec<&Seeded> = seeded.iter().filter(|s| keep(s)).collect();
                match query.sort {
                    SortKey::Name => expected.sort_by_key(|s| (s.name.to_lowercase(), s.id)),
                    SortKey::SmsCredit => expected.sort_by_key(|s| (s.sms, s.id)),
                    _ => unreachable!(),
                }
                if query.descending {
                    expected.reverse();
                }
                let expected: Vec<NodeId> = expected.iter().map(|s| s.id).collect();
                let (chosen, _) = directory_rows(&db, &[scope], &query, 50).await.unwrap();
                let chosen: Vec<NodeId> = chosen.iter().map(|row| row.id).collect();
                assert_eq!(chosen, expected, "the chosen driver, {query:?}");
                let scope = Scope::resolve(&db, &[scope]).await.unwrap();
                for driver in Driver::candidates(&query, &scope) {
                    for size in [1, 4, 50] {
                        let (forward, backward) = walk(&db, &scope, &query, size, driver).await;
                        assert_eq!(
                            forward, expected,
                            "forward, {driver:?}, pages of {size}, {query:?}"
                        );
                        assert_eq!(
                            backward, expected,
                            "backward, {driver:?}, pages of {size}, {query:?}"
                        );
                    }
                }
            }
        };

        // The partner's scope holds the seeded clients and the fixture's Harbor Dental.
        check(everything.clone(), tree.group, Box::new(|_| true)).await;
        // The partner's whole tree, read through the clients' partner column, and the
        // platform's, which spans two partners.
        check(
            DirectoryQuery {
                tag: Some("vip".into()),
                ..everything.clone()
            },
            tree.partner,
            Box::new(|s| s.tag == Some("vip")),
        )
        .await;
        check(
            DirectoryQuery {
                status: Some(ClientStatus::Pending),
                ..everything.clone()
            },
            tree.platform,
            Box::new(|s| s.status == ClientStatus::Pending),
        )
        .await;
        check(
            DirectoryQuery {
                descending: true,
                ..everything.clone()
            },
            tree.group,
            Box::new(|_| true),
        )
        .await;
        check(
            DirectoryQuery {
                sort: SortKey::SmsCredit,
                ..everything.clone()
            },
            tree.group,
            Box::new(|_| true),
        )
        .await;
        check(
            DirectoryQuery {
                sort: SortKey::SmsCredit,
                descending: true,
                ..everything.clone()
            },
            tree.group,
            Box::new(|_| true),
        )
        .await;
        check(
            everything.clone(),
            tree.sub_group,
            Box::new(|s| s.in_sub_group),
        )
        .await;
        check(
            DirectoryQuery {
                status: Some(ClientStatus::Pending),
                ..everything.clone()
            },
            tree.group,
            Box::new(|s| s.status == ClientStatus::Pending),
        )
        .await;
        check(
            DirectoryQuery {
                tag: Some("vip".into()),
                ..everything.clone()
            },
            tree.group,
            Box::new(|s| s.tag == Some("vip")),
        )
        .await;
        check(
            DirectoryQuery {
                feature: Some(Feature::Sms),
                ..everything.clone()
            },
            tree.group,
            Box::new(|s| s.feature),
        )
        .await;
        check(
            DirectoryQuery {
                low_credit: true,
                ..everything.clone()
            },
            tree.group,
            Box::new(|s| s.sms < 100 || s.voice < 100),
        )
        .await;
        // Filters started from platform-wide sets still keep to the scope.
        check(
            DirectoryQuery {
                tag: Some("vip".into()),
                low_credit: true,
                ..everything.clone()
            },
            tree.sub_group,
            Box::new(|s| s.in_sub_group && s.tag == Some("vip") && (s.sms < 100 || s.voice < 100)),
        )
        .await;
        check(
            DirectoryQuery {
                status: Some(ClientStatus::Active),
                feature: Some(Feature::Sms),
                descending: true,
                ..everything.clone()
            },
            tree.sub_group,
            Box::new(|s| s.in_sub_group && s.status == ClientStatus::Active && s.feature),
        )
        .await;
        check(
            DirectoryQuery {
                search: "CEDAR".into(),
                status: Some(ClientStatus::Active),
                ..everything.clone()
            },
            tree.group,
            Box::new(|s| s.name.starts_with("Cedar") && s.status == ClientStatus::Active),
        )
        .await;
        // Phone numbers are found by their digits alone, whatever the punctuation.
        check(
            DirectoryQuery {
                search: "5551007".into(),
                ..everything.clone()
            },
            tree.group,
            Box::new(|s| s.name.ends_with("07")),
        )
        .await;
        // Wildcards in a search are taken literally.
        check(
            DirectoryQuery {
                search: "%".into(),
                ..everything.clone()
            },
            tree.group,
            Box::new(|_| false),
        )
        .await;
        let by_id = seeded[5].id;
        check(
            DirectoryQuery {
                search: format!("#{}", by_id.0),
                ..everything.clone()
            },
            tree.group,
            Box::new(move |s| s.id == by_id),
        )
        .await;
    })
    .await;
}

/// The stored facets of every client equal a fresh reading of its row, tags and
/// features, and on SQLite the search index agrees with the clients table.
async fn assert_facets_exact(db: &Db) {
    let query = |sql: &'static str| async move {
        let mut rows: Vec<(i64, String, i64, String)> =
            sqlx::query_as(sql).fetch_all(db.pool()).await.unwrap();
        rows.sort();
        rows
    };
    let stored = query("SELECT client_id, facet, partner_id, name_key FROM client_facets").await;
    let fresh = query(
        "SELECT node_id, 'status:' || status, partner_id, name_key FROM clients \
         UNION ALL SELECT c.node_id, 'tag:' || t.tag, c.partner_id, c.name_key \
         FROM client_tags t JOIN clients c ON c.node_id = t.client_id \
         UNION ALL SELECT c.node_id, 'feature:' || f.feature, c.partner_id, c.name_key \
         FROM client_features f JOIN clients c ON c.node_id = f.client_id \
         UNION ALL SELECT node_id, 'credit:low', partner_id, name_key FROM clients \
         WHERE sms_balance < 100 OR voice_balance < 100",
    )
    .await;
    assert_eq!(stored, fresh);
    if db.backend() == app::db::Backend::Sqlite {
        sqlx::query(
            "INSERT INTO client_search (client_search, rank) VALUES ('integrity-check', 1)",
        )
        .execute(db.pool())
        .await
        .expect("the search index matches the clients table");
    }
}

/// The ids every driver lists for `query` in `node`'s subtree, after checking that the
/// drivers agree.
async fn listed(db: &Db, node: NodeId, query: &DirectoryQuery) -> Vec<NodeId> {
    let scope = Scope::resolve(db, &[node]).await.unwrap();
    let mut lists = Vec::new();
    for driver in Driver::candidates(query, &scope) {
        let (forward, backward) = walk(db, &scope, query, 50, driver).await;
        assert_eq!(forward, backward, "{driver:?}");
        lists.push((format!("{driver:?}"), forward));
    }
    let (chosen, _) = directory_rows(db, &[node], query, 50).await.unwrap();
    lists.push((
        "the chosen driver".into(),
        chosen.iter().map(|row| row.id).collect(),
    ));
    let (_, first) = lists[0].clone();
    for (driver, list) in lists {
        assert_eq!(list, first, "{driver} disagrees on {query:?}");
    }
    first
}

#[tokio::test]
async fn the_directory_follows_every_change_to_a_client() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let admin = actor_with(
            &state.db,
            "admin@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        let client = tree.client;
        let low = DirectoryQuery {
            low_credit: true,
            ..DirectoryQuery::default()
        };
        assert_eq!(listed(&state.db, tree.partner, &low).await, vec![client]);
        for credit in [CreditKind::Sms, CreditKind::Voice] {
            top_up(&caller(&state, &admin), client, credit, "150", "")
                .await
                .unwrap();
        }
        assert_eq!(listed(&state.db, tree.partner, &low).await, vec![]);
        record_usage(&state.db, client, CreditKind::Voice, 60, "calls")
            .await
            .unwrap();
        assert_eq!(listed(&state.db, tree.partner, &low).await, vec![client]);
        assert_facets_exact(&state.db).await;

        let version = client_view(&caller(&state, &admin), client)
            .await
            .unwrap()
            .version;
        let mut renamed = company("Zephyr Dental");
        renamed.email = "desk@zephyr.test".into();
        update_company(
            &caller(&state, &admin),
            client,
            &form_of(&renamed, "vip"),
            version,
        )
        .await
        .unwrap();
        let vip = DirectoryQuery {
            tag: Some("vip".into()),
            ..DirectoryQuery::default()
        };
        assert_eq!(listed(&state.db, tree.partner, &vip).await, vec![client]);
        let by_email = |search: &str| DirectoryQuery {
            search: search.into(),
            ..DirectoryQuery::default()
        };
        assert_eq!(
            listed(&state.db, tree.partner, &by_email("zephyr.test")).await,
            vec![client]
        );
        assert_eq!(
            listed(&state.db, tree.partner, &by_email("harbor")).await,
            vec![]
        );

        set_status(
            &caller(&state, &admin),
            client,
            ClientStatus::Suspended,
            version + 1,
        )
        .await
        .unwrap();
        let suspended_vip = DirectoryQuery {
            status: Some(ClientStatus::Suspended),
            ..vip.clone()
        };
        assert_eq!(
            listed(&state.db, tree.group, &suspended_vip).await,
            vec![client]
        );
        modify_features(
            &caller(&state, &admin),
            client,
            &["chat".into()],
            "5",
            version + 2,
        )
        .await
        .unwrap();
        let chat = DirectoryQuery {
            feature: Some(Feature::Chat),
            ..suspended_vip
        };
        assert_eq!(listed(&state.db, tree.partner, &chat).await, vec![client]);
        assert_eq!(listed(&state.db, tree.other_partner, &chat).await, vec![]);
        assert_facets_exact(&state.db).await;
    })
    .await;
}

#[tokio::test]
async fn the_directory_shows_only_what_the_viewer_may_see() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let names = |page: app::clients::DirectoryPage| {
            page.rows.into_iter().map(|r| r.name).collect::<Vec<_>>()
        };
        let platform = actor_with(
            &state.db,
            "root@switchboard.test",
            tree.platform,
            &[Role::PlatformAdmin],
        )
        .await;
        let all = directory(&caller(&state, &platform), &DirectoryQuery::default())
            .await
            .unwrap();
        assert_eq!(names(all), vec!["Harbor Dental", "Pacific Realty"]);

        let other = actor_with(
            &state.db,
            "admin@bluebird.test",
            tree.other_partner,
            &[Role::AccountAdmin],
        )
        .await;
        let theirs = directory(&caller(&state, &other), &DirectoryQuery::default())
            .await
            .unwrap();
        assert_eq!(names(theirs), vec!["Pacific Realty"]);
        assert!(client_view(&caller(&state, &other), tree.other_client)
            .await
            .is_ok());
        assert_eq!(
            client_view(&caller(&state, &other), tree.client).await,
            Err(AppError::NotFound)
        );
        let snooping = DirectoryQuery {
            under: vec![tree.partner],
            ..DirectoryQuery::default()
        };
        assert_eq!(
            directory(&caller(&state, &other), &snooping).await,
            Err(AppError::NotFound)
        );

        let client_user = actor_with(
            &state.db,
            "desk@harbor.test",
            tree.client,
            &[Role::ClientUser],
        )
        .await;
        assert!(matches!(
            directory(&caller(&state, &client_user), &DirectoryQuery::default()).await,
            Err(AppError::Forbidden(_))
        ));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn usage_is_never_refused_nor_below_zero_and_the_next_top_up_pays_what_is_owed() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let admin = actor_with(
            &state.db,
            "admin@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        let as_admin = caller(&state, &admin);
        top_up(&as_admin, tree.client, CreditKind::Voice, "100", "Starter")
            .await
            .unwrap();

        // 30 calls of 7 units at once: 210 units against 100.
        let calls: Vec<_> = (0..30)
            .map(|i| {
                let db = state.db.clone();
                tokio::spawn(async move {
                    record_usage(&db, tree.client, CreditKind::Voice, 7, &format!("call {i}")).await
                })
            })
            .collect();
        for call in calls {
            let position = call.await.unwrap().unwrap();
            assert!(position.balance >= 0 && position.shortfall >= 0);
        }
        let client = client_record(state.db.pool(), tree.client)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((client.voice_balance, client.voice_shortfall), (0, 110));
        assert_eq!(
            ledger_sum(state.db.pool(), tree.client, CreditKind::Voice)
                .await
                .unwrap(),
            0
        );

        let balance = top_up(&as_admin, tree.client, CreditKind::Voice, "150", "")
            .await
            .unwrap();
        assert_eq!(balance, 40, "the shortfall of 110 is paid first");
        let newest = &ledger(state.db.pool(), tree.client, 1).await.unwrap()[0];
        assert_eq!(newest.entry_type, EntryType::TopUp);
        assert_eq!((newest.amount, newest.balance_after), (40, 40));
        assert_eq!((newest.shortfall_change, newest.shortfall_after), (-110, 0));
        assert!(matches!(
            top_up(&as_admin, tree.client, CreditKind::Sms, "0", "").await,
            Err(e) if e.message_for("amount").is_some()
        ));
    })
    .await;
}

#[tokio::test]
async fn an_account_may_have_a_voice_rule_of_its_own_set_by_its_partner() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let admin = actor_with(
            &state.db,
            "admin@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        let as_admin = caller(&state, &admin);
        let view = client_view(&as_admin, tree.client).await.unwrap();
        assert_eq!(view.voice_rule.notation(), "60/60", "the partner's");
        assert!(!view.voice_rule_is_own);

        let refused =
            set_voice_rule(&as_admin, tree.client, true, ["0", "x", "-1"], view.version).await;
        for field in ["voice_initial", "voice_increment", "voice_free_under"] {
            assert!(
                refused
                    .as_ref()
                    .is_err_and(|e| e.message_for(field).is_some()),
                "{field}"
            );
        }
        set_voice_rule(&as_admin, tree.client, true, ["30", "6", "3"], view.version)
            .await
            .unwrap();
        let own = client_view(&as_admin, tree.client).await.unwrap();
        assert_eq!(own.voice_rule.notation(), "30/6, free under 3 s");
        assert!(own.voice_rule_is_own);

        let stale = set_voice_rule(&as_admin, tree.client, false, ["", "", ""], view.version).await;
        assert!(matches!(stale, Err(AppError::Conflict(_))), "{stale:?}");
        set_voice_rule(&as_admin, tree.client, false, ["", "", ""], own.version)
            .await
            .unwrap();
        let back = client_view(&as_admin, tree.client).await.unwrap();
        assert_eq!(
            (back.voice_rule.notation(), back.voice_rule_is_own),
            ("60/60".into(), false)
        );

        // The account's own admins see what they are billed, but do not set it.
        let client_admin = actor_with(
            &state.db,
            "owner@client.test",
            tree.client,
            &[Role::ClientAdmin],
        )
        .await;
        let theirs = set_voice_rule(
            &caller(&state, &client_admin),
            tree.client,
            true,
            ["1", "1", "0"],
            back.version,
        )
        .await;
        assert!(matches!(theirs, Err(AppError::Forbidden(_))), "{theirs:?}");
    })
    .await;
}

#[tokio::test]
async fn stale_saves_are_refused_naming_who_changed_what() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let first = actor_with(
            &state.db,
            "first@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        let second = actor_with(
            &state.db,
            "second@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        let loaded = client_view(&caller(&state, &second), tree.client)
            .await
            .unwrap();

        let mut changed = loaded.company.clone();
        changed.phone = "+1 617 555 0199".into();
        update_company(
            &caller(&state, &first),
            tree.client,
            &form_of(&changed, "vip"),
            loaded.version,
        )
        .await
        .unwrap();

        let mut mine = loaded.company.clone();
        mine.contact_name = "Somebody Else".into();
        match update_company(
            &caller(&state, &second),
            tree.client,
            &form_of(&mine, ""),
            loaded.version,
        )
        .await
        {
            Err(AppError::Conflict(message)) => assert!(
                message.starts_with(
                    "Test User edited the company details of this client account just now"
                ),
                "{message}"
            ),
            other => panic!("expected a conflict, got {other:?}"),
        }
        let stored = client_record(state.db.pool(), tree.client)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.company.phone, "+1 617 555 0199");
        assert_eq!(stored.company.contact_name, loaded.company.contact_name);

        let stale = loaded.version;
        assert!(matches!(
            set_status(
                &caller(&state, &second),
                tree.client,
                ClientStatus::Suspended,
                stale
            )
            .await,
            Err(AppError::Conflict(_))
        ));
        assert!(matches!(
            modify_features(&caller(&state, &second), tree.client, &[], "5", stale).await,
            Err(AppError::Conflict(_))
        ));
        assert!(matches!(
            move_client(
                &caller(&state, &second),
                tree.client,
                &tree.group.0.to_string(),
                stale
            )
            .await,
            Err(AppError::Conflict(_))
        ));

        let fresh = client_view(&caller(&state, &second), tree.client)
            .await
            .unwrap()
            .version;
        set_status(
            &caller(&state, &second),
            tree.client,
            ClientStatus::Suspended,
            fresh,
        )
        .await
        .unwrap();
        move_client(
            &caller(&state, &second),
            tree.client,
            &tree.group.0.to_string(),
            fresh + 1,
        )
        .await
        .unwrap();
        let moved = client_record(state.db.pool(), tree.client)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (moved.status, moved.group_id),
            (ClientStatus::Suspended, tree.group)
        );
        assert_counts_exact(&state.db).await;
        let to_other_partner = move_client(
            &caller(&state, &second),
            tree.client,
            &tree.other_partner.0.to_string(),
            moved.version,
        )
        .await;
        assert_eq!(to_other_partner, Err(AppError::NotFound));
    })
    .await;
}

#[tokio::test]
async fn features_stay_within_the_grantable_set_and_seats_above_the_users() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let admin = actor_with(&state.db, "admin@northwind.test", tree.partner, &[Role::AccountAdmin]).await;
        for email in ["a@harbor.test", "b@harbor.test"] {
            let user = add_user(&state.db, email).await;
            let mut conn = state.db.pool().acquire().await.unwrap();
            set_membership(&mut conn, user, tree.client, &app::core::roles::RoleSet::new([Role::ClientUser])).await.unwrap();
        }
        let version = client_view(&caller(&state, &admin), tree.client).await.unwrap().version;
        let too_few = modify_features(&caller(&state, &admin), tree.client, &["chat".into()], "1", version).await;
        assert!(matches!(too_few, Err(e) if e.message_for("seat_limit") == Some("2 users already hold seats here: the limit cannot go below 2.".into())));
        let not_grantable = modify_features(&caller(&state, &admin), tree.client, &["transcription".into()], "2", version).await;
        assert!(matches!(not_grantable, Err(e) if e.message_for("features").is_some()));
        modify_features(&caller(&state, &admin), tree.client, &["chat".into(), "voice".into()], "2", version).await.unwrap();
        let view = client_view(&caller(&state, &admin), tree.client).await.unwrap();
        assert_eq!((view.features, view.seat_limit, view.seats_used), (vec![Feature::Voice, Feature::Chat], 2, 2));
    })
    .await;
}

#[tokio::test]
async fn the_sso_token_is_revealed_and_rotated_on_the_record() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let admin = actor_with(&state.db, "admin@northwind.test", tree.partner, &[Role::AccountAdmin]).await;
        assert_eq!(reveal_sso_token(&caller(&state, &admin), tree.client).await.unwrap(), "test-sso-token");
        let unconfirmed = rotate_sso_token(&caller(&state, &admin), tree.client, false).await;
        assert!(matches!(unconfirmed, Err(e) if e.message_for("confirm").is_some()));
        let rotated = rotate_sso_token(&caller(&state, &admin), tree.client, true).await.unwrap();
        assert_ne!(rotated, "test-sso-token");
        assert!(rotated.len() >= 40);
        assert_eq!(sso_token(state.db.pool(), tree.client).await.unwrap(), Some(rotated));
        let audited = count(
            &state.db,
            "SELECT COUNT(*) FROM audit_events WHERE action IN ('client.sso_token_revealed', 'client.sso_token_rotated')",
        )
        .await;
        assert_eq!(audited, 2);
    })
    .await;
}

#[tokio::test]
async fn every_client_function_checks_the_actors_rights_at_the_client() {
    use Outcome::{Allowed as A, Forbidden as F, NotFound as N};
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        // role, where it is held, then: view, manage, operator status, create here.
        let matrix = [
            (Role::PlatformAdmin, tree.platform, [A, A, A, A]),
            (Role::AccountAdmin, tree.partner, [A, A, A, A]),
            (Role::AccountAdmin, tree.other_partner, [N, N, N, N]),
            (Role::AccountAdmin, tree.sub_group, [A, A, A, A]),
            (Role::User, tree.group, [A, F, F, F]),
            (Role::MessagingAgent, tree.partner, [A, F, F, F]),
            (Role::AccountManager, tree.client, [A, F, A, N]),
            (Role::ClientAdmin, tree.client, [A, F, A, N]),
            (Role::ClientUser, tree.client, [F, F, F, N]),
            (Role::SupportAgent, tree.platform, [F, F, F, F]),
        ];
        for (index, (role, node, expected)) in matrix.into_iter().enumerate() {
            let actor = actor_with(&state.db, &format!("actor{index}@matrix.test"), node, &[role]).await;
            let version = client_record(state.db.pool(), tree.client).await.unwrap().unwrap().version;
            let view = outcome(&client_view(&caller(&state, &actor), tree.client).await);
            let manage = [
                outcome(&update_company(&caller(&state, &actor), tree.client, &CompanyForm::default(), version).await),
                outcome(&set_status(&caller(&state, &actor), tree.client, ClientStatus::Active, version + 100).await),
                outcome(&modify_features(&caller(&state, &actor), tree.client, &[], "0", version).await),
                outcome(&top_up(&caller(&state, &actor), tree.client, CreditKind::Sms, "x", "").await),
                outcome(&reveal_sso_token(&caller(&state, &actor), tree.client).await),
                outcome(&rotate_sso_token(&caller(&state, &actor), tree.client, false).await),
                outcome(&move_client(&caller(&state, &actor), tree.client, &tree.sub_group.0.to_string(), version + 100).await),
            ];
            let status = app::briefing::service::StatusForm { text: "", until: "", default_text: "" };
            let content = outcome(&app::briefing::service::set_status(&caller(&state, &actor), Some(tree.client), &status, version + 100).await);
            let mut form = new_client("", tree.sub_group, "");
            form.company = CompanyForm::default();
            let create = outcome(&create_client(&caller(&state, &actor), &form).await);
            for (what, got) in manage.iter().enumerate() {
                assert_eq!(*got, expected[1], "{role:?} at {node:?}: manage function {what}");
            }
            assert_eq!([view, expected[1], content, create], expected, "{role:?} at {node:?}");
        }
        // Nothing changed: every call above was refused or failed validation.
        let audited = count(&state.db, "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'client.%' AND action <> 'client.sso_token_revealed'").await;
        assert_eq!(audited, 0);
    })
    .await;
}

fn sso_link(client: NodeId, email: &str, expires_in: i64, nonce: &str, token: &str) -> SsoLink {
    let mut link = SsoLink {
        client: client.0,
        email: email.into(),
        expires: app::db::now_ms() / 1000 + expires_in,
        nonce: nonce.into(),
        signature: String::new(),
    };
    link.signature = link.sign(token);
    link
}

#[tokio::test]
async fn a_signed_sso_link_signs_its_user_in_once_before_it_expires() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        let state = state(db);
        let member = actor_with(
            &state.db,
            "hana@harbor.test",
            tree.client,
            &[Role::ClientAdmin],
        )
        .await;
        actor_with(
            &state.db,
            "pat@pacific.test",
            tree.other_client,
            &[Role::ClientAdmin],
        )
        .await;
        let token = "test-sso-token";

        let good = sso_link(tree.client, "hana@harbor.test", 120, "nonce-0001", token);
        assert_eq!(redeem(&state, &good).await.unwrap().id, member.user().id);
        assert!(
            matches!(redeem(&state, &good).await, Err(AppError::Forbidden(_))),
            "single use"
        );

        let refused = [
            sso_link(tree.client, "hana@harbor.test", -1, "nonce-0002", token),
            sso_link(tree.client, "hana@harbor.test", 3_600, "nonce-0003", token),
            sso_link(
                tree.client,
                "hana@harbor.test",
                120,
                "nonce-0004",
                "wrong-token",
            ),
            sso_link(tree.client, "pat@pacific.test", 120, "nonce-0005", token),
            sso_link(tree.client, "nobody@harbor.test", 120, "nonce-0006", token),
            sso_link(
                NodeId(999_999),
                "hana@harbor.test",
                120,
                "nonce-0007",
                token,
            ),
        ];
        for link in refused {
            assert!(
                matches!(redeem(&state, &link).await, Err(AppError::Forbidden(_))),
                "{link:?}"
            );
        }
        // The client's token vouches only for people whose every role is held at the
        // account: partner staff, even one also holding a role there, are refused.
        let staff = actor_with(&state.db, "sid@northwind.test", tree.group, &[Role::User]).await;
        let mut conn = state.db.pool().acquire().await.unwrap();
        set_membership(
            &mut conn,
            staff.user().id,
            tree.client,
            &RoleSet::new([Role::ClientUser]),
        )
        .await
        .unwrap();
        drop(conn);
        actor_with(
            &state.db,
            "ada@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        for (email, nonce) in [
            ("sid@northwind.test", "nonce-0011"),
            ("ada@northwind.test", "nonce-0012"),
        ] {
            let staff_link = sso_link(tree.client, email, 120, nonce, token);
            assert!(
                matches!(
                    redeem(&state, &staff_link).await,
                    Err(AppError::Forbidden(_))
                ),
                "{email}"
            );
        }
        let mut tampered = sso_link(tree.client, "hana@harbor.test", 120, "nonce-0008", token);
        tampered.email = "pat@pacific.test".into();
        assert!(matches!(
            redeem(&state, &tampered).await,
            Err(AppError::Forbidden(_))
        ));

        // Rotating the token kills links signed with the old one.
        let admin = actor_with(
            &state.db,
            "admin@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        let new_token = rotate_sso_token(&caller(&state, &admin), tree.client, true)
            .await
            .unwrap();
        let old = sso_link(tree.client, "hana@harbor.test", 120, "nonce-0009", token);
        assert!(redeem(&state, &old).await.is_err());
        let fresh = sso_link(
            tree.client,
            "hana@harbor.test",
            120,
            "nonce-0010",
            &new_token,
        );
        assert!(redeem(&state, &fresh).await.is_ok());
    })
    .await;
}

#[tokio::test]
async fn a_new_clients_first_admin_is_welcomed_by_email_in_the_partners_brand() {
    on_every_database(|db| async move {
        let tree = build_tree(&db).await;
        sqlx::query("INSERT INTO branding_domains (domain, partner_id) VALUES ($1, $2)")
            .bind("portal.northwind.test")
            .bind(tree.partner.0)
            .execute(db.pool())
            .await
            .unwrap();
        let state = state(db.clone());
        let admin = actor_with(
            &db,
            "admin@northwind.test",
            tree.partner,
            &[Role::AccountAdmin],
        )
        .await;
        let form = new_client("Cedar Law", tree.group, "activation_link");
        let created = create_client(&caller(&state, &admin), &form).await.unwrap();
        let link = created.activation_link.unwrap();

        let row =
            sqlx::query("SELECT sender_name, subject, body_text FROM outbox WHERE recipient = $1")
                .bind("office@cedar-law.test")
                .fetch_one(db.pool())
                .await
                .unwrap();
        let sender: String = row.try_get("sender_name").unwrap();
        let subject: String = row.try_get("subject").unwrap();
        let text: String = row.try_get("body_text").unwrap();
        assert_eq!(sender, "Test Brand");
        assert_eq!(subject, "Your Test Brand account");
        assert!(
            text.contains(&format!("http://portal.northwind.test:3000{link}")),
            "{text}"
        );
        assert!(text.contains("Username: office@cedar-law.test"), "{text}");
        assert!(
            !text.contains("Switchboard"),
            "never the platform's brand: {text}"
        );
    })
    .await;
}
