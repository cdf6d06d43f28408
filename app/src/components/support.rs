use leptos::prelude::*;

use crate::components::brand::BrandResource;

/// The brand's support address as a mail link, where the brand has one: people ask
/// the partner they know for help, never the platform behind it. With `lead`, a line
/// of text ending in the address; without, a "Contact support" menu link.
#[component]
pub fn SupportLink(
    brand: BrandResource,
    #[prop(into, optional)] lead: Option<String>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let lead = lead.clone();
                Suspend::new(async move {
                let email = brand.await.ok()?.support_email;
                if email.is_empty() {
                    return None;
                }
                let href = format!("mailto:{email}");
                Some(match lead {
                    Some(lead) => {
                        view! { <p class="muted">{lead} " " <a href=href>{email}</a></p> }
                            .into_any()
                    }
                    None => view! { <a href=href>{crate::tr!(menu.contact_support)}</a> }.into_any(),
                })
                })
            }}
        </Suspense>
    }
}
