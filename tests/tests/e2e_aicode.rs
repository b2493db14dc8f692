//! End-to-end tests of the four AI Code Tracking endpoints through `cursor-aicode` against
//! the simulator: JSON streams yield `totalCount` items across pages, the CSV exports hold the
//! same rows as the JSON listings, user filters narrow both, and JSON pages revalidate.

use std::collections::HashSet;

use cursor_aicode::{AiCodeClient, AiCodeQuery, ExportQuery, UserRef};
use cursor_core::DateSpec;
use cursor_mock::MockServer;
use cursor_tests::{client, query_param, requests_to, start_mock};
use futures_util::TryStreamExt as _;

async fn aicode(key: &str) -> (MockServer, AiCodeClient) {
    let server = start_mock().await;
    let aicode = AiCodeClient::new(client(&server, key));
    (server, aicode)
}

fn last_30_days() -> AiCodeQuery {
    AiCodeQuery::new().start_date(DateSpec::DaysAgo(30)).end_date(DateSpec::Now)
}

fn export_30_days() -> ExportQuery {
    ExportQuery::new().start_date(DateSpec::DaysAgo(30)).end_date(DateSpec::Now)
}

#[tokio::test]
async fn commits_stream_yields_total_count_across_pages() {
    let (server, aicode) = aicode("key_commits").await;
    let query = last_30_days().page_size(500);
    let first = aicode.commits_page(&query).await.expect("first page");
    let total = first.total_count.expect("totalCount");
    assert!(total > 1000, "30 days of commits span several pages: {total}");
    let commits: Vec<_> = aicode.commits(&query).try_collect().await.expect("commits");
    assert_eq!(commits.len() as u64, total);
    // Hashes repeat when a commit is amended (documented), so a row is its hash and ingestion time.
    let rows: HashSet<_> = commits.iter().map(|c| (c.commit_hash.clone(), c.created_at.clone())).collect();
    assert_eq!(rows.len(), commits.len(), "a row came twice");
    let hashes: HashSet<_> = commits.iter().map(|c| c.commit_hash.clone()).collect();
    assert!(hashes.len() < commits.len(), "amended commits keep their rows");
    let sent = requests_to(&server, "GET", "/analytics/ai-code/commits");
    assert_eq!(sent.len() as u64, 1 + total.div_ceil(500));
    assert_eq!(query_param(&sent[0], "startDate").as_deref(), Some("30d"));
    assert_eq!(query_param(&sent[0], "endDate").as_deref(), Some("now"));
    assert_eq!(query_param(&sent[0], "pageSize").as_deref(), Some("500"));
}

#[tokio::test]
async fn changes_stream_yields_total_count_across_pages() {
    let (_server, aicode) = aicode("key_changes").await;
    let query = AiCodeQuery::new().start_date(DateSpec::DaysAgo(10)).end_date(DateSpec::Now).page_size(400);
    let first = aicode.changes_page(&query).await.expect("first page");
    let total = first.total_count.expect("totalCount");
    assert!(total > 400);
    let changes: Vec<_> = aicode.changes(&query).try_collect().await.expect("changes");
    assert_eq!(changes.len() as u64, total);
    let ids: HashSet<_> = changes.iter().map(|c| c.change_id.clone().expect("changeId")).collect();
    assert_eq!(ids.len(), changes.len());
    assert!(changes.iter().any(|c| c.metadata.as_ref().is_some_and(|m| !m.is_empty())));
}

#[tokio::test]
async fn commits_csv_holds_the_json_rows() {
    let (server, aicode) = aicode("key_commits_csv").await;
    let json_first = aicode.commits_page(&last_30_days().page_size(1)).await.expect("json");
    let rows: Vec<_> = aicode.commits_csv_rows(&export_30_days()).try_collect().await.expect("csv rows");
    assert_eq!(rows.len() as u64, json_first.total_count.expect("totalCount"));
    let (csv, json) = (&rows[0], &json_first.items[0]);
    assert_eq!(csv.commit_hash, json.commit_hash);
    assert_eq!(csv.user_email, json.user_email);
    assert_eq!(csv.repo_name, json.repo_name);
    assert_eq!(csv.total_lines_added, json.total_lines_added);
    assert_eq!(csv.composer_lines_added, json.composer_lines_added);
    let sent = requests_to(&server, "GET", "/analytics/ai-code/commits.csv");
    assert_eq!(sent.len(), 1, "the export is one streamed request");
}

#[tokio::test]
async fn changes_csv_holds_the_json_rows() {
    let (_server, aicode) = aicode("key_changes_csv").await;
    let query = AiCodeQuery::new().start_date(DateSpec::DaysAgo(5)).end_date(DateSpec::Now).page_size(1);
    let json_first = aicode.changes_page(&query).await.expect("json");
    let export = ExportQuery::new().start_date(DateSpec::DaysAgo(5)).end_date(DateSpec::Now);
    let rows: Vec<_> = aicode.changes_csv_rows(&export).try_collect().await.expect("csv rows");
    assert_eq!(rows.len() as u64, json_first.total_count.expect("totalCount"));
    let (csv, json) = (&rows[0], &json_first.items[0]);
    assert_eq!(csv.change_id, json.change_id);
    assert_eq!(csv.user_email, json.user_email);
    assert_eq!(csv.source, json.source);
    assert_eq!(csv.total_lines_added, json.total_lines_added);
    assert_eq!(csv.metadata, json.metadata, "metadata_json decodes to the JSON metadata");
}

#[tokio::test]
async fn the_raw_csv_export_starts_with_its_header() {
    let (_server, aicode) = aicode("key_raw_csv").await;
    let mut body = Vec::new();
    aicode.commits_csv(&export_30_days()).await.expect("stream").copy_to(&mut body).await.expect("copy");
    let text = String::from_utf8(body).expect("utf-8");
    let header = text.lines().next().expect("a header line");
    // The documented columns, in the documented order.
    let columns = [
        "commit_hash",
        "user_id",
        "user_email",
        "repo_name",
        "branch_name",
        "is_primary_branch",
        "total_lines_added",
        "total_lines_deleted",
        "tab_lines_added",
        "tab_lines_deleted",
        "composer_lines_added",
        "composer_lines_deleted",
        "non_ai_lines_added",
        "non_ai_lines_deleted",
        "message",
        "commit_ts",
        "created_at",
    ];
    assert_eq!(header.trim_end().split(',').collect::<Vec<_>>(), columns);
    assert!(text.lines().count() > 1000);
}

#[tokio::test]
async fn a_user_filter_narrows_json_and_csv_alike() {
    let (server, aicode) = aicode("key_aicode_user").await;
    let email = aicode.commits_page(&last_30_days().page_size(1)).await.expect("json").items[0]
        .user_email
        .clone()
        .expect("userEmail");
    let query = last_30_days().user(UserRef::Email(email.clone())).page_size(1000);
    let commits: Vec<_> = aicode.commits(&query).try_collect().await.expect("commits");
    assert!(!commits.is_empty());
    assert!(commits.iter().all(|c| c.user_email.as_deref() == Some(email.as_str())));
    let export = export_30_days().user(UserRef::Email(email.clone()));
    let rows: Vec<_> = aicode.commits_csv_rows(&export).try_collect().await.expect("csv");
    assert_eq!(rows.len(), commits.len());
    let sent = requests_to(&server, "GET", "/analytics/ai-code/commits.csv");
    assert_eq!(query_param(&sent[0], "user"), Some(email));
}

#[tokio::test]
async fn a_repeated_json_page_is_answered_304_from_the_cache() {
    let (server, aicode) = aicode("key_aicode_etag").await;
    let query = last_30_days().page_size(10);
    let first = aicode.commits_page(&query).await.expect("first");
    let second = aicode.commits_page(&query).await.expect("second");
    assert_eq!(first, second);
    let sent = requests_to(&server, "GET", "/analytics/ai-code/commits");
    assert_eq!((sent[0].status, sent[1].status), (200, 304));
    assert!(sent[1].headers.contains_key("if-none-match"));
}

#[tokio::test]
async fn changes_for_one_user_by_encoded_id() {
    let (server, aicode) = aicode("key_changes_user_id").await;
    let first = aicode.changes_page(&AiCodeQuery::new().page_size(1)).await.expect("json");
    let user_id = first.items[0].user_id.clone().expect("userId");
    let query = AiCodeQuery::new().user(UserRef::EncodedId(user_id.clone())).page_size(1000);
    let changes: Vec<_> = aicode.changes(&query).try_collect().await.expect("changes");
    assert!(!changes.is_empty());
    assert!(changes.iter().all(|c| c.user_id.as_deref() == Some(user_id.as_str())));
    let sent = requests_to(&server, "GET", "/analytics/ai-code/changes");
    assert_eq!(query_param(&sent[1], "user"), Some(user_id));
}
