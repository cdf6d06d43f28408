//! A record's history as a list of steps, oldest first: what happened and when.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One step of a record's history, already worded for the reader.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailStep {
    pub at: String,
    pub what: String,
}

/// A card titled `heading` listing `steps`; `id` names its heading for the region's label.
#[component]
pub fn Trail(heading: &'static str, id: &'static str, steps: Vec<TrailStep>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby=id>
            <h2 id=id>{heading}</h2>
            <ol class="trail">
                {steps
                    .into_iter()
                    .map(|step| {
                        view! {
                            <li>
                                <span class="trail-what">{step.what}</span>
                                <time class="muted">{step.at}</time>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
