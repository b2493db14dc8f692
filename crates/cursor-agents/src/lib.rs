//! Typed client for the Cursor Cloud Agents API v0 (`/v0/…`), with waiting and webhook
//! verification, built on [`cursor_core`].
//!
//! | method | endpoint |
//! | --- | --- |
//! | [`AgentsClient::list`] / [`list_page`](AgentsClient::list_page) / [`list_pages`](AgentsClient::list_pages) | `GET /v0/agents` (`limit` 1–100, `cursor`) |
//! | [`AgentsClient::get`] | `GET /v0/agents/{id}` |
//! | [`AgentsClient::conversation`] | `GET /v0/agents/{id}/conversation` |
//! | [`AgentsClient::launch`] | `POST /v0/agents` (never retried once it may have been sent) |
//! | [`AgentsClient::followup`] | `POST /v0/agents/{id}/followup` (never retried either) |
//! | [`AgentsClient::stop`] | `POST /v0/agents/{id}/stop` |
//! | [`AgentsClient::delete`] | `DELETE /v0/agents/{id}` |
//! | [`AgentsClient::me`] | `GET /v0/me` |
//! | [`AgentsClient::models`] | `GET /v0/models` |
//! | [`AgentsClient::repositories`] | `GET /v0/repositories` (1/min, 30/hour, slow) |
//! | [`AgentsClient::wait`] | polls `GET /v0/agents/{id}` until the agent is done |
//!
//! Authentication is Basic with the API key as the user name (the OpenAPI file says Bearer;
//! the overview documents Basic for every API). Errors are [`cursor_core::Error`]; an agent
//! that was deleted or archived answers `409` ([`is_agent_gone`]).
//!
//! ```no_run
//! # async fn run() -> cursor_core::Result<()> {
//! use cursor_agents::{AgentsClient, LaunchAgent, WaitOptions};
//!
//! let agents = AgentsClient::new(cursor_core::Client::from_env()?);
//! let launch = LaunchAgent::new("Add a README.md file with installation instructions", "https://github.com/your-org/your-repo")
//!     .git_ref("main")
//!     .branch_name("feature/add-readme")
//!     .auto_create_pr(true);
//! let agent = agents.launch(&launch).await?;
//! let done = agents.wait(&agent.id, &WaitOptions::default()).await?;
//! println!("{}: {}", done.agent.status, done.agent.summary.unwrap_or_default());
//! # Ok(()) }
//! ```
//!
//! Webhooks: see [`webhook`] for verifying deliveries (`X-Webhook-Signature`) and reading
//! their `statusChange` payload.
//!
//! The v1 API (agents with runs, a resuming event stream, cancel, archive, artifacts) is in
//! [`v1`].

mod client;
pub mod endpoints;
mod models;
mod query;
pub mod v1;
mod wait;
pub mod webhook;

pub use client::{AgentsClient, is_agent_gone};
pub use endpoints::ENDPOINTS;
pub use models::{
    Agent, AgentId, AgentList, AgentSource, AgentStatus, AgentTarget, ApiKeyInfo, Conversation, Message, MessageType,
    ModelList, Repository, RepositoryList,
};
pub use query::{
    AgentsQuery, Followup, Image, ImageDimension, LaunchAgent, LaunchSource, LaunchTarget, MAX_IMAGES, MAX_LIST_LIMIT,
    MAX_WEBHOOK_SECRET_LEN, MAX_WEBHOOK_URL_LEN, MIN_WEBHOOK_SECRET_LEN, Prompt, WebhookConfig,
};
pub use wait::{WAIT_NAME, WaitOptions, WaitOutcome};
