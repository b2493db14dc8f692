//! Reliability end to end, with the simulator's injected faults: 5xx answers and broken
//! connections are retried for reads only, a launch that may have reached the server is never
//! repeated and is reported as outcome-unknown, a 429 storm with `Retry-After` is waited out
//! (even for a launch, since the server did nothing), a bad body is a decode error naming the
//! endpoint, and the documented 401 and 403 surface as such.

use std::time::Duration;

use futures_util::TryStreamExt as _;

use cursor_admin::AdminClient;
use cursor_agents::{AgentsClient, LaunchAgent};
use cursor_analytics::{AnalyticsClient, AnalyticsQuery};
use cursor_core::Error;
use cursor_mock::{FaultConfig, FaultSpec, MockConfig, MockServer, RouteFault};
use cursor_tests::{client, client_with, fast_retries, requests_to, start_mock, start_mock_with};

/// A rule applying `fault` to the next `times` requests to `method path…`.
fn faults(path: &str, method: &str, fault: FaultSpec, times: u32) -> FaultConfig {
    FaultConfig {
        global: FaultSpec::default(),
        routes: vec![RouteFault { path: path.into(), method: Some(method.into()), fault, times: Some(times) }],
    }
}

fn statuses(server: &MockServer, method: &str, path: &str) -> Vec<u16> {
    requests_to(server, method, path).iter().map(|e| e.status).collect()
}

#[tokio::test]
async fn server_errors_on_a_read_are_retried_to_success() {
    let server = start_mock().await;
    let fault = FaultSpec { error_rate: 1.0, error_statuses: vec![503], ..FaultSpec::default() };
    server.set_faults(faults("/teams/members", "GET", fault, 2));
    let admin = AdminClient::new(client_with(&server, "key_retry_503", fast_retries(4)));
    let members = admin.members().await.expect("the third attempt succeeds");
    assert!(!members.team_members.is_empty());
    assert_eq!(statuses(&server, "GET", "/teams/members"), [503, 503, 200]);
}

#[tokio::test]
async fn server_errors_beyond_the_attempts_surface_as_server_errors() {
    let server = start_mock().await;
    let fault = FaultSpec { error_rate: 1.0, error_statuses: vec![502], ..FaultSpec::default() };
    server.set_faults(faults("/teams/members", "GET", fault, 10));
    let admin = AdminClient::new(client_with(&server, "key_retry_exhausted", fast_retries(3)));
    let error = admin.members().await.expect_err("three 502s");
    assert!(error.is_server_error(), "{error}");
    assert_eq!(error.status(), Some(502));
    assert_eq!(statuses(&server, "GET", "/teams/members"), [502, 502, 502]);
}

#[tokio::test]
async fn a_read_only_post_is_retried_after_a_5xx() {
    let server = start_mock().await;
    let fault = FaultSpec { error_rate: 1.0, error_statuses: vec![500], ..FaultSpec::default() };
    server.set_faults(faults("/teams/spend", "POST", fault, 1));
    let admin = AdminClient::new(client_with(&server, "key_retry_spend", fast_retries(3)));
    let spend = admin.spend_page(&cursor_admin::SpendQuery::new()).await.expect("retried");
    assert!(spend.total_members > 0);
    assert_eq!(statuses(&server, "POST", "/teams/spend"), [500, 200]);
}

#[tokio::test]
async fn a_launch_answered_500_is_not_repeated_and_its_outcome_is_unknown() {
    let server = start_mock().await;
    let fault = FaultSpec { error_rate: 1.0, error_statuses: vec![500], ..FaultSpec::default() };
    server.set_faults(faults("/v0/agents", "POST", fault, 1));
    let agents = AgentsClient::new(client_with(&server, "key_launch_500", fast_retries(5)));
    let launch = LaunchAgent::new("Add tests", "https://github.com/acme-corp/web-app").branch_name("tests/add");
    let error = agents.launch(&launch).await.expect_err("a 500");
    assert!(error.is_outcome_unknown(), "{error}");
    assert_eq!(error.status(), Some(500));
    let message = error.to_string();
    assert!(message.contains("agents.launch"), "{message}");
    assert!(message.contains("tests/add"), "the hint names the branch to look for: {message}");
    assert_eq!(requests_to(&server, "POST", "/v0/agents").len(), 1, "exactly one launch was sent");
}

#[tokio::test]
async fn a_launch_whose_connection_breaks_is_not_repeated() {
    let server = start_mock().await;
    server.set_faults(faults("/v0/agents", "POST", FaultSpec { reset_rate: 1.0, ..FaultSpec::default() }, 1));
    let agents = AgentsClient::new(client_with(&server, "key_launch_reset", fast_retries(5)));
    let error =
        agents.launch(&LaunchAgent::new("Add tests", "https://github.com/acme-corp/web-app")).await.expect_err("reset");
    assert!(error.is_outcome_unknown(), "{error}");
    assert_eq!(requests_to(&server, "POST", "/v0/agents").len(), 1);
}

#[tokio::test]
async fn a_launch_that_reached_the_server_before_the_connection_broke_can_be_found_by_its_branch() {
    let server = start_mock().await;
    // The simulator creates the agent, then drops the connection without answering.
    let fault = FaultSpec { reset_after_handling_rate: 1.0, ..FaultSpec::default() };
    server.set_faults(faults("/v0/agents", "POST", fault, 1));
    let agents = AgentsClient::new(client_with(&server, "key_launch_lost_answer", fast_retries(5)));
    let launch = LaunchAgent::new("Add tests", "https://github.com/acme-corp/web-app").branch_name("tests/lost-answer");
    let error = agents.launch(&launch).await.expect_err("the answer was lost");
    assert!(error.is_outcome_unknown(), "{error}");
    assert!(error.to_string().contains("tests/lost-answer"), "{error}");
    assert_eq!(requests_to(&server, "POST", "/v0/agents").len(), 1, "never launched twice");

    // Following the hint: the agent exists, once, under its branch name.
    let listed: Vec<_> = agents.list(&cursor_agents::AgentsQuery::new()).try_collect().await.expect("list agents");
    let launched: Vec<_> =
        listed.iter().filter(|agent| agent.target.branch_name.as_deref() == Some("tests/lost-answer")).collect();
    assert_eq!(launched.len(), 1, "exactly one agent was created");
}

#[tokio::test]
async fn a_broken_connection_on_a_read_is_retried() {
    let server = start_mock().await;
    server.set_faults(faults("/v0/models", "GET", FaultSpec { reset_rate: 1.0, ..FaultSpec::default() }, 1));
    let agents = AgentsClient::new(client_with(&server, "key_read_reset", fast_retries(3)));
    let models = agents.models().await.expect("retried");
    assert!(!models.models.is_empty());
    assert_eq!(requests_to(&server, "GET", "/v0/models").len(), 2);
}

#[tokio::test]
async fn a_429_storm_with_retry_after_is_waited_out() {
    let server = start_mock().await;
    let storm = FaultSpec { rate_limit_rate: 1.0, ..FaultSpec::default() };
    server.set_faults(faults("/analytics/team/dau", "GET", storm, 2));
    let analytics = AnalyticsClient::new(client_with(&server, "key_storm", fast_retries(5)));
    let started = std::time::Instant::now();
    let query = AnalyticsQuery::new().last_days(7);
    let dau = analytics.dau(&query).await.expect("survives the storm");
    assert!(!dau.data.is_empty());
    assert_eq!(statuses(&server, "GET", "/analytics/team/dau"), [429, 429, 200]);
    assert!(
        started.elapsed() >= Duration::from_millis(1900),
        "Retry-After: 1 was honoured twice: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_launch_answered_429_is_retried_because_nothing_happened() {
    let server = start_mock().await;
    server.set_faults(faults("/v0/agents", "POST", FaultSpec { rate_limit_rate: 1.0, ..FaultSpec::default() }, 1));
    let agents = AgentsClient::new(client_with(&server, "key_launch_429", fast_retries(3)));
    let agent =
        agents.launch(&LaunchAgent::new("Add tests", "https://github.com/acme-corp/web-app")).await.expect("retried");
    assert!(agent.id.starts_with("bc_"));
    assert_eq!(statuses(&server, "POST", "/v0/agents"), [429, 201]);
}

#[tokio::test]
async fn a_malformed_body_is_a_decode_error_naming_the_endpoint() {
    let server = start_mock().await;
    server.set_faults(faults(
        "/teams/members",
        "GET",
        FaultSpec { malformed_json_rate: 1.0, ..FaultSpec::default() },
        1,
    ));
    let admin = AdminClient::new(client(&server, "key_malformed"));
    let error = admin.members().await.expect_err("malformed JSON");
    assert!(matches!(&error, Error::Decode { endpoint: "admin.members", .. }), "{error:?}");
    assert!(error.to_string().contains("admin.members"), "{error}");
}

#[tokio::test]
async fn a_truncated_body_fails_naming_the_endpoint_and_is_retried_for_reads() {
    let server = start_mock().await;
    server.set_faults(faults("/teams/members", "GET", FaultSpec { truncate_rate: 1.0, ..FaultSpec::default() }, 2));
    let admin = AdminClient::new(client(&server, "key_truncated"));
    let error = admin.members().await.expect_err("truncated");
    assert!(error.to_string().contains("admin.members"), "{error}");
    assert!(matches!(error, Error::Decode { .. } | Error::Transport { .. }), "{error:?}");

    // With retries, the second truncation is followed by a whole answer.
    let admin = AdminClient::new(client_with(&server, "key_truncated", fast_retries(3)));
    let members = admin.members().await.expect("retried after a truncated body");
    assert!(!members.team_members.is_empty());
}

#[tokio::test]
async fn a_wrong_key_is_unauthorized() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "not-a-cursor-key"));
    let error = admin.members().await.expect_err("401");
    assert!(error.is_unauthorized(), "{error}");
    let agents = AgentsClient::new(client(&server, "not-a-cursor-key"));
    let error = agents.me().await.expect_err("401");
    assert!(error.is_unauthorized(), "{error}");
}

#[tokio::test]
async fn a_non_enterprise_key_is_forbidden_on_enterprise_apis() {
    let config = MockConfig { non_enterprise_keys: vec!["key_small_team".into()], ..MockConfig::for_tests() };
    let server = start_mock_with(config).await;
    let core = client(&server, "key_small_team");
    let error = AdminClient::new(core.clone()).members().await.expect_err("403");
    assert!(error.is_forbidden(), "{error}");
    let error = AnalyticsClient::new(core.clone()).dau(&AnalyticsQuery::new().last_days(7)).await.expect_err("403");
    assert!(error.is_forbidden(), "{error}");
    let error = cursor_aicode::AiCodeClient::new(core.clone())
        .commits_page(&cursor_aicode::AiCodeQuery::new())
        .await
        .expect_err("403");
    assert!(error.is_forbidden(), "{error}");
    // Cloud Agents are not an enterprise API.
    assert!(AgentsClient::new(core).me().await.is_ok());
}

/// A client with the SDK's own rate limits (not the unlimited test default).
fn limited_client(server: &MockServer, key: &str, limits: cursor_core::RateLimits) -> cursor_core::Client {
    cursor_core::Client::builder()
        .api_key(key)
        .base_url(server.base_url())
        .rate_limits(limits)
        .retry_policy(fast_retries(3))
        .clock(|| cursor_tests::MOCK_NOW)
        .build()
        .expect("client")
}

#[tokio::test]
async fn revalidations_answered_304_cost_no_rate_limit_budget() {
    let server = start_mock().await;
    // The documented by-user limit is 50 a minute; 60 revalidations must neither wait for the
    // client's limiter nor be refused by the server.
    let core = limited_client(&server, "key_304_budget", cursor_core::RateLimits::default());
    let analytics = AnalyticsClient::new(core);
    let query = AnalyticsQuery::new().last_days(7).page_size(500);
    let started = std::time::Instant::now();
    let first = analytics.tabs_by_user_pages(&query);
    let first: Vec<_> = futures_util::TryStreamExt::try_collect(first).await.expect("first");
    for _ in 0..60 {
        let again: Vec<_> =
            futures_util::TryStreamExt::try_collect(analytics.tabs_by_user_pages(&query)).await.expect("again");
        assert_eq!(again, first);
    }
    // Charged to the budget, the 51st request would wait a whole window (60.6 s); 61 requests
    // take about 3 s on a loaded machine and 7 s when the whole suite runs beside them.
    assert!(started.elapsed() < Duration::from_secs(30), "revalidations were throttled: {:?}", started.elapsed());
    let sent = statuses(&server, "GET", "/analytics/by-user/tabs");
    assert_eq!(sent.len(), 61);
    assert_eq!(sent[0], 200);
    assert!(sent[1..].iter().all(|s| *s == 304), "{sent:?}");
}

#[tokio::test]
async fn the_client_limiter_keeps_under_a_fixed_window_server_limit() {
    // Scaled time: the simulator runs 20x faster, so its one-minute windows last three real
    // seconds, and the client's Admin quota is the documented 20 per (scaled) minute. The
    // client sends its whole budget at once, then waits a window: its 2% safety margin (60 ms
    // here) absorbs the delay between the client's clock and the server's counting on a
    // loaded machine (1% of one second was too little).
    let config = MockConfig { time_scale: 20.0, ..MockConfig::for_tests() };
    let server = start_mock_with(config).await;
    let limits = cursor_core::RateLimits::default()
        .set(
            cursor_admin::endpoints::ADMIN_BUCKET,
            vec![cursor_core::Rate { requests: 20, period: Duration::from_secs(3) }],
        )
        .safety_margin(0.02);
    let admin = AdminClient::new(limited_client(&server, "key_fixed_window", limits));
    let started = std::time::Instant::now();
    for _ in 0..30 {
        admin.members().await.expect("members");
    }
    let sent = statuses(&server, "GET", "/teams/members");
    assert!(sent.iter().all(|s| *s == 200), "the server refused some requests: {sent:?}");
    // The whole budget is used: 20 at once and 10 after one window (3.06 s), where pacing
    // three quarters of the rate took 5 s.
    assert!(started.elapsed() < Duration::from_millis(4500), "30 requests took {:?}", started.elapsed());
}
