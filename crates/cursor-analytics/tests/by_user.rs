//! By-user endpoints against a mock server: the documented requests, pages keyed by email
//! with `userMappings`, streams and merged reports that hold each user's rows once across
//! pages and date windows, and input refused before sending.

mod common;

use common::{AUTH, client, day, json};
use cursor_analytics::{AnalyticsClient, AnalyticsQuery, ByUserReport};
use cursor_core::testing::fixture;
use cursor_core::testing::json_equivalent;
use cursor_core::time::Month;
use futures_util::{StreamExt as _, TryStreamExt as _};
use httpmock::Method::GET;
use httpmock::MockServer;
use serde::Serialize;

/// A by-user page of agent-edit rows: `(email, user id, days)` per user.
fn page(users: &[(&str, &str, &[&str])], page: u32, total_pages: u32) -> String {
    let mut data = serde_json::Map::new();
    let mut mappings = Vec::new();
    for (email, id, days) in users {
        let rows: Vec<serde_json::Value> = days
            .iter()
            .map(|d| serde_json::json!({"event_date": d, "suggested_lines": 10, "accepted_lines": 7}))
            .collect();
        data.insert((*email).to_owned(), rows.into());
        mappings.push(serde_json::json!({"id": id, "email": email}));
    }
    serde_json::json!({
        "data": data,
        "pagination": {
            "page": page, "pageSize": 2, "totalUsers": 5, "totalPages": total_pages,
            "hasNextPage": page < total_pages, "hasPreviousPage": page > 1
        },
        "params": {"metric": "agent-edits", "teamId": 12345, "page": page, "pageSize": 2, "userMappings": mappings}
    })
    .to_string()
}

fn days<R: Serialize>(rows: &[R]) -> Vec<String> {
    rows.iter()
        .map(|r| serde_json::to_value(r).expect("JSON")["event_date"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Mocks `/analytics/by-user/agent-edits` to answer `bodies` as pages 1, 2, …: the first
/// asked for without `page`, as the stream sends it.
async fn agent_edit_pages(server: &MockServer, bodies: &[String]) {
    for (n, body) in bodies.iter().enumerate() {
        let number = (n + 1).to_string();
        server
            .mock_async(|when, then| {
                let when = when.path("/analytics/by-user/agent-edits");
                if n == 0 {
                    when.query_param_missing("page");
                } else {
                    when.query_param("page", number);
                }
                then.status(200).body(body);
            })
            .await;
    }
}

#[tokio::test]
async fn agent_edits_by_user_sends_the_documented_page_request_and_reads_the_documented_page() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/analytics/by-user/agent-edits")
                .query_param("page", "1")
                .query_param("pageSize", "50")
                .query_param_missing("users")
                .query_param_missing("startDate")
                .header("authorization", AUTH);
            then.status(200).body(fixture("analytics/agent_edits_by_user"));
        })
        .await;
    let query = AnalyticsQuery::new().page(1).page_size(50);
    let mut pages = client(&server).agent_edits_by_user_pages(&query);
    let first = pages.try_next().await.expect("a page").expect("the first page");
    mock.assert_calls_async(1).await;
    assert!(json_equivalent(
        &serde_json::to_value(&first).expect("JSON"),
        &json(fixture("analytics/agent_edits_by_user"))
    ));
    assert_eq!(first.user_id("alice@example.com"), Some("user_abc123"));
}

#[tokio::test]
async fn agent_edits_by_user_sends_the_documented_users_filter_and_asks_for_the_largest_pages() {
    let server = MockServer::start_async().await;
    let body =
        page(&[("alice@example.com", "user_abc123", &["2025-01-15"]), ("bob@example.com", "user_def456", &[])], 1, 1);
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/analytics/by-user/agent-edits")
                .query_param("users", "alice@example.com,bob@example.com,carol@example.com")
                .query_param_missing("page")
                // Every request counts against 50 a minute: the stream asks for the most allowed.
                .query_param("pageSize", "500");
            then.status(200).body(body);
        })
        .await;
    let query = AnalyticsQuery::new().users(["alice@example.com", "bob@example.com", "carol@example.com"]);
    let report = client(&server).agent_edits_by_user_merged(&query).await.expect("the report");
    mock.assert_calls_async(1).await;
    assert_eq!(report.len(), 2);
    assert_eq!(report.rows("alice@example.com").map(<[_]>::len), Some(1));
    assert_eq!(report.email_of("user_def456"), Some("bob@example.com"));
}

type PageCall = fn(AnalyticsClient, AnalyticsQuery) -> futures_util::stream::BoxStream<'static, serde_json::Value>;

fn first_page<R: Serialize + Send + 'static>(
    stream: cursor_core::BoxStream<cursor_core::Result<cursor_analytics::ByUserPage<R>>>,
) -> futures_util::stream::BoxStream<'static, serde_json::Value> {
    stream.take(1).map(|page| serde_json::to_value(page.expect("the first page")).expect("JSON")).boxed()
}

/// The by-user endpoints with a documented curl (`?page=1&pageSize=50`) and the name of their example answer.
const DOCUMENTED: &[(&str, &str, PageCall)] = &[
    ("/analytics/by-user/mcp", "analytics/mcp_by_user", |c, q| first_page(c.mcp_by_user_pages(&q))),
    ("/analytics/by-user/commands", "analytics/commands_by_user", |c, q| first_page(c.commands_by_user_pages(&q))),
    ("/analytics/by-user/plans", "analytics/plans_by_user", |c, q| first_page(c.plans_by_user_pages(&q))),
    ("/analytics/by-user/ask-mode", "analytics/ask_mode_by_user", |c, q| first_page(c.ask_mode_by_user_pages(&q))),
];

#[tokio::test]
async fn documented_by_user_endpoints_send_their_curl_and_return_their_example() {
    for (path, name, call) in DOCUMENTED {
        let fixture = fixture(name);
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method(GET)
                    .path(*path)
                    .query_param("page", "1")
                    .query_param("pageSize", "50")
                    .header("authorization", AUTH);
                then.status(200).body(fixture);
            })
            .await;
        let pages: Vec<serde_json::Value> =
            call(client(&server), AnalyticsQuery::new().page(1).page_size(50)).collect().await;
        mock.assert_calls_async(1).await;
        assert_eq!(pages.len(), 1, "{path}");
        assert!(json_equivalent(&pages[0], &json(fixture)), "{path}: {}", pages[0]);
    }
}

type CountCall = fn(AnalyticsClient) -> futures_util::future::BoxFuture<'static, usize>;

/// The by-user endpoints the documents list without an example.
const UNDOCUMENTED: &[(&str, CountCall)] = &[
    ("/analytics/by-user/tabs", |c| {
        Box::pin(async move { c.tabs_by_user_merged(&AnalyticsQuery::new()).await.expect("tabs").len() })
    }),
    ("/analytics/by-user/models", |c| {
        Box::pin(async move { c.models_by_user_merged(&AnalyticsQuery::new()).await.expect("models").len() })
    }),
    ("/analytics/by-user/top-file-extensions", |c| {
        Box::pin(async move {
            c.top_file_extensions_by_user_merged(&AnalyticsQuery::new()).await.expect("extensions").len()
        })
    }),
    ("/analytics/by-user/client-versions", |c| {
        Box::pin(async move { c.client_versions_by_user_merged(&AnalyticsQuery::new()).await.expect("versions").len() })
    }),
];

#[tokio::test]
async fn undocumented_by_user_endpoints_reach_their_paths_and_decode_rows_of_any_shape() {
    for (path, call) in UNDOCUMENTED {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method(GET).path(*path).header("authorization", AUTH);
                then.status(200).body(r#"{"data": {"a@example.com": [{"event_date": "2025-01-15", "something_new": 3}], "b@example.com": []}}"#);
            })
            .await;
        assert_eq!(call(client(&server)).await, 2, "{path}");
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn the_stream_walks_every_page_once_and_yields_each_user_once_with_their_id() {
    let server = MockServer::start_async().await;
    let pages = [
        page(&[("alice@example.com", "user_a", &["2025-01-15"]), ("bob@example.com", "user_b", &["2025-01-15"])], 1, 3),
        // The server repeats bob on page 2: he is yielded once.
        page(&[("bob@example.com", "user_b", &["2025-01-15"]), ("carol@example.com", "user_c", &["2025-01-16"])], 2, 3),
        page(&[("dave@example.com", "user_d", &[])], 3, 3),
    ];
    let mut mocks = Vec::new();
    for (n, body) in pages.iter().enumerate() {
        let number = (n + 1).to_string();
        mocks.push(
            server
                .mock_async(|when, then| {
                    let when = when.path("/analytics/by-user/agent-edits").query_param("pageSize", "2");
                    if n == 0 {
                        when.query_param_missing("page");
                    } else {
                        when.query_param("page", number);
                    }
                    then.status(200).body(body);
                })
                .await,
        );
    }
    let users: Vec<_> = client(&server)
        .agent_edits_by_user(&AnalyticsQuery::new().page_size(2))
        .try_collect()
        .await
        .expect("every user");
    for mock in &mocks {
        mock.assert_calls_async(1).await;
    }
    let got: Vec<(&str, Option<&str>, usize)> =
        users.iter().map(|u| (u.email.as_str(), u.user_id.as_deref(), u.rows.len())).collect();
    assert_eq!(
        got,
        [
            ("alice@example.com", Some("user_a"), 1),
            ("bob@example.com", Some("user_b"), 1),
            ("carol@example.com", Some("user_c"), 1),
            ("dave@example.com", Some("user_d"), 0),
        ]
    );
}

#[tokio::test]
async fn by_user_pages_hold_the_same_users_as_the_stream_page_by_page_and_by_user_page_reads_the_one_named() {
    let server = MockServer::start_async().await;
    let bodies = [
        page(&[("alice@example.com", "user_a", &["2025-01-15"]), ("bob@example.com", "user_b", &["2025-01-15"])], 1, 2),
        page(&[("carol@example.com", "user_c", &["2025-01-16", "2025-01-17"])], 2, 2),
    ];
    agent_edit_pages(&server, &bodies).await;
    let analytics = client(&server);
    let query = AnalyticsQuery::new().page_size(2);
    let pages: Vec<_> = analytics.agent_edits_by_user_pages(&query).try_collect().await.expect("pages");
    assert_eq!(
        pages.iter().map(|p| p.pagination.as_ref().and_then(|p| p.page)).collect::<Vec<_>>(),
        [Some(1), Some(2)]
    );
    let from_pages: Vec<_> = pages.into_iter().flat_map(|p| p.into_user_rows()).collect();
    let streamed: Vec<_> = analytics.agent_edits_by_user(&query).try_collect().await.expect("users");
    assert_eq!(from_pages, streamed);
    assert_eq!(streamed.len(), 3);

    let second = analytics.agent_edits_by_user_page(&query.clone().page(2)).await.expect("page 2");
    let users = second.into_user_rows();
    assert_eq!(users.iter().map(|u| u.email.as_str()).collect::<Vec<_>>(), ["carol@example.com"]);
    assert_eq!(users[0].user_id.as_deref(), Some("user_c"));
    assert_eq!(users[0].rows.len(), 2);
}

#[tokio::test]
async fn one_by_user_page_sends_only_what_the_query_sets_and_refuses_a_range_it_would_split() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/analytics/by-user/plans").query_param_missing("page").query_param_missing("pageSize");
            then.status(200).body(r#"{"data": {"alice@example.com": []}}"#);
        })
        .await;
    let analytics = client(&server);
    let page = analytics.plans_by_user_page(&AnalyticsQuery::new()).await.expect("one page");
    mock.assert_calls_async(1).await;
    assert_eq!(page.into_user_rows().len(), 1);
    let long = AnalyticsQuery::new().dates(day(Month::January, 1), day(Month::February, 14));
    let err = analytics.plans_by_user_page(&long).await.expect_err("refused");
    assert!(err.is_invalid_request() && err.to_string().contains("shorten the range"), "{err}");
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_long_range_merges_each_users_rows_from_every_window_and_page_once() {
    let server = MockServer::start_async().await;
    // Window 1 (2025-01-01..2025-01-31) has two pages; window 2 (2025-02-01..2025-02-14) one.
    let answers = [
        (
            "2025-01-01",
            "2025-01-31",
            None,
            page(&[("alice@example.com", "user_a", &["2025-01-02", "2025-01-30"])], 1, 2),
        ),
        ("2025-01-01", "2025-01-31", Some("2"), page(&[("bob@example.com", "user_b", &["2025-01-31"])], 2, 2)),
        (
            "2025-02-01",
            "2025-02-14",
            None,
            page(
                &[("bob@example.com", "user_b", &["2025-02-03"]), ("alice@example.com", "user_a", &["2025-02-01"])],
                1,
                1,
            ),
        ),
    ];
    let mut mocks = Vec::new();
    for (start, end, page_number, body) in &answers {
        mocks.push(
            server
                .mock_async(|when, then| {
                    let when = when
                        .path("/analytics/by-user/agent-edits")
                        .query_param("startDate", *start)
                        .query_param("endDate", *end);
                    match page_number {
                        Some(n) => when.query_param("page", *n),
                        None => when.query_param_missing("page"),
                    };
                    then.status(200).body(body);
                })
                .await,
        );
    }
    let analytics = client(&server);
    let query = AnalyticsQuery::new().dates(day(Month::January, 1), day(Month::February, 14));
    let streamed: Vec<_> = analytics.agent_edits_by_user(&query).try_collect().await.expect("the stream");
    let order: Vec<&str> = streamed.iter().map(|u| u.email.as_str()).collect();
    // One item per user per window (the helper writes each page's users sorted by email).
    assert_eq!(order, ["alice@example.com", "bob@example.com", "alice@example.com", "bob@example.com"]);

    let report: ByUserReport<_> = analytics.agent_edits_by_user_merged(&query).await.expect("the report");
    for mock in &mocks {
        mock.assert_calls_async(2).await;
    }
    assert_eq!(report.len(), 2);
    assert_eq!(days(report.rows("alice@example.com").expect("alice")), ["2025-01-02", "2025-01-30", "2025-02-01"]);
    assert_eq!(days(report.rows("bob@example.com").expect("bob")), ["2025-01-31", "2025-02-03"]);
    assert_eq!(report.user_id("alice@example.com"), Some("user_a"));
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200).body(fixture("analytics/mcp_by_user"));
        })
        .await;
    let analytics = client(&server);
    let cases = [
        (AnalyticsQuery::new().page_size(501), "between 1 and 500"),
        (AnalyticsQuery::new().page_size(0), "between 1 and 500"),
        (AnalyticsQuery::new().page(0), "starts at 1"),
        (AnalyticsQuery::new().user("bob"), "neither an email nor a public user ID"),
        (AnalyticsQuery::new().dates(day(Month::March, 1), day(Month::January, 1)), "before it starts"),
    ];
    for (query, expected) in cases {
        let err = analytics.mcp_by_user_merged(&query).await.expect_err("refused");
        assert!(err.is_invalid_request() && err.to_string().contains(expected), "{err} should say {expected}");
        let mut stream = analytics.mcp_by_user(&query);
        let first = stream.next().await.expect("an item");
        assert!(first.is_err_and(|e| e.is_invalid_request()));
        assert!(stream.next().await.is_none(), "nothing follows the error");
        let mut pages = analytics.mcp_by_user_pages(&query);
        assert!(pages.next().await.expect("an item").is_err());
    }
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_page_size_of_500_is_accepted() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/analytics/by-user/commands").query_param("pageSize", "500");
            then.status(200).body(r#"{"data": {}}"#);
        })
        .await;
    let report =
        client(&server).commands_by_user_merged(&AnalyticsQuery::new().page_size(500)).await.expect("a report");
    mock.assert_calls_async(1).await;
    assert!(report.is_empty());
}

#[tokio::test]
async fn a_user_whose_rows_continue_on_the_next_page_keeps_every_row() {
    let server = MockServer::start_async().await;
    let pages = [
        page(&[("alice@example.com", "user_a", &["2025-01-15", "2025-01-16"])], 1, 2),
        // Alice's rows go on past the page break.
        page(&[("alice@example.com", "user_a", &["2025-01-17"]), ("bob@example.com", "user_b", &["2025-01-15"])], 2, 2),
    ];
    agent_edit_pages(&server, &pages).await;
    let analytics = client(&server);
    let query = AnalyticsQuery::new().page_size(2);
    let streamed: Vec<_> = analytics.agent_edits_by_user(&query).try_collect().await.expect("the stream");
    let rows: usize = streamed.iter().map(|u| u.rows.len()).sum();
    assert_eq!(rows, 4, "every row of every page");
    let report = analytics.agent_edits_by_user_merged(&query).await.expect("the report");
    assert_eq!(days(report.rows("alice@example.com").expect("alice")), ["2025-01-15", "2025-01-16", "2025-01-17"]);
}
