//! CSV downloads: a header line and records written as CSV, streamed to the browser a
//! chunk at a time so a large export never sits in memory whole.

use std::borrow::Cow;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use futures::stream::{self, Stream, StreamExt};
use http::header;

use crate::error::AppError;

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

/// A download named `filename`: the header line, then each chunk of `pages`.
pub fn csv_download(
    filename: &str,
    header: &[&str],
    pages: impl Stream<Item = Result<Vec<u8>, AppError>> + Send + 'static,
) -> Response {
    let first = csv_text(Some(header), std::iter::empty::<Vec<String>>());
    let body = stream::once(async move { Ok(first) })
        .chain(pages)
        .map(|chunk| chunk.map_err(|error| std::io::Error::other(error.to_string())));
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
