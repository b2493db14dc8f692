//! `cursor-sync`: copies one or more Cursor teams' data into SQLite (embedded, the default) or
//! PostgreSQL, incrementally and exactly once.
//!
//! Each stream (members, audit events, daily usage, spend, usage events, AI-code commits and
//! changes, Analytics team metrics, agents) has one table whose primary key is the API's id
//! where there is one and otherwise an identity that never includes values the API may
//! restate later (see the README's schema section). Ranged streams read from their
//! watermark minus a trailing restatement window up to the run's "now", in chunks, and
//! commit each chunk's rows together with the new watermark in one transaction; rows are
//! upserted, so a run killed at any point and run again ends with exactly the rows of an
//! uninterrupted run. Streams of different rate-limit buckets run concurrently.
//!
//! On PostgreSQL, several processes or machines can share the work as a fleet: each runs
//! [`run_worker`], which leases one (team, stream) at a time through the database (see
//! [`Fleet`] and `docs/SCALE.md`), and a worker killed mid-stream is taken over from its
//! watermark.
//!
//! ```no_run
//! # async fn run() -> Result<(), cursor_sync::Error> {
//! let store = cursor_sync::Store::open("sqlite:cursor.db").await?;
//! let team = cursor_sync::Team::new("acme", cursor_core::Client::from_env()?);
//! let report = cursor_sync::sync(&store, &[team], &cursor_sync::SyncOptions::default()).await;
//! for stream in &report.streams {
//!     println!("{} {}: {} new", stream.team, stream.stream, stream.counts.inserted);
//! }
//! # Ok(()) }
//! ```

mod config;
mod fleet;
mod report;
mod store;
mod streams;

use std::time::Instant;

use cursor_core::Client;
use serde::Serialize;

pub use config::{TeamConfig, TeamsConfig};
pub use fleet::{Fleet, FleetOptions, Lease, run_worker};
pub use report::{DayUsage, DbReport, Spender};
pub use store::{Counts, Dialect, Store, TABLES, Table, Value};

/// Why a sync, a store or a config failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The API refused or failed a request.
    #[error(transparent)]
    Api(#[from] cursor_core::Error),
    /// The database failed.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// A schema migration failed.
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A row could not be encoded.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// The configuration or the database URL is unusable.
    #[error("{0}")]
    Config(String),
    /// The API answered pages that contradict each other.
    #[error("inconsistent pages: {0}")]
    Inconsistent(String),
    /// A fleet worker's lease on the stream expired and another worker took it: this
    /// worker stopped writing the stream (the new holder finishes it from its watermark).
    #[error("lost the lease on {team}/{stream}: another worker took it over")]
    LeaseLost {
        /// The team.
        team: String,
        /// The stream.
        stream: String,
    },
}

/// A stream: one kind of data, one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StreamKind {
    /// `GET /teams/members` (snapshot).
    Members,
    /// `GET /teams/audit-logs` (ranged).
    AuditEvents,
    /// `POST /teams/daily-usage-data` (ranged, restated).
    DailyUsage,
    /// `POST /teams/spend` (snapshot per billing cycle).
    Spend,
    /// `POST /teams/filtered-usage-events` (ranged, restated).
    UsageEvents,
    /// `GET /analytics/ai-code/commits` (ranged).
    AicodeCommits,
    /// `GET /analytics/ai-code/changes` (ranged).
    AicodeChanges,
    /// The ten daily team-level Analytics metrics (ranged).
    AnalyticsTeam,
    /// `GET /v0/agents` (snapshot).
    Agents,
}

impl StreamKind {
    /// Every stream.
    pub const ALL: [StreamKind; 9] = [
        StreamKind::Members,
        StreamKind::AuditEvents,
        StreamKind::DailyUsage,
        StreamKind::Spend,
        StreamKind::UsageEvents,
        StreamKind::AicodeCommits,
        StreamKind::AicodeChanges,
        StreamKind::AnalyticsTeam,
        StreamKind::Agents,
    ];

    /// The streams that share a rate-limit bucket run one after another, in this order;
    /// the groups run concurrently. AI Code Tracking limits each endpoint on its own.
    pub const BUCKETS: [&'static [StreamKind]; 5] = [
        &[
            StreamKind::Members,
            StreamKind::AuditEvents,
            StreamKind::DailyUsage,
            StreamKind::Spend,
            StreamKind::UsageEvents,
        ],
        &[StreamKind::AnalyticsTeam],
        &[StreamKind::AicodeCommits],
        &[StreamKind::AicodeChanges],
        &[StreamKind::Agents],
    ];

    /// The stream's name, as in `sync_state.stream` and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            StreamKind::Members => "members",
            StreamKind::AuditEvents => "audit_events",
            StreamKind::DailyUsage => "daily_usage",
            StreamKind::Spend => "spend",
            StreamKind::UsageEvents => "usage_events",
            StreamKind::AicodeCommits => "aicode_commits",
            StreamKind::AicodeChanges => "aicode_changes",
            StreamKind::AnalyticsTeam => "analytics_team",
            StreamKind::Agents => "agents",
        }
    }

    /// The stream named `name`.
    pub fn from_name(name: &str) -> Option<StreamKind> {
        StreamKind::ALL.into_iter().find(|k| k.name() == name.trim())
    }

    /// The table the stream writes.
    pub fn table(self) -> &'static Table {
        use streams::tables::*;
        match self {
            StreamKind::Members => &MEMBERS,
            StreamKind::AuditEvents => &AUDIT_EVENTS,
            StreamKind::DailyUsage => &DAILY_USAGE,
            StreamKind::Spend => &SPEND,
            StreamKind::UsageEvents => &USAGE_EVENTS,
            StreamKind::AicodeCommits => &AICODE_COMMITS,
            StreamKind::AicodeChanges => &AICODE_CHANGES,
            StreamKind::AnalyticsTeam => &ANALYTICS_TEAM,
            StreamKind::Agents => &AGENTS,
        }
    }

    /// Whether each run reads the whole current state (no watermark-driven range).
    pub fn is_snapshot(self) -> bool {
        matches!(self, StreamKind::Members | StreamKind::Spend | StreamKind::Agents)
    }

    /// The trailing window re-read before the watermark, in days.
    fn window_days(self, options: &SyncOptions) -> u32 {
        match self {
            StreamKind::UsageEvents | StreamKind::DailyUsage => options.restatement_days,
            _ => options.overlap_days,
        }
    }

    /// The longest chunk read and committed at once, in days: within every endpoint's
    /// longest range (30 days), and short enough that a crash loses little work.
    fn chunk_days(self) -> u32 {
        match self {
            StreamKind::AuditEvents | StreamKind::DailyUsage | StreamKind::AnalyticsTeam => 29,
            _ => 7,
        }
    }
}

/// How a sync runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncOptions {
    /// How far back the first run of a ranged stream reads, in days.
    pub backfill_days: u32,
    /// The trailing window re-read on every run for usage events and daily usage, whose
    /// costs and counts may be restated (default 3 days).
    pub restatement_days: u32,
    /// The trailing window re-read for the other ranged streams (audit events, AI code,
    /// Analytics), to catch late arrivals (default 1 day).
    pub overlap_days: u32,
    /// Which streams to run (default: all).
    pub streams: Vec<StreamKind>,
    /// Print a progress line per batch on stderr.
    pub progress: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            backfill_days: 90,
            restatement_days: 3,
            overlap_days: 1,
            streams: StreamKind::ALL.to_vec(),
            progress: false,
        }
    }
}

/// A team to sync: its name (stored in every row) and a client holding its key.
#[derive(Debug, Clone)]
pub struct Team {
    /// The name stored in every row's `team` column.
    pub name: String,
    /// The client, with the team's key.
    pub client: Client,
}

impl Team {
    /// A team named `name` read with `client`.
    pub fn new(name: impl Into<String>, client: Client) -> Self {
        Self { name: name.into(), client }
    }
}

/// What one stream of one team did.
#[derive(Debug, Clone, Serialize)]
pub struct StreamReport {
    /// The team.
    pub team: String,
    /// The stream.
    pub stream: &'static str,
    /// Rows inserted, updated and unchanged.
    #[serde(flatten)]
    pub counts: Counts,
    /// Requests sent (pages read; 304 revalidations included, retries not).
    pub requests: u64,
    /// Batches committed.
    pub batches: u64,
    /// Seconds the stream took.
    pub seconds: f64,
    /// Why it stopped, if it failed (the batches before stay committed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What a whole sync did.
#[derive(Debug, Clone, Serialize)]
pub struct SyncReport {
    /// One entry per team and stream.
    pub streams: Vec<StreamReport>,
    /// Seconds the whole sync took.
    pub seconds: f64,
}

impl SyncReport {
    /// Whether every stream finished.
    pub fn is_ok(&self) -> bool {
        self.streams.iter().all(|s| s.error.is_none())
    }

    /// The counts summed over every stream.
    pub fn totals(&self) -> Counts {
        let mut total = Counts::default();
        for s in &self.streams {
            total.add(s.counts);
        }
        total
    }
}

/// Syncs every team's selected streams into `store`. Streams of different rate-limit
/// buckets (and different teams) run concurrently; a failed stream is reported and does
/// not stop the others.
pub async fn sync(store: &Store, teams: &[Team], options: &SyncOptions) -> SyncReport {
    let started = Instant::now();
    let contexts: Vec<streams::TeamCtx<'_>> = teams.iter().map(|team| team_ctx(store, team, options, None)).collect();
    let mut groups = Vec::new();
    for ctx in &contexts {
        for bucket in StreamKind::BUCKETS {
            let kinds: Vec<StreamKind> = bucket.iter().copied().filter(|k| options.streams.contains(k)).collect();
            if !kinds.is_empty() {
                groups.push(run_group(ctx, kinds));
            }
        }
    }
    let streams = futures_util::future::join_all(groups).await.into_iter().flatten().collect();
    SyncReport { streams, seconds: started.elapsed().as_secs_f64() }
}

/// One team's clients and the run's "now" (the team client's clock), with the fleet lease
/// that guards its batches if any.
fn team_ctx<'a>(
    store: &'a Store,
    team: &'a Team,
    options: &'a SyncOptions,
    lease: Option<&'a Lease>,
) -> streams::TeamCtx<'a> {
    streams::TeamCtx {
        store,
        team: &team.name,
        admin: cursor_admin::AdminClient::new(team.client.clone()),
        analytics: cursor_analytics::AnalyticsClient::new(team.client.clone()),
        aicode: cursor_aicode::AiCodeClient::new(team.client.clone()),
        agents: cursor_agents::AgentsClient::new(team.client.clone()),
        client: team.client.clone(),
        now_ms: i64::try_from(team.client.now().unix_timestamp_nanos() / 1_000_000).unwrap_or(0),
        options,
        lease,
    }
}

async fn run_group(ctx: &streams::TeamCtx<'_>, kinds: Vec<StreamKind>) -> Vec<StreamReport> {
    let mut reports = Vec::new();
    for kind in kinds {
        reports.push(run_stream(ctx, kind, std::future::pending()).await);
    }
    reports
}

/// Runs one stream to the end, or until `abort` yields the reason to stop (a fleet
/// worker's heartbeat found its lease lost); the batches committed before stay.
async fn run_stream(
    ctx: &streams::TeamCtx<'_>,
    kind: StreamKind,
    abort: impl std::future::Future<Output = Error>,
) -> StreamReport {
    let started = Instant::now();
    let mut tally = streams::Tally::default();
    let result = tokio::select! {
        result = streams::run(ctx, kind, &mut tally) => result,
        reason = abort => Err(reason),
    };
    StreamReport {
        team: ctx.team.to_owned(),
        stream: kind.name(),
        counts: tally.counts,
        requests: tally.requests,
        batches: tally.batches,
        seconds: started.elapsed().as_secs_f64(),
        error: result.err().map(|e| e.to_string()),
    }
}
