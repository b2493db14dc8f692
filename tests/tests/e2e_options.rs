//! Per-call options through every API client: `with_options` gives a view whose calls use its
//! retry policy and timeout, and leaves the client it came from as it was.

use std::time::Duration;

use cursor_core::{RequestOptions, RetryPolicy};
use cursor_mock::{FaultConfig, FaultSpec, MockServer};
use cursor_tests::{client_with, fast_retries, requests_to, start_mock};

fn always(fault: FaultSpec) -> FaultConfig {
    FaultConfig { global: fault, routes: Vec::new() }
}

fn failing_503() -> FaultSpec {
    FaultSpec { error_rate: 1.0, error_statuses: vec![503], ..FaultSpec::default() }
}

fn hits(server: &MockServer, method: &str, path: &str) -> usize {
    requests_to(server, method, path).len()
}

#[tokio::test]
async fn every_api_client_takes_a_retry_policy_per_view() {
    let server = start_mock().await;
    server.set_faults(always(failing_503()));
    let core = client_with(&server, "key_options_retry", fast_retries(3));
    let once = RequestOptions::new().retry_policy(RetryPolicy::none());

    let admin = cursor_admin::AdminClient::new(core.clone());
    assert!(admin.with_options(once.clone()).members().await.is_err());
    assert_eq!(hits(&server, "GET", "/teams/members"), 1, "the view's policy: one attempt");
    assert!(admin.members().await.is_err());
    assert_eq!(hits(&server, "GET", "/teams/members"), 4, "the original keeps the client's three");

    let analytics = cursor_analytics::AnalyticsClient::new(core.clone()).with_options(once.clone());
    assert!(analytics.dau(&cursor_analytics::AnalyticsQuery::new().last_days(3)).await.is_err());
    assert_eq!(hits(&server, "GET", "/analytics/team/dau"), 1);

    let aicode = cursor_aicode::AiCodeClient::new(core.clone()).with_options(once.clone());
    assert!(aicode.commits_page(&cursor_aicode::AiCodeQuery::new()).await.is_err());
    assert_eq!(hits(&server, "GET", "/analytics/ai-code/commits"), 1);

    let agents = cursor_agents::AgentsClient::new(core.clone()).with_options(once.clone());
    assert!(agents.me().await.is_err());
    assert_eq!(hits(&server, "GET", "/v0/me"), 1);

    let v1 = cursor_agents::v1::AgentsClient::new(core.clone()).with_options(once.clone());
    assert!(v1.me().await.is_err());
    assert_eq!(hits(&server, "GET", "/v1/me"), 1);

    let bugbot = cursor_bugbot::BugbotClient::new(core).with_options(once);
    assert!(bugbot.enable("https://github.com/acme-corp/web-app").await.is_err());
    assert_eq!(hits(&server, "POST", "/bugbot/repo/update"), 1);
}

#[tokio::test]
async fn a_views_timeout_applies_to_its_calls() {
    let server = start_mock().await;
    server.set_faults(always(FaultSpec { latency_ms: 400, ..FaultSpec::default() }));
    let core = client_with(&server, "key_options_timeout", RetryPolicy::none());
    let admin = cursor_admin::AdminClient::new(core);
    let hasty = admin.with_options(RequestOptions::new().timeout(Duration::from_millis(100)));
    let error = hasty.members().await.expect_err("the view times out");
    assert!(error.is_timeout(), "{error:?}");
    admin.members().await.expect("the client's own 60 s timeout waits");
}
