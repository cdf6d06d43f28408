//! The world the portal's benchmarks build: a migrated database, client accounts,
//! people holding roles at them, and API keys.

use std::process::{Command, Stdio};

use app::api_keys::repo::{insert_key, NewApiKey};
use app::api_keys::token;
use app::auth::actor::Actor;
use app::auth::session::SessionUser;
use app::clients::repo::{insert_client, NewClientRecord};
use app::clients::CompanyInfo;
use app::core::roles::{Role, RoleSet};
use app::core::{ClientStatus, NodeId, NodeKind, UserId, UserStatus};
use app::db::{now_ms, Db};
use app::state::AppState;
use app::tenancy::repo::{ensure_platform, insert_node};
use app::users::repo::{insert_user, set_membership, NewUser};

use crate::common::binary;

/// A database at `url`, migrated by the binary under test.
pub async fn migrated(url: &str) -> Db {
    let status = Command::new(binary())
        .arg("migrate")
        .env("DATABASE_URL", url)
        .stdout(Stdio::null())
        .status()
        .expect("run switchboard migrate");
    assert!(status.success(), "migrating failed");
    Db::connect(url).await.expect("connect")
}

/// `count` client accounts in `time_zone` under one new partner: the partner, and
/// the accounts' ids in order.
pub async fn accounts_of(db: &Db, count: usize, time_zone: &str) -> (NodeId, Vec<NodeId>) {
    let mut tx = db.begin().await.expect("begin");
    let platform = ensure_platform(&mut tx).await.expect("platform");
    let partner = insert_node(&mut tx, Some(platform), NodeKind::Partner, "Bench Partner")
        .await
        .expect("partner");
    let mut ids = Vec::with_capacity(count);
    for n in 0..count {
        let company = CompanyInfo {
            name: format!("Bench Account {n:05}"),
            contact_name: "Bench Contact".into(),
            email: format!("office{n}@bench.test"),
            phone: "+1 555 0100".into(),
            address: String::new(),
            time_zone: time_zone.into(),
        };
        let record = NewClientRecord {
            group: partner,
            partner,
            company: &company,
            status: ClientStatus::Active,
            seat_limit: 5,
            features: &[],
            tags: &[],
            sso_token: "bench",
        };
        ids.push(insert_client(&mut tx, record).await.expect("account"));
    }
    tx.commit().await.expect("commit");
    (partner, ids)
}

/// A signed-in person holding `role` at `account`.
pub async fn person(db: &Db, email: &str, account: NodeId, role: Role) -> Actor {
    let id: UserId = insert_user(
        db.pool(),
        &NewUser {
            email,
            name: "Bench Person",
            language: "en",
            branding_domain: None,
            status: UserStatus::Active,
            password_hash: None,
            must_change_password: false,
        },
    )
    .await
    .expect("user");
    let mut conn = db.pool().acquire().await.expect("connection");
    set_membership(&mut conn, id, account, &RoleSet::new([role]))
        .await
        .expect("membership");
    let session = SessionUser {
        id,
        name: "Bench Person".into(),
        email: email.into(),
        must_change_password: false,
        language: app::core::Language::English,
        verified: Vec::new(),
        token_hash: String::new(),
        impersonation: None,
        expires_at: i64::MAX,
    };
    Actor::of(db, session).await.expect("actor")
}

/// A new API key of `owner` with `scopes` (comma-separated keys).
pub async fn api_key(state: &AppState, owner: NodeId, by: UserId, scopes: &str) -> String {
    let generated = token::generate();
    let mut conn = state.db.pool().acquire().await.expect("connection");
    insert_key(
        &mut conn,
        NewApiKey {
            key_id: &generated.key_id,
            secret_hash: &state.settings.secret.sign(generated.text.as_bytes()),
            owner,
            name: "Bench",
            scopes,
            created_by: by,
            rotated_from: None,
            now: now_ms(),
        },
    )
    .await
    .expect("key");
    generated.text
}
