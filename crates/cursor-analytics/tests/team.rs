//! Team-level endpoints against a mock server: the documents' curl examples are what goes on
//! the wire, answers decode losslessly, long ranges become windows merged in date order, and
//! bad input is refused with nothing sent.

mod common;

use std::future::Future;
use std::pin::Pin;

use common::{AUTH, client, day, json};
use cursor_analytics::{AnalyticsClient, AnalyticsQuery, DailyRow};
use cursor_core::testing::fixture;
use cursor_core::time::{Month, OffsetDateTime};
use cursor_core::{DateSpec, Result};
use httpmock::Method::GET;
use httpmock::MockServer;
use serde::Serialize;

type Call = fn(AnalyticsClient, AnalyticsQuery) -> Pin<Box<dyn Future<Output = Result<serde_json::Value>>>>;

fn value<T: Serialize>(result: Result<T>) -> Result<serde_json::Value> {
    result.map(|answer| serde_json::to_value(answer).expect("serializable"))
}

/// Each team-level method with its path and the name of the documents' example answer.
const TEAM: &[(&str, &str, Call)] = &[
    ("/analytics/team/agent-edits", "analytics/agent_edits", |c, q| {
        Box::pin(async move { value(c.agent_edits(&q).await) })
    }),
    ("/analytics/team/tabs", "analytics/tabs", |c, q| Box::pin(async move { value(c.tabs(&q).await) })),
    ("/analytics/team/dau", "analytics/dau", |c, q| Box::pin(async move { value(c.dau(&q).await) })),
    ("/analytics/team/client-versions", "analytics/client_versions", |c, q| {
        Box::pin(async move { value(c.client_versions(&q).await) })
    }),
    ("/analytics/team/models", "analytics/models", |c, q| Box::pin(async move { value(c.models(&q).await) })),
    ("/analytics/team/top-file-extensions", "analytics/top_file_extensions", |c, q| {
        Box::pin(async move { value(c.top_file_extensions(&q).await) })
    }),
    ("/analytics/team/mcp", "analytics/mcp", |c, q| Box::pin(async move { value(c.mcp(&q).await) })),
    ("/analytics/team/commands", "analytics/commands", |c, q| Box::pin(async move { value(c.commands(&q).await) })),
    ("/analytics/team/plans", "analytics/plans", |c, q| Box::pin(async move { value(c.plans(&q).await) })),
    ("/analytics/team/ask-mode", "analytics/ask_mode", |c, q| Box::pin(async move { value(c.ask_mode(&q).await) })),
];

#[tokio::test]
async fn every_team_endpoint_sends_the_documented_bare_get_and_returns_the_documented_answer() {
    for (path, name, call) in TEAM {
        let fixture = fixture(name);
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method(GET)
                    .path(*path)
                    .header("authorization", AUTH)
                    .query_param_missing("startDate")
                    .query_param_missing("endDate")
                    .query_param_missing("users")
                    .query_param_missing("page")
                    .query_param_missing("pageSize");
                then.status(200).header("content-type", "application/json").body(fixture);
            })
            .await;
        let answer = call(client(&server), AnalyticsQuery::new()).await.unwrap_or_else(|e| panic!("{path}: {e}"));
        mock.assert_async().await;
        assert!(cursor_core::testing::json_equivalent(&answer, &json(fixture)), "{path}: {answer}");
    }
}

#[tokio::test]
async fn dau_sends_the_documented_fourteen_day_shortcuts() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/analytics/team/dau")
                .query_param("startDate", "14d")
                .query_param("endDate", "today")
                .header("authorization", AUTH);
            then.status(200).body(fixture("analytics/dau"));
        })
        .await;
    let query = AnalyticsQuery::new().dates(DateSpec::DaysAgo(14), DateSpec::Today);
    let dau = client(&server).dau(&query).await.expect("the answer");
    mock.assert_async().await;
    assert_eq!(dau.data[1].bugbot_dau, Some(12));
    assert_eq!(dau.data[1].cloud_agent_dau, Some(34));
}

#[tokio::test]
async fn last_days_uses_the_shortcuts_that_cache_best() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/analytics/team/top-file-extensions")
                .query_param("startDate", "7d")
                .query_param("endDate", "today");
            then.status(200).body(fixture("analytics/top_file_extensions"));
        })
        .await;
    client(&server).top_file_extensions(&AnalyticsQuery::new().last_days(7)).await.expect("the answer");
    mock.assert_async().await;
}

#[tokio::test]
async fn users_go_as_one_comma_separated_list_of_emails_and_ids() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/analytics/team/agent-edits")
                .query_param("users", "alice@example.com,user_def456,bob@example.com");
            then.status(200).body(fixture("analytics/agent_edits"));
        })
        .await;
    let query = AnalyticsQuery::new().users(["alice@example.com", " user_def456 "]).user("bob@example.com");
    client(&server).agent_edits(&query).await.expect("the answer");
    mock.assert_async().await;
}

#[tokio::test]
async fn users_replaces_the_users_set_before_and_user_adds_one() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/analytics/team/agent-edits").query_param("users", "bob@example.com,user_c");
            then.status(200).body(fixture("analytics/agent_edits"));
        })
        .await;
    let query = AnalyticsQuery::new().user("alice@example.com").users(["bob@example.com"]).user("user_c");
    client(&server).agent_edits(&query).await.expect("the answer");
    mock.assert_async().await;
}

#[tokio::test]
async fn an_instant_is_sent_as_its_day() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/analytics/team/commands")
                .query_param("startDate", "2025-01-15")
                .query_param("endDate", "2025-01-31");
            then.status(200).body(fixture("analytics/commands"));
        })
        .await;
    let start = OffsetDateTime::from_unix_timestamp(1_736_951_400).expect("2025-01-15T14:30:00Z");
    let end = OffsetDateTime::from_unix_timestamp(1_738_367_999).expect("2025-01-31T23:59:59Z");
    client(&server).commands(&AnalyticsQuery::new().dates(start, end)).await.expect("the answer");
    mock.assert_async().await;
}

fn dau_answer(dates: &[&str], start: &str, end: &str) -> String {
    let rows: Vec<serde_json::Value> = dates
        .iter()
        .map(|d| serde_json::json!({"date": d, "dau": 10, "cli_dau": 1, "cloud_agent_dau": 2, "bugbot_dau": 3}))
        .collect();
    serde_json::json!({"data": rows, "params": {"metric": "dau", "teamId": 12345, "startDate": start, "endDate": end}})
        .to_string()
}

#[tokio::test]
async fn a_range_over_thirty_days_is_fetched_in_windows_and_merged_in_date_order_each_day_once() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.path("/analytics/team/dau")
                .query_param("startDate", "2025-01-01")
                .query_param("endDate", "2025-01-31");
            then.status(200).body(dau_answer(&["2025-01-01", "2025-01-02", "2025-01-31"], "2025-01-01", "2025-01-31"));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.path("/analytics/team/dau")
                .query_param("startDate", "2025-02-01")
                .query_param("endDate", "2025-02-14");
            // The server strays one day back into the first window: that day is kept once.
            then.status(200).body(dau_answer(&["2025-01-31", "2025-02-01", "2025-02-14"], "2025-02-01", "2025-02-14"));
        })
        .await;
    let query = AnalyticsQuery::new().dates(day(Month::January, 1), day(Month::February, 14));
    let dau = client(&server).dau(&query).await.expect("the merged answer");
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    let days: Vec<&str> = dau.data.iter().filter_map(DailyRow::day).collect();
    assert_eq!(days, ["2025-01-01", "2025-01-02", "2025-01-31", "2025-02-01", "2025-02-14"]);
    let params = dau.params.expect("params");
    assert_eq!((params.start_date.as_deref(), params.end_date.as_deref()), (Some("2025-01-01"), Some("2025-02-14")));
}

#[tokio::test]
async fn days_with_several_rows_keep_all_of_them_across_windows() {
    let server = MockServer::start_async().await;
    let row =
        |date: &str, version: &str| serde_json::json!({"event_date": date, "client_version": version, "user_count": 1});
    let windows = [
        ("2024-11-29", "2024-12-29", vec![row("2024-12-29", "0.42.2"), row("2024-12-29", "0.42.3")]),
        ("2024-12-30", "2025-01-29", vec![row("2024-12-30", "0.42.2"), row("2024-12-30", "0.42.3")]),
        ("2025-01-30", "2025-01-31", vec![row("2025-01-31", "0.43.0")]),
    ];
    let mut mocks = Vec::new();
    for (start, end, rows) in &windows {
        let body = serde_json::json!({"data": rows}).to_string();
        mocks.push(
            server
                .mock_async(|when, then| {
                    when.path("/analytics/team/client-versions")
                        .query_param("startDate", *start)
                        .query_param("endDate", *end);
                    then.status(200).body(body);
                })
                .await,
        );
    }
    let query = AnalyticsQuery::new()
        .dates(day(Month::January, 31) - cursor_core::time::Duration::days(63), day(Month::January, 31));
    let versions = client(&server).client_versions(&query).await.expect("the merged answer");
    for mock in &mocks {
        mock.assert_calls_async(1).await;
    }
    let got: Vec<(Option<&str>, Option<&str>)> =
        versions.data.iter().map(|r| (r.event_date.as_deref(), r.client_version.as_deref())).collect();
    assert_eq!(
        got,
        [
            (Some("2024-12-29"), Some("0.42.2")),
            (Some("2024-12-29"), Some("0.42.3")),
            (Some("2024-12-30"), Some("0.42.2")),
            (Some("2024-12-30"), Some("0.42.3")),
            (Some("2025-01-31"), Some("0.43.0")),
        ]
    );
}

#[tokio::test]
async fn top_file_extensions_sends_the_documented_thirty_day_shortcuts_as_one_request() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/analytics/team/top-file-extensions")
                .query_param("startDate", "30d")
                .query_param("endDate", "today")
                .header("authorization", AUTH);
            then.status(200).body(fixture("analytics/top_file_extensions"));
        })
        .await;
    let top = client(&server).top_file_extensions(&AnalyticsQuery::new().last_days(30)).await.expect("the answer");
    mock.assert_calls_async(1).await;
    assert_eq!(top.data[0].total_files, Some(156));
}

#[tokio::test]
async fn the_documented_january_range_is_one_request() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/analytics/team/agent-edits")
                .query_param("startDate", "2025-01-01")
                .query_param("endDate", "2025-01-31");
            then.status(200).body(fixture("analytics/agent_edits"));
        })
        .await;
    let query = AnalyticsQuery::new().dates(day(Month::January, 1), day(Month::January, 31));
    client(&server).agent_edits(&query).await.expect("the answer");
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200).body(fixture("analytics/dau"));
        })
        .await;
    let analytics = client(&server);
    let cases = [
        (AnalyticsQuery::new().page(2), "not paginated"),
        (AnalyticsQuery::new().page_size(50), "not paginated"),
        (AnalyticsQuery::new().user(""), "empty"),
        (AnalyticsQuery::new().user("alice@example.com,bob@example.com"), "comma"),
        (AnalyticsQuery::new().user("12345"), "neither an email nor a public user ID"),
        (AnalyticsQuery::new().dates(day(Month::February, 1), day(Month::January, 1)), "before it starts"),
    ];
    for (query, expected) in cases {
        let err = analytics.dau(&query).await.expect_err("refused");
        assert!(err.is_invalid_request(), "{err}");
        assert!(err.to_string().contains(expected), "{err} should say {expected}");
    }
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_server_error_names_the_endpoint() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/analytics/team/plans");
            then.status(429)
                .body(r#"{"error": "Too Many Requests", "message": "Rate limit exceeded. Please try again later."}"#);
        })
        .await;
    let err = client(&server).plans(&AnalyticsQuery::new()).await.expect_err("a 429");
    assert_eq!(err.status(), Some(429));
    assert!(err.to_string().contains("analytics.plans"), "{err}");
}
