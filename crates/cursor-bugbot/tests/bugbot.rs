//! `POST /bugbot/repo/update` sends the documented body with Basic auth, its answer is kept
//! whole, bad URLs are refused unsent, and the bulk helper reports every repository's outcome
//! in order, concurrently, without stopping at a failure.

use std::time::Duration;

use cursor_bugbot::endpoints::UPDATE_REPO;
use cursor_bugbot::{BugbotClient, RepoUpdate, RepoUpdateResponse};
use cursor_core::testing::{assert_lossless, fixture, loopback_client, with_unknown_fields};
use cursor_core::{Method, Rate, RateLimits, RetryPolicy};
use httpmock::HttpMockRequest;
use httpmock::prelude::*;
use serde_json::json;

/// `Basic base64("key_test:")`: Basic, not the `Bearer` of the Bugbot page's curl example.
const AUTH: &str = "Basic a2V5X3Rlc3Q6";

fn client(base_url: &str) -> BugbotClient {
    client_with(base_url, RateLimits::unlimited(), RetryPolicy { max_attempts: 1, ..RetryPolicy::default() })
}

fn client_with(base_url: &str, limits: RateLimits, retry: RetryPolicy) -> BugbotClient {
    BugbotClient::new(loopback_client(base_url).rate_limits(limits).retry_policy(retry).build().expect("client"))
}

#[test]
fn the_declaration() {
    assert_eq!(cursor_bugbot::ENDPOINTS, &[&UPDATE_REPO, &cursor_bugbot::endpoints::REVIEW]);
    // A review may be posted: never repeated after it may have been sent, and says what to do.
    let review = &cursor_bugbot::endpoints::REVIEW;
    assert_eq!(
        (review.method, review.path, review.bucket),
        (Method::Post, "/bugbot/review", cursor_bugbot::endpoints::REVIEW_BUCKET)
    );
    let dry_run = &cursor_bugbot::endpoints::REVIEW_DRY_RUN;
    assert_eq!((dry_run.path, dry_run.bucket), ("/bugbot/review", cursor_bugbot::endpoints::REVIEW_DRY_RUN_BUCKET));
    assert!(!review.idempotent && review.uncertain_outcome_hint.is_some());
    assert_eq!(UPDATE_REPO.method, Method::Post);
    assert_eq!(UPDATE_REPO.path, "/bugbot/repo/update");
    assert_eq!(UPDATE_REPO.bucket, cursor_bugbot::endpoints::BUGBOT_BUCKET);
    // Setting a fixed state is safe to repeat, so it is retried.
    const { assert!(UPDATE_REPO.idempotent) };
}

#[test]
fn request_and_answer_round_trip() {
    let update: RepoUpdate = assert_lossless(fixture("bugbot/update_repo.request"));
    assert_eq!(update, RepoUpdate::enable("https://github.com/your-org/your-repo"));
    // The documents show no answer: any object is kept whole.
    let answer: RepoUpdateResponse = assert_lossless(&with_unknown_fields(
        r#"{"repoUrl": "https://github.com/your-org/your-repo", "enabled": false, "updatedAt": "2024-01-15T10:30:00Z"}"#,
    ));
    assert_eq!(answer.enabled, Some(false));
    assert_eq!(answer.extra.get("updatedAt"), Some(&json!("2024-01-15T10:30:00Z")));
    let empty: RepoUpdateResponse = assert_lossless("{}");
    assert_eq!(empty, RepoUpdateResponse::default());
    assert_lossless::<RepoUpdateResponse>(r#"{"success": true}"#);
}

#[tokio::test]
async fn enable_and_disable_send_the_documented_body_with_basic_auth() {
    let server = MockServer::start_async().await;
    let enable = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/bugbot/repo/update")
                .header("authorization", AUTH)
                .header("content-type", "application/json")
                .json_body(serde_json::from_str::<serde_json::Value>(fixture("bugbot/update_repo.request")).unwrap());
            then.status(200).body(r#"{"repoUrl":"https://github.com/your-org/your-repo","enabled":true}"#);
        })
        .await;
    let disable = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/bugbot/repo/update")
                .header("authorization", AUTH)
                .json_body(json!({"repoUrl": "https://github.com/your-org/your-repo", "enabled": false}));
            then.status(200).body(r#"{"repoUrl":"https://github.com/your-org/your-repo","enabled":false}"#);
        })
        .await;
    let bugbot = client(&server.base_url());
    assert_eq!(bugbot.enable("https://github.com/your-org/your-repo").await.expect("enabled").enabled, Some(true));
    assert_eq!(bugbot.disable("https://github.com/your-org/your-repo").await.expect("disabled").enabled, Some(false));
    enable.assert_calls_async(1).await;
    disable.assert_calls_async(1).await;
}

#[tokio::test]
async fn repository_urls_that_are_not_full_urls_are_refused_unsent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body("{}");
        })
        .await;
    let bugbot = client(&server.base_url());
    for url in ["", "your-org/your-repo", "github.com/your-org/your-repo", "https://", " https://github.com/a/b"] {
        let err = bugbot.enable(url).await.unwrap_err();
        assert!(err.is_invalid_request() && err.to_string().contains("full URL"), "{url:?}: {err}");
    }
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn bulk_reports_each_repository_in_order_without_stopping_at_failures() {
    let server = MockServer::start_async().await;
    let ok = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/bugbot/repo/update")
                .json_body_includes(r#"{"enabled": true}"#)
                .is_true(|req: &HttpMockRequest| !String::from_utf8_lossy(req.body_ref()).contains("missing"));
            then.status(200).body(r#"{"ok":true}"#);
        })
        .await;
    let missing = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/bugbot/repo/update")
                .json_body_includes(r#"{"repoUrl": "https://github.com/your-org/missing"}"#);
            then.status(404).body(r#"{"error":"Not Found","message":"Repository not found"}"#);
        })
        .await;
    let forbidden = server
        .mock_async(|when, then| {
            when.method(POST).path("/bugbot/repo/update").json_body_includes(r#"{"enabled": false}"#);
            then.status(400).body(r#"{"error":"Bad Request","message":"Bugbot is not installed"}"#);
        })
        .await;
    let updates = vec![
        RepoUpdate::enable("https://github.com/your-org/a"),
        RepoUpdate::enable("https://github.com/your-org/missing"),
        RepoUpdate::enable("not a url"),
        RepoUpdate::disable("https://github.com/your-org/b"),
        RepoUpdate::enable("https://github.com/your-org/c"),
        RepoUpdate::disable("https://github.com/your-org/a"),
    ];
    let report = client(&server.base_url()).update_many(updates.clone(), 3).await;
    let order: Vec<&RepoUpdate> = report.outcomes.iter().map(|o| &o.update).collect();
    assert_eq!(order, updates.iter().collect::<Vec<_>>(), "outcomes come in input order");
    let results: Vec<Option<u16>> =
        report.outcomes.iter().map(|o| o.result.as_ref().err().map(|e| e.status().unwrap_or(0))).collect();
    // a ok, missing 404, bad URL refused unsent, b 400, c ok, a again refused as a repeat.
    assert_eq!(results, vec![None, Some(404), Some(0), Some(400), None, Some(0)]);
    assert!(report.outcomes[2].result.as_ref().unwrap_err().is_invalid_request());
    assert!(report.outcomes[5].result.as_ref().unwrap_err().to_string().contains("more than once"));
    assert!(!report.all_succeeded());
    assert_eq!(report.succeeded().count(), 2);
    assert_eq!(report.failed().count(), 4);
    ok.assert_calls_async(2).await;
    missing.assert_calls_async(1).await;
    forbidden.assert_calls_async(1).await;
}

#[tokio::test]
async fn bulk_runs_concurrently_up_to_the_given_width() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/bugbot/repo/update");
            then.status(200).delay(Duration::from_millis(300)).body("{}");
        })
        .await;
    let updates: Vec<RepoUpdate> = (0..8).map(|i| RepoUpdate::enable(format!("https://github.com/o/r{i}"))).collect();
    let started = std::time::Instant::now();
    let report = client(&server.base_url()).update_many(updates, 4).await;
    let elapsed = started.elapsed();
    assert!(report.all_succeeded());
    mock.assert_calls_async(8).await;
    // One at a time would take 8 × 300 ms; four at a time takes two rounds, never fewer.
    assert!(elapsed >= Duration::from_millis(600), "more than 4 at once? {elapsed:?}");
    assert!(elapsed < Duration::from_millis(2000), "not concurrent: {elapsed:?}");
}

#[tokio::test]
async fn bulk_stays_within_the_rate_limit() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/bugbot/repo/update");
            then.status(200).body("{}");
        })
        .await;
    // 20 requests per second with a burst of 20 would let all go at once; one per 100 ms
    // (a rate of 1 per 100 ms, burst 1) spaces them out.
    let limits = RateLimits::unlimited()
        .set(cursor_bugbot::endpoints::BUGBOT_BUCKET, vec![Rate { requests: 1, period: Duration::from_millis(100) }]);
    let bugbot = client_with(&server.base_url(), limits, RetryPolicy { max_attempts: 1, ..RetryPolicy::default() });
    let updates: Vec<RepoUpdate> = (0..5).map(|i| RepoUpdate::enable(format!("https://github.com/o/r{i}"))).collect();
    let started = std::time::Instant::now();
    let report = bugbot.update_many(updates, 5).await;
    assert!(report.all_succeeded());
    assert!(started.elapsed() >= Duration::from_millis(350), "5 requests at 1/100 ms took {:?}", started.elapsed());
    mock.assert_calls_async(5).await;
}
