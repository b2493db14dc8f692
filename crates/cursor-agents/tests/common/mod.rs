//! Shared test helpers: clients pointed at a mock server, and the documents' example JSON.

#![allow(dead_code)]

use std::time::Duration;

use cursor_agents::AgentsClient;
use cursor_core::RetryPolicy;
use cursor_core::testing::loopback_client;

/// `Basic base64("key_test:")`.
pub const AUTH: &str = "Basic a2V5X3Rlc3Q6";

/// A client with no client-side limits and no retries.
pub fn client(base_url: &str) -> AgentsClient {
    client_with(base_url, RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }, Duration::from_secs(10))
}

/// A client with a retry policy and timeout of the test's choosing.
pub fn client_with(base_url: &str, retry: RetryPolicy, timeout: Duration) -> AgentsClient {
    let core = loopback_client(base_url).retry_policy(retry).timeout(timeout).build().expect("client");
    AgentsClient::new(core)
}

/// A retry policy that retries quickly, without jitter.
pub fn fast_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        jitter: cursor_core::Jitter::None,
        ..RetryPolicy::default()
    }
}

pub const LIST_AGENTS: &str = r#"{
  "agents": [
    {
      "id": "bc_abc123",
      "name": "Add README Documentation",
      "status": "FINISHED",
      "source": {"repository": "https://github.com/your-org/your-repo", "ref": "main"},
      "target": {
        "branchName": "cursor/add-readme-1234",
        "url": "https://cursor.com/agents?id=bc_abc123",
        "prUrl": "https://github.com/your-org/your-repo/pull/1234",
        "autoCreatePr": false,
        "openAsCursorGithubApp": false,
        "skipReviewerRequest": false
      },
      "summary": "Added README.md with installation instructions and usage examples",
      "createdAt": "2024-01-15T10:30:00Z"
    },
    {
      "id": "bc_def456",
      "name": "Fix authentication bug",
      "status": "RUNNING",
      "source": {"repository": "https://github.com/your-org/your-repo", "ref": "main"},
      "target": {
        "branchName": "cursor/fix-auth-5678",
        "url": "https://cursor.com/agents?id=bc_def456",
        "autoCreatePr": true,
        "openAsCursorGithubApp": true,
        "skipReviewerRequest": false
      },
      "createdAt": "2024-01-15T11:45:00Z"
    }
  ],
  "nextCursor": "bc_ghi789"
}"#;

pub const AGENT: &str = r#"{
  "id": "bc_abc123",
  "name": "Add README Documentation",
  "status": "FINISHED",
  "source": {"repository": "https://github.com/your-org/your-repo", "ref": "main"},
  "target": {
    "branchName": "cursor/add-readme-1234",
    "url": "https://cursor.com/agents?id=bc_abc123",
    "prUrl": "https://github.com/your-org/your-repo/pull/1234",
    "autoCreatePr": false,
    "openAsCursorGithubApp": false,
    "skipReviewerRequest": false
  },
  "summary": "Added README.md with installation instructions and usage examples",
  "createdAt": "2024-01-15T10:30:00Z"
}"#;

pub const CONVERSATION: &str = r#"{
  "id": "bc_abc123",
  "messages": [
    {"id": "msg_001", "type": "user_message", "text": "Add a README.md file with installation instructions"},
    {"id": "msg_002", "type": "assistant_message", "text": "I'll help you create a comprehensive README.md file with installation instructions. Let me start by analyzing your project structure..."},
    {"id": "msg_003", "type": "assistant_message", "text": "I've created a README.md file with the following sections:\n- Project overview\n- Installation instructions\n- Usage examples\n- Configuration options"},
    {"id": "msg_004", "type": "user_message", "text": "Also add a section about troubleshooting"},
    {"id": "msg_005", "type": "assistant_message", "text": "I've added a troubleshooting section to the README with common issues and solutions."}
  ]
}"#;

pub const LAUNCH_REQUEST: &str = r#"{
  "prompt": {
    "text": "Add a README.md file with installation instructions",
    "images": [
      {"data": "iVBORw0KGgoAAAANSUhEUgAA...", "dimension": {"width": 1024, "height": 768}}
    ]
  },
  "source": {"repository": "https://github.com/your-org/your-repo", "ref": "main"},
  "target": {"autoCreatePr": true, "branchName": "feature/add-readme"}
}"#;

pub const LAUNCH_RESPONSE: &str = r#"{
  "id": "bc_abc123",
  "name": "Add README Documentation",
  "status": "CREATING",
  "source": {"repository": "https://github.com/your-org/your-repo", "ref": "main"},
  "target": {
    "branchName": "feature/add-readme",
    "url": "https://cursor.com/agents?id=bc_abc123",
    "autoCreatePr": true,
    "openAsCursorGithubApp": false,
    "skipReviewerRequest": false
  },
  "createdAt": "2024-01-15T10:30:00Z"
}"#;

pub const FOLLOWUP_REQUEST: &str = r#"{
  "prompt": {
    "text": "Also add a section about troubleshooting",
    "images": [
      {"data": "iVBORw0KGgoAAAANSUhEUgAA...", "dimension": {"width": 1024, "height": 768}}
    ]
  }
}"#;

pub const AGENT_ID: &str = r#"{"id": "bc_abc123"}"#;

pub const ME: &str = r#"{
  "apiKeyName": "Production API Key",
  "createdAt": "2024-01-15T10:30:00Z",
  "userEmail": "developer@example.com"
}"#;

pub const MODELS: &str = r#"{"models": ["claude-4-sonnet-thinking", "o3", "claude-4-opus-thinking"]}"#;

pub const REPOSITORIES: &str = r#"{
  "repositories": [
    {"owner": "your-org", "name": "your-repo", "repository": "https://github.com/your-org/your-repo"},
    {"owner": "your-org", "name": "another-repo", "repository": "https://github.com/your-org/another-repo"},
    {"owner": "your-username", "name": "personal-project", "repository": "https://github.com/your-username/personal-project"}
  ]
}"#;

pub const WEBHOOK_PAYLOAD: &str = r#"{
  "event": "statusChange",
  "timestamp": "2024-01-15T10:30:00Z",
  "id": "bc_abc123",
  "status": "FINISHED",
  "source": {"repository": "https://github.com/your-org/your-repo", "ref": "main"},
  "target": {
    "url": "https://cursor.com/agents?id=bc_abc123",
    "branchName": "cursor/add-readme-1234",
    "prUrl": "https://github.com/your-org/your-repo/pull/1234"
  },
  "summary": "Added README.md with installation instructions"
}"#;

/// The OpenAPI file's example webhook settings (secret of exactly the documented minimum).
pub const OPENAPI_WEBHOOK: &str = r#"{"url": "https://example.com/webhooks/cursor-agent", "secret": "your-webhook-secret-key-minimum-32-characters"}"#;

/// An agent with the given id and status, as `GET /v0/agents/{id}` answers.
pub fn agent_json(id: &str, status: &str) -> String {
    serde_json::json!({
        "id": id,
        "name": "Add README Documentation",
        "status": status,
        "source": {"repository": "https://github.com/your-org/your-repo", "ref": "main"},
        "target": {"url": format!("https://cursor.com/agents?id={id}")},
        "createdAt": "2024-01-15T10:30:00Z"
    })
    .to_string()
}
