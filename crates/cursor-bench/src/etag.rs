//! `etag`: requests charged to the bucket when polling an unchanged analytics endpoint 100
//! times, the ETag cache on ÷ off, counted from the simulator's journal (a `304` is not
//! charged).

use std::time::Duration;

use cursor_analytics::{AnalyticsClient, AnalyticsQuery};
use cursor_core::{Client, Rate, RateLimits};
use cursor_mock::{MockConfig, MockServer, TEST_NOW};

use crate::Settings;
use crate::report::Figure;

const POLLS: usize = 100;
const SCALE: f64 = 60.0;

/// Polls `dau` 100 times; returns (charged, 304s, 429s) as the simulator saw them.
async fn poll(server: &MockServer, key: &str, cache: bool) -> Result<(usize, usize, usize), String> {
    let limits = RateLimits::default().set(
        cursor_analytics::endpoints::TEAM_BUCKET,
        vec![Rate { requests: 100, period: Duration::from_secs(60).div_f64(SCALE) }],
    );
    let mut builder = Client::builder().api_key(key).base_url(server.base_url()).rate_limits(limits).clock(|| TEST_NOW);
    if !cache {
        builder = builder.disable_cache();
    }
    let analytics = AnalyticsClient::new(builder.build().map_err(|e| e.to_string())?);
    server.clear_journal();
    let query = AnalyticsQuery::new().last_days(7);
    for _ in 0..POLLS {
        analytics.dau(&query).await.map_err(|e| e.to_string())?;
    }
    let journal = server.journal();
    let count = |status: u16| journal.iter().filter(|e| e.status == status).count();
    Ok((count(200), count(304), count(429)))
}

/// The `etag` figure.
pub async fn figures(settings: &Settings) -> Result<Vec<Figure>, String> {
    let server =
        MockServer::start(MockConfig { time_scale: SCALE, fixed_now: Some(TEST_NOW), ..MockConfig::default() })
            .await
            .map_err(|e| format!("simulator: {e}"))?;
    let (mut values, mut baselines, mut details) = (Vec::new(), Vec::new(), Vec::new());
    for repeat in 0..settings.repeats(3) {
        let on = poll(&server, &format!("key_bench_etag_on_{repeat}"), true).await?;
        let off = poll(&server, &format!("key_bench_etag_off_{repeat}"), false).await?;
        values.push(on.0 as f64);
        baselines.push(off.0 as f64);
        details.push(format!(
            "run {}: cache on — {} charged, {} answered 304, {} 429s; cache off — {} charged, {} 429s",
            repeat + 1,
            on.0,
            on.1,
            on.2,
            off.0,
            off.2
        ));
    }
    server.shutdown().await;
    let mut figure = Figure {
        name: "etag".into(),
        what: format!(
            "Requests charged to the Analytics team bucket (answered 200; a 304 is not charged) while polling \
             an unchanged `GET /analytics/team/dau` (last 7 days) {POLLS} times through `AnalyticsClient::dau`, \
             the ETag cache on (the default) ÷ off (`disable_cache()`). Simulator calendar frozen, clock at \
             {SCALE}×."
        ),
        unit: "requests charged".into(),
        ratios: values.iter().zip(&baselines).map(|(v, b)| v / b.max(1.0)).collect(),
        values,
        baselines,
        baseline_is: "the same polling with the cache off".into(),
        target: "≤ 0.01 (one charged of 100)".into(),
        details,
        ..Figure::default()
    };
    figure.met = Some(figure.ratio() <= 0.01 + f64::EPSILON);
    figure.miss = Some(
        "Cause: revalidations were charged, so either the client did not send `If-None-Match` or the \
         simulator's ETag changed between polls. Plan: check the journal's headers for `if-none-match` with \
         `--only etag`."
            .into(),
    );
    Ok(vec![figure])
}
