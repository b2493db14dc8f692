//! Typed client for Cursor's AI Code Tracking API (Enterprise, alpha): per-commit AI line
//! attribution and accepted AI changes, as paginated JSON or streamed CSV.
//!
//! | endpoint | method |
//! | --- | --- |
//! | `GET /analytics/ai-code/commits` | [`AiCodeClient::commits_page`], [`commits`](AiCodeClient::commits), [`commits_pages`](AiCodeClient::commits_pages) |
//! | `GET /analytics/ai-code/commits.csv` | [`AiCodeClient::commits_csv`] (raw bytes), [`commits_csv_rows`](AiCodeClient::commits_csv_rows) (typed rows) |
//! | `GET /analytics/ai-code/changes` | [`AiCodeClient::changes_page`], [`changes`](AiCodeClient::changes), [`changes_pages`](AiCodeClient::changes_pages) |
//! | `GET /analytics/ai-code/changes.csv` | [`AiCodeClient::changes_csv`] (raw bytes), [`changes_csv_rows`](AiCodeClient::changes_csv_rows) (typed rows) |
//! | `GET /analytics/ai-code/commits/{commitHash}` (current documents) | [`AiCodeClient::commits_by_hash`] |
//!
//! - **Bulk reads.** Streams ask for 1000 records per page (the maximum), since the rate limit
//!   counts requests. The CSV exports are read as they arrive, one row in memory at a time,
//!   whatever their size; the raw body can be copied to any `tokio::io::AsyncWrite`.
//! - **Same model for JSON and CSV.** A CSV row decodes into the JSON model ([`AiCommit`],
//!   [`AiCodeChange`]): `metadata_json` into [`FileMetadata`], empty cells to `None`,
//!   `is_primary_branch` to `Option<bool>`, unknown columns into `extra`.
//! - **Alpha.** Every field is optional, unknown fields are kept (`extra`), unknown `source`
//!   values decode to [`Source::Unknown`], and a CSV column that appears or disappears does
//!   not break decoding.
//! - **Duplicates.** Commit hashes are not unique (amended commits repeat). Nothing is
//!   deduplicated.
//! - **Limits and caching.** Each endpoint has its own budget (20 requests/minute by default;
//!   an older document says 5: override with [`cursor_core::RateLimits`] and
//!   [`endpoints::AICODE_BUCKET`]; a `429` slows the budget down). JSON answers are
//!   revalidated with `ETag`, and a `304` does not count against the limit.
//!
//! ```no_run
//! # async fn run() -> cursor_core::Result<()> {
//! use cursor_aicode::{AiCodeClient, AiCodeQuery, DateSpec, ExportQuery};
//! use futures_util::TryStreamExt as _;
//!
//! let aicode = AiCodeClient::new(cursor_core::Client::from_env()?);
//!
//! // Every commit of the last 30 days, 1000 per request.
//! let query = AiCodeQuery::new().start_date(DateSpec::DaysAgo(30)).end_date(DateSpec::Now);
//! let commits: Vec<_> = aicode.commits(&query).try_collect().await?;
//!
//! // The changes export, decoded row by row.
//! let mut changes = aicode.changes_csv_rows(&ExportQuery::new().start_date(DateSpec::DaysAgo(30)));
//! while let Some(change) = changes.try_next().await? {
//!     println!("{:?} {:?} +{:?}", change.change_id, change.source, change.total_lines_added);
//! }
//! # Ok(()) }
//! ```

mod client;
mod csv;
pub mod endpoints;
mod models;
mod query;

pub use client::AiCodeClient;
pub use csv::{change_rows, commit_rows};
pub use endpoints::{ENDPOINTS, NEWER_ENDPOINTS};
pub use models::{
    AiCodeChange, AiCodePage, AiCommit, ChangesPage, CommitLookup, CommitSource, CommitsPage, FileMetadata, Source,
};
pub use query::{AiCodeQuery, DEFAULT_PAGE_SIZE, ExportQuery, InvalidUserRef, MAX_PAGE_SIZE, UserRef};

pub use cursor_core::{BoxStream, ByteStream, DateRange, DateSpec};
