//! The journal of requests received, for tests to assert on. Authorization values are
//! redacted; the control API's own requests are not recorded.

use std::collections::BTreeMap;
use std::sync::Mutex;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use crate::state::AppState;

/// Largest request body recorded and accepted (16 MiB).
const MAX_BODY: usize = 16 * 1024 * 1024;

/// One request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Arrival order, from 1.
    pub seq: u64,
    /// Calendar time of arrival (ISO 8601).
    pub received_at: String,
    /// Method.
    pub method: String,
    /// Path, without the query.
    pub path: String,
    /// Raw query string, if any.
    pub query: Option<String>,
    /// Headers (lower-case names); `authorization` keeps its scheme only: `Basic [REDACTED]`.
    pub headers: BTreeMap<String, String>,
    /// Body, decoded as UTF-8 (lossy).
    pub body: String,
    /// Status answered.
    pub status: u16,
}

/// The journal itself.
#[derive(Debug, Default)]
pub struct Journal {
    entries: Mutex<Vec<JournalEntry>>,
    seq: Mutex<u64>,
}

impl Journal {
    /// All entries, oldest first.
    pub fn entries(&self) -> Vec<JournalEntry> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Forgets all entries.
    pub fn clear(&self) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    fn next_seq(&self) -> u64 {
        let mut seq = self.seq.lock().unwrap_or_else(|e| e.into_inner());
        *seq += 1;
        *seq
    }

    fn push(&self, entry: JournalEntry) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).push(entry);
    }
}

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
    let bytes = axum::body::to_bytes(body, MAX_BODY).await.unwrap_or_default();
    let seq = state.journal.next_seq();
    let mut entry = JournalEntry {
        seq,
        received_at: crate::dates::iso_millis(state.clock.now()),
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: redacted_headers(&parts.headers),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        status: 0,
    };
    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    entry.status = response.status().as_u16();
    state.journal.push(entry);
    response
}
