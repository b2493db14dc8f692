//! `peer-curl`: every audit-log event and usage event over 90 days, with a bash + curl loop
//! that follows the API overview's backoff advice (1, 2, 4, 8, 16 s on a 429) and with the
//! SDK, against the simulator on a scaled clock (the script's delays and the SDK's rates scaled
//! alike): wall time, requests, 429s and items exported.

use std::path::Path;
use std::time::{Duration, Instant};

use cursor_admin::{AdminClient, AuditLogQuery, UsageEventsQuery};
use cursor_core::{Client, DateRange, DateSpec, Rate, RateLimits};
use cursor_mock::{MockConfig, MockServer, TEST_NOW};
use futures_util::TryStreamExt as _;
use serde_json::Value;

use crate::Settings;
use crate::report::{Figure, fmt};

/// A minute lasts 6 s: long enough that the simulator answers many requests within one window
/// (a usage-events page takes it tens of milliseconds), so the limit is what paces the export.
const SCALE: f64 = 10.0;
const DAYS: i64 = 90;

#[derive(Debug, Clone, Default)]
struct Side {
    wall: f64,
    requests: usize,
    too_many: usize,
    audit: u64,
    usage: u64,
    gave_up: bool,
}

impl Side {
    fn summary(&self) -> String {
        format!(
            "{} s, {} requests, {} 429s, {} audit events + {} usage events{}",
            fmt(self.wall),
            self.requests,
            self.too_many,
            self.audit,
            self.usage,
            if self.gave_up { ", gave up (max retries exceeded)" } else { "" }
        )
    }
}

fn count_journal(server: &MockServer, side: &mut Side) {
    let journal = server.journal();
    side.requests = journal.len();
    side.too_many = journal.iter().filter(|e| e.status == 429).count();
}

async fn sdk(server: &MockServer, key: &str) -> Result<Side, String> {
    let limits = RateLimits::default().set(
        cursor_admin::endpoints::ADMIN_BUCKET,
        vec![Rate { requests: 20, period: Duration::from_secs(60).div_f64(SCALE) }],
    );
    let client = Client::builder()
        .api_key(key)
        .base_url(server.base_url())
        .rate_limits(limits)
        .clock(|| TEST_NOW)
        .build()
        .map_err(|e| e.to_string())?;
    let admin = AdminClient::new(client);
    let now = cursor_core::dates::to_millis(TEST_NOW);
    let range = DateRange::new(DateSpec::EpochMillis(now - DAYS * 86_400_000), DateSpec::EpochMillis(now));
    server.clear_journal();
    let started = Instant::now();
    let audit: Vec<_> = admin
        .audit_logs(&AuditLogQuery::new().range(range).page_size(500))
        .try_collect()
        .await
        .map_err(|e| e.to_string())?;
    let usage: Vec<_> = admin
        .usage_events(&UsageEventsQuery::new().range(range).page_size(1000))
        .try_collect()
        .await
        .map_err(|e| e.to_string())?;
    let mut side = Side {
        wall: started.elapsed().as_secs_f64(),
        audit: audit.len() as u64,
        usage: usage.len() as u64,
        ..Side::default()
    };
    count_journal(server, &mut side);
    Ok(side)
}

async fn curl(server: &MockServer, script: &Path, key: &str, max_tries: u32) -> Result<Side, String> {
    let now = cursor_core::dates::to_millis(TEST_NOW);
    server.clear_journal();
    let started = Instant::now();
    let output = tokio::process::Command::new("bash")
        .arg(script)
        .env("BASE_URL", server.base_url())
        .env("API_KEY", key)
        .env("NOW_MS", now.to_string())
        .env("DAYS", DAYS.to_string())
        .env("SCALE", SCALE.to_string())
        .env("MAX_TRIES", max_tries.to_string())
        .output()
        .await
        .map_err(|e| format!("bash: {e}"))?;
    let wall = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().rev().find(|l| l.starts_with('{')).unwrap_or("{}");
    let report: Value = serde_json::from_str(line).map_err(|e| format!("peer_curl.sh printed {line:?}: {e}"))?;
    if report.get("requests").is_none() {
        return Err(format!("peer_curl.sh failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let mut side = Side {
        wall,
        audit: report["audit_items"].as_u64().unwrap_or(0),
        usage: report["usage_items"].as_u64().unwrap_or(0),
        gave_up: report["gave_up"].as_bool().unwrap_or(false),
        ..Side::default()
    };
    count_journal(server, &mut side);
    Ok(side)
}

/// The `peer-curl/*` figures.
pub async fn figures(settings: &Settings) -> Result<(Vec<Figure>, Vec<String>), String> {
    let script = settings.script("peer_curl.sh")?;
    let server =
        MockServer::start(MockConfig { time_scale: SCALE, fixed_now: Some(TEST_NOW), ..MockConfig::default() })
            .await
            .map_err(|e| format!("simulator: {e}"))?;
    let (mut ours, mut documented, mut patient) = (Vec::new(), Vec::new(), Vec::new());
    for repeat in 0..settings.repeats(3) {
        let s = sdk(&server, &format!("key_bench_curl_sdk_{repeat}")).await?;
        eprintln!("  peer-curl run {} sdk: {}", repeat + 1, s.summary());
        let d = curl(&server, &script, &format!("key_bench_curl_doc_{repeat}"), 5).await?;
        eprintln!("  peer-curl run {} curl (5 tries): {}", repeat + 1, d.summary());
        let p = curl(&server, &script, &format!("key_bench_curl_patient_{repeat}"), 0).await?;
        eprintln!("  peer-curl run {} curl (never gives up): {}", repeat + 1, p.summary());
        ours.push(s);
        documented.push(d);
        patient.push(p);
    }
    server.shutdown().await;
    let describe = |sides: &[Side]| sides.iter().map(Side::summary).collect::<Vec<_>>().join("; ");
    let expected = ours.first().map(|s| s.audit + s.usage).unwrap_or(0);
    let what = format!(
        "Every audit-log event and usage event over {DAYS} days, against the simulator at {SCALE}× time (Admin \
         bucket, 20 requests a minute, so a minute lasts {} s): the SDK (`audit_logs`, 500 a page in \
         30-day windows, then `usage_events`, 1000 a page, its Admin rate given per scaled minute) ÷ a \
         bash + curl loop (`crates/cursor-bench/scripts/peer_curl.sh`) doing the same requests with the API \
         overview's advice on a 429 (wait 1, 2, 4, 8, 16 s, scaled alike).",
        fmt(60.0 / SCALE)
    );
    let mut figures = Vec::new();
    for (peer, name, how) in [
        (&documented, "peer-curl/as-documented", "at most 5 tries per request, as the advice's `max_retries=5`"),
        (&patient, "peer-curl/never-gives-up", "never giving up (16 s between tries after the fifth)"),
    ] {
        let values: Vec<f64> = ours.iter().map(|s| s.wall).collect();
        let baselines: Vec<f64> = peer.iter().map(|s| s.wall).collect();
        let mut figure = Figure {
            name: name.into(),
            what: format!("{what} This curl loop: {how}."),
            unit: "s".into(),
            ratios: values.iter().zip(&baselines).map(|(v, b)| v / b.max(f64::EPSILON)).collect(),
            values,
            baselines,
            baseline_is: "the curl loop's wall time in the same run".into(),
            target: "—".into(),
            ..Figure::default()
        };
        figure.details.push(format!("SDK per run: {}", describe(&ours)));
        figure.details.push(format!("curl per run: {}", describe(peer)));
        let complete = peer.iter().filter(|p| !p.gave_up && p.audit + p.usage == expected).count();
        figure.details.push(format!("curl exported every item ({expected}) in {complete} of {} runs", peer.len()));
        figures.push(figure);
    }
    let notes = vec![format!(
        "peer-curl: the documented backoff sums to 31 s over five tries, less than the one-minute window of \
         a bucket that is full, so a loop that follows it literally can give up mid-export; see \
         `peer-curl/as-documented` ({} of {} runs gave up).",
        documented.iter().filter(|d| d.gave_up).count(),
        documented.len()
    )];
    Ok((figures, notes))
}
