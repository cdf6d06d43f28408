//! A secret shown once (a temporary password, an activation link): a lead-in and the
//! value in a box to copy from.

use leptos::prelude::*;

#[component]
pub fn Secret(
    #[prop(into)] lead: String,
    #[prop(into)] value: String,
    /// The value's accessible name, for finding it among the page's text.
    #[prop(into, optional)]
    label: Option<String>,
) -> impl IntoView {
    view! {
        <div class="secret">
            <p>{lead}</p>
            <code class="secret-value" aria-label=label>
                {value}
            </code>
        </div>
    }
}
