//! The brand a page is shown in: a partner's, or the platform's own.

use serde::{Deserialize, Serialize};

/// The name of the product when no partner's brand applies.
pub const PLATFORM_PRODUCT: &str = "Switchboard";

/// What a page shows of its brand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Brand {
    pub product_name: String,
    /// An https address of the logo; empty shows the product mark.
    pub logo_url: String,
    pub support_email: String,
    /// The stylesheet that sets the brand's colours; none keeps the platform's.
    pub stylesheet: Option<String>,
}

impl Brand {
    pub fn platform() -> Brand {
        Brand {
            product_name: PLATFORM_PRODUCT.into(),
            logo_url: String::new(),
            support_email: String::new(),
            stylesheet: None,
        }
    }
}
