//! The audit log (PRODUCT.md §5): events recorded in the transaction of the change
//! they describe, in one hash chain that shows any edit or removal.

#[cfg(feature = "ssr")]
pub mod chain;
#[cfg(feature = "ssr")]
pub mod repo;
