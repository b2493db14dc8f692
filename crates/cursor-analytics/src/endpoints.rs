//! The declarations of the 25 Analytics API endpoints: 20 from the seed documents (11
//! team-level and 9 by-user) and 5 from the current documents (skills, conversation
//! insights, Bugbot).
//!
//! Every one is a cacheable `GET` (the server answers with an `ETag`, and a `304` to a
//! matching `If-None-Match` costs no rate-limit budget) taking `startDate`/`endDate` in the
//! analytics date dialect, capped at 30 days per request.

use cursor_core::{Api, Bucket, DateFormat, DateParams, Endpoint, MoreSignal, Pagination, ParamLocation, Rate};

/// The Analytics API (`/analytics/team/…`, `/analytics/by-user/…`).
pub const ANALYTICS_API: Api = Api::new("analytics", "the Analytics API");

/// Team-level endpoints: 100 requests a minute per team.
pub const TEAM_BUCKET: Bucket = Bucket::new("analytics-team", &[Rate::per_minute(100)]);
/// By-user endpoints: 50 requests a minute per team.
pub const BY_USER_BUCKET: Bucket = Bucket::new("analytics-by-user", &[Rate::per_minute(50)]);
/// `GET /analytics/team/conversation-insights`: a budget of its own in the current overview,
/// 20 a minute.
pub const CONVERSATION_INSIGHTS_BUCKET: Bucket =
    Bucket::new("analytics-conversation-insights", &[Rate::per_minute(20)]);

/// Every bucket of the Analytics API.
pub const BUCKETS: &[Bucket] = &[TEAM_BUCKET, BY_USER_BUCKET, CONVERSATION_INSIGHTS_BUCKET];

/// By-user and leaderboard pages: `page`/`pageSize` in the query, answered with
/// `pagination{page,pageSize,totalUsers,totalPages,hasNextPage,hasPreviousPage}`.
pub const USER_PAGES: Pagination = Pagination::numbered(
    ParamLocation::Query,
    "page",
    "pageSize",
    MoreSignal::Flag {
        has_next: "/pagination/hasNextPage",
        page: Some("/pagination/page"),
        total_pages: Some("/pagination/totalPages"),
    },
)
.page_fields(&["pagination"]);

/// The analytics date dialect: `startDate`/`endDate` in the query as days (`YYYY-MM-DD`,
/// `today`, `7d`, …).
pub const DAY_DATES: DateParams = DateParams::new("startDate", "endDate", ParamLocation::Query, DateFormat::Days);

/// The longest range one analytics request may cover, in days.
pub const MAX_RANGE_DAYS: u32 = 30;

const fn team(name: &'static str, path: &'static str) -> Endpoint {
    Endpoint::get(name, ANALYTICS_API, path, TEAM_BUCKET).cacheable().dates(DAY_DATES, Some(MAX_RANGE_DAYS))
}

const fn by_user(name: &'static str, path: &'static str) -> Endpoint {
    Endpoint::get(name, ANALYTICS_API, path, BY_USER_BUCKET)
        .cacheable()
        .dates(DAY_DATES, Some(MAX_RANGE_DAYS))
        .paginated(USER_PAGES)
}

/// `GET /analytics/team/agent-edits`: AI-suggested edits accepted per day.
pub const TEAM_AGENT_EDITS: Endpoint = team("analytics.agent_edits", "/analytics/team/agent-edits");
/// `GET /analytics/team/tabs`: Tab autocomplete usage per day.
pub const TEAM_TABS: Endpoint = team("analytics.tabs", "/analytics/team/tabs");
/// `GET /analytics/team/dau`: daily active users, with CLI, Cloud Agents and Bugbot breakdowns.
pub const TEAM_DAU: Endpoint = team("analytics.dau", "/analytics/team/dau");
/// `GET /analytics/team/client-versions`: client version distribution per day.
pub const TEAM_CLIENT_VERSIONS: Endpoint = team("analytics.client_versions", "/analytics/team/client-versions");
/// `GET /analytics/team/models`: messages and users per model per day.
pub const TEAM_MODELS: Endpoint = team("analytics.models", "/analytics/team/models");
/// `GET /analytics/team/top-file-extensions`: the top 5 file extensions per day.
pub const TEAM_TOP_FILE_EXTENSIONS: Endpoint =
    team("analytics.top_file_extensions", "/analytics/team/top-file-extensions");
/// `GET /analytics/team/mcp`: MCP tool adoption per day.
pub const TEAM_MCP: Endpoint = team("analytics.mcp", "/analytics/team/mcp");
/// `GET /analytics/team/commands`: command adoption per day.
pub const TEAM_COMMANDS: Endpoint = team("analytics.commands", "/analytics/team/commands");
/// `GET /analytics/team/plans`: Plan mode adoption per day and model.
pub const TEAM_PLANS: Endpoint = team("analytics.plans", "/analytics/team/plans");
/// `GET /analytics/team/ask-mode`: Ask mode adoption per day and model.
pub const TEAM_ASK_MODE: Endpoint = team("analytics.ask_mode", "/analytics/team/ask-mode");
/// `GET /analytics/team/leaderboard`: the Tab and Agent leaderboards, paginated (default 10
/// users a page, at most 500).
pub const TEAM_LEADERBOARD: Endpoint =
    team("analytics.leaderboard", "/analytics/team/leaderboard").paginated(USER_PAGES);

/// `GET /analytics/team/skills`: skill (agent skill) adoption per day.
pub const TEAM_SKILLS: Endpoint = team("analytics.skills", "/analytics/team/skills");
/// `GET /analytics/team/conversation-insights`: what conversations are about (`include=`
/// intents, complexity, categories, guidanceLevels, workTypes); `401` while the feature is
/// off for the team. Its own budget in the current overview: 20 requests/minute.
pub const TEAM_CONVERSATION_INSIGHTS: Endpoint = Endpoint {
    bucket: CONVERSATION_INSIGHTS_BUCKET,
    ..team("analytics.conversation_insights", "/analytics/team/conversation-insights")
};
/// `GET /analytics/team/bugbot`: Bugbot activity per pull request, paged (`page`,
/// `pageSize` up to 250, `pagination.totalItems`), filtered by `prState` and `repo`.
pub const TEAM_BUGBOT: Endpoint = team("analytics.bugbot", "/analytics/team/bugbot");
/// `GET /analytics/team/bugbot-reviews`: Bugbot reviews, filtered by `repo`, `prNumber` and
/// `dryRun`.
pub const TEAM_BUGBOT_REVIEWS: Endpoint = team("analytics.bugbot_reviews", "/analytics/team/bugbot-reviews");

/// `GET /analytics/by-user/agent-edits`.
pub const BY_USER_AGENT_EDITS: Endpoint = by_user("analytics.agent_edits_by_user", "/analytics/by-user/agent-edits");
/// `GET /analytics/by-user/tabs`.
pub const BY_USER_TABS: Endpoint = by_user("analytics.tabs_by_user", "/analytics/by-user/tabs");
/// `GET /analytics/by-user/models`.
pub const BY_USER_MODELS: Endpoint = by_user("analytics.models_by_user", "/analytics/by-user/models");
/// `GET /analytics/by-user/top-file-extensions`.
pub const BY_USER_TOP_FILE_EXTENSIONS: Endpoint =
    by_user("analytics.top_file_extensions_by_user", "/analytics/by-user/top-file-extensions");
/// `GET /analytics/by-user/client-versions`.
pub const BY_USER_CLIENT_VERSIONS: Endpoint =
    by_user("analytics.client_versions_by_user", "/analytics/by-user/client-versions");
/// `GET /analytics/by-user/mcp`.
pub const BY_USER_MCP: Endpoint = by_user("analytics.mcp_by_user", "/analytics/by-user/mcp");
/// `GET /analytics/by-user/commands`.
pub const BY_USER_COMMANDS: Endpoint = by_user("analytics.commands_by_user", "/analytics/by-user/commands");
/// `GET /analytics/by-user/plans`.
pub const BY_USER_PLANS: Endpoint = by_user("analytics.plans_by_user", "/analytics/by-user/plans");
/// `GET /analytics/by-user/ask-mode`.
pub const BY_USER_ASK_MODE: Endpoint = by_user("analytics.ask_mode_by_user", "/analytics/by-user/ask-mode");

/// `GET /analytics/by-user/skills`.
pub const BY_USER_SKILLS: Endpoint = by_user("analytics.skills_by_user", "/analytics/by-user/skills");

/// The endpoints the seed documents do not have, from the current documentation (NEWER.md).
pub const NEWER_ENDPOINTS: &[&Endpoint] =
    &[&TEAM_SKILLS, &TEAM_CONVERSATION_INSIGHTS, &TEAM_BUGBOT, &TEAM_BUGBOT_REVIEWS, &BY_USER_SKILLS];

/// Every endpoint of the crate, for contract tests and tooling.
pub const ENDPOINTS: &[&Endpoint] = &[
    &TEAM_AGENT_EDITS,
    &TEAM_TABS,
    &TEAM_DAU,
    &TEAM_CLIENT_VERSIONS,
    &TEAM_MODELS,
    &TEAM_TOP_FILE_EXTENSIONS,
    &TEAM_MCP,
    &TEAM_COMMANDS,
    &TEAM_PLANS,
    &TEAM_ASK_MODE,
    &TEAM_LEADERBOARD,
    &BY_USER_AGENT_EDITS,
    &BY_USER_TABS,
    &BY_USER_MODELS,
    &BY_USER_TOP_FILE_EXTENSIONS,
    &BY_USER_CLIENT_VERSIONS,
    &BY_USER_MCP,
    &BY_USER_COMMANDS,
    &BY_USER_PLANS,
    &BY_USER_ASK_MODE,
    &TEAM_SKILLS,
    &TEAM_CONVERSATION_INSIGHTS,
    &TEAM_BUGBOT,
    &TEAM_BUGBOT_REVIEWS,
    &BY_USER_SKILLS,
];
