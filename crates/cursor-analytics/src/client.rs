//! The Analytics API client: one method per endpoint over two generic paths, one for
//! team-level answers and one for by-user pages.

use cursor_core::{BoxStream, Client, Endpoint, Error, Request, Result};
use futures_util::{StreamExt as _, TryStreamExt as _};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::endpoints::*;
use crate::models::{
    AgentEditsByUserRow, AgentEditsRow, BugbotPrRow, BugbotReviewRow, ByUserPage, ByUserReport, ClientVersionRow,
    CommandRow, ConversationInsights, DailyRow, DauRow, FileExtensionRow, InsightSection, ItemsPage, Leaderboard,
    LeaderboardEntry, McpRow, ModelAdoptionRow, ModelsRow, SkillRow, TabsRow, TeamResponse, UserRows,
};
use crate::query::{AnalyticsQuery, BugbotQuery};

/// A client for the Analytics API (enterprise teams). Cheap to clone; clones share the core
/// client's connections, rate limits (team-level 100 requests a minute, by-user 50) and
/// `ETag` cache.
///
/// ```no_run
/// # async fn run() -> cursor_core::Result<()> {
/// use cursor_analytics::{AnalyticsClient, AnalyticsQuery};
///
/// let analytics = AnalyticsClient::new(cursor_core::Client::from_env()?);
/// let dau = analytics.dau(&AnalyticsQuery::new().last_days(14)).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct AnalyticsClient {
    client: Client,
}

impl AnalyticsClient {
    /// An Analytics client over a core client.
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// A view of this client whose calls run with `options` (retry policy, timeout, retry
    /// classifier, idempotency override); it shares the connection pool, the rate limits and
    /// the cache.
    ///
    /// ```no_run
    /// # fn run(api: cursor_analytics::AnalyticsClient) {
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

    /// Sends a team-level request (one per window of a long range) and merges the answers.
    async fn team<R: DeserializeOwned + DailyRow>(
        &self,
        endpoint: &'static Endpoint,
        query: &AnalyticsQuery,
    ) -> Result<TeamResponse<R>> {
        let requests = query.requests(endpoint, self.client.now())?;
        let mut responses = Vec::with_capacity(requests.len());
        for request in requests {
            responses.push(self.client.send_json(request).await?);
        }
        TeamResponse::merge(responses).ok_or_else(|| {
            Error::invalid_request(endpoint.name, "the date range is empty: give a start no later than its end")
        })
    }

    /// One by-user page: the page the query names, in one range.
    async fn by_user_page<R: DeserializeOwned>(
        &self,
        endpoint: &'static Endpoint,
        query: &AnalyticsQuery,
    ) -> Result<ByUserPage<R>> {
        let request = query.single_request(endpoint, self.client.now(), "one page covers")?;
        self.client.send_json(request).await
    }

    /// The by-user requests the streams send: the largest pages, one request per window.
    fn by_user_requests(&self, endpoint: &'static Endpoint, query: &AnalyticsQuery) -> Result<Vec<Request>> {
        query.with_largest_pages().requests(endpoint, self.client.now())
    }

    fn by_user_pages<R: DeserializeOwned + Serialize + Send + 'static>(
        &self,
        endpoint: &'static Endpoint,
        query: &AnalyticsQuery,
    ) -> BoxStream<Result<ByUserPage<R>>> {
        match self.by_user_requests(endpoint, query) {
            Ok(requests) => self.client.pages_across(requests),
            Err(error) => failed(error),
        }
    }

    fn by_user_items<R: DeserializeOwned + Serialize + Send + 'static>(
        &self,
        endpoint: &'static Endpoint,
        query: &AnalyticsQuery,
    ) -> BoxStream<Result<UserRows<R>>> {
        match self.by_user_requests(endpoint, query) {
            Ok(requests) => self.client.items_across::<ByUserPage<R>>(requests),
            Err(error) => failed(error),
        }
    }

    async fn by_user_merged<R: DeserializeOwned + Serialize + Send + 'static>(
        &self,
        endpoint: &'static Endpoint,
        query: &AnalyticsQuery,
    ) -> Result<ByUserReport<R>> {
        let mut users = self.by_user_items(endpoint, query);
        let mut report = ByUserReport::default();
        while let Some(user) = users.try_next().await? {
            report.extend([user]);
        }
        Ok(report)
    }

    /// `GET /analytics/team/agent-edits`: AI-suggested code edits per day.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> Result<(), Box<dyn std::error::Error>> {
    /// use cursor_analytics::AnalyticsQuery;
    /// use cursor_core::time::{Date, Month};
    ///
    /// // startDate=2025-01-01&endDate=2025-01-30
    /// let (start, end) = (Date::from_calendar_date(2025, Month::January, 1)?, Date::from_calendar_date(2025, Month::January, 30)?);
    /// let edits = analytics.agent_edits(&AnalyticsQuery::new().dates(start, end)).await?;
    /// for day in &edits.data {
    ///     println!("{:?}: {:?} lines accepted", day.event_date, day.total_lines_accepted);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn agent_edits(&self, query: &AnalyticsQuery) -> Result<TeamResponse<AgentEditsRow>> {
        self.team(&TEAM_AGENT_EDITS, query).await
    }

    /// `GET /analytics/team/tabs`: Tab autocomplete usage per day.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let tabs = analytics.tabs(&cursor_analytics::AnalyticsQuery::new()).await?;
    /// let accepted: u64 = tabs.data.iter().filter_map(|day| day.total_accepts).sum();
    /// # Ok(()) }
    /// ```
    pub async fn tabs(&self, query: &AnalyticsQuery) -> Result<TeamResponse<TabsRow>> {
        self.team(&TEAM_TABS, query).await
    }

    /// `GET /analytics/team/dau`: daily active users, with `cli_dau`, `cloud_agent_dau` and
    /// `bugbot_dau`.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// use cursor_analytics::AnalyticsQuery;
    /// use cursor_core::DateSpec;
    ///
    /// // startDate=14d&endDate=today
    /// let dau = analytics.dau(&AnalyticsQuery::new().dates(DateSpec::DaysAgo(14), DateSpec::Today)).await?;
    /// for day in &dau.data {
    ///     println!("{:?}: {:?} active, {:?} on the CLI", day.date, day.dau, day.cli_dau);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn dau(&self, query: &AnalyticsQuery) -> Result<TeamResponse<DauRow>> {
        self.team(&TEAM_DAU, query).await
    }

    /// `GET /analytics/team/client-versions`: the client versions in use per day (each user
    /// counted once a day, with the latest version they ran).
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let versions = analytics.client_versions(&cursor_analytics::AnalyticsQuery::new()).await?;
    /// for row in &versions.data {
    ///     println!("{:?} {:?}: {:?} users", row.event_date, row.client_version, row.user_count);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn client_versions(&self, query: &AnalyticsQuery) -> Result<TeamResponse<ClientVersionRow>> {
        self.team(&TEAM_CLIENT_VERSIONS, query).await
    }

    /// `GET /analytics/team/models`: messages and users per model per day.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let models = analytics.models(&cursor_analytics::AnalyticsQuery::new().last_days(7)).await?;
    /// for day in &models.data {
    ///     for (model, usage) in day.model_breakdown.iter().flatten() {
    ///         println!("{:?} {model}: {:?} messages", day.date, usage.messages);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn models(&self, query: &AnalyticsQuery) -> Result<TeamResponse<ModelsRow>> {
        self.team(&TEAM_MODELS, query).await
    }

    /// `GET /analytics/team/top-file-extensions`: the top 5 file extensions per day by
    /// suggestion volume.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let top = analytics.top_file_extensions(&cursor_analytics::AnalyticsQuery::new().last_days(14)).await?;
    /// for row in &top.data {
    ///     println!("{:?} .{:?}: {:?} lines accepted", row.event_date, row.file_extension, row.total_lines_accepted);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn top_file_extensions(&self, query: &AnalyticsQuery) -> Result<TeamResponse<FileExtensionRow>> {
        self.team(&TEAM_TOP_FILE_EXTENSIONS, query).await
    }

    /// `GET /analytics/team/mcp`: MCP tool adoption per day, by tool and server.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let mcp = analytics.mcp(&cursor_analytics::AnalyticsQuery::new()).await?;
    /// for row in &mcp.data {
    ///     println!("{:?}/{:?}: {:?}", row.mcp_server_name, row.tool_name, row.usage);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn mcp(&self, query: &AnalyticsQuery) -> Result<TeamResponse<McpRow>> {
        self.team(&TEAM_MCP, query).await
    }

    /// `GET /analytics/team/commands`: command adoption per day, by command.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let commands = analytics.commands(&cursor_analytics::AnalyticsQuery::new()).await?;
    /// for row in &commands.data {
    ///     println!("{:?}: {:?}", row.command_name, row.usage);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn commands(&self, query: &AnalyticsQuery) -> Result<TeamResponse<CommandRow>> {
        self.team(&TEAM_COMMANDS, query).await
    }

    /// `GET /analytics/team/plans`: Plan mode adoption per day, by model.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let plans = analytics.plans(&cursor_analytics::AnalyticsQuery::new()).await?;
    /// for row in &plans.data {
    ///     println!("{:?} {:?}: {:?}", row.event_date, row.model, row.usage);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn plans(&self, query: &AnalyticsQuery) -> Result<TeamResponse<ModelAdoptionRow>> {
        self.team(&TEAM_PLANS, query).await
    }

    /// `GET /analytics/team/ask-mode`: Ask mode adoption per day, by model.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let ask = analytics.ask_mode(&cursor_analytics::AnalyticsQuery::new().user("alice@example.com")).await?;
    /// println!("{} rows", ask.data.len());
    /// # Ok(()) }
    /// ```
    pub async fn ask_mode(&self, query: &AnalyticsQuery) -> Result<TeamResponse<ModelAdoptionRow>> {
        self.team(&TEAM_ASK_MODE, query).await
    }

    /// `GET /analytics/team/leaderboard`: one page of the Tab and Agent leaderboards (default
    /// page 1 of 10 users; `page_size` up to 500). Users picked with `users` keep their
    /// team-wide rank. A ranking covers one range, so a range over 30 days is refused
    /// rather than split.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// use cursor_analytics::AnalyticsQuery;
    ///
    /// // ?page=2&pageSize=20
    /// let board = analytics.leaderboard_page(&AnalyticsQuery::new().page(2).page_size(20)).await?;
    /// for entry in board.data.agent_leaderboard.iter().flat_map(|b| &b.data) {
    ///     println!("#{:?} {:?} ({:?})", entry.rank, entry.email, entry.favorite_model);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn leaderboard_page(&self, query: &AnalyticsQuery) -> Result<Leaderboard> {
        let request = query.single_request(&TEAM_LEADERBOARD, self.client.now(), LEADERBOARD_RANGE)?;
        self.client.send_json(request).await
    }

    /// `GET /analytics/team/leaderboard`, every entry of every page from `query.page`
    /// (default 1) to the last. Each page holds a slice of both boards, so an item is a
    /// [`LeaderboardEntry`]: a Tab or an Agent entry, tagged with its board; a page yields its
    /// Tab entries, then its Agent entries. Nothing of the entries is lost; the boards'
    /// `total_users` and the page blocks are on [`leaderboard_pages`](Self::leaderboard_pages).
    /// Without a page size it asks for 500 users a page (the most allowed), since every
    /// request counts against the bucket.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// use cursor_analytics::LeaderboardEntry;
    /// use futures_util::TryStreamExt as _;
    ///
    /// let mut entries = analytics.leaderboard(&cursor_analytics::AnalyticsQuery::new().last_days(30));
    /// while let Some(entry) = entries.try_next().await? {
    ///     match entry {
    ///         LeaderboardEntry::Tab(tab) => println!("tab #{:?} {:?}", tab.rank, tab.email),
    ///         LeaderboardEntry::Agent(agent) => println!("agent #{:?} {:?}", agent.rank, agent.email),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn leaderboard(&self, query: &AnalyticsQuery) -> BoxStream<Result<LeaderboardEntry>> {
        match query.with_largest_pages().single_request(&TEAM_LEADERBOARD, self.client.now(), LEADERBOARD_RANGE) {
            Ok(request) => self.client.items::<Leaderboard>(request),
            Err(error) => failed(error),
        }
    }

    /// `GET /analytics/team/leaderboard`, every page from `query.page` (default 1) to the
    /// last, fetched as the stream is read. Without a page size it asks for 500 users a page
    /// (the most allowed), since every request counts against the bucket.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// use futures_util::TryStreamExt as _;
    ///
    /// let pages: Vec<_> =
    ///     analytics.leaderboard_pages(&cursor_analytics::AnalyticsQuery::new().page_size(500)).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn leaderboard_pages(&self, query: &AnalyticsQuery) -> BoxStream<Result<Leaderboard>> {
        match query.with_largest_pages().single_request(&TEAM_LEADERBOARD, self.client.now(), LEADERBOARD_RANGE) {
            Ok(request) => self.client.pages(request),
            Err(error) => failed(error),
        }
    }

    /// `GET /analytics/team/skills`: skill adoption per day, by skill (current documents).
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let skills = analytics.skills(&cursor_analytics::AnalyticsQuery::new().last_days(14)).await?;
    /// for row in &skills.data {
    ///     println!("{:?} {:?}: {:?}", row.event_date, row.skill_name, row.usage);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn skills(&self, query: &AnalyticsQuery) -> Result<TeamResponse<SkillRow>> {
        self.team(&TEAM_SKILLS, query).await
    }

    /// `GET /analytics/team/conversation-insights`: what the team's conversations are about,
    /// in the sections asked for (`include`; empty means every section). One range of at most
    /// 30 days (a longer one is refused: shares do not add up across windows). The service
    /// answers `401` while the feature is off for the team ([`Error::is_unauthorized`]). Its
    /// own budget in the current overview: 20 requests/minute.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// use cursor_analytics::{AnalyticsQuery, InsightSection};
    /// let insights = analytics
    ///     .conversation_insights(&AnalyticsQuery::new().last_days(30), &[InsightSection::Intents, InsightSection::WorkTypes])
    ///     .await?;
    /// for intent in insights.data.intents.iter().flatten() {
    ///     println!("{:?}: {:?}", intent.label, intent.count);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn conversation_insights(
        &self,
        query: &AnalyticsQuery,
        include: &[InsightSection],
    ) -> Result<ConversationInsights> {
        let request =
            query.single_request(&TEAM_CONVERSATION_INSIGHTS, self.client.now(), "conversation insights cover")?;
        let include: Vec<&str> = include.iter().map(InsightSection::as_str).collect();
        let request = if include.is_empty() { request } else { request.query("include", include.join(",")) };
        self.client.send_json(request).await
    }

    /// `GET /analytics/team/bugbot`: one page of Bugbot activity per pull request.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// use cursor_analytics::{BugbotQuery, PrState};
    /// let page = analytics.bugbot_page(&BugbotQuery::new().pr_state(PrState::Open).page_size(250)).await?;
    /// println!("{:?} pull requests in all", page.pagination.and_then(|p| p.total_items));
    /// # Ok(()) }
    /// ```
    pub async fn bugbot_page(&self, query: &BugbotQuery) -> Result<ItemsPage<BugbotPrRow>> {
        self.client.send_json(query.request(&TEAM_BUGBOT, self.client.now())?).await
    }

    /// `GET /analytics/team/bugbot`, every page: each pull request's Bugbot activity, 250 a
    /// page (the most allowed) unless the query sets a size.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// use futures_util::TryStreamExt as _;
    /// let prs: Vec<_> = analytics.bugbot(&cursor_analytics::BugbotQuery::new().repo("company/api")).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn bugbot(&self, query: &BugbotQuery) -> BoxStream<Result<BugbotPrRow>> {
        flatten_items(self.bugbot_pages(query))
    }

    /// `GET /analytics/team/bugbot`, every page in order, 250 pull requests a page (the most
    /// allowed) unless the query sets a size: for `pagination.totalItems` or progress.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// use futures_util::TryStreamExt as _;
    /// let mut pages = analytics.bugbot_pages(&cursor_analytics::BugbotQuery::new().last_days(14));
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} pull requests of {:?}", page.data.len(), page.pagination.and_then(|p| p.total_items));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn bugbot_pages(&self, query: &BugbotQuery) -> BoxStream<Result<ItemsPage<BugbotPrRow>>> {
        self.items_pages(&TEAM_BUGBOT, &query.with_largest_pages())
    }

    /// `GET /analytics/team/bugbot-reviews`: one page of Bugbot reviews.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// use cursor_analytics::BugbotQuery;
    /// let reviews = analytics.bugbot_reviews_page(&BugbotQuery::new().repo("company/api").pr_number(42)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn bugbot_reviews_page(&self, query: &BugbotQuery) -> Result<ItemsPage<BugbotReviewRow>> {
        self.client.send_json(query.request(&TEAM_BUGBOT_REVIEWS, self.client.now())?).await
    }

    /// `GET /analytics/team/bugbot-reviews`, every page. No document gives this endpoint a
    /// page size, so none is sent unless the query sets one; an answer without a page block
    /// is the only page.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// use futures_util::TryStreamExt as _;
    /// let dry_runs: Vec<_> =
    ///     analytics.bugbot_reviews(&cursor_analytics::BugbotQuery::new().dry_run(true)).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn bugbot_reviews(&self, query: &BugbotQuery) -> BoxStream<Result<BugbotReviewRow>> {
        flatten_items(self.bugbot_reviews_pages(query))
    }

    /// `GET /analytics/team/bugbot-reviews`, every page in order (no page size is sent unless
    /// the query sets one; an answer without a page block is the only page).
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// use futures_util::TryStreamExt as _;
    /// let pages: Vec<_> =
    ///     analytics.bugbot_reviews_pages(&cursor_analytics::BugbotQuery::new().repo("company/api")).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn bugbot_reviews_pages(&self, query: &BugbotQuery) -> BoxStream<Result<ItemsPage<BugbotReviewRow>>> {
        self.items_pages(&TEAM_BUGBOT_REVIEWS, query)
    }

    /// The pages of a Bugbot analytics endpoint, from the query's page on. Fails instead of
    /// looping when the server answers another page than the one asked for.
    fn items_pages<R: DeserializeOwned + Send + 'static>(
        &self,
        endpoint: &'static Endpoint,
        query: &BugbotQuery,
    ) -> BoxStream<Result<ItemsPage<R>>> {
        let request = match query.request(endpoint, self.client.now()) {
            Ok(request) => request,
            Err(error) => return failed(error),
        };
        let client = self.client.clone();
        futures_util::stream::try_unfold(Some(query.first_page()), move |page| {
            let client = client.clone();
            let request = request.clone();
            async move {
                let Some(page) = page else { return Ok(None) };
                let answer: ItemsPage<R> = client.send_json(request.set_query("page", page)).await?;
                if let Some(reported) = answer.pagination.as_ref().and_then(|p| p.page)
                    && reported != page
                {
                    return Err(Error::pagination(
                        endpoint.name,
                        format!("asked for page {page}, the server answered page {reported}"),
                    ));
                }
                let next = answer.next_page(page);
                Ok(Some((answer, next)))
            }
        })
        .boxed()
    }
}

/// The items of a stream of Bugbot analytics pages, in order.
fn flatten_items<R: Send + 'static>(pages: BoxStream<Result<ItemsPage<R>>>) -> BoxStream<Result<R>> {
    pages.map_ok(|page| futures_util::stream::iter(page.data.into_iter().map(Ok))).try_flatten().boxed()
}

fn failed<T: Send + 'static>(error: Error) -> BoxStream<Result<T>> {
    futures_util::stream::once(async move { Err(error) }).boxed()
}

/// Why a leaderboard page covers one range: the ranking is over the whole range.
const LEADERBOARD_RANGE: &str = "a leaderboard ranks";

/// The by-user methods: four per endpoint (`_page`, the user stream, `_pages`, `_merged`),
/// generated from one line each so their behaviour cannot drift apart. `$what` completes
/// "each user's …" in the docs; `$example` is a doc example for the stream method.
macro_rules! by_user_methods {
    ($(
        $endpoint:ident, $path:literal, $row:ty, $what:literal:
        $page:ident, $users:ident, $pages:ident, $merged:ident;
        $(#[$example:meta])*
    )*) => {
        impl AnalyticsClient {$(
            #[doc = concat!("`GET ", $path, "`: one page of each user's ", $what, ", the page the query names (`page`, default 1; `page_size` users, default 100), as the server sent it.")]
            ///
            /// A range over 30 days is refused: one page covers one range (the stream methods
            /// split it into windows).
            pub async fn $page(&self, query: &AnalyticsQuery) -> Result<ByUserPage<$row>> {
                self.by_user_page(&$endpoint, query).await
            }

            #[doc = concat!("Each user's ", $what, ": one [`UserRows`] per user per page, page after page and window after window, with the user's public ID from `params.userMappings`.")]
            ///
            /// A user whose rows continue on the next page comes again with the rest of them
            /// (the `_merged` method joins them); a block of rows the server repeats exactly is
            /// yielded once. Pages hold 500 users unless the query sets `page_size` (every
            /// request counts against the by-user bucket); a range over 30 days is read window
            /// by window, each from page 1 (a start page applies to the first window only).
            /// Bad input is the stream's first item, before any request.
            $(#[$example])*
            pub fn $users(&self, query: &AnalyticsQuery) -> BoxStream<Result<UserRows<$row>>> {
                self.by_user_items(&$endpoint, query)
            }

            #[doc = concat!("The pages of each user's ", $what, " as the server sent them, page after page and window after window (500 users a page unless the query sets `page_size`).")]
            pub fn $pages(&self, query: &AnalyticsQuery) -> BoxStream<Result<ByUserPage<$row>>> {
                self.by_user_pages(&$endpoint, query)
            }

            #[doc = concat!("Every user's ", $what, " from every page and window, merged per user in date order.")]
            pub async fn $merged(&self, query: &AnalyticsQuery) -> Result<ByUserReport<$row>> {
                self.by_user_merged(&$endpoint, query).await
            }
        )*}
    };
}

by_user_methods! {
    BY_USER_AGENT_EDITS, "/analytics/by-user/agent-edits", AgentEditsByUserRow, "agent edits per day":
        agent_edits_by_user_page, agent_edits_by_user, agent_edits_by_user_pages, agent_edits_by_user_merged;
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// use cursor_analytics::AnalyticsQuery;
    /// use futures_util::TryStreamExt as _;
    ///
    /// let query = AnalyticsQuery::new().users(["alice@example.com", "bob@example.com"]).last_days(30);
    /// let mut users = analytics.agent_edits_by_user(&query);
    /// while let Some(user) = users.try_next().await? {
    ///     let accepted: u64 = user.rows.iter().filter_map(|d| d.accepted_lines).sum();
    ///     println!("{} ({:?}): {accepted}", user.email, user.user_id);
    /// }
    /// // Or every user's rows joined across pages and windows:
    /// let report = analytics.agent_edits_by_user_merged(&query).await?;
    /// # Ok(()) }
    /// ```
    BY_USER_TABS, "/analytics/by-user/tabs", TabsRow, "Tab usage per day (rows decode as [`TabsRow`], any other field kept in `extra`)":
        tabs_by_user_page, tabs_by_user, tabs_by_user_pages, tabs_by_user_merged;
    BY_USER_MODELS, "/analytics/by-user/models", ModelsRow, "model usage per day (rows decode as [`ModelsRow`], any other field kept in `extra`)":
        models_by_user_page, models_by_user, models_by_user_pages, models_by_user_merged;
    BY_USER_TOP_FILE_EXTENSIONS, "/analytics/by-user/top-file-extensions", FileExtensionRow,
        "top file extensions per day (rows decode as [`FileExtensionRow`], any other field kept in `extra`)":
        top_file_extensions_by_user_page, top_file_extensions_by_user, top_file_extensions_by_user_pages,
        top_file_extensions_by_user_merged;
    BY_USER_CLIENT_VERSIONS, "/analytics/by-user/client-versions", ClientVersionRow,
        "client version per day (rows decode as [`ClientVersionRow`], any other field kept in `extra`)":
        client_versions_by_user_page, client_versions_by_user, client_versions_by_user_pages,
        client_versions_by_user_merged;
    BY_USER_MCP, "/analytics/by-user/mcp", McpRow, "MCP tool adoption per day":
        mcp_by_user_page, mcp_by_user, mcp_by_user_pages, mcp_by_user_merged;
    BY_USER_COMMANDS, "/analytics/by-user/commands", CommandRow, "command adoption per day":
        commands_by_user_page, commands_by_user, commands_by_user_pages, commands_by_user_merged;
    BY_USER_PLANS, "/analytics/by-user/plans", ModelAdoptionRow, "Plan mode adoption per day":
        plans_by_user_page, plans_by_user, plans_by_user_pages, plans_by_user_merged;
    BY_USER_ASK_MODE, "/analytics/by-user/ask-mode", ModelAdoptionRow, "Ask mode adoption per day":
        ask_mode_by_user_page, ask_mode_by_user, ask_mode_by_user_pages, ask_mode_by_user_merged;
    BY_USER_SKILLS, "/analytics/by-user/skills", SkillRow, "skill adoption per day (current documents)":
        skills_by_user_page, skills_by_user, skills_by_user_pages, skills_by_user_merged;
}
