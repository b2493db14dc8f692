//! End-to-end tests of `POST /bugbot/repo/update` through `cursor-bugbot` against the
//! simulator: enabling and disabling one repository, and a bulk update whose refused entries
//! are reported without being sent.

use cursor_bugbot::{BugbotClient, RepoUpdate};
use cursor_tests::{client, json_body, requests_to, start_mock};

#[tokio::test]
async fn enable_then_disable_one_repository() {
    let server = start_mock().await;
    let bugbot = BugbotClient::new(client(&server, "key_bugbot_one"));
    let url = "https://github.com/acme-corp/web-app";
    let on = bugbot.enable(url).await.expect("enable");
    assert_eq!((on.repo_url.as_deref(), on.enabled), (Some(url), Some(true)));
    let off = bugbot.disable(url).await.expect("disable");
    assert_eq!(off.enabled, Some(false));
    let sent = requests_to(&server, "POST", "/bugbot/repo/update");
    assert_eq!(sent.len(), 2);
    assert_eq!(json_body(&sent[0]), serde_json::json!({"repoUrl": url, "enabled": true}));
    assert_eq!(json_body(&sent[1]), serde_json::json!({"repoUrl": url, "enabled": false}));
    assert!(sent.iter().all(|e| e.headers.get("authorization").map(String::as_str) == Some("Basic [REDACTED]")));
}

#[tokio::test]
async fn a_bulk_update_reports_each_repository_and_sends_only_valid_ones() {
    let server = start_mock().await;
    let bugbot = BugbotClient::new(client(&server, "key_bugbot_bulk"));
    let updates = vec![
        RepoUpdate::enable("https://github.com/acme-corp/a"),
        RepoUpdate::enable("https://github.com/acme-corp/b"),
        RepoUpdate::disable("https://github.com/acme-corp/c"),
        RepoUpdate::enable("not-a-url"),
        RepoUpdate::disable("https://github.com/acme-corp/d"),
    ];
    let report = bugbot.update_many(updates.clone(), 2).await;
    assert_eq!(report.outcomes.len(), 5);
    assert!(!report.all_succeeded());
    assert_eq!(report.succeeded().count(), 4);
    let failed: Vec<_> = report.failed().collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].0.repo_url(), "not-a-url");
    assert!(failed[0].1.is_invalid_request(), "{}", failed[0].1);
    for outcome in report.succeeded() {
        let response = outcome.result.as_ref().expect("succeeded");
        assert_eq!(response.enabled, Some(outcome.update.enabled()));
        assert_eq!(response.repo_url.as_deref(), Some(outcome.update.repo_url()));
    }
    let sent = requests_to(&server, "POST", "/bugbot/repo/update");
    assert_eq!(sent.len(), 4, "the invalid URL is refused before sending");
    let mut urls: Vec<_> =
        sent.iter().map(|e| json_body(e)["repoUrl"].as_str().unwrap_or_default().to_owned()).collect();
    urls.sort();
    assert_eq!(
        urls,
        [
            "https://github.com/acme-corp/a",
            "https://github.com/acme-corp/b",
            "https://github.com/acme-corp/c",
            "https://github.com/acme-corp/d"
        ]
    );
}
