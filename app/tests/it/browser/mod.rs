//! Requests as a browser at some address makes them.

use app::request::Requester;

/// A browser at `address`, as its request's connection gives it.
pub fn client_at(address: &str) -> Requester {
    let socket: std::net::SocketAddr = format!("{address}:4000").parse().unwrap();
    let (parts, ()) = http::Request::builder()
        .header(http::header::USER_AGENT, "integration-test")
        .extension(axum::extract::ConnectInfo(socket))
        .body(())
        .unwrap()
        .into_parts();
    Requester::from_parts(&parts, false)
}
