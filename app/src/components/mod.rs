//! Feature-free widgets shared by every page.

pub mod brand;
pub mod error_panel;
pub mod fact;
pub mod feature_choices;
pub mod field;
pub mod language_switch;
pub mod logo;
pub mod revision;
pub mod secret;
pub mod support;
pub mod trail;
pub mod voice_rule_fields;
