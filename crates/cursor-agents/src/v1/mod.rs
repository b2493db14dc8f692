//! Cloud Agents API v1 (`/v1/…`): durable agents with runs, a live event stream per run,
//! cancellation, archiving and artifacts. v0 ([`crate::AgentsClient`]) is unchanged beside it.
//!
//! | method | endpoint |
//! | --- | --- |
//! | [`AgentsClient::create`] / [`create_with_id`](AgentsClient::create_with_id) | `POST /v1/agents` (never retried by the core; the second is safe to repeat) |
//! | [`AgentsClient::list`] / [`list_page`](AgentsClient::list_page) / [`list_pages`](AgentsClient::list_pages) | `GET /v1/agents` (`{items, nextCursor}`) |
//! | [`AgentsClient::get`] | `GET /v1/agents/{id}` |
//! | [`AgentsClient::delete`] | `DELETE /v1/agents/{id}` |
//! | [`AgentsClient::archive`] / [`unarchive`](AgentsClient::unarchive) | `POST /v1/agents/{id}/archive`, `/unarchive` |
//! | [`AgentsClient::create_run`] | `POST /v1/agents/{id}/runs` (never retried) |
//! | [`AgentsClient::list_runs`] / [`list_runs_page`](AgentsClient::list_runs_page) / [`list_runs_pages`](AgentsClient::list_runs_pages) | `GET /v1/agents/{id}/runs` |
//! | [`AgentsClient::get_run`] | `GET /v1/agents/{id}/runs/{runId}` |
//! | [`AgentsClient::stream_run`] | `GET /v1/agents/{id}/runs/{runId}/stream` (SSE, resumes by itself) |
//! | [`AgentsClient::cancel_run`] | `POST /v1/agents/{id}/runs/{runId}/cancel` |
//! | [`AgentsClient::artifacts`] / [`artifact_download_url`](AgentsClient::artifact_download_url) | `GET /v1/agents/{id}/artifacts`, `/artifacts/download` |
//! | [`AgentsClient::usage`] | `GET /v1/agents/{id}/usage` (current documents only) |
//! | [`AgentsClient::me`], [`models`](AgentsClient::models), [`repositories`](AgentsClient::repositories) | `GET /v1/me`, `/v1/models`, `/v1/repositories` (1/min, 30/hour) |
//! | [`AgentsClient::wait_run`] | follows a run to its end (stream, else polling) |
//!
//! Errors are [`cursor_core::Error`]; [`V1ErrorExt`] names the v1 codes (`agent_busy`,
//! `agent_archived`, `run_not_cancellable`, `stream_expired`…).
//!
//! ```no_run
//! # async fn run() -> cursor_core::Result<()> {
//! use cursor_core::prelude::*;
//! use cursor_agents::v1::{AgentsClient, CreateAgent, RepoConfig, RunEventData};
//!
//! let agents = AgentsClient::new(cursor_core::Client::from_env()?);
//! let create = CreateAgent::new("Add a README with setup instructions", RepoConfig::url("https://github.com/your-org/your-repo"));
//! let created = agents.create_with_id(&create).await?;
//! let mut events = agents.stream_run(&created.agent.id, &created.run.id);
//! while let Some(event) = events.try_next().await? {
//!     if let RunEventData::Assistant(text) = &event.data {
//!         println!("{}", text.text.as_deref().unwrap_or_default());
//!     }
//! }
//! # Ok(()) }
//! ```

mod client;
pub mod endpoints;
mod errors;
mod events;
mod models;
mod query;
pub mod sse;
mod wait;

pub use client::{AgentsClient, CREATE_WITH_ID_ATTEMPTS, generate_agent_id};
pub use errors::V1ErrorExt;
pub use events::{
    CoreOpener, ErrorData, LAST_EVENT_ID_HEADER, OpenedStream, RETENTION_HEADER, ResultData, RunEvent, RunEventData,
    RunEventStream, StatusData, StreamInfo, StreamOpener, StreamOptions, TextData, ToolCallData,
};
pub use models::{
    Agent, AgentEnv, AgentPage, AgentStatus, AgentUsage, ApiKeyInfo, Artifact, ArtifactDownload, ArtifactList,
    CreatedAgent, CreatedRun, CursorPage, IdResponse, ModelList, RepoConfig, Repository, RepositoryList, Run, RunPage,
    RunStatus,
};
pub use query::{AgentsQuery, CreateAgent, CreateRun, MAX_AGENT_ID_LEN, MAX_LIMIT, ModelRef, RunsQuery};
pub use wait::{WAIT_RUN_NAME, WaitRunOptions};
