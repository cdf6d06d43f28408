//! CSV downloads: a header line and records written as CSV, streamed to the browser a
//! chunk at a time so a large export never sits in memory whole.

use std::borrow::Cow;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use futures::stream::{self, Stream, StreamExt};
use http::header;

use serde_json::json;

use crate::audit_trail::{record, Acting, AuditEvent};
use crate::core::NodeId;
use crate::error::AppError;
use crate::state::AppState;

/// CSV text of `records`, after the `header` line when there is one.
pub fn csv_text<I, R, F>(header: Option<&[&str]>, records: I) -> Vec<u8>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = F>,
    F: AsRef<[u8]>,
{
    let mut writer = csv::Writer::from_writer(Vec::new());
    let write = || -> csv::Result<()> {
        if let Some(header) = header {
            writer.write_record(header)?;
        }
        for record in records {
            writer.write_record(
                record
                    .into_iter()
                    .map(|field| neutralized(field.as_ref()).into_owned()),
            )?;
        }
        Ok(())
    };
    if let Err(error) = write() {
        tracing::error!(%error, "csv export");
    }
    writer.into_inner().unwrap_or_default()
}

/// A cell as a spreadsheet may open it safely: text starting like a formula (`=`,
/// `+`, `-`, `@`, a tab or a carriage return) gets a leading apostrophe, so it shows
/// as text and never runs. A plain number (`-12`, `+3.5`) stays a number.
fn neutralized(field: &[u8]) -> Cow<'_, [u8]> {
    let formula_like = matches!(
        field.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    if formula_like && !is_plain_number(field) {
        let mut safe = Vec::with_capacity(field.len() + 1);
        safe.push(b'\'');
        safe.extend_from_slice(field);
        Cow::Owned(safe)
    } else {
        Cow::Borrowed(field)
    }
}

fn is_plain_number(field: &[u8]) -> bool {
    let digits = field
        .strip_prefix(b"-")
        .or_else(|| field.strip_prefix(b"+"))
        .unwrap_or(field);
    let mut dots = 0;
    !digits.is_empty()
        && digits.iter().all(|byte| match byte {
            b'0'..=b'9' => true,
            b'.' => {
                dots += 1;
                dots == 1
            }
            _ => false,
        })
        && digits.iter().any(u8::is_ascii_digit)
}

/// Some CSV records, and how many.
pub struct CsvPage {
    pub text: Vec<u8>,
    pub rows: usize,
}

impl CsvPage {
    pub fn of<I, R, F>(records: I) -> Self
    where
        I: IntoIterator<Item = R>,
        R: IntoIterator<Item = F>,
        F: AsRef<[u8]>,
    {
        let mut rows = 0;
        let text = csv_text(None, records.into_iter().inspect(|_| rows += 1));
        Self { text, rows }
    }
}

/// What an export puts on the audit record when it ends: who took it, from where,
/// with which filter, and how many rows went out.
pub struct ExportRecord {
    pub state: AppState,
    pub by: Acting,
    /// Where the export looked; none for everywhere.
    pub node: Option<NodeId>,
    pub action: &'static str,
    pub filter: String,
    pub address: String,
}

impl ExportRecord {
    async fn write(self, rows: usize, complete: bool) -> Result<(), AppError> {
        let details = json!({ "filter": self.filter, "rows": rows, "complete": complete });
        let event = match self.node {
            Some(node) => AuditEvent::at_node(self.by, node, self.action, details, &self.address),
            None => AuditEvent::about_self(self.by, self.action, details, &self.address),
        };
        let mut tx = self.state.db.begin().await?;
        record(&mut tx, event).await?;
        tx.commit().await.map_err(AppError::from)
    }
}

/// Counts the rows an export sends and records them when it ends: after the last
/// page, or, for a download cut short, when its body is dropped.
struct ExportCount {
    record: Option<ExportRecord>,
    rows: usize,
}

impl ExportCount {
    fn finish(&mut self, complete: bool) -> Option<impl std::future::Future<Output = ()>> {
        let record = self.record.take()?;
        let rows = self.rows;
        Some(async move {
            if let Err(error) = record.write(rows, complete).await {
                tracing::error!(?error, "export not recorded");
            }
        })
    }
}

impl Drop for ExportCount {
    fn drop(&mut self) {
        if let Some(write) = self.finish(false) {
            tokio::spawn(write);
        }
    }
}

/// A download named `filename`: the header line, then each page of `pages`; its
/// end goes on the record.
pub fn csv_download(
    filename: &str,
    header: &[&str],
    pages: impl Stream<Item = Result<CsvPage, AppError>> + Send + 'static,
    record: ExportRecord,
) -> Response {
    let first = csv_text(Some(header), std::iter::empty::<Vec<String>>());
    let count = std::sync::Arc::new(std::sync::Mutex::new(ExportCount {
        record: Some(record),
        rows: 0,
    }));
    let counted = {
        let count = count.clone();
        pages.map(move |page| {
            let page = page?;
            if let Ok(mut count) = count.lock() {
                count.rows += page.rows;
            }
            Ok(page.text)
        })
    };
    let finished = stream::once(async move {
        let write = count.lock().ok().and_then(|mut count| count.finish(true));
        if let Some(write) = write {
            write.await;
        }
        Ok(Vec::new())
    });
    let body = stream::once(async move { Ok(first) })
        .chain(counted)
        .chain(finished)
        .map(|chunk| chunk.map_err(|error: AppError| std::io::Error::other(error.to_string())));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

/// The query parameters of a request, in order.
pub fn query_params(parts: &http::request::Parts) -> Vec<(String, String)> {
    axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
        .map(|query| query.0)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_would_run_as_formulas_are_written_as_text() {
        let text = csv_text(
            None,
            [[
                "=2+5",
                "+1 617 555 0100",
                "-cmd|' /C calc'!A0",
                "@SUM(A1)",
                "\tx",
                "\rx",
                "-12",
                "+3.5",
                "a=b",
                "",
            ]],
        );
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "'=2+5,'+1 617 555 0100,'-cmd|' /C calc'!A0,'@SUM(A1),'\tx,\"'\rx\",-12,+3.5,a=b,\n"
        );
    }

    #[test]
    fn fields_with_commas_and_quotes_are_quoted() {
        let text = csv_text(
            Some(&["id", "name"]),
            [["9", "Smith, Jones & \"Partners\""]],
        );
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "id,name\n9,\"Smith, Jones & \"\"Partners\"\"\"\n"
        );
    }
}
