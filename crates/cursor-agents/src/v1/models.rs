//! Models of the Cloud Agents v1 API: agents, runs, artifacts, key info, models and
//! repositories, and the request bodies (creating an agent or a run, list parameters). Every
//! response model keeps fields it does not know, and every enum keeps values it does not know.

use cursor_core::{Error, Extra, NextPage, Page, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::requests::Prompt;

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

/// `GET /v1/models`: recommended model ids for [`CreateAgent::model`].
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

/// A model choice: `{"id": "composer-2"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelRef {
    /// A model id from [`AgentsClient::models`](crate::v1::AgentsClient::models).
    pub id: String,
}

/// The body of `POST /v1/agents`, checked before sending ([`CreateAgent::validate`]).
///
/// ```
/// use cursor_agents::v1::{CreateAgent, RepoConfig};
/// let create = CreateAgent::new("Add a README with setup instructions", RepoConfig::url("https://github.com/your-org/your-repo").starting_ref("main"))
///     .branch_name("feature/add-readme")
///     .auto_create_pr(true);
/// let body = serde_json::to_value(&create).unwrap();
/// assert_eq!(body["repos"][0]["startingRef"], "main");
/// assert_eq!(body["autoCreatePR"], true);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateAgent {
    /// The task (text and up to five images).
    pub prompt: Prompt,
    /// The model; absent means the configured default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<ModelRef>,
    /// Exactly one repository (v1 supports one).
    pub repos: Vec<RepoConfig>,
    /// A branch name for the agent to create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_name: Option<String>,
    /// With a pull request: create a new branch (true) or push to its head branch (false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_generate_branch: Option<bool>,
    /// Open a pull request when the run completes.
    #[serde(default, rename = "autoCreatePR", skip_serializing_if = "Option::is_none")]
    pub auto_create_pr: Option<bool>,
    /// Skip requesting the user's review on that pull request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_reviewer_request: Option<bool>,
    /// A client-chosen agent id (current documents; a clash answers `409`). See
    /// [`AgentsClient::create_with_id`](crate::v1::AgentsClient::create_with_id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// The execution environment (current documents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<AgentEnv>,
    /// The agent mode (current documents; values are not listed there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Fields to send that this SDK does not know yet.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The longest client-chosen agent id this SDK sends.
pub const MAX_AGENT_ID_LEN: usize = 128;
/// The largest `limit` of the v1 list endpoints.
pub const MAX_LIMIT: u32 = crate::MAX_LIST_LIMIT;

impl CreateAgent {
    /// An agent on one repository with a prompt.
    pub fn new(prompt: impl Into<Prompt>, repo: RepoConfig) -> Self {
        Self {
            prompt: prompt.into(),
            model: None,
            repos: vec![repo],
            branch_name: None,
            auto_generate_branch: None,
            auto_create_pr: None,
            skip_reviewer_request: None,
            agent_id: None,
            env: None,
            mode: None,
            extra: Extra::new(),
        }
    }

    /// Sets the model id.
    #[must_use]
    pub fn model(mut self, id: impl Into<String>) -> Self {
        self.model = Some(ModelRef { id: id.into() });
        self
    }

    /// Sets the branch name.
    #[must_use]
    pub fn branch_name(mut self, name: impl Into<String>) -> Self {
        self.branch_name = Some(name.into());
        self
    }

    /// Opens a pull request when the run completes.
    #[must_use]
    pub fn auto_create_pr(mut self, yes: bool) -> Self {
        self.auto_create_pr = Some(yes);
        self
    }

    /// Sets a client-chosen agent id.
    #[must_use]
    pub fn agent_id(mut self, id: impl Into<String>) -> Self {
        self.agent_id = Some(id.into());
        self
    }

    /// Sets the agent mode.
    #[must_use]
    pub fn mode(mut self, mode: impl Into<String>) -> Self {
        self.mode = Some(mode.into());
        self
    }

    /// Sets the environment.
    #[must_use]
    pub fn env(mut self, env: AgentEnv) -> Self {
        self.env = Some(env);
        self
    }

    /// Checks the body against the v1 description: a non-empty prompt with at most five
    /// images, exactly one repository with a `url` or a `prUrl`, non-empty strings where one
    /// is given, and an agent id of letters, digits, `-` and `_`.
    ///
    /// ```
    /// use cursor_agents::v1::{CreateAgent, RepoConfig};
    /// let none = CreateAgent { repos: vec![], ..CreateAgent::new("Fix it", RepoConfig::url("https://github.com/o/r")) };
    /// assert!(none.validate().unwrap_err().is_invalid_request());
    /// ```
    pub fn validate(&self) -> Result<()> {
        let endpoint = crate::v1::endpoints::CREATE_AGENT.name;
        self.prompt.validate(endpoint)?;
        if self.repos.len() != 1 {
            return Err(Error::invalid_request(
                endpoint,
                format!("v1 takes exactly one repository in `repos`; {} were given", self.repos.len()),
            ));
        }
        let repo = &self.repos[0];
        let given = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
        if !given(&repo.url) && !given(&repo.pr_url) {
            return Err(Error::invalid_request(endpoint, "the repository needs a `url` or a `prUrl`"));
        }
        for (name, value) in [
            ("repos[0].url", &repo.url),
            ("repos[0].startingRef", &repo.starting_ref),
            ("repos[0].prUrl", &repo.pr_url),
            ("branchName", &self.branch_name),
            ("mode", &self.mode),
        ] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                return Err(Error::invalid_request(endpoint, format!("`{name}` must not be empty when given")));
            }
        }
        if self.model.as_ref().is_some_and(|m| m.id.trim().is_empty()) {
            return Err(Error::invalid_request(
                endpoint,
                "`model.id` must not be empty; leave `model` out for the default",
            ));
        }
        if let Some(id) = &self.agent_id {
            check_agent_id(endpoint, id)?;
        }
        Ok(())
    }
}

pub(crate) fn check_agent_id(endpoint: &'static str, id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.len() <= MAX_AGENT_ID_LEN
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_request(
            endpoint,
            format!("an agent id is 1–{MAX_AGENT_ID_LEN} letters, digits, `-` or `_`; got {id:?}"),
        ))
    }
}

impl From<&str> for Prompt {
    fn from(text: &str) -> Self {
        Prompt::new(text)
    }
}

impl From<String> for Prompt {
    fn from(text: String) -> Self {
        Prompt::new(text)
    }
}

/// The body of `POST /v1/agents/{id}/runs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateRun {
    /// The follow-up instruction (text and up to five images).
    pub prompt: Prompt,
}

/// Parameters of `GET /v1/agents`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListAgents {
    /// Page size, 1–100 (service default 20).
    pub limit: Option<u32>,
    /// The previous page's `nextCursor`.
    pub cursor: Option<String>,
    /// Only agents working on this pull request.
    pub pr_url: Option<String>,
    /// Include archived agents (service default true).
    pub include_archived: Option<bool>,
}

impl ListAgents {
    /// Sets the page size.
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Starts at a cursor.
    #[must_use]
    pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
        self.cursor = Some(cursor.into());
        self
    }

    /// Filters by pull request.
    #[must_use]
    pub fn pr_url(mut self, url: impl Into<String>) -> Self {
        self.pr_url = Some(url.into());
        self
    }

    /// Includes or leaves out archived agents.
    #[must_use]
    pub fn include_archived(mut self, yes: bool) -> Self {
        self.include_archived = Some(yes);
        self
    }
}

/// Parameters of `GET /v1/agents/{id}/runs`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListRuns {
    /// Page size, 1–100 (service default 20).
    pub limit: Option<u32>,
    /// The previous page's `nextCursor`.
    pub cursor: Option<String>,
}

impl ListRuns {
    /// Sets the page size.
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Starts at a cursor.
    #[must_use]
    pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
        self.cursor = Some(cursor.into());
        self
    }
}
