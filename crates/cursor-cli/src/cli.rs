//! The command line: global flags and one subcommand per API area (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use cursor_core::{ApiKey, DateSpec};

/// `cursor`: reports and commands for the Cursor team APIs (Admin, Analytics, AI Code
/// Tracking, Cloud Agents, Bugbot).
#[derive(Parser)]
#[command(name = "cursor", version, about, propagate_version = true, after_help = crate::exit::TABLE)]
pub(crate) struct Cli {
    /// The API key (Basic auth user name). Never printed.
    #[arg(long, env = "CURSOR_API_KEY", hide_env_values = true, global = true, value_parser = parse_key, help_heading = GLOBAL)]
    pub(crate) api_key: Option<ApiKey>,

    /// The API base URL (defaults to https://api.cursor.com).
    #[arg(long, env = "CURSOR_BASE_URL", global = true, help_heading = GLOBAL)]
    pub(crate) base_url: Option<String>,

    /// Run against an in-process simulator with realistic data (no key or network needed);
    /// what commands change is kept until `cursor mock reset`.
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub(crate) mock: bool,

    /// Output format [default: table when stdout is a terminal, json otherwise].
    #[arg(short, long = "output", value_enum, global = true, help_heading = GLOBAL)]
    pub(crate) output: Option<Format>,

    /// The same as `-o json` (kept for scripts written before `-o`).
    #[arg(long, global = true, hide = true)]
    pub(crate) json: bool,

    /// Log to stderr: -v one line per request, -vv also retries and cache decisions, -vvv
    /// the HTTP library's trace.
    #[arg(short, long, action = clap::ArgAction::Count, global = true, help_heading = GLOBAL)]
    pub(crate) verbose: u8,

    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The heading that sets the global options apart from each command's own in `--help`.
const GLOBAL: &str = "Global options";

/// How results are printed.
#[derive(ValueEnum, Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Format {
    /// Aligned columns sized to the terminal, with totals and "showing N of M" when cut.
    Table,
    /// The API's own JSON; a list is one document with every item of every page.
    Json,
    /// One JSON object a line, written as pages arrive.
    Ndjson,
    /// Comma-separated values with a header row, written as pages arrive.
    Csv,
}

/// The paging flags of every list.
#[derive(Args, Clone, Default, Debug)]
pub(crate) struct PageArgs {
    /// At most this many items (0: all) [default: all; 100 in a table].
    #[arg(long)]
    pub(crate) limit: Option<usize>,
    /// Items per request (the endpoint's maximum by default, to spend fewer requests).
    #[arg(long)]
    pub(crate) page_size: Option<u32>,
    /// Only this page (1 is the first).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) page: Option<u32>,
}

/// How many rows a table shows when `--limit` is not given.
pub(crate) const TABLE_ROWS: usize = 100;

impl PageArgs {
    /// The most items to print: `--limit` (0 is all), else all but in a table.
    pub(crate) fn limit(&self, format: Format) -> Option<usize> {
        match self.limit {
            Some(0) => None,
            Some(n) => Some(n),
            None if format == Format::Table => Some(TABLE_ROWS),
            None => None,
        }
    }
}

fn parse_key(text: &str) -> Result<ApiKey, String> {
    let key = ApiKey::new(text);
    if key.is_empty() { Err("the API key is empty".into()) } else { Ok(key) }
}

fn parse_date(text: &str) -> Result<DateSpec, String> {
    text.parse().map_err(|e: cursor_core::DateParseError| e.to_string())
}

/// The subcommands: a noun (an API resource), then a verb. A bare list noun (`cursor spend`)
/// lists, as it did before the verbs.
#[derive(Subcommand)]
pub(crate) enum Command {
    /// A concise team report that touches every read-only API family (or, with --db, read
    /// from a database filled by `sync`).
    Report(crate::commands::sync::ReportArgs),
    /// Copy the team's data into SQLite or PostgreSQL, incrementally and exactly once.
    Sync(crate::commands::sync::SyncArgs),
    /// Team members: list them, or remove one.
    #[command(after_help = "Examples:\n  cursor members list --limit 20\n  cursor members remove dev@company.com")]
    Members(MembersCmd),
    /// Audit log events, streamed across pages and 30-day windows.
    #[command(after_help = "Example:\n  cursor audit-logs list --start 30d --event-types login -o ndjson")]
    AuditLogs(AuditLogsCmd),
    /// Daily usage totals per day (`-o json` gives every member's rows).
    #[command(after_help = "Example:\n  cursor daily-usage list --start 7d")]
    DailyUsage(DailyUsageCmd),
    /// Members' spend this billing cycle.
    #[command(after_help = "Example:\n  cursor spend list --sort-by amount --limit 10")]
    Spend(SpendCmd),
    /// Usage events (requests and their costs).
    #[command(
        after_help = "Example:\n  cursor usage-events list --start 7d --email dev@company.com -o csv > events.csv"
    )]
    UsageEvents(UsageEventsCmd),
    /// Set or clear a member's spend limit.
    #[command(
        after_help = "Examples:\n  cursor spend-limit set dev@company.com 250\n  cursor spend-limit set dev@company.com --clear"
    )]
    SpendLimit {
        /// The action.
        #[command(subcommand)]
        action: SpendLimitAction,
    },
    /// Billing groups: list, inspect, create, rename, delete, and their members.
    #[command(
        after_help = "Examples:\n  cursor groups list\n  cursor groups create \"Platform\"\n  cursor groups add-members GROUP_ID user_abc user_def"
    )]
    Groups {
        /// The action.
        #[command(subcommand)]
        action: GroupsAction,
    },
    /// Repository blocklists: files agents and Tab must not read.
    #[command(
        after_help = "Example:\n  cursor blocklists upsert https://github.com/acme/infra --pattern '*.env' --pattern 'secrets/**'"
    )]
    Blocklists {
        /// The action.
        #[command(subcommand)]
        action: BlocklistsAction,
    },
    /// Remove a member (hidden: `members remove`).
    #[command(hide = true)]
    RemoveMember {
        /// The member's email, `user_…` id or numeric id.
        member: String,
    },
    /// Model access (preview): which providers and models the team may use.
    #[command(after_help = "Example:\n  cursor model-access providers")]
    ModelAccess {
        #[command(subcommand)]
        action: ModelAccessAction,
    },
    /// Team or per-user analytics metrics.
    #[command(after_help = "Examples:\n  cursor analytics dau --start 7d\n  cursor analytics models --by-user -o csv")]
    Analytics(AnalyticsArgs),
    /// AI code tracking: commits, changes (or their CSV export), and commits by hash.
    #[command(
        after_help = "Examples:\n  cursor ai-code commits --start 7d --limit 20\n  cursor ai-code changes --csv changes.csv\n  cursor ai-code lookup 1a2b3c4d"
    )]
    AiCode {
        /// The action.
        #[command(subcommand)]
        action: AiCodeAction,
    },
    /// Look AI-code commits up by hash (hidden: `ai-code lookup`).
    #[command(hide = true)]
    AiCodeLookup(LookupArgs),
    /// Cloud Agents.
    #[command(
        after_help = "Examples:\n  cursor agents launch --repo https://github.com/acme/app --prompt 'Add tests' --wait\n  cursor agents list --limit 10"
    )]
    Agents {
        /// The action.
        #[command(subcommand)]
        action: AgentsAction,
    },
    /// Turn Bugbot on or off for repositories, or ask it to review a pull request.
    #[command(
        after_help = "Examples:\n  cursor bugbot enable https://github.com/acme/app\n  cursor bugbot review https://github.com/acme/app/pull/42 --dry-run"
    )]
    Bugbot {
        /// The action.
        #[command(subcommand)]
        action: BugbotAction,
    },
    /// Send any request (METHOD PATH) through the SDK's rate limits, retries and auth.
    #[command(
        after_help = "Examples:\n  cursor api GET /teams/members\n  cursor api GET /teams/audit-logs -f startTime=7d --paginate\n  cursor api POST /teams/spend -F page=1"
    )]
    Api(crate::commands::api::ApiArgs),
    /// Print a shell completion script (bash, zsh, fish).
    #[command(after_help = "Example:\n  cursor completion bash > ~/.local/share/bash-completion/completions/cursor")]
    Completion(crate::commands::completion::CompletionArgs),
    /// Cloud Agents webhooks: verify a delivery's signature.
    #[command(
        after_help = "Example:\n  cursor webhook verify --secret-env WEBHOOK_SECRET --signature \"$SIG\" < body.json"
    )]
    Webhook {
        /// The action.
        #[command(subcommand)]
        action: crate::commands::webhook::WebhookAction,
    },
    /// The simulator: serve it in the foreground, or forget what --mock commands changed.
    #[command(after_help = "Examples:\n  cursor mock serve --port 8787 --state mock.json\n  cursor mock reset")]
    Mock {
        /// The action.
        #[command(subcommand)]
        action: crate::commands::mock::MockAction,
    },
}

/// `members [list|remove]`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct MembersCmd {
    /// The verb (`list` when none).
    #[command(subcommand)]
    pub(crate) verb: Option<MembersVerb>,
    /// `list`'s flags, for a bare `members`.
    #[command(flatten)]
    pub(crate) list: PageArgs,
}

/// `members` verbs.
#[derive(Subcommand)]
pub(crate) enum MembersVerb {
    /// Every member: email, name, role.
    #[command(after_help = "Example:\n  cursor members list -o csv > members.csv")]
    List(PageArgs),
    /// Remove a member from the team, by email or user id.
    #[command(after_help = "Example:\n  cursor members remove dev@company.com")]
    Remove {
        /// The member's email, `user_…` id or numeric id.
        member: String,
    },
}

/// `audit-logs [list]`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct AuditLogsCmd {
    /// The verb (`list` when none).
    #[command(subcommand)]
    pub(crate) verb: Option<AuditLogsVerb>,
    /// `list`'s flags, for a bare `audit-logs`.
    #[command(flatten)]
    pub(crate) list: AuditLogsArgs,
}

/// `audit-logs` verbs.
#[derive(Subcommand)]
pub(crate) enum AuditLogsVerb {
    /// Every matching event of the range.
    #[command(after_help = "Example:\n  cursor audit-logs list --start 7d --users admin@company.com")]
    List(AuditLogsArgs),
}

/// `daily-usage [list]`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct DailyUsageCmd {
    /// The verb (`list` when none).
    #[command(subcommand)]
    pub(crate) verb: Option<DailyUsageVerb>,
    /// `list`'s flags, for a bare `daily-usage`.
    #[command(flatten)]
    pub(crate) list: RangeArgs,
}

/// `daily-usage` verbs.
#[derive(Subcommand)]
pub(crate) enum DailyUsageVerb {
    /// Team totals per day of the range.
    #[command(after_help = "Example:\n  cursor daily-usage list --start 2025-06-01 --end 2025-06-30")]
    List(RangeArgs),
}

/// `spend [list]`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct SpendCmd {
    /// The verb (`list` when none).
    #[command(subcommand)]
    pub(crate) verb: Option<SpendVerb>,
    /// `list`'s flags, for a bare `spend`.
    #[command(flatten)]
    pub(crate) list: SpendArgs,
}

/// `spend` verbs.
#[derive(Subcommand)]
pub(crate) enum SpendVerb {
    /// Every member's spend, with the cycle's start.
    #[command(after_help = "Example:\n  cursor spend list --sort-by amount --limit 10")]
    List(SpendArgs),
}

/// `usage-events [list]`.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct UsageEventsCmd {
    /// The verb (`list` when none).
    #[command(subcommand)]
    pub(crate) verb: Option<UsageEventsVerb>,
    /// `list`'s flags, for a bare `usage-events`.
    #[command(flatten)]
    pub(crate) list: UsageEventsArgs,
}

/// `usage-events` verbs.
#[derive(Subcommand)]
pub(crate) enum UsageEventsVerb {
    /// Every matching event of the range, newest first.
    #[command(after_help = "Example:\n  cursor usage-events list --start 30d -o ndjson | jq .model")]
    List(UsageEventsArgs),
}

/// `groups` actions.
#[derive(Subcommand)]
pub(crate) enum GroupsAction {
    /// Every billing group, with its members count and spend.
    #[command(after_help = "Example:\n  cursor groups list --billing-cycle 2025-06-01")]
    List {
        /// The billing cycle that contains this date (YYYY-MM-DD) [default: the current one].
        #[arg(long, value_parser = parse_day)]
        billing_cycle: Option<cursor_core::time::Date>,
        /// Paging.
        #[command(flatten)]
        paging: PageArgs,
    },
    /// One group, with its members.
    #[command(after_help = "Example:\n  cursor groups get GROUP_ID")]
    Get {
        /// The group ID.
        id: String,
        /// The billing cycle that contains this date (YYYY-MM-DD) [default: the current one].
        #[arg(long, value_parser = parse_day)]
        billing_cycle: Option<cursor_core::time::Date>,
    },
    /// Create a group.
    #[command(after_help = "Example:\n  cursor groups create \"Platform Engineering\"")]
    Create {
        /// The group's name.
        name: String,
    },
    /// Rename a group, or attach it to (or detach it from) a directory group.
    #[command(
        after_help = "Examples:\n  cursor groups update GROUP_ID --name Platform\n  cursor groups update GROUP_ID --detach-directory-group"
    )]
    Update {
        /// The group ID.
        id: String,
        /// The new name.
        #[arg(long, required_unless_present_any = ["directory_group", "detach_directory_group"])]
        name: Option<String>,
        /// Sync the group with this directory (SCIM) group.
        #[arg(long, conflicts_with_all = ["name", "detach_directory_group"])]
        directory_group: Option<String>,
        /// Stop syncing with the directory group.
        #[arg(long, conflicts_with = "name")]
        detach_directory_group: bool,
    },
    /// Delete a group.
    #[command(after_help = "Example:\n  cursor groups delete GROUP_ID")]
    Delete {
        /// The group ID.
        id: String,
    },
    /// Add members (user IDs) to a group.
    #[command(after_help = "Example:\n  cursor groups add-members GROUP_ID user_abc user_def")]
    AddMembers {
        /// The group ID.
        id: String,
        /// User IDs.
        #[arg(required = true)]
        users: Vec<String>,
    },
    /// Remove members (user IDs) from a group.
    #[command(after_help = "Example:\n  cursor groups remove-members GROUP_ID user_abc")]
    RemoveMembers {
        /// The group ID.
        id: String,
        /// User IDs.
        #[arg(required = true)]
        users: Vec<String>,
    },
}

/// `blocklists` actions.
#[derive(Subcommand)]
pub(crate) enum BlocklistsAction {
    /// Every repository blocklist.
    #[command(after_help = "Example:\n  cursor blocklists list -o json")]
    List(PageArgs),
    /// Set a repository's blocked patterns (replacing its list).
    #[command(after_help = "Example:\n  cursor blocklists upsert https://github.com/acme/infra --pattern '*.env'")]
    Upsert {
        /// The repository URL.
        repo: String,
        /// A glob of files to block (repeat for several; `*` blocks the whole repository).
        #[arg(long = "pattern", required = true)]
        patterns: Vec<String>,
    },
    /// Delete a repository's blocklist, by its ID (see `blocklists list`).
    #[command(after_help = "Example:\n  cursor blocklists delete REPO_ID")]
    Delete {
        /// The blocklist's repository ID.
        id: String,
    },
}

/// `ai-code` actions.
#[derive(Subcommand)]
pub(crate) enum AiCodeAction {
    /// Commits with their AI-attributed lines.
    #[command(after_help = "Example:\n  cursor ai-code commits --start 7d --user dev@company.com")]
    Commits(AiCodeArgs),
    /// AI code changes (Tab and Composer).
    #[command(after_help = "Example:\n  cursor ai-code changes --csv changes.csv")]
    Changes(AiCodeArgs),
    /// Commits by hash (several at once), optionally on one branch.
    #[command(after_help = "Example:\n  cursor ai-code lookup 1a2b3c4d 5e6f7a8b --branch main")]
    Lookup(LookupArgs),
}

/// `ai-code lookup` arguments.
#[derive(Args)]
pub(crate) struct LookupArgs {
    /// Commit hashes.
    #[arg(required = true)]
    pub(crate) hashes: Vec<String>,
    /// Only records on this branch.
    #[arg(long)]
    pub(crate) branch: Option<String>,
}

fn parse_day(text: &str) -> Result<cursor_core::time::Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    cursor_core::time::Date::parse(text, &format).map_err(|e| format!("{e}: give YYYY-MM-DD"))
}

/// A date range for the Admin commands.
#[derive(Args, Clone)]
pub(crate) struct RangeArgs {
    /// Start: now, today, yesterday, 7d, 5h, YYYY-MM-DD, an ISO 8601 instant or epoch s/ms
    /// [default: 30d for daily-usage, 7d otherwise].
    #[arg(long, value_parser = parse_date)]
    pub(crate) start: Option<DateSpec>,
    /// End (same forms as --start) [default: now].
    #[arg(long, value_parser = parse_date)]
    pub(crate) end: Option<DateSpec>,
}

impl RangeArgs {
    /// The range, with `default_days` ago as the start when none was given.
    pub(crate) fn range(&self, default_days: u32) -> cursor_core::DateRange {
        cursor_core::DateRange::new(
            self.start.unwrap_or(DateSpec::DaysAgo(default_days)),
            self.end.unwrap_or(DateSpec::Now),
        )
    }
}

/// `audit-logs` arguments.
#[derive(Args)]
pub(crate) struct AuditLogsArgs {
    /// The range.
    #[command(flatten)]
    pub(crate) range: RangeArgs,
    /// Event types, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub(crate) event_types: Vec<String>,
    /// Users (emails or IDs), comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub(crate) users: Vec<String>,
    /// A search term.
    #[arg(long)]
    pub(crate) search: Option<String>,
    /// Paging.
    #[command(flatten)]
    pub(crate) paging: PageArgs,
}

/// How `spend` sorts.
#[derive(ValueEnum, Clone, Copy)]
pub(crate) enum SortBy {
    /// By amount spent, highest first.
    Amount,
    /// By date.
    Date,
    /// By user.
    User,
}

/// `spend` arguments.
#[derive(Args)]
pub(crate) struct SpendArgs {
    /// Only members matching this term.
    #[arg(long)]
    pub(crate) search: Option<String>,
    /// The sort order.
    #[arg(long, value_enum)]
    pub(crate) sort_by: Option<SortBy>,
    /// Paging.
    #[command(flatten)]
    pub(crate) paging: PageArgs,
}

/// `usage-events` arguments.
#[derive(Args)]
pub(crate) struct UsageEventsArgs {
    /// The range.
    #[command(flatten)]
    pub(crate) range: RangeArgs,
    /// Only this member's events.
    #[arg(long)]
    pub(crate) email: Option<String>,
    /// Only this service account's events.
    #[arg(long)]
    pub(crate) service_account_id: Option<String>,
    /// Only this cloud agent's events (`*`: every cloud agent's).
    #[arg(long)]
    pub(crate) cloud_agent_id: Option<String>,
    /// Only this automation's events (`*`: every automation's).
    #[arg(long)]
    pub(crate) automation_id: Option<String>,
    /// Only events hosted there (CLOUD, SELF_HOSTED, …).
    #[arg(long)]
    pub(crate) hosting_type: Option<String>,
    /// Paging.
    #[command(flatten)]
    pub(crate) paging: PageArgs,
}

/// `spend-limit` actions.
#[derive(Subcommand)]
pub(crate) enum SpendLimitAction {
    /// Set a member's limit in whole dollars, or clear it with --clear.
    Set {
        /// The member's email.
        email: String,
        /// The limit in whole dollars.
        #[arg(required_unless_present = "clear", conflicts_with = "clear")]
        dollars: Option<u32>,
        /// Remove the limit.
        #[arg(long)]
        clear: bool,
    },
}

/// `model-access` actions (preview API).
#[derive(Subcommand)]
pub(crate) enum ModelAccessAction {
    /// Whether the team restricts models.
    Show,
    /// Restrict models to the allowed providers and models.
    Restrict,
    /// Lift the restriction.
    Unrestrict,
    /// The providers and whether each is allowed.
    Providers,
    /// Allow or block a provider.
    Provider {
        /// The provider (anthropic, openai, …).
        provider: String,
        /// Block it instead of allowing it.
        #[arg(long)]
        block: bool,
    },
    /// A provider's models and whether each is allowed.
    Models {
        /// The provider.
        provider: String,
    },
    /// Allow or block one model.
    Model {
        /// The provider.
        provider: String,
        /// The model.
        model: String,
        /// Block it instead of allowing it.
        #[arg(long)]
        block: bool,
    },
}

/// The analytics metrics.
#[derive(ValueEnum, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Metric {
    /// AI-suggested edits and lines.
    AgentEdits,
    /// Tab autocomplete usage.
    Tabs,
    /// Daily active users (team only).
    Dau,
    /// Client versions in use.
    ClientVersions,
    /// Model usage.
    Models,
    /// Top file extensions.
    TopFileExtensions,
    /// MCP usage.
    Mcp,
    /// Commands used.
    Commands,
    /// Plans mode adoption.
    Plans,
    /// Ask mode adoption.
    AskMode,
    /// The Tab and Agent leaderboards (team only).
    Leaderboard,
    /// Skill adoption.
    Skills,
    /// What conversations are about (team only; --include picks sections).
    ConversationInsights,
    /// Bugbot activity per pull request (team only; --repo, --pr-state).
    Bugbot,
    /// Bugbot reviews (team only; --repo, --pr-number, --dry-run).
    BugbotReviews,
}

/// `analytics` arguments.
#[derive(Args)]
pub(crate) struct AnalyticsArgs {
    /// The metric.
    #[arg(value_enum)]
    pub(crate) metric: Metric,
    /// Per-user rows instead of team totals.
    #[arg(long)]
    pub(crate) by_user: bool,
    /// Start (default: the API's default range).
    #[arg(long, value_parser = parse_date)]
    pub(crate) start: Option<DateSpec>,
    /// End (default: today when --start is given).
    #[arg(long, value_parser = parse_date)]
    pub(crate) end: Option<DateSpec>,
    /// Only these users (emails or user_… IDs), comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub(crate) users: Vec<String>,
    /// conversation-insights: the sections (intents, complexity, categories, guidanceLevels,
    /// workTypes), comma-separated; all by default.
    #[arg(long, value_delimiter = ',')]
    pub(crate) include: Vec<String>,
    /// bugbot, bugbot-reviews: only this repository.
    #[arg(long)]
    pub(crate) repo: Option<String>,
    /// bugbot: only pull requests in this state (open, merged, closed).
    #[arg(long)]
    pub(crate) pr_state: Option<String>,
    /// bugbot-reviews: only this pull request.
    #[arg(long)]
    pub(crate) pr_number: Option<u64>,
    /// bugbot-reviews: only dry runs (true) or only real reviews (false).
    #[arg(long)]
    pub(crate) dry_run: Option<bool>,
    /// Paging (--page and --page-size: by-user metrics, bugbot, bugbot-reviews).
    #[command(flatten)]
    pub(crate) paging: PageArgs,
}

/// What `ai-code` lists.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum AiCodeKind {
    /// Commits with their AI-attributed lines.
    Commits,
    /// AI code changes (Tab and Composer).
    Changes,
}

/// `ai-code` arguments.
#[derive(Args)]
pub(crate) struct AiCodeArgs {
    /// Start (default: the API's default, 7 days ago).
    #[arg(long, value_parser = parse_date)]
    pub(crate) start: Option<DateSpec>,
    /// End (default: now).
    #[arg(long, value_parser = parse_date)]
    pub(crate) end: Option<DateSpec>,
    /// Only this user (email, user_… ID or numeric ID).
    #[arg(long)]
    pub(crate) user: Option<String>,
    /// Stream the CSV export to this file instead of printing a table.
    #[arg(long)]
    pub(crate) csv: Option<PathBuf>,
    /// Paging (of the table, json, ndjson and csv output; not of the --csv export).
    #[command(flatten)]
    pub(crate) paging: PageArgs,
}

/// `agents` actions.
#[derive(Subcommand)]
pub(crate) enum AgentsAction {
    /// Every agent, newest first.
    List(PageArgs),
    /// One agent.
    Get {
        /// The agent ID.
        id: String,
    },
    /// An agent's conversation.
    Conversation {
        /// The agent ID.
        id: String,
    },
    /// Launch an agent on a repository.
    Launch {
        /// The repository URL.
        #[arg(long)]
        repo: String,
        /// The instructions.
        #[arg(long)]
        prompt: String,
        /// The git ref to start from.
        #[arg(long = "ref")]
        git_ref: Option<String>,
        /// The branch to create.
        #[arg(long)]
        branch: Option<String>,
        /// The model.
        #[arg(long)]
        model: Option<String>,
        /// Wait until the agent finishes.
        #[arg(long)]
        wait: bool,
    },
    /// Send a follow-up prompt.
    Followup {
        /// The agent ID.
        id: String,
        /// The instructions.
        #[arg(long)]
        prompt: String,
    },
    /// Stop a running agent.
    Stop {
        /// The agent ID.
        id: String,
    },
    /// Delete an agent.
    Delete {
        /// The agent ID.
        id: String,
    },
    /// The models agents can use.
    Models,
    /// The API key's own information.
    Me,
    /// The GitHub repositories agents can use.
    Repositories,
    /// Cloud Agents API v1: agents with runs, cancel, archive, artifacts.
    V1 {
        /// The action.
        #[command(subcommand)]
        action: AgentsV1Action,
    },
    /// Print a v1 run's events as they happen (NDJSON when stdout is not a terminal),
    /// resuming across dropped connections.
    Watch {
        /// The agent ID.
        agent: String,
        /// The run ID.
        run: String,
    },
}

/// `agents v1` actions.
#[derive(Subcommand)]
pub(crate) enum AgentsV1Action {
    /// Create an agent and its first run (with a client-chosen id, so a retry never makes two).
    Create {
        /// The repository URL.
        #[arg(long, required_unless_present = "pr")]
        repo: Option<String>,
        /// Work on this pull request instead of a repository URL.
        #[arg(long)]
        pr: Option<String>,
        /// The instructions.
        #[arg(long)]
        prompt: String,
        /// The branch, tag or commit to start from.
        #[arg(long = "ref")]
        git_ref: Option<String>,
        /// The branch to create.
        #[arg(long)]
        branch: Option<String>,
        /// The model id.
        #[arg(long)]
        model: Option<String>,
        /// Open a pull request when the run completes.
        #[arg(long)]
        auto_pr: bool,
        /// The agent id to use (default: a generated `bc-…` id).
        #[arg(long)]
        id: Option<String>,
        /// Then print the run's events until it ends.
        #[arg(long)]
        watch: bool,
    },
    /// Every agent, newest first.
    List {
        /// Leave archived agents out.
        #[arg(long)]
        active_only: bool,
        /// Paging.
        #[command(flatten)]
        paging: PageArgs,
    },
    /// One agent.
    Get {
        /// The agent ID.
        id: String,
    },
    /// Archive an agent (it refuses new runs until unarchived).
    Archive {
        /// The agent ID.
        id: String,
    },
    /// Unarchive an agent.
    Unarchive {
        /// The agent ID.
        id: String,
    },
    /// Delete an agent for good.
    Delete {
        /// The agent ID.
        id: String,
    },
    /// An agent's runs.
    Runs {
        /// The action.
        #[command(subcommand)]
        action: RunsAction,
    },
    /// An agent's artifacts, or the download URL of one.
    Artifacts {
        /// The agent ID.
        id: String,
        /// Print the presigned download URL of this artifact path.
        #[arg(long)]
        download: Option<String>,
    },
    /// An agent's usage.
    Usage {
        /// The agent ID.
        id: String,
    },
    /// The API key's own information.
    Me,
    /// The recommended model ids.
    Models,
    /// The GitHub repositories agents can use.
    Repositories,
}

/// `agents v1 runs` actions.
#[derive(Subcommand)]
pub(crate) enum RunsAction {
    /// Send a follow-up prompt as a new run.
    Create {
        /// The agent ID.
        agent: String,
        /// The instructions.
        #[arg(long)]
        prompt: String,
        /// Then print the run's events until it ends.
        #[arg(long)]
        watch: bool,
    },
    /// Every run of an agent, newest first.
    List {
        /// The agent ID.
        agent: String,
        /// Paging.
        #[command(flatten)]
        paging: PageArgs,
    },
    /// One run.
    Get {
        /// The agent ID.
        agent: String,
        /// The run ID.
        run: String,
    },
    /// Cancel the active run.
    Cancel {
        /// The agent ID.
        agent: String,
        /// The run ID.
        run: String,
    },
}

/// `bugbot` actions.
#[derive(Subcommand)]
pub(crate) enum BugbotAction {
    /// Enable Bugbot on repositories.
    Enable {
        /// Repository URLs (https://github.com/org/repo).
        #[arg(required = true)]
        repos: Vec<String>,
    },
    /// Disable Bugbot on repositories.
    Disable {
        /// Repository URLs (https://github.com/org/repo).
        #[arg(required = true)]
        repos: Vec<String>,
    },
    /// Ask Bugbot to review a pull request.
    Review {
        /// The pull request's URL (https://github.com/org/repo/pull/42).
        pr_url: String,
        /// Review without posting anything on the pull request.
        #[arg(long)]
        dry_run: bool,
        /// Comment on the pull request even when Bugbot finds nothing.
        #[arg(long)]
        post_success_comment: bool,
    },
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
