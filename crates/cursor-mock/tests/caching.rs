//! ETag caching of the Analytics and AI-code APIs.

mod common;

use common::Harness;
use reqwest::Method;

async fn conditional(h: &Harness, path: &str, etag: &str) -> reqwest::Response {
    h.request(Method::GET, path, "key_cache").header("If-None-Match", etag).send().await.unwrap()
}

#[tokio::test]
async fn analytics_and_ai_code_answer_etags_and_304s() {
    let h = Harness::default_test().await;
    for path in [
        "/analytics/team/dau",
        "/analytics/team/leaderboard",
        "/analytics/by-user/models?pageSize=5",
        "/analytics/ai-code/commits?startDate=2025-06-01T00:00:00Z&endDate=2025-06-02T00:00:00Z",
        "/analytics/ai-code/changes?startDate=2025-06-01&endDate=2025-06-02",
        "/analytics/ai-code/commits.csv?startDate=2025-06-01&endDate=2025-06-02",
    ] {
        let first = h.get(path, "key_cache").await;
        assert_eq!(first.status(), 200, "{path}");
        assert_eq!(first.headers()["cache-control"], "public, max-age=900", "{path}");
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        assert!(etag.starts_with('"') && etag.ends_with('"'));
        let again = h.get(path, "key_cache").await;
        assert_eq!(again.headers()["etag"], etag.as_str(), "stable for the same data: {path}");

        let cached = conditional(&h, path, &etag).await;
        assert_eq!(cached.status(), 304, "{path}");
        assert_eq!(cached.headers()["etag"], etag.as_str());
        assert!(cached.bytes().await.unwrap().is_empty(), "304 has no body");

        let stale = conditional(&h, path, "\"something-else\"").await;
        assert_eq!(stale.status(), 200);
    }
}

#[tokio::test]
async fn different_data_different_etag_and_admin_is_not_cached() {
    let h = Harness::default_test().await;
    let a = h.get("/analytics/team/dau?startDate=2025-06-01&endDate=2025-06-05", "key_cache").await;
    let b = h.get("/analytics/team/dau?startDate=2025-06-01&endDate=2025-06-06", "key_cache").await;
    assert_ne!(a.headers()["etag"], b.headers()["etag"]);
    // Time is ignored in analytics dates, so both spellings share the ETag.
    let c = h.get("/analytics/team/dau?startDate=2025-06-01T14:30:00Z&endDate=2025-06-05", "key_cache").await;
    assert_eq!(a.headers()["etag"], c.headers()["etag"]);
    let admin = h.get("/teams/members", "key_cache").await;
    assert!(!admin.headers().contains_key("etag"));
}
