//! `sync/first`, `sync/no-change`: `cursor_sync::sync` of the simulator's default team into
//! SQLite at the documented rate limits, in real time: the first sync's wall time ÷ the
//! least time the documented limits allow for its requests, and a second, no-change sync's
//! requests and time.

use std::time::{Duration, Instant};

use cursor_core::Client;
use cursor_mock::{MockConfig, MockServer, TEST_NOW};
use cursor_sync::{Store, SyncOptions, SyncReport, Team};

use crate::Settings;
use crate::report::Figure;

/// Each stream's documented rate (requests a minute of its bucket); streams of one bucket
/// share it.
const BUCKETS: [(&str, &[&str], f64); 6] = [
    ("Admin", &["members", "audit_events", "daily_usage", "spend"], 20.0),
    ("usage events", &["usage_events"], 60.0),
    ("Analytics team", &["analytics_team"], 100.0),
    ("AI-code commits", &["aicode_commits"], 20.0),
    ("AI-code changes", &["aicode_changes"], 20.0),
    ("Cloud Agents", &["agents"], 60.0),
];

/// The least wall time the documented limits allow for the report's requests if each
/// bucket's requests were spread at its sustained rate (requests ÷ rate, the slowest bucket),
/// with that bucket's name.
fn rate_limit_minimum(report: &SyncReport) -> (Duration, &'static str) {
    let mut slowest = (Duration::ZERO, "none");
    for (bucket, streams, per_minute) in BUCKETS {
        let requests: u64 = report.streams.iter().filter(|s| streams.contains(&s.stream)).map(|s| s.requests).sum();
        let minimum = Duration::from_secs_f64(60.0 * requests as f64 / per_minute);
        if minimum > slowest.0 {
            slowest = (minimum, bucket);
        }
    }
    slowest
}

fn failures(report: &SyncReport) -> Result<(), String> {
    match report.streams.iter().find(|s| s.error.is_some()) {
        Some(s) => Err(format!("{}: {}", s.stream, s.error.clone().unwrap_or_default())),
        None => Ok(()),
    }
}

fn rows(report: &SyncReport) -> u64 {
    let t = report.totals();
    t.inserted + t.updated + t.unchanged
}

/// One first sync and one no-change sync into a fresh database; answers (first seconds,
/// first report, no-change seconds, no-change report, 429s seen).
async fn once(repeat: usize) -> Result<(f64, SyncReport, f64, SyncReport, usize), String> {
    let server = MockServer::start(MockConfig { fixed_now: Some(TEST_NOW), ..MockConfig::default() })
        .await
        .map_err(|e| format!("simulator: {e}"))?;
    let client = Client::builder()
        .api_key(format!("key_bench_sync_{repeat}"))
        .base_url(server.base_url())
        .clock(|| TEST_NOW)
        .build()
        .map_err(|e| e.to_string())?;
    let dir = std::env::temp_dir().join(format!("cursor-bench-sync-{}-{repeat}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let result = async {
        let store =
            Store::open(&format!("sqlite:{}", dir.join("sync.db").display())).await.map_err(|e| e.to_string())?;
        let teams = [Team::new("bench", client)];
        let options = SyncOptions::default();
        let started = Instant::now();
        let first = cursor_sync::sync(&store, &teams, &options).await;
        let first_seconds = started.elapsed().as_secs_f64();
        failures(&first)?;
        let started = Instant::now();
        let again = cursor_sync::sync(&store, &teams, &options).await;
        let again_seconds = started.elapsed().as_secs_f64();
        failures(&again)?;
        store.close().await;
        let refused = server.journal().iter().filter(|e| e.status == 429).count();
        Ok((first_seconds, first, again_seconds, again, refused))
    }
    .await;
    server.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// The `sync` figures.
pub async fn figures(settings: &Settings) -> Result<Vec<Figure>, String> {
    let mut first = Figure {
        name: "sync/first".into(),
        what: "A first `cursor_sync::sync` (every stream, 90 days of backfill) of the simulator's default team \
               (210 members, real time, the documented rate limits on both sides) into a fresh SQLite file, wall \
               time ÷ the least time the documented limits allow for its requests (each bucket's requests at its \
               sustained rate, the slowest bucket). Below 1: the limiter spends each window's budget at once, and \
               the sync waits for none."
            .into(),
        unit: "s".into(),
        baseline_is: "the rate-limit minimum of the same run's requests".into(),
        target: "≤ 1.05, no 429".into(),
        ..Figure::default()
    };
    let mut again = Figure {
        name: "sync/no-change".into(),
        what: "A second sync right after the first, nothing changed upstream: requests made ÷ the first sync's \
               requests (only the trailing windows and the snapshots are read again)."
            .into(),
        unit: "requests".into(),
        baseline_is: "the first sync's requests".into(),
        target: "—".into(),
        ..Figure::default()
    };
    let mut refused_total = 0;
    for repeat in 0..settings.repeats(3) {
        let (first_seconds, first_report, again_seconds, again_report, refused) = once(repeat).await?;
        refused_total += refused;
        let (minimum, bucket) = rate_limit_minimum(&first_report);
        let first_requests: u64 = first_report.streams.iter().map(|s| s.requests).sum();
        let again_requests: u64 = again_report.streams.iter().map(|s| s.requests).sum();
        first.values.push(first_seconds);
        first.baselines.push(minimum.as_secs_f64());
        first.ratios.push(first_seconds / minimum.as_secs_f64().max(f64::EPSILON));
        first.details.push(format!(
            "run {}: {first_requests} requests, {} rows in {first_seconds:.2} s; the slowest bucket ({bucket}) \
             allows them in {:.1} s; {refused} 429s",
            repeat + 1,
            rows(&first_report),
            minimum.as_secs_f64()
        ));
        again.values.push(again_requests as f64);
        again.baselines.push(first_requests as f64);
        again.ratios.push(again_requests as f64 / (first_requests as f64).max(1.0));
        again.details.push(format!(
            "run {}: {again_requests} requests in {again_seconds:.2} s; {} rows read again, {} inserted, {} updated",
            repeat + 1,
            rows(&again_report),
            again_report.totals().inserted,
            again_report.totals().updated
        ));
    }
    first.met = Some(first.ratio() <= 1.05 && refused_total == 0);
    first.miss = Some(
        "Cause: the client's limiter held a stream back for most of a minute although its bucket's requests \
         fit one window (on 2026-12-02, `cursor sync --json` against `cursor-mock` at the documented limits \
         showed `spend`, 3 requests after the Admin bucket's 12, taking 55 s of the 68 s), and the rows cost a \
         few seconds of database work. Plan: find which bucket the limiter charges for `POST /teams/spend` and \
         why it waits (`cargo test -p cursor-core` on the limiter with the sync's request sequence)."
            .into(),
    );
    Ok(vec![first, again])
}
