//! The API's OpenAPI document, served at `/api/v1/openapi.json`: made from the
//! handlers' own descriptions and the types they read and answer, so it says what the
//! routes do.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoResponses, Modify, OpenApi};

use super::answer::ErrorBody;
use super::BalanceAnswer;
use crate::clients::ledger::Balances;
use crate::inbox::ingest::{
    CallBody, Charge, CustomField, EventBody, EventRecorded, Ingested, MessageBody,
};
use crate::inbox::recordings::RecordingStored;
use crate::operator_view::document::{
    AccountFacts, ContactFacts, MethodFacts, OnCallFacts, OperatorView, ResourceFacts, StatusFacts,
    TaskFacts,
};

pub const PATH: &str = "/api/v1/openapi.json";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Switchboard platform API",
        version = "1",
        description = "Calls, messages and message events from the call platform, and the \
            balances, for one client account per request. Authenticate with an API key \
            (`Authorization: Bearer sbk_…`); a partner's key names the account with \
            `?account=ID`. Records are upserted by `external_id`, statuses only move \
            forward, credits are debited once, and every answer carries the balances."
    ),
    paths(
        super::post_call,
        super::post_message,
        super::post_message_event,
        super::put_recording,
        super::get_balance,
        super::get_operator_view
    ),
    components(schemas(
        CallBody, MessageBody, EventBody, CustomField, Ingested, Charge, Balances,
        EventRecorded, RecordingStored, BalanceAnswer, ErrorBody, OperatorView, AccountFacts,
        StatusFacts, OnCallFacts, ContactFacts, MethodFacts, ResourceFacts, TaskFacts
    )),
    modifiers(&BearerKey),
    security(("api_key" = []))
)]
pub struct ApiDocument;

/// The document as JSON.
pub fn document() -> String {
    ApiDocument::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".into())
}

struct BearerKey;

impl Modify for BearerKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("sbk_<key id>_<secret>_<checksum>")
                    .build(),
            ),
        );
    }
}

/// What any route may refuse with.
#[derive(IntoResponses)]
pub enum Refusals {
    /// No key, or one that is mistyped, expired or revoked.
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// The key lacks the route's scope, or the account is suspended.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// No such account (or message) for this key.
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// A request with this Idempotency-Key is still running.
    #[response(status = 409)]
    InFlight(ErrorBody),
    /// The body is too large: 64 KiB of JSON, or a recording over the server's limit.
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// A field is wrong (named in `fields`), or the Idempotency-Key came with
    /// another body before.
    #[response(status = 422)]
    Invalid(ErrorBody),
    /// Too many requests from this key: try again after `Retry-After` seconds.
    #[response(status = 429)]
    TooMany(ErrorBody),
}
