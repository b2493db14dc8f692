//! Client-side rate limiting: a sliding-window log per rate, per bucket, per API key, that
//! spends the whole documented budget, never overspends it, and learns a lower limit from 429s.
//!
//! The server counts fixed one-minute windows whose alignment the client cannot know. A
//! bucket admits a request only when fewer than `n` admissions lie within the last period
//! (plus a small safety margin) for every one of its rates, so no window of one period, however
//! it is aligned, ever holds more than `n`; an idle client may send all `n` at once, and a long
//! stream keeps the full rate. The state of a bucket is plain data with pure methods
//! ([`state::BucketState`]); this module adds the clock, the lock and the waiting.
//!
//! Several processes sharing one key share their buckets through a [`LimiterStore`]
//! (`store.rs`; Redis in `redis_store.rs`, cargo feature `redis`): the store then decides each
//! admission, and the bucket's own state keeps what this process learned and serves when
//! the store is unreachable.

#[cfg(feature = "redis")]
mod redis_store;
mod state;
mod store;

#[cfg(feature = "redis")]
pub use redis_store::RedisStore;
pub(crate) use store::SharedStore;
pub use store::{Admission, BucketId, LimiterStore, StoreError, StoreFuture, StoreUnavailable, WindowRate};

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;

use crate::endpoint::{Bucket, Endpoint};
use state::BucketState;

/// One rate: `requests` per `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// How many requests.
    pub requests: u32,
    /// In how long.
    pub period: Duration,
}

impl Rate {
    /// `requests` per minute.
    pub const fn per_minute(requests: u32) -> Self {
        Self { requests, period: Duration::from_secs(60) }
    }

    /// `requests` per hour.
    pub const fn per_hour(requests: u32) -> Self {
        Self { requests, period: Duration::from_secs(3600) }
    }
}

/// The client-side limits per bucket. Each bucket starts at the rates its declaration gives
/// ([`Bucket::default_rates`], from the documents); every one can be replaced, because the
/// documents disagree on some and the service may change.
///
/// Each rate holds in every window of its period: an idle bucket may send its whole budget
/// at once, a busy one keeps the full rate, and no window of one period (plus a safety margin
/// of 1% by default, see [`safety_margin`](Self::safety_margin)) ever holds more than the
/// rate's requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    /// The rates set for a bucket in place of its declared defaults.
    rates: HashMap<Bucket, Vec<Rate>>,
    /// Whether a bucket without rates of its own here has its declared defaults (or none).
    defaults_apply: bool,
    adaptation: Adaptation,
    /// The safety margin in millionths of each period.
    margin_ppm: u32,
}

/// How a bucket reacts to the server's 429s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Adaptation {
    enabled: bool,
    /// How long without a 429 before a slowed rate climbs a step; `None`: the rate's period.
    recover_after: Option<Duration>,
}

impl Default for Adaptation {
    fn default() -> Self {
        Self { enabled: true, recover_after: None }
    }
}

/// The default safety margin: 1% of each period.
const DEFAULT_MARGIN_PPM: u32 = 10_000;
/// The largest safety margin: 2% of each period (more would waste budget for no safety).
const MAX_MARGIN_PPM: u32 = 20_000;

impl Default for RateLimits {
    /// Every bucket at its declared default rates.
    fn default() -> Self {
        Self {
            rates: HashMap::new(),
            defaults_apply: true,
            adaptation: Adaptation::default(),
            margin_ppm: DEFAULT_MARGIN_PPM,
        }
    }
}

impl RateLimits {
    /// No client-side limits at all (a `429` still pauses the bucket).
    pub fn unlimited() -> Self {
        Self { defaults_apply: false, ..Self::default() }
    }

    /// Replaces a bucket's rates (several rates all apply: `/v0/repositories` has 1/min and
    /// 30/hour). An empty list removes the client-side limit for the bucket.
    pub fn set(mut self, bucket: Bucket, rates: impl Into<Vec<Rate>>) -> Self {
        self.rates.insert(bucket, rates.into());
        self
    }

    /// Whether a 429 without `Retry-After` lowers the bucket's rate (on by default: the
    /// documents disagree on some limits and other clients of the same team share the
    /// server's budget, so the client learns what is left).
    ///
    /// The rule: the first 429 of a burst cuts each of the bucket's rates to 3/4 (never below
    /// 1 request); 429s within one period of that cut belong to the same burst and cut
    /// nothing more. After a quiet period (by default one period of the rate) without a 429,
    /// the rate climbs back by a quarter of its configured value, and so on each quiet period,
    /// never past the configured rate: a bucket slowed from 20/min is back at 20/min within
    /// two quiet minutes. A 429 with `Retry-After` pauses the bucket as told and cuts nothing.
    pub fn adaptive(mut self, adaptive: bool) -> Self {
        self.adaptation.enabled = adaptive;
        self
    }

    /// How long a slowed-down bucket must go without a 429 before each of its rates climbs a
    /// step (a quarter of the configured rate) back towards the configured one. By default
    /// one period of each rate: a minute for a per-minute rate, an hour for a per-hour rate.
    pub fn recover_after(mut self, quiet: Duration) -> Self {
        self.adaptation.recover_after = Some(quiet);
        self
    }

    /// Widens every window by this fraction of its period (default `0.01`, 1%; clamped to
    /// `0.0..=0.02`), so that clock skew and network delay between the client and the
    /// server's counting never let a server window see more than the rate. The cost is the
    /// same fraction of throughput.
    pub fn safety_margin(mut self, fraction_of_period: f64) -> Self {
        let ppm = (fraction_of_period * 1_000_000.0).round();
        self.margin_ppm = if ppm.is_nan() { 0 } else { ppm.clamp(0.0, f64::from(MAX_MARGIN_PPM)) as u32 };
        self
    }

    /// The rates in force for a bucket: those [`set`](Self::set) for it, else its declared
    /// [defaults](Bucket::default_rates) (none under [`unlimited`](Self::unlimited)).
    pub fn rates(&self, bucket: Bucket) -> &[Rate] {
        match self.rates.get(&bucket) {
            Some(rates) => rates,
            None if self.defaults_apply => bucket.default_rates(),
            None => &[],
        }
    }
}

/// The live state of one bucket for one key, with the waiting around it.
pub(crate) struct BucketLimiter {
    /// The bucket's name, for tracing (the name, not the 40-byte declaration: one per key).
    bucket: &'static str,
    adaptive: bool,
    state: Mutex<BucketState>,
    /// Waiters take turns in arrival order (tokio's mutex is fair): only the first sleeps on
    /// the timer, the others wait for their turn, so permits go first come, first served and
    /// nobody polls.
    turn: tokio::sync::Mutex<()>,
    /// The store shared with other processes, and this bucket's name in it; `None`: the
    /// bucket lives in this process alone (the default).
    shared: Option<(Arc<SharedStore>, BucketId)>,
}

impl BucketLimiter {
    fn new(bucket: Bucket, rates: &[Rate], limits: &RateLimits) -> Self {
        Self {
            bucket: bucket.as_str(),
            adaptive: limits.adaptation.enabled,
            state: Mutex::new(BucketState::new(rates, limits.margin_ppm, limits.adaptation.recover_after)),
            turn: tokio::sync::Mutex::new(()),
            shared: None,
        }
    }

    fn shared(mut self, store: Option<(Arc<SharedStore>, BucketId)>) -> Self {
        self.shared = store;
        self
    }

    /// Waits for a permit (see [`admit_telling`](Self::admit_telling)).
    #[cfg(test)]
    pub(crate) async fn admit(&self) -> crate::Result<Duration> {
        self.admit_telling(|_| {}).await
    }

    /// Waits for a permit, from the shared store when the client has one (see
    /// [`acquire_telling`](Self::acquire_telling) otherwise), calling `on_wait` with the
    /// expected wait once, before the first sleep (for progress displays), and returns how
    /// long it waited. Fails only when the store is unreachable and the client is told to
    /// fail rather than fall back.
    pub(crate) async fn admit_telling(&self, on_wait: impl FnOnce(Duration)) -> crate::Result<Duration> {
        let Some((shared, id)) = &self.shared else { return Ok(self.acquire_telling(on_wait).await) };
        let mut on_wait = Some(on_wait);
        let mut tell = |wait: Duration| {
            if let Some(tell) = on_wait.take() {
                tell(wait);
            }
        };
        let started = Instant::now();
        let _turn = self.turn.lock().await;
        loop {
            let now = Instant::now();
            // A pause this process was told of (X-RateLimit-Remaining: 0) holds here too.
            let paused_here = self.lock().pause_until(now);
            if let Some(until) = paused_here {
                tell(until.saturating_duration_since(now));
                tokio::time::sleep_until(until).await;
                continue;
            }
            let rates = self.lock().rates_in_force(now);
            match shared.call(shared.store().try_admit(id, &rates)).await? {
                Some(Admission::Admitted) => {
                    // Also kept here, so that a fall-back knows this process's recent sends.
                    self.lock().charge(Instant::now());
                    return Ok(started.elapsed());
                }
                Some(Admission::RetryIn(after)) => {
                    tell(after);
                    tokio::time::sleep(after.max(Duration::from_millis(1))).await;
                }
                None => {
                    let admitted = self.lock().try_admit(Instant::now());
                    match admitted {
                        Ok(()) => return Ok(started.elapsed()),
                        Err(look_again_at) => {
                            tell(look_again_at.saturating_duration_since(Instant::now()));
                            tokio::time::sleep_until(look_again_at).await;
                        }
                    }
                }
            }
        }
    }

    /// Waits out any 429 pause, this process's and the shared store's (see
    /// [`wait_out_pause`](Self::wait_out_pause)).
    pub(crate) async fn wait_out_any_pause(&self) -> crate::Result<Duration> {
        let mut waited = self.wait_out_pause().await;
        let Some((shared, id)) = &self.shared else { return Ok(waited) };
        while let Some(Some(remaining)) = shared.call(shared.store().pause_remaining(id)).await? {
            tokio::time::sleep(remaining).await;
            waited += remaining;
        }
        Ok(waited)
    }

    /// Takes a permit without waiting, here and in the shared store (see
    /// [`charge`](Self::charge)).
    pub(crate) async fn charge_everywhere(&self) {
        self.charge();
        let Some((shared, id)) = &self.shared else { return };
        let rates = self.lock().rates_in_force(Instant::now());
        // The request was answered: a store that cannot record it must not fail it.
        let _ = shared.call(shared.store().charge(id, &rates)).await;
    }

    /// Records a 429 here and in the shared store, so that every process pauses and keeps
    /// under a rate the 429 cut (see [`penalize`](Self::penalize)).
    pub(crate) async fn penalize_everywhere(&self, pause: Duration, server_said: bool) -> Duration {
        let Some((shared, id)) = &self.shared else { return self.penalize(pause, server_said) };
        let (refusal, learned) = self.refuse(pause, server_said);
        let learned = learned.unwrap_or_default();
        // A store that cannot record the pause must not turn the 429 into another error.
        let _ = shared.call(shared.store().record_429(id, refusal.pause, &learned)).await;
        refusal.pause
    }

    fn lock(&self) -> MutexGuard<'_, BucketState> {
        // A panic while holding the lock leaves plain data behind; keep going with it.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits for a permit in every rate of the bucket (and for any 429 pause), and returns
    /// how long it waited. Cancellable: dropping the future gives up the wait and uses up no
    /// permit of any rate, since a permit is recorded in all rates at once, only when all
    /// allow it.
    #[cfg(test)]
    pub(crate) async fn acquire(&self) -> Duration {
        self.acquire_telling(|_| {}).await
    }

    /// [`acquire`](Self::acquire), calling `on_wait` with the expected wait once, before the
    /// first sleep, when there is one (for progress displays).
    pub(crate) async fn acquire_telling(&self, on_wait: impl FnOnce(Duration)) -> Duration {
        let started = Instant::now();
        let mut on_wait = Some(on_wait);
        let _turn = self.turn.lock().await;
        loop {
            let admitted = self.lock().try_admit(Instant::now());
            match admitted {
                Ok(()) => return started.elapsed(),
                Err(look_again_at) => {
                    if let Some(tell) = on_wait.take() {
                        tell(look_again_at.saturating_duration_since(Instant::now()));
                    }
                    tokio::time::sleep_until(look_again_at).await;
                }
            }
        }
    }

    /// Waits until any 429 pause of the bucket is over, without taking a permit (for
    /// revalidations, which the server does not count but must not send while it refuses).
    pub(crate) async fn wait_out_pause(&self) -> Duration {
        let started = Instant::now();
        loop {
            let pause = self.lock().pause_until(Instant::now());
            match pause {
                Some(until) => tokio::time::sleep_until(until).await,
                None => return started.elapsed(),
            }
        }
    }

    /// Takes a permit without waiting, for a request already sent without one (a
    /// revalidation that turned out to be a full answer, which the server counts).
    pub(crate) fn charge(&self) {
        self.lock().charge(Instant::now());
    }

    /// Records a 429: pauses the bucket for `pause` (the server's `Retry-After` when
    /// `server_said`, else the retry policy's backoff), and when the server did not say how
    /// long and the bucket is adaptive, cuts its rate once per burst (see
    /// [`RateLimits::adaptive`]). Returns the pause.
    pub(crate) fn penalize(&self, pause: Duration, server_said: bool) -> Duration {
        self.refuse(pause, server_said).0.pause
    }

    /// [`penalize`](Self::penalize), with the rates in force after a cut.
    fn refuse(&self, pause: Duration, server_said: bool) -> (state::Refusal, Option<Vec<WindowRate>>) {
        let mut state = self.lock();
        let now = Instant::now();
        let refusal = state.refused(now, pause, server_said, self.adaptive);
        let learned = refusal.cut.then(|| state.rates_in_force(now));
        if refusal.cut {
            tracing::warn!(bucket = self.bucket, rates = ?state.current_rates(now), "429 without Retry-After: slowing the bucket down");
        }
        (refusal, learned)
    }

    /// Takes in the server's own account of the budget, for APIs that send
    /// `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (Cloud Agents
    /// v1). A limit below the configured rate lowers the bucket's (shortest-period) rate
    /// until the reset, or for one period without one; a higher limit raises it back, never
    /// above the configured rate. No requests remaining with a reset pauses the bucket until
    /// the reset; without a reset it changes nothing (a 429 will say how long to wait). A
    /// reset further away than the bucket's longest period (plus margin) is taken as that:
    /// a server window resets within its period, so a longer one is a misread header (epoch
    /// seconds taken for a delay). `reset_after` is a delay from now.
    pub(crate) fn observe_server_budget(
        &self,
        limit: Option<u32>,
        remaining: Option<u32>,
        reset_after: Option<Duration>,
    ) {
        self.lock().observe_server_budget(Instant::now(), limit, remaining, reset_after);
    }

    /// The rates in force now (after any slowdown).
    pub(crate) fn current_rates(&self) -> Vec<Rate> {
        self.lock().current_rates(Instant::now())
    }

    fn is_idle(&self, now: Instant) -> bool {
        self.lock().is_idle(now)
    }
}

/// Which budget a request draws from: the key's fingerprint, the bucket, and for per-endpoint
/// buckets the endpoint's path.
/// The bucket is known by its name (its identity, and 16 bytes where the whole declaration is
/// 40: with 10,000 keys in use the registry holds 10,000 of these).
type BucketKey = (u64, &'static str, Option<&'static str>);

/// How often the registry looks for idle buckets to drop, however few it holds.
const SWEEP_EVERY: Duration = Duration::from_secs(60);
/// The registry also looks when it has grown to twice its size after the last look (and at
/// least to this), so sweeping costs amortized O(1) per new bucket.
const MIN_SWEEP_LEN: usize = 1024;

/// The limiters of every (key, bucket[, endpoint]) in use, shared by all clones of a client
/// and by clients derived with another key. A bucket that is idle and full, and that nobody
/// holds, is dropped: a fresh one would behave the same, so memory follows the keys in use,
/// not every key ever seen.
pub(crate) struct LimiterRegistry {
    limits: RateLimits,
    store: Option<Arc<SharedStore>>,
    buckets: Mutex<Buckets>,
}

struct Buckets {
    map: HashMap<BucketKey, Arc<BucketLimiter>>,
    sweep_at_len: usize,
    sweep_at: Instant,
}

impl Buckets {
    fn sweep(&mut self, now: Instant) {
        // Only the map holds a bucket with a count of one, and clones are made under the
        // map's lock, so nobody can be about to use a bucket dropped here.
        self.map.retain(|_, bucket| Arc::strong_count(bucket) > 1 || !bucket.is_idle(now));
        self.sweep_at_len = (self.map.len() * 2).max(MIN_SWEEP_LEN);
        self.sweep_at = now + SWEEP_EVERY;
    }
}

impl LimiterRegistry {
    #[cfg(test)]
    pub(crate) fn new(limits: RateLimits) -> Self {
        Self::with_store(limits, None)
    }

    /// A registry whose buckets share their state through `store` (none: in this process).
    pub(crate) fn with_store(limits: RateLimits, store: Option<Arc<SharedStore>>) -> Self {
        let buckets =
            Buckets { map: HashMap::new(), sweep_at_len: MIN_SWEEP_LEN, sweep_at: Instant::now() + SWEEP_EVERY };
        Self { limits, store, buckets: Mutex::new(buckets) }
    }

    pub(crate) fn bucket(&self, key_fingerprint: u64, endpoint: &Endpoint) -> Arc<BucketLimiter> {
        let scope = endpoint.bucket.is_per_endpoint().then_some(endpoint.path);
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Instant::now();
        if buckets.map.len() >= buckets.sweep_at_len || now >= buckets.sweep_at {
            buckets.sweep(now);
        }
        buckets
            .map
            .entry((key_fingerprint, endpoint.bucket.as_str(), scope))
            .or_insert_with(|| {
                let shared = self.store.as_ref().map(|store| {
                    let id = BucketId { key_fingerprint, bucket: endpoint.bucket, endpoint: scope };
                    (Arc::clone(store), id)
                });
                Arc::new(
                    BucketLimiter::new(endpoint.bucket, self.limits.rates(endpoint.bucket), &self.limits)
                        .shared(shared),
                )
            })
            .clone()
    }

    /// How many buckets the registry holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).map.len()
    }
}

#[cfg(test)]
mod store_tests;
#[cfg(test)]
mod tests;
