//! Cloud Agents API v0: launch, list, status, conversation, follow-up, stop, delete, and
//! the key, model and repository listings.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{Params, Shared, int_param, json_body};
use crate::auth::ApiKey;
use crate::data::{AGENT_MODELS, REPOS, base62, hash_str, rng_for};
use crate::dates::iso_seconds;
use crate::error::{ApiError, ApiResult, Family};
use crate::state::{Agent, AgentStatus, AgentWebhook, TeamState};

const FAMILY: Family = Family::Agents;

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::bad_request(FAMILY, message)
}

fn agent_json(a: &Agent) -> Value {
    let mut source = json!({"repository": a.repository});
    if let Some(r) = &a.source_ref {
        source["ref"] = json!(r);
    }
    let mut target = json!({
        "branchName": a.branch_name,
        "url": format!("https://cursor.com/agents?id={}", a.id),
        "autoCreatePr": a.auto_create_pr,
        "openAsCursorGithubApp": a.open_as_cursor_github_app,
        "skipReviewerRequest": a.skip_reviewer_request,
    });
    if let Some(pr) = &a.pr_url {
        target["prUrl"] = json!(pr);
    }
    let mut out = json!({
        "id": a.id,
        "name": a.name,
        "status": a.status.as_str(),
        "source": source,
        "target": target,
        "createdAt": iso_seconds(a.created_at),
    });
    if let Some(summary) = &a.summary {
        out["summary"] = json!(summary);
    }
    out
}

fn check_id(id: &str) -> ApiResult<()> {
    let valid = id.len() > 3
        && id.starts_with("bc_")
        && id[3..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid { Ok(()) } else { Err(bad(format!("Invalid agent ID format: '{id}'"))) }
}

/// The live agent `id`: `404` if unknown, `409` if deleted (where the spec says so).
fn live_agent<'a>(team: &'a mut TeamState, id: &str, deleted_is_conflict: bool) -> ApiResult<&'a mut Agent> {
    let agent = team
        .agents
        .iter_mut()
        .find(|a| a.id == id)
        .ok_or_else(|| ApiError::not_found(FAMILY, format!("Agent {id} not found")))?;
    if agent.deleted {
        return Err(if deleted_is_conflict {
            ApiError::conflict(FAMILY, format!("Agent {id} has been deleted"))
        } else {
            ApiError::not_found(FAMILY, format!("Agent {id} not found"))
        });
    }
    Ok(agent)
}

/// `GET /v0/agents`: newest first; `cursor` is the id of the last agent of the previous page
/// (still valid after that agent is deleted).
pub async fn list(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Query(q): Query<Params>,
) -> ApiResult<Json<Value>> {
    let limit = int_param(&q, "limit", 20, 1, 100, FAMILY)? as usize;
    let cursor = q.get("cursor").cloned();
    if cursor.as_deref() == Some("") {
        return Err(bad("cursor must not be empty"));
    }
    state.with_team(&key.0, |team, _| {
        // The cursor is looked up among every agent, tombstones included, so that a page
        // goes on correctly after the agent it names has been deleted.
        let start = match &cursor {
            None => 0,
            Some(c) => team
                .agents
                .iter()
                .rev()
                .position(|a| &a.id == c)
                .map(|p| p + 1)
                .ok_or_else(|| bad(format!("Invalid cursor: '{c}'")))?,
        };
        let rest: Vec<&Agent> = team.agents.iter().rev().skip(start).filter(|a| !a.deleted).collect();
        let page: Vec<Value> = rest.iter().take(limit).map(|a| agent_json(a)).collect();
        let mut out = json!({ "agents": page });
        if rest.len() > limit {
            out["nextCursor"] = json!(rest[limit - 1].id);
        }
        Ok(Json(out))
    })
}

/// `GET /v0/agents/{id}`.
pub async fn get(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    check_id(&id)?;
    state.with_team(&key.0, |team, _| Ok(Json(agent_json(live_agent(team, &id, false)?))))
}

/// `GET /v0/agents/{id}/conversation`.
pub async fn conversation(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    check_id(&id)?;
    state.with_team(&key.0, |team, _| {
        let agent = live_agent(team, &id, true)?;
        let messages: Vec<Value> =
            agent.messages.iter().map(|m| json!({"id": m.id, "type": m.kind, "text": m.text})).collect();
        Ok(Json(json!({"id": agent.id, "messages": messages})))
    })
}

/// Checks `prompt` (text of at least one character, at most 5 images) and returns its text.
fn prompt_text(body: &Value) -> ApiResult<String> {
    let prompt =
        body.get("prompt").filter(|p| p.is_object()).ok_or_else(|| bad("prompt is required: an object with a text"))?;
    let text = prompt
        .get("text")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| bad("prompt.text is required: a non-empty string"))?;
    if let Some(images) = prompt.get("images") {
        let images = images.as_array().ok_or_else(|| bad("prompt.images must be an array"))?;
        if images.len() > 5 {
            return Err(bad(format!("prompt.images can hold at most 5 images, got {}", images.len())));
        }
        for (i, image) in images.iter().enumerate() {
            if image.get("data").and_then(Value::as_str).is_none_or(str::is_empty) {
                return Err(bad(format!("prompt.images[{i}].data is required: base64 data")));
            }
            if let Some(dimension) = image.get("dimension") {
                for side in ["width", "height"] {
                    if dimension.get(side).and_then(Value::as_u64).is_none_or(|n| n < 1) {
                        return Err(bad(format!("prompt.images[{i}].dimension.{side} must be a positive integer")));
                    }
                }
            }
        }
    }
    Ok(text.to_owned())
}

fn optional_str<'a>(obj: &'a Value, name: &str, path: &str) -> ApiResult<Option<&'a str>> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s)),
        Some(_) => Err(bad(format!("{path} must be a non-empty string"))),
    }
}

fn optional_bool(obj: &Value, name: &str) -> ApiResult<bool> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(bad(format!("target.{name} must be a boolean"))),
    }
}

/// A title from the first words of a prompt.
fn agent_name(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or(text);
    let words: Vec<&str> = first_line.split_whitespace().take(8).collect();
    let mut name = words.join(" ");
    if let Some(first) = name.chars().next() {
        name.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
    }
    if name.is_empty() { "Untitled agent".to_owned() } else { name }
}

/// `POST /v0/agents`: `201` with the agent in `CREATING`.
pub async fn launch(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let body: Value = json_body(FAMILY, &body)?;
    if !body.is_object() {
        return Err(bad("The request body must be a JSON object"));
    }
    let text = prompt_text(&body)?;
    let model = optional_str(&body, "model", "model")?.map(str::to_owned);
    let source = body
        .get("source")
        .filter(|s| s.is_object())
        .ok_or_else(|| bad("source is required: an object with a repository"))?;
    let repository = optional_str(source, "repository", "source.repository")?
        .ok_or_else(|| bad("source.repository is required: a GitHub repository URL"))?
        .to_owned();
    let source_ref = optional_str(source, "ref", "source.ref")?.map(str::to_owned);
    let empty = json!({});
    let target = match body.get("target") {
        None | Some(Value::Null) => &empty,
        Some(t) if t.is_object() => t,
        Some(_) => return Err(bad("target must be an object")),
    };
    let auto_create_pr = optional_bool(target, "autoCreatePr")?;
    let open_as_app = optional_bool(target, "openAsCursorGithubApp")?;
    let skip_reviewer = optional_bool(target, "skipReviewerRequest")?;
    let branch_name = optional_str(target, "branchName", "target.branchName")?.map(str::to_owned);
    let webhook = match body.get("webhook") {
        None | Some(Value::Null) => None,
        Some(hook) if hook.is_object() => {
            let url = optional_str(hook, "url", "webhook.url")?
                .ok_or_else(|| bad("webhook.url is required when webhook is given"))?;
            if url.len() > 2048 {
                return Err(bad("webhook.url must be at most 2048 characters"));
            }
            if reqwest::Url::parse(url).map(|u| u.scheme() != "http" && u.scheme() != "https").unwrap_or(true) {
                return Err(bad("webhook.url must be an http or https URL"));
            }
            let secret = optional_str(hook, "secret", "webhook.secret")?;
            if let Some(secret) = secret
                && !(32..=256).contains(&secret.chars().count())
            {
                return Err(bad("webhook.secret must be between 32 and 256 characters"));
            }
            Some(AgentWebhook { url: url.to_owned(), secret: secret.map(str::to_owned) })
        }
        Some(_) => return Err(bad("webhook must be an object")),
    };
    let out = state.with_team(&key.0, |team, ctx| {
        let serial = team.next_agent;
        team.next_agent += 1;
        let mut rng = rng_for(ctx.data.seed(), &[30, hash_str(&key.0), serial]);
        let id = format!("bc_{}", base62(&mut rng, 20).to_ascii_lowercase());
        let fails = text.contains("[mock:error]") || rng.f64() < ctx.config.agent_error_rate;
        let name = agent_name(&text);
        let slug: String = name
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
            .split('-')
            .filter(|s| !s.is_empty())
            .take(4)
            .collect::<Vec<_>>()
            .join("-");
        let mut agent = Agent {
            branch_name: branch_name.unwrap_or_else(|| format!("cursor/{slug}-{}", rng.u16(1000..10000))),
            id,
            name,
            status: AgentStatus::Creating,
            repository,
            source_ref,
            auto_create_pr,
            open_as_cursor_github_app: open_as_app,
            skip_reviewer_request: skip_reviewer,
            pr_url: None,
            summary: None,
            created_at: ctx.now,
            model,
            webhook,
            messages: Vec::new(),
            deleted: false,
            run: None,
            pr_number: 2000 + serial as u32,
        };
        agent.push_message("user_message", text.clone());
        agent.start_run(ctx, true, fails);
        let out = agent_json(&agent);
        team.agents.push(agent);
        out
    });
    Ok((StatusCode::CREATED, Json(out)))
}

/// `POST /v0/agents/{id}/followup`: adds to the conversation; restarts a stopped agent.
pub async fn followup(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    check_id(&id)?;
    let body: Value = json_body(FAMILY, &body)?;
    let text = prompt_text(&body)?;
    state.with_team(&key.0, |team, ctx| {
        let agent = live_agent(team, &id, true)?;
        if agent.status == AgentStatus::Expired {
            return Err(ApiError::conflict(FAMILY, format!("Agent {id} has expired")));
        }
        agent.push_message("user_message", text.clone());
        let fails = text.contains("[mock:error]");
        match agent.run.as_mut() {
            // Still working: the follow-up extends the current run.
            Some(run) => {
                run.ends_at = run.ends_at.max(ctx.sim_now + ctx.config.agent_timing.running);
                run.fails |= fails;
            }
            None => agent.start_run(ctx, false, fails),
        }
        Ok(Json(json!({"id": agent.id})))
    })
}

/// `POST /v0/agents/{id}/stop`: only while the agent runs (else `400 agent_not_running`);
/// it then reads `FINISHED`.
pub async fn stop(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    check_id(&id)?;
    let (out, job) = state.with_team(&key.0, |team, ctx| {
        let agent = live_agent(team, &id, true)?;
        if !matches!(agent.status, AgentStatus::Creating | AgentStatus::Running) {
            // 400 rather than 409: the OpenAPI gives 409 the meaning "deleted or archived".
            return Err(ApiError {
                code: "agent_not_running",
                ..ApiError::bad_request(FAMILY, format!("Agent {id} is not running (status {})", agent.status.as_str()))
            });
        }
        let job = agent.finish(AgentStatus::Finished, "Stopped by the user.", ctx.now);
        Ok((Json(json!({"id": agent.id})), job))
    })?;
    state.webhooks.dispatch(job.into_iter().collect());
    Ok(out)
}

/// `DELETE /v0/agents/{id}`: permanent; later calls answer `404` or `409`.
pub async fn delete(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    check_id(&id)?;
    state.with_team(&key.0, |team, _| {
        let agent = live_agent(team, &id, true)?;
        agent.deleted = true;
        agent.run = None;
        Ok(Json(json!({"id": agent.id})))
    })
}

/// `GET /v0/me` and `GET /v1/me` (the same answer in both versions).
pub async fn me(State(state): State<Shared>, Extension(key): Extension<ApiKey>) -> Json<Value> {
    let tail: String = key.0.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    let created = state.with_team(&key.0, |team, _| team.key_created_at);
    Json(json!({
        "apiKeyName": format!("cursor-mock key …{tail}"),
        "createdAt": iso_seconds(created),
        "userEmail": state.data.members()[0].email,
    }))
}

/// `GET /v0/models`.
pub async fn models() -> Json<Value> {
    Json(json!({ "models": AGENT_MODELS }))
}

/// The configured slowness of the repositories endpoints (v0 and v1), which the real service
/// has and clients must bear.
pub(super) async fn repositories_delay(state: &Shared) {
    if !state.config.repositories_delay.is_zero() {
        tokio::time::sleep(state.config.repositories_delay).await;
    }
}

/// `GET /v0/repositories` (slow by configuration, strictly rate limited).
pub async fn repositories(State(state): State<Shared>) -> Json<Value> {
    repositories_delay(&state).await;
    let repos: Vec<Value> = REPOS
        .iter()
        .map(|full| {
            let (owner, name) = full.split_once('/').unwrap_or(("acme-corp", full));
            json!({"owner": owner, "name": name, "repository": format!("https://github.com/{full}")})
        })
        .collect();
    Json(json!({ "repositories": repos }))
}
