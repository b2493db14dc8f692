//! Bad input is refused before anything is sent, and never panics: whitespace-only prompts,
//! an empty webhook secret, and `wait` timeouts and intervals too long for the clock.

mod common;

use std::time::Duration;

use common::*;
use cursor_agents::webhook::{SignatureError, WebhookError, sign, verify_signature, verify_webhook};
use cursor_agents::{LaunchAgent, Prompt, WaitOptions};
use httpmock::prelude::*;

#[tokio::test]
async fn whitespace_only_prompts_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body(agent_json("bc_1", "RUNNING"));
        })
        .await;
    let agents = client(&server.base_url());
    for text in ["", " ", "\n\t  \r\n", "\u{3000}"] {
        let launch = LaunchAgent::new(text, "https://github.com/acme/web");
        let err = agents.launch(&launch).await.expect_err("refused");
        assert!(err.is_invalid_request() && err.to_string().contains("only whitespace"), "{err}");
        let err = agents.followup("bc_1", &Prompt::new(text)).await.expect_err("refused");
        assert!(err.is_invalid_request() && err.to_string().contains("only whitespace"), "{err}");
    }
    any.assert_calls_async(0).await;
}

#[test]
fn an_empty_secret_never_verifies() {
    let body = br#"{"event":"statusChange","id":"bc_1","status":"FINISHED"}"#;
    // With an empty key, `sign` gives a well-formed signature anybody could compute.
    let forged = sign(b"", body);
    assert_eq!(verify_signature(b"", body, &forged), Err(SignatureError::EmptySecret));
    let headers = [("X-Webhook-Signature", forged.as_str())];
    match verify_webhook(b"", headers, body) {
        Err(WebhookError::Signature(SignatureError::EmptySecret)) => {}
        other => panic!("an empty secret must be an error, got {other:?}"),
    }
    // No header at all is refused for the secret first: the receiver is misconfigured.
    let none: [(&str, &str); 0] = [];
    assert!(matches!(verify_webhook(b"", none, body), Err(WebhookError::Signature(SignatureError::EmptySecret))));
    assert!(SignatureError::EmptySecret.to_string().contains("secret is empty"));
}

#[tokio::test]
async fn wait_with_the_longest_timeout_and_intervals_does_not_overflow() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/v0/agents/bc_1");
            then.status(200).body(agent_json("bc_1", "FINISHED"));
        })
        .await;
    let agents = client(&server.base_url());
    // `Instant::now() + Duration::MAX` panics; the wait must treat it as "no deadline".
    let options = WaitOptions::default().timeout(Duration::MAX);
    let outcome = agents.wait("bc_1", &options).await.expect("finished");
    assert_eq!(outcome.agent.id, "bc_1");
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn wait_with_huge_intervals_saturates_instead_of_panicking() {
    let server = MockServer::start_async().await;
    let _running = server
        .mock_async(|when, then| {
            when.method(GET).path("/v0/agents/bc_1");
            then.status(200).body(agent_json("bc_1", "RUNNING"));
        })
        .await;
    let agents = client(&server.base_url());
    // The first pause is cut to the deadline; growing a `Duration::MAX` interval by 1.5 would
    // panic in `Duration::mul_f64`.
    let options = WaitOptions { multiplier: 1.5, ..WaitOptions::default() }
        .timeout(Duration::from_millis(200))
        .intervals(Duration::MAX, Duration::MAX);
    let err = agents.wait("bc_1", &options).await.expect_err("times out");
    assert!(err.is_timeout(), "{err}");
}
