//! A run's live events (`GET /v1/agents/{id}/runs/{runId}/stream`): typed events over a
//! Server-Sent-Event stream that resumes by itself after a dropped connection, delivering no
//! event twice and losing none.

use std::collections::{HashSet, VecDeque};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use cursor_core::{BoxStream, ByteStream, Client, Error, Extra, Request, Result};
use futures_util::Stream;
use futures_util::StreamExt as _;
use futures_util::future::BoxFuture;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::v1::endpoints::STREAM_RUN;
use crate::v1::errors::V1ErrorExt as _;
use crate::v1::models::RunStatus;
use crate::v1::sse::{SseEvent, SseParser};

/// The header the server reports its retention window in.
pub const RETENTION_HEADER: &str = "X-Cursor-Stream-Retention-Seconds";
/// The header a resumed request names the last event received in.
pub const LAST_EVENT_ID_HEADER: &str = "Last-Event-ID";

/// `status` data: the run's new status.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StatusData {
    /// The status, when the event gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<RunStatus>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `assistant` and `thinking` data: text from the agent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TextData {
    /// The text (the raw data when it is not JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `tool_call` data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ToolCallData {
    /// The tool's name, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Fields this SDK does not know (arguments, results…).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `result` data: how the run ended.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ResultData {
    /// The terminal status, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<RunStatus>,
    /// Fields this SDK does not know (summary, pull request…).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `error` data: the run hit an error.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ErrorData {
    /// A machine-readable code, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// A message (the raw data when it is not JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// What an event says, by its type.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RunEventData {
    /// `status`: the run's status changed.
    Status(StatusData),
    /// `assistant`: the agent's answer text.
    Assistant(TextData),
    /// `thinking`: the agent's reasoning text.
    Thinking(TextData),
    /// `tool_call`: the agent used a tool.
    ToolCall(ToolCallData),
    /// `heartbeat`: the connection is alive.
    Heartbeat,
    /// `result`: how the run ended.
    Result(ResultData),
    /// `error`: the run hit an error.
    Error(ErrorData),
    /// `done`: the stream is complete.
    Done,
    /// A type this SDK does not know; the raw data is in [`RunEvent::raw`].
    Unknown,
}

/// One event of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunEvent {
    /// The event's id, when it has one (heartbeats usually do not).
    pub id: Option<String>,
    /// The event type as sent (`status`, `assistant`, …).
    pub event: String,
    /// The decoded data.
    pub data: RunEventData,
    /// The data exactly as sent.
    pub raw: String,
}

impl RunEvent {
    /// Decodes an SSE event. Data that does not decode as the type's JSON shape is kept in
    /// `raw`, with the fields the SDK could read (text kinds take the raw text).
    ///
    /// ```
    /// use cursor_agents::v1::sse::SseEvent;
    /// use cursor_agents::v1::{RunEvent, RunEventData, RunStatus};
    /// let sse = SseEvent { event: "status".into(), data: r#"{"status":"RUNNING"}"#.into(), id: Some("4".into()) };
    /// let event = RunEvent::from_sse(sse);
    /// assert_eq!(event.status(), Some(RunStatus::Running));
    /// let odd = RunEvent::from_sse(SseEvent { event: "novel".into(), data: "x".into(), id: None });
    /// assert_eq!((odd.data, odd.raw.as_str()), (RunEventData::Unknown, "x"));
    /// ```
    pub fn from_sse(sse: SseEvent) -> Self {
        fn json<T: DeserializeOwned + Default>(raw: &str) -> T {
            serde_json::from_str(raw).unwrap_or_default()
        }
        let raw = sse.data;
        let text = |raw: &str| {
            serde_json::from_str::<TextData>(raw)
                .unwrap_or_else(|_| TextData { text: Some(raw.to_owned()), extra: Extra::new() })
        };
        let data = match sse.event.as_str() {
            "status" => RunEventData::Status(json(&raw)),
            "assistant" => RunEventData::Assistant(text(&raw)),
            "thinking" => RunEventData::Thinking(text(&raw)),
            "tool_call" => RunEventData::ToolCall(json(&raw)),
            "heartbeat" => RunEventData::Heartbeat,
            "result" => RunEventData::Result(json(&raw)),
            "error" => RunEventData::Error(serde_json::from_str(&raw).unwrap_or_else(|_| ErrorData {
                message: Some(raw.clone()).filter(|m| !m.is_empty()),
                ..ErrorData::default()
            })),
            "done" => RunEventData::Done,
            _ => RunEventData::Unknown,
        };
        Self { id: sse.id, event: sse.event, data, raw }
    }

    /// The run status a `status` or `result` event reports.
    pub fn status(&self) -> Option<RunStatus> {
        match &self.data {
            RunEventData::Status(data) => data.status.clone(),
            RunEventData::Result(data) => data.status.clone(),
            _ => None,
        }
    }

    /// The text of an `assistant` or `thinking` event.
    pub fn text(&self) -> Option<&str> {
        match &self.data {
            RunEventData::Assistant(data) | RunEventData::Thinking(data) => data.text.as_deref(),
            _ => None,
        }
    }

    /// Whether this is the `done` event that ends the stream.
    pub fn is_done(&self) -> bool {
        self.data == RunEventData::Done
    }

    /// Decodes the raw data as any type.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T> {
        cursor_core::decode_json(STREAM_RUN.name, self.raw.as_bytes())
    }
}

/// How a run stream reconnects.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamOptions {
    /// Reconnect when nothing (not even a heartbeat) arrives for this long (default 60 s).
    pub idle_timeout: Duration,
    /// Give up after this many reconnections in a row without a new event (default 5).
    pub max_reconnects: u32,
    /// The pause before reconnecting, unless the server sent `retry:` (default 1 s); it
    /// doubles with each failure in a row, up to 30 s.
    pub reconnect_delay: Duration,
}

impl Default for StreamOptions {
    fn default() -> Self {
        Self { idle_timeout: Duration::from_secs(60), max_reconnects: 5, reconnect_delay: Duration::from_secs(1) }
    }
}

impl StreamOptions {
    /// Sets the idle timeout.
    #[must_use]
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Sets the reconnection budget and the first pause.
    #[must_use]
    pub fn reconnects(mut self, max: u32, delay: Duration) -> Self {
        self.max_reconnects = max;
        self.reconnect_delay = delay;
        self
    }
}

/// An opened connection to a run's stream.
#[derive(Debug)]
pub struct OpenedStream {
    /// The body, chunk by chunk.
    pub body: ByteStream,
    /// The server's retention window (`X-Cursor-Stream-Retention-Seconds`), when the
    /// transport can read response headers.
    pub retention: Option<Duration>,
}

/// Opens connections to a run's stream. An opener that sends `last_event_id` as the
/// `Last-Event-ID` header lets the server resume after it; one that cannot gets the run
/// replayed from its start, and the stream drops the events it already delivered (by id).
/// The default, [`CoreOpener`], goes through the core
/// client; another transport can be plugged in with
/// [`AgentsClient::stream_run_with`](crate::v1::AgentsClient::stream_run_with).
pub trait StreamOpener: Send + Sync + 'static {
    /// Opens the stream of `run_id`, resuming after `last_event_id` when given.
    fn open(
        &self,
        agent_id: &str,
        run_id: &str,
        last_event_id: Option<&str>,
    ) -> BoxFuture<'static, Result<OpenedStream>>;
}

/// The retention a response header states, in whole or fractional seconds.
fn parse_retention(value: Option<&str>) -> Option<Duration> {
    let seconds: f64 = value?.trim().parse().ok()?;
    Duration::try_from_secs_f64(seconds).ok()
}

/// Opens run streams through [`cursor_core::Client::send_streaming`] (rate limits, auth,
/// retries of the opening request), resuming with `Last-Event-ID` and reading the retention
/// header. A server that replays from the start anyway loses nothing: the stream drops the
/// events it already delivered (by id).
#[derive(Debug, Clone)]
pub struct CoreOpener {
    client: Client,
}

impl CoreOpener {
    /// An opener over a core client.
    pub fn new(client: Client) -> Self {
        Self { client }
    }
}

impl StreamOpener for CoreOpener {
    fn open(
        &self,
        agent_id: &str,
        run_id: &str,
        last_event_id: Option<&str>,
    ) -> BoxFuture<'static, Result<OpenedStream>> {
        let client = self.client.clone();
        let request = stream_request(agent_id, run_id).and_then(|request| match last_event_id {
            Some(id) => request.header("Last-Event-ID", id),
            None => Ok(request),
        });
        Box::pin(async move {
            let body = client.send_streaming(request?).await?;
            let retention = parse_retention(body.header(RETENTION_HEADER));
            Ok(OpenedStream { body, retention })
        })
    }
}

pub(crate) fn stream_request(agent_id: &str, run_id: &str) -> Result<Request> {
    Request::new(&STREAM_RUN).path_param("id", agent_id)?.path_param("runId", run_id)
}

/// What a [`RunEventStream`] knows about its connections.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StreamInfo {
    /// The server's retention window, when the last connection reported one.
    pub retention: Option<Duration>,
    /// The id of the last event delivered.
    pub last_event_id: Option<String>,
    /// Connections opened so far.
    pub connections: u32,
}

/// A run's events as a stream, resuming by itself after a dropped connection.
///
/// - Reconnects after a cut connection, an end of body before `done`, or silence longer than
///   [`StreamOptions::idle_timeout`] (every event, heartbeats included, restarts the timer).
/// - Delivers each event id once: ids already delivered are dropped after a reconnection.
///   Events without an id (heartbeats) are not deduplicated.
/// - Ends after the `done` event. `410 stream_expired` ends it with that error
///   ([`V1ErrorExt::is_stream_expired`](crate::v1::V1ErrorExt::is_stream_expired)); other
///   client errors (`4xx`) end it at once; transport errors and `5xx` are retried up to
///   [`StreamOptions::max_reconnects`] times in a row.
///
/// Dropping the stream closes the connection.
pub struct RunEventStream {
    inner: BoxStream<Result<RunEvent>>,
    info: Arc<Mutex<StreamInfo>>,
}

impl std::fmt::Debug for RunEventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunEventStream").field("info", &self.info()).finish_non_exhaustive()
    }
}

impl RunEventStream {
    /// A stream of `run_id`'s events over connections `opener` makes.
    pub fn new(
        opener: Arc<dyn StreamOpener>,
        agent_id: impl Into<String>,
        run_id: impl Into<String>,
        options: StreamOptions,
    ) -> Self {
        let info = Arc::new(Mutex::new(StreamInfo::default()));
        let state = Resume {
            opener,
            agent_id: agent_id.into(),
            run_id: run_id.into(),
            options,
            info: info.clone(),
            body: None,
            parser: SseParser::new(),
            pending: VecDeque::new(),
            seen: HashSet::new(),
            last_id: None,
            server_retry: None,
            failures: 0,
            finished: false,
        };
        let inner = futures_util::stream::unfold(state, |mut state| async move {
            let item = state.next_event().await?;
            Some((item, state))
        })
        .boxed();
        Self { inner, info }
    }

    /// Retention, last event id and connection count, as of now.
    pub fn info(&self) -> StreamInfo {
        self.info.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The server's retention window (`X-Cursor-Stream-Retention-Seconds`), once a connection
    /// reported it.
    pub fn retention(&self) -> Option<Duration> {
        self.info().retention
    }
}

impl Stream for RunEventStream {
    type Item = Result<RunEvent>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

struct Resume {
    opener: Arc<dyn StreamOpener>,
    agent_id: String,
    run_id: String,
    options: StreamOptions,
    info: Arc<Mutex<StreamInfo>>,
    body: Option<ByteStream>,
    parser: SseParser,
    pending: VecDeque<SseEvent>,
    seen: HashSet<String>,
    last_id: Option<String>,
    server_retry: Option<Duration>,
    failures: u32,
    finished: bool,
}

/// The longest pause between reconnections.
const MAX_RECONNECT_DELAY: Duration = Duration::from_secs(30);

impl Resume {
    async fn next_event(&mut self) -> Option<Result<RunEvent>> {
        loop {
            if self.finished {
                return None;
            }
            if let Some(sse) = self.pending.pop_front() {
                if let Some(id) = &sse.id {
                    if !self.seen.insert(id.clone()) {
                        continue;
                    }
                    self.last_id = Some(id.clone());
                    self.info.lock().unwrap_or_else(PoisonError::into_inner).last_event_id = Some(id.clone());
                }
                self.failures = 0;
                let event = RunEvent::from_sse(sse);
                if event.is_done() {
                    self.finished = true;
                    self.body = None;
                }
                return Some(Ok(event));
            }
            let Some(body) = self.body.as_mut() else {
                if let Err(error) = self.connect().await {
                    self.finished = true;
                    return Some(Err(error));
                }
                continue;
            };
            let dropped = match tokio::time::timeout(self.options.idle_timeout, body.next()).await {
                Ok(Some(Ok(chunk))) => {
                    self.pending.extend(self.parser.feed(&chunk));
                    if let Some(retry) = self.parser.retry() {
                        self.server_retry = Some(retry);
                    }
                    continue;
                }
                Ok(Some(Err(error))) => error,
                Ok(None) => Error::stream(STREAM_RUN.name, "the connection closed before the `done` event".to_owned()),
                Err(_) => Error::timeout(STREAM_RUN.name, self.options.idle_timeout),
            };
            self.body = None;
            if let Err(error) = self.after_failure(dropped).await {
                self.finished = true;
                return Some(Err(error));
            }
        }
    }

    /// Opens a connection, retrying transient failures within the budget.
    async fn connect(&mut self) -> Result<()> {
        loop {
            let opened = self.opener.open(&self.agent_id, &self.run_id, self.last_id.as_deref()).await;
            match opened {
                Ok(opened) => {
                    let mut info = self.info.lock().unwrap_or_else(PoisonError::into_inner);
                    info.connections = info.connections.saturating_add(1);
                    if opened.retention.is_some() {
                        info.retention = opened.retention;
                    }
                    drop(info);
                    // A new connection starts a new event stream; the last id carries over.
                    self.parser = SseParser::resuming(self.last_id.clone());
                    self.body = Some(opened.body);
                    return Ok(());
                }
                Err(error) if !is_transient(&error) => return Err(error),
                Err(error) => self.after_failure(error).await?,
            }
        }
    }

    /// Counts a failure and pauses before the next attempt, or gives up with `error`.
    async fn after_failure(&mut self, error: Error) -> Result<()> {
        self.failures = self.failures.saturating_add(1);
        if self.failures > self.options.max_reconnects {
            return Err(error);
        }
        let base = self.server_retry.unwrap_or(self.options.reconnect_delay);
        let factor = 1u32.checked_shl(self.failures.saturating_sub(1).min(16)).unwrap_or(u32::MAX);
        let pause = base.saturating_mul(factor).min(MAX_RECONNECT_DELAY);
        tokio::time::sleep(pause).await;
        Ok(())
    }
}

/// Whether reconnecting may help: transport trouble, timeouts, `429` and `5xx`. A `4xx`
/// (`410 stream_expired`, `404`, `400 invalid_last_event_id`…) will not change.
fn is_transient(error: &Error) -> bool {
    if error.is_stream_expired() {
        return false;
    }
    match error.status() {
        Some(status) => status == 429 || status >= 500,
        None => !matches!(error, Error::InvalidRequest { .. } | Error::Config(_) | Error::Decode { .. }),
    }
}
