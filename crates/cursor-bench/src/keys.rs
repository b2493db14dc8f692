//! `keys`: resident memory of 10,000 clients with distinct keys (`Client::with_api_key` from
//! one base client), one request each, and after dropping them, ÷ the same with bare reqwest
//! (one shared `reqwest::Client` and a key per "client"). A fresh child process per variant.

use cursor_admin::{AdminClient, TeamMembers};
use cursor_core::Client;
use futures_util::StreamExt as _;
use serde_json::json;

use crate::Settings;
use crate::loopback::Loopback;
use crate::measure::{peak_rss_mib, rss_mib};
use crate::report::{Figure, fmt};
use crate::small_job::measure_child;

/// A bare "client": the shared HTTP client and its own key.
struct BareClient {
    http: reqwest::Client,
    key: String,
}

/// `cursor-bench keys-child URL sdk|reqwest COUNT`.
pub async fn child(base_url: &str, variant: &str, count: usize) -> Result<(), String> {
    let url = format!("{base_url}/teams/members");
    let start_mib = rss_mib();
    let (live_mib, members) = match variant {
        "sdk" => {
            let base =
                Client::builder().api_key("key_bench_base").base_url(base_url).build().map_err(|e| e.to_string())?;
            let clients: Vec<AdminClient> =
                (0..count).map(|i| AdminClient::new(base.with_api_key(format!("key_bench_{i:06}")))).collect();
            let members: usize = futures_util::stream::iter(&clients)
                .map(|c| async move { c.members().await.map(|m| m.team_members.len()).unwrap_or(0) })
                .buffer_unordered(16)
                .fold(0, |a, b| async move { a + b })
                .await;
            let live = rss_mib();
            drop(clients);
            drop(base);
            (live, members)
        }
        _ => {
            let http = reqwest::Client::new();
            let clients: Vec<BareClient> =
                (0..count).map(|i| BareClient { http: http.clone(), key: format!("key_bench_{i:06}") }).collect();
            let members: usize = futures_util::stream::iter(&clients)
                .map(|c| {
                    let url = url.clone();
                    async move {
                        let Ok(response) = c.http.get(url).basic_auth(&c.key, Some("")).send().await else { return 0 };
                        let Ok(body) = response.bytes().await else { return 0 };
                        serde_json::from_slice::<TeamMembers>(&body).map(|m| m.team_members.len()).unwrap_or(0)
                    }
                })
                .buffer_unordered(16)
                .fold(0, |a, b| async move { a + b })
                .await;
            let live = rss_mib();
            drop(clients);
            drop(http);
            (live, members)
        }
    };
    // Let the runtime drop idle connections' tasks.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    println!(
        "{}",
        json!({"variant": variant, "start_mib": start_mib, "live_mib": live_mib, "dropped_mib": rss_mib(), "peak_mib": peak_rss_mib(), "answers": members / 2})
    );
    Ok(())
}

/// The `keys/*` figures.
pub async fn figures(settings: &Settings) -> Result<Vec<Figure>, String> {
    let count = if settings.quick { 2_000 } else { 10_000 };
    let server = Loopback::start(0).await?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut sdk = Vec::new();
    let mut bare = Vec::new();
    for repeat in 0..settings.repeats(3) {
        let run =
            |variant: &str| vec!["keys-child".to_owned(), server.url.clone(), variant.to_owned(), count.to_string()];
        let s = measure_child(&exe, &run("sdk")).await?;
        let b = measure_child(&exe, &run("reqwest")).await?;
        for r in [&s, &b] {
            if r.get("answers") as usize != count {
                return Err(format!("keys: {} of {count} requests answered", r.get("answers")));
            }
        }
        eprintln!(
            "  keys run {}: live {} / {} MiB, dropped {} / {} MiB",
            repeat + 1,
            fmt(s.get("live_mib")),
            fmt(b.get("live_mib")),
            fmt(s.get("dropped_mib")),
            fmt(b.get("dropped_mib"))
        );
        sdk.push(s);
        bare.push(b);
    }
    server.stop().await;
    let mut figures = Vec::new();
    for (field, name, when) in [
        ("live_mib", "keys/live", "with all of them alive after one request each"),
        ("dropped_mib", "keys/dropped", "after dropping all of them"),
    ] {
        let values: Vec<f64> = sdk.iter().map(|r| r.get(field)).collect();
        let baselines: Vec<f64> = bare.iter().map(|r| r.get(field)).collect();
        let mut figure = Figure {
            name: name.into(),
            what: format!(
                "Resident memory (VmRSS) of a process holding {count} SDK clients with distinct keys \
                 (`Client::with_api_key` from one base client, wrapped in `AdminClient`), {when}, ÷ the same \
                 with bare reqwest (one shared `reqwest::Client`, a key per client). One `GET /teams/members` \
                 each, 16 in flight, against the loopback server."
            ),
            unit: "MiB".into(),
            ratios: values.iter().zip(&baselines).map(|(v, b)| v / b.max(f64::EPSILON)).collect(),
            values,
            baselines,
            baseline_is: "the bare-reqwest process in the same run".into(),
            target: "≤ 1.15".into(),
            ..Figure::default()
        };
        figure.details.push(format!(
            "RSS before creating the clients, SDK / bare: {}",
            sdk.iter()
                .zip(&bare)
                .map(|(s, b)| format!("{} / {} MiB", fmt(s.get("start_mib")), fmt(b.get("start_mib"))))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        figure.details.push(format!(
            "peak RSS, SDK / bare: {}",
            sdk.iter()
                .zip(&bare)
                .map(|(s, b)| format!("{} / {} MiB", fmt(s.get("peak_mib")), fmt(b.get("peak_mib"))))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        figure.met = Some(figure.ratio() <= 1.15);
        figure.miss = Some(format!(
            "Cause: each key gets its own state: an `Auth` (key and Basic header) per client and, once it \
             sends, a rate-limit bucket in the shared registry (a lock, a fair waiter queue, one admission \
             log per rate) where the bare loop keeps a `String`. {} Plan: measure after one idle period with \
             short test periods to show the sweep, and shrink the bucket (one allocation for the waiter \
             queue and logs, no per-bucket fair mutex until a second waiter arrives).",
            if name == "keys/dropped" {
                "The registry drops a bucket only once it is idle and full, one period after its last \
                 admission: dropped earlier, a client made again with the same key within the minute could \
                 overspend the server's window. This figure is taken at once after the drop, so the buckets \
                 are still (rightly) held; the limiter's tests show 10,000 idle buckets swept to none."
            } else {
                ""
            }
        ));
        figures.push(figure);
    }
    Ok(figures)
}
