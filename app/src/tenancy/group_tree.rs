//! The group tree: partners and groups to any depth, children loaded when a node is
//! opened, client counts per node, and keyboard use as in the WAI-ARIA tree pattern
//! (arrows move and open, Enter selects, Home and End jump).
//!
//! The whole visible tree comes from one request (`list_tree`), refetched when a node
//! opens or closes: a resource per node would be created in a different order while
//! hydrating than on the server, and hydration would fail.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

use super::api::list_tree;
use crate::components::error_panel::error_fallback;
use crate::core::url::format_path;
use crate::core::NodeId;
use crate::tenancy::TreeNode;
use crate::tr;

/// Shared by the tree and the panels beside it.
#[derive(Clone, Copy)]
pub struct TreeState {
    /// Ids from a root down to the selected node, as in the URL.
    pub selected_path: Signal<Vec<NodeId>>,
    /// The address that selects the node at the end of a path. Every node is a link
    /// there, so the tree works without JavaScript too.
    href: Callback<Vec<NodeId>, String>,
    navigate: Callback<String>,
    /// Bumped after every change, so the tree is fetched again.
    pub revision: RwSignal<u32>,
    opened: RwSignal<HashSet<NodeId>>,
    closed: RwSignal<HashSet<NodeId>>,
    /// The node to give focus back to once the tree has been drawn again.
    refocus: RwSignal<Option<NodeId>>,
    /// Whether the tree's own keyboard handling runs, which takes the app in the
    /// browser. Until then each link is a tab stop of its own: a roving tabindex
    /// without the arrow keys would leave every node but one out of reach.
    keyboard: RwSignal<bool>,
}

impl TreeState {
    pub fn new(selected_path: Signal<Vec<NodeId>>, href: Callback<Vec<NodeId>, String>) -> Self {
        let navigate = use_navigate();
        // A page opened at a node shows what lies inside it: without JavaScript,
        // following the links is how one goes down the tree. The server and the
        // browser both read this from the URL, so they draw the same tree.
        let opened =
            selected_path.with_untracked(|path| path.last().copied().into_iter().collect());
        Self {
            selected_path,
            href,
            navigate: Callback::new(move |to: String| navigate(&to, Default::default())),
            revision: RwSignal::new(0),
            opened: RwSignal::new(opened),
            closed: RwSignal::new(HashSet::new()),
            refocus: RwSignal::new(None),
            keyboard: RwSignal::new(false),
        }
    }

    /// Goes to the node at the end of `path`, as following its link would.
    pub fn select(&self, path: Vec<NodeId>) {
        self.navigate.run(untrack(|| self.href.run(path)));
    }

    /// `tabindex` once the tree's keyboard handling runs; none before.
    fn roving(&self, tabindex: &'static str) -> Option<&'static str> {
        self.keyboard.get().then_some(tabindex)
    }

    /// What to ask the server for: the selected node's ancestors and whatever the
    /// person opened stay open, unless they closed it.
    fn request(&self) -> (String, String) {
        let closed = self.closed.get();
        let mut open: Vec<NodeId> = self.opened.get().into_iter().collect();
        let path = self.selected_path.get();
        open.extend(path.iter().take(path.len().saturating_sub(1)));
        open.retain(|id| !closed.contains(id));
        open.sort();
        open.dedup();
        let mut closed: Vec<NodeId> = closed.into_iter().collect();
        closed.sort();
        (format_path(&open), format_path(&closed))
    }

    fn toggle(&self, node: NodeId, is_open: bool) {
        self.refocus.set(Some(node));
        if is_open {
            self.opened.update(|set| {
                set.remove(&node);
            });
            self.closed.update(|set| {
                set.insert(node);
            });
        } else {
            self.closed.update(|set| {
                set.remove(&node);
            });
            self.opened.update(|set| {
                set.insert(node);
            });
        }
    }
}

#[component]
pub fn GroupTree() -> impl IntoView {
    let tree = expect_context::<TreeState>();
    let snapshot = Resource::new(
        move || (tree.revision.get(), tree.request()),
        |(_, (open, closed))| list_tree(open, closed),
    );
    // Effects run in the browser only, once the tree has hydrated: from then on the
    // keys below work.
    Effect::new(move |_| tree.keyboard.set(true));
    // Redrawing the tree loses focus: give it back to the node that had it.
    Effect::new(move |_| {
        snapshot.track();
        if let Some(node) = tree.refocus.get_untracked() {
            request_animation_frame(move || focus_node(node));
        }
    });
    view! {
        <Transition fallback=|| view! { <p class="muted tree-loading">{tr!(groups.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    snapshot
                        .await
                        .map(|snapshot| {
                            let empty = snapshot.roots.is_empty();
                            let children: HashMap<NodeId, Vec<TreeNode>> = snapshot
                                .children
                                .into_iter()
                                .collect();
                            view! {
                                <ul
                                    class="tree"
                                    role="tree"
                                    aria-label=tr!(groups.title)
                                    tabindex=move || {
                                        tree.roving(
                                            if tree.selected_path.read().is_empty() { "0" } else { "-1" },
                                        )
                                    }
                                    on:keydown=move |event| on_tree_key(tree, event)
                                >
                                    {snapshot
                                        .roots
                                        .into_iter()
                                        .map(|node| tree_item(tree, node, Vec::new(), &children))
                                        .collect_view()}
                                </ul>
                                {empty
                                    .then(|| {
                                        view! {
                                            <p class="muted">{tr!(groups.none)}</p>
                                        }
                                    })}
                            }
                        })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// One node and, when open, its children. Recursive, so its view is type-erased.
fn tree_item(
    tree: TreeState,
    node: TreeNode,
    ancestors: Vec<NodeId>,
    children: &HashMap<NodeId, Vec<TreeNode>>,
) -> AnyView {
    let id = node.id;
    let mut path = ancestors;
    path.push(id);
    let expandable = node.child_groups > 0;
    let shown = children.get(&id).filter(|_| expandable);
    let is_open = shown.is_some();
    let is_selected = move || tree.selected_path.read().last() == Some(&id);
    let child_views = shown.map(|list| {
        let items = list
            .iter()
            .cloned()
            .map(|child| tree_item(tree, child, path.clone(), children))
            .collect_view();
        view! { <ul role="group">{items}</ul> }
    });
    let href = move || tree.href.run(path.clone());
    view! {
        <li
            role="treeitem"
            class="tree-item"
            aria-expanded=expandable.then(|| is_open.to_string())
            aria-selected=move || is_selected().to_string()
            tabindex=move || tree.roving(if is_selected() { "0" } else { "-1" })
            data-node=id.0
        >
            <div class="tree-row" class:selected=is_selected>
                // Opens and closes in place; without JavaScript it follows the link,
                // which shows the node open.
                <a
                    class="twisty"
                    class:open=is_open
                    class:leaf=!expandable
                    href=href.clone()
                    tabindex="-1"
                    aria-hidden="true"
                    on:click=move |event| {
                        event.prevent_default();
                        tree.toggle(id, is_open);
                    }
                ></a>
                <a class="tree-link" href=href tabindex=move || tree.roving("-1")>
                    <span class="tree-name">{node.name}</span>
                    <span class="tree-count" title=tr!(groups.client_accounts)>
                        {node.clients}
                    </span>
                </a>
            </div>
            {child_views}
        </li>
    }
    .into_any()
}

fn focus_node(node: NodeId) {
    let element = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| {
            document
                .query_selector(&format!("[role=treeitem][data-node=\"{}\"]", node.0))
                .ok()
                .flatten()
        })
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// The place in `items` of the treeitem that has focus, or holds it: a click on a
/// node's link focuses the link.
fn focused_item(items: &[web_sys::HtmlElement]) -> Option<usize> {
    let focused = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.active_element())?;
    let item = focused.closest("[role=treeitem]").ok().flatten()?;
    items
        .iter()
        .position(|candidate| candidate.is_same_node(Some(&item)))
}

/// Keyboard use of the tree. Only open nodes' children are rendered, so the DOM order
/// of treeitems is exactly the visible order.
fn on_tree_key(tree: TreeState, event: leptos::ev::KeyboardEvent) {
    let Some(root) = event
        .current_target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let Ok(list) = root.query_selector_all("[role=treeitem]") else {
        return;
    };
    let items: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    if items.is_empty() {
        return;
    }
    let current = focused_item(&items);
    let item = |index: usize| items.get(index.min(items.len() - 1));
    let node_of = |element: &web_sys::HtmlElement| {
        element
            .get_attribute("data-node")
            .and_then(|id| id.parse().ok())
            .map(NodeId)
    };
    let expanded = |element: &web_sys::HtmlElement| element.get_attribute("aria-expanded");

    let target = match (event.key().as_str(), current) {
        ("ArrowDown", None) | ("Home", _) => item(0),
        ("End", _) => item(items.len() - 1),
        ("ArrowDown", Some(index)) => item(index + 1),
        ("ArrowUp", Some(index)) => item(index.saturating_sub(1)),
        ("ArrowRight", Some(index)) => match expanded(&items[index]).as_deref() {
            Some("false") => {
                if let Some(node) = node_of(&items[index]) {
                    tree.toggle(node, false);
                }
                None
            }
            Some("true") => item(index + 1),
            _ => None,
        },
        ("ArrowLeft", Some(index)) => {
            let element = &items[index];
            if expanded(element).as_deref() == Some("true") {
                if let Some(node) = node_of(element) {
                    tree.toggle(node, true);
                }
                None
            } else {
                let parent = element
                    .parent_element()
                    .and_then(|group| group.closest("[role=treeitem]").ok().flatten());
                parent.and_then(|parent| items.iter().find(|item| item.is_same_node(Some(&parent))))
            }
        }
        ("Enter" | " ", Some(index)) => {
            if let Ok(Some(link)) = items[index].query_selector(":scope > .tree-row > .tree-link") {
                if let Ok(link) = link.dyn_into::<web_sys::HtmlElement>() {
                    tree.refocus.set(node_of(&items[index]));
                    link.click();
                }
            }
            None
        }
        _ => return,
    };
    event.prevent_default();
    if let Some(target) = target {
        // A redraw still on its way (after a selection) gives focus back to where the
        // person moved it since, not to where it was.
        if tree.refocus.get_untracked().is_some() {
            tree.refocus.set(node_of(target));
        }
        let _ = target.focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::url::{format_path, parse_path};

    #[test]
    fn paths_round_trip_through_the_url() {
        let path = vec![NodeId(2), NodeId(17), NodeId(305)];
        assert_eq!(format_path(&path), "2.17.305");
        assert_eq!(parse_path(Some("2.17.305")), path);
        assert_eq!(parse_path(Some("2.x.5")), vec![NodeId(2), NodeId(5)]);
        assert!(parse_path(None).is_empty());
    }
}
