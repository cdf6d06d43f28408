//! The home page: each person's starting point, shaped by where they hold roles.

pub mod api;
pub mod home_page;

use serde::{Deserialize, Serialize};

use crate::briefing::OperatorsSeen;
use crate::core::roles::Role;
use crate::core::{NodeId, NodeKind};
use crate::inbox::InboxSummary;
use crate::oncall::OnCallNow;
use crate::tenancy::SubtreeCounts;

/// A node where the signed-in person holds roles directly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub node: NodeId,
    pub name: String,
    pub kind: NodeKind,
    /// Names of the ancestors, from the top.
    pub path: Vec<String>,
    pub roles: Vec<Role>,
    /// Only for people who may see the nodes below.
    pub below: Option<SubtreeCounts>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeView {
    pub title: String,
    pub places: Vec<Place>,
    /// The inbox of the account the person works in, when they read it.
    pub inbox: Option<InboxSummary>,
    /// What operators read about that account, when they may see it.
    pub operators: Option<OperatorsAtHome>,
    /// The open tasks there: the person's own, or all when they see all.
    pub tasks: Option<crate::tasks::TasksAtHome>,
}

/// The status operators read first, and who is on call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorsAtHome {
    pub status: String,
    pub until: Option<String>,
    pub on_call: OnCallNow,
    pub seen: OperatorsSeen,
    pub can_edit: bool,
}

impl HomeView {
    pub fn new(places: Vec<Place>) -> Self {
        Self {
            title: home_title(&places),
            places,
            inbox: None,
            operators: None,
            tasks: None,
        }
    }
}

fn home_title(places: &[Place]) -> String {
    match places {
        [] => crate::tr!(home.title.welcome).to_string(),
        [only] if only.kind == NodeKind::Platform => crate::tr!(home.title.platform).to_string(),
        [only] => only.name.clone(),
        _ => crate::tr!(home.title.several).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(name: &str, kind: NodeKind) -> Place {
        Place {
            node: NodeId(1),
            name: name.into(),
            kind,
            path: vec![],
            roles: vec![],
            below: None,
        }
    }

    #[test]
    fn title_names_the_one_place_or_sums_up_several() {
        assert_eq!(HomeView::new(vec![]).title, "Welcome");
        assert_eq!(
            HomeView::new(vec![place("Switchboard", NodeKind::Platform)]).title,
            "Platform overview"
        );
        assert_eq!(
            HomeView::new(vec![place("Harbor Dental", NodeKind::Client)]).title,
            "Harbor Dental"
        );
        assert_eq!(
            HomeView::new(vec![
                place("East", NodeKind::Group),
                place("West", NodeKind::Group)
            ])
            .title,
            "Your workspaces"
        );
    }
}
