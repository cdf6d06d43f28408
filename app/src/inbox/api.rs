//! Server functions of the inbox. Each checks, first thing in `service`, what the
//! caller holds at the account: a reading role, and for a Client User only what is
//! addressed to them.

use leptos::prelude::*;

use super::{InboxQuery, InboxView, MessageView};
use crate::error::AppError;

#[server]
pub async fn list_inbox(query: InboxQuery) -> Result<InboxView, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::service::inbox(&caller, &query).await
}

/// How many messages in view arrived after message `since`.
#[server]
pub async fn count_new_messages(query: InboxQuery, since: i64) -> Result<i64, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::service::newer(&caller, &query, since).await
}

/// Opening a message marks it read for the caller (never through an impersonation).
#[server]
pub async fn get_message(id: i64) -> Result<MessageView, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::service::message(&caller, id).await
}

#[server]
pub async fn acknowledge_message(id: i64) -> Result<(), AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::service::acknowledge(&caller, id).await?;
    crate::request::redirect_plain_form(&crate::paths::inbox_message(id))
}

/// ReplyToMessages at the account, on a text message.
#[server]
pub async fn reply_to_message(id: i64, text: String) -> Result<(), AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    super::service::reply(&caller, id, &text).await?;
    crate::request::redirect_plain_form(&crate::paths::inbox_message(id))
}

/// Whoever sees the message and may make tasks at its account (a Client User for
/// themselves). The form's fields are `task[title]` and so on.
#[server]
pub async fn add_task_from_message(
    id: i64,
    task: crate::tasks::TaskInput,
) -> Result<i64, AppError> {
    let caller = crate::auth::caller::Caller::current().await?;
    let task = super::service::task_from_message(&caller, id, &task).await?;
    crate::request::redirect_plain_form(&crate::paths::inbox_message(id))?;
    Ok(task)
}
