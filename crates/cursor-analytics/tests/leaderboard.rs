//! The leaderboard against a mock server: the three documented requests, both boards with
//! their totals, team-wide ranks under a users filter, paging, and refusals.

mod common;

use common::{AUTH, client, day, json};
use cursor_analytics::{AnalyticsQuery, LeaderboardEntry};
use cursor_core::testing::fixture;
use cursor_core::testing::json_equivalent;
use cursor_core::time::Month;
use futures_util::TryStreamExt as _;
use httpmock::Method::GET;
use httpmock::MockServer;

fn board_page(page: u32, total_pages: u32, email: &str, rank: u32) -> String {
    serde_json::json!({
        "data": {
            "tab_leaderboard": {"data": [{"email": email, "user_id": "user_x", "rank": rank}], "total_users": 142},
            "agent_leaderboard": {"data": [{"email": email, "user_id": "user_x", "rank": rank + 1}], "total_users": 142}
        },
        "pagination": {
            "page": page, "pageSize": 1, "totalUsers": 142, "totalPages": total_pages,
            "hasNextPage": page < total_pages, "hasPreviousPage": page > 1
        }
    })
    .to_string()
}

#[tokio::test]
async fn the_first_page_is_a_bare_get_returning_both_boards() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/analytics/team/leaderboard")
                .header("authorization", AUTH)
                .query_param_missing("page")
                .query_param_missing("pageSize")
                .query_param_missing("users");
            then.status(200).body(fixture("analytics/leaderboard"));
        })
        .await;
    let board = client(&server).leaderboard_page(&AnalyticsQuery::new()).await.expect("the leaderboard");
    mock.assert_calls_async(1).await;
    assert!(json_equivalent(&serde_json::to_value(&board).expect("JSON"), &json(fixture("analytics/leaderboard"))));
    let tab = board.data.tab_leaderboard.expect("the tab board");
    assert_eq!(tab.data.iter().map(|e| e.rank).collect::<Vec<_>>(), [Some(1), Some(2)]);
}

#[tokio::test]
async fn the_second_page_with_a_custom_size_is_asked_for_as_documented() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/analytics/team/leaderboard").query_param("page", "2").query_param("pageSize", "20");
            then.status(200).body(board_page(2, 8, "carol@example.com", 21));
        })
        .await;
    let board = client(&server).leaderboard_page(&AnalyticsQuery::new().page(2).page_size(20)).await.expect("page 2");
    mock.assert_calls_async(1).await;
    assert_eq!(board.pagination.and_then(|p| p.page), Some(2));
}

#[tokio::test]
async fn filtered_users_keep_their_team_wide_rank() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/analytics/team/leaderboard")
                .query_param("users", "alice@example.com,bob@example.com");
            then.status(200).body(board_page(1, 1, "bob@example.com", 45));
        })
        .await;
    let query = AnalyticsQuery::new().users(["alice@example.com", "bob@example.com"]);
    let board = client(&server).leaderboard_page(&query).await.expect("the leaderboard");
    mock.assert_calls_async(1).await;
    let tab = board.data.tab_leaderboard.expect("the tab board");
    assert_eq!(tab.data[0].rank, Some(45), "the rank is the team-wide one, as sent");
    assert_eq!(tab.total_users, Some(142));
}

#[tokio::test]
async fn leaderboard_pages_walk_to_the_last_page_once_each_and_leaderboard_streams_their_entries_by_board() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.path("/analytics/team/leaderboard").query_param("pageSize", "1").query_param_missing("page");
            then.status(200).body(board_page(1, 2, "alice@example.com", 1));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.path("/analytics/team/leaderboard").query_param("pageSize", "1").query_param("page", "2");
            then.status(200).body(board_page(2, 2, "bob@example.com", 2));
        })
        .await;
    let analytics = client(&server);
    let query = AnalyticsQuery::new().page_size(1);
    let pages: Vec<_> = analytics.leaderboard_pages(&query).try_collect().await.expect("pages");
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    let emails: Vec<_> = pages
        .iter()
        .map(|p| p.data.tab_leaderboard.as_ref().and_then(|b| b.data[0].email.clone()).unwrap_or_default())
        .collect();
    assert_eq!(emails, ["alice@example.com", "bob@example.com"]);

    // The entry stream: every entry of every page, each tagged with its board, page by page.
    let entries: Vec<LeaderboardEntry> = analytics.leaderboard(&query).try_collect().await.expect("entries");
    first.assert_calls_async(2).await;
    second.assert_calls_async(2).await;
    let got: Vec<(&str, Option<&str>, Option<u32>)> = entries
        .iter()
        .map(|entry| match entry {
            LeaderboardEntry::Tab(tab) => ("tab", tab.email.as_deref(), tab.rank),
            LeaderboardEntry::Agent(agent) => ("agent", agent.email.as_deref(), agent.rank),
        })
        .collect();
    assert_eq!(
        got,
        [
            ("tab", Some("alice@example.com"), Some(1)),
            ("agent", Some("alice@example.com"), Some(2)),
            ("tab", Some("bob@example.com"), Some(2)),
            ("agent", Some("bob@example.com"), Some(3)),
        ]
    );
    let from_pages: Vec<LeaderboardEntry> = pages
        .into_iter()
        .flat_map(|page| {
            let boards = page.data;
            let tab = boards.tab_leaderboard.into_iter().flat_map(|b| b.data).map(LeaderboardEntry::Tab);
            let agent = boards.agent_leaderboard.into_iter().flat_map(|b| b.data).map(LeaderboardEntry::Agent);
            tab.chain(agent).collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(entries, from_pages);
}

#[tokio::test]
async fn the_leaderboard_stream_asks_for_the_largest_pages_unless_a_size_is_set() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/analytics/team/leaderboard").query_param("pageSize", "500");
            then.status(200).body(board_page(1, 1, "alice@example.com", 1));
        })
        .await;
    let entries: Vec<_> = client(&server).leaderboard(&AnalyticsQuery::new()).try_collect().await.expect("entries");
    mock.assert_calls_async(1).await;
    assert_eq!(entries.len(), 2, "one Tab and one Agent entry");
}

#[tokio::test]
async fn a_range_over_thirty_days_or_a_page_over_500_is_refused_unsent() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200).body(fixture("analytics/leaderboard"));
        })
        .await;
    let analytics = client(&server);
    let long = AnalyticsQuery::new().dates(day(Month::January, 1), day(Month::February, 14));
    let err = analytics.leaderboard_page(&long).await.expect_err("refused");
    assert!(err.is_invalid_request() && err.to_string().contains("shorten the range"), "{err}");
    let err = analytics.leaderboard_pages(&long).try_next().await.expect_err("refused");
    assert!(err.is_invalid_request(), "{err}");
    let err = analytics.leaderboard(&long).try_next().await.expect_err("refused");
    assert!(err.is_invalid_request(), "{err}");
    let err = analytics.leaderboard_page(&AnalyticsQuery::new().page_size(501)).await.expect_err("refused");
    assert!(err.to_string().contains("between 1 and 500"), "{err}");
    any.assert_calls_async(0).await;
}
