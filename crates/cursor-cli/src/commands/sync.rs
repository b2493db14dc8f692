//! `cursor sync`: copies one or more teams' data into SQLite or PostgreSQL (cursor-sync), and
//! `cursor report --db`: the team report read from that database instead of the API.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use cursor_core::Client;
use cursor_sync::{DbReport, FleetOptions, Store, StreamKind, SyncOptions, SyncReport, Team, TeamsConfig};

pub(crate) use super::report::ReportArgs;
use super::{Ctx, UsageError, interactive_retries};
use crate::cli::{Cli, Command};
use crate::output::{Table, dollars, outln, print_json, time_of_millis};

/// `sync` arguments.
#[derive(Args)]
pub(crate) struct SyncArgs {
    /// The database: `sqlite:FILE` (embedded, created when missing) or `postgres://USER@HOST:PORT/DB`.
    #[arg(long, env = "CURSOR_SYNC_DB", default_value = "sqlite:cursor.db")]
    pub(crate) db: String,
    /// A JSON file listing several teams: {"teams":[{"name":"acme","keyEnv":"ACME_CURSOR_API_KEY"}]}.
    /// Without it, one team is synced with --api-key (or CURSOR_API_KEY).
    #[arg(long)]
    pub(crate) teams: Option<PathBuf>,
    /// The team name stored in every row when no --teams file is given.
    #[arg(long, default_value = "default")]
    pub(crate) team: String,
    /// Streams to sync, comma-separated [default: all]: members, audit_events, daily_usage,
    /// spend, usage_events, aicode_commits, aicode_changes, analytics_team, agents.
    #[arg(long, value_delimiter = ',')]
    pub(crate) streams: Vec<String>,
    /// Days the first run of a ranged stream reads.
    #[arg(long, default_value_t = 90)]
    pub(crate) backfill_days: u32,
    /// Trailing days re-read every run for usage events and daily usage (restated costs).
    #[arg(long, default_value_t = 3)]
    pub(crate) restatement_days: u32,
    /// Trailing days re-read every run for audit events, AI code and Analytics (late arrivals).
    #[arg(long, default_value_t = 1)]
    pub(crate) overlap_days: u32,
    /// Join a sync fleet: share the teams' streams with every other `cursor sync --fleet`
    /// process (on this machine or others) using the same --db postgres://… and --teams file.
    /// Each stream of each team is leased to one worker at a time; a worker that dies loses
    /// its leases and another finishes its streams from their watermarks. The worker exits
    /// when every stream of its teams was synced within --fresh-seconds. PostgreSQL only.
    #[arg(long)]
    pub(crate) fleet: bool,
    /// With --fleet: seconds a lease lasts without renewal (a dead worker's streams are
    /// taken over this long after its last renewal).
    #[arg(long, default_value_t = 60.0, requires = "fleet")]
    pub(crate) lease_seconds: f64,
    /// With --fleet: seconds between lease renewals [default: a tenth of --lease-seconds].
    #[arg(long, requires = "fleet")]
    pub(crate) heartbeat_seconds: Option<f64>,
    /// With --fleet: a stream synced less than this many seconds ago is skipped.
    #[arg(long, default_value_t = 900.0, requires = "fleet")]
    pub(crate) fresh_seconds: f64,
    /// With --fleet: streams this worker runs at once.
    #[arg(long, default_value_t = 4, requires = "fleet")]
    pub(crate) units_at_once: usize,
    /// With --fleet: this worker's id in the leases table [default: HOST:PID:START].
    #[arg(long, requires = "fleet")]
    pub(crate) worker_id: Option<String>,
}

fn options(args: &SyncArgs) -> anyhow::Result<SyncOptions> {
    let mut streams = Vec::new();
    for name in args.streams.iter().filter(|n| !n.trim().is_empty()) {
        let kind = StreamKind::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = StreamKind::ALL.iter().map(|k| k.name()).collect();
            UsageError(format!("unknown stream `{name}`: use one of {}", names.join(", ")))
        })?;
        if !streams.contains(&kind) {
            streams.push(kind);
        }
    }
    Ok(SyncOptions {
        backfill_days: args.backfill_days,
        restatement_days: args.restatement_days,
        overlap_days: args.overlap_days,
        streams: if streams.is_empty() { StreamKind::ALL.to_vec() } else { streams },
        progress: std::io::stderr().is_terminal(),
    })
}

fn fleet_options(args: &SyncArgs) -> anyhow::Result<FleetOptions> {
    let seconds = |name: &str, value: f64| {
        Duration::try_from_secs_f64(value)
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| UsageError(format!("--{name} must be a positive number of seconds")))
    };
    let lease = seconds("lease-seconds", args.lease_seconds)?;
    let heartbeat = match args.heartbeat_seconds {
        Some(value) => seconds("heartbeat-seconds", value)?,
        None => lease / 10,
    };
    if heartbeat >= lease {
        return Err(UsageError("--heartbeat-seconds must be shorter than --lease-seconds".into()).into());
    }
    if args.units_at_once == 0 {
        return Err(UsageError("--units-at-once must be at least 1".into()).into());
    }
    Ok(FleetOptions {
        worker: args.worker_id.clone().unwrap_or_else(FleetOptions::default_worker_id),
        lease,
        heartbeat,
        fresh_for: Duration::try_from_secs_f64(args.fresh_seconds)
            .map_err(|_| UsageError("--fresh-seconds must be a number of seconds".into()))?,
        units_at_once: args.units_at_once,
    })
}

async fn open(db: &str) -> anyhow::Result<Store> {
    Store::open(db).await.map_err(|e| match e {
        cursor_sync::Error::Config(message) => UsageError(message).into(),
        other => anyhow::Error::new(other).context("could not open the database"),
    })
}

/// Runs what needs no single API client: `sync --teams` (a client per team) and
/// `report --db` (no API at all). `None` when the command needs the usual client.
pub(crate) async fn run_without_client(cli: &Cli) -> Option<anyhow::Result<()>> {
    match &cli.command {
        Command::Report(ReportArgs { db: Some(db), team, days, .. }) => {
            Some(report(db, team.as_deref(), *days, cli.json).await)
        }
        Command::Sync(args) if args.teams.is_some() && !cli.mock => Some(sync_teams(args, cli.json).await),
        _ => None,
    }
}

async fn sync_teams(args: &SyncArgs, json: bool) -> anyhow::Result<()> {
    let path = args.teams.as_deref().unwrap_or_else(|| std::path::Path::new(""));
    let config = TeamsConfig::load(path).map_err(|e| UsageError(e.to_string()))?;
    let mut teams = Vec::new();
    for team in config.teams {
        let key = std::env::var(&team.key_env).ok().filter(|k| !k.trim().is_empty()).ok_or_else(|| {
            UsageError(format!("team `{}`: the environment variable {} holds no API key", team.name, team.key_env))
        })?;
        let mut builder = Client::builder().api_key(key).retry_policy(interactive_retries());
        if let Some(url) = team.base_url.filter(|u| !u.trim().is_empty()) {
            builder = builder.base_url(url);
        }
        teams.push(Team::new(team.name, builder.build()?));
    }
    sync_into(args, &teams, json).await
}

/// `cursor sync` with the one client of the command line (or of `--mock`).
pub(crate) async fn run(ctx: &Ctx, args: &SyncArgs) -> anyhow::Result<()> {
    if args.teams.is_some() {
        // Only reached with --mock: the simulator accepts its own session key only.
        return Err(UsageError("--teams cannot be used with --mock: the simulator serves one team".into()).into());
    }
    sync_into(args, &[Team::new(args.team.clone(), ctx.client.clone())], ctx.json).await
}

async fn sync_into(args: &SyncArgs, teams: &[Team], json: bool) -> anyhow::Result<()> {
    let options = options(args)?;
    let store = open(&args.db).await?;
    let report = if args.fleet {
        let fleet = fleet_options(args)?;
        let report = cursor_sync::run_worker(&store, teams, &options, &fleet).await;
        store.close().await;
        report.map_err(|e| match e {
            cursor_sync::Error::Config(message) => anyhow::Error::new(UsageError(message)),
            other => anyhow::Error::new(other).context("the fleet worker stopped"),
        })?
    } else {
        let report = cursor_sync::sync(&store, teams, &options).await;
        store.close().await;
        report
    };
    if json {
        print_json(&report)?;
    } else {
        print_summary(&report)?;
    }
    let failed: Vec<String> = report
        .streams
        .iter()
        .filter_map(|s| s.error.as_ref().map(|e| format!("{}/{}: {e}", s.team, s.stream)))
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(anyhow::anyhow!(
            "{} stream(s) failed (their committed batches are kept; run again to resume):\n  {}",
            failed.len(),
            failed.join("\n  ")
        ))
    }
}

fn print_summary(report: &SyncReport) -> anyhow::Result<()> {
    let mut table = Table::new(["TEAM", "STREAM", "INSERTED", "UPDATED", "UNCHANGED", "REQUESTS", "SECONDS", "STATUS"]);
    for s in &report.streams {
        table.row([
            s.team.clone(),
            s.stream.to_owned(),
            s.counts.inserted.to_string(),
            s.counts.updated.to_string(),
            s.counts.unchanged.to_string(),
            s.requests.to_string(),
            format!("{:.1}", s.seconds),
            if s.error.is_some() { "failed".to_owned() } else { "ok".to_owned() },
        ]);
    }
    outln!("{}", table.render().trim_end());
    let t = report.totals();
    let requests: u64 = report.streams.iter().map(|s| s.requests).sum();
    outln!(
        "{} inserted, {} updated, {} unchanged; {requests} requests in {:.1} s",
        t.inserted,
        t.updated,
        t.unchanged,
        report.seconds
    );
    Ok(())
}

async fn report(db: &str, team: Option<&str>, days: u32, json: bool) -> anyhow::Result<()> {
    let store = open(db).await?;
    let team = match team {
        Some(team) => team.to_owned(),
        None => store.teams().await?.into_iter().next().ok_or_else(|| {
            UsageError(format!("the database {db} holds no synced team: run `cursor sync --db {db}` first"))
        })?,
    };
    let now_ms = i64::try_from(time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
    // The report covers the `days` days up to the newest synced usage, so an old database
    // still shows its last week rather than an empty one.
    let newest = store.watermark(&team, StreamKind::UsageEvents.name()).await?.unwrap_or(now_ms);
    let report = DbReport::load(&store, &team, newest.min(now_ms), days).await?;
    store.close().await;
    if json {
        return print_json(&report);
    }
    outln!("{}", render(&report, days).trim_end());
    Ok(())
}

fn render(r: &DbReport, days: u32) -> String {
    let mut out = String::new();
    let roles: Vec<String> = r.members_by_role.iter().map(|(role, n)| format!("{n} {role}")).collect();
    out += &format!("== Team {} (from the database)\n\n== Members: {} ({})\n\n", r.team, r.members, roles.join(", "));
    out += "== Top spenders this billing cycle\n";
    let mut table = Table::new(["NAME", "EMAIL", "SPEND"]);
    for s in &r.top_spenders {
        table.row([s.name.clone().unwrap_or_default(), s.email.clone(), dollars(s.spend_cents)]);
    }
    out += &or_none(&table);
    out += &format!("\n== Usage, last {days} days\n");
    let mut table = Table::new(["DATE", "EVENTS", "COST", "ACTIVE", "DAU", "LINES ADDED", "AI LINES", "TABS ACCEPTED"]);
    for (day, d) in &r.days {
        table.row([
            day.clone(),
            d.events.to_string(),
            dollars(d.cents),
            d.active_members.to_string(),
            d.dau.map(|n| n.to_string()).unwrap_or_default(),
            d.lines_added.to_string(),
            d.accepted_lines_added.to_string(),
            d.tabs_accepted.to_string(),
        ]);
    }
    out += &or_none(&table);
    out += &format!(
        "\n== AI code, last {days} days\n{} commits, {} lines added, {} by AI (Tab + Composer)\n",
        r.commits, r.commit_lines_added, r.commit_ai_lines_added
    );
    let agents: Vec<String> = r.agents_by_status.iter().map(|(s, n)| format!("{n} {s}")).collect();
    out += &format!("\n== Cloud Agents\n{}\n", if agents.is_empty() { "(none)".to_owned() } else { agents.join(", ") });
    out += "\n== Synced up to\n";
    let mut table = Table::new(["STREAM", "WATERMARK (UTC)"]);
    for (stream, ms) in &r.watermarks {
        table.row([stream.clone(), time_of_millis(*ms)]);
    }
    out += &or_none(&table);
    out
}

fn or_none(table: &Table) -> String {
    if table.is_empty() { "(none)\n".to_owned() } else { table.render() }
}
