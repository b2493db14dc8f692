//! The five AI Code Tracking endpoint declarations (four from the seeds, one from the current
//! documents), and the list the contract tests read.

use cursor_core::{Api, Bucket, DateParams, Endpoint, Pagination};

/// `GET /analytics/ai-code/commits`: per-commit AI line attribution, paginated JSON
/// (`totalCount`, `page`, `pageSize` at top level; `pageSize` at most 1000). Answers carry an
/// `ETag`, revalidated with `If-None-Match`.
pub const COMMITS: Endpoint =
    Endpoint::get("aicode.commits", Api::AiCode, "/analytics/ai-code/commits", Bucket::AiCode)
        .paginated(Pagination::AiCode)
        .cacheable()
        .dates(DateParams::AiCode, None);

/// `GET /analytics/ai-code/commits.csv`: the same commits as a streamed CSV export (the server
/// streams pages of 10,000 rows). Not cached: streamed bodies are never buffered.
pub const COMMITS_CSV: Endpoint =
    Endpoint::get("aicode.commits_csv", Api::AiCode, "/analytics/ai-code/commits.csv", Bucket::AiCode)
        .csv_response()
        .dates(DateParams::AiCode, None);

/// `GET /analytics/ai-code/changes`: accepted AI changes grouped by `changeId`, paginated
/// JSON (`pageSize` at most 1000). Answers carry an `ETag`.
pub const CHANGES: Endpoint =
    Endpoint::get("aicode.changes", Api::AiCode, "/analytics/ai-code/changes", Bucket::AiCode)
        .paginated(Pagination::AiCode)
        .cacheable()
        .dates(DateParams::AiCode, None);

/// `GET /analytics/ai-code/changes.csv`: the same changes as a streamed CSV export, file
/// metadata in the `metadata_json` column.
pub const CHANGES_CSV: Endpoint =
    Endpoint::get("aicode.changes_csv", Api::AiCode, "/analytics/ai-code/changes.csv", Bucket::AiCode)
        .csv_response()
        .dates(DateParams::AiCode, None);

/// `GET /analytics/ai-code/commits/{commitHash}`: the commits with these hashes (several,
/// comma-separated), optionally on one `branch` (current documents; limited alpha). Answers
/// carry an `ETag`.
pub const COMMITS_BY_HASH: Endpoint =
    Endpoint::get("aicode.commits_by_hash", Api::AiCode, "/analytics/ai-code/commits/{commitHash}", Bucket::AiCode)
        .cacheable()
        .dates(DateParams::AiCode, None);

/// The endpoints the seed documents do not have, from the current documentation (NEWER.md).
pub const NEWER_ENDPOINTS: &[&Endpoint] = &[&COMMITS_BY_HASH];

/// Every endpoint of this crate.
pub const ENDPOINTS: &[&Endpoint] = &[&COMMITS, &COMMITS_CSV, &CHANGES, &CHANGES_CSV, &COMMITS_BY_HASH];
