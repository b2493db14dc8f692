//! Cloud Agents v1 in the simulator: the run state machine (busy, cancel, archive), the SSE
//! stream (ids, `Last-Event-ID`, retention, `410`), client-chosen ids, validation, the v1
//! rate-limit headers and the stream-cut fault, checked over raw HTTP.

mod common;

use std::time::Duration;

use common::{Harness, assert_agents_error, assert_keys, test_config};
use cursor_mock::agents_v1_state::AgentsV1Config;
use cursor_mock::{AgentTiming, FaultConfig, FaultSpec, RateLimits, RouteFault};
use reqwest::Method;
use serde_json::{Value, json};

const KEY: &str = "key_agents_v1";

fn create_body(text: &str) -> Value {
    json!({"prompt": {"text": text}, "repos": [{"url": "https://github.com/acme-corp/web-app", "startingRef": "main"}]})
}

async fn harness(timing: AgentTiming) -> Harness {
    let mut config = test_config();
    config.agent_timing = timing;
    config.rate_limits = RateLimits::unlimited();
    config.agents_v1 = AgentsV1Config { stream_retention: Duration::from_secs(600), ..AgentsV1Config::default() };
    Harness::start(config).await
}

fn slow() -> AgentTiming {
    AgentTiming { creating: Duration::from_secs(2), running: Duration::from_secs(60) }
}

async fn advance(h: &Harness, seconds: u64) {
    let response =
        h.client.post(h.url("/__mock/clock/advance")).json(&json!({"seconds": seconds})).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

async fn create(h: &Harness, body: Value) -> (String, String) {
    let (status, created) = h.post_json("/v1/agents", KEY, body).await;
    assert_eq!(status, 201, "{created}");
    (created["agent"]["id"].as_str().unwrap().to_owned(), created["run"]["id"].as_str().unwrap().to_owned())
}

/// The raw SSE text of a stream, read to its end.
async fn stream_text(h: &Harness, agent: &str, run: &str, last_event_id: Option<&str>) -> (u16, String) {
    let mut request = h.request(Method::GET, &format!("/v1/agents/{agent}/runs/{run}/stream"), KEY);
    if let Some(id) = last_event_id {
        request = request.header("Last-Event-ID", id);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

fn ids(text: &str) -> Vec<String> {
    text.lines().filter_map(|l| l.strip_prefix("id: ")).map(str::to_owned).collect()
}

#[tokio::test]
async fn runs_move_along_the_clock_refuse_a_second_active_run_and_cancel_once() {
    let h = harness(slow()).await;
    let (agent, run) = create(&h, create_body("Add a README")).await;
    let (_, read) = h.get_json(&format!("/v1/agents/{agent}"), KEY).await;
    assert_keys(
        &read,
        &[
            "id",
            "name",
            "status",
            "env",
            "url",
            "createdAt",
            "updatedAt",
            "latestRunId",
            "repos",
            "branchName",
            "autoGenerateBranch",
            "autoCreatePR",
            "skipReviewerRequest",
        ],
    );
    assert_eq!(read["status"], "ACTIVE");
    let (_, state) = h.get_json(&format!("/v1/agents/{agent}/runs/{run}"), KEY).await;
    assert_eq!(state["status"], "CREATING");
    advance(&h, 5).await;
    let (_, state) = h.get_json(&format!("/v1/agents/{agent}/runs/{run}"), KEY).await;
    assert_eq!(state["status"], "RUNNING");

    let followup = json!({"prompt": {"text": "Also add a license"}});
    let (status, busy) = h.post_json(&format!("/v1/agents/{agent}/runs"), KEY, followup.clone()).await;
    assert_eq!(status, 409);
    assert_agents_error(&busy, "agent_busy");

    let (status, cancelled) = h.post_json(&format!("/v1/agents/{agent}/runs/{run}/cancel"), KEY, json!({})).await;
    assert_eq!((status, cancelled), (200, json!({"id": run})));
    let (_, state) = h.get_json(&format!("/v1/agents/{agent}/runs/{run}"), KEY).await;
    assert_eq!(state["status"], "CANCELLED");
    let (status, again) = h.post_json(&format!("/v1/agents/{agent}/runs/{run}/cancel"), KEY, json!({})).await;
    assert_eq!(status, 409);
    assert_agents_error(&again, "run_not_cancellable");

    let (status, _) = h.post_json(&format!("/v1/agents/{agent}/archive"), KEY, json!({})).await;
    assert_eq!(status, 200);
    let (status, archived) = h.post_json(&format!("/v1/agents/{agent}/runs"), KEY, followup.clone()).await;
    assert_eq!(status, 409);
    assert_agents_error(&archived, "agent_archived");
    let (_, listed) = h.get_json("/v1/agents?includeArchived=false", KEY).await;
    assert_eq!(listed["items"], json!([]));
    h.post_json(&format!("/v1/agents/{agent}/unarchive"), KEY, json!({})).await;
    let (status, second) = h.post_json(&format!("/v1/agents/{agent}/runs"), KEY, followup).await;
    assert_eq!(status, 201, "{second}");
    let (_, runs) = h.get_json(&format!("/v1/agents/{agent}/runs"), KEY).await;
    assert_eq!(runs["items"][0]["id"], second["run"]["id"], "newest first");
    assert!(runs["nextCursor"].is_null());
}

#[tokio::test]
async fn the_stream_has_ids_resumes_after_last_event_id_and_expires() {
    let h = harness(AgentTiming::instant()).await;
    let (agent, run) = create(&h, create_body("Add docs")).await;
    let response = h.request(Method::GET, &format!("/v1/agents/{agent}/runs/{run}/stream"), KEY).send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    assert_eq!(response.headers()["x-cursor-stream-retention-seconds"], "600");
    let full = response.text().await.unwrap();
    let all = ids(&full);
    assert!(all.len() >= 8, "{full}");
    assert!(full.contains("event: done"), "{full}");
    assert!(full.starts_with(':'), "a comment opens the stream: {full}");

    let (status, rest) = stream_text(&h, &agent, &run, Some(&all[3])).await;
    assert_eq!(status, 200);
    assert_eq!(ids(&rest), all[4..].to_vec(), "resumes right after the named event");

    let (status, body) = stream_text(&h, &agent, &run, Some("run-other:3")).await;
    assert_eq!(status, 400);
    assert_agents_error(&serde_json::from_str(&body).unwrap(), "invalid_last_event_id");

    advance(&h, 601).await;
    let (status, body) = stream_text(&h, &agent, &run, None).await;
    assert_eq!(status, 410);
    assert_agents_error(&serde_json::from_str(&body).unwrap(), "stream_expired");
}

#[tokio::test]
async fn a_running_stream_sends_heartbeats_and_events_as_they_happen() {
    let mut config = test_config();
    config.agent_timing = AgentTiming { creating: Duration::ZERO, running: Duration::from_secs(3600) };
    config.agents_v1 = AgentsV1Config { heartbeat_interval: Duration::from_millis(30), ..AgentsV1Config::default() };
    let h = Harness::start(config).await;
    let (agent, run) = create(&h, create_body("Long task")).await;
    let mut response =
        h.request(Method::GET, &format!("/v1/agents/{agent}/runs/{run}/stream"), KEY).send().await.unwrap();
    let mut seen = String::new();
    while !seen.contains("event: heartbeat") {
        let chunk = tokio::time::timeout(Duration::from_secs(5), response.chunk()).await.unwrap().unwrap().unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains("\"RUNNING\""), "{seen}");
    assert!(!seen.contains("event: done"), "{seen}");
}

#[tokio::test]
async fn client_chosen_ids_are_kept_and_a_clash_is_409() {
    let h = harness(AgentTiming::instant()).await;
    let mut body = create_body("Add docs");
    body["agentId"] = json!("bc-my-own-id");
    let (agent, _) = create(&h, body.clone()).await;
    assert_eq!(agent, "bc-my-own-id");
    let (status, clash) = h.post_json("/v1/agents", KEY, body).await;
    assert_eq!(status, 409);
    assert_agents_error(&clash, "agent_already_exists");
}

#[tokio::test]
async fn creation_is_validated_against_the_v1_shape() {
    let h = harness(AgentTiming::instant()).await;
    let cases = [
        json!({"prompt": {"text": "x"}}),
        json!({"prompt": {"text": "x"}, "repos": []}),
        json!({"prompt": {"text": "x"}, "repos": [{"startingRef": "main"}]}),
        json!({"prompt": {"text": ""}, "repos": [{"url": "https://github.com/o/r"}]}),
        json!({"prompt": {"text": "x"}, "repos": [{"url": "https://github.com/o/r"}], "model": "gpt-5"}),
        json!({"prompt": {"text": "x"}, "repos": [{"url": "https://github.com/o/r"}], "autoCreatePr": true}),
        json!({"prompt": {"text": "x"}, "source": {"repository": "https://github.com/o/r"}}),
    ];
    for body in cases {
        let (status, error) = h.post_json("/v1/agents", KEY, body.clone()).await;
        assert_eq!(status, 400, "{body}");
        assert_agents_error(&error, "validation_error");
    }
}

#[tokio::test]
async fn a_v1_429_carries_retry_after_and_the_rate_limit_headers() {
    let mut config = test_config();
    config.rate_limits = RateLimits { agents_per_minute: 2, ..RateLimits::default() };
    let h = Harness::start(config).await;
    for _ in 0..2 {
        assert_eq!(h.get("/v1/me", KEY).await.status(), 200);
    }
    let limited = h.get("/v1/models", KEY).await;
    assert_eq!(limited.status(), 429);
    let header = |name: &str| limited.headers()[name].to_str().unwrap().to_owned();
    assert!(header("retry-after").parse::<u64>().unwrap() >= 1);
    assert_eq!(header("x-ratelimit-limit"), "2");
    assert_eq!(header("x-ratelimit-remaining"), "0");
    assert!(header("x-ratelimit-reset").parse::<u64>().unwrap() >= 1);
}

#[tokio::test]
async fn the_cut_fault_breaks_a_stream_after_its_byte_budget() {
    let h = harness(AgentTiming::instant()).await;
    let (agent, run) = create(&h, create_body("Add docs")).await;
    let (_, full) = stream_text(&h, &agent, &run, None).await;
    h.server.set_faults(FaultConfig {
        global: FaultSpec::default(),
        routes: vec![RouteFault {
            path: format!("/v1/agents/{agent}/runs/{run}/stream"),
            method: None,
            fault: FaultSpec { cut_body_after_bytes: Some(100), ..FaultSpec::default() },
            times: Some(1),
        }],
    });
    let mut response =
        h.request(Method::GET, &format!("/v1/agents/{agent}/runs/{run}/stream"), KEY).send().await.unwrap();
    let mut got = Vec::new();
    let broke = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => got.extend_from_slice(&chunk),
            Ok(None) => break false,
            Err(_) => break true,
        }
    };
    assert!(broke, "the connection breaks");
    assert_eq!(got, full.as_bytes()[..100].to_vec());
    let (_, again) = stream_text(&h, &agent, &run, None).await;
    assert_eq!(again, full, "the rule applied once");
}
