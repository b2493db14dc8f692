//! Faults on demand (5xx, 429 storms, latency, truncation, malformed JSON, resets, slow
//! drip), globally or per route, by config and through the control API; and the journal.

mod common;

use std::time::{Duration, Instant};

use common::{Harness, assert_agents_error, assert_plain_error, test_config};
use cursor_mock::{FaultConfig, FaultSpec, RouteFault};
use serde_json::{Value, json};

const KEY: &str = "key_faults";

fn only(spec: FaultSpec) -> FaultConfig {
    FaultConfig { global: spec, routes: Vec::new() }
}

#[tokio::test]
async fn error_rate_answers_5xx_in_the_family_shape() {
    let mut config = test_config();
    config.faults = only(FaultSpec { error_rate: 1.0, error_statuses: vec![503], ..FaultSpec::default() });
    let h = Harness::start(config).await;
    let (status, body) = h.get_json("/teams/members", KEY).await;
    assert_eq!(status, 503);
    assert_plain_error(&body, "Service Unavailable");
    let (status, body) = h.get_json("/v0/me", KEY).await;
    assert_eq!(status, 503);
    assert_agents_error(&body, "internal_error");
    // Default statuses are 500, 502, 503.
    h.server.set_faults(only(FaultSpec { error_rate: 1.0, ..FaultSpec::default() }));
    for _ in 0..20 {
        let status = h.get("/teams/members", KEY).await.status().as_u16();
        assert!([500, 502, 503].contains(&status), "{status}");
    }
}

#[tokio::test]
async fn rate_limit_storms_answer_429_with_retry_after() {
    let h = Harness::default_test().await;
    h.server.set_faults(only(FaultSpec { rate_limit_rate: 1.0, ..FaultSpec::default() }));
    let response = h.get("/analytics/team/dau", KEY).await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "1");
}

#[tokio::test]
async fn latency_delays_answers() {
    let h = Harness::default_test().await;
    h.server.set_faults(only(FaultSpec { latency_ms: 300, ..FaultSpec::default() }));
    let started = Instant::now();
    assert_eq!(h.get("/v0/models", KEY).await.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn truncated_bodies_end_early() {
    let h = Harness::default_test().await;
    h.server.set_faults(only(FaultSpec { truncate_rate: 1.0, ..FaultSpec::default() }));
    let response = h.get("/teams/members", KEY).await;
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.is_err(), "reading a truncated body fails");
}

#[tokio::test]
async fn malformed_json_is_a_complete_answer_that_does_not_parse() {
    let h = Harness::default_test().await;
    h.server.set_faults(only(FaultSpec { malformed_json_rate: 1.0, ..FaultSpec::default() }));
    let response = h.get("/teams/members", KEY).await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("the HTTP framing is intact");
    assert!(serde_json::from_slice::<Value>(&bytes).is_err());
}

#[tokio::test]
async fn resets_close_the_connection_before_the_body() {
    let h = Harness::default_test().await;
    h.server.set_faults(only(FaultSpec { reset_rate: 1.0, ..FaultSpec::default() }));
    let sent = h.request(reqwest::Method::GET, "/teams/members", KEY).send().await;
    let error = match sent {
        // The connection closes before the status line: the usual outcome.
        Err(error) => error,
        // Or, if the head made it out, before any body byte.
        Ok(response) => response.bytes().await.expect_err("no body arrives"),
    };
    assert!(!error.is_status() && !error.is_timeout(), "a transport error: {error}");
}

#[tokio::test]
async fn slow_drip_sends_the_whole_body_slowly() {
    let h = Harness::default_test().await;
    let (_, expected) = h.get_json("/v0/models", KEY).await;
    h.server.set_faults(only(FaultSpec { drip_chunk_bytes: 16, drip_interval_ms: 40, ..FaultSpec::default() }));
    let started = Instant::now();
    let (status, body) = h.get_json("/v0/models", KEY).await;
    assert_eq!(status, 200);
    assert_eq!(body, expected);
    let chunks = serde_json::to_vec(&expected).unwrap().len().div_ceil(16) as u32;
    assert!(started.elapsed() >= Duration::from_millis(40) * (chunks - 1));
}

#[tokio::test]
async fn route_rules_apply_to_their_routes_for_a_number_of_times() {
    let h = Harness::default_test().await;
    h.server.set_faults(FaultConfig {
        global: FaultSpec::default(),
        routes: vec![RouteFault {
            path: "/analytics/".into(),
            method: Some("GET".into()),
            fault: FaultSpec { error_rate: 1.0, error_statuses: vec![502], ..FaultSpec::default() },
            times: Some(2),
        }],
    });
    assert_eq!(h.get("/teams/members", KEY).await.status(), 200);
    assert_eq!(h.get("/analytics/team/dau", KEY).await.status(), 502);
    assert_eq!(h.get("/analytics/team/tabs", KEY).await.status(), 502);
    assert_eq!(h.get("/analytics/team/dau", KEY).await.status(), 200, "the rule retired");
}

#[tokio::test]
async fn control_api_sets_reads_and_clears_faults() {
    let h = Harness::default_test().await;
    let body = json!({"routes": [{"path": "/v0/", "fault": {"error_rate": 1.0, "error_statuses": [500]}}]});
    let put = h.client.put(h.url("/__mock/faults")).json(&body).send().await.unwrap();
    assert_eq!(put.status(), 200);
    assert_eq!(h.get("/v0/models", KEY).await.status(), 500);
    let current: Value = h.client.get(h.url("/__mock/faults")).send().await.unwrap().json().await.unwrap();
    assert_eq!(current["routes"][0]["path"], "/v0/");
    let bad = h.client.put(h.url("/__mock/faults")).json(&json!({"nonsense": 1})).send().await.unwrap();
    assert_eq!(bad.status(), 400);
    let cleared = h.client.delete(h.url("/__mock/faults")).send().await.unwrap();
    assert_eq!(cleared.status(), 204);
    assert_eq!(h.get("/v0/models", KEY).await.status(), 200);
}

#[tokio::test]
async fn the_journal_records_requests_and_can_be_cleared() {
    let h = Harness::default_test().await;
    h.post_json("/teams/spend", KEY, json!({"searchTerm": "zoë, \"quoted\""})).await;
    h.get("/analytics/team/dau?startDate=7d", KEY).await;
    let _ = h.client.get(h.url("/__mock/health")).send().await.unwrap();
    let entries: Value = h.client.get(h.url("/__mock/journal")).send().await.unwrap().json().await.unwrap();
    let entries = entries.as_array().unwrap();
    assert_eq!(entries.len(), 2, "control requests are not journaled: {entries:?}");
    assert_eq!(entries[0]["method"], "POST");
    assert_eq!(entries[0]["path"], "/teams/spend");
    let sent: Value = serde_json::from_str(entries[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(sent["searchTerm"], "zoë, \"quoted\"");
    assert_eq!(entries[0]["status"], 200);
    assert_eq!(entries[1]["query"], "startDate=7d");
    assert_eq!(entries[1]["headers"]["authorization"], "Basic [REDACTED]");
    let cleared = h.client.delete(h.url("/__mock/journal")).send().await.unwrap();
    assert_eq!(cleared.status(), 204);
    assert!(h.server.journal().is_empty());
}

#[tokio::test]
async fn reset_forgets_state_and_rate_limit_windows() {
    let mut config = test_config();
    config.rate_limits.admin_per_minute = 2;
    let h = Harness::start(config).await;
    let created = h.post_json("/teams/groups", KEY, json!({"name": "Temporary"})).await;
    assert_eq!(created.0, 200);
    assert_eq!(h.get("/teams/groups", KEY).await.status(), 200);
    assert_eq!(h.get("/teams/groups", KEY).await.status(), 429);
    let reset = h.client.post(h.url("/__mock/reset")).send().await.unwrap();
    assert_eq!(reset.status(), 204);
    let (status, groups) = h.get_json("/teams/groups", KEY).await;
    assert_eq!(status, 200);
    assert!(groups["groups"].as_array().unwrap().iter().all(|g| g["name"] != "Temporary"));
}

/// Asserts that a request ended in a transport error: no answer, or a head without its body.
async fn assert_broken(sent: reqwest::Result<reqwest::Response>) {
    let error = match sent {
        Err(error) => error,
        Ok(response) => response.bytes().await.expect_err("no answer arrives"),
    };
    assert!(!error.is_status() && !error.is_timeout(), "a transport error: {error}");
}

fn agent_launch(text: &str) -> Value {
    json!({
        "prompt": {"text": text},
        "source": {"repository": "https://github.com/acme-corp/web-app"},
    })
}

#[tokio::test]
async fn reset_after_handling_breaks_the_connection_but_the_launch_happened() {
    let h = Harness::default_test().await;
    // Set through the control API, by the documented name, for the launch route only.
    let body = json!({"routes": [{"path": "/v0/agents", "method": "POST",
        "fault": {"reset_after_handling_rate": 1.0}}]});
    let put = h.client.put(h.url("/__mock/faults")).json(&body).send().await.unwrap();
    assert_eq!(put.status(), 200);
    let sent = h.request(reqwest::Method::POST, "/v0/agents", KEY).json(&agent_launch("Outcome unknown")).send().await;
    assert_broken(sent).await;
    // The agent exists all the same.
    let (status, list) = h.get_json("/v0/agents?limit=100", KEY).await;
    assert_eq!(status, 200);
    let agents = list["agents"].as_array().unwrap();
    assert!(agents.iter().any(|a| a["name"] == "Outcome unknown"), "the launch took effect: {list}");
    let launches: Vec<_> = h.server.journal().into_iter().filter(|e| e.method == "POST").collect();
    assert_eq!(launches.len(), 1);
    assert_eq!(launches[0].status, 201, "the journal keeps the handler's status");
}

#[tokio::test]
async fn reset_after_handling_is_settable_in_code_and_by_its_short_name() {
    let h = Harness::default_test().await;
    h.server.set_faults(only(FaultSpec { reset_after_handling_rate: 1.0, ..FaultSpec::default() }));
    assert_broken(h.request(reqwest::Method::GET, "/v0/me", KEY).send().await).await;
    assert_eq!(h.server.journal()[0].status, 200);
    let short = json!({"global": {"reset_after_handling": 0.5}});
    let put = h.client.put(h.url("/__mock/faults")).json(&short).send().await.unwrap();
    assert_eq!(put.status(), 200);
    assert_eq!(h.server.faults().global.reset_after_handling_rate, 0.5);
}

#[tokio::test]
async fn bodies_over_16_mib_are_refused_with_413_in_the_family_shape() {
    let h = Harness::default_test().await;
    let text = "x".repeat(17_000_000);
    let (status, body) = h.post_json("/v0/agents", KEY, agent_launch(&text)).await;
    assert_eq!(status, 413, "{body}");
    assert_agents_error(&body, "payload_too_large");
    let (status, body) = h.post_json("/teams/spend", KEY, json!({"searchTerm": text})).await;
    assert_eq!(status, 413);
    assert_plain_error(&body, "Payload Too Large");
    // Nothing was launched, and the journal has the requests without their bodies.
    let (_, list) = h.get_json("/v0/agents?limit=100", KEY).await;
    assert!(list["agents"].as_array().unwrap().iter().all(|a| !a["name"].as_str().unwrap().starts_with("Xxx")));
    let journal = h.server.journal();
    assert_eq!((journal[0].status, journal[1].status), (413, 413));
    assert!(journal[..2].iter().all(|e| e.body.is_empty() && e.body_truncated));
    assert!(!journal[2].body_truncated);
}
