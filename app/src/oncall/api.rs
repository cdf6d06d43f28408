//! Server functions of the on-call calendar. Reading takes a role that reads the
//! account's inbox or manages its content; every change takes ManageAccountContent
//! at the account. The checks happen first thing in `service` (and in `briefing`'s).

use leptos::prelude::*;

use super::{CalendarView, OverrideView, RuleInput, RuleView, ScheduleForm};
use crate::core::NodeId;
use crate::error::AppError;

#[cfg(feature = "ssr")]
async fn caller() -> Result<crate::auth::caller::Caller, AppError> {
    crate::auth::caller::Caller::current().await
}

/// After a change posted without JavaScript, show the account's calendar.
#[cfg(feature = "ssr")]
fn back_to_calendar(account: NodeId) -> Result<(), AppError> {
    crate::request::redirect_plain_form(&crate::paths::for_account(crate::paths::ON_CALL, account))
}

/// Reading at the account.
#[server]
pub async fn get_calendar(account: Option<NodeId>) -> Result<CalendarView, AppError> {
    super::service::calendar(&caller().await?, account).await
}

/// Reading at the account (rule `id`'s, when given).
#[server]
pub async fn get_rule_form(
    account: Option<NodeId>,
    id: Option<i64>,
) -> Result<ScheduleForm<RuleView>, AppError> {
    super::service::rule_form(&caller().await?, account, id).await
}

#[cfg(feature = "ssr")]
fn rule_form(rule: &RuleInput) -> super::service::RuleForm<'_> {
    super::service::RuleForm {
        weekdays: &rule.weekdays,
        start: &rule.start,
        end: &rule.end,
        closed: !rule.closed.is_empty(),
        contacts: &rule.contact,
        note: &rule.note,
    }
}

/// ManageAccountContent at the account.
#[server]
pub async fn add_rule(account: NodeId, rule: RuleInput) -> Result<(), AppError> {
    let caller = caller().await?;
    super::service::save_rule(&caller, Some(account), None, &rule_form(&rule), 0).await?;
    back_to_calendar(account)
}

/// ManageAccountContent at the rule's account.
#[server]
pub async fn update_rule(id: i64, version: i64, rule: RuleInput) -> Result<(), AppError> {
    let caller = caller().await?;
    let (account, _) =
        super::service::save_rule(&caller, None, Some(id), &rule_form(&rule), version).await?;
    back_to_calendar(account)
}

/// ManageAccountContent at the rule's account.
#[server]
pub async fn remove_rule(id: i64, version: i64) -> Result<(), AppError> {
    let table = super::repo::ScheduleTable::Rules;
    let account = super::service::remove(&caller().await?, table, id, version).await?;
    back_to_calendar(account)
}

/// Reading at the account (override `id`'s, when given).
#[server]
pub async fn get_override_form(
    account: Option<NodeId>,
    id: Option<i64>,
) -> Result<ScheduleForm<OverrideView>, AppError> {
    super::service::override_form(&caller().await?, account, id).await
}

/// ManageAccountContent at the account. `starts` and `ends` are local date-times of
/// the account's zone; `on_call` and `off_call` contact ids or empty (a form field
/// named `remove` would hide the form element's own `remove()` from the page).
#[server]
pub async fn add_override(
    account: NodeId,
    starts: String,
    ends: String,
    #[server(default)] on_call: String,
    #[server(default)] off_call: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let form = super::service::OverrideForm {
        starts: &starts,
        ends: &ends,
        add: &on_call,
        remove: &off_call,
        note: &note,
    };
    super::service::save_override(&caller().await?, Some(account), None, &form, 0).await?;
    back_to_calendar(account)
}

/// ManageAccountContent at the override's account.
#[server]
pub async fn update_override(
    id: i64,
    version: i64,
    starts: String,
    ends: String,
    #[server(default)] on_call: String,
    #[server(default)] off_call: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let form = super::service::OverrideForm {
        starts: &starts,
        ends: &ends,
        add: &on_call,
        remove: &off_call,
        note: &note,
    };
    let caller = caller().await?;
    let (account, _) =
        super::service::save_override(&caller, None, Some(id), &form, version).await?;
    back_to_calendar(account)
}

/// ManageAccountContent at the override's account.
#[server]
pub async fn remove_override(id: i64, version: i64) -> Result<(), AppError> {
    let table = super::repo::ScheduleTable::Overrides;
    let account = super::service::remove(&caller().await?, table, id, version).await?;
    back_to_calendar(account)
}
