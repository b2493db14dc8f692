//! Saved state: a second simulator restored from a first one's snapshot answers with the
//! first one's changes (groups, agents v0 and v1, their conversations and run timing), and a
//! snapshot of another team is refused.

mod common;

use std::time::Duration;

use common::{Harness, test_config};
use cursor_mock::{AgentTiming, MockConfig, RateLimits, RestoreError, persist};
use serde_json::json;

const KEY: &str = "key_persist";

fn config() -> MockConfig {
    let mut config = test_config();
    config.rate_limits = RateLimits::unlimited();
    // Runs long enough (in simulated time) to still be running after the restore.
    config.agent_timing = AgentTiming { creating: Duration::from_secs(60), running: Duration::from_secs(3600) };
    config
}

#[tokio::test]
async fn a_restored_simulator_keeps_groups_agents_and_their_runs() {
    let first = Harness::start(config()).await;
    let (status, group) = first.post_json("/teams/groups", KEY, json!({"name": "Saved group"})).await;
    assert_eq!(status, 200, "{group}");
    let group_id = group["group"]["id"].as_str().unwrap().to_owned();
    let launch = json!({
        "prompt": {"text": "Remember me"},
        "source": {"repository": "https://github.com/acme-corp/web-app", "ref": "main"},
    });
    let (status, agent) = first.post_json("/v0/agents", KEY, launch).await;
    assert_eq!(status, 201, "{agent}");
    let agent_id = agent["id"].as_str().unwrap().to_owned();
    let create = json!({"prompt": {"text": "A v1 agent"}, "repos": [{"url": "https://github.com/acme-corp/web-app"}]});
    let (status, v1) = first.post_json("/v1/agents", KEY, create).await;
    assert_eq!(status, 201, "{v1}");
    let v1_id = v1["agent"]["id"].as_str().or(v1["id"].as_str()).unwrap().to_owned();

    // Into the run: a restore that started the simulated clock again from zero would show
    // the agent back in `CREATING`.
    first.server.advance_clock(Duration::from_secs(120));
    let snapshot = first.server.snapshot();
    let dir = std::env::temp_dir().join(format!("cursor-mock-persist-test-{}", std::process::id()));
    let path = dir.join("state.json");
    persist::save(&path, &snapshot).unwrap();
    first.server.shutdown().await;

    let second = Harness::start(config()).await;
    let (status, _) = second.get_json(&format!("/v0/agents/{agent_id}"), KEY).await;
    assert_eq!(status, 404, "a fresh simulator does not know the agent");
    second.server.restore(persist::load(&path).unwrap().expect("saved")).unwrap();

    let (status, detail) = second.get_json(&format!("/teams/groups/{group_id}"), KEY).await;
    assert_eq!((status, detail["group"]["name"].as_str()), (200, Some("Saved group")), "{detail}");
    let (status, restored) = second.get_json(&format!("/v0/agents/{agent_id}"), KEY).await;
    assert_eq!(status, 200, "{restored}");
    assert_eq!(restored["status"], "RUNNING", "the simulated clock goes on from where it was saved");
    let (_, conversation) = second.get_json(&format!("/v0/agents/{agent_id}/conversation"), KEY).await;
    assert_eq!(conversation["messages"][0]["text"], "Remember me", "{conversation}");
    assert_eq!(second.get_json(&format!("/v1/agents/{v1_id}"), KEY).await.0, 200);
    second.server.shutdown().await;
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_snapshot_of_another_seed_is_refused_and_changes_nothing() {
    let first = Harness::start(config()).await;
    first.post_json("/teams/groups", KEY, json!({"name": "Other seed"})).await;
    let snapshot = first.server.snapshot();
    let mut other = config();
    other.seed = 99;
    let second = Harness::start(other).await;
    let error = second.server.restore(snapshot).unwrap_err();
    assert_eq!(error, RestoreError::DataMismatch { saved_seed: 7, seed: 99 });
    let (_, groups) = second.get_json("/teams/groups", KEY).await;
    assert!(!groups.to_string().contains("Other seed"));
}

#[tokio::test]
async fn writes_are_counted_and_reads_are_not() {
    let h = Harness::start(config()).await;
    let mut writes = h.server.writes();
    h.get_json("/teams/groups", KEY).await;
    assert!(!writes.has_changed().unwrap(), "a read is not a write");
    h.post_json("/teams/groups", KEY, json!({"name": "Counted"})).await;
    assert!(writes.has_changed().unwrap());
    assert_eq!(*writes.borrow_and_update(), 1);
}
