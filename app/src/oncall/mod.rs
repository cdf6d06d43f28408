//! Who is on call for a client account: weekly rules in the account's time zone and
//! overrides for a range of time, resolved on the server (the time-zone database
//! stays out of the browser's download).

#[cfg(feature = "ssr")]
pub mod schedule;
