//! Making, rotating and revoking API keys (by people, each checked and on the record),
//! and opening the API with one (by the platform's systems).

use serde_json::json;

use super::repo::{self, ApiKeyRecord, ListedKey, NewApiKey};
use super::{
    token, ApiKeyView, ApiKeysView, ApiScope, IssuedKey, KeyState, MAX_KEY_NAME, MAX_WORKING_KEYS,
    ROTATION_OVERLAPS,
};
use crate::auth::authorized::Authorized;
use crate::auth::caller::Caller;
use crate::auth::repo::node_kind;
use crate::core::roles::Permission;
use crate::core::time::{ago, timestamp};
use crate::core::{NodeId, NodeKind};
use crate::db::now_ms;
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;

/// The proof that the caller manages the keys of `owner`: partner staff with
/// ManageClients for a client account's, a partner's Account Admins (who hold
/// ManagePartnerSettings) for the partner's. Client Users and Client Admins never do.
async fn key_manager(
    caller: &Caller,
    owner: NodeId,
) -> Result<(NodeKind, Authorized<'_>), AppError> {
    let authorized = caller.actor.at(caller.db(), owner).await?;
    let kind = node_kind(caller.db().pool(), owner)
        .await?
        .ok_or(AppError::NotFound)?;
    let needed = match kind {
        NodeKind::Client => Permission::ManageClients,
        NodeKind::Partner => Permission::ManagePartnerSettings,
        NodeKind::Platform | NodeKind::Group => return Err(AppError::NotFound),
    };
    Ok((kind, authorized.requiring(needed)?))
}

pub async fn keys(caller: &Caller, owner: NodeId) -> Result<ApiKeysView, AppError> {
    let (kind, _) = key_manager(caller, owner).await?;
    let now = now_ms();
    let keys = repo::keys_of(caller.db().pool(), owner).await?;
    Ok(ApiKeysView {
        owner,
        for_partner: kind == NodeKind::Partner,
        keys: keys.into_iter().map(|key| key_view(key, now)).collect(),
    })
}

fn key_view(listed: ListedKey, now: i64) -> ApiKeyView {
    let key = listed.key;
    let state = match (key.revoked_at, key.expires_at) {
        (Some(_), _) => KeyState::Revoked,
        (None, Some(expires)) if expires <= now => KeyState::Expired,
        (None, Some(expires)) => KeyState::Expiring(timestamp(expires)),
        (None, None) => KeyState::Working,
    };
    ApiKeyView {
        id: key.id,
        scopes: scopes_of(&key),
        key_id: key.key_id,
        name: key.name,
        state,
        created: timestamp(key.created_at),
        created_by: listed.creator_name,
        last_used: key.last_used_at.map(|at| {
            let from = key.last_used_address.unwrap_or_default();
            crate::tr!(api_keys.last_used_from, ago = ago(now - at), address = from)
        }),
    }
}

fn scopes_of(key: &ApiKeyRecord) -> Vec<ApiScope> {
    key.scopes
        .split(',')
        .filter_map(ApiScope::from_key)
        .collect()
}

/// Makes a key for `owner` with a name and the scopes ticked; its text is in the answer
/// only.
pub async fn create(
    caller: &Caller,
    owner: NodeId,
    name: &str,
    scopes: &[String],
) -> Result<IssuedKey, AppError> {
    let (_, authorized) = key_manager(caller, owner).await?;
    let mut errors = FieldErrors::default();
    let name = name.trim();
    if name.is_empty() {
        errors.add("name", crate::tr!(api_keys.errors.name));
    }
    errors.limit("name", name, MAX_KEY_NAME);
    let mut chosen: Vec<ApiScope> = Vec::new();
    for key in scopes {
        match ApiScope::from_key(key) {
            Some(scope) => chosen.push(scope),
            None => errors.add("scopes", crate::tr!(api_keys.errors.scope_unknown)),
        }
    }
    chosen.sort();
    chosen.dedup();
    if chosen.is_empty() {
        errors.add("scopes", crate::tr!(api_keys.errors.scopes));
    }
    errors.into_result()?;
    let now = now_ms();
    let mut tx = authorized.begin(caller).await?;
    refuse_past_limit(&mut tx, owner, now).await?;
    let stored: Vec<&str> = chosen.iter().map(|scope| scope.key()).collect();
    let issued = issue(&mut tx, caller, owner, name, &stored.join(","), None, now).await?;
    tx.commit(
        "api_key.created",
        json!({ "after": { "key_id": issued.key_id, "name": name, "scopes": stored } }),
    )
    .await?;
    Ok(issued)
}

async fn refuse_past_limit(
    conn: &mut sqlx::AnyConnection,
    owner: NodeId,
    now: i64,
) -> Result<(), AppError> {
    if repo::working_keys(&mut *conn, owner, now).await? >= MAX_WORKING_KEYS {
        return Err(AppError::field(
            FieldErrors::FORM,
            crate::tr!(api_keys.errors.too_many, most = MAX_WORKING_KEYS),
        ));
    }
    Ok(())
}

async fn issue(
    conn: &mut sqlx::AnyConnection,
    caller: &Caller,
    owner: NodeId,
    name: &str,
    scopes: &str,
    rotated_from: Option<i64>,
    now: i64,
) -> Result<IssuedKey, AppError> {
    let generated = token::generate();
    let secret_hash = caller.state.settings.secret.sign(generated.text.as_bytes());
    repo::insert_key(
        conn,
        NewApiKey {
            key_id: &generated.key_id,
            secret_hash: &secret_hash,
            owner,
            name,
            scopes,
            created_by: caller.actor.acting().user,
            rotated_from,
            now,
        },
    )
    .await?;
    Ok(IssuedKey {
        key_id: generated.key_id,
        text: generated.text,
    })
}

/// Replaces key `id` with a new one of the same name and scopes; the old one keeps
/// working for the overlap chosen (`overlap` is a key of [`ROTATION_OVERLAPS`]), so
/// the systems using it can move over.
pub async fn rotate(
    caller: &Caller,
    owner: NodeId,
    id: i64,
    overlap: &str,
) -> Result<IssuedKey, AppError> {
    let (_, authorized) = key_manager(caller, owner).await?;
    let Some(&(_, overlap_label, overlap_ms)) =
        ROTATION_OVERLAPS.iter().find(|(key, _, _)| *key == overlap)
    else {
        return Err(AppError::field(
            "overlap",
            crate::tr!(api_keys.errors.overlap),
        ));
    };
    let now = now_ms();
    let key = repo::key_of(caller.db().pool(), owner, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !key.works_at(now) {
        return Err(AppError::Conflict(
            crate::tr!(api_keys.errors.not_working).into(),
        ));
    }
    if key.expires_at.is_some() {
        return Err(AppError::Conflict(
            crate::tr!(api_keys.errors.rotated).into(),
        ));
    }
    let mut tx = authorized.begin(caller).await?;
    let expires_at = now + overlap_ms;
    if !repo::end_after_rotation(&mut **tx, id, expires_at).await? {
        return Err(AppError::Conflict(
            crate::tr!(api_keys.errors.changed).into(),
        ));
    }
    let issued = issue(
        &mut tx,
        caller,
        owner,
        &key.name,
        &key.scopes,
        Some(id),
        now,
    )
    .await?;
    tx.commit(
        "api_key.rotated",
        json!({
            "before": { "key_id": key.key_id },
            "after": { "key_id": issued.key_id, "old_key_stops": overlap_label.to_lowercase(), "old_key_expires_at": timestamp(expires_at) },
        }),
    )
    .await?;
    Ok(issued)
}

/// Stops key `id` at once. Revoking a revoked key changes nothing and records nothing.
/// Answers what the owner is (whose page lists the key).
pub async fn revoke(caller: &Caller, owner: NodeId, id: i64) -> Result<NodeKind, AppError> {
    let (kind, authorized) = key_manager(caller, owner).await?;
    let key = repo::key_of(caller.db().pool(), owner, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = authorized.begin(caller).await?;
    if !repo::revoke(&mut **tx, id, caller.actor.acting().user, now_ms()).await? {
        return Ok(kind);
    }
    tx.commit(
        "api_key.revoked",
        json!({ "before": { "key_id": key.key_id, "name": key.name } }),
    )
    .await?;
    Ok(kind)
}

/// A key that opened the API: what it may do, and whose it is.
#[derive(Clone, Debug)]
pub struct ApiCredential {
    /// The key's row, for per-key limits and idempotency.
    pub key: i64,
    pub key_id: String,
    pub owner: NodeId,
    pub owner_is_partner: bool,
    pub scopes: Vec<ApiScope>,
}

/// The key in `text`, if it works: unknown, mistyped, expired and revoked keys are all
/// refused alike.
pub async fn authenticate(
    state: &AppState,
    text: &str,
    address: &str,
) -> Result<ApiCredential, AppError> {
    let key_id = token::key_id_of(text).ok_or(AppError::Unauthenticated)?;
    let repo::PresentedKey { key, owner_kind } = repo::key_by_key_id(state.db.pool(), key_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let now = now_ms();
    if !state
        .settings
        .secret
        .verify(text.as_bytes(), &key.secret_hash)
        || !key.works_at(now)
    {
        return Err(AppError::Unauthenticated);
    }
    if key
        .last_used_at
        .is_none_or(|at| at <= now - repo::USE_NOTED_EVERY_MS)
    {
        repo::note_use(state.db.pool(), key.id, address, now).await?;
    }
    Ok(ApiCredential {
        key: key.id,
        scopes: scopes_of(&key),
        key_id: key.key_id,
        owner: key.owner_id,
        owner_is_partner: owner_kind == NodeKind::Partner,
    })
}

impl ApiCredential {
    /// Refuses unless the key holds `scope`.
    pub fn require(&self, scope: ApiScope) -> Result<(), AppError> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(AppError::forbidden(format!(
                "This key may not do that: it lacks the scope {}.",
                scope.key()
            )))
        }
    }
}
