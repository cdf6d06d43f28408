//! Moving a contact or a resource up or down its list: a button each way, forms
//! that work before the app has loaded.

use leptos::prelude::*;

use super::api::MoveBriefingItem;
use crate::tr;

/// The up and down buttons of row `id` of `list` ("contacts" or "resources"), named
/// for people who hear them by the row's `name`.
#[component]
pub fn ReorderButtons(
    list: &'static str,
    id: i64,
    name: String,
    first: bool,
    last: bool,
    action: ServerAction<MoveBriefingItem>,
) -> impl IntoView {
    let button = move |direction: &'static str,
                       symbol: &'static str,
                       label: String,
                       disabled: bool| {
        view! {
            <ActionForm action>
                <input type="hidden" name="list" value=list />
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="direction" value=direction />
                <button type="submit" class="button icon-button" aria-label=label disabled=disabled>
                    {symbol}
                </button>
            </ActionForm>
        }
    };
    view! {
        <div class="reorder">
            {button("up", "↑", tr!(briefing.move_up, name = name.clone()), first)}
            {button("down", "↓", tr!(briefing.move_down, name = name.clone()), last)}
        </div>
    }
}
