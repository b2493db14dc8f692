//! Input the documents rule out is refused before anything is sent, with an error that says
//! what to change (the catch-all mock must see no request at all).

mod common;

use common::*;
use cursor_admin::*;
use cursor_core::{BoxStream, DateRange, DateSpec, Error};
use futures_util::StreamExt as _;
use httpmock::prelude::*;

/// Asserts `result` is a refusal mentioning `hint`.
#[track_caller]
fn refused<T: std::fmt::Debug>(result: cursor_core::Result<T>, hint: &str) {
    match result {
        Err(err @ Error::InvalidRequest { .. }) => {
            assert!(err.to_string().contains(hint), "`{err}` does not mention `{hint}`")
        }
        other => panic!("expected a refusal mentioning `{hint}`, got {other:?}"),
    }
}

/// Asserts the stream's first item is a refusal mentioning `hint`, and that nothing follows.
async fn refused_stream<T: std::fmt::Debug>(mut stream: BoxStream<cursor_core::Result<T>>, hint: &str) {
    refused(stream.next().await.expect("the refusal as the first item"), hint);
    assert!(stream.next().await.is_none(), "nothing follows the refusal");
}

/// Asserts the stream's first item is not a refusal (the request was sent).
async fn accepted<T: std::fmt::Debug>(mut stream: BoxStream<cursor_core::Result<T>>) {
    let first = stream.next().await;
    assert!(!matches!(first, Some(Err(Error::InvalidRequest { .. }))), "refused: {first:?}");
}

fn reversed() -> DateRange {
    DateRange::new(DateSpec::EpochMillis(NOW_MS), DateSpec::EpochMillis(NOW_MS - 86_400_000))
}

#[tokio::test]
async fn audit_log_queries_outside_the_documented_bounds_are_refused_unsent() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let admin = admin(&server);
    refused(admin.audit_logs_page(&AuditLogQuery::new().page_size(0)).await, "between 1 and 500");
    refused(admin.audit_logs_page(&AuditLogQuery::new().page_size(501)).await, "between 1 and 500");
    refused(admin.audit_logs_page(&AuditLogQuery::new().page(0)).await, "1-based");
    let many: Vec<String> = (0..101).map(|i| format!("u{i}@company.com")).collect();
    refused(admin.audit_logs_page(&AuditLogQuery::new().users(&many)).await, "at most `pageSize` (100)");
    refused(
        admin.audit_logs_page(&AuditLogQuery::new().users(["a@x.com", "b@x.com", "c@x.com"]).page_size(2)).await,
        "raise `pageSize`",
    );
    refused(admin.audit_logs_page(&AuditLogQuery::new().users([""])).await, "empty entry");
    refused(admin.audit_logs_page(&AuditLogQuery::new().event_types(["login,logout"])).await, "comma");
    refused(admin.audit_logs_page(&AuditLogQuery::new().range(reversed())).await, "before it starts");
    refused(admin.audit_logs_page(&AuditLogQuery::new().range(DateRange::last_days(31))).await, "longer than 30 days");
    refused_stream(admin.audit_logs(&AuditLogQuery::new().page_size(501)), "between 1 and 500").await;
    refused_stream(admin.audit_logs(&AuditLogQuery::new().range(reversed())), "before it starts").await;
    refused_stream(admin.audit_logs_pages(&AuditLogQuery::new().page_size(501)), "between 1 and 500").await;
    any.assert_calls_async(0).await;

    // The bounds themselves are accepted: each stream sends its first request.
    accepted(admin.audit_logs(&AuditLogQuery::new().users(&many[..100]).page_size(100))).await;
    accepted(admin.audit_logs(&AuditLogQuery::new().page_size(500))).await;
    accepted(admin.audit_logs(&AuditLogQuery::new().page_size(1))).await;
    any.assert_calls_async(3).await;
}

#[tokio::test]
async fn usage_spend_and_event_queries_outside_the_documented_bounds_are_refused_unsent() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let admin = admin(&server);
    refused(admin.daily_usage(&reversed()).await, "before it starts");
    refused(admin.spend_page(&SpendQuery::new().page(0)).await, "1-based");
    refused(admin.spend_page(&SpendQuery::new().page_size(0)).await, "at least 1");
    refused_stream(admin.spend(&SpendQuery::new().page(0)), "1-based").await;
    refused_stream(admin.spend_pages(&SpendQuery::new().page_size(0)), "at least 1").await;
    refused(admin.usage_events_page(&UsageEventsQuery::new().page(0)).await, "1-based");
    refused(admin.usage_events_page(&UsageEventsQuery::new().page_size(0)).await, "between 1 and 1000");
    refused(admin.usage_events_page(&UsageEventsQuery::new().page_size(1001)).await, "between 1 and 1000");
    refused(admin.usage_events_page(&UsageEventsQuery::new().cloud_agent_id("")).await, "`cloudAgentId` is empty");
    refused(admin.usage_events_page(&UsageEventsQuery::new().email(" ")).await, "`email` is empty");
    refused(admin.usage_events_page(&UsageEventsQuery::new().range(reversed())).await, "before it starts");
    refused_stream(admin.usage_events(&UsageEventsQuery::new().range(reversed())), "before it starts").await;
    refused_stream(admin.usage_events_pages(&UsageEventsQuery::new().page_size(1001)), "between 1 and 1000").await;
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn writes_with_missing_input_are_refused_unsent() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let admin = admin(&server);
    refused(admin.set_user_spend_limit("", Some(10)).await, "`userEmail` is empty");
    refused(admin.upsert_repo_blocklists(Vec::new()).await, "`repos` is empty");
    refused(admin.upsert_repo_blocklists([RepoPatterns::new("", ["*"])]).await, "empty `url`");
    refused(admin.delete_repo_blocklist("").await, "must not be empty");
    refused(admin.group("", None).await, "must not be empty");
    refused(admin.create_group("  ").await, "name is empty");
    refused(admin.update_group("group_1", GroupUpdate::Rename(String::new())).await, "name is empty");
    refused(
        admin.update_group("group_1", GroupUpdate::AttachDirectoryGroup(String::new())).await,
        "DetachDirectoryGroup",
    );
    refused(admin.add_group_members("group_1", Vec::<String>::new()).await, "`userIds` is empty");
    refused(admin.remove_group_members("group_1", Vec::<String>::new()).await, "`userIds` is empty");
    refused(admin.add_group_members("group_1", ["user_1", ""]).await, "empty id");
    refused(admin.delete_group("").await, "must not be empty");
    any.assert_calls_async(0).await;
}
