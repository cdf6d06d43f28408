//! The groups page: the tree on one side, the selected group and its actions on the
//! other. The selected path lives in the URL, so a view can be bookmarked and shared.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{CreateGroup, DeleteGroup, MoveGroup, RenameGroup};
use crate::components::error_panel::error_fallback;
use crate::components::field::{action_error, field_error, FormAlert, TextField};
use crate::core::url::{format_path, parse_path};
use crate::core::NodeKind;
use crate::paths;
use crate::tenancy::group_tree::{GroupTree, TreeState};
use crate::tenancy::{GroupView, MoveTarget, TreeNode};
use crate::tr;

#[component]
pub fn GroupsPage() -> impl IntoView {
    let query = use_query_map();
    let selected_path = Signal::derive(move || parse_path(query.read().get("path").as_deref()));
    let tree = TreeState::new(
        selected_path,
        Callback::new(|path: Vec<_>| paths::groups_at(&format_path(&path))),
    );
    provide_context(tree);
    let selected = Memo::new(move |_| selected_path.get().last().copied());

    view! {
        <Title text=tr!(groups.title) />
        <header class="page-header">
            <h1>{tr!(groups.title)}</h1>
            <p class="muted">
                {tr!(groups.lead)}
            </p>
        </header>
        <div class="split">
            <section class="card tree-panel" aria-label=tr!(groups.tree)>
                <GroupTree />
            </section>
            <section class="card detail-panel" aria-live="polite">
                {move || match selected.get() {
                    Some(node) => view! { <GroupDetail node /> }.into_any(),
                    None => {
                        view! {
                            <p class="muted empty-detail">
                                {tr!(groups.select)}
                            </p>
                        }
                            .into_any()
                    }
                }}
            </section>
        </div>
    }
}

#[component]
fn GroupDetail(node: super::NodeId) -> impl IntoView {
    let tree = expect_context::<TreeState>();
    let group = Resource::new(
        move || tree.revision.get(),
        move |_| super::api::get_group(node),
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    group.await.map(|view| view! { <GroupPanel view /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn GroupPanel(view: GroupView) -> impl IntoView {
    let GroupView {
        node,
        path,
        can_manage,
        move_targets,
    } = view;
    let is_group = node.kind == NodeKind::Group;
    let may_hold_groups = matches!(node.kind, NodeKind::Partner | NodeKind::Group);
    view! {
        <div class="detail-head">
            <div>
                <p class="muted breadcrumb">{path.join(" › ")}</p>
                <h2>{node.name.clone()}</h2>
            </div>
            <span class=format!("badge kind-{}", node.kind.key())>{node.kind.label()}</span>
        </div>
        <dl class="facts">
            <div>
                <dt>{tr!(groups.sub_groups)}</dt>
                <dd>{node.child_groups}</dd>
            </div>
            <div>
                <dt>{tr!(groups.clients_below)}</dt>
                <dd>{node.clients}</dd>
            </div>
        </dl>
        {(!can_manage)
            .then(|| view! { <p class="muted">{tr!(groups.read_only)}</p> })}
        {can_manage
            .then(|| {
                view! {
                    <div class="header-actions">
                        <a class="button" href=crate::paths::node_users(node.id)>
                            {tr!(groups.users)}
                        </a>
                        {(node.kind == NodeKind::Partner)
                            .then(|| {
                                view! {
                                    <a class="button" href=crate::paths::partner_settings(node.id)>
                                        {tr!(groups.partner_settings)}
                                    </a>
                                }
                            })}
                    </div>
                }
            })}
        {(can_manage && may_hold_groups).then(|| view! { <AddSubGroup parent=node.clone() /> })}
        {(can_manage && is_group)
            .then(|| {
                view! {
                    <RenameGroupForm group=node.clone() />
                    <MoveGroupForm group=node.clone() targets=move_targets.clone() />
                    <DeleteGroupForm group=node.clone() />
                }
            })}
    }
}

/// After a successful change, every loaded part of the tree is fetched again.
fn refresh_on_success<I, O>(action: ServerAction<I>, then: impl Fn(&O) + 'static)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = crate::error::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    O: Clone + Send + Sync + 'static,
{
    let tree = expect_context::<TreeState>();
    Effect::new(move |_| {
        if let Some(Ok(output)) = action.value().get() {
            tree.revision.update(|n| *n += 1);
            then(&output);
        }
    });
}

#[component]
fn AddSubGroup(parent: TreeNode) -> impl IntoView {
    let create = ServerAction::<CreateGroup>::new();
    let tree = expect_context::<TreeState>();
    refresh_on_success(create, move |created: &TreeNode| {
        let mut path = tree.selected_path.get_untracked();
        path.push(created.id);
        tree.select(path);
    });
    let error = action_error(create);
    view! {
        <ActionForm action=create attr:class="detail-form">
            <h3>{tr!(groups.add_heading)}</h3>
            <FormAlert error />
            <input type="hidden" name="parent" value=parent.id.0 />
            <TextField
                label=tr!(groups.sub_group_name)
                name="name"
                id="new-group-name"
                error=field_error(error, "name")
            />
            <button type="submit" class="button primary" disabled=create.pending()>
                {tr!(groups.add)}
            </button>
        </ActionForm>
    }
}

#[component]
fn RenameGroupForm(group: TreeNode) -> impl IntoView {
    let rename = ServerAction::<RenameGroup>::new();
    refresh_on_success(rename, |_: &TreeNode| {});
    let error = action_error(rename);
    view! {
        <ActionForm action=rename attr:class="detail-form">
            <h3>{tr!(groups.rename_heading)}</h3>
            <ConflictAlert error />
            <input type="hidden" name="node" value=group.id.0 />
            <input type="hidden" name="version" value=group.version />
            <TextField
                label=tr!(groups.group_name)
                name="name"
                id="group-name"
                value=group.name
                error=field_error(error, "name")
            />
            <button type="submit" class="button" disabled=rename.pending()>
                {tr!(groups.rename)}
            </button>
        </ActionForm>
    }
}

#[component]
fn MoveGroupForm(group: TreeNode, targets: Vec<MoveTarget>) -> impl IntoView {
    let move_action = ServerAction::<MoveGroup>::new();
    refresh_on_success(move_action, |_: &TreeNode| {});
    let error = action_error(move_action);
    let message = field_error(error, "new_parent");
    view! {
        <ActionForm action=move_action attr:class="detail-form">
            <h3>{tr!(groups.move_heading)}</h3>
            <ConflictAlert error />
            <input type="hidden" name="node" value=group.id.0 />
            <input type="hidden" name="version" value=group.version />
            <div class="field" class:has-error=move || message.read().is_some()>
                <label for="field-new_parent">{tr!(groups.move_into)}</label>
                <select
                    id="field-new_parent"
                    name="new_parent"
                    aria-describedby="field-new_parent-message"
                >
                    {targets
                        .into_iter()
                        .map(|target| view! { <option value=target.id.0>{target.label}</option> })
                        .collect_view()}
                </select>
                <p class="field-message" id="field-new_parent-message">{move || message.get()}</p>
            </div>
            <button type="submit" class="button" disabled=move_action.pending()>
                {tr!(groups.move_group)}
            </button>
        </ActionForm>
    }
}

#[component]
fn DeleteGroupForm(group: TreeNode) -> impl IntoView {
    let delete = ServerAction::<DeleteGroup>::new();
    let tree = expect_context::<TreeState>();
    refresh_on_success(delete, move |_: &()| {
        let mut path = tree.selected_path.get_untracked();
        path.pop();
        tree.select(path);
    });
    let error = action_error(delete);
    view! {
        <ActionForm action=delete attr:class="detail-form danger-zone">
            <h3>{tr!(groups.delete_heading)}</h3>
            <p class="muted">{tr!(groups.delete_note)}</p>
            <ConflictAlert error />
            <input type="hidden" name="node" value=group.id.0 />
            <input type="hidden" name="version" value=group.version />
            <button type="submit" class="button danger" disabled=delete.pending()>
                {tr!(groups.delete)}
            </button>
        </ActionForm>
    }
}

/// The conflict alert of a form here: Reload fetches the tree and the group again.
#[component]
fn ConflictAlert(error: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    let tree = expect_context::<TreeState>();
    view! {
        <crate::components::field::ConflictAlert
            error
            on_reload=Callback::new(move |()| tree.revision.update(|n| *n += 1))
        />
    }
}
