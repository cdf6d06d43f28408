//! Adding or editing an override: a range of time (the account's local times) that
//! brings someone on call, takes someone off, or both (a swap), with a note.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use super::api::{get_override_form, AddOverride, RemoveOverride, UpdateOverride};
use super::{ContactChoice, OverrideView, ScheduleForm};
use crate::briefing::use_account_query;
use crate::components::error_panel::error_fallback;
use crate::components::field::{
    action_error, field_error, ConflictAlert, FormAlert, SelectField, TextField,
};
use crate::components::revision::{on_success, record_page, Revision};
use crate::core::NodeId;
use crate::error::AppError;
use crate::paths;
use crate::tr;

#[component]
pub fn NewOverridePage() -> impl IntoView {
    let account = use_account_query();
    let form = Resource::new(
        move || account.get(),
        |account| get_override_form(account, None),
    );
    view! {
        <Title text=tr!(oncall.exception.add_title) />
        <Suspense fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move { form.await.map(|form| view! { <OverrideEditor form /> }) })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
pub fn OverridePage() -> impl IntoView {
    view! {
        <Title text=tr!(oncall.exception.title) />
        {record_page(|id| get_override_form(None, Some(id)), |form| view! { <OverrideEditor form /> })}
    }
}

fn to_calendar(account: NodeId) -> impl Fn(&()) + 'static {
    let navigate = use_navigate();
    move |_| {
        navigate(
            &paths::for_account(paths::ON_CALL, account),
            Default::default(),
        )
    }
}

#[component]
fn OverrideEditor(form: ScheduleForm<OverrideView>) -> impl IntoView {
    let account = form.account;
    let add = ServerAction::<AddOverride>::new();
    let update = ServerAction::<UpdateOverride>::new();
    let remove = ServerAction::<RemoveOverride>::new();
    on_success(add, to_calendar(account));
    on_success(update, to_calendar(account));
    on_success(remove, to_calendar(account));
    let heading = if form.record.is_some() {
        tr!(oncall.exception.edit_title)
    } else {
        tr!(oncall.exception.add_title)
    };
    let (record, contacts) = (form.record.clone(), form.contacts.clone());
    let fields = move |error| {
        view! { <OverrideFields change=record.clone() contacts=contacts.clone() error /> }
    };
    let notes = form.clock_changes.clone();
    view! {
        <a class="back-link" href=paths::for_account(paths::ON_CALL, account)>{tr!(oncall.back)}</a>
        <header class="page-header">
            <h1>{heading}</h1>
            <p class="muted">{tr!(oncall.local_times, zone = form.zone.clone())}</p>
        </header>
        {(!notes.is_empty())
            .then(|| {
                view! {
                    <aside class="notice clock-changes" aria-label=tr!(oncall.clocks.label)>
                        <p>{tr!(oncall.clocks.override_note)}</p>
                        <ul>{notes.into_iter().map(|note| view! { <li>{note}</li> }).collect_view()}</ul>
                    </aside>
                }
            })}
        {match (form.can_edit, form.record.clone()) {
            (false, _) => view! { <p class="muted">{tr!(oncall.no_editing)}</p> }.into_any(),
            (true, None) => {
                let error = action_error(add);
                view! {
                    <ActionForm action=add attr:class="card form-card stack">
                        <FormAlert error />
                        <input type="hidden" name="account" value=account.0 />
                        {fields(error)}
                        <div class="form-actions">
                            <button type="submit" class="button primary" disabled=add.pending()>{tr!(oncall.add_override)}</button>
                        </div>
                    </ActionForm>
                }
                    .into_any()
            }
            (true, Some(change)) => {
                let revision = expect_context::<Revision>();
                let error = action_error(update);
                let remove_error = action_error(remove);
                view! {
                    <ActionForm action=update attr:class="card form-card stack">
                        <ConflictAlert error on_reload=revision.reload() />
                        <input type="hidden" name="id" value=change.id />
                        <input type="hidden" name="version" value=change.version />
                        {fields(error)}
                        <div class="form-actions">
                            <button type="submit" class="button primary" disabled=update.pending()>{tr!(oncall.exception.save)}</button>
                        </div>
                    </ActionForm>
                    <ActionForm action=remove attr:class="card form-card stack">
                        <ConflictAlert error=remove_error on_reload=revision.reload() />
                        <input type="hidden" name="id" value=change.id />
                        <input type="hidden" name="version" value=change.version />
                        <button type="submit" class="button danger" disabled=remove.pending()>{tr!(oncall.exception.remove)}</button>
                    </ActionForm>
                }
                    .into_any()
            }
        }}
    }
}

#[component]
fn OverrideFields(
    change: Option<OverrideView>,
    contacts: Vec<ContactChoice>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let options: Vec<(String, String)> = contacts
        .iter()
        .map(|contact| (contact.id.to_string(), contact.name.clone()))
        .collect();
    let (starts, ends) = change
        .as_ref()
        .map(|change| (change.starts_input.clone(), change.ends_input.clone()))
        .unwrap_or_default();
    view! {
        <div class="form-grid">
            <TextField label=tr!(oncall.rule.starts) name="starts" input_type="datetime-local" value=starts error=field_error(error, "starts") />
            <TextField label=tr!(oncall.rule.ends) name="ends" input_type="datetime-local" value=ends error=field_error(error, "ends") />
        </div>
        <SelectField
            label=tr!(oncall.exception.on_call)
            name="on_call"
            options=options.clone()
            selected=change.as_ref().and_then(|change| change.add.as_ref()).map(|c| c.id.to_string())
            placeholder=tr!(oncall.nobody)
            error=field_error(error, "on_call")
        />
        <SelectField
            label=tr!(oncall.exception.off_call)
            name="off_call"
            options=options
            selected=change.as_ref().and_then(|change| change.remove.as_ref()).map(|c| c.id.to_string())
            placeholder=tr!(oncall.nobody)
            error=field_error(error, "off_call")
        />
        <p class="muted">{tr!(oncall.exception.both)}</p>
        <TextField
            label=tr!(common.note)
            name="note"
            value=change.as_ref().map(|change| change.note.clone()).unwrap_or_default()
            hint=tr!(oncall.exception.note_hint)
            error=field_error(error, "note")
        />
    }
}
