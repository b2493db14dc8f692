//! Request parameters: the single-user filter, the JSON query and the CSV export query.

use std::fmt;
use std::str::FromStr;

use cursor_core::{DateFormat, DateRange, DateSpec, Endpoint, Error, Request, Result};

/// The largest `pageSize` the JSON endpoints accept.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// The `pageSize` the server uses when none is sent.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// The `user` filter: one user, named by email, encoded ID or numeric ID (one parameter takes
/// all three forms).
///
/// ```
/// use cursor_aicode::UserRef;
/// assert_eq!("developer@company.com".parse::<UserRef>().unwrap(), UserRef::Email("developer@company.com".into()));
/// assert_eq!("user_3k9x8q".parse::<UserRef>().unwrap(), UserRef::EncodedId("user_3k9x8q".into()));
/// assert_eq!("42".parse::<UserRef>().unwrap(), UserRef::NumericId(42));
/// assert!("bob".parse::<UserRef>().is_err());
/// assert_eq!(UserRef::from(42u64).to_string(), "42");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UserRef {
    /// An email address (`developer@company.com`).
    Email(String),
    /// An encoded user ID as the responses carry it (`user_abc123…`).
    EncodedId(String),
    /// A numeric user ID (`42`).
    NumericId(u64),
}

impl UserRef {
    /// Checks the value has the form its case names. A comma is refused in every form: the
    /// API reads `user` as a comma-separated list, so `a@x.com,b@x.com` would silently ask
    /// for two users.
    pub fn validate(&self) -> std::result::Result<(), InvalidUserRef> {
        if let UserRef::Email(text) | UserRef::EncodedId(text) = self
            && text.contains(',')
        {
            return Err(InvalidUserRef { input: self.to_string(), comma: true });
        }
        let ok = match self {
            UserRef::Email(email) => {
                let mut parts = email.splitn(2, '@');
                let (local, domain) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
                !local.is_empty() && !domain.is_empty() && !email.chars().any(char::is_whitespace)
            }
            UserRef::EncodedId(id) => id.len() > "user_".len() && id.starts_with("user_"),
            UserRef::NumericId(_) => true,
        };
        if ok { Ok(()) } else { Err(InvalidUserRef { input: self.to_string(), comma: false }) }
    }
}

impl fmt::Display for UserRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserRef::Email(text) | UserRef::EncodedId(text) => f.write_str(text),
            UserRef::NumericId(id) => write!(f, "{id}"),
        }
    }
}

/// A `user` value that is none of the three forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidUserRef {
    input: String,
    comma: bool,
}

impl fmt::Display for InvalidUserRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.comma {
            return write!(
                f,
                "`{}` holds a comma, which the API reads as a list of users: give one user (an email, user_… ID or numeric ID) per query",
                self.input
            );
        }
        write!(
            f,
            "`{}` is not a user: give an email (developer@company.com), an encoded ID (user_abc123) or a numeric ID (42)",
            self.input
        )
    }
}

impl std::error::Error for InvalidUserRef {}

impl FromStr for UserRef {
    type Err = InvalidUserRef;

    fn from_str(input: &str) -> std::result::Result<Self, Self::Err> {
        let text = input.trim();
        let user = if text.contains('@') {
            UserRef::Email(text.to_owned())
        } else if text.starts_with("user_") {
            UserRef::EncodedId(text.to_owned())
        } else if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            UserRef::NumericId(text.parse().map_err(|_| InvalidUserRef { input: input.to_owned(), comma: false })?)
        } else {
            return Err(InvalidUserRef { input: input.to_owned(), comma: text.contains(',') });
        };
        user.validate().map_err(|e| InvalidUserRef { input: input.to_owned(), comma: e.comma })?;
        Ok(user)
    }
}

/// Classifies the text as [`FromStr`] does (`@` → email, `user_…` → encoded id, digits →
/// numeric id). Text of no known form is kept as an email, which the query refuses before
/// anything is sent, so `.user("developer@company.com")` reads naturally at the call site.
impl From<&str> for UserRef {
    fn from(text: &str) -> Self {
        text.parse().unwrap_or_else(|_| UserRef::Email(text.trim().to_owned()))
    }
}

/// As [`From<&str>`](#impl-From%3C%26str%3E-for-UserRef).
impl From<String> for UserRef {
    fn from(text: String) -> Self {
        UserRef::from(text.as_str())
    }
}

impl From<u64> for UserRef {
    fn from(id: u64) -> Self {
        UserRef::NumericId(id)
    }
}

/// The filter both CSV exports take: a date range and a user. Every field is optional; the
/// server's defaults are `startDate = 7d` and `endDate = now`.
///
/// ```
/// use cursor_aicode::{ExportQuery, UserRef};
/// let query = ExportQuery::new().start_date("30d".parse::<cursor_aicode::DateSpec>().unwrap()).end_date(cursor_aicode::DateSpec::Now);
/// let query = query.user(UserRef::EncodedId("user_3k9x8q".into()));
/// # let _ = query;
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportQuery {
    /// `startDate`: an ISO date or instant, `now` or `Nd` (N days ago). Other [`DateSpec`]
    /// forms are resolved to an ISO instant. Server default: `7d`.
    start_date: Option<DateSpec>,
    /// `endDate`: same forms as `start_date`. Server default: `now`.
    end_date: Option<DateSpec>,
    /// `user`: only this user's records.
    user: Option<UserRef>,
}

impl ExportQuery {
    /// No filter: the server's default range (the last 7 days), every user.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `startDate`.
    #[must_use]
    pub fn start_date(mut self, start: impl Into<DateSpec>) -> Self {
        self.start_date = Some(start.into());
        self
    }

    /// Sets `endDate`.
    #[must_use]
    pub fn end_date(mut self, end: impl Into<DateSpec>) -> Self {
        self.end_date = Some(end.into());
        self
    }

    /// Sets both ends of the range.
    #[must_use]
    pub fn range(self, range: DateRange) -> Self {
        self.start_date(range.start).end_date(range.end)
    }

    /// Sets the range from its two ends (`startDate`, `endDate`).
    #[must_use]
    pub fn dates(self, start: impl Into<DateSpec>, end: impl Into<DateSpec>) -> Self {
        self.start_date(start).end_date(end)
    }

    /// The last `days` days: `startDate=Nd&endDate=now`.
    #[must_use]
    pub fn last_days(self, days: u32) -> Self {
        self.dates(DateSpec::DaysAgo(days), DateSpec::Now)
    }

    /// Sets `user`, the one user whose records to read. The API filters by a single user, so
    /// there is no `users`: a second call replaces the first.
    #[must_use]
    pub fn user(mut self, user: impl Into<UserRef>) -> Self {
        self.user = Some(user.into());
        self
    }

    /// The request for `endpoint`, refused (nothing sent) when the range is reversed or the
    /// user is malformed.
    pub(crate) fn to_request(
        &self,
        endpoint: &'static Endpoint,
        now: cursor_core::time::OffsetDateTime,
    ) -> Result<Request> {
        let invalid = |message: String| Error::invalid_request(endpoint.name, message);
        let mut request = Request::new(endpoint);
        if self.start_date.is_some() || self.end_date.is_some() {
            let range =
                DateRange::new(self.start_date.unwrap_or(DateSpec::DaysAgo(7)), self.end_date.unwrap_or(DateSpec::Now));
            range.check_order(now).map_err(invalid)?;
        }
        if let Some(start) = &self.start_date {
            request = request.query("startDate", start.render(DateFormat::IsoOrShorthand, now));
        }
        if let Some(end) = &self.end_date {
            request = request.query("endDate", end.render(DateFormat::IsoOrShorthand, now));
        }
        if let Some(user) = &self.user {
            user.validate().map_err(|e| invalid(e.to_string()))?;
            request = request.query("user", user);
        }
        Ok(request)
    }
}

/// Parameters of the paginated JSON endpoints: the [`ExportQuery`] filter plus `page` and
/// `pageSize`.
///
/// ```
/// use cursor_aicode::AiCodeQuery;
/// let query = AiCodeQuery::new().start_date("14d".parse::<cursor_aicode::DateSpec>().unwrap()).page_size(200);
/// # let _ = query;
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AiCodeQuery {
    /// The date range and user filter.
    filter: ExportQuery,
    /// `page`, 1-based. Server default 1. For streams: the page to start at.
    page: Option<u32>,
    /// `pageSize`, 1 to [`MAX_PAGE_SIZE`] (1000). Server default 100 for one page; streams
    /// default to 1000, since the rate limit counts requests, not records.
    page_size: Option<u32>,
}

impl AiCodeQuery {
    /// No parameters: the server's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `startDate` (ISO date or instant, `now`, `Nd`).
    #[must_use]
    pub fn start_date(mut self, start: impl Into<DateSpec>) -> Self {
        self.filter = self.filter.start_date(start);
        self
    }

    /// Sets `endDate` (ISO date or instant, `now`, `Nd`).
    #[must_use]
    pub fn end_date(mut self, end: impl Into<DateSpec>) -> Self {
        self.filter = self.filter.end_date(end);
        self
    }

    /// Sets both ends of the range.
    #[must_use]
    pub fn range(mut self, range: DateRange) -> Self {
        self.filter = self.filter.range(range);
        self
    }

    /// Sets the range from its two ends (`startDate`, `endDate`).
    #[must_use]
    pub fn dates(mut self, start: impl Into<DateSpec>, end: impl Into<DateSpec>) -> Self {
        self.filter = self.filter.dates(start, end);
        self
    }

    /// The last `days` days: `startDate=Nd&endDate=now`.
    #[must_use]
    pub fn last_days(mut self, days: u32) -> Self {
        self.filter = self.filter.last_days(days);
        self
    }

    /// Sets `user`, the one user whose records to read (a second call replaces the first).
    #[must_use]
    pub fn user(mut self, user: impl Into<UserRef>) -> Self {
        self.filter = self.filter.user(user);
        self
    }

    /// The date range and user filter, as the CSV exports take it: the same records as
    /// CSV ([`AiCodeClient::commits_csv`](crate::AiCodeClient::commits_csv)).
    pub fn filter(&self) -> &ExportQuery {
        &self.filter
    }

    /// Sets `page` (1-based).
    #[must_use]
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Sets `pageSize` (1 to 1000).
    #[must_use]
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// The request for `endpoint`; `default_page_size` fills an unset `pageSize` (streams
    /// pass 1000, single pages nothing). Out-of-range pages are refused before sending.
    pub(crate) fn to_request(
        &self,
        endpoint: &'static Endpoint,
        now: cursor_core::time::OffsetDateTime,
        default_page: Option<u32>,
        default_page_size: Option<u32>,
    ) -> Result<Request> {
        let invalid = |message: String| Error::invalid_request(endpoint.name, message);
        let mut request = self.filter.to_request(endpoint, now)?;
        if let Some(page) = self.page.or(default_page) {
            if page == 0 {
                return Err(invalid("page is 1-based: use page 1 or more".into()));
            }
            request = request.with_page(Some(page));
        }
        if let Some(size) = self.page_size.or(default_page_size) {
            if !(1..=MAX_PAGE_SIZE).contains(&size) {
                return Err(invalid(format!("pageSize must be between 1 and {MAX_PAGE_SIZE}, not {size}")));
            }
            request = request.with_page_size(Some(size));
        }
        Ok(request)
    }
}

/// The JSON query over the same records as a CSV export: its range and user, from page 1.
impl From<ExportQuery> for AiCodeQuery {
    fn from(filter: ExportQuery) -> Self {
        Self { filter, ..Self::default() }
    }
}

/// The request for `GET /analytics/ai-code/commits/{commitHash}`: the hashes sent
/// comma-separated in one request, optionally on one `branch`. A hash that is empty, not
/// hexadecimal, or longer than 64 characters is refused before sending, as is an empty branch.
pub(crate) fn commits_by_hash_request(
    endpoint: &'static Endpoint,
    hashes: Vec<String>,
    branch: Option<&str>,
) -> Result<Request> {
    let invalid = |message: String| Error::invalid_request(endpoint.name, message);
    let hashes: Vec<String> = hashes.into_iter().map(|h| h.trim().to_owned()).collect();
    if hashes.is_empty() {
        return Err(invalid("give at least one commit hash".into()));
    }
    for hash in &hashes {
        if hash.is_empty() || hash.len() > 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid(format!("`{hash}` is not a commit hash (1 to 64 hexadecimal digits)")));
        }
    }
    if branch.is_some_and(|b| b.trim().is_empty()) {
        return Err(invalid("`branch` is empty: give a branch name or leave it unset".into()));
    }
    Ok(Request::new(endpoint).path_param("commitHash", hashes.join(","))?.query_opt("branch", branch.map(str::trim)))
}
