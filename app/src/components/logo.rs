use leptos::prelude::*;

use crate::components::brand::BrandResource;
use crate::core::brand::Brand;

/// The brand's logo and product name: the partner's logo where it has one, otherwise
/// the product mark, a switchboard jack. Drawn once the brand is known, on the server
/// as in the browser.
#[component]
pub fn Logo(brand: BrandResource) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <span class="logo"></span> }>
            {move || Suspend::new(async move {
                let brand = brand.await.unwrap_or_else(|_| Brand::platform());
                let mark = if brand.logo_url.is_empty() {
                    view! { <ProductMark /> }.into_any()
                } else {
                    view! { <img class="logo-image" src=brand.logo_url alt="" /> }.into_any()
                };
                view! {
                    <span class="logo">
                        {mark}
                        <span class="logo-name">{brand.product_name}</span>
                    </span>
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProductMark() -> impl IntoView {
    view! {
            <svg class="logo-mark" viewBox="0 0 32 32" aria-hidden="true">
                <rect width="32" height="32" rx="8" class="logo-tile" />
                <circle cx="11" cy="11" r="3.2" class="logo-dot" />
                <circle cx="21" cy="11" r="3.2" class="logo-dot" />
                <circle cx="11" cy="21" r="3.2" class="logo-dot" />
                <circle cx="21" cy="21" r="3.2" class="logo-dot on" />
                <path d="M11 11 C 16 14, 16 18, 21 21" class="logo-cord" />
            </svg>
    }
}
