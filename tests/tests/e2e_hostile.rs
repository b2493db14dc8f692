//! The SDK against the simulator's hostile faults, end to end: a server that repeats page 1
//! forever, a corrupt body under a valid `ETag`, a write whose success answer is cut, short
//! CSV rows, a redirect to another origin, and a body larger than the client reads.

use std::collections::HashSet;

use futures_util::TryStreamExt as _;

use cursor_admin::{AdminClient, AuditLogQuery};
use cursor_agents::{AgentsClient, LaunchAgent};
use cursor_aicode::{AiCodeClient, ExportQuery};
use cursor_analytics::{AnalyticsClient, AnalyticsQuery};
use cursor_core::Error;
use cursor_mock::{FaultConfig, FaultSpec, MockServer, RouteFault};
use cursor_tests::{MOCK_NOW, client, client_with, fast_retries, requests_to, start_mock};

/// A rule applying `fault` to the next `times` requests to `method path…`.
fn faults(path: &str, method: &str, fault: FaultSpec, times: Option<u32>) -> FaultConfig {
    FaultConfig {
        global: FaultSpec::default(),
        routes: vec![RouteFault { path: path.into(), method: Some(method.into()), fault, times }],
    }
}

#[tokio::test]
async fn a_server_repeating_page_one_forever_stops_the_stream_with_no_duplicate() {
    let server = start_mock().await;
    server.set_faults(faults(
        "/teams/audit-logs",
        "GET",
        FaultSpec { repeat_first_page: true, ..FaultSpec::default() },
        None,
    ));
    let admin = AdminClient::new(client(&server, "key_repeat"));
    let mut events = admin.audit_logs(&AuditLogQuery::new().page_size(5));
    let mut ids = Vec::new();
    let error = loop {
        match events.try_next().await {
            Ok(Some(event)) => ids.push(event.event_id),
            Ok(None) => panic!("the stream ended as if the repeats were new pages"),
            Err(error) => break error,
        }
    };
    assert!(matches!(error, Error::Pagination { .. }), "{error}");
    let unique: HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no event yielded twice");
    assert_eq!(ids.len(), 5, "page 1 once");
}

#[tokio::test]
async fn a_corrupt_body_under_a_valid_etag_is_not_replayed_from_the_cache() {
    let server = start_mock().await;
    let fault = FaultSpec { corrupt_body_rate: 1.0, ..FaultSpec::default() };
    server.set_faults(faults("/analytics/team/dau", "GET", fault, Some(1)));
    let analytics = AnalyticsClient::new(client(&server, "key_corrupt"));
    let query = AnalyticsQuery::new().last_days(7);
    assert!(analytics.dau(&query).await.is_err(), "the corrupt body does not decode");
    let good = analytics.dau(&query).await.expect("fetched whole again");
    assert!(!good.data.is_empty());
    let again = analytics.dau(&query).await.expect("revalidated");
    assert_eq!(again, good);
    let sent = requests_to(&server, "GET", "/analytics/team/dau");
    assert_eq!(sent.len(), 3);
    assert!(!sent[1].headers.contains_key("if-none-match"), "the corrupt body was never cached");
    assert!(sent[2].headers.contains_key("if-none-match"), "the good one was");
    assert_eq!(sent[2].status, 304);
}

#[tokio::test]
async fn a_launch_whose_success_answer_is_cut_is_done_but_unreadable_and_sent_once() {
    let server = start_mock().await;
    let fault = FaultSpec { cut_write_body_rate: 1.0, ..FaultSpec::default() };
    server.set_faults(faults("/v0/agents", "POST", fault, Some(1)));
    let agents = AgentsClient::new(client_with(&server, "key_cut_launch", fast_retries(4)));
    let launch = LaunchAgent::new("Add a README", "https://github.com/acme-corp/web-app");
    let error = agents.launch(&launch).await.expect_err("the answer is cut");
    assert!(error.is_done_but_unreadable(), "{error:?}");
    assert!(!error.is_retryable());
    assert_eq!(requests_to(&server, "POST", "/v0/agents").len(), 1, "never sent again");
}

#[tokio::test]
async fn short_csv_rows_fail_the_export_instead_of_coming_back_padded() {
    let server = start_mock().await;
    let fault = FaultSpec { short_csv_row_rate: 1.0, ..FaultSpec::default() };
    server.set_faults(faults("/analytics/ai-code/commits.csv", "GET", fault, Some(1)));
    let aicode = AiCodeClient::new(client(&server, "key_short_rows"));
    let result: Result<Vec<_>, _> = aicode.commits_csv_rows(&ExportQuery::new()).try_collect().await;
    let error = result.expect_err("short rows are an error");
    assert!(error.to_string().contains("fields"), "{error}");
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed() {
    let server = start_mock().await;
    let fault = FaultSpec { redirect_rate: 1.0, ..FaultSpec::default() };
    server.set_faults(faults("/teams/members", "GET", fault, Some(1)));
    let admin = AdminClient::new(client_with(&server, "key_redirect", fast_retries(3)));
    let error = admin.members().await.expect_err("redirected");
    assert!(matches!(error, Error::Redirected { status: 307, location: Some(_), .. }), "{error:?}");
    assert_eq!(requests_to(&server, "GET", "/teams/members").len(), 1);
}

#[tokio::test]
async fn a_huge_body_stops_at_the_clients_limit() {
    let server: MockServer = start_mock().await;
    let fault = FaultSpec { huge_body_mib: 3, ..FaultSpec::default() };
    server.set_faults(faults("/teams/members", "GET", fault, Some(1)));
    let core = cursor_core::testing::loopback_client(&server.base_url())
        .api_key("key_huge")
        .max_body_bytes(1024 * 1024)
        .clock(|| MOCK_NOW)
        .build()
        .expect("client");
    let error = AdminClient::new(core).members().await.expect_err("too large");
    assert!(matches!(error, Error::BodyTooLarge { limit: 1_048_576, .. }), "{error:?}");
}
