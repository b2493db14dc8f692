//! The documents' and the OpenAPI file's examples decode and re-serialize losslessly, also with
//! unknown fields added and with optional fields removed; statuses keep unknown values.

mod common;

use common::*;
use cursor_agents::webhook::WebhookEvent;
use cursor_agents::{
    Agent, AgentId, AgentList, AgentStatus, ApiKeyInfo, Conversation, Followup, LaunchAgent, MessageType, ModelList,
    RepositoryList, WebhookConfig,
};
use cursor_core::testing::{assert_lossless, assert_round_trips, with_unknown_fields, without_keys};

const AGENT_OPTIONAL: &[&str] =
    &["summary", "ref", "branchName", "prUrl", "autoCreatePr", "openAsCursorGithubApp", "skipReviewerRequest"];

#[test]
fn list_agents_example() {
    let list: AgentList = assert_round_trips(fixture("agents/list"), AGENT_OPTIONAL);
    assert_eq!(list.agents.len(), 2);
    assert_eq!(list.next_cursor.as_deref(), Some("bc_ghi789"));
    assert_eq!(list.agents[0].status, AgentStatus::Finished);
    assert_eq!(list.agents[1].status, AgentStatus::Running);
    assert_eq!(list.agents[1].target.pr_url, None);
    assert_eq!(list.agents[1].target.open_as_cursor_github_app, Some(true));
    assert_lossless::<AgentList>(&without_keys(fixture("agents/list"), &["nextCursor"]));
}

#[test]
fn agent_example() {
    let agent: Agent = assert_round_trips(fixture("agents/get"), AGENT_OPTIONAL);
    assert_eq!(agent.id, "bc_abc123");
    assert_eq!(agent.source.git_ref.as_deref(), Some("main"));
    assert_eq!(agent.target.branch_name.as_deref(), Some("cursor/add-readme-1234"));
    assert_eq!(agent.summary.as_deref(), Some("Added README.md with installation instructions and usage examples"));
    let created = agent.created_at_time().expect("RFC 3339");
    assert_eq!(created.unix_timestamp(), 1_705_314_600);
    let stripped: Agent = serde_json::from_str(&without_keys(fixture("agents/get"), AGENT_OPTIONAL)).unwrap();
    assert_eq!(stripped.summary, None);
    assert_eq!(stripped.target.auto_create_pr, None);
}

#[test]
fn launch_response_example() {
    let agent: Agent = assert_round_trips(fixture("agents/launch"), AGENT_OPTIONAL);
    assert_eq!(agent.status, AgentStatus::Creating);
    assert!(!agent.status.is_terminal());
}

#[test]
fn conversation_example() {
    let conversation: Conversation = assert_lossless(&with_unknown_fields(fixture("agents/conversation")));
    assert_lossless::<Conversation>(fixture("agents/conversation"));
    assert_eq!(conversation.messages.len(), 5);
    assert_eq!(conversation.messages[0].kind, MessageType::User);
    assert_eq!(conversation.messages[1].kind, MessageType::Assistant);
    assert!(conversation.messages[2].text.contains("\n- Installation instructions"));
    let future: Conversation =
        assert_lossless(r#"{"id":"bc_1","messages":[{"id":"m","type":"tool_message","text":"ran tests"}]}"#);
    assert_eq!(future.messages[0].kind, MessageType::Unknown("tool_message".into()));
}

#[test]
fn id_answers_of_followup_stop_and_delete() {
    let id: AgentId = assert_lossless(fixture("agents/followup"));
    assert_eq!(id.id, "bc_abc123");
    assert_lossless::<AgentId>(&with_unknown_fields(fixture("agents/followup")));
}

#[test]
fn me_example() {
    let me: ApiKeyInfo = assert_round_trips(fixture("agents/me"), &["userEmail"]);
    assert_eq!(me.api_key_name, "Production API Key");
    assert_eq!(me.user_email.as_deref(), Some("developer@example.com"));
    assert!(me.created_at_time().is_some());
}

#[test]
fn models_and_repositories_examples() {
    let models: ModelList = assert_lossless(fixture("agents/models"));
    assert_lossless::<ModelList>(&with_unknown_fields(fixture("agents/models")));
    assert_eq!(models.models, ["claude-4-sonnet-thinking", "o3", "claude-4-opus-thinking"]);
    let repos: RepositoryList = assert_lossless(fixture("agents/repositories"));
    assert_lossless::<RepositoryList>(&with_unknown_fields(fixture("agents/repositories")));
    assert_eq!(repos.repositories.len(), 3);
    assert_eq!(repos.repositories[2].owner, "your-username");
    assert_eq!(repos.repositories[2].repository, "https://github.com/your-username/personal-project");
}

#[test]
fn every_status_and_unknown_ones_round_trip() {
    for (text, status, terminal) in [
        ("CREATING", AgentStatus::Creating, false),
        ("RUNNING", AgentStatus::Running, false),
        ("FINISHED", AgentStatus::Finished, true),
        ("ERROR", AgentStatus::Error, true),
        ("EXPIRED", AgentStatus::Expired, true),
        ("PAUSED", AgentStatus::Unknown("PAUSED".into()), false),
    ] {
        let agent: Agent = assert_lossless(&agent_json("bc_1", text));
        assert_eq!(agent.status, status);
        assert_eq!(agent.status.is_terminal(), terminal, "{text}");
    }
}

#[test]
fn documented_request_bodies_round_trip() {
    let launch: LaunchAgent = assert_lossless(fixture("agents/launch.request"));
    assert_eq!(launch.prompt.images.len(), 1);
    assert_eq!(launch.requested_branch(), Some("feature/add-readme"));
    launch.validate("test").expect("the documented launch is valid");
    let followup: Followup = assert_lossless(fixture("agents/followup.request"));
    assert_eq!(followup.prompt.text, "Also add a section about troubleshooting");
    let webhook: WebhookConfig = assert_lossless(fixture("agents/launch.request.webhook"));
    assert_eq!(webhook.secret.as_deref().map(str::len), Some(45));
}

#[test]
fn webhook_payload_example() {
    let event: WebhookEvent =
        assert_round_trips(fixture("agents/webhook.status_change"), &["timestamp", "source", "target", "summary"]);
    assert_eq!(event.id, "bc_abc123");
    assert_eq!(event.status, AgentStatus::Finished);
    assert_eq!(
        event.target.as_ref().and_then(|t| t.pr_url.as_deref()),
        Some("https://github.com/your-org/your-repo/pull/1234")
    );
    assert!(event.timestamp_time().is_some());
    let minimal: WebhookEvent = assert_lossless(r#"{"id":"bc_1","status":"ERROR"}"#);
    assert_eq!(minimal.event, None);
    assert_eq!(minimal.summary, None);
}
