//! Pages that edit a record reload it after each change: a revision counter their
//! resource depends on, and actions that bump it when they succeed.

use std::future::Future;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::components::error_panel::error_fallback;
use crate::error::AppError;

/// Bumped after every successful change, so the page loads its record again.
#[derive(Clone, Copy)]
pub struct Revision(pub RwSignal<u32>);

impl Revision {
    pub fn new() -> Self {
        Self(RwSignal::new(0))
    }

    pub fn bump(self) {
        self.0.update(|n| *n += 1);
    }

    pub fn reload(self) -> Callback<()> {
        Callback::new(move |()| self.bump())
    }

    /// Draws the `record` just loaded, anew for each revision: redrawn in place, the
    /// old forms would keep what was typed in them.
    pub fn draw<T, V>(
        self,
        record: T,
        draw: impl Fn(T) -> V + Clone + Send + Sync + 'static,
    ) -> impl IntoView
    where
        T: Clone + Send + Sync + 'static,
        V: IntoView + 'static,
    {
        let loaded = self.0.get_untracked();
        view! {
            <For
                each=move || [(loaded, record.clone())]
                key=|(loaded, _)| *loaded
                children=move |(_, record)| draw(record)
            />
        }
    }
}

/// The page of one record, the one whose id is the `:id` of the address: loaded by
/// `load`, drawn by `draw`, and loaded and drawn again at each revision, which it
/// provides to what it draws. An address without a number finds nothing.
pub fn record_page<T, Loading, V>(
    load: impl Fn(i64) -> Loading + Copy + Send + Sync + 'static,
    draw: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    Loading: Future<Output = Result<T, AppError>> + Send + 'static,
    V: IntoView + 'static,
{
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    });
    let revision = Revision::new();
    provide_context(revision);
    let record = Resource::new(
        move || (id.get(), revision.0.get()),
        move |(id, _)| async move {
            match id {
                Some(id) => load(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">{crate::tr!(common.loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || {
                    let draw = draw.clone();
                    Suspend::new(async move { record.await.map(|record| revision.draw(record, draw)) })
                }}
            </ErrorBoundary>
        </Transition>
    }
}

impl Default for Revision {
    fn default() -> Self {
        Self::new()
    }
}

/// "Saved", for a form drawn anew after each save: the revision its last save led to,
/// kept outside the form, so that the form drawn from the saved record says it (the
/// one it replaces would lose what is typed before the new one is drawn).
#[derive(Clone, Copy)]
pub struct SavedAt(RwSignal<Option<u32>>);

impl SavedAt {
    pub fn new() -> Self {
        Self(RwSignal::new(None))
    }

    /// Reloads the record after each successful run of `action` and remembers it; a
    /// new submission forgets it until it succeeds. Called by the form drawn at each
    /// revision.
    pub fn track<I>(self, revision: Revision, action: ServerAction<I>)
    where
        I: leptos::server_fn::ServerFn<Output = (), Error = AppError>
            + Clone
            + Send
            + Sync
            + 'static,
    {
        on_success(action, move |_: &()| {
            revision.bump();
            self.0.set(Some(revision.0.get_untracked()));
        });
        Effect::new(move |_| {
            if action.pending().get() {
                self.0.set(None);
            }
        });
    }

    /// Whether the form being drawn now comes from the last save.
    pub fn shown_in(self, revision: Revision) -> impl Fn() -> bool + Copy + Send + Sync {
        let drawn = revision.0.get_untracked();
        move || self.0.get() == Some(drawn)
    }
}

impl Default for SavedAt {
    fn default() -> Self {
        Self::new()
    }
}

/// Runs `then` with the output of each successful run of `action`.
pub fn on_success<I, O>(action: ServerAction<I>, then: impl Fn(&O) + 'static)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(output)) = action.value().get() {
            then(&output);
        }
    });
}
