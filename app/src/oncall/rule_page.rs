//! Adding or editing a weekly rule: its days, its local start and end (overnight
//! when the end is not after the start), who is on call in order, or closed hours.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use super::api::{get_rule_form, AddRule, RemoveRule, UpdateRule};
use super::{ContactChoice, RuleView, ScheduleForm, MAX_RULE_CONTACTS, WEEKDAYS};
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
pub fn NewRulePage() -> impl IntoView {
    let account = use_account_query();
    let form = Resource::new(
        move || account.get(),
        |account| get_rule_form(account, None),
    );
    view! {
        <Title text=tr!(oncall.rule.add_title) />
        <Suspense fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move { form.await.map(|form| view! { <RuleEditor form /> }) })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
pub fn RulePage() -> impl IntoView {
    view! {
        <Title text=tr!(oncall.rule.title) />
        {record_page(|id| get_rule_form(None, Some(id)), |form| view! { <RuleEditor form /> })}
    }
}

/// Back to the calendar once a change is saved.
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
fn RuleEditor(form: ScheduleForm<RuleView>) -> impl IntoView {
    let account = form.account;
    let calendar = paths::for_account(paths::ON_CALL, account);
    let add = ServerAction::<AddRule>::new();
    let update = ServerAction::<UpdateRule>::new();
    let remove = ServerAction::<RemoveRule>::new();
    on_success(add, to_calendar(account));
    on_success(update, to_calendar(account));
    on_success(remove, to_calendar(account));
    let heading = if form.record.is_some() {
        tr!(oncall.rule.edit_title)
    } else {
        tr!(oncall.rule.add_title)
    };
    let (record, contacts) = (form.record.clone(), form.contacts.clone());
    let fields = move |error| {
        view! { <RuleFields rule=record.clone() contacts=contacts.clone() error /> }
    };
    let notes = form.clock_changes.clone();
    view! {
        <a class="back-link" href=calendar>{tr!(oncall.back)}</a>
        <header class="page-header">
            <h1>{heading}</h1>
            <p class="muted">{tr!(oncall.local_times, zone = form.zone.clone())}</p>
        </header>
        {(!notes.is_empty())
            .then(|| {
                view! {
                    <aside class="notice clock-changes" aria-label=tr!(oncall.clocks.label)>
                        <p>{tr!(oncall.clocks.rules_note)}</p>
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
                            <button type="submit" class="button primary" disabled=add.pending()>{tr!(oncall.add_rule)}</button>
                        </div>
                    </ActionForm>
                }
                    .into_any()
            }
            (true, Some(rule)) => {
                let revision = expect_context::<Revision>();
                let error = action_error(update);
                let remove_error = action_error(remove);
                view! {
                    <ActionForm action=update attr:class="card form-card stack">
                        <ConflictAlert error on_reload=revision.reload() />
                        <input type="hidden" name="id" value=rule.id />
                        <input type="hidden" name="version" value=rule.version />
                        {fields(error)}
                        <div class="form-actions">
                            <button type="submit" class="button primary" disabled=update.pending()>{tr!(oncall.rule.save)}</button>
                        </div>
                    </ActionForm>
                    <ActionForm action=remove attr:class="card form-card stack">
                        <ConflictAlert error=remove_error on_reload=revision.reload() />
                        <input type="hidden" name="id" value=rule.id />
                        <input type="hidden" name="version" value=rule.version />
                        <button type="submit" class="button danger" disabled=remove.pending()>{tr!(oncall.rule.remove)}</button>
                    </ActionForm>
                }
                    .into_any()
            }
        }}
    }
}

#[component]
fn RuleFields(
    rule: Option<RuleView>,
    contacts: Vec<ContactChoice>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let weekdays = rule.as_ref().map_or(0x1f, |rule| rule.weekdays);
    let options: Vec<(String, String)> = contacts
        .iter()
        .map(|contact| (contact.id.to_string(), contact.name.clone()))
        .collect();
    let chosen = rule
        .as_ref()
        .map(|rule| rule.contacts.clone())
        .unwrap_or_default();
    let days_error = field_error(error, "weekdays");
    view! {
        <fieldset class="field choices weekday-choices" class:has-error=move || days_error.read().is_some()>
            <legend>{tr!(oncall.rule.days)}</legend>
            {WEEKDAYS
                .iter()
                .enumerate()
                .map(|(bit, key)| {
                    view! {
                        <label class="checkbox">
                            <input type="checkbox" name="rule[weekdays][]" value=*key checked=weekdays & (1 << bit) != 0 />
                            {crate::core::time::weekday_short(bit)}
                        </label>
                    }
                })
                .collect_view()}
            <p class="field-message">{move || days_error.get()}</p>
        </fieldset>
        <div class="form-grid">
            <TextField
                label=tr!(oncall.rule.starts)
                name="rule[start]"
                id="rule-start"
                input_type="time"
                value=rule.as_ref().map_or("08:00".to_string(), |rule| rule.start.clone())
                error=field_error(error, "start")
            />
            <TextField
                label=tr!(oncall.rule.ends)
                name="rule[end]"
                id="rule-end"
                input_type="time"
                value=rule.as_ref().map_or("18:00".to_string(), |rule| rule.end.clone())
                hint=tr!(oncall.rule.ends_hint)
                error=field_error(error, "end")
            />
        </div>
        <label class="checkbox">
            <input type="checkbox" name="rule[closed]" value="on" checked=rule.as_ref().is_some_and(|rule| rule.closed) />
            {tr!(oncall.rule.closed)}
        </label>
        <fieldset class="field">
            <legend>{tr!(oncall.rule.who)}</legend>
            {(0..MAX_RULE_CONTACTS)
                .map(|rank| {
                    let label = match rank {
                        0 => tr!(oncall.rule.first).to_string(),
                        _ => tr!(oncall.rule.then, rank = rank + 1),
                    };
                    let field = format!("contact[{rank}]");
                    view! {
                        <SelectField
                            label
                            name=format!("rule[contact][{rank}]")
                            id=format!("rule-contact-{rank}")
                            options=options.clone()
                            selected=chosen.get(rank).map(|contact| contact.id.to_string())
                            placeholder=tr!(oncall.nobody)
                            error=Signal::derive(move || error.get().and_then(|error| error.message_for(&field)))
                        />
                    }
                })
                .collect_view()}
            {contacts.is_empty().then(|| view! { <p class="muted">{tr!(oncall.rule.no_contacts)}</p> })}
        </fieldset>
        <TextField
            label=tr!(common.note)
            name="rule[note]"
            id="rule-note"
            value=rule.as_ref().map(|rule| rule.note.clone()).unwrap_or_default()
            error=field_error(error, "note")
        />
    }
}
