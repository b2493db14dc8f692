//! `cursor report`: a one-screen team report that reads every API family except Bugbot (which
//! only has writes), fetching the sections concurrently.

use std::collections::BTreeMap;

use cursor_admin::{AdminClient, SortDirection, SpendQuery, SpendSortBy};
use cursor_agents::{AgentsClient, ListAgents};
use cursor_aicode::{AiCodeClient, AiCodeQuery};
use cursor_analytics::{AgentLeaderboardEntry, AnalyticsClient, AnalyticsQuery, DauRow, TabLeaderboardEntry};
use cursor_core::DateRange;
use futures_util::{StreamExt as _, TryStreamExt as _};
use serde::Serialize;

use super::Ctx;
use super::admin::{DayTotals, day_totals_table, totals_per_day};
use crate::output::{Table, dollars, outln, percent, print_json};

/// How many days the usage, analytics and AI-code sections cover.
const DAYS: u32 = 7;
/// How many top spenders and leaders are shown.
const TOP: usize = 5;

/// The whole report (also its `--json` form).
#[derive(Debug, Serialize)]
struct Report {
    members: Members,
    top_spenders: Vec<Spender>,
    daily_usage: BTreeMap<String, DayTotals>,
    dau: Vec<DauRow>,
    tab_leaderboard: Vec<TabLeaderboardEntry>,
    agent_leaderboard: Vec<AgentLeaderboardEntry>,
    ai_code: AiCode,
    cloud_agents: CloudAgents,
}

#[derive(Debug, Serialize)]
struct Members {
    total: usize,
    by_role: BTreeMap<String, usize>,
}

#[derive(Debug, Serialize)]
struct Spender {
    name: String,
    email: String,
    spend_cents: f64,
}

#[derive(Debug, Default, Serialize)]
struct AiCode {
    commits: u64,
    lines_added: u64,
    ai_lines_added: u64,
}

#[derive(Debug, Serialize)]
struct CloudAgents {
    api_key_name: String,
    user_email: Option<String>,
    agents: usize,
}

async fn members(admin: &AdminClient) -> anyhow::Result<Members> {
    let members = admin.members().await?;
    let mut by_role = BTreeMap::new();
    for member in &members.team_members {
        *by_role.entry(member.role.to_string()).or_default() += 1;
    }
    Ok(Members { total: members.team_members.len(), by_role })
}

async fn top_spenders(admin: &AdminClient) -> anyhow::Result<Vec<Spender>> {
    let query = SpendQuery::new().sort_by(SpendSortBy::Amount).sort_direction(SortDirection::Desc);
    let spend: Vec<_> = admin.spend_stream(&query).take(TOP).try_collect().await?;
    Ok(spend
        .into_iter()
        .map(|m| Spender { name: m.name.unwrap_or_default(), email: m.email, spend_cents: m.spend_cents })
        .collect())
}

async fn ai_code(aicode: &AiCodeClient) -> anyhow::Result<AiCode> {
    let query = AiCodeQuery::new().range(DateRange::last_days(DAYS)).page_size(cursor_aicode::MAX_PAGE_SIZE);
    let mut commits = aicode.commits(&query);
    let mut totals = AiCode::default();
    while let Some(commit) = commits.try_next().await? {
        totals.commits += 1;
        totals.lines_added += commit.total_lines_added.unwrap_or(0);
        totals.ai_lines_added += commit.tab_lines_added.unwrap_or(0) + commit.composer_lines_added.unwrap_or(0);
    }
    Ok(totals)
}

async fn cloud_agents(agents: &AgentsClient) -> anyhow::Result<CloudAgents> {
    let (me, count) = tokio::try_join!(
        agents.me(),
        agents.list(&ListAgents::default().limit(100)).try_fold(0, |n, _| async move { Ok(n + 1) })
    )?;
    Ok(CloudAgents { api_key_name: me.api_key_name, user_email: me.user_email, agents: count })
}

async fn gather(ctx: &Ctx) -> anyhow::Result<Report> {
    let admin = AdminClient::new(ctx.client.clone());
    let analytics = AnalyticsClient::new(ctx.client.clone());
    let aicode = AiCodeClient::new(ctx.client.clone());
    let agents = AgentsClient::new(ctx.client.clone());
    let last_days = AnalyticsQuery::new().last_days(DAYS);
    let leaders = last_days.clone().page_size(TOP as u32);
    let usage_range = DateRange::last_days(DAYS);
    let (members, top_spenders, usage, dau, board, ai_code, cloud_agents) = tokio::try_join!(
        members(&admin),
        top_spenders(&admin),
        async { Ok(admin.daily_usage(&usage_range).await?) },
        async { Ok(analytics.dau(&last_days).await?) },
        async { Ok(analytics.leaderboard(&leaders).await?) },
        ai_code(&aicode),
        cloud_agents(&agents),
    )?;
    let mut tab_leaderboard = board.data.tab_leaderboard.map(|b| b.data).unwrap_or_default();
    let mut agent_leaderboard = board.data.agent_leaderboard.map(|b| b.data).unwrap_or_default();
    tab_leaderboard.truncate(TOP);
    agent_leaderboard.truncate(TOP);
    Ok(Report {
        members,
        top_spenders,
        daily_usage: totals_per_day(&usage.data),
        dau: dau.data,
        tab_leaderboard,
        agent_leaderboard,
        ai_code,
        cloud_agents,
    })
}

/// Runs the report and prints it.
pub(crate) async fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let report = gather(ctx).await?;
    if ctx.json {
        return print_json(&report);
    }
    outln!("{}", render(&report).trim_end());
    Ok(())
}

fn opt<T: ToString>(value: &Option<T>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn render(report: &Report) -> String {
    let mut out = String::new();
    let roles: Vec<String> = report.members.by_role.iter().map(|(role, n)| format!("{n} {role}")).collect();
    out += &format!("== Members: {} ({})\n\n", report.members.total, roles.join(", "));

    out += "== Top spenders this month\n";
    let mut table = Table::new(["NAME", "EMAIL", "SPEND"]);
    for s in &report.top_spenders {
        table.row([s.name.clone(), s.email.clone(), dollars(s.spend_cents)]);
    }
    out += &or_none(&table);

    out += &format!("\n== Daily usage, last {DAYS} days\n");
    out += &or_none(&day_totals_table(&report.daily_usage));

    out += &format!("\n== Daily active users, last {DAYS} days\n");
    let mut table = Table::new(["DATE", "DAU", "CLI", "CLOUD AGENTS", "BUGBOT"]);
    for day in &report.dau {
        table.row([opt(&day.date), opt(&day.dau), opt(&day.cli_dau), opt(&day.cloud_agent_dau), opt(&day.bugbot_dau)]);
    }
    out += &or_none(&table);

    out += &format!("\n== Tab leaderboard, last {DAYS} days\n");
    let mut table = Table::new(["RANK", "EMAIL", "LINES ACCEPTED", "ACCEPT RATIO"]);
    for e in &report.tab_leaderboard {
        let ratio = e.accept_ratio.map(|r| format!("{:.0}%", r * 100.0)).unwrap_or_default();
        table.row([opt(&e.rank), opt(&e.email), opt(&e.total_lines_accepted), ratio]);
    }
    out += &or_none(&table);

    out += &format!("\n== Agent leaderboard, last {DAYS} days\n");
    let mut table = Table::new(["RANK", "EMAIL", "LINES ACCEPTED", "FAVORITE MODEL"]);
    for e in &report.agent_leaderboard {
        table.row([opt(&e.rank), opt(&e.email), opt(&e.total_lines_accepted), opt(&e.favorite_model)]);
    }
    out += &or_none(&table);

    let ai = &report.ai_code;
    out += &format!("\n== AI code, last {DAYS} days\n");
    out += &format!(
        "{} commits, {} lines added, {} by AI (Tab + Composer): {} AI share\n",
        ai.commits,
        ai.lines_added,
        ai.ai_lines_added,
        percent(ai.ai_lines_added, ai.lines_added)
    );

    let agents = &report.cloud_agents;
    out += "\n== Cloud Agents\n";
    let who = agents.user_email.as_deref().map(|e| format!(" ({e})")).unwrap_or_default();
    out += &format!("API key: {}{who}; {} agents\n", agents.api_key_name, agents.agents);
    out
}

fn or_none(table: &Table) -> String {
    if table.is_empty() { "(none)\n".to_owned() } else { table.render() }
}
