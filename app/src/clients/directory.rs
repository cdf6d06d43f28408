//! The directory's query: filters, sort and page position, all carried in the URL so a
//! view can be bookmarked and shared.

use serde::{Deserialize, Serialize};

use crate::clients::ClientRow;
use crate::core::url::{encode_query_value, format_path, parse_path};
#[cfg(feature = "ssr")]
use crate::core::validate::MAX_SEARCH_CHARS;
use crate::core::{ClientStatus, Feature, NodeId};
use crate::{keyed_enum, paths};

keyed_enum! {
    pub enum SortKey {
        Name = ("name", labels.sort_key.name),
        Created = ("created", labels.sort_key.created),
        SmsCredit = ("sms", labels.sort_key.sms_credit),
        VoiceCredit = ("voice", labels.sort_key.voice_credit),
    }
}

pub const PAGE_SIZE: usize = 50;
pub const MAX_SEARCH: usize = 100;

/// Every field has a default: an empty list or `None` is left out when the query is
/// sent to the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DirectoryQuery {
    pub search: String,
    /// The chosen group as its path from the top of the viewer's tree, as the tree
    /// selects it; empty for everything the viewer may see.
    pub under: Vec<NodeId>,
    pub status: Option<ClientStatus>,
    pub tag: Option<String>,
    pub feature: Option<Feature>,
    pub low_credit: bool,
    pub sort: SortKey,
    pub descending: bool,
    /// The cursor of the row the page starts after (the next page)…
    pub after: Option<String>,
    /// …or ends before (the previous page).
    pub before: Option<String>,
}

impl Default for DirectoryQuery {
    fn default() -> Self {
        Self {
            search: String::new(),
            under: Vec::new(),
            status: None,
            tag: None,
            feature: None,
            low_credit: false,
            sort: SortKey::Name,
            descending: false,
            after: None,
            before: None,
        }
    }
}

/// The longest tag and cursor a directory query may carry (as long as its search), and
/// the deepest group path: beyond any real query, and a bound on the work one costs.
#[cfg(feature = "ssr")]
const MAX_CURSOR_CHARS: usize = 300;
#[cfg(feature = "ssr")]
const MAX_GROUP_DEPTH: usize = 64;

impl DirectoryQuery {
    /// Refuses a query whose texts or group path are longer than any real one.
    #[cfg(feature = "ssr")]
    pub fn check_bounds(&self) -> Result<(), crate::error::AppError> {
        use crate::error::{AppError, FieldErrors};
        if self.under.len() > MAX_GROUP_DEPTH {
            return Err(AppError::field(
                "under",
                crate::tr!(clients.errors.choose_tree_group),
            ));
        }
        FieldErrors::within_limits(&[
            ("q", &self.search, MAX_SEARCH_CHARS),
            (
                "tag",
                self.tag.as_deref().unwrap_or_default(),
                MAX_SEARCH_CHARS,
            ),
            (
                "after",
                self.after.as_deref().unwrap_or_default(),
                MAX_CURSOR_CHARS,
            ),
            (
                "before",
                self.before.as_deref().unwrap_or_default(),
                MAX_CURSOR_CHARS,
            ),
        ])
    }

    /// Reads the query from URL parameters; values that make no sense are ignored.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |key: &str| {
            get(key)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        Self {
            search: text("q")
                .map(|q| q.chars().take(MAX_SEARCH).collect())
                .unwrap_or_default(),
            under: parse_path(text("under").as_deref()),
            status: text("status").and_then(|v| ClientStatus::from_key(&v)),
            tag: text("tag").map(|tag| tag.to_lowercase()),
            feature: text("feature").and_then(|v| Feature::from_key(&v)),
            low_credit: text("low").is_some_and(|v| v == "1"),
            sort: text("sort")
                .and_then(|v| SortKey::from_key(&v))
                .unwrap_or(SortKey::Name),
            descending: text("desc").is_some_and(|v| v == "1"),
            after: text("after"),
            before: text("before"),
        }
    }

    /// The URL query string (without `?`) that reads back as this query.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.search.is_empty() {
            pairs.push(("q", self.search.clone()));
        }
        if !self.under.is_empty() {
            pairs.push(("under", format_path(&self.under)));
        }
        if let Some(status) = self.status {
            pairs.push(("status", status.key().into()));
        }
        if let Some(tag) = &self.tag {
            pairs.push(("tag", tag.clone()));
        }
        if let Some(feature) = self.feature {
            pairs.push(("feature", feature.key().into()));
        }
        if self.low_credit {
            pairs.push(("low", "1".into()));
        }
        if self.sort != SortKey::Name {
            pairs.push(("sort", self.sort.key().into()));
        }
        if self.descending {
            pairs.push(("desc", "1".into()));
        }
        if let Some(after) = &self.after {
            pairs.push(("after", after.clone()));
        }
        if let Some(before) = &self.before {
            pairs.push(("before", before.clone()));
        }
        pairs
            .iter()
            .map(|(key, value)| format!("{key}={}", encode_query_value(value)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The group whose subtree is shown, if one is chosen.
    pub fn scope(&self) -> Option<NodeId> {
        self.under.last().copied()
    }

    /// The same filters from the first page.
    /// The directory showing this query.
    pub fn href(&self) -> String {
        paths::with_query(paths::CLIENTS, &self.to_query_string())
    }

    /// The CSV of every client matching the filters, from the first page on.
    pub fn export_href(&self) -> String {
        paths::with_query(paths::CLIENTS_EXPORT, &self.first_page().to_query_string())
    }

    pub fn first_page(&self) -> Self {
        Self {
            after: None,
            before: None,
            ..self.clone()
        }
    }

    pub fn page_after(&self, cursor: &str) -> Self {
        Self {
            after: Some(cursor.to_string()),
            ..self.first_page()
        }
    }

    pub fn page_before(&self, cursor: &str) -> Self {
        Self {
            before: Some(cursor.to_string()),
            ..self.first_page()
        }
    }

    /// Sorted by `sort`: ascending first, descending when it already sorts by it.
    pub fn sorted_by(&self, sort: SortKey) -> Self {
        Self {
            descending: self.sort == sort && !self.descending,
            sort,
            ..self.first_page()
        }
    }

    pub fn is_filtered(&self) -> bool {
        !self.search.is_empty()
            || self.status.is_some()
            || self.tag.is_some()
            || self.feature.is_some()
            || self.low_credit
    }
}

/// Where a page starts or ends: the sort value of a row and its id, which breaks ties.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CursorValue {
    Text(String),
    Number(i64),
}

pub fn cursor_of(row: &ClientRow, sort: SortKey) -> String {
    let value = match sort {
        SortKey::Name => row.name.to_lowercase(),
        SortKey::Created => row.created_at.to_string(),
        SortKey::SmsCredit => row.sms_balance.to_string(),
        SortKey::VoiceCredit => row.voice_balance.to_string(),
    };
    format!("{}~{value}", row.id.0)
}

/// Reads a cursor made by [`cursor_of`] for the same sort; `None` if it is not one.
pub fn parse_cursor(cursor: &str, sort: SortKey) -> Option<(CursorValue, NodeId)> {
    let (id, value) = cursor.split_once('~')?;
    let id = NodeId(id.parse().ok()?);
    let value = match sort {
        SortKey::Name => CursorValue::Text(value.to_string()),
        _ => CursorValue::Number(value.parse().ok()?),
    };
    Some((value, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn a_query_longer_than_any_real_one_is_refused_at_its_field() {
        assert_eq!(DirectoryQuery::default().check_bounds(), Ok(()));
        let long = DirectoryQuery {
            search: "a".repeat(MAX_SEARCH_CHARS + 1),
            after: Some("1~".repeat(1_000)),
            ..DirectoryQuery::default()
        };
        let error = long.check_bounds().unwrap_err();
        assert!(error.message_for("q").is_some() && error.message_for("after").is_some());
        let deep = DirectoryQuery {
            under: vec![crate::core::NodeId(1); MAX_GROUP_DEPTH + 1],
            ..DirectoryQuery::default()
        };
        assert!(deep
            .check_bounds()
            .unwrap_err()
            .message_for("under")
            .is_some());
    }
    use std::collections::HashMap;

    fn parse(query: &str) -> DirectoryQuery {
        let params: HashMap<String, String> = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_string(), v.replace("%20", " ").replace("%7E", "~")))
            .collect();
        DirectoryQuery::from_params(|key| params.get(key).cloned())
    }

    #[test]
    fn a_query_survives_the_round_trip_through_the_url() {
        let query = DirectoryQuery {
            search: "harbor dental".into(),
            under: vec![NodeId(2), NodeId(12)],
            status: Some(ClientStatus::Suspended),
            tag: Some("vip".into()),
            feature: Some(Feature::CallRecording),
            low_credit: true,
            sort: SortKey::SmsCredit,
            descending: true,
            after: Some("41~250".into()),
            before: None,
        };
        let text = query.to_query_string();
        assert_eq!(
            text,
            "q=harbor%20dental&under=2.12&status=suspended&tag=vip&feature=call_recording&low=1&sort=sms&desc=1&after=41~250"
        );
        assert_eq!(parse(&text), query);
    }

    #[test]
    fn the_default_query_is_an_empty_url_and_nonsense_is_ignored() {
        assert_eq!(DirectoryQuery::default().to_query_string(), "");
        let query = parse("status=deleted&sort=price&under=abc&low=yes&feature=x");
        assert_eq!(query, DirectoryQuery::default());
    }

    #[test]
    fn sorting_again_by_the_same_column_reverses_it_and_restarts_paging() {
        let query = DirectoryQuery::default().page_after("3~x");
        let by_name = query.sorted_by(SortKey::Name);
        assert!(by_name.descending);
        assert_eq!(by_name.after, None);
        let by_sms = by_name.sorted_by(SortKey::SmsCredit);
        assert!(!by_sms.descending);
    }

    #[test]
    fn cursors_carry_the_sort_value_and_the_id() {
        let row = ClientRow {
            id: NodeId(7),
            name: "Harbor ~ Dental".into(),
            group_name: String::new(),
            contact_name: String::new(),
            email: String::new(),
            phone: String::new(),
            status: ClientStatus::Active,
            tags: vec![],
            sms_balance: 90,
            voice_balance: 0,
            created_at: 5,
        };
        let by_name = cursor_of(&row, SortKey::Name);
        assert_eq!(
            parse_cursor(&by_name, SortKey::Name),
            Some((CursorValue::Text("harbor ~ dental".into()), NodeId(7)))
        );
        let by_sms = cursor_of(&row, SortKey::SmsCredit);
        assert_eq!(
            parse_cursor(&by_sms, SortKey::SmsCredit),
            Some((CursorValue::Number(90), NodeId(7)))
        );
        assert_eq!(parse_cursor("x~1", SortKey::Created), None);
        assert_eq!(parse_cursor("7~abc", SortKey::Created), None);
    }
}
