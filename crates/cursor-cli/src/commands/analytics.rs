//! Analytics API commands: team metrics per day, per-user metrics, and the leaderboards.

use std::future::Future;

use cursor_analytics::{
    AnalyticsClient, AnalyticsQuery, BugbotQuery, ByUserReport, InsightSection, Leaderboard, PrState, TeamResponse,
};
use cursor_core::DateSpec;
use serde::Serialize;
use serde_json::Value;

use super::{Ctx, UsageError};
use crate::cli::{AnalyticsArgs, Format, Metric, PageArgs};
use crate::output::{Table, outln, print_rows, value_table};

/// The range the arguments give, a missing end filled with the API's default; `None` (the
/// API's default range) when no date is given.
fn dates(args: &AnalyticsArgs) -> Option<(DateSpec, DateSpec)> {
    (args.start.is_some() || args.end.is_some())
        .then(|| (args.start.unwrap_or(DateSpec::DaysAgo(7)), args.end.unwrap_or(DateSpec::Today)))
}

/// The query the arguments describe (the API's default range when no date is given).
fn query(args: &AnalyticsArgs) -> AnalyticsQuery {
    let mut query = AnalyticsQuery::new();
    if let Some((start, end)) = dates(args) {
        query = query.dates(start, end);
    }
    if !args.users.is_empty() {
        query = query.users(args.users.iter().cloned());
    }
    if let Some(page) = args.paging.page {
        query = query.page(page);
    }
    if let Some(size) = args.paging.page_size {
        query = query.page_size(size);
    }
    query
}

/// The rows `--limit` lets through (every row in JSON, which prints the API's document);
/// a table says how many it left out.
fn limited(ctx: &Ctx, paging: &PageArgs, mut rows: Vec<(Vec<String>, Value)>) -> anyhow::Result<RowsShown> {
    let total = rows.len();
    if let Some(limit) = paging.limit(ctx.format).filter(|_| ctx.format != Format::Json) {
        rows.truncate(limit);
    }
    Ok(RowsShown { shown: rows.len(), total, rows })
}

/// Rows cut by `--limit`, and how many there were.
struct RowsShown {
    rows: Vec<(Vec<String>, Value)>,
    shown: usize,
    total: usize,
}

impl RowsShown {
    fn print<T: Serialize>(self, ctx: &Ctx, document: &T, leading: &[&str]) -> anyhow::Result<()> {
        print_rows(ctx.format, document, leading, &self.rows, "no data")?;
        if ctx.format == Format::Table && self.shown < self.total {
            outln!("showing {} of {} rows (--limit 0 shows all)", self.shown, self.total);
        }
        Ok(())
    }
}

/// `analytics <metric> [--by-user]`.
pub(crate) async fn run(ctx: &Ctx, args: AnalyticsArgs) -> anyhow::Result<()> {
    let analytics = AnalyticsClient::new(ctx.client.clone());
    let q = query(&args);
    if args.by_user {
        return match args.metric {
            Metric::AgentEdits => by_user(ctx, &args.paging, analytics.agent_edits_by_user_merged(&q)).await,
            Metric::Tabs => by_user(ctx, &args.paging, analytics.tabs_by_user_merged(&q)).await,
            Metric::ClientVersions => by_user(ctx, &args.paging, analytics.client_versions_by_user_merged(&q)).await,
            Metric::Models => by_user(ctx, &args.paging, analytics.models_by_user_merged(&q)).await,
            Metric::TopFileExtensions => by_user(ctx, &args.paging, analytics.top_file_extensions_by_user_merged(&q)).await,
            Metric::Mcp => by_user(ctx, &args.paging, analytics.mcp_by_user_merged(&q)).await,
            Metric::Commands => by_user(ctx, &args.paging, analytics.commands_by_user_merged(&q)).await,
            Metric::Plans => by_user(ctx, &args.paging, analytics.plans_by_user_merged(&q)).await,
            Metric::AskMode => by_user(ctx, &args.paging, analytics.ask_mode_by_user_merged(&q)).await,
            Metric::Skills => by_user(ctx, &args.paging, analytics.skills_by_user_merged(&q)).await,
            Metric::Dau
            | Metric::Leaderboard
            | Metric::ConversationInsights
            | Metric::Bugbot
            | Metric::BugbotReviews => Err(UsageError(
                "dau, leaderboard, conversation-insights, bugbot and bugbot-reviews are team-level only: drop --by-user"
                    .into(),
            )
            .into()),
        };
    }
    match args.metric {
        Metric::AgentEdits => team(ctx, &args.paging, analytics.agent_edits(&q)).await,
        Metric::Tabs => team(ctx, &args.paging, analytics.tabs(&q)).await,
        Metric::Dau => team(ctx, &args.paging, analytics.dau(&q)).await,
        Metric::ClientVersions => team(ctx, &args.paging, analytics.client_versions(&q)).await,
        Metric::Models => team(ctx, &args.paging, analytics.models(&q)).await,
        Metric::TopFileExtensions => team(ctx, &args.paging, analytics.top_file_extensions(&q)).await,
        Metric::Mcp => team(ctx, &args.paging, analytics.mcp(&q)).await,
        Metric::Commands => team(ctx, &args.paging, analytics.commands(&q)).await,
        Metric::Plans => team(ctx, &args.paging, analytics.plans(&q)).await,
        Metric::AskMode => team(ctx, &args.paging, analytics.ask_mode(&q)).await,
        Metric::Leaderboard => leaderboard(ctx, analytics.leaderboard_page(&q).await?),
        Metric::Skills => team(ctx, &args.paging, analytics.skills(&q)).await,
        Metric::ConversationInsights => {
            let include: Vec<InsightSection> = args.include.iter().map(|s| InsightSection::from(s.trim())).collect();
            let insights = analytics.conversation_insights(&q, &include).await?;
            if ctx.json {
                return ctx.print(&insights);
            }
            let data = serde_json::to_value(&insights.data)?;
            let mut rows: Vec<(String, Value)> = Vec::new();
            for (section, buckets) in data.as_object().into_iter().flatten() {
                for bucket in buckets.as_array().into_iter().flatten() {
                    rows.push((section.clone(), bucket.clone()));
                }
            }
            if let Some(total) = insights.data.total_conversations {
                outln!("{total} conversations");
            }
            value_table(&["section"], rows.iter().map(|(section, row)| (vec![section.clone()], row)))
                .print("no data")?;
            Ok(())
        }
        Metric::Bugbot | Metric::BugbotReviews => {
            let mut bq = BugbotQuery::new();
            if let Some((start, end)) = dates(&args) {
                bq = bq.dates(start, end);
            }
            if let Some(repo) = &args.repo {
                bq = bq.repo(repo.clone());
            }
            if let Some(state) = &args.pr_state {
                bq = bq.pr_state(PrState::from(state.trim()));
            }
            if let Some(number) = args.pr_number {
                bq = bq.pr_number(number);
            }
            if let Some(dry_run) = args.dry_run {
                bq = bq.dry_run(dry_run);
            }
            if let Some(page) = args.paging.page {
                bq = bq.page(page);
            }
            if let Some(size) = args.paging.page_size {
                bq = bq.page_size(size);
            }
            let rows: Vec<Value> = if args.metric == Metric::Bugbot {
                let items: Vec<_> = futures_util::TryStreamExt::try_collect(analytics.bugbot(&bq)).await?;
                items.iter().map(serde_json::to_value).collect::<Result<_, _>>()?
            } else {
                let items: Vec<_> = futures_util::TryStreamExt::try_collect(analytics.bugbot_reviews(&bq)).await?;
                items.iter().map(serde_json::to_value).collect::<Result<_, _>>()?
            };
            let rows: Vec<(Vec<String>, Value)> = rows.into_iter().map(|row| (Vec::new(), row)).collect();
            let document = serde_json::json!({ "items": rows.iter().map(|(_, row)| row).collect::<Vec<_>>() });
            limited(ctx, &args.paging, rows)?.print(ctx, &document, &[])
        }
    }
}

async fn team<R: Serialize>(
    ctx: &Ctx,
    paging: &PageArgs,
    response: impl Future<Output = cursor_core::Result<TeamResponse<R>>>,
) -> anyhow::Result<()> {
    let response = response.await?;
    let rows = serde_json::to_value(&response.data)?;
    let rows: Vec<(Vec<String>, Value)> =
        rows.as_array().into_iter().flatten().map(|row| (Vec::new(), row.clone())).collect();
    limited(ctx, paging, rows)?.print(ctx, &response, &[])
}

async fn by_user<R: Serialize>(
    ctx: &Ctx,
    paging: &PageArgs,
    report: impl Future<Output = cursor_core::Result<ByUserReport<R>>>,
) -> anyhow::Result<()> {
    let report = report.await?;
    let mut rows: Vec<(Vec<String>, Value)> = Vec::new();
    for (email, user_rows) in &report.users {
        for row in user_rows {
            rows.push((vec![email.clone()], serde_json::to_value(row)?));
        }
    }
    limited(ctx, paging, rows)?.print(ctx, &report, &["email"])
}

/// The Tab and Agent leaderboards as two tables.
pub(crate) fn leaderboard_tables(board: &Leaderboard) -> anyhow::Result<(Table, Table)> {
    let tab = serde_json::to_value(board.data.tab_leaderboard.as_ref().map(|b| &b.data))?;
    let agent = serde_json::to_value(board.data.agent_leaderboard.as_ref().map(|b| &b.data))?;
    let table = |rows: &Value| {
        let rows = rows.as_array().map(Vec::as_slice).unwrap_or_default();
        value_table(&[], rows.iter().map(|row| (Vec::new(), row)))
    };
    Ok((table(&tab), table(&agent)))
}

fn leaderboard(ctx: &Ctx, board: Leaderboard) -> anyhow::Result<()> {
    if ctx.json {
        return ctx.print(&board);
    }
    let (tab, agent) = leaderboard_tables(&board)?;
    outln!("Tab leaderboard");
    tab.print("(empty)")?;
    outln!("\nAgent leaderboard");
    agent.print("(empty)")?;
    Ok(())
}
