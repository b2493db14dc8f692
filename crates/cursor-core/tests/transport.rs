//! Loopback tests of the request path: auth bytes, retries by idempotency, Retry-After,
//! conditional requests, rate-limit buckets, redaction and tracing.

mod common;
use common::*;

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cursor_core::{Client, Endpoint, Error, Rate, RateLimits, Request};
use serde_json::json;
use support::{Reply, ScriptedServer, fast_client, fast_retries};

const SECRET: &str = "key_test_secret_0123456789";

const MEMBERS: Endpoint = Endpoint::get("admin.members", TEAM, "/teams/members", TEAM_BUCKET);
const SPEND: Endpoint = Endpoint::post("admin.spend", TEAM, "/teams/spend", TEAM_BUCKET)
    .idempotent_because("a query with a body: it only reads");
const UPSERT: Endpoint = Endpoint::post("admin.upsert", TEAM, "/settings/repo-blocklists/repos/upsert", TEAM_BUCKET);
const DELETE_GROUP: Endpoint =
    Endpoint::delete("admin.delete_group", TEAM, "/teams/groups/{groupId}", TEAM_BUCKET).empty_response();
const LAUNCH: Endpoint = Endpoint::post("agents.launch", JOBS, "/v0/agents", JOBS_BUCKET)
    .uncertain_outcome_hint("an agent may have been created: list agents before launching again");
const DAU: Endpoint = Endpoint::get("analytics.dau", STATS, "/analytics/team/dau", STATS_BUCKET).cacheable();

#[tokio::test]
async fn sends_basic_auth_with_the_key_as_user_and_an_empty_password() {
    let server = httpmock::MockServer::start_async().await;
    // base64("key_test_secret_0123456789:")
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/teams/members")
                .header("authorization", "Basic a2V5X3Rlc3Rfc2VjcmV0XzAxMjM0NTY3ODk6")
                .header("accept", "application/json")
                .header_exists("user-agent");
            then.status(200).json_body(json!({"teamMembers": []}));
        })
        .await;
    let client = fast_client(&server.base_url());
    let body: serde_json::Value = client.send_json(Request::new(&MEMBERS)).await.unwrap();
    assert_eq!(body, json!({"teamMembers": []}));
    mock.assert_async().await;
}

#[tokio::test]
async fn user_agent_names_the_crate_and_version() {
    let server = ScriptedServer::start(vec![Reply::json(200, json!({}))]).await;
    let _: serde_json::Value = fast_client(&server.base_url).send_json(Request::new(&MEMBERS)).await.unwrap();
    let agent = server.received()[0].header("user-agent").unwrap().to_owned();
    assert_eq!(agent, format!("cursor-rs/{} (cursor-core)", env!("CARGO_PKG_VERSION")));
}

/// Sends one request to an endpoint whose server always answers `status`; returns the hits.
async fn hits_for(endpoint: &'static Endpoint, status: u16) -> (usize, Error) {
    let server = ScriptedServer::start((0..10).map(|_| Reply::json(status, json!({"error": "x"}))).collect()).await;
    let mut request = Request::new(endpoint);
    if endpoint.path.contains("{groupId}") {
        request = request.path_param("groupId", "g1").unwrap();
    }
    if endpoint.method != cursor_core::Method::Get && endpoint.method != cursor_core::Method::Delete {
        request = request.json(&json!({"a": 1})).unwrap();
    }
    let err = fast_client(&server.base_url).send_json::<serde_json::Value>(request).await.unwrap_err();
    (server.hits(), err)
}

#[tokio::test]
async fn retry_matrix_status_by_idempotency() {
    for status in [500, 502, 503, 504] {
        assert_eq!(hits_for(&MEMBERS, status).await.0, 4, "GET retried on {status}");
        assert_eq!(hits_for(&DELETE_GROUP, status).await.0, 4, "DELETE retried on {status}");
        assert_eq!(hits_for(&SPEND, status).await.0, 4, "read-only POST retried on {status}");
        assert_eq!(hits_for(&UPSERT, status).await.0, 1, "writing POST sent once on {status}");
        assert_eq!(hits_for(&LAUNCH, status).await.0, 1, "launch sent once on {status}");
    }
    for status in [400, 401, 403, 404, 409] {
        for endpoint in [&MEMBERS, &SPEND, &UPSERT, &LAUNCH] {
            let (hits, err) = hits_for(endpoint, status).await;
            assert_eq!(hits, 1, "{} not retried on {status}", endpoint.name);
            assert_eq!(err.status(), Some(status));
        }
    }
    // A 429 means the server did nothing, so even the launch is retried.
    for endpoint in [&MEMBERS, &UPSERT, &LAUNCH] {
        let server = ScriptedServer::start(vec![
            Reply::json(429, json!({"error": "Too Many Requests"})).header("retry-after", "0"),
            Reply::json(200, json!({"ok": true})),
        ])
        .await;
        let request = Request::new(endpoint).json(&json!({})).unwrap();
        let body: serde_json::Value = fast_client(&server.base_url).send_json(request).await.unwrap();
        assert_eq!(body, json!({"ok": true}));
        assert_eq!(server.hits(), 2, "{} retried after 429", endpoint.name);
    }
}

#[tokio::test]
async fn a_launch_that_fails_after_sending_is_reported_as_outcome_unknown_with_the_hint() {
    let (hits, err) = hits_for(&LAUNCH, 502).await;
    assert_eq!(hits, 1);
    assert!(err.is_outcome_unknown());
    assert_eq!(err.status(), Some(502));
    assert!(err.to_string().contains("list agents before launching again"), "{err}");
}

#[tokio::test]
async fn timeouts_are_retried_for_reads_and_never_for_a_launch() {
    let slow = || Reply::json(200, json!({})).delayed(Duration::from_millis(400));
    let server = ScriptedServer::start(vec![slow(), slow(), Reply::json(200, json!({"n": 3}))]).await;
    let client = Client::builder()
        .api_key(SECRET)
        .base_url(&server.base_url)
        .rate_limits(RateLimits::unlimited())
        .retry_policy(fast_retries(3))
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let body: serde_json::Value = client.send_json(Request::new(&MEMBERS)).await.unwrap();
    assert_eq!(body, json!({"n": 3}));
    assert_eq!(server.hits(), 3);

    let server = ScriptedServer::start(vec![slow(), slow()]).await;
    let client = Client::builder()
        .api_key(SECRET)
        .base_url(&server.base_url)
        .rate_limits(RateLimits::unlimited())
        .retry_policy(fast_retries(3))
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let err = client.send_json::<serde_json::Value>(Request::new(&LAUNCH).json(&json!({})).unwrap()).await.unwrap_err();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(server.hits(), 1, "the launch must reach the server once");
    assert!(err.is_outcome_unknown() && err.is_timeout(), "{err}");
}

#[tokio::test]
async fn connection_errors_are_retried_for_reads() {
    // Nothing listens on this port once the listener is dropped.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let started = Instant::now();
    let err = fast_client(&url).send_json::<serde_json::Value>(Request::new(&MEMBERS)).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    // Three backoffs (5, 10, 20 ms) prove the four attempts happened.
    assert!(started.elapsed() >= Duration::from_millis(35));
}

#[tokio::test]
async fn retry_after_is_honored_before_the_retry() {
    let server = ScriptedServer::start(vec![
        Reply::json(
            429,
            json!({"error": "Too Many Requests", "message": "Rate limit exceeded. Please try again later."}),
        )
        .header("retry-after", "1"),
        Reply::json(200, json!({"teamMembers": []})),
    ])
    .await;
    let started = Instant::now();
    let _: serde_json::Value = fast_client(&server.base_url).send_json(Request::new(&MEMBERS)).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "retried after {:?}", started.elapsed());
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn rate_limited_after_all_attempts_keeps_status_body_and_retry_after() {
    let reply = || {
        Reply::json(
            429,
            json!({"error": "Too Many Requests", "message": "Rate limit exceeded. Please try again later."}),
        )
        .header("retry-after", "0")
    };
    let server = ScriptedServer::start(vec![reply(), reply(), reply(), reply()]).await;
    let err = fast_client(&server.base_url).send_json::<serde_json::Value>(Request::new(&MEMBERS)).await.unwrap_err();
    assert!(err.is_rate_limited());
    assert_eq!(err.retry_after(), Some(Duration::ZERO));
    assert_eq!(err.api_error().unwrap().body.message(), Some("Rate limit exceeded. Please try again later."));
    assert_eq!(server.hits(), 4);
}

#[tokio::test]
async fn a_429_without_retry_after_slows_the_bucket_down_once_per_burst() {
    let server = ScriptedServer::start(vec![
        Reply::json(429, json!({})),
        Reply::json(429, json!({})),
        Reply::json(200, json!({})),
    ])
    .await;
    let client = Client::builder()
        .api_key(SECRET)
        .base_url(&server.base_url)
        .rate_limits(RateLimits::default().set(TEAM_BUCKET, vec![Rate::per_minute(1000)]))
        .retry_policy(fast_retries(3))
        .build()
        .unwrap();
    let _: serde_json::Value = client.send_json(Request::new(&MEMBERS)).await.unwrap();
    // Two refusals of one call are one burst: one cut to 3/4.
    assert_eq!(client.current_rates(&MEMBERS), vec![Rate::per_minute(750)]);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_policy_allows_is_returned_not_waited() {
    let server = ScriptedServer::start(vec![
        Reply::json(429, json!({})).header("retry-after", "3600"),
        Reply::json(200, json!({})),
    ])
    .await;
    let started = Instant::now();
    let err = fast_client(&server.base_url).send_json::<serde_json::Value>(Request::new(&MEMBERS)).await.unwrap_err();
    assert!(err.is_rate_limited());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn etag_revalidation_answers_304_from_the_cache_without_using_the_budget() {
    let server = ScriptedServer::start(vec![
        Reply::json(200, json!({"data": [{"date": "2025-01-15", "dau": 42}]})).header("etag", "\"abc123xyz\""),
        Reply::status(304).header("etag", "\"abc123xyz\""),
        Reply::status(304).header("etag", "\"abc123xyz\""),
    ])
    .await;
    // One request a minute: without the revalidation exemption the second call would wait.
    let client = Client::builder()
        .api_key(SECRET)
        .base_url(&server.base_url)
        .rate_limits(RateLimits::default().set(STATS_BUCKET, vec![Rate::per_minute(1)]))
        .retry_policy(fast_retries(1))
        .build()
        .unwrap();
    let first: serde_json::Value = client.send_json(Request::new(&DAU).query("startDate", "7d")).await.unwrap();
    let started = Instant::now();
    for _ in 0..2 {
        let again: serde_json::Value = client.send_json(Request::new(&DAU).query("startDate", "7d")).await.unwrap();
        assert_eq!(again, first);
    }
    assert!(started.elapsed() < Duration::from_millis(500), "revalidations waited {:?}", started.elapsed());
    let received = server.received();
    assert_eq!(received[0].header("if-none-match"), None);
    assert_eq!(received[1].header("if-none-match"), Some("\"abc123xyz\""));
    assert_eq!(received[2].header("if-none-match"), Some("\"abc123xyz\""));
}

#[tokio::test]
async fn saved_answers_make_a_new_clients_first_request_conditional_and_stay_with_their_key() {
    let server = ScriptedServer::start(vec![
        Reply::json(200, json!({"data": [{"date": "2025-01-15", "dau": 42}]})).header("etag", "\"run1\""),
        Reply::status(304).header("etag", "\"run1\""),
        Reply::json(200, json!({"data": []})).header("etag", "\"other\""),
    ])
    .await;
    let first_run = fast_client(&server.base_url);
    let first: serde_json::Value = first_run.send_json(Request::new(&DAU).query("startDate", "7d")).await.unwrap();
    let saved = first_run.cached_answers();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].etag, "\"run1\"");
    assert!(!saved[0].key.contains(SECRET), "the saved request names a fingerprint of the key, never the key");

    // A new client (the next run) with the saved answers: its first request is conditional and
    // the 304 replays the saved body.
    let next_run = fast_client(&server.base_url);
    next_run.restore_cached_answers(saved.clone());
    let again: serde_json::Value = next_run.send_json(Request::new(&DAU).query("startDate", "7d")).await.unwrap();
    assert_eq!(again, first);
    assert_eq!(server.received()[1].header("if-none-match"), Some("\"run1\""));

    // Another key's client takes none of them.
    let other_key = next_run.with_api_key("key_someone_else_0123456789");
    let fresh = Client::builder().api_key("key_someone_else_0123456789").base_url(&server.base_url).build().unwrap();
    fresh.restore_cached_answers(saved);
    assert!(fresh.cached_answers().is_empty());
    let _: serde_json::Value = other_key.send_json(Request::new(&DAU).query("startDate", "7d")).await.unwrap();
    assert_eq!(server.received()[2].header("if-none-match"), None);
}

#[tokio::test]
async fn the_cache_can_be_switched_off_and_is_not_used_for_other_queries() {
    let server = ScriptedServer::start(vec![
        Reply::json(200, json!({"n": 1})).header("etag", "\"e1\""),
        Reply::json(200, json!({"n": 2})).header("etag", "\"e2\""),
        Reply::json(200, json!({"n": 3})).header("etag", "\"e3\""),
    ])
    .await;
    let client = Client::builder()
        .api_key(SECRET)
        .base_url(&server.base_url)
        .rate_limits(RateLimits::unlimited())
        .disable_cache()
        .build()
        .unwrap();
    let _: serde_json::Value = client.send_json(Request::new(&DAU)).await.unwrap();
    let _: serde_json::Value = client.send_json(Request::new(&DAU)).await.unwrap();
    assert_eq!(server.received()[1].header("if-none-match"), None, "cache disabled");

    let cached = fast_client(&server.base_url);
    let _: serde_json::Value = cached.send_json(Request::new(&DAU).query("startDate", "30d")).await.unwrap_or_default();
    assert_eq!(server.received()[2].header("if-none-match"), None, "a different query has no entry");
}

#[tokio::test]
async fn non_cacheable_endpoints_never_send_if_none_match() {
    let server = ScriptedServer::start(vec![
        Reply::json(200, json!({})).header("etag", "\"m1\""),
        Reply::json(200, json!({})).header("etag", "\"m1\""),
    ])
    .await;
    let client = fast_client(&server.base_url);
    for _ in 0..2 {
        let _: serde_json::Value = client.send_json(Request::new(&MEMBERS)).await.unwrap();
    }
    assert_eq!(server.received()[1].header("if-none-match"), None);
}

#[tokio::test]
async fn decode_errors_name_the_endpoint_and_the_field() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Members {
        #[serde(rename = "teamMembers")]
        team_members: Vec<Member>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Member {
        email: String,
    }
    let server = ScriptedServer::start(vec![Reply::json(200, json!({"teamMembers": [{"email": 7}]}))]).await;
    let err = fast_client(&server.base_url).send_json::<Members>(Request::new(&MEMBERS)).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("admin.members") && text.contains("teamMembers[0].email"), "{text}");
}

#[tokio::test]
async fn the_key_never_appears_in_errors_debug_output_or_traces() {
    let output = Arc::new(Mutex::new(Vec::<u8>::new()));
    let writer = output.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || CapturedWriter(writer.clone()))
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = ScriptedServer::start(vec![
        Reply::json(401, json!({"error": "Unauthorized", "message": "Invalid API key"})),
        Reply::json(503, json!({})),
        Reply::json(503, json!({})),
    ])
    .await;
    let client = Client::builder()
        .api_key(SECRET)
        .base_url(&server.base_url)
        .rate_limits(RateLimits::unlimited())
        .retry_policy(fast_retries(2))
        .build()
        .unwrap();
    let unauthorized = client.send_json::<serde_json::Value>(Request::new(&MEMBERS)).await.unwrap_err();
    assert!(unauthorized.is_unauthorized());
    let unavailable = client.send_json::<serde_json::Value>(Request::new(&MEMBERS)).await.unwrap_err();

    let traces = String::from_utf8(output.lock().unwrap().clone()).unwrap();
    assert!(traces.contains("cursor.request"), "spans were recorded: {traces}");
    assert!(traces.contains("endpoint=\"admin.members\"") || traces.contains("endpoint=admin.members"), "{traces}");
    let closes: Vec<&str> = traces.lines().filter(|l| l.contains("cursor.request") && l.contains("close")).collect();
    assert_eq!(closes.len(), 2, "one span per request: {traces}");
    assert!(closes[0].contains("attempt=1") && closes[0].contains("status=401"), "{}", closes[0]);
    assert!(closes[1].contains("attempt=2") && closes[1].contains("status=503"), "{}", closes[1]);
    assert_eq!(closes[1].matches("attempt=").count(), 1, "fields are recorded once: {}", closes[1]);
    assert!(traces.contains("limiter_wait_ms") && traces.contains("elapsed_ms"), "{traces}");
    let encoded = "a2V5X3Rlc3Rfc2VjcmV0XzAxMjM0NTY3ODk6";
    for text in [
        traces,
        unauthorized.to_string(),
        format!("{unauthorized:?}"),
        unavailable.to_string(),
        format!("{unavailable:?}"),
        format!("{client:?}"),
    ] {
        assert!(
            !text.contains(SECRET) && !text.contains("secret_0123") && !text.contains(encoded),
            "leaked in: {text}"
        );
    }
}

struct CapturedWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for CapturedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn clones_share_one_budget_and_another_key_gets_its_own() {
    let server = ScriptedServer::start((0..4).map(|_| Reply::json(200, json!({}))).collect()).await;
    let client = Client::builder()
        .api_key(SECRET)
        .base_url(&server.base_url)
        .rate_limits(RateLimits::default().set(TEAM_BUCKET, vec![Rate::per_minute(1)]))
        .build()
        .unwrap();
    let _: serde_json::Value = client.send_json(Request::new(&MEMBERS)).await.unwrap();
    let clone = client.clone();
    let waited =
        tokio::time::timeout(Duration::from_millis(200), clone.send_json::<serde_json::Value>(Request::new(&MEMBERS)))
            .await;
    assert!(waited.is_err(), "a clone shares the spent budget, so it must wait");
    let other = client.with_api_key("key_other_team");
    let fresh =
        tokio::time::timeout(Duration::from_secs(3), other.send_json::<serde_json::Value>(Request::new(&MEMBERS)))
            .await;
    assert!(fresh.is_ok(), "another key has its own budget");
    assert_eq!(server.received().last().unwrap().header("authorization"), Some("Basic a2V5X290aGVyX3RlYW06"));
}

#[tokio::test]
async fn empty_answers_and_json_bodies() {
    let server = ScriptedServer::start(vec![Reply::status(204)]).await;
    let request = Request::new(&DELETE_GROUP).path_param("groupId", "group_1").unwrap();
    fast_client(&server.base_url).send_empty(request).await.unwrap();
    let received = &server.received()[0];
    assert_eq!((received.method.as_str(), received.target.as_str()), ("DELETE", "/teams/groups/group_1"));

    let server = ScriptedServer::start(vec![Reply::json(200, json!({}))]).await;
    let request =
        Request::new(&UPSERT).json(&json!({"repos": [{"url": "https://github.com/o/r", "patterns": ["*"]}]})).unwrap();
    let _: serde_json::Value = fast_client(&server.base_url).send_json(request).await.unwrap();
    let received = &server.received()[0];
    assert_eq!(received.header("content-type"), Some("application/json"));
    assert_eq!(received.json(), json!({"repos": [{"url": "https://github.com/o/r", "patterns": ["*"]}]}));
}

#[tokio::test]
async fn a_429_on_a_revalidation_waits_out_retry_after() {
    let server = ScriptedServer::start(vec![
        Reply::json(200, json!({"n": 1})).header("etag", "\"v1\""),
        Reply::json(429, json!({"error": "Too Many Requests"})).header("retry-after", "1"),
        Reply::status(304).header("etag", "\"v1\""),
    ])
    .await;
    let client = fast_client(&server.base_url);
    let _: serde_json::Value = client.send_json(Request::new(&DAU)).await.unwrap();
    let started = Instant::now();
    let again: serde_json::Value = client.send_json(Request::new(&DAU)).await.unwrap();
    assert_eq!(again, json!({"n": 1}));
    assert!(started.elapsed() >= Duration::from_secs(1), "the revalidation was resent after {:?}", started.elapsed());
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn a_retry_after_past_the_policy_pauses_later_calls_no_longer_than_the_policy() {
    let server = ScriptedServer::start(vec![
        Reply::json(429, json!({})).header("retry-after", "3600"),
        Reply::json(200, json!({"ok": true})),
    ])
    .await;
    let policy = cursor_core::RetryPolicy { max_retry_after: Duration::from_millis(300), ..fast_retries(2) };
    let client = Client::builder()
        .api_key(SECRET)
        .base_url(&server.base_url)
        .rate_limits(RateLimits::unlimited())
        .retry_policy(policy)
        .build()
        .unwrap();
    let err = client.send_json::<serde_json::Value>(Request::new(&MEMBERS)).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    let next =
        tokio::time::timeout(Duration::from_secs(2), client.send_json::<serde_json::Value>(Request::new(&MEMBERS)))
            .await
            .expect("the next call is not blocked for an hour");
    assert_eq!(next.unwrap(), json!({"ok": true}));
}
