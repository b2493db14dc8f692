//! `cursor report`: the team report a lead forwards. Fetches every source concurrently (each
//! on its own, so a refused API costs only its sections), computes the figures in
//! `report::compute`, and prints text, JSON or a self-contained HTML page.

use std::path::PathBuf;

use clap::Args;
use cursor_admin::{AdminClient, SpendQuery, UsageEventsQuery};
use cursor_agents::{AgentsClient, AgentsQuery};
use cursor_aicode::{AiCodeClient, AiCodeQuery};
use cursor_analytics::{AnalyticsClient, AnalyticsQuery};
use cursor_core::{DateRange, DateSpec};
use futures_util::TryStreamExt as _;
use time::OffsetDateTime;

use super::Ctx;
use crate::output::{outln, print_json};
use crate::report::compute::{self, Part, RawData, SpendData, Unavailable, Window};
use crate::report::{html, text};

/// `report` arguments.
#[derive(Args)]
#[command(after_help = "Examples:
  cursor --mock report                         the report against the offline simulator
  cursor report --days 30                      30 dates, today included (marked partial)
  cursor report --json > report.json           the same figures as one camelCase document
  cursor report --html report.html             a self-contained page with charts
  cursor report --db sqlite:cursor.db          from a database filled by `cursor sync`")]
pub(crate) struct ReportArgs {
    /// Read the report from a database filled by `cursor sync` instead of the API.
    #[arg(long)]
    pub(crate) db: Option<String>,
    /// With --db: the team to report on [default: the only one, else the first by name].
    #[arg(long, requires = "db")]
    pub(crate) team: Option<String>,
    /// How many dates the trend, analytics and AI-code sections cover, ending with today
    /// (included and marked partial): `--days 7` is 7 dates. Spend covers the billing cycle.
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=30))]
    pub(crate) days: u32,
    /// Write the report as one self-contained HTML page with charts to FILE (`-` for stdout)
    /// instead of printing it.
    #[arg(long, value_name = "FILE", conflicts_with = "db")]
    pub(crate) html: Option<PathBuf>,
}

/// Spend members fetched a page (the most `/teams/spend` takes, so few requests count
/// against the Admin API's 20 a minute).
const SPEND_PAGE_SIZE: u32 = 100;

/// Turns an SDK error into why a section is missing. `401`/`403` mean the key may not read
/// the API (or the feature is off): the section is skipped. Anything else is kept in
/// `errors` (refusals too) so that the command can fail with it.
fn part<T>(api: &str, result: cursor_core::Result<T>, errors: &mut Vec<cursor_core::Error>) -> Part<T> {
    result.map_err(|error| {
        let permission = is_refusal(&error);
        let reason = if permission {
            format!("the key may not read the {api} API ({error})")
        } else {
            format!("the {api} API failed ({error})")
        };
        errors.push(error);
        Unavailable { reason, permission }
    })
}

/// `401`/`403`: the key may not read this API, or the feature is off for the team.
fn is_refusal(error: &cursor_core::Error) -> bool {
    matches!(error.status(), Some(401 | 403))
}

async fn spend(admin: &AdminClient) -> cursor_core::Result<SpendData> {
    let query = SpendQuery::new().page_size(SPEND_PAGE_SIZE);
    let first = admin.spend_page(&query.clone().page(1)).await?;
    let mut data = SpendData { cycle_start_ms: first.subscription_cycle_start, members: first.team_member_spend };
    for page in 2..=first.total_pages {
        data.members.extend(admin.spend_page(&query.clone().page(page)).await?.team_member_spend);
    }
    Ok(data)
}

/// Fetches every source for `window`; `now` ends the open ranges.
async fn fetch(ctx: &Ctx, window: &Window) -> (RawData, Vec<cursor_core::Error>) {
    let admin = AdminClient::new(ctx.client.clone());
    let analytics = AnalyticsClient::new(ctx.client.clone());
    let aicode = AiCodeClient::new(ctx.client.clone());
    let agents = AgentsClient::new(ctx.client.clone());
    let first = DateSpec::Date(window.first);
    let dates = AnalyticsQuery::new().dates(first, DateSpec::Date(window.today));
    let since_first = DateRange::new(first, DateSpec::Now);

    // Usage events run from the cycle start (for spend by model) or the window's first date
    // (for spend per day), whichever is earlier; so they wait for the spend's cycle start.
    let spend_and_events = async {
        let spend = spend(&admin).await;
        let window_start_ms = window.first.midnight().assume_utc().unix_timestamp() * 1000;
        let from = match &spend {
            Ok(s) => s.cycle_start_ms.min(window_start_ms),
            Err(_) => window_start_ms,
        };
        let query = UsageEventsQuery::new().range(DateRange::new(DateSpec::EpochMillis(from), DateSpec::Now));
        let events = admin.usage_events(&query).try_collect::<Vec<_>>().await;
        (spend, events)
    };
    let commits_query = AiCodeQuery::new().range(since_first).page_size(cursor_aicode::MAX_PAGE_SIZE);
    let (members, (spend, events), daily_usage, dau, models, extensions, tabs, agent_edits, commits, agent_list) = tokio::join!(
        admin.members(),
        spend_and_events,
        async { admin.daily_usage(&since_first).await.map(|d| d.data) },
        async { analytics.dau(&dates).await.map(|r| r.data) },
        async { analytics.models(&dates).await.map(|r| r.data) },
        async { analytics.top_file_extensions(&dates).await.map(|r| r.data) },
        async { analytics.tabs(&dates).await.map(|r| r.data) },
        async { analytics.agent_edits(&dates).await.map(|r| r.data) },
        aicode.commits(&commits_query).try_collect::<Vec<_>>(),
        agents.list(&AgentsQuery::new().page_size(100)).try_collect::<Vec<_>>(),
    );
    let mut errors = Vec::new();
    let f = &mut errors;
    let raw = RawData {
        members: part("Admin", members, f),
        spend: part("Admin", spend, f),
        usage_events: part("Admin", events, f),
        daily_usage: part("Admin", daily_usage, f),
        dau: part("Analytics", dau, f),
        models: part("Analytics", models, f),
        extensions: part("Analytics", extensions, f),
        tabs: part("Analytics", tabs, f),
        agent_edits: part("Analytics", agent_edits, f),
        commits: part("AI Code Tracking", commits, f),
        agents: part("Cloud Agents", agent_list, f),
    };
    (raw, errors)
}

/// Runs the report and prints it (or writes the HTML page).
///
/// Exit status: 0 when at least one section printed and every missing one was refused to
/// the key (401/403: skipped with a line saying why). Any other failure (a 5xx after the
/// retries, the network) still prints the rest, then fails with the first such error; when
/// no section could be read at all, that error (or the refusal) is the outcome.
pub(crate) async fn run(ctx: &Ctx, args: &ReportArgs) -> anyhow::Result<()> {
    let window = Window::ending_today(args.days, OffsetDateTime::now_utc().date());
    let (raw, mut errors) = fetch(ctx, &window).await;
    let report = compute::compute(&raw, &window);
    if report.skipped.len() == compute::SOURCES && !errors.is_empty() {
        // Nothing readable: the first error is the outcome (a bad key, no network…), and its
        // kind decides the exit code. A real failure wins over a refusal.
        let index = errors.iter().position(|e| !is_refusal(e)).unwrap_or(0);
        return Err(anyhow::Error::new(errors.swap_remove(index)).context("no section of the report could be read"));
    }
    match &args.html {
        Some(path) => html::write(path, &html::render(&report))?,
        None if ctx.json_asked => print_json(&report)?,
        None => outln!("{}", text::render(&report).trim_end()),
    }
    match errors.into_iter().find(|e| !is_refusal(e)) {
        Some(error) => Err(anyhow::Error::new(error).context("some sections of the report failed (the rest is above)")),
        None => Ok(()),
    }
}
