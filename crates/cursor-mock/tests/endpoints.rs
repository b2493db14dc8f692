//! Every one of the 51 documented endpoints answers its documented shape, with the
//! documented pagination, validation and error bodies. That every declared route is served
//! at all is checked from the declarations in `tests/tests/simulator_routes.rs`.

mod common;

use common::{Harness, assert_agents_error, assert_keys, assert_plain_error, test_config};
use cursor_mock::RateLimits;
use reqwest::Method;
use serde_json::{Value, json};

const KEY: &str = "key_endpoints";

async fn harness() -> Harness {
    let mut config = test_config();
    config.rate_limits = RateLimits::unlimited();
    Harness::start(config).await
}

#[tokio::test]
async fn admin_members_audit_logs_and_usage_have_documented_shapes() {
    let h = harness().await;

    let (status, members) = h.get_json("/teams/members", KEY).await;
    assert_eq!(status, 200);
    let list = members["teamMembers"].as_array().unwrap();
    assert_eq!(list.len(), 60);
    // The current documents add `id` and `isRemoved` to the seeds' name, email and role.
    assert_keys(&list[0], &["id", "name", "email", "role", "isRemoved"]);
    assert!(list.iter().all(|m| m["id"].is_u64() && m["isRemoved"] == false));
    assert!(list.iter().all(|m| ["owner", "member", "free-owner"].contains(&m["role"].as_str().unwrap())));

    let (status, logs) = h.get_json("/teams/audit-logs?startTime=7d&endTime=now&pageSize=5&page=2", KEY).await;
    assert_eq!(status, 200);
    assert_keys(&logs, &["events", "pagination", "params"]);
    assert_keys(
        &logs["pagination"],
        &["page", "pageSize", "totalCount", "totalPages", "hasNextPage", "hasPreviousPage"],
    );
    assert_eq!(logs["pagination"]["page"], 2);
    assert_eq!(logs["pagination"]["hasPreviousPage"], true);
    assert!(logs["pagination"]["totalPages"].as_u64().unwrap() > 2, "several pages at size 5");
    assert_keys(&logs["params"], &["teamId", "startDate", "endDate"]);
    let event = &logs["events"][0];
    assert_keys(event, &["event_id", "timestamp", "user_email", "event_type", "event_data"]);
    let (_, default_page) = h.get_json("/teams/audit-logs", KEY).await;
    assert_eq!(default_page["pagination"]["pageSize"], 100);
    assert!(default_page["pagination"]["totalPages"].as_u64().unwrap() >= 2, "default size pages");

    let (status, usage) = h
        .post_json(
            "/teams/daily-usage-data",
            KEY,
            json!({"startDate": 1_749_600_000_000_i64, "endDate": 1_749_772_800_000_i64}),
        )
        .await;
    assert_eq!(status, 200);
    assert_keys(&usage["period"], &["startDate", "endDate"]);
    let row = &usage["data"][0];
    for field in [
        "date",
        "isActive",
        "totalLinesAdded",
        "totalLinesDeleted",
        "acceptedLinesAdded",
        "acceptedLinesDeleted",
        "totalApplies",
        "totalAccepts",
        "totalRejects",
        "totalTabsShown",
        "totalTabsAccepted",
        "composerRequests",
        "chatRequests",
        "agentRequests",
        "cmdkUsages",
        "subscriptionIncludedReqs",
        "apiKeyReqs",
        "usageBasedReqs",
        "bugbotUsages",
        "mostUsedModel",
        "clientVersion",
        "email",
    ] {
        assert!(row.get(field).is_some(), "daily usage row lacks {field}: {row}");
    }
    assert!(usage["data"].as_array().unwrap().iter().any(|r| r["isActive"] == false));

    let (status, events) = h.post_json("/teams/filtered-usage-events", KEY, json!({})).await;
    assert_eq!(status, 200);
    assert_keys(&events, &["totalUsageEventsCount", "pagination", "usageEvents", "period"]);
    assert_keys(&events["pagination"], &["numPages", "currentPage", "pageSize", "hasNextPage", "hasPreviousPage"]);
    // 100 in the current documents (the seeds said 10; `Shapes::seeds()` answers that).
    assert_eq!(events["pagination"]["pageSize"], 100);
    assert!(events["pagination"]["numPages"].as_u64().unwrap() > 2);
    let page = events["usageEvents"].as_array().unwrap();
    assert!(page.iter().all(|e| e["timestamp"].is_string() && e["cursorTokenFee"].is_number()));
    assert!(page.iter().all(|e| e["kind"].is_string()));
    // tokenUsage is present exactly for token-based calls.
    let (_, many) = h.post_json("/teams/filtered-usage-events", KEY, json!({"pageSize": 200})).await;
    for e in many["usageEvents"].as_array().unwrap() {
        assert_eq!(e.get("tokenUsage").is_some(), e["isTokenBasedCall"] == true, "{e}");
    }
}

#[tokio::test]
async fn spend_and_usage_events_take_paging_in_the_body() {
    let h = harness().await;
    let (status, spend) = h
        .post_json("/teams/spend", KEY, json!({"page": 2, "pageSize": 25, "sortBy": "amount", "sortDirection": "asc"}))
        .await;
    assert_eq!(status, 200);
    assert_keys(&spend, &["teamMemberSpend", "subscriptionCycleStart", "totalMembers", "totalPages"]);
    assert_eq!(spend["totalMembers"], 60);
    assert_eq!(spend["totalPages"], 3);
    let rows = spend["teamMemberSpend"].as_array().unwrap();
    assert_eq!(rows.len(), 25);
    assert_keys(
        &rows[0],
        &[
            "spendCents",
            "fastPremiumRequests",
            "name",
            "email",
            "role",
            "hardLimitOverrideDollars",
            // The current documents' fields.
            "userId",
            "overallSpendCents",
            "effectivePerUserLimitDollars",
        ],
    );
    let amounts: Vec<f64> = rows.iter().map(|r| r["spendCents"].as_f64().unwrap()).collect();
    assert!(amounts.windows(2).all(|w| w[0] <= w[1]), "sorted by amount ascending");

    let email = rows[0]["email"].as_str().unwrap().to_owned();
    let (_, searched) = h.post_json("/teams/spend", KEY, json!({"searchTerm": email})).await;
    assert_eq!(searched["totalMembers"], 1);

    let (_, filtered) =
        h.post_json("/teams/filtered-usage-events", KEY, json!({"email": email, "page": 1, "pageSize": 25})).await;
    assert!(filtered["usageEvents"].as_array().unwrap().iter().all(|e| e["userEmail"] == email.as_str()));

    let (status, body) = h.post_json("/teams/spend", KEY, json!({"sortBy": "height"})).await;
    assert_eq!(status, 400);
    assert_plain_error(&body, "Bad Request");
}

#[tokio::test]
async fn admin_validation_answers_400_with_clear_messages() {
    let h = harness().await;
    let cases = [
        "/teams/audit-logs?startTime=40d&endTime=now",
        "/teams/audit-logs?pageSize=0",
        "/teams/audit-logs?pageSize=501",
        "/teams/audit-logs?startTime=someday",
        "/teams/audit-logs?users=nobody@nowhere.example",
    ];
    for path in cases {
        let (status, body) = h.get_json(path, KEY).await;
        assert_eq!(status, 400, "{path}");
        assert_plain_error(&body, "Bad Request");
    }
    let (_, body) = h.get_json("/teams/audit-logs?startTime=40d", KEY).await;
    assert!(body["message"].as_str().unwrap().contains("30 days"));
    let (status, body) = h.post_json("/teams/daily-usage-data", KEY, json!({"startDate": 0})).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains("endDate"));
    let thirty_one_days = 31 * 86_400_000_i64;
    let (status, body) = h
        .post_json(
            "/teams/daily-usage-data",
            KEY,
            json!({"startDate": 1_700_000_000_000_i64, "endDate": 1_700_000_000_000_i64 + thirty_one_days}),
        )
        .await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains("30 days"));
    let (status, _) = h.get_json("/teams/no-such-thing", KEY).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn audit_log_dialects_and_filters_work() {
    let h = harness().await;
    for range in [
        "startTime=today&endTime=now",
        "startTime=yesterday&endTime=today",
        "startTime=5h&endTime=now",
        "startTime=300s&endTime=now",
        "startTime=2025-06-10&endTime=2025-06-12",
        "startTime=2025-06-10T00:00:00Z&endTime=2025-06-11T10:00:00-05:00",
        "startTime=1749513600&endTime=1749686400",
        "startTime=1749513600000&endTime=1749686400000",
    ] {
        let (status, body) = h.get_json(&format!("/teams/audit-logs?{range}"), KEY).await;
        assert_eq!(status, 200, "{range}: {body}");
    }
    let (_, body) = h.get_json("/teams/audit-logs?eventTypes=login,logout&pageSize=500", KEY).await;
    let events = body["events"].as_array().unwrap();
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e["event_type"] == "login" || e["event_type"] == "logout"));
    let email = events[0]["user_email"].as_str().unwrap().to_owned();
    let (_, body) = h.get_json(&format!("/teams/audit-logs?users={email}&pageSize=500"), KEY).await;
    assert!(body["events"].as_array().unwrap().iter().all(|e| e["user_email"] == email.as_str()));
}

#[tokio::test]
async fn blocklists_and_groups_answer_documented_shapes() {
    let h = harness().await;
    let (status, repos) = h.get_json("/settings/repo-blocklists/repos", KEY).await;
    assert_eq!(status, 200);
    assert_keys(&repos["repos"][0], &["id", "url", "patterns"]);

    let (status, groups) = h.get_json("/teams/groups?billingCycle=2025-06-15", KEY).await;
    assert_eq!(status, 200);
    assert_keys(&groups, &["groups", "unassignedGroup", "billingCycle"]);
    assert_keys(&groups["billingCycle"], &["cycleStart", "cycleEnd"]);
    assert_eq!(groups["billingCycle"]["cycleStart"], "2025-06-01T00:00:00.000Z");
    let group_keys = [
        "id",
        "name",
        "type",
        "directoryGroupId",
        "memberCount",
        "createdAt",
        "updatedAt",
        "spendCents",
        "currentMembers",
        "formerMembers",
        "dailySpend",
    ];
    assert_keys(&groups["groups"][0], &group_keys);
    assert_keys(&groups["unassignedGroup"], &group_keys);
    assert_eq!(groups["unassignedGroup"]["name"], "Unassigned");
    assert_keys(
        &groups["groups"][0]["currentMembers"][0],
        &["userId", "name", "email", "joinedAt", "leftAt", "spendCents"],
    );
    assert!(groups["groups"][0]["currentMembers"][0]["leftAt"].is_null());
    assert!(groups["groups"][0]["directoryGroupId"].is_null());
    assert!(groups["groups"][1]["directoryGroupId"].is_string());
    // Spend agrees with itself: the group total is the sum of its daily spend.
    let g = &groups["groups"][0];
    let daily: u64 = g["dailySpend"].as_array().unwrap().iter().map(|d| d["spendCents"].as_u64().unwrap()).sum();
    let total = g["spendCents"].as_u64().unwrap();
    assert!(total.abs_diff(daily) <= g["dailySpend"].as_array().unwrap().len() as u64, "{total} vs {daily}");

    let id = g["id"].as_str().unwrap();
    let (status, one) = h.get_json(&format!("/teams/groups/{id}"), KEY).await;
    assert_eq!(status, 200);
    assert_keys(&one, &["group", "billingCycle"]);
    assert!(one["group"]["currentMembers"][0]["dailySpend"].is_array());
    let (status, body) = h.get_json("/teams/groups/group_doesnotexist", KEY).await;
    assert_eq!(status, 404);
    assert_plain_error(&body, "Not Found");
    let (status, _) = h.get_json("/teams/groups?billingCycle=not-a-date", KEY).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn analytics_team_endpoints_answer_documented_rows() {
    let h = harness().await;
    let expect: &[(&str, &[&str])] = &[
        (
            "agent-edits",
            &[
                "event_date",
                "total_suggested_diffs",
                "total_accepted_diffs",
                "total_rejected_diffs",
                "total_green_lines_accepted",
                "total_red_lines_accepted",
                "total_green_lines_rejected",
                "total_red_lines_rejected",
                "total_green_lines_suggested",
                "total_red_lines_suggested",
                "total_lines_suggested",
                "total_lines_accepted",
            ],
        ),
        (
            "tabs",
            &[
                "event_date",
                "total_suggestions",
                "total_accepts",
                "total_rejects",
                "total_green_lines_accepted",
                "total_red_lines_accepted",
                "total_green_lines_rejected",
                "total_red_lines_rejected",
                "total_green_lines_suggested",
                "total_red_lines_suggested",
                "total_lines_suggested",
                "total_lines_accepted",
            ],
        ),
        ("dau", &["date", "dau", "cli_dau", "cloud_agent_dau", "bugbot_dau"]),
        ("client-versions", &["event_date", "client_version", "user_count", "percentage"]),
        ("models", &["date", "model_breakdown"]),
        (
            "top-file-extensions",
            &[
                "event_date",
                "file_extension",
                "total_files",
                "total_accepts",
                "total_rejects",
                "total_lines_suggested",
                "total_lines_accepted",
                "total_lines_rejected",
            ],
        ),
        ("mcp", &["event_date", "tool_name", "mcp_server_name", "usage"]),
        ("commands", &["event_date", "command_name", "usage"]),
        ("plans", &["event_date", "model", "usage"]),
        ("ask-mode", &["event_date", "model", "usage"]),
    ];
    for (metric, keys) in expect {
        let (status, body) = h.get_json(&format!("/analytics/team/{metric}?startDate=14d&endDate=today"), KEY).await;
        assert_eq!(status, 200, "{metric}: {body}");
        assert_keys(&body, &["data", "params"]);
        assert_keys(&body["params"], &["metric", "teamId", "startDate", "endDate"]);
        assert_eq!(body["params"]["metric"], *metric);
        let rows = body["data"].as_array().unwrap();
        assert!(!rows.is_empty(), "{metric} has rows");
        for row in rows {
            assert_keys(row, keys);
        }
    }
    let (_, models) = h.get_json("/analytics/team/models", KEY).await;
    let breakdown = models["data"][0]["model_breakdown"].as_object().unwrap();
    assert_keys(breakdown.values().next().unwrap(), &["messages", "users"]);
}

#[tokio::test]
async fn leaderboard_and_by_user_paginate_by_users() {
    let h = harness().await;
    let (status, board) = h.get_json("/analytics/team/leaderboard?page=2&pageSize=20", KEY).await;
    assert_eq!(status, 200);
    assert_keys(&board, &["data", "pagination", "params"]);
    assert_keys(
        &board["pagination"],
        &["page", "pageSize", "totalUsers", "totalPages", "hasNextPage", "hasPreviousPage"],
    );
    assert_eq!(board["pagination"]["totalPages"], 3);
    let tab = &board["data"]["tab_leaderboard"];
    assert_keys(tab, &["data", "total_users"]);
    assert_keys(
        &tab["data"][0],
        &[
            "email",
            "user_id",
            "total_accepts",
            "total_lines_accepted",
            "total_lines_suggested",
            "line_acceptance_ratio",
            "accept_ratio",
            "rank",
        ],
    );
    assert_eq!(tab["data"][0]["rank"], 21);
    assert_keys(
        &board["data"]["agent_leaderboard"]["data"][0],
        &[
            "email",
            "user_id",
            "total_accepts",
            "total_lines_accepted",
            "total_lines_suggested",
            "line_acceptance_ratio",
            "favorite_model",
            "rank",
        ],
    );
    // Filtered users keep their team-wide rank.
    let email = tab["data"][3]["email"].as_str().unwrap().to_owned();
    let (_, filtered) = h.get_json(&format!("/analytics/team/leaderboard?users={email}"), KEY).await;
    assert_eq!(filtered["data"]["tab_leaderboard"]["data"][0]["rank"], 24);
    assert_eq!(filtered["pagination"]["totalUsers"], 1);
    let (_, default_board) = h.get_json("/analytics/team/leaderboard", KEY).await;
    assert_eq!(default_board["pagination"]["pageSize"], 10);

    let rows: &[(&str, &[&str])] = &[
        ("agent-edits", &["event_date", "suggested_lines", "accepted_lines"]),
        ("tabs", &["event_date", "suggested_lines", "accepted_lines"]),
        ("models", &["event_date", "model", "messages"]),
        (
            "top-file-extensions",
            &[
                "event_date",
                "file_extension",
                "total_files",
                "total_accepts",
                "total_rejects",
                "total_lines_suggested",
                "total_lines_accepted",
                "total_lines_rejected",
            ],
        ),
        ("client-versions", &["event_date", "client_version"]),
        ("mcp", &["event_date", "tool_name", "mcp_server_name", "usage"]),
        ("commands", &["event_date", "command_name", "usage"]),
        ("plans", &["event_date", "model", "usage"]),
        ("ask-mode", &["event_date", "model", "usage"]),
    ];
    for (metric, keys) in rows {
        let (status, body) = h.get_json(&format!("/analytics/by-user/{metric}?pageSize=25&page=1"), KEY).await;
        assert_eq!(status, 200, "{metric}");
        assert_keys(&body, &["data", "pagination", "params"]);
        assert_eq!(body["pagination"]["totalUsers"], 60);
        assert_eq!(body["pagination"]["totalPages"], 3);
        assert_keys(&body["params"], &["metric", "teamId", "startDate", "endDate", "page", "pageSize", "userMappings"]);
        assert_eq!(body["params"]["userMappings"].as_array().unwrap().len(), 25);
        let data = body["data"].as_object().unwrap();
        assert_eq!(data.len(), 25);
        let all_rows: Vec<&Value> = data.values().flat_map(|v| v.as_array().unwrap()).collect();
        assert!(!all_rows.is_empty(), "{metric} has rows");
        for row in all_rows {
            assert_keys(row, keys);
        }
    }
    let (status, body) = h.get_json("/analytics/by-user/tabs?pageSize=501", KEY).await;
    assert_eq!(status, 400);
    assert_plain_error(&body, "Bad Request");
}

#[tokio::test]
async fn analytics_validation_and_user_filters() {
    let h = harness().await;
    for path in [
        "/analytics/team/dau?startDate=2025-01-01&endDate=2025-03-01",
        "/analytics/team/dau?startDate=5h",
        "/analytics/team/dau?startDate=today&endDate=7d",
        "/analytics/team/dau?users=ghost@nowhere.example",
    ] {
        let (status, body) = h.get_json(path, KEY).await;
        assert_eq!(status, 400, "{path}");
        assert_plain_error(&body, "Bad Request");
    }
    let (_, body) = h.get_json("/analytics/team/dau?users=ghost@nowhere.example", KEY).await;
    assert_eq!(body["message"], "Some users are not in the team");
    let roster = h.roster().await;
    let (a, b) = (&roster[0], &roster[1]);
    let users = format!("{},{}", a["email"].as_str().unwrap(), b["userId"].as_str().unwrap());
    let (status, body) = h.get_json(&format!("/analytics/by-user/agent-edits?users={users}"), KEY).await;
    assert_eq!(status, 200);
    assert_eq!(body["pagination"]["totalUsers"], 2);
    let mappings = body["params"]["userMappings"].as_array().unwrap();
    assert!(mappings.iter().any(|m| m["id"] == b["userId"] && m["email"] == b["email"]));
    let (status, _) = h.get_json("/analytics/team/unknown-metric", KEY).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn team_totals_are_sums_over_users() {
    let h = harness().await;
    let range = "startDate=2025-06-01&endDate=2025-06-14";
    let (_, team) = h.get_json(&format!("/analytics/team/agent-edits?{range}"), KEY).await;
    let (_, by_user) = h.get_json(&format!("/analytics/by-user/agent-edits?{range}&pageSize=500"), KEY).await;
    let mut per_day: std::collections::HashMap<String, (u64, u64)> = Default::default();
    for rows in by_user["data"].as_object().unwrap().values() {
        for row in rows.as_array().unwrap() {
            let e = per_day.entry(row["event_date"].as_str().unwrap().to_owned()).or_default();
            e.0 += row["suggested_lines"].as_u64().unwrap();
            e.1 += row["accepted_lines"].as_u64().unwrap();
        }
    }
    for row in team["data"].as_array().unwrap() {
        let day = row["event_date"].as_str().unwrap();
        let (suggested, accepted) = per_day.get(day).copied().unwrap_or_default();
        assert_eq!(row["total_lines_suggested"].as_u64().unwrap(), suggested, "{day}");
        assert_eq!(row["total_lines_accepted"].as_u64().unwrap(), accepted, "{day}");
        assert_eq!(
            row["total_suggested_diffs"].as_u64().unwrap(),
            row["total_accepted_diffs"].as_u64().unwrap() + row["total_rejected_diffs"].as_u64().unwrap()
        );
    }
    // DAU counts the same users the by-user client versions list as active.
    let (_, dau) = h.get_json("/analytics/team/dau?startDate=2025-06-10&endDate=2025-06-10", KEY).await;
    let (_, versions) =
        h.get_json("/analytics/team/client-versions?startDate=2025-06-10&endDate=2025-06-10", KEY).await;
    let counted: u64 = versions["data"].as_array().unwrap().iter().map(|r| r["user_count"].as_u64().unwrap()).sum();
    assert_eq!(dau["data"][0]["dau"].as_u64().unwrap(), counted);
}

#[tokio::test]
async fn ai_code_json_endpoints_paginate_at_top_level() {
    let h = harness().await;
    let (status, commits) = h.get_json("/analytics/ai-code/commits?startDate=7d&endDate=now", KEY).await;
    assert_eq!(status, 200);
    assert_keys(&commits, &["items", "totalCount", "page", "pageSize"]);
    assert_eq!(commits["pageSize"], 100);
    assert!(commits["totalCount"].as_u64().unwrap() > 200, "several default pages");
    let item = &commits["items"][0];
    assert_keys(
        item,
        &[
            "commitHash",
            "userId",
            "userEmail",
            "repoName",
            "branchName",
            "isPrimaryBranch",
            "totalLinesAdded",
            "totalLinesDeleted",
            "tabLinesAdded",
            "tabLinesDeleted",
            "composerLinesAdded",
            "composerLinesDeleted",
            "nonAiLinesAdded",
            "nonAiLinesDeleted",
            "message",
            "commitTs",
            "createdAt",
            "commitSource",
        ],
    );
    assert!(item["userId"].as_str().unwrap().starts_with("user_"));
    assert!(["ide", "cli", "cloud"].contains(&item["commitSource"].as_str().unwrap()));

    let (_, big) = h.get_json("/analytics/ai-code/commits?startDate=30d&pageSize=1000", KEY).await;
    let items = big["items"].as_array().unwrap();
    let mut hashes = std::collections::HashSet::new();
    let mut repeated = false;
    for c in items {
        let ai = c["tabLinesAdded"].as_u64().unwrap() + c["composerLinesAdded"].as_u64().unwrap();
        let total = c["totalLinesAdded"].as_u64().unwrap();
        assert_eq!(c["nonAiLinesAdded"].as_u64().unwrap(), total.saturating_sub(ai));
        repeated |= !hashes.insert(c["commitHash"].as_str().unwrap().to_owned());
    }
    assert!(repeated, "amended commits repeat a hash");
    assert!(items.iter().any(|c| c["branchName"].is_null()), "nullable fields are sometimes null");
    assert!(items.iter().any(|c| c["message"].as_str().is_some_and(|m| m.contains('\n'))));

    let (status, changes) =
        h.get_json("/analytics/ai-code/changes?startDate=14d&endDate=now&page=1&pageSize=200", KEY).await;
    assert_eq!(status, 200);
    assert_keys(&changes, &["items", "totalCount", "page", "pageSize"]);
    let change = &changes["items"][0];
    assert_keys(
        change,
        &[
            "changeId",
            "userId",
            "userEmail",
            "source",
            "model",
            "totalLinesAdded",
            "totalLinesDeleted",
            "createdAt",
            "metadata",
        ],
    );
    let all = changes["items"].as_array().unwrap();
    assert!(
        all.iter().any(|c| c["metadata"].as_array().unwrap().iter().any(|m| m.get("fileName").is_none())),
        "privacy mode rows"
    );
    assert!(all.iter().any(|c| c["model"].is_null()));
    for c in all {
        let added: u64 = c["metadata"].as_array().unwrap().iter().map(|m| m["linesAdded"].as_u64().unwrap()).sum();
        assert_eq!(c["totalLinesAdded"].as_u64().unwrap(), added);
    }

    let email = item["userEmail"].as_str().unwrap().to_owned();
    let (_, mine) = h.get_json(&format!("/analytics/ai-code/commits?user={email}&startDate=30d"), KEY).await;
    assert!(mine["items"].as_array().unwrap().iter().all(|c| c["userEmail"] == email.as_str()));
    assert!(mine["totalCount"].as_u64().unwrap() > 0);

    for path in [
        "/analytics/ai-code/commits?pageSize=1001",
        "/analytics/ai-code/commits?page=0",
        "/analytics/ai-code/changes?startDate=yesterday",
        "/analytics/ai-code/changes?user=ghost@nowhere.example",
    ] {
        let (status, body) = h.get_json(path, KEY).await;
        assert_eq!(status, 400, "{path}");
        assert_plain_error(&body, "Bad Request");
    }
}

#[tokio::test]
async fn ai_code_csv_endpoints_stream_documented_columns() {
    let h = harness().await;
    let response = h.get("/analytics/ai-code/commits.csv?startDate=2d", KEY).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(response.headers()["transfer-encoding"], "chunked");
    let text = response.text().await.unwrap();
    assert!(text.starts_with("commit_hash,user_id,user_email,repo_name,branch_name,is_primary_branch,total_lines_added,total_lines_deleted,tab_lines_added,tab_lines_deleted,composer_lines_added,composer_lines_deleted,non_ai_lines_added,non_ai_lines_deleted,message,commit_ts,created_at\n"));
    let (_, json) = h.get_json("/analytics/ai-code/commits?startDate=2d&pageSize=1000", KEY).await;
    // Quoted newlines make lines and records differ, so count records by hashes.
    for item in json["items"].as_array().unwrap() {
        assert!(text.contains(item["commitHash"].as_str().unwrap()));
    }
    let response = h.get("/analytics/ai-code/changes.csv?startDate=1d", KEY).await;
    let text = response.text().await.unwrap();
    assert!(text.starts_with(
        "change_id,user_id,user_email,source,model,total_lines_added,total_lines_deleted,created_at,metadata_json\n"
    ));
    assert!(text.contains("\"[{\"\"fileExtension\"\""));
}

#[tokio::test]
async fn bugbot_and_agents_reference_endpoints_answer() {
    let h = harness().await;
    let (status, body) = h
        .post_json(
            "/bugbot/repo/update",
            KEY,
            json!({"repoUrl": "https://github.com/acme-corp/web-app", "enabled": true}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["enabled"], true);
    let (status, body) = h.post_json("/bugbot/repo/update", KEY, json!({"enabled": true})).await;
    assert_eq!(status, 400);
    assert_plain_error(&body, "Bad Request");

    let (status, me) = h.get_json("/v0/me", KEY).await;
    assert_eq!(status, 200);
    assert_keys(&me, &["apiKeyName", "createdAt", "userEmail"]);
    assert!(!me["apiKeyName"].as_str().unwrap().contains(KEY), "the key is not echoed");
    let (_, models) = h.get_json("/v0/models", KEY).await;
    assert!(models["models"].as_array().unwrap().iter().all(Value::is_string));
    let (_, repos) = h.get_json("/v0/repositories", KEY).await;
    assert_keys(&repos["repositories"][0], &["owner", "name", "repository"]);

    let (status, list) = h.get_json("/v0/agents", KEY).await;
    assert_eq!(status, 200);
    assert_eq!(list["agents"].as_array().unwrap().len(), 20);
    assert!(list["nextCursor"].is_string());
    let agent = &list["agents"][0];
    for field in ["id", "name", "status", "source", "target", "createdAt"] {
        assert!(agent.get(field).is_some(), "agent lacks {field}");
    }
    assert!(agent["target"]["url"].is_string());

    let (status, body) = h.get_json("/v0/agents?limit=101", KEY).await;
    assert_eq!(status, 400);
    assert_agents_error(&body, "invalid_request");
    let (status, body) = h.get_json("/v0/agents?limit=0", KEY).await;
    assert_eq!(status, 400);
    assert_agents_error(&body, "invalid_request");
    let (status, body) = h.get_json("/v0/agents/bc_doesnotexist", KEY).await;
    assert_eq!(status, 404);
    assert_agents_error(&body, "not_found");
    let (status, body) = h.get_json("/v0/agents/not-an-id", KEY).await;
    assert_eq!(status, 400);
    assert_agents_error(&body, "invalid_request");
}

#[tokio::test]
async fn agent_list_cursor_walks_every_agent_once() {
    let h = harness().await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v0/agents?limit=7&cursor={c}"),
            None => "/v0/agents?limit=7".to_owned(),
        };
        let (status, page) = h.get_json(&path, KEY).await;
        assert_eq!(status, 200);
        seen.extend(page["agents"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_owned()));
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let unique: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!(seen.len(), 45);
    assert_eq!(unique.len(), 45);
    let (status, body) = h.get_json("/v0/agents?cursor=bc_unknown", KEY).await;
    assert_eq!(status, 400);
    assert_agents_error(&body, "invalid_request");
}

#[tokio::test]
async fn agent_list_cursor_survives_the_deletion_of_the_agent_it_names() {
    let h = harness().await;
    let ids = |page: &Value| -> Vec<String> {
        page["agents"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_owned()).collect()
    };
    let (_, first_five) = h.get_json("/v0/agents?limit=5", KEY).await;
    let first_five = ids(&first_five);
    let (status, page) = h.get_json("/v0/agents?limit=2", KEY).await;
    assert_eq!(status, 200);
    let cursor = page["nextCursor"].as_str().unwrap().to_owned();
    assert_eq!(cursor, first_five[1]);
    // Delete the agent the cursor names, and the one after it, then go on.
    for id in [&first_five[1], &first_five[2]] {
        let deleted = h.request(Method::DELETE, &format!("/v0/agents/{id}"), KEY).send().await.unwrap();
        assert_eq!(deleted.status(), 200);
    }
    let (status, page) = h.get_json(&format!("/v0/agents?limit=2&cursor={cursor}"), KEY).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(ids(&page), first_five[3..5].to_vec(), "the page goes on past the deleted agents");
    assert_eq!(page["nextCursor"].as_str(), Some(first_five[4].as_str()));
}
