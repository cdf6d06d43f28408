//! The three fields of a voice billing rule, as the partner's settings and a client
//! account's own rule both ask for them.

use leptos::prelude::*;

use crate::components::field::{field_error, TextField};
use crate::core::voice::VoiceRule;
use crate::error::AppError;
use crate::tr;

/// `rule`'s seconds in fields named `voice_initial`, `voice_increment` and
/// `voice_free_under`; ids start with `id_prefix`, so two forms may share a page.
#[component]
pub fn VoiceRuleFields(
    rule: VoiceRule,
    error: Signal<Option<AppError>>,
    id_prefix: &'static str,
) -> impl IntoView {
    view! {
        <TextField
            label=tr!(clients.voice.first)
            name="voice_initial"
            id=format!("{id_prefix}-voice-initial")
            input_type="number"
            value=rule.initial_seconds.to_string()
            error=field_error(error, "voice_initial")
        />
        <TextField
            label=tr!(clients.voice.then)
            name="voice_increment"
            id=format!("{id_prefix}-voice-increment")
            input_type="number"
            value=rule.increment_seconds.to_string()
            error=field_error(error, "voice_increment")
        />
        <TextField
            label=tr!(clients.voice.free)
            name="voice_free_under"
            id=format!("{id_prefix}-voice-free-under")
            input_type="number"
            value=rule.free_under_seconds.to_string()
            hint=tr!(clients.voice.free_hint)
            error=field_error(error, "voice_free_under")
        />
    }
}
