//! Response models: commits, changes, their file metadata and the page that carries them.
//!
//! The API is alpha, so every field is an `Option` (a field may go missing, privacy mode drops
//! some) and every struct keeps the fields it does not know in `extra`. Fields the documents
//! type as `T | null` are written back as `null` when `None`; the others are left out when
//! `None`, so a missing field stays missing.

use cursor_core::time::OffsetDateTime;
use cursor_core::time::format_description::well_known::Rfc3339;
use cursor_core::{Extra, NextPage, Page, next_by_total_count};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

cursor_core::string_enum! {
    /// Where an accepted AI change came from.
    pub enum Source {
        /// `TAB`: an accepted inline completion.
        Tab = "TAB",
        /// `COMPOSER`: an accepted Composer diff.
        Composer = "COMPOSER",
    }
}

cursor_core::string_enum! {
    /// Where a commit was made (`commitSource`, current documents).
    pub enum CommitSource {
        /// In the editor.
        Ide = "ide",
        /// With the Cursor CLI.
        Cli = "cli",
        /// By a cloud agent.
        Cloud = "cloud",
    }
}

fn parse_instant(text: Option<&str>) -> Option<OffsetDateTime> {
    text.and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok())
}

/// One commit with its lines attributed to TAB, Composer and non-AI edits
/// (`GET /analytics/ai-code/commits`, or one row of `commits.csv`).
///
/// **Commit hashes are not unique**: an amended commit can appear again with the same hash
/// (and the same `commitTs`). The SDK returns every record the server sends and never
/// deduplicates; group by `commit_hash` yourself if you want one record per hash.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AiCommit {
    /// Git commit hash (`commitHash`; CSV `commit_hash`). Not unique: see the type's docs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit_hash: Option<String>,
    /// Encoded user ID, `user_…` (`userId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The user's email address (`userEmail`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_email: Option<String>,
    /// Repository name (`repoName`, `string | null`).
    #[serde(default)]
    pub repo_name: Option<String>,
    /// Branch name (`branchName`, `string | null`).
    #[serde(default)]
    pub branch_name: Option<String>,
    /// Whether the branch is the repository's default branch (`isPrimaryBranch`,
    /// `boolean | null`); `None` when the client could not resolve the default branch.
    #[serde(default)]
    pub is_primary_branch: Option<bool>,
    /// Total lines added in the commit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_lines_added: Option<u64>,
    /// Total lines deleted in the commit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_lines_deleted: Option<u64>,
    /// Lines added via TAB completions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tab_lines_added: Option<u64>,
    /// Lines deleted via TAB completions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tab_lines_deleted: Option<u64>,
    /// Lines added via Composer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub composer_lines_added: Option<u64>,
    /// Lines deleted via Composer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub composer_lines_deleted: Option<u64>,
    /// Non-AI lines added, `max(0, total − AI lines)` (`number | null`).
    #[serde(default)]
    pub non_ai_lines_added: Option<u64>,
    /// Non-AI lines deleted, `max(0, total − AI lines)` (`number | null`).
    #[serde(default)]
    pub non_ai_lines_deleted: Option<u64>,
    /// Commit message (`string | null`).
    #[serde(default)]
    pub message: Option<String>,
    /// Commit timestamp, ISO 8601 as sent (`commitTs`, `string | null`); unchanged when the
    /// commit is amended. See [`committed_at`](Self::committed_at).
    #[serde(default)]
    pub commit_ts: Option<String>,
    /// When Cursor's servers ingested the record, ISO 8601 as sent (`createdAt`). See
    /// [`ingested_at`](Self::ingested_at).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Where the commit was made: `ide`, `cli` or `cloud` (current documents; CSV
    /// `commit_source`); other values are kept in [`CommitSource::Unknown`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit_source: Option<CommitSource>,
    /// Fields (JSON) or columns (CSV, as text under the column's name) this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl AiCommit {
    /// [`commit_ts`](Self::commit_ts) parsed as an RFC 3339 instant.
    pub fn committed_at(&self) -> Option<OffsetDateTime> {
        parse_instant(self.commit_ts.as_deref())
    }

    /// [`created_at`](Self::created_at) parsed as an RFC 3339 instant.
    pub fn ingested_at(&self) -> Option<OffsetDateTime> {
        parse_instant(self.created_at.as_deref())
    }
}

/// One accepted AI change, grouped by its deterministic `changeId`
/// (`GET /analytics/ai-code/changes`, or one row of `changes.csv`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AiCodeChange {
    /// Deterministic ID of the change (`changeId`; CSV `change_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_id: Option<String>,
    /// Encoded user ID, `user_…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The user's email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_email: Option<String>,
    /// `TAB` or `COMPOSER`; other values are kept in [`Source::Unknown`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The AI model used (`string | null`).
    #[serde(default)]
    pub model: Option<String>,
    /// Total lines added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_lines_added: Option<u64>,
    /// Total lines deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_lines_deleted: Option<u64>,
    /// When Cursor's servers ingested the change, ISO 8601 as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Per-file metadata (`metadata`; in CSV the `metadata_json` column, decoded into the
    /// same type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Vec<FileMetadata>>,
    /// Fields (JSON) or columns (CSV, as text under the column's name) this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl AiCodeChange {
    /// [`created_at`](Self::created_at) parsed as an RFC 3339 instant.
    pub fn ingested_at(&self) -> Option<OffsetDateTime> {
        parse_instant(self.created_at.as_deref())
    }
}

/// One file touched by a change.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileMetadata {
    /// The file's path; absent when the client runs in privacy mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// The file's extension (`ts`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_extension: Option<String>,
    /// Lines added in the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines_added: Option<u64>,
    /// Lines deleted in the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines_deleted: Option<u64>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One page of a paginated AI Code Tracking answer: `items`, and `totalCount`, `page`,
/// `pageSize` at top level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(deserialize = "T: DeserializeOwned", serialize = "T: Serialize"))]
pub struct AiCodePage<T> {
    /// The records on this page, in the server's order.
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
    /// Records across all pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// This page's number (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Records per page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A page of [`AiCommit`]s.
pub type CommitsPage = AiCodePage<AiCommit>;
/// A page of [`AiCodeChange`]s.
pub type ChangesPage = AiCodePage<AiCodeChange>;

impl<T: DeserializeOwned + serde::Serialize + Send + 'static> Page for AiCodePage<T> {
    type Item = T;

    fn next_page(&self, requested: u32) -> NextPage {
        // An empty page ends the stream even if `totalCount` promises more, so a server that
        // over-counts cannot make the stream loop. Without `pageSize`, this page's length
        // stands in (at worst one extra request, answered by an empty page).
        if self.items.is_empty() {
            return NextPage::Done;
        }
        let page = self.page.unwrap_or(requested);
        let len = u32::try_from(self.items.len()).unwrap_or(u32::MAX);
        let size = self.page_size.unwrap_or(len);
        match self.total_count {
            Some(total) => next_by_total_count(page, size, total),
            // The API is alpha and `totalCount` may go missing: a full page means more may
            // follow, a short one is the last.
            None if len >= size => NextPage::Number(page + 1),
            None => NextPage::Done,
        }
    }

    fn reported_page(&self) -> Option<u32> {
        self.page
    }

    fn into_items(self) -> Vec<T> {
        self.items
    }
}

/// The answer of `GET /analytics/ai-code/commits/{commitHash}`: the commits recorded under
/// the hashes asked for (an amended commit can appear more than once).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitLookup {
    /// The commits found, in the server's order (also read from a `commits` field).
    #[serde(default, alias = "commits")]
    pub items: Vec<AiCommit>,
    /// Hashes asked for that no record matched, when the server says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_found: Option<Vec<String>>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}
