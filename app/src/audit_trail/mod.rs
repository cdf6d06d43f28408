//! The audit trail: events appended inside the transaction of the change they
//! record, in one hash chain that shows any edit or removal (see [`chain`]), and the
//! latest change at a node for conflict messages. The audit log's viewer reads it.

pub mod chain;

use sqlx::{Any, AnyConnection, Executor};

use crate::core::time::ago;
use crate::core::{ImpersonationId, NodeId, UserId};
use crate::db::now_ms;
use crate::error::AppError;
use chain::{append, Chained};

/// Who does something: the real person, and the impersonation they act through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Acting {
    pub user: UserId,
    pub impersonation: Option<ImpersonationId>,
}

impl From<UserId> for Acting {
    fn from(user: UserId) -> Self {
        Acting {
            user,
            impersonation: None,
        }
    }
}

pub struct AuditEvent<'a> {
    /// The real person acting.
    pub actor: Option<UserId>,
    /// The impersonation they acted through, if any.
    pub impersonation: Option<ImpersonationId>,
    /// Whom the event is about, when not the actor (whom they acted as is the
    /// impersonation's).
    pub subject: Option<UserId>,
    pub node: Option<NodeId>,
    pub action: &'a str,
    pub details: serde_json::Value,
    pub address: &'a str,
    /// The record it is about, as `kind:id`, when the event is about one (see
    /// [`record_key`]): its history is read by it.
    pub record: Option<String>,
}

/// How the audit trail names a record an event is about: `message:12`.
pub fn record_key(kind: &str, id: i64) -> String {
    format!("{kind}:{id}")
}

impl<'a> AuditEvent<'a> {
    /// A change `actor` made at `node`.
    pub fn at_node(
        by: impl Into<Acting>,
        node: NodeId,
        action: &'a str,
        details: serde_json::Value,
        address: &'a str,
    ) -> Self {
        let by = by.into();
        Self {
            actor: Some(by.user),
            impersonation: by.impersonation,
            subject: None,
            node: Some(node),
            action,
            details,
            address,
            record: None,
        }
    }

    /// A change `actor` made at `node` to the account or roles of `subject`.
    pub fn about_user(
        by: impl Into<Acting>,
        subject: UserId,
        node: NodeId,
        action: &'a str,
        details: serde_json::Value,
        address: &'a str,
    ) -> Self {
        let by = by.into();
        Self {
            actor: Some(by.user),
            impersonation: by.impersonation,
            subject: Some(subject),
            node: Some(node),
            action,
            details,
            address,
            record: None,
        }
    }

    /// An attempt by someone not (or not yet) proved to be anyone, such as a failed
    /// sign-in: about `subject` when it named a user.
    pub fn attempt(
        subject: Option<UserId>,
        action: &'a str,
        details: serde_json::Value,
        address: &'a str,
    ) -> Self {
        Self {
            actor: None,
            impersonation: None,
            subject,
            node: None,
            action,
            details,
            address,
            record: None,
        }
    }

    /// Something a user did to their own account (signing in, changing a password).
    pub fn about_self(
        by: impl Into<Acting>,
        action: &'a str,
        details: serde_json::Value,
        address: &'a str,
    ) -> Self {
        let by = by.into();
        Self {
            actor: Some(by.user),
            impersonation: by.impersonation,
            subject: None,
            node: None,
            action,
            details,
            address,
            record: None,
        }
    }
}

/// Appends `event` to the audit log's chain, inside the transaction of the change it
/// records.
pub async fn record(conn: &mut AnyConnection, event: AuditEvent<'_>) -> Result<(), AppError> {
    let details = event.details.to_string();
    append(
        conn,
        &Chained {
            occurred_at: now_ms(),
            actor: event.actor.map(|user| user.0),
            subject: event.subject.map(|user| user.0),
            impersonation: event.impersonation.map(|id| id.0),
            node: event.node.map(|node| node.0),
            action: event.action,
            details: &details,
            address: event.address,
            record: event.record.as_deref(),
        },
    )
    .await
}

/// The Conflict for a record at `node` changed since the actor loaded it: who changed
/// it, what they did and how long ago, from the latest audit event there.
pub async fn stale_conflict<'e>(
    db: impl Executor<'e, Database = Any>,
    node: NodeId,
    changed: Changed,
) -> AppError {
    latest_change_conflict(db, ChangedAt::Node(node), changed).await
}

/// The Conflict for a change about `subject` at `node` made since the actor loaded
/// it (a user's roles there), from the latest audit event about them there.
pub async fn stale_conflict_about<'e>(
    db: impl Executor<'e, Database = Any>,
    node: NodeId,
    subject: UserId,
    changed: Changed,
) -> AppError {
    latest_change_conflict(db, ChangedAt::Subject(node, subject), changed).await
}

/// The Conflict for a record (a `kind:id` key of [`record_key`]) changed since the
/// actor loaded it, from the latest audit event about it.
pub async fn stale_record_conflict<'e>(
    db: impl Executor<'e, Database = Any>,
    record: &str,
    changed: Changed,
) -> AppError {
    latest_change_conflict(db, ChangedAt::Record(record), changed).await
}

/// What someone did with a record, from the audit chain: when, what, who, and for
/// whom when they acted through an impersonation.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RecordEvent {
    pub occurred_at: i64,
    pub action: String,
    pub actor_name: Option<String>,
    /// What the event says (JSON text).
    pub details: String,
    /// The impersonation it was done through, if any.
    pub impersonation_id: Option<i64>,
    /// Whom the impersonation acted as; none in partner mode.
    pub acted_as: Option<String>,
}

impl RecordEvent {
    /// Who did it, as a history says it: "Sam Support (logged in as Jane Doe)".
    pub fn by(&self) -> String {
        let who = self
            .actor_name
            .as_deref()
            .unwrap_or(crate::tr!(trail.someone));
        match (self.impersonation_id, &self.acted_as) {
            (None, _) => who.to_string(),
            (Some(_), Some(target)) => crate::tr!(trail.logged_in_as, who = who, target = target),
            (Some(_), None) => crate::tr!(trail.logged_in_as_partner, who = who),
        }
    }
}

/// The latest `limit` events about `record` (a [`record_key`]), oldest first.
pub async fn record_events<'e>(
    db: impl Executor<'e, Database = Any>,
    record: &str,
    limit: i64,
) -> Result<Vec<RecordEvent>, AppError> {
    let mut events: Vec<RecordEvent> = sqlx::query_as(
        "SELECT e.occurred_at, e.action, a.name AS actor_name, e.details, e.impersonation_id, \
                t.name AS acted_as \
         FROM audit_events e \
         LEFT JOIN users a ON a.id = e.actor_user_id \
         LEFT JOIN impersonations i ON i.id = e.impersonation_id \
         LEFT JOIN users t ON t.id = i.target_id \
         WHERE e.record = $1 ORDER BY e.id DESC LIMIT $2",
    )
    .bind(record)
    .bind(limit)
    .fetch_all(db)
    .await?;
    events.reverse();
    Ok(events)
}

/// Where the latest change is looked for.
enum ChangedAt<'a> {
    Node(NodeId),
    Subject(NodeId, UserId),
    Record(&'a str),
}

async fn latest_change_conflict<'e>(
    db: impl Executor<'e, Database = Any>,
    at: ChangedAt<'_>,
    changed: Changed,
) -> AppError {
    use sqlx::Row;
    let select = "SELECT u.name, e.action, e.occurred_at FROM audit_events e \
                  JOIN users u ON u.id = e.actor_user_id WHERE ";
    let latest = match at {
        ChangedAt::Node(node) => {
            sqlx::query(&format!(
                "{select} e.node_id = $1 ORDER BY e.id DESC LIMIT 1"
            ))
            .bind(node.0)
            .fetch_optional(db)
            .await
        }
        ChangedAt::Subject(node, subject) => {
            let sql = format!(
                "{select} e.node_id = $1 AND e.subject_user_id = $2 ORDER BY e.id DESC LIMIT 1"
            );
            sqlx::query(&sql)
                .bind(node.0)
                .bind(subject.0)
                .fetch_optional(db)
                .await
        }
        ChangedAt::Record(record) => {
            sqlx::query(&format!(
                "{select} e.record = $1 ORDER BY e.id DESC LIMIT 1"
            ))
            .bind(record)
            .fetch_optional(db)
            .await
        }
    };
    let change = match latest {
        Ok(row) => row.and_then(|row| {
            Some(LastChange {
                who: row.try_get("name").ok()?,
                action: row.try_get("action").ok()?,
                at: row.try_get("occurred_at").ok()?,
            })
        }),
        Err(error) => return error.into(),
    };
    AppError::Conflict(stale_message(change, changed, now_ms()))
}

pub struct LastChange {
    pub who: String,
    pub action: String,
    pub at: i64,
}

/// What kind of record changed under someone, as a stale message names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Changed {
    Group,
    ClientAccount,
    PartnerSettings,
    User,
    Task,
    Rule,
    Override,
    Status,
    Contact,
    Resource,
}

impl Changed {
    /// "this group", "ce groupe": French chooses the demonstrative by the noun.
    fn this(self) -> String {
        match self {
            Changed::Group => crate::tr!(trail.this.group),
            Changed::ClientAccount => crate::tr!(trail.this.client_account),
            Changed::PartnerSettings => crate::tr!(trail.this.partner_settings),
            Changed::User => crate::tr!(trail.this.user),
            Changed::Task => crate::tr!(trail.this.task),
            Changed::Rule => crate::tr!(trail.this.rule),
            Changed::Override => crate::tr!(trail.this.override_),
            Changed::Status => crate::tr!(trail.this.status),
            Changed::Contact => crate::tr!(trail.this.contact),
            Changed::Resource => crate::tr!(trail.this.resource),
        }
        .to_string()
    }
}

pub fn stale_message(change: Option<LastChange>, changed: Changed, now: i64) -> String {
    let this = changed.this();
    match change {
        Some(LastChange { who, action, at }) => crate::tr!(
            trail.stale.by,
            who = who,
            did = past_tense(&action),
            this = this,
            ago = ago(now - at)
        ),
        None => crate::tr!(trail.stale.since, this = capitalized(&this)),
    }
}

fn capitalized(text: &str) -> String {
    let mut letters = text.chars();
    letters
        .next()
        .map(|first| first.to_uppercase().chain(letters).collect())
        .unwrap_or_default()
}

/// What an audited action did, as a verb: "Nora North *renamed* this group". An
/// action about a part of a record (`oncall.rule_updated`) reads by its last word.
fn past_tense(action: &str) -> &'static str {
    let name = action.rsplit('.').next().unwrap_or_default();
    match name {
        "renamed" => crate::tr!(trail.did.renamed),
        "moved" => crate::tr!(trail.did.moved),
        "activated" => crate::tr!(trail.did.activated),
        "suspended" => crate::tr!(trail.did.suspended),
        "features_changed" => crate::tr!(trail.did.features_changed),
        "company_updated" => crate::tr!(trail.did.company_updated),
        "operator_status_set" => crate::tr!(trail.did.operator_status_set),
        "roles_changed" => crate::tr!(trail.did.roles_changed),
        _ => match name.rsplit('_').next().unwrap_or_default() {
            "updated" => crate::tr!(trail.did.edited),
            "removed" => crate::tr!(trail.did.removed),
            "up" | "down" => crate::tr!(trail.did.moved),
            _ => crate::tr!(trail.did.changed),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_copies_name_who_changed_what_and_when() {
        let change = LastChange {
            who: "Nora North".into(),
            action: "group.moved".into(),
            at: 1_000,
        };
        assert_eq!(
            stale_message(Some(change), Changed::Group, 1_000 + 3 * 60_000),
            "Nora North moved this group 3 minutes ago, after you opened it. Reload to see the current version."
        );
        assert!(stale_message(None, Changed::ClientAccount, 0)
            .starts_with("This client account changed"));
    }

    #[test]
    fn stale_copies_are_named_with_the_demonstrative_french_gives_each_record() {
        use crate::core::words::in_language;
        use crate::core::Language::French;
        let change = LastChange {
            who: "Nora North".into(),
            action: "contact.moved_up".into(),
            at: 0,
        };
        assert_eq!(
            in_language(French, || stale_message(Some(change), Changed::User, 60_000)),
            "Nora North a déplacé cet utilisateur il y a 1 minute, après l’ouverture de la page. Rechargez-la pour voir la version actuelle."
        );
        assert!(
            in_language(French, || stale_message(None, Changed::Task, 0))
                .starts_with("Cette tâche a changé")
        );
    }
}
