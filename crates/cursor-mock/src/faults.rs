//! Faults on demand, globally or per route: 5xx, 429 storms, latency, truncated bodies,
//! malformed JSON, connection resets (before or after the handler ran), slow drip, corrupt
//! bodies under a valid `ETag`, short CSV rows, cross-origin redirects, huge and endless
//! bodies (streamed, never buffered), a first page repeated forever, and writes whose `2xx`
//! answer is cut short.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::{StreamExt as _, stream};

pub use crate::config::{FaultConfig, FaultSpec, RouteFault};
use crate::error::{ApiError, Family};
use crate::limits::too_many_requests;
use crate::state::AppState;
pub use crate::state::FaultState;

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
    if faults.roll(spec.redirect_rate) {
        return redirect(&request, spec.redirect_to.as_deref());
    }
    if spec.huge_body_mib > 0 || spec.endless_body {
        let csv = path.ends_with(".csv");
        let limit = (!spec.endless_body).then(|| spec.huge_body_mib.saturating_mul(1 << 20));
        return generated_body(csv, limit, Duration::from_millis(spec.endless_body_interval_ms));
    }
    let method = request.method().clone();
    let response = if spec.repeat_first_page { first_page_again(request, next).await } else { next.run(request).await };
    let response = if faults.roll(spec.corrupt_body_rate) { corrupt(response) } else { response };
    let response = if spec.short_csv_row_rate > 0.0 {
        short_csv_rows(response, spec.short_csv_row_rate, faults.seed())
    } else {
        response
    };
    let is_write = method != axum::http::Method::GET && method != axum::http::Method::HEAD;
    let response = if is_write && response.status().is_success() && faults.roll(spec.cut_write_body_rate) {
        halve_write_body(response).await
    } else {
        response
    };
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

/// `307` to the same path and query on another origin.
fn redirect(request: &Request, origin: Option<&str>) -> Response {
    let origin = origin.map(|o| o.trim_end_matches('/').to_owned()).unwrap_or_else(|| {
        let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
        let port = host.rsplit_once(':').map_or("80", |(_, port)| port);
        format!("http://127.0.0.2:{port}")
    });
    let target = request.uri().path_and_query().map_or("/", |pq| pq.as_str());
    let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("{origin}{target}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// One 16 KiB-ish piece of a generated body: whole JSON items or CSV rows, numbered from
/// `first`.
fn generated_piece(csv: bool, first: u64) -> (Vec<u8>, u64) {
    let mut out = Vec::with_capacity(17 * 1024);
    let mut n = first;
    while out.len() < 16 * 1024 {
        if csv {
            out.extend_from_slice(format!("{n},generated row {n},{}\n", "x".repeat(48)).as_bytes());
        } else {
            if n > 0 {
                out.push(b',');
            }
            out.extend_from_slice(
                format!(r#"{{"id":"item-{n:012}","value":"{}","n":{n}}}"#, "x".repeat(48)).as_bytes(),
            );
        }
        n += 1;
    }
    (out, n)
}

/// A `200` whose body is generated as it is sent: `limit` bytes (rounded up to whole items
/// and closed properly), or endless when `None`, with `interval` between pieces.
fn generated_body(csv: bool, limit: Option<u64>, interval: Duration) -> Response {
    let opening: &[u8] = if csv { b"id,message,padding\n" } else { b"{\"items\":[" };
    let closing: &[u8] = if csv { b"" } else { b"]}" };
    // (bytes sent, next item number, whether the closing went out)
    let body = stream::unfold((0u64, 0u64, false), move |(sent, next, closed)| async move {
        if closed {
            return None;
        }
        if sent == 0 {
            return Some((Ok::<_, std::io::Error>(Bytes::from_static(opening)), (opening.len() as u64, 0, false)));
        }
        if limit.is_some_and(|limit| sent >= limit) {
            return Some((Ok(Bytes::from_static(closing)), (sent, next, true)));
        }
        if interval.is_zero() {
            // Let other tasks run between pieces of an endless body sent flat out.
            tokio::task::yield_now().await;
        } else {
            tokio::time::sleep(interval).await;
        }
        let (piece, next) = generated_piece(csv, next);
        let sent = sent + piece.len() as u64;
        Some((Ok(Bytes::from(piece)), (sent, next, false)))
    });
    let content_type = if csv { "text/csv; charset=utf-8" } else { "application/json" };
    let mut response = Response::new(Body::from_stream(body));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// A `200` with an `ETag` whose body has a few bytes in the middle of its first chunk
/// overwritten with `0xFF`; length and headers stay.
fn corrupt(response: Response) -> Response {
    if response.status() != StatusCode::OK || !response.headers().contains_key(header::ETAG) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let mut first = true;
    let chunks = body.into_data_stream().map(move |chunk| {
        let chunk = chunk.map_err(std::io::Error::other)?;
        if !first || chunk.is_empty() {
            return Ok(chunk);
        }
        first = false;
        let mut bytes = chunk.to_vec();
        let middle = bytes.len() / 2;
        let end = (middle + 8).min(bytes.len());
        bytes[middle..end].fill(0xFF);
        Ok::<_, std::io::Error>(Bytes::from(bytes))
    });
    Response::from_parts(parts, Body::from_stream(chunks))
}

/// Splits a CSV byte stream into records (quotes respected) and drops the last field of a
/// data row with probability `rate`.
struct ShortRows {
    rng: fastrand::Rng,
    rate: f64,
    record: Vec<u8>,
    in_quotes: bool,
    last_comma: Option<usize>,
    header_seen: bool,
}

impl ShortRows {
    fn feed(&mut self, chunk: &[u8]) -> Bytes {
        let mut out = Vec::with_capacity(chunk.len());
        for &byte in chunk {
            self.record.push(byte);
            match byte {
                b'"' => self.in_quotes = !self.in_quotes,
                b',' if !self.in_quotes => self.last_comma = Some(self.record.len() - 1),
                b'\n' if !self.in_quotes => self.end_record(&mut out),
                _ => {}
            }
        }
        Bytes::from(out)
    }

    fn end_record(&mut self, out: &mut Vec<u8>) {
        let cut = self.header_seen && self.rng.f64() < self.rate;
        match self.last_comma {
            Some(comma) if cut => {
                let crlf = self.record.ends_with(b"\r\n");
                out.extend_from_slice(&self.record[..comma]);
                out.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
            }
            _ => out.extend_from_slice(&self.record),
        }
        self.header_seen = true;
        self.record.clear();
        self.last_comma = None;
    }
}

/// A CSV answer with some rows shorter than the header.
fn short_csv_rows(response: Response, rate: f64, seed: u64) -> Response {
    let is_csv = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv"));
    if !is_csv || !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let state = ShortRows {
        rng: fastrand::Rng::with_seed(seed),
        rate,
        record: Vec::new(),
        in_quotes: false,
        last_comma: None,
        header_seen: false,
    };
    let rows = stream::unfold((body.into_data_stream(), Some(state)), |(mut chunks, state)| async move {
        let mut state = state?;
        match chunks.next().await {
            Some(Ok(chunk)) => {
                let out = state.feed(&chunk);
                Some((Ok::<_, std::io::Error>(out), (chunks, Some(state))))
            }
            Some(Err(e)) => Some((Err(std::io::Error::other(e)), (chunks, None))),
            // The last record, if the body did not end with a newline, goes as it is.
            None => Some((Ok(Bytes::from(std::mem::take(&mut state.record))), (chunks, None))),
        }
    });
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from_stream(rows))
}

/// A write's `2xx` answer with only the first half of its body, well framed.
async fn halve_write_body(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let half = bytes.slice(..bytes.len() / 2);
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(half.len()));
    Response::from_parts(parts, Body::from(half))
}

/// Runs the handler for page 1 whatever page was asked for, then says a next page follows.
async fn first_page_again(request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut requested: u64 = 1;
    let cursor_list = parts.method == axum::http::Method::GET && parts.uri.path() == "/v0/agents";
    if let Some(query) = parts.uri.query() {
        let mut kept = Vec::new();
        for pair in query.split('&') {
            match pair.split_once('=').map_or(pair, |(name, _)| name) {
                "page" => requested = pair.split_once('=').and_then(|(_, v)| v.parse().ok()).unwrap_or(1),
                "cursor" => {}
                _ => kept.push(pair),
            }
        }
        let path = parts.uri.path();
        let target = if kept.is_empty() { path.to_owned() } else { format!("{path}?{}", kept.join("&")) };
        if let Ok(uri) = target.parse() {
            parts.uri = uri;
        }
    }
    let mut bytes = bytes;
    if let Ok(serde_json::Value::Object(mut map)) = serde_json::from_slice::<serde_json::Value>(&bytes)
        && let Some(page) = map.remove("page")
    {
        requested = page.as_u64().unwrap_or(1);
        bytes = Bytes::from(serde_json::to_vec(&map).unwrap_or_default());
        parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    }
    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    if !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    say_more_follows(&mut value, requested);
    if let (true, Some(map)) = (cursor_list, value.as_object_mut())
        && !map.contains_key("nextCursor")
    {
        let last =
            map.get("agents").and_then(|a| a.as_array()).and_then(|a| a.last()).and_then(|a| a.get("id")).cloned();
        map.insert("nextCursor".into(), last.unwrap_or_else(|| "bc_repeat".into()));
    }
    let bytes = serde_json::to_vec(&value).unwrap_or_default();
    if parts.headers.contains_key(header::ETAG)
        && let Ok(etag) = HeaderValue::from_str(&crate::cache::etag_of(&bytes))
    {
        parts.headers.insert(header::ETAG, etag);
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

/// Rewrites the pagination metadata of a page (top level and a `pagination` block) to say
/// it is page `requested` of `requested + 1`.
fn say_more_follows(value: &mut serde_json::Value, requested: u64) {
    use serde_json::{Value, json};
    let patch = |map: &mut serde_json::Map<String, Value>| {
        for (key, value) in map.iter_mut() {
            match key.as_str() {
                "hasNextPage" => *value = json!(true),
                "hasPreviousPage" => *value = json!(requested > 1),
                "page" | "currentPage" => *value = json!(requested),
                "totalPages" | "numPages" => *value = json!(requested + 1),
                _ => {}
            }
        }
        let size = map.get("pageSize").and_then(Value::as_u64).unwrap_or(1);
        for key in ["totalCount", "totalUsers", "totalMembers"] {
            if let Some(total) = map.get_mut(key) {
                let at_least = (requested + 1).saturating_mul(size);
                *total = json!(total.as_u64().unwrap_or(0).max(at_least));
            }
        }
    };
    if let Some(map) = value.as_object_mut() {
        patch(map);
        if let Some(Value::Object(block)) = map.get_mut("pagination") {
            patch(block);
        }
    }
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
