use leptos::prelude::*;

use crate::core::Language;
use crate::i18n::Locale;
use crate::tr;

/// A button that shows the page again in the other language: a plain form posted to
/// `action` (a server function taking `language` and `next`), so the whole page is
/// drawn again in it, with JavaScript or without.
#[component]
pub fn LanguageSwitch(
    action: &'static str,
    next: impl Fn() -> String + Send + Sync + 'static,
) -> impl IntoView {
    let other = match crate::core::words::current() {
        Locale::en => Language::French,
        Locale::fr => Language::English,
    };
    view! {
        <form method="post" action=action class="language-switch">
            <input type="hidden" name="language" value=other.key() />
            <input type="hidden" name="next" prop:value=next />
            <button
                type="submit"
                class="link-button"
                lang=other.key()
                aria-label=tr!(language.switch_label)
            >
                {tr!(language.switch)}
            </button>
        </form>
    }
}
