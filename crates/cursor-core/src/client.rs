//! The client and its builder, and the public ways to send a request: decoded JSON, an empty
//! answer, or a streamed body. The retry loop itself is in `execute.rs`.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use reqwest::header::{self, HeaderValue};
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

use crate::attempt::BodyLimits;
use crate::cache::{CachedResponse, EtagCache};
use crate::classify::{DefaultClassifier, RetryClassifier};
use crate::endpoint::ResponseKind;
use crate::error::{Error, Result, snippet};
use crate::execute::{Answer, CacheUse};
use crate::limits::{LimiterRegistry, LimiterStore, RateLimits, SharedStore, StoreUnavailable};
use crate::observe::{Event, Observer};
use crate::options::RequestOptions;
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
    limiter_store: Option<Arc<dyn LimiterStore>>,
    store_unavailable: StoreUnavailable,
    cache_capacity: Option<usize>,
    clock: Option<ClockFn>,
    classifier: Arc<dyn RetryClassifier>,
    body_limits: BodyLimits,
    allow_insecure_http: bool,
    observer: Option<Arc<dyn Observer>>,
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
            limiter_store: None,
            store_unavailable: StoreUnavailable::default(),
            cache_capacity: Some(256),
            clock: None,
            classifier: Arc::new(DefaultClassifier),
            body_limits: BodyLimits::default(),
            allow_insecure_http: false,
            observer: None,
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

    /// Shares the rate limiter's state with every other process that uses the same store
    /// (default: none, each process limits itself alone). All processes sharing an API key
    /// then keep each bucket's limits together, and 429 pauses and rates learned from 429s
    /// reach them all. Give every process the same [`RateLimits`].
    ///
    /// ```no_run
    /// # #[cfg(feature = "redis")]
    /// # async fn run() -> cursor_core::Result<()> {
    /// use cursor_core::{Client, RedisStore, StoreUnavailable};
    ///
    /// let client = Client::builder()
    ///     .api_key("key_…")
    ///     .limiter_store(RedisStore::open("redis://127.0.0.1:6379/")?)
    ///     .when_store_unavailable(StoreUnavailable::FallBackToInProcess)
    ///     .build()?;
    /// # let _ = client; Ok(()) }
    /// ```
    pub fn limiter_store(mut self, store: impl LimiterStore) -> Self {
        self.limiter_store = Some(Arc::new(store));
        self
    }

    /// What to do when the [`limiter_store`](Self::limiter_store) cannot be reached: by
    /// default say so once and limit in this process until it answers again.
    pub fn when_store_unavailable(mut self, policy: StoreUnavailable) -> Self {
        self.store_unavailable = policy;
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

    /// Replaces the rules that decide what follows a failed attempt (a request may override
    /// it). Whatever it decides, a request that is not idempotent is never sent again after
    /// it may have reached the server.
    pub fn retry_classifier(mut self, classifier: impl RetryClassifier + 'static) -> Self {
        self.classifier = Arc::new(classifier);
        self
    }

    /// The largest JSON answer the client reads (default 64 MiB); a larger one is
    /// [`Error::BodyTooLarge`]. Streamed (CSV) answers are never held whole.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.body_limits.max_body_bytes = bytes;
        self
    }

    /// The least a streamed answer must deliver within every period of the request timeout
    /// (default 1 KiB), in the manner of curl's `--speed-limit`/`--speed-time`: a server that
    /// drips a byte at a time cannot hold a stream forever.
    pub fn min_stream_bytes(mut self, bytes: u64) -> Self {
        self.body_limits.min_stream_bytes = bytes;
        self
    }

    /// The longest CSV record (default 1 MiB); a longer one is an error, so one endless field
    /// cannot fill memory.
    pub fn max_csv_record_bytes(mut self, bytes: usize) -> Self {
        self.body_limits.max_csv_record_bytes = bytes;
        self
    }

    /// Allows a plain `http://` base URL for a host other than loopback. Off by default: the
    /// key travels in a header that anyone on the path could read.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Receives an [`Event`](crate::Event) for every request finished, retry and page read:
    /// for progress displays and per-request logs.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use std::sync::Arc;
    ///
    /// let requests = Arc::new(AtomicUsize::new(0));
    /// let counter = requests.clone();
    /// let client = cursor_core::Client::builder()
    ///     .api_key("key_…")
    ///     .observer(cursor_core::FnObserver(move |event: &cursor_core::Event<'_>| {
    ///         if let cursor_core::Event::RequestFinished { .. } = event {
    ///             counter.fetch_add(1, Ordering::Relaxed);
    ///         }
    ///     }))
    ///     .build()?;
    /// # Ok::<(), cursor_core::Error>(())
    /// ```
    pub fn observer(mut self, observer: impl Observer + 'static) -> Self {
        self.observer = Some(Arc::new(observer));
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
        if base_url.starts_with("http://") && !self.allow_insecure_http && !is_loopback(&base_url) {
            return Err(Error::Config(format!(
                "the base URL `{base_url}` is plain http:// to a host other than loopback, which would send the API key \
                 in clear text; use https://, or ClientBuilder::allow_insecure_http(true) if you mean it"
            )));
        }
        let http = reqwest::Client::builder()
            // The API never redirects; following one could carry a body and the key's header
            // to another origin. A 3xx comes back as `Error::Redirected`.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent)
            .build()
            .map_err(|e| Error::Config(format!("the HTTP client could not be built: {e}")))?;
        let shared = Arc::new(Shared {
            http,
            base_url,
            timeout: self.timeout,
            retry: self.retry,
            limiters: LimiterRegistry::with_store(
                self.rate_limits,
                self.limiter_store.map(|store| Arc::new(SharedStore::new(store, self.store_unavailable))),
            ),
            cache: self.cache_capacity.map(EtagCache::new),
            clock: self.clock.unwrap_or_else(|| Arc::new(OffsetDateTime::now_utc)),
            classifier: self.classifier,
            body_limits: self.body_limits,
            observer: self.observer,
        });
        Ok(Client { auth: Arc::new(Auth::new(api_key)), shared, options: Arc::default() })
    }
}

/// What every clone of a client shares.
pub(crate) struct Shared {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
    limiters: LimiterRegistry,
    pub(crate) cache: Option<EtagCache>,
    clock: ClockFn,
    pub(crate) classifier: Arc<dyn RetryClassifier>,
    pub(crate) body_limits: BodyLimits,
    observer: Option<Arc<dyn Observer>>,
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
    options: Arc<RequestOptions>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("api_key", &self.auth.key)
            .field("base_url", &self.shared.base_url)
            .finish_non_exhaustive()
    }
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
        Self { auth: Arc::new(Auth::new(key.into())), shared: self.shared.clone(), options: self.options.clone() }
    }

    /// The answers this client's `ETag` cache holds for its API key (never another key's), oldest
    /// first, to save between runs: [`restore_cached_answers`](Self::restore_cached_answers)
    /// in the next run makes its first requests conditional, so an unchanged answer is a `304`
    /// that costs no rate-limit budget. Empty when the cache is off.
    pub fn cached_answers(&self) -> Vec<CachedAnswer> {
        let Some(cache) = &self.shared.cache else { return Vec::new() };
        cache
            .entries_with_prefix(&self.cache_key_prefix())
            .into_iter()
            .map(|(key, entry)| CachedAnswer { key, etag: entry.etag, body: entry.body })
            .collect()
    }

    /// Puts answers saved by [`cached_answers`](Self::cached_answers) back into the cache.
    /// Answers of another API key are skipped. A restored body is trusted no more than a
    /// fresh one: it is decoded when a `304` replays it, and dropped and fetched again
    /// unconditionally if it no longer decodes.
    pub fn restore_cached_answers(&self, answers: impl IntoIterator<Item = CachedAnswer>) {
        let Some(cache) = &self.shared.cache else { return };
        let prefix = self.cache_key_prefix();
        for answer in answers.into_iter().filter(|answer| answer.key.starts_with(&prefix)) {
            cache.put(answer.key, CachedResponse { etag: answer.etag, body: answer.body });
        }
    }

    fn cache_key_prefix(&self) -> String {
        format!("{:016x} ", self.auth.key.fingerprint())
    }

    /// A view of this client whose calls run with `options` (a retry policy, a timeout, a
    /// retry classifier, an idempotency override), on top of any this view already has. It
    /// shares everything else: connection pool, limiters, cache. What a request sets itself
    /// still wins.
    pub fn with_options(&self, options: RequestOptions) -> Self {
        Self {
            auth: self.auth.clone(),
            shared: self.shared.clone(),
            options: Arc::new(self.options.overlaid_by(&options)),
        }
    }

    /// The options this view applies to its calls.
    pub fn options(&self) -> &RequestOptions {
        &self.options
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
        self.bucket(endpoint).current_rates()
    }

    /// Sends a request and decodes its JSON answer.
    ///
    /// A cacheable answer is kept for `ETag` revalidation only after it decoded; a cached
    /// body that no longer decodes is dropped and fetched again in full. A write that is not
    /// idempotent and was answered `2xx` with a body that does not decode is
    /// [`Error::DoneButUnreadable`]: it took effect, so it must not be sent again.
    pub async fn send_json<T: DeserializeOwned>(&self, request: Request) -> Result<T> {
        self.send_json_with_body(request).await.map(|(value, _)| value)
    }

    /// Like [`send_json`](Self::send_json), with a fingerprint of the raw body (for telling a
    /// repeated page).
    pub(crate) async fn send_json_fingerprinted<T: DeserializeOwned>(&self, request: Request) -> Result<(T, u64)> {
        self.send_json_with_body(request).await.map(|(value, body)| (value, fingerprint(&body)))
    }

    async fn send_json_with_body<T: DeserializeOwned>(&self, request: Request) -> Result<(T, Bytes)> {
        let endpoint = request.endpoint;
        let mut cache_use = CacheUse::Revalidate;
        loop {
            let Answer::Buffered { status, body, from_cache, store } = self.execute(&request, false, cache_use).await?
            else {
                return Err(internal_streaming_error());
            };
            match decode_json::<T>(endpoint.name, &body) {
                Ok(value) => {
                    if let (Some(cache), Some((key, etag))) = (&self.shared.cache, store) {
                        cache.put(key, CachedResponse { etag, body: body.clone() });
                    }
                    return Ok((value, body));
                }
                Err(error) if from_cache && cache_use == CacheUse::Revalidate => {
                    tracing::warn!(endpoint = endpoint.name, %error, "a cached body no longer decodes; fetching it again");
                    if let Some(cache) = &self.shared.cache {
                        let url = format!("{}{}", self.shared.base_url, request.path_and_query());
                        cache.remove(&self.cache_key(endpoint, &url));
                    }
                    cache_use = CacheUse::Bypass;
                }
                Err(error)
                    if !self.options().overlaid_by(&request.options).idempotent.unwrap_or(endpoint.idempotent) =>
                {
                    return Err(Error::DoneButUnreadable {
                        endpoint: endpoint.name,
                        status,
                        body,
                        source: Box::new(error),
                    });
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Sends a request whose answer has no body worth reading (`204 No Content`).
    pub async fn send_empty(&self, request: Request) -> Result<()> {
        self.execute(&request, false, CacheUse::Revalidate).await.map(|_| ())
    }

    /// Sends a request and returns the body as a stream of bytes, without buffering it (CSV
    /// exports). The stream fails as a timeout when it delivers less than the client's
    /// minimum within any period of the request timeout. A CSV endpoint that answers with
    /// another content type (a JSON or HTML error page with status 200) is an error.
    pub async fn send_streaming(&self, request: Request) -> Result<ByteStream> {
        let endpoint = request.endpoint;
        let period =
            request.options.timeout.or(self.options.timeout).or(endpoint.timeout).unwrap_or(self.shared.timeout);
        let limits = self.shared.body_limits;
        let response = match self.execute(&request, true, CacheUse::Bypass).await? {
            Answer::Streaming(response) => response,
            Answer::Buffered { body, .. } => {
                return Ok(
                    ByteStream::from_bytes(endpoint.name, body).with_max_record_bytes(limits.max_csv_record_bytes)
                );
            }
        };
        if endpoint.response == ResponseKind::Csv {
            check_csv_content_type(endpoint.name, &response)?;
        }
        Ok(ByteStream::from_response(endpoint.name, response, period, limits.min_stream_bytes)
            .with_max_record_bytes(limits.max_csv_record_bytes))
    }

    /// Tells the observer, if there is one.
    pub(crate) fn observe(&self, event: impl FnOnce() -> Event<'static>) {
        if let Some(observer) = &self.shared.observer {
            observer.observe(&event());
        }
    }

    /// Tells the observer an event that borrows, if there is one.
    pub(crate) fn observe_borrowed(&self, event: &Event<'_>) {
        if let Some(observer) = &self.shared.observer {
            observer.observe(event);
        }
    }

    pub(crate) fn settings(&self) -> &Shared {
        &self.shared
    }

    pub(crate) fn authorization(&self) -> &HeaderValue {
        &self.auth.header
    }

    pub(crate) fn bucket(&self, endpoint: &'static crate::Endpoint) -> Arc<crate::limits::BucketLimiter> {
        self.shared.limiters.bucket(self.auth.key.fingerprint(), endpoint)
    }

    /// The cache entry of a request: the key's fingerprint, so two teams never share one.
    pub(crate) fn cache_key(&self, endpoint: &'static crate::Endpoint, url: &str) -> String {
        format!("{}{} {}", self.cache_key_prefix(), endpoint.method.as_str(), url)
    }
}

/// One answer of a client's `ETag` cache, as [`Client::cached_answers`] lists it for saving
/// between runs. `key` names the request (a fingerprint of the API key, never the key, the
/// method and the URL); `body` is the answer the `etag` validates.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CachedAnswer {
    /// The request it answers: API-key fingerprint, method and URL.
    pub key: String,
    /// The validator the server sent.
    pub etag: String,
    /// The body the validator validates.
    pub body: Bytes,
}

impl CachedAnswer {
    /// An answer read back from where it was saved.
    pub fn new(key: impl Into<String>, etag: impl Into<String>, body: impl Into<Bytes>) -> Self {
        Self { key: key.into(), etag: etag.into(), body: body.into() }
    }
}

/// Whether a base URL's host is a loopback address (`localhost`, `127.0.0.0/8`, `[::1]`).
fn is_loopback(base_url: &str) -> bool {
    let rest = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let host = if let Some(bracketed) = host_port.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Refuses a CSV answer whose declared type is plainly something else.
fn check_csv_content_type(endpoint: &'static str, response: &reqwest::Response) -> Result<()> {
    let Some(content_type) = response.headers().get(header::CONTENT_TYPE) else { return Ok(()) };
    let content_type = content_type.to_str().unwrap_or("").to_ascii_lowercase();
    let csv_like = content_type.contains("csv")
        || content_type.starts_with("text/plain")
        || content_type.starts_with("application/octet-stream");
    if csv_like {
        Ok(())
    } else {
        Err(Error::Stream {
            endpoint,
            message: format!("expected CSV but the server answered `{}`", snippet(content_type.as_bytes(), 100)),
        })
    }
}

/// A fingerprint of a body, to tell two identical answers apart from two different ones.
fn fingerprint(body: &[u8]) -> u64 {
    use std::hash::{BuildHasher as _, RandomState};
    // One key for the process: pages of one stream may be fetched on different threads.
    static KEYS: std::sync::OnceLock<RandomState> = std::sync::OnceLock::new();
    KEYS.get_or_init(RandomState::new).hash_one(body)
}

fn internal_streaming_error() -> Error {
    // `execute` only streams when asked to; reaching this is a bug in this crate.
    Error::Config("internal error: a streamed body where a buffered one was asked for".into())
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

#[cfg(test)]
mod tests {
    use super::*;

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
