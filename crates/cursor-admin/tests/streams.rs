//! Streams across several pages and several 30-day windows return each item once, in
//! order, with exactly the expected requests; the `*_pages` streams yield the same items,
//! page by page, in the same order; long daily-usage ranges are split and merged.

mod common;

use common::*;
use cursor_admin::*;
use cursor_core::{DateRange, DateSpec};
use futures_util::TryStreamExt as _;
use httpmock::prelude::*;
use serde_json::{Value, json};

const DAY_MS: i64 = 86_400_000;

/// The two windows core's splitter makes of a 45-day range (where exactly the cut falls is
/// core's rule); checks they are contiguous and each within the 30-day cap.
fn thirty_day_windows(start: i64, end: i64) -> [(i64, i64); 2] {
    let windows = cursor_core::dates::split_millis(start, end, 30);
    assert_eq!(windows.len(), 2);
    let (a, b) = ((windows[0].start, windows[0].end), (windows[1].start, windows[1].end));
    assert!(a.0 == start && b.0 == a.1 && b.1 == end, "windows meet exactly");
    assert!(a.1 - a.0 <= 30 * DAY_MS && b.1 - b.0 <= 30 * DAY_MS);
    [a, b]
}

fn audit_page(ids: &[&str], page: u32, total_pages: u32) -> Value {
    let events: Vec<Value> = ids
        .iter()
        .map(|id| json!({"event_id": id, "timestamp": "2024-01-15T12:30:00.000Z", "user_email": "a@company.com", "event_type": "login"}))
        .collect();
    json!({
        "events": events,
        "pagination": {"page": page, "pageSize": 2, "totalCount": 5, "totalPages": total_pages,
                       "hasNextPage": page < total_pages, "hasPreviousPage": page > 1}
    })
}

fn ids(events: &[AuditLogEvent]) -> Vec<&str> {
    events.iter().map(|e| e.event_id.as_str()).collect()
}

#[tokio::test]
async fn audit_log_stream_reads_every_page_once_in_order() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.method(GET).path("/teams/audit-logs").query_param("pageSize", "2").query_param_missing("page");
            then.status(200).json_body(audit_page(&["e1", "e2"], 1, 3));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method(GET).path("/teams/audit-logs").query_param("pageSize", "2").query_param("page", "2");
            then.status(200).json_body(audit_page(&["e3", "e4"], 2, 3));
        })
        .await;
    let third = server
        .mock_async(|when, then| {
            when.method(GET).path("/teams/audit-logs").query_param("pageSize", "2").query_param("page", "3");
            then.status(200).json_body(audit_page(&["e5"], 3, 3));
        })
        .await;
    let events: Vec<AuditLogEvent> =
        admin(&server).audit_logs(&AuditLogQuery::new().page_size(2)).try_collect().await.unwrap();
    assert_eq!(ids(&events), ["e1", "e2", "e3", "e4", "e5"]);
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    third.assert_calls_async(1).await;
}

#[tokio::test]
async fn audit_logs_and_audit_logs_pages_split_a_45_day_range_into_30_day_windows() {
    let server = MockServer::start_async().await;
    let start = 1_704_067_200_000i64; // 2024-01-01T00:00:00Z
    let end = start + 45 * DAY_MS;
    let [w1, w2] = thirty_day_windows(start, end);
    let (w1_start, w1_end, w2_start, w2_end) = (w1.0.to_string(), w1.1.to_string(), w2.0.to_string(), w2.1.to_string());
    let w1p1 = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/teams/audit-logs")
                .query_param("startTime", w1_start.as_str())
                .query_param("endTime", w1_end.as_str())
                .query_param_missing("page");
            then.status(200).json_body(audit_page(&["a1", "a2"], 1, 2));
        })
        .await;
    let w1p2 = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/teams/audit-logs")
                .query_param("startTime", w1_start.as_str())
                .query_param("endTime", w1_end.as_str())
                .query_param("page", "2");
            then.status(200).json_body(audit_page(&["a3"], 2, 2));
        })
        .await;
    let w2 = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/teams/audit-logs")
                .query_param("startTime", w2_start.as_str())
                .query_param("endTime", w2_end.as_str())
                .query_param_missing("page");
            then.status(200).json_body(audit_page(&["b1"], 1, 1));
        })
        .await;
    let range = DateRange::new(DateSpec::EpochMillis(start), DateSpec::EpochMillis(end));
    let query = AuditLogQuery::new().range(range);
    let events: Vec<AuditLogEvent> = admin(&server).audit_logs(&query).try_collect().await.unwrap();
    // Newest window first, so the server's newest-first order holds across windows.
    assert_eq!(ids(&events), ["b1", "a1", "a2", "a3"]);
    w1p1.assert_calls_async(1).await;
    w1p2.assert_calls_async(1).await;
    w2.assert_calls_async(1).await;

    // The same pages one by one: the newest window's page, then the older window's two.
    let pages: Vec<AuditLogPage> = admin(&server).audit_logs_pages(&query).try_collect().await.unwrap();
    let page_ids: Vec<Vec<&str>> = pages.iter().map(|page| ids(&page.events)).collect();
    assert_eq!(page_ids, [vec!["b1"], vec!["a1", "a2"], vec!["a3"]]);
    w1p1.assert_calls_async(2).await;
    w1p2.assert_calls_async(2).await;
    w2.assert_calls_async(2).await;

    // The single-page call refuses the same range, sending nothing.
    let err = admin(&server).audit_logs_page(&query).await.unwrap_err();
    assert!(err.is_invalid_request() && err.to_string().contains("audit_logs"), "{err}");
    w1p1.assert_calls_async(2).await;
}

#[tokio::test]
async fn audit_log_stream_stops_with_an_error_when_the_server_repeats_a_page() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/teams/audit-logs");
            then.status(200).json_body(audit_page(&["e1"], 1, 3));
        })
        .await;
    let result: cursor_core::Result<Vec<AuditLogEvent>> =
        admin(&server).audit_logs(&AuditLogQuery::new()).try_collect().await;
    assert!(matches!(result, Err(cursor_core::Error::Pagination { .. })), "{result:?}");
    mock.assert_calls_async(2).await;
}

fn spend_page(emails: &[&str], total_pages: u32) -> Value {
    let members: Vec<Value> = emails
        .iter()
        .map(|e| json!({"spendCents": 100, "fastPremiumRequests": 1, "name": e, "email": e, "role": "member", "hardLimitOverrideDollars": 0}))
        .collect();
    json!({"teamMemberSpend": members, "subscriptionCycleStart": 1708992000000i64, "totalMembers": 5, "totalPages": total_pages})
}

#[tokio::test]
async fn spend_and_spend_pages_read_every_page_once_in_order() {
    let server = MockServer::start_async().await;
    let mut mocks = Vec::new();
    for (body, answer) in [
        (json!({"sortBy": "amount", "pageSize": 2}), spend_page(&["a@x.com", "b@x.com"], 3)),
        (json!({"sortBy": "amount", "pageSize": 2, "page": 2}), spend_page(&["c@x.com", "d@x.com"], 3)),
        (json!({"sortBy": "amount", "pageSize": 2, "page": 3}), spend_page(&["e@x.com"], 3)),
    ] {
        mocks.push(
            server
                .mock_async(|when, then| {
                    when.method(POST).path("/teams/spend").json_body(body);
                    then.status(200).json_body(answer);
                })
                .await,
        );
    }
    let query = SpendQuery::new().sort_by(SpendSortBy::Amount).page_size(2);
    let spend: Vec<MemberSpend> = admin(&server).spend(&query).try_collect().await.unwrap();
    let emails: Vec<&str> = spend.iter().map(|m| m.email.as_str()).collect();
    assert_eq!(emails, ["a@x.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com"]);
    for mock in &mocks {
        mock.assert_calls_async(1).await;
    }

    let pages: Vec<SpendPage> = admin(&server).spend_pages(&query).try_collect().await.unwrap();
    let page_emails: Vec<Vec<&str>> =
        pages.iter().map(|page| page.team_member_spend.iter().map(|m| m.email.as_str()).collect()).collect();
    assert_eq!(page_emails, [vec!["a@x.com", "b@x.com"], vec!["c@x.com", "d@x.com"], vec!["e@x.com"]]);
    for mock in &mocks {
        mock.assert_calls_async(2).await;
    }
}

fn events_page(stamps: &[&str], page: u32, pages: u32) -> Value {
    let events: Vec<Value> = stamps
        .iter()
        .map(|t| {
            json!({"timestamp": t, "model": "m", "kind": "Usage-based", "maxMode": false, "requestsCosts": 1,
                        "isTokenBasedCall": false, "isFreeBugbot": false, "userEmail": "a@x.com"})
        })
        .collect();
    json!({
        "totalUsageEventsCount": 5,
        "pagination": {"numPages": pages, "currentPage": page, "pageSize": 2, "hasNextPage": page < pages, "hasPreviousPage": page > 1},
        "usageEvents": events
    })
}

#[tokio::test]
async fn usage_events_and_usage_events_pages_read_every_page_once_in_order() {
    let server = MockServer::start_async().await;
    let (start, end) = (NOW_MS - 7 * DAY_MS, NOW_MS);
    let mut mocks = Vec::new();
    for (page, answer) in [
        (None, events_page(&["1", "2"], 1, 3)),
        (Some(2), events_page(&["3", "4"], 2, 3)),
        (Some(3), events_page(&["5"], 3, 3)),
    ] {
        let mut body = json!({"startDate": start, "endDate": end, "email": "a@x.com", "pageSize": 2});
        if let Some(page) = page {
            body["page"] = json!(page);
        }
        mocks.push(
            server
                .mock_async(|when, then| {
                    when.method(POST).path("/teams/filtered-usage-events").json_body(body);
                    then.status(200).json_body(answer);
                })
                .await,
        );
    }
    let query = UsageEventsQuery::new().range(DateRange::last_days(7)).email("a@x.com").page_size(2);
    let events: Vec<UsageEvent> = admin(&server).usage_events(&query).try_collect().await.unwrap();
    let stamps: Vec<&str> = events.iter().map(|e| e.timestamp.as_str()).collect();
    assert_eq!(stamps, ["1", "2", "3", "4", "5"]);
    for mock in &mocks {
        mock.assert_calls_async(1).await;
    }

    let pages: Vec<UsageEventsPage> = admin(&server).usage_events_pages(&query).try_collect().await.unwrap();
    let page_stamps: Vec<Vec<&str>> =
        pages.iter().map(|page| page.usage_events.iter().map(|e| e.timestamp.as_str()).collect()).collect();
    assert_eq!(page_stamps, [vec!["1", "2"], vec!["3", "4"], vec!["5"]]);
    for mock in &mocks {
        mock.assert_calls_async(2).await;
    }
}

fn usage_rows(dates: &[i64], start: i64, end: i64) -> Value {
    let rows: Vec<Value> = dates
        .iter()
        .map(|d| {
            json!({"date": d, "isActive": true, "totalLinesAdded": 1, "totalLinesDeleted": 0, "acceptedLinesAdded": 1,
                   "acceptedLinesDeleted": 0, "totalApplies": 0, "totalAccepts": 0, "totalRejects": 0, "totalTabsShown": 0,
                   "totalTabsAccepted": 0, "composerRequests": 0, "chatRequests": 0, "agentRequests": 0, "cmdkUsages": 0,
                   "subscriptionIncludedReqs": 0, "apiKeyReqs": 0, "usageBasedReqs": 0, "bugbotUsages": 0, "mostUsedModel": "gpt-5"})
        })
        .collect();
    json!({"data": rows, "period": {"startDate": start, "endDate": end}})
}

#[tokio::test]
async fn daily_usage_splits_a_45_day_range_and_merges_the_windows_in_order() {
    let server = MockServer::start_async().await;
    let start = NOW_MS - 45 * DAY_MS;
    let [w1, w2] = thirty_day_windows(start, NOW_MS);
    let split = w2.0;
    let first = server
        .mock_async(|when, then| {
            when.method(POST).path("/teams/daily-usage-data").json_body(json!({"startDate": w1.0, "endDate": w1.1}));
            then.status(200).json_body(usage_rows(&[start, start + DAY_MS], w1.0, w1.1));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method(POST).path("/teams/daily-usage-data").json_body(json!({"startDate": w2.0, "endDate": w2.1}));
            then.status(200).json_body(usage_rows(&[split], w2.0, w2.1));
        })
        .await;
    let usage = admin(&server).daily_usage(&DateRange::last_days(45)).await.unwrap();
    let dates: Vec<i64> = usage.data.iter().map(|row| row.date).collect();
    assert_eq!(dates, [start, start + DAY_MS, split]);
    assert_eq!((usage.period.start_date, usage.period.end_date), (start, NOW_MS));
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
}

#[tokio::test]
async fn streams_ask_for_large_pages_unless_told_otherwise() {
    let server = MockServer::start_async().await;
    let spend = server
        .mock_async(|when, then| {
            when.method(POST).path("/teams/spend").json_body(json!({"pageSize": STREAM_PAGE_SIZE}));
            then.status(200).json_body(
                json!({"teamMemberSpend": [], "subscriptionCycleStart": 0, "totalMembers": 0, "totalPages": 1}),
            );
        })
        .await;
    let events = server
        .mock_async(|when, then| {
            // The documented maximum: every request counts against the endpoint's budget.
            when.method(POST)
                .path("/teams/filtered-usage-events")
                .json_body(json!({"pageSize": UsageEventsQuery::MAX_PAGE_SIZE}));
            then.status(200).json_body(json!({"totalUsageEventsCount": 0, "usageEvents": [],
                "pagination": {"numPages": 1, "currentPage": 1, "pageSize": 1000, "hasNextPage": false, "hasPreviousPage": false}}));
        })
        .await;
    let audit = server
        .mock_async(|when, then| {
            when.method(GET).path("/teams/audit-logs").query_param("pageSize", "500");
            then.status(200).json_body(audit_page(&[], 1, 1));
        })
        .await;
    let admin = admin(&server);
    let _: Vec<_> = admin.spend(&SpendQuery::new()).try_collect().await.unwrap();
    let _: Vec<_> = admin.usage_events(&UsageEventsQuery::new()).try_collect().await.unwrap();
    let _: Vec<_> = admin.audit_logs(&AuditLogQuery::new()).try_collect().await.unwrap();
    spend.assert_calls_async(1).await;
    events.assert_calls_async(1).await;
    audit.assert_calls_async(1).await;
    // The page streams ask for the same sizes.
    let _: Vec<_> = admin.spend_pages(&SpendQuery::new()).try_collect().await.unwrap();
    let _: Vec<_> = admin.usage_events_pages(&UsageEventsQuery::new()).try_collect().await.unwrap();
    let _: Vec<_> = admin.audit_logs_pages(&AuditLogQuery::new()).try_collect().await.unwrap();
    spend.assert_calls_async(2).await;
    events.assert_calls_async(2).await;
    audit.assert_calls_async(2).await;
}
