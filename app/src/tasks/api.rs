//! Server functions of tasks. Each checks, first thing in `service`, what the caller
//! holds at the task's account: all tasks for its content managers (and, to read,
//! whoever reads all its calls or messages), their own for a Client User.

use leptos::prelude::*;

use super::{TaskEditor, TaskInput, TaskQuery, TaskView, TasksView};
use crate::core::NodeId;
use crate::error::AppError;

#[cfg(feature = "ssr")]
async fn caller() -> Result<crate::auth::caller::Caller, AppError> {
    crate::auth::caller::Caller::current().await
}

#[server]
pub async fn list_tasks(query: TaskQuery) -> Result<TasksView, AppError> {
    super::service::list(&caller().await?, &query).await
}

#[server]
pub async fn get_task(id: i64) -> Result<TaskView, AppError> {
    super::service::task_view(&caller().await?, id).await
}

/// Making tasks at the account (theirs only for a Client User).
#[server]
pub async fn get_new_task_form(account: Option<NodeId>) -> Result<TaskEditor, AppError> {
    super::service::new_task_form(&caller().await?, account).await
}

/// Making tasks at the account. The form's fields are `task[title]` and so on.
#[server]
pub async fn add_task(account: NodeId, task: TaskInput) -> Result<i64, AppError> {
    let id = super::service::add(&caller().await?, Some(account), &task, None).await?;
    crate::request::redirect_plain_form(&crate::paths::task(id))?;
    Ok(id)
}

/// ManageAccountContent at the task's account.
#[server]
pub async fn update_task(id: i64, version: i64, task: TaskInput) -> Result<(), AppError> {
    super::service::update(&caller().await?, id, &task, version).await?;
    crate::request::redirect_plain_form(&crate::paths::task(id))
}

/// Done, cancelled or open again: the account's content managers, or the person the
/// task is for (done, or open again).
#[server]
pub async fn set_task_status(id: i64, version: i64, status: String) -> Result<(), AppError> {
    let status = super::TaskStatus::from_key(&status)
        .ok_or_else(|| AppError::field("status", crate::tr!(tasks.errors.choose_status)))?;
    super::service::set_status(&caller().await?, id, status, version).await?;
    crate::request::redirect_plain_form(&crate::paths::task(id))
}
