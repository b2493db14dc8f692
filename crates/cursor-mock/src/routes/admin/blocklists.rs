//! `/settings/repo-blocklists/repos`: repository blocklists, listed, upserted and deleted.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{FAMILY, bad};
use crate::auth::ApiKey;
use crate::error::{ApiError, ApiResult};
use crate::routes::{Shared, json_body};
use crate::state::BlocklistRepo;

fn blocklist_json(repos: &[BlocklistRepo]) -> Value {
    let repos: Vec<Value> = repos.iter().map(|r| json!({"id": r.id, "url": r.url, "patterns": r.patterns})).collect();
    json!({ "repos": repos })
}

/// `GET /settings/repo-blocklists/repos`.
pub async fn blocklists(State(state): State<Shared>, Extension(key): Extension<ApiKey>) -> Json<Value> {
    Json(state.with_team(&key.0, |team, _| blocklist_json(&team.blocklists)))
}

/// `POST /settings/repo-blocklists/repos/upsert`: replaces the patterns of the given repos
/// and answers the whole updated list.
pub async fn upsert_blocklists(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: Value = json_body(FAMILY, &body)?;
    let Some(repos) = body.get("repos").and_then(Value::as_array) else {
        return Err(bad("repos is required: an array of {url, patterns}"));
    };
    let mut parsed = Vec::new();
    for (i, repo) in repos.iter().enumerate() {
        let url = repo
            .get("url")
            .and_then(Value::as_str)
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| bad(format!("repos[{i}].url is required")))?;
        let patterns = repo
            .get("patterns")
            .and_then(Value::as_array)
            .ok_or_else(|| bad(format!("repos[{i}].patterns is required: an array of strings")))?
            .iter()
            .map(|p| p.as_str().map(str::to_owned))
            .collect::<Option<Vec<String>>>()
            .ok_or_else(|| bad(format!("repos[{i}].patterns must contain only strings")))?;
        parsed.push((url.trim().to_owned(), patterns));
    }
    Ok(Json(state.with_team(&key.0, |team, _| {
        for (url, patterns) in parsed {
            if let Some(existing) = team.blocklists.iter_mut().find(|r| r.url == url) {
                existing.patterns = patterns;
            } else {
                let id = format!("repo_{}", 1000 + team.next_repo);
                team.next_repo += 1;
                team.blocklists.push(BlocklistRepo { id, url, patterns });
            }
        }
        blocklist_json(&team.blocklists)
    })))
}

/// `DELETE /settings/repo-blocklists/repos/:repoId`: `204`.
pub async fn delete_blocklist(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(repo_id): Path<String>,
) -> ApiResult<StatusCode> {
    state.with_team(&key.0, |team, _| {
        let before = team.blocklists.len();
        team.blocklists.retain(|r| r.id != repo_id);
        if team.blocklists.len() == before {
            Err(ApiError::not_found(FAMILY, format!("Repository blocklist {repo_id} not found")))
        } else {
            Ok(StatusCode::NO_CONTENT)
        }
    })
}
