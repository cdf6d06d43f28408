use leptos::prelude::*;

use super::HomeView;
use crate::error::AppError;

/// Signed in: the actor's own places; counts below a place only where they may view nodes.
#[server]
pub async fn get_home() -> Result<HomeView, AppError> {
    use super::Place;
    use crate::auth::{guard, roles::Permission};
    use crate::tenancy::repo::{path_names, subtree_counts};

    let state = crate::request::state()?;
    let actor = guard::actor(&state).await?;
    let pool = state.db.pool();
    let mut places = Vec::with_capacity(actor.memberships.len());
    for membership in &actor.memberships {
        let may_view = membership
            .roles
            .permissions()
            .contains(Permission::ViewNodes);
        let below = if may_view {
            Some(subtree_counts(pool, membership.node_id).await?)
        } else {
            None
        };
        places.push(Place {
            node: membership.node_id,
            name: membership.node_name.clone(),
            kind: membership.node_kind,
            path: path_names(pool, membership.node_id).await?,
            roles: membership.roles.roles().to_vec(),
            below,
        });
    }
    Ok(HomeView::new(places))
}
