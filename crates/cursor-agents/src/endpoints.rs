//! The ten Cloud Agents v0 endpoints, declared once for the client and the contract tests.

use std::time::Duration;

use cursor_core::{Api, Bucket, Endpoint, Pagination, Rate};

/// The Cloud Agents API, v0 and v1 (`/v0/…`, `/v1/…`).
pub const AGENTS_API: Api = Api::new("agents", "the Cloud Agents API");

/// Cloud Agents endpoints other than the repository lists: "standard rate limiting", no
/// number documented; 60 a minute.
pub const AGENTS_BUCKET: Bucket = Bucket::new("agents", &[Rate::per_minute(60)]);
/// `GET /v0/repositories` and `GET /v1/repositories`: 1 request a minute and 30 an hour.
pub const REPOSITORIES_BUCKET: Bucket = Bucket::new("agents-repositories", &[Rate::per_minute(1), Rate::per_hour(30)]);

/// Every bucket of the Cloud Agents API.
pub const BUCKETS: &[Bucket] = &[AGENTS_BUCKET, REPOSITORIES_BUCKET];

/// Agent and run lists: `cursor` and `limit` in the query, answered with `nextCursor`.
pub const CURSOR_PAGES: Pagination = Pagination::cursor("cursor", "limit", "/nextCursor").page_fields(&["nextCursor"]);

/// What to do when a launch failed after it may have reached the server.
pub const LAUNCH_HINT: &str = "an agent may have been created: list agents (GET /v0/agents) and look for its branch \
     name or prompt before launching again";

/// What to do when a follow-up failed after it may have reached the server.
pub const FOLLOWUP_HINT: &str = "the follow-up may have been added: read the agent's conversation \
     (GET /v0/agents/{id}/conversation) before sending it again";

/// `GET /v0/agents`: the caller's agents, `limit` (1–100, default 20) and `cursor` in,
/// `nextCursor` out.
pub const LIST_AGENTS: Endpoint =
    Endpoint::get("agents.list", AGENTS_API, "/v0/agents", AGENTS_BUCKET).paginated(CURSOR_PAGES);

/// `GET /v0/agents/{id}`: one agent's status and results.
pub const GET_AGENT: Endpoint = Endpoint::get("agents.get", AGENTS_API, "/v0/agents/{id}", AGENTS_BUCKET);

/// `GET /v0/agents/{id}/conversation`: the prompts and answers of an agent.
pub const GET_CONVERSATION: Endpoint =
    Endpoint::get("agents.conversation", AGENTS_API, "/v0/agents/{id}/conversation", AGENTS_BUCKET);

/// `POST /v0/agents`: launches an agent. Not idempotent: never retried once it may have reached
/// the server (a second send could start a second agent).
pub const LAUNCH_AGENT: Endpoint =
    Endpoint::post("agents.launch", AGENTS_API, "/v0/agents", AGENTS_BUCKET).uncertain_outcome_hint(LAUNCH_HINT);

/// `POST /v0/agents/{id}/followup`: adds an instruction to an agent. Not idempotent (a second
/// send adds the instruction twice).
pub const ADD_FOLLOWUP: Endpoint =
    Endpoint::post("agents.followup", AGENTS_API, "/v0/agents/{id}/followup", AGENTS_BUCKET)
        .uncertain_outcome_hint(FOLLOWUP_HINT);

/// `POST /v0/agents/{id}/stop`: pauses a running agent.
///
/// Declared safe to retry (`read_only` makes the core treat it as idempotent): stopping an
/// agent that a lost first attempt already stopped leaves it stopped, so a repeat cannot do
/// more than the first send did. The only cost is that such a repeat may be answered with an
/// error saying the agent is not running.
pub const STOP_AGENT: Endpoint = Endpoint::post("agents.stop", AGENTS_API, "/v0/agents/{id}/stop", AGENTS_BUCKET)
    .idempotent_because("a stopped agent stays stopped: stopping again changes nothing");

/// `DELETE /v0/agents/{id}`: deletes an agent for good (idempotent, so retried).
pub const DELETE_AGENT: Endpoint = Endpoint::delete("agents.delete", AGENTS_API, "/v0/agents/{id}", AGENTS_BUCKET);

/// `GET /v0/me`: the API key's name, creation time and owner.
pub const ME: Endpoint = Endpoint::get("agents.me", AGENTS_API, "/v0/me", AGENTS_BUCKET);

/// `GET /v0/models`: the recommended models.
pub const LIST_MODELS: Endpoint = Endpoint::get("agents.models", AGENTS_API, "/v0/models", AGENTS_BUCKET);

/// How long `GET /v0/repositories` may take: it "can take tens of seconds".
pub const REPOSITORIES_TIMEOUT: Duration = Duration::from_secs(120);

/// `GET /v0/repositories`: the GitHub repositories the user can reach. Its own strict bucket
/// (1 request/minute and 30/hour per user) and a long timeout.
pub const LIST_REPOSITORIES: Endpoint =
    Endpoint::get("agents.repositories", AGENTS_API, "/v0/repositories", REPOSITORIES_BUCKET)
        .timeout(REPOSITORIES_TIMEOUT);

/// Every endpoint of this crate.
pub const ENDPOINTS: &[&Endpoint] = &[
    &LIST_AGENTS,
    &GET_AGENT,
    &GET_CONVERSATION,
    &LAUNCH_AGENT,
    &ADD_FOLLOWUP,
    &STOP_AGENT,
    &DELETE_AGENT,
    &ME,
    &LIST_MODELS,
    &LIST_REPOSITORIES,
];
