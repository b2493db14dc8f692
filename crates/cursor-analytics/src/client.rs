//! The Analytics API client: one method per endpoint over two generic paths, one for
//! team-level answers and one for by-user pages.

use std::marker::PhantomData;

use cursor_core::{BoxStream, Client, Endpoint, Error, Request, Result};
use futures_util::{StreamExt as _, TryStreamExt as _};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::endpoints::*;
use crate::models::{
    AgentEditsByUserRow, AgentEditsRow, BugbotPrRow, BugbotReviewRow, ByUserPage, ByUserReport, ClientVersionRow,
    CommandRow, ConversationInsights, DailyRow, DauRow, FileExtensionRow, InsightSection, ItemsPage, Leaderboard,
    McpRow, ModelAdoptionRow, ModelsRow, SkillRow, TabsRow, TeamResponse, UserRows,
};
use crate::query::{AnalyticsQuery, BUGBOT_MAX_PAGE_SIZE, BugbotQuery};

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

    fn by_user<R>(&self, endpoint: &'static Endpoint, query: &AnalyticsQuery) -> ByUserRequest<R> {
        ByUserRequest { client: self.client.clone(), endpoint, query: query.clone(), rows: PhantomData }
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
    /// let board = analytics.leaderboard(&AnalyticsQuery::new().page(2).page_size(20)).await?;
    /// for entry in board.data.agent_leaderboard.iter().flat_map(|b| &b.data) {
    ///     println!("#{:?} {:?} ({:?})", entry.rank, entry.email, entry.favorite_model);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn leaderboard(&self, query: &AnalyticsQuery) -> Result<Leaderboard> {
        let request = leaderboard_request(query, &self.client)?;
        self.client.send_json(request).await
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
        match leaderboard_request(&query.with_largest_pages(), &self.client) {
            Ok(request) => self.client.pages(request),
            Err(error) => failed(error),
        }
    }

    /// `GET /analytics/by-user/agent-edits`: each user's agent edits per day.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// use cursor_analytics::AnalyticsQuery;
    ///
    /// let query = AnalyticsQuery::new().users(["alice@example.com", "bob@example.com", "carol@example.com"]);
    /// let report = analytics.agent_edits_by_user(&query).merged().await?;
    /// for (email, days) in &report.users {
    ///     let accepted: u64 = days.iter().filter_map(|d| d.accepted_lines).sum();
    ///     println!("{email} ({:?}): {accepted}", report.user_id(email));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn agent_edits_by_user(&self, query: &AnalyticsQuery) -> ByUserRequest<AgentEditsByUserRow> {
        self.by_user(&BY_USER_AGENT_EDITS, query)
    }

    /// `GET /analytics/by-user/tabs`: each user's Tab usage per day. The documents show no
    /// example row; rows decode as [`TabsRow`], keeping any other field in `extra`.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let report = analytics.tabs_by_user(&cursor_analytics::AnalyticsQuery::new()).merged().await?;
    /// # Ok(()) }
    /// ```
    pub fn tabs_by_user(&self, query: &AnalyticsQuery) -> ByUserRequest<TabsRow> {
        self.by_user(&BY_USER_TABS, query)
    }

    /// `GET /analytics/by-user/models`: each user's model usage per day. The documents show
    /// no example row; rows decode as [`ModelsRow`], keeping any other field in `extra`.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let report = analytics.models_by_user(&cursor_analytics::AnalyticsQuery::new()).merged().await?;
    /// # Ok(()) }
    /// ```
    pub fn models_by_user(&self, query: &AnalyticsQuery) -> ByUserRequest<ModelsRow> {
        self.by_user(&BY_USER_MODELS, query)
    }

    /// `GET /analytics/by-user/top-file-extensions`: each user's top file extensions per day.
    /// The documents show no example row; rows decode as [`FileExtensionRow`], keeping any
    /// other field in `extra`.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let report = analytics.top_file_extensions_by_user(&cursor_analytics::AnalyticsQuery::new()).merged().await?;
    /// # Ok(()) }
    /// ```
    pub fn top_file_extensions_by_user(&self, query: &AnalyticsQuery) -> ByUserRequest<FileExtensionRow> {
        self.by_user(&BY_USER_TOP_FILE_EXTENSIONS, query)
    }

    /// `GET /analytics/by-user/client-versions`: each user's client version per day. The
    /// documents show no example row; rows decode as [`ClientVersionRow`], keeping any other
    /// field in `extra`.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let report = analytics.client_versions_by_user(&cursor_analytics::AnalyticsQuery::new()).merged().await?;
    /// # Ok(()) }
    /// ```
    pub fn client_versions_by_user(&self, query: &AnalyticsQuery) -> ByUserRequest<ClientVersionRow> {
        self.by_user(&BY_USER_CLIENT_VERSIONS, query)
    }

    /// `GET /analytics/by-user/mcp`: each user's MCP tool adoption per day.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// use futures_util::TryStreamExt as _;
    ///
    /// let mut users = analytics.mcp_by_user(&cursor_analytics::AnalyticsQuery::new().page_size(50)).stream();
    /// while let Some(user) = users.try_next().await? {
    ///     println!("{} used {} tools", user.email, user.rows.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn mcp_by_user(&self, query: &AnalyticsQuery) -> ByUserRequest<McpRow> {
        self.by_user(&BY_USER_MCP, query)
    }

    /// `GET /analytics/by-user/commands`: each user's command adoption per day.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let report = analytics.commands_by_user(&cursor_analytics::AnalyticsQuery::new().page_size(50)).merged().await?;
    /// # Ok(()) }
    /// ```
    pub fn commands_by_user(&self, query: &AnalyticsQuery) -> ByUserRequest<CommandRow> {
        self.by_user(&BY_USER_COMMANDS, query)
    }

    /// `GET /analytics/by-user/plans`: each user's Plan mode adoption per day.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let report = analytics.plans_by_user(&cursor_analytics::AnalyticsQuery::new()).merged().await?;
    /// # Ok(()) }
    /// ```
    pub fn plans_by_user(&self, query: &AnalyticsQuery) -> ByUserRequest<ModelAdoptionRow> {
        self.by_user(&BY_USER_PLANS, query)
    }

    /// `GET /analytics/by-user/ask-mode`: each user's Ask mode adoption per day.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let report = analytics.ask_mode_by_user(&cursor_analytics::AnalyticsQuery::new()).merged().await?;
    /// # Ok(()) }
    /// ```
    pub fn ask_mode_by_user(&self, query: &AnalyticsQuery) -> ByUserRequest<ModelAdoptionRow> {
        self.by_user(&BY_USER_ASK_MODE, query)
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

    /// `GET /analytics/by-user/skills`: each user's skill adoption per day (current
    /// documents).
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let report = analytics.skills_by_user(&cursor_analytics::AnalyticsQuery::new()).merged().await?;
    /// # Ok(()) }
    /// ```
    pub fn skills_by_user(&self, query: &AnalyticsQuery) -> ByUserRequest<SkillRow> {
        self.by_user(&BY_USER_SKILLS, query)
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
        let endpoint = &TEAM_CONVERSATION_INSIGHTS;
        let mut requests = query.requests(endpoint, self.client.now())?;
        let request = match (requests.pop(), requests.is_empty()) {
            (Some(request), true) => request,
            _ => {
                return Err(Error::invalid_request(
                    endpoint.name,
                    format!("conversation insights cover one range of at most {MAX_RANGE_DAYS} days: shorten it"),
                ));
            }
        };
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
        let mut query = query.clone();
        query.page_size = query.page_size.or(Some(BUGBOT_MAX_PAGE_SIZE));
        self.items_stream(&TEAM_BUGBOT, &query)
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
        self.items_stream(&TEAM_BUGBOT_REVIEWS, query)
    }

    /// The items of every page of a Bugbot analytics endpoint, from the query's page on. Fails
    /// instead of looping when the server answers another page than the one asked for.
    fn items_stream<R: DeserializeOwned + Send + 'static>(
        &self,
        endpoint: &'static Endpoint,
        query: &BugbotQuery,
    ) -> BoxStream<Result<R>> {
        let request = match query.request(endpoint, self.client.now()) {
            Ok(request) => request,
            Err(error) => return failed(error),
        };
        let client = self.client.clone();
        let first = query.page.unwrap_or(1);
        futures_util::stream::try_unfold(Some(first), move |page| {
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
                Ok(Some((futures_util::stream::iter(answer.data.into_iter().map(Ok)), next)))
            }
        })
        .try_flatten()
        .boxed()
    }
}

fn leaderboard_request(query: &AnalyticsQuery, client: &Client) -> Result<Request> {
    let mut requests = query.requests(&TEAM_LEADERBOARD, client.now())?;
    match (requests.pop(), requests.is_empty()) {
        (Some(request), true) => Ok(request),
        _ => Err(Error::invalid_request(
            TEAM_LEADERBOARD.name,
            format!(
                "a leaderboard ranks one range of at most {MAX_RANGE_DAYS} days and cannot be merged from windows: \
                 shorten the range"
            ),
        )),
    }
}

fn failed<T: Send + 'static>(error: Error) -> BoxStream<Result<T>> {
    futures_util::stream::once(async move { Err(error) }).boxed()
}

/// A by-user request, ready to be read page by page, user by user, or merged for the whole
/// team. Nothing is sent until one of its methods is called; bad input comes back as the
/// first item (or the error) before any request.
///
/// Pages hold `page_size` users; unset, the request asks for 500 (the most allowed, since
/// every request counts against the by-user bucket); a range over 30 days is fetched
/// window by window, each window paged from the start (a start page set on the query applies
/// to the first window only).
#[derive(Debug, Clone)]
#[must_use = "a by-user request does nothing until it is streamed or merged"]
pub struct ByUserRequest<R> {
    client: Client,
    endpoint: &'static Endpoint,
    query: AnalyticsQuery,
    rows: PhantomData<fn() -> R>,
}

impl<R: DeserializeOwned + Serialize + Send + 'static> ByUserRequest<R> {
    /// The endpoint this request goes to.
    pub fn endpoint(&self) -> &'static Endpoint {
        self.endpoint
    }

    /// The pages as the server sent them, window after window.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// use futures_util::TryStreamExt as _;
    ///
    /// let mut pages = analytics.plans_by_user(&cursor_analytics::AnalyticsQuery::new()).pages();
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("page {:?}: {} users", page.pagination.and_then(|p| p.page), page.data.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages(&self) -> BoxStream<Result<ByUserPage<R>>> {
        match self.query.with_largest_pages().requests(self.endpoint, self.client.now()) {
            Ok(requests) => self.client.pages_across(requests),
            Err(error) => failed(error),
        }
    }

    /// Each user's rows, page after page and window after window, with the user's public ID
    /// from `params.userMappings`: one item per user per page, so a user whose rows continue
    /// on the next page comes again with the rest of them (`merged` joins them). A block of
    /// rows the server repeats exactly is yielded once.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// use futures_util::TryStreamExt as _;
    ///
    /// let mut users = analytics.tabs_by_user(&cursor_analytics::AnalyticsQuery::new().last_days(30)).stream();
    /// while let Some(user) = users.try_next().await? {
    ///     println!("{} ({:?}): {} days", user.email, user.user_id, user.rows.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream(&self) -> BoxStream<Result<UserRows<R>>> {
        let requests = match self.query.with_largest_pages().requests(self.endpoint, self.client.now()) {
            Ok(requests) => requests,
            Err(error) => return failed(error),
        };
        self.client.items_across::<ByUserPage<R>>(requests)
    }

    /// Every user's rows from every page and window, merged per user in date order.
    ///
    /// ```no_run
    /// # async fn run(analytics: cursor_analytics::AnalyticsClient) -> cursor_core::Result<()> {
    /// let report = analytics.commands_by_user(&cursor_analytics::AnalyticsQuery::new()).merged().await?;
    /// if let Some(rows) = report.rows("alice@example.com") {
    ///     println!("alice ran {} commands", rows.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn merged(&self) -> Result<ByUserReport<R>> {
        let mut users = self.stream();
        let mut report = ByUserReport::default();
        while let Some(user) = users.try_next().await? {
            report.extend([user]);
        }
        Ok(report)
    }
}
