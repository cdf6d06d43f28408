use leptos::prelude::*;

/// The product mark: a switchboard jack, and the product name.
#[component]
pub fn Logo() -> impl IntoView {
    view! {
        <span class="logo">
            <svg class="logo-mark" viewBox="0 0 32 32" aria-hidden="true">
                <rect width="32" height="32" rx="8" class="logo-tile" />
                <circle cx="11" cy="11" r="3.2" class="logo-dot" />
                <circle cx="21" cy="11" r="3.2" class="logo-dot" />
                <circle cx="11" cy="21" r="3.2" class="logo-dot" />
                <circle cx="21" cy="21" r="3.2" class="logo-dot on" />
                <path d="M11 11 C 16 14, 16 18, 21 21" class="logo-cord" />
            </svg>
            <span class="logo-name">"Switchboard"</span>
        </span>
    }
}
