//! Shared helpers for the contract and end-to-end tests: starting the simulator, building
//! SDK clients that point at it, and reading its journal.

use std::time::Duration;

use cursor_core::{Client, Jitter, RetryPolicy};
use cursor_mock::{JournalEntry, MockConfig, MockServer};

pub use cursor_mock;

/// The instant the simulator's test configuration freezes its calendar at (2025-06-15 12:00 UTC);
/// clients use the same clock so that relative ranges resolve identically on both sides.
pub const MOCK_NOW: time::OffsetDateTime = time::macros::datetime!(2025-06-15 12:00:00 UTC);

/// Every endpoint every API crate declares, read from the crates' `ENDPOINTS` lists (the v1
/// Cloud Agents API's included): the one list of routes the workspace's tests hold to the
/// documents, the simulator and the fixtures.
pub fn declared_endpoints() -> Vec<&'static cursor_core::Endpoint> {
    [
        cursor_admin::ENDPOINTS,
        cursor_analytics::ENDPOINTS,
        cursor_aicode::ENDPOINTS,
        cursor_agents::ENDPOINTS,
        cursor_agents::v1::endpoints::ENDPOINTS,
        cursor_bugbot::ENDPOINTS,
    ]
    .into_iter()
    .flat_map(|list| list.iter().copied())
    .collect()
}

/// Starts the simulator with its test configuration (frozen clock, instant agents).
pub async fn start_mock() -> MockServer {
    start_mock_with(MockConfig::for_tests()).await
}

/// Starts the simulator with a given configuration.
pub async fn start_mock_with(config: MockConfig) -> MockServer {
    MockServer::start(config).await.expect("the simulator binds a loopback port")
}

/// A retry policy with short, exact delays, so retry tests stay fast.
pub fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        jitter: Jitter::None,
        max_retry_after: Duration::from_secs(5),
    }
}

/// A core client for `server` with the key `key`, no client-side limits, no retries and the
/// simulator's clock.
pub fn client(server: &MockServer, key: &str) -> Client {
    client_with(server, key, RetryPolicy::none())
}

/// A core client for `server` with the key `key`, no client-side limits, the given retries
/// and the simulator's clock.
pub fn client_with(server: &MockServer, key: &str, retry: RetryPolicy) -> Client {
    cursor_core::testing::loopback_client(&server.base_url())
        .api_key(key)
        .retry_policy(retry)
        .clock(|| MOCK_NOW)
        .build()
        .expect("a client with a key and an http:// base URL builds")
}

/// The journal entries for one method and path, in arrival order.
pub fn requests_to(server: &MockServer, method: &str, path: &str) -> Vec<JournalEntry> {
    server.journal().into_iter().filter(|e| e.method == method && e.path == path).collect()
}

/// The value of a query parameter in a journal entry (no percent-decoding beyond `%3A`,
/// `%2C`, `%40` and `+`, which is all the tests need).
pub fn query_param(entry: &JournalEntry, name: &str) -> Option<String> {
    let query = entry.query.as_deref()?;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| v.replace("%3A", ":").replace("%2C", ",").replace("%40", "@").replace('+', " "))
    })
}

/// The JSON body of a journal entry.
pub fn json_body(entry: &JournalEntry) -> serde_json::Value {
    serde_json::from_str(&entry.body).expect("the SDK sent a JSON body")
}

/// One HTTP request received by a [`WebhookReceiver`]: header names lower-cased, raw body.
#[derive(Debug, Clone)]
pub struct ReceivedWebhook {
    /// The headers, in arrival order.
    pub headers: Vec<(String, String)>,
    /// The exact body bytes (what the signature covers).
    pub body: Vec<u8>,
}

/// A minimal loopback HTTP/1.1 server that records every POST and answers `200`.
#[derive(Debug)]
pub struct WebhookReceiver {
    url: String,
    received: std::sync::Arc<std::sync::Mutex<Vec<ReceivedWebhook>>>,
    task: tokio::task::JoinHandle<()>,
}

impl WebhookReceiver {
    /// Binds a random loopback port and starts recording.
    pub async fn start() -> WebhookReceiver {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let url = format!("http://{}/cursor-webhook", listener.local_addr().expect("bound"));
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = std::sync::Arc::clone(&received);
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let sink = std::sync::Arc::clone(&sink);
                tokio::spawn(async move {
                    let mut buffer = Vec::new();
                    let mut chunk = [0u8; 4096];
                    let (head_len, content_length) = loop {
                        let Ok(n) = socket.read(&mut chunk).await else { return };
                        if n == 0 {
                            return;
                        }
                        buffer.extend_from_slice(&chunk[..n]);
                        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                            let head = String::from_utf8_lossy(&buffer[..end]).to_string();
                            let length = head
                                .lines()
                                .filter_map(|l| l.split_once(':'))
                                .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
                                .and_then(|(_, v)| v.trim().parse::<usize>().ok())
                                .unwrap_or(0);
                            break (end + 4, length);
                        }
                    };
                    while buffer.len() < head_len + content_length {
                        let Ok(n) = socket.read(&mut chunk).await else { return };
                        if n == 0 {
                            return;
                        }
                        buffer.extend_from_slice(&chunk[..n]);
                    }
                    let head = String::from_utf8_lossy(&buffer[..head_len]).to_string();
                    let headers = head
                        .lines()
                        .skip(1)
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                        .collect();
                    let body = buffer[head_len..head_len + content_length].to_vec();
                    sink.lock().unwrap_or_else(|e| e.into_inner()).push(ReceivedWebhook { headers, body });
                    let _ =
                        socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        WebhookReceiver { url, received, task }
    }

    /// The URL to give as `webhook.url`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Waits (up to `timeout`) until at least `count` requests have arrived, and returns them all.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<ReceivedWebhook> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let got = self.received.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if got.len() >= count || tokio::time::Instant::now() >= deadline {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The README's examples, compiled as doctests so they cannot drift from the SDK.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
