//! End-to-end tests of the 20 Analytics endpoints through `cursor-analytics` against the
//! simulator: every team metric returns rows inside the range asked, every by-user metric
//! merges pages and date windows into one map covering the whole team, the leaderboard pages,
//! and a repeated request is revalidated with `If-None-Match` and answered `304`.

use std::collections::BTreeSet;

use cursor_analytics::{AnalyticsClient, AnalyticsQuery, ByUserReport, DailyRow, TeamResponse};
use cursor_core::{DateRange, DateSpec, Result};
use cursor_mock::MockServer;
use cursor_tests::{client, query_param, requests_to, start_mock};
use futures_util::TryStreamExt as _;
use time::macros::date;

/// 2025-06-01 to 2025-06-14: two full weeks before the simulator's frozen "now".
fn two_weeks() -> AnalyticsQuery {
    AnalyticsQuery::new().dates(date!(2025 - 06 - 01), date!(2025 - 06 - 14))
}

async fn analytics(key: &str) -> (MockServer, AnalyticsClient) {
    let server = start_mock().await;
    let analytics = AnalyticsClient::new(client(&server, key));
    (server, analytics)
}

/// Rows came back, each dated inside 2025-06-01..=2025-06-14, and the request sent the
/// documented `YYYY-MM-DD` bounds.
fn check_team<R: DailyRow>(server: &MockServer, path: &str, response: Result<TeamResponse<R>>) {
    let response = response.unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(!response.data.is_empty(), "{path}: no rows");
    for row in &response.data {
        let day = row.day().unwrap_or_else(|| panic!("{path}: a row without its day"));
        assert!(("2025-06-01"..="2025-06-14").contains(&day), "{path}: {day} is outside the range");
    }
    let sent = requests_to(server, "GET", path);
    assert_eq!(sent.len(), 1, "{path}");
    assert_eq!(query_param(&sent[0], "startDate").as_deref(), Some("2025-06-01"), "{path}");
    assert_eq!(query_param(&sent[0], "endDate").as_deref(), Some("2025-06-14"), "{path}");
}

#[tokio::test]
async fn team_agent_edits() {
    let (server, a) = analytics("key_team_agent_edits").await;
    check_team(&server, "/analytics/team/agent-edits", a.agent_edits(&two_weeks()).await);
}

#[tokio::test]
async fn team_tabs() {
    let (server, a) = analytics("key_team_tabs").await;
    check_team(&server, "/analytics/team/tabs", a.tabs(&two_weeks()).await);
}

#[tokio::test]
async fn team_dau_has_one_row_per_day_with_breakdowns() {
    let (server, a) = analytics("key_team_dau").await;
    let dau = a.dau(&two_weeks()).await;
    if let Ok(rows) = &dau {
        let days: BTreeSet<_> = rows.data.iter().filter_map(|r| r.date.clone()).collect();
        assert_eq!(days.len(), 14);
        assert!(rows.data.iter().all(|r| r.dau.is_some_and(|d| d > 0) && r.cli_dau.is_some()));
    }
    check_team(&server, "/analytics/team/dau", dau);
}

#[tokio::test]
async fn team_client_versions() {
    let (server, a) = analytics("key_team_client_versions").await;
    check_team(&server, "/analytics/team/client-versions", a.client_versions(&two_weeks()).await);
}

#[tokio::test]
async fn team_models() {
    let (server, a) = analytics("key_team_models").await;
    let models = a.models(&two_weeks()).await;
    if let Ok(rows) = &models {
        assert!(rows.data.iter().any(|r| r.model_breakdown.as_ref().is_some_and(|m| !m.is_empty())));
    }
    check_team(&server, "/analytics/team/models", models);
}

#[tokio::test]
async fn team_top_file_extensions() {
    let (server, a) = analytics("key_team_top_file_extensions").await;
    check_team(&server, "/analytics/team/top-file-extensions", a.top_file_extensions(&two_weeks()).await);
}

#[tokio::test]
async fn team_mcp() {
    let (server, a) = analytics("key_team_mcp").await;
    check_team(&server, "/analytics/team/mcp", a.mcp(&two_weeks()).await);
}

#[tokio::test]
async fn team_commands() {
    let (server, a) = analytics("key_team_commands").await;
    check_team(&server, "/analytics/team/commands", a.commands(&two_weeks()).await);
}

#[tokio::test]
async fn team_plans() {
    let (server, a) = analytics("key_team_plans").await;
    check_team(&server, "/analytics/team/plans", a.plans(&two_weeks()).await);
}

#[tokio::test]
async fn team_ask_mode() {
    let (server, a) = analytics("key_team_ask_mode").await;
    check_team(&server, "/analytics/team/ask-mode", a.ask_mode(&two_weeks()).await);
}

#[tokio::test]
async fn team_metric_over_45_days_merges_two_windows_in_date_order() {
    let (server, a) = analytics("key_team_dau_45").await;
    let query = AnalyticsQuery::new().dates(date!(2025 - 04 - 15), date!(2025 - 05 - 30));
    let dau = a.dau(&query).await.expect("dau");
    let sent = requests_to(&server, "GET", "/analytics/team/dau");
    assert_eq!(sent.len(), 2, "46 days are two 30-day windows");
    let days: Vec<_> = dau.data.iter().filter_map(|r| r.date.clone()).collect();
    let unique: BTreeSet<_> = days.iter().cloned().collect();
    assert_eq!(unique.len(), days.len(), "a day came twice");
    assert_eq!(unique.len(), 46);
    assert_eq!(days.first().map(String::as_str), Some("2025-04-15"));
    assert_eq!(days.last().map(String::as_str), Some("2025-05-30"));
}

#[tokio::test]
async fn leaderboard_pages_cover_every_user_once() {
    let (server, a) = analytics("key_leaderboard").await;
    let query = two_weeks().page_size(100);
    let first = a.leaderboard_page(&query).await.expect("first page");
    let pagination = first.pagination.clone().expect("pagination");
    let total_users = pagination.total_users.expect("totalUsers");
    assert!(pagination.total_pages.is_some_and(|p| p >= 2));
    let pages: Vec<_> = a.leaderboard_pages(&query).try_collect().await.expect("pages");
    assert_eq!(pages.len() as u32, pagination.total_pages.unwrap_or_default());
    let mut emails = BTreeSet::new();
    for page in &pages {
        for entry in page.data.tab_leaderboard.as_ref().map(|b| b.data.as_slice()).unwrap_or_default() {
            assert!(emails.insert(entry.email.clone().expect("email")), "a user on two pages");
        }
    }
    assert_eq!(emails.len() as u64, total_users);
    let pages_sent: Vec<_> = requests_to(&server, "GET", "/analytics/team/leaderboard")
        .iter()
        .filter_map(|e| query_param(e, "page"))
        .collect();
    assert!(pages_sent.contains(&"2".to_owned()));
}

#[tokio::test]
async fn a_repeated_request_is_revalidated_and_answered_304() {
    let (server, a) = analytics("key_etag").await;
    let first = a.dau(&two_weeks()).await.expect("first");
    let second = a.dau(&two_weeks()).await.expect("second, from the cache");
    assert_eq!(first, second);
    let sent = requests_to(&server, "GET", "/analytics/team/dau");
    assert_eq!(sent.len(), 2);
    assert!(!sent[0].headers.contains_key("if-none-match"));
    assert!(sent[1].headers.contains_key("if-none-match"), "{:?}", sent[1].headers);
    assert_eq!((sent[0].status, sent[1].status), (200, 304));
}

/// Every member appears once, with their public ID, whatever page they came from.
fn check_by_user<R>(server: &MockServer, members: &BTreeSet<String>, path: &str, report: Result<ByUserReport<R>>) {
    let report = report.unwrap_or_else(|e| panic!("{path}: {e}"));
    let emails: BTreeSet<_> = report.users.keys().cloned().collect();
    assert_eq!(&emails, members, "{path}: the merged map must cover the whole team");
    assert!(report.users.keys().all(|email| report.user_id(email).is_some_and(|id| id.starts_with("user_"))), "{path}");
    assert!(report.users.values().any(|rows| !rows.is_empty()), "{path}: no rows at all");
    // The stream asks for the largest page (500 users), so the 210 members take one request
    // of the 50-a-minute budget instead of three at the server's default of 100.
    let sent = requests_to(server, "GET", path);
    assert_eq!(sent.len(), 1, "{path}: 210 users fit one page of 500");
    assert_eq!(query_param(&sent[0], "pageSize").as_deref(), Some("500"), "{path}");
}

async fn team_emails(server: &MockServer) -> BTreeSet<String> {
    let admin = cursor_admin::AdminClient::new(client(server, "key_by_user_members"));
    admin.members().await.expect("members").team_members.into_iter().map(|m| m.email).collect()
}

/// One test per by-user endpoint: the whole team, merged from its pages.
macro_rules! by_user_tests {
    ($($test:ident => $merged:ident, $path:literal),* $(,)?) => {$(
        #[tokio::test]
        async fn $test() {
            let (server, a) = analytics(concat!("key_", stringify!($test))).await;
            let members = team_emails(&server).await;
            check_by_user(&server, &members, $path, a.$merged(&two_weeks()).await);
        }
    )*};
}

by_user_tests! {
    by_user_agent_edits => agent_edits_by_user_merged, "/analytics/by-user/agent-edits",
    by_user_tabs => tabs_by_user_merged, "/analytics/by-user/tabs",
    by_user_models => models_by_user_merged, "/analytics/by-user/models",
    by_user_top_file_extensions => top_file_extensions_by_user_merged, "/analytics/by-user/top-file-extensions",
    by_user_client_versions => client_versions_by_user_merged, "/analytics/by-user/client-versions",
    by_user_mcp => mcp_by_user_merged, "/analytics/by-user/mcp",
    by_user_commands => commands_by_user_merged, "/analytics/by-user/commands",
    by_user_plans => plans_by_user_merged, "/analytics/by-user/plans",
    by_user_ask_mode => ask_mode_by_user_merged, "/analytics/by-user/ask-mode",
}

#[tokio::test]
async fn by_user_over_two_windows_merges_each_users_rows_in_date_order() {
    let (server, a) = analytics("key_by_user_windows").await;
    let members = team_emails(&server).await;
    let query = AnalyticsQuery::new()
        .range(DateRange::new(DateSpec::Date(date!(2025 - 04 - 20)), DateSpec::Date(date!(2025 - 06 - 10))));
    let report = a.client_versions_by_user_merged(&query).await.expect("merged");
    let emails: BTreeSet<_> = report.users.keys().cloned().collect();
    assert_eq!(emails, members);
    let starts: BTreeSet<_> = requests_to(&server, "GET", "/analytics/by-user/client-versions")
        .iter()
        .filter_map(|e| query_param(e, "startDate"))
        .collect();
    assert_eq!(starts.len(), 2, "two date windows: {starts:?}");
    for rows in report.users.values() {
        let days: Vec<_> = rows.iter().filter_map(|r| r.event_date.clone()).collect();
        assert!(days.windows(2).all(|w| w[0] < w[1]), "rows in date order, each day once: {days:?}");
    }
    assert!(report.users.values().any(|rows| rows.iter().any(|r| r.event_date.as_deref() < Some("2025-05-20"))));
    assert!(report.users.values().any(|rows| rows.iter().any(|r| r.event_date.as_deref() > Some("2025-05-21"))));
}

#[tokio::test]
async fn a_users_filter_is_sent_comma_separated_and_narrows_the_map() {
    let (server, a) = analytics("key_by_user_filter").await;
    let members: Vec<_> = team_emails(&server).await.into_iter().take(2).collect();
    let report = a.tabs_by_user_merged(&two_weeks().users(members.clone())).await.expect("merged");
    assert_eq!(report.users.keys().cloned().collect::<Vec<_>>(), members);
    let sent = &requests_to(&server, "GET", "/analytics/by-user/tabs")[0];
    assert_eq!(query_param(sent, "users"), Some(members.join(",")));
}

#[tokio::test]
async fn the_leaderboard_defaults_to_ten_users_a_page() {
    let (server, a) = analytics("key_leaderboard_default").await;
    let board = a.leaderboard_page(&two_weeks()).await.expect("leaderboard");
    assert_eq!(board.pagination.and_then(|p| p.page_size), Some(10));
    let tab = board.data.tab_leaderboard.expect("tab leaderboard");
    assert_eq!(tab.data.len(), 10);
    let ranks: Vec<_> = tab.data.iter().filter_map(|e| e.rank).collect();
    assert_eq!(ranks, (1..=10).collect::<Vec<_>>());
    assert_eq!(query_param(&requests_to(&server, "GET", "/analytics/team/leaderboard")[0], "pageSize"), None);
}

#[tokio::test]
async fn a_page_size_over_500_is_refused_before_sending() {
    let (server, a) = analytics("key_by_user_page_size").await;
    let error = a.tabs_by_user_merged(&two_weeks().page_size(501)).await.expect_err("refused");
    assert!(error.is_invalid_request(), "{error}");
    assert!(server.journal().is_empty());
}
