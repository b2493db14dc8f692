//! Launch and follow-up are never repeated once they may have reached the server: under 5xx
//! answers and timeouts the mock is hit exactly once, even with retries enabled, and the error
//! says the agent may exist and how to find it. A `429` (the server did nothing) is retried.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use cursor_agents::endpoints::{FOLLOWUP_HINT, LAUNCH_HINT};
use cursor_agents::{LaunchAgent, Prompt};
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};

fn launch() -> LaunchAgent {
    LaunchAgent::new("Add a README.md file with installation instructions", "https://github.com/your-org/your-repo")
        .branch_name("feature/add-readme")
}

#[tokio::test]
async fn a_server_error_is_not_retried_and_says_the_agent_may_exist() {
    for status in [500, 502, 503] {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method(POST).path("/v0/agents");
                then.status(status).body(r#"{"error":{"code":"internal","message":"boom"}}"#);
            })
            .await;
        let agents = client_with(&server.base_url(), fast_retries(5), Duration::from_secs(5));
        let err = agents.launch(&launch()).await.unwrap_err();
        mock.assert_calls_async(1).await;
        assert!(err.is_outcome_unknown(), "{err}");
        assert_eq!(err.status(), Some(status));
        let text = err.to_string();
        assert!(text.contains(LAUNCH_HINT), "{text}");
        assert!(text.contains("feature/add-readme"), "the hint names the branch: {text}");
        assert!(text.contains("https://github.com/your-org/your-repo"), "{text}");
    }
}

#[tokio::test]
async fn a_timeout_is_not_retried_and_says_the_agent_may_exist() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v0/agents");
            then.status(201).delay(Duration::from_millis(800)).body(fixture("agents/launch"));
        })
        .await;
    let agents = client_with(&server.base_url(), fast_retries(5), Duration::from_millis(150));
    let err = agents.launch(&launch()).await.unwrap_err();
    // Give a (wrong) retry time to arrive before counting.
    tokio::time::sleep(Duration::from_millis(300)).await;
    mock.assert_calls_async(1).await;
    assert!(err.is_outcome_unknown() && err.is_timeout(), "{err}");
    let text = err.to_string();
    assert!(text.contains(LAUNCH_HINT) && text.contains("feature/add-readme"), "{text}");
}

#[tokio::test]
async fn without_a_branch_name_the_hint_names_repository_and_prompt() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v0/agents");
            then.status(500);
        })
        .await;
    let agents = client_with(&server.base_url(), fast_retries(3), Duration::from_secs(5));
    let long_prompt = "x".repeat(100);
    let err = agents.launch(&LaunchAgent::new(long_prompt, "https://github.com/your-org/your-repo")).await.unwrap_err();
    mock.assert_calls_async(1).await;
    let text = err.to_string();
    assert!(err.is_outcome_unknown(), "{text}");
    assert!(text.contains("https://github.com/your-org/your-repo") && text.contains(&"x".repeat(60)), "{text}");
    assert!(!text.contains(&"x".repeat(61)), "the prompt is shortened: {text}");
}

#[tokio::test]
async fn a_rejected_launch_is_a_plain_error() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v0/agents");
            then.status(400).body(r#"{"error":{"code":"invalid_request","message":"Repository not found"}}"#);
        })
        .await;
    let err =
        client_with(&server.base_url(), fast_retries(5), Duration::from_secs(5)).launch(&launch()).await.unwrap_err();
    mock.assert_calls_async(1).await;
    assert!(!err.is_outcome_unknown() && err.is_invalid_request(), "{err}");
}

#[tokio::test]
async fn a_refused_connection_is_not_an_unknown_outcome() {
    // Nothing listens on a port a dropped listener had: the request never reached a server.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let agents = client_with(&format!("http://127.0.0.1:{port}"), fast_retries(1), Duration::from_secs(5));
    let err = agents.launch(&launch()).await.unwrap_err();
    assert!(!err.is_outcome_unknown(), "{err}");
}

#[tokio::test]
async fn a_rate_limited_launch_is_sent_again() {
    let server = MockServer::start_async().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let mock = server
        .mock_async(move |when, then| {
            when.method(POST).path("/v0/agents");
            then.respond_with(move |_: &HttpMockRequest| {
                if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                    HttpMockResponse::builder()
                        .status(429)
                        .header("retry-after", "0")
                        .body(
                            r#"{"error":"Too Many Requests","message":"Rate limit exceeded. Please try again later."}"#,
                        )
                        .build()
                } else {
                    HttpMockResponse::builder().status(201).body(fixture("agents/launch")).build()
                }
            });
        })
        .await;
    let agents = client_with(&server.base_url(), fast_retries(3), Duration::from_secs(5));
    let agent = agents.launch(&launch()).await.expect("launched after the 429");
    assert_eq!(agent.id, "bc_abc123");
    mock.assert_calls_async(2).await;
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_followup_is_sent_once_too() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(POST).path("/v0/agents/bc_abc123/followup");
            then.status(500);
        })
        .await;
    let slow = server
        .mock_async(|when, then| {
            when.method(POST).path("/v0/agents/bc_slow/followup");
            then.status(200).delay(Duration::from_millis(800)).body(fixture("agents/followup"));
        })
        .await;
    let agents = client_with(&server.base_url(), fast_retries(5), Duration::from_millis(150));
    let prompt = Prompt::new("Also add a section about troubleshooting");
    let err = agents.followup("bc_abc123", &prompt).await.unwrap_err();
    assert!(err.is_outcome_unknown() && err.to_string().contains(FOLLOWUP_HINT), "{err}");
    let err = agents.followup("bc_slow", &prompt).await.unwrap_err();
    assert!(err.is_outcome_unknown() && err.is_timeout(), "{err}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    failing.assert_calls_async(1).await;
    slow.assert_calls_async(1).await;
}

#[tokio::test]
async fn reads_are_retried_after_server_errors() {
    // The contrast that makes the tests above meaningful: the same policy does retry a GET.
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/v0/agents/bc_abc123");
            then.status(500);
        })
        .await;
    let err =
        client_with(&server.base_url(), fast_retries(3), Duration::from_secs(5)).get("bc_abc123").await.unwrap_err();
    assert!(err.is_server_error() && !err.is_outcome_unknown(), "{err}");
    mock.assert_calls_async(3).await;
}
