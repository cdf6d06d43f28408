//! A partner's settings: what its clients may be given, and its brand.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{get_partner_settings, UpdatePartnerSettings};
use super::brand::MAX_DOMAINS;
use super::{use_node_id_param, PartnerSettings, PartnerSettingsView};
use crate::api_keys::keys_card::ApiKeysCard;
use crate::components::error_panel::error_fallback;
use crate::components::feature_choices::FeatureChoices;
use crate::components::field::{
    action_error, field_error, ConflictAlert, TextAreaField, TextField,
};
use crate::components::revision::{Revision, SavedAt};
use crate::components::voice_rule_fields::VoiceRuleFields;
use crate::core::voice::VoiceRule;
use crate::core::Feature;
use crate::error::AppError;
use crate::tr;

#[component]
pub fn PartnerSettingsPage() -> impl IntoView {
    let partner = use_node_id_param();
    let revision = Revision::new();
    provide_context(revision);
    let saved = SavedAt::new();
    let settings = Resource::new(
        move || (partner.get(), revision.0.get()),
        |(partner, _)| async move {
            match partner {
                Some(partner) => get_partner_settings(partner).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=tr!(settings.title) />
        <Transition fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    settings
                        .await
                        .map(|view| {
                            revision.draw(view, move |view| view! { <SettingsForm view saved /> })
                        })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn SettingsForm(view: PartnerSettingsView, saved: SavedAt) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let update = ServerAction::<UpdatePartnerSettings>::new();
    saved.track(revision, update);
    let is_saved = saved.shown_in(revision);
    let error = action_error(update);
    let settings = view.settings;
    let (partner, version) = (settings.partner, settings.version);
    let features = settings.grantable_features.clone();
    let voice_rule = settings.voice_rule;
    view! {
        <header class="page-header">
            <p class="eyebrow">{view.partner_name}</p>
            <h1>{tr!(settings.title)}</h1>
            <p class="muted">
                {tr!(settings.lead)}
            </p>
        </header>
        <ActionForm action=update attr:class="settings-form stack">
            <ConflictAlert error on_reload=revision.reload() />
            <input type="hidden" name="partner" value=partner.0 />
            <input type="hidden" name="version" value=version />
            <BrandSection settings error />
            <section class="card stack" aria-labelledby="features-heading">
                <h2 id="features-heading">{tr!(settings.features)}</h2>
                <p class="muted">
                    {tr!(settings.features_note)}
                </p>
                <FeatureChoices
                    offered=Feature::ALL.to_vec()
                    checked=features
                    legend=tr!(settings.features_legend)
                    error=field_error(error, "features")
                />
            </section>
            <VoiceRuleSection rule=voice_rule error />
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=update.pending()>
                    {tr!(settings.save)}
                </button>
                <p class="muted" role="status">
                    {move || is_saved().then_some(tr!(settings.saved))}
                </p>
            </div>
        </ActionForm>
        <div class="settings-form">
            <ApiKeysCard owner=partner />
        </div>
    }
}

/// What clients see of the partner: product name, support address, logo, colours,
/// and the domains that show them.
#[component]
fn BrandSection(settings: PartnerSettings, error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <section class="card stack" aria-labelledby="brand-heading">
            <h2 id="brand-heading">{tr!(settings.brand)}</h2>
            <div class="form-grid">
                <TextField
                    label=tr!(settings.product_name)
                    name="product_name"
                    value=settings.product_name
                    hint=tr!(settings.product_name_hint)
                    error=field_error(error, "product_name")
                />
                <TextField
                    label=tr!(settings.support_email)
                    name="support_email"
                    input_type="email"
                    value=settings.support_email
                    error=field_error(error, "support_email")
                />
                <TextField
                    label=tr!(settings.logo)
                    name="logo_url"
                    input_type="url"
                    value=settings.logo_url
                    hint=tr!(settings.logo_hint)
                    error=field_error(error, "logo_url")
                />
                <div class="colour-pair">
                    <TextField
                        label=tr!(settings.primary)
                        name="primary_colour"
                        input_type="color"
                        value=settings.primary_colour
                        error=field_error(error, "primary_colour")
                    />
                    <TextField
                        label=tr!(settings.accent)
                        name="accent_colour"
                        input_type="color"
                        value=settings.accent_colour
                        error=field_error(error, "accent_colour")
                    />
                </div>
            </div>
            <TextAreaField
                label=tr!(settings.domains)
                name="domains"
                value=settings.domains.join("\n")
                hint=tr!(settings.domains_hint, most = MAX_DOMAINS)
                error=field_error(error, "domains")
            />
        </section>
    }
}

/// How the partner's clients' calls are rounded into voice units.
#[component]
fn VoiceRuleSection(rule: VoiceRule, error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <section class="card stack" aria-labelledby="voice-heading">
            <h2 id="voice-heading">{tr!(settings.voice)}</h2>
            <p class="muted">
                {tr!(settings.voice_note)}
            </p>
            <div class="form-grid">
                <VoiceRuleFields rule error id_prefix="partner" />
            </div>
        </section>
    }
}
