//! The client and its builder, and the one path every request takes: limit, send, retry,
//! revalidate, decode.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use bytes::Bytes;
use reqwest::header::{self, HeaderMap, HeaderValue};
use serde::de::DeserializeOwned;
use time::OffsetDateTime;
use tracing::Instrument as _;

use crate::cache::{CachedResponse, EtagCache};
use crate::endpoint::{Method, ResponseKind};
use crate::error::{ApiError, ApiErrorBody, Error, Result, snippet};
use crate::limits::{LimiterRegistry, RateLimits};
use crate::request::Request;
use crate::retry::RetryPolicy;
use crate::secret::ApiKey;
use crate::stream::ByteStream;

/// The production base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.cursor.com";
/// The environment variable read for the API key when none is given.
pub const API_KEY_ENV: &str = "CURSOR_API_KEY";
/// The environment variable read for the base URL when none is given.
pub const BASE_URL_ENV: &str = "CURSOR_BASE_URL";
/// The `User-Agent` the client sends unless told otherwise.
pub const USER_AGENT: &str = concat!("cursor-rs/", env!("CARGO_PKG_VERSION"), " (cursor-core)");

/// A clock, so that relative dates and range splitting can be tested at a fixed instant.
pub type ClockFn = Arc<dyn Fn() -> OffsetDateTime + Send + Sync>;

/// Builds a [`Client`].
///
/// ```no_run
/// # async fn run() -> cursor_core::Result<()> {
/// let client = cursor_core::Client::builder()
///     .api_key("key_…")
///     .timeout(std::time::Duration::from_secs(30))
///     .build()?;
/// # Ok(()) }
/// ```
#[must_use]
pub struct ClientBuilder {
    api_key: Option<ApiKey>,
    base_url: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    user_agent: String,
    retry: RetryPolicy,
    rate_limits: RateLimits,
    cache_capacity: Option<usize>,
    clock: Option<ClockFn>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            api_key: None,
            base_url: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            user_agent: USER_AGENT.to_owned(),
            retry: RetryPolicy::default(),
            rate_limits: RateLimits::default(),
            cache_capacity: Some(256),
            clock: None,
        }
    }
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The API key. Without one, `CURSOR_API_KEY` is read when building.
    pub fn api_key(mut self, key: impl Into<ApiKey>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The base URL (default `https://api.cursor.com`, or `CURSOR_BASE_URL`). Point it at
    /// `cursor-mock` to run offline.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// How long to wait for a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take, body included (default 60 s). Endpoints known to be
    /// slow (`/v0/repositories`) declare a longer one.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Replaces the `User-Agent`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The retry policy for every request (a request may override it).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The client-side rate limits.
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = limits;
        self
    }

    /// The number of responses the `ETag` cache keeps (default 256).
    pub fn cache_capacity(mut self, entries: usize) -> Self {
        self.cache_capacity = Some(entries);
        self
    }

    /// Turns conditional requests off: every request fetches the full answer.
    pub fn disable_cache(mut self) -> Self {
        self.cache_capacity = None;
        self
    }

    /// Replaces the clock used to resolve relative dates (for tests).
    pub fn clock(mut self, clock: impl Fn() -> OffsetDateTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client> {
        let api_key = match self.api_key {
            Some(key) => key,
            None => std::env::var(API_KEY_ENV).map(ApiKey::new).map_err(|_| {
                Error::Config(format!("no API key: pass one to ClientBuilder::api_key or set {API_KEY_ENV}"))
            })?,
        };
        if api_key.is_empty() {
            return Err(Error::Config("the API key is empty".into()));
        }
        let base_url = match self.base_url {
            Some(url) => url,
            None => std::env::var(BASE_URL_ENV).unwrap_or_else(|_| DEFAULT_BASE_URL.to_owned()),
        };
        let base_url = base_url.trim_end_matches('/').to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(Error::Config(format!("the base URL `{base_url}` must start with http:// or https://")));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent)
            .build()
            .map_err(|e| Error::Config(format!("the HTTP client could not be built: {e}")))?;
        let shared = Arc::new(Shared {
            http,
            base_url,
            timeout: self.timeout,
            retry: self.retry,
            limiters: LimiterRegistry::new(self.rate_limits),
            cache: self.cache_capacity.map(EtagCache::new),
            clock: self.clock.unwrap_or_else(|| Arc::new(OffsetDateTime::now_utc)),
        });
        Ok(Client { auth: Arc::new(Auth::new(api_key)), shared })
    }
}

struct Shared {
    http: reqwest::Client,
    base_url: String,
    timeout: Duration,
    retry: RetryPolicy,
    limiters: LimiterRegistry,
    cache: Option<EtagCache>,
    clock: ClockFn,
}

struct Auth {
    key: ApiKey,
    header: HeaderValue,
}

impl Auth {
    fn new(key: ApiKey) -> Self {
        // Basic auth: the key is the user name and the password is empty.
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{}:", key.expose_secret()));
        let mut header =
            HeaderValue::from_str(&format!("Basic {encoded}")).unwrap_or_else(|_| HeaderValue::from_static(""));
        // Marks the value so HTTP/2 never indexes it and debug output of headers hides it.
        header.set_sensitive(true);
        Self { key, header }
    }
}

/// A client for the Cursor APIs. Cheap to clone: clones share one connection pool, one set
/// of rate limiters and one cache. Hand a clone to each API crate's client.
#[derive(Clone)]
pub struct Client {
    auth: Arc<Auth>,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("api_key", &self.auth.key)
            .field("base_url", &self.shared.base_url)
            .finish_non_exhaustive()
    }
}

/// What the attempts of one request did, for its span.
#[derive(Default)]
struct AttemptStats {
    attempt: u32,
    status: Option<u16>,
    limiter_wait: Duration,
}

/// A buffered answer.
pub(crate) struct Answer {
    pub(crate) body: Bytes,
}

enum Body {
    Buffered(Bytes),
    /// A streamed answer and the longest wait for each chunk.
    Streaming(reqwest::Response, Duration),
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client from `CURSOR_API_KEY` (and `CURSOR_BASE_URL` when set), with defaults.
    pub fn from_env() -> Result<Self> {
        Self::builder().build()
    }

    /// A client for another API key that shares this one's connection pool and limiter
    /// registry (each key still gets its own budgets, as the server counts per team).
    pub fn with_api_key(&self, key: impl Into<ApiKey>) -> Self {
        Self { auth: Arc::new(Auth::new(key.into())), shared: self.shared.clone() }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// The current time by the client's clock, for resolving relative dates.
    pub fn now(&self) -> OffsetDateTime {
        (self.shared.clock)()
    }

    /// The client-side rates currently in force for an endpoint's bucket (lower than
    /// configured after the server answered `429` without `Retry-After`).
    pub fn current_rates(&self, endpoint: &'static crate::Endpoint) -> Vec<crate::Rate> {
        self.shared.limiters.bucket(self.auth.key.fingerprint(), endpoint).current_rates()
    }

    /// Sends a request and decodes its JSON answer.
    pub async fn send_json<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        let endpoint = request.endpoint.name;
        let answer = self.send(request).await?;
        decode_json(endpoint, &answer.body)
    }

    /// Sends a request whose answer has no body worth reading (`204 No Content`).
    pub async fn send_empty(&self, request: Request) -> Result<()> {
        self.send(request).await.map(|_| ())
    }

    /// Sends a request and returns the body as a stream of bytes, without buffering it (CSV
    /// exports).
    pub async fn send_streaming(&self, request: Request) -> Result<ByteStream> {
        let endpoint = request.endpoint.name;
        match self.execute(request, true).await? {
            Body::Streaming(response, idle_timeout) => Ok(ByteStream::from_response(endpoint, response, idle_timeout)),
            Body::Buffered(bytes) => Ok(ByteStream::from_bytes(endpoint, bytes)),
        }
    }

    pub(crate) async fn send(&self, request: Request) -> Result<Answer> {
        match self.execute(request, false).await? {
            Body::Buffered(body) => Ok(Answer { body }),
            Body::Streaming(..) => unreachable_streaming(),
        }
    }

    async fn execute(&self, request: Request, streaming: bool) -> Result<Body> {
        let endpoint = request.endpoint;
        let span = tracing::info_span!(
            "cursor.request",
            api = endpoint.api.as_str(),
            endpoint = endpoint.name,
            method = endpoint.method.as_str(),
            path = %request.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            limiter_wait_ms = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let mut stats = AttemptStats::default();
        let result = self.execute_attempts(&request, streaming, &mut stats).instrument(span.clone()).await;
        // Recorded once, at the end: recording a field again appends it in most subscribers.
        span.record("attempt", stats.attempt);
        if let Some(status) = stats.status {
            span.record("status", status);
        }
        span.record("limiter_wait_ms", stats.limiter_wait.as_millis() as u64);
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
        result
    }

    async fn execute_attempts(&self, request: &Request, streaming: bool, stats: &mut AttemptStats) -> Result<Body> {
        let endpoint = request.endpoint;
        let policy = request.retry.unwrap_or(self.shared.retry);
        let bucket = self.shared.limiters.bucket(self.auth.key.fingerprint(), endpoint);
        let url = format!("{}{}", self.shared.base_url, request.path_and_query());
        let cache_key = format!("{:016x} {} {}", self.auth.key.fingerprint(), endpoint.method.as_str(), url);
        let cache = self
            .shared
            .cache
            .as_ref()
            .filter(|_| endpoint.cacheable && endpoint.response == ResponseKind::Json && !streaming);
        let body = match &request.body {
            Some(value) => Some(serde_json::to_vec(value).map_err(|e| Error::invalid(endpoint.name, e.to_string()))?),
            None => None,
        };
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            stats.attempt = attempt;
            stats.status = None;
            let cached = cache.and_then(|c| c.get(&cache_key));
            // A revalidation answered 304 costs the server nothing and is not counted, so it
            // does not wait for a permit; if it turns out to be a full answer it is charged.
            // A 429 pause holds for every request, revalidations included.
            stats.limiter_wait += if cached.is_none() { bucket.acquire().await } else { bucket.wait_out_pause().await };
            let timeout = request.timeout.unwrap_or(self.shared.timeout);
            let mut builder = self
                .shared
                .http
                .request(to_reqwest(endpoint.method), &url)
                .header(header::AUTHORIZATION, self.auth.header.clone())
                .header(
                    header::ACCEPT,
                    if endpoint.response == ResponseKind::Csv { "text/csv" } else { "application/json" },
                );
            // A streamed body may rightly take longer than any total timeout, so a stream
            // times out waiting for its headers and then for each chunk, not as a whole.
            if !streaming {
                builder = builder.timeout(timeout);
            }
            if let Some(cached) = &cached
                && let Ok(value) = HeaderValue::from_str(&cached.etag)
            {
                builder = builder.header(header::IF_NONE_MATCH, value);
            }
            if let Some(body) = &body {
                builder = builder.header(header::CONTENT_TYPE, "application/json").body(body.clone());
            }
            let attempt_started = Instant::now();
            let sent = match tokio::time::timeout(timeout, builder.send()).await {
                Ok(sent) => sent,
                Err(_) => {
                    let error = Error::Timeout { endpoint: endpoint.name, elapsed: attempt_started.elapsed() };
                    if endpoint.idempotent && attempt < policy.max_attempts {
                        tokio::time::sleep(policy.backoff(attempt)).await;
                        continue;
                    }
                    return Err(self.uncertain(endpoint, error, true));
                }
            };
            let response = match sent {
                Ok(response) => response,
                Err(err) => {
                    let error = transport_error(endpoint.name, &err, attempt_started.elapsed());
                    let reached_server = !err.is_connect();
                    if endpoint.idempotent && attempt < policy.max_attempts {
                        let delay = policy.backoff(attempt);
                        tracing::debug!(error = %error, ?delay, "retrying after a transport error");
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                    return Err(self.uncertain(endpoint, error, reached_server));
                }
            };
            let status = response.status().as_u16();
            stats.status = Some(status);
            if status == 304
                && let Some(cached) = cached
            {
                bucket.succeeded();
                return Ok(Body::Buffered(cached.body));
            }
            if cached.is_some() {
                bucket.charge();
            }
            if (200..300).contains(&status) {
                bucket.succeeded();
                if streaming {
                    return Ok(Body::Streaming(response, timeout));
                }
                let etag = response.headers().get(header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
                let bytes =
                    response.bytes().await.map_err(|e| transport_error(endpoint.name, &e, attempt_started.elapsed()));
                let bytes = match bytes {
                    Ok(bytes) => bytes,
                    Err(error) if endpoint.idempotent && attempt < policy.max_attempts => {
                        tracing::debug!(error = %error, "retrying after the body was cut off");
                        tokio::time::sleep(policy.backoff(attempt)).await;
                        continue;
                    }
                    Err(error) => return Err(self.uncertain(endpoint, error, true)),
                };
                if let (Some(cache), Some(etag)) = (cache, etag) {
                    cache.put(cache_key.clone(), CachedResponse { etag, body: bytes.clone() });
                }
                return Ok(Body::Buffered(bytes));
            }
            let retry_after = parse_retry_after(response.headers());
            let bytes = response.bytes().await.unwrap_or_default();
            let error = Error::Api(Box::new(ApiError {
                endpoint: endpoint.name,
                status,
                body: ApiErrorBody::parse(&bytes),
                retry_after,
                attempts: attempt,
            }));
            if status == 429 {
                // The server did nothing, so even a launch may be sent again. A wait longer
                // than the policy allows is returned to the caller, and the bucket pauses no
                // longer than that, so later calls are not blocked for it either.
                let pause = bucket.penalize(retry_after.map(|after| after.min(policy.max_retry_after)));
                let too_long = retry_after.is_some_and(|after| after > policy.max_retry_after);
                if attempt < policy.max_attempts && !too_long {
                    tracing::debug!(?pause, "rate limited; the bucket pauses before the retry");
                    continue;
                }
                return Err(error);
            }
            if status >= 500 {
                if endpoint.idempotent && attempt < policy.max_attempts {
                    let delay =
                        retry_after.filter(|d| *d <= policy.max_retry_after).unwrap_or_else(|| policy.backoff(attempt));
                    tracing::debug!(status, ?delay, "retrying after a server error");
                    tokio::time::sleep(delay).await;
                    continue;
                }
                return Err(self.uncertain(endpoint, error, true));
            }
            return Err(error);
        }
    }

    /// Wraps a failure of a non-idempotent request that may have reached the server.
    fn uncertain(&self, endpoint: &'static crate::Endpoint, error: Error, reached_server: bool) -> Error {
        match endpoint.uncertain_outcome_hint {
            Some(hint) if !endpoint.idempotent && reached_server => {
                Error::OutcomeUnknown { endpoint: endpoint.name, source: Box::new(error), hint: hint.to_owned() }
            }
            _ => error,
        }
    }
}

fn unreachable_streaming() -> Result<Answer> {
    // `execute` only streams when asked to; reaching this is a bug in this module.
    Err(Error::Config("internal error: a streamed body where a buffered one was asked for".into()))
}

fn to_reqwest(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
    }
}

fn transport_error(endpoint: &'static str, err: &reqwest::Error, elapsed: Duration) -> Error {
    if err.is_timeout() {
        return Error::Timeout { endpoint, elapsed };
    }
    // reqwest's Display includes the URL, which carries no secret (auth is a header).
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    Error::Transport { endpoint, message, source: None }
}

/// Decodes a JSON body the way the client does: with `serde_json` directly, and only when that
/// fails a second time through `serde_path_to_error`, so that the error names the JSON path of
/// the bad value. Tracking the path costs about half the decode speed, and bodies are almost
/// always well formed, so the fast path is the common one.
pub fn decode_json<T: DeserializeOwned>(endpoint: &'static str, bytes: &[u8]) -> Result<T> {
    match serde_json::from_slice(bytes) {
        Ok(value) => Ok(value),
        Err(fast_error) => {
            let mut deserializer = serde_json::Deserializer::from_slice(bytes);
            let (path, message) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
                Err(err) => (err.path().to_string(), err.inner().to_string()),
                // The slow decoder accepted what the fast one refused (it cannot, but a
                // decode error must never turn into a panic or a value).
                Ok(_) => (".".to_owned(), fast_error.to_string()),
            };
            Err(Error::Decode { endpoint, path, message, snippet: snippet(bytes, 200) })
        }
    }
}

/// `Retry-After` as seconds or as an HTTP date.
fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn decode_errors_name_the_path_and_show_the_body() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            items: Vec<Inner>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            count: u32,
        }
        let err = decode_json::<Outer>("t.endpoint", br#"{"items":[{"count":1},{"count":"x"}]}"#).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("items[1].count"), "{text}");
        assert!(text.contains("t.endpoint"), "{text}");
        assert!(text.contains(r#"{"items":[{"count":1}"#), "{text}");
    }

    #[test]
    fn builder_requires_a_key_and_a_sane_url() {
        let err = Client::builder().api_key("").build().unwrap_err();
        assert!(err.to_string().contains("empty"));
        let err = Client::builder().api_key("key_x").base_url("ftp://x").build().unwrap_err();
        assert!(err.to_string().contains("http://"));
        let client = Client::builder().api_key("key_secret_value").base_url("http://127.0.0.1:1/").build().unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:1");
        assert!(!format!("{client:?}").contains("secret_value"));
    }

    #[test]
    fn authorization_is_basic_with_the_key_as_user_and_no_password() {
        let auth = Auth::new(ApiKey::new("key_abc"));
        // base64("key_abc:") == "a2V5X2FiYzo="
        assert_eq!(auth.header.to_str().unwrap(), "Basic a2V5X2FiYzo=");
        assert!(auth.header.is_sensitive());
    }
}
