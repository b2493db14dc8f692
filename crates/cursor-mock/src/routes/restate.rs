//! The restatement control routes under `/__mock/restate` (what they do is told in
//! [`crate::restate`]).

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use super::Shared;
use crate::restate::{CostRestatement, LateEvent};

/// The control routes (nested under `/__mock`).
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/restate", get(show).delete(clear))
        .route("/restate/costs", post(costs))
        .route("/restate/late-events", post(late_events))
}

async fn show(State(state): State<Shared>) -> Json<serde_json::Value> {
    Json(json!(&*state.restatements.lock()))
}

async fn clear(State(state): State<Shared>) -> StatusCode {
    state.restatements.clear();
    StatusCode::NO_CONTENT
}

fn bad(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": "Bad Request", "message": message}))).into_response()
}

async fn costs(State(state): State<Shared>, body: Bytes) -> Response {
    match serde_json::from_slice::<CostRestatement>(&body) {
        Ok(r) if r.factor.is_finite() && r.factor >= 0.0 && r.from_ms <= r.to_ms => {
            state.restatements.restate_costs(r.from_ms, r.to_ms, r.factor);
            Json(json!(r)).into_response()
        }
        Ok(_) => bad("factor must be a finite number ≥ 0 and fromMs ≤ toMs".into()),
        Err(e) => bad(format!("Send {{\"fromMs\", \"toMs\", \"factor\"}}: {e}")),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LateEvents {
    events: Vec<LateEvent>,
}

async fn late_events(State(state): State<Shared>, body: Bytes) -> Response {
    match serde_json::from_slice::<LateEvents>(&body) {
        Ok(late) => {
            let members = state.data.members().len();
            if let Some(e) = late.events.iter().find(|e| e.member >= members || !e.total_cents.is_finite()) {
                return bad(format!(
                    "member {} is not in the team of {members}, or totalCents is not a number",
                    e.member
                ));
            }
            let added = late.events.len();
            for event in late.events {
                state.restatements.add_late_event(event);
            }
            Json(json!({"added": added})).into_response()
        }
        Err(e) => {
            bad(format!("Send {{\"events\": [{{\"timestampMs\", \"member\", \"model\", \"totalCents\"}}]}}: {e}"))
        }
    }
}
