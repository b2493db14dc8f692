//! Faults on demand, globally or per route: 5xx, 429 storms, latency, truncated bodies,
//! malformed JSON, connection resets (before or after the handler ran) and slow drip.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, Family};
use crate::limits::too_many_requests;
use crate::state::AppState;

/// What can go wrong with one response. Probabilities are in `[0, 1]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultSpec {
    /// Probability of answering a 5xx instead of the real response.
    pub error_rate: f64,
    /// Statuses to pick from for `error_rate` (default 500, 502, 503).
    pub error_statuses: Vec<u16>,
    /// Probability of answering `429` (with `Retry-After: 1`) whatever the real limits say.
    pub rate_limit_rate: f64,
    /// Delay added before answering, in real milliseconds.
    pub latency_ms: u64,
    /// Probability of cutting the body in half and closing the connection.
    pub truncate_rate: f64,
    /// Probability of answering `200` with a body that is not valid JSON.
    pub malformed_json_rate: f64,
    /// Probability of closing the connection before any body byte.
    pub reset_rate: f64,
    /// Probability of letting the handler run (its state changes stay) and then closing the
    /// connection without sending its answer: the client cannot tell whether the request
    /// took effect.
    #[serde(alias = "reset_after_handling")]
    pub reset_after_handling_rate: f64,
    /// Slow drip: send the body this many bytes at a time (0 = off).
    pub drip_chunk_bytes: usize,
    /// Slow drip: real milliseconds between chunks.
    pub drip_interval_ms: u64,
    /// Cut the body after this many bytes: they pass as they come (nothing is buffered, so
    /// it works on endless event streams), then the connection closes mid-body, possibly in
    /// the middle of an event.
    pub cut_body_after_bytes: Option<usize>,
}

impl FaultSpec {
    fn is_noop(&self) -> bool {
        *self == Self::default()
    }
}

/// A fault for some routes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RouteFault {
    /// Path prefix the rule applies to (`/analytics/team/` covers all team endpoints).
    pub path: String,
    /// Method it applies to; any if absent.
    pub method: Option<String>,
    /// The fault.
    pub fault: FaultSpec,
    /// Apply to this many matching requests only, then retire the rule; forever if absent.
    pub times: Option<u32>,
}

/// Every fault in force: the first matching route rule wins, else the global one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Applies to every API request no rule matches.
    pub global: FaultSpec,
    /// Per-route rules.
    pub routes: Vec<RouteFault>,
}

/// The faults in force and the generator deciding each roll.
#[derive(Debug)]
pub struct FaultState {
    config: Mutex<FaultConfig>,
    rng: Mutex<fastrand::Rng>,
}

impl FaultState {
    /// Initial faults; rolls are seeded so that runs repeat.
    pub fn new(config: FaultConfig, seed: u64) -> Self {
        Self { config: Mutex::new(config), rng: Mutex::new(fastrand::Rng::with_seed(seed ^ 0xfa17)) }
    }

    /// The faults in force.
    pub fn get(&self) -> FaultConfig {
        self.config.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces the faults in force.
    pub fn set(&self, config: FaultConfig) {
        *self.config.lock().unwrap_or_else(|e| e.into_inner()) = config;
    }

    /// The fault for a request, consuming one use of a counted rule.
    fn select(&self, method: &str, path: &str) -> FaultSpec {
        let mut config = self.config.lock().unwrap_or_else(|e| e.into_inner());
        let found = config.routes.iter().position(|rule| {
            path.starts_with(&rule.path) && rule.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
        });
        match found {
            Some(i) => {
                let spec = config.routes[i].fault.clone();
                if let Some(times) = config.routes[i].times.as_mut() {
                    *times = times.saturating_sub(1);
                    if *times == 0 {
                        config.routes.remove(i);
                    }
                }
                spec
            }
            None => config.global.clone(),
        }
    }

    fn roll(&self, probability: f64) -> bool {
        probability > 0.0 && self.rng.lock().unwrap_or_else(|e| e.into_inner()).f64() < probability
    }

    fn pick_status(&self, statuses: &[u16]) -> StatusCode {
        let default = [500, 502, 503];
        let statuses = if statuses.is_empty() { &default[..] } else { statuses };
        let i = self.rng.lock().unwrap_or_else(|e| e.into_inner()).usize(..statuses.len());
        StatusCode::from_u16(statuses[i]).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// A body that sends `prefix` and then fails, which makes the server drop the connection.
/// With `flush_first`, the failure waits a moment so that the head and the prefix reach the
/// client before the connection closes (a truncation rather than a reset).
fn broken_body(prefix: Bytes, flush_first: bool) -> Body {
    let steps = stream::unfold(0u8, move |step| {
        let prefix = prefix.clone();
        async move {
            match step {
                0 if !prefix.is_empty() => Some((Ok(prefix), 1)),
                0 | 1 => {
                    if flush_first {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    let reset = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected fault");
                    Some((Err(reset), 2))
                }
                _ => None,
            }
        }
    });
    Body::from_stream(steps)
}

/// `body` passed through for its first `limit` bytes, then broken off like [`broken_body`].
fn cut_body(body: Body, limit: usize) -> Body {
    let chunks = body.into_data_stream();
    let steps = stream::unfold((chunks, limit, false), |(mut chunks, left, broken)| async move {
        use futures_util::StreamExt as _;
        if broken {
            return None;
        }
        if left == 0 {
            // Let what was sent reach the client before the connection closes.
            tokio::time::sleep(Duration::from_millis(20)).await;
            let reset = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected stream cut");
            return Some((Err(reset), (chunks, 0, true)));
        }
        match chunks.next().await {
            Some(Ok(chunk)) if chunk.len() <= left => {
                let left = left - chunk.len();
                Some((Ok(chunk), (chunks, left, false)))
            }
            Some(Ok(chunk)) => Some((Ok(chunk.slice(..left)), (chunks, 0, false))),
            Some(Err(error)) => Some((Err(std::io::Error::other(error)), (chunks, 0, true))),
            None => None,
        }
    });
    Body::from_stream(steps)
}

/// Middleware applying the fault selected for the request.
pub async fn inject(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let family = Family::of(&path);
    if family == Family::Control {
        return next.run(request).await;
    }
    let spec = state.faults.select(request.method().as_str(), &path);
    if spec.is_noop() {
        return next.run(request).await;
    }
    if spec.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(spec.latency_ms)).await;
    }
    let faults = &state.faults;
    if faults.roll(spec.reset_rate) {
        let mut response = Response::new(broken_body(Bytes::new(), false));
        response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from_static("64"));
        return response;
    }
    if faults.roll(spec.error_rate) {
        return ApiError::server_error(family, faults.pick_status(&spec.error_statuses)).into_response();
    }
    if faults.roll(spec.rate_limit_rate) {
        return too_many_requests(family, Duration::from_secs(1));
    }
    let response = next.run(request).await;
    if faults.roll(spec.reset_after_handling_rate) {
        // The handler's status stays in the head (and the journal), but no body byte is sent
        // and the connection closes: the work is done, the client never hears of it.
        let (mut parts, _) = response.into_parts();
        if matches!(parts.status, StatusCode::NO_CONTENT | StatusCode::NOT_MODIFIED) {
            // These never carry a body, so the server would not even try to send one.
            parts.status = StatusCode::OK;
        }
        parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from_static("64"));
        return Response::from_parts(parts, broken_body(Bytes::new(), false));
    }
    if let Some(limit) = spec.cut_body_after_bytes {
        let (parts, body) = response.into_parts();
        return Response::from_parts(parts, cut_body(body, limit));
    }
    let truncate = faults.roll(spec.truncate_rate);
    let malformed = !truncate && faults.roll(spec.malformed_json_rate);
    let drip = spec.drip_chunk_bytes > 0;
    if !(truncate || malformed || drip) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if truncate {
        // Announce the full length, send half, then close: the client sees an early EOF.
        parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
        let half = bytes.slice(..bytes.len() / 2);
        return Response::from_parts(parts, broken_body(half, true));
    }
    if malformed {
        // A complete, well-framed HTTP answer whose JSON stops in the middle.
        let mut broken = bytes.slice(..bytes.len() / 2).to_vec();
        broken.extend_from_slice(b"<<malformed");
        parts.status = StatusCode::OK;
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        return Response::from_parts(parts, Body::from(broken));
    }
    let chunk = spec.drip_chunk_bytes;
    let interval = Duration::from_millis(spec.drip_interval_ms);
    let pieces: Vec<Bytes> =
        (0..bytes.len()).step_by(chunk).map(|start| bytes.slice(start..(start + chunk).min(bytes.len()))).collect();
    let dripping = stream::unfold((pieces.into_iter(), true), move |(mut rest, first)| async move {
        let piece = rest.next()?;
        if !first {
            tokio::time::sleep(interval).await;
        }
        Some((Ok::<_, std::io::Error>(piece), (rest, false)))
    });
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from_stream(dripping))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_route_rules_retire_and_fall_back_to_global() {
        let state = FaultState::new(
            FaultConfig {
                global: FaultSpec { latency_ms: 5, ..FaultSpec::default() },
                routes: vec![RouteFault {
                    path: "/teams/".into(),
                    method: Some("GET".into()),
                    fault: FaultSpec { error_rate: 1.0, ..FaultSpec::default() },
                    times: Some(2),
                }],
            },
            1,
        );
        assert_eq!(state.select("GET", "/teams/members").error_rate, 1.0);
        assert_eq!(state.select("POST", "/teams/spend").latency_ms, 5, "method must match");
        assert_eq!(state.select("GET", "/teams/members").error_rate, 1.0);
        assert_eq!(state.select("GET", "/teams/members").error_rate, 0.0);
        assert!(state.get().routes.is_empty());
    }
}
