//! The endpoint declarations match the documents: 15 team-level and 10 by-user `GET`s (the
//! seeds' 11 and 9, plus skills, conversation insights and Bugbot from the current ones), all
//! cacheable, all in the analytics date dialect capped at 30 days, in the right buckets and
//! pagination shapes.

use std::collections::HashSet;

use cursor_analytics::ENDPOINTS;
use cursor_core::Method;

#[test]
fn twenty_five_distinct_analytics_endpoints_are_declared() {
    assert_eq!(ENDPOINTS.len(), 25);
    assert_eq!(cursor_analytics::NEWER_ENDPOINTS.len(), 5);
    let paths: HashSet<&str> = ENDPOINTS.iter().map(|e| e.path).collect();
    let names: HashSet<&str> = ENDPOINTS.iter().map(|e| e.name).collect();
    assert_eq!((paths.len(), names.len()), (25, 25), "paths and names are unique");
    for metric in [
        "agent-edits",
        "tabs",
        "models",
        "top-file-extensions",
        "client-versions",
        "mcp",
        "commands",
        "plans",
        "ask-mode",
        "skills",
    ] {
        assert!(paths.contains(format!("/analytics/team/{metric}").as_str()), "team {metric}");
        assert!(paths.contains(format!("/analytics/by-user/{metric}").as_str()), "by-user {metric}");
    }
    assert!(paths.contains("/analytics/team/dau") && paths.contains("/analytics/team/leaderboard"));
    for metric in ["conversation-insights", "bugbot", "bugbot-reviews"] {
        assert!(paths.contains(format!("/analytics/team/{metric}").as_str()), "team {metric}");
    }
}

#[test]
fn every_endpoint_is_a_cacheable_get_with_thirty_day_analytics_dates() {
    for endpoint in ENDPOINTS {
        assert_eq!(endpoint.api, cursor_analytics::endpoints::ANALYTICS_API, "{}", endpoint.name);
        assert_eq!(endpoint.method, Method::Get, "{}", endpoint.name);
        assert!(endpoint.idempotent && endpoint.cacheable, "{}", endpoint.name);
        assert_eq!(endpoint.dates, Some(cursor_analytics::endpoints::DAY_DATES), "{}", endpoint.name);
        assert_eq!(endpoint.max_range_days, Some(30), "{}", endpoint.name);
    }
}

#[test]
fn buckets_and_pagination_follow_the_path() {
    for endpoint in ENDPOINTS {
        let (bucket, pagination) = if endpoint.path.starts_with("/analytics/by-user/") {
            (cursor_analytics::endpoints::BY_USER_BUCKET, Some(cursor_analytics::endpoints::USER_PAGES))
        } else if endpoint.path == "/analytics/team/leaderboard" {
            (cursor_analytics::endpoints::TEAM_BUCKET, Some(cursor_analytics::endpoints::USER_PAGES))
        } else if endpoint.path == "/analytics/team/conversation-insights" {
            (cursor_analytics::endpoints::CONVERSATION_INSIGHTS_BUCKET, None)
        } else {
            (cursor_analytics::endpoints::TEAM_BUCKET, None)
        };
        assert_eq!((endpoint.bucket, endpoint.pagination), (bucket, pagination), "{}", endpoint.name);
    }
}
