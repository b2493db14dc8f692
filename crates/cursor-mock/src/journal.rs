//! The journal of requests received, for tests to assert on. Authorization values are
//! redacted; the control API's own requests are not recorded.

use std::collections::BTreeMap;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt as _;
use std::sync::Arc;

use crate::error::{ApiError, Family};
use crate::state::AppState;
pub use crate::state::{Journal, JournalEntry};

/// Largest request body recorded and accepted (16 MiB); a larger one is answered `413`.
pub const MAX_BODY: usize = 16 * 1024 * 1024;

/// How much of an oversized body is read and thrown away before the `413` goes out, so that
/// a client still writing its body reads the answer rather than a reset. Past this, the
/// answer goes out at once and the connection closes.
const MAX_DRAINED: usize = 4 * MAX_BODY;

/// Headers with the key removed: only the scheme of `Authorization` survives.
pub fn redacted_headers(headers: &HeaderMap) -> BTreeMap<String, String> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = value.to_str().unwrap_or("<binary>");
            let value = if name == axum::http::header::AUTHORIZATION {
                match value.split_once(' ') {
                    Some((scheme, _)) => format!("{scheme} [REDACTED]"),
                    None => "[REDACTED]".to_owned(),
                }
            } else {
                value.to_owned()
            };
            (name.as_str().to_owned(), value)
        })
        .collect()
}

/// Middleware recording every API request and the status it got.
pub async fn record(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/__mock") {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let read = read_body(body, MAX_BODY, MAX_DRAINED).await;
    let seq = state.journal.next_seq();
    let mut entry = JournalEntry {
        seq,
        received_at: crate::dates::iso_millis(state.clock.now()),
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: redacted_headers(&parts.headers),
        body: String::new(),
        body_truncated: false,
        status: 0,
    };
    let family = Family::of(&entry.path);
    let response = match read {
        BodyRead::Complete(bytes) => {
            entry.body = String::from_utf8_lossy(&bytes).into_owned();
            next.run(Request::from_parts(parts, Body::from(bytes))).await
        }
        BodyRead::TooLarge => {
            entry.body_truncated = true;
            ApiError::payload_too_large(family, MAX_BODY).into_response()
        }
        BodyRead::Broken => ApiError::bad_request(family, "The request body could not be read").into_response(),
    };
    entry.status = response.status().as_u16();
    let is_write = !matches!(entry.method.as_str(), "GET" | "HEAD");
    state.journal.push(entry);
    if is_write {
        state.note_write();
    }
    response
}

/// How reading a request body ended.
#[derive(Debug)]
enum BodyRead {
    /// The whole body, within the limit.
    Complete(Bytes),
    /// Over the limit; what was read is thrown away.
    TooLarge,
    /// The body stream failed (the client went away mid-body).
    Broken,
}

/// Reads a body of at most `limit` bytes. A larger one is read on (and discarded) up to
/// `drain` bytes in all, then reported as [`BodyRead::TooLarge`].
async fn read_body(body: Body, limit: usize, drain: usize) -> BodyRead {
    let mut stream = body.into_data_stream();
    let mut kept: Vec<u8> = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return if seen > limit { BodyRead::TooLarge } else { BodyRead::Broken };
        };
        seen = seen.saturating_add(chunk.len());
        if seen > limit {
            kept = Vec::new();
            if seen >= drain {
                return BodyRead::TooLarge;
            }
        } else {
            kept.extend_from_slice(&chunk);
        }
    }
    if seen > limit { BodyRead::TooLarge } else { BodyRead::Complete(Bytes::from(kept)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bodies_over_the_limit_are_too_large_and_not_kept() {
        let read = |n: usize| read_body(Body::from(vec![b'x'; n]), 10, 100);
        assert!(matches!(read(10).await, BodyRead::Complete(b) if b.len() == 10));
        assert!(matches!(read(11).await, BodyRead::TooLarge));
        assert!(matches!(read(1000).await, BodyRead::TooLarge));
        assert!(matches!(read(0).await, BodyRead::Complete(b) if b.is_empty()));
    }
}
