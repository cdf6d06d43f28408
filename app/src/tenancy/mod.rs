//! The tenancy tree (PRODUCT.md §1): platform → partners → groups (any depth) → clients.

#[cfg(feature = "ssr")]
pub mod repo;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NodeId(pub i64);

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
            NodeKind::Platform => "Platform",
            NodeKind::Partner => "Partner",
            NodeKind::Group => "Group",
            NodeKind::Client => "Client account",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    pub id: NodeId,
    pub parent_id: Option<NodeId>,
    pub kind: NodeKind,
    pub name: String,
    pub version: i64,
}

/// How many nodes of each kind lie below a node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubtreeCounts {
    pub partners: i64,
    pub groups: i64,
    pub clients: i64,
}
