//! Requests as a browser at some address makes them.

use app::request::Client;

/// A browser at `address`, as its request's connection gives it.
pub fn client_at(address: &str) -> Client {
    let socket: std::net::SocketAddr = format!("{address}:4000").parse().unwrap();
    let (parts, ()) = http::Request::builder()
        .header(http::header::USER_AGENT, "integration-test")
        .extension(axum::extract::ConnectInfo(socket))
        .body(())
        .unwrap()
        .into_parts();
    Client::from_parts(&parts, false)
}
