//! The shared vocabulary at the bottom of the app: identities, roles and permissions,
//! the small enums several features use, and pure helpers (counting SMS segments and
//! voice units among them), and how code asks the catalogs for words. It depends on
//! nothing else in the app but the catalogs, and runs on the server and in the browser
//! alike.

pub mod brand;
mod enums;
mod ids;
#[macro_use]
pub mod keyed;
pub mod roles;
pub mod sms;
#[cfg(feature = "ssr")]
pub mod stored;
pub mod time;
pub mod url;
pub mod validate;
pub mod voice;
#[macro_use]
pub mod words;
#[cfg(feature = "ssr")]
pub mod zone;

pub use enums::*;
pub use ids::*;
