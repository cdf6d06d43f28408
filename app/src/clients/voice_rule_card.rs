//! How an account's calls are rounded into voice units: its partner's rule, or one of
//! its own that the partner's staff set here.

use leptos::prelude::*;

use super::api::SetClientVoiceRule;
use crate::clients::ClientView;
use crate::components::field::{action_error, ConflictAlert};
use crate::components::revision::{on_success, Revision};
use crate::components::voice_rule_fields::VoiceRuleFields;
use crate::tr;

#[component]
pub fn VoiceRuleCard(client: ClientView) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let set = ServerAction::<SetClientVoiceRule>::new();
    on_success(set, move |_: &()| revision.bump());
    let error = action_error(set);
    let rule = client.voice_rule;
    let whose = if client.voice_rule_is_own {
        tr!(clients.voice.own)
    } else {
        tr!(clients.voice.partners)
    };
    view! {
        <section class="card client-card" aria-labelledby="voice-rule-heading">
            <h2 id="voice-rule-heading">{tr!(clients.voice.heading)}</h2>
            <p class="muted">
                {tr!(clients.voice.billed_at, rule = rule.described(), whose = whose)}
            </p>
            <ActionForm action=set attr:class="stack">
                <ConflictAlert error on_reload=revision.reload() />
                <input type="hidden" name="id" value=client.id.0 />
                <input type="hidden" name="version" value=client.version />
                <fieldset class="field choices">
                    <legend>{tr!(clients.voice.rule)}</legend>
                    <label class="radio">
                        <input
                            type="radio"
                            name="rule"
                            value="partner"
                            checked=!client.voice_rule_is_own
                        />
                        <span>{tr!(clients.voice.partner_rule)}</span>
                    </label>
                    <label class="radio">
                        <input
                            type="radio"
                            name="rule"
                            value="own"
                            checked=client.voice_rule_is_own
                        />
                        <span>{tr!(clients.voice.own_rule)}</span>
                    </label>
                </fieldset>
                <VoiceRuleFields rule error id_prefix="client" />
                <button type="submit" class="button" disabled=set.pending()>
                    {tr!(clients.voice.save)}
                </button>
            </ActionForm>
        </section>
    }
}
