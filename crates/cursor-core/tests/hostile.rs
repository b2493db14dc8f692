//! The request path against faulty and hostile loopback servers: cut and endless bodies,
//! huge error pages, redirects, corrupt cached answers, repeated pages, writes answered with
//! an unreadable body, and input that must never be sent.

mod common;
use common::*;

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cursor_core::{
    AttemptContext, AttemptFailure, Client, Decision, Endpoint, Error, NextPage, Page, Request, RetryClassifier,
};
use futures_util::TryStreamExt as _;
use serde::{Deserialize, Serialize};
use serde_json::json;
use support::{Reply, ScriptedServer, fast_client, fast_retries};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

const MEMBERS: Endpoint = Endpoint::get("admin.members", TEAM, "/teams/members", TEAM_BUCKET);
const LAUNCH: Endpoint = Endpoint::post("agents.launch", JOBS, "/v0/agents", JOBS_BUCKET)
    .uncertain_outcome_hint("list agents before launching again");
const DAU: Endpoint = Endpoint::get("analytics.dau", STATS, "/analytics/team/dau", STATS_BUCKET).cacheable();
const COMMITS_CSV: Endpoint =
    Endpoint::get("aicode.commits_csv", EXPORTS, "/analytics/ai-code/commits.csv", EXPORTS_BUCKET).csv_response();
const AUDIT: Endpoint =
    Endpoint::get("admin.audit_logs", TEAM, "/teams/audit-logs", TEAM_BUCKET).paginated(BLOCK_PAGES);
const SPEND: Endpoint = Endpoint::post("admin.spend", TEAM, "/teams/spend", TEAM_BUCKET)
    .idempotent_because("a query with a body: it only reads")
    .paginated(BODY_TOTAL_PAGES);

/// A server that reads each request's head and body, counts it, and lets `answer` write
/// whatever bytes it likes to the socket (then closes it).
async fn raw_server<F, Fut>(answer: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (answer, counter) = (answer.clone(), counter.clone());
            tokio::spawn(async move {
                if read_request(&mut socket).await {
                    counter.fetch_add(1, Ordering::SeqCst);
                    answer(socket).await;
                }
            });
        }
    });
    (url, hits)
}

/// Reads one request (head and `content-length` body); false if the peer closed first.
async fn read_request(socket: &mut TcpStream) -> bool {
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"\r\n\r\n") {
        if socket.read(&mut byte).await.unwrap_or(0) == 0 {
            return false;
        }
        seen.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&seen).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    socket.read_exact(&mut body).await.is_ok()
}

fn chunk(bytes: &[u8]) -> Vec<u8> {
    let mut out = format!("{:x}\r\n", bytes.len()).into_bytes();
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"\r\n");
    out
}

fn client_for(url: &str) -> cursor_core::ClientBuilder {
    cursor_core::testing::loopback_client(url).api_key("key_test_secret").retry_policy(fast_retries(3))
}

#[tokio::test]
async fn a_json_body_over_the_limit_is_refused_with_or_without_a_content_length() {
    let big = format!("[{}0]", "0,".repeat(600_000)); // 1.2 MB of valid JSON
    let declared = big.clone();
    let (url, _) = raw_server(move |mut socket| {
        let body = declared.clone();
        async move {
            let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len());
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(body.as_bytes()).await;
        }
    })
    .await;
    let client = client_for(&url).max_body_bytes(1024 * 1024).build().unwrap();
    let err = client.send_json::<serde_json::Value>(Request::new(&MEMBERS)).await.unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge { limit: 1_048_576, .. }), "{err:?}");

    // Chunked, with no length to refuse up front: reading stops at the limit.
    let (url, _) = raw_server(move |mut socket| {
        let body = big.clone();
        async move {
            let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n").await;
            for piece in body.as_bytes().chunks(64 * 1024) {
                if socket.write_all(&chunk(piece)).await.is_err() {
                    return;
                }
            }
            let _ = socket.write_all(b"0\r\n\r\n").await;
        }
    })
    .await;
    let client = client_for(&url).max_body_bytes(1024 * 1024).build().unwrap();
    let err = client.send_json::<serde_json::Value>(Request::new(&MEMBERS)).await.unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");
    // Under a larger limit the same body decodes.
    let client = client_for(&url).build().unwrap();
    let value: serde_json::Value = client.send_json(Request::new(&MEMBERS)).await.unwrap();
    assert_eq!(value.as_array().map(Vec::len), Some(600_001));
}

#[tokio::test]
async fn an_endless_error_body_is_read_to_64_kib_and_displayed_in_about_1_kib() {
    let (url, _) = raw_server(|mut socket| async move {
        let head = "HTTP/1.1 500 Oops\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        let _ = socket.write_all(head.as_bytes()).await;
        let _ = socket.write_all(&chunk(br#"{"error":"Internal","message":""#)).await;
        // Endless: stops only when the client hangs up.
        let filler = vec![b'x'; 16 * 1024];
        while socket.write_all(&chunk(&filler)).await.is_ok() {}
    })
    .await;
    let client = client_for(&url).retry_policy(fast_retries(1)).build().unwrap();
    let started = Instant::now();
    let err = client.send_json::<serde_json::Value>(Request::new(&MEMBERS)).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!(err.status(), Some(500));
    let shown = err.to_string();
    assert!(shown.len() <= 1100, "Display is {} bytes", shown.len());
    match err.api_error().map(|api| &api.body) {
        Some(cursor_core::ApiErrorBody::Text(text)) => assert!(text.len() <= 64 * 1024, "{}", text.len()),
        other => panic!("a cut-off JSON error body is kept as text: {other:?}"),
    }
}

#[tokio::test]
async fn the_error_body_of_a_streamed_request_is_read_under_the_request_timeout() {
    let (url, _) = raw_server(|mut socket| async move {
        let head = "HTTP/1.1 500 Oops\r\ntransfer-encoding: chunked\r\n\r\n";
        let _ = socket.write_all(head.as_bytes()).await;
        // One byte a second, forever.
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if socket.write_all(&chunk(b"x")).await.is_err() {
                return;
            }
        }
    })
    .await;
    let client = client_for(&url).retry_policy(fast_retries(1)).timeout(Duration::from_millis(800)).build().unwrap();
    let started = Instant::now();
    let err = client.send_streaming(Request::new(&COMMITS_CSV)).await.unwrap_err();
    assert_eq!(err.status(), Some(500), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5), "a dripping error body held the call: {:?}", started.elapsed());
}

#[tokio::test]
async fn an_endless_csv_field_fails_at_the_record_limit_instead_of_filling_memory() {
    let (url, _) = raw_server(|mut socket| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ntransfer-encoding: chunked\r\n\r\n";
        let _ = socket.write_all(head.as_bytes()).await;
        let _ = socket.write_all(&chunk(b"commit_hash,message\nabc,\"")).await;
        let filler = vec![b'y'; 32 * 1024];
        while socket.write_all(&chunk(&filler)).await.is_ok() {}
    })
    .await;
    let client = client_for(&url).max_csv_record_bytes(256 * 1024).build().unwrap();
    let body = client.send_streaming(Request::new(&COMMITS_CSV)).await.unwrap();
    let err = body.csv_records().try_collect::<Vec<_>>().await.unwrap_err();
    assert!(err.to_string().contains("longer than the 262144-byte limit"), "{err}");
}

#[tokio::test]
async fn a_csv_endpoint_answering_json_is_an_error() {
    let reply = Reply::json(200, json!({"error": "Unauthorized"})).header("content-type", "application/json");
    let server = ScriptedServer::start(vec![reply]).await;
    let err = fast_client(&server.base_url).send_streaming(Request::new(&COMMITS_CSV)).await.unwrap_err();
    assert!(err.to_string().contains("expected CSV"), "{err}");
}

#[tokio::test]
async fn a_redirect_is_an_error_naming_the_location_and_the_launch_body_goes_nowhere_else() {
    let elsewhere = ScriptedServer::start(vec![Reply::json(201, json!({"id": "bc_1"}))]).await;
    let location = format!("{}/v0/agents", elsewhere.base_url);
    let redirecting = ScriptedServer::start(vec![Reply::status(307).header("location", &location)]).await;
    let body = json!({"prompt": {"text": "secret plans"}, "webhook": {"secret": "whsec_0123456789abcdef0123456789"}});
    let err = fast_client(&redirecting.base_url)
        .send_json::<serde_json::Value>(Request::new(&LAUNCH).json(&body).unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Redirected { status: 307, .. }), "{err:?}");
    assert!(err.to_string().contains(&location), "{err}");
    assert_eq!(redirecting.hits(), 1, "not retried");
    assert_eq!(elsewhere.hits(), 0, "nothing follows the redirect");
}

#[tokio::test]
async fn plain_http_is_refused_for_remote_hosts_unless_asked_for() {
    for remote in ["http://api.example.com", "http://10.1.2.3:8080", "http://localhost.evil.com"] {
        let err = Client::builder().api_key("key_x").base_url(remote).build().unwrap_err();
        assert!(err.to_string().contains("clear text"), "{remote}: {err}");
        assert!(Client::builder().api_key("key_x").base_url(remote).allow_insecure_http(true).build().is_ok());
    }
    for local in ["http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9", "https://api.example.com"] {
        assert!(Client::builder().api_key("key_x").base_url(local).build().is_ok(), "{local}");
    }
}

#[tokio::test]
async fn a_write_answered_2xx_with_a_cut_body_is_done_but_unreadable_and_not_retried() {
    let (url, hits) = raw_server(|mut socket| async move {
        let head = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 200\r\n\r\n";
        let _ = socket.write_all(head.as_bytes()).await;
        let _ = socket.write_all(br#"{"id":"bc_abc","status":"CREA"#).await;
        // Hang up 170 bytes short.
    })
    .await;
    let client = client_for(&url).build().unwrap();
    let err = client
        .send_json::<serde_json::Value>(Request::new(&LAUNCH).json(&json!({"prompt": {"text": "go"}})).unwrap())
        .await
        .unwrap_err();
    assert!(err.is_done_but_unreadable(), "{err:?}");
    assert!(!err.is_retryable());
    match &err {
        Error::DoneButUnreadable { status, body, .. } => {
            assert_eq!(*status, 201);
            assert_eq!(&body[..], br#"{"id":"bc_abc","status":"CREA"#, "the raw body as far as it came");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(hits.load(Ordering::SeqCst), 1);

    // Whole but malformed: the same.
    let server = ScriptedServer::start(vec![Reply {
        status: 201,
        headers: vec![],
        body: b"{not json".to_vec(),
        delay: Duration::ZERO,
    }])
    .await;
    let err = fast_client(&server.base_url)
        .send_json::<serde_json::Value>(Request::new(&LAUNCH).json(&json!({})).unwrap())
        .await
        .unwrap_err();
    assert!(err.is_done_but_unreadable(), "{err:?}");
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_read_whose_body_is_cut_is_retried() {
    let first = Arc::new(AtomicUsize::new(0));
    let (url, hits) = raw_server(move |mut socket| {
        let first = first.clone();
        async move {
            if first.fetch_add(1, Ordering::SeqCst) == 0 {
                let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\n{\"teamMem").await;
            } else {
                let body = br#"{"teamMembers":[]}"#;
                let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len());
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(body).await;
            }
        }
    })
    .await;
    let value: serde_json::Value = client_for(&url).build().unwrap().send_json(Request::new(&MEMBERS)).await.unwrap();
    assert_eq!(value, json!({"teamMembers": []}));
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_corrupt_answer_with_an_etag_is_never_cached() {
    let corrupt = Reply::json(200, json!({})).header("etag", "\"v1\"");
    let corrupt = Reply { body: b"{\"data\": [1, 2".to_vec(), ..corrupt };
    let good = Reply::json(200, json!({"data": [1, 2]})).header("etag", "\"v2\"");
    let server = ScriptedServer::start(vec![corrupt, good.clone(), Reply::status(304).header("etag", "\"v2\"")]).await;
    let client = fast_client(&server.base_url);
    assert!(client.send_json::<serde_json::Value>(Request::new(&DAU)).await.is_err());
    let value: serde_json::Value = client.send_json(Request::new(&DAU)).await.unwrap();
    assert_eq!(value, json!({"data": [1, 2]}));
    let value: serde_json::Value = client.send_json(Request::new(&DAU)).await.unwrap();
    assert_eq!(value, json!({"data": [1, 2]}), "the good body is revalidated and replayed");
    let received = server.received();
    assert_eq!(received[1].header("if-none-match"), None, "the corrupt body was not kept");
    assert_eq!(received[2].header("if-none-match"), Some("\"v2\""));
}

#[tokio::test]
async fn a_cached_body_that_no_longer_decodes_is_dropped_and_fetched_whole() {
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Strict {
        total: u32,
    }
    let answer = Reply::json(200, json!({"total": "many"})).header("etag", "\"v1\"");
    let server = ScriptedServer::start(vec![answer.clone(), Reply::status(304), answer]).await;
    let client = fast_client(&server.base_url);
    // Read loosely, it decodes and is cached.
    let _: serde_json::Value = client.send_json(Request::new(&DAU)).await.unwrap();
    // Read strictly, the cached body fails: it is dropped and the answer fetched again whole.
    assert!(client.send_json::<Strict>(Request::new(&DAU)).await.is_err());
    let received = server.received();
    assert_eq!(received.len(), 3);
    assert_eq!(received[1].header("if-none-match"), Some("\"v1\""));
    assert_eq!(received[2].header("if-none-match"), None, "fetched again without the validator");
}

#[derive(Deserialize)]
struct AuditPage {
    events: Vec<Event>,
    pagination: PageBlock,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Event {
    id: u32,
    #[serde(default)]
    note: String,
}

impl Page for AuditPage {
    type Item = Event;
    fn next_page(&self, requested: u32) -> NextPage {
        self.pagination.next_page(requested)
    }
    fn item_id(item: &Event) -> Option<String> {
        Some(item.id.to_string())
    }
    fn into_items(self) -> Vec<Event> {
        self.events
    }
}

fn audit_page(page: u32, total_pages: u32, ids: &[u32]) -> Reply {
    let events: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
    Reply::json(
        200,
        json!({"events": events, "pagination": {"page": page, "pageSize": ids.len(), "totalPages": total_pages,
            "hasNextPage": page < total_pages, "hasPreviousPage": page > 1}}),
    )
}

#[tokio::test]
async fn a_server_repeating_page_one_under_later_page_numbers_yields_no_duplicate() {
    // It says page 2 and page 3, but sends page 1's events each time.
    let server = ScriptedServer::start(vec![
        audit_page(1, 4, &[1, 2, 3]),
        audit_page(2, 4, &[1, 2, 3]),
        audit_page(3, 4, &[1, 2, 3]),
    ])
    .await;
    let mut items = fast_client(&server.base_url).items::<AuditPage>(Request::new(&AUDIT));
    let mut yielded = Vec::new();
    let err = loop {
        match items.try_next().await {
            Ok(Some(item)) => yielded.push(item.id),
            Ok(None) => panic!("the stream ended without noticing"),
            Err(err) => break err,
        }
    };
    assert_eq!(yielded, vec![1, 2, 3], "page 1 once, nothing of the repeats");
    assert!(matches!(err, Error::Pagination { .. }), "{err}");
    assert_eq!(server.hits(), 2);
}

#[derive(Deserialize)]
struct SpendPage {
    members: Vec<Event>,
    #[serde(rename = "totalPages")]
    total_pages: u32,
}

impl Page for SpendPage {
    type Item = Event;
    fn next_page(&self, requested: u32) -> NextPage {
        cursor_core::next_by_total_pages(requested, Some(self.total_pages))
    }
    fn into_items(self) -> Vec<Event> {
        self.members
    }
}

#[tokio::test]
async fn a_page_without_a_page_number_answered_twice_stops_before_its_items() {
    let page = Reply::json(200, json!({"members": [{"id": 1}, {"id": 2}], "totalPages": 5}));
    let server = ScriptedServer::start(vec![page.clone(), page.clone(), page]).await;
    let result: Result<Vec<Event>, _> =
        fast_client(&server.base_url).items::<SpendPage>(Request::new(&SPEND)).try_collect().await;
    assert!(matches!(result, Err(Error::Pagination { .. })), "{result:?}");
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn an_item_at_the_seam_of_two_windows_is_yielded_once_and_neighbours_are_kept() {
    // Both windows cover the boundary instant, so the server returns event 5 in both. Rows
    // without an id are told apart by their whole content.
    let server = ScriptedServer::start(vec![audit_page(1, 1, &[3, 4, 5]), audit_page(1, 1, &[5, 6, 7])]).await;
    let windows = vec![Request::new(&AUDIT).query("w", 1), Request::new(&AUDIT).query("w", 2)];
    let ids: Vec<u32> = fast_client(&server.base_url)
        .items_across::<AuditPage>(windows)
        .map_ok(|event| event.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, vec![3, 4, 5, 6, 7]);

    // A page that shifted under the reader (a new event arrived) repeats one item: dropped,
    // and the stream goes on.
    let server = ScriptedServer::start(vec![audit_page(1, 2, &[9, 8, 7]), audit_page(2, 2, &[7, 6, 5])]).await;
    let ids: Vec<u32> = fast_client(&server.base_url)
        .items::<AuditPage>(Request::new(&AUDIT))
        .map_ok(|event| event.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, vec![9, 8, 7, 6, 5]);
}

#[tokio::test]
async fn control_characters_in_a_filter_are_refused_before_sending() {
    let server = ScriptedServer::start(vec![Reply::json(200, json!({}))]).await;
    let client = fast_client(&server.base_url);
    for bad in ["a\nb", "x\r\nHost: evil", "tab\there", "nul\0"] {
        let err = client.send_json::<serde_json::Value>(Request::new(&MEMBERS).query("users", bad)).await.unwrap_err();
        assert!(err.is_invalid_request(), "{bad:?}: {err}");
        assert!(err.to_string().contains("`users`"), "{err}");
    }
    assert_eq!(server.hits(), 0);
}

#[tokio::test]
async fn a_refused_connection_keeps_its_cause_as_the_source() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = client_for(&url).retry_policy(fast_retries(1)).build().unwrap().send_empty(Request::new(&MEMBERS)).await;
    let err = err.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(std::error::Error::source(&err).is_some(), "the HTTP stack's error is kept");
    assert!(err.is_retryable());
}

/// A classifier that never retries anything.
#[derive(Debug)]
struct NeverRetry;

impl RetryClassifier for NeverRetry {
    fn classify(&self, _: &AttemptContext, _: &AttemptFailure) -> Decision {
        Decision::GiveUp
    }
}

/// A classifier that wants to retry everything, even a launch that may have arrived.
#[derive(Debug)]
struct AlwaysRetry;

impl RetryClassifier for AlwaysRetry {
    fn classify(&self, _: &AttemptContext, _: &AttemptFailure) -> Decision {
        Decision::Retry { after: Duration::ZERO }
    }
}

#[tokio::test]
async fn the_classifier_is_replaceable_per_client_and_per_request_but_cannot_repeat_a_launch() {
    let failing = || (0..4).map(|_| Reply::json(503, json!({"error": "x"}))).collect::<Vec<_>>();
    let server = ScriptedServer::start(failing()).await;
    let client = client_for(&server.base_url).retry_classifier(NeverRetry).build().unwrap();
    assert!(client.send_empty(Request::new(&MEMBERS)).await.is_err());
    assert_eq!(server.hits(), 1, "the client's classifier gave up at once");

    let server = ScriptedServer::start(failing()).await;
    let client = fast_client(&server.base_url);
    assert!(client.send_empty(Request::new(&MEMBERS).retry_classifier(NeverRetry)).await.is_err());
    assert_eq!(server.hits(), 1, "the request's classifier overrides the client's");

    let server = ScriptedServer::start(failing()).await;
    let client = client_for(&server.base_url).retry_classifier(AlwaysRetry).build().unwrap();
    let err = client.send_empty(Request::new(&LAUNCH).json(&json!({})).unwrap()).await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(server.hits(), 1, "no classifier can send a launch twice");

    // Unless the caller says this request is safe to repeat.
    let server = ScriptedServer::start(failing()).await;
    let client = fast_client(&server.base_url);
    let err = client.send_empty(Request::new(&LAUNCH).json(&json!({})).unwrap().idempotent(true)).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.hits(), 4, "retried up to the policy's four attempts");
}

#[tokio::test]
async fn the_servers_rate_limit_headers_teach_the_bucket_its_budget() {
    const ME: Endpoint = Endpoint::get("agents.v1.me", JOBS, "/v1/me", JOBS_BUCKET);
    let told = Reply::json(200, json!({}))
        .header("x-ratelimit-limit", "5")
        .header("x-ratelimit-remaining", "0")
        .header("x-ratelimit-reset", "1");
    let server = ScriptedServer::start(vec![told, Reply::json(200, json!({}))]).await;
    let client = cursor_core::Client::builder()
        .api_key("key_test")
        .base_url(&server.base_url)
        .retry_policy(fast_retries(1))
        .build()
        .unwrap();
    assert_eq!(client.current_rates(&ME), [cursor_core::Rate::per_minute(60)]);
    let _: serde_json::Value = client.send_json(Request::new(&ME)).await.unwrap();
    assert_eq!(client.current_rates(&ME), [cursor_core::Rate::per_minute(5)], "the server's lower limit");
    let started = Instant::now();
    let _: serde_json::Value = client.send_json(Request::new(&ME)).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "nothing remained until the reset: {:?}",
        started.elapsed()
    );
}
