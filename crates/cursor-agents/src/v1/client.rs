//! [`AgentsClient`] for v1: one method per endpoint, the agent and run lists as streams, the
//! run's live events, and a create that is safe to repeat.

use std::sync::Arc;
use std::time::Duration;

use cursor_core::{BoxStream, Client, Request, Result};

use crate::client::failed;
use crate::v1::endpoints::{
    AGENT_USAGE, ARCHIVE_AGENT, CANCEL_RUN, CREATE_AGENT, CREATE_RUN, DELETE_AGENT, DOWNLOAD_ARTIFACT, GET_AGENT,
    GET_RUN, LIST_ARTIFACTS, LIST_MODELS, LIST_REPOSITORIES, ME, UNARCHIVE_AGENT,
};
use crate::v1::events::{CoreOpener, RunEventStream, StreamOpener, StreamOptions};
use crate::v1::models::{
    Agent, AgentPage, AgentUsage, ApiKeyInfo, ArtifactDownload, ArtifactList, CreatedAgent, CreatedRun, IdResponse,
    ModelList, RepositoryList, Run, RunPage,
};
use crate::v1::query::{AgentsQuery, CreateAgent, CreateRun, RunsQuery, check_agent_id, check_artifact_path};

/// How many times [`AgentsClient::create_with_id`] sends the same create when each outcome
/// is unknown.
pub const CREATE_WITH_ID_ATTEMPTS: u32 = 3;

/// A client for the Cloud Agents API v1. Cheap to clone; shares the core client's connection
/// pool, rate limiters (the same `CloudAgents` buckets as v0) and retry policy.
///
/// ```no_run
/// # async fn run() -> cursor_core::Result<()> {
/// let agents = cursor_agents::v1::AgentsClient::new(cursor_core::Client::from_env()?);
/// println!("using key {}", agents.me().await?.api_key_name);
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
    /// # fn run(api: cursor_agents::v1::AgentsClient) {
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

    /// `POST /v1/agents`: creates an agent and enqueues its first run. The body is checked
    /// first ([`CreateAgent::validate`]).
    ///
    /// **Not idempotent.** Sent once: after a `5xx`, a timeout or a broken connection it is
    /// not retried (a second send could create a second agent) and fails with
    /// [`Error::OutcomeUnknown`](cursor_core::Error::OutcomeUnknown). Only a `429` is retried. To be able to repeat safely, use
    /// [`create_with_id`](Self::create_with_id).
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// use cursor_agents::v1::{CreateAgent, RepoConfig};
    /// let create = CreateAgent::new("Add a README", RepoConfig::url("https://github.com/your-org/your-repo"));
    /// match agents.create(&create).await {
    ///     Ok(created) => println!("agent {} run {}", created.agent.id, created.run.id),
    ///     Err(err) if err.is_outcome_unknown() => eprintln!("check before creating again: {err}"),
    ///     Err(err) => return Err(err),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, create: &CreateAgent) -> Result<CreatedAgent> {
        create.validate()?;
        self.client.send_json(Request::new(&CREATE_AGENT).json(create)?).await
    }

    /// `POST /v1/agents` with a client-chosen agent id, safe to repeat.
    ///
    /// Uses `create.agent_id`, or generates one (`bc-` and a random UUID) when it is unset.
    /// The request is still never retried by the core; instead, when its outcome is unknown,
    /// this method sends the same body again (up to [`CREATE_WITH_ID_ATTEMPTS`] in all): the
    /// server refuses a second agent with the same id (`409`). A `409` therefore means the
    /// agent exists — created by an earlier attempt, or by an earlier call with the same id —
    /// and the method fetches it and its latest run and returns them instead. So calling it
    /// again with the same id after a crash or an unknown outcome never creates two agents;
    /// it returns the one that exists (whatever prompt created it).
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// use cursor_agents::v1::{CreateAgent, RepoConfig};
    /// let create = CreateAgent::new("Add a README", RepoConfig::url("https://github.com/your-org/your-repo"))
    ///     .agent_id("bc-readme-2026-12-01");
    /// let created = agents.create_with_id(&create).await?;
    /// assert_eq!(created.agent.id, "bc-readme-2026-12-01");
    /// # Ok(()) }
    /// ```
    pub async fn create_with_id(&self, create: &CreateAgent) -> Result<CreatedAgent> {
        let mut body = create.clone();
        let id = body.agent_id.get_or_insert_with(generate_agent_id).clone();
        body.validate()?;
        let mut attempt = 1;
        loop {
            match self.client.send_json::<CreatedAgent>(Request::new(&CREATE_AGENT).json(&body)?).await {
                Ok(created) => return Ok(created),
                Err(error) if error.is_conflict() => {
                    return match self.existing(&id).await {
                        Some(found) => Ok(found),
                        None => Err(error),
                    };
                }
                Err(error) if error.is_outcome_unknown() && attempt < CREATE_WITH_ID_ATTEMPTS => {
                    tokio::time::sleep(Duration::from_millis(250).saturating_mul(attempt)).await;
                    attempt += 1;
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// The agent `id` and its latest run, when both can be read.
    async fn existing(&self, id: &str) -> Option<CreatedAgent> {
        let agent = self.get(id).await.ok()?;
        let run = match &agent.latest_run_id {
            Some(run_id) => self.get_run(id, run_id).await.ok()?,
            None => self.list_runs_page(id, &RunsQuery::new().page_size(1)).await.ok()?.items.into_iter().next()?,
        };
        Some(CreatedAgent { agent, run, extra: Default::default() })
    }

    /// `GET /v1/agents`: one page of agents, newest first.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// use cursor_agents::v1::AgentsQuery;
    /// let page = agents.list_page(&AgentsQuery::new().page_size(50).include_archived(false)).await?;
    /// println!("{} agents, more: {}", page.items.len(), page.next_cursor.is_some());
    /// # Ok(()) }
    /// ```
    pub async fn list_page(&self, query: &AgentsQuery) -> Result<AgentPage> {
        self.client.send_json(query.request()?).await
    }

    /// `GET /v1/agents` as a stream of every agent, page after page, fetched lazily. Bad
    /// input is the stream's only item.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// use cursor_core::prelude::*;
    /// let mut stream = agents.list(&cursor_agents::v1::AgentsQuery::new().page_size(100));
    /// while let Some(agent) = stream.try_next().await? {
    ///     println!("{} {} {}", agent.id, agent.status, agent.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list(&self, query: &AgentsQuery) -> BoxStream<Result<Agent>> {
        match query.request() {
            Ok(request) => self.client.items::<AgentPage>(request),
            Err(error) => failed(error),
        }
    }

    /// `GET /v1/agents` as a stream of pages, in order, each as the server sent it (the
    /// pages [`list`](Self::list) reads), fetched lazily. Bad input is the stream's only item.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// use cursor_core::prelude::*;
    /// let mut pages = agents.list_pages(&cursor_agents::v1::AgentsQuery::new().page_size(100));
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} agents", page.items.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list_pages(&self, query: &AgentsQuery) -> BoxStream<Result<AgentPage>> {
        match query.request() {
            Ok(request) => self.client.pages::<AgentPage>(request),
            Err(error) => failed(error),
        }
    }

    /// `GET /v1/agents/{id}`: an agent's metadata (its runs carry the execution status).
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// let agent = agents.get("bc-123").await?;
    /// println!("{} latest run {:?}", agent.status, agent.latest_run_id);
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, id: &str) -> Result<Agent> {
        self.client.send_json(Request::new(&GET_AGENT).path_param("id", id)?).await
    }

    /// `DELETE /v1/agents/{id}`: deletes an agent for good (prefer [`archive`](Self::archive)
    /// for a reversible removal).
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// agents.delete("bc-123").await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, id: &str) -> Result<IdResponse> {
        self.client.send_json(Request::new(&DELETE_AGENT).path_param("id", id)?).await
    }

    /// `POST /v1/agents/{id}/archive`: the agent stays readable but refuses new runs
    /// (`409 agent_archived`) until unarchived. Safe to repeat.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// agents.archive("bc-123").await?;
    /// # Ok(()) }
    /// ```
    pub async fn archive(&self, id: &str) -> Result<IdResponse> {
        self.client.send_json(Request::new(&ARCHIVE_AGENT).path_param("id", id)?).await
    }

    /// `POST /v1/agents/{id}/unarchive`: the agent accepts runs again. Safe to repeat.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// agents.unarchive("bc-123").await?;
    /// # Ok(()) }
    /// ```
    pub async fn unarchive(&self, id: &str) -> Result<IdResponse> {
        self.client.send_json(Request::new(&UNARCHIVE_AGENT).path_param("id", id)?).await
    }

    /// `POST /v1/agents/{id}/runs`: sends a follow-up prompt as a new run. One run at a time:
    /// while one is active the answer is `409 agent_busy`; an archived agent answers `409
    /// agent_archived` (see [`V1ErrorExt`](crate::v1::V1ErrorExt)).
    ///
    /// **Not idempotent**: not retried after it may have reached the server
    /// ([`Error::OutcomeUnknown`](cursor_core::Error::OutcomeUnknown); list the runs before sending again).
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// use cursor_agents::v1::CreateRun;
    /// let run = agents.create_run("bc-123", &CreateRun::new("Also add a troubleshooting section")).await?.run;
    /// # Ok(()) }
    /// ```
    pub async fn create_run(&self, agent_id: &str, create: &CreateRun) -> Result<CreatedRun> {
        create.validate()?;
        self.client.send_json(Request::new(&CREATE_RUN).path_param("id", agent_id)?.json(create)?).await
    }

    /// `GET /v1/agents/{id}/runs`: one page of an agent's runs, newest first.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// let page = agents.list_runs_page("bc-123", &cursor_agents::v1::RunsQuery::new().page_size(10)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn list_runs_page(&self, agent_id: &str, query: &RunsQuery) -> Result<RunPage> {
        self.client.send_json(query.request(agent_id)?).await
    }

    /// `GET /v1/agents/{id}/runs` as a stream of every run, fetched lazily. Bad input is the
    /// stream's only item.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// use cursor_core::prelude::*;
    /// let runs: Vec<_> = agents.list_runs("bc-123", &Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn list_runs(&self, agent_id: &str, query: &RunsQuery) -> BoxStream<Result<Run>> {
        match query.request(agent_id) {
            Ok(request) => self.client.items::<RunPage>(request),
            Err(error) => failed(error),
        }
    }

    /// `GET /v1/agents/{id}/runs` as a stream of pages, in order, each as the server sent it
    /// (the pages [`list_runs`](Self::list_runs) reads), fetched lazily. Bad input is the
    /// stream's only item.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// use cursor_core::prelude::*;
    /// let mut pages = agents.list_runs_pages("bc-123", &cursor_agents::v1::RunsQuery::new().page_size(10));
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} runs", page.items.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list_runs_pages(&self, agent_id: &str, query: &RunsQuery) -> BoxStream<Result<RunPage>> {
        match query.request(agent_id) {
            Ok(request) => self.client.pages::<RunPage>(request),
            Err(error) => failed(error),
        }
    }

    /// `GET /v1/agents/{id}/runs/{runId}`: a run's status.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// let run = agents.get_run("bc-123", "run-456").await?;
    /// println!("{}", run.status);
    /// # Ok(()) }
    /// ```
    pub async fn get_run(&self, agent_id: &str, run_id: &str) -> Result<Run> {
        let request = Request::new(&GET_RUN).path_param("id", agent_id)?.path_param("runId", run_id)?;
        self.client.send_json(request).await
    }

    /// `POST /v1/agents/{id}/runs/{runId}/cancel`: cancels the active run; it ends
    /// `CANCELLED`. A terminal run answers `409 run_not_cancellable`. Retried like an
    /// idempotent request, so a retry after a lost answer may get that `409`.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// use cursor_agents::v1::V1ErrorExt as _;
    /// match agents.cancel_run("bc-123", "run-456").await {
    ///     Err(err) if err.is_run_not_cancellable() => println!("already over"),
    ///     other => { other?; }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn cancel_run(&self, agent_id: &str, run_id: &str) -> Result<IdResponse> {
        let request = Request::new(&CANCEL_RUN).path_param("id", agent_id)?.path_param("runId", run_id)?;
        self.client.send_json(request).await
    }

    /// `GET /v1/agents/{id}/runs/{runId}/stream`: the run's live events, resuming by itself
    /// after a dropped connection (see [`RunEventStream`]), with default options.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// use cursor_core::prelude::*;
    /// use cursor_agents::v1::RunEventData;
    /// let mut events = agents.stream_run("bc-123", "run-456");
    /// while let Some(event) = events.try_next().await? {
    ///     match &event.data {
    ///         RunEventData::Assistant(text) => println!("{}", text.text.as_deref().unwrap_or("")),
    ///         RunEventData::Status(status) => println!("status {:?}", status.status),
    ///         _ => {}
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream_run(&self, agent_id: &str, run_id: &str) -> RunEventStream {
        self.stream_run_with(agent_id, run_id, StreamOptions::default(), None)
    }

    /// The run's live events with the given reconnection options and, optionally, another
    /// transport (`None` uses [`CoreOpener`]; an opener that can send `Last-Event-ID` and
    /// read `X-Cursor-Stream-Retention-Seconds` makes resumption cheaper and exposes the
    /// retention).
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// use std::time::Duration;
    /// use cursor_agents::v1::StreamOptions;
    /// let options = StreamOptions::default().idle_timeout(Duration::from_secs(30));
    /// let events = agents.stream_run_with("bc-123", "run-456", options, None);
    /// # Ok(()) }
    /// ```
    pub fn stream_run_with(
        &self,
        agent_id: &str,
        run_id: &str,
        options: StreamOptions,
        opener: Option<Arc<dyn StreamOpener>>,
    ) -> RunEventStream {
        let opener = opener.unwrap_or_else(|| Arc::new(CoreOpener::new(self.client.clone())));
        RunEventStream::new(opener, agent_id, run_id, options)
    }

    /// `GET /v1/agents/{id}/artifacts`: the files the agent produced (at most 100).
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// for artifact in agents.artifacts("bc-123").await?.items {
    ///     println!("{} ({} bytes)", artifact.path, artifact.size_bytes);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn artifacts(&self, agent_id: &str) -> Result<ArtifactList> {
        self.client.send_json(Request::new(&LIST_ARTIFACTS).path_param("id", agent_id)?).await
    }

    /// `GET /v1/agents/{id}/artifacts/download`: a presigned URL for one artifact, valid for
    /// 15 minutes. `path` is an artifact's `path` as listed: relative, without `..`.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// let link = agents.artifact_download_url("bc-123", "artifacts/screenshot.png").await?;
    /// println!("expires at {}", link.expires_at);
    /// # Ok(()) }
    /// ```
    pub async fn artifact_download_url(&self, agent_id: &str, path: &str) -> Result<ArtifactDownload> {
        check_artifact_path(DOWNLOAD_ARTIFACT.name, path)?;
        let request = Request::new(&DOWNLOAD_ARTIFACT).path_param("id", agent_id)?.query("path", path);
        self.client.send_json(request).await
    }

    /// `GET /v1/agents/{id}/usage`: the agent's usage (in the current documents only; the
    /// answer is kept whole).
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// let usage = agents.usage("bc-123").await?;
    /// println!("{}", serde_json::Value::Object(usage.fields));
    /// # Ok(()) }
    /// ```
    pub async fn usage(&self, agent_id: &str) -> Result<AgentUsage> {
        self.client.send_json(Request::new(&AGENT_USAGE).path_param("id", agent_id)?).await
    }

    /// `GET /v1/me`: the API key's name, creation time and owner.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// let me = agents.me().await?;
    /// println!("{} {:?}", me.api_key_name, me.user_email);
    /// # Ok(()) }
    /// ```
    pub async fn me(&self) -> Result<ApiKeyInfo> {
        self.client.send_json(Request::new(&ME)).await
    }

    /// `GET /v1/models`: recommended model ids for [`CreateAgent::model`]; leave the model
    /// out for the configured default.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// let models = agents.models().await?.items;
    /// # Ok(()) }
    /// ```
    pub async fn models(&self) -> Result<ModelList> {
        self.client.send_json(Request::new(&LIST_MODELS)).await
    }

    /// `GET /v1/repositories`: the GitHub repositories the user can reach. Very strict
    /// limits (1/minute, 30/hour; the client waits for its own bucket) and slow (120 s
    /// timeout): cache the answer.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// for repo in agents.repositories().await?.items {
    ///     println!("{}", repo.url);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn repositories(&self) -> Result<RepositoryList> {
        self.client.send_json(Request::new(&LIST_REPOSITORIES)).await
    }
}

/// A fresh agent id: `bc-` and a random (version 4 layout) UUID.
///
/// ```
/// let id = cursor_agents::v1::generate_agent_id();
/// assert!(id.starts_with("bc-") && id.len() == 39, "{id}");
/// assert_ne!(id, cursor_agents::v1::generate_agent_id());
/// ```
pub fn generate_agent_id() -> String {
    use std::hash::{BuildHasher as _, Hasher as _};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // Each RandomState is seeded from the OS; the clock, the process and a counter make two
    // ids of one process differ even if the seeds repeated.
    let half = || {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        hasher.write_u128(nanos.as_nanos());
        hasher.write_u32(std::process::id());
        hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        hasher.finish()
    };
    let mut bits = (u128::from(half()) << 64) | u128::from(half());
    bits = (bits & !(0xf << 76)) | (0x4 << 76); // version 4
    bits = (bits & !(0x3 << 62)) | (0x2 << 62); // RFC 4122 variant
    let hex = format!("{bits:032x}");
    let id = format!("bc-{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]);
    debug_assert!(check_agent_id(CREATE_AGENT.name, &id).is_ok());
    id
}
