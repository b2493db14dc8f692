//! The endpoint declarations match the documents: 15 team-level and 10 by-user `GET`s (the
//! seeds' 11 and 9, plus skills, conversation insights and Bugbot from the current ones), all
//! cacheable, all in the analytics date dialect capped at 30 days, in the right buckets and
//! pagination shapes.

use std::collections::HashSet;

use cursor_analytics::ENDPOINTS;
use cursor_core::{Api, Bucket, DateParams, Method, Pagination};

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
        assert_eq!(endpoint.api, Api::Analytics, "{}", endpoint.name);
        assert_eq!(endpoint.method, Method::Get, "{}", endpoint.name);
        assert!(endpoint.idempotent && endpoint.cacheable, "{}", endpoint.name);
        assert_eq!(endpoint.dates, DateParams::AnalyticsDay, "{}", endpoint.name);
        assert_eq!(endpoint.max_range_days, Some(30), "{}", endpoint.name);
    }
}

#[test]
fn buckets_and_pagination_follow_the_path() {
    for endpoint in ENDPOINTS {
        let (bucket, pagination) = if endpoint.path.starts_with("/analytics/by-user/") {
            (Bucket::AnalyticsByUser, Pagination::AnalyticsByUser)
        } else if endpoint.path == "/analytics/team/leaderboard" {
            (Bucket::AnalyticsTeam, Pagination::Leaderboard)
        } else if endpoint.path == "/analytics/team/conversation-insights" {
            (Bucket::AnalyticsConversationInsights, Pagination::None)
        } else {
            (Bucket::AnalyticsTeam, Pagination::None)
        };
        assert_eq!((endpoint.bucket, endpoint.pagination), (bucket, pagination), "{}", endpoint.name);
    }
}
