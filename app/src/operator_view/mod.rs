//! What the platform's operators get about an account (`GET /api/v1/operator-view`):
//! the status, who is on call now and next with how to reach them, the contacts and
//! the resources, in one document with an ETag. The portal's preview shows the same
//! document, byte for byte.

pub mod api;
#[cfg(feature = "ssr")]
pub mod document;
pub mod preview_page;
#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

use crate::briefing::OperatorsSeen;
use crate::core::NodeId;

/// The preview page: the document as the API sends it, and its ETag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorPreview {
    pub account: NodeId,
    pub account_name: String,
    pub body: String,
    pub etag: String,
    pub seen: OperatorsSeen,
}
