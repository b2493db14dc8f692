//! The five AI Code Tracking endpoint declarations (four from the seeds, one from the current
//! documents), and the list the contract tests read.

use cursor_core::{Api, Bucket, DateFormat, DateParams, Endpoint, MoreSignal, Pagination, ParamLocation, Rate};

/// The AI Code Tracking API (`/analytics/ai-code/…`).
pub const AICODE_API: Api = Api::new("aicode", "the AI Code Tracking API");

/// Every AI Code Tracking endpoint: 20 requests a minute **for each endpoint on its own**
/// (one document says 5).
pub const AICODE_BUCKET: Bucket = Bucket::new("aicode", &[Rate::per_minute(20)]).per_endpoint();

/// Every bucket of the AI Code Tracking API.
pub const BUCKETS: &[Bucket] = &[AICODE_BUCKET];

/// Commit and change pages: `page`/`pageSize` in the query, answered with `totalCount`,
/// `page` and `pageSize` at the top.
pub const COUNTED_PAGES: Pagination = Pagination::numbered(
    ParamLocation::Query,
    "page",
    "pageSize",
    MoreSignal::TotalItems { total: "/totalCount", page: "/page", page_size: "/pageSize" },
)
.page_fields(&["page", "pageSize"]);

/// The AI-code date dialect: `startDate`/`endDate` in the query, ISO 8601 or `now`/`Nd`.
pub const ISO_DATES: DateParams =
    DateParams::new("startDate", "endDate", ParamLocation::Query, DateFormat::IsoOrShorthand);

/// `GET /analytics/ai-code/commits`: per-commit AI line attribution, paginated JSON
/// (`totalCount`, `page`, `pageSize` at top level; `pageSize` at most 1000). Answers carry an
/// `ETag`, revalidated with `If-None-Match`.
pub const COMMITS: Endpoint = Endpoint::get("aicode.commits", AICODE_API, "/analytics/ai-code/commits", AICODE_BUCKET)
    .paginated(COUNTED_PAGES)
    .cacheable()
    .dates(ISO_DATES, None);

/// `GET /analytics/ai-code/commits.csv`: the same commits as a streamed CSV export (the server
/// streams pages of 10,000 rows). Not cached: streamed bodies are never buffered.
pub const COMMITS_CSV: Endpoint =
    Endpoint::get("aicode.commits_csv", AICODE_API, "/analytics/ai-code/commits.csv", AICODE_BUCKET)
        .csv_response()
        .dates(ISO_DATES, None);

/// `GET /analytics/ai-code/changes`: accepted AI changes grouped by `changeId`, paginated
/// JSON (`pageSize` at most 1000). Answers carry an `ETag`.
pub const CHANGES: Endpoint = Endpoint::get("aicode.changes", AICODE_API, "/analytics/ai-code/changes", AICODE_BUCKET)
    .paginated(COUNTED_PAGES)
    .cacheable()
    .dates(ISO_DATES, None);

/// `GET /analytics/ai-code/changes.csv`: the same changes as a streamed CSV export, file
/// metadata in the `metadata_json` column.
pub const CHANGES_CSV: Endpoint =
    Endpoint::get("aicode.changes_csv", AICODE_API, "/analytics/ai-code/changes.csv", AICODE_BUCKET)
        .csv_response()
        .dates(ISO_DATES, None);

/// `GET /analytics/ai-code/commits/{commitHash}`: the commits with these hashes (several,
/// comma-separated), optionally on one `branch` (current documents; limited alpha). Answers
/// carry an `ETag`.
pub const COMMITS_BY_HASH: Endpoint =
    Endpoint::get("aicode.commits_by_hash", AICODE_API, "/analytics/ai-code/commits/{commitHash}", AICODE_BUCKET)
        .cacheable()
        .dates(ISO_DATES, None);

/// The endpoints the seed documents do not have, from the current documentation (NEWER.md).
pub const NEWER_ENDPOINTS: &[&Endpoint] = &[&COMMITS_BY_HASH];

/// Every endpoint of this crate.
pub const ENDPOINTS: &[&Endpoint] = &[&COMMITS, &COMMITS_CSV, &CHANGES, &CHANGES_CSV, &COMMITS_BY_HASH];
