//! Reading the audit log: the events of the subtrees where the viewer holds
//! ViewAudit, filtered, newest first, a page at a time. Events tied to no node
//! (signing in, one's own password) are the platform's to read.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use time::macros::format_description;
use time::Date;

use super::repo;
use super::{AuditEntry, AuditPage, AuditQuery};
use crate::auth::actor::Actor;
use crate::auth::caller::Caller;
use crate::core::roles::Permission;
use crate::core::time::timestamp;
use crate::core::{NodeId, NodeKind};
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use crate::tenancy::groups::group_choices;
use crate::tenancy::repo::{get_node, path_names};

/// Events a page shows.
pub const PAGE_SIZE: i64 = 50;
const DAY_MS: i64 = 86_400_000;

/// The filters, checked.
#[derive(Clone)]
pub struct Filters {
    scope: Vec<NodeId>,
    /// Events tied to no node are shown too.
    pub(super) unplaced: bool,
    pub(super) actor: String,
    pub(super) subject: String,
    pub(super) action: String,
    pub(super) from_ms: Option<i64>,
    pub(super) until_ms: Option<i64>,
    pub(super) impersonation: Option<i64>,
    pub before: Option<i64>,
}

impl Filters {
    /// The nodes whose subtrees the events come from.
    pub fn scope(&self) -> &[NodeId] {
        &self.scope
    }
}

/// The nodes whose subtrees the actor may read the log of, with their kinds.
fn audit_roots(actor: &Actor) -> Vec<(NodeId, NodeKind)> {
    actor
        .holding(Permission::ViewAudit)
        .map(|m| (m.node_id, m.node_kind))
        .collect()
}

pub async fn audit_page(caller: &Caller, query: &AuditQuery) -> Result<AuditPage, AppError> {
    let filters = checked_filters(caller, query).await?;
    let mut entries = events(&caller.state, &filters, PAGE_SIZE + 1).await?;
    let older = if entries.len() as i64 > PAGE_SIZE {
        entries.truncate(PAGE_SIZE as usize);
        entries.last().map(|last| AuditQuery {
            before: last.id.to_string(),
            ..query.clone()
        })
    } else {
        None
    };
    let roots: Vec<NodeId> = audit_roots(&caller.actor)
        .iter()
        .map(|(node, _)| *node)
        .collect();
    Ok(AuditPage {
        entries,
        older,
        scopes: group_choices(caller.db(), &roots).await?,
        actions: repo::actions(caller.db()).await?,
    })
}

/// ViewAudit somewhere (and at the place chosen): the query's filters, checked.
pub async fn checked_filters(caller: &Caller, query: &AuditQuery) -> Result<Filters, AppError> {
    let roots = audit_roots(&caller.actor);
    if roots.is_empty() {
        return Err(AppError::forbidden(crate::tr!(audit.errors.no_permission)));
    }
    check(caller, &roots, query).await
}

async fn check(
    caller: &Caller,
    roots: &[(NodeId, NodeKind)],
    query: &AuditQuery,
) -> Result<Filters, AppError> {
    let mut errors = FieldErrors::default();
    let from_ms = day_start(&mut errors, "from", &query.from);
    let until_ms = day_start(&mut errors, "to", &query.to).map(|start| start + DAY_MS);
    if let (Some(from), Some(until)) = (from_ms, until_ms) {
        if until <= from {
            errors.add("to", crate::tr!(audit.errors.last_before_first));
        }
    }
    let under = match query.under.trim() {
        "" => None,
        typed => match typed.parse::<i64>() {
            Ok(id) => Some(NodeId(id)),
            Err(_) => {
                errors.add("under", crate::tr!(audit.errors.choose_place));
                None
            }
        },
    };
    let impersonation = match query.impersonation.trim() {
        "" => None,
        typed => {
            let id = typed.trim_start_matches('#').parse::<i64>().ok();
            if id.is_none() {
                errors.add(
                    "impersonation",
                    crate::tr!(audit.errors.impersonation_number),
                );
            }
            id
        }
    };
    errors.into_result()?;
    let (scope, unplaced) = match under {
        Some(node) => {
            caller
                .actor
                .require(caller.db(), Permission::ViewAudit, node)
                .await?;
            let is_root_platform = roots
                .iter()
                .any(|(root, kind)| *root == node && *kind == NodeKind::Platform);
            (vec![node], is_root_platform)
        }
        None => (
            roots.iter().map(|(node, _)| *node).collect(),
            roots.iter().any(|(_, kind)| *kind == NodeKind::Platform),
        ),
    };
    Ok(Filters {
        scope,
        unplaced,
        actor: query.actor.trim().to_lowercase(),
        subject: query.subject.trim().to_lowercase(),
        action: query.action.trim().to_string(),
        from_ms,
        until_ms,
        impersonation,
        before: query.before.trim().parse().ok(),
    })
}

/// The first millisecond of a typed day (UTC); a field error when it is not a date.
fn day_start(errors: &mut FieldErrors, field: &str, typed: &str) -> Option<i64> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    match Date::parse(typed, format_description!("[year]-[month]-[day]")) {
        Ok(date) => Some(date.midnight().assume_utc().unix_timestamp() * 1000),
        Err(_) => {
            errors.add(field, crate::tr!(audit.errors.date_shape));
            None
        }
    }
}

/// Up to `limit` events matching `filters`, newest first.
pub async fn events(
    state: &AppState,
    filters: &Filters,
    limit: i64,
) -> Result<Vec<AuditEntry>, AppError> {
    let rows = repo::matching_events(&state.db, filters, limit).await?;
    let mut places = HashMap::new();
    for row in &rows {
        if let Some(node) = row.node_id {
            if let Entry::Vacant(slot) = places.entry(node) {
                slot.insert(place(state, NodeId(node)).await?);
            }
        }
    }
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        let node = row
            .node_id
            .map(|node| places[&node].clone())
            .unwrap_or_default();
        entries.push(AuditEntry {
            id: row.id,
            when: timestamp(row.occurred_at),
            actor: person(row.actor_name, row.actor_email),
            subject: person(row.subject_name, row.subject_email),
            acting_as: person(row.target_name, row.target_email),
            node,
            action: row.action,
            details: row.details,
            address: row.address,
            impersonation: row.impersonation_id,
        });
    }
    Ok(entries)
}

/// Where a node is, as people read it: its path below the platform, itself included.
async fn place(state: &AppState, node: NodeId) -> Result<String, AppError> {
    let mut names = path_names(state.db.pool(), node).await?;
    if let Some(node) = get_node(state.db.pool(), node).await? {
        names.push(node.name);
    }
    let below_platform = if names.len() > 1 {
        &names[1..]
    } else {
        &names[..]
    };
    Ok(below_platform.join(" › "))
}

fn person(name: Option<String>, email: Option<String>) -> String {
    match (name, email) {
        (Some(name), Some(email)) => format!("{name} <{email}>"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::time::timestamp;

    #[test]
    fn days_are_checked_and_read_as_utc() {
        let mut errors = FieldErrors::default();
        assert_eq!(day_start(&mut errors, "from", "1970-01-02"), Some(DAY_MS));
        assert_eq!(day_start(&mut errors, "from", ""), None);
        assert!(errors.into_result().is_ok());
        let mut errors = FieldErrors::default();
        assert_eq!(day_start(&mut errors, "to", "29/11/2026"), None);
        assert!(errors.into_result().is_err());
        assert_eq!(timestamp(DAY_MS + 3_723_000), "1970-01-02 01:02:03 UTC");
    }
}
