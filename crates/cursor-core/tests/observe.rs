//! The client's events: one per request finished, one per retry, one per page read, with no
//! secret in any of them.

mod common;
use common::*;

mod support;

use std::sync::{Arc, Mutex};

use cursor_core::{Endpoint, Event, FnObserver, Request};
use futures_util::TryStreamExt as _;
use serde_json::json;
use support::{Reply, ScriptedServer, fast_retries};

const MEMBERS: Endpoint = Endpoint::get("admin.members", TEAM, "/teams/members", TEAM_BUCKET);
const AGENTS: Endpoint = Endpoint::get("agents.list", JOBS, "/v0/agents", JOBS_BUCKET).paginated(CURSOR_PAGES);

#[derive(serde::Deserialize)]
struct AgentsPage {
    agents: Vec<String>,
    #[serde(rename = "nextCursor")]
    next_cursor: Option<String>,
}

impl cursor_core::Page for AgentsPage {
    type Item = String;
    fn next_page(&self, _: u32) -> cursor_core::NextPage {
        cursor_core::next_by_cursor(self.next_cursor.as_deref())
    }
    fn into_items(self) -> Vec<String> {
        self.agents
    }
}

fn recording_client(base_url: &str) -> (cursor_core::Client, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let client = cursor_core::testing::loopback_client(base_url)
        .api_key("key_observer_secret_42")
        .retry_policy(fast_retries(3))
        .observer(FnObserver(move |event: &Event<'_>| log.lock().unwrap().push(format!("{event:?}"))))
        .build()
        .unwrap();
    (client, seen)
}

#[tokio::test]
async fn a_retried_request_reports_the_retry_then_one_finished_request() {
    let server =
        ScriptedServer::start(vec![Reply::json(503, json!({"error": "x"})), Reply::json(200, json!({}))]).await;
    let (client, seen) = recording_client(&server.base_url);
    let _: serde_json::Value = client.send_json(Request::new(&MEMBERS).query("q", 1)).await.unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "{seen:#?}");
    assert!(seen[0].starts_with("Retrying { endpoint: \"admin.members\", attempt: 1"), "{}", seen[0]);
    assert!(seen[1].starts_with("RequestFinished { endpoint: \"admin.members\", method: \"GET\", path: \"/teams/members?q=1\", status: Some(200), attempts: 2"), "{}", seen[1]);
    assert!(seen.iter().all(|event| !event.contains("observer_secret")));
}

#[tokio::test]
async fn every_page_of_a_stream_is_reported() {
    let server = ScriptedServer::start(vec![
        Reply::json(200, json!({"agents": ["a", "b"], "nextCursor": "c2"})),
        Reply::json(200, json!({"agents": ["c"]})),
    ])
    .await;
    let (client, seen) = recording_client(&server.base_url);
    let items: Vec<String> = client.items::<AgentsPage>(Request::new(&AGENTS)).try_collect().await.unwrap();
    assert_eq!(items, ["a", "b", "c"]);
    let pages: Vec<String> = seen.lock().unwrap().iter().filter(|e| e.starts_with("PageRead")).cloned().collect();
    assert_eq!(
        pages,
        [
            "PageRead { endpoint: \"agents.list\", page: 1 }".to_owned(),
            "PageRead { endpoint: \"agents.list\", page: 2 }".to_owned()
        ]
    );
}

#[tokio::test]
async fn a_wait_for_the_bucket_is_reported_before_it_starts_with_the_buckets_rates() {
    let server = ScriptedServer::start(vec![Reply::json(200, json!({})), Reply::json(200, json!({}))]).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let limits = cursor_core::RateLimits::unlimited().set(TEAM_BUCKET, [cursor_core::Rate::per_minute(1)]);
    let client = cursor_core::testing::loopback_client(&server.base_url)
        .rate_limits(limits)
        .observer(FnObserver(move |event: &Event<'_>| {
            if let Event::RateLimitWait { bucket, wait, rates, .. } = event {
                log.lock().unwrap().push((*bucket, *wait, rates.to_vec()));
            }
        }))
        .build()
        .unwrap();
    let _: serde_json::Value = client.send_json(Request::new(&MEMBERS)).await.unwrap();
    assert!(seen.lock().unwrap().is_empty(), "the first request does not wait");
    // The second would wait about a minute: give up after the event, not after the wait.
    let second = client.send_json::<serde_json::Value>(Request::new(&MEMBERS));
    let _ = tokio::time::timeout(std::time::Duration::from_millis(200), second).await;
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
    let (bucket, wait, rates) = &seen[0];
    assert_eq!(*bucket, TEAM_BUCKET);
    assert!(*wait > std::time::Duration::from_secs(50), "{wait:?}");
    assert_eq!(rates, &[cursor_core::Rate::per_minute(1)]);
}
