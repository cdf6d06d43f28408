//! How a page says it could not be shown.

use leptos::prelude::*;

use crate::error::AppError;

/// A full-page view of an error, for error boundaries and failed page loads.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    let sign_in = matches!(error, AppError::Unauthenticated);
    view! {
        <section class="error-panel" role="alert">
            <h2>{crate::tr!(errors.page_failed)}</h2>
            <p>{error.to_string()}</p>
            {sign_in.then(|| view! { <a class="button" href=crate::paths::LOGIN>{crate::tr!(sign_in.submit)}</a> })}
        </section>
    }
}

/// Shows the first `AppError` caught by an `ErrorBoundary`.
pub fn error_fallback(errors: ArcRwSignal<Errors>) -> impl IntoView {
    move || {
        let error = errors
            .read()
            .iter()
            .find_map(|(_, error)| error.downcast_ref::<AppError>().cloned())
            .unwrap_or(AppError::Internal);
        view! { <ErrorPanel error /> }
    }
}
