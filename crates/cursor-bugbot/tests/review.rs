//! `POST /bugbot/review` (current documents): the documented body, the answer kept whole, an
//! `{"outcome": "error"}` answer returned as an error, bad URLs refused unsent, and a request
//! that may have reached the server never sent twice.

use cursor_bugbot::{BugbotClient, ReviewOutcome, ReviewRequest, ReviewResult};
use cursor_core::testing::{assert_lossless, loopback_client};
use cursor_core::{RateLimits, RetryPolicy};
use httpmock::prelude::*;
use serde_json::json;

const PR: &str = "https://github.com/your-org/your-repo/pull/42";

fn client(server: &MockServer, retry: RetryPolicy) -> BugbotClient {
    let core = loopback_client(&server.base_url())
        .rate_limits(RateLimits::unlimited())
        .retry_policy(retry)
        .build()
        .expect("client");
    BugbotClient::new(core)
}

#[tokio::test]
async fn a_dry_run_sends_the_documented_body_and_keeps_the_answer() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/bugbot/review").json_body(json!({"prUrl": PR, "dryRun": true}));
            then.status(200).json_body(json!({
                "outcome": "success", "message": "Dry run complete", "request_id": "req_1", "dry_run": true,
                "estimatedSeconds": 90
            }));
        })
        .await;
    let result = client(&server, RetryPolicy::none()).review(&ReviewRequest::new(PR).dry_run(true)).await.unwrap();
    mock.assert_async().await;
    assert_eq!(result.outcome, ReviewOutcome::Success);
    assert_eq!((result.request_id.as_deref(), result.dry_run), (Some("req_1"), Some(true)));
    assert_eq!(result.extra.get("estimatedSeconds"), Some(&json!(90)));
    assert_lossless::<ReviewResult>(r#"{"outcome": "queued", "message": "m", "request_id": "r", "dry_run": false}"#);
}

#[tokio::test]
async fn an_error_outcome_is_an_error_with_the_servers_message_whatever_the_status() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/bugbot/review").json_body_includes(r#"{"dryRun": true}"#);
            then.status(400).json_body(json!({"outcome": "error", "message": "Pull request not found"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/bugbot/review");
            then.status(200)
                .json_body(json!({"outcome": "error", "message": "Bugbot is not enabled on this repository"}));
        })
        .await;
    let bugbot = client(&server, RetryPolicy::none());
    let bad_request = bugbot.review(&ReviewRequest::new(PR).dry_run(true)).await.expect_err("400");
    assert_eq!(bad_request.status(), Some(400));
    assert!(bad_request.to_string().contains("Pull request not found"), "{bad_request}");
    let refused = bugbot.review(&ReviewRequest::new(PR)).await.expect_err("error outcome");
    assert!(refused.is_refused(), "a refusal in a success answer is its own case: {refused:?}");
    assert!(refused.to_string().contains("not enabled"), "{refused}");
}

#[tokio::test]
async fn a_url_that_is_not_a_full_url_is_refused_unsent() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let bugbot = client(&server, RetryPolicy::none());
    for url in ["", "github.com/org/repo/pull/1", "https://", " https://github.com/org/repo/pull/1"] {
        let error = bugbot.review(&ReviewRequest::new(url)).await.expect_err("refused");
        assert!(error.is_invalid_request(), "{url}: {error}");
    }
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_server_error_is_not_retried_and_says_the_outcome_is_unknown() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/bugbot/review");
            then.status(503);
        })
        .await;
    let retry =
        RetryPolicy { max_attempts: 4, base_delay: std::time::Duration::from_millis(1), ..RetryPolicy::default() };
    let error = client(&server, retry).review(&ReviewRequest::new(PR)).await.expect_err("503");
    mock.assert_calls_async(1).await;
    assert!(error.is_outcome_unknown(), "{error}");
    assert!(error.to_string().contains("review may have been posted"), "{error}");
}
