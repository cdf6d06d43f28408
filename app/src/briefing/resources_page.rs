//! Links and notes for operators (procedures, directions), in order: each edited in
//! place, new ones added at the end.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{get_resources, AddResource, MoveBriefingItem, RemoveResource, UpdateResource};
use super::reorder::ReorderButtons;
use super::seen::OperatorsSeenNote;
use super::{use_account_query, Resource as OperatorResource, ResourcesView};
use crate::components::error_panel::error_fallback;
use crate::components::field::{
    action_error, field_error, ConflictAlert, FormAlert, TextAreaField, TextField,
};
use crate::components::revision::{on_success, Revision};
use crate::error::AppError;
use crate::tr;

#[component]
pub fn ResourcesPage() -> impl IntoView {
    let account = use_account_query();
    let revision = Revision::new();
    provide_context(revision);
    let resources = Resource::new(
        move || (account.get(), revision.0.get()),
        |(account, _)| get_resources(account),
    );
    view! {
        <Title text=tr!(briefing.resources.title) />
        <Transition fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    resources
                        .await
                        .map(|view| revision.draw(view, |view| view! { <ResourceList view /> }))
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn ResourceList(view: ResourcesView) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let reorder = ServerAction::<MoveBriefingItem>::new();
    on_success(reorder, move |_: &()| revision.bump());
    let reorder_error = action_error(reorder);
    let last = view.resources.len().saturating_sub(1);
    let can_edit = view.can_edit;
    view! {
        <header class="page-header">
            <h1>{tr!(briefing.resources.title)}</h1>
            <p class="muted">{tr!(briefing.resources.lead)}</p>
        </header>
        <OperatorsSeenNote seen=view.seen.clone() />
        <FormAlert error=reorder_error />
        {if view.resources.is_empty() {
            view! { <p class="empty-state">{tr!(briefing.resources.empty)}</p> }.into_any()
        } else {
            view! {
                <ol class="resource-list">
                    {view
                        .resources
                        .iter()
                        .enumerate()
                        .map(|(index, resource)| {
                            view! {
                                <ResourceCard
                                    resource=resource.clone()
                                    can_edit
                                    first=index == 0
                                    last=index == last
                                    reorder
                                />
                            }
                        })
                        .collect_view()}
                </ol>
            }
                .into_any()
        }}
        {can_edit.then(|| view! { <NewResource account=view.account /> })}
    }
}

#[component]
fn ResourceCard(
    resource: OperatorResource,
    can_edit: bool,
    first: bool,
    last: bool,
    reorder: ServerAction<MoveBriefingItem>,
) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let update = ServerAction::<UpdateResource>::new();
    let remove = ServerAction::<RemoveResource>::new();
    on_success(update, move |_: &()| revision.bump());
    on_success(remove, move |_: &()| revision.bump());
    let error = action_error(update);
    let remove_error = action_error(remove);
    let heading = format!("resource-{}", resource.id);
    let prefix = format!("resource-{}", resource.id);
    let title = resource.title.clone();
    // An edit that failed stays open, showing why.
    let open = move || error.get().is_some() || remove_error.get().is_some();
    let (id, version) = (resource.id, resource.version);
    let editing = resource.clone();
    view! {
        <li class="card resource-card" aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>
                {if resource.url.is_empty() {
                    view! { {resource.title.clone()} }.into_any()
                } else {
                    view! {
                        <a href=resource.url.clone() rel="noopener noreferrer" target="_blank">
                            {resource.title.clone()}
                        </a>
                    }
                        .into_any()
                }}
            </h2>
            {(!resource.url.is_empty()).then(|| view! { <p class="resource-url muted">{resource.url.clone()}</p> })}
            {(!resource.note.is_empty()).then(|| view! { <p class="resource-note">{resource.note.clone()}</p> })}
            {can_edit
                .then(|| {
                    view! {
                        <ReorderButtons list="resources" id name=title.clone() first last action=reorder />
                        <details class="edit-details" open=open>
                            <summary>{tr!(briefing.resources.edit_named, title = title.clone())}</summary>
                            <ActionForm action=update attr:class="stack">
                                <ConflictAlert error on_reload=revision.reload() />
                                <input type="hidden" name="id" value=id />
                                <input type="hidden" name="version" value=version />
                                <ResourceFields resource=Some(editing.clone()) prefix=prefix.clone() error />
                                <div class="form-actions">
                                    <button type="submit" class="button primary" disabled=update.pending()>
                                        {tr!(briefing.resources.save)}
                                    </button>
                                </div>
                            </ActionForm>
                            <ActionForm action=remove>
                                <ConflictAlert error=remove_error on_reload=revision.reload() />
                                <input type="hidden" name="id" value=id />
                                <input type="hidden" name="version" value=version />
                                <button type="submit" class="link-button danger">
                                    {tr!(briefing.resources.remove_named, title = title.clone())}
                                </button>
                            </ActionForm>
                        </details>
                    }
                })}
        </li>
    }
}

#[component]
fn NewResource(account: crate::core::NodeId) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let add = ServerAction::<AddResource>::new();
    on_success(add, move |_: &()| revision.bump());
    let error = action_error(add);
    view! {
        <section class="card form-card" aria-labelledby="new-resource-heading">
            <h2 id="new-resource-heading">{tr!(briefing.resources.add_heading)}</h2>
            <ActionForm action=add attr:class="stack">
                <FormAlert error />
                <input type="hidden" name="account" value=account.0 />
                <ResourceFields resource=None prefix="new-resource".to_string() error />
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=add.pending()>
                        {tr!(briefing.resources.add)}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn ResourceFields(
    resource: Option<OperatorResource>,
    prefix: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let (title, url, note) = resource
        .map(|resource| (resource.title, resource.url, resource.note))
        .unwrap_or_default();
    view! {
        <TextField label=tr!(briefing.resources.title_field) name="title" id=format!("{prefix}-title") value=title error=field_error(error, "title") />
        <TextField
            label=tr!(briefing.resources.url)
            name="url"
            id=format!("{prefix}-url")
            input_type="url"
            value=url
            hint=tr!(briefing.resources.url_hint)
            error=field_error(error, "url")
        />
        <TextAreaField
            label=tr!(common.note)
            name="note"
            id=format!("{prefix}-note")
            value=note
            error=field_error(error, "note")
        />
    }
}
