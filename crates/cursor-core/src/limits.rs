//! Client-side rate limiting: one governor limiter per bucket per API key, slowed down by 429s.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};

use crate::endpoint::{Bucket, Endpoint};

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

    /// The governor quota that never lets more than `requests` through in any window of one
    /// `period`, so a server counting fixed windows ("limits reset every minute") never sees
    /// too many, however its windows align.
    ///
    /// GCRA admits at most `burst + period / interval` cells in any window of one period, so
    /// the burst and the paced refill share the rate: a quarter of it (at least one request)
    /// is available at once to an idle client, and the rest is paced evenly across the
    /// period, which keeps three quarters of the rate for long streams.
    fn quota(self) -> Quota {
        let requests = self.requests.max(1);
        let burst = requests.div_ceil(4);
        let refill_per_period = (requests - burst).max(1);
        let interval = (self.period / refill_per_period).max(Duration::from_nanos(1));
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        Quota::with_period(interval).unwrap_or_else(|| Quota::per_second(burst)).allow_burst(burst)
    }

    fn halved(self) -> Self {
        Self { requests: (self.requests / 2).max(1), period: self.period }
    }
}

/// The client-side limits per bucket. Defaults follow the documents (see [`Bucket`]); every
/// one can be replaced, because the documents disagree on some and the service may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    rates: HashMap<Bucket, Vec<Rate>>,
    adaptation: Adaptation,
}

/// How a bucket reacts to the server's 429s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Adaptation {
    enabled: bool,
    recover_after: Duration,
}

impl Default for Adaptation {
    fn default() -> Self {
        Self { enabled: true, recover_after: Duration::from_secs(600) }
    }
}

impl Default for RateLimits {
    fn default() -> Self {
        let mut rates = HashMap::new();
        rates.insert(Bucket::Admin, vec![Rate::per_minute(20)]);
        rates.insert(Bucket::AdminSpendLimit, vec![Rate::per_minute(60)]);
        rates.insert(Bucket::AnalyticsTeam, vec![Rate::per_minute(100)]);
        rates.insert(Bucket::AnalyticsByUser, vec![Rate::per_minute(50)]);
        rates.insert(Bucket::AiCode, vec![Rate::per_minute(20)]);
        rates.insert(Bucket::CloudAgents, vec![Rate::per_minute(60)]);
        rates.insert(Bucket::CloudAgentsRepositories, vec![Rate::per_minute(1), Rate::per_hour(30)]);
        rates.insert(Bucket::Bugbot, vec![Rate::per_minute(60)]);
        Self { rates, adaptation: Adaptation::default() }
    }
}

impl RateLimits {
    /// No client-side limits at all (the server's 429s still slow buckets down).
    pub fn unlimited() -> Self {
        Self { rates: HashMap::new(), adaptation: Adaptation::default() }
    }

    /// Replaces a bucket's rates (several rates all apply: `/v0/repositories` has 1/min and
    /// 30/hour). An empty list removes the client-side limit for the bucket.
    pub fn set(mut self, bucket: Bucket, rates: impl Into<Vec<Rate>>) -> Self {
        self.rates.insert(bucket, rates.into());
        self
    }

    /// Whether a 429 without `Retry-After` halves the bucket's rate (on by default: the
    /// documents disagree on some limits, so the client learns the server's). The rate climbs
    /// back, doubling at most once per [`recover_after`](Self::recover_after), while requests
    /// succeed.
    pub fn adaptive(mut self, adaptive: bool) -> Self {
        self.adaptation.enabled = adaptive;
        self
    }

    /// How long a slowed-down bucket must go without a 429 before its rate doubles back
    /// towards the configured one (default 10 minutes).
    pub fn recover_after(mut self, quiet: Duration) -> Self {
        self.adaptation.recover_after = quiet;
        self
    }

    /// The rates in force for a bucket.
    pub fn rates(&self, bucket: Bucket) -> &[Rate] {
        self.rates.get(&bucket).map(Vec::as_slice).unwrap_or(&[])
    }
}

type DirectLimiter = RateLimiter<NotKeyed, InMemoryState, DefaultClock, NoOpMiddleware>;

/// The live state of one bucket for one key.
pub(crate) struct BucketLimiter {
    bucket: Bucket,
    configured: Vec<Rate>,
    adaptation: Adaptation,
    inner: Mutex<BucketInner>,
}

struct BucketInner {
    rates: Vec<Rate>,
    /// When the rate last changed after a 429, while it is below the configured one.
    slowed_at: Option<Instant>,
    /// When a 429 last halved the rate.
    last_halved: Option<Instant>,
    limiters: Arc<Vec<DirectLimiter>>,
    paused_until: Option<Instant>,
    consecutive_429s: u32,
}

impl BucketLimiter {
    fn new(bucket: Bucket, rates: Vec<Rate>, adaptation: Adaptation) -> Self {
        let limiters = Arc::new(rates.iter().map(|r| RateLimiter::direct(r.quota())).collect());
        Self {
            bucket,
            configured: rates.clone(),
            adaptation,
            inner: Mutex::new(BucketInner {
                rates,
                slowed_at: None,
                last_halved: None,
                limiters,
                paused_until: None,
                consecutive_429s: 0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BucketInner> {
        // A panic while holding the lock leaves plain data behind; keep going with it.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits for a permit in every rate of the bucket (and for any 429 pause). Cancellable:
    /// dropping the future gives up the wait.
    pub(crate) async fn acquire(&self) -> Duration {
        let started = Instant::now();
        self.wait_out_pause().await;
        let limiters = self.lock().limiters.clone();
        for limiter in limiters.iter() {
            // `until_ready` sleeps with futures-timer; use tokio's timer so tests can pause time.
            loop {
                match limiter.check() {
                    Ok(()) => break,
                    Err(not_until) => {
                        let wait = not_until.wait_time_from(DefaultClock::default().now());
                        tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
                    }
                }
            }
        }
        started.elapsed()
    }

    /// Waits until any 429 pause of the bucket is over, without taking a permit (for
    /// revalidations, which the server does not count but must not send while it refuses).
    pub(crate) async fn wait_out_pause(&self) -> Duration {
        let started = Instant::now();
        loop {
            let pause = self.lock().paused_until.filter(|until| *until > Instant::now());
            match pause {
                Some(until) => tokio::time::sleep_until(until.into()).await,
                None => return started.elapsed(),
            }
        }
    }

    /// Takes a permit without waiting, for a request already sent without one (a
    /// revalidation that turned out to be a full answer, which the server counts).
    pub(crate) fn charge(&self) {
        let limiters = self.lock().limiters.clone();
        for limiter in limiters.iter() {
            let _ = limiter.check();
        }
    }

    /// Records a 429: pauses the bucket for `pause` (the server's `Retry-After` when
    /// `server_said`, else the retry policy's backoff), and when adaptive and the server did
    /// not say how long, lowers its rate.
    pub(crate) fn penalize(&self, pause: Duration, server_said: bool) -> Duration {
        let retry_after = server_said.then_some(pause);
        let mut inner = self.lock();
        inner.consecutive_429s = inner.consecutive_429s.saturating_add(1);
        let until = Instant::now() + pause;
        inner.paused_until = Some(inner.paused_until.map_or(until, |prev| prev.max(until)));
        // Requests in flight together all meet the same 429: one halving per second at most,
        // or eight concurrent refusals would divide the rate by 256.
        let halved_recently = inner.last_halved.is_some_and(|at| at.elapsed() < Duration::from_secs(1));
        if self.adaptation.enabled && retry_after.is_none() && !inner.rates.is_empty() && !halved_recently {
            inner.last_halved = Some(Instant::now());
            let rates: Vec<Rate> = inner.rates.iter().map(|r| r.halved()).collect();
            inner.set_rates(rates, Some(Instant::now()));
            tracing::warn!(bucket = self.bucket.as_str(), rates = ?inner.rates, "429 without Retry-After: slowing the bucket down");
        }
        pause
    }

    /// Records a success, which ends a run of 429s; after a quiet period a slowed bucket
    /// doubles its rate back towards the configured one.
    pub(crate) fn succeeded(&self) {
        let mut inner = self.lock();
        inner.consecutive_429s = 0;
        let Some(slowed_at) = inner.slowed_at else { return };
        if slowed_at.elapsed() < self.adaptation.recover_after {
            return;
        }
        let rates: Vec<Rate> = inner
            .rates
            .iter()
            .zip(&self.configured)
            .map(|(now, configured)| Rate {
                requests: now.requests.saturating_mul(2).min(configured.requests),
                period: now.period,
            })
            .collect();
        let recovered = rates == self.configured;
        inner.set_rates(rates, if recovered { None } else { Some(Instant::now()) });
        tracing::debug!(bucket = self.bucket.as_str(), rates = ?inner.rates, "no 429 for a while: speeding the bucket up");
    }

    /// The rates in force now (after any slowdown).
    pub(crate) fn current_rates(&self) -> Vec<Rate> {
        self.lock().rates.clone()
    }
}

impl BucketInner {
    fn set_rates(&mut self, rates: Vec<Rate>, slowed_at: Option<Instant>) {
        self.limiters = Arc::new(rates.iter().map(|r| RateLimiter::direct(r.quota())).collect());
        self.rates = rates;
        self.slowed_at = slowed_at;
    }
}

/// Which budget a request draws from: the key's fingerprint, the bucket, and for per-endpoint
/// buckets the endpoint's path.
type BucketKey = (u64, Bucket, Option<&'static str>);

/// The limiters of every (key, bucket[, endpoint]) seen so far, shared by all clones of a
/// client and by clients derived with another key.
pub(crate) struct LimiterRegistry {
    limits: RateLimits,
    buckets: Mutex<HashMap<BucketKey, Arc<BucketLimiter>>>,
}

impl LimiterRegistry {
    pub(crate) fn new(limits: RateLimits) -> Self {
        Self { limits, buckets: Mutex::new(HashMap::new()) }
    }

    pub(crate) fn bucket(&self, key_fingerprint: u64, endpoint: &Endpoint) -> Arc<BucketLimiter> {
        let scope = endpoint.bucket.is_per_endpoint().then_some(endpoint.path);
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        buckets
            .entry((key_fingerprint, endpoint.bucket, scope))
            .or_insert_with(|| {
                Arc::new(BucketLimiter::new(
                    endpoint.bucket,
                    self.limits.rates(endpoint.bucket).to_vec(),
                    self.limits.adaptation,
                ))
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::Api;

    const COMMITS: Endpoint = Endpoint::get("c", Api::AiCode, "/analytics/ai-code/commits", Bucket::AiCode);
    const CHANGES: Endpoint = Endpoint::get("d", Api::AiCode, "/analytics/ai-code/changes", Bucket::AiCode);
    const MEMBERS: Endpoint = Endpoint::get("m", Api::Admin, "/teams/members", Bucket::Admin);
    const AUDIT: Endpoint = Endpoint::get("a", Api::Admin, "/teams/audit-logs", Bucket::Admin);

    #[test]
    fn defaults_follow_the_documents() {
        let limits = RateLimits::default();
        assert_eq!(limits.rates(Bucket::Admin), &[Rate::per_minute(20)]);
        assert_eq!(limits.rates(Bucket::AdminSpendLimit), &[Rate::per_minute(60)]);
        assert_eq!(limits.rates(Bucket::AnalyticsTeam), &[Rate::per_minute(100)]);
        assert_eq!(limits.rates(Bucket::AnalyticsByUser), &[Rate::per_minute(50)]);
        assert_eq!(limits.rates(Bucket::AiCode), &[Rate::per_minute(20)]);
        assert_eq!(limits.rates(Bucket::CloudAgentsRepositories), &[Rate::per_minute(1), Rate::per_hour(30)]);
    }

    #[test]
    fn aicode_endpoints_get_separate_budgets_admin_endpoints_share_one() {
        let registry = LimiterRegistry::new(RateLimits::default());
        assert!(!Arc::ptr_eq(&registry.bucket(1, &COMMITS), &registry.bucket(1, &CHANGES)));
        assert!(Arc::ptr_eq(&registry.bucket(1, &MEMBERS), &registry.bucket(1, &AUDIT)));
        assert!(!Arc::ptr_eq(&registry.bucket(1, &MEMBERS), &registry.bucket(2, &MEMBERS)), "one budget per key");
    }

    #[tokio::test]
    async fn a_bucket_never_admits_more_than_its_rate_in_any_window() {
        let period = Duration::from_millis(400);
        let limiter = BucketLimiter::new(Bucket::Admin, vec![Rate { requests: 8, period }], Adaptation::default());
        let started = Instant::now();
        let mut admitted = Vec::new();
        for _ in 0..16 {
            limiter.acquire().await;
            admitted.push(started.elapsed());
        }
        assert!(admitted[1] < Duration::from_millis(100), "a quarter of the budget is available at once: {admitted:?}");
        for (i, at) in admitted.iter().enumerate().skip(8) {
            // The ninth permit after any permit comes at least one period later: at most
            // eight in any 400 ms window (a little slack for timer granularity).
            assert!(*at - admitted[i - 8] >= period - Duration::from_millis(5), "window overfilled: {admitted:?}");
        }
        // Two at once, then one every 400/6 ms: the sixteenth at about 0.93 s. A halved rate
        // would take 1.9 s; the margin is for timers on a loaded machine.
        assert!(admitted[15] < Duration::from_millis(1500), "the rate is still used: {admitted:?}");
    }

    #[tokio::test]
    async fn a_bucket_of_one_per_period_spaces_requests_a_period_apart() {
        let period = Duration::from_millis(200);
        let limiter = BucketLimiter::new(
            Bucket::CloudAgentsRepositories,
            vec![Rate { requests: 1, period }],
            Adaptation::default(),
        );
        limiter.acquire().await;
        let waited = limiter.acquire().await;
        assert!(waited >= period - Duration::from_millis(5), "second permit after {waited:?}");
    }

    #[tokio::test]
    async fn a_429_pauses_the_bucket_and_halves_its_rate() {
        let limiter = BucketLimiter::new(Bucket::AiCode, vec![Rate::per_minute(20)], Adaptation::default());
        let pause = limiter.penalize(Duration::from_millis(150), true);
        assert_eq!(pause, Duration::from_millis(150));
        let waited = limiter.acquire().await;
        assert!(waited >= Duration::from_millis(140), "waited only {waited:?}");
        assert_eq!(limiter.current_rates(), vec![Rate::per_minute(20)], "Retry-After alone does not slow the rate");
        limiter.penalize(Duration::from_millis(1), false);
        assert_eq!(limiter.current_rates(), vec![Rate::per_minute(10)]);
    }

    #[test]
    fn a_slowed_bucket_doubles_back_after_a_quiet_period_but_not_past_its_configured_rate() {
        let adaptation = Adaptation { enabled: true, recover_after: Duration::from_millis(30) };
        let limiter = BucketLimiter::new(Bucket::AiCode, vec![Rate::per_minute(20)], adaptation);
        limiter.penalize(Duration::ZERO, true);
        limiter.penalize(Duration::from_millis(1), false);
        limiter.penalize(Duration::from_millis(1), false);
        assert_eq!(limiter.current_rates(), vec![Rate::per_minute(10)], "one halving for 429s that arrive together");
        limiter.lock().last_halved = Some(Instant::now() - Duration::from_secs(2));
        limiter.penalize(Duration::from_millis(1), false);
        assert_eq!(limiter.current_rates(), vec![Rate::per_minute(5)], "a later 429 halves again");
        limiter.succeeded();
        assert_eq!(limiter.current_rates(), vec![Rate::per_minute(5)], "no recovery before the quiet period");
        std::thread::sleep(Duration::from_millis(40));
        limiter.succeeded();
        assert_eq!(limiter.current_rates(), vec![Rate::per_minute(10)], "one doubling per quiet period");
        limiter.succeeded();
        assert_eq!(limiter.current_rates(), vec![Rate::per_minute(10)]);
        std::thread::sleep(Duration::from_millis(40));
        limiter.succeeded();
        std::thread::sleep(Duration::from_millis(40));
        limiter.succeeded();
        assert_eq!(limiter.current_rates(), vec![Rate::per_minute(20)], "never past the configured rate");
    }

    #[test]
    fn a_non_adaptive_bucket_keeps_its_rate() {
        let adaptation = Adaptation { enabled: false, ..Adaptation::default() };
        let limiter = BucketLimiter::new(Bucket::Admin, vec![Rate::per_minute(20)], adaptation);
        limiter.penalize(Duration::from_millis(1), false);
        assert_eq!(limiter.current_rates(), vec![Rate::per_minute(20)]);
    }

    #[tokio::test]
    async fn waiting_for_a_permit_is_cancellable() {
        let limiter = BucketLimiter::new(Bucket::Admin, vec![Rate::per_minute(1)], Adaptation::default());
        limiter.acquire().await;
        let second = tokio::time::timeout(Duration::from_millis(50), limiter.acquire()).await;
        assert!(second.is_err(), "the second permit is a minute away, so the wait must be cut off");
    }
}
