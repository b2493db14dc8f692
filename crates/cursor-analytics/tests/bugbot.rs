//! The Bugbot analytics endpoints against a mock server: one page, every page in order, and
//! the item streams, which yield exactly the items of those pages.

mod common;

use common::client;
use cursor_analytics::BugbotQuery;
use futures_util::TryStreamExt as _;
use httpmock::MockServer;

/// A page of `/analytics/team/bugbot`: one pull request per number in `prs`.
fn pr_page(prs: &[u64], page: u32, total_pages: u32) -> String {
    let data: Vec<_> = prs.iter().map(|n| serde_json::json!({"repo": "company/api", "prNumber": n})).collect();
    serde_json::json!({
        "data": data,
        "pagination": {"page": page, "pageSize": 2, "totalItems": 3, "totalPages": total_pages, "hasNextPage": page < total_pages}
    })
    .to_string()
}

/// Mocks `path` to answer page 1 (sent without `page` or with `page=1`) and page 2.
async fn two_pages<'a>(server: &'a MockServer, path: &str, first: String, second: String) -> Vec<httpmock::Mock<'a>> {
    let mut mocks = Vec::new();
    for (number, body) in [("1", first), ("2", second)] {
        let path = path.to_owned();
        mocks.push(
            server
                .mock_async(|when, then| {
                    when.path(path).query_param("page", number);
                    then.status(200).body(body);
                })
                .await,
        );
    }
    mocks
}

#[tokio::test]
async fn bugbot_pages_walk_every_page_in_order_and_bugbot_yields_their_items() {
    let server = MockServer::start_async().await;
    let mocks = two_pages(&server, "/analytics/team/bugbot", pr_page(&[1, 2], 1, 2), pr_page(&[3], 2, 2)).await;
    let analytics = client(&server);
    let query = BugbotQuery::new().page_size(2);
    let pages: Vec<_> = analytics.bugbot_pages(&query).try_collect().await.expect("pages");
    for mock in &mocks {
        mock.assert_calls_async(1).await;
    }
    let numbers: Vec<Vec<Option<u64>>> = pages.iter().map(|p| p.data.iter().map(|pr| pr.pr_number).collect()).collect();
    assert_eq!(numbers, [vec![Some(1), Some(2)], vec![Some(3)]]);
    let items: Vec<_> = analytics.bugbot(&query).try_collect().await.expect("items");
    let from_pages: Vec<_> = pages.into_iter().flat_map(|p| p.data).collect();
    assert_eq!(items, from_pages);
}

#[tokio::test]
async fn bugbot_pages_ask_for_the_largest_pages_unless_a_size_is_set() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/analytics/team/bugbot").query_param("pageSize", "250").query_param("page", "1");
            then.status(200).body(r#"{"data": []}"#);
        })
        .await;
    let pages: Vec<_> = client(&server).bugbot_pages(&BugbotQuery::new()).try_collect().await.expect("pages");
    mock.assert_calls_async(1).await;
    assert_eq!(pages.len(), 1);
}

#[tokio::test]
async fn bugbot_reviews_pages_walk_every_page_and_bugbot_reviews_yields_their_items() {
    let server = MockServer::start_async().await;
    let review = |id: &str| serde_json::json!({"reviewId": id, "repo": "company/api"});
    let page = |ids: &[&str], page: u32| {
        serde_json::json!({
            "data": ids.iter().map(|id| review(id)).collect::<Vec<_>>(),
            "pagination": {"page": page, "totalPages": 2, "hasNextPage": page < 2}
        })
        .to_string()
    };
    let mocks = two_pages(&server, "/analytics/team/bugbot-reviews", page(&["r1", "r2"], 1), page(&["r3"], 2)).await;
    let analytics = client(&server);
    let query = BugbotQuery::new().repo("company/api");
    let pages: Vec<_> = analytics.bugbot_reviews_pages(&query).try_collect().await.expect("pages");
    for mock in &mocks {
        mock.assert_calls_async(1).await;
    }
    assert_eq!(pages.iter().map(|p| p.data.len()).collect::<Vec<_>>(), [2, 1]);
    let items: Vec<_> = analytics.bugbot_reviews(&query).try_collect().await.expect("items");
    let from_pages: Vec<_> = pages.into_iter().flat_map(|p| p.data).collect();
    assert_eq!(items.len(), 3);
    assert_eq!(items, from_pages);
}

#[tokio::test]
async fn a_page_the_server_did_not_ask_for_stops_the_pages_stream() {
    let server = MockServer::start_async().await;
    // Page 2 answers as page 1: the stream fails instead of looping.
    let _mocks = two_pages(&server, "/analytics/team/bugbot", pr_page(&[1, 2], 1, 2), pr_page(&[3], 1, 2)).await;
    let result: Result<Vec<_>, _> = client(&server).bugbot_pages(&BugbotQuery::new().page_size(2)).try_collect().await;
    let err = result.expect_err("a pagination error");
    assert!(err.to_string().contains("asked for page 2"), "{err}");
}
