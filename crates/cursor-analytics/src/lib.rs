//! A typed client for the Cursor Analytics API: 15 team-level endpoints and 10 by-user
//! endpoints (the seeds' 20, plus skills, conversation insights and Bugbot from the current
//! documents), cached with `ETag`s, paginated, and split into 30-day windows when a range is
//! longer.
//!
//! The API is for enterprise teams. Every endpoint takes the same [`AnalyticsQuery`]:
//! `startDate`/`endDate` (default: the last 7 days), `users` (emails and `user_` IDs), and
//! for the leaderboard and by-user endpoints `page`/`pageSize`. Input the documents rule out
//! (a page size over 500, an identifier that is neither an email nor a `user_` ID, a reversed
//! range) is refused before anything is sent.
//!
//! - Team-level methods ([`agent_edits`](AnalyticsClient::agent_edits),
//!   [`dau`](AnalyticsClient::dau), [`models`](AnalyticsClient::models), …) answer a
//!   [`TeamResponse`] of daily rows; a range over 30 days is fetched window by window and
//!   the rows concatenated in date order.
//! - Each by-user endpoint `<metric>_by_user` has four methods:
//!   [`agent_edits_by_user_page`](AnalyticsClient::agent_edits_by_user_page) (one page),
//!   [`agent_edits_by_user`](AnalyticsClient::agent_edits_by_user) (a stream of [`UserRows`]:
//!   one user's rows, with the user's public ID from `params.userMappings`),
//!   [`agent_edits_by_user_pages`](AnalyticsClient::agent_edits_by_user_pages) (a stream of
//!   pages) and [`agent_edits_by_user_merged`](AnalyticsClient::agent_edits_by_user_merged)
//!   (one [`ByUserReport`] for the whole team).
//! - [`leaderboard_page`](AnalyticsClient::leaderboard_page) answers one page of the Tab and
//!   Agent leaderboards, [`leaderboard`](AnalyticsClient::leaderboard) streams every
//!   [`LeaderboardEntry`] and [`leaderboard_pages`](AnalyticsClient::leaderboard_pages) every
//!   page; users picked with `users` keep their team-wide rank.
//! - The Bugbot endpoints have the same three: [`bugbot_page`](AnalyticsClient::bugbot_page),
//!   [`bugbot`](AnalyticsClient::bugbot), [`bugbot_pages`](AnalyticsClient::bugbot_pages)
//!   (and `bugbot_reviews_page`, `bugbot_reviews`, `bugbot_reviews_pages`).
//!
//! ```no_run
//! # async fn run() -> cursor_core::Result<()> {
//! use cursor_analytics::{AnalyticsClient, AnalyticsQuery};
//!
//! let analytics = AnalyticsClient::new(cursor_core::Client::from_env()?);
//!
//! // Team-level: daily active users over the last 14 days.
//! let dau = analytics.dau(&AnalyticsQuery::new().last_days(14)).await?;
//! for day in &dau.data {
//!     println!("{:?}: {:?} active ({:?} on Bugbot)", day.date, day.dau, day.bugbot_dau);
//! }
//!
//! // By-user: every user's agent edits, all pages, merged per user.
//! let edits = analytics.agent_edits_by_user_merged(&AnalyticsQuery::new().page_size(500)).await?;
//! for (email, days) in &edits.users {
//!     println!("{email} ({:?}): {} days", edits.user_id(email), days.len());
//! }
//! # Ok(()) }
//! ```
//!
//! # Caching: polling a dashboard
//!
//! Every analytics answer carries an `ETag`. The core client remembers it and sends it back
//! as `If-None-Match` on the next identical request; while the data has not changed the
//! server answers `304 Not Modified` with no body, which costs no rate-limit budget, and
//! the method returns the remembered answer. A dashboard can therefore poll every few
//! minutes for free between changes. Keep the request identical from poll to poll: use
//! `YYYY-MM-DD` days or shortcuts (`7d`, `today`), never instants, and leave the dates out
//! entirely for the default last 7 days, which caches best.
//!
//! ```no_run
//! # async fn run() -> cursor_core::Result<()> {
//! use std::time::Duration;
//! use cursor_analytics::{AnalyticsClient, AnalyticsQuery};
//!
//! let analytics = AnalyticsClient::new(cursor_core::Client::from_env()?);
//! let query = AnalyticsQuery::new().last_days(7); // startDate=7d&endDate=today, the same every poll
//! let mut ticks = tokio::time::interval(Duration::from_secs(5 * 60));
//! loop {
//!     ticks.tick().await;
//!     // Unchanged data: a 304 revalidation, no body, no rate-limit budget spent.
//!     let dau = analytics.dau(&query).await?;
//!     let models = analytics.models(&query).await?;
//!     println!("{} days of DAU, {} days of model usage", dau.data.len(), models.data.len());
//! }
//! # }
//! ```

mod client;
pub mod endpoints;
mod models;
mod query;

pub use client::AnalyticsClient;
pub use endpoints::{ENDPOINTS, NEWER_ENDPOINTS};
pub use models::{
    AgentEditsByUserRow, AgentEditsRow, AgentLeaderboardEntry, AnalyticsPagination, AnalyticsParams, AskModeRow,
    BugbotPrRow, BugbotReviewRow, ByUserPage, ByUserReport, ClientVersionRow, CommandRow, ConversationInsights,
    ConversationInsightsData, DailyRow, DauRow, FileExtensionRow, InsightBucket, InsightSection, ItemsPage,
    ItemsPagination, Leaderboard, LeaderboardBoard, LeaderboardBoards, LeaderboardEntry, McpRow, ModelAdoptionRow,
    ModelUsage, ModelsRow, PlansRow, PrState, SkillRow, TabLeaderboardEntry, TabsRow, TeamResponse, UserMapping,
    UserRowMap, UserRows,
};
pub use query::{AnalyticsQuery, BUGBOT_MAX_PAGE_SIZE, BugbotQuery, MAX_PAGE_SIZE};
