//! The operator preview: the document the platform's operators get, exactly as the
//! API sends it.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::get_operator_preview;
use super::OperatorPreview;
use crate::briefing::seen::OperatorsSeenNote;
use crate::briefing::use_account_query;
use crate::components::error_panel::error_fallback;
use crate::paths;

#[component]
pub fn OperatorPreviewPage() -> impl IntoView {
    let account = use_account_query();
    let preview = Resource::new(move || account.get(), get_operator_preview);
    view! {
        <Title text="Operator preview" />
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    preview.await.map(|preview| view! { <Preview preview /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn Preview(preview: OperatorPreview) -> impl IntoView {
    let request = format!("GET /api/v1/operator-view?account={}", preview.account.0);
    view! {
        <a class="back-link" href=paths::for_account(paths::STATUS, preview.account)>"← Status for operators"</a>
        <header class="page-header">
            <p class="eyebrow">{preview.account_name.clone()}</p>
            <h1>"Operator preview"</h1>
            <p class="muted">
                "Exactly what the platform gets for this account now, from "
                <code>"GET /api/v1/operator-view"</code>
                " with an API key that may read it."
            </p>
        </header>
        <OperatorsSeenNote seen=preview.seen.clone() />
        <section class="card" aria-labelledby="document-heading">
            <h2 id="document-heading">"The document"</h2>
            <p class="muted">"ETag " <code class="etag">{preview.etag.clone()}</code></p>
            <pre class="operator-document" tabindex="0" aria-label="Operator view document">{preview.body.clone()}</pre>
            <p class="muted">
                "To fetch it yourself: " <code class="command">{request}</code>
                " with the header " <code>"Authorization: Bearer sbk_…"</code>
                " and a key of this account's (or its partner's) that may read it."
            </p>
        </section>
    }
}
