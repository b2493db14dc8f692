//! `POST /teams/user-spend-limit`: setting or clearing a member's spend limit.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::FAMILY;
use crate::auth::ApiKey;
use crate::routes::{Shared, json_body};

fn outcome_error(message: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"outcome": "error", "message": message.into()}))).into_response()
}

fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
}

/// `POST /teams/user-spend-limit`.
pub async fn user_spend_limit(State(state): State<Shared>, Extension(key): Extension<ApiKey>, body: Bytes) -> Response {
    let body: Value = match json_body(FAMILY, &body) {
        Ok(v) => v,
        Err(e) => return outcome_error(e.message),
    };
    let Some(email) = body.get("userEmail").and_then(Value::as_str) else {
        return outcome_error("userEmail is required");
    };
    if !looks_like_email(email) {
        return outcome_error("Invalid email format");
    }
    let Some(member) = state.data.find_member(email).filter(|_| email.contains('@')) else {
        return outcome_error(format!("User {email} is not a member of this team"));
    };
    let limit = match body.get("spendLimitDollars") {
        None => return outcome_error("spendLimitDollars is required (an integer, or null to remove the limit)"),
        Some(Value::Null) => None,
        Some(v) => match v.as_i64() {
            Some(n) if n >= 0 => Some(n),
            Some(_) => return outcome_error("spendLimitDollars cannot be negative"),
            None => return outcome_error("Only integer values are accepted (no decimal amounts)"),
        },
    };
    let index = member.index;
    state.with_team(&key.0, |team, _| match limit {
        Some(n) => team.spend_limits.insert(index, n),
        None => team.spend_limits.remove(&index),
    });
    let message = match limit {
        Some(n) => format!("Spend limit set to ${n} for user {}", member.email),
        None => format!("Spend limit removed for user {}", member.email),
    };
    Json(json!({"outcome": "success", "message": message})).into_response()
}
