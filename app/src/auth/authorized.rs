//! The proof an authorization check returns, and the change it lets the actor make:
//! one transaction that commits only with the audit event recording it.

use super::actor::{check, Actor};
use super::caller::Caller;
use crate::audit_trail::{record, AuditEvent};
use crate::core::roles::{Permission, PermissionSet};
use crate::core::{NodeId, UserId};
use crate::db::Tx;
use crate::error::AppError;

/// Proof of what an actor holds at a node where they hold something, as only
/// [`Actor::at`] and [`Actor::require`] make it: for the change and its audit event to
/// build on.
#[derive(Clone, Copy, Debug)]
pub struct Authorized<'a> {
    pub(super) actor: &'a Actor,
    pub(super) node: NodeId,
    pub(super) permissions: PermissionSet,
}

impl<'a> Authorized<'a> {
    pub fn actor(&self) -> &'a Actor {
        self.actor
    }

    /// The node the permission was checked at.
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// Everything the actor holds at the node, within an impersonation's limit.
    pub fn permissions(&self) -> PermissionSet {
        self.permissions
    }

    /// The same proof, if the actor also holds `permission` at the node: for checks
    /// that depend on what the node is, read after the first proof.
    pub fn requiring(self, permission: Permission) -> Result<Self, AppError> {
        check(self.permissions, permission)?;
        Ok(self)
    }

    /// Begins the change the actor is authorized to make at the node, in the
    /// caller's request (whose address its audit event records).
    pub async fn begin(&self, caller: &'a Caller) -> Result<AuditedChange<'a>, AppError> {
        Ok(AuditedChange {
            tx: caller.db().begin().await?,
            authorized: *self,
            address: &caller.address,
            event_node: self.node,
            record: None,
        })
    }
}

/// The transaction of a change at an [`Authorized`] node: it commits only with the
/// audit event that records the change, and rolls back when dropped.
pub struct AuditedChange<'a> {
    tx: Tx,
    authorized: Authorized<'a>,
    address: &'a str,
    /// Whose event it is: the authorized node, or what the change created below it.
    event_node: NodeId,
    /// The record at the node the change is about, if it is about one.
    record: Option<String>,
}

impl AuditedChange<'_> {
    /// Records the change as one that made `created` below the node: its event is
    /// the new node's.
    pub fn created(mut self, created: NodeId) -> Self {
        self.event_node = created;
        self
    }

    /// Records the change as one about `record` at the node (a `kind:id` key of
    /// `audit_trail::record_key`): the record's history shows it.
    pub fn about_record(mut self, record: String) -> Self {
        self.record = Some(record);
        self
    }

    /// Records the change (`action` and what it changed) as the actor's at the node,
    /// and commits both.
    pub async fn commit(self, action: &str, details: serde_json::Value) -> Result<(), AppError> {
        let acting = self.authorized.actor.acting();
        let event = AuditEvent::at_node(acting, self.event_node, action, details, self.address);
        self.commit_event(event).await
    }

    /// As [`AuditedChange::commit`], for a change to the account or roles of
    /// `subject` at the node.
    pub async fn commit_about(
        self,
        subject: UserId,
        action: &str,
        details: serde_json::Value,
    ) -> Result<(), AppError> {
        let (acting, node, address) = (
            self.authorized.actor.acting(),
            self.event_node,
            self.address,
        );
        let event = AuditEvent::about_user(acting, subject, node, action, details, address);
        self.commit_event(event).await
    }

    async fn commit_event(mut self, mut event: AuditEvent<'_>) -> Result<(), AppError> {
        event.record = self.record.take();
        record(&mut self.tx, event).await?;
        self.tx.commit().await?;
        Ok(())
    }
}

impl std::ops::Deref for AuditedChange<'_> {
    type Target = Tx;

    fn deref(&self) -> &Tx {
        &self.tx
    }
}

impl std::ops::DerefMut for AuditedChange<'_> {
    fn deref_mut(&mut self) -> &mut Tx {
        &mut self.tx
    }
}
