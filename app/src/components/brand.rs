//! The page's brand as components receive it.

use leptos::prelude::*;

use crate::core::brand::Brand;
use crate::error::AppError;

pub type BrandResource = Resource<Result<Brand, AppError>>;

/// The page's brand, which the app provides before anything renders.
pub fn use_brand() -> BrandResource {
    expect_context::<BrandResource>()
}
