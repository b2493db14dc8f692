//! Fuzz-style properties of the typed CSV reader, through the public API (`ByteStream` →
//! `csv_records` / `csv_rows`): arbitrary bytes and damaged valid exports, in chunks of any
//! size, give a value or an error per row, never a panic, and the stream always ends.

use bytes::Bytes;
use cursor_core::{ByteStream, Error};
use futures_util::StreamExt as _;
use proptest::prelude::*;

#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
struct Row {
    id: u64,
    message: String,
    model: Option<String>,
    added: Option<i32>,
    ratio: Option<f64>,
}

const HEADER: &str = "id,message,model,added,ratio\n";

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

fn stream_of(bytes: &[u8], chunk: usize) -> ByteStream {
    let chunks: Vec<cursor_core::Result<Bytes>> =
        bytes.chunks(chunk.max(1)).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    ByteStream::from_stream("fuzz.csv", futures_util::stream::iter(chunks))
}

/// Runs a future on a fresh single-threaded runtime.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().build().expect("runtime").block_on(future)
}

/// Collects at most `cap` items, proving the stream ends by ending before the cap.
async fn collect_capped<T>(stream: cursor_core::BoxStream<T>, cap: usize) -> Vec<T> {
    stream.take(cap).collect().await
}

/// A CSV error is a stream error (bad CSV) or a decode error (a bad cell); nothing else.
fn is_csv_error(error: &Error) -> bool {
    matches!(error, Error::Stream { .. } | Error::Decode { .. })
}

/// One field, quoted when it needs to be.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}

fn row_strategy() -> impl Strategy<Value = Row> {
    (
        any::<u64>(),
        "\\PC{0,30}|[a-z ,\"\n]{0,20}",
        proptest::option::of("[a-z0-9.-]{1,12}"),
        proptest::option::of(any::<i32>()),
        proptest::option::of(-1e6f64..1e6),
    )
        .prop_map(|(id, message, model, added, ratio)| Row { id, message, model, added, ratio })
}

fn encode(rows: &[Row]) -> String {
    let mut out = HEADER.to_owned();
    for row in rows {
        let opt = |v: Option<String>| v.unwrap_or_default();
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            row.id,
            field(&row.message),
            opt(row.model.clone()),
            opt(row.added.map(|n| n.to_string())),
            opt(row.ratio.map(|n| n.to_string())),
        ));
    }
    out
}

/// Damage to a valid export: bytes flipped, inserted or removed, a stray quote, a row cut
/// short or given an extra field, the body cut off.
#[derive(Debug, Clone)]
enum Damage {
    Flip(prop::sample::Index, u8),
    Insert(prop::sample::Index, Vec<u8>),
    Remove(prop::sample::Index),
    Quote(prop::sample::Index),
    ShortRow(prop::sample::Index),
    ExtraField(prop::sample::Index),
    Truncate(prop::sample::Index),
}

fn damage_strategy() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Damage::Flip(i, b)),
        (any::<prop::sample::Index>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(i, b)| Damage::Insert(i, b)),
        any::<prop::sample::Index>().prop_map(Damage::Remove),
        any::<prop::sample::Index>().prop_map(Damage::Quote),
        any::<prop::sample::Index>().prop_map(Damage::ShortRow),
        any::<prop::sample::Index>().prop_map(Damage::ExtraField),
        any::<prop::sample::Index>().prop_map(Damage::Truncate),
    ]
}

fn apply(text: &str, damage: &Damage) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    let len = bytes.len().max(1);
    let lines: Vec<usize> = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i).collect();
    match damage {
        Damage::Flip(at, byte) => {
            let at = at.index(len).min(bytes.len().saturating_sub(1));
            if let Some(b) = bytes.get_mut(at) {
                *b = *byte;
            }
        }
        Damage::Insert(at, inserted) => {
            let at = at.index(len + 1).min(bytes.len());
            bytes.splice(at..at, inserted.iter().copied());
        }
        Damage::Remove(at) if !bytes.is_empty() => {
            bytes.remove(at.index(bytes.len()));
        }
        Damage::Quote(at) => bytes.insert(at.index(len + 1).min(bytes.len()), b'"'),
        Damage::ShortRow(at) | Damage::ExtraField(at) if lines.len() >= 2 => {
            // The end of some data row: drop what follows its last comma, or add a field.
            let end = lines[1 + at.index(lines.len() - 1)];
            let start = lines[..].iter().rev().find(|&&l| l < end).map_or(0, |l| l + 1);
            match damage {
                Damage::ShortRow(_) => {
                    if let Some(comma) = bytes[start..end].iter().rposition(|b| *b == b',') {
                        bytes.drain(start + comma..end);
                    }
                }
                _ => {
                    bytes.splice(end..end, *b",surplus");
                }
            }
        }
        Damage::Truncate(at) => bytes.truncate(at.index(len + 1)),
        _ => {}
    }
    bytes
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn arbitrary_bytes_give_records_or_errors_and_end(bytes in proptest::collection::vec(any::<u8>(), 0..2_000), chunk in 1usize..64) {
        let cap = bytes.len() + 10;
        let (records, rows) = block_on(async {
            let records = collect_capped(stream_of(&bytes, chunk).csv_records(), cap).await;
            let rows = collect_capped(stream_of(&bytes, chunk).csv_rows::<Row>(), cap).await;
            (records, rows)
        });
        prop_assert!(records.len() < cap && rows.len() < cap, "the stream ended");
        for record in &records {
            if let Err(error) = record {
                prop_assert!(is_csv_error(error), "{error}");
            }
        }
        for row in &rows {
            if let Err(error) = row {
                prop_assert!(is_csv_error(error), "{error}");
            }
        }
    }

    #[test]
    fn a_valid_export_decodes_to_its_rows_in_any_chunking(rows in proptest::collection::vec(row_strategy(), 0..20), chunk in 1usize..64) {
        let text = encode(&rows);
        let decoded = block_on(collect_capped(stream_of(text.as_bytes(), chunk).csv_rows::<Row>(), rows.len() + 10));
        let decoded: Vec<Row> = decoded.into_iter().collect::<Result<_, _>>().map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(decoded.len(), rows.len());
        for (got, sent) in decoded.iter().zip(&rows) {
            prop_assert_eq!((got.id, &got.message, &got.model, got.added), (sent.id, &sent.message, &sent.model, sent.added));
        }
    }

    #[test]
    fn a_damaged_export_gives_rows_or_errors_never_a_panic(
        rows in proptest::collection::vec(row_strategy(), 1..12),
        damages in proptest::collection::vec(damage_strategy(), 1..4),
        chunk in 1usize..64,
    ) {
        let mut bytes = encode(&rows).into_bytes();
        for damage in &damages {
            bytes = apply(&String::from_utf8_lossy(&bytes), damage);
        }
        let cap = bytes.len() + 10;
        let (records, typed) = block_on(async {
            (
                collect_capped(stream_of(&bytes, chunk).csv_records(), cap).await,
                collect_capped(stream_of(&bytes, chunk).csv_rows::<Row>(), cap).await,
            )
        });
        prop_assert!(records.len() < cap && typed.len() < cap, "the stream ended");
        for record in records {
            match record {
                // Any record, however short or long, answers lookups without panicking.
                Ok(record) => {
                    let _ = (record.get("ratio"), record.columns().count(), record.line());
                    let _ = record.deserialize::<Row>();
                }
                Err(error) => prop_assert!(is_csv_error(&error), "{error}"),
            }
        }
        for row in typed {
            if let Err(error) = row {
                prop_assert!(is_csv_error(&error), "{error}");
            }
        }
    }
}

#[test]
fn a_short_row_is_an_error_not_a_row_padded_with_nones() {
    // A cut or garbled export leaves short rows; they must never decode "successfully".
    let csv = format!("{HEADER}1,hello,gpt,3,0.5\n2,short\n3,\"quoted, comma\",m,1,0.1\n");
    let rows = block_on(collect_capped(stream_of(csv.as_bytes(), 7).csv_rows::<Row>(), 10));
    assert_eq!(rows[0].as_ref().expect("a whole row").id, 1);
    let error = rows[1].as_ref().expect_err("a short row");
    assert!(error.to_string().contains("found record with 2 fields"), "{error}");
}
