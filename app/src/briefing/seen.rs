//! The line beside what operators read that says whether they have fetched it.

use leptos::prelude::*;

use super::OperatorsSeen;

#[component]
pub fn OperatorsSeenNote(seen: OperatorsSeen) -> impl IntoView {
    let class = if seen.current {
        "operators-seen"
    } else {
        "operators-seen pending"
    };
    view! {
        <p class=class role="status">
            <span class="seen-mark" aria-hidden="true">{if seen.current { "✓" } else { "!" }}</span>
            {seen.sentence()}
        </p>
    }
}
