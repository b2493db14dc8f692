//! The run event stream's resumption, against an in-memory server: a connection cut at any
//! byte loses no event and repeats none, whether the server honours `Last-Event-ID` or
//! replays the run; `410 stream_expired` ends the stream; heartbeats keep an idle timer
//! from firing; the retention header is exposed; reconnection gives up after its budget.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use cursor_agents::v1::{OpenedStream, RunEventData, RunEventStream, StreamOpener, StreamOptions, V1ErrorExt as _};
use cursor_core::{ApiError, ApiErrorBody, ByteStream, Error, Result};
use futures_util::StreamExt as _;
use futures_util::future::BoxFuture;
use proptest::prelude::*;

const KINDS: [&str; 8] = ["status", "thinking", "tool_call", "assistant", "x_new_kind", "status", "result", "done"];

/// A scripted stream server: the run's events, one byte budget per connection (cut there),
/// and whether it resumes after `Last-Event-ID` or replays from the start.
struct FakeServer {
    events: Vec<(String, &'static str, String)>,
    budgets: Mutex<VecDeque<usize>>,
    honours_last_event_id: bool,
    asked: Mutex<Vec<Option<String>>>,
    /// Connections actually cut (a budget past the body's end cuts nothing).
    cut: Mutex<usize>,
    retention: Option<Duration>,
    chunk: usize,
}

impl FakeServer {
    fn new(honours: bool, budgets: Vec<usize>, chunk: usize) -> Arc<Self> {
        let events = KINDS
            .iter()
            .enumerate()
            .map(|(i, kind)| (format!("run-1:{}", i + 1), *kind, format!("{{\"n\":{i},\"text\":\"é{i}\"}}")))
            .collect();
        Arc::new(Self {
            events,
            budgets: Mutex::new(budgets.into()),
            honours_last_event_id: honours,
            asked: Mutex::new(Vec::new()),
            cut: Mutex::new(0),
            retention: Some(Duration::from_secs(900)),
            chunk: chunk.max(1),
        })
    }

    fn text_after(&self, last: Option<&str>) -> String {
        let start = match (self.honours_last_event_id, last) {
            (true, Some(id)) => self.events.iter().position(|(e, _, _)| e == id).map_or(0, |p| p + 1),
            _ => 0,
        };
        let mut text = String::from(": hello\r\nretry: 0\r\n\r\n");
        for (id, kind, data) in &self.events[start..] {
            text.push_str(&format!("id: {id}\r\nevent: {kind}\r\ndata: {data}\r\n\r\n"));
            if *kind == "thinking" {
                text.push_str("event: heartbeat\r\ndata: {}\r\n\r\n");
            }
        }
        text
    }
}

struct Opener(Arc<FakeServer>);

impl StreamOpener for Opener {
    fn open(&self, _agent: &str, _run: &str, last_event_id: Option<&str>) -> BoxFuture<'static, Result<OpenedStream>> {
        let server = self.0.clone();
        let last = last_event_id.map(str::to_owned);
        Box::pin(async move {
            server.asked.lock().unwrap().push(last.clone());
            let bytes = server.text_after(last.as_deref()).into_bytes();
            let budget = server.budgets.lock().unwrap().pop_front().filter(|b| *b < bytes.len());
            let end = budget.unwrap_or(bytes.len());
            let mut chunks: Vec<Result<Bytes>> =
                bytes[..end].chunks(server.chunk).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
            if budget.is_some() {
                *server.cut.lock().unwrap() += 1;
                chunks.push(Err(Error::stream("test", "connection reset")));
            }
            Ok(OpenedStream {
                body: ByteStream::from_stream("test", futures_util::stream::iter(chunks)),
                retention: server.retention,
            })
        })
    }
}

fn quick() -> StreamOptions {
    StreamOptions::default().reconnects(5, Duration::ZERO)
}

async fn collect(stream: &mut RunEventStream) -> (Vec<String>, Vec<String>, Option<Error>) {
    let (mut ids, mut kinds) = (Vec::new(), Vec::new());
    while let Some(item) = stream.next().await {
        match item {
            Ok(event) => {
                if let Some(id) = event.id.clone() {
                    ids.push(id);
                }
                kinds.push(event.event.clone());
            }
            Err(error) => return (ids, kinds, Some(error)),
        }
    }
    (ids, kinds, None)
}

fn run<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(future)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn cuts_anywhere_lose_nothing_and_repeat_nothing(
        honours in any::<bool>(),
        cuts in proptest::collection::vec(0usize..700, 0..4),
        chunk in 1usize..64,
    ) {
        let server = FakeServer::new(honours, cuts.clone(), chunk);
        let expected: Vec<String> = server.events.iter().map(|(id, _, _)| id.clone()).collect();
        let mut stream = RunEventStream::new(Arc::new(Opener(server.clone())), "bc-1", "run-1", quick());
        let (ids, kinds, error) = run(collect(&mut stream));
        prop_assert!(error.is_none(), "{error:?}");
        prop_assert_eq!(&ids, &expected, "every event once, in order");
        prop_assert_eq!(kinds.last().map(String::as_str), Some("done"));
        let asked = server.asked.lock().unwrap().clone();
        // One connection per cut, plus the last; a cut after the `done` event's blank line
        // (a lone CR of its CRLF ends it) needs no reconnection.
        let cut = *server.cut.lock().unwrap();
        prop_assert!(asked.len() == cut + 1 || (asked.len() == cut && cut > 0), "{} connections, {cut} cuts", asked.len());
        prop_assert_eq!(&asked[0], &None);
        // Each reconnection names the last event delivered before it.
        for window in asked.windows(2) {
            let position = |id: &Option<String>| id.as_ref().map_or(0, |id| expected.iter().position(|e| e == id).unwrap() + 1);
            prop_assert!(position(&window[0]) <= position(&window[1]));
        }
        prop_assert_eq!(stream.info().retention, Some(Duration::from_secs(900)));
        let info = stream.info();
        prop_assert_eq!(info.last_event_id.as_deref(), Some("run-1:8"));
    }
}

#[test]
fn events_are_typed_and_unknown_kinds_keep_their_raw_data() {
    let server = FakeServer::new(true, vec![], 5);
    let mut stream = RunEventStream::new(Arc::new(Opener(server)), "bc-1", "run-1", quick());
    let events: Vec<_> = run(async { stream.by_ref().collect::<Vec<_>>().await });
    let events: Vec<_> = events.into_iter().map(|e| e.unwrap()).collect();
    assert!(matches!(events[0].data, RunEventData::Status(_)));
    assert!(matches!(events[1].data, RunEventData::Thinking(_)));
    assert_eq!(events[2].data, RunEventData::Heartbeat);
    assert_eq!(events[2].id, None, "heartbeats carry no id");
    assert!(matches!(events[3].data, RunEventData::ToolCall(_)));
    assert_eq!(events[4].text(), Some("é3"));
    assert_eq!(events[5].data, RunEventData::Unknown);
    assert_eq!((events[5].event.as_str(), events[5].raw.as_str()), ("x_new_kind", r#"{"n":4,"text":"é4"}"#));
    assert!(events.last().unwrap().is_done());
}

struct Expired(Arc<Mutex<u32>>);

impl StreamOpener for Expired {
    fn open(&self, _: &str, _: &str, _: Option<&str>) -> BoxFuture<'static, Result<OpenedStream>> {
        *self.0.lock().unwrap() += 1;
        Box::pin(async {
            Err(Error::Api(Box::new(ApiError::new(
                "agents.v1.stream_run",
                410,
                ApiErrorBody::coded("stream_expired", Some("gone".into())),
                None,
                1,
            ))))
        })
    }
}

#[tokio::test]
async fn stream_expired_ends_the_stream_with_its_own_predicate() {
    let calls = Arc::new(Mutex::new(0));
    let mut stream = RunEventStream::new(Arc::new(Expired(calls.clone())), "bc-1", "run-1", quick());
    let error = stream.next().await.unwrap().unwrap_err();
    assert!(error.is_stream_expired(), "{error}");
    assert!(!error.is_agent_busy());
    assert!(stream.next().await.is_none(), "nothing after the error");
    assert_eq!(*calls.lock().unwrap(), 1, "a 410 is not retried");
}

/// Sends heartbeats every `beat` for `beats` times (first connection only), then the run's
/// events; counts connections.
struct Beating {
    beat: Duration,
    beats: u32,
    opened: Arc<Mutex<u32>>,
}

impl StreamOpener for Beating {
    fn open(&self, _: &str, _: &str, _: Option<&str>) -> BoxFuture<'static, Result<OpenedStream>> {
        let mut opened = self.opened.lock().unwrap();
        *opened += 1;
        // Heartbeats on the first connection only.
        let (beat, beats, resumed) = (self.beat, self.beats, *opened > 1);
        Box::pin(async move {
            let heartbeats = futures_util::stream::iter(0..if resumed { 0 } else { beats }).then(move |_| async move {
                tokio::time::sleep(beat).await;
                Ok(Bytes::from_static(b"event: heartbeat\ndata: {}\n\n"))
            });
            let tail = futures_util::stream::iter([Ok(Bytes::from_static(
                b"id: 1\nevent: status\ndata: {\"status\":\"FINISHED\"}\n\nid: 2\nevent: done\ndata: {}\n\n",
            ))]);
            let body = ByteStream::from_stream("test", heartbeats.chain(tail));
            Ok(OpenedStream { body, retention: None })
        })
    }
}

#[tokio::test(start_paused = true)]
async fn heartbeats_keep_the_idle_timer_from_firing() {
    let opened = Arc::new(Mutex::new(0));
    let opener = Beating { beat: Duration::from_millis(400), beats: 10, opened: opened.clone() };
    let options = quick().idle_timeout(Duration::from_secs(1));
    let mut stream = RunEventStream::new(Arc::new(opener), "bc-1", "run-1", options);
    let (ids, kinds, error) = collect(&mut stream).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, ["1", "2"]);
    assert_eq!(kinds.iter().filter(|k| *k == "heartbeat").count(), 10);
    assert_eq!(*opened.lock().unwrap(), 1, "4 s of heartbeats under a 1 s idle timeout: no reconnection");
}

#[tokio::test(start_paused = true)]
async fn silence_longer_than_the_idle_timeout_reconnects() {
    let opened = Arc::new(Mutex::new(0));
    let opener = Beating { beat: Duration::from_secs(3), beats: 1, opened: opened.clone() };
    let options = quick().idle_timeout(Duration::from_secs(1));
    let mut stream = RunEventStream::new(Arc::new(opener), "bc-1", "run-1", options);
    let (ids, _, error) = collect(&mut stream).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, ["1", "2"]);
    assert_eq!(*opened.lock().unwrap(), 2, "the silent first connection was dropped");
}

struct Refusing(Arc<Mutex<u32>>);

impl StreamOpener for Refusing {
    fn open(&self, _: &str, _: &str, _: Option<&str>) -> BoxFuture<'static, Result<OpenedStream>> {
        *self.0.lock().unwrap() += 1;
        Box::pin(async { Err(Error::transport("test", "refused", None)) })
    }
}

#[tokio::test(start_paused = true)]
async fn reconnection_gives_up_after_its_budget() {
    let calls = Arc::new(Mutex::new(0));
    let options = StreamOptions::default().reconnects(3, Duration::from_millis(100));
    let mut stream = RunEventStream::new(Arc::new(Refusing(calls.clone())), "bc-1", "run-1", options);
    let error = stream.next().await.unwrap().unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error}");
    assert_eq!(*calls.lock().unwrap(), 4, "the first attempt and three reconnections");
}
