//! One user at a node: the role editor (roles held here as checkboxes, roles from
//! above read-only with their source) and what can be done to their account.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{
    get_node_user, RemoveUserAccess, ResendInvite, SetGeneratedPassword, SetUserEnabled,
    SetUserRoles,
};
use super::form::{RoleCheckboxes, RoleChips};
use crate::components::error_panel::error_fallback;
use crate::components::fact::Fact;
use crate::components::field::{action_error, field_error, ConflictAlert, FormAlert};
use crate::components::revision::{on_success, Revision, SavedAt};
use crate::components::secret::Secret;
use crate::core::{NodeId, UserId, UserStatus};
use crate::error::AppError;
use crate::paths;
use crate::tenancy::use_node_id_param;
use crate::tr;
use crate::users::{password_needs_more_authority, UserAtNode};

#[component]
pub fn UserPage() -> impl IntoView {
    let node = use_node_id_param();
    let params = use_params_map();
    let user = Memo::new(move |_| {
        params
            .read()
            .get("user")
            .and_then(|id| id.parse().ok())
            .map(UserId)
    });
    let revision = Revision::new();
    provide_context(revision);
    // Outside the redrawn page: the reload after a save must not hide what it said.
    provide_context(GeneratedPassword(RwSignal::new(None)));
    provide_context(SavedAt::new());
    // Blocking: the tab title comes from it (see the route table).
    let record = Resource::new_blocking(
        move || (node.get(), user.get(), revision.0.get()),
        |(node, user, _)| async move {
            match (node, user) {
                (Some(node), Some(user)) => get_node_user(node, user).await,
                _ => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    record
                        .await
                        .map(|record| revision.draw(record, |record| view! { <UserDetail record /> }))
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn UserDetail(record: UserAtNode) -> impl IntoView {
    let user = &record.user;
    let title = user.name.clone();
    view! {
        <Title text=title.clone() />
        <header class="page-header">
            <p class="muted breadcrumb">
                <a href=paths::node_users(record.node.id)>
                    {tr!(users.of_node, node = record.node.name.clone())}
                </a>
                {format!(" › {}", user.name)}
            </p>
            <h1>
                {title}
                <span class=format!("badge user-status-{}", user.status.key())>
                    {user.status.label()}
                </span>
                {user
                    .is_account_manager()
                    .then(|| view! { <span class="badge account-manager">{tr!(roles.name.account_manager)}</span> })}
            </h1>
            <p class="muted">
                {user.email.clone()}
                {user.last_sign_in.clone().map(|ago| tr!(users.page.last_signed_in, ago = ago))}
            </p>
        </header>
        <div class="client-grid">
            <div class="client-main">
                <RoleEditor record=record.clone() />
            </div>
            <div class="client-side">
                <InheritedCard record=record.clone() />
                {record.can_manage_account.then(|| view! { <AccountCard record=record.clone() /> })}
                <AccessCard record=record.clone() />
            </div>
        </div>
    }
}

#[component]
fn RoleEditor(record: UserAtNode) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let saved = expect_context::<SavedAt>();
    let save = ServerAction::<SetUserRoles>::new();
    saved.track(revision, save);
    let is_saved = saved.shown_in(revision);
    let error = action_error(save);
    view! {
        <section class="card client-card" aria-labelledby="roles-heading">
            <h2 id="roles-heading">{tr!(users.page.roles_at, node = record.node.name.clone())}</h2>
            <p class="muted">
                {tr!(users.page.roles_note)}
            </p>
            <ActionForm action=save attr:class="stack">
                <ConflictAlert error on_reload=revision.reload() />
                <input type="hidden" name="node" value=record.node.id.0 />
                <input type="hidden" name="user" value=record.user.id.0 />
                <input type="hidden" name="version" value=record.version />
                <RoleCheckboxes
                    choices=record.choices.clone()
                    legend=tr!(users.page.roles_held)
                    error=field_error(error, "roles")
                />
                <div class="form-actions">
                    <button type="submit" class="button primary" disabled=save.pending()>
                        {tr!(users.page.save_roles)}
                    </button>
                    <p class="muted" role="status">
                        {move || is_saved().then_some(tr!(users.page.roles_saved))}
                    </p>
                </div>
            </ActionForm>
        </section>
    }
}

/// Roles from above, which this node cannot change: where each comes from.
#[component]
fn InheritedCard(record: UserAtNode) -> impl IntoView {
    let inherited = record.user.inherited;
    view! {
        <section class="card client-card" aria-labelledby="inherited-heading">
            <h2 id="inherited-heading">{tr!(users.page.inherited)}</h2>
            {if inherited.is_empty() {
                view! { <p class="muted">{tr!(users.page.inherited_none)}</p> }
                    .into_any()
            } else {
                view! {
                    <p class="muted">{tr!(users.page.inherited_read_only)}</p>
                    <ul class="inherited-list">
                        {inherited
                            .into_iter()
                            .map(|from| {
                                view! {
                                    <li>
                                        <span class="inherited-source">{from.node_name}</span>
                                        <RoleChips roles=from.roles />
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

/// Disable or enable, invites and passwords: for admins of every place the user
/// holds roles.
#[component]
fn AccountCard(record: UserAtNode) -> impl IntoView {
    let node = record.node.id;
    let user = record.user.id;
    let disabled = record.user.status == UserStatus::Disabled;
    view! {
        <section class="card client-card account-actions" aria-labelledby="account-heading">
            <h2 id="account-heading">{tr!(users.page.account)}</h2>
            <dl class="facts">
                <Fact
                    term=tr!(users.page.email)
                    value=if record.email_verified { tr!(users.page.verified) } else { tr!(users.page.not_verified) }
                        .to_string()
                />
                <Fact term=tr!(users.page.mobile) value=record.verified_phone.clone() />
            </dl>
            {record.user.invite_pending.then(|| view! { <ResendForm node user /> })}
            <EnableForm node user enable=disabled />
            {match (disabled, record.can_set_password) {
                (true, _) => None,
                (false, true) => Some(view! { <PasswordForm node user /> }.into_any()),
                (false, false) => Some(
                    view! {
                        <p class="muted">{password_needs_more_authority()}</p>
                    }
                        .into_any(),
                ),
            }}
        </section>
    }
}

#[component]
fn ResendForm(node: NodeId, user: UserId) -> impl IntoView {
    let resend = ServerAction::<ResendInvite>::new();
    let error = action_error(resend);
    let sent = move || matches!(resend.value().get(), Some(Ok(())));
    view! {
        <ActionForm action=resend attr:class="stack">
            <FormAlert error />
            <input type="hidden" name="node" value=node.0 />
            <input type="hidden" name="user" value=user.0 />
            <p class="muted">
                {tr!(users.page.not_in_yet)}
            </p>
            <button type="submit" class="button" disabled=resend.pending()>
                {tr!(users.page.resend)}
            </button>
            <p class="muted" role="status">
                {move || sent().then_some(tr!(users.page.resent))}
            </p>
        </ActionForm>
    }
}

#[component]
fn EnableForm(node: NodeId, user: UserId, enable: bool) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let toggle = ServerAction::<SetUserEnabled>::new();
    on_success(toggle, move |_: &()| revision.bump());
    let error = action_error(toggle);
    let (label, class, note) = if enable {
        (
            tr!(users.page.enable),
            "button primary",
            tr!(users.page.disabled_note),
        )
    } else {
        (
            tr!(users.page.disable),
            "button danger",
            tr!(users.page.disable_note),
        )
    };
    view! {
        <ActionForm action=toggle attr:class="stack">
            <FormAlert error />
            <input type="hidden" name="node" value=node.0 />
            <input type="hidden" name="user" value=user.0 />
            <input type="hidden" name="enabled" value=enable.to_string() />
            <p class="muted">{note}</p>
            <button type="submit" class=class disabled=toggle.pending()>
                {label}
            </button>
        </ActionForm>
    }
}

/// The password an admin just generated, until they leave the page.
#[derive(Clone, Copy)]
struct GeneratedPassword(RwSignal<Option<String>>);

/// A generated strong password, shown once; they must change it at next sign-in.
#[component]
fn PasswordForm(node: NodeId, user: UserId) -> impl IntoView {
    let revision = expect_context::<Revision>();
    let GeneratedPassword(generated) = expect_context();
    let set = ServerAction::<SetGeneratedPassword>::new();
    on_success(set, move |password: &String| {
        generated.set(Some(password.clone()));
        revision.bump();
    });
    let error = action_error(set);
    let password = move || generated.get();
    view! {
        <ActionForm action=set attr:class="stack">
            <FormAlert error />
            <input type="hidden" name="node" value=node.0 />
            <input type="hidden" name="user" value=user.0 />
            <p class="muted">
                {tr!(users.page.password_note)}
            </p>
            <button type="submit" class="button" disabled=set.pending()>
                {tr!(users.page.set_password)}
            </button>
            {move || {
                password()
                    .map(|password| {
                        view! {
                            <div role="status">
                                <Secret
                                    lead=tr!(users.page.new_password_lead)
                                    value=password
                                    label=tr!(users.page.generated_password)
                                />
                            </div>
                        }
                    })
            }}
        </ActionForm>
    }
}

/// Taking away the roles held here; for an invite not yet taken up, revoking it.
#[component]
fn AccessCard(record: UserAtNode) -> impl IntoView {
    let remove = ServerAction::<RemoveUserAccess>::new();
    let error = action_error(remove);
    let node = record.node.id;
    let navigate = leptos_router::hooks::use_navigate();
    on_success(remove, move |_: &()| {
        navigate(&paths::node_users(node), Default::default())
    });
    let (label, note) = if record.user.invite_pending {
        (tr!(users.page.revoke), tr!(users.page.revoke_note))
    } else {
        (tr!(users.page.remove), tr!(users.page.remove_note))
    };
    (!record.user.roles.is_empty()).then(|| {
        view! {
            <section class="card client-card stack" aria-labelledby="access-heading">
                <h2 id="access-heading">{tr!(users.page.access)}</h2>
                <ActionForm action=remove attr:class="stack">
                    <FormAlert error />
                    <input type="hidden" name="node" value=node.0 />
                    <input type="hidden" name="user" value=record.user.id.0 />
                    <p class="muted">{note}</p>
                    <button type="submit" class="button danger" disabled=remove.pending()>
                        {label}
                    </button>
                </ActionForm>
            </section>
        }
    })
}
