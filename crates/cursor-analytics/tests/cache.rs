//! The `ETag` path: a second identical call revalidates with `If-None-Match`, gets a `304`
//! with no body, returns the same data, and spends no rate-limit budget.

mod common;

use std::time::Duration;

use common::{client, now};
use cursor_analytics::{AnalyticsClient, AnalyticsQuery};
use cursor_core::testing::fixture;
use cursor_core::{Rate, RateLimits};
use httpmock::Method::GET;
use httpmock::MockServer;

const ETAG: &str = "\"abc123xyz\"";

/// A full answer with an `ETag` to a request without `If-None-Match`, and a bodiless `304`
/// to one that sends the `ETag` back.
async fn etag_mocks(server: &MockServer) -> (httpmock::Mock<'_>, httpmock::Mock<'_>) {
    let full = server
        .mock_async(|when, then| {
            when.method(GET).path("/analytics/team/dau").query_param("startDate", "7d").header_missing("if-none-match");
            then.status(200)
                .header("etag", ETAG)
                .header("cache-control", "public, max-age=900")
                .body(fixture("analytics/dau"));
        })
        .await;
    let not_modified = server
        .mock_async(|when, then| {
            when.method(GET).path("/analytics/team/dau").query_param("startDate", "7d").header("if-none-match", ETAG);
            then.status(304);
        })
        .await;
    (full, not_modified)
}

#[tokio::test]
async fn a_second_identical_call_revalidates_and_returns_the_same_data() {
    let server = MockServer::start_async().await;
    let (full, not_modified) = etag_mocks(&server).await;
    let analytics = client(&server);
    let query = AnalyticsQuery::new().last_days(7);
    let first = analytics.dau(&query).await.expect("the first answer");
    let second = analytics.dau(&query).await.expect("the revalidated answer");
    full.assert_calls_async(1).await;
    not_modified.assert_calls_async(1).await;
    assert_eq!(first, second);
    assert_eq!(second.data[0].dau, Some(42));
}

#[tokio::test]
async fn a_poll_of_unchanged_data_costs_no_rate_limit_budget() {
    let server = MockServer::start_async().await;
    let (full, not_modified) = etag_mocks(&server).await;
    // One request a minute: a second full request would wait a minute for its permit.
    let core = cursor_core::testing::loopback_client(&server.base_url())
        .rate_limits(RateLimits::unlimited().set(cursor_analytics::endpoints::TEAM_BUCKET, [Rate::per_minute(1)]))
        .clock(now)
        .build()
        .expect("a client");
    let analytics = AnalyticsClient::new(core);
    let query = AnalyticsQuery::new().last_days(7);
    for _ in 0..3 {
        tokio::time::timeout(Duration::from_secs(10), analytics.dau(&query))
            .await
            .expect("a poll of unchanged data does not wait for a permit")
            .expect("the answer");
    }
    full.assert_calls_async(1).await;
    not_modified.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_different_query_is_not_answered_from_the_cache() {
    let server = MockServer::start_async().await;
    let (full, not_modified) = etag_mocks(&server).await;
    let analytics = client(&server);
    analytics.dau(&AnalyticsQuery::new().last_days(7)).await.expect("the first answer");
    analytics.dau(&AnalyticsQuery::new().last_days(7).user("alice@example.com")).await.expect("a fresh answer");
    full.assert_calls_async(2).await;
    not_modified.assert_calls_async(0).await;
}
