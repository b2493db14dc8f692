//! The parameters every analytics endpoint takes (`startDate`, `endDate`, `users`, and for the
//! paginated ones `page`, `pageSize`), checked before anything is sent.

use cursor_core::time::OffsetDateTime;
use cursor_core::{DateRange, DateSpec, Endpoint, Error, Pagination, Request, Result};

/// The most users one by-user or leaderboard page may hold.
pub const MAX_PAGE_SIZE: u32 = 500;

/// The parameters of an analytics request. Every field is optional; the server's defaults
/// are the last 7 days, every user, page 1, and 100 users a page (by-user) or 10
/// (leaderboard).
///
/// ```
/// use cursor_analytics::AnalyticsQuery;
/// use cursor_core::DateSpec;
///
/// let query = AnalyticsQuery::new()
///     .dates(DateSpec::DaysAgo(14), DateSpec::Today)
///     .users(["alice@example.com", "user_def456"])
///     .page_size(200);
/// assert_eq!(query.users.len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AnalyticsQuery {
    /// `startDate`/`endDate`. Omitted, the server answers the last 7 days (from 7 days ago
    /// until today), which caches best. Days are sent as `YYYY-MM-DD` and shortcuts (`now`,
    /// `today`, `yesterday`, `Nd`) as they are; an instant is reduced to its UTC day, since the
    /// server ignores the time and a time defeats caching. A range longer than 30 days is
    /// fetched in windows of at most 30 days and merged; a range that ends before it starts
    /// is refused.
    pub range: Option<DateRange>,
    /// `users`: emails (`alice@example.com`) and public user IDs (`user_abc123`), mixed as
    /// you like. Empty means every user. On by-user endpoints only these users are paged;
    /// on the leaderboard they keep their team-wide rank.
    pub users: Vec<String>,
    /// `page` (1-based) to start from: by-user endpoints and the leaderboard only.
    pub page: Option<u32>,
    /// `pageSize`, users per page, 1 to 500: by-user endpoints (default 100) and the
    /// leaderboard (default 10) only.
    pub page_size: Option<u32>,
}

impl AnalyticsQuery {
    /// A query with every parameter left to the server's default.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the date range.
    pub fn range(mut self, range: DateRange) -> Self {
        self.range = Some(range);
        self
    }

    /// Sets the date range from its two ends (`YYYY-MM-DD` days, shortcuts or instants).
    pub fn dates(self, start: impl Into<DateSpec>, end: impl Into<DateSpec>) -> Self {
        self.range(DateRange::new(start, end))
    }

    /// The last `days` days: `startDate=Nd&endDate=today`, the shortcut form that caches best.
    pub fn last_days(self, days: u32) -> Self {
        self.dates(DateSpec::DaysAgo(days), DateSpec::Today)
    }

    /// Adds one user (an email or a `user_` ID) to the filter.
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.users.push(user.into());
        self
    }

    /// Adds users (emails or `user_` IDs) to the filter.
    pub fn users<I, S>(mut self, users: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.users.extend(users.into_iter().map(Into::into));
        self
    }

    /// Sets the page to start from (paginated endpoints only).
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Sets the number of users per page, 1 to 500 (paginated endpoints only).
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// The requests to send for `endpoint`: one, or one per window of a range over 30 days.
    /// Anything the documents rule out is refused here, before a request exists.
    pub(crate) fn requests(&self, endpoint: &'static Endpoint, now: OffsetDateTime) -> Result<Vec<Request>> {
        let invalid = |message: String| Error::InvalidRequest { endpoint: endpoint.name, message };
        if endpoint.pagination == Pagination::None && (self.page.is_some() || self.page_size.is_some()) {
            return Err(invalid(format!("`{}` is not paginated: leave `page` and `page_size` unset", endpoint.path)));
        }
        if self.page == Some(0) {
            return Err(invalid("`page` starts at 1".into()));
        }
        if let Some(size) = self.page_size
            && !(1..=MAX_PAGE_SIZE).contains(&size)
        {
            return Err(invalid(format!("`page_size` must be between 1 and {MAX_PAGE_SIZE}, not {size}")));
        }
        let users = self.users_param().map_err(invalid)?;
        let request = Request::new(endpoint)
            .query_opt("users", users)
            .query_opt("page", self.page)
            .query_opt("pageSize", self.page_size);
        match &self.range {
            Some(range) => request.with_range(range, now),
            None => Ok(vec![request]),
        }
    }

    /// The `users` value: identifiers joined by commas, each checked to be an email or a
    /// public user ID, since the server tells them apart by `@` and the `user_` prefix.
    fn users_param(&self) -> std::result::Result<Option<String>, String> {
        if self.users.is_empty() {
            return Ok(None);
        }
        let mut checked = Vec::with_capacity(self.users.len());
        for user in &self.users {
            let user = user.trim();
            if user.is_empty() {
                return Err("an entry of `users` is empty: remove it".into());
            }
            if user.contains(',') {
                return Err(format!("`{user}` contains a comma: give each user as its own entry"));
            }
            if !(user.contains('@') || user.starts_with("user_")) {
                return Err(format!("`{user}` is neither an email nor a public user ID (`user_…`)"));
            }
            checked.push(user);
        }
        Ok(Some(checked.join(",")))
    }
}
