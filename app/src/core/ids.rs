//! The identities every feature refers to: nodes of the tenancy tree, people and
//! impersonations, and the kinds of node.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NodeId(pub i64);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ImpersonationId(pub i64);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NodeKind {
    Platform,
    Partner,
    Group,
    Client,
}

impl NodeKind {
    pub fn key(self) -> &'static str {
        match self {
            NodeKind::Platform => "platform",
            NodeKind::Partner => "partner",
            NodeKind::Group => "group",
            NodeKind::Client => "client",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [
            NodeKind::Platform,
            NodeKind::Partner,
            NodeKind::Group,
            NodeKind::Client,
        ]
        .into_iter()
        .find(|kind| kind.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            NodeKind::Platform => crate::tr!(labels.node_kind.platform),
            NodeKind::Partner => crate::tr!(labels.node_kind.partner),
            NodeKind::Group => crate::tr!(labels.node_kind.group),
            NodeKind::Client => crate::tr!(labels.node_kind.client),
        }
    }
}
