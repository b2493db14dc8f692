//! The control API under `/__mock/`: no auth, not journaled. Journal, faults, clock, reset,
//! webhook deliveries and the team roster.

use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Shared;
use crate::faults::FaultConfig;

/// Routes of the control API (nested under `/__mock`).
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/health", get(|| async { Json(json!({"status": "ok"})) }))
        .route("/journal", get(journal).delete(clear_journal))
        .route("/faults", get(faults).put(set_faults).delete(clear_faults))
        .route("/reset", post(reset))
        .route("/clock", get(clock))
        .route("/clock/advance", post(advance))
        .route("/webhooks", get(webhooks))
        .route("/team", get(team))
        .merge(super::restate::router())
}

async fn journal(State(state): State<Shared>) -> Json<Value> {
    let mut entries = state.journal.entries();
    entries.sort_by_key(|e| e.seq);
    Json(json!(entries))
}

async fn clear_journal(State(state): State<Shared>) -> StatusCode {
    state.journal.clear();
    StatusCode::NO_CONTENT
}

async fn faults(State(state): State<Shared>) -> Json<FaultConfig> {
    Json(state.faults.get())
}

async fn set_faults(State(state): State<Shared>, body: Bytes) -> Response {
    match serde_json::from_slice::<FaultConfig>(&body) {
        Ok(config) => {
            state.faults.set(config.clone());
            Json(config).into_response()
        }
        Err(e) => (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "Bad Request", "message": format!("Invalid fault configuration: {e}")})),
        )
            .into_response(),
    }
}

async fn clear_faults(State(state): State<Shared>) -> StatusCode {
    state.faults.set(FaultConfig::default());
    StatusCode::NO_CONTENT
}

/// Forgets every team's changes, rate-limit windows, the journal and runtime faults.
async fn reset(State(state): State<Shared>) -> StatusCode {
    state.reset();
    state.faults.set(state.config.faults.clone());
    StatusCode::NO_CONTENT
}

fn clock_json(state: &Shared) -> Value {
    json!({
        "now": crate::dates::iso_millis(state.clock.now()),
        "simElapsedMs": state.clock.sim_elapsed().as_millis() as u64,
        "timeScale": state.clock.time_scale(),
    })
}

async fn clock(State(state): State<Shared>) -> Json<Value> {
    Json(clock_json(&state))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    seconds: Option<f64>,
    ms: Option<u64>,
}

/// Moves both clocks forward (`{"seconds": 90}` or `{"ms": 1500}`), then lets agents catch up.
async fn advance(State(state): State<Shared>, body: Bytes) -> Response {
    let by = match serde_json::from_slice::<Advance>(&body) {
        Ok(Advance { seconds: Some(s), ms: None }) if s.is_finite() && s >= 0.0 => Duration::from_secs_f64(s),
        Ok(Advance { seconds: None, ms: Some(ms) }) => Duration::from_millis(ms),
        _ => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": "Bad Request", "message": "Send {\"seconds\": N} or {\"ms\": N}"})),
            )
                .into_response();
        }
    };
    state.clock.advance(by);
    state.tick();
    Json(clock_json(&state)).into_response()
}

async fn webhooks(State(state): State<Shared>) -> Json<Value> {
    Json(json!(state.webhooks.deliveries()))
}

/// The roster with every identifier, so tests can name users without scraping endpoints.
async fn team(State(state): State<Shared>) -> Json<Value> {
    let members: Vec<Value> = state
        .data
        .members()
        .iter()
        .map(|m| {
            json!({
                "index": m.index,
                "userId": m.user_id,
                "numericId": m.numeric_id,
                "name": m.name,
                "email": m.email,
                "role": m.role,
                "privacyMode": m.privacy_mode,
            })
        })
        .collect();
    Json(json!({"seed": state.data.seed(), "members": members}))
}
