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
use crate::tr;

#[component]
pub fn OperatorPreviewPage() -> impl IntoView {
    let account = use_account_query();
    let preview = Resource::new(move || account.get(), get_operator_preview);
    view! {
        <Title text=tr!(operator_preview.title) />
        <Suspense fallback=|| view! { <p class="muted">{tr!(common.loading)}</p> }>
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
        <a class="back-link" href=paths::for_account(paths::STATUS, preview.account)>{tr!(operator_preview.back)}</a>
        <header class="page-header">
            <p class="eyebrow">{preview.account_name.clone()}</p>
            <h1>{tr!(operator_preview.title)}</h1>
            <p class="muted">
                {tr!(operator_preview.lead_before)}
                <code>"GET /api/v1/operator-view"</code>
                {tr!(operator_preview.lead_after)}
            </p>
        </header>
        <OperatorsSeenNote seen=preview.seen.clone() />
        <section class="card" aria-labelledby="document-heading">
            <h2 id="document-heading">{tr!(operator_preview.document)}</h2>
            <p class="muted">"ETag " <code class="etag">{preview.etag.clone()}</code></p>
            <pre class="operator-document" tabindex="0" aria-label=tr!(operator_preview.document_label)>{preview.body.clone()}</pre>
            <p class="muted">
                {tr!(operator_preview.fetch_before)} <code class="command">{request}</code>
                {tr!(operator_preview.fetch_header)} <code>"Authorization: Bearer sbk_…"</code>
                {tr!(operator_preview.fetch_after)}
            </p>
        </section>
    }
}
