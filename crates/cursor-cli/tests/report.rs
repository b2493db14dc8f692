//! End-to-end tests of `cursor report`: the built binary against a simulator started here, its
//! `--json` figures recomputed independently through the SDK from the raw endpoints, the
//! sections skipped when the simulator refuses an API to the key, and the exit codes.

use std::collections::BTreeMap;
use std::process::{Command, Output};

use cursor_admin::{AdminClient, SpendQuery, UsageEventsQuery};
use cursor_agents::{AgentsClient, AgentsQuery};
use cursor_aicode::{AiCodeClient, AiCodeQuery};
use cursor_analytics::{AnalyticsClient, AnalyticsQuery};
use cursor_core::{ApiKey, Client, DateRange, DateSpec, RateLimits};
use cursor_mock::{FaultConfig, FaultSpec, MockConfig, MockServer, RouteFault};
use futures_util::TryStreamExt as _;
use serde_json::Value;
use time::{Date, OffsetDateTime};

const KEY: &str = "key_reporttest0001";

/// A simulator on loopback, kept running by its runtime's worker threads while the test
/// thread waits for the binary.
struct Simulator {
    runtime: tokio::runtime::Runtime,
    server: MockServer,
}

impl Simulator {
    fn start(config: MockConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let server = runtime.block_on(MockServer::start(config)).expect("the simulator starts");
        Self { runtime, server }
    }

    /// The calendar frozen at the wall clock (so spend, which grows with "now", holds still
    /// between the binary's requests and the test's), and rate-limit windows 3600 times
    /// shorter (so the test's own requests never wait).
    fn config() -> MockConfig {
        MockConfig { fixed_now: Some(OffsetDateTime::now_utc()), time_scale: 3600.0, ..MockConfig::default() }
    }

    /// Runs `cursor --api-key KEY --base-url … ARGS`.
    fn cursor(&self, key: &str, args: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cursor"));
        command.args(["--api-key", key, "--base-url", &self.server.base_url()]).args(args);
        // Only what the test passes: not the caller's key, base URL or log filter.
        for inherited in ["CURSOR_API_KEY", "CURSOR_BASE_URL", "RUST_LOG"] {
            command.env_remove(inherited);
        }
        command.output().expect("the binary runs")
    }

    fn client(&self) -> Client {
        Client::builder()
            .api_key(ApiKey::new(KEY))
            .base_url(self.server.base_url())
            .rate_limits(RateLimits::unlimited())
            .build()
            .unwrap()
    }
}

/// Faults that answer `status` to every request under `path`.
fn every_answer_is(status: u16, path: &str) -> FaultConfig {
    let fault = FaultSpec { error_rate: 1.0, error_statuses: vec![status], ..FaultSpec::default() };
    FaultConfig {
        global: FaultSpec::default(),
        routes: vec![RouteFault { path: path.into(), method: None, fault, times: None }],
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json_of(output: &Output) -> Value {
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON document")
}

fn day_of_millis(ms: i64) -> Date {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap().date()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

/// What the test expects, computed straight from the endpoints through the SDK.
#[derive(Debug, Default)]
struct Expected {
    members_by_role: BTreeMap<String, u64>,
    spend_total: f64,
    top_spend: Vec<f64>,
    cycle_start: String,
    /// Per model: events, cents, token-fee cents, on-demand cents.
    models: BTreeMap<String, (u64, f64, f64, f64)>,
    day_cents: BTreeMap<String, f64>,
    dau: BTreeMap<String, u64>,
    /// Per repository: commits, lines added, AI lines added.
    repositories: BTreeMap<String, (u64, u64, u64)>,
    agents: u64,
}

async fn expected(client: Client, first: Date, today: Date) -> Expected {
    let admin = AdminClient::new(client.clone());
    let mut expected = Expected::default();
    for member in admin.members().await.unwrap().team_members.iter().filter(|m| m.is_removed != Some(true)) {
        *expected.members_by_role.entry(member.role.to_string()).or_default() += 1;
    }
    let cycle_ms = admin.spend_page(&SpendQuery::new()).await.unwrap().subscription_cycle_start;
    let cycle = day_of_millis(cycle_ms);
    expected.cycle_start = cycle.to_string();
    let mut spend: Vec<f64> = admin.spend(&SpendQuery::new()).map_ok(|m| m.spend_cents).try_collect().await.unwrap();
    expected.spend_total = spend.iter().sum();
    spend.sort_by(|a, b| b.total_cmp(a));
    expected.top_spend = spend.into_iter().filter(|c| *c > 0.0).take(10).collect();

    let from = cycle.min(first).midnight().assume_utc();
    let events: Vec<_> = admin
        .usage_events(&UsageEventsQuery::new().range(DateRange::new(from, DateSpec::Now)))
        .try_collect()
        .await
        .unwrap();
    for event in &events {
        let day = day_of_millis(event.timestamp.parse().unwrap());
        let cents = event.token_usage.as_ref().map_or(0.0, |t| t.total_cents) + event.cursor_token_fee.unwrap_or(0.0);
        if (first..=today).contains(&day) {
            *expected.day_cents.entry(day.to_string()).or_default() += cents;
        }
        if day >= cycle {
            let on_demand = if event.kind_field.as_deref() == Some("Usage-based") { cents } else { 0.0 };
            let entry = expected.models.entry(event.model.clone()).or_default();
            entry.0 += 1;
            entry.1 += cents;
            entry.2 += event.cursor_token_fee.unwrap_or(0.0);
            entry.3 += on_demand;
        }
    }

    let analytics = AnalyticsClient::new(client.clone());
    let dates = AnalyticsQuery::new().dates(DateSpec::Date(first), DateSpec::Date(today));
    for row in analytics.dau(&dates).await.unwrap().data {
        expected.dau.insert(row.date.unwrap(), row.dau.unwrap_or(0));
    }

    let commits = AiCodeClient::new(client.clone())
        .commits(&AiCodeQuery::new().range(DateRange::new(DateSpec::Date(first), DateSpec::Now)))
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    for commit in commits {
        let entry = expected.repositories.entry(commit.repo_name.unwrap_or_else(|| "(unknown)".into())).or_default();
        entry.0 += 1;
        entry.1 += commit.total_lines_added.unwrap_or(0);
        entry.2 += commit.tab_lines_added.unwrap_or(0) + commit.composer_lines_added.unwrap_or(0);
    }
    expected.agents =
        AgentsClient::new(client).list(&AgentsQuery::new()).try_fold(0, |n, _| async move { Ok(n + 1) }).await.unwrap();
    expected
}

#[test]
fn report_json_equals_the_figures_recomputed_from_the_simulators_endpoints() {
    let sim = Simulator::start(Simulator::config());
    let report = json_of(&sim.cursor(KEY, &["--json", "report", "--days", "7"]));
    let today = OffsetDateTime::now_utc().date();
    let first = today - time::Duration::days(6);
    let expected = sim.runtime.block_on(expected(sim.client(), first, today));

    // The window: 7 dates, today last and marked partial.
    assert_eq!(report["window"]["days"], 7);
    assert_eq!(report["window"]["firstDate"], first.to_string());
    assert_eq!(report["window"]["partialDate"], today.to_string());
    let daily = report["daily"].as_array().unwrap();
    assert_eq!(daily.len(), 7);
    assert!(daily[..6].iter().all(|d| d["partial"] == false) && daily[6]["partial"] == true);

    let by_role: BTreeMap<String, u64> = serde_json::from_value(report["members"]["byRole"].clone()).unwrap();
    assert_eq!(by_role, expected.members_by_role);

    let spend = &report["spend"];
    assert_eq!(spend["cycleStart"], expected.cycle_start);
    assert!(close(spend["totalCents"].as_f64().unwrap(), expected.spend_total), "{spend} vs {}", expected.spend_total);
    let top: Vec<f64> =
        spend["topSpenders"].as_array().unwrap().iter().map(|s| s["spendCents"].as_f64().unwrap()).collect();
    assert_eq!(top, expected.top_spend);

    let models = report["spendByModel"]["models"].as_array().unwrap();
    assert_eq!(models.len(), expected.models.len());
    assert!(!models.is_empty(), "the cycle has usage events");
    for model in models {
        let (events, cents, fee, on_demand) = expected.models[model["model"].as_str().unwrap()];
        assert_eq!(model["events"], events, "{model}");
        assert!(close(model["cents"].as_f64().unwrap(), cents), "{model} vs {cents}");
        assert!(close(model["tokenFeeCents"].as_f64().unwrap(), fee), "{model} vs {fee}");
        assert!(close(model["onDemandCents"].as_f64().unwrap(), on_demand), "{model} vs {on_demand}");
    }
    let total: f64 = expected.models.values().map(|m| m.1).sum();
    assert!(close(report["spendByModel"]["total"]["cents"].as_f64().unwrap(), total));

    for day in daily {
        let date = day["date"].as_str().unwrap();
        assert_eq!(day["activeUsers"], expected.dau.get(date).copied().unwrap_or(0), "{day}");
        let cents = expected.day_cents.get(date).copied().unwrap_or(0.0);
        assert!(close(day["cost"]["cents"].as_f64().unwrap(), cents), "{day} vs {cents}");
    }
    assert!(expected.day_cents.values().sum::<f64>() > 0.0 && expected.dau.values().sum::<u64>() > 0);

    let ai = &report["aiCode"];
    let (commits, added, ai_added) =
        expected.repositories.values().fold((0, 0, 0), |t, r| (t.0 + r.0, t.1 + r.1, t.2 + r.2));
    assert_eq!((ai["total"]["commits"].as_u64(), ai["total"]["linesAdded"].as_u64()), (Some(commits), Some(added)));
    assert_eq!(ai["total"]["aiLinesAdded"], ai_added);
    assert!(commits > 0);
    for repo in ai["repositories"].as_array().unwrap() {
        let (commits, added, ai_added) = expected.repositories[repo["repository"].as_str().unwrap()];
        assert_eq!((repo["commits"].as_u64(), repo["linesAdded"].as_u64()), (Some(commits), Some(added)), "{repo}");
        assert!(close(repo["aiShare"].as_f64().unwrap(), ai_added as f64 / added as f64), "{repo}");
    }
    assert_eq!(report["agents"]["total"], expected.agents);
    assert_eq!(report["skipped"], serde_json::json!([]));
}

#[test]
fn days_decides_how_many_dates_the_report_covers() {
    let sim = Simulator::start(Simulator::config());
    let report = json_of(&sim.cursor(KEY, &["--json", "report", "--days", "3"]));
    let dates: Vec<&str> = report["daily"].as_array().unwrap().iter().map(|d| d["date"].as_str().unwrap()).collect();
    let today = OffsetDateTime::now_utc().date();
    let expected: Vec<String> = (0..3).rev().map(|back| (today - time::Duration::days(back)).to_string()).collect();
    assert_eq!(dates, expected);
    let refused = sim.cursor(KEY, &["report", "--days", "0"]);
    assert_eq!(refused.status.code(), Some(2), "a day count below 1 is a usage error");
}

#[test]
fn text_report_shows_every_section_with_today_marked_partial() {
    let sim = Simulator::start(Simulator::config());
    let output = sim.cursor(KEY, &["report"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    for section in [
        "== Members: ",
        "== Spend this billing cycle (since ",
        "== Spend by model this billing cycle",
        "== Per day, last 7 dates",
        "== AI share of committed lines, last 7 dates",
        "== Tab and Agent acceptance",
        "== Most used models",
        "== Most used file extensions",
        "== Cloud agents",
    ] {
        assert!(text.contains(section), "missing `{section}` in:\n{text}");
    }
    let today = OffsetDateTime::now_utc().date().to_string();
    assert!(text.contains(&format!("\n{today}*")), "today carries the partial mark:\n{text}");
    assert!(!text.contains("skipped"), "{text}");
    assert!(!text.contains('\u{1b}'), "no terminal escapes in a pipe");
}

#[test]
fn an_api_the_key_may_not_read_is_skipped_with_a_line_and_the_rest_still_prints() {
    let mut config = Simulator::config();
    // The Admin API (`/teams/…`) answers 403 to this key; the other APIs answer as usual.
    config.faults = every_answer_is(403, "/teams/");
    let sim = Simulator::start(config);
    let output = sim.cursor(KEY, &["report"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "sections printed, so the report succeeds: {}", stderr(&output));
    let spend = text.split("== Spend this billing cycle\n").nth(1).expect("the spend heading stays");
    assert!(spend.starts_with("skipped: the key may not read the Admin API"), "{text}");
    assert!(spend.lines().next().unwrap().contains("403"), "{text}");
    for column in ["Active members", "Cost"] {
        let line = format!("\n{column} per day skipped: the key may not read the Admin API");
        assert!(text.contains(&line), "the empty column says why:\n{text}");
    }
    assert!(text.contains("\nALL "), "the AI-code table still prints:\n{text}");
    assert!(text.contains("Tab: ") && text.contains(" agents ("), "{text}");

    let report = json_of(&sim.cursor(KEY, &["--json", "report"]));
    assert!(report["spend"].is_null() && report["members"].is_null() && report["spendByModel"].is_null());
    assert!(report["aiCode"].is_object() && report["agents"].is_object() && report["topModels"].is_array());
    let skipped = report["skipped"].as_array().unwrap();
    let sections: Vec<&str> = skipped.iter().map(|s| s["section"].as_str().unwrap()).collect();
    assert_eq!(
        sections,
        ["Members", "Spend this billing cycle", "Spend by model this billing cycle", "Active members per day"]
    );
    assert!(skipped.iter().all(|s| s["permission"] == true));
}

#[test]
fn a_team_without_enterprise_apis_still_gets_its_cloud_agents() {
    let mut config = Simulator::config();
    config.non_enterprise_keys = vec![KEY.to_owned()];
    let sim = Simulator::start(config);
    let report = json_of(&sim.cursor(KEY, &["--json", "report"]));
    assert!(report["agents"]["total"].as_u64().unwrap() > 0);
    let skipped = report["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 10, "every section but the agents: {skipped:?}");
    for api in ["Admin", "Analytics", "AI Code Tracking"] {
        assert!(skipped.iter().any(|s| s["reason"].as_str().unwrap().contains(&format!("the {api} API"))), "{api}");
    }
}

#[test]
fn a_key_refused_everywhere_fails_without_printing_a_report() {
    let config = MockConfig { allowed_keys: Some(vec!["key_someoneelse".into()]), ..Simulator::config() };
    let sim = Simulator::start(config);
    let output = sim.cursor(KEY, &["report"]);
    assert_ne!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty(), "{}", stdout(&output));
    let err = stderr(&output);
    assert!(err.contains("no section of the report could be read") && err.contains("401"), "{err}");
    assert!(!err.contains(KEY), "the key is never printed");
}

#[test]
fn a_failing_api_still_lets_the_rest_print_but_the_exit_code_says_so() {
    let mut config = Simulator::config();
    // AI Code Tracking answers 503 every time, so the retries run out.
    config.faults = every_answer_is(503, "/analytics/ai-code/");
    let sim = Simulator::start(config);
    let output = sim.cursor(KEY, &["report", "--days", "2"]);
    let (text, err) = (stdout(&output), stderr(&output));
    assert_ne!(output.status.code(), Some(0), "a failure that is not a refusal fails the command");
    assert!(err.contains("some sections of the report failed") && err.contains("503"), "{err}");
    let ai = text.split("== AI share of committed lines\n").nth(1).expect("the heading stays");
    assert!(ai.starts_with("skipped: the AI Code Tracking API failed"), "{text}");
    assert!(
        text.contains("== Spend this billing cycle (since ") && text.contains(" agents ("),
        "the rest prints: {text}"
    );
}

#[test]
fn html_to_stdout_is_one_page() {
    let sim = Simulator::start(Simulator::config());
    let output = sim.cursor(KEY, &["report", "--html", "-"]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let page = stdout(&output);
    assert!(page.starts_with("<!DOCTYPE html>") && page.trim_end().ends_with("</html>"), "{page}");
    assert_eq!(page.matches("<svg").count(), 5);
}
