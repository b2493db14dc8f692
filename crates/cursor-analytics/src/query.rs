//! The parameters every analytics endpoint takes (`startDate`, `endDate`, `users`, and for the
//! paginated ones `page`, `pageSize`), checked before anything is sent.

use cursor_core::time::OffsetDateTime;
use cursor_core::{DateRange, DateSpec, Endpoint, Error, Request, Result};

use crate::endpoints::MAX_RANGE_DAYS;

/// The most users one by-user or leaderboard page may hold.
pub const MAX_PAGE_SIZE: u32 = 500;

/// The most items one `/analytics/team/bugbot` page may hold (the current documents).
pub const BUGBOT_MAX_PAGE_SIZE: u32 = 250;

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
/// // `users` replaces the set, `user` adds to it.
/// let query = query.users(["carol@example.com"]).user("user_ghi789");
/// # let _ = query;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnalyticsQuery {
    /// `startDate`/`endDate`. Omitted, the server answers the last 7 days (from 7 days ago
    /// until today), which caches best. Days are sent as `YYYY-MM-DD` and shortcuts (`now`,
    /// `today`, `yesterday`, `Nd`) as they are; an instant is reduced to its UTC day, since the
    /// server ignores the time and a time defeats caching. A range longer than 30 days is
    /// fetched in windows of at most 30 days and merged; a range that ends before it starts
    /// is refused.
    range: Option<DateRange>,
    /// `users`: emails (`alice@example.com`) and public user IDs (`user_abc123`), mixed as
    /// you like. Empty means every user. On by-user endpoints only these users are paged;
    /// on the leaderboard they keep their team-wide rank.
    users: Vec<String>,
    /// `page` (1-based) to start from: by-user endpoints and the leaderboard only.
    page: Option<u32>,
    /// `pageSize`, users per page, 1 to 500: by-user endpoints (default 100) and the
    /// leaderboard (default 10) only.
    page_size: Option<u32>,
}

impl AnalyticsQuery {
    /// A query with every parameter left to the server's default.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the date range.
    #[must_use]
    pub fn range(mut self, range: DateRange) -> Self {
        self.range = Some(range);
        self
    }

    /// Sets the date range from its two ends (`YYYY-MM-DD` days, shortcuts or instants).
    #[must_use]
    pub fn dates(self, start: impl Into<DateSpec>, end: impl Into<DateSpec>) -> Self {
        self.range(DateRange::new(start, end))
    }

    /// The last `days` days: `startDate=Nd&endDate=today`, the shortcut form that caches best.
    #[must_use]
    pub fn last_days(self, days: u32) -> Self {
        self.dates(DateSpec::DaysAgo(days), DateSpec::Today)
    }

    /// Adds one user (an email or a `user_` ID) to the filter.
    #[must_use]
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.users.push(user.into());
        self
    }

    /// Replaces the filter with these users (emails or `user_` IDs); an empty list means
    /// every user.
    #[must_use]
    pub fn users<I, S>(mut self, users: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.users = users.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the page to start from (paginated endpoints only).
    #[must_use]
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Sets the number of users per page, 1 to 500 (paginated endpoints only).
    #[must_use]
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// The requests to send for `endpoint`: one, or one per window of a range over 30 days.
    /// Anything the documents rule out is refused here, before a request exists.
    pub(crate) fn requests(&self, endpoint: &'static Endpoint, now: OffsetDateTime) -> Result<Vec<Request>> {
        let invalid = |message: String| Error::invalid_request(endpoint.name, message);
        if endpoint.pagination.is_none() && (self.page.is_some() || self.page_size.is_some()) {
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
        let request =
            Request::new(endpoint).query_opt("users", users).with_page(self.page).with_page_size(self.page_size);
        match &self.range {
            Some(range) => request.with_range(range, now),
            None => Ok(vec![request]),
        }
    }

    /// The same query with `page_size` set to the largest page when none is given: what the
    /// streams send, since every request counts against the bucket.
    pub(crate) fn with_largest_pages(&self) -> Self {
        let mut query = self.clone();
        query.page_size = query.page_size.or(Some(MAX_PAGE_SIZE));
        query
    }

    /// The one request for `endpoint` when its answer covers a single range (a leaderboard
    /// ranking, conversation insights, one by-user page): a range over 30 days would take
    /// several windows, so it is refused, with `what` saying why one range is needed.
    pub(crate) fn single_request(
        &self,
        endpoint: &'static Endpoint,
        now: OffsetDateTime,
        what: &str,
    ) -> Result<Request> {
        let mut requests = self.requests(endpoint, now)?;
        match (requests.pop(), requests.is_empty()) {
            (Some(request), true) => Ok(request),
            _ => Err(Error::invalid_request(
                endpoint.name,
                format!("{what} one range of at most {MAX_RANGE_DAYS} days: shorten the range"),
            )),
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

/// The filters of the Bugbot analytics endpoints (`/analytics/team/bugbot` and
/// `/analytics/team/bugbot-reviews`). Every one is optional; `pr_state` applies to the
/// first, `pr_number` and `dry_run` to the second, `repo` to both.
///
/// ```
/// use cursor_analytics::{BugbotQuery, PrState};
/// let query = BugbotQuery::new().last_days(14).repo("company/api").pr_state(PrState::Merged);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BugbotQuery {
    /// `startDate`/`endDate`, at most 30 days (default: the last 7 days).
    range: Option<DateRange>,
    /// `repo`: one repository (`company/api`).
    repo: Option<String>,
    /// `prState`: `open`, `merged` or `closed` (`/analytics/team/bugbot`).
    pr_state: Option<crate::models::PrState>,
    /// `prNumber`: one pull request (`/analytics/team/bugbot-reviews`).
    pr_number: Option<u64>,
    /// `dryRun`: only dry runs (`true`) or only real reviews (`false`)
    /// (`/analytics/team/bugbot-reviews`).
    dry_run: Option<bool>,
    /// `page` (1-based) to start from.
    page: Option<u32>,
    /// `pageSize`, 1 to 250.
    page_size: Option<u32>,
}

impl BugbotQuery {
    /// No filters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the date range (at most 30 days).
    #[must_use]
    pub fn range(mut self, range: DateRange) -> Self {
        self.range = Some(range);
        self
    }

    /// Sets the date range from its two ends (at most 30 days apart).
    #[must_use]
    pub fn dates(self, start: impl Into<DateSpec>, end: impl Into<DateSpec>) -> Self {
        self.range(DateRange::new(start, end))
    }

    /// The last `days` days (`startDate=Nd&endDate=today`).
    #[must_use]
    pub fn last_days(self, days: u32) -> Self {
        self.dates(DateSpec::DaysAgo(days), DateSpec::Today)
    }

    /// Only this repository.
    #[must_use]
    pub fn repo(mut self, repo: impl Into<String>) -> Self {
        self.repo = Some(repo.into());
        self
    }

    /// Only pull requests in this state.
    #[must_use]
    pub fn pr_state(mut self, state: crate::models::PrState) -> Self {
        self.pr_state = Some(state);
        self
    }

    /// Only this pull request.
    #[must_use]
    pub fn pr_number(mut self, number: u64) -> Self {
        self.pr_number = Some(number);
        self
    }

    /// Only dry runs, or only real reviews.
    #[must_use]
    pub fn dry_run(mut self, dry_run: bool) -> Self {
        self.dry_run = Some(dry_run);
        self
    }

    /// The page to start from.
    #[must_use]
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// Items per page, 1 to 250.
    #[must_use]
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// The same query with `page_size` set to the largest page (250) when none is given:
    /// what the `/analytics/team/bugbot` streams send, since every request counts against the
    /// bucket.
    pub(crate) fn with_largest_pages(&self) -> Self {
        let mut query = self.clone();
        query.page_size = query.page_size.or(Some(BUGBOT_MAX_PAGE_SIZE));
        query
    }

    /// The page a stream starts from: the query's, or 1.
    pub(crate) fn first_page(&self) -> u32 {
        self.page.unwrap_or(1)
    }

    /// The one request for `endpoint`. A range over 30 days is refused: a page sequence
    /// covers one range.
    pub(crate) fn request(&self, endpoint: &'static Endpoint, now: OffsetDateTime) -> Result<Request> {
        let invalid = |message: String| Error::invalid_request(endpoint.name, message);
        if self.page == Some(0) {
            return Err(invalid("`page` starts at 1".into()));
        }
        if let Some(size) = self.page_size
            && !(1..=BUGBOT_MAX_PAGE_SIZE).contains(&size)
        {
            return Err(invalid(format!("`page_size` must be between 1 and {BUGBOT_MAX_PAGE_SIZE}, not {size}")));
        }
        if self.repo.as_deref().is_some_and(|r| r.trim().is_empty()) {
            return Err(invalid("`repo` is empty: give a repository or leave it unset".into()));
        }
        let request = Request::new(endpoint)
            .query_opt("repo", self.repo.as_deref().map(str::trim))
            .query_opt("prState", self.pr_state.as_ref())
            .query_opt("prNumber", self.pr_number)
            .query_opt("dryRun", self.dry_run)
            .query_opt("page", self.page)
            .query_opt("pageSize", self.page_size);
        let mut requests = match &self.range {
            Some(range) => request.with_range(range, now)?,
            None => vec![request],
        };
        match (requests.pop(), requests.is_empty()) {
            (Some(request), true) => Ok(request),
            _ => Err(invalid("the range is longer than 30 days: shorten it (Bugbot pages cover one range)".into())),
        }
    }
}
