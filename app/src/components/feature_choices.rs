use leptos::prelude::*;

use crate::core::Feature;

/// A checkbox per feature the partner may grant, posted as `features[]`.
#[component]
pub fn FeatureChoices(
    offered: Vec<Feature>,
    checked: Vec<Feature>,
    error: Signal<Option<String>>,
    #[prop(optional, into)] legend: Option<String>,
) -> impl IntoView {
    let empty = offered.is_empty();
    view! {
        <fieldset class="field choices" class:has-error=move || error.read().is_some()>
            <legend>{legend.unwrap_or_else(|| crate::tr!(clients.features.legend).to_string())}</legend>
            {offered
                .into_iter()
                .map(|feature| {
                    view! {
                        <label class="checkbox">
                            <input
                                type="checkbox"
                                name="features[]"
                                value=feature.key()
                                checked=checked.contains(&feature)
                            />
                            {feature.label()}
                        </label>
                    }
                })
                .collect_view()}
            {empty.then(|| view! { <p class="muted">{crate::tr!(clients.features.none)}</p> })}
            <p class="field-message">{move || error.get()}</p>
        </fieldset>
    }
}
