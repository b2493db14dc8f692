//! `AdminClient`: one method per Admin API endpoint (plus streams for the paged ones), each
//! building a request from its declaration and handing it to cursor-core.

use cursor_core::time::Date;
use cursor_core::{BoxStream, Client, DateRange, Error, Request, Result};

use crate::endpoints::*;
use crate::models::*;
use crate::query::{
    AuditLogQuery, GroupUpdate, MemberRef, RepoPatterns, SpendQuery, UsageEventsQuery, create_group_body,
    repo_blocklists_body, spend_limit_body, user_ids,
};

/// The page size the spend stream asks for when the query sets none. No document gives
/// `/teams/spend` a maximum, so the stream stays at a size such APIs commonly accept rather
/// than risk a `400` on the live service; it cuts the requests of a 200-member team's spend
/// from 9 (at the default of 25) to 2. The usage-event stream asks for
/// [`UsageEventsQuery::MAX_PAGE_SIZE`] (1000), the documented maximum.
pub const STREAM_PAGE_SIZE: u32 = 100;

/// Pages one window of `/teams/daily-usage-data` may take before the client gives up on a
/// server that never says it is done (the current service pages by users: 100 a page by
/// default, so this allows 100,000 members).
const MAX_DAILY_USAGE_PAGES: u32 = 1000;

/// A client for the Cursor Admin API (enterprise teams): members, audit logs, usage, spend,
/// spend limits, repository blocklists and billing groups.
///
/// Cheap to clone; shares the [`Client`]'s connection pool, rate limits and retries.
///
/// ```no_run
/// # async fn run() -> cursor_core::Result<()> {
/// let admin = cursor_admin::AdminClient::new(cursor_core::Client::from_env()?);
/// for member in admin.members().await?.team_members {
///     println!("{} <{}> {}", member.name.unwrap_or_default(), member.email, member.role);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct AdminClient {
    client: Client,
}

impl AdminClient {
    /// An Admin API client on top of a core client.
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// A view of this client whose calls run with `options` (retry policy, timeout, retry
    /// classifier, idempotency override); it shares the connection pool, the rate limits and
    /// the cache.
    ///
    /// ```no_run
    /// # fn run(api: cursor_admin::AdminClient) {
    /// use std::time::Duration;
    /// let patient = api.with_options(cursor_core::RequestOptions::new().timeout(Duration::from_secs(300)));
    /// # let _ = patient; }
    /// ```
    pub fn with_options(&self, options: cursor_core::RequestOptions) -> Self {
        Self { client: self.client.with_options(options) }
    }

    /// The core client underneath.
    pub fn core(&self) -> &Client {
        &self.client
    }

    /// `GET /teams/members`: every team member with name, email and role.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// let members = admin.members().await?;
    /// let owners = members.team_members.iter().filter(|m| m.role == cursor_admin::Role::Owner).count();
    /// # Ok(()) }
    /// ```
    pub async fn members(&self) -> Result<TeamMembers> {
        self.client.send_json(Request::new(&LIST_MEMBERS)).await
    }

    /// `GET /teams/audit-logs`: one page of audit events.
    ///
    /// The range may span at most 30 days here; a longer one is refused (read it with
    /// [`audit_logs`](Self::audit_logs), which splits it). Refused before
    /// sending: `pageSize` outside 1–500, `page` 0, more users than `pageSize`, a reversed
    /// range.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// use cursor_admin::AuditLogQuery;
    /// let page = admin
    ///     .audit_logs_page(&AuditLogQuery::new().users(["admin@company.com"]).event_types(["login"]))
    ///     .await?;
    /// println!("{} events in all", page.pagination.total_count.unwrap_or(0));
    /// # Ok(()) }
    /// ```
    pub async fn audit_logs_page(&self, query: &AuditLogQuery) -> Result<AuditLogPage> {
        self.client.send_json(query.page_request(self.client.now())?).await
    }

    /// `GET /teams/audit-logs`, every page: all matching events, one at a time, newest first
    /// as the server orders them. A range longer than 30 days is read in consecutive 30-day
    /// windows, newest window first, so the order holds across windows; a start page applies
    /// to the first window read. Without a page size the stream asks for 500 events a page
    /// (the most allowed), since every request counts against 20 a minute. Pages are fetched
    /// as the stream is polled. Bad input is the stream's only item, and nothing is sent.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// use cursor_admin::AuditLogQuery;
    /// use futures_util::TryStreamExt as _;
    ///
    /// let mut events = admin.audit_logs(&AuditLogQuery::new().last_days(90).page_size(500));
    /// while let Some(event) = events.try_next().await? {
    ///     println!("{} {}", event.timestamp, event.event_type);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn audit_logs(&self, query: &AuditLogQuery) -> BoxStream<Result<AuditLogEvent>> {
        match query.stream_requests(self.client.now()) {
            Ok(requests) => self.client.items_across::<AuditLogPage>(requests),
            Err(error) => failed(error),
        }
    }

    /// `GET /teams/audit-logs`, page by page: the pages [`audit_logs`](Self::audit_logs)
    /// reads (every 30-day window of the range, newest first, each page as the server sent
    /// it), fetched as the stream is polled. Bad input is the stream's only item.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// use cursor_admin::AuditLogQuery;
    /// use futures_util::TryStreamExt as _;
    ///
    /// let mut pages = admin.audit_logs_pages(&AuditLogQuery::new().last_days(60));
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} events", page.events.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn audit_logs_pages(&self, query: &AuditLogQuery) -> BoxStream<Result<AuditLogPage>> {
        match query.stream_requests(self.client.now()) {
            Ok(requests) => self.client.pages_across::<AuditLogPage>(requests),
            Err(error) => failed(error),
        }
    }

    /// `POST /teams/daily-usage-data`: daily usage per member over `range` (sent as epoch
    /// milliseconds). A range longer than 30 days is split into 30-day windows (one document
    /// allows 90; 30 works with both), and each window is read page after page when the
    /// service pages its answer (the current documents: `page`, `pageSize`,
    /// `pagination.totalUsers`); everything is merged into one answer in order. An answer
    /// without a page block (the seeds' shape) is one page. Data is aggregated hourly: poll
    /// at most once an hour. A reversed range is refused.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// use cursor_core::DateRange;
    /// let usage = admin.daily_usage(&DateRange::last_days(7)).await?;
    /// let accepted: u64 = usage.data.iter().map(|row| row.total_tabs_accepted).sum();
    /// let active_rows = usage.data.iter().filter(|row| row.is_active).count();
    /// # Ok(()) }
    /// ```
    pub async fn daily_usage(&self, range: &DateRange) -> Result<DailyUsage> {
        let requests = Request::new(&DAILY_USAGE).with_range(range, self.client.now())?;
        let mut merged: Option<DailyUsage> = None;
        // Windows meet at an instant both cover, so a day-granular server answers the seam
        // day in both: each (day, member) row is kept once.
        let mut seen = std::collections::HashSet::new();
        for request in requests {
            let mut page = 1;
            loop {
                // The first page is asked for without `page`, exactly as the seeds' clients
                // did; later ones name their page.
                let paged = if page == 1 { request.clone() } else { request.clone().set_body_field("page", page) };
                let mut answer: DailyUsage = self.client.send_json(paged).await?;
                let next = daily_usage_next_page(&answer, page);
                if page > 1 && answer.data.is_empty() && next.is_some() {
                    // An empty page that promises more would loop: stop here.
                    return Err(inconsistent_daily_usage(page));
                }
                answer.data.retain(|row| seen.insert((row.date, row.email.clone())));
                merged = Some(match merged {
                    None => answer,
                    Some(mut all) => {
                        all.data.extend(answer.data);
                        all.period.end_date = all.period.end_date.max(answer.period.end_date);
                        all
                    }
                });
                match next {
                    Some(following) if following <= MAX_DAILY_USAGE_PAGES => page = following,
                    Some(_) => return Err(inconsistent_daily_usage(page)),
                    None => break,
                }
            }
        }
        // `with_range` always yields at least one request.
        Ok(merged.unwrap_or_default())
    }

    /// `POST /teams/spend`: one page of members' spend in the current calendar month.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// use cursor_admin::SpendQuery;
    /// let page = admin.spend_page(&SpendQuery::new().search_term("alex@company.com").page(2).page_size(25)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn spend_page(&self, query: &SpendQuery) -> Result<SpendPage> {
        self.client.send_json(query.request()?).await
    }

    /// `POST /teams/spend`, every page: each member's spend, one at a time. Without a page
    /// size the stream asks for [`STREAM_PAGE_SIZE`] members a page (the server's own default
    /// is small, and every request counts against 20 a minute). Bad input is the stream's
    /// only item, and nothing is sent.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// use cursor_admin::{SpendQuery, SpendSortBy};
    /// use futures_util::TryStreamExt as _;
    /// let top: Vec<_> = admin.spend(&SpendQuery::new().sort_by(SpendSortBy::Amount)).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn spend(&self, query: &SpendQuery) -> BoxStream<Result<MemberSpend>> {
        match query.stream_request() {
            Ok(request) => self.client.items::<SpendPage>(request),
            Err(error) => failed(error),
        }
    }

    /// `POST /teams/spend`, page by page, in order: the pages [`spend`](Self::spend) reads
    /// ([`STREAM_PAGE_SIZE`] members a page when the query sets no size), fetched as the
    /// stream is polled. Bad input is the stream's only item, and nothing is sent.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// use cursor_admin::SpendQuery;
    /// use futures_util::TryStreamExt as _;
    /// let mut pages = admin.spend_pages(&SpendQuery::new().page_size(50));
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} members", page.team_member_spend.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn spend_pages(&self, query: &SpendQuery) -> BoxStream<Result<SpendPage>> {
        match query.stream_request() {
            Ok(request) => self.client.pages::<SpendPage>(request),
            Err(error) => failed(error),
        }
    }

    /// `POST /teams/filtered-usage-events`: one page of usage events. Each event's
    /// [`dashboard_cents`](UsageEvent::dashboard_cents) is the cost the dashboard shows.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// use cursor_admin::UsageEventsQuery;
    /// let page = admin.usage_events_page(&UsageEventsQuery::new().email("developer@company.com")).await?;
    /// let cents: f64 = page.usage_events.iter().map(|e| e.dashboard_cents()).sum();
    /// # Ok(()) }
    /// ```
    pub async fn usage_events_page(&self, query: &UsageEventsQuery) -> Result<UsageEventsPage> {
        self.client.send_json(query.request(self.client.now())?).await
    }

    /// `POST /teams/filtered-usage-events`, every page: all matching events, one at a time.
    /// Without a page size the stream asks for [`UsageEventsQuery::MAX_PAGE_SIZE`] (1000)
    /// events a page, the most the service allows, since every request counts against the
    /// endpoint's budget. Bad input is the stream's only item, and nothing is sent.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// use cursor_admin::UsageEventsQuery;
    /// use cursor_core::DateRange;
    /// use futures_util::TryStreamExt as _;
    /// let mut events = admin.usage_events(&UsageEventsQuery::new().range(DateRange::last_days(7)).page_size(100));
    /// let mut total = 0.0;
    /// while let Some(event) = events.try_next().await? {
    ///     total += event.dashboard_cents();
    /// }
    /// # Ok(()) }
    /// ```
    pub fn usage_events(&self, query: &UsageEventsQuery) -> BoxStream<Result<UsageEvent>> {
        match query.stream_request(self.client.now()) {
            Ok(request) => self.client.items::<UsageEventsPage>(request),
            Err(error) => failed(error),
        }
    }

    /// `POST /teams/filtered-usage-events`, page by page, in order: the pages
    /// [`usage_events`](Self::usage_events) reads (1000 events a page when the query sets no
    /// size), fetched as the stream is polled. Bad input is the stream's only item, and
    /// nothing is sent.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// use cursor_admin::UsageEventsQuery;
    /// use futures_util::TryStreamExt as _;
    /// let mut pages = admin.usage_events_pages(&UsageEventsQuery::new().last_days(7));
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} events", page.usage_events.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn usage_events_pages(&self, query: &UsageEventsQuery) -> BoxStream<Result<UsageEventsPage>> {
        match query.stream_request(self.client.now()) {
            Ok(request) => self.client.pages::<UsageEventsPage>(request),
            Err(error) => failed(error),
        }
    }

    /// `POST /teams/user-spend-limit`: sets a member's spend limit in whole dollars
    /// (`Some(0)` means $0), or clears it (`None`, sent as `null`). The member must already
    /// be in the team. Its own rate limit applies (60 requests/minute by default).
    ///
    /// An answer with `"outcome": "error"` is an error, not a success: it is returned as
    /// [`Error::Api`] with status 200 (the answer came with a success code) and
    /// `ApiErrorBody::Simple { error: "error", message }`, so `err.to_string()` shows the
    /// server's message. An error status with that body is an [`Error::Api`] as usual.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// admin.set_user_spend_limit("developer@company.com", Some(100)).await?;
    /// admin.set_user_spend_limit("developer@company.com", None).await?; // removes the limit
    /// # Ok(()) }
    /// ```
    ///
    /// A fractional amount does not compile:
    ///
    /// ```compile_fail
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// admin.set_user_spend_limit("developer@company.com", Some(99.5)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn set_user_spend_limit(
        &self,
        user_email: impl Into<String>,
        spend_limit_dollars: Option<u32>,
    ) -> Result<SpendLimitOutcome> {
        let body = spend_limit_body(user_email.into(), spend_limit_dollars)?;
        let outcome: SpendLimitOutcome =
            self.client.send_json(Request::new(&SET_USER_SPEND_LIMIT).json(&body)?).await?;
        if outcome.outcome == Outcome::Error {
            // A success status carrying a refusal: its own case, not an HTTP error.
            return Err(Error::refused(
                SET_USER_SPEND_LIMIT.name,
                outcome.message.unwrap_or_else(|| "the server refused the change".to_owned()),
            ));
        }
        Ok(outcome)
    }

    /// `GET /settings/repo-blocklists/repos`: every repository blocklist of the team.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// for repo in admin.repo_blocklists().await?.repos {
    ///     println!("{} {}: {:?}", repo.id, repo.url, repo.patterns);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn repo_blocklists(&self) -> Result<RepoBlocklists> {
        self.client.send_json(Request::new(&LIST_REPO_BLOCKLISTS)).await
    }

    /// `POST /settings/repo-blocklists/repos/upsert`: replaces the patterns of the
    /// repositories given (adding them when new); other repositories are unaffected. Answers
    /// with the blocklists. An empty list, or a repository with an empty URL, is refused.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// use cursor_admin::RepoPatterns;
    /// admin
    ///     .upsert_repo_blocklists([
    ///         RepoPatterns::new("https://github.com/company/sensitive-repo", ["*.env", "config/*"]),
    ///         RepoPatterns::new("https://github.com/company/internal-tools", ["*"]),
    ///     ])
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn upsert_repo_blocklists(
        &self,
        repos: impl IntoIterator<Item = RepoPatterns>,
    ) -> Result<RepoBlocklists> {
        let body = repo_blocklists_body(repos.into_iter().collect())?;
        let request = Request::new(&UPSERT_REPO_BLOCKLISTS).json(&body)?;
        self.client.send_json(request).await
    }

    /// `DELETE /settings/repo-blocklists/repos/{repoId}`: removes one repository's
    /// blocklist (`204 No Content`).
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// admin.delete_repo_blocklist("repo_123").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_repo_blocklist(&self, repo_id: &str) -> Result<()> {
        self.client.send_empty(Request::new(&DELETE_REPO_BLOCKLIST).path_param("repoId", repo_id)?).await
    }

    /// `GET /teams/groups`: every billing group with spend for a billing cycle (the current
    /// one when `billing_cycle` is `None`; otherwise the cycle containing that day), plus
    /// the `Unassigned` group. Billing groups are an Enterprise beta feature.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// use cursor_core::time::{Date, Month};
    /// let cycle = Date::from_calendar_date(2025, Month::January, 15).expect("a valid date");
    /// let list = admin.groups(Some(cycle)).await?;
    /// for group in list.groups.iter().chain(&list.unassigned_group) {
    ///     println!("{}: {} cents", group.name, group.spend_cents.unwrap_or(0.0));
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn groups(&self, billing_cycle: Option<Date>) -> Result<GroupList> {
        let request = Request::new(&LIST_GROUPS).query_opt("billingCycle", billing_cycle.map(iso_day));
        self.client.send_json(request).await
    }

    /// `GET /teams/groups/{groupId}`: one billing group with current and former members,
    /// and spend per day, for a billing cycle (the current one when `None`).
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// let group = admin.group("group_PDSPmvukpYgZEDXsoNirw3CFhy", None).await?.group;
    /// for member in group.current_members.unwrap_or_default() {
    ///     println!("{}: {:?} cents", member.email, member.spend_cents);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn group(&self, group_id: &str, billing_cycle: Option<Date>) -> Result<GroupResponse> {
        let request = Request::new(&GET_GROUP)
            .path_param("groupId", group_id)?
            .query_opt("billingCycle", billing_cycle.map(iso_day));
        self.client.send_json(request).await
    }

    /// `POST /teams/groups`: creates a billing group (type `BILLING`, the only one). An
    /// empty name is refused.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// let created = admin.create_group("Engineering").await?;
    /// println!("created {}", created.group.id);
    /// # Ok(()) }
    /// ```
    pub async fn create_group(&self, name: impl Into<String>) -> Result<GroupResponse> {
        let request = Request::new(&CREATE_GROUP).json(&create_group_body(name.into())?)?;
        self.client.send_json(request).await
    }

    /// `PATCH /teams/groups/{groupId}`: renames the group, or attaches or detaches a
    /// directory group; one change per request, as the server requires.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// use cursor_admin::GroupUpdate;
    /// let id = "group_PDSPmvukpYgZEDXsoNirw3CFhy";
    /// admin.update_group(id, GroupUpdate::Rename("Platform Engineering".into())).await?;
    /// admin.update_group(id, GroupUpdate::DetachDirectoryGroup).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_group(&self, group_id: &str, update: GroupUpdate) -> Result<GroupResponse> {
        let body = update.body(&UPDATE_GROUP)?;
        let request = Request::new(&UPDATE_GROUP).path_param("groupId", group_id)?.json(&body)?;
        self.client.send_json(request).await
    }

    /// `DELETE /teams/groups/{groupId}`: deletes a billing group (`204 No Content`). This
    /// cannot be undone; the group's history moves to `Unassigned`.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// admin.delete_group("group_PDSPmvukpYgZEDXsoNirw3CFhy").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_group(&self, group_id: &str) -> Result<()> {
        self.client.send_empty(Request::new(&DELETE_GROUP).path_param("groupId", group_id)?).await
    }

    /// `POST /teams/groups/{groupId}/members`: adds team members (encoded ids, `user_…`) to
    /// a group. They must be in the team and in no other group; SCIM-synced groups cannot be
    /// changed through the API. An empty list is refused.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// admin.add_group_members("group_PDSPmvukpYgZEDXsoNirw3CFhy", ["user_abc123", "user_def456"]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn add_group_members<I, S>(&self, group_id: &str, user_ids_to_add: I) -> Result<GroupResponse>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let ids = user_ids(&ADD_GROUP_MEMBERS, user_ids_to_add)?;
        let request = Request::new(&ADD_GROUP_MEMBERS)
            .path_param("groupId", group_id)?
            .json(&serde_json::json!({ "userIds": ids }))?;
        self.client.send_json(request).await
    }

    /// `DELETE /teams/groups/{groupId}/members` (with a JSON body): removes members from a
    /// group; they move to `Unassigned`. An empty list is refused.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// admin.remove_group_members("group_PDSPmvukpYgZEDXsoNirw3CFhy", ["user_def456"]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn remove_group_members<I, S>(&self, group_id: &str, user_ids_to_remove: I) -> Result<GroupResponse>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let ids = user_ids(&REMOVE_GROUP_MEMBERS, user_ids_to_remove)?;
        let request = Request::new(&REMOVE_GROUP_MEMBERS)
            .path_param("groupId", group_id)?
            .json(&serde_json::json!({ "userIds": ids }))?;
        self.client.send_json(request).await
    }

    /// `POST /teams/remove-member`: removes a member from the team, named by user id
    /// (`userId`) or email (`email`); a text with an `@` is an email. Not retried after a
    /// failure that may have reached the server: list the members (`isRemoved`) to find out.
    /// Its own rate limit applies in the current overview (50 requests/minute).
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// use cursor_admin::MemberRef;
    /// let outcome = admin.remove_member("departed@company.com").await?;
    /// if outcome.has_billing_cycle_usage == Some(true) {
    ///     println!("the seat stays billable until the cycle ends");
    /// }
    /// admin.remove_member(MemberRef::UserId("user_PDSPmvukpYgZEDXsoNirw3CFhy".into())).await?;
    /// # Ok(()) }
    /// ```
    pub async fn remove_member(&self, member: impl Into<MemberRef>) -> Result<RemoveMemberOutcome> {
        self.client.send_json(Request::new(&REMOVE_MEMBER).json(&member.into().body()?)?).await
    }

    /// `GET /teams/model-access/configuration` (preview): whether the team restricts models.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// let configuration = admin.model_access_configuration().await?;
    /// println!("restricted: {:?}", configuration.restricted);
    /// # Ok(()) }
    /// ```
    pub async fn model_access_configuration(&self) -> Result<ModelAccessConfiguration> {
        self.client.send_json(Request::new(&GET_MODEL_ACCESS_CONFIGURATION)).await
    }

    /// `PUT /teams/model-access/configuration` (preview): restricts models to the allowed
    /// providers and models (`true`), or lifts the restriction (`false`). Safe to repeat.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// admin.set_model_access_restricted(true).await?;
    /// # Ok(()) }
    /// ```
    pub async fn set_model_access_restricted(&self, restricted: bool) -> Result<ModelAccessConfiguration> {
        let request =
            Request::new(&SET_MODEL_ACCESS_CONFIGURATION).json(&serde_json::json!({ "restricted": restricted }))?;
        self.client.send_json(request).await
    }

    /// `GET /teams/model-access/providers` (preview): the providers and whether each is
    /// allowed. A team without restrictions answers `409` ([`Error::is_conflict`]).
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// for provider in admin.model_providers().await?.providers {
    ///     println!("{}: {:?}", provider.provider, provider.allowed);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn model_providers(&self) -> Result<ModelProviders> {
        self.client.send_json(Request::new(&LIST_MODEL_PROVIDERS)).await
    }

    /// `PUT /teams/model-access/providers/{provider}` (preview): allows or blocks every
    /// model of a provider. Safe to repeat.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// admin.set_model_provider_allowed("openai", false).await?;
    /// # Ok(()) }
    /// ```
    pub async fn set_model_provider_allowed(&self, provider: &str, allowed: bool) -> Result<ModelProvider> {
        let request = Request::new(&SET_MODEL_PROVIDER)
            .path_param("provider", provider)?
            .json(&serde_json::json!({ "allowed": allowed }))?;
        self.client.send_json(request).await
    }

    /// `GET /teams/model-access/providers/{provider}/models` (preview): a provider's models
    /// and whether each is allowed.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// let models = admin.provider_models("anthropic").await?;
    /// let allowed = models.models.iter().filter(|m| m.allowed == Some(true)).count();
    /// # Ok(()) }
    /// ```
    pub async fn provider_models(&self, provider: &str) -> Result<ProviderModels> {
        self.client.send_json(Request::new(&LIST_PROVIDER_MODELS).path_param("provider", provider)?).await
    }

    /// `PUT /teams/model-access/providers/{provider}/models/{model}` (preview): allows or
    /// blocks one model. Safe to repeat.
    ///
    /// ```no_run
    /// # async fn run(admin: cursor_admin::AdminClient) -> cursor_core::Result<()> {
    /// admin.set_provider_model_allowed("anthropic", "claude-4-opus", false).await?;
    /// # Ok(()) }
    /// ```
    pub async fn set_provider_model_allowed(
        &self,
        provider: &str,
        model: &str,
        allowed: bool,
    ) -> Result<ModelAccessEntry> {
        let request = Request::new(&SET_PROVIDER_MODEL)
            .path_param("provider", provider)?
            .path_param("model", model)?
            .json(&serde_json::json!({ "allowed": allowed }))?;
        self.client.send_json(request).await
    }
}

/// The page after `page` of a daily-usage window, or `None` when it was the last (or the
/// answer has no page block, as in the seeds).
fn daily_usage_next_page(answer: &DailyUsage, page: u32) -> Option<u32> {
    let pagination = answer.pagination.as_ref()?;
    let page = pagination.page.unwrap_or(page);
    let more = pagination.has_next_page || pagination.total_pages.is_some_and(|total| page < total);
    let beyond = pagination.total_pages.is_some_and(|total| page >= total);
    (more && !beyond).then_some(page + 1)
}

fn inconsistent_daily_usage(page: u32) -> Error {
    Error::pagination(DAILY_USAGE.name, format!("page {page} promises more pages, but they are empty or never end"))
}

/// A stream whose only item is `error`: how the streams hand back input refused unsent.
fn failed<T: Send + 'static>(error: Error) -> BoxStream<Result<T>> {
    Box::pin(futures_util::stream::once(async move { Err(error) }))
}

fn iso_day(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}
