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

/// CSV records of `text`, each split into fields, quotes respected (a quoted comma or newline
/// stays in its field).
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut fields, mut field, mut quoted) = (Vec::new(), Vec::new(), String::new(), false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            '\n' if !quoted => {
                fields.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut fields));
            }
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push(fields);
    }
    records
}

#[tokio::test]
async fn corrupt_body_keeps_status_length_and_etag_but_does_not_decode() {
    let h = Harness::default_test().await;
    let path = "/analytics/team/dau?startDate=7d&endDate=today";
    let clean = h.get(path, KEY).await;
    let etag = clean.headers()["etag"].clone();
    let clean = clean.bytes().await.unwrap();
    h.server.set_faults(only(FaultSpec { corrupt_body_rate: 1.0, ..FaultSpec::default() }));
    let response = h.get(path, KEY).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["etag"], etag, "the ETag of the real body");
    let corrupt = response.bytes().await.expect("well framed");
    assert_eq!(corrupt.len(), clean.len());
    assert_ne!(corrupt, clean);
    assert!(corrupt.contains(&0xFF));
    assert!(serde_json::from_slice::<Value>(&corrupt).is_err());
    // A 200 without an ETag (Admin answers carry none) is left alone.
    let (status, _) = h.get_json("/teams/members", KEY).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn short_csv_rows_have_fewer_fields_than_the_header() {
    let h = Harness::default_test().await;
    let path = "/analytics/ai-code/commits.csv?startDate=30d&endDate=now";
    let clean = h.get(path, KEY).await.text().await.unwrap();
    let clean = csv_records(&clean);
    let width = clean[0].len();
    assert!(clean.len() > 10 && clean.iter().all(|r| r.len() == width), "the real export is rectangular");
    h.server.set_faults(only(FaultSpec { short_csv_row_rate: 1.0, ..FaultSpec::default() }));
    let response = h.get(path, KEY).await;
    assert_eq!(response.status(), 200);
    let short = csv_records(&response.text().await.unwrap());
    assert_eq!(short.len(), clean.len(), "as many rows");
    assert_eq!(short[0], clean[0], "the header is whole");
    for (cut, whole) in short[1..].iter().zip(&clean[1..]) {
        assert_eq!(cut.len(), width - 1);
        assert_eq!(cut[..], whole[..width - 1], "the last field is the one dropped");
    }
    // At a lower rate, some rows are short and some whole.
    h.server.set_faults(only(FaultSpec { short_csv_row_rate: 0.5, ..FaultSpec::default() }));
    let mixed = csv_records(&h.get(path, KEY).await.text().await.unwrap());
    assert!(mixed[1..].iter().any(|r| r.len() == width) && mixed[1..].iter().any(|r| r.len() < width));
}

#[tokio::test]
async fn redirects_go_to_another_origin_with_307() {
    let h = Harness::default_test().await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    h.server.set_faults(only(FaultSpec { redirect_rate: 1.0, ..FaultSpec::default() }));
    let response = client.get(h.url("/teams/members?page=2")).basic_auth(KEY, Some("")).send().await.unwrap();
    assert_eq!(response.status(), 307);
    let port = h.server.addr().port();
    assert_eq!(response.headers()["location"], format!("http://127.0.0.2:{port}/teams/members?page=2").as_str());
    // Through the control API, to an origin of the test's choosing.
    let body = json!({"global": {"redirect_rate": 1.0, "redirect_to": "http://evil.example:8080/"}});
    assert_eq!(h.client.put(h.url("/__mock/faults")).json(&body).send().await.unwrap().status(), 200);
    let response = client.post(h.url("/v0/agents")).basic_auth(KEY, Some("")).send().await.unwrap();
    assert_eq!(response.status(), 307);
    assert_eq!(response.headers()["location"], "http://evil.example:8080/v0/agents");
}

#[tokio::test]
async fn huge_bodies_are_valid_json_or_csv_of_the_size_asked_streamed() {
    let h = Harness::default_test().await;
    h.server.set_faults(only(FaultSpec { huge_body_mib: 3, ..FaultSpec::default() }));
    let mut response = h.get("/analytics/team/dau", KEY).await;
    assert_eq!(response.status(), 200);
    assert!(response.content_length().is_none(), "streamed, not announced (and not buffered)");
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.unwrap() {
        body.extend_from_slice(&chunk);
    }
    assert!((3 << 20..(3 << 20) + (64 << 10)).contains(&body.len()), "{} bytes", body.len());
    let value: Value = serde_json::from_slice(&body).expect("valid JSON");
    assert!(value["items"].as_array().unwrap().len() > 10_000);
    // On a CSV export: a CSV of that size, every row as wide as the header.
    h.server.set_faults(only(FaultSpec { huge_body_mib: 1, ..FaultSpec::default() }));
    let text = h.get("/analytics/ai-code/commits.csv", KEY).await.text().await.unwrap();
    assert!(text.len() >= 1 << 20);
    let records = csv_records(&text);
    assert!(records.iter().all(|r| r.len() == records[0].len()));
}

#[tokio::test]
async fn endless_bodies_never_end_fast_or_slow() {
    let h = Harness::default_test().await;
    h.server.set_faults(only(FaultSpec { endless_body: true, ..FaultSpec::default() }));
    let mut response = h.get("/teams/members", KEY).await;
    assert_eq!(response.status(), 200);
    let mut read = 0usize;
    while read < 16 << 20 {
        read += response.chunk().await.unwrap().expect("the body goes on").len();
    }
    drop(response);
    // Slowly: a chunk per interval, still going after many.
    h.server.set_faults(only(FaultSpec { endless_body: true, endless_body_interval_ms: 20, ..FaultSpec::default() }));
    let started = Instant::now();
    let mut response = h.get("/analytics/ai-code/commits.csv", KEY).await;
    let mut chunks = 0;
    let mut read = 0usize;
    while read < 5 * 16 * 1024 {
        read += response.chunk().await.unwrap().expect("the body goes on").len();
        chunks += 1;
    }
    assert!(chunks >= 5 && started.elapsed() >= Duration::from_millis(80), "{chunks} chunks");
    // The server is still healthy for other requests.
    assert_eq!(h.get("/v0/me", KEY).await.status(), 200);
}

#[tokio::test]
async fn repeat_first_page_answers_page_one_for_every_page_saying_more_follow() {
    let h = Harness::default_test().await;
    let (_, first) = h.get_json("/teams/audit-logs?startTime=7d&endTime=now&pageSize=5", KEY).await;
    let (_, agents_first) = h.get_json("/v0/agents?limit=2", KEY).await;
    let (_, commits_first) = h.get_json("/analytics/ai-code/commits?startDate=30d&pageSize=10", KEY).await;
    let events_first = h.post_json("/teams/filtered-usage-events", KEY, json!({"pageSize": 5})).await.1;
    // Set through the control API by its documented name.
    let body = json!({"global": {"repeat_first_page": true}});
    assert_eq!(h.client.put(h.url("/__mock/faults")).json(&body).send().await.unwrap().status(), 200);

    let (status, third) = h.get_json("/teams/audit-logs?startTime=7d&endTime=now&pageSize=5&page=3", KEY).await;
    assert_eq!(status, 200);
    assert_eq!(third["events"], first["events"]);
    assert_eq!(third["pagination"]["page"], 3);
    assert_eq!(third["pagination"]["hasNextPage"], true);
    assert_eq!(third["pagination"]["totalPages"], 4);

    let (_, events) = h.post_json("/teams/filtered-usage-events", KEY, json!({"pageSize": 5, "page": 7})).await;
    assert_eq!(events["usageEvents"], events_first["usageEvents"]);
    assert_eq!(
        (events["pagination"]["currentPage"].as_u64(), events["pagination"]["hasNextPage"].as_bool()),
        (Some(7), Some(true))
    );

    let (_, commits) = h.get_json("/analytics/ai-code/commits?startDate=30d&pageSize=10&page=9", KEY).await;
    assert_eq!(commits["items"], commits_first["items"]);
    assert_eq!(commits["page"], 9);
    assert!(
        commits["totalCount"].as_u64().unwrap() > 9 * 10,
        "the count says a page 10 exists: {}",
        commits["totalCount"]
    );

    let cursor = agents_first["nextCursor"].as_str().expect("a first page with a next cursor");
    let (_, agents) = h.get_json(&format!("/v0/agents?limit=2&cursor={cursor}"), KEY).await;
    assert_eq!(agents["agents"], agents_first["agents"]);
    assert_eq!(agents["nextCursor"], cursor, "the same cursor again");
}

#[tokio::test]
async fn cut_write_bodies_are_well_framed_halves_and_the_write_happened() {
    let h = Harness::default_test().await;
    h.server.set_faults(only(FaultSpec { cut_write_body_rate: 1.0, ..FaultSpec::default() }));
    let response = h
        .request(reqwest::Method::POST, "/teams/groups", KEY)
        .json(&json!({"name": "Cut short"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let announced = response.content_length().expect("framed");
    let body = response.bytes().await.expect("the framing is intact");
    assert_eq!(body.len() as u64, announced);
    assert!(serde_json::from_slice::<Value>(&body).is_err(), "half a JSON document");
    // Reads are not cut, and the write took effect.
    let (status, groups) = h.get_json("/teams/groups", KEY).await;
    assert_eq!(status, 200);
    assert!(groups["groups"].as_array().unwrap().iter().any(|g| g["name"] == "Cut short"));
}
