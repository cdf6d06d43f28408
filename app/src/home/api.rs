use leptos::prelude::*;

use super::HomeView;
use crate::error::AppError;

/// Signed in: the actor's own places; counts below a place only where they may view
/// nodes. Client accounts are shown without the tree above them: a client's view
/// never names the platform or the partner's internal groups.
#[server]
pub async fn get_home() -> Result<HomeView, AppError> {
    use super::Place;
    use crate::core::roles::Permission;
    use crate::core::NodeKind;
    use crate::tenancy::repo::{path_names, subtree_counts};

    let caller = crate::auth::caller::Caller::current().await?;
    let actor = &caller.actor;
    let pool = caller.db().pool();
    let mut places = Vec::with_capacity(actor.memberships().len());
    for membership in actor.memberships() {
        let is_client = membership.node_kind == NodeKind::Client;
        let may_view = actor
            .held_through(membership)
            .contains(Permission::ViewNodes);
        let below = if may_view && !is_client {
            Some(subtree_counts(pool, membership.node_id).await?)
        } else {
            None
        };
        let path = if is_client {
            Vec::new()
        } else {
            path_names(pool, membership.node_id).await?
        };
        places.push(Place {
            node: membership.node_id,
            name: membership.node_name.clone(),
            kind: membership.node_kind,
            path,
            roles: membership.roles.roles().to_vec(),
            below,
        });
    }
    Ok(HomeView {
        inbox: crate::inbox::service::summary(&caller).await?,
        operators: operators_at_home(&caller).await?,
        tasks: crate::tasks::service::at_home(&caller).await?,
        ..HomeView::new(places)
    })
}

/// The status and who is on call, for someone who reads the briefing of the account
/// they work in; nothing for anyone else.
#[cfg(feature = "ssr")]
async fn operators_at_home(
    caller: &crate::auth::caller::Caller,
) -> Result<Option<super::OperatorsAtHome>, AppError> {
    use crate::briefing::service::{operators_seen, reading, status_line};
    if caller.actor.account().is_none() {
        return Ok(None);
    }
    let access = match reading(caller, None).await {
        Ok(access) => access,
        Err(AppError::Forbidden(_) | AppError::NotFound) => return Ok(None),
        Err(error) => return Err(error),
    };
    let (status, until) = status_line(caller.db(), &access).await?;
    Ok(Some(super::OperatorsAtHome {
        status,
        until,
        on_call: crate::oncall::service::on_call_for(caller.db(), access.account, &access.zone)
            .await?,
        seen: operators_seen(caller.db(), &access).await?,
        can_edit: access.can_edit(),
    }))
}
