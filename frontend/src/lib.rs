//! The browser entry point: hydrates the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Server functions redirect only when the session changes (sign-in, sign-out,
    // password change). Load the target page in full then, so nothing loaded for the
    // previous session survives. The first hook set wins, so this precedes the router's.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|location| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().assign(location);
        }
    });
    leptos::mount::hydrate_body(app::App);
}
