//! The API keys of a client account or a partner, on its page: the list, a new key,
//! rotation and revocation. A new key's text is shown once, right after it is made.

use leptos::prelude::*;

use super::api::{list_api_keys, CreateApiKey, RevokeApiKey, RotateApiKey};
use super::{
    ApiKeyView, ApiKeysView, ApiScope, IssuedKey, KeyState, DEFAULT_OVERLAP, ROTATION_OVERLAPS,
};
use crate::components::error_panel::ErrorPanel;
use crate::components::field::{action_error, field_error, FormAlert, TextField};
use crate::components::revision::on_success;
use crate::components::secret::Secret;
use crate::core::NodeId;
use crate::tr;

#[component]
pub fn ApiKeysCard(owner: NodeId) -> impl IntoView {
    let loaded = RwSignal::new(0u32);
    let keys = Resource::new(move || loaded.get(), move |_| list_api_keys(owner));
    let create = ServerAction::<CreateApiKey>::new();
    let rotate = ServerAction::<RotateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    // The key just made, by either action: shown until the next one.
    let issued = RwSignal::new(None::<IssuedKey>);
    on_success(create, move |key: &IssuedKey| {
        issued.set(Some(key.clone()));
        loaded.update(|n| *n += 1);
    });
    on_success(rotate, move |key: &IssuedKey| {
        issued.set(Some(key.clone()));
        loaded.update(|n| *n += 1);
    });
    on_success(revoke, move |_: &()| loaded.update(|n| *n += 1));
    let actions = KeyActions { rotate, revoke };
    view! {
        <section class="card client-card api-keys" aria-labelledby="api-keys-heading">
            <h2 id="api-keys-heading">{tr!(api_keys.heading)}</h2>
            {move || {
                issued
                    .get()
                    .map(|key| {
                        view! {
                            <Secret
                                lead=tr!(api_keys.copy_now, key = key.key_id.clone())
                                value=key.text
                                label=tr!(api_keys.new_key_label)
                            />
                        }
                    })
            }}
            <Transition fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match keys.await {
                        Ok(view) => view! { <KeyList view actions /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <NewKeyForm owner create />
        </section>
    }
}

#[derive(Clone, Copy)]
struct KeyActions {
    rotate: ServerAction<RotateApiKey>,
    revoke: ServerAction<RevokeApiKey>,
}

#[component]
fn KeyList(view: ApiKeysView, actions: KeyActions) -> impl IntoView {
    let lead = if view.for_partner {
        tr!(api_keys.lead_partner)
    } else {
        tr!(api_keys.lead_account)
    };
    let owner = view.owner;
    let empty = view.keys.is_empty();
    view! {
        <p class="muted">{lead}</p>
        {empty.then(|| view! { <p class="muted">{tr!(api_keys.none)}</p> })}
        <ul class="key-list">
            {view
                .keys
                .into_iter()
                .map(|key| view! { <KeyRow owner key actions /> })
                .collect_view()}
        </ul>
        <FormAlert error=action_error(actions.rotate) />
        <FormAlert error=action_error(actions.revoke) />
    }
}

#[component]
fn KeyRow(owner: NodeId, key: ApiKeyView, actions: KeyActions) -> impl IntoView {
    let (state, state_class) = match &key.state {
        KeyState::Working => (tr!(api_keys.working).to_string(), "badge status-active"),
        KeyState::Expiring(at) => (tr!(api_keys.stops, at = at.clone()), "badge status-pending"),
        KeyState::Expired => (tr!(api_keys.expired).to_string(), "badge status-suspended"),
        KeyState::Revoked => (tr!(api_keys.revoked).to_string(), "badge status-suspended"),
    };
    let scopes: Vec<&str> = key.scopes.iter().map(|scope| scope.label()).collect();
    let made = match &key.created_by {
        Some(name) => tr!(
            api_keys.made_by,
            at = key.created.clone(),
            name = name.clone()
        ),
        None => tr!(api_keys.made, at = key.created.clone()),
    };
    let used = key
        .last_used
        .clone()
        .map_or(tr!(api_keys.never_used).to_string(), |used| {
            tr!(api_keys.last_used, at = used)
        });
    let works = key.works();
    let rotatable = key.state == KeyState::Working;
    let id = key.id;
    let hydrated = hydrated();
    view! {
        <li class="key-row">
            <p class="key-title">
                <strong>{key.name.clone()}</strong>
                " "
                <code>{key.key_id.clone()}</code>
                " "
                <span class=state_class>{state}</span>
            </p>
            <p class="muted small">{scopes.join(" · ")}</p>
            <p class="muted small">{tr!(api_keys.made_and_used, made = made, used = used)}</p>
            {works
                .then(|| {
                    view! {
                        <details class="key-actions">
                            <summary>{tr!(api_keys.rotate_or_revoke, name = key.name.clone())}</summary>
                            {rotatable
                                .then(|| {
                                    view! {
                                        <ActionForm action=actions.rotate attr:class="inline-form">
                                            <input type="hidden" name="owner" value=owner.0 />
                                            <input type="hidden" name="key" value=id />
                                            <div class="field">
                                                <label for=format!(
                                                    "overlap-{id}",
                                                )>{tr!(api_keys.old_key_stops)}</label>
                                                <select id=format!("overlap-{id}") name="overlap">
                                                    {ROTATION_OVERLAPS
                                                        .iter()
                                                        .map(|(value, _, _)| {
                                                            view! {
                                                                <option value=*value selected=*value == DEFAULT_OVERLAP>
                                                                    {overlap_label(value)}
                                                                </option>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </select>
                                            </div>
                                            <button
                                                type="submit"
                                                class="button"
                                                disabled=move || !hydrated.get() || actions.rotate.pending().get()
                                            >
                                                {tr!(api_keys.rotate)}
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                            <ActionForm action=actions.revoke attr:class="inline-form">
                                <input type="hidden" name="owner" value=owner.0 />
                                <input type="hidden" name="key" value=id />
                                <button
                                    type="submit"
                                    class="button danger"
                                    disabled=actions.revoke.pending()
                                >
                                    {tr!(api_keys.revoke)}
                                </button>
                            </ActionForm>
                        </details>
                    }
                })}
        </li>
    }
}

#[component]
fn NewKeyForm(owner: NodeId, create: ServerAction<CreateApiKey>) -> impl IntoView {
    let error = action_error(create);
    let hydrated = hydrated();
    view! {
        <details class="new-key">
            <summary>{tr!(api_keys.new_key)}</summary>
            <ActionForm action=create attr:class="stack">
                <FormAlert error />
                <input type="hidden" name="owner" value=owner.0 />
                <TextField
                    label=tr!(api_keys.name)
                    name="name"
                    id=format!("api-key-name-{}", owner.0)
                    hint=tr!(api_keys.name_hint)
                    error=field_error(error, "name")
                />
                <fieldset class="field choices" class:has-error=move || field_error(error, "scopes").read().is_some()>
                    <legend>{tr!(api_keys.it_may)}</legend>
                    {ApiScope::ALL
                        .iter()
                        .map(|scope| {
                            view! {
                                <label class="checkbox">
                                    <input type="checkbox" name="scopes[]" value=scope.key() />
                                    {scope.label()}
                                </label>
                            }
                        })
                        .collect_view()}
                    <p class="field-message">{move || field_error(error, "scopes").get()}</p>
                </fieldset>
                <button
                    type="submit"
                    class="button primary"
                    disabled=move || !hydrated.get() || create.pending().get()
                >
                    {tr!(api_keys.make)}
                </button>
                <p class="muted small" hidden=hydrated>
                    {tr!(api_keys.needs_js)}
                </p>
            </ActionForm>
        </details>
    }
}

/// A rotation overlap's choice, by its key in [`ROTATION_OVERLAPS`].
fn overlap_label(key: &str) -> &'static str {
    match key {
        "now" => tr!(api_keys.overlap_now),
        "1h" => tr!(api_keys.overlap_hour),
        "24h" => tr!(api_keys.overlap_day),
        _ => tr!(api_keys.overlap_week),
    }
}

/// Whether the page has hydrated: false on the server and until the browser's code
/// runs. For what cannot work as a plain form.
fn hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}
