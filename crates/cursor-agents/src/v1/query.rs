//! Inputs of the Cloud Agents v1 API: the bodies that create an agent or a run, and the list
//! queries, each checked against the v1 description before anything is sent.

use cursor_core::{Error, Extra, Request, Result};
use serde::{Deserialize, Serialize};

use crate::query::{Prompt, cursor_page_setters, with_cursor_page};
use crate::v1::models::{AgentEnv, RepoConfig};

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

/// An artifact path as listed: relative, without `..`.
pub(crate) fn check_artifact_path(endpoint: &'static str, path: &str) -> Result<()> {
    if path.is_empty() || path.starts_with('/') || path.split(['/', '\\']).any(|segment| segment == "..") {
        return Err(Error::invalid_request(
            endpoint,
            format!("the artifact path must be relative, without `..`, as listed; got {path:?}"),
        ));
    }
    Ok(())
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
    prompt: Prompt,
}

impl CreateRun {
    /// A run with this follow-up instruction (text, or a [`Prompt`] with up to five images).
    pub fn new(prompt: impl Into<Prompt>) -> Self {
        Self { prompt: prompt.into() }
    }

    /// Checks the prompt (non-empty text, at most five images) before sending.
    pub(crate) fn validate(&self) -> Result<()> {
        self.prompt.validate(crate::v1::endpoints::CREATE_RUN.name)
    }
}

/// The query of `GET /v1/agents`: page size, start, and filters. Every part is optional.
///
/// ```
/// use cursor_agents::v1::AgentsQuery;
/// let query = AgentsQuery::new().page_size(50).include_archived(false);
/// assert_ne!(query, AgentsQuery::new());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AgentsQuery {
    page_size: Option<u32>,
    cursor: Option<String>,
    pr_url: Option<String>,
    include_archived: Option<bool>,
}

impl AgentsQuery {
    /// The service's defaults: the first page, 20 agents, archived ones included.
    pub fn new() -> Self {
        Self::default()
    }

    cursor_page_setters!();

    /// `prUrl`: only agents working on this pull request.
    #[must_use]
    pub fn pr_url(mut self, url: impl Into<String>) -> Self {
        self.pr_url = Some(url.into());
        self
    }

    /// `includeArchived`: include or leave out archived agents (service default true).
    #[must_use]
    pub fn include_archived(mut self, yes: bool) -> Self {
        self.include_archived = Some(yes);
        self
    }

    /// The request for this query, checked first.
    pub(crate) fn request(&self) -> Result<Request> {
        let endpoint = &crate::v1::endpoints::LIST_AGENTS;
        if self.pr_url.as_deref().is_some_and(str::is_empty) {
            return Err(Error::invalid_request(endpoint.name, "`prUrl` must not be empty when given"));
        }
        let request = with_cursor_page(Request::new(endpoint), self.page_size, self.cursor.as_deref())?;
        Ok(request.query_opt("prUrl", self.pr_url.as_deref()).query_opt("includeArchived", self.include_archived))
    }
}

/// The query of `GET /v1/agents/{id}/runs`: page size and start. Every part is optional.
///
/// ```
/// use cursor_agents::v1::RunsQuery;
/// let query = RunsQuery::new().page_size(10);
/// assert_ne!(query, RunsQuery::new());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunsQuery {
    page_size: Option<u32>,
    cursor: Option<String>,
}

impl RunsQuery {
    /// The service's defaults: the first page, 20 runs.
    pub fn new() -> Self {
        Self::default()
    }

    cursor_page_setters!();

    /// The request for this query on agent `agent_id`, checked first.
    pub(crate) fn request(&self, agent_id: &str) -> Result<Request> {
        let request = Request::new(&crate::v1::endpoints::LIST_RUNS).path_param("id", agent_id)?;
        with_cursor_page(request, self.page_size, self.cursor.as_deref())
    }
}
