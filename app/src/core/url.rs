//! Values as URLs carry them.

use super::NodeId;

/// Percent-encodes `value` for a query string, keeping what needs no escape.
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Parses a dot-separated list of node ids, as the URL and `list_tree` carry them.
pub fn parse_path(value: Option<&str>) -> Vec<NodeId> {
    value
        .unwrap_or_default()
        .split('.')
        .filter_map(|id| id.parse().ok().map(NodeId))
        .collect()
}

pub fn format_path(path: &[NodeId]) -> String {
    path.iter()
        .map(|id| id.0.to_string())
        .collect::<Vec<_>>()
        .join(".")
}
