//! The audit log (PRODUCT.md §5). This foundation records events; the viewer, the
//! hash chain and exports come with the audit issue.

#[cfg(feature = "ssr")]
pub mod repo;
