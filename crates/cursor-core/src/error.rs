//! The one error type of the SDK, with predicates for the common questions.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// A `Result` whose error is the SDK's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong with a request.
///
/// `Display` always says what happened and names the endpoint; the API key never appears.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// The request was refused before anything was sent: the documents rule the input out.
    #[error("invalid request to {endpoint}: {message}")]
    #[non_exhaustive]
    InvalidRequest {
        /// The endpoint the request was for.
        endpoint: &'static str,
        /// What is wrong and what to change.
        message: String,
    },

    /// The client could not be built (no API key, a bad base URL…).
    #[error("client configuration: {0}")]
    Config(String),

    /// The request did not complete in time.
    #[error("{endpoint}: timed out after {elapsed:?}")]
    #[non_exhaustive]
    Timeout {
        /// The endpoint.
        endpoint: &'static str,
        /// How long the last attempt ran.
        elapsed: Duration,
    },

    /// The connection failed or broke.
    #[error("{endpoint}: transport error: {}", truncate(message, 500))]
    #[non_exhaustive]
    Transport {
        /// The endpoint.
        endpoint: &'static str,
        /// What the HTTP stack reported, down to its root cause.
        message: String,
        /// The underlying error (the HTTP stack's), for callers that walk the chain.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },

    /// The server answered with success but refused the change in its body
    /// (`{"outcome": "error", "message": …}`, as the spend-limit endpoint does).
    #[error("{endpoint}: the server refused: {}", truncate(message, 500))]
    #[non_exhaustive]
    Refused {
        /// The endpoint.
        endpoint: &'static str,
        /// The server's explanation.
        message: String,
    },

    /// The server answered with a redirect. The API never redirects, and following one could
    /// carry the request's body and credentials to another origin, so the client stops.
    #[error("{endpoint}: the server redirected (HTTP {status}) to {}; redirects are not followed", location.as_deref().map_or("nowhere".to_owned(), |l| format!("`{}`", truncate(l, 300))))]
    #[non_exhaustive]
    Redirected {
        /// The endpoint.
        endpoint: &'static str,
        /// The 3xx status.
        status: u16,
        /// The `Location` header, when there was one.
        location: Option<String>,
    },

    /// The answer was larger than the client reads (see `ClientBuilder::max_body_bytes`).
    #[error("{endpoint}: the answer is larger than the {limit}-byte limit")]
    #[non_exhaustive]
    BodyTooLarge {
        /// The endpoint.
        endpoint: &'static str,
        /// The limit in bytes.
        limit: usize,
    },

    /// A write that is not safe to repeat was answered with success, but its body could not
    /// be read (cut off, too large or malformed). It took effect: do not send it again.
    #[error(
        "{endpoint}: the server answered HTTP {status}, so the change took effect, but its answer could not be read ({source}); do not send it again"
    )]
    #[non_exhaustive]
    DoneButUnreadable {
        /// The endpoint.
        endpoint: &'static str,
        /// The 2xx status.
        status: u16,
        /// The raw body, as far as it arrived.
        body: bytes::Bytes,
        /// Why it could not be read.
        source: Box<Error>,
    },

    /// A request that is not safe to repeat failed after it may have reached the server, so
    /// whether it took effect is unknown. It was not retried.
    #[error(
        "{endpoint}: the outcome is unknown ({source}); it was not retried because repeating it could act twice. {hint}"
    )]
    #[non_exhaustive]
    OutcomeUnknown {
        /// The endpoint.
        endpoint: &'static str,
        /// What failed (a timeout, a broken connection, a 5xx).
        source: Box<Error>,
        /// What to do to find out (from the endpoint's declaration, or the API crate).
        hint: String,
    },

    /// The response body did not match the expected shape.
    #[error(
        "{endpoint}: could not decode the response at `{path}`: {}; body starts: {snippet}",
        truncate(message, 300)
    )]
    #[non_exhaustive]
    Decode {
        /// The endpoint.
        endpoint: &'static str,
        /// The JSON path (or CSV row and column) of the bad value.
        path: String,
        /// What serde reported.
        message: String,
        /// The first bytes of the body.
        snippet: String,
    },

    /// A paginated endpoint misbehaved (repeated a page or a cursor); the stream stopped
    /// instead of looping.
    #[error("{endpoint}: pagination stopped: {message}")]
    #[non_exhaustive]
    Pagination {
        /// The endpoint.
        endpoint: &'static str,
        /// What the server did.
        message: String,
    },

    /// Reading a streamed body (CSV) or writing it out failed.
    #[error("{endpoint}: stream error: {}", truncate(message, 500))]
    #[non_exhaustive]
    Stream {
        /// The endpoint.
        endpoint: &'static str,
        /// What failed.
        message: String,
    },

    /// The shared rate-limit store (`ClientBuilder::limiter_store`) could not be reached and
    /// the client was told to fail rather than limit in the process alone.
    #[error("the rate-limit store is unreachable: {}", truncate(.0, 500))]
    LimiterStore(String),
}

impl Error {
    /// The API error, when the server answered with an error status.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            Error::OutcomeUnknown { source, .. } => source.api_error(),
            _ => None,
        }
    }

    /// The HTTP status the server answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        self.api_error().map(|e| e.status)
    }

    /// `429 Too Many Requests`.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(429)
    }

    /// `401 Unauthorized`: the key is missing or wrong.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// `403 Forbidden`: the key is valid but lacks access (enterprise APIs on other plans).
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(403)
    }

    /// `404 Not Found`.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// `409 Conflict` (Cloud Agents: the agent was deleted or archived).
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409)
    }

    /// `400 Bad Request` from the server, or a request refused before sending.
    pub fn is_invalid_request(&self) -> bool {
        matches!(self, Error::InvalidRequest { .. }) || self.status() == Some(400)
    }

    /// A 5xx answer.
    pub fn is_server_error(&self) -> bool {
        self.status().is_some_and(|s| (500..600).contains(&s))
    }

    /// The request timed out.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::OutcomeUnknown { source, .. } => source.is_timeout(),
            _ => false,
        }
    }

    /// Whether a non-idempotent request may have taken effect although it failed.
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, Error::OutcomeUnknown { .. })
    }

    /// Whether a write took effect although its answer could not be read
    /// ([`Error::DoneButUnreadable`]).
    pub fn is_done_but_unreadable(&self) -> bool {
        matches!(self, Error::DoneButUnreadable { .. })
    }

    /// Whether the same request could succeed if sent again later: a rate limit, a server
    /// error, a timeout or a broken connection. False for anything that may already have
    /// taken effect ([`Error::OutcomeUnknown`], [`Error::DoneButUnreadable`]) and for
    /// anything the request itself must change.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(api) => api.status == 429 || (500..600).contains(&api.status),
            Error::Timeout { .. } | Error::Transport { .. } => true,
            _ => false,
        }
    }

    /// The server's `Retry-After`, when it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.api_error().and_then(|e| e.retry_after)
    }

    /// Whether the server refused the change in a success answer ([`Error::Refused`]).
    pub fn is_refused(&self) -> bool {
        matches!(self, Error::Refused { .. })
    }

    /// An [`Error::Timeout`]: `endpoint` (or an operation named like one, such as a wait)
    /// did not finish within `elapsed`.
    pub fn timeout(endpoint: &'static str, elapsed: Duration) -> Self {
        Error::Timeout { endpoint, elapsed }
    }

    /// An [`Error::Refused`]: a success answer whose body says the change was refused.
    pub fn refused(endpoint: &'static str, message: impl Into<String>) -> Self {
        Error::Refused { endpoint, message: message.into() }
    }

    /// An [`Error::InvalidRequest`]: input the documents rule out, refused before sending.
    pub fn invalid_request(endpoint: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidRequest { endpoint, message: message.into() }
    }

    /// An [`Error::Stream`]: reading a streamed body (or writing it out) failed.
    pub fn stream(endpoint: &'static str, message: impl Into<String>) -> Self {
        Error::Stream { endpoint, message: message.into() }
    }

    /// An [`Error::Pagination`]: a paginated endpoint misbehaved and the stream stopped.
    pub fn pagination(endpoint: &'static str, message: impl Into<String>) -> Self {
        Error::Pagination { endpoint, message: message.into() }
    }

    /// An [`Error::Decode`]: a value at `path` (a JSON path, or a CSV row and column) did not
    /// have the expected shape; `snippet` is the start of the body, for the message.
    pub fn decode(
        endpoint: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
        snippet: impl Into<String>,
    ) -> Self {
        Error::Decode { endpoint, path: path.into(), message: message.into(), snippet: snippet.into() }
    }

    /// An [`Error::Transport`]: the connection failed or broke, with its cause when there is one.
    pub fn transport(
        endpoint: &'static str,
        message: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::Transport { endpoint, message: message.into(), source }
    }

    /// An [`Error::OutcomeUnknown`]: `source` failed after a request that is not safe to repeat
    /// may have reached the server; `hint` says how to find out whether it took effect.
    pub fn outcome_unknown(endpoint: &'static str, source: Error, hint: impl Into<String>) -> Self {
        Error::OutcomeUnknown { endpoint, source: Box::new(source), hint: hint.into() }
    }

    pub(crate) fn invalid(endpoint: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidRequest { endpoint, message: message.into() }
    }
}

/// An error status from the server, with the body it sent (at most its first 64 KiB).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// The endpoint.
    pub endpoint: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The body, decoded into the documented shape when it has one.
    pub body: ApiErrorBody,
    /// The `Retry-After` header, in seconds or as an HTTP date converted to a delay.
    pub retry_after: Option<Duration>,
    /// How many times the request was sent before giving up (1 when it was not retried).
    pub attempts: u32,
}

impl ApiError {
    /// An error answer: the endpoint, the status, the body, the server's `Retry-After` and
    /// how many attempts were made.
    pub fn new(
        endpoint: &'static str,
        status: u16,
        body: ApiErrorBody,
        retry_after: Option<Duration>,
        attempts: u32,
    ) -> Self {
        Self { endpoint, status, body, retry_after, attempts }
    }
}

/// The most of any one server-supplied text an error's `Display` shows, so that no message is
/// much longer than 1 KiB whatever the server sent.
const MAX_SHOWN: usize = 400;

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.endpoint, self.status)?;
        match &self.body {
            ApiErrorBody::Simple { error, message } => {
                write!(f, " {}", truncate(error, 100))?;
                if let Some(message) = message {
                    write!(f, ": {}", truncate(message, MAX_SHOWN))?;
                }
            }
            ApiErrorBody::Coded { code, message } => {
                write!(f, " [{}]", truncate(code, 100))?;
                if let Some(message) = message {
                    write!(f, ": {}", truncate(message, MAX_SHOWN))?;
                }
            }
            ApiErrorBody::Json(value) => match self.body.message() {
                Some(message) => write!(f, " {}", truncate(message, MAX_SHOWN))?,
                None => write!(f, " {}", truncate(&value.to_string(), MAX_SHOWN))?,
            },
            ApiErrorBody::Text(text) if !text.is_empty() => write!(f, " {}", snippet(text.as_bytes(), 200))?,
            ApiErrorBody::Text(_) => {}
        }
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        if let Some(after) = self.retry_after {
            write!(f, " (the server asks to retry after {after:?})")?;
        }
        Ok(())
    }
}

/// The body of an error answer. The API families use two documented JSON shapes.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ApiErrorBody {
    /// Admin, Analytics, AI code and Bugbot: `{"error": "Bad Request", "message": "…"}`.
    #[non_exhaustive]
    Simple {
        /// The status text (`"Bad Request"`).
        error: String,
        /// The explanation.
        message: Option<String>,
    },
    /// Cloud Agents: `{"error": {"code": "…", "message": "…"}}`.
    #[non_exhaustive]
    Coded {
        /// The machine-readable code.
        code: String,
        /// The explanation.
        message: Option<String>,
    },
    /// JSON of another shape, kept whole.
    Json(serde_json::Value),
    /// A body that is not JSON (a proxy's HTML page, say), kept as text.
    Text(String),
}

impl ApiErrorBody {
    /// The Admin, Analytics, AI-code and Bugbot shape: `{"error": …, "message": …}`.
    pub fn simple(error: impl Into<String>, message: Option<String>) -> Self {
        ApiErrorBody::Simple { error: error.into(), message }
    }

    /// The Cloud Agents shape: `{"error": {"code": …, "message": …}}`.
    pub fn coded(code: impl Into<String>, message: Option<String>) -> Self {
        ApiErrorBody::Coded { code: code.into(), message }
    }

    /// Reads an error body, whichever shape it has.
    pub fn parse(bytes: &[u8]) -> Self {
        #[derive(Deserialize, Serialize)]
        struct Coded {
            code: String,
            message: Option<String>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape {
            Coded { error: Coded },
            Simple { error: String, message: Option<String> },
        }
        if let Ok(shape) = serde_json::from_slice::<Shape>(bytes) {
            return match shape {
                Shape::Coded { error } => ApiErrorBody::Coded { code: error.code, message: error.message },
                Shape::Simple { error, message } => ApiErrorBody::Simple { error, message },
            };
        }
        match serde_json::from_slice::<serde_json::Value>(bytes) {
            Ok(value) => ApiErrorBody::Json(value),
            Err(_) => ApiErrorBody::Text(String::from_utf8_lossy(bytes).into_owned()),
        }
    }

    /// The human-readable message, whichever shape carried it.
    pub fn message(&self) -> Option<&str> {
        match self {
            ApiErrorBody::Simple { message, .. } | ApiErrorBody::Coded { message, .. } => message.as_deref(),
            // Other shapes, such as the spend limit's `{"outcome": "error", "message": …}`.
            ApiErrorBody::Json(value) => value.get("message").and_then(serde_json::Value::as_str),
            ApiErrorBody::Text(text) => Some(text),
        }
    }
}

/// At most `max` characters of `text`, with `…` when cut.
pub(crate) fn truncate(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..cut])),
    }
}

/// The first `max` bytes of a body as text, for error messages.
pub(crate) fn snippet(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(max)]);
    let mut out: String = text.chars().filter(|c| !c.is_control() || *c == ' ').collect();
    if bytes.len() > max {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_admin_error_shape() {
        let body = ApiErrorBody::parse(br#"{"error":"Bad Request","message":"Some users are not in the team"}"#);
        assert_eq!(
            body,
            ApiErrorBody::Simple {
                error: "Bad Request".into(),
                message: Some("Some users are not in the team".into())
            }
        );
        assert_eq!(body.message(), Some("Some users are not in the team"));
    }

    #[test]
    fn parses_the_cloud_agents_error_shape() {
        let body = ApiErrorBody::parse(br#"{"error":{"code":"not_found","message":"Agent not found"}}"#);
        assert_eq!(body, ApiErrorBody::Coded { code: "not_found".into(), message: Some("Agent not found".into()) });
    }

    #[test]
    fn keeps_other_json_and_raw_text() {
        assert_eq!(ApiErrorBody::parse(br#"{"detail":1}"#), ApiErrorBody::Json(serde_json::json!({"detail":1})));
        let outcome = ApiErrorBody::parse(br#"{"outcome":"error","message":"Invalid email format"}"#);
        assert_eq!(outcome.message(), Some("Invalid email format"));
        assert_eq!(
            ApiErrorBody::parse(b"<html>bad gateway</html>"),
            ApiErrorBody::Text("<html>bad gateway</html>".into())
        );
    }

    #[test]
    fn predicates_answer_by_status() {
        let err = |status| {
            Error::Api(Box::new(ApiError {
                endpoint: "x",
                status,
                body: ApiErrorBody::Text(String::new()),
                retry_after: Some(Duration::from_secs(3)),
                attempts: 1,
            }))
        };
        assert!(err(429).is_rate_limited());
        assert!(err(401).is_unauthorized());
        assert!(err(403).is_forbidden());
        assert!(err(404).is_not_found());
        assert!(err(409).is_conflict());
        assert!(err(503).is_server_error());
        assert!(!err(404).is_rate_limited());
        assert_eq!(err(429).retry_after(), Some(Duration::from_secs(3)));
        assert!(Error::invalid("x", "bad").is_invalid_request());
    }

    #[test]
    fn display_names_endpoint_status_and_message() {
        let err = Error::Api(Box::new(ApiError {
            endpoint: "admin.members",
            status: 401,
            body: ApiErrorBody::Simple { error: "Unauthorized".into(), message: Some("Invalid API key".into()) },
            retry_after: None,
            attempts: 1,
        }));
        assert_eq!(err.to_string(), "admin.members: HTTP 401 Unauthorized: Invalid API key");
        let limited = Error::Api(Box::new(ApiError {
            endpoint: "admin.members",
            status: 429,
            body: ApiErrorBody::Simple { error: "Too Many Requests".into(), message: None },
            retry_after: Some(Duration::from_secs(1)),
            attempts: 5,
        }));
        assert_eq!(
            limited.to_string(),
            "admin.members: HTTP 429 Too Many Requests (after 5 attempts) (the server asks to retry after 1s)"
        );
    }
}
