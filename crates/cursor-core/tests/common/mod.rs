//! Declarations shared by the core's integration tests. The core knows no API, so its tests
//! declare families, buckets, page shapes and date dialects of their own, shaped like the
//! ones the API crates declare (each test file uses some of them).
#![allow(dead_code)]

use cursor_core::{Api, Bucket, DateFormat, DateParams, MoreSignal, Pagination, ParamLocation, Rate};

/// A team-administration family (page numbers, 20 a minute).
pub const TEAM: Api = Api::new("team", "the team API");
/// A read-heavy family with cacheable answers.
pub const STATS: Api = Api::new("stats", "the stats API");
/// A family of exports, each endpoint with its own budget.
pub const EXPORTS: Api = Api::new("exports", "the exports API");
/// A family of jobs, paged by cursor.
pub const JOBS: Api = Api::new("jobs", "the jobs API");

/// The team family's shared budget.
pub const TEAM_BUCKET: Bucket = Bucket::new("team", &[Rate::per_minute(20)]);
/// The stats family's shared budget.
pub const STATS_BUCKET: Bucket = Bucket::new("stats", &[Rate::per_minute(100)]);
/// 20 a minute for each export endpoint on its own.
pub const EXPORTS_BUCKET: Bucket = Bucket::new("exports", &[Rate::per_minute(20)]).per_endpoint();
/// The jobs family's shared budget.
pub const JOBS_BUCKET: Bucket = Bucket::new("jobs", &[Rate::per_minute(60)]);

/// `?page=&pageSize=`, answered with `pagination{page,totalPages,hasNextPage}`.
pub const BLOCK_PAGES: Pagination = Pagination::numbered(
    ParamLocation::Query,
    "page",
    "pageSize",
    MoreSignal::Flag {
        has_next: "/pagination/hasNextPage",
        page: Some("/pagination/page"),
        total_pages: Some("/pagination/totalPages"),
    },
)
.page_fields(&["pagination"]);
/// `page`/`pageSize` in the body, answered with `pagination{currentPage,numPages,hasNextPage}`.
pub const BODY_BLOCK_PAGES: Pagination = Pagination::numbered(
    ParamLocation::Body,
    "page",
    "pageSize",
    MoreSignal::Flag {
        has_next: "/pagination/hasNextPage",
        page: Some("/pagination/currentPage"),
        total_pages: Some("/pagination/numPages"),
    },
)
.page_fields(&["pagination"]);
/// `page`/`pageSize` in the body, answered with `totalPages` at the top.
pub const BODY_TOTAL_PAGES: Pagination =
    Pagination::numbered(ParamLocation::Body, "page", "pageSize", MoreSignal::TotalPages("/totalPages"))
        .page_fields(&["totalPages"]);
/// `?page=&pageSize=`, answered with `totalCount`, `page` and `pageSize` at the top.
pub const TOTAL_COUNT_PAGES: Pagination = Pagination::numbered(
    ParamLocation::Query,
    "page",
    "pageSize",
    MoreSignal::TotalItems { total: "/totalCount", page: "/page", page_size: "/pageSize" },
)
.page_fields(&["page", "pageSize"]);
/// `?cursor=&limit=`, answered with `nextCursor`.
pub const CURSOR_PAGES: Pagination = Pagination::cursor("cursor", "limit", "/nextCursor").page_fields(&["nextCursor"]);

/// `startTime`/`endTime` in the query, as given.
pub const AS_GIVEN_DATES: DateParams =
    DateParams::new("startTime", "endTime", ParamLocation::Query, cursor_core::DateFormat::AsGiven);
/// `startDate`/`endDate` as epoch milliseconds in the body.
pub const MILLIS_DATES: DateParams =
    DateParams::new("startDate", "endDate", ParamLocation::Body, DateFormat::EpochMillis);
/// `startDate`/`endDate` as days in the query.
pub const DAY_DATES: DateParams = DateParams::new("startDate", "endDate", ParamLocation::Query, DateFormat::Days);

/// A page's `pagination` block in either naming (`page`/`totalPages` or
/// `currentPage`/`numPages`), read as the declared [`MoreSignal::Flag`] reads it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageBlock {
    pub page: Option<u32>,
    pub current_page: Option<u32>,
    pub total_pages: Option<u32>,
    pub num_pages: Option<u32>,
    #[serde(default)]
    pub has_next_page: bool,
}

impl PageBlock {
    /// What follows the page that carried this block.
    pub fn next_page(&self, requested: u32) -> cursor_core::NextPage {
        cursor_core::next_by_flag(
            self.page.or(self.current_page).unwrap_or(requested),
            self.has_next_page,
            self.total_pages.or(self.num_pages),
        )
    }
}
