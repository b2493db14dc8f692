//! Cloud Agents API v1: agents with runs, the run's Server-Sent-Event stream (ids,
//! `Last-Event-ID`, retention and `410 stream_expired`), cancel, archive, artifacts, and the
//! key, model and repository listings. Written from the v1 OpenAPI description and the
//! current documents (client-chosen `agentId`, `env`, `mode`, `/usage`).

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Extension, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::{Params, Shared, json_body};
use crate::agents_v1_state::{V1Agent, V1Run, title};
use crate::auth::ApiKey;
use crate::data::{AGENT_MODELS, REPOS, hash_str, rng_for};
use crate::dates::iso_seconds;
use crate::error::{ApiError, ApiResult, Family};
use crate::state::AppState;

const FAMILY: Family = Family::Agents;

/// The response header carrying the stream retention window, in seconds.
pub const RETENTION_HEADER: &str = "x-cursor-stream-retention-seconds";

fn error(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError { status, family: FAMILY, code, message: message.into() }
}

fn invalid(message: impl Into<String>) -> ApiError {
    error(StatusCode::BAD_REQUEST, "validation_error", message)
}

fn agent_not_found(id: &str) -> ApiError {
    error(StatusCode::NOT_FOUND, "agent_not_found", format!("Agent {id} not found"))
}

fn run_not_found(id: &str) -> ApiError {
    error(StatusCode::NOT_FOUND, "run_not_found", format!("Run {id} not found"))
}

/// A UUID-shaped id with a prefix, from the seeded generator.
fn uuid_id(prefix: &str, rng: &mut fastrand::Rng) -> String {
    let hex = format!("{:016x}{:016x}", rng.u64(..), rng.u64(..));
    format!("{prefix}-{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

fn check_agent_id(id: &str) -> ApiResult<()> {
    let valid =
        !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid { Ok(()) } else { Err(invalid(format!("Invalid agent ID: '{id}'"))) }
}

/// `prompt` with a non-empty `text` and at most five images with data.
fn prompt_text(body: &Value) -> ApiResult<String> {
    let prompt = body.get("prompt").filter(|p| p.is_object()).ok_or_else(|| invalid("prompt is required"))?;
    let text = prompt
        .get("text")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| invalid("prompt.text is required: a non-empty string"))?;
    if let Some(images) = prompt.get("images") {
        let images = images.as_array().ok_or_else(|| invalid("prompt.images must be an array"))?;
        if images.len() > 5 {
            return Err(invalid(format!("prompt.images can hold at most 5 images, got {}", images.len())));
        }
        for (i, image) in images.iter().enumerate() {
            if image.get("data").and_then(Value::as_str).is_none_or(str::is_empty) {
                return Err(invalid(format!("prompt.images[{i}].data is required")));
            }
        }
    }
    Ok(text.to_owned())
}

fn optional_str<'a>(obj: &'a Value, name: &str) -> ApiResult<Option<&'a str>> {
    match obj.get(name) {
        None => Ok(None),
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s)),
        Some(_) => Err(invalid(format!("{name} must be a non-empty string"))),
    }
}

fn optional_bool(obj: &Value, name: &str, default: bool) -> ApiResult<bool> {
    match obj.get(name) {
        None => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(invalid(format!("{name} must be a boolean"))),
    }
}

const CREATE_FIELDS: &[&str] = &[
    "prompt",
    "model",
    "repos",
    "branchName",
    "autoGenerateBranch",
    "autoCreatePR",
    "skipReviewerRequest",
    "agentId",
    "env",
    "mode",
];

/// Checks `repos`: exactly one object with a `url` or a `prUrl`.
fn check_repos(body: &Value) -> ApiResult<Value> {
    let repos = body.get("repos").and_then(Value::as_array).ok_or_else(|| invalid("repos is required: an array"))?;
    if repos.len() != 1 {
        return Err(invalid(format!("repos must hold exactly one repository, got {}", repos.len())));
    }
    let repo = &repos[0];
    if !repo.is_object() {
        return Err(invalid("repos[0] must be an object"));
    }
    for field in repo.as_object().into_iter().flat_map(|o| o.keys()) {
        if !["url", "startingRef", "prUrl"].contains(&field.as_str()) {
            return Err(invalid(format!("repos[0].{field} is not a known field")));
        }
    }
    let url = optional_str(repo, "url")?;
    optional_str(repo, "startingRef")?;
    let pr = optional_str(repo, "prUrl")?;
    if url.is_none() && pr.is_none() {
        return Err(invalid("repos[0].url is required unless repos[0].prUrl is given"));
    }
    Ok(Value::Array(repos.clone()))
}

/// `POST /v1/agents`: `201 {agent, run}`; a client-chosen `agentId` already used is `409`.
pub async fn create(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let body: Value = json_body(FAMILY, &body).map_err(|e| invalid(e.message))?;
    let object = body.as_object().ok_or_else(|| invalid("The request body must be a JSON object"))?;
    if let Some(unknown) = object.keys().find(|k| !CREATE_FIELDS.contains(&k.as_str())) {
        return Err(invalid(format!("{unknown} is not a known field")));
    }
    let text = prompt_text(&body)?;
    let repos = check_repos(&body)?;
    match body.get("model") {
        None => {}
        Some(model) if model.get("id").and_then(Value::as_str).is_some_and(|id| !id.is_empty()) => {}
        Some(_) => return Err(invalid("model must be an object with a non-empty id")),
    }
    let branch = optional_str(&body, "branchName")?.map(str::to_owned);
    let auto_generate_branch = optional_bool(&body, "autoGenerateBranch", true)?;
    let auto_create_pr = optional_bool(&body, "autoCreatePR", false)?;
    let skip_reviewer = optional_bool(&body, "skipReviewerRequest", false)?;
    optional_str(&body, "mode")?;
    let env_type = match body.get("env") {
        None => "cloud".to_owned(),
        Some(env) => optional_str(env, "type")?.ok_or_else(|| invalid("env.type is required"))?.to_owned(),
    };
    let chosen_id = optional_str(&body, "agentId")?.map(str::to_owned);
    if let Some(id) = &chosen_id {
        check_agent_id(id)?;
    }
    let out = state.with_team(&key.0, |team, ctx| {
        let v1 = &mut team.v1;
        if let Some(id) = &chosen_id
            && v1.id_taken(id)
        {
            return Err(error(StatusCode::CONFLICT, "agent_already_exists", format!("Agent {id} already exists")));
        }
        let serial = v1.next_serial;
        v1.next_serial += 1;
        let mut rng = rng_for(ctx.data.seed(), &[41, hash_str(&key.0), serial]);
        let id = chosen_id.clone().unwrap_or_else(|| uuid_id("bc", &mut rng));
        let run = V1Run::new(uuid_id("run", &mut rng), text.clone(), ctx.now, ctx.sim_now, ctx.config.agent_timing);
        let name = title(&text);
        let slug: String = name
            .to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|s| !s.is_empty())
            .take(4)
            .collect::<Vec<_>>()
            .join("-");
        let agent = V1Agent {
            branch_name: branch.clone().unwrap_or_else(|| format!("cursor/{slug}-{}", rng.u16(1000..10000))),
            id,
            name,
            archived: false,
            deleted: false,
            created_at: ctx.now,
            updated_at: ctx.now,
            repos: repos.clone(),
            auto_generate_branch,
            auto_create_pr,
            skip_reviewer_request: skip_reviewer,
            env_type: env_type.clone(),
            runs: vec![run],
        };
        let out = json!({
            "agent": agent.full_json(ctx.sim_now),
            "run": agent.runs[0].json(&agent.id, ctx.sim_now),
        });
        v1.agents.push(agent);
        Ok(out)
    })?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// `limit` (1–100, default 20) and a non-empty `cursor`.
fn page_params(q: &Params) -> ApiResult<(usize, Option<String>)> {
    let limit = match q.get("limit") {
        None => 20,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => return Err(invalid(format!("limit must be an integer between 1 and 100, got '{raw}'"))),
        },
    };
    let cursor = q.get("cursor").cloned();
    if cursor.as_deref() == Some("") {
        return Err(invalid("cursor must not be empty"));
    }
    Ok((limit, cursor))
}

/// A page of `items` (newest first) after the item whose id is `cursor`.
fn page_of(items: Vec<(String, Value)>, limit: usize, cursor: Option<&str>) -> ApiResult<Value> {
    let start = match cursor {
        None => 0,
        Some(c) => items
            .iter()
            .position(|(id, _)| id == c)
            .map(|p| p + 1)
            .ok_or_else(|| invalid(format!("Invalid cursor: '{c}'")))?,
    };
    let rest = &items[start.min(items.len())..];
    let page: Vec<Value> = rest.iter().take(limit).map(|(_, v)| v.clone()).collect();
    let next = if rest.len() > limit { json!(rest[limit - 1].0) } else { Value::Null };
    Ok(json!({"items": page, "nextCursor": next}))
}

/// `GET /v1/agents`: newest first; `prUrl` and `includeArchived` filters.
pub async fn list(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Query(q): Query<Params>,
) -> ApiResult<Json<Value>> {
    let (limit, cursor) = page_params(&q)?;
    let include_archived = match q.get("includeArchived").map(String::as_str) {
        None | Some("true") => true,
        Some("false") => false,
        Some(other) => return Err(invalid(format!("includeArchived must be true or false, got '{other}'"))),
    };
    let pr_url = q.get("prUrl").cloned();
    state.with_team(&key.0, |team, ctx| {
        let items: Vec<(String, Value)> = team
            .v1
            .agents
            .iter()
            .rev()
            .filter(|a| !a.deleted && (include_archived || !a.archived))
            .filter(|a| pr_url.as_deref().is_none_or(|pr| a.repos[0].get("prUrl").and_then(Value::as_str) == Some(pr)))
            .map(|a| (a.id.clone(), a.summary_json(ctx.sim_now)))
            .collect();
        Ok(Json(page_of(items, limit, cursor.as_deref())?))
    })
}

/// `GET /v1/agents/{id}`.
pub async fn get(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    state.with_team(&key.0, |team, ctx| {
        let agent = team.v1.live(&id).ok_or_else(|| agent_not_found(&id))?;
        Ok(Json(agent.full_json(ctx.sim_now)))
    })
}

/// `DELETE /v1/agents/{id}`: for good; the id stays taken.
pub async fn delete(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    state.with_team(&key.0, |team, _| {
        let agent = team.v1.live(&id).ok_or_else(|| agent_not_found(&id))?;
        agent.deleted = true;
        Ok(Json(json!({"id": id})))
    })
}

fn set_archived(state: &AppState, key: &str, id: &str, archived: bool) -> ApiResult<Json<Value>> {
    state.with_team(key, |team, ctx| {
        let agent = team.v1.live(id).ok_or_else(|| agent_not_found(id))?;
        if agent.archived != archived {
            agent.archived = archived;
            agent.updated_at = ctx.now;
        }
        Ok(Json(json!({"id": id})))
    })
}

/// `POST /v1/agents/{id}/archive`.
pub async fn archive(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    set_archived(&state, &key.0, &id, true)
}

/// `POST /v1/agents/{id}/unarchive`.
pub async fn unarchive(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    set_archived(&state, &key.0, &id, false)
}

/// `POST /v1/agents/{id}/runs`: `409 agent_archived` or `409 agent_busy` when it cannot run.
pub async fn create_run(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let body: Value = json_body(FAMILY, &body).map_err(|e| invalid(e.message))?;
    if let Some(unknown) = body.as_object().and_then(|o| o.keys().find(|k| k.as_str() != "prompt")) {
        return Err(invalid(format!("{unknown} is not a known field")));
    }
    let text = prompt_text(&body)?;
    let out = state.with_team(&key.0, |team, ctx| {
        let serial = team.v1.next_serial;
        team.v1.next_serial += 1;
        let agent = team.v1.live(&id).ok_or_else(|| agent_not_found(&id))?;
        if agent.archived {
            return Err(error(StatusCode::CONFLICT, "agent_archived", format!("Agent {id} is archived")));
        }
        if let Some(active) = agent.active_run(ctx.sim_now) {
            return Err(error(
                StatusCode::CONFLICT,
                "agent_busy",
                format!("Agent {id} already has an active run ({})", active.id),
            ));
        }
        let mut rng = rng_for(ctx.data.seed(), &[42, hash_str(&key.0), serial]);
        let run = V1Run::new(uuid_id("run", &mut rng), text.clone(), ctx.now, ctx.sim_now, ctx.config.agent_timing);
        let out = json!({"run": run.json(&agent.id, ctx.sim_now)});
        agent.runs.push(run);
        Ok(out)
    })?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// `GET /v1/agents/{id}/runs`: newest first.
pub async fn list_runs(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
    Query(q): Query<Params>,
) -> ApiResult<Json<Value>> {
    let (limit, cursor) = page_params(&q)?;
    state.with_team(&key.0, |team, ctx| {
        let agent = team.v1.live(&id).ok_or_else(|| agent_not_found(&id))?;
        let items = agent.runs.iter().rev().map(|r| (r.id.clone(), r.json(&agent.id, ctx.sim_now))).collect();
        Ok(Json(page_of(items, limit, cursor.as_deref())?))
    })
}

/// `GET /v1/agents/{id}/runs/{runId}`.
pub async fn get_run(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path((id, run_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    state.with_team(&key.0, |team, ctx| {
        let agent = team.v1.live(&id).ok_or_else(|| agent_not_found(&id))?;
        let run = agent.runs.iter().find(|r| r.id == run_id).ok_or_else(|| run_not_found(&run_id))?;
        Ok(Json(run.json(&agent.id, ctx.sim_now)))
    })
}

/// `POST /v1/agents/{id}/runs/{runId}/cancel`: terminal runs answer `409 run_not_cancellable`.
pub async fn cancel_run(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path((id, run_id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    state.with_team(&key.0, |team, ctx| {
        let agent = team.v1.live(&id).ok_or_else(|| agent_not_found(&id))?;
        let run = agent.runs.iter_mut().find(|r| r.id == run_id).ok_or_else(|| run_not_found(&run_id))?;
        if run.is_terminal(ctx.sim_now) {
            return Err(error(
                StatusCode::CONFLICT,
                "run_not_cancellable",
                format!("Run {run_id} is {} and cannot be cancelled", run.status(ctx.sim_now)),
            ));
        }
        run.cancelled_at = Some(ctx.sim_now);
        Ok(Json(json!({"id": run_id})))
    })
}

/// The event index a `Last-Event-ID` names (`{runId}:{n}`), `0` without one.
fn resume_index(headers: &HeaderMap, run_id: &str) -> ApiResult<usize> {
    let Some(raw) = headers.get("last-event-id") else { return Ok(0) };
    let bad = || error(StatusCode::BAD_REQUEST, "invalid_last_event_id", "Last-Event-ID does not belong to this run");
    let raw = raw.to_str().map_err(|_| bad())?;
    let (run, index) = raw.rsplit_once(':').ok_or_else(bad)?;
    if run != run_id {
        return Err(bad());
    }
    index.parse().map_err(|_| bad())
}

/// One SSE event as text.
fn sse(id: Option<&str>, kind: &str, data: &Value) -> String {
    let mut out = String::new();
    if let Some(id) = id {
        out.push_str(&format!("id: {id}\n"));
    }
    out.push_str(&format!("event: {kind}\ndata: {data}\n\n"));
    out
}

struct Streaming {
    state: Shared,
    key: String,
    agent_id: String,
    run_id: String,
    /// Events before this index (1-based ids) have been sent.
    next: usize,
    opened: bool,
    done: bool,
    last_sent: Instant,
}

/// `GET /v1/agents/{id}/runs/{runId}/stream`: the run's events as SSE with ids
/// `{runId}:{n}`, from after `Last-Event-ID` when given; heartbeats while idle; `410
/// stream_expired` once a terminal run is older than the retention window.
pub async fn stream(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path((id, run_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let resume = resume_index(&headers, &run_id)?;
    let config = state.config.agents_v1;
    state.with_team(&key.0, |team, ctx| {
        let agent = team.v1.live(&id).ok_or_else(|| agent_not_found(&id))?;
        let run = agent.runs.iter().find(|r| r.id == run_id).ok_or_else(|| run_not_found(&run_id))?;
        if let Some(ended) = run.ended_at(ctx.sim_now)
            && ctx.sim_now.saturating_sub(ended) > config.stream_retention
        {
            return Err(error(StatusCode::GONE, "stream_expired", "The stream retention window has elapsed"));
        }
        Ok(())
    })?;
    let start = Streaming {
        state: Arc::clone(&state),
        key: key.0.clone(),
        agent_id: id,
        run_id,
        next: resume + 1,
        opened: false,
        done: false,
        last_sent: Instant::now(),
    };
    let body = futures_util::stream::unfold(start, |mut s| async move {
        if s.done {
            return None;
        }
        let config = s.state.config.agents_v1;
        let mut out = String::new();
        if !s.opened {
            s.opened = true;
            out.push_str(&format!(": stream of {}\nretry: {}\n\n", s.run_id, config.retry_ms));
        }
        loop {
            let events = s.state.with_team(&s.key, |team, ctx| {
                let agent = team.v1.live(&s.agent_id)?;
                Some(agent.runs.iter().find(|r| r.id == s.run_id)?.events(ctx.sim_now))
            });
            // The agent was deleted while streaming: end the stream.
            let events = events?;
            for (index, event) in events.iter().enumerate().skip(s.next - 1) {
                let id = format!("{}:{}", s.run_id, index + 1);
                out.push_str(&sse(Some(&id), event.kind, &event.data));
                s.next = index + 2;
                if event.kind == "done" {
                    s.done = true;
                }
            }
            if out.is_empty() && s.last_sent.elapsed() >= config.heartbeat_interval {
                out.push_str(&sse(None, "heartbeat", &json!({})));
            }
            if !out.is_empty() {
                s.last_sent = Instant::now();
                return Some((Ok::<_, std::io::Error>(Bytes::from(out)), s));
            }
            tokio::time::sleep(config.stream_poll).await;
        }
    });
    let mut response = Response::new(Body::from_stream(body));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(RETENTION_HEADER, HeaderValue::from(config.stream_retention.as_secs()));
    Ok(response)
}

/// `GET /v1/agents/{id}/artifacts`: what the latest finished run left.
pub async fn artifacts(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    state.with_team(&key.0, |team, ctx| {
        let agent = team.v1.live(&id).ok_or_else(|| agent_not_found(&id))?;
        let items: Vec<Value> = agent
            .artifacts(ctx.sim_now)
            .into_iter()
            .map(|(path, size, at)| json!({"path": path, "sizeBytes": size, "updatedAt": iso_seconds(at)}))
            .collect();
        Ok(Json(json!({ "items": items })))
    })
}

/// `GET /v1/agents/{id}/artifacts/download?path=…`: a presigned URL valid 15 minutes.
pub async fn download(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
    Query(q): Query<Params>,
) -> ApiResult<Json<Value>> {
    let path = q.get("path").filter(|p| !p.is_empty()).ok_or_else(|| invalid("path is required"))?.clone();
    if path.starts_with('/') || path.split('/').any(|s| s == "..") {
        return Err(invalid("path must be a relative path under artifacts/"));
    }
    state.with_team(&key.0, |team, ctx| {
        let agent = team.v1.live(&id).ok_or_else(|| agent_not_found(&id))?;
        if !agent.artifacts(ctx.sim_now).iter().any(|(p, _, _)| *p == path) {
            return Err(error(StatusCode::NOT_FOUND, "artifact_not_found", format!("Artifact {path} not found")));
        }
        Ok(Json(json!({
            "url": format!("https://cloud-agent-artifacts.s3.us-east-1.amazonaws.com/{id}/{path}?X-Amz-Expires=900&X-Amz-Signature=mock"),
            "expiresAt": iso_seconds(ctx.now + time::Duration::minutes(15)),
        })))
    })
}

/// `GET /v1/agents/{id}/usage` (current documents; the shape here is the simulator's own).
pub async fn usage(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    state.with_team(&key.0, |team, ctx| {
        let agent = team.v1.live(&id).ok_or_else(|| agent_not_found(&id))?;
        let seconds: u64 = agent
            .runs
            .iter()
            .map(|r| r.ended_at(ctx.sim_now).unwrap_or(ctx.sim_now).saturating_sub(r.created_sim).as_secs())
            .sum();
        Ok(Json(json!({"agentId": id, "runCount": agent.runs.len(), "durationSeconds": seconds})))
    })
}

/// `GET /v1/models`.
pub async fn models() -> Json<Value> {
    Json(json!({ "items": AGENT_MODELS }))
}

/// `GET /v1/repositories` (slow by configuration, strictly rate limited).
pub async fn repositories(State(state): State<Shared>) -> Json<Value> {
    super::agents::repositories_delay(&state).await;
    let items: Vec<Value> = REPOS.iter().map(|full| json!({"url": format!("https://github.com/{full}")})).collect();
    Json(json!({ "items": items }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_event_ids_must_name_the_run() {
        let mut headers = HeaderMap::new();
        assert_eq!(resume_index(&headers, "run-1").unwrap(), 0);
        headers.insert("last-event-id", HeaderValue::from_static("run-1:4"));
        assert_eq!(resume_index(&headers, "run-1").unwrap(), 4);
        let err = resume_index(&headers, "run-2").unwrap_err();
        assert_eq!((err.status, err.code), (StatusCode::BAD_REQUEST, "invalid_last_event_id"));
    }

    #[test]
    fn pages_end_with_a_null_cursor() {
        let items: Vec<(String, Value)> = (0..5).map(|i| (format!("a{i}"), json!(i))).collect();
        let first = page_of(items.clone(), 2, None).unwrap();
        assert_eq!(first["nextCursor"], "a1");
        let last = page_of(items, 2, Some("a3")).unwrap();
        assert_eq!(last["items"], json!([4]));
        assert!(last["nextCursor"].is_null());
    }
}
