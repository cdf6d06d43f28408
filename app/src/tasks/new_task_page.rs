//! Adding a task to the account.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use super::api::{get_new_task_form, AddTask};
use super::fields::TaskFields;
use super::{TaskEditor, TaskInput};
use crate::briefing::use_account_query;
use crate::components::error_panel::error_fallback;
use crate::components::field::{action_error, FormAlert};
use crate::components::revision::on_success;
use crate::paths;
use crate::tr;

#[component]
pub fn NewTaskPage() -> impl IntoView {
    let account = use_account_query();
    let form = Resource::new(move || account.get(), get_new_task_form);
    view! {
        <Title text=tr!(tasks.page.add) />
        <Suspense fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move { form.await.map(|editor| view! { <NewTask editor /> }) })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn NewTask(editor: TaskEditor) -> impl IntoView {
    let add = ServerAction::<AddTask>::new();
    let navigate = use_navigate();
    on_success(add, move |id: &i64| {
        navigate(&paths::task(*id), Default::default())
    });
    let error = action_error(add);
    let account = editor.account;
    let input = TaskInput::blank(&editor, String::new(), String::new());
    view! {
        <a class="back-link" href=paths::for_account(paths::TASKS, account)>{tr!(tasks.page.back)}</a>
        <header class="page-header">
            <h1>{tr!(tasks.page.add)}</h1>
        </header>
        <ActionForm action=add attr:class="card form-card stack">
            <FormAlert error />
            <input type="hidden" name="account" value=account.0 />
            <TaskFields input editor error />
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=add.pending()>{tr!(tasks.page.add)}</button>
            </div>
        </ActionForm>
    }
}
