//! Where a bucket's admissions and pauses live when several processes share one key: the
//! [`LimiterStore`] trait, the names of what it stores, and what the client does when the
//! store cannot be reached.
//!
//! Without a store (the default) each bucket keeps its state in the process, exactly as
//! before, with no dynamic call or allocation on the way. With one, the store decides every
//! admission: its answer holds for every process that shares it.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::BoxFuture;
use tokio::time::Instant;

use crate::endpoint::Bucket;

/// Which budget a request draws from, as a store names it: a fingerprint of the API key
/// (never the key), the bucket, and for per-endpoint buckets the endpoint's path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BucketId {
    /// A stable 64-bit fingerprint of the API key (the same in every process).
    pub key_fingerprint: u64,
    /// The bucket.
    pub bucket: Bucket,
    /// The endpoint's path, for buckets counted per endpoint.
    pub endpoint: Option<&'static str>,
}

impl BucketId {
    /// A name for the bucket that is the same in every process and holds no secret:
    /// `{fingerprint:016x}:{bucket}` or `{fingerprint:016x}:{bucket}:{path}`.
    pub fn name(&self) -> String {
        match self.endpoint {
            Some(path) => format!("{:016x}:{}:{path}", self.key_fingerprint, self.bucket.as_str()),
            None => format!("{:016x}:{}", self.key_fingerprint, self.bucket.as_str()),
        }
    }
}

/// One rate as a store checks it: at most `requests` admissions in any `window` (the
/// rate's period plus the safety margin). `requests` is the limit in force, after any
/// slowdown learned from 429s or reported by the server. `period` names the rate (a store
/// keeps one log per period) and bounds how long a learned slowdown is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowRate {
    /// The most admissions allowed in any window.
    pub requests: u32,
    /// The configured period of the rate (which names it).
    pub period: Duration,
    /// The period plus the safety margin.
    pub window: Duration,
}

/// A store's answer to an admission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Admitted, and recorded in every rate of the bucket.
    Admitted,
    /// Not admitted, and nothing recorded: ask again after this long (more than zero).
    RetryIn(Duration),
}

/// A store could not be reached or answered nonsense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// What a [`LimiterStore`] method returns: a boxed future of its answer (boxed so that the
/// trait can be used as `dyn LimiterStore`, without a macro crate).
pub type StoreFuture<'a, T> = BoxFuture<'a, Result<T, StoreError>>;

/// A shared home for the limiter's state, so that any number of processes sharing an API key
/// together keep each bucket's limits. Every method is one atomic step in the store; times
/// are durations from the store's own clock, so the processes' clocks do not matter.
///
/// The SDK ships `RedisStore` (cargo feature `redis`). Implement this
/// trait for another engine; [`ClientBuilder::limiter_store`](crate::ClientBuilder::limiter_store)
/// plugs it in.
pub trait LimiterStore: Send + Sync + 'static {
    /// Admits one request if the bucket is not paused and every rate has room, recording it
    /// in every rate at once; otherwise records nothing and says when to ask again. A call
    /// refused by one rate must use up no permit of another.
    fn try_admit<'a>(&'a self, bucket: &'a BucketId, rates: &'a [WindowRate]) -> StoreFuture<'a, Admission>;

    /// Records an admission in every rate without asking (a request already sent).
    fn charge<'a>(&'a self, bucket: &'a BucketId, rates: &'a [WindowRate]) -> StoreFuture<'a, ()>;

    /// Records a 429: the bucket sends nothing for `pause` (a later, shorter pause never
    /// shortens an earlier one). `learned`, when the 429 cut the bucket's rates, holds the
    /// cut rates; every process then keeps under them for one period of each rate.
    fn record_429<'a>(&'a self, bucket: &'a BucketId, pause: Duration, cut: &'a [WindowRate]) -> StoreFuture<'a, ()>;

    /// How much of a pause remains, if the bucket is paused.
    fn pause_remaining<'a>(&'a self, bucket: &'a BucketId) -> StoreFuture<'a, Option<Duration>>;
}

/// What the client does when its [`LimiterStore`] cannot be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StoreUnavailable {
    /// Say so once (a `tracing` warning) and keep each bucket in the process until the
    /// store answers again (the default): requests go on, but processes no longer share
    /// their budgets meanwhile.
    #[default]
    FallBackToInProcess,
    /// Fail the request with [`Error::LimiterStore`](crate::Error::LimiterStore).
    Fail,
}

/// How long after a failed call the store is left alone: a Redis that does not answer at
/// all would otherwise cost every request its connect timeout.
pub(crate) const REST_AFTER_FAILURE: Duration = Duration::from_secs(5);

/// A configured store with its fallback policy, shared by every bucket of a client.
pub(crate) struct SharedStore {
    store: Arc<dyn LimiterStore>,
    on_unavailable: StoreUnavailable,
    /// Whether the store is known to be down: the warning is said once per outage.
    pub(super) down: AtomicBool,
    /// Until when calls skip the store after a failure.
    resting_until: Mutex<Option<Instant>>,
}

impl SharedStore {
    pub(crate) fn new(store: Arc<dyn LimiterStore>, on_unavailable: StoreUnavailable) -> Self {
        Self { store, on_unavailable, down: AtomicBool::new(false), resting_until: Mutex::new(None) }
    }

    pub(crate) fn store(&self) -> &dyn LimiterStore {
        &*self.store
    }

    fn resting_until(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        self.resting_until.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs one store call, unless the store failed within the last
    /// [`REST_AFTER_FAILURE`]: then it counts as failed again, without waiting on the store.
    pub(crate) async fn call<T>(&self, call: StoreFuture<'_, T>) -> crate::Result<Option<T>> {
        let resting = self.resting_until().is_some_and(|until| Instant::now() < until);
        let result = if resting {
            Err(StoreError("the rate-limit store failed moments ago; not asking it again yet".into()))
        } else {
            call.await
        };
        self.outcome(result)
    }

    /// Takes the outcome of a store call: `Ok(Some(value))` when the store answered,
    /// `Ok(None)` when it did not and the client falls back, `Err` when it must fail.
    pub(crate) fn outcome<T>(&self, result: Result<T, StoreError>) -> crate::Result<Option<T>> {
        if result.is_err() {
            let mut resting_until = self.resting_until();
            if resting_until.is_none_or(|until| Instant::now() >= until) {
                *resting_until = Some(Instant::now() + REST_AFTER_FAILURE);
            }
        }
        match result {
            Ok(value) => {
                if self.down.swap(false, Ordering::Relaxed) {
                    tracing::info!("the rate-limit store answers again; budgets are shared again");
                }
                Ok(Some(value))
            }
            Err(error) => match self.on_unavailable {
                StoreUnavailable::Fail => Err(crate::Error::LimiterStore(error.0)),
                StoreUnavailable::FallBackToInProcess => {
                    if !self.down.swap(true, Ordering::Relaxed) {
                        tracing::warn!(
                            error = %error,
                            "the rate-limit store is unreachable; limiting in this process alone until it answers"
                        );
                    }
                    Ok(None)
                }
            },
        }
    }
}

impl fmt::Debug for SharedStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedStore").field("on_unavailable", &self.on_unavailable).finish_non_exhaustive()
    }
}
