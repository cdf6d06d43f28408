//! Who calls a server function, from where, and the state to answer with: what every
//! service takes, so its checks and its audit record read from one place.

use leptos::prelude::use_context;

use super::actor::{ready, remembered, Actor, ActorOfRequest};
use crate::db::Db;
use crate::error::AppError;
use crate::request::Requester;
use crate::state::AppState;

#[derive(Clone, Debug)]
pub struct Caller {
    pub state: AppState,
    pub actor: Actor,
    /// The client's address, as the audit log records it.
    pub address: String,
}

impl Caller {
    pub fn new(state: AppState, actor: Actor, address: impl Into<String>) -> Caller {
        Caller {
            state,
            actor,
            address: address.into(),
        }
    }

    /// The caller of the request being handled, with nothing left to do first.
    pub async fn current() -> Result<Caller, AppError> {
        let caller = Caller::signed_in().await?;
        Ok(Caller {
            actor: ready(caller.actor)?,
            ..caller
        })
    }

    /// The caller acting as themselves, even with an obligation still to meet: for
    /// what meets it (verifying their email or phone).
    pub async fn current_as_self() -> Result<Caller, AppError> {
        let caller = Caller::signed_in().await?;
        caller
            .actor
            .not_impersonating(crate::tr!(as_yourself.this))?;
        Ok(caller)
    }

    /// The caller, even with an obligation still to meet: for what shows it.
    pub async fn signed_in() -> Result<Caller, AppError> {
        // Read the request before the first await: while a page renders on the
        // server, the request's context is not reachable from a resource after it
        // awaited.
        let state = crate::request::state()?;
        let client = Requester::current(&state)?;
        let memo = use_context::<ActorOfRequest>();
        let actor = remembered(&state, &client, memo).await?;
        Ok(Caller::new(state, actor, client.address))
    }

    pub fn db(&self) -> &Db {
        &self.state.db
    }
}
