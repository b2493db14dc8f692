//! End-to-end tests of the ten Cloud Agents endpoints through `cursor-agents` against the
//! simulator: an agent's whole life (launch, wait, conversation, follow-up, delete) with a
//! signed webhook that `cursor_agents::webhook` verifies, stopping a running agent, cursor
//! pagination of the list, and the key, model and repository lookups.

use std::collections::HashSet;
use std::time::Duration;

use cursor_agents::webhook::verify_webhook;
use cursor_agents::{AgentStatus, AgentsClient, AgentsQuery, LaunchAgent, MessageType, Prompt, WaitOptions};
use cursor_mock::{AgentTiming, MockConfig, MockServer};
use cursor_tests::{WebhookReceiver, client, json_body, query_param, requests_to, start_mock, start_mock_with};
use futures_util::TryStreamExt as _;

const REPO: &str = "https://github.com/acme-corp/web-app";
const SECRET: &str = "a-webhook-secret-of-at-least-32-characters";

fn quick_wait() -> WaitOptions {
    WaitOptions::default()
        .timeout(Duration::from_secs(10))
        .intervals(Duration::from_millis(10), Duration::from_millis(50))
}

async fn agents(key: &str) -> (MockServer, AgentsClient) {
    let server = start_mock().await;
    let agents = AgentsClient::new(client(&server, key));
    (server, agents)
}

#[tokio::test]
async fn an_agent_launches_finishes_with_a_signed_webhook_takes_a_followup_and_is_deleted() {
    let (server, agents) = agents("key_agent_life").await;
    let hook = WebhookReceiver::start().await;
    let launch =
        LaunchAgent::new("Add a README with setup steps", REPO).branch_name("docs/readme").webhook(hook.url(), SECRET);
    let agent = agents.launch(&launch).await.expect("launch");
    assert!(agent.id.starts_with("bc_"), "{}", agent.id);
    assert_eq!(agent.status, AgentStatus::Creating);
    assert_eq!(agent.source.repository.as_deref(), Some(REPO));
    let sent = json_body(&requests_to(&server, "POST", "/v0/agents")[0]);
    assert_eq!(sent["prompt"]["text"], "Add a README with setup steps");
    assert_eq!(sent["source"]["repository"], REPO);
    assert_eq!(sent["target"]["branchName"], "docs/readme");
    assert_eq!(sent["webhook"], serde_json::json!({"url": hook.url(), "secret": SECRET}));

    let done = agents.wait(&agent.id, &quick_wait().include_conversation(true)).await.expect("wait");
    assert_eq!(done.agent.status, AgentStatus::Finished);
    assert_eq!(done.agent.target.branch_name.as_deref(), Some("docs/readme"));
    let conversation = done.conversation.expect("conversation");
    assert_eq!(conversation.id, agent.id);
    assert!(conversation.messages.iter().any(|m| m.kind == MessageType::User && m.text.contains("README")));
    assert!(conversation.messages.iter().any(|m| m.kind == MessageType::Assistant));

    // The FINISHED webhook arrives signed; the SDK verifies it and refuses a wrong secret.
    let received = hook.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(received.len(), 1, "one statusChange delivery");
    let delivery =
        verify_webhook(SECRET.as_bytes(), received[0].headers.iter().map(|(k, v)| (k, v)), &received[0].body)
            .expect("a valid signature");
    assert_eq!(delivery.event.id, agent.id);
    assert_eq!(delivery.event.status, AgentStatus::Finished);
    assert!(delivery.id.is_some(), "X-Webhook-ID");
    let header = |name: &str| received[0].headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    assert_eq!(header("x-webhook-event"), Some("statusChange"));
    assert_eq!(header("user-agent"), Some("Cursor-Agent-Webhook/1.0"));
    let forged = "b".repeat(40);
    assert!(
        verify_webhook(forged.as_bytes(), received[0].headers.iter().map(|(k, v)| (k, v)), &received[0].body).is_err()
    );
    assert!(server.webhook_deliveries().iter().any(|d| d.agent_id == agent.id && d.delivered));

    // A follow-up restarts the run; it ends again and shows in the conversation.
    let followup = agents.followup(&agent.id, &Prompt::new("Also add a license section")).await.expect("followup");
    assert_eq!(followup.id, agent.id);
    let again = agents.wait(&agent.id, &quick_wait()).await.expect("wait again");
    assert_eq!(again.agent.status, AgentStatus::Finished);
    let conversation = agents.conversation(&agent.id).await.expect("conversation");
    assert!(conversation.messages.iter().any(|m| m.text.contains("license section")));

    let deleted = agents.delete(&agent.id).await.expect("delete");
    assert_eq!(deleted.id, agent.id);
    // The OpenAPI answers a deleted agent 404 on GET and 409 ("deleted or archived") on the
    // conversation, follow-ups and delete.
    let gone = agents.get(&agent.id).await.expect_err("deleted");
    assert!(gone.is_not_found(), "{gone}");
    let gone = agents.conversation(&agent.id).await.expect_err("deleted");
    assert!(cursor_agents::is_agent_gone(&gone), "{gone}");
    let gone = agents.followup(&agent.id, &Prompt::new("Anything else?")).await.expect_err("deleted");
    assert!(cursor_agents::is_agent_gone(&gone), "{gone}");
    let gone = agents.delete(&agent.id).await.expect_err("already deleted");
    assert!(cursor_agents::is_agent_gone(&gone), "{gone}");
}

#[tokio::test]
async fn a_failing_run_ends_in_error_and_announces_it() {
    let (_server, agents) = agents("key_agent_error").await;
    let hook = WebhookReceiver::start().await;
    let launch = LaunchAgent::new("Refactor everything [mock:error]", REPO).webhook(hook.url(), SECRET);
    let agent = agents.launch(&launch).await.expect("launch");
    let done = agents.wait(&agent.id, &quick_wait()).await.expect("wait");
    assert_eq!(done.agent.status, AgentStatus::Error);
    let received = hook.wait_for(1, Duration::from_secs(5)).await;
    let delivery =
        verify_webhook(SECRET.as_bytes(), received[0].headers.iter().map(|(k, v)| (k, v)), &received[0].body)
            .expect("signed");
    assert_eq!(delivery.event.status, AgentStatus::Error);
}

#[tokio::test]
async fn a_running_agent_can_be_stopped() {
    let config = MockConfig {
        agent_timing: AgentTiming { creating: Duration::ZERO, running: Duration::from_secs(3600) },
        ..MockConfig::for_tests()
    };
    let server = start_mock_with(config).await;
    let agents = AgentsClient::new(client(&server, "key_agent_stop"));
    let agent = agents.launch(&LaunchAgent::new("Long task", REPO)).await.expect("launch");
    let running = agents.get(&agent.id).await.expect("get");
    assert!(matches!(running.status, AgentStatus::Creating | AgentStatus::Running), "{:?}", running.status);
    let stopped = agents.stop(&agent.id).await.expect("stop");
    assert_eq!(stopped.id, agent.id);
    let after = agents.get(&agent.id).await.expect("get");
    assert!(!matches!(after.status, AgentStatus::Creating | AgentStatus::Running), "{:?}", after.status);
    assert_eq!(requests_to(&server, "POST", &format!("/v0/agents/{}/stop", agent.id)).len(), 1);
}

#[tokio::test]
async fn the_agent_list_pages_by_cursor_with_each_agent_once() {
    let (server, agents) = agents("key_agent_list").await;
    let first = agents.list_page(&AgentsQuery::new().page_size(20)).await.expect("first page");
    assert_eq!(first.agents.len(), 20);
    let cursor = first.next_cursor.clone().expect("more pages");
    let all: Vec<_> = agents.list(&AgentsQuery::new().page_size(20)).try_collect().await.expect("all");
    let ids: HashSet<_> = all.iter().map(|a| a.id.clone()).collect();
    assert_eq!(ids.len(), all.len(), "an agent came twice");
    assert!(all.len() >= 45, "the team starts with 45 agents: {}", all.len());
    let sent = requests_to(&server, "GET", "/v0/agents");
    assert_eq!(sent.len() - 1, all.len().div_ceil(20));
    assert_eq!(query_param(&sent[2], "cursor"), Some(cursor));
    assert_eq!(query_param(&sent[1], "cursor"), None);
    // The page stream yields the same agents, page by page, in the same order.
    let pages: Vec<_> = agents.list_pages(&AgentsQuery::new().page_size(20)).try_collect().await.expect("pages");
    assert_eq!(pages[0].agents.len(), 20);
    assert_eq!(pages.len(), all.len().div_ceil(20));
    let paged: Vec<_> = pages.iter().flat_map(|p| p.agents.iter().map(|a| a.id.clone())).collect();
    assert_eq!(paged, all.iter().map(|a| a.id.clone()).collect::<Vec<_>>());
}

#[tokio::test]
async fn me_names_the_key() {
    let (_server, agents) = agents("key_agent_me").await;
    let me = agents.me().await.expect("me");
    assert!(!me.api_key_name.is_empty());
    assert!(!me.created_at.is_empty());
    assert!(me.user_email.is_some_and(|e| e.contains('@')));
}

#[tokio::test]
async fn models_are_listed_and_one_can_launch() {
    let (server, agents) = agents("key_agent_models").await;
    let models = agents.models().await.expect("models");
    assert!(!models.models.is_empty());
    let agent = agents
        .launch(&LaunchAgent::new("Fix the flaky test", REPO).model(models.models[0].clone()))
        .await
        .expect("launch");
    assert!(agent.id.starts_with("bc_"));
    assert_eq!(json_body(&requests_to(&server, "POST", "/v0/agents")[0])["model"], models.models[0].as_str());
}

#[tokio::test]
async fn repositories_are_listed_with_urls() {
    let (_server, agents) = agents("key_agent_repositories").await;
    let repositories = agents.repositories().await.expect("repositories");
    assert!(!repositories.repositories.is_empty());
    for repo in &repositories.repositories {
        assert_eq!(repo.repository, format!("https://github.com/{}/{}", repo.owner, repo.name));
    }
}

#[tokio::test]
async fn a_short_webhook_secret_is_refused_before_sending() {
    let (server, agents) = agents("key_agent_short_secret").await;
    let launch = LaunchAgent::new("Anything", REPO).webhook("http://127.0.0.1:9/hook", "too-short");
    let error = agents.launch(&launch).await.expect_err("refused");
    assert!(error.is_invalid_request(), "{error}");
    assert!(server.journal().is_empty());
}

#[tokio::test]
async fn a_list_limit_over_100_is_refused_before_sending() {
    let (server, agents) = agents("key_agent_limit").await;
    let error = agents.list_page(&AgentsQuery::new().page_size(101)).await.expect_err("refused");
    assert!(error.is_invalid_request(), "{error}");
    assert!(server.journal().is_empty());
}
