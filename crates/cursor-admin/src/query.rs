//! Inputs of the Admin API: builders for the queries, plain types for the writes, each checked
//! against the documents' limits before anything is sent (all of the crate's input checks
//! live here).

use cursor_core::{DateRange, DateSpec, Endpoint, Error, Request, Result};
use serde::Serialize;

use crate::endpoints::{
    AUDIT_LOGS, CREATE_GROUP, REMOVE_MEMBER, SET_USER_SPEND_LIMIT, SPEND, UPSERT_REPO_BLOCKLISTS, USAGE_EVENTS,
};

/// `dates(start, end)` and `last_days(n)` of a query that has `range(DateRange)`: the same
/// two shortcuts, with the same meaning, on every query with a date range.
macro_rules! range_shortcuts {
    () => {
        /// The range from its two ends (any form [`range`](Self::range) takes).
        #[must_use]
        pub fn dates(self, start: impl Into<DateSpec>, end: impl Into<DateSpec>) -> Self {
            self.range(DateRange::new(start, end))
        }

        /// The last `days` days, up to now.
        #[must_use]
        pub fn last_days(self, days: u32) -> Self {
            self.range(DateRange::last_days(days))
        }
    };
}

pub(crate) fn invalid(endpoint: &Endpoint, message: impl Into<String>) -> Error {
    Error::invalid_request(endpoint.name, message.into())
}

fn check_page(endpoint: &Endpoint, page: Option<u32>) -> Result<()> {
    if page == Some(0) {
        return Err(invalid(endpoint, "`page` is 1-based: use 1 for the first page"));
    }
    Ok(())
}

/// Refuses an empty value or one containing a comma in a comma-separated list parameter.
fn check_list(endpoint: &Endpoint, name: &str, values: &[String]) -> Result<()> {
    for value in values {
        if value.trim().is_empty() {
            return Err(invalid(endpoint, format!("`{name}` contains an empty entry: remove it")));
        }
        if value.contains(',') {
            return Err(invalid(
                endpoint,
                format!("`{name}` entry `{value}` contains a comma, which separates entries: pass each one separately"),
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Audit logs

/// The filters of `GET /teams/audit-logs`. Every one is optional.
///
/// ```
/// use cursor_admin::AuditLogQuery;
/// use cursor_core::DateRange;
///
/// let query = AuditLogQuery::new()
///     .range(DateRange::last_days(7))
///     .event_types(["login", "settings_changed"])
///     .users(["admin@company.com", "user_PDSPmvukpYgZEDXsoNirw3CFhy", "12345"])
///     .page_size(200);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditLogQuery {
    range: Option<DateRange>,
    event_types: Vec<String>,
    search: Option<String>,
    users: Vec<String>,
    page: Option<u32>,
    page_size: Option<u32>,
}

impl AuditLogQuery {
    /// Largest `pageSize` the server accepts.
    pub const MAX_PAGE_SIZE: u32 = 500;
    /// `pageSize` when none is given.
    pub const DEFAULT_PAGE_SIZE: u32 = 100;
    /// Longest range one request may cover; longer ranges are split into windows.
    pub const MAX_RANGE_DAYS: u32 = 30;

    /// No filters: the server's defaults (the last 7 days, 100 events per page).
    pub fn new() -> Self {
        Self::default()
    }

    /// `startTime`/`endTime`: the range, in any documented form (`now`, `today`,
    /// `yesterday`, `7d`, `5h`, `300s`, ISO 8601, `YYYY-MM-DD`, unix seconds or milliseconds).
    /// Defaults to the last 7 days. One request covers at most 30 days: a longer range is
    /// refused by [`audit_logs_page`](crate::AdminClient::audit_logs_page) and read window by window by
    /// [`audit_logs`](crate::AdminClient::audit_logs).
    #[must_use]
    pub fn range(mut self, range: DateRange) -> Self {
        self.range = Some(range);
        self
    }

    range_shortcuts!();

    /// `eventTypes`: only these event types (`login`, `settings_changed`, …).
    #[must_use]
    pub fn event_types<I, S>(mut self, types: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.event_types = types.into_iter().map(Into::into).collect();
        self
    }

    /// `search`: only events matching this term.
    #[must_use]
    pub fn search(mut self, term: impl Into<String>) -> Self {
        self.search = Some(term.into());
        self
    }

    /// `users`: only events of these users, each an email (`developer@company.com`), an
    /// encoded id (`user_PDSPmvukpYgZEDXsoNirw3CFhy`) or a numeric id (`12345`); forms may be
    /// mixed. At most `pageSize` users (100 by default).
    #[must_use]
    pub fn users<I, S>(mut self, users: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: ToString,
    {
        self.users = users.into_iter().map(|u| u.to_string()).collect();
        self
    }

    /// Adds one user (an email, an encoded id or a numeric id) to the `users` filter.
    #[must_use]
    pub fn user(mut self, user: impl ToString) -> Self {
        self.users.push(user.to_string());
        self
    }

    /// `page`: the page to read (1-based; default 1). For the stream, where reading starts.
    #[must_use]
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// `pageSize`: events per page, 1–500 (default 100).
    #[must_use]
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// The range, if set.
    pub fn date_range(&self) -> Option<&DateRange> {
        self.range.as_ref()
    }

    fn validate(&self) -> Result<()> {
        let endpoint = &AUDIT_LOGS;
        check_page(endpoint, self.page)?;
        if let Some(size) = self.page_size
            && !(1..=Self::MAX_PAGE_SIZE).contains(&size)
        {
            return Err(invalid(endpoint, format!("`pageSize` must be between 1 and 500, not {size}")));
        }
        let size = self.page_size.unwrap_or(Self::DEFAULT_PAGE_SIZE);
        if self.users.len() > size as usize {
            return Err(invalid(
                endpoint,
                format!(
                    "{} users were given but at most `pageSize` ({size}) are allowed: raise `pageSize` (up to 500) or split the users across queries",
                    self.users.len()
                ),
            ));
        }
        check_list(endpoint, "users", &self.users)?;
        check_list(endpoint, "eventTypes", &self.event_types)?;
        Ok(())
    }

    /// The one request of [`audit_logs_page`](crate::AdminClient::audit_logs_page): a range
    /// longer than one window is refused, since one page cannot cover it.
    pub(crate) fn page_request(&self, now: cursor_core::time::OffsetDateTime) -> Result<Request> {
        let mut requests = self.requests(now)?;
        if requests.len() != 1 {
            return Err(invalid(
                &AUDIT_LOGS,
                "the range is longer than 30 days: shorten it, or use `audit_logs`, which reads it in 30-day windows",
            ));
        }
        Ok(requests.remove(0))
    }

    /// The requests of the streams ([`audit_logs`](crate::AdminClient::audit_logs),
    /// [`audit_logs_pages`](crate::AdminClient::audit_logs_pages)): one per 30-day window,
    /// newest window first so the server's newest-first order holds across windows; the start
    /// page applies to the first window read. Without a page size they ask for 500 events a
    /// page (the most allowed), since every request counts against 20 a minute.
    pub(crate) fn stream_requests(&self, now: cursor_core::time::OffsetDateTime) -> Result<Vec<Request>> {
        let mut whole = self.clone();
        whole.page = None;
        whole.page_size = whole.page_size.or(Some(Self::MAX_PAGE_SIZE));
        let mut requests = whole.requests(now)?;
        requests.reverse();
        if let (Some(page), Some(first)) = (self.page, requests.first_mut()) {
            *first = first.clone().with_page(Some(page));
        }
        Ok(requests)
    }

    /// The requests for this query: one, or one per 30-day window of a longer range.
    fn requests(&self, now: cursor_core::time::OffsetDateTime) -> Result<Vec<Request>> {
        self.validate()?;
        let mut request = Request::new(&AUDIT_LOGS);
        if !self.users.is_empty() {
            request = request.query("users", self.users.join(","));
        }
        if !self.event_types.is_empty() {
            request = request.query("eventTypes", self.event_types.join(","));
        }
        request = request.query_opt("search", self.search.as_ref()).with_page(self.page).with_page_size(self.page_size);
        match &self.range {
            Some(range) => request.with_range(range, now),
            None => Ok(vec![request]),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Spend

cursor_core::string_enum! {
    /// What `POST /teams/spend` sorts by.
    pub enum SpendSortBy {
        /// By amount spent.
        Amount = "amount",
        /// By date (the default).
        Date = "date",
        /// By user.
        User = "user",
    }
}

cursor_core::string_enum! {
    /// A sort direction.
    pub enum SortDirection {
        /// Ascending.
        Asc = "asc",
        /// Descending (the default).
        Desc = "desc",
    }
}

/// The body of `POST /teams/spend` (spend in the current calendar month). Every field is
/// optional; unset fields are not sent.
///
/// ```
/// use cursor_admin::{SortDirection, SpendQuery, SpendSortBy};
///
/// let query = SpendQuery::new()
///     .search_term("alex@company.com")
///     .sort_by(SpendSortBy::Amount)
///     .sort_direction(SortDirection::Desc)
///     .page_size(25);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SpendQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    search_term: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort_by: Option<SpendSortBy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sort_direction: Option<SortDirection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page_size: Option<u32>,
}

impl SpendQuery {
    /// No filters: the server's defaults (sorted by date, descending, first page).
    pub fn new() -> Self {
        Self::default()
    }

    /// `searchTerm`: only members whose name or email matches.
    #[must_use]
    pub fn search_term(mut self, term: impl Into<String>) -> Self {
        self.search_term = Some(term.into());
        self
    }

    /// `sortBy`: `amount`, `date` or `user` (default `date`).
    #[must_use]
    pub fn sort_by(mut self, sort_by: SpendSortBy) -> Self {
        self.sort_by = Some(sort_by);
        self
    }

    /// `sortDirection`: `asc` or `desc` (default `desc`).
    #[must_use]
    pub fn sort_direction(mut self, direction: SortDirection) -> Self {
        self.sort_direction = Some(direction);
        self
    }

    /// `page`: the page to read (1-based; default 1). For the stream, where reading starts.
    #[must_use]
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// `pageSize`: members per page (at least 1; the documents give no maximum or default).
    #[must_use]
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    pub(crate) fn request(&self) -> Result<Request> {
        check_page(&SPEND, self.page)?;
        if self.page_size == Some(0) {
            return Err(invalid(&SPEND, "`pageSize` must be at least 1"));
        }
        Request::new(&SPEND).json(self)
    }

    /// The first request of the streams ([`spend`](crate::AdminClient::spend),
    /// [`spend_pages`](crate::AdminClient::spend_pages)): without a page size they ask for
    /// [`STREAM_PAGE_SIZE`](crate::STREAM_PAGE_SIZE) members a page.
    pub(crate) fn stream_request(&self) -> Result<Request> {
        let mut query = self.clone();
        query.page_size = query.page_size.or(Some(crate::STREAM_PAGE_SIZE));
        query.request()
    }
}

// ---------------------------------------------------------------------------------------------
// Usage events

cursor_core::string_enum! {
    /// Where a request ran (`hostingType` filter of `POST /teams/filtered-usage-events`). A
    /// value this SDK does not know is sent as given; the service answers `400` to one it
    /// does not know either.
    pub enum HostingType {
        /// Hosted by Cursor.
        Cloud = "CLOUD",
        /// On the team's own infrastructure.
        SelfHosted = "SELF_HOSTED",
    }
}

/// The filters of `POST /teams/filtered-usage-events`. Every one is optional.
///
/// ```
/// use cursor_admin::UsageEventsQuery;
/// use cursor_core::DateRange;
///
/// let query = UsageEventsQuery::new()
///     .range(DateRange::last_days(30))
///     .email("developer@company.com")
///     .page_size(25);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UsageEventsQuery {
    range: Option<DateRange>,
    user_id: Option<u64>,
    email: Option<String>,
    service_account_id: Option<String>,
    cloud_agent_id: Option<String>,
    automation_id: Option<String>,
    hosting_type: Option<HostingType>,
    page: Option<u32>,
    page_size: Option<u32>,
}

impl UsageEventsQuery {
    /// `pageSize` when none is given: 100 in the current documents (the seeds said 10).
    pub const DEFAULT_PAGE_SIZE: u32 = 100;
    /// The largest `pageSize` the current documents allow; the streams ask for it.
    pub const MAX_PAGE_SIZE: u32 = 1000;

    /// No filters: the server's defaults (100 events per page).
    pub fn new() -> Self {
        Self::default()
    }

    /// `startDate`/`endDate`: the range, sent as epoch milliseconds. Relative forms
    /// (`7d`, `today`) are resolved against the client's clock. The documents state no cap.
    #[must_use]
    pub fn range(mut self, range: DateRange) -> Self {
        self.range = Some(range);
        self
    }

    range_shortcuts!();

    /// `userId`: only this user's events (numeric id).
    #[must_use]
    pub fn user_id(mut self, user_id: u64) -> Self {
        self.user_id = Some(user_id);
        self
    }

    /// `email`: only this user's events.
    #[must_use]
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// `serviceAccountId`: only this service account's events.
    #[must_use]
    pub fn service_account_id(mut self, id: impl Into<String>) -> Self {
        self.service_account_id = Some(id.into());
        self
    }

    /// `cloudAgentId`: only this cloud agent's events; `*` for every cloud agent's.
    #[must_use]
    pub fn cloud_agent_id(mut self, id: impl Into<String>) -> Self {
        self.cloud_agent_id = Some(id.into());
        self
    }

    /// `automationId`: only this automation's events; `*` for every automation's.
    #[must_use]
    pub fn automation_id(mut self, id: impl Into<String>) -> Self {
        self.automation_id = Some(id.into());
        self
    }

    /// `hostingType`: only events that ran there (`CLOUD`, `SELF_HOSTED`, …).
    #[must_use]
    pub fn hosting_type(mut self, hosting_type: HostingType) -> Self {
        self.hosting_type = Some(hosting_type);
        self
    }

    /// `page`: the page to read (1-based; default 1). For the stream, where reading starts.
    #[must_use]
    pub fn page(mut self, page: u32) -> Self {
        self.page = Some(page);
        self
    }

    /// `pageSize`: events per page, 1–1000 (default 100).
    #[must_use]
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    pub(crate) fn request(&self, now: cursor_core::time::OffsetDateTime) -> Result<Request> {
        let endpoint = &USAGE_EVENTS;
        check_page(endpoint, self.page)?;
        if let Some(size) = self.page_size
            && !(1..=Self::MAX_PAGE_SIZE).contains(&size)
        {
            return Err(invalid(endpoint, format!("`pageSize` must be between 1 and 1000, not {size}")));
        }
        for (name, value) in [
            ("email", &self.email),
            ("serviceAccountId", &self.service_account_id),
            ("cloudAgentId", &self.cloud_agent_id),
            ("automationId", &self.automation_id),
        ] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                return Err(invalid(endpoint, format!("`{name}` is empty: give a value or leave it unset")));
            }
        }
        if self.hosting_type.as_ref().is_some_and(|h| h.as_str().trim().is_empty()) {
            return Err(invalid(endpoint, "`hostingType` is empty: give one such as CLOUD or SELF_HOSTED"));
        }
        let mut request = Request::new(endpoint);
        if let Some(range) = &self.range {
            // No cap is declared for this endpoint, so this is always one request.
            let mut windows = request.with_range(range, now)?;
            request = windows.remove(0);
        }
        if let Some(user_id) = self.user_id {
            request = request.set_body_field("userId", user_id);
        }
        if let Some(email) = &self.email {
            request = request.set_body_field("email", email.as_str());
        }
        for (name, value) in [
            ("serviceAccountId", &self.service_account_id),
            ("cloudAgentId", &self.cloud_agent_id),
            ("automationId", &self.automation_id),
        ] {
            if let Some(value) = value {
                request = request.set_body_field(name, value.as_str());
            }
        }
        if let Some(hosting_type) = &self.hosting_type {
            request = request.set_body_field("hostingType", hosting_type.as_str());
        }
        request = request.with_page(self.page).with_page_size(self.page_size);
        if request.body().is_none() {
            // The documents' unfiltered example sends `{}`.
            request = request.json(&serde_json::json!({}))?;
        }
        Ok(request)
    }

    /// The first request of the streams ([`usage_events`](crate::AdminClient::usage_events),
    /// [`usage_events_pages`](crate::AdminClient::usage_events_pages)): without a page size
    /// they ask for [`MAX_PAGE_SIZE`](Self::MAX_PAGE_SIZE) events a page, the most the service
    /// allows, since every request counts against the endpoint's budget.
    pub(crate) fn stream_request(&self, now: cursor_core::time::OffsetDateTime) -> Result<Request> {
        let mut query = self.clone();
        query.page_size = query.page_size.or(Some(Self::MAX_PAGE_SIZE));
        query.request(now)
    }
}

// ---------------------------------------------------------------------------------------------
// Writes

/// One repository's blocklist to upsert: its URL and the glob patterns to block.
///
/// Patterns: `*` blocks the whole repository, `*.env` every `.env` file, `config/*` a
/// directory, `**/*.secret` a suffix at any depth, `src/api/keys.ts` one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepoPatterns {
    /// The repository URL (`https://github.com/company/sensitive-repo`).
    pub url: String,
    /// The patterns, replacing any the repository had.
    pub patterns: Vec<String>,
}

impl RepoPatterns {
    /// A repository and its patterns.
    pub fn new<I, S>(url: impl Into<String>, patterns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self { url: url.into(), patterns: patterns.into_iter().map(Into::into).collect() }
    }
}

/// The one change a `PATCH /teams/groups/{groupId}` makes: the server takes one field per
/// request, so to rename a group and change its directory attachment, send two updates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupUpdate {
    /// Renames the group (`{"name": …}`).
    Rename(String),
    /// Syncs the group with a directory (SCIM) group (`{"directoryGroupId": …}`).
    AttachDirectoryGroup(String),
    /// Stops syncing with the directory group (`{"directoryGroupId": null}`).
    DetachDirectoryGroup,
}

impl GroupUpdate {
    pub(crate) fn body(&self, endpoint: &Endpoint) -> Result<serde_json::Value> {
        match self {
            GroupUpdate::Rename(name) if name.trim().is_empty() => {
                Err(invalid(endpoint, "the new group name is empty: give a name"))
            }
            GroupUpdate::AttachDirectoryGroup(id) if id.trim().is_empty() => Err(invalid(
                endpoint,
                "the directory group id is empty: give one, or use GroupUpdate::DetachDirectoryGroup to detach",
            )),
            GroupUpdate::Rename(name) => Ok(serde_json::json!({ "name": name })),
            GroupUpdate::AttachDirectoryGroup(id) => Ok(serde_json::json!({ "directoryGroupId": id })),
            GroupUpdate::DetachDirectoryGroup => Ok(serde_json::json!({ "directoryGroupId": null })),
        }
    }
}

/// The body of `POST /teams/remove-member`: the member to remove, by id or by email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberRef {
    /// By user id (`user_…` or a numeric id), sent as `userId`.
    UserId(String),
    /// By email, sent as `email`.
    Email(String),
}

impl From<&str> for MemberRef {
    /// An `@` makes an email; anything else is a user id.
    fn from(text: &str) -> Self {
        if text.contains('@') {
            MemberRef::Email(text.trim().to_owned())
        } else {
            MemberRef::UserId(text.trim().to_owned())
        }
    }
}

impl MemberRef {
    /// The body naming this member, trimmed; an empty id or email is refused.
    pub(crate) fn body(self) -> Result<serde_json::Value> {
        match self {
            MemberRef::UserId(id) if !id.trim().is_empty() => Ok(serde_json::json!({ "userId": id.trim() })),
            MemberRef::Email(email) if !email.trim().is_empty() => Ok(serde_json::json!({ "email": email.trim() })),
            _ => Err(invalid(&REMOVE_MEMBER, "the member is empty: give a user id or an email")),
        }
    }
}

/// The body of `POST /teams/user-spend-limit`: a member's email and a limit in whole dollars
/// (`None` clears it, sent as `null`); an empty email is refused.
pub(crate) fn spend_limit_body(user_email: String, spend_limit_dollars: Option<u32>) -> Result<serde_json::Value> {
    if user_email.trim().is_empty() {
        return Err(invalid(&SET_USER_SPEND_LIMIT, "`userEmail` is empty: give the member's email"));
    }
    Ok(serde_json::json!({ "userEmail": user_email, "spendLimitDollars": spend_limit_dollars }))
}

/// The body of `POST /settings/repo-blocklists/repos/upsert`; no repository, or one with an
/// empty URL, is refused.
pub(crate) fn repo_blocklists_body(repos: Vec<RepoPatterns>) -> Result<serde_json::Value> {
    if repos.is_empty() {
        return Err(invalid(&UPSERT_REPO_BLOCKLISTS, "`repos` is empty: give at least one repository"));
    }
    if repos.iter().any(|r| r.url.trim().is_empty()) {
        return Err(invalid(&UPSERT_REPO_BLOCKLISTS, "a repository has an empty `url`: give its URL"));
    }
    Ok(serde_json::json!({ "repos": repos }))
}

/// The body of `POST /teams/groups`; an empty name is refused.
pub(crate) fn create_group_body(name: String) -> Result<serde_json::Value> {
    if name.trim().is_empty() {
        return Err(invalid(&CREATE_GROUP, "the group name is empty: give a name"));
    }
    Ok(serde_json::json!({ "name": name }))
}

/// Collects user ids for the group member endpoints, refusing an empty list or empty ids.
pub(crate) fn user_ids<I, S>(endpoint: &Endpoint, ids: I) -> Result<Vec<String>>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let ids: Vec<String> = ids.into_iter().map(Into::into).collect();
    if ids.is_empty() {
        return Err(invalid(endpoint, "`userIds` is empty: give at least one encoded user id (`user_…`)"));
    }
    if ids.iter().any(|id| id.trim().is_empty()) {
        return Err(invalid(endpoint, "`userIds` contains an empty id: remove it"));
    }
    Ok(ids)
}
