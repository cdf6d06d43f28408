//! The small vocabularies several features share, stored and sent by key.

use serde::{Deserialize, Serialize};

use crate::keyed_enum;

keyed_enum! {
    /// What a client account may use; a partner grants a subset of the catalog.
    pub enum Feature {
        Voice = ("voice", "Voice"),
        Sms = ("sms", "SMS"),
        Chat = ("chat", "Chat"),
        CallTracking = ("call_tracking", "Call tracking"),
        CallRecording = ("call_recording", "Call recording"),
        Transcription = ("transcription", "Transcription"),
        ApiAccess = ("api_access", "API access"),
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
        Pending = ("pending", "Pending"),
        Active = ("active", "Active"),
        Suspended = ("suspended", "Suspended"),
    }
}

keyed_enum! {
    /// What a client account asks its Client Users to verify before first access.
    pub enum VerificationPolicy {
        Email = ("email", "Email address"),
        Sms = ("sms", "Mobile number, by SMS"),
        EmailAndSms = ("email_and_sms", "Email address and mobile number"),
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
        Email = ("email", "Email address"),
        Sms = ("sms", "Mobile number"),
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
            UserStatus::Invited => "Invited",
            UserStatus::Active => "Active",
            UserStatus::Disabled => "Disabled",
        }
    }
}

keyed_enum! {
    /// The languages a user's emails and pages can be in.
    pub enum Language {
        English = ("en", "English"),
        French = ("fr", "Français"),
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
        Client = ("client", "Log in as Client"),
        /// The account administered as the partner, with what the white label hides.
        Partner = ("partner", "Log in as Partner"),
    }
}

keyed_enum! {
    /// Why an impersonation ended.
    pub enum EndReason {
        Stopped = ("stopped", "Stopped"),
        SignedOut = ("signed_out", "Signed out"),
        Expired = ("expired", "Time ran out"),
        AccessRevoked = ("access_revoked", "Access was withdrawn"),
        TargetUnavailable = ("target_unavailable", "The user is no longer available"),
    }
}
