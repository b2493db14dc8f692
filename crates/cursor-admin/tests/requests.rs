//! Each endpoint sends exactly the method, path, query and JSON body of the documents' curl
//! example for the same arguments (with Basic auth), and decodes the documented answer.

mod common;

use common::*;
use cursor_admin::*;
use cursor_core::time::{Date, Month};
use cursor_core::{DateRange, DateSpec, Error};
use httpmock::prelude::*;
use serde_json::json;

const GROUP_ID: &str = "group_PDSPmvukpYgZEDXsoNirw3CFhy";

#[tokio::test]
async fn members_is_a_plain_authenticated_get() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/teams/members").header("authorization", AUTH).query_param_count(".*", ".*", 0);
            then.status(200).body(fixture("admin/members"));
        })
        .await;
    let members = admin(&server).members().await.unwrap();
    mock.assert_async().await;
    assert_eq!(members.team_members.len(), 2);
    assert_eq!(members.team_members[0].email, "developer@company.com");
}

#[tokio::test]
async fn audit_logs_send_users_and_event_types_comma_separated() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/teams/audit-logs")
                .header("authorization", AUTH)
                .query_param("users", "admin@company.com,developer@company.com")
                .query_param("eventTypes", "login,settings_changed")
                .query_param_count(".*", ".*", 2);
            then.status(200).body(fixture("admin/audit_logs"));
        })
        .await;
    let query = AuditLogQuery::new()
        .users(["admin@company.com", "developer@company.com"])
        .event_types(["login", "settings_changed"]);
    let page = admin(&server).audit_logs_page(&query).await.unwrap();
    mock.assert_async().await;
    assert_eq!(page.events.len(), 2);
    assert_eq!(page.pagination.total_count, Some(2));
}

#[tokio::test]
async fn audit_logs_keep_the_callers_date_forms_and_send_every_filter() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/teams/audit-logs")
                .query_param("startTime", "7d")
                .query_param("endTime", "now")
                .query_param("search", "spend limit")
                .query_param("users", "developer@company.com,12345,user_PDSPmvukpYgZEDXsoNirw3CFhy")
                .query_param("page", "2")
                .query_param("pageSize", "500")
                .query_param_count(".*", ".*", 6);
            then.status(200).body(fixture("admin/audit_logs"));
        })
        .await;
    let query = AuditLogQuery::new()
        .range(DateRange::last_days(7))
        .search("spend limit")
        .users(["developer@company.com".to_string(), 12345.to_string(), "user_PDSPmvukpYgZEDXsoNirw3CFhy".into()])
        .page(2)
        .page_size(500);
    admin(&server).audit_logs_page(&query).await.unwrap();
    mock.assert_async().await;

    let dated = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/teams/audit-logs")
                .query_param("startTime", "2024-01-15")
                .query_param("endTime", "2024-01-20")
                .query_param_count(".*", ".*", 2);
            then.status(200).body(fixture("admin/audit_logs"));
        })
        .await;
    let range = DateRange::new("2024-01-15".parse::<DateSpec>().unwrap(), "2024-01-20".parse::<DateSpec>().unwrap());
    admin(&server).audit_logs_page(&AuditLogQuery::new().range(range)).await.unwrap();
    dated.assert_async().await;
}

#[tokio::test]
async fn daily_usage_posts_the_range_as_epoch_milliseconds() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/teams/daily-usage-data")
                .header("authorization", AUTH)
                .header("content-type", "application/json")
                .json_body(json!({"startDate": 1710720000000i64, "endDate": 1710892800000i64}));
            then.status(200).body(fixture("admin/daily_usage"));
        })
        .await;
    let range = DateRange::new(DateSpec::EpochMillis(1_710_720_000_000), DateSpec::EpochMillis(1_710_892_800_000));
    let usage = admin(&server).daily_usage(&range).await.unwrap();
    mock.assert_async().await;
    assert_eq!(
        usage,
        serde_json::from_str::<DailyUsage>(fixture("admin/daily_usage")).unwrap(),
        "one window is returned as sent"
    );
}

#[tokio::test]
async fn spend_posts_only_the_fields_given() {
    let server = MockServer::start_async().await;
    let searched = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/teams/spend")
                .header("authorization", AUTH)
                .json_body(json!({"searchTerm": "alex@company.com", "page": 2, "pageSize": 25}));
            then.status(200).body(fixture("admin/spend"));
        })
        .await;
    let page = admin(&server)
        .spend_page(&SpendQuery::new().search_term("alex@company.com").page(2).page_size(25))
        .await
        .unwrap();
    searched.assert_async().await;
    assert_eq!(page.team_member_spend.len(), 2);

    let server = MockServer::start_async().await;
    let everything = server
        .mock_async(|when, then| {
            when.method(POST).path("/teams/spend").json_body(json!({}));
            then.status(200).body(fixture("admin/spend"));
        })
        .await;
    admin(&server).spend_page(&SpendQuery::new()).await.unwrap();
    everything.assert_async().await;

    let server = MockServer::start_async().await;
    let sorted = server
        .mock_async(|when, then| {
            when.method(POST).path("/teams/spend").json_body(json!({"sortBy": "amount", "sortDirection": "asc"}));
            then.status(200).body(fixture("admin/spend"));
        })
        .await;
    admin(&server)
        .spend_page(&SpendQuery::new().sort_by(SpendSortBy::Amount).sort_direction(SortDirection::Asc))
        .await
        .unwrap();
    sorted.assert_async().await;
}

#[tokio::test]
async fn usage_events_post_the_documented_bodies() {
    let server = MockServer::start_async().await;
    let by_email = server
        .mock_async(|when, then| {
            when.method(POST).path("/teams/filtered-usage-events").header("authorization", AUTH).json_body(json!({
                "startDate": 1748411762359i64, "endDate": 1751003762359i64,
                "email": "developer@company.com", "page": 1, "pageSize": 25
            }));
            then.status(200).body(fixture("admin/usage_events"));
        })
        .await;
    let query = UsageEventsQuery::new()
        .range(DateRange::new(DateSpec::EpochMillis(1_748_411_762_359), DateSpec::EpochMillis(1_751_003_762_359)))
        .email("developer@company.com")
        .page(1)
        .page_size(25);
    let page = admin(&server).usage_events_page(&query).await.unwrap();
    by_email.assert_async().await;
    assert_eq!(page.total_usage_events_count, 113);

    let by_id = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/teams/filtered-usage-events")
                .json_body(json!({"userId": 12345, "page": 2, "pageSize": 50}));
            then.status(200).body(fixture("admin/usage_events.older"));
        })
        .await;
    admin(&server).usage_events_page(&UsageEventsQuery::new().user_id(12345).page(2).page_size(50)).await.unwrap();
    by_id.assert_async().await;

    let all = server
        .mock_async(|when, then| {
            when.method(POST).path("/teams/filtered-usage-events").json_body(json!({}));
            then.status(200).body(fixture("admin/usage_events"));
        })
        .await;
    admin(&server).usage_events_page(&UsageEventsQuery::new()).await.unwrap();
    all.assert_async().await;
}

#[tokio::test]
async fn usage_events_resolve_relative_dates_against_the_clock_and_never_split() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/teams/filtered-usage-events")
                .json_body(json!({"startDate": NOW_MS - 90 * 86_400_000, "endDate": NOW_MS}));
            then.status(200).body(fixture("admin/usage_events"));
        })
        .await;
    admin(&server).usage_events_page(&UsageEventsQuery::new().range(DateRange::last_days(90))).await.unwrap();
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn spend_limit_sends_whole_dollars_or_null() {
    let server = MockServer::start_async().await;
    let set = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/teams/user-spend-limit")
                .header("authorization", AUTH)
                .json_body(json!({"userEmail": "developer@company.com", "spendLimitDollars": 100}));
            then.status(200).body(fixture("admin/set_user_spend_limit"));
        })
        .await;
    let clear = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/teams/user-spend-limit")
                .json_body(json!({"userEmail": "developer@company.com", "spendLimitDollars": null}));
            then.status(200).body(r#"{"outcome":"success","message":"Spend limit removed"}"#);
        })
        .await;
    let zero = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/teams/user-spend-limit")
                .json_body(json!({"userEmail": "developer@company.com", "spendLimitDollars": 0}));
            then.status(200).body(r#"{"outcome":"success","message":"Spend limit set to $0"}"#);
        })
        .await;
    let admin = admin(&server);
    admin.set_user_spend_limit("developer@company.com", Some(0)).await.unwrap();
    zero.assert_async().await;
    let outcome = admin.set_user_spend_limit("developer@company.com", Some(100)).await.unwrap();
    assert_eq!(outcome.message.as_deref(), Some("Spend limit set to $100 for user developer@company.com"));
    admin.set_user_spend_limit("developer@company.com", None).await.unwrap();
    set.assert_async().await;
    clear.assert_async().await;
}

#[tokio::test]
async fn spend_limit_error_outcome_is_an_error() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/teams/user-spend-limit");
            then.status(200).body(fixture("admin/set_user_spend_limit.error"));
        })
        .await;
    let err = admin(&server).set_user_spend_limit("not-an-email", Some(0)).await.unwrap_err();
    mock.assert_async().await;
    assert!(err.is_refused(), "a refusal in a success answer is its own case: {err:?}");
    assert!(err.api_error().is_none(), "not dressed up as an HTTP error: {err:?}");
    assert!(err.to_string().contains("Invalid email format"), "{err}");

    // The same body with an error status is an error too, whatever the shape.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/teams/user-spend-limit");
            then.status(400).body(fixture("admin/set_user_spend_limit.error"));
        })
        .await;
    let err = admin(&server).set_user_spend_limit("not-an-email", Some(0)).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
}

#[tokio::test]
async fn repo_blocklists_list_upsert_and_delete() {
    let server = MockServer::start_async().await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/settings/repo-blocklists/repos")
                .header("authorization", AUTH)
                .query_param_count(".*", ".*", 0);
            then.status(200).body(fixture("admin/repo_blocklists"));
        })
        .await;
    let upsert = server
        .mock_async(|when, then| {
            when.method(POST).path("/settings/repo-blocklists/repos/upsert").header("authorization", AUTH).json_body(
                serde_json::from_str::<serde_json::Value>(fixture("admin/upsert_repo_blocklists.request")).unwrap(),
            );
            then.status(200).body(fixture("admin/upsert_repo_blocklists"));
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE).path("/settings/repo-blocklists/repos/repo_123").header("authorization", AUTH);
            then.status(204);
        })
        .await;
    let admin = admin(&server);
    assert_eq!(admin.repo_blocklists().await.unwrap().repos.len(), 2);
    let upserted = admin
        .upsert_repo_blocklists([
            RepoPatterns::new("https://github.com/company/sensitive-repo", ["*.env", "config/*", "secrets/**"]),
            RepoPatterns::new("https://github.com/company/internal-tools", ["*"]),
        ])
        .await
        .unwrap();
    assert_eq!(upserted.repos[1].id, "repo_456");
    admin.delete_repo_blocklist("repo_123").await.unwrap();
    list.assert_async().await;
    upsert.assert_async().await;
    delete.assert_async().await;
}

fn day(y: i32, m: Month, d: u8) -> Date {
    Date::from_calendar_date(y, m, d).unwrap()
}

#[tokio::test]
async fn groups_list_and_get_with_a_billing_cycle() {
    let server = MockServer::start_async().await;
    let list = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/teams/groups")
                .header("authorization", AUTH)
                .query_param("billingCycle", "2025-01-15")
                .query_param_count(".*", ".*", 1);
            then.status(200).body(fixture("admin/groups"));
        })
        .await;
    let current = server
        .mock_async(|when, then| {
            when.method(GET).path("/teams/groups").query_param_count(".*", ".*", 0);
            then.status(200).body(fixture("admin/groups"));
        })
        .await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/teams/groups/{GROUP_ID}"))
                .header("authorization", AUTH)
                .query_param("billingCycle", "2025-01-15")
                .query_param_count(".*", ".*", 1);
            then.status(200).body(fixture("admin/group"));
        })
        .await;
    let admin = admin(&server);
    let groups = admin.groups(Some(day(2025, Month::January, 15))).await.unwrap();
    assert_eq!(groups.groups.len(), 2);
    admin.groups(None).await.unwrap();
    let group = admin.group(GROUP_ID, Some(day(2025, Month::January, 15))).await.unwrap();
    assert_eq!(group.group.former_members.unwrap().len(), 1);
    list.assert_async().await;
    current.assert_async().await;
    get.assert_async().await;
}

#[tokio::test]
async fn groups_create_update_and_delete() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/teams/groups")
                .header("authorization", AUTH)
                .json_body(json!({"name": "Engineering"}));
            then.status(200).body(fixture("admin/create_group"));
        })
        .await;
    let rename = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(format!("/teams/groups/{GROUP_ID}"))
                .json_body(json!({"name": "Platform Engineering"}));
            then.status(200).body(fixture("admin/update_group"));
        })
        .await;
    let attach = server
        .mock_async(|when, then| {
            when.method(PATCH)
                .path(format!("/teams/groups/{GROUP_ID}"))
                .json_body(json!({"directoryGroupId": "dir_group_abc123xyz"}));
            then.status(200).body(fixture("admin/update_group"));
        })
        .await;
    let detach = server
        .mock_async(|when, then| {
            when.method(PATCH).path(format!("/teams/groups/{GROUP_ID}")).json_body(json!({"directoryGroupId": null}));
            then.status(200).body(fixture("admin/update_group"));
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE).path(format!("/teams/groups/{GROUP_ID}")).header("authorization", AUTH);
            then.status(204);
        })
        .await;
    let admin = admin(&server);
    assert_eq!(admin.create_group("Engineering").await.unwrap().group.member_count, 0);
    let renamed = admin.update_group(GROUP_ID, GroupUpdate::Rename("Platform Engineering".into())).await.unwrap();
    assert_eq!(renamed.group.name, "Platform Engineering");
    admin.update_group(GROUP_ID, GroupUpdate::AttachDirectoryGroup("dir_group_abc123xyz".into())).await.unwrap();
    admin.update_group(GROUP_ID, GroupUpdate::DetachDirectoryGroup).await.unwrap();
    admin.delete_group(GROUP_ID).await.unwrap();
    for mock in [&create, &rename, &attach, &detach, &delete] {
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn group_members_are_added_with_post_and_removed_with_a_delete_body() {
    let server = MockServer::start_async().await;
    let add = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/teams/groups/{GROUP_ID}/members"))
                .header("authorization", AUTH)
                .json_body(json!({"userIds": ["user_abc123", "user_def456"]}));
            then.status(200).body(fixture("admin/add_group_members"));
        })
        .await;
    let remove = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(format!("/teams/groups/{GROUP_ID}/members"))
                .header("authorization", AUTH)
                .header("content-type", "application/json")
                .json_body(json!({"userIds": ["user_def456"]}));
            then.status(200).body(fixture("admin/remove_group_members"));
        })
        .await;
    let admin = admin(&server);
    let added = admin.add_group_members(GROUP_ID, ["user_abc123", "user_def456"]).await.unwrap();
    assert_eq!(added.group.members.unwrap().len(), 2);
    let removed = admin.remove_group_members(GROUP_ID, ["user_def456"]).await.unwrap();
    assert_eq!(removed.group.member_count, 1);
    add.assert_async().await;
    remove.assert_async().await;
}

#[tokio::test]
async fn path_parameters_are_encoded_as_one_segment() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(DELETE).path("/settings/repo-blocklists/repos/a%2Fb");
            then.status(204);
        })
        .await;
    admin(&server).delete_repo_blocklist("a/b").await.unwrap();
    mock.assert_async().await;
    assert!(matches!(admin(&server).delete_group("").await, Err(Error::InvalidRequest { .. })));
}

#[test]
fn query_setters_mean_the_same_as_in_every_api_crate() {
    let (start, end) = ("2024-01-15".parse::<DateSpec>().unwrap(), "2024-01-20".parse::<DateSpec>().unwrap());
    // `dates(start, end)` sets the range from its ends, `last_days(n)` the range ending now.
    assert_eq!(AuditLogQuery::new().dates(start, end), AuditLogQuery::new().range(DateRange::new(start, end)));
    assert_eq!(AuditLogQuery::new().last_days(7), AuditLogQuery::new().range(DateRange::last_days(7)));
    assert_eq!(UsageEventsQuery::new().dates(start, end), UsageEventsQuery::new().range(DateRange::new(start, end)));
    assert_eq!(UsageEventsQuery::new().last_days(30), UsageEventsQuery::new().range(DateRange::last_days(30)));
    // `user(x)` adds one user; `users(iter)` replaces the set.
    assert_eq!(
        AuditLogQuery::new().users(["a@x.com"]).user("b@x.com"),
        AuditLogQuery::new().users(["a@x.com", "b@x.com"])
    );
    assert_eq!(AuditLogQuery::new().user("old@x.com").users(["a@x.com"]), AuditLogQuery::new().users(["a@x.com"]));
    assert_ne!(AuditLogQuery::new().user("a@x.com"), AuditLogQuery::new());
}
