//! Decoding the CSV exports into the JSON models, one row at a time.
//!
//! Columns are matched by name, so their order does not matter; a column the file lacks leaves
//! its field `None`, and a column this SDK does not know is kept in the row's `extra` as text
//! under its own name. An empty cell is `None` (CSV cannot tell an empty string from a
//! missing value). `is_primary_branch` is `true`/`false`; `metadata_json` is parsed into the
//! same [`FileMetadata`] the JSON endpoint returns.

use cursor_core::{BoxStream, ByteStream, CsvRecord, Error, Result};
use futures_util::StreamExt as _;

use crate::models::{AiCodeChange, AiCommit, CommitSource, FileMetadata, Source};

/// Decodes a `commits.csv` body into [`AiCommit`]s as it arrives; memory holds one row.
/// Use it on a body from [`AiCodeClient::commits_csv`](crate::AiCodeClient::commits_csv) or on
/// a file saved earlier (`ByteStream::from_stream`).
pub fn commit_rows(body: ByteStream) -> BoxStream<Result<AiCommit>> {
    let endpoint = crate::endpoints::COMMITS_CSV.name;
    body.csv_records().map(move |record| commit_from_record(endpoint, &record?)).boxed()
}

/// Decodes a `changes.csv` body into [`AiCodeChange`]s as it arrives; memory holds one row.
pub fn change_rows(body: ByteStream) -> BoxStream<Result<AiCodeChange>> {
    let endpoint = crate::endpoints::CHANGES_CSV.name;
    body.csv_records().map(move |record| change_from_record(endpoint, &record?)).boxed()
}

struct Cell<'a> {
    endpoint: &'static str,
    record: &'a CsvRecord,
    column: &'a str,
    value: &'a str,
}

impl Cell<'_> {
    fn error(&self, message: String) -> Error {
        Error::decode(
            self.endpoint,
            format!("line {}, column `{}`", self.record.line(), self.column),
            message,
            self.value.chars().take(200).collect::<String>(),
        )
    }

    fn text(&self) -> Option<String> {
        (!self.value.is_empty()).then(|| self.value.to_owned())
    }

    fn number(&self) -> Result<Option<u64>> {
        let value = self.value.trim();
        if value.is_empty() {
            return Ok(None);
        }
        value.parse().map(Some).map_err(|e| self.error(format!("expected a whole number of lines: {e}")))
    }

    fn boolean(&self) -> Result<Option<bool>> {
        match self.value.trim().to_ascii_lowercase().as_str() {
            "" | "null" => Ok(None),
            "true" | "t" | "1" => Ok(Some(true)),
            "false" | "f" | "0" => Ok(Some(false)),
            _ => Err(self.error("expected true or false".into())),
        }
    }

    fn metadata(&self) -> Result<Option<Vec<FileMetadata>>> {
        if self.value.trim().is_empty() {
            return Ok(None);
        }
        serde_json::from_str(self.value)
            .map(Some)
            .map_err(|e| self.error(format!("metadata_json is not a JSON array of file metadata: {e}")))
    }

    fn keep(&self, extra: &mut cursor_core::Extra) {
        extra.insert(self.column.to_owned(), serde_json::Value::String(self.value.to_owned()));
    }
}

fn cells<'a>(endpoint: &'static str, record: &'a CsvRecord) -> impl Iterator<Item = Cell<'a>> {
    // A byte-order mark or stray spaces around a header name must not turn a known column
    // into an unknown one.
    record.columns().map(move |(column, value)| Cell {
        endpoint,
        record,
        column: column.trim_start_matches('\u{feff}').trim(),
        value,
    })
}

/// Decodes one `commits.csv` row.
pub(crate) fn commit_from_record(endpoint: &'static str, record: &CsvRecord) -> Result<AiCommit> {
    let mut commit = AiCommit::default();
    for cell in cells(endpoint, record) {
        match cell.column {
            "commit_hash" => commit.commit_hash = cell.text(),
            "user_id" => commit.user_id = cell.text(),
            "user_email" => commit.user_email = cell.text(),
            "repo_name" => commit.repo_name = cell.text(),
            "branch_name" => commit.branch_name = cell.text(),
            "is_primary_branch" => commit.is_primary_branch = cell.boolean()?,
            "total_lines_added" => commit.total_lines_added = cell.number()?,
            "total_lines_deleted" => commit.total_lines_deleted = cell.number()?,
            "tab_lines_added" => commit.tab_lines_added = cell.number()?,
            "tab_lines_deleted" => commit.tab_lines_deleted = cell.number()?,
            "composer_lines_added" => commit.composer_lines_added = cell.number()?,
            "composer_lines_deleted" => commit.composer_lines_deleted = cell.number()?,
            "non_ai_lines_added" => commit.non_ai_lines_added = cell.number()?,
            "non_ai_lines_deleted" => commit.non_ai_lines_deleted = cell.number()?,
            "message" => commit.message = cell.text(),
            "commit_ts" => commit.commit_ts = cell.text(),
            "created_at" => commit.created_at = cell.text(),
            "commit_source" => commit.commit_source = cell.text().map(|s| CommitSource::from(s.as_str())),
            _ => cell.keep(&mut commit.extra),
        }
    }
    Ok(commit)
}

/// Decodes one `changes.csv` row.
pub(crate) fn change_from_record(endpoint: &'static str, record: &CsvRecord) -> Result<AiCodeChange> {
    let mut change = AiCodeChange::default();
    for cell in cells(endpoint, record) {
        match cell.column {
            "change_id" => change.change_id = cell.text(),
            "user_id" => change.user_id = cell.text(),
            "user_email" => change.user_email = cell.text(),
            "source" => change.source = cell.text().map(|s| Source::from(s.as_str())),
            "model" => change.model = cell.text(),
            "total_lines_added" => change.total_lines_added = cell.number()?,
            "total_lines_deleted" => change.total_lines_deleted = cell.number()?,
            "created_at" => change.created_at = cell.text(),
            "metadata_json" => change.metadata = cell.metadata()?,
            _ => cell.keep(&mut change.extra),
        }
    }
    Ok(change)
}
