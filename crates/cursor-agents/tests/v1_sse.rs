//! Properties of the v1 SSE parser: any event list, written with comments, multi-line data,
//! `id:` and `retry:` fields and LF, CRLF or CR line ends, parses back to the same events,
//! whatever points the byte stream is split at.

use std::time::Duration;

use cursor_agents::v1::sse::{SseEvent, SseParser};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Written {
    comment: Option<String>,
    retry: Option<u32>,
    id: Option<String>,
    event: Option<String>,
    data: Vec<String>,
}

fn written() -> impl Strategy<Value = Written> {
    (
        proptest::option::of("[a-z :]{0,10}"),
        proptest::option::of(0u32..100_000),
        proptest::option::of("[a-z0-9:-]{1,8}"),
        proptest::option::of(prop_oneof![
            Just("status".to_owned()),
            Just("assistant".to_owned()),
            Just("tool_call".to_owned()),
            "[a-z_]{1,10}"
        ]),
        proptest::collection::vec("[a-zA-Z0-9 :{}\"é😀]{0,12}", 1..4),
    )
        .prop_map(|(comment, retry, id, event, data)| Written { comment, retry, id, event, data })
}

/// The stream text and the events it must parse to.
fn render(events: &[Written], newline: &str) -> (Vec<u8>, Vec<SseEvent>, Option<Duration>) {
    let mut text = String::new();
    let mut expected = Vec::new();
    let mut retry = None;
    for event in events {
        if let Some(comment) = &event.comment {
            text.push_str(&format!(":{comment}{newline}"));
        }
        if let Some(ms) = event.retry {
            text.push_str(&format!("retry: {ms}{newline}"));
            retry = Some(Duration::from_millis(u64::from(ms)));
        }
        if let Some(id) = &event.id {
            text.push_str(&format!("id: {id}{newline}"));
        }
        if let Some(kind) = &event.event {
            text.push_str(&format!("event: {kind}{newline}"));
        }
        for line in &event.data {
            text.push_str(&format!("data: {line}{newline}"));
        }
        text.push_str(newline);
        expected.push(SseEvent {
            event: event.event.clone().unwrap_or_else(|| "message".to_owned()),
            data: event.data.join("\n"),
            id: event.id.clone(),
        });
    }
    (text.into_bytes(), expected, retry)
}

fn parse_in_pieces(bytes: &[u8], cuts: &[usize]) -> (Vec<SseEvent>, Option<Duration>) {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    points.sort_unstable();
    let mut parser = SseParser::new();
    let mut events = Vec::new();
    let mut start = 0;
    for point in points.into_iter().chain([bytes.len()]) {
        events.extend(parser.feed(&bytes[start..point]));
        start = point;
    }
    (events, parser.retry())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn events_parse_back_whole_and_split_anywhere(
        events in proptest::collection::vec(written(), 0..8),
        newline in prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
        cuts in proptest::collection::vec(any::<usize>(), 0..12),
    ) {
        let (bytes, expected, retry) = render(&events, newline);
        let (whole, whole_retry) = parse_in_pieces(&bytes, &[]);
        prop_assert_eq!(&whole, &expected);
        prop_assert_eq!(whole_retry, retry);
        let (split, split_retry) = parse_in_pieces(&bytes, &cuts);
        prop_assert_eq!(split, expected);
        prop_assert_eq!(split_retry, retry);
    }

    #[test]
    fn byte_at_a_time_is_the_same_as_whole(events in proptest::collection::vec(written(), 0..5)) {
        let (bytes, expected, _) = render(&events, "\r\n");
        let mut parser = SseParser::new();
        let mut got = Vec::new();
        for byte in &bytes {
            got.extend(parser.feed(std::slice::from_ref(byte)));
        }
        prop_assert_eq!(got, expected);
    }
}

#[test]
fn the_last_event_id_carries_over_and_an_unfinished_event_is_held_back() {
    let mut parser = SseParser::new();
    let events = parser.feed(b"id: 5\ndata: a\n\nevent: heartbeat\n\ndata: b");
    assert_eq!(events.len(), 2);
    assert_eq!(events[1], SseEvent { event: "heartbeat".into(), data: String::new(), id: None });
    assert_eq!(parser.last_event_id(), Some("5"));
    let resumed = SseParser::resuming(Some("5".into()));
    assert_eq!(resumed.last_event_id(), Some("5"));
}

#[test]
fn a_byte_order_mark_and_bad_retry_values_are_ignored() {
    let mut parser = SseParser::new();
    let events = parser.feed("\u{feff}retry: 12a\nretry: 40\ndata: x\n\n".as_bytes());
    assert_eq!(events[0].data, "x");
    assert_eq!(parser.retry(), Some(Duration::from_millis(40)));
}
