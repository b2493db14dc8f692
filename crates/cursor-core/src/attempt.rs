//! One attempt: send the request once under its timeouts and read the answer within the
//! client's bounds. No retrying, no rate limiting and no caching happen here.

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use reqwest::header::{self, HeaderMap, HeaderValue};
use time::OffsetDateTime;

use crate::classify::AttemptFailure;
use crate::endpoint::{Endpoint, Method};
use crate::error::{ApiError, ApiErrorBody, Error};

/// The most of an error answer's body that is read and kept: enough for any message a server
/// writes for people, and a hostile 256 MiB error page costs 64 KiB.
pub(crate) const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// Bounds on what one answer may make the client hold or wait for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BodyLimits {
    /// The largest buffered (JSON) body.
    pub(crate) max_body_bytes: usize,
    /// A streamed body must deliver at least this many bytes within every period of the
    /// request timeout.
    pub(crate) min_stream_bytes: u64,
    /// The longest CSV record.
    pub(crate) max_csv_record_bytes: usize,
}

impl Default for BodyLimits {
    fn default() -> Self {
        Self { max_body_bytes: 64 * 1024 * 1024, min_stream_bytes: 1024, max_csv_record_bytes: 1024 * 1024 }
    }
}

/// What one attempt is: everything needed to send it, already decided.
pub(crate) struct AttemptSpec<'a> {
    pub(crate) http: &'a reqwest::Client,
    pub(crate) endpoint: &'static Endpoint,
    pub(crate) url: &'a str,
    pub(crate) authorization: &'a HeaderValue,
    pub(crate) headers: &'a [(String, String)],
    pub(crate) body: Option<&'a Bytes>,
    pub(crate) if_none_match: Option<&'a str>,
    pub(crate) timeout: Duration,
    pub(crate) streaming: bool,
    pub(crate) limits: BodyLimits,
    pub(crate) attempt: u32,
}

/// A successful answer's body.
pub(crate) enum AnswerBody {
    /// Read whole (within the body limit).
    Buffered(Bytes),
    /// Left unread for the caller to stream.
    Streaming(reqwest::Response),
}

/// How one attempt ended.
pub(crate) enum AttemptOutcome {
    /// A 2xx answer.
    Answered {
        /// The status.
        status: u16,
        /// The `ETag`, when the server sent one.
        etag: Option<String>,
        /// The body.
        body: AnswerBody,
    },
    /// `304 Not Modified` to a revalidation.
    NotModified,
    /// A 2xx answer whose body broke off or outgrew the limit: the server acted, but its
    /// answer cannot be read whole.
    AnsweredUnreadable {
        /// The status.
        status: u16,
        /// What arrived before it broke off.
        partial: Bytes,
        /// Why it could not be read.
        error: Error,
        /// Whether sending again could help (a cut body might arrive whole; a body over the
        /// limit never will).
        retryable: bool,
    },
    /// A failure the classifier decides about.
    Failed {
        /// The failure, for the classifier.
        failure: AttemptFailure,
        /// The error to return if it gives up.
        error: Error,
    },
    /// A failure no retry can mend (a redirect, an answer over the body limit).
    Fatal(Error),
}

/// Sends one attempt and reads its answer; with what the server said of the key's budget,
/// when it said anything.
pub(crate) async fn send_once(spec: AttemptSpec<'_>) -> (AttemptOutcome, Option<ServerBudget>) {
    let mut budget = None;
    let outcome = send_and_read(spec, &mut budget).await;
    (outcome, budget)
}

async fn send_and_read(spec: AttemptSpec<'_>, budget: &mut Option<ServerBudget>) -> AttemptOutcome {
    let endpoint = spec.endpoint;
    let mut builder = spec
        .http
        .request(to_reqwest(endpoint.method), spec.url)
        .header(header::AUTHORIZATION, spec.authorization.clone())
        .header(header::ACCEPT, endpoint.response.accept());
    for (name, value) in spec.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    // One deadline covers sending and, for a buffered answer, reading its body (below). A
    // streamed body may rightly take longer than any total timeout, so a stream times out
    // waiting for its headers and then by its delivery rate (see `ByteStream`), not as a whole.
    if let Some(etag) = spec.if_none_match
        && let Ok(value) = HeaderValue::from_str(etag)
    {
        builder = builder.header(header::IF_NONE_MATCH, value);
    }
    if let Some(body) = spec.body {
        builder = builder.header(header::CONTENT_TYPE, "application/json").body(body.clone());
    }
    let started = Instant::now();
    let deadline = tokio::time::Instant::now() + spec.timeout;
    let response = match tokio::time::timeout_at(deadline, builder.send()).await {
        Err(_) => {
            return AttemptOutcome::Failed {
                failure: AttemptFailure::Timeout { reached_server: true },
                error: Error::Timeout { endpoint: endpoint.name, elapsed: started.elapsed() },
            };
        }
        Ok(Err(err)) => {
            let reached_server = !err.is_connect();
            let error = transport_error(endpoint.name, err, started.elapsed());
            let failure = if error.is_timeout() {
                AttemptFailure::Timeout { reached_server }
            } else {
                AttemptFailure::Connection { reached_server }
            };
            return AttemptOutcome::Failed { failure, error };
        }
        Ok(Ok(response)) => response,
    };
    *budget = parse_server_budget(response.headers());
    let status = response.status().as_u16();
    if status == 304 && spec.if_none_match.is_some() {
        return AttemptOutcome::NotModified;
    }
    if (300..400).contains(&status) {
        // The API never redirects, and following one would send the body and the key's
        // header to wherever the server points: stop and say where it pointed.
        let location = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned);
        return AttemptOutcome::Fatal(Error::Redirected { endpoint: endpoint.name, status, location });
    }
    if (200..300).contains(&status) {
        let etag = response.headers().get(header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
        if spec.streaming {
            return AttemptOutcome::Answered { status, etag, body: AnswerBody::Streaming(response) };
        }
        return match read_bounded(response, spec.limits.max_body_bytes, deadline).await {
            Ok(bytes) => AttemptOutcome::Answered { status, etag, body: AnswerBody::Buffered(bytes) },
            Err(BoundedRead { partial, problem }) => {
                let retryable = !matches!(problem, ReadProblem::TooLarge);
                let error = problem.into_error(endpoint.name, spec.limits.max_body_bytes, started.elapsed());
                AttemptOutcome::AnsweredUnreadable { status, partial, error, retryable }
            }
        };
    }
    let retry_after = parse_retry_after(response.headers());
    // The error body is read within what is left of the request timeout, streamed or not, and
    // only its first 64 KiB: a server answering 500 and dripping cannot hold the call.
    let bytes = match read_bounded(response, MAX_ERROR_BODY_BYTES, deadline).await {
        Ok(bytes) => bytes,
        Err(BoundedRead { partial, .. }) => partial,
    };
    let error = Error::Api(Box::new(ApiError::new(
        endpoint.name,
        status,
        ApiErrorBody::parse(&bytes),
        retry_after,
        spec.attempt,
    )));
    AttemptOutcome::Failed { failure: AttemptFailure::Status { status, retry_after }, error }
}

/// Why a body could not be read whole.
enum ReadProblem {
    TooLarge,
    TimedOut,
    Cut(reqwest::Error),
}

struct BoundedRead {
    partial: Bytes,
    problem: ReadProblem,
}

impl ReadProblem {
    fn into_error(self, endpoint: &'static str, limit: usize, elapsed: Duration) -> Error {
        match self {
            ReadProblem::TooLarge => Error::BodyTooLarge { endpoint, limit },
            ReadProblem::TimedOut => Error::Timeout { endpoint, elapsed },
            ReadProblem::Cut(err) => transport_error(endpoint, err, elapsed),
        }
    }
}

/// Reads a body chunk by chunk up to `limit` bytes and `deadline`. A `Content-Length` over
/// the limit is refused before reading.
async fn read_bounded(
    mut response: reqwest::Response,
    limit: usize,
    deadline: tokio::time::Instant,
) -> Result<Bytes, BoundedRead> {
    if response.content_length().is_some_and(|length| length > limit as u64) {
        return Err(BoundedRead { partial: Bytes::new(), problem: ReadProblem::TooLarge });
    }
    let mut body = BytesMut::new();
    loop {
        match tokio::time::timeout_at(deadline, response.chunk()).await {
            Err(_) => return Err(BoundedRead { partial: body.freeze(), problem: ReadProblem::TimedOut }),
            Ok(Err(err)) => return Err(BoundedRead { partial: body.freeze(), problem: ReadProblem::Cut(err) }),
            Ok(Ok(None)) => return Ok(body.freeze()),
            Ok(Ok(Some(chunk))) => {
                if body.len() + chunk.len() > limit {
                    let room = limit - body.len();
                    body.extend_from_slice(&chunk[..room]);
                    return Err(BoundedRead { partial: body.freeze(), problem: ReadProblem::TooLarge });
                }
                body.extend_from_slice(&chunk);
            }
        }
    }
}

fn to_reqwest(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
    }
}

/// An HTTP-stack failure as the SDK's error: a timeout, or a transport error that keeps the
/// original as its source and says the root cause in its message.
pub(crate) fn transport_error(endpoint: &'static str, err: reqwest::Error, elapsed: Duration) -> Error {
    if err.is_timeout() {
        return Error::Timeout { endpoint, elapsed };
    }
    // The innermost cause is what a person needs ("Connection refused"); reqwest's own text
    // names the URL, which carries no secret (auth is a header).
    let mut root: &dyn std::error::Error = &err;
    while let Some(cause) = root.source() {
        root = cause;
    }
    let message = if std::ptr::addr_eq(root, &err) { err.to_string() } else { format!("{err}: {root}") };
    Error::Transport { endpoint, message, source: Some(Box::new(err)) }
}

/// `Retry-After` as seconds or as an HTTP date.
pub(crate) fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        // A server may send anything here; a huge or odd value must not panic the client.
        return Duration::try_from_secs_f64(seconds.max(0.0)).ok().or(Some(Duration::MAX));
    }
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let when = time::PrimitiveDateTime::parse(value, format).ok()?.assume_utc();
    let delay = when - OffsetDateTime::now_utc();
    Some(delay.try_into().unwrap_or(Duration::ZERO))
}

/// What a server says of the key's budget in `X-RateLimit-*` headers (Cloud Agents v1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ServerBudget {
    pub(crate) limit: Option<u32>,
    pub(crate) remaining: Option<u32>,
    pub(crate) reset_after: Option<Duration>,
}

/// Reads `X-RateLimit-Limit`, `-Remaining` and `-Reset`; `None` when the server sent none.
/// `Reset` is read as seconds from now, or as an epoch time in seconds when it is that large.
pub(crate) fn parse_server_budget(headers: &HeaderMap) -> Option<ServerBudget> {
    let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<f64>().ok().filter(|n| n.is_finite());
    let count = |name: &str| number(name).filter(|n| *n >= 0.0).map(|n| n.min(f64::from(u32::MAX)) as u32);
    let reset_after = number("x-ratelimit-reset").map(|value| {
        let seconds =
            if value > 1_000_000_000.0 { value - OffsetDateTime::now_utc().unix_timestamp() as f64 } else { value };
        Duration::try_from_secs_f64(seconds.max(0.0)).unwrap_or(Duration::MAX)
    });
    let budget =
        ServerBudget { limit: count("x-ratelimit-limit"), remaining: count("x-ratelimit-remaining"), reset_after };
    (budget != ServerBudget::default()).then_some(budget)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_headers_read_as_a_budget() {
        let mut headers = HeaderMap::new();
        assert_eq!(parse_server_budget(&headers), None);
        headers.insert("x-ratelimit-limit", HeaderValue::from_static("60"));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("12"));
        let budget = parse_server_budget(&headers).unwrap();
        assert_eq!(budget.limit, Some(60));
        assert_eq!(budget.remaining, Some(0));
        assert_eq!(budget.reset_after, Some(Duration::from_secs(12)));
        let epoch = (OffsetDateTime::now_utc().unix_timestamp() + 30).to_string();
        headers.insert("x-ratelimit-reset", HeaderValue::from_str(&epoch).unwrap());
        let reset = parse_server_budget(&headers).unwrap().reset_after.unwrap();
        assert!(reset > Duration::from_secs(25) && reset <= Duration::from_secs(30), "{reset:?}");
        for junk in ["-1", "NaN", "lots", "1e400"] {
            headers.insert("x-ratelimit-remaining", HeaderValue::from_static(junk));
            headers.insert("x-ratelimit-reset", HeaderValue::from_static(junk));
            let _ = parse_server_budget(&headers); // never panics
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(parse_retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(parse_retry_after(&headers), Some(Duration::ZERO), "a past date means now");
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(parse_retry_after(&headers), None);
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1.5"));
        assert_eq!(parse_retry_after(&headers), Some(Duration::from_millis(1500)));
        for huge in ["1e20", "99999999999999999999", "inf"] {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static(huge));
            assert_eq!(parse_retry_after(&headers), Some(Duration::MAX), "{huge} must not panic");
        }
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("-3"));
        assert_eq!(parse_retry_after(&headers), Some(Duration::ZERO));
    }
}
