//! Rate limits per bucket and per key, the documented 429, Retry-After, the time scale,
//! and 304s that do not count.

mod common;

use std::time::{Duration, Instant};

use common::{Harness, assert_agents_error, assert_plain_error, test_config};
use serde_json::json;

/// Sends `n` GETs and returns the statuses.
async fn hammer(h: &Harness, path: &str, key: &str, n: usize) -> Vec<u16> {
    let mut statuses = Vec::with_capacity(n);
    for _ in 0..n {
        statuses.push(h.get(path, key).await.status().as_u16());
    }
    statuses
}

#[tokio::test]
async fn admin_endpoints_share_one_bucket_of_20_per_minute() {
    let h = Harness::default_test().await;
    let key = "key_admin_bucket";
    let first = hammer(&h, "/teams/members", key, 15).await;
    assert!(first.iter().all(|&s| s == 200));
    let more = hammer(&h, "/settings/repo-blocklists/repos", key, 5).await;
    assert!(more.iter().all(|&s| s == 200));
    let response = h.get("/teams/groups", key).await;
    assert_eq!(response.status(), 429);
    let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body, json!({"error": "Too Many Requests", "message": "Rate limit exceeded. Please try again later."}));
    // The spend-limit endpoint has its own bucket, and other keys their own windows.
    let (status, _) =
        h.post_json("/teams/user-spend-limit", key, json!({"userEmail": "x@y.com", "spendLimitDollars": 1})).await;
    assert_eq!(status, 400, "not 429: separate bucket");
    assert_eq!(h.get("/teams/members", "key_someone_else").await.status(), 200);
}

#[tokio::test]
async fn spend_limit_allows_250_per_minute() {
    // 250 in the current overview (the seeds' primary reference says 60, configurable).
    let h = Harness::default_test().await;
    let key = "key_spend_limit";
    let email = h.roster().await[5]["email"].as_str().unwrap().to_owned();
    for i in 0..250 {
        let (status, _) =
            h.post_json("/teams/user-spend-limit", key, json!({"userEmail": email, "spendLimitDollars": i})).await;
        assert_eq!(status, 200, "request {i}");
    }
    let (status, _) =
        h.post_json("/teams/user-spend-limit", key, json!({"userEmail": email, "spendLimitDollars": 1})).await;
    assert_eq!(status, 429);
}

#[tokio::test]
async fn ai_code_limits_each_endpoint_separately_and_analytics_by_family() {
    let h = Harness::default_test().await;
    let key = "key_ai_code";
    assert!(hammer(&h, "/analytics/ai-code/commits?pageSize=1", key, 20).await.iter().all(|&s| s == 200));
    assert_eq!(h.get("/analytics/ai-code/commits?pageSize=1", key).await.status(), 429);
    assert_eq!(h.get("/analytics/ai-code/changes?pageSize=1", key).await.status(), 200);

    let by_user = hammer(&h, "/analytics/by-user/plans?pageSize=1", key, 51).await;
    assert_eq!(by_user.iter().filter(|&&s| s == 200).count(), 50);
    assert_eq!(by_user[50], 429);
    assert_eq!(h.get("/analytics/team/plans", key).await.status(), 200, "team bucket is separate");
}

#[tokio::test]
async fn repositories_allow_one_per_minute_and_agents_use_their_error_shape() {
    let h = Harness::default_test().await;
    let key = "key_repos";
    assert_eq!(h.get("/v0/repositories", key).await.status(), 200);
    let response = h.get("/v0/repositories", key).await;
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    let body: serde_json::Value = response.json().await.unwrap();
    assert_agents_error(&body, "rate_limit_exceeded");
    assert_eq!(h.get("/v0/models", key).await.status(), 200, "other agent endpoints unaffected");
}

#[tokio::test]
async fn time_scale_turns_a_minute_into_a_second() {
    let mut config = test_config();
    config.time_scale = 60.0;
    config.rate_limits.admin_per_minute = 3;
    let h = Harness::start(config).await;
    let key = "key_scaled";
    assert!(hammer(&h, "/teams/members", key, 3).await.iter().all(|&s| s == 200));
    let refused = h.get("/teams/members", key).await;
    assert_eq!(refused.status(), 429);
    let wait_ms: u64 = refused.headers()["retry-after-ms"].to_str().unwrap().parse().unwrap();
    assert!(wait_ms <= 1_000, "a scaled minute is at most a real second: {wait_ms}");
    assert_eq!(refused.headers()["retry-after"], "1");
    let started = Instant::now();
    tokio::time::sleep(Duration::from_millis(wait_ms + 50)).await;
    assert_eq!(h.get("/teams/members", key).await.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn clock_advance_reopens_windows() {
    let mut config = test_config();
    config.rate_limits.bugbot_per_minute = 1;
    let h = Harness::start(config).await;
    let body = json!({"repoUrl": "https://github.com/acme-corp/web-app", "enabled": false});
    assert_eq!(h.post_json("/bugbot/repo/update", "key_bb", body.clone()).await.0, 200);
    let (status, refused) = h.post_json("/bugbot/repo/update", "key_bb", body.clone()).await;
    assert_eq!(status, 429);
    assert_plain_error(&refused, "Too Many Requests");
    let advanced = h.client.post(h.url("/__mock/clock/advance")).json(&json!({"seconds": 61})).send().await.unwrap();
    assert_eq!(advanced.status(), 200);
    assert_eq!(h.post_json("/bugbot/repo/update", "key_bb", body).await.0, 200);
}

#[tokio::test]
async fn not_modified_answers_do_not_count() {
    let mut config = test_config();
    config.rate_limits.analytics_team_per_minute = 2;
    let h = Harness::start(config).await;
    let key = "key_etag_limit";
    let first = h.get("/analytics/team/dau", key).await;
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    for _ in 0..10 {
        let response = h
            .request(reqwest::Method::GET, "/analytics/team/dau", key)
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 304);
    }
    assert_eq!(h.get("/analytics/team/dau", key).await.status(), 200, "second counted request");
    assert_eq!(h.get("/analytics/team/dau", key).await.status(), 429, "third is over the limit");
}
