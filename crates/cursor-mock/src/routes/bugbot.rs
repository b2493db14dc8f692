//! Bugbot API: enable or disable Bugbot on a repository, and review a pull request (current
//! documents).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use serde_json::{Value, json};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{Shared, json_body};
use crate::auth::ApiKey;
use crate::error::{ApiError, ApiResult, Family};

const FAMILY: Family = Family::Bugbot;

/// `POST /bugbot/repo/update`. The documents do not show the answer; it echoes the state
/// now stored ("the API response shows the current state in the database").
pub async fn update(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: Value = json_body(FAMILY, &body)?;
    let repo_url = body
        .get("repoUrl")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .ok_or_else(|| ApiError::bad_request(FAMILY, "repoUrl is required: the full URL of the repository"))?;
    if !(repo_url.starts_with("https://") || repo_url.starts_with("http://")) {
        return Err(ApiError::bad_request(FAMILY, format!("repoUrl must be a full URL, got '{repo_url}'")));
    }
    let enabled = body
        .get("enabled")
        .and_then(Value::as_bool)
        .ok_or_else(|| ApiError::bad_request(FAMILY, "enabled is required: true or false"))?;
    let repo_url = repo_url.trim_end_matches('/').to_owned();
    state.with_team(&key.0, |team, _| {
        team.bugbot.insert(repo_url.clone(), enabled);
    });
    Ok(Json(json!({"repoUrl": repo_url, "enabled": enabled})))
}

fn review_error(message: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"outcome": "error", "message": message.into()}))).into_response()
}

/// Whether a URL names a pull request (GitHub `/pull/N`, GitLab `/merge_requests/N`).
fn is_pr_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else { return false };
    let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    parts.len() >= 5
        && matches!(parts[parts.len() - 2], "pull" | "merge_requests")
        && parts[parts.len() - 1].parse::<u64>().is_ok_and(|n| n > 0)
}

/// `POST /bugbot/review`: `prUrl`, `dryRun`, `postSuccessComment`. A `400` answers
/// `{"outcome": "error", "message"}`. Dry runs count against their own 10-a-minute bucket on
/// top of the review bucket the middleware counted.
pub async fn review(State(state): State<Shared>, Extension(key): Extension<ApiKey>, body: Bytes) -> Response {
    let body: Value = match serde_json::from_slice(if body.is_empty() { b"{}" } else { &body }) {
        Ok(value) => value,
        Err(e) => return review_error(format!("Invalid JSON body: {e}")),
    };
    let Some(pr_url) = body.get("prUrl").and_then(Value::as_str).map(str::trim).filter(|u| !u.is_empty()) else {
        return review_error("prUrl is required: the pull request's URL");
    };
    if !is_pr_url(pr_url) {
        return review_error(format!(
            "prUrl must be a pull request URL such as https://github.com/org/repo/pull/42, got '{pr_url}'"
        ));
    }
    let flag = |name: &str| match body.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(format!("{name} must be true or false, got {other}")),
    };
    let (dry_run, post_success) = match (flag("dryRun"), flag("postSuccessComment")) {
        (Ok(d), Ok(p)) => (d, p),
        (Err(m), _) | (_, Err(m)) => return review_error(m),
    };
    let limits = &state.config.rate_limits;
    if dry_run && limits.enabled {
        let rule = crate::limits::bugbot_dry_run_rule(limits);
        if let Err(wait) = state.limiter.check(&key.0, "bugbot:review-dry-run", &[rule], state.clock.sim_elapsed()) {
            return crate::limits::too_many_requests(FAMILY, state.clock.to_real(wait));
        }
    }
    let request_id =
        format!("req_{:016x}", crate::data::hash_str(&format!("{}|{pr_url}|{:?}", key.0, state.clock.sim_elapsed())));
    let message = if dry_run {
        format!("Dry run: Bugbot would review {pr_url}; nothing was posted")
    } else if post_success {
        format!("Bugbot review started for {pr_url}; a comment is posted even if no issues are found")
    } else {
        format!("Bugbot review started for {pr_url}")
    };
    Json(json!({"outcome": "success", "message": message, "request_id": request_id, "dry_run": dry_run}))
        .into_response()
}
