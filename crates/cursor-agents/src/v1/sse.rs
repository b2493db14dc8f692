//! A small, incremental parser of Server-Sent Events (the `text/event-stream` format of the
//! WHATWG HTML standard), fed with chunks cut anywhere.
//!
//! It follows the standard's rules: lines end with CRLF, LF or CR (a CR at the end of one
//! chunk and an LF at the start of the next are one line end); a line starting with `:` is a
//! comment; a field without a colon has an empty value; one space after the colon is dropped;
//! `data` lines join with `\n`; `id` (without NUL) sets the last event id; `retry` (ASCII digits only) sets the reconnection delay; an empty line
//! dispatches the event. An event carries the id given in its own block (`None` when it gave
//! none); [`SseParser::last_event_id`] is the standard's carried-over last event id, the one
//! to resume from. An event is dispatched when it has at least one `data` line (as the
//! standard says) or, beyond the standard, an `event` name alone (a bare `event: heartbeat`).
//! An event not ended by an empty line when the stream ends is dropped, as the standard says.
//!
//! ```
//! use cursor_agents::v1::sse::SseParser;
//! let mut parser = SseParser::new();
//! let mut events = parser.feed(b"id: 7\nevent: status\ndata: {\"status\":");
//! assert!(events.is_empty());
//! events = parser.feed(b"\"RUNNING\"}\n\n");
//! assert_eq!(events[0].event, "status");
//! assert_eq!(events[0].data, r#"{"status":"RUNNING"}"#);
//! assert_eq!(events[0].id.as_deref(), Some("7"));
//! ```

use std::time::Duration;

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseEvent {
    /// The event type (`event:` field), `message` when none was given.
    pub event: String,
    /// The data lines joined with `\n`.
    pub data: String,
    /// The id this event's own block gave (`id:`), if any. Heartbeats usually have none.
    pub id: Option<String>,
}

/// The parser's state between chunks.
#[derive(Debug, Clone, Default)]
pub struct SseParser {
    /// Bytes of the line not ended yet.
    line: Vec<u8>,
    /// The previous chunk ended with CR: an LF at the start of this one ends nothing.
    after_cr: bool,
    /// Whether the first line's byte-order mark has been dealt with.
    started: bool,
    event: String,
    data: String,
    has_data: bool,
    /// The id given in the block being read.
    block_id: Option<String>,
    last_id: Option<String>,
    retry: Option<Duration>,
}

impl SseParser {
    /// A parser at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// A parser for a resumed stream: it starts with the id of the last event received, as
    /// the standard keeps the last event id across reconnections.
    pub fn resuming(last_id: Option<String>) -> Self {
        Self { last_id, ..Self::default() }
    }

    /// The reconnection delay the server asked for with `retry:`, if it did.
    pub fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// The last event id seen (`id:` field), if any.
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    /// Feeds a chunk and returns the events it completed, in order.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        let mut events = Vec::new();
        let mut rest = chunk;
        // An empty chunk must not forget that the last one ended with CR.
        if self.after_cr && !rest.is_empty() {
            self.after_cr = false;
            if let Some((b'\n', tail)) = rest.split_first() {
                rest = tail;
            }
        }
        while let Some(end) = rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.line.extend_from_slice(&rest[..end]);
            let was_cr = rest[end] == b'\r';
            rest = &rest[end + 1..];
            if was_cr {
                match rest.first() {
                    Some(b'\n') => rest = &rest[1..],
                    None => self.after_cr = true,
                    Some(_) => {}
                }
            }
            let line = std::mem::take(&mut self.line);
            if let Some(event) = self.process_line(&line) {
                events.push(event);
            }
        }
        self.line.extend_from_slice(rest);
        events
    }

    fn process_line(&mut self, raw: &[u8]) -> Option<SseEvent> {
        let mut bytes = raw;
        if !self.started {
            self.started = true;
            bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        }
        if bytes.is_empty() {
            return self.dispatch();
        }
        let line = String::from_utf8_lossy(bytes);
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        match field {
            "event" => self.event = value.to_owned(),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => {
                self.last_id = Some(value.to_owned()).filter(|v| !v.is_empty());
                self.block_id.clone_from(&self.last_id);
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse::<u64>().ok().map(Duration::from_millis);
            }
            _ => {}
        }
        None
    }

    fn dispatch(&mut self) -> Option<SseEvent> {
        let event = std::mem::take(&mut self.event);
        let data = std::mem::take(&mut self.data);
        let has_data = std::mem::replace(&mut self.has_data, false);
        let id = self.block_id.take();
        if !has_data && event.is_empty() {
            return None;
        }
        let event = if event.is_empty() { "message".to_owned() } else { event };
        Some(SseEvent { event, data, id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_retry_and_fields_without_colon() {
        let mut parser = SseParser::new();
        let events = parser.feed(b": hello\nretry: 1500\nretry: 1x\ndata\ndata:  two spaces\n\n");
        assert_eq!(events, vec![SseEvent { event: "message".into(), data: "\n two spaces".into(), id: None }]);
        assert_eq!(parser.retry(), Some(Duration::from_millis(1500)));
    }

    #[test]
    fn cr_at_a_chunk_end_and_lf_at_the_next_start_are_one_line_end() {
        let mut parser = SseParser::new();
        assert!(parser.feed(b"data: a\r").is_empty());
        assert!(parser.feed(b"").is_empty(), "an empty chunk changes nothing");
        let events = parser.feed(b"\n\r\n");
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(events[0].data, "a");
    }

    #[test]
    fn an_unfinished_event_is_not_dispatched_and_the_last_id_carries_over() {
        let mut parser = SseParser::new();
        let events = parser.feed(b"id: 1\ndata: x\n\ndata: y\n\ndata: z");
        assert_eq!(events.iter().map(|e| e.id.as_deref()).collect::<Vec<_>>(), vec![Some("1"), None]);
        assert_eq!(parser.last_event_id(), Some("1"));
    }
}
