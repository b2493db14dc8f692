//! `decode`: MB/s of the SDK's JSON decoding (`cursor_core::decode_json`) of a 1,000-commit
//! AI-code page and a 1,000-event usage page into the SDK's models ÷ `serde_json::from_slice`
//! into the same types. The bodies come from the simulator.

use std::time::Instant;

use crate::measure::thread_cpu;

use cursor_admin::UsageEventsPage;
use cursor_aicode::CommitsPage;
use cursor_mock::{MockConfig, MockServer};
use serde::de::DeserializeOwned;

use crate::Settings;
use crate::report::{Figure, fmt};

async fn body(request: reqwest::RequestBuilder) -> Result<bytes::Bytes, String> {
    request
        .basic_auth("key_bench_decode", Some(""))
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| e.to_string())?
        .bytes()
        .await
        .map_err(|e| e.to_string())
}

/// Decodes `body` with `a` and with `b`, `rounds` times each, in interleaved slices so that a
/// change of the machine's load meanwhile falls on both alike; returns MB per CPU-second of
/// this thread for each (CPU time, not wall time: other processes taking the core do not count).
fn interleaved<A, B>(body: &[u8], rounds: usize, a: impl Fn(&[u8]) -> A, b: impl Fn(&[u8]) -> B) -> (f64, f64) {
    const SLICES: usize = 10;
    let per_slice = rounds.div_ceil(SLICES);
    let (mut time_a, mut time_b) = (0.0, 0.0);
    for slice in 0..SLICES {
        for first in [slice % 2 == 0, slice % 2 == 1] {
            let started = thread_cpu();
            for _ in 0..per_slice {
                if first {
                    std::hint::black_box(a(std::hint::black_box(body)));
                } else {
                    std::hint::black_box(b(std::hint::black_box(body)));
                }
            }
            let spent = thread_cpu() - started;
            if first { time_a += spent } else { time_b += spent }
        }
    }
    let megabytes = (body.len() * per_slice * SLICES) as f64 / 1e6;
    (megabytes / time_a.max(1e-9), megabytes / time_b.max(1e-9))
}

fn figure<T: DeserializeOwned>(
    settings: &Settings,
    name: &str,
    what: String,
    body: &[u8],
    count: impl Fn(&T) -> usize,
) -> Result<Figure, String> {
    let decoded: T = cursor_core::decode_json("bench.decode", body).map_err(|e| e.to_string())?;
    if count(&decoded) != 1_000 {
        return Err(format!("{name}: the page holds {} items, not 1,000", count(&decoded)));
    }
    // About half a second per measurement and side.
    let started = Instant::now();
    let _: T = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let rounds = ((0.5 / started.elapsed().as_secs_f64().max(1e-6)) as usize).clamp(3, 10_000);
    let rounds = if settings.quick { rounds.div_ceil(4) } else { rounds };
    let (mut values, mut baselines) = (Vec::new(), Vec::new());
    let sdk = |b: &[u8]| cursor_core::decode_json::<T>("bench.decode", b).map(|_| ());
    let serde = |b: &[u8]| serde_json::from_slice::<T>(b).map(|_| ());
    // Warm both (allocator, caches) before measuring.
    interleaved(body, rounds.div_ceil(4), sdk, serde);
    for _ in 0..settings.repeats(5) {
        let (ours, theirs) = interleaved(body, rounds, sdk, serde);
        values.push(ours);
        baselines.push(theirs);
    }
    let mut figure = Figure {
        name: name.into(),
        what,
        unit: "MB/CPU-s".into(),
        ratios: values.iter().zip(&baselines).map(|(v, b)| v / b.max(f64::EPSILON)).collect(),
        values,
        baselines,
        baseline_is: "`serde_json::from_slice` into the same type, in the same run".into(),
        target: "≥ 0.95".into(),
        ..Figure::default()
    };
    figure.details.push(format!("body {} KB, decoded {rounds} times per measurement by each, in 10 interleaved slices; MB per CPU-second of the decoding thread", fmt(body.len() as f64 / 1e3)));
    figure.met = Some(figure.ratio() >= 0.95);
    figure.miss = Some(
        "Cause: `decode_json` is `serde_json::from_slice` on success (the path-tracking decoder runs only \
         after a failure), so a ratio below 1 here is noise of the machine (both sides are measured in \
         interleaved slices, in CPU time of the thread) rather than work; rerun with `--only decode`. If it \
         persists, compare the two with `perf stat`."
            .into(),
    );
    Ok(figure)
}

/// The `decode/*` figures.
pub async fn figures(settings: &Settings) -> Result<Vec<Figure>, String> {
    let server =
        MockServer::start(MockConfig { rate_limits: cursor_mock::RateLimits::unlimited(), ..MockConfig::default() })
            .await
            .map_err(|e| format!("simulator: {e}"))?;
    let http = reqwest::Client::new();
    let commits = body(
        http.get(format!("{}/analytics/ai-code/commits?startDate=30d&endDate=now&pageSize=1000", server.base_url())),
    )
    .await?;
    let events = body(
        http.post(format!("{}/teams/filtered-usage-events", server.base_url()))
            .header("content-type", "application/json")
            .body(r#"{"pageSize":1000}"#),
    )
    .await?;
    server.shutdown().await;
    Ok(vec![
        figure::<CommitsPage>(
            settings,
            "decode/ai-code-commits",
            "A page of 1,000 AI-code commits (`GET /analytics/ai-code/commits`, from the simulator) decoded \
             into `cursor_aicode::CommitsPage` by `cursor_core::decode_json`, in MB per CPU-second of the decoding thread."
                .into(),
            &commits,
            |page| page.items.len(),
        )?,
        figure::<UsageEventsPage>(
            settings,
            "decode/usage-events",
            "A page of 1,000 usage events (`POST /teams/filtered-usage-events`, from the simulator) decoded \
             into `cursor_admin::UsageEventsPage` by `cursor_core::decode_json`, in MB per CPU-second of the decoding thread."
                .into(),
            &events,
            |page| page.usage_events.len(),
        )?,
    ])
}
