//! Call recordings: the platform uploads a call's audio, and the account's people play
//! it on the message taken on that call, where the account has the call-recording
//! feature. Served behind the session check, with HTTP Range (browsers seek with it,
//! and Safari asks for the first two bytes before it plays anything).

use std::ops::Range;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use http::{header, HeaderValue, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::repo;
use super::service::visible_message;
use crate::audit_trail::record_key;
use crate::auth::actor::{ready, signed_in_client};
use crate::auth::caller::Caller;
use crate::clients::ledger::Balances;
use crate::clients::repo::{balances, features_of, ClientRecord};
use crate::core::{Feature, NodeId};
use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::request::Requester;
use crate::state::AppState;
use crate::storage::Storage;
use crate::tr;

/// The audio types taken, by what the platform sends as `Content-Type`.
const AUDIO_TYPES: &[(&str, &str)] = &[
    ("audio/wav", "audio/wav"),
    ("audio/x-wav", "audio/wav"),
    ("audio/wave", "audio/wav"),
    ("audio/mpeg", "audio/mpeg"),
    ("audio/mp3", "audio/mpeg"),
    ("audio/ogg", "audio/ogg"),
    ("audio/mp4", "audio/mp4"),
    ("audio/x-m4a", "audio/mp4"),
    ("audio/m4a", "audio/mp4"),
];

/// What an upload stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RecordingStored {
    pub call_id: i64,
    pub external_id: String,
    pub content_type: String,
    pub bytes: i64,
    /// Whether the call had no recording before.
    pub created: bool,
    pub balances: Balances,
}

/// The audio type `given` (a Content-Type header) names, as stored, if it is one taken.
pub fn audio_type(given: &str) -> Option<&'static str> {
    let essence = given
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    AUDIO_TYPES
        .iter()
        .find(|(name, _)| *name == essence)
        .map(|(_, stored)| *stored)
}

async fn refuse_without_recording(db: &Db, account: NodeId) -> Result<(), AppError> {
    if features_of(db.pool(), account)
        .await?
        .contains(&Feature::CallRecording)
    {
        Ok(())
    } else {
        Err(AppError::forbidden(tr!(inbox.errors.no_recording_feature)))
    }
}

/// Stores `audio` as the recording of the account's call `external_id`, replacing
/// one sent before.
pub async fn store_recording(
    db: &Db,
    storage: &Storage,
    client: &ClientRecord,
    external_id: &str,
    content_type: &str,
    audio: bytes::Bytes,
) -> Result<RecordingStored, AppError> {
    let Some(content_type) = audio_type(content_type) else {
        let taken: Vec<&str> = AUDIO_TYPES.iter().map(|(name, _)| *name).collect();
        return Err(AppError::field(
            "Content-Type",
            format!("Send the audio as one of: {}.", taken.join(", ")),
        ));
    };
    if audio.is_empty() {
        return Err(AppError::field("body", "The recording is empty."));
    }
    refuse_without_recording(db, client.id).await?;
    let call = repo::call_by_external_id(db.pool(), client.id, external_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let key = format!("recordings/{}/{}", client.id.0, call.id);
    let bytes = audio.len() as i64;
    storage.put(&key, audio).await?;
    let mut tx = db.begin().await?;
    repo::set_recording(&mut tx, call.id, &key, content_type, bytes, now_ms()).await?;
    let balances = balances(&mut *tx, client.id).await?;
    tx.commit().await?;
    Ok(RecordingStored {
        call_id: call.id,
        external_id: external_id.to_string(),
        content_type: content_type.to_string(),
        bytes,
        created: call.recording_key.is_none(),
        balances,
    })
}

/// GET the recording of the call message `id` was taken on, for someone who may see
/// the message. Playing it from the start is on the message's record.
pub async fn serve_recording(state: AppState, parts: Parts, id: i64) -> Response {
    match recording_answer(state, &parts, id).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn recording_answer(state: AppState, parts: &Parts, id: i64) -> Result<Response, AppError> {
    let requester = Requester::from_parts(parts, state.settings.trust_forwarded_for);
    let actor = ready(signed_in_client(&state, &requester).await?)?;
    let caller = Caller::new(state.clone(), actor, requester.address.clone());
    let (message, _, access) = visible_message(&caller, id).await?;
    refuse_without_recording(&state.db, message.client_id).await?;
    let call = match &message.call_external_id {
        Some(external_id) => {
            repo::call_by_external_id(state.db.pool(), message.client_id, external_id).await?
        }
        None => None,
    };
    let (Some(key), Some(content_type)) = call
        .map(|call| (call.recording_key, call.recording_type))
        .unwrap_or_default()
    else {
        return Err(AppError::NotFound);
    };
    let size = state.settings.storage.size(&key).await?;
    let asked = parts
        .headers
        .get(header::RANGE)
        .and_then(|value| value.to_str().ok());
    let range = match asked {
        None => 0..size,
        Some(text) => match byte_range(text, size) {
            Some(range) => range,
            None => return Ok(unsatisfiable(size)),
        },
    };
    // A player's first request starts at 0; its seeks do not, and Safari's probe of
    // two bytes plays nothing.
    if range.start == 0 && range.end - range.start > 2 {
        let tx = access.authorized.begin(&caller).await?;
        tx.about_record(record_key("message", id))
            .commit("message.recording_played", json!({}))
            .await?;
    }
    let bytes = state.settings.storage.read(&key, range.clone()).await?;
    let partial = asked.is_some();
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = if partial {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type_static(&content_type)),
    );
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(header::CONTENT_LENGTH, (range.end - range.start).into());
    if partial {
        let value = format!("bytes {}-{}/{size}", range.start, range.end - 1);
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(header::CONTENT_RANGE, value);
        }
    }
    Ok(response)
}

fn content_type_static(stored: &str) -> &'static str {
    AUDIO_TYPES
        .iter()
        .find(|(_, kept)| *kept == stored)
        .map_or("application/octet-stream", |(_, kept)| *kept)
}

fn unsatisfiable(size: u64) -> Response {
    let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("bytes */{size}")) {
        response.headers_mut().insert(header::CONTENT_RANGE, value);
    }
    response
}

/// The bytes a `Range` header asks for of something `size` bytes long: one range,
/// `a-b`, `a-` or the last `-n`; `None` when it asks for nothing there is. Several
/// ranges at once are answered with the first.
pub fn byte_range(header: &str, size: u64) -> Option<Range<u64>> {
    let spec = header.trim().strip_prefix("bytes=")?;
    let first = spec.split(',').next()?.trim();
    let (start, end) = first.split_once('-')?;
    let range = match (start.trim(), end.trim()) {
        ("", suffix) => {
            let length: u64 = suffix.parse().ok()?;
            size.saturating_sub(length)..size
        }
        (start, "") => start.parse().ok()?..size,
        (start, end) => {
            let end: u64 = end.parse().ok()?;
            start.parse().ok()?..(end + 1).min(size)
        }
    };
    (range.start < range.end && range.start < size).then_some(range)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_as_browsers_send_them() {
        assert_eq!(byte_range("bytes=0-1", 1000), Some(0..2), "Safari's probe");
        assert_eq!(byte_range("bytes=0-", 1000), Some(0..1000));
        assert_eq!(byte_range("bytes=500-999", 1000), Some(500..1000));
        assert_eq!(
            byte_range("bytes=500-5000", 1000),
            Some(500..1000),
            "cut at the end"
        );
        assert_eq!(
            byte_range("bytes=-100", 1000),
            Some(900..1000),
            "the last 100"
        );
        assert_eq!(
            byte_range("bytes=0-9, 20-29", 1000),
            Some(0..10),
            "the first of several"
        );
    }

    #[test]
    fn ranges_of_nothing_are_refused() {
        for header in [
            "bytes=1000-",
            "bytes=5-2",
            "items=0-1",
            "bytes=x-1",
            "bytes=-0",
            "",
        ] {
            assert_eq!(byte_range(header, 1000), None, "{header}");
        }
    }

    #[test]
    fn audio_types_are_taken_by_their_usual_names() {
        assert_eq!(audio_type("audio/x-wav"), Some("audio/wav"));
        assert_eq!(audio_type("audio/mpeg; charset=binary"), Some("audio/mpeg"));
        assert_eq!(audio_type("Audio/OGG"), Some("audio/ogg"));
        assert_eq!(audio_type("audio/x-m4a"), Some("audio/mp4"));
        assert_eq!(audio_type("video/mp4"), None);
    }
}
