//! The Cloud Agents v1 endpoints, declared once for the client and the tests: the thirteen
//! paths of the v1 OpenAPI description (sixteen operations) and the usage endpoint the
//! current documents add.

use std::time::Duration;

use cursor_core::Endpoint;

use crate::endpoints::{AGENTS_API, AGENTS_BUCKET, CURSOR_PAGES, REPOSITORIES_BUCKET};

/// What to do when creating an agent failed after it may have reached the server.
pub const CREATE_AGENT_HINT: &str = "an agent may have been created: list agents (GET /v1/agents) and look for its \
     name, branch or repository before creating again, or create with a client-chosen agent id \
     (AgentsClient::create_with_id), which is safe to repeat";

/// What to do when creating a run failed after it may have reached the server.
pub const CREATE_RUN_HINT: &str = "the run may have been created: list the agent's runs (GET /v1/agents/{id}/runs) \
     before sending the prompt again";

/// `POST /v1/agents`: creates an agent and enqueues its first run. Not idempotent: never
/// retried once it may have reached the server.
pub const CREATE_AGENT: Endpoint = Endpoint::post("agents.v1.create", AGENTS_API, "/v1/agents", AGENTS_BUCKET)
    .uncertain_outcome_hint(CREATE_AGENT_HINT);

/// `GET /v1/agents`: the caller's agents, newest first; `limit` (1–100), `cursor`, `prUrl`,
/// `includeArchived` in, `{items, nextCursor}` out.
pub const LIST_AGENTS: Endpoint =
    Endpoint::get("agents.v1.list", AGENTS_API, "/v1/agents", AGENTS_BUCKET).paginated(CURSOR_PAGES);

/// `GET /v1/agents/{id}`: an agent's durable metadata.
pub const GET_AGENT: Endpoint = Endpoint::get("agents.v1.get", AGENTS_API, "/v1/agents/{id}", AGENTS_BUCKET);

/// `DELETE /v1/agents/{id}`: deletes an agent for good.
pub const DELETE_AGENT: Endpoint = Endpoint::delete("agents.v1.delete", AGENTS_API, "/v1/agents/{id}", AGENTS_BUCKET);

/// `POST /v1/agents/{id}/archive`: archives an agent. Safe to repeat (an archived agent stays
/// archived), so retried like a read.
pub const ARCHIVE_AGENT: Endpoint =
    Endpoint::post("agents.v1.archive", AGENTS_API, "/v1/agents/{id}/archive", AGENTS_BUCKET)
        .idempotent_because("an archived agent stays archived: archiving again changes nothing");

/// `POST /v1/agents/{id}/unarchive`: unarchives an agent. Safe to repeat.
pub const UNARCHIVE_AGENT: Endpoint =
    Endpoint::post("agents.v1.unarchive", AGENTS_API, "/v1/agents/{id}/unarchive", AGENTS_BUCKET)
        .idempotent_because("an unarchived agent stays unarchived: unarchiving again changes nothing");

/// `POST /v1/agents/{id}/runs`: sends a follow-up prompt as a new run. Not idempotent (a
/// second send would start a second run).
pub const CREATE_RUN: Endpoint =
    Endpoint::post("agents.v1.create_run", AGENTS_API, "/v1/agents/{id}/runs", AGENTS_BUCKET)
        .uncertain_outcome_hint(CREATE_RUN_HINT);

/// `GET /v1/agents/{id}/runs`: an agent's runs, newest first, `{items, nextCursor}`.
pub const LIST_RUNS: Endpoint =
    Endpoint::get("agents.v1.list_runs", AGENTS_API, "/v1/agents/{id}/runs", AGENTS_BUCKET).paginated(CURSOR_PAGES);

/// `GET /v1/agents/{id}/runs/{runId}`: a run's status and timestamps.
pub const GET_RUN: Endpoint =
    Endpoint::get("agents.v1.get_run", AGENTS_API, "/v1/agents/{id}/runs/{runId}", AGENTS_BUCKET);

/// `GET /v1/agents/{id}/runs/{runId}/stream`: the run's events as Server-Sent Events.
pub const STREAM_RUN: Endpoint =
    Endpoint::get("agents.v1.stream_run", AGENTS_API, "/v1/agents/{id}/runs/{runId}/stream", AGENTS_BUCKET)
        .event_stream_response();

/// `POST /v1/agents/{id}/runs/{runId}/cancel`: cancels the active run (terminal).
///
/// Declared safe to retry: cancelling a run that a lost first attempt already cancelled
/// cannot do more than the first send did; such a repeat is answered `409
/// run_not_cancellable`.
pub const CANCEL_RUN: Endpoint =
    Endpoint::post("agents.v1.cancel_run", AGENTS_API, "/v1/agents/{id}/runs/{runId}/cancel", AGENTS_BUCKET)
        .idempotent_because("a cancelled run stays cancelled: cancelling again changes nothing");

/// `GET /v1/agents/{id}/artifacts`: the files an agent produced (at most 100).
pub const LIST_ARTIFACTS: Endpoint =
    Endpoint::get("agents.v1.artifacts", AGENTS_API, "/v1/agents/{id}/artifacts", AGENTS_BUCKET);

/// `GET /v1/agents/{id}/artifacts/download?path=…`: a presigned URL valid 15 minutes.
pub const DOWNLOAD_ARTIFACT: Endpoint =
    Endpoint::get("agents.v1.artifact_download_url", AGENTS_API, "/v1/agents/{id}/artifacts/download", AGENTS_BUCKET);

/// `GET /v1/agents/{id}/usage`: an agent's usage. In the current documents, not in the
/// OpenAPI file; its shape is not described, so the answer is kept whole.
pub const AGENT_USAGE: Endpoint = Endpoint::get("agents.v1.usage", AGENTS_API, "/v1/agents/{id}/usage", AGENTS_BUCKET);

/// `GET /v1/me`: the API key in use.
pub const ME: Endpoint = Endpoint::get("agents.v1.me", AGENTS_API, "/v1/me", AGENTS_BUCKET);

/// `GET /v1/models`: recommended model ids for `model.id`.
pub const LIST_MODELS: Endpoint = Endpoint::get("agents.v1.models", AGENTS_API, "/v1/models", AGENTS_BUCKET);

/// How long `GET /v1/repositories` may take ("tens of seconds").
pub const REPOSITORIES_TIMEOUT: Duration = Duration::from_secs(120);

/// `GET /v1/repositories`: the GitHub repositories the user can reach. Its own strict
/// bucket (1 request/minute and 30/hour per user, shared with v0's) and a long timeout.
pub const LIST_REPOSITORIES: Endpoint =
    Endpoint::get("agents.v1.repositories", AGENTS_API, "/v1/repositories", REPOSITORIES_BUCKET)
        .timeout(REPOSITORIES_TIMEOUT);

/// Every v1 endpoint.
pub const ENDPOINTS: &[&Endpoint] = &[
    &CREATE_AGENT,
    &LIST_AGENTS,
    &GET_AGENT,
    &DELETE_AGENT,
    &ARCHIVE_AGENT,
    &UNARCHIVE_AGENT,
    &CREATE_RUN,
    &LIST_RUNS,
    &GET_RUN,
    &STREAM_RUN,
    &CANCEL_RUN,
    &LIST_ARTIFACTS,
    &DOWNLOAD_ARTIFACT,
    &AGENT_USAGE,
    &ME,
    &LIST_MODELS,
    &LIST_REPOSITORIES,
];
