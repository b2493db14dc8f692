//! The router: every documented endpoint, the control API, and the middleware stack
//! (journal → faults → auth → rate limits → handler), plus helpers shared by handlers.

pub mod admin;
pub mod agents;
pub mod agents_v1;
pub mod aicode;
pub mod analytics;
pub mod bugbot;
pub mod control;
pub mod restate;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::http::Uri;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::de::DeserializeOwned;

use crate::data::TeamData;
use crate::error::{ApiError, ApiResult, Family};
use crate::state::AppState;

/// The state handlers receive.
pub type Shared = Arc<AppState>;
/// Query parameters.
pub type Params = HashMap<String, String>;

/// The whole application.
pub fn router(state: Shared) -> Router {
    Router::new()
        .merge(admin::router())
        // Analytics API.
        .route("/analytics/team/{metric}", get(analytics::team))
        .route("/analytics/by-user/{metric}", get(analytics::by_user))
        // AI Code Tracking API.
        .route("/analytics/ai-code/commits", get(aicode::commits))
        .route("/analytics/ai-code/commits.csv", get(aicode::commits_csv))
        .route("/analytics/ai-code/changes", get(aicode::changes))
        .route("/analytics/ai-code/changes.csv", get(aicode::changes_csv))
        .route("/analytics/ai-code/commits/{commit_hash}", get(aicode::commits_by_hash))
        // Bugbot.
        .route("/bugbot/repo/update", post(bugbot::update))
        .route("/bugbot/review", post(bugbot::review))
        // Cloud Agents API.
        .route("/v0/agents", get(agents::list).post(agents::launch))
        .route("/v0/agents/{id}", get(agents::get).delete(agents::delete))
        .route("/v0/agents/{id}/conversation", get(agents::conversation))
        .route("/v0/agents/{id}/followup", post(agents::followup))
        .route("/v0/agents/{id}/stop", post(agents::stop))
        .route("/v0/me", get(agents::me))
        .route("/v0/models", get(agents::models))
        .route("/v0/repositories", get(agents::repositories))
        // Cloud Agents API v1.
        .route("/v1/agents", get(agents_v1::list).post(agents_v1::create))
        .route("/v1/agents/{id}", get(agents_v1::get).delete(agents_v1::delete))
        .route("/v1/agents/{id}/archive", post(agents_v1::archive))
        .route("/v1/agents/{id}/unarchive", post(agents_v1::unarchive))
        .route("/v1/agents/{id}/runs", get(agents_v1::list_runs).post(agents_v1::create_run))
        .route("/v1/agents/{id}/runs/{run_id}", get(agents_v1::get_run))
        .route("/v1/agents/{id}/runs/{run_id}/stream", get(agents_v1::stream))
        .route("/v1/agents/{id}/runs/{run_id}/cancel", post(agents_v1::cancel_run))
        .route("/v1/agents/{id}/artifacts", get(agents_v1::artifacts))
        .route("/v1/agents/{id}/artifacts/download", get(agents_v1::download))
        .route("/v1/agents/{id}/usage", get(agents_v1::usage))
        .route("/v1/me", get(agents::me))
        .route("/v1/models", get(agents_v1::models))
        .route("/v1/repositories", get(agents_v1::repositories))
        .nest("/__mock", control::router())
        .fallback(not_found)
        // The last layer added runs first.
        .layer(from_fn_with_state(state.clone(), crate::limits::enforce))
        .layer(from_fn_with_state(state.clone(), crate::auth::authenticate))
        .layer(from_fn_with_state(state.clone(), crate::faults::inject))
        .layer(from_fn_with_state(state.clone(), crate::journal::record))
        .with_state(state)
}

async fn not_found(uri: Uri) -> Response {
    let family = Family::of(uri.path());
    let message = match family {
        Family::Agents => "Not found",
        _ => "Resource not found",
    };
    ApiError::not_found(family, message).into_response()
}

/// Parses a JSON body; an empty body reads as `{}` (optional-parameter POSTs send none).
pub fn json_body<T: DeserializeOwned>(family: Family, body: &Bytes) -> ApiResult<T> {
    let bytes: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { body };
    serde_json::from_slice(bytes).map_err(|e| ApiError::bad_request(family, format!("Invalid JSON body: {e}")))
}

/// An integer query parameter within bounds.
pub fn int_param(q: &Params, name: &str, default: u64, min: u64, max: u64, family: Family) -> ApiResult<u64> {
    let Some(raw) = q.get(name) else {
        return Ok(default);
    };
    match raw.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ if max == u64::MAX => {
            Err(ApiError::bad_request(family, format!("{name} must be an integer of at least {min}, got '{raw}'")))
        }
        _ => Err(ApiError::bad_request(
            family,
            format!("{name} must be an integer between {min} and {max}, got '{raw}'"),
        )),
    }
}

/// An integer from a JSON body within bounds.
pub fn int_field(
    value: Option<&serde_json::Value>,
    name: &str,
    default: u64,
    min: u64,
    max: u64,
    family: Family,
) -> ApiResult<u64> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(default),
        Some(v) => match v.as_u64() {
            Some(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::bad_request(
                family,
                format!("{name} must be an integer between {min} and {max}, got {v}"),
            )),
        },
    }
}

/// Members named by a comma-separated list of emails, `user_…` ids or numeric ids.
pub fn users_filter(data: &TeamData, raw: &str, family: Family) -> ApiResult<Vec<usize>> {
    let mut out = Vec::new();
    for ident in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match data.find_member(ident) {
            Some(m) if !out.contains(&m.index) => out.push(m.index),
            Some(_) => {}
            None => return Err(ApiError::bad_request(family, "Some users are not in the team")),
        }
    }
    Ok(out)
}

/// `ceil(total / size)`.
pub fn page_count(total: u64, size: u64) -> u64 {
    total.div_ceil(size.max(1))
}

/// The `[start, end)` slice of a page.
pub fn page_window(total: u64, page: u64, size: u64) -> std::ops::Range<u64> {
    let start = page.saturating_sub(1).saturating_mul(size).min(total);
    start..start.saturating_add(size).min(total)
}
