//! Shared test helpers: clients pointed at a mock server, and the reader of the documents'
//! example JSON (the files under `tests/fixtures/agents/`).

#![allow(dead_code)]

use std::time::Duration;

use cursor_agents::AgentsClient;
use cursor_core::RetryPolicy;
use cursor_core::testing::loopback_client;

// Not every test file that shares this module reads a fixture.
#[allow(unused_imports)]
pub use cursor_core::testing::fixture;

/// `Basic base64("key_test:")`.
pub const AUTH: &str = "Basic a2V5X3Rlc3Q6";

/// A client with no client-side limits and no retries.
pub fn client(base_url: &str) -> AgentsClient {
    client_with(base_url, RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }, Duration::from_secs(10))
}

/// A client with a retry policy and timeout of the test's choosing.
pub fn client_with(base_url: &str, retry: RetryPolicy, timeout: Duration) -> AgentsClient {
    let core = loopback_client(base_url).retry_policy(retry).timeout(timeout).build().expect("client");
    AgentsClient::new(core)
}

/// A retry policy that retries quickly, without jitter.
pub fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        jitter: cursor_core::Jitter::None,
        ..RetryPolicy::default()
    }
}

/// An agent with the given id and status, as `GET /v0/agents/{id}` answers.
pub fn agent_json(id: &str, status: &str) -> String {
    serde_json::json!({
        "id": id,
        "name": "Add README Documentation",
        "status": status,
        "source": {"repository": "https://github.com/your-org/your-repo", "ref": "main"},
        "target": {"url": format!("https://cursor.com/agents?id={id}")},
        "createdAt": "2024-01-15T10:30:00Z"
    })
    .to_string()
}
