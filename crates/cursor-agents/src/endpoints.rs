//! The ten Cloud Agents v0 endpoints, declared once for the client and the contract tests.

use std::time::Duration;

use cursor_core::{Api, Bucket, Endpoint, Pagination};

/// What to do when a launch failed after it may have reached the server.
pub const LAUNCH_HINT: &str = "an agent may have been created: list agents (GET /v0/agents) and look for its branch \
     name or prompt before launching again";

/// What to do when a follow-up failed after it may have reached the server.
pub const FOLLOWUP_HINT: &str = "the follow-up may have been added: read the agent's conversation \
     (GET /v0/agents/{id}/conversation) before sending it again";

/// `GET /v0/agents`: the caller's agents, `limit` (1–100, default 20) and `cursor` in,
/// `nextCursor` out.
pub const LIST_AGENTS: Endpoint =
    Endpoint::get("agents.list", Api::CloudAgents, "/v0/agents", Bucket::CloudAgents).paginated(Pagination::Cursor);

/// `GET /v0/agents/{id}`: one agent's status and results.
pub const GET_AGENT: Endpoint = Endpoint::get("agents.get", Api::CloudAgents, "/v0/agents/{id}", Bucket::CloudAgents);

/// `GET /v0/agents/{id}/conversation`: the prompts and answers of an agent.
pub const GET_CONVERSATION: Endpoint =
    Endpoint::get("agents.conversation", Api::CloudAgents, "/v0/agents/{id}/conversation", Bucket::CloudAgents);

/// `POST /v0/agents`: launches an agent. Not idempotent: never retried once it may have reached
/// the server (a second send could start a second agent).
pub const LAUNCH_AGENT: Endpoint = Endpoint::post("agents.launch", Api::CloudAgents, "/v0/agents", Bucket::CloudAgents)
    .uncertain_outcome_hint(LAUNCH_HINT);

/// `POST /v0/agents/{id}/followup`: adds an instruction to an agent. Not idempotent (a second
/// send adds the instruction twice).
pub const ADD_FOLLOWUP: Endpoint =
    Endpoint::post("agents.followup", Api::CloudAgents, "/v0/agents/{id}/followup", Bucket::CloudAgents)
        .uncertain_outcome_hint(FOLLOWUP_HINT);

/// `POST /v0/agents/{id}/stop`: pauses a running agent.
///
/// Declared safe to retry (`read_only` makes the core treat it as idempotent): stopping an
/// agent that a lost first attempt already stopped leaves it stopped, so a repeat cannot do
/// more than the first send did. The only cost is that such a repeat may be answered with an
/// error saying the agent is not running.
pub const STOP_AGENT: Endpoint =
    Endpoint::post("agents.stop", Api::CloudAgents, "/v0/agents/{id}/stop", Bucket::CloudAgents)
        .idempotent_because("a stopped agent stays stopped: stopping again changes nothing");

/// `DELETE /v0/agents/{id}`: deletes an agent for good (idempotent, so retried).
pub const DELETE_AGENT: Endpoint =
    Endpoint::delete("agents.delete", Api::CloudAgents, "/v0/agents/{id}", Bucket::CloudAgents);

/// `GET /v0/me`: the API key's name, creation time and owner.
pub const ME: Endpoint = Endpoint::get("agents.me", Api::CloudAgents, "/v0/me", Bucket::CloudAgents);

/// `GET /v0/models`: the recommended models.
pub const LIST_MODELS: Endpoint = Endpoint::get("agents.models", Api::CloudAgents, "/v0/models", Bucket::CloudAgents);

/// How long `GET /v0/repositories` may take: it "can take tens of seconds".
pub const REPOSITORIES_TIMEOUT: Duration = Duration::from_secs(120);

/// `GET /v0/repositories`: the GitHub repositories the user can reach. Its own strict bucket
/// (1 request/minute and 30/hour per user) and a long timeout.
pub const LIST_REPOSITORIES: Endpoint =
    Endpoint::get("agents.repositories", Api::CloudAgents, "/v0/repositories", Bucket::CloudAgentsRepositories)
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
