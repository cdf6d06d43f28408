//! One labelled fact in a `<dl class="facts">`: a term and its value, a dash when
//! there is none.

use leptos::prelude::*;

#[component]
pub fn Fact(term: &'static str, value: String) -> impl IntoView {
    view! {
        <div>
            <dt>{term}</dt>
            <dd>{if value.is_empty() { "—".to_string() } else { value }}</dd>
        </div>
    }
}
