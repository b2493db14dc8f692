//! [`AgentsClient`]: one method per Cloud Agents endpoint, plus the agent stream.

use cursor_core::{BoxStream, Client, Error, Request, Result};

use crate::endpoints::{
    ADD_FOLLOWUP, DELETE_AGENT, GET_AGENT, GET_CONVERSATION, LAUNCH_AGENT, LIST_MODELS, LIST_REPOSITORIES, ME,
    STOP_AGENT,
};
use crate::models::{Agent, AgentId, AgentList, ApiKeyInfo, Conversation, ModelList, RepositoryList};
use crate::query::{AgentsQuery, Followup, LaunchAgent, Prompt};

/// A client for the Cloud Agents API v0. Cheap to clone; shares the core client's connection
/// pool, rate limiters and retry policy.
///
/// ```no_run
/// # async fn run() -> cursor_core::Result<()> {
/// let core = cursor_core::Client::builder().api_key("key_…").build()?;
/// let agents = cursor_agents::AgentsClient::new(core);
/// let me = agents.me().await?;
/// println!("using key {}", me.api_key_name);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct AgentsClient {
    client: Client,
}

impl AgentsClient {
    /// Wraps a core client.
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// A view of this client whose calls run with `options` (retry policy, timeout, retry
    /// classifier, idempotency override); it shares the connection pool, the rate limits and
    /// the cache.
    ///
    /// ```no_run
    /// # fn run(api: cursor_agents::AgentsClient) {
    /// use std::time::Duration;
    /// let patient = api.with_options(cursor_core::RequestOptions::new().timeout(Duration::from_secs(300)));
    /// # let _ = patient; }
    /// ```
    pub fn with_options(&self, options: cursor_core::RequestOptions) -> Self {
        Self { client: self.client.with_options(options) }
    }

    /// The core client.
    pub fn core(&self) -> &Client {
        &self.client
    }

    /// `GET /v0/agents`: one page of agents. The page size is 1–100 (service default 20);
    /// pass the previous page's `nextCursor` as `cursor` for the next one.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::AgentsClient) -> cursor_core::Result<()> {
    /// use cursor_agents::AgentsQuery;
    /// let page = agents.list_page(&AgentsQuery::new().page_size(50)).await?;
    /// if let Some(cursor) = page.next_cursor {
    ///     let next = agents.list_page(&AgentsQuery::new().page_size(50).cursor(cursor)).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_page(&self, query: &AgentsQuery) -> Result<AgentList> {
        self.client.send_json(query.request()?).await
    }

    /// `GET /v0/agents` as a stream of every agent, page after page, fetched lazily as the
    /// stream is polled. Bad input is the stream's only item.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::AgentsClient) -> cursor_core::Result<()> {
    /// use futures_util::TryStreamExt as _;
    /// let mut stream = agents.list(&cursor_agents::AgentsQuery::new().page_size(100));
    /// while let Some(agent) = stream.try_next().await? {
    ///     println!("{} {} {}", agent.id, agent.status, agent.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self, query: &AgentsQuery) -> BoxStream<Result<Agent>> {
        match query.request() {
            Ok(request) => self.client.items::<AgentList>(request),
            Err(error) => failed(error),
        }
    }

    /// `GET /v0/agents` as a stream of pages, in order, each as the server sent it (the
    /// pages [`list`](Self::list) reads), fetched lazily. Bad input is the stream's only item.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::AgentsClient) -> cursor_core::Result<()> {
    /// use futures_util::TryStreamExt as _;
    /// let mut pages = agents.list_pages(&cursor_agents::AgentsQuery::new().page_size(100));
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} agents", page.agents.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list_pages(&self, query: &AgentsQuery) -> BoxStream<Result<AgentList>> {
        match query.request() {
            Ok(request) => self.client.pages::<AgentList>(request),
            Err(error) => failed(error),
        }
    }

    /// `GET /v0/agents/{id}`: an agent's status and results.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::AgentsClient) -> cursor_core::Result<()> {
    /// let agent = agents.get("bc_abc123").await?;
    /// if agent.status.is_terminal() {
    ///     println!("{}", agent.summary.unwrap_or_default());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, id: &str) -> Result<Agent> {
        self.client.send_json(Request::new(&GET_AGENT).path_param("id", id)?).await
    }

    /// `GET /v0/agents/{id}/conversation`: the prompts and answers. A deleted agent's
    /// conversation cannot be read (`409`, see [`is_agent_gone`](crate::is_agent_gone)).
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::AgentsClient) -> cursor_core::Result<()> {
    /// for message in agents.conversation("bc_abc123").await?.messages {
    ///     println!("{}: {}", message.kind, message.text);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn conversation(&self, id: &str) -> Result<Conversation> {
        self.client.send_json(Request::new(&GET_CONVERSATION).path_param("id", id)?).await
    }

    /// `POST /v0/agents`: launches an agent. The body is checked first (see
    /// [`LaunchAgent::validate`]).
    ///
    /// **Not idempotent.** A launch is sent once: after a `5xx`, a timeout or a broken
    /// connection it is not retried, because the agent may have been created. Such a failure
    /// is [`Error::OutcomeUnknown`] (`is_outcome_unknown()`), whose message says how to find
    /// the agent (by the branch name when the launch set one). Only a `429`, when the server
    /// did nothing, is retried.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::AgentsClient) -> cursor_core::Result<()> {
    /// use cursor_agents::LaunchAgent;
    /// let launch = LaunchAgent::new("Add a README.md file with installation instructions", "https://github.com/your-org/your-repo")
    ///     .git_ref("main")
    ///     .auto_create_pr(true)
    ///     .branch_name("feature/add-readme");
    /// match agents.launch(&launch).await {
    ///     Ok(agent) => println!("launched {} ({})", agent.id, agent.status),
    ///     Err(err) if err.is_outcome_unknown() => eprintln!("check before relaunching: {err}"),
    ///     Err(err) => return Err(err),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn launch(&self, launch: &LaunchAgent) -> Result<Agent> {
        launch.validate(LAUNCH_AGENT.name)?;
        let request = Request::new(&LAUNCH_AGENT).json(&launch.wire())?;
        self.client.send_json(request).await.map_err(|error| with_launch_details(error, launch))
    }

    /// `POST /v0/agents/{id}/followup`: adds an instruction (and up to five images). A stopped
    /// agent starts running again.
    ///
    /// **Not idempotent**: not retried after it may have reached the server; such a failure
    /// is [`Error::OutcomeUnknown`] and its message says to read the conversation first.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::AgentsClient) -> cursor_core::Result<()> {
    /// use cursor_agents::Prompt;
    /// agents.followup("bc_abc123", &Prompt::new("Also add a section about troubleshooting")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn followup(&self, id: &str, prompt: &Prompt) -> Result<AgentId> {
        prompt.validate(ADD_FOLLOWUP.name)?;
        let request = Request::new(&ADD_FOLLOWUP).path_param("id", id)?.json(&Followup { prompt: prompt.clone() })?;
        self.client.send_json(request).await
    }

    /// `POST /v0/agents/{id}/stop`: pauses a running agent without deleting it; a follow-up
    /// starts it again. Only running agents can be stopped. Retried like an idempotent
    /// request (stopping twice leaves it stopped), so a retry after a lost answer may be told
    /// the agent is not running.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::AgentsClient) -> cursor_core::Result<()> {
    /// agents.stop("bc_abc123").await?;
    /// # Ok(()) }
    /// ```
    pub async fn stop(&self, id: &str) -> Result<AgentId> {
        self.client.send_json(Request::new(&STOP_AGENT).path_param("id", id)?).await
    }

    /// `DELETE /v0/agents/{id}`: deletes an agent for good. An agent already deleted or
    /// archived answers `409` (see [`is_agent_gone`](crate::is_agent_gone)). Retried like any
    /// idempotent request, so a retry after a lost answer may get that `409`: the agent is
    /// gone either way.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::AgentsClient) -> cursor_core::Result<()> {
    /// let deleted = agents.delete("bc_abc123").await?;
    /// assert_eq!(deleted.id, "bc_abc123");
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, id: &str) -> Result<AgentId> {
        self.client.send_json(Request::new(&DELETE_AGENT).path_param("id", id)?).await
    }

    /// `GET /v0/me`: the API key's name, creation time and owner's email.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::AgentsClient) -> cursor_core::Result<()> {
    /// let me = agents.me().await?;
    /// println!("{} ({})", me.api_key_name, me.user_email.as_deref().unwrap_or("no email"));
    /// # Ok(()) }
    /// ```
    pub async fn me(&self) -> Result<ApiKeyInfo> {
        self.client.send_json(Request::new(&ME)).await
    }

    /// `GET /v0/models`: the recommended models. Offer an "Auto" choice that leaves
    /// [`LaunchAgent::model`] unset.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::AgentsClient) -> cursor_core::Result<()> {
    /// let models = agents.models().await?.models;
    /// # Ok(()) }
    /// ```
    pub async fn models(&self) -> Result<ModelList> {
        self.client.send_json(Request::new(&LIST_MODELS)).await
    }

    /// `GET /v0/repositories`: the GitHub repositories the user can reach.
    ///
    /// Very strict limits (1 request/minute and 30/hour per user; the client waits for its
    /// own bucket) and slow (tens of seconds; the request timeout is 120 s). Cache the answer
    /// and cope with it being unavailable.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::AgentsClient) -> cursor_core::Result<()> {
    /// for repo in agents.repositories().await?.repositories {
    ///     println!("{}/{} {}", repo.owner, repo.name, repo.repository);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn repositories(&self) -> Result<RepositoryList> {
        self.client.send_json(Request::new(&LIST_REPOSITORIES)).await
    }
}

/// A stream whose only item is `error`: how the streams hand back input refused unsent.
pub(crate) fn failed<T: Send + 'static>(error: Error) -> BoxStream<Result<T>> {
    Box::pin(futures_util::stream::once(async move { Err(error) }))
}

/// Adds what identifies the launch (branch name, repository, prompt start) to the hint of an
/// unknown-outcome error, so the caller can find the agent it may have created.
fn with_launch_details(error: Error, launch: &LaunchAgent) -> Error {
    match error {
        Error::OutcomeUnknown { endpoint, source, hint, .. } => {
            let mut details = match launch.requested_branch() {
                Some(branch) => format!(" Look for branch name `{branch}`"),
                None => " Look for an agent".to_owned(),
            };
            details.push_str(&format!(" on repository `{}`", launch.source.repository));
            let prompt: String = launch.prompt.text.chars().take(60).collect();
            let ellipsis = if launch.prompt.text.chars().count() > 60 { "…" } else { "" };
            details.push_str(&format!(" with prompt \"{prompt}{ellipsis}\"."));
            Error::outcome_unknown(endpoint, *source, format!("{hint}.{details}"))
        }
        other => other,
    }
}

/// Whether an error is `409 Conflict`: the agent was deleted or archived, so it cannot be
/// read, followed up or deleted again. (The same as [`Error::is_conflict`], named for agents.)
///
/// ```no_run
/// # async fn run(agents: cursor_agents::AgentsClient) -> cursor_core::Result<()> {
/// match agents.conversation("bc_abc123").await {
///     Err(err) if cursor_agents::is_agent_gone(&err) => println!("the agent was deleted"),
///     other => { other?; }
/// }
/// # Ok(()) }
/// ```
pub fn is_agent_gone(error: &Error) -> bool {
    error.is_conflict()
}
