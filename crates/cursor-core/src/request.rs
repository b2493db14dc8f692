//! A request built from an endpoint declaration: path parameters, query, JSON body, options.

use std::time::Duration;

use serde::Serialize;

use time::OffsetDateTime;

use crate::classify::RetryClassifier;
use crate::dates::{DateRange, DateValue};
use crate::endpoint::{Endpoint, Pagination, ParamLocation};
use crate::error::{Error, Result};
use crate::options::RequestOptions;
use crate::retry::RetryPolicy;

/// One call to one endpoint, ready for [`Client`](crate::Client) to send. API crates build
/// these from their endpoint declarations; they never touch HTTP themselves.
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) endpoint: &'static Endpoint,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: Option<serde_json::Value>,
    pub(crate) options: RequestOptions,
    pub(crate) headers: Vec<(String, String)>,
}

impl Request {
    /// A request to `endpoint` with no parameters yet.
    pub fn new(endpoint: &'static Endpoint) -> Self {
        Self {
            endpoint,
            path: endpoint.path.to_owned(),
            query: Vec::new(),
            body: None,
            options: RequestOptions::default(),
            headers: Vec::new(),
        }
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &'static Endpoint {
        self.endpoint
    }

    /// The path with the parameters filled in so far.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query parameters, in order.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The JSON body, if any.
    pub fn body(&self) -> Option<&serde_json::Value> {
        self.body.as_ref()
    }

    /// Fills the `{name}` path parameter, percent-encoding the value as one path segment.
    /// An empty value is refused, since it would address another endpoint.
    pub fn path_param(mut self, name: &str, value: impl AsRef<str>) -> Result<Self> {
        let value = value.as_ref();
        // An empty or dot segment would address another endpoint (`/v0/agents/./stop` is
        // `/v0/agents/stop` once the URL is normalized).
        if value.is_empty() || value == "." || value == ".." {
            return Err(Error::invalid(
                self.endpoint.name,
                format!("path parameter `{name}` must not be empty, `.` or `..`"),
            ));
        }
        let placeholder = format!("{{{name}}}");
        if !self.path.contains(&placeholder) {
            return Err(Error::invalid(
                self.endpoint.name,
                format!("`{}` has no path parameter `{name}`", self.endpoint.path),
            ));
        }
        self.path = self.path.replace(&placeholder, &encode(value, PATH_SAFE));
        Ok(self)
    }

    /// Appends a query parameter.
    pub fn query(mut self, name: &str, value: impl ToString) -> Self {
        self.query.push((name.to_owned(), value.to_string()));
        self
    }

    /// Appends a query parameter when a value is given.
    pub fn query_opt(self, name: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Sets a query parameter, replacing any earlier value.
    pub fn set_query(mut self, name: &str, value: impl ToString) -> Self {
        self.query.retain(|(k, _)| k != name);
        self.query(name, value)
    }

    /// The value of a query parameter.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Sets the JSON body from any serializable value.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self> {
        let value = serde_json::to_value(body).map_err(|e| {
            Error::invalid(self.endpoint.name, format!("the request body could not be serialized: {e}"))
        })?;
        self.body = Some(value);
        Ok(self)
    }

    /// Sets one field of the JSON body (creating an object body if there is none).
    pub fn set_body_field(mut self, name: &str, value: impl Into<serde_json::Value>) -> Self {
        let body = self.body.get_or_insert_with(|| serde_json::Value::Object(Default::default()));
        if let serde_json::Value::Object(map) = body {
            map.insert(name.to_owned(), value.into());
        }
        self
    }

    /// The value of a field of the JSON body.
    pub fn body_field(&self, name: &str) -> Option<&serde_json::Value> {
        self.body.as_ref().and_then(|b| b.get(name))
    }

    /// Puts a date where the endpoint's date dialect says (the query unless it says the
    /// body): milliseconds as JSON numbers, text as strings.
    pub fn date_param(self, name: &str, value: &DateValue) -> Self {
        let location = self.endpoint.dates.map_or(ParamLocation::Query, |dates| dates.location);
        match (location, value) {
            (ParamLocation::Body, DateValue::Millis(ms)) => self.set_body_field(name, *ms),
            (ParamLocation::Body, DateValue::Text(text)) => self.set_body_field(name, text.as_str()),
            (ParamLocation::Query, value) => self.set_query(name, value),
        }
    }

    /// The requests to send for `range`: this one with the range set when it fits the
    /// endpoint's cap (keeping the caller's forms, which cache best), or one per window of at
    /// most the cap when it is longer. A range that ends before it starts is refused.
    pub fn with_range(self, range: &DateRange, now: OffsetDateTime) -> Result<Vec<Request>> {
        let endpoint = self.endpoint;
        let Some(dialect) = endpoint.dates else {
            return Err(Error::invalid(endpoint.name, "this endpoint takes no date range"));
        };
        range.check_order(now).map_err(|message| Error::invalid(endpoint.name, message))?;
        let (start_name, end_name) = (dialect.start, dialect.end);
        Ok(range
            .windows(dialect.format, endpoint.max_range_days, now)
            .into_iter()
            .enumerate()
            .map(|(index, (start, end))| {
                let window = self.clone().date_param(start_name, &start).date_param(end_name, &end);
                // A start page applies to the first window; later windows are read whole.
                if index == 0 { window } else { window.without_page_param() }
            })
            .collect())
    }

    /// Sets the page to read (1-based) under the name and in the place the endpoint's declared
    /// [`Pagination`] gives (`?page=` or `"page"` in the body); `None` leaves the first page.
    /// Only for endpoints declared with a pagination.
    pub fn with_page(self, page: Option<u32>) -> Self {
        debug_assert!(page.is_none() || self.endpoint.pagination.is_some(), "{} is not paginated", self.endpoint.name);
        match page {
            Some(n) => self.with_page_param(PageParam::Number(n)),
            None => self,
        }
    }

    /// Sets the cursor of the page to read, where the endpoint's declared [`Pagination`] puts
    /// it; `None` leaves the first page. Only for endpoints declared with a pagination.
    pub fn with_cursor(self, cursor: Option<&str>) -> Self {
        debug_assert!(
            cursor.is_none() || self.endpoint.pagination.is_some(),
            "{} is not paginated",
            self.endpoint.name
        );
        match cursor {
            Some(c) => self.with_page_param(PageParam::Cursor(c.to_owned())),
            None => self,
        }
    }

    /// Sets the page size under the name and in the place the endpoint's declared
    /// [`Pagination`] gives (`pageSize`, `limit`; query or body); `None` leaves the server's
    /// default. Only for endpoints declared with a pagination.
    pub fn with_page_size(self, size: Option<u32>) -> Self {
        let (Some(size), Some(pagination)) = (size, self.endpoint.pagination) else {
            debug_assert!(size.is_none(), "{} is not paginated", self.endpoint.name);
            return self;
        };
        match pagination.location {
            ParamLocation::Query => self.set_query(pagination.size_param, size),
            ParamLocation::Body => self.set_body_field(pagination.size_param, size),
        }
    }

    /// Removes the page parameter (number or cursor), so the request starts at the first page.
    fn without_page_param(mut self) -> Self {
        match self.endpoint.pagination.map(|p| (p.location, p.page_param)) {
            Some((ParamLocation::Query, name)) => self.query.retain(|(k, _)| k != name),
            Some((ParamLocation::Body, name)) => {
                if let Some(serde_json::Value::Object(map)) = &mut self.body {
                    map.remove(name);
                }
            }
            None => {}
        }
        self
    }

    /// Sets the page parameter where the endpoint's pagination shape expects it.
    pub(crate) fn with_page_param(self, value: PageParam) -> Self {
        let Some(Pagination { location, page_param: name, .. }) = self.endpoint.pagination else { return self };
        match (location, value) {
            (ParamLocation::Query, PageParam::Number(n)) => self.set_query(name, n),
            (ParamLocation::Query, PageParam::Cursor(c)) => self.set_query(name, c),
            (ParamLocation::Body, PageParam::Number(n)) => self.set_body_field(name, n),
            (ParamLocation::Body, PageParam::Cursor(c)) => self.set_body_field(name, c),
        }
    }

    /// The page number the request asks for (1 when unset).
    pub(crate) fn page_number(&self) -> u32 {
        let Some(Pagination { location, page_param: name, .. }) = self.endpoint.pagination else { return 1 };
        let value = match location {
            ParamLocation::Query => self.query_value(name).and_then(|v| v.parse().ok()),
            ParamLocation::Body => {
                self.body_field(name).and_then(serde_json::Value::as_u64).and_then(|v| u32::try_from(v).ok())
            }
        };
        value.unwrap_or(1)
    }

    /// Overrides the client's retry policy for this request.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// Adds a request header an endpoint needs (`Last-Event-ID` to resume an event stream).
    /// The client's own headers (`Authorization`, `Accept`, `Content-Type`, `User-Agent`,
    /// `Host`, `If-None-Match`) cannot be set here, and a name or value that is not a valid
    /// header (a line break, say) is refused before anything is sent.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Result<Self> {
        const RESERVED: [&str; 7] =
            ["authorization", "accept", "content-type", "content-length", "user-agent", "host", "if-none-match"];
        let value = value.into();
        let valid_name = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b));
        if !valid_name || RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
            return Err(Error::invalid(self.endpoint.name, format!("`{name}` cannot be set as a request header")));
        }
        if value.chars().any(|c| c.is_control() || !c.is_ascii()) {
            return Err(Error::invalid(
                self.endpoint.name,
                format!("the `{name}` header value must be printable ASCII"),
            ));
        }
        self.headers.retain(|(existing, _)| !existing.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value));
        Ok(self)
    }

    /// The extra headers set with [`header`](Self::header).
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// Overrides the client's retry classifier for this request.
    pub fn retry_classifier(mut self, classifier: impl RetryClassifier + 'static) -> Self {
        self.options = self.options.retry_classifier(classifier);
        self
    }

    /// Applies per-call options; those the request already set itself stay.
    pub fn with_options(mut self, options: &RequestOptions) -> Self {
        self.options = options.overlaid_by(&self.options);
        self
    }

    /// Overrides the endpoint's idempotency for this request, where the caller knows better
    /// (a write it can tell apart on the server, say). Only idempotent requests are sent
    /// again after they may have reached the server.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.options.idempotent = Some(idempotent);
        self
    }

    /// Whether the request may be sent again after it may have reached the server.
    pub fn is_idempotent(&self) -> bool {
        self.options.idempotent.unwrap_or(self.endpoint.idempotent)
    }

    /// Refuses what no server should receive: control characters in the path or in a query
    /// value (a line break in a filter would be read as part of the request line by some
    /// proxies, and never means what the caller meant).
    pub(crate) fn check_sendable(&self) -> Result<()> {
        let bad = |text: &str| text.chars().any(char::is_control);
        if let Some((name, _)) = self.query.iter().find(|(name, value)| bad(name) || bad(value)) {
            return Err(Error::invalid(
                self.endpoint.name,
                format!("the `{name}` parameter contains a control character (a line break or tab?); remove it"),
            ));
        }
        if bad(&self.path) {
            return Err(Error::invalid(self.endpoint.name, "a path parameter contains a control character; remove it"));
        }
        Ok(())
    }

    /// Overrides the request timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// The path and the encoded query string, as sent (`/teams/audit-logs?page=2`).
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let query: Vec<String> =
            self.query.iter().map(|(k, v)| format!("{}={}", encode(k, QUERY_SAFE), encode(v, QUERY_SAFE))).collect();
        format!("{}?{}", self.path, query.join("&"))
    }
}

/// A page to ask for.
pub(crate) enum PageParam {
    Number(u32),
    Cursor(String),
}

/// Characters left as they are in a path segment (RFC 3986 unreserved).
const PATH_SAFE: &[u8] = b"-._~";
/// Characters left as they are in a query value: unreserved plus the separators the
/// documents' own examples leave bare (`users=a@x.com,b@x.com`), all legal there.
const QUERY_SAFE: &[u8] = b"-._~,@:";

fn encode(value: &str, safe: &[u8]) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || safe.contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::DateSpec;
    use crate::endpoint::{Api, Bucket, DateFormat, DateParams, MoreSignal, Pagination, ParamLocation};

    // Declarations of the test's own (the core knows no real API): a group, a page-numbered
    // POST with the page in the body, and a log paged in the query.
    const TEAM: Api = Api::new("team", "the test API");
    const LIMITED: Bucket = Bucket::new("team", &[]);
    const PAGES: MoreSignal = MoreSignal::TotalPages("/totalPages");
    const GROUP: Endpoint = Endpoint::get("team.group", TEAM, "/teams/groups/{groupId}", LIMITED);
    const SPEND: Endpoint = Endpoint::post("team.spend", TEAM, "/teams/spend", LIMITED)
        .paginated(Pagination::numbered(ParamLocation::Body, "page", "pageSize", PAGES));
    const AUDIT: Endpoint = Endpoint::get("team.audit", TEAM, "/teams/audit-logs", LIMITED)
        .paginated(Pagination::numbered(ParamLocation::Query, "page", "pageSize", PAGES));
    const AUDIT_DATES: DateParams = DateParams::new("startTime", "endTime", ParamLocation::Query, DateFormat::AsGiven);
    const MILLIS_IN_BODY: DateParams =
        DateParams::new("startDate", "endDate", ParamLocation::Body, DateFormat::EpochMillis);

    #[test]
    fn path_parameters_are_encoded_as_one_segment() {
        let request = Request::new(&GROUP).path_param("groupId", "a/b c").unwrap();
        assert_eq!(request.path(), "/teams/groups/a%2Fb%20c");
        assert!(Request::new(&GROUP).path_param("groupId", "").is_err());
        for dots in [".", ".."] {
            let err = Request::new(&GROUP).path_param("groupId", dots).unwrap_err();
            assert!(err.to_string().contains("must not be empty, `.` or `..`"), "{err}");
        }
        assert_eq!(Request::new(&GROUP).path_param("groupId", "a.b").unwrap().path(), "/teams/groups/a.b");
        assert!(Request::new(&GROUP).path_param("nope", "x").is_err());
    }

    #[test]
    fn extra_headers_are_checked_and_never_replace_the_clients_own() {
        let request = Request::new(&GROUP).header("Last-Event-ID", "run_1:7").unwrap();
        assert_eq!(request.headers(), [("Last-Event-ID".to_owned(), "run_1:7".to_owned())]);
        let again = request.header("last-event-id", "run_1:8").unwrap();
        assert_eq!(again.headers(), [("last-event-id".to_owned(), "run_1:8".to_owned())], "set, not appended");
        for reserved in ["Authorization", "accept", "Host", "If-None-Match", "bad name", ""] {
            assert!(Request::new(&GROUP).header(reserved, "x").unwrap_err().is_invalid_request(), "{reserved}");
        }
        for bad in ["a\r\nX-Evil: 1", "tab\t", "ünï"] {
            assert!(Request::new(&GROUP).header("Last-Event-ID", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn query_matches_the_documents_curl_example() {
        let request = Request::new(&AUDIT)
            .query("users", "admin@company.com,developer@company.com")
            .query("eventTypes", "login,settings_changed");
        assert_eq!(
            request.path_and_query(),
            "/teams/audit-logs?users=admin@company.com,developer@company.com&eventTypes=login,settings_changed"
        );
        let request = Request::new(&AUDIT).query("search", "a+b & c");
        assert_eq!(request.path_and_query(), "/teams/audit-logs?search=a%2Bb%20%26%20c");
    }

    #[test]
    fn page_numbers_go_where_the_shape_says() {
        let spend = Request::new(&SPEND).with_page_param(PageParam::Number(3));
        assert_eq!(spend.body_field("page"), Some(&serde_json::json!(3)));
        assert_eq!(spend.page_number(), 3);
        let audit = Request::new(&AUDIT).query("page", 2).with_page_param(PageParam::Number(4));
        assert_eq!(audit.path_and_query(), "/teams/audit-logs?page=4");
        assert_eq!(Request::new(&AUDIT).page_number(), 1);
    }

    const AUDIT_DATED: Endpoint =
        Endpoint::get("team.audit", TEAM, "/teams/audit-logs", LIMITED).dates(AUDIT_DATES, Some(30));
    const AUDIT_PAGED: Endpoint = AUDIT.dates(AUDIT_DATES, Some(30));
    const USAGE: Endpoint =
        Endpoint::post("team.usage", TEAM, "/teams/daily-usage-data", LIMITED).dates(MILLIS_IN_BODY, Some(30));

    #[test]
    fn ranges_become_windows_in_the_endpoints_own_parameters() {
        let now = time::macros::datetime!(2024-06-01 0:00 UTC);
        let short = Request::new(&AUDIT_DATED).with_range(&DateRange::last_days(7), now).unwrap();
        assert_eq!(short.len(), 1);
        assert_eq!(short[0].path_and_query(), "/teams/audit-logs?startTime=7d&endTime=now");

        let long = Request::new(&USAGE).with_range(&DateRange::last_days(90), now).unwrap();
        assert_eq!(long.len(), 3);
        let starts: Vec<i64> = long.iter().map(|r| r.body_field("startDate").unwrap().as_i64().unwrap()).collect();
        let ends: Vec<i64> = long.iter().map(|r| r.body_field("endDate").unwrap().as_i64().unwrap()).collect();
        assert_eq!(starts[0], crate::dates::to_millis(now) - 90 * 86_400_000);
        assert_eq!(*ends.last().unwrap(), crate::dates::to_millis(now));
        assert_eq!(starts[1], ends[0], "windows meet exactly");

        let paged = Request::new(&AUDIT_PAGED).query("page", 3).with_range(&DateRange::last_days(45), now).unwrap();
        assert_eq!(paged.len(), 2);
        assert_eq!(paged[0].query_value("page"), Some("3"), "the start page applies to the first window");
        assert_eq!(paged[1].query_value("page"), None, "later windows are read from their first page");

        let reversed = DateRange::new(DateSpec::Now, DateSpec::DaysAgo(3));
        assert!(Request::new(&USAGE).with_range(&reversed, now).unwrap_err().is_invalid_request());
        let undated = Request::new(&GROUP).with_range(&DateRange::last_days(7), now).unwrap_err();
        assert!(undated.is_invalid_request(), "a range for an endpoint that takes none is refused");
    }

    #[test]
    fn page_and_size_go_under_the_declared_names_and_place() {
        const CURSORED: Endpoint = Endpoint::get("team.list", TEAM, "/teams/list", LIMITED)
            .paginated(Pagination::cursor("after", "first", "/n"));
        let body = Request::new(&SPEND).with_page(Some(2)).with_page_size(Some(50));
        assert_eq!(
            (body.body_field("page"), body.body_field("pageSize")),
            (Some(&serde_json::json!(2)), Some(&serde_json::json!(50)))
        );
        assert_eq!(body.path_and_query(), "/teams/spend");
        let query = Request::new(&AUDIT).with_page(Some(3)).with_page_size(Some(100));
        assert_eq!(query.path_and_query(), "/teams/audit-logs?page=3&pageSize=100");
        let cursor = Request::new(&CURSORED).with_page_size(Some(7)).with_cursor(Some("c2"));
        assert_eq!(cursor.path_and_query(), "/teams/list?first=7&after=c2");
        let unset = Request::new(&AUDIT).with_page(None).with_cursor(None).with_page_size(None);
        assert_eq!(unset.path_and_query(), "/teams/audit-logs");
    }

    #[test]
    fn a_dialect_in_the_body_writes_text_dates_as_strings_there() {
        const TEXT_IN_BODY: Endpoint = Endpoint::post("team.text", TEAM, "/teams/x", LIMITED)
            .dates(DateParams::new("from", "to", ParamLocation::Body, DateFormat::Days), None);
        let now = time::macros::datetime!(2024-06-01 12:00 UTC);
        let request = Request::new(&TEXT_IN_BODY)
            .with_range(&DateRange::new(DateSpec::DaysAgo(2), DateSpec::Today), now)
            .unwrap()
            .remove(0);
        assert_eq!(request.body_field("from"), Some(&serde_json::json!("2d")));
        assert_eq!(request.body_field("to"), Some(&serde_json::json!("today")));
        assert_eq!(request.path_and_query(), "/teams/x", "nothing in the query");
    }
}
