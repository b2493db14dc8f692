//! Endpoint tests against a loopback mock: the documents' curl examples reproduced, input
//! refused before sending, streams over many pages, ETag revalidation and per-endpoint
//! rate limits.

use std::time::Duration;

use cursor_aicode::{AiCodeClient, AiCodeQuery, DateSpec, ExportQuery, UserRef};
use cursor_core::testing::{fixture, loopback_client};
use cursor_core::time::{Date, Month, OffsetDateTime};
use cursor_core::{Rate, RateLimits};
use futures_util::{StreamExt as _, TryStreamExt as _};
use httpmock::prelude::*;
use serde_json::{Value, json};

/// `Basic base64("key_test:")`.
const AUTH: &str = "Basic a2V5X3Rlc3Q6";

fn client_with(server: &MockServer, limits: RateLimits) -> AiCodeClient {
    let core = loopback_client(&server.base_url())
        .rate_limits(limits)
        .clock(|| OffsetDateTime::from_unix_timestamp(1_754_049_600).unwrap()) // 2025-08-01T12:00:00Z
        .build()
        .unwrap();
    AiCodeClient::new(core)
}

fn client(server: &MockServer) -> AiCodeClient {
    client_with(server, RateLimits::unlimited())
}

/// The documents' example answer of `/analytics/ai-code/commits`.
fn commits_example() -> Value {
    serde_json::from_str(fixture("aicode/commits")).expect("a JSON fixture")
}

/// The documents' example answer of `/analytics/ai-code/changes`.
fn changes_example() -> Value {
    serde_json::from_str(fixture("aicode/changes")).expect("a JSON fixture")
}

#[tokio::test]
async fn commits_reproduces_the_basic_curl_example() {
    // curl -X GET ".../analytics/ai-code/commits?startDate=7d&endDate=now&page=1&pageSize=100" -u YOUR_API_KEY:
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/analytics/ai-code/commits")
                .header("authorization", AUTH)
                .query_param("startDate", "7d")
                .query_param("endDate", "now")
                .query_param("page", "1")
                .query_param("pageSize", "100")
                .query_param_missing("user");
            then.status(200).json_body(commits_example());
        })
        .await;
    let query = AiCodeQuery::new().start_date(DateSpec::DaysAgo(7)).end_date(DateSpec::Now).page(1).page_size(100);
    let page = client(&server).commits_page(&query).await.unwrap();
    mock.assert_async().await;
    assert_eq!(page.total_count, Some(42));
    assert_eq!(page.items[0].commit_hash.as_deref(), Some("a1b2c3d4"));
}

#[tokio::test]
async fn commits_reproduces_the_user_email_curl_example() {
    // curl -X GET ".../commits?startDate=2025-06-01T00:00:00Z&endDate=now&user=developer@company.com" (older page)
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/analytics/ai-code/commits")
                .header("authorization", AUTH)
                .query_param("startDate", "2025-06-01T00:00:00Z")
                .query_param("endDate", "now")
                .query_param("user", "developer@company.com")
                .query_param_missing("page")
                .query_param_missing("pageSize");
            then.status(200).json_body(commits_example());
        })
        .await;
    let query = AiCodeQuery::new()
        .start_date("2025-06-01T00:00:00Z".parse::<DateSpec>().unwrap())
        .end_date(DateSpec::Now)
        .user("developer@company.com".parse::<UserRef>().unwrap());
    client(&server).commits_page(&query).await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn changes_reproduces_the_curl_examples() {
    // curl -X GET ".../analytics/ai-code/changes?startDate=14d&endDate=now&page=1&pageSize=200"
    let server = MockServer::start_async().await;
    let basic = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/analytics/ai-code/changes")
                .header("authorization", AUTH)
                .query_param("startDate", "14d")
                .query_param("endDate", "now")
                .query_param("page", "1")
                .query_param("pageSize", "200");
            then.status(200).json_body(changes_example());
        })
        .await;
    // curl -X GET ".../analytics/ai-code/changes?user=user_3k9x8q..." (older page): nothing else sent.
    let by_user = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/analytics/ai-code/changes")
                .header("authorization", AUTH)
                .query_param("user", "user_3k9x8q...")
                .query_param_missing("startDate")
                .query_param_missing("endDate")
                .query_param_missing("page")
                .query_param_missing("pageSize");
            then.status(200).json_body(changes_example());
        })
        .await;
    let aicode = client(&server);
    let query = AiCodeQuery::new().start_date(DateSpec::DaysAgo(14)).end_date(DateSpec::Now).page(1).page_size(200);
    let page = aicode.changes_page(&query).await.unwrap();
    assert_eq!(page.items[0].metadata.as_ref().map(Vec::len), Some(2));
    let page =
        aicode.changes_page(&AiCodeQuery::new().user(UserRef::EncodedId("user_3k9x8q...".into()))).await.unwrap();
    assert_eq!(page.items[0].change_id.as_deref(), Some("749356201"));
    basic.assert_async().await;
    by_user.assert_async().await;
}

#[tokio::test]
async fn commits_csv_reproduces_the_curl_example_and_copies_the_exact_bytes() {
    // curl -L ".../analytics/ai-code/commits.csv?startDate=2025-07-01T00:00:00Z&endDate=now&user=user_3k9x8q..."
    let body = "commit_hash,user_id\na1b2c3d4,user_3k9x8q...\n";
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/analytics/ai-code/commits.csv")
                .header("authorization", AUTH)
                .header("accept", "text/csv")
                .query_param("startDate", "2025-07-01T00:00:00Z")
                .query_param("endDate", "now")
                .query_param("user", "user_3k9x8q...")
                .query_param_missing("page")
                .query_param_missing("pageSize");
            then.status(200).header("content-type", "text/csv; charset=utf-8").body(body);
        })
        .await;
    let query = ExportQuery::new()
        .start_date("2025-07-01T00:00:00Z".parse::<DateSpec>().unwrap())
        .end_date(DateSpec::Now)
        .user("user_3k9x8q...".parse::<UserRef>().unwrap());
    let mut out = Vec::new();
    let written = client(&server).commits_csv(&query).await.unwrap().copy_to(&mut out).await.unwrap();
    mock.assert_async().await;
    assert_eq!(out, body.as_bytes());
    assert_eq!(written, body.len() as u64);
}

#[tokio::test]
async fn changes_csv_reproduces_the_curl_example() {
    // curl -L ".../analytics/ai-code/changes.csv?startDate=30d&endDate=now"
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/analytics/ai-code/changes.csv")
                .header("authorization", AUTH)
                .query_param("startDate", "30d")
                .query_param("endDate", "now")
                .query_param_missing("user");
            then.status(200).header("content-type", "text/csv; charset=utf-8").body("change_id,source\n1,TAB\n");
        })
        .await;
    let query = ExportQuery::new().start_date(DateSpec::DaysAgo(30)).end_date(DateSpec::Now);
    let rows: Vec<_> = client(&server).changes_csv_rows(&query).try_collect().await.unwrap();
    mock.assert_async().await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].change_id.as_deref(), Some("1"));
}

#[tokio::test]
async fn numeric_user_ids_and_dates_render_in_the_ai_code_dialect() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/analytics/ai-code/commits")
                .query_param("user", "42")
                .query_param("startDate", "2025-07-01")
                // `today` is not an AI-code form: it is resolved with the client's clock.
                .query_param("endDate", "2025-08-01T00:00:00Z");
            then.status(200).json_body(json!({"items": [], "totalCount": 0, "page": 1, "pageSize": 100}));
        })
        .await;
    let query = AiCodeQuery::new()
        .start_date(Date::from_calendar_date(2025, Month::July, 1).unwrap())
        .end_date(DateSpec::Today)
        .user(42u64);
    client(&server).commits_page(&query).await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn last_days_sends_the_days_ago_shortcut_until_now_and_dates_sets_both_ends() {
    let server = MockServer::start_async().await;
    let shortcut = server
        .mock_async(|when, then| {
            when.path("/analytics/ai-code/commits").query_param("startDate", "14d").query_param("endDate", "now");
            then.status(200).json_body(json!({"items": [], "totalCount": 0, "page": 1, "pageSize": 100}));
        })
        .await;
    let days = server
        .mock_async(|when, then| {
            when.path("/analytics/ai-code/changes.csv")
                .query_param("startDate", "2025-07-01")
                .query_param("endDate", "2025-07-15");
            then.status(200).body("");
        })
        .await;
    let aicode = client(&server);
    aicode.commits_page(&AiCodeQuery::new().last_days(14)).await.unwrap();
    let (start, end) = (
        Date::from_calendar_date(2025, Month::July, 1).unwrap(),
        Date::from_calendar_date(2025, Month::July, 15).unwrap(),
    );
    aicode.changes_csv(&ExportQuery::new().dates(start, end)).await.unwrap();
    shortcut.assert_async().await;
    days.assert_async().await;
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({"items": []}));
        })
        .await;
    let aicode = client(&server);
    let cases = [
        (AiCodeQuery::new().page_size(0), "pageSize"),
        (AiCodeQuery::new().page_size(1001), "pageSize"),
        (AiCodeQuery::new().page(0), "page"),
        (AiCodeQuery::new().start_date(DateSpec::Now).end_date(DateSpec::DaysAgo(3)), "before it starts"),
        (AiCodeQuery::new().end_date(DateSpec::DaysAgo(30)), "before it starts"),
        (AiCodeQuery::new().user(UserRef::Email("bob".into())), "not a user"),
        (AiCodeQuery::new().user(UserRef::EncodedId("abc".into())), "not a user"),
    ];
    for (query, needle) in cases {
        let err = aicode.commits_page(&query).await.unwrap_err();
        assert!(err.is_invalid_request() && err.to_string().contains(needle), "{err}");
        let err = aicode.changes(&query).next().await.unwrap().unwrap_err();
        assert!(err.is_invalid_request() && err.to_string().contains(needle), "{err}");
        if needle.starts_with("page") {
            continue; // the CSV exports take no page parameters
        }
        let err = aicode.commits_csv(query.filter()).await.unwrap_err();
        assert!(err.is_invalid_request() && err.to_string().contains(needle), "{err}");
        let err = aicode.changes_csv_rows(query.filter()).next().await.unwrap().unwrap_err();
        assert!(err.is_invalid_request() && err.to_string().contains(needle), "{err}");
    }
    any.assert_calls_async(0).await;
}

#[test]
fn user_refs_parse_by_form() {
    assert_eq!("developer@company.com".parse::<UserRef>().unwrap(), UserRef::Email("developer@company.com".into()));
    assert_eq!(" user_abc123 ".parse::<UserRef>().unwrap(), UserRef::EncodedId("user_abc123".into()));
    assert_eq!("42".parse::<UserRef>().unwrap(), UserRef::NumericId(42));
    for bad in ["", "bob", "user_", "@x", "a@", "4 2", "-1", "99999999999999999999999"] {
        assert!(bad.parse::<UserRef>().is_err(), "{bad:?} accepted");
    }
}

fn commit_item(n: usize) -> Value {
    json!({"commitHash": format!("c{n}"), "totalLinesAdded": n})
}

#[tokio::test]
async fn a_stream_over_many_pages_returns_every_item_once_in_order() {
    let server = MockServer::start_async().await;
    let total = 2_345;
    let mut mocks = Vec::new();
    for page in 1..=3usize {
        let items: Vec<Value> = ((page - 1) * 1000..(page * 1000).min(total)).map(commit_item).collect();
        mocks.push(
            server
                .mock_async(move |when, then| {
                    when.method(GET)
                        .path("/analytics/ai-code/commits")
                        .query_param("page", page.to_string())
                        .query_param("pageSize", "1000")
                        .query_param("startDate", "90d");
                    then.status(200)
                        .json_body(json!({"items": items, "totalCount": total, "page": page, "pageSize": 1000}));
                })
                .await,
        );
    }
    let commits: Vec<_> =
        client(&server).commits(&AiCodeQuery::new().start_date(DateSpec::DaysAgo(90))).try_collect().await.unwrap();
    let hashes: Vec<String> = commits.iter().map(|c| c.commit_hash.clone().unwrap()).collect();
    let expected: Vec<String> = (0..total).map(|n| format!("c{n}")).collect();
    assert_eq!(hashes, expected);
    for mock in &mocks {
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn repeated_commit_hashes_are_not_deduplicated_and_pages_stream_with_their_totals() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.path("/analytics/ai-code/commits").query_param("page", "1").query_param("pageSize", "2");
            then.status(200).json_body(json!({
                "items": [{"commitHash": "amended", "message": "v1"}, {"commitHash": "amended", "message": "v2"}],
                "totalCount": 3, "page": 1, "pageSize": 2
            }));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.path("/analytics/ai-code/commits").query_param("page", "2").query_param("pageSize", "2");
            then.status(200).json_body(json!({
                "items": [{"commitHash": "amended", "message": "v3"}], "totalCount": 3, "page": 2, "pageSize": 2
            }));
        })
        .await;
    let pages: Vec<_> = client(&server).commits_pages(&AiCodeQuery::new().page_size(2)).try_collect().await.unwrap();
    assert_eq!(pages.len(), 2);
    let messages: Vec<_> = pages.iter().flat_map(|p| &p.items).map(|c| c.message.clone().unwrap()).collect();
    assert_eq!(messages, ["v1", "v2", "v3"]);
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
}

#[tokio::test]
async fn changes_pages_hold_the_changes_stream_page_by_page_in_order() {
    let server = MockServer::start_async().await;
    let bodies = [
        json!({"items": [{"changeId": "a"}, {"changeId": "b"}], "totalCount": 3, "page": 1, "pageSize": 2}),
        json!({"items": [{"changeId": "c"}], "totalCount": 3, "page": 2, "pageSize": 2}),
    ];
    let mut mocks = Vec::new();
    for (n, body) in bodies.iter().enumerate() {
        let page = (n + 1).to_string();
        mocks.push(
            server
                .mock_async(|when, then| {
                    when.path("/analytics/ai-code/changes").query_param("page", page).query_param("pageSize", "2");
                    then.status(200).json_body(body.clone());
                })
                .await,
        );
    }
    let aicode = client(&server);
    let query = AiCodeQuery::new().page_size(2);
    let pages: Vec<_> = aicode.changes_pages(&query).try_collect().await.unwrap();
    let ids: Vec<Vec<String>> =
        pages.iter().map(|p| p.items.iter().map(|c| c.change_id.clone().unwrap()).collect()).collect();
    assert_eq!(ids, [vec!["a", "b"], vec!["c"]]);
    let changes: Vec<_> = aicode.changes(&query).try_collect().await.unwrap();
    let from_pages: Vec<_> = pages.into_iter().flat_map(|p| p.items).collect();
    assert_eq!(changes, from_pages);
    for mock in &mocks {
        mock.assert_calls_async(2).await;
    }
}

#[tokio::test]
async fn a_stream_starts_at_the_requested_page_and_stops_on_an_empty_page() {
    let server = MockServer::start_async().await;
    let third = server
        .mock_async(|when, then| {
            when.path("/analytics/ai-code/changes").query_param("page", "3").query_param("pageSize", "1000");
            then.status(200)
                .json_body(json!({"items": [{"changeId": "x"}], "totalCount": 99999, "page": 3, "pageSize": 1000}));
        })
        .await;
    let fourth = server
        .mock_async(|when, then| {
            when.path("/analytics/ai-code/changes").query_param("page", "4");
            // Over-counted total: the empty page still ends the stream.
            then.status(200).json_body(json!({"items": [], "totalCount": 99999, "page": 4, "pageSize": 1000}));
        })
        .await;
    let changes: Vec<_> = client(&server).changes(&AiCodeQuery::new().page(3)).try_collect().await.unwrap();
    assert_eq!(changes.len(), 1);
    third.assert_calls_async(1).await;
    fourth.assert_calls_async(1).await;
}

#[tokio::test]
async fn json_answers_are_revalidated_with_their_etag() {
    let server = MockServer::start_async().await;
    let full = server
        .mock_async(|when, then| {
            when.path("/analytics/ai-code/changes").header_missing("if-none-match");
            then.status(200).header("etag", "\"v1\"").json_body(changes_example());
        })
        .await;
    let not_modified = server
        .mock_async(|when, then| {
            when.path("/analytics/ai-code/changes").header("if-none-match", "\"v1\"");
            then.status(304);
        })
        .await;
    let aicode = client(&server);
    let query = AiCodeQuery::new().start_date(DateSpec::DaysAgo(14));
    let first = aicode.changes_page(&query).await.unwrap();
    let second = aicode.changes_page(&query).await.unwrap();
    assert_eq!(first, second);
    full.assert_calls_async(1).await;
    not_modified.assert_calls_async(1).await;
}

#[tokio::test]
async fn csv_exports_are_not_cached() {
    let server = MockServer::start_async().await;
    let export = server
        .mock_async(|when, then| {
            when.path("/analytics/ai-code/commits.csv").header_missing("if-none-match");
            then.status(200).header("etag", "\"v1\"").body("commit_hash\nabc\n");
        })
        .await;
    let aicode = client(&server);
    for _ in 0..2 {
        let rows: Vec<_> = aicode.commits_csv_rows(&ExportQuery::new()).try_collect().await.unwrap();
        assert_eq!(rows[0].commit_hash.as_deref(), Some("abc"));
    }
    export.assert_calls_async(2).await;
}

#[tokio::test]
async fn commits_and_changes_have_separate_rate_limit_budgets() {
    let server = MockServer::start_async().await;
    let empty = json!({"items": [], "totalCount": 0, "page": 1, "pageSize": 100});
    for path in ["/analytics/ai-code/commits", "/analytics/ai-code/changes"] {
        let body = empty.clone();
        server
            .mock_async(move |when, then| {
                when.path(path);
                then.status(200).json_body(body);
            })
            .await;
    }
    server
        .mock_async(|when, then| {
            when.path("/analytics/ai-code/commits.csv");
            then.status(200).body("commit_hash\n");
        })
        .await;
    let aicode = client_with(
        &server,
        RateLimits::default().set(cursor_aicode::endpoints::AICODE_BUCKET, vec![Rate::per_minute(1)]),
    );
    let query = AiCodeQuery::new();
    let quick = Duration::from_secs(5);
    tokio::time::timeout(quick, aicode.commits_page(&query)).await.expect("first commits call waited").unwrap();
    tokio::time::timeout(quick, aicode.changes_page(&query))
        .await
        .expect("changes waited on the commits budget")
        .unwrap();
    tokio::time::timeout(quick, aicode.commits_csv(&ExportQuery::new()))
        .await
        .expect("the CSV export waited on the JSON budget")
        .unwrap();
    let second = tokio::time::timeout(Duration::from_millis(300), aicode.commits_page(&query)).await;
    assert!(second.is_err(), "a second commits call within the minute must wait for the budget");
}

#[tokio::test]
async fn server_errors_come_back_as_api_errors() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/analytics/ai-code/commits.csv");
            then.status(403).json_body(json!({"error": "Forbidden", "message": "Enterprise only"}));
        })
        .await;
    let err = client(&server).commits_csv_rows(&ExportQuery::new()).next().await.unwrap().unwrap_err();
    assert!(err.is_forbidden(), "{err}");
}

#[test]
fn the_endpoint_list_declares_the_four_seed_endpoints_and_the_lookup() {
    use cursor_aicode::endpoints::{CHANGES, CHANGES_CSV, COMMITS, COMMITS_CSV};
    use cursor_core::{Method, ResponseKind};
    let paths: Vec<_> = cursor_aicode::ENDPOINTS.iter().map(|e| e.path).collect();
    assert_eq!(
        paths,
        [
            "/analytics/ai-code/commits",
            "/analytics/ai-code/commits.csv",
            "/analytics/ai-code/changes",
            "/analytics/ai-code/changes.csv",
            // The current documents' lookup by hash.
            "/analytics/ai-code/commits/{commitHash}"
        ]
    );
    for endpoint in cursor_aicode::ENDPOINTS {
        assert_eq!(
            (endpoint.api, endpoint.method, endpoint.bucket),
            (cursor_aicode::endpoints::AICODE_API, Method::Get, cursor_aicode::endpoints::AICODE_BUCKET)
        );
        assert_eq!(endpoint.dates, Some(cursor_aicode::endpoints::ISO_DATES));
        assert!(endpoint.idempotent);
    }
    for json in [COMMITS, CHANGES] {
        assert_eq!(
            (json.pagination, json.response, json.cacheable),
            (Some(cursor_aicode::endpoints::COUNTED_PAGES), ResponseKind::Json, true)
        );
    }
    for csv in [COMMITS_CSV, CHANGES_CSV] {
        assert_eq!((csv.pagination, csv.response), (None, ResponseKind::Csv));
    }
}

#[tokio::test]
async fn without_page_size_in_the_answer_the_page_length_drives_the_next_request() {
    let server = MockServer::start_async().await;
    let mut mocks = Vec::new();
    for (page, items) in [(1, vec![commit_item(0), commit_item(1)]), (2, vec![commit_item(2)]), (3, vec![])] {
        mocks.push(
            server
                .mock_async(move |when, then| {
                    when.path("/analytics/ai-code/commits").query_param("page", page.to_string());
                    then.status(200).json_body(json!({"items": items, "totalCount": 3, "page": page}));
                })
                .await,
        );
    }
    let commits: Vec<_> = client(&server).commits(&AiCodeQuery::new().page_size(2)).try_collect().await.unwrap();
    assert_eq!(commits.len(), 3);
    mocks[0].assert_calls_async(1).await;
    mocks[1].assert_calls_async(1).await;
    // The short last page looks like a full page of one, so one empty page confirms the end.
    mocks[2].assert_calls_async(1).await;
}

#[tokio::test]
async fn without_total_count_a_full_page_asks_for_the_next_and_a_short_page_ends_the_stream() {
    let server = MockServer::start_async().await;
    let mut mocks = Vec::new();
    for (page, items) in [(1, vec![commit_item(0), commit_item(1)]), (2, vec![commit_item(2)])] {
        mocks.push(
            server
                .mock_async(move |when, then| {
                    when.path("/analytics/ai-code/commits").query_param("page", page.to_string());
                    // An alpha API may drop `totalCount`; `pageSize` still says what a full page is.
                    then.status(200).json_body(json!({"items": items, "page": page, "pageSize": 2}));
                })
                .await,
        );
    }
    let commits: Vec<_> = client(&server).commits(&AiCodeQuery::new().page_size(2)).try_collect().await.unwrap();
    assert_eq!(commits.len(), 3, "nothing after the first page may be dropped");
    mocks[0].assert_calls_async(1).await;
    mocks[1].assert_calls_async(1).await;
}

#[tokio::test]
async fn a_user_given_as_text_is_classified_and_bad_text_is_refused_before_sending() {
    assert_eq!(UserRef::from("developer@company.com"), UserRef::Email("developer@company.com".into()));
    assert_eq!(UserRef::from("user_abc123"), UserRef::EncodedId("user_abc123".into()));
    assert_eq!(UserRef::from(String::from("42")), UserRef::NumericId(42));
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.path("/analytics/ai-code/commits");
            then.status(200).json_body(json!({"items": [], "totalCount": 0, "page": 1, "pageSize": 100}));
        })
        .await;
    let err = client(&server).commits_page(&AiCodeQuery::new().user("not a user")).await.unwrap_err();
    assert!(err.is_invalid_request(), "{err}");
    any.assert_calls_async(0).await;
    client(&server).commits_page(&AiCodeQuery::new().user("developer@company.com")).await.unwrap();
    any.assert_calls_async(1).await;
}
