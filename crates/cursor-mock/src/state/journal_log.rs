//! The journal of requests received, as the server state holds it (the middleware that
//! records each request is `journal`).

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

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
    /// Body, decoded as UTF-8 (lossy); empty when `body_truncated`.
    pub body: String,
    /// Whether the body was over the 16 MiB limit (answered `413`) and is not recorded.
    #[serde(default)]
    pub body_truncated: bool,
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

    pub(crate) fn next_seq(&self) -> u64 {
        let mut seq = self.seq.lock().unwrap_or_else(|e| e.into_inner());
        *seq += 1;
        *seq
    }

    pub(crate) fn push(&self, entry: JournalEntry) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).push(entry);
    }
}
