//! Bugbot Admin API: enable or disable Bugbot on a repository.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use serde_json::{Value, json};

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
