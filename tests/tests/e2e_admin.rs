//! End-to-end tests of every Admin API endpoint through `cursor-admin` against the simulator:
//! members, audit logs across range windows, daily usage, spend and usage-event streams, spend
//! limits, repository blocklists and the billing-group lifecycle.

use std::collections::HashSet;

use cursor_admin::{AdminClient, AuditLogQuery, GroupUpdate, RepoPatterns, SpendQuery, UsageEventsQuery};
use cursor_core::{DateRange, DateSpec};
use cursor_tests::{MOCK_NOW, client, json_body, query_param, requests_to, start_mock};
use futures_util::TryStreamExt as _;

const DAY_MS: i64 = 86_400_000;

#[tokio::test]
async fn members_lists_the_team_with_emails_and_sends_basic_auth() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "key_members"));
    let members = admin.members().await.expect("members");
    assert!(members.team_members.len() > 100, "the simulated team has 210 members");
    assert!(
        members.team_members.iter().all(|m| m.email.contains('@') && m.name.as_deref().is_some_and(|n| !n.is_empty()))
    );
    let sent = requests_to(&server, "GET", "/teams/members");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].headers.get("authorization").map(String::as_str), Some("Basic [REDACTED]"));
}

#[tokio::test]
async fn audit_logs_over_45_days_are_read_in_two_windows_with_each_event_once() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "key_audit_logs"));
    let range = DateRange::new(DateSpec::DaysAgo(45), DateSpec::Now);
    let query = AuditLogQuery::new().range(range).page_size(500);
    let events: Vec<_> = admin.audit_logs(&query).try_collect().await.expect("events");

    // Two windows, neither longer than 30 days, adjacent and together covering the range.
    let sent = requests_to(&server, "GET", "/teams/audit-logs");
    let mut windows: Vec<(i64, i64)> = sent
        .iter()
        .map(|e| {
            let ms = |name| query_param(e, name).and_then(|v| v.parse::<i64>().ok()).expect("epoch-ms bounds");
            (ms("startTime"), ms("endTime"))
        })
        .collect();
    windows.dedup();
    assert_eq!(windows.len(), 2, "{windows:?}");
    assert!(windows[0].0 > windows[1].0, "the newest window is read first: {windows:?}");
    windows.sort();
    assert!(windows.iter().all(|(s, e)| e - s <= 30 * DAY_MS));
    assert_eq!(windows[0].1, windows[1].0, "windows meet exactly: {windows:?}");
    assert!(sent.iter().all(|e| e.status == 200));
    let start = MOCK_NOW.unix_timestamp() * 1000 - 45 * DAY_MS;
    assert_eq!(windows[0].0.min(windows[1].0), start);

    // Newest first across the windows, as the server orders each page.
    assert!(events.windows(2).all(|pair| pair[0].timestamp >= pair[1].timestamp), "events out of order");

    // Each event once, and as many as each window lists on its own.
    let ids: HashSet<_> = events.iter().map(|e| e.event_id.clone()).collect();
    assert_eq!(ids.len(), events.len(), "an event came twice");
    let mut total = 0;
    for (s, e) in &windows {
        let one = AuditLogQuery::new()
            .range(DateRange::new(DateSpec::EpochMillis(*s), DateSpec::EpochMillis(*e)))
            .page_size(1);
        let page = admin.audit_logs_page(&one).await.expect("one window");
        total += page.pagination.total_count.expect("totalCount");
    }
    assert_eq!(events.len() as u64, total);
    assert!(total > 30 * 20, "45 days of a busy team: {total}");
}

#[tokio::test]
async fn audit_logs_refuses_a_single_page_over_30_days_without_sending() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "key_audit_refuse"));
    let query = AuditLogQuery::new().range(DateRange::last_days(45));
    let error = admin.audit_logs_page(&query).await.expect_err("too long for one page");
    assert!(error.is_invalid_request(), "{error}");
    assert!(server.journal().is_empty());
}

#[tokio::test]
async fn daily_usage_over_60_days_merges_windows_without_repeating_a_day() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "key_daily_usage"));
    let range = DateRange::new(DateSpec::DaysAgo(60), DateSpec::Now);
    let usage = admin.daily_usage(&range).await.expect("daily usage");
    let sent = requests_to(&server, "POST", "/teams/daily-usage-data");
    // 60 days from mid-day: two full windows, plus at most one more because windows meet at
    // UTC midnight. The current service pages each window by users (100 a page by default:
    // three pages for 210 members); a window's first request names no page, later ones do.
    let all_bodies: Vec<_> = sent.iter().map(json_body).collect();
    let bodies: Vec<_> = all_bodies.iter().filter(|b| b.get("page").is_none()).cloned().collect();
    assert!((2..=3).contains(&bodies.len()), "{} windows", bodies.len());
    assert_eq!(sent.len(), bodies.len() * 3, "every window is read to its last page");
    assert!(all_bodies.iter().filter_map(|b| b["page"].as_u64()).all(|p| (2..=3).contains(&p)));
    let bounds: Vec<(i64, i64)> = bodies
        .iter()
        .map(|b| (b["startDate"].as_i64().expect("number"), b["endDate"].as_i64().expect("number")))
        .collect();
    assert!(bounds.iter().all(|(s, e)| e - s <= 30 * DAY_MS), "{bounds:?}");
    for pair in bounds.windows(2) {
        assert_eq!(pair[1].0, pair[0].1, "windows meet exactly: {bounds:?}");
        assert_eq!(pair[1].0 % DAY_MS, 0, "windows meet at UTC midnight: {bounds:?}");
    }

    // Each member's day comes once: a day shared by two windows would be counted twice.
    let keys: HashSet<_> = usage.data.iter().map(|r| (r.date, r.email.clone())).collect();
    assert_eq!(keys.len(), usage.data.len(), "a (day, member) row came twice");

    // The merged rows are the rows of the windows, each fetched on its own: the seam day comes
    // in two windows and is kept once.
    let mut expected = HashSet::new();
    for (s, e) in &bounds {
        let one = admin
            .daily_usage(&DateRange::new(DateSpec::EpochMillis(*s), DateSpec::EpochMillis(*e)))
            .await
            .expect("one window");
        assert!(!one.data.is_empty());
        expected.extend(one.data.iter().map(|r| (r.date, r.email.clone())));
    }
    assert_eq!(keys, expected);
    let days: HashSet<_> = usage.data.iter().map(|r| r.date / DAY_MS).collect();
    assert!(days.len() > 45, "rows span the windows: {} distinct days", days.len());
    assert_eq!(usage.period.end_date, bounds[bounds.len() - 1].1);
}

#[tokio::test]
async fn spend_yields_total_members() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "key_spend"));
    let first = admin.spend_page(&SpendQuery::new().page_size(100)).await.expect("first page");
    assert!(first.total_pages >= 3);
    let all: Vec<_> = admin.spend(&SpendQuery::new().page_size(100)).try_collect().await.expect("spend");
    assert_eq!(all.len() as u64, first.total_members);
    let emails: HashSet<_> = all.iter().map(|m| m.email.clone()).collect();
    assert_eq!(emails.len(), all.len(), "a member came twice");
    let pages: Vec<_> = requests_to(&server, "POST", "/teams/spend").iter().skip(1).map(json_body).collect();
    assert_eq!(pages.len() as u32, first.total_pages);
    assert_eq!(pages.last().map(|b| b["page"].as_u64()), Some(Some(u64::from(first.total_pages))));
}

#[tokio::test]
async fn usage_events_yields_total_usage_events_count() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "key_usage_events"));
    let query = UsageEventsQuery::new().range(DateRange::new(DateSpec::DaysAgo(3), DateSpec::Now)).page_size(1000);
    let first = admin.usage_events_page(&query).await.expect("first page");
    assert!(first.total_usage_events_count > 0);
    let events: Vec<_> = admin.usage_events(&query).try_collect().await.expect("events");
    assert_eq!(events.len() as u64, first.total_usage_events_count);
    assert!(events.iter().all(|e| e.user_email.contains('@') && !e.model.is_empty()));
    assert!(events.iter().all(|e| e.kind_field.is_some() || e.kind_label.is_some()));
    let body = json_body(&requests_to(&server, "POST", "/teams/filtered-usage-events")[0]);
    assert_eq!(body["startDate"].as_i64(), Some(MOCK_NOW.unix_timestamp() * 1000 - 3 * DAY_MS));
    assert_eq!(body["endDate"].as_i64(), Some(MOCK_NOW.unix_timestamp() * 1000));
}

#[tokio::test]
async fn usage_events_filtered_by_email_belong_to_that_member() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "key_usage_by_email"));
    let email = admin.members().await.expect("members").team_members[0].email.clone();
    let query = UsageEventsQuery::new().range(DateRange::last_days(7)).email(email.clone()).page_size(1000);
    let page = admin.usage_events_page(&query).await.expect("events");
    assert!(page.usage_events.iter().all(|e| e.user_email == email));
}

#[tokio::test]
async fn a_spend_limit_set_shows_in_spend_and_clears() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "key_spend_limit"));
    let email = admin.members().await.expect("members").team_members[3].email.clone();
    let outcome = admin.set_user_spend_limit(email.clone(), Some(125)).await.expect("set");
    assert!(outcome.message.unwrap_or_default().contains("125"));
    let sent = json_body(&requests_to(&server, "POST", "/teams/user-spend-limit")[0]);
    assert_eq!(sent, serde_json::json!({"userEmail": email, "spendLimitDollars": 125}));

    let spend = admin.spend_page(&SpendQuery::new().search_term(email.clone())).await.expect("spend");
    let row = spend.team_member_spend.iter().find(|m| m.email == email).expect("the member");
    assert_eq!(row.hard_limit_override_dollars, Some(125));

    admin.set_user_spend_limit(email.clone(), None).await.expect("clear");
    let cleared = json_body(&requests_to(&server, "POST", "/teams/user-spend-limit")[1]);
    assert_eq!(cleared["spendLimitDollars"], serde_json::Value::Null);
    let spend = admin.spend_page(&SpendQuery::new().search_term(email.clone())).await.expect("spend");
    let row = spend.team_member_spend.iter().find(|m| m.email == email).expect("the member");
    assert_eq!(row.hard_limit_override_dollars, Some(0));
}

#[tokio::test]
async fn a_spend_limit_for_a_stranger_is_an_error() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "key_spend_limit_stranger"));
    let error = admin.set_user_spend_limit("nobody@nowhere.example", Some(10)).await.expect_err("not a member");
    assert!(error.to_string().contains("nobody@nowhere.example"), "{error}");
}

#[tokio::test]
async fn repo_blocklists_upsert_list_and_delete() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "key_blocklists"));
    let url = "https://github.com/company/sensitive-repo";
    let upserted = admin.upsert_repo_blocklists([RepoPatterns::new(url, ["*.env", "config/*"])]).await.expect("upsert");
    let created = upserted.repos.iter().find(|r| r.url == url).expect("the upserted repo");
    assert_eq!(created.patterns, ["*.env", "config/*"]);

    // An upsert replaces the patterns of the same repository.
    admin.upsert_repo_blocklists([RepoPatterns::new(url, ["*"])]).await.expect("replace");
    let listed = admin.repo_blocklists().await.expect("list");
    let same: Vec<_> = listed.repos.iter().filter(|r| r.url == url).collect();
    assert_eq!(same.len(), 1);
    assert_eq!(same[0].patterns, ["*"]);
    assert_eq!(same[0].id, created.id);

    admin.delete_repo_blocklist(&created.id).await.expect("delete");
    let deleted = requests_to(&server, "DELETE", &format!("/settings/repo-blocklists/repos/{}", created.id));
    assert_eq!(deleted[0].status, 204);
    let listed = admin.repo_blocklists().await.expect("list");
    assert!(listed.repos.iter().all(|r| r.id != created.id));
    let again = admin.delete_repo_blocklist(&created.id).await.expect_err("already gone");
    assert!(again.is_not_found(), "{again}");
}

#[tokio::test]
async fn billing_group_lifecycle_returns_members_to_unassigned() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "key_groups"));
    let before = admin.groups(None).await.expect("groups");
    let unassigned = before.unassigned_group.expect("an Unassigned group");
    let pool: Vec<String> =
        unassigned.current_members.unwrap_or_default().iter().take(3).map(|m| m.user_id.clone()).collect();
    assert_eq!(pool.len(), 3);

    let created = admin.create_group("Platform").await.expect("create").group;
    assert_eq!(created.name, "Platform");
    assert_eq!(created.member_count, 0);
    let renamed = admin.update_group(&created.id, GroupUpdate::Rename("Platform Eng".into())).await.expect("rename");
    assert_eq!(renamed.group.name, "Platform Eng");
    assert_eq!(
        json_body(&requests_to(&server, "PATCH", &format!("/teams/groups/{}", created.id))[0]),
        serde_json::json!({"name": "Platform Eng"})
    );

    let added = admin.add_group_members(&created.id, pool.clone()).await.expect("add");
    assert_eq!(added.group.member_count, 3);
    let got = admin.group(&created.id, None).await.expect("get").group;
    assert_eq!(got.name, "Platform Eng");
    let ids: HashSet<_> = got.current_members.unwrap_or_default().into_iter().map(|m| m.user_id).collect();
    assert_eq!(ids, pool.iter().cloned().collect());
    let listed = admin.groups(None).await.expect("groups");
    assert!(listed.groups.iter().any(|g| g.id == created.id && g.member_count == 3));

    let removed = admin.remove_group_members(&created.id, [pool[0].clone()]).await.expect("remove");
    assert_eq!(removed.group.member_count, 2);
    let removal = &requests_to(&server, "DELETE", &format!("/teams/groups/{}/members", created.id))[0];
    assert_eq!(json_body(removal), serde_json::json!({"userIds": [pool[0]]}));

    admin.delete_group(&created.id).await.expect("delete");
    let after = admin.groups(None).await.expect("groups");
    assert!(after.groups.iter().all(|g| g.id != created.id));
    let back: HashSet<_> = after
        .unassigned_group
        .expect("Unassigned")
        .current_members
        .unwrap_or_default()
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    assert!(pool.iter().all(|id| back.contains(id)), "every member is Unassigned again");
    let gone = admin.group(&created.id, None).await.expect_err("deleted");
    assert!(gone.is_not_found(), "{gone}");
}

#[tokio::test]
async fn audit_log_filters_are_sent_comma_separated_and_applied() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "key_audit_filters"));
    let all =
        admin.audit_logs_page(&AuditLogQuery::new().range(DateRange::last_days(7)).page_size(50)).await.expect("all");
    let email = all.events.iter().find_map(|e| e.user_email.clone()).expect("an event with a user");
    let query = AuditLogQuery::new()
        .range(DateRange::last_days(7))
        .users([email.clone()])
        .event_types(["login", "settings_changed"])
        .page_size(500);
    let page = admin.audit_logs_page(&query).await.expect("filtered");
    assert!(page.pagination.total_count.unwrap_or_default() < all.pagination.total_count.unwrap_or_default());
    assert!(page.events.iter().all(|e| e.user_email.as_deref() == Some(email.as_str())));
    assert!(page.events.iter().all(|e| ["login", "settings_changed"].contains(&e.event_type.as_str())));
    let sent = requests_to(&server, "GET", "/teams/audit-logs");
    assert_eq!(query_param(&sent[1], "eventTypes").as_deref(), Some("login,settings_changed"));
    assert_eq!(query_param(&sent[1], "users"), Some(email));
    assert_eq!(query_param(&sent[1], "startTime").as_deref(), Some("7d"));
    assert_eq!(query_param(&sent[1], "endTime").as_deref(), Some("now"));
}

#[tokio::test]
async fn spend_sorted_by_amount_ascending_comes_in_that_order() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "key_spend_sort"));
    let query = SpendQuery::new()
        .sort_by(cursor_admin::SpendSortBy::Amount)
        .sort_direction(cursor_admin::SortDirection::Asc)
        .page_size(50);
    let page = admin.spend_page(&query).await.expect("spend");
    let cents: Vec<_> = page.team_member_spend.iter().map(|m| m.spend_cents).collect();
    assert!(cents.windows(2).all(|w| w[0] <= w[1]), "{cents:?}");
    let body = json_body(&requests_to(&server, "POST", "/teams/spend")[0]);
    assert_eq!((body["sortBy"].as_str(), body["sortDirection"].as_str()), (Some("amount"), Some("asc")));
}

#[tokio::test]
async fn a_directory_synced_group_can_be_detached() {
    let server = start_mock().await;
    let admin = AdminClient::new(client(&server, "key_group_directory"));
    let group = admin.create_group("Synced").await.expect("create").group;
    let attached =
        admin.update_group(&group.id, GroupUpdate::AttachDirectoryGroup("dir_123".into())).await.expect("attach");
    assert_eq!(attached.group.directory_group_id, Some(Some("dir_123".to_owned())));
    let detached = admin.update_group(&group.id, GroupUpdate::DetachDirectoryGroup).await.expect("detach");
    assert_eq!(detached.group.directory_group_id, Some(None));
    let patches = requests_to(&server, "PATCH", &format!("/teams/groups/{}", group.id));
    assert_eq!(json_body(&patches[1]), serde_json::json!({"directoryGroupId": null}));
}
