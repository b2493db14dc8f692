//! Models of the Cloud Agents v1 API: agents, runs, artifacts, key info, models and
//! repositories (the inputs are in `query.rs`; a repository and an environment are both).
//! Every response model keeps fields it does not know, and every enum keeps values it does
//! not know.

use cursor_core::{Extra, NextPage, Page};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

cursor_core::string_enum! {
    /// An agent's lifecycle state. Execution status lives on runs ([`RunStatus`]).
    pub enum AgentStatus {
        /// Accepts new runs.
        Active = "ACTIVE",
        /// Readable, but refuses new runs until unarchived.
        Archived = "ARCHIVED",
    }
}

cursor_core::string_enum! {
    /// A run's status.
    pub enum RunStatus {
        /// Being set up.
        Creating = "CREATING",
        /// Working.
        Running = "RUNNING",
        /// Done.
        Finished = "FINISHED",
        /// Failed.
        Error = "ERROR",
        /// Cancelled by the user (terminal).
        Cancelled = "CANCELLED",
        /// Expired.
        Expired = "EXPIRED",
    }
}

impl RunStatus {
    /// Whether the run will not change any more: `FINISHED`, `ERROR`, `CANCELLED` or
    /// `EXPIRED`. Unknown values are not terminal.
    ///
    /// ```
    /// use cursor_agents::v1::RunStatus;
    /// assert!(RunStatus::Cancelled.is_terminal());
    /// assert!(!RunStatus::Running.is_terminal());
    /// assert!(!RunStatus::from("PAUSED").is_terminal());
    /// ```
    pub fn is_terminal(&self) -> bool {
        matches!(self, RunStatus::Finished | RunStatus::Error | RunStatus::Cancelled | RunStatus::Expired)
    }
}

/// An agent's execution environment.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AgentEnv {
    /// The environment type (`cloud`).
    #[serde(rename = "type")]
    pub kind: String,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl AgentEnv {
    /// An environment of the given type.
    pub fn new(kind: impl Into<String>) -> Self {
        Self { kind: kind.into(), extra: Extra::new() }
    }
}

/// A repository an agent works on: a URL and a starting ref, or a pull request.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RepoConfig {
    /// The GitHub repository URL; required unless `pr_url` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The branch, tag or commit to start from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_ref: Option<String>,
    /// A pull request to work on; `url` and `starting_ref` are then ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pr_url: Option<String>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl RepoConfig {
    /// A repository by URL.
    pub fn url(url: impl Into<String>) -> Self {
        Self { url: Some(url.into()), ..Self::default() }
    }

    /// A pull request by URL.
    pub fn pull_request(pr_url: impl Into<String>) -> Self {
        Self { pr_url: Some(pr_url.into()), ..Self::default() }
    }

    /// Sets the starting ref.
    #[must_use]
    pub fn starting_ref(mut self, git_ref: impl Into<String>) -> Self {
        self.starting_ref = Some(git_ref.into());
        self
    }
}

/// A v1 agent: durable metadata (listed agents carry the summary fields only; a fetched or
/// created agent adds repositories and branch settings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Agent {
    /// The agent's id (`bc-…`).
    pub id: String,
    /// A name derived from the prompt.
    pub name: String,
    /// `ACTIVE` or `ARCHIVED`.
    pub status: AgentStatus,
    /// The execution environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<AgentEnv>,
    /// The agent's page in Cursor Web.
    pub url: String,
    /// When it was created (ISO 8601, kept as sent).
    pub created_at: String,
    /// When it last changed (ISO 8601, kept as sent).
    pub updated_at: String,
    /// Its most recent run, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_run_id: Option<String>,
    /// Repositories (one entry in v1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repos: Option<Vec<RepoConfig>>,
    /// The branch the agent works on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_name: Option<String>,
    /// Whether the branch was generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_generate_branch: Option<bool>,
    /// Whether Cursor opens a pull request when a run completes.
    #[serde(default, rename = "autoCreatePR", skip_serializing_if = "Option::is_none")]
    pub auto_create_pr: Option<bool>,
    /// Whether requesting the user's review is skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_reviewer_request: Option<bool>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A run: one prompt's execution on an agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    /// The run's id (`run-…`).
    pub id: String,
    /// The agent it belongs to.
    pub agent_id: String,
    /// Its status.
    pub status: RunStatus,
    /// When it was created (ISO 8601, kept as sent).
    pub created_at: String,
    /// When it last changed (ISO 8601, kept as sent).
    pub updated_at: String,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of `POST /v1/agents`: the agent and its first run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedAgent {
    /// The agent.
    pub agent: Agent,
    /// Its first run.
    pub run: Run,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of `POST /v1/agents/{id}/runs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedRun {
    /// The new run.
    pub run: Run,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One page of a v1 list (`{items, nextCursor}`): agents or runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CursorPage<T> {
    /// The items, newest first.
    pub items: Vec<T>,
    /// The next page's cursor; absent or null on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl<T: Serialize + DeserializeOwned + Send + 'static> Page for CursorPage<T> {
    type Item = T;

    fn next_page(&self, _requested: u32) -> NextPage {
        cursor_core::next_by_cursor(self.next_cursor.as_deref())
    }

    fn into_items(self) -> Vec<T> {
        self.items
    }
}

/// One page of `GET /v1/agents`.
pub type AgentPage = CursorPage<Agent>;

/// One page of `GET /v1/agents/{id}/runs`.
pub type RunPage = CursorPage<Run>;

/// The answer of delete, archive, unarchive and cancel: the affected resource's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdResponse {
    /// The id.
    pub id: String,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A file an agent produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Artifact {
    /// Its path under the workspace's `artifacts/` directory.
    pub path: String,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// When it last changed (ISO 8601, kept as sent).
    pub updated_at: String,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /v1/agents/{id}/artifacts`: at most 100 artifacts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArtifactList {
    /// The artifacts.
    pub items: Vec<Artifact>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /v1/agents/{id}/artifacts/download`: a presigned URL, valid for 15 minutes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactDownload {
    /// The temporary download URL (it carries its own credentials: do not log it).
    pub url: String,
    /// When the URL stops working (ISO 8601, kept as sent).
    pub expires_at: String,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /v1/agents/{id}/usage`: not described by the OpenAPI file, so kept whole.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AgentUsage {
    /// Every field of the answer.
    #[serde(flatten)]
    pub fields: Extra,
}

/// `GET /v1/me`: the API key in use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyInfo {
    /// The key's name.
    pub api_key_name: String,
    /// When the key was created (ISO 8601, kept as sent).
    pub created_at: String,
    /// The owner's email (required by the v1 description; optional here to be lenient).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_email: Option<String>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /v1/models`: recommended model ids for [`CreateAgent::model`](crate::v1::CreateAgent::model).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelList {
    /// Model ids (`composer-2`, …).
    pub items: Vec<String>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A GitHub repository the user can reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repository {
    /// Its URL.
    pub url: String,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /v1/repositories`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepositoryList {
    /// The repositories.
    pub items: Vec<Repository>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}
