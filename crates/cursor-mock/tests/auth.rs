//! Authentication: Basic only by default, the documented 401 and 403 bodies, key lists,
//! and keys kept out of the journal.

mod common;

use common::{Harness, assert_agents_error, assert_plain_error, json_of, test_config};
use serde_json::Value;

#[tokio::test]
async fn missing_or_malformed_keys_get_the_documented_401() {
    let h = Harness::default_test().await;
    let (status, body) = json_of(h.client.get(h.url("/teams/members")).send().await.unwrap()).await;
    assert_eq!(status, 401);
    assert_eq!(body, serde_json::json!({"error": "Unauthorized", "message": "Invalid API key"}));

    let (status, body) = h.get_json("/analytics/team/dau", "not_a_cursor_key").await;
    assert_eq!(status, 401);
    assert_plain_error(&body, "Unauthorized");

    let (status, body) = json_of(h.client.get(h.url("/v0/me")).send().await.unwrap()).await;
    assert_eq!(status, 401);
    assert_agents_error(&body, "unauthorized");
}

#[tokio::test]
async fn bearer_is_refused_unless_configured() {
    let h = Harness::default_test().await;
    let bearer = |h: &Harness| h.client.get(h.url("/teams/members")).bearer_auth("key_bearer").send();
    assert_eq!(bearer(&h).await.unwrap().status(), 401);

    let mut config = test_config();
    config.accept_bearer = true;
    let h = Harness::start(config).await;
    assert_eq!(bearer(&h).await.unwrap().status(), 200);
}

#[tokio::test]
async fn any_key_shaped_key_is_accepted_by_default_and_each_is_its_own_team() {
    let h = Harness::default_test().await;
    assert_eq!(h.get("/teams/members", "key_one").await.status(), 200);
    assert_eq!(h.get("/teams/members", "key_two").await.status(), 200);
    // A change made with one key is invisible to another.
    let (status, _) =
        h.send_json(reqwest::Method::DELETE, "/settings/repo-blocklists/repos/repo_123", "key_one", Value::Null).await;
    assert_eq!(status, 204);
    let (_, one) = h.get_json("/settings/repo-blocklists/repos", "key_one").await;
    let (_, two) = h.get_json("/settings/repo-blocklists/repos", "key_two").await;
    assert_eq!(one["repos"].as_array().unwrap().len() + 1, two["repos"].as_array().unwrap().len());
}

#[tokio::test]
async fn a_key_list_restricts_access() {
    let mut config = test_config();
    config.allowed_keys = Some(vec!["key_allowed".into(), "custom-secret".into()]);
    let h = Harness::start(config).await;
    assert_eq!(h.get("/teams/members", "key_allowed").await.status(), 200);
    assert_eq!(h.get("/teams/members", "custom-secret").await.status(), 200);
    assert_eq!(h.get("/teams/members", "key_other").await.status(), 401);
}

#[tokio::test]
async fn non_enterprise_keys_get_403_on_enterprise_apis_only() {
    let mut config = test_config();
    config.non_enterprise_keys = vec!["key_free".into()];
    let h = Harness::start(config).await;
    for path in ["/teams/members", "/analytics/team/dau", "/analytics/ai-code/commits"] {
        let (status, body) = h.get_json(path, "key_free").await;
        assert_eq!(status, 403, "{path}");
        assert_eq!(body, serde_json::json!({"error": "Forbidden", "message": "Enterprise access required"}));
    }
    assert_eq!(h.get("/v0/me", "key_free").await.status(), 200, "Cloud Agents is on all plans");
    assert_eq!(h.get("/teams/members", "key_paid").await.status(), 200);
}

#[tokio::test]
async fn the_journal_never_holds_the_key() {
    let h = Harness::default_test().await;
    let key = "key_supersecret_value_123";
    h.get("/teams/members?x=1", key).await;
    let entries = h.server.journal();
    let entry = entries.iter().find(|e| e.path == "/teams/members").expect("journaled");
    assert_eq!(entry.query.as_deref(), Some("x=1"));
    assert_eq!(entry.headers["authorization"], "Basic [REDACTED]");
    let all = serde_json::to_string(&entries).unwrap();
    assert!(!all.contains("supersecret"));
    // The Basic credentials, base64-encoded, must not leak either.
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{key}:"));
    assert!(!all.contains(&encoded));
}
