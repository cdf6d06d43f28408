//! Feature-free widgets shared by every page.

pub mod fact;
pub mod field;
pub mod logo;
pub mod revision;
pub mod secret;
pub mod support;
