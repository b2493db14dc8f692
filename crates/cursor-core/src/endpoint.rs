//! Endpoint declarations: the one description of each endpoint that API crates declare, the
//! core executes and the contract tests read.

use std::time::Duration;

/// The five Cursor API families. Each answers errors in its own shape and has its own limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Api {
    /// Admin API (`/teams/…`, `/settings/…`).
    Admin,
    /// Analytics API (`/analytics/team/…`, `/analytics/by-user/…`).
    Analytics,
    /// AI Code Tracking API (`/analytics/ai-code/…`).
    AiCode,
    /// Cloud Agents API v0 (`/v0/…`).
    CloudAgents,
    /// Bugbot admin API (`/bugbot/…`).
    Bugbot,
}

impl Api {
    /// A short lowercase name, used in tracing fields and errors.
    pub const fn as_str(self) -> &'static str {
        match self {
            Api::Admin => "admin",
            Api::Analytics => "analytics",
            Api::AiCode => "aicode",
            Api::CloudAgents => "agents",
            Api::Bugbot => "bugbot",
        }
    }
}

/// HTTP methods the Cursor APIs use. The SDK's own type, so no HTTP crate leaks into APIs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name as sent on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A rate-limit bucket: requests in one bucket share one budget per API key.
///
/// Defaults (from the documents; every one can be overridden with
/// [`RateLimits`](crate::RateLimits)):
///
/// | bucket | default |
/// | --- | --- |
/// | [`Admin`](Bucket::Admin) | 20 requests/minute |
/// | [`AdminSpendLimit`](Bucket::AdminSpendLimit) | 60 requests/minute (one document says 250) |
/// | [`AnalyticsTeam`](Bucket::AnalyticsTeam) | 100 requests/minute |
/// | [`AnalyticsByUser`](Bucket::AnalyticsByUser) | 50 requests/minute |
/// | [`AiCode`](Bucket::AiCode) | 20 requests/minute **for each endpoint separately** (one document says 5) |
/// | [`CloudAgents`](Bucket::CloudAgents) | 60 requests/minute ("standard rate limiting": no number is documented) |
/// | [`CloudAgentsRepositories`](Bucket::CloudAgentsRepositories) | 1 request/minute and 30 requests/hour |
/// | [`Bugbot`](Bucket::Bugbot) | 60 requests/minute (no number is documented) |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Bucket {
    /// Most Admin API endpoints.
    Admin,
    /// `POST /teams/user-spend-limit`.
    AdminSpendLimit,
    /// Analytics team-level endpoints.
    AnalyticsTeam,
    /// Analytics by-user endpoints.
    AnalyticsByUser,
    /// AI Code Tracking endpoints; the limit applies to each endpoint on its own.
    AiCode,
    /// Cloud Agents endpoints other than `/v0/repositories`.
    CloudAgents,
    /// `GET /v0/repositories`.
    CloudAgentsRepositories,
    /// Bugbot admin endpoints.
    Bugbot,
    /// `POST /teams/filtered-usage-events` (its own budget in the current documents).
    AdminUsageEvents,
    /// `POST /teams/remove-member`.
    AdminRemoveMember,
    /// `GET /analytics/team/conversation-insights`.
    AnalyticsConversationInsights,
    /// `POST /bugbot/review`.
    BugbotReview,
    /// `POST /bugbot/review` with `dryRun`.
    BugbotReviewDryRun,
}

impl Bucket {
    /// Every bucket, for iteration in tests and tooling.
    pub const ALL: [Bucket; 13] = [
        Bucket::Admin,
        Bucket::AdminSpendLimit,
        Bucket::AnalyticsTeam,
        Bucket::AnalyticsByUser,
        Bucket::AiCode,
        Bucket::CloudAgents,
        Bucket::CloudAgentsRepositories,
        Bucket::Bugbot,
        Bucket::AdminUsageEvents,
        Bucket::AdminRemoveMember,
        Bucket::AnalyticsConversationInsights,
        Bucket::BugbotReview,
        Bucket::BugbotReviewDryRun,
    ];

    /// Whether each endpoint in the bucket has a budget of its own (AI Code Tracking: "20
    /// requests/minute per endpoint") rather than sharing one.
    pub const fn is_per_endpoint(self) -> bool {
        matches!(self, Bucket::AiCode)
    }

    /// A short name for tracing and errors.
    pub const fn as_str(self) -> &'static str {
        match self {
            Bucket::Admin => "admin",
            Bucket::AdminSpendLimit => "admin-spend-limit",
            Bucket::AnalyticsTeam => "analytics-team",
            Bucket::AnalyticsByUser => "analytics-by-user",
            Bucket::AiCode => "aicode",
            Bucket::CloudAgents => "agents",
            Bucket::CloudAgentsRepositories => "agents-repositories",
            Bucket::Bugbot => "bugbot",
            Bucket::AdminUsageEvents => "admin-usage-events",
            Bucket::AdminRemoveMember => "admin-remove-member",
            Bucket::AnalyticsConversationInsights => "analytics-conversation-insights",
            Bucket::BugbotReview => "bugbot-review",
            Bucket::BugbotReviewDryRun => "bugbot-review-dry-run",
        }
    }
}

/// How an endpoint pages its results. The six page-number shapes differ in where the page
/// number goes and how the response says whether another page follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pagination {
    /// Not paginated.
    None,
    /// Audit logs: `page`/`pageSize` in the query;
    /// `pagination{page,pageSize,totalCount,totalPages,hasNextPage,hasPreviousPage}`.
    AuditLog,
    /// Usage events: `page`/`pageSize` in the JSON body; `totalUsageEventsCount` and
    /// `pagination{numPages,currentPage,pageSize,hasNextPage,hasPreviousPage}`.
    UsageEvents,
    /// Spend: `page`/`pageSize` in the JSON body; `totalMembers` and `totalPages` at top level.
    Spend,
    /// AI code: `page`/`pageSize` in the query; `totalCount`, `page`, `pageSize` at top level.
    AiCode,
    /// Analytics by-user endpoints: `page`/`pageSize` in the query;
    /// `pagination{page,pageSize,totalUsers,totalPages,hasNextPage,hasPreviousPage}`.
    AnalyticsByUser,
    /// Analytics leaderboard: same parameters and block as by-user, default page size 10.
    Leaderboard,
    /// Cloud agents: `limit` and `cursor` in the query, `nextCursor` in the response.
    Cursor,
}

/// Where a paginated endpoint takes its page number (or cursor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageParamLocation {
    /// In the query string.
    Query,
    /// In the JSON request body.
    Body,
}

impl Pagination {
    /// Where the page parameter goes, and its name; `None` for unpaginated endpoints.
    pub const fn page_param(self) -> Option<(PageParamLocation, &'static str)> {
        match self {
            Pagination::None => None,
            Pagination::UsageEvents | Pagination::Spend => Some((PageParamLocation::Body, "page")),
            Pagination::AuditLog | Pagination::AiCode | Pagination::AnalyticsByUser | Pagination::Leaderboard => {
                Some((PageParamLocation::Query, "page"))
            }
            Pagination::Cursor => Some((PageParamLocation::Query, "cursor")),
        }
    }

    /// The name of the page-size parameter (`pageSize`, or `limit` for cursor pages).
    pub const fn page_size_param(self) -> Option<&'static str> {
        match self {
            Pagination::None => None,
            Pagination::Cursor => Some("limit"),
            _ => Some("pageSize"),
        }
    }
}

/// What an endpoint answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseKind {
    /// A JSON document.
    Json,
    /// No body (`204 No Content`).
    Empty,
    /// A CSV stream, read row by row.
    Csv,
    /// A stream of Server-Sent Events (`text/event-stream`), read as it arrives.
    EventStream,
}

impl ResponseKind {
    /// The `Accept` header sent for this kind of answer.
    pub const fn accept(self) -> &'static str {
        match self {
            ResponseKind::Csv => "text/csv",
            ResponseKind::EventStream => "text/event-stream",
            ResponseKind::Json | ResponseKind::Empty => "application/json",
        }
    }
}

/// The date dialect an endpoint speaks for its range parameters, and the range cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateParams {
    /// No date parameters.
    None,
    /// Audit logs: `startTime`/`endTime` in the query, any documented form; 30-day cap.
    AuditLog,
    /// `startDate`/`endDate` as epoch milliseconds in the JSON body.
    EpochMillisBody,
    /// Analytics: `startDate`/`endDate` in the query, `YYYY-MM-DD` preferred; 30-day cap.
    AnalyticsDay,
    /// AI code: `startDate`/`endDate` in the query, ISO 8601, `now` or `Nd`.
    AiCode,
}

/// The description of one endpoint. API crates declare one `const` per endpoint; the client
/// executes requests built from it, and the contract tests read the same values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    /// A stable dotted name (`admin.audit_logs`), used in tracing and errors.
    pub name: &'static str,
    /// The API family.
    pub api: Api,
    /// The HTTP method.
    pub method: Method,
    /// The path template; parameters are written `{name}` (`/teams/groups/{groupId}`).
    pub path: &'static str,
    /// The rate-limit bucket.
    pub bucket: Bucket,
    /// Whether repeating the request cannot change anything more than sending it once did.
    /// Idempotent requests are retried after 5xx, timeouts and connection errors; others
    /// only after a `429`, when the server says it did nothing.
    pub idempotent: bool,
    /// Why the endpoint is (or is not) idempotent: the method's default reason, or the one
    /// its declaration gave with [`idempotent_because`](Self::idempotent_because). The
    /// workspace's contract tests list every endpoint's idempotency beside this reason.
    pub idempotency_reason: &'static str,
    /// The pagination shape.
    pub pagination: Pagination,
    /// Whether responses carry an `ETag` worth revalidating with `If-None-Match`.
    pub cacheable: bool,
    /// What the endpoint answers with.
    pub response: ResponseKind,
    /// The date dialect of the range parameters.
    pub dates: DateParams,
    /// The longest range, in days, that one request may cover.
    pub max_range_days: Option<u32>,
    /// A request timeout that overrides the client's (some endpoints are slow by nature).
    pub timeout: Option<Duration>,
    /// For endpoints that create something: what a caller should do when the outcome of a
    /// request is unknown (it may have reached the server before the connection failed).
    pub uncertain_outcome_hint: Option<&'static str>,
}

impl Endpoint {
    const fn new(name: &'static str, api: Api, method: Method, path: &'static str, bucket: Bucket) -> Self {
        Self {
            name,
            api,
            method,
            path,
            bucket,
            // GET, PUT and DELETE are idempotent by HTTP's definition; POST and PATCH are not
            // unless the declaration says why this one is.
            idempotent: matches!(method, Method::Get | Method::Put | Method::Delete),
            idempotency_reason: match method {
                Method::Get => "a GET only reads",
                Method::Put => "a PUT sets a whole state: sending it again leaves the same state",
                Method::Delete => "deleting the same thing again leaves the same state",
                Method::Post | Method::Patch => "a POST or PATCH may create or change something each time it is sent",
            },
            pagination: Pagination::None,
            cacheable: false,
            response: ResponseKind::Json,
            dates: DateParams::None,
            max_range_days: None,
            timeout: None,
            uncertain_outcome_hint: None,
        }
    }

    /// A `GET` endpoint.
    pub const fn get(name: &'static str, api: Api, path: &'static str, bucket: Bucket) -> Self {
        Self::new(name, api, Method::Get, path, bucket)
    }

    /// A `POST` endpoint (not idempotent unless [`idempotent_because`](Self::idempotent_because)
    /// says why it is).
    pub const fn post(name: &'static str, api: Api, path: &'static str, bucket: Bucket) -> Self {
        Self::new(name, api, Method::Post, path, bucket)
    }

    /// A `PUT` endpoint: it sets a whole state, so it is idempotent.
    pub const fn put(name: &'static str, api: Api, path: &'static str, bucket: Bucket) -> Self {
        Self::new(name, api, Method::Put, path, bucket)
    }

    /// A `PATCH` endpoint (not idempotent).
    pub const fn patch(name: &'static str, api: Api, path: &'static str, bucket: Bucket) -> Self {
        Self::new(name, api, Method::Patch, path, bucket)
    }

    /// A `DELETE` endpoint.
    pub const fn delete(name: &'static str, api: Api, path: &'static str, bucket: Bucket) -> Self {
        Self::new(name, api, Method::Delete, path, bucket)
    }

    /// Declares the endpoint idempotent, and why: a `POST` that only reads (a query with a
    /// body), or a write that sets a fixed state (so sending it twice leaves what sending it
    /// once did). It is then retried like a read. The one way to declare idempotency.
    pub const fn idempotent_because(mut self, reason: &'static str) -> Self {
        self.idempotent = true;
        self.idempotency_reason = reason;
        self
    }

    /// Declares the endpoint not idempotent, and why, where its method alone would say it is
    /// (a `DELETE` or `PUT` that also creates or counts something).
    pub const fn not_idempotent_because(mut self, reason: &'static str) -> Self {
        self.idempotent = false;
        self.idempotency_reason = reason;
        self
    }

    /// Sets the pagination shape.
    pub const fn paginated(mut self, pagination: Pagination) -> Self {
        self.pagination = pagination;
        self
    }

    /// Marks responses as revalidatable with `ETag`/`If-None-Match`.
    pub const fn cacheable(mut self) -> Self {
        self.cacheable = true;
        self
    }

    /// Declares a `204 No Content` answer.
    pub const fn empty_response(mut self) -> Self {
        self.response = ResponseKind::Empty;
        self
    }

    /// Declares a CSV answer.
    pub const fn csv_response(mut self) -> Self {
        self.response = ResponseKind::Csv;
        self
    }

    /// Declares a Server-Sent Events answer.
    pub const fn event_stream_response(mut self) -> Self {
        self.response = ResponseKind::EventStream;
        self
    }

    /// Sets the date dialect and the longest range one request may cover.
    pub const fn dates(mut self, dates: DateParams, max_range_days: Option<u32>) -> Self {
        self.dates = dates;
        self.max_range_days = max_range_days;
        self
    }

    /// Overrides the client's request timeout for this endpoint.
    pub const fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Says what to do when a request to this (non-idempotent) endpoint may or may not have
    /// taken effect.
    pub const fn uncertain_outcome_hint(mut self, hint: &'static str) -> Self {
        self.uncertain_outcome_hint = Some(hint);
        self
    }

    /// The names of the `{…}` parameters in the path template, in order.
    pub fn path_params(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        let mut rest = self.path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else { break };
            names.push(&rest[open + 1..open + close]);
            rest = &rest[open + close + 1..];
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GROUP: Endpoint = Endpoint::get("t.group", Api::Admin, "/teams/groups/{groupId}/members/{x}", Bucket::Admin);

    #[test]
    fn idempotency_defaults_from_method_and_declarations_override_with_a_reason() {
        assert!(Endpoint::get("a", Api::Admin, "/", Bucket::Admin).idempotent);
        assert!(Endpoint::delete("a", Api::Admin, "/", Bucket::Admin).idempotent);
        assert!(Endpoint::put("a", Api::Admin, "/", Bucket::Admin).idempotent);
        assert!(!Endpoint::post("a", Api::Admin, "/", Bucket::Admin).idempotent);
        assert!(!Endpoint::patch("a", Api::Admin, "/", Bucket::Admin).idempotent);
        let read = Endpoint::post("a", Api::Admin, "/", Bucket::Admin).idempotent_because("reads only");
        assert!(read.idempotent);
        assert_eq!(read.idempotency_reason, "reads only");
        let counted = Endpoint::delete("a", Api::Admin, "/", Bucket::Admin).not_idempotent_because("counts");
        assert!(!counted.idempotent);
        assert_eq!(counted.idempotency_reason, "counts");
        assert!(Endpoint::post("a", Api::Admin, "/", Bucket::Admin).idempotency_reason.contains("POST"));
    }

    #[test]
    fn lists_path_parameters() {
        assert_eq!(GROUP.path_params(), vec!["groupId", "x"]);
    }

    #[test]
    fn page_parameter_locations_follow_the_documents() {
        assert_eq!(Pagination::Spend.page_param(), Some((PageParamLocation::Body, "page")));
        assert_eq!(Pagination::UsageEvents.page_param(), Some((PageParamLocation::Body, "page")));
        assert_eq!(Pagination::AuditLog.page_param(), Some((PageParamLocation::Query, "page")));
        assert_eq!(Pagination::Cursor.page_param(), Some((PageParamLocation::Query, "cursor")));
        assert_eq!(Pagination::Cursor.page_size_param(), Some("limit"));
        assert_eq!(Pagination::None.page_param(), None);
    }
}
