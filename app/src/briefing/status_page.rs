//! The status operators read first: what it says now and until when, the form that
//! changes it (with the account's templates one tap away), and its history.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{get_status, AddStatusTemplate, RemoveStatusTemplate, SetOperatorStatus};
use super::seen::OperatorsSeenNote;
use super::{use_account_query, StatusView, Template};
use crate::components::error_panel::error_fallback;
use crate::components::field::{action_error, field_error, ConflictAlert, FormAlert, TextField};
use crate::components::revision::{on_success, Revision};
use crate::paths;
use crate::tr;

#[component]
pub fn StatusPage() -> impl IntoView {
    let account = use_account_query();
    let revision = Revision::new();
    provide_context(revision);
    let status = Resource::new(
        move || (account.get(), revision.0.get()),
        |(account, _)| get_status(account),
    );
    view! {
        <Title text=tr!(home.operators.heading) />
        <Transition fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    status
                        .await
                        .map(|status| revision.draw(status, |status| view! { <Status status /> }))
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn Status(status: StatusView) -> impl IntoView {
    let preview = paths::for_account(paths::OPERATOR_PREVIEW, status.account);
    view! {
        <header class="page-header">
            <p class="eyebrow">{status.account_name.clone()}</p>
            <h1>{tr!(home.operators.heading)}</h1>
        </header>
        <div class="briefing-grid">
            <section class="card briefing-card" aria-labelledby="showing-heading">
                <h2 id="showing-heading">{tr!(briefing.status.reading_now)}</h2>
                <p class="status-showing">
                    {if status.showing.is_empty() {
                        tr!(home.operators.no_status).to_string()
                    } else {
                        status.showing.clone()
                    }}
                </p>
                {status.until.clone().map(|until| view! { <p class="badge">{until}</p> })}
                <OperatorsSeenNote seen=status.seen.clone() />
                {status
                    .can_edit
                    .then(|| view! { <a href=preview>{tr!(briefing.status.preview)}</a> })}
            </section>
            {status.can_edit.then(|| view! { <StatusForm status=status.clone() /> })}
            <Templates status=status.clone() />
            <section class="card briefing-card" aria-labelledby="history-heading">
                <h2 id="history-heading">{tr!(briefing.status.history)}</h2>
                {if status.history.is_empty() {
                    view! { <p class="muted">{tr!(briefing.status.no_changes)}</p> }.into_any()
                } else {
                    view! {
                        <ol class="history-list">
                            {status
                                .history
                                .iter()
                                .map(|change| {
                                    view! {
                                        <li>
                                            <span class="history-text">{change.text.clone()}</span>
                                            <span class="muted">
                                                {format!("{} · {}", change.at, change.who)}
                                            </span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    }
                        .into_any()
                }}
            </section>
        </div>
    }
}

#[component]
fn StatusForm(status: StatusView) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let set = ServerAction::<SetOperatorStatus>::new();
    on_success(set, move |_: &()| revision.bump());
    let error = action_error(set);
    view! {
        <section class="card briefing-card" aria-labelledby="change-heading">
            <h2 id="change-heading">{tr!(briefing.status.change)}</h2>
            <ActionForm action=set attr:class="stack">
                <ConflictAlert error on_reload=revision.reload() />
                <input type="hidden" name="account" value=status.account.0 />
                <input type="hidden" name="version" value=status.version />
                <TextField
                    label=tr!(briefing.status.status)
                    name="operator_status"
                    value=status.text.clone()
                    hint=tr!(briefing.status.status_hint)
                    error=field_error(error, "operator_status")
                />
                <TextField
                    label=tr!(briefing.status.until)
                    name="until"
                    input_type="datetime-local"
                    value=status.until_input.clone()
                    hint=tr!(briefing.status.until_hint, zone = status.zone.clone())
                    error=field_error(error, "until")
                />
                <TextField
                    label=tr!(briefing.status.default)
                    name="default_status"
                    value=status.default_text.clone()
                    hint=tr!(briefing.status.default_hint)
                    error=field_error(error, "default_status")
                />
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=set.pending()>
                        {tr!(briefing.status.save)}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

/// The account's canned statuses: one tap sets one (with no end), and admins add
/// and remove them.
#[component]
fn Templates(status: StatusView) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let set = ServerAction::<SetOperatorStatus>::new();
    let add = ServerAction::<AddStatusTemplate>::new();
    let remove = ServerAction::<RemoveStatusTemplate>::new();
    on_success(set, move |_: &()| revision.bump());
    on_success(add, move |_: &()| revision.bump());
    on_success(remove, move |_: &()| revision.bump());
    let set_error = action_error(set);
    let add_error = action_error(add);
    let remove_error = action_error(remove);
    let can_edit = status.can_edit;
    let rows = status
        .templates
        .iter()
        .map(|template| view! { <TemplateRow template=template.clone() status=status.clone() set remove /> })
        .collect_view();
    view! {
        <section class="card briefing-card" aria-labelledby="templates-heading">
            <h2 id="templates-heading">{tr!(briefing.status.templates)}</h2>
            <ConflictAlert error=set_error on_reload=revision.reload() />
            <FormAlert error=remove_error />
            {if status.templates.is_empty() {
                view! { <p class="muted">{tr!(briefing.status.no_templates)}</p> }.into_any()
            } else {
                view! { <ul class="template-list">{rows}</ul> }.into_any()
            }}
            {can_edit
                .then(|| {
                    view! {
                        <ActionForm action=add attr:class="inline-form">
                            <input type="hidden" name="account" value=status.account.0 />
                            <TextField
                                label=tr!(briefing.status.new_template)
                                name="template"
                                error=field_error(add_error, "template")
                            />
                            <button type="submit" class="button" disabled=add.pending()>
                                {tr!(briefing.status.add_template)}
                            </button>
                        </ActionForm>
                    }
                })}
        </section>
    }
}

#[component]
fn TemplateRow(
    template: Template,
    status: StatusView,
    set: ServerAction<SetOperatorStatus>,
    remove: ServerAction<RemoveStatusTemplate>,
) -> impl IntoView {
    let in_use = template.text == status.text && status.until.is_none();
    let (use_label, remove_label) = (
        tr!(briefing.status.use_named, text = template.text.clone()),
        tr!(briefing.status.remove_named, text = template.text.clone()),
    );
    let text = template.text.clone();
    view! {
        <li class="template-row">
            <span class="template-text">{template.text.clone()}</span>
            {status
                .can_edit
                .then(|| {
                    view! {
                        <ActionForm action=set>
                            <input type="hidden" name="account" value=status.account.0 />
                            <input type="hidden" name="version" value=status.version />
                            <input type="hidden" name="operator_status" value=text.clone() />
                            <input type="hidden" name="default_status" value=status.default_text.clone() />
                            <button
                                type="submit"
                                class="button"
                                disabled=in_use
                                aria-label=use_label.clone()
                            >
                                {if in_use { tr!(briefing.status.in_use) } else { tr!(briefing.status.apply) }}
                            </button>
                        </ActionForm>
                        <ActionForm action=remove>
                            <input type="hidden" name="account" value=status.account.0 />
                            <input type="hidden" name="id" value=template.id />
                            <button
                                type="submit"
                                class="link-button danger"
                                aria-label=remove_label.clone()
                            >
                                {tr!(briefing.remove)}
                            </button>
                        </ActionForm>
                    }
                })}
        </li>
    }
}
