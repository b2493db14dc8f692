//! Streamed bodies: raw bytes for users who want the file, and CSV decoded one row at a time.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use csv_async::StringRecord;
use futures_core::Stream;
use futures_util::{StreamExt as _, TryStreamExt as _};
use serde::de::DeserializeOwned;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt as _};

use crate::error::{Error, Result};

/// A boxed, sendable stream, the return type of the SDK's streaming methods.
pub type BoxStream<T> = Pin<Box<dyn Stream<Item = T> + Send + 'static>>;

/// A response body as it arrives, chunk by chunk. Memory is bounded by a chunk, not by the
/// body.
pub struct ByteStream {
    endpoint: &'static str,
    inner: BoxStream<Result<Bytes>>,
    max_record_bytes: usize,
    headers: Vec<(String, String)>,
}

/// The longest CSV record by default.
const DEFAULT_MAX_RECORD_BYTES: usize = 1024 * 1024;

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream").field("endpoint", &self.endpoint).finish_non_exhaustive()
    }
}

impl ByteStream {
    /// The body of `response`, failing with [`Error::Timeout`] when it delivers less than
    /// `min_bytes` within any `period` (the request timeout): a slow but steady export never
    /// times out as a whole, and a server that drips a byte at a time cannot hold it forever.
    pub(crate) fn from_response(
        endpoint: &'static str,
        response: reqwest::Response,
        period: Duration,
        min_bytes: u64,
    ) -> Self {
        let period = period.max(Duration::from_millis(1));
        let headers = response
            .headers()
            .iter()
            .filter_map(|(name, value)| Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned())))
            .collect();
        let chunks = response.bytes_stream().boxed();
        let start = RateWindow { chunks, began: tokio::time::Instant::now(), bytes: 0 };
        let inner = futures_util::stream::unfold(Some(start), move |state| async move {
            let mut state = state?;
            loop {
                let window_end = state.began + period;
                match tokio::time::timeout_at(window_end, state.chunks.next()).await {
                    Ok(None) => return None,
                    Ok(Some(Ok(chunk))) => {
                        state.bytes += chunk.len() as u64;
                        if tokio::time::Instant::now() >= window_end {
                            if state.bytes < min_bytes {
                                return Some((Err(too_slow(endpoint, state.began)), None));
                            }
                            state.began = tokio::time::Instant::now();
                            state.bytes = 0;
                        }
                        return Some((Ok(chunk), Some(state)));
                    }
                    Ok(Some(Err(e))) => {
                        let error = Error::Stream { endpoint, message: format!("the body was cut off: {e}") };
                        return Some((Err(error), None));
                    }
                    Err(_) if state.bytes < min_bytes => return Some((Err(too_slow(endpoint, state.began)), None)),
                    Err(_) => {
                        // Enough arrived in this period: the next one starts now.
                        state.began = tokio::time::Instant::now();
                        state.bytes = 0;
                    }
                }
            }
        })
        .boxed();
        Self { endpoint, inner, max_record_bytes: DEFAULT_MAX_RECORD_BYTES, headers }
    }

    /// A response header of the streamed answer (`X-Cursor-Stream-Retention-Seconds`, say),
    /// by case-insensitive name; `None` for streams not read from a response.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    /// A stream over bytes already in memory (tests, replays).
    pub fn from_bytes(endpoint: &'static str, bytes: Bytes) -> Self {
        Self::from_stream(endpoint, futures_util::stream::once(async move { Ok(bytes) }))
    }

    /// A stream over any source of chunks.
    pub fn from_stream(endpoint: &'static str, stream: impl Stream<Item = Result<Bytes>> + Send + 'static) -> Self {
        Self { endpoint, inner: stream.boxed(), max_record_bytes: DEFAULT_MAX_RECORD_BYTES, headers: Vec::new() }
    }

    /// Fails the stream with [`Error::Timeout`] if it has not ended `deadline` from now,
    /// however steadily it delivers.
    pub fn with_deadline(self, deadline: Duration) -> Self {
        let endpoint = self.endpoint;
        let started = tokio::time::Instant::now();
        // A deadline past what the clock can represent is no deadline.
        let at = started.checked_add(deadline);
        let inner = futures_util::stream::unfold(Some(self.inner), move |inner| async move {
            let mut inner = inner?;
            let next = match at {
                Some(at) => match tokio::time::timeout_at(at, inner.next()).await {
                    Ok(next) => next,
                    Err(_) => return Some((Err(Error::Timeout { endpoint, elapsed: started.elapsed() }), None)),
                },
                None => inner.next().await,
            };
            match next {
                None => None,
                Some(Err(error)) => Some((Err(error), None)),
                Some(Ok(chunk)) => Some((Ok(chunk), Some(inner))),
            }
        })
        .boxed();
        Self { endpoint, inner, max_record_bytes: self.max_record_bytes, headers: self.headers }
    }

    /// Sets the longest CSV record [`csv_records`](Self::csv_records) accepts (default 1 MiB).
    pub fn with_max_record_bytes(mut self, bytes: usize) -> Self {
        self.max_record_bytes = bytes;
        self
    }

    /// Copies the body to `writer` as it arrives; returns the number of bytes written.
    pub async fn copy_to<W: AsyncWrite + Unpin + ?Sized>(mut self, writer: &mut W) -> Result<u64> {
        let endpoint = self.endpoint;
        let write_err =
            |e: std::io::Error| Error::Stream { endpoint, message: format!("writing the body failed: {e}") };
        let mut written = 0u64;
        while let Some(chunk) = self.inner.next().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await.map_err(write_err)?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(write_err)?;
        Ok(written)
    }

    /// The body as an [`AsyncRead`].
    pub fn into_async_read(self) -> impl AsyncRead + Send + Unpin + 'static {
        self.into_async_read_inner()
    }

    fn into_async_read_inner(self) -> tokio_util::io::StreamReader<BoxStream<std::io::Result<Bytes>>, Bytes> {
        tokio_util::io::StreamReader::new(self.inner.map_err(std::io::Error::other).boxed())
    }

    /// Decodes the body as CSV with a header row, yielding one [`CsvRecord`] at a time.
    /// Quoted commas, doubled quotes, embedded newlines and UTF-8 are handled by the CSV
    /// reader; only one record is held in memory.
    pub fn csv_records(self) -> BoxStream<Result<CsvRecord>> {
        let endpoint = self.endpoint;
        let max_record_bytes = self.max_record_bytes;
        let csv_err = move |e: csv_async::Error| csv_error(endpoint, e);
        let (read, mark) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let limited = RecordLimit {
            inner: self.into_async_read_inner(),
            endpoint,
            read: read.clone(),
            mark: mark.clone(),
            max: max_record_bytes as u64,
        };
        // Not flexible: a row with more or fewer fields than the header is an error (a cut or
        // garbled body), never a row padded with empty fields.
        let reader = csv_async::AsyncReaderBuilder::new().has_headers(true).flexible(false).create_reader(limited);
        let stream = futures_util::stream::once(async move {
            let mut reader = reader;
            let headers = Arc::new(reader.headers().await.map_err(csv_err)?.clone());
            mark.store(read.load(Ordering::Relaxed), Ordering::Relaxed);
            let records = reader.into_records().map(move |record| {
                let record = record.map_err(csv_err)?;
                mark.store(read.load(Ordering::Relaxed), Ordering::Relaxed);
                Ok(CsvRecord { endpoint, headers: headers.clone(), record })
            });
            Ok::<_, Error>(records)
        })
        .map(|result| match result {
            Ok(records) => records.boxed(),
            Err(err) => futures_util::stream::once(async move { Err(err) }).boxed(),
        })
        .flatten();
        stream.boxed()
    }

    /// Decodes the body as CSV rows of type `T`, by column name: columns `T` does not know are
    /// ignored, and an `Option` field whose column is missing or empty is `None`.
    pub fn csv_rows<T: DeserializeOwned + Send + 'static>(self) -> BoxStream<Result<T>> {
        self.csv_records().map(|record| record?.deserialize()).boxed()
    }
}

/// The delivery-rate window of a streamed body.
struct RateWindow {
    chunks: BoxStream<reqwest::Result<Bytes>>,
    began: tokio::time::Instant,
    bytes: u64,
}

fn too_slow(endpoint: &'static str, began: tokio::time::Instant) -> Error {
    Error::Timeout { endpoint, elapsed: began.elapsed() }
}

/// Counts the bytes a CSV reader takes, and fails the read once more than the record limit
/// has gone by since the last record was yielded: the reader would otherwise grow one record
/// without bound (one endless field).
struct RecordLimit<R> {
    inner: R,
    endpoint: &'static str,
    read: Arc<AtomicU64>,
    mark: Arc<AtomicU64>,
    max: u64,
}

/// What the CSV reader may hold beyond a record's own bytes (its read buffer).
const CSV_READ_SLACK: u64 = 64 * 1024;

impl<R: AsyncRead + Unpin> AsyncRead for RecordLimit<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let pending = self.read.load(Ordering::Relaxed) - self.mark.load(Ordering::Relaxed);
        if pending > self.max + CSV_READ_SLACK {
            let error = Error::Stream {
                endpoint: self.endpoint,
                message: format!("a CSV record is longer than the {}-byte limit", self.max),
            };
            return Poll::Ready(Err(std::io::Error::other(error)));
        }
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        let added = (buf.filled().len() - before) as u64;
        self.read.fetch_add(added, Ordering::Relaxed);
        polled
    }
}

/// A CSV reader's error as the SDK's: a failure of the body underneath (a timeout, a cut
/// connection) comes back as it was raised; anything else is bad CSV.
fn csv_error(endpoint: &'static str, error: csv_async::Error) -> Error {
    let message = format!("bad CSV: {error}");
    if let csv_async::ErrorKind::Io(io) = error.into_kind()
        && let Some(inner) = io.into_inner()
        && let Ok(original) = inner.downcast::<Error>()
    {
        return *original;
    }
    Error::Stream { endpoint, message }
}

impl Stream for ByteStream {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// One CSV row with the header it is read against.
#[derive(Debug, Clone)]
pub struct CsvRecord {
    endpoint: &'static str,
    headers: Arc<StringRecord>,
    record: StringRecord,
}

impl CsvRecord {
    /// The value in column `name`, if the file has that column.
    pub fn get(&self, name: &str) -> Option<&str> {
        let index = self.headers.iter().position(|h| h == name)?;
        self.record.get(index)
    }

    /// The column names.
    pub fn headers(&self) -> impl Iterator<Item = &str> {
        self.headers.iter()
    }

    /// `(column, value)` pairs in file order.
    pub fn columns(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter().zip(self.record.iter())
    }

    /// The 1-based line the record started on.
    pub fn line(&self) -> u64 {
        self.record.position().map_or(0, |p| p.line())
    }

    /// Decodes the row into `T` by column name.
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<T> {
        self.record.deserialize(Some(&self.headers)).map_err(|e| Error::Decode {
            endpoint: self.endpoint,
            path: format!("line {}", self.line()),
            message: e.to_string(),
            snippet: self.record.iter().collect::<Vec<_>>().join(",").chars().take(200).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Row {
        id: u64,
        message: String,
        model: Option<String>,
        added: Option<u32>,
    }

    fn chunked(text: &'static str, chunk: usize) -> ByteStream {
        let chunks: Vec<Result<Bytes>> = text.as_bytes().chunks(chunk).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
        ByteStream::from_stream("t.csv", futures_util::stream::iter(chunks))
    }

    #[tokio::test]
    async fn decodes_quoted_commas_doubled_quotes_newlines_and_non_ascii_across_chunks() {
        let csv =
            "id,message,model,added\n1,\"fix, then \"\"ship\"\"\",gpt-4o,3\n2,\"line one\nline two — ünïcødé 🚀\",,\n";
        for chunk in [1, 3, 7, 1024] {
            let rows: Vec<Row> = chunked(csv, chunk).csv_rows().try_collect().await.unwrap();
            assert_eq!(
                rows,
                vec![
                    Row { id: 1, message: "fix, then \"ship\"".into(), model: Some("gpt-4o".into()), added: Some(3) },
                    Row { id: 2, message: "line one\nline two — ünïcødé 🚀".into(), model: None, added: None },
                ],
                "chunk size {chunk}"
            );
        }
    }

    #[tokio::test]
    async fn a_missing_column_is_none_and_an_extra_column_is_kept_in_the_record() {
        let csv = "id,message,extra_col\n5,hi,surprise\n";
        let records: Vec<CsvRecord> = chunked(csv, 4).csv_records().try_collect().await.unwrap();
        let row: Row = records[0].deserialize().unwrap();
        assert_eq!(row, Row { id: 5, message: "hi".into(), model: None, added: None });
        assert_eq!(records[0].get("extra_col"), Some("surprise"));
    }

    #[tokio::test]
    async fn a_bad_cell_names_its_line() {
        let csv = "id,message\n1,ok\nnot-a-number,bad\n";
        let results: Vec<Result<Row>> = chunked(csv, 5).csv_rows().collect().await;
        assert!(results[0].is_ok());
        let err = results[1].as_ref().unwrap_err().to_string();
        assert!(err.contains("line 3"), "{err}");
    }

    #[tokio::test]
    async fn copies_raw_bytes_to_a_writer() {
        let mut out = Vec::new();
        let written = chunked("a,b\n1,2\n", 2).copy_to(&mut out).await.unwrap();
        assert_eq!(written, 8);
        assert_eq!(out, b"a,b\n1,2\n");
    }
}
