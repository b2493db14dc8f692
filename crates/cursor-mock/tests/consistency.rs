//! Numbers agree across endpoints where the documents imply they should.

mod common;

use common::{Harness, test_config};
use cursor_mock::RateLimits;
use serde_json::json;

async fn harness() -> Harness {
    let mut config = test_config();
    config.rate_limits = RateLimits::unlimited();
    Harness::start(config).await
}

const KEY: &str = "key_consistency";

#[tokio::test]
async fn usage_based_requests_match_the_usage_events() {
    let h = harness().await;
    // 2025-06-10, a Tuesday, whole day.
    let (start, end) = (1_749_513_600_000_i64, 1_749_599_999_999_i64);
    let (_, daily) = h.post_json("/teams/daily-usage-data", KEY, json!({"startDate": start, "endDate": end})).await;
    let rows = daily["data"].as_array().unwrap();
    let mut checked = 0;
    for row in rows.iter().filter(|r| r["usageBasedReqs"].as_u64().unwrap() > 0).take(5) {
        let email = row["email"].as_str().unwrap();
        let (_, events) = h
            .post_json(
                "/teams/filtered-usage-events",
                KEY,
                json!({"startDate": start, "endDate": end, "email": email, "pageSize": 1000}),
            )
            .await;
        let usage_based =
            events["usageEvents"].as_array().unwrap().iter().filter(|e| e["kind"] == "Usage-based").count() as u64;
        assert_eq!(row["usageBasedReqs"].as_u64().unwrap(), usage_based, "{email}");
        checked += 1;
    }
    assert!(checked > 0);
}

#[tokio::test]
async fn group_member_spend_matches_team_spend_and_the_dashboard_formula() {
    let h = harness().await;
    let (_, groups) = h.get_json("/teams/groups", KEY).await;
    // Seeded members joined before the cycle, so their group spend is their cycle spend.
    let member = &groups["groups"][0]["currentMembers"][0];
    let email = member["email"].as_str().unwrap();
    let (_, spend) = h.post_json("/teams/spend", KEY, json!({"searchTerm": email})).await;
    let row = &spend["teamMemberSpend"][0];
    assert_eq!(row["email"], email);
    // Team spend comes in hundredths of a cent (current documents), group spend in whole cents.
    let (team_cents, group_cents) = (row["spendCents"].as_f64().unwrap(), member["spendCents"].as_f64().unwrap());
    assert!((team_cents - group_cents).abs() <= 0.5, "{team_cents} vs {group_cents}");

    // Spend is model cost plus the Cursor Token Fee, summed over the cycle's usage events.
    let cycle_start = spend["subscriptionCycleStart"].as_i64().unwrap();
    let (_, events) = h
        .post_json(
            "/teams/filtered-usage-events",
            KEY,
            json!({"startDate": cycle_start, "email": email, "pageSize": 1000}),
        )
        .await;
    let cents: f64 = events["usageEvents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "Usage-based")
        .map(|e| e["tokenUsage"]["totalCents"].as_f64().unwrap() + e["cursorTokenFee"].as_f64().unwrap())
        .sum();
    assert!((row["spendCents"].as_f64().unwrap() - cents).abs() < 0.01, "{row} vs {cents}");
}

#[tokio::test]
async fn by_user_totals_match_the_leaderboard() {
    let h = harness().await;
    let range = "startDate=2025-06-01&endDate=2025-06-14";
    let (_, board) = h.get_json(&format!("/analytics/team/leaderboard?{range}&pageSize=3"), KEY).await;
    let (_, tabs) = h.get_json(&format!("/analytics/by-user/tabs?{range}&pageSize=500"), KEY).await;
    for row in board["data"]["tab_leaderboard"]["data"].as_array().unwrap() {
        let email = row["email"].as_str().unwrap();
        let accepted: u64 =
            tabs["data"][email].as_array().unwrap().iter().map(|d| d["accepted_lines"].as_u64().unwrap()).sum();
        assert_eq!(row["total_lines_accepted"].as_u64().unwrap(), accepted, "{email}");
    }
}
