//! The tenancy tree: platform → partners → groups (any depth) → clients.

pub mod api;
pub mod brand;
pub mod group_tree;
#[cfg(feature = "ssr")]
pub mod groups;
pub mod groups_page;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod settings;
pub mod settings_page;
#[cfg(feature = "ssr")]
pub mod settings_repo;

use crate::core::{NodeId, NodeKind};
use serde::{Deserialize, Serialize};

/// The node named by the page's `:id` route segment, if it names one.
pub fn use_node_id_param() -> leptos::prelude::Memo<Option<NodeId>> {
    use leptos::prelude::*;
    let params = leptos_router::hooks::use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse().ok())
            .map(NodeId)
    })
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

/// A partner or group as the tree shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeNode {
    pub id: NodeId,
    pub parent_id: Option<NodeId>,
    pub kind: NodeKind,
    pub name: String,
    pub version: i64,
    /// Partners and groups directly below: whether the node can be expanded.
    pub child_groups: i64,
    /// Client accounts anywhere below.
    pub clients: i64,
}

/// The visible part of the tree: the roots, and the children of every open node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeSnapshot {
    pub roots: Vec<TreeNode>,
    pub children: Vec<(NodeId, Vec<TreeNode>)>,
}

/// One partner or group with what the viewer may do to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    pub node: TreeNode,
    /// Names from the top of the viewer's tree down to the node's parent.
    pub path: Vec<String>,
    pub can_manage: bool,
    /// Where the group may move; empty unless the viewer may move it.
    pub move_targets: Vec<MoveTarget>,
}

/// A place a group may move to, labelled with its path below the partner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveTarget {
    pub id: NodeId,
    pub label: String,
}

/// A partner's brand and what it may grant its clients.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerSettings {
    pub partner: NodeId,
    pub product_name: String,
    pub logo_url: String,
    pub primary_colour: String,
    pub accent_colour: String,
    pub support_email: String,
    pub grantable_features: Vec<crate::core::Feature>,
    /// Host names on which requests are rendered in this partner's brand.
    pub domains: Vec<String>,
    /// How its clients' calls are rounded into voice units.
    pub voice_rule: crate::core::voice::VoiceRule,
    pub version: i64,
}

/// The partner settings form as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerSettingsForm {
    pub product_name: String,
    pub logo_url: String,
    pub primary_colour: String,
    pub accent_colour: String,
    pub support_email: String,
    /// Host names, one per line.
    pub domains: String,
    /// Keys of the features clients may be given, posted as `features[]`.
    #[serde(default)]
    pub features: Vec<String>,
    /// The voice rounding rule's seconds, as typed.
    pub voice_initial: String,
    pub voice_increment: String,
    pub voice_free_under: String,
}

/// A partner's settings as its settings page shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerSettingsView {
    pub partner_name: String,
    pub settings: PartnerSettings,
}

pub const MAX_GROUP_NAME: usize = 80;

/// A readable reason why `name` cannot name a group, if it cannot.
pub fn group_name_problem(name: &str) -> Option<String> {
    let length = name.trim().chars().count();
    if length == 0 {
        Some(crate::tr!(groups.errors.enter_name).to_string())
    } else if length > MAX_GROUP_NAME {
        Some(crate::tr!(
            errors.at_most_characters,
            count = MAX_GROUP_NAME
        ))
    } else {
        None
    }
}
