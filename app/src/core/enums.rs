//! The small vocabularies several features share, stored and sent by key.

use serde::{Deserialize, Serialize};

use crate::keyed_enum;

keyed_enum! {
    /// What a client account may use; a partner grants a subset of the catalog.
    pub enum Feature {
        Voice = ("voice", labels.feature.voice),
        Sms = ("sms", labels.feature.sms),
        Chat = ("chat", labels.feature.chat),
        CallTracking = ("call_tracking", labels.feature.call_tracking),
        CallRecording = ("call_recording", labels.feature.call_recording),
        Transcription = ("transcription", labels.feature.transcription),
        ApiAccess = ("api_access", labels.feature.api_access),
    }
}

/// Feature keys as stored: comma-separated, in catalog order, unknown keys dropped.
pub fn features_from_stored(stored: &str) -> Vec<Feature> {
    let mut features: Vec<Feature> = stored.split(',').filter_map(Feature::from_key).collect();
    features.sort();
    features.dedup();
    features
}

pub fn features_to_stored(features: &[Feature]) -> String {
    features
        .iter()
        .map(|feature| feature.key())
        .collect::<Vec<_>>()
        .join(",")
}

keyed_enum! {
    pub enum ClientStatus {
        Pending = ("pending", labels.client_status.pending),
        Active = ("active", labels.client_status.active),
        Suspended = ("suspended", labels.client_status.suspended),
    }
}

keyed_enum! {
    /// What a client account asks its Client Users to verify before first access.
    pub enum VerificationPolicy {
        Email = ("email", labels.verification_policy.email),
        Sms = ("sms", labels.verification_policy.sms),
        EmailAndSms = ("email_and_sms", labels.verification_policy.email_and_sms),
    }
}

impl VerificationPolicy {
    pub fn channels(self) -> &'static [VerifyChannel] {
        match self {
            VerificationPolicy::Email => &[VerifyChannel::Email],
            VerificationPolicy::Sms => &[VerifyChannel::Sms],
            VerificationPolicy::EmailAndSms => &[VerifyChannel::Email, VerifyChannel::Sms],
        }
    }
}

keyed_enum! {
    /// Where a verification code is sent, proving the address or number is theirs.
    pub enum VerifyChannel {
        Email = ("email", labels.verify_channel.email),
        Sms = ("sms", labels.verify_channel.sms),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    Invited,
    Active,
    Disabled,
}

impl UserStatus {
    pub fn key(self) -> &'static str {
        match self {
            UserStatus::Invited => "invited",
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [
            UserStatus::Invited,
            UserStatus::Active,
            UserStatus::Disabled,
        ]
        .into_iter()
        .find(|status| status.key() == key)
    }
}

impl UserStatus {
    pub fn label(self) -> &'static str {
        match self {
            UserStatus::Invited => crate::tr!(labels.user_status.invited),
            UserStatus::Active => crate::tr!(labels.user_status.active),
            UserStatus::Disabled => crate::tr!(labels.user_status.disabled),
        }
    }
}

keyed_enum! {
    /// The languages a user's emails and pages can be in.
    pub enum Language {
        English = ("en", labels.language.english),
        French = ("fr", labels.language.french),
    }
}

impl Language {
    /// From a user's stored language code; anything unknown reads as English.
    pub fn from_code(code: &str) -> Language {
        Language::from_key(code).unwrap_or(Language::English)
    }
}

keyed_enum! {
    /// Whose view an impersonation opens.
    pub enum Mode {
        /// Exactly what one client user sees, in their partner's brand.
        Client = ("client", labels.mode.client),
        /// The account administered as the partner, with what the white label hides.
        Partner = ("partner", labels.mode.partner),
    }
}

keyed_enum! {
    /// Why an impersonation ended.
    pub enum EndReason {
        Stopped = ("stopped", labels.end_reason.stopped),
        SignedOut = ("signed_out", labels.end_reason.signed_out),
        Expired = ("expired", labels.end_reason.expired),
        AccessRevoked = ("access_revoked", labels.end_reason.access_revoked),
        TargetUnavailable = ("target_unavailable", labels.end_reason.target_unavailable),
    }
}
