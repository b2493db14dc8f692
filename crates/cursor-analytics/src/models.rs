//! Response models: the daily rows of each metric, the team-level and leaderboard answers,
//! by-user pages keyed by email, and the per-user report they merge into.
//!
//! Every field is optional and every object keeps the fields this SDK does not know in
//! `extra`, so re-serializing a response gives back what the server sent.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::marker::PhantomData;

use cursor_core::{Extra, NextPage, Page};
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares a response object whose fields are all optional (missing stays missing on
/// re-serialization) and which keeps unknown fields in `extra`.
macro_rules! model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        $(#[$meta])*
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
            /// Fields this SDK does not know, kept as sent.
            #[serde(flatten)]
            pub extra: Extra,
        }
    };
}

/// A row that belongs to one day, so rows from several date windows can be merged in order.
pub trait DailyRow {
    /// The row's day as sent (`event_date` or `date`, `YYYY-MM-DD`).
    fn day(&self) -> Option<&str>;
}

macro_rules! daily {
    ($field:ident: $($row:ty),+) => {
        $(impl DailyRow for $row {
            fn day(&self) -> Option<&str> {
                self.$field.as_deref()
            }
        })+
    };
}

model! {
    /// One day of `/analytics/team/agent-edits`: AI-suggested edits and their lines
    /// (green lines are added, red lines removed).
    pub struct AgentEditsRow {
        /// The day, `YYYY-MM-DD`.
        event_date: String,
        /// Diffs suggested.
        total_suggested_diffs: u64,
        /// Diffs accepted.
        total_accepted_diffs: u64,
        /// Diffs rejected.
        total_rejected_diffs: u64,
        /// Added lines accepted.
        total_green_lines_accepted: u64,
        /// Removed lines accepted.
        total_red_lines_accepted: u64,
        /// Added lines rejected.
        total_green_lines_rejected: u64,
        /// Removed lines rejected.
        total_red_lines_rejected: u64,
        /// Added lines suggested.
        total_green_lines_suggested: u64,
        /// Removed lines suggested.
        total_red_lines_suggested: u64,
        /// Lines suggested.
        total_lines_suggested: u64,
        /// Lines accepted.
        total_lines_accepted: u64,
    }
}

model! {
    /// One day of `/analytics/team/tabs`: Tab autocomplete suggestions and their lines.
    pub struct TabsRow {
        /// The day, `YYYY-MM-DD`.
        event_date: String,
        /// Suggestions shown.
        total_suggestions: u64,
        /// Suggestions accepted.
        total_accepts: u64,
        /// Suggestions rejected.
        total_rejects: u64,
        /// Added lines accepted.
        total_green_lines_accepted: u64,
        /// Removed lines accepted.
        total_red_lines_accepted: u64,
        /// Added lines rejected.
        total_green_lines_rejected: u64,
        /// Removed lines rejected.
        total_red_lines_rejected: u64,
        /// Added lines suggested.
        total_green_lines_suggested: u64,
        /// Removed lines suggested.
        total_red_lines_suggested: u64,
        /// Lines suggested.
        total_lines_suggested: u64,
        /// Lines accepted.
        total_lines_accepted: u64,
    }
}

model! {
    /// One day of `/analytics/team/dau`: users who used at least one AI feature, with the
    /// CLI, Cloud Agents and Bugbot breakdowns.
    pub struct DauRow {
        /// The day, `YYYY-MM-DD`.
        date: String,
        /// Daily active users.
        dau: u64,
        /// Daily active users of the Cursor CLI.
        cli_dau: u64,
        /// Daily active users of Cloud Agents.
        cloud_agent_dau: u64,
        /// Daily active users of Bugbot.
        bugbot_dau: u64,
    }
}

model! {
    /// One version on one day of `/analytics/team/client-versions` (each user counts once
    /// a day, with the latest version they ran).
    pub struct ClientVersionRow {
        /// The day, `YYYY-MM-DD`.
        event_date: String,
        /// The client version (`0.42.3`).
        client_version: String,
        /// Users on this version that day.
        user_count: u64,
        /// Their share of the day's users, from 0 to 1.
        percentage: f64,
    }
}

model! {
    /// One day of `/analytics/team/models`.
    pub struct ModelsRow {
        /// The day, `YYYY-MM-DD`.
        date: String,
        /// Usage per model name (`claude-sonnet-4.5`).
        model_breakdown: BTreeMap<String, ModelUsage>,
    }
}

model! {
    /// One model's usage on one day.
    pub struct ModelUsage {
        /// Messages sent to the model.
        messages: u64,
        /// Users who sent them.
        users: u64,
    }
}

model! {
    /// One extension on one day of `/analytics/team/top-file-extensions` (the top 5 per day
    /// by suggestion volume).
    pub struct FileExtensionRow {
        /// The day, `YYYY-MM-DD`.
        event_date: String,
        /// The extension, without the dot (`tsx`).
        file_extension: String,
        /// Files edited.
        total_files: u64,
        /// Suggestions accepted.
        total_accepts: u64,
        /// Suggestions rejected.
        total_rejects: u64,
        /// Lines suggested.
        total_lines_suggested: u64,
        /// Lines accepted.
        total_lines_accepted: u64,
        /// Lines rejected.
        total_lines_rejected: u64,
    }
}

model! {
    /// One MCP tool on one day (`/analytics/team/mcp`, `/analytics/by-user/mcp`).
    pub struct McpRow {
        /// The day, `YYYY-MM-DD`.
        event_date: String,
        /// The tool (`read_file`).
        tool_name: String,
        /// The MCP server that provides it (`filesystem`).
        mcp_server_name: String,
        /// Times used.
        usage: u64,
    }
}

model! {
    /// One command on one day (`/analytics/team/commands`, `/analytics/by-user/commands`).
    pub struct CommandRow {
        /// The day, `YYYY-MM-DD`.
        event_date: String,
        /// The command (`explain`).
        command_name: String,
        /// Times used.
        usage: u64,
    }
}

model! {
    /// One model on one day of Plan mode or Ask mode adoption (`/analytics/…/plans`,
    /// `/analytics/…/ask-mode`).
    pub struct ModelAdoptionRow {
        /// The day, `YYYY-MM-DD`.
        event_date: String,
        /// The model used (`claude-sonnet-4.5`).
        model: String,
        /// Times used.
        usage: u64,
    }
}

model! {
    /// One skill on one day (`/analytics/team/skills`, `/analytics/by-user/skills`).
    pub struct SkillRow {
        /// The day, `YYYY-MM-DD`.
        event_date: String,
        /// The skill (`pdf-reader`).
        skill_name: String,
        /// Times used.
        usage: u64,
    }
}

/// A row of Plan mode adoption.
pub type PlansRow = ModelAdoptionRow;
/// A row of Ask mode adoption.
pub type AskModeRow = ModelAdoptionRow;

model! {
    /// One day of one user's agent edits (`/analytics/by-user/agent-edits`).
    pub struct AgentEditsByUserRow {
        /// The day, `YYYY-MM-DD`.
        event_date: String,
        /// Lines suggested.
        suggested_lines: u64,
        /// Lines accepted.
        accepted_lines: u64,
    }
}

daily!(event_date: SkillRow, AgentEditsRow, TabsRow, ClientVersionRow, FileExtensionRow, McpRow, CommandRow, ModelAdoptionRow, AgentEditsByUserRow);
daily!(date: DauRow, ModelsRow);

model! {
    /// A mapping between a user's email and public user ID (`params.userMappings`).
    pub struct UserMapping {
        /// The public user ID (`user_abc123`).
        id: String,
        /// The email.
        email: String,
    }
}

model! {
    /// The request parameters the server echoes back in `params`.
    #[serde(rename_all = "camelCase")]
    pub struct AnalyticsParams {
        /// The metric (`agent-edits`, `leaderboard`…).
        metric: String,
        /// The team's numeric ID.
        team_id: u64,
        /// The first day answered, `YYYY-MM-DD`.
        start_date: String,
        /// The last day answered, `YYYY-MM-DD`.
        end_date: String,
        /// The page (paginated endpoints).
        page: u32,
        /// The page size (paginated endpoints).
        page_size: u32,
        /// Email ↔ `user_` ID for the users on this page (by-user endpoints).
        user_mappings: Vec<UserMapping>,
    }
}

/// The answer of a team-level endpoint: daily rows and the echoed parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamResponse<R> {
    /// The rows, in date order.
    pub data: Vec<R>,
    /// The parameters the server answered for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<AnalyticsParams>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl<R: DailyRow> TeamResponse<R> {
    /// Merges the answers for consecutive date windows: rows concatenated in window order,
    /// each day taken from the first window that has it (a server that answers past a
    /// window's end cannot make a day count twice); `params` of the first window with the
    /// `endDate` of the last.
    pub(crate) fn merge(responses: Vec<Self>) -> Option<Self> {
        let mut responses = responses.into_iter();
        let mut merged = responses.next()?;
        let mut seen: HashSet<String> = merged.data.iter().filter_map(|r| r.day().map(str::to_owned)).collect();
        for response in responses {
            let days: HashSet<String> = response.data.iter().filter_map(|r| r.day().map(str::to_owned)).collect();
            merged.data.extend(response.data.into_iter().filter(|r| r.day().is_none_or(|d| !seen.contains(d))));
            seen.extend(days);
            if let (Some(params), Some(end)) = (merged.params.as_mut(), response.params.and_then(|p| p.end_date)) {
                params.end_date = Some(end);
            }
        }
        Some(merged)
    }
}

model! {
    /// A user on the Tab leaderboard.
    pub struct TabLeaderboardEntry {
        /// The user's email.
        email: String,
        /// The public user ID.
        user_id: String,
        /// Suggestions accepted.
        total_accepts: u64,
        /// Lines accepted.
        total_lines_accepted: u64,
        /// Lines suggested.
        total_lines_suggested: u64,
        /// Lines accepted over lines suggested.
        line_acceptance_ratio: f64,
        /// Suggestions accepted over suggestions shown.
        accept_ratio: f64,
        /// The team-wide rank (1 is first), also when the request filtered users.
        rank: u32,
    }
}

model! {
    /// A user on the Agent leaderboard.
    pub struct AgentLeaderboardEntry {
        /// The user's email.
        email: String,
        /// The public user ID.
        user_id: String,
        /// Edits accepted.
        total_accepts: u64,
        /// Lines accepted.
        total_lines_accepted: u64,
        /// Lines suggested.
        total_lines_suggested: u64,
        /// Lines accepted over lines suggested (can exceed 1).
        line_acceptance_ratio: f64,
        /// The model the user used most.
        favorite_model: String,
        /// The team-wide rank (1 is first), also when the request filtered users.
        rank: u32,
    }
}

/// One leaderboard: a page of ranked users and the number of users ranked in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaderboardBoard<E> {
    /// The users on this page, best first.
    pub data: Vec<E>,
    /// Users ranked on this board across all pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_users: Option<u64>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The two leaderboards of `/analytics/team/leaderboard`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LeaderboardBoards {
    /// Ranked by Tab autocomplete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tab_leaderboard: Option<LeaderboardBoard<TabLeaderboardEntry>>,
    /// Ranked by Agent edits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_leaderboard: Option<LeaderboardBoard<AgentLeaderboardEntry>>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A page of `/analytics/team/leaderboard`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Leaderboard {
    /// The Tab and Agent leaderboards.
    pub data: LeaderboardBoards,
    /// Where this page stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<AnalyticsPagination>,
    /// The parameters the server answered for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<AnalyticsParams>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One entry of a leaderboard page, tagged with its board: the item of
/// [`AnalyticsClient::leaderboard`](crate::AnalyticsClient::leaderboard). The two boards rank
/// different things (Tab suggestions, Agent edits), so an entry keeps which one it is on;
/// serialized, it is the entry's object under `tab` or `agent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaderboardEntry {
    /// An entry of the Tab leaderboard.
    Tab(TabLeaderboardEntry),
    /// An entry of the Agent leaderboard.
    Agent(AgentLeaderboardEntry),
}

/// A leaderboard page's items are its entries: the Tab board's, then the Agent board's.
impl Page for Leaderboard {
    type Item = LeaderboardEntry;

    fn next_page(&self, requested: u32) -> NextPage {
        next_analytics_page(self.pagination.as_ref(), requested)
    }

    fn reported_page(&self) -> Option<u32> {
        self.pagination.as_ref().and_then(|p| p.page)
    }

    fn into_items(self) -> Vec<Self::Item> {
        let boards = self.data;
        let tab = boards.tab_leaderboard.into_iter().flat_map(|board| board.data).map(LeaderboardEntry::Tab);
        let agent = boards.agent_leaderboard.into_iter().flat_map(|board| board.data).map(LeaderboardEntry::Agent);
        tab.chain(agent).collect()
    }
}

fn next_analytics_page(pagination: Option<&AnalyticsPagination>, requested: u32) -> NextPage {
    pagination.map_or(NextPage::Done, |p| p.next_page(requested))
}

/// The `data` object of a by-user page: each user's email and rows, in the order the
/// server sent them.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRowMap<R> {
    entries: Vec<(String, Vec<R>)>,
}

impl<R> Default for UserRowMap<R> {
    fn default() -> Self {
        Self { entries: Vec::new() }
    }
}

impl<R> From<Vec<(String, Vec<R>)>> for UserRowMap<R> {
    fn from(entries: Vec<(String, Vec<R>)>) -> Self {
        Self { entries }
    }
}

impl<R> UserRowMap<R> {
    /// The users and their rows, in the server's order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[R])> {
        self.entries.iter().map(|(email, rows)| (email.as_str(), rows.as_slice()))
    }

    /// The rows of the user with this email.
    pub fn get(&self, email: &str) -> Option<&[R]> {
        self.entries.iter().find(|(e, _)| e == email).map(|(_, rows)| rows.as_slice())
    }

    /// The number of users.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the page has no users.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, in the server's order.
    pub fn into_entries(self) -> Vec<(String, Vec<R>)> {
        self.entries
    }
}

impl<R: Serialize> Serialize for UserRowMap<R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (email, rows) in &self.entries {
            map.serialize_entry(email, rows)?;
        }
        map.end()
    }
}

impl<'de, R: Deserialize<'de>> Deserialize<'de> for UserRowMap<R> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<R>(PhantomData<R>);

        impl<'de, R: Deserialize<'de>> Visitor<'de> for EntriesVisitor<R> {
            type Value = UserRowMap<R>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object keyed by email whose values are arrays of rows")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry::<String, Vec<R>>()? {
                    entries.push(entry);
                }
                Ok(UserRowMap { entries })
            }
        }

        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}

/// A page of a by-user endpoint: rows keyed by email, the page block, and the echoed
/// parameters with `userMappings`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ByUserPage<R> {
    /// Each user's rows, keyed by email.
    pub data: UserRowMap<R>,
    /// Where this page stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<AnalyticsPagination>,
    /// The parameters the server answered for, with `userMappings` for this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<AnalyticsParams>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl<R> ByUserPage<R> {
    /// The public user ID of the user with this email, from `params.userMappings`.
    pub fn user_id(&self, email: &str) -> Option<&str> {
        self.mappings().find(|(e, _)| *e == email).map(|(_, id)| id)
    }

    fn mappings(&self) -> impl Iterator<Item = (&str, &str)> {
        let mappings = self.params.as_ref().and_then(|p| p.user_mappings.as_deref()).unwrap_or_default();
        mappings.iter().filter_map(|m| Some((m.email.as_deref()?, m.id.as_deref()?)))
    }

    /// Each user's rows with the user's public ID, in the server's order.
    pub fn into_user_rows(self) -> Vec<UserRows<R>> {
        let ids: BTreeMap<String, String> =
            self.mappings().map(|(email, id)| (email.to_owned(), id.to_owned())).collect();
        self.data
            .entries
            .into_iter()
            .map(|(email, rows)| UserRows { user_id: ids.get(&email).cloned(), email, rows })
            .collect()
    }
}

impl<R: DeserializeOwned + Serialize + Send + 'static> Page for ByUserPage<R> {
    type Item = UserRows<R>;

    fn next_page(&self, requested: u32) -> NextPage {
        next_analytics_page(self.pagination.as_ref(), requested)
    }

    fn reported_page(&self) -> Option<u32> {
        self.pagination.as_ref().and_then(|p| p.page)
    }

    fn into_items(self) -> Vec<Self::Item> {
        self.into_user_rows()
    }
}

/// One user's rows from one page of a by-user endpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserRows<R> {
    /// The user's email (the key of the page's `data`).
    pub email: String,
    /// The public user ID (`user_abc123`), when `params.userMappings` lists the email.
    pub user_id: Option<String>,
    /// The user's rows, in date order.
    pub rows: Vec<R>,
}

/// A by-user metric for the whole team (or the filtered users): every user's rows from
/// every page and date window, merged per user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ByUserReport<R> {
    /// Each user's rows, keyed by email, in date order.
    pub users: BTreeMap<String, Vec<R>>,
    /// Each user's public ID, keyed by email, from `params.userMappings`.
    pub user_ids: BTreeMap<String, String>,
}

impl<R> Default for ByUserReport<R> {
    fn default() -> Self {
        Self { users: BTreeMap::new(), user_ids: BTreeMap::new() }
    }
}

impl<R> ByUserReport<R> {
    /// The rows of the user with this email.
    pub fn rows(&self, email: &str) -> Option<&[R]> {
        self.users.get(email).map(Vec::as_slice)
    }

    /// The public user ID of the user with this email.
    pub fn user_id(&self, email: &str) -> Option<&str> {
        self.user_ids.get(email).map(String::as_str)
    }

    /// The email of the user with this public ID.
    pub fn email_of(&self, user_id: &str) -> Option<&str> {
        self.user_ids.iter().find(|(_, id)| *id == user_id).map(|(email, _)| email.as_str())
    }

    /// The number of users.
    pub fn len(&self) -> usize {
        self.users.len()
    }

    /// Whether no user has data.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }
}

/// Appends each user's rows to the rows already collected for that user.
impl<R> Extend<UserRows<R>> for ByUserReport<R> {
    fn extend<I: IntoIterator<Item = UserRows<R>>>(&mut self, iter: I) {
        for user in iter {
            if let Some(id) = user.user_id {
                self.user_ids.insert(user.email.clone(), id);
            }
            self.users.entry(user.email).or_default().extend(user.rows);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Conversation insights, Bugbot (current documents)

cursor_core::string_enum! {
    /// A section of `/analytics/team/conversation-insights` (the `include` parameter).
    pub enum InsightSection {
        /// What users asked for.
        Intents = "intents",
        /// How complex the conversations were.
        Complexity = "complexity",
        /// Topic categories.
        Categories = "categories",
        /// How much guidance users gave.
        GuidanceLevels = "guidanceLevels",
        /// Kinds of work.
        WorkTypes = "workTypes",
    }
}

model! {
    /// One bucket of a conversation-insight section: a label and how many conversations
    /// fell in it.
    pub struct InsightBucket {
        /// The bucket (`bug_fix`, `high`, …).
        label: String,
        /// Conversations in it.
        count: u64,
        /// Their share of all conversations, from 0 to 1.
        share: f64,
    }
}

model! {
    /// The sections of `/analytics/team/conversation-insights`; only those asked for with
    /// `include` (all by default) are present.
    #[serde(rename_all = "camelCase")]
    pub struct ConversationInsightsData {
        /// Conversations analysed.
        total_conversations: u64,
        /// What users asked for.
        intents: Vec<InsightBucket>,
        /// How complex the conversations were.
        complexity: Vec<InsightBucket>,
        /// Topic categories.
        categories: Vec<InsightBucket>,
        /// How much guidance users gave.
        guidance_levels: Vec<InsightBucket>,
        /// Kinds of work.
        work_types: Vec<InsightBucket>,
    }
}

/// The answer of `/analytics/team/conversation-insights`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ConversationInsights {
    /// The sections.
    #[serde(default)]
    pub data: ConversationInsightsData,
    /// The parameters the server answered for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<AnalyticsParams>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

cursor_core::string_enum! {
    /// A pull request's state (`prState` filter of `/analytics/team/bugbot`).
    pub enum PrState {
        /// Open.
        Open = "open",
        /// Merged.
        Merged = "merged",
        /// Closed without merging.
        Closed = "closed",
    }
}

model! {
    /// One pull request's Bugbot activity (`/analytics/team/bugbot`).
    #[serde(rename_all = "camelCase")]
    pub struct BugbotPrRow {
        /// The repository (`company/api`).
        repo: String,
        /// The pull request's number.
        pr_number: u64,
        /// Its URL.
        pr_url: String,
        /// `open`, `merged` or `closed`.
        pr_state: PrState,
        /// The author's email.
        author_email: String,
        /// Bugbot reviews run on it.
        reviews: u64,
        /// Issues Bugbot found.
        issues_found: u64,
        /// Issues resolved before merge.
        issues_resolved: u64,
        /// When the last review ran (ISO 8601).
        last_reviewed_at: String,
    }
}

model! {
    /// One Bugbot review (`/analytics/team/bugbot-reviews`).
    #[serde(rename_all = "camelCase")]
    pub struct BugbotReviewRow {
        /// The review's id.
        review_id: String,
        /// The repository (`company/api`).
        repo: String,
        /// The pull request's number.
        pr_number: u64,
        /// Whether it was a dry run (nothing posted on the pull request).
        dry_run: bool,
        /// The review's outcome (`success`, `error`, …).
        outcome: String,
        /// Issues found.
        issues_found: u64,
        /// When it ran (ISO 8601).
        created_at: String,
    }
}

/// The page block of the Bugbot analytics endpoints:
/// `pagination{page,pageSize,totalItems,totalPages,hasNextPage}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemsPagination {
    /// This page's number (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Items per page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// Items across all pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_items: Option<u64>,
    /// Number of pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_pages: Option<u32>,
    /// Whether a later page exists.
    #[serde(default)]
    pub has_next_page: bool,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A page of a Bugbot analytics endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemsPage<R> {
    /// The items on this page.
    #[serde(default = "Vec::new")]
    pub data: Vec<R>,
    /// Where this page stands; absent when the answer is not paged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<ItemsPagination>,
    /// The parameters the server answered for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<AnalyticsParams>,
    /// Fields this SDK does not know, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl<R> ItemsPage<R> {
    /// The page after this one, when there is one. `requested` is the page asked for; a page
    /// without a page block, or an empty one, is the last.
    pub fn next_page(&self, requested: u32) -> Option<u32> {
        let pagination = self.pagination.as_ref()?;
        if self.data.is_empty() {
            return None;
        }
        let page = pagination.page.unwrap_or(requested);
        let by_count = match (pagination.total_items, pagination.page_size) {
            (Some(total), Some(size)) if size > 0 => u64::from(page) * u64::from(size) < total,
            _ => false,
        };
        let by_pages = pagination.total_pages.is_some_and(|total| page < total);
        (pagination.has_next_page || by_pages || by_count).then_some(page + 1)
    }
}

/// The analytics by-user and leaderboard block:
/// `pagination{page,pageSize,totalUsers,totalPages,hasNextPage,hasPreviousPage}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsPagination {
    /// This page's number (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Users per page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// Users across all pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_users: Option<u64>,
    /// Number of pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_pages: Option<u32>,
    /// Whether a later page exists.
    #[serde(default)]
    pub has_next_page: bool,
    /// Whether an earlier page exists.
    #[serde(default)]
    pub has_previous_page: bool,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl AnalyticsPagination {
    /// What follows.
    pub fn next_page(&self, requested: u32) -> NextPage {
        cursor_core::next_by_flag(self.page.unwrap_or(requested), self.has_next_page, self.total_pages)
    }
}
