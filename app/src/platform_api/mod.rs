//! The platform's API (`/api/v1`): calls, messages and message events sent in, and
//! the balances read, with an API key. JSON over HTTPS; no cookies are read, so the
//! cross-site rule of the pages does not apply. Each request is authenticated, limited
//! per key, checked for its scope and account, then run at most once per
//! Idempotency-Key. Its answers are in English whatever the account's language: a
//! program and its developer read them, beside the English OpenAPI document (no page
//! language is set here, so the catalogs word them in English too).

pub mod answer;
pub mod idempotency;
pub mod openapi;
mod repo;

use std::future::Future;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post, put};
use axum::Router;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use http::request::Parts;
use http::{header, StatusCode};
use serde::de::DeserializeOwned;

use self::answer::Answer;
use self::openapi::Refusals;
use crate::api_keys::service::{authenticate, ApiCredential};
use crate::api_keys::ApiScope;
use crate::clients::repo::{balances, client_record, ClientRecord};
use crate::core::{ClientStatus, NodeId};
use crate::db::now_ms;
use crate::error::AppError;
use crate::inbox::ingest::{
    self, CallBody, EventBody, EventRecorded, Ingested, MessageBody, NewCall, NewMessage,
};
use crate::inbox::recordings::{store_recording, RecordingStored};
use crate::operator_view::document::OperatorView;
use crate::operator_view::service::{fetch, Fetched};
use crate::request::Requester;
use crate::state::AppState;

/// The most a JSON request may send: a message with all its fields is far smaller.
pub const MAX_JSON_BODY: usize = 64 * 1024;

pub const CALLS: &str = "/api/v1/calls";
pub const MESSAGES: &str = "/api/v1/messages";
pub const MESSAGE_EVENTS: &str = "/api/v1/messages/{external_id}/events";
pub const BALANCE: &str = "/api/v1/balance";
pub const RECORDING: &str = "/api/v1/calls/{external_id}/recording";
pub const OPERATOR_VIEW: &str = "/api/v1/operator-view";

#[derive(Clone)]
struct Api {
    state: AppState,
    limiter: Arc<DefaultKeyedRateLimiter<i64>>,
    /// When this process last forgot expired idempotency keys.
    last_sweep: Arc<AtomicI64>,
}

/// The API's routes, for the server to serve beside the pages.
pub fn router(state: AppState) -> Router {
    let limit = state.settings.api_limit;
    let per_second = NonZeroU32::new(limit.per_second).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(limit.burst).unwrap_or(NonZeroU32::MIN);
    let api = Api {
        state,
        limiter: Arc::new(RateLimiter::keyed(
            Quota::per_second(per_second).allow_burst(burst),
        )),
        last_sweep: Arc::new(AtomicI64::new(0)),
    };
    Router::new()
        .route(CALLS, post(post_call))
        .route(MESSAGES, post(post_message))
        .route(MESSAGE_EVENTS, post(post_message_event))
        .route(BALANCE, get(get_balance))
        .route(OPERATOR_VIEW, get(get_operator_view))
        .route(RECORDING, put(put_recording))
        .route(openapi::PATH, get(openapi_document))
        .route("/api/v1/{*rest}", any(unknown_route))
        .with_state(api)
}

/// Sends in a call, or an update of one.
#[utoipa::path(
    post,
    path = "/api/v1/calls",
    tag = "ingestion",
    request_body = CallBody,
    params(AccountParam, IdempotencyParam),
    responses(
        (status = 201, description = "A new call", body = Ingested),
        (status = 200, description = "A call sent before: moved forward, or (`applied` false) unchanged", body = Ingested),
        Refusals,
    )
)]
async fn post_call(State(api): State<Api>, request: Request) -> Response {
    api.handle(
        request,
        ApiScope::IngestCalls,
        |state, client, body| async move {
            let body: CallBody = json_body(&body)?;
            let (call, recipient) = NewCall::from_body(&body)?;
            let ingested = ingest::ingest_call(&state.db, &client, call, recipient).await?;
            Ok(Answer::json(created_or_ok(ingested.created), &ingested))
        },
    )
    .await
}

/// Sends in a message operators took, or a text or chat message, or an update of one.
#[utoipa::path(
    post,
    path = "/api/v1/messages",
    tag = "ingestion",
    request_body = MessageBody,
    params(AccountParam, IdempotencyParam),
    responses(
        (status = 201, description = "A new message", body = Ingested),
        (status = 200, description = "A message sent before: moved forward, or (`applied` false) unchanged", body = Ingested),
        Refusals,
    )
)]
async fn post_message(State(api): State<Api>, request: Request) -> Response {
    api.handle(
        request,
        ApiScope::IngestMessages,
        |state, client, body| async move {
            let body: MessageBody = json_body(&body)?;
            let (message, recipients) = NewMessage::from_body(&body)?;
            let ingested = ingest::ingest_message(&state.db, &client, message, recipients).await?;
            Ok(Answer::json(created_or_ok(ingested.created), &ingested))
        },
    )
    .await
}

/// Reports what happened to a message after it was taken.
#[utoipa::path(
    post,
    path = "/api/v1/messages/{external_id}/events",
    tag = "ingestion",
    request_body = EventBody,
    params(
        ("external_id" = String, Path, description = "The message's id on the platform"),
        AccountParam,
        IdempotencyParam,
    ),
    responses((status = 201, description = "Recorded", body = EventRecorded), Refusals)
)]
async fn post_message_event(
    State(api): State<Api>,
    Path(external_id): Path<String>,
    request: Request,
) -> Response {
    api.handle(
        request,
        ApiScope::IngestMessages,
        |state, client, body| async move {
            let body: EventBody = json_body(&body)?;
            let recorded = ingest::record_event(&state.db, &client, &external_id, &body).await?;
            Ok(Answer::json(StatusCode::CREATED, &recorded))
        },
    )
    .await
}

/// Uploads a call's recording (replacing one sent before): the body is the audio,
/// where the account has the call-recording feature.
#[utoipa::path(
    put,
    path = "/api/v1/calls/{external_id}/recording",
    tag = "ingestion",
    request_body(
        content = Vec<u8>,
        content_type = "audio/wav",
        description = "The audio: audio/wav, audio/mpeg, audio/ogg or audio/mp4 (m4a), up to the server's limit (50 MB unless set otherwise)"
    ),
    params(
        ("external_id" = String, Path, description = "The call's id on the platform"),
        AccountParam,
        IdempotencyParam,
    ),
    responses(
        (status = 201, description = "The call's first recording", body = RecordingStored),
        (status = 200, description = "A recording sent before, replaced", body = RecordingStored),
        Refusals,
    )
)]
async fn put_recording(
    State(api): State<Api>,
    Path(external_id): Path<String>,
    request: Request,
) -> Response {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_string();
    let limit = api.state.settings.max_recording_bytes;
    api.handle_with_limit(
        request,
        ApiScope::IngestCalls,
        limit,
        |state, client, body| async move {
            let storage = &state.settings.storage;
            let stored = store_recording(
                &state.db,
                storage,
                &client,
                &external_id,
                &content_type,
                body,
            )
            .await?;
            Ok(Answer::json(created_or_ok(stored.created), &stored))
        },
    )
    .await
}

/// The account's SMS and voice balances, and what it owes.
#[utoipa::path(
    get,
    path = "/api/v1/balance",
    tag = "accounts",
    params(AccountParam),
    responses((status = 200, description = "The balances", body = BalanceAnswer), Refusals)
)]
async fn get_balance(State(api): State<Api>, request: Request) -> Response {
    api.handle(
        request,
        ApiScope::ReadBalance,
        |state, client, _| async move {
            let balances = balances(state.db.pool(), client.id).await?;
            let answer = BalanceAnswer {
                account: client.id.0,
                balances,
            };
            Ok(Answer::json(StatusCode::OK, &answer))
        },
    )
    .await
}

/// What operators should know about the account: its status, who is on call now
/// and next with how to reach them, its contacts and resources. Send the ETag of the
/// copy you hold in `If-None-Match` to get 304 while it is current. Every fetch is
/// recorded, so the client sees when operators last had the latest version.
#[utoipa::path(
    get,
    path = "/api/v1/operator-view",
    tag = "operators",
    params(AccountParam, IfNoneMatchParam),
    responses(
        (status = 200, description = "The document, with its ETag", body = OperatorView,
            headers(("ETag" = String, description = "The document's entity tag"))),
        (status = 304, description = "The copy with the ETag sent is current"),
        Refusals
    )
)]
async fn get_operator_view(State(api): State<Api>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    let (credential, client) = match api.admit(&parts, ApiScope::ReadOperatorView).await {
        Ok(admitted) => admitted,
        Err(answer) => return answer.into_response(),
    };
    let held = parts
        .headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok());
    let facts = (
        client.company.name.as_str(),
        client.company.time_zone.as_str(),
    );
    let fetched = fetch(&api.state.db, credential.key, client.id, facts, held).await;
    let no_cache = (header::CACHE_CONTROL, "private, no-cache".to_string());
    match fetched {
        Ok(Fetched::Changed(rendered)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/json".to_string()),
                (header::ETAG, rendered.etag),
                no_cache,
            ],
            rendered.body,
        )
            .into_response(),
        Ok(Fetched::NotModified(etag)) => {
            (StatusCode::NOT_MODIFIED, [(header::ETAG, etag), no_cache]).into_response()
        }
        Err(error) => Answer::error(error).into_response(),
    }
}

/// The ETag of the copy the caller holds.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IfNoneMatchParam {
    /// The `ETag` of an earlier answer: 304 while it is current.
    #[param(rename = "If-None-Match")]
    pub if_none_match: Option<String>,
}

/// What `GET /api/v1/balance` answers.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct BalanceAnswer {
    /// The client account's id.
    pub account: i64,
    pub balances: crate::clients::ledger::Balances,
}

/// The account a request is about, for a partner's key.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountParam {
    /// The client account's id: required with a partner's key, optional with an
    /// account's own.
    pub account: Option<i64>,
}

/// A key that makes a retry safe.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IdempotencyParam {
    /// Any unique text (a UUID): a retry with the same key and body gets the first
    /// answer again (with `Idempotent-Replayed: true`); kept 24 hours.
    #[param(rename = "Idempotency-Key")]
    pub idempotency_key: Option<String>,
}

async fn openapi_document() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi::document(),
    )
        .into_response()
}

async fn unknown_route() -> Response {
    Answer::refusal(StatusCode::NOT_FOUND, "There is no such API route.").into_response()
}

fn created_or_ok(created: bool) -> StatusCode {
    if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    }
}

impl Api {
    /// Authenticates, limits, checks the scope and the account, reads the body and
    /// runs `run` (once per Idempotency-Key).
    async fn handle<F, Fut>(&self, request: Request, scope: ApiScope, run: F) -> Response
    where
        F: FnOnce(AppState, ClientRecord, axum::body::Bytes) -> Fut,
        Fut: Future<Output = Result<Answer, AppError>>,
    {
        self.handle_with_limit(request, scope, MAX_JSON_BODY, run)
            .await
    }

    /// As [`Api::handle`], for a body of up to `limit` bytes.
    async fn handle_with_limit<F, Fut>(
        &self,
        request: Request,
        scope: ApiScope,
        limit: usize,
        run: F,
    ) -> Response
    where
        F: FnOnce(AppState, ClientRecord, axum::body::Bytes) -> Fut,
        Fut: Future<Output = Result<Answer, AppError>>,
    {
        let (parts, body) = request.into_parts();
        let (credential, client) = match self.admit(&parts, scope).await {
            Ok(admitted) => admitted,
            Err(answer) => return answer.into_response(),
        };
        let Ok(body) = axum::body::to_bytes(body, limit).await else {
            let message = match limit >> 20 {
                0 => format!("A request may send at most {} KiB.", limit >> 10),
                megabytes => format!("A request may send at most {megabytes} MB."),
            };
            return Answer::refusal(StatusCode::PAYLOAD_TOO_LARGE, &message).into_response();
        };
        self.sweep_expired_keys().await;
        let key = parts
            .headers
            .get(idempotency::HEADER)
            .map(|value| value.to_str().unwrap_or(""));
        let path = parts.uri.path_and_query().map_or("", |path| path.as_str());
        let hash = idempotency::request_hash(parts.method.as_str(), path, &body);
        let state = self.state.clone();
        let work = async move { run(state, client, body).await.unwrap_or_else(Answer::error) };
        idempotency::once(&self.state.db, credential.key, key, &hash, work)
            .await
            .into_response()
    }

    /// The key and the account of a request, or the answer that refuses it.
    async fn admit(
        &self,
        parts: &Parts,
        scope: ApiScope,
    ) -> Result<(ApiCredential, ClientRecord), Answer> {
        let address = Requester::from_parts(parts, self.state.settings.trust_forwarded_for).address;
        let text = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or_else(|| Answer::error(AppError::Unauthenticated))?;
        let credential = authenticate(&self.state, text.trim(), &address)
            .await
            .map_err(Answer::error)?;
        if let Err(not_until) = self.limiter.check_key(&credential.key) {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            return Err(Answer::too_many(wait.as_secs_f64().ceil().max(1.0) as u64));
        }
        credential.require(scope).map_err(Answer::error)?;
        let named = named_account(parts).map_err(Answer::error)?;
        let client = account_of(&self.state, &credential, named)
            .await
            .map_err(Answer::error)?;
        Ok((credential, client))
    }

    /// Forgets idempotency keys older than they are kept, at most once a minute.
    async fn sweep_expired_keys(&self) {
        let now = now_ms();
        let last = self.last_sweep.load(Ordering::Relaxed);
        if now - last < 60_000
            || self
                .last_sweep
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        if let Err(error) =
            repo::forget_before(self.state.db.pool(), now - idempotency::KEPT_FOR_MS).await
        {
            tracing::warn!(%error, "expired idempotency keys were not forgotten");
        }
    }
}

/// The account a request names in its `account` query parameter, if it names one.
fn named_account(parts: &Parts) -> Result<Option<NodeId>, AppError> {
    let query = parts.uri.query().unwrap_or("");
    let Some((_, value)) = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == "account")
    else {
        return Ok(None);
    };
    value
        .parse::<i64>()
        .map(|id| Some(NodeId(id)))
        .map_err(|_| AppError::field("account", "`account` is a client account's id, a number."))
}

/// The client account a request is about. An account's key reaches its own (named or
/// not); a partner's key reaches the account it names, if that is below the partner.
/// Any other account is not found, exactly like one that does not exist. A suspended
/// account is refused.
async fn account_of(
    state: &AppState,
    credential: &ApiCredential,
    named: Option<NodeId>,
) -> Result<ClientRecord, AppError> {
    let id = match (credential.owner_is_partner, named) {
        (false, None) => credential.owner,
        (false, Some(named)) if named == credential.owner => named,
        (false, Some(_)) => return Err(AppError::NotFound),
        (true, Some(named)) => named,
        (true, None) => {
            return Err(AppError::field(
                "account",
                "A partner's key must name the client account: add ?account=<its id>.",
            ))
        }
    };
    let client = client_record(state.db.pool(), id)
        .await?
        .filter(|client| !credential.owner_is_partner || client.partner_id == credential.owner)
        .ok_or(AppError::NotFound)?;
    if client.status == ClientStatus::Suspended {
        return Err(AppError::forbidden("This client account is suspended."));
    }
    Ok(client)
}

/// The body as `T`, or what is wrong with it at the field where it is wrong.
fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let mut reader = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut reader).map_err(|error| {
        let field = error.path().to_string();
        let inner = error.into_inner();
        if field == "." || inner.is_syntax() || inner.is_eof() {
            AppError::field("body", format!("The body is not a JSON object: {inner}."))
        } else {
            AppError::field(&field, format!("`{field}` has the wrong type: {inner}."))
        }
    })
}
