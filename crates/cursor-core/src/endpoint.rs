//! Endpoint declarations: the one description of each endpoint that API crates declare, the
//! core executes and the contract tests read.

use std::time::Duration;

use crate::limits::Rate;

/// An API family: requests of one family answer errors in one shape and share its buckets.
/// API crates declare their family as a `const` (`Api::new("admin", "the Admin API")`); the
/// core only carries it into tracing, errors and observer events.
///
/// Two families are the same when their names are.
#[derive(Debug, Clone, Copy)]
pub struct Api {
    name: &'static str,
    title: &'static str,
}

impl Api {
    /// A family named `name` (short and lowercase: `admin`), called `title` in sentences
    /// written for people (`the Admin API`).
    pub const fn new(name: &'static str, title: &'static str) -> Self {
        Self { name, title }
    }

    /// The short lowercase name, used in tracing fields and errors.
    pub const fn as_str(self) -> &'static str {
        self.name
    }

    /// The name for people, as it reads in a sentence (`the Admin API`).
    pub const fn title(self) -> &'static str {
        self.title
    }
}

impl PartialEq for Api {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Api {}

impl std::hash::Hash for Api {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl PartialOrd for Api {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Api {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name.cmp(other.name)
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

/// A rate-limit bucket: requests in one bucket share one budget per API key. API crates
/// declare their buckets as `const`s with the documented default rates; a client's
/// [`RateLimits`](crate::RateLimits) may replace any bucket's rates.
///
/// A bucket is known by its name: two declarations with one name are one bucket (the
/// workspace's contract tests check that no two crates declare one name differently).
///
/// ```
/// use cursor_core::{Bucket, Rate};
///
/// // Several rates all apply: at most 1 request a minute and 30 an hour.
/// const REPOSITORIES: Bucket = Bucket::new("repositories", &[Rate::per_minute(1), Rate::per_hour(30)]);
/// // "20 requests a minute per endpoint": each endpoint in the bucket has a budget of its own.
/// const EXPORTS: Bucket = Bucket::new("exports", &[Rate::per_minute(20)]).per_endpoint();
/// assert!(EXPORTS.is_per_endpoint() && !REPOSITORIES.is_per_endpoint());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    name: &'static str,
    default_rates: &'static [Rate],
    per_endpoint: bool,
}

impl Bucket {
    /// A bucket named `name` (short, lowercase, unique: `admin-spend-limit`) whose requests
    /// share `default_rates` unless a client's [`RateLimits`](crate::RateLimits) says
    /// otherwise. No rates: no client-side limit (a `429` still pauses the bucket).
    pub const fn new(name: &'static str, default_rates: &'static [Rate]) -> Self {
        Self { name, default_rates, per_endpoint: false }
    }

    /// Gives each endpoint in the bucket a budget of its own ("20 requests/minute per
    /// endpoint") rather than one shared by all.
    pub const fn per_endpoint(mut self) -> Self {
        self.per_endpoint = true;
        self
    }

    /// Whether each endpoint in the bucket has a budget of its own.
    pub const fn is_per_endpoint(self) -> bool {
        self.per_endpoint
    }

    /// The rates the bucket has unless a client's limits replace them.
    pub const fn default_rates(self) -> &'static [Rate] {
        self.default_rates
    }

    /// The bucket's name, for tracing and errors.
    pub const fn as_str(self) -> &'static str {
        self.name
    }
}

impl PartialEq for Bucket {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Bucket {}

impl std::hash::Hash for Bucket {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl PartialOrd for Bucket {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Bucket {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name.cmp(other.name)
    }
}

/// Where a request parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    /// In the query string.
    Query,
    /// In the JSON request body.
    Body,
}

/// How an answer says whether another page follows, as [JSON pointers] into the answer.
/// The typed page models of the API crates implement the same rule in
/// [`Page::next_page`](crate::Page::next_page); [`next_page`](Self::next_page) reads it from
/// an untyped answer (the command line's `api --paginate`), and the workspace's contract
/// tests check that the two agree on every documented example.
///
/// [JSON pointers]: https://www.rfc-editor.org/rfc/rfc6901
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MoreSignal {
    /// A boolean says whether more follow; the answer may also say which page it is and how
    /// many there are (a page that says more follow past the last is inconsistent).
    Flag {
        /// The boolean (`/pagination/hasNextPage`).
        has_next: &'static str,
        /// The page number the answer says it is, if it says.
        page: Option<&'static str>,
        /// The number of pages, if the answer says.
        total_pages: Option<&'static str>,
    },
    /// The number of pages; the page asked for is the current one.
    TotalPages(&'static str),
    /// The number of items across all pages: more follow while `page × page size` is below it.
    TotalItems {
        /// The number of items (`/totalCount`).
        total: &'static str,
        /// The page number the answer says it is.
        page: &'static str,
        /// The page size the answer says it used.
        page_size: &'static str,
    },
    /// The next page's cursor; absent, null or empty on the last page.
    Cursor(&'static str),
}

impl MoreSignal {
    /// What follows the page `body`, which answered a request for page `requested`.
    pub fn next_page(&self, body: &serde_json::Value, requested: u32) -> crate::NextPage {
        let number = |pointer: &str| body.pointer(pointer).and_then(serde_json::Value::as_u64);
        let page_number = |pointer: &str| number(pointer).and_then(|n| u32::try_from(n).ok());
        match *self {
            MoreSignal::Flag { has_next, page, total_pages } => crate::next_by_flag(
                page.and_then(page_number).unwrap_or(requested),
                body.pointer(has_next).and_then(serde_json::Value::as_bool).unwrap_or(false),
                total_pages.and_then(page_number),
            ),
            MoreSignal::TotalPages(total) => crate::next_by_total_pages(requested, page_number(total)),
            MoreSignal::TotalItems { total, page, page_size } => crate::next_by_total_count(
                page_number(page).unwrap_or(requested),
                page_number(page_size).unwrap_or(0),
                number(total).unwrap_or(0),
            ),
            MoreSignal::Cursor(next) => crate::next_by_cursor(body.pointer(next).and_then(serde_json::Value::as_str)),
        }
    }
}

/// How an endpoint pages its results: where the page (number or cursor) and the page size
/// go and what they are called, how an answer says another page follows, and which fields of
/// an answer describe only that page.
///
/// ```
/// use cursor_core::{MoreSignal, Pagination, ParamLocation};
///
/// // `?page=2&pageSize=100`, answered with `pagination{hasNextPage,totalPages}`.
/// const PAGED: Pagination = Pagination::numbered(
///     ParamLocation::Query,
///     "page",
///     "pageSize",
///     MoreSignal::Flag { has_next: "/pagination/hasNextPage", page: None, total_pages: Some("/pagination/totalPages") },
/// )
/// .page_fields(&["pagination"]);
/// assert_eq!(PAGED.page_fields, ["pagination"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Pagination {
    /// Where the page parameter and the page size go.
    pub location: ParamLocation,
    /// The page parameter's name (`page`, `cursor`).
    pub page_param: &'static str,
    /// The page size's name (`pageSize`, `limit`).
    pub size_param: &'static str,
    /// How an answer says whether another page follows.
    pub more: MoreSignal,
    /// Top-level fields of an answer that describe that page only (its `pagination` block,
    /// `nextCursor`): left out when pages are merged into one document.
    pub page_fields: &'static [&'static str],
}

impl Pagination {
    /// Pages named by number (1 for the first) in `location`, as `page_param`, with the size
    /// as `size_param`.
    pub const fn numbered(
        location: ParamLocation,
        page_param: &'static str,
        size_param: &'static str,
        more: MoreSignal,
    ) -> Self {
        Self { location, page_param, size_param, more, page_fields: &[] }
    }

    /// Pages named by a cursor in the query as `page_param`, with the size as `size_param`;
    /// the answer's `next_cursor` pointer gives the next one.
    pub const fn cursor(page_param: &'static str, size_param: &'static str, next_cursor: &'static str) -> Self {
        Self {
            location: ParamLocation::Query,
            page_param,
            size_param,
            more: MoreSignal::Cursor(next_cursor),
            page_fields: &[],
        }
    }

    /// Names the top-level fields that describe one page only.
    pub const fn page_fields(mut self, fields: &'static [&'static str]) -> Self {
        self.page_fields = fields;
        self
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

/// How an endpoint writes the dates of its range parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DateFormat {
    /// Every documented form as the caller gave it (ISO 8601 dates and instants, epoch
    /// milliseconds, `now`, `today`, `yesterday`, `7d`, `24h`, `30s`).
    AsGiven,
    /// Epoch milliseconds, as JSON numbers; every form is resolved to an instant first.
    EpochMillis,
    /// Calendar days: `YYYY-MM-DD`, or `now`, `today`, `yesterday`, `Nd`; an instant is reduced
    /// to its UTC day (the server ignores the time, and a time defeats caching). A range
    /// longer than the cap is split into inclusive day windows.
    Days,
    /// ISO 8601: `YYYY-MM-DD` or an instant, or `now` and `Nd`; other forms are resolved to an
    /// instant.
    IsoOrShorthand,
}

/// The dialect an endpoint speaks for its date range: the names of the start and end
/// parameters, where they go, and how dates are written.
///
/// ```
/// use cursor_core::{DateFormat, DateParams, ParamLocation};
///
/// const WINDOW: DateParams = DateParams::new("from", "to", ParamLocation::Query, DateFormat::Days);
/// assert_eq!((WINDOW.start, WINDOW.end), ("from", "to"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateParams {
    /// The start parameter's name (`startDate`).
    pub start: &'static str,
    /// The end parameter's name (`endDate`).
    pub end: &'static str,
    /// Where both go.
    pub location: ParamLocation,
    /// How dates are written.
    pub format: DateFormat,
}

impl DateParams {
    /// A dialect with these parameter names, location and format.
    pub const fn new(start: &'static str, end: &'static str, location: ParamLocation, format: DateFormat) -> Self {
        Self { start, end, location, format }
    }
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
    /// How the endpoint pages its results; `None` when it does not.
    pub pagination: Option<Pagination>,
    /// Whether responses carry an `ETag` worth revalidating with `If-None-Match`.
    pub cacheable: bool,
    /// What the endpoint answers with.
    pub response: ResponseKind,
    /// The dialect of the date range parameters; `None` when the endpoint takes no range.
    pub dates: Option<DateParams>,
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
            pagination: None,
            cacheable: false,
            response: ResponseKind::Json,
            dates: None,
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

    /// Declares how the endpoint pages its results.
    pub const fn paginated(mut self, pagination: Pagination) -> Self {
        self.pagination = Some(pagination);
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
        self.dates = Some(dates);
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
    use crate::NextPage;
    use serde_json::json;

    const FAMILY: Api = Api::new("t", "the test API");
    const BUCKET: Bucket = Bucket::new("t", &[Rate::per_minute(5)]);
    const GROUP: Endpoint = Endpoint::get("t.group", FAMILY, "/teams/groups/{groupId}/members/{x}", BUCKET);

    #[test]
    fn idempotency_defaults_from_method_and_declarations_override_with_a_reason() {
        assert!(Endpoint::get("a", FAMILY, "/", BUCKET).idempotent);
        assert!(Endpoint::delete("a", FAMILY, "/", BUCKET).idempotent);
        assert!(Endpoint::put("a", FAMILY, "/", BUCKET).idempotent);
        assert!(!Endpoint::post("a", FAMILY, "/", BUCKET).idempotent);
        assert!(!Endpoint::patch("a", FAMILY, "/", BUCKET).idempotent);
        let read = Endpoint::post("a", FAMILY, "/", BUCKET).idempotent_because("reads only");
        assert!(read.idempotent);
        assert_eq!(read.idempotency_reason, "reads only");
        let counted = Endpoint::delete("a", FAMILY, "/", BUCKET).not_idempotent_because("counts");
        assert!(!counted.idempotent);
        assert_eq!(counted.idempotency_reason, "counts");
        assert!(Endpoint::post("a", FAMILY, "/", BUCKET).idempotency_reason.contains("POST"));
    }

    #[test]
    fn lists_path_parameters() {
        assert_eq!(GROUP.path_params(), vec!["groupId", "x"]);
    }

    #[test]
    fn families_and_buckets_are_known_by_name() {
        const SAME_NAME: Bucket = Bucket::new("t", &[Rate::per_hour(1)]);
        const OTHER_NAME: Bucket = Bucket::new("u", &[Rate::per_minute(5)]);
        assert_eq!(BUCKET, SAME_NAME, "one name, one bucket");
        assert_ne!(BUCKET, OTHER_NAME);
        assert_eq!(FAMILY, Api::new("t", "another title"));
        assert_eq!((FAMILY.as_str(), FAMILY.title()), ("t", "the test API"));
        assert_eq!(BUCKET.default_rates(), &[Rate::per_minute(5)]);
    }

    #[test]
    fn each_more_signal_reads_what_follows_from_an_untyped_answer() {
        let flag = MoreSignal::Flag { has_next: "/p/more", page: Some("/p/page"), total_pages: Some("/p/pages") };
        assert_eq!(flag.next_page(&json!({"p": {"more": true, "page": 2, "pages": 3}}), 1), NextPage::Number(3));
        assert_eq!(flag.next_page(&json!({"p": {"more": false, "page": 3}}), 3), NextPage::Done);
        assert!(matches!(
            flag.next_page(&json!({"p": {"more": true, "page": 3, "pages": 3}}), 3),
            NextPage::Inconsistent(_)
        ));
        assert_eq!(flag.next_page(&json!({}), 1), NextPage::Done, "no flag: no more");
        let pages = MoreSignal::TotalPages("/totalPages");
        assert_eq!(pages.next_page(&json!({"totalPages": 2}), 1), NextPage::Number(2));
        assert_eq!(pages.next_page(&json!({"totalPages": 2}), 2), NextPage::Done);
        let items = MoreSignal::TotalItems { total: "/n", page: "/page", page_size: "/size" };
        assert_eq!(items.next_page(&json!({"n": 5, "page": 1, "size": 2}), 1), NextPage::Number(2));
        assert_eq!(items.next_page(&json!({"n": 4, "page": 2, "size": 2}), 2), NextPage::Done);
        let cursor = MoreSignal::Cursor("/next");
        assert_eq!(cursor.next_page(&json!({"next": "c2"}), 1), NextPage::Cursor("c2".into()));
        assert_eq!(cursor.next_page(&json!({"next": ""}), 1), NextPage::Done);
        assert_eq!(cursor.next_page(&json!({"next": null}), 1), NextPage::Done);
    }
}

/// Declarations of the core's own tests: the core knows no real API, so its tests declare
/// families and buckets of their own, shaped like the kinds the API crates declare.
#[cfg(test)]
pub(crate) mod test_declarations {
    use super::{Api, Bucket};
    use crate::limits::Rate;

    /// A family for tests.
    pub(crate) const TEST_API: Api = Api::new("test", "the test API");
    /// One budget of 20 a minute shared by every endpoint in it.
    pub(crate) const SHARED_BUCKET: Bucket = Bucket::new("shared", &[Rate::per_minute(20)]);
    /// 20 a minute for each endpoint on its own.
    pub(crate) const PER_ENDPOINT_BUCKET: Bucket = Bucket::new("per-endpoint", &[Rate::per_minute(20)]).per_endpoint();
    /// 1 a minute and 30 an hour, both in force.
    pub(crate) const TWO_RATE_BUCKET: Bucket = Bucket::new("two-rates", &[Rate::per_minute(1), Rate::per_hour(30)]);
}
