//! Tests of the bucket limiters and the registry, in paused tokio time: deterministic and fast.

use std::sync::Arc;
use std::time::Duration;

use proptest::prelude::*;
use tokio::time::Instant;

use super::*;
use crate::endpoint::test_declarations::{PER_ENDPOINT_BUCKET, SHARED_BUCKET, TEST_API, TWO_RATE_BUCKET};

const COMMITS: Endpoint = Endpoint::get("c", TEST_API, "/analytics/ai-code/commits", PER_ENDPOINT_BUCKET);
const CHANGES: Endpoint = Endpoint::get("d", TEST_API, "/analytics/ai-code/changes", PER_ENDPOINT_BUCKET);
const MEMBERS: Endpoint = Endpoint::get("m", TEST_API, "/teams/members", SHARED_BUCKET);
const AUDIT: Endpoint = Endpoint::get("a", TEST_API, "/teams/audit-logs", SHARED_BUCKET);

const MINUTE: Duration = Duration::from_secs(60);
/// A minute plus the default safety margin of 1%.
const MINUTE_WINDOW: Duration = Duration::from_millis(60_600);

fn limiter(rates: &[Rate]) -> BucketLimiter {
    BucketLimiter::new(SHARED_BUCKET, rates, &RateLimits::default())
}

fn secs(secs: f64) -> Duration {
    Duration::from_secs_f64(secs)
}

#[test]
fn each_bucket_has_its_declared_rates_unless_the_client_sets_others() {
    let limits = RateLimits::default();
    assert_eq!(limits.rates(SHARED_BUCKET), &[Rate::per_minute(20)]);
    assert_eq!(limits.rates(TWO_RATE_BUCKET), &[Rate::per_minute(1), Rate::per_hour(30)]);
    let set = RateLimits::default().set(SHARED_BUCKET, [Rate::per_minute(5)]);
    assert_eq!(set.rates(SHARED_BUCKET), &[Rate::per_minute(5)]);
    assert_eq!(set.rates(TWO_RATE_BUCKET), TWO_RATE_BUCKET.default_rates(), "others keep their defaults");
    let unlimited = RateLimits::unlimited().set(TWO_RATE_BUCKET, [Rate::per_hour(2)]);
    assert_eq!(unlimited.rates(SHARED_BUCKET), &[] as &[Rate], "unlimited drops the defaults");
    assert_eq!(unlimited.rates(TWO_RATE_BUCKET), &[Rate::per_hour(2)], "but keeps what is set");
}

#[test]
fn aicode_endpoints_get_separate_budgets_admin_endpoints_share_one() {
    let registry = LimiterRegistry::new(RateLimits::default());
    assert!(!Arc::ptr_eq(&registry.bucket(1, &COMMITS), &registry.bucket(1, &CHANGES)));
    assert!(Arc::ptr_eq(&registry.bucket(1, &MEMBERS), &registry.bucket(1, &AUDIT)));
    assert!(!Arc::ptr_eq(&registry.bucket(1, &MEMBERS), &registry.bucket(2, &MEMBERS)), "one budget per key");
}

#[tokio::test(start_paused = true)]
async fn an_idle_bucket_sends_its_whole_budget_at_once() {
    let bucket = limiter(&[Rate::per_minute(20)]);
    let started = Instant::now();
    for _ in 0..20 {
        assert_eq!(bucket.acquire().await, Duration::ZERO);
    }
    let waited = bucket.acquire().await;
    assert_eq!(started.elapsed(), MINUTE_WINDOW, "the 21st waits until the first leaves the window");
    assert_eq!(waited, MINUTE_WINDOW);
}

#[tokio::test(start_paused = true)]
async fn a_small_job_within_the_budget_does_not_wait() {
    // 46 requests in a 60/min bucket: the whole job goes at once (it took 41 s before).
    let bucket = limiter(&[Rate::per_minute(60)]);
    let started = Instant::now();
    for _ in 0..46 {
        bucket.acquire().await;
    }
    assert_eq!(started.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn a_long_run_keeps_the_full_configured_rate() {
    // Five budgets' worth: four full windows of waiting (plus margins), not 5.33 or 6.33.
    let bucket = limiter(&[Rate::per_minute(20)]);
    let started = Instant::now();
    let mut admitted = Vec::new();
    for _ in 0..100 {
        bucket.acquire().await;
        admitted.push(started.elapsed());
    }
    assert_eq!(admitted[99], MINUTE_WINDOW * 4, "{admitted:?}");
    for (i, later) in admitted.iter().enumerate().skip(20) {
        assert!(*later - admitted[i - 20] >= MINUTE, "21 admissions within a minute: {admitted:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn the_safety_margin_is_configurable_and_capped_at_two_percent() {
    let margin = |fraction| async move {
        let limits = RateLimits::default().safety_margin(fraction);
        let bucket = BucketLimiter::new(SHARED_BUCKET, &[Rate::per_minute(1)], &limits);
        bucket.acquire().await;
        bucket.acquire().await
    };
    assert_eq!(margin(0.0).await, MINUTE);
    assert_eq!(margin(0.005).await, secs(60.3));
    assert_eq!(margin(0.5).await, secs(61.2), "capped at 2% of the period");
    assert_eq!(margin(f64::NAN).await, MINUTE);
}

#[tokio::test(start_paused = true)]
async fn several_rates_all_hold_and_a_cancelled_waiter_uses_up_no_permit() {
    let started = Instant::now();
    let ten_s = Rate { requests: 2, period: Duration::from_secs(10) };
    let twelve_s = Rate { requests: 2, period: Duration::from_secs(12) };
    let bucket = Arc::new(limiter(&[ten_s, twelve_s]));
    bucket.acquire().await;
    bucket.acquire().await;
    // The first rate frees up at 10.1 s, the second at 12.12 s: a waiter cancelled at 11 s
    // was never admitted, so it recorded nothing in the first rate either.
    let cancelled = tokio::time::timeout(Duration::from_secs(11), bucket.acquire()).await;
    assert!(cancelled.is_err(), "both rates must allow before anything is admitted");
    assert_eq!(bucket.lock().admissions_within_window(0, Instant::now()), 0, "the 10 s log is untouched");
    assert_eq!(bucket.lock().admissions_within_window(1, Instant::now()), 2);
    bucket.acquire().await;
    bucket.acquire().await;
    assert_eq!(started.elapsed(), secs(12.12), "two more as soon as the 12 s rate allows");
    // And an hour rate holds next to a minute rate: 1/min and 3/hour send three in 2 minutes,
    // then wait for the hour.
    let repositories = limiter(&[Rate::per_minute(1), Rate::per_hour(3)]);
    let started = Instant::now();
    for _ in 0..4 {
        repositories.acquire().await;
    }
    assert_eq!(started.elapsed(), secs(3636.0), "the fourth waits for the hour (plus margin)");
}

#[tokio::test(start_paused = true)]
async fn waiters_are_served_in_arrival_order() {
    let bucket = Arc::new(limiter(&[Rate { requests: 1, period: Duration::from_secs(10) }]));
    bucket.acquire().await;
    let order = Arc::new(Mutex::new(Vec::new()));
    let mut waiters = Vec::new();
    for i in 0..5 {
        let (bucket, order) = (bucket.clone(), order.clone());
        waiters.push(tokio::spawn(async move {
            bucket.acquire().await;
            order.lock().unwrap().push((i, Instant::now()));
        }));
        // Each arrives a moment after the previous one.
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    for waiter in waiters {
        waiter.await.unwrap();
    }
    let order = order.lock().unwrap();
    assert_eq!(order.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
    for pair in order.windows(2) {
        assert_eq!(pair[1].1 - pair[0].1, secs(10.1), "one a window apart: {order:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn waiting_for_a_permit_is_cancellable() {
    let bucket = limiter(&[Rate::per_minute(1)]);
    bucket.acquire().await;
    let second = tokio::time::timeout(Duration::from_millis(50), bucket.acquire()).await;
    assert!(second.is_err(), "the second permit is a minute away, so the wait must be cut off");
}

#[tokio::test(start_paused = true)]
async fn a_429_storm_cuts_the_rate_once_and_a_few_quiet_periods_bring_it_back() {
    let bucket = limiter(&[Rate::per_minute(20)]);
    // One call's five attempts, all refused: one burst, one cut.
    for _ in 0..5 {
        bucket.penalize(Duration::from_secs(1), false);
        tokio::time::advance(Duration::from_secs(2)).await;
    }
    assert_eq!(bucket.current_rates(), [Rate::per_minute(15)], "five 429s in one burst cut once");
    // Another burst a period after the first cut cuts again.
    tokio::time::advance(Duration::from_secs(51)).await;
    bucket.penalize(Duration::from_secs(1), false);
    assert_eq!(bucket.current_rates(), [Rate::per_minute(11)]);
    tokio::time::advance(MINUTE - Duration::from_millis(1)).await;
    assert_eq!(bucket.current_rates(), [Rate::per_minute(11)], "no recovery before a quiet period");
    tokio::time::advance(Duration::from_millis(1)).await;
    assert_eq!(bucket.current_rates(), [Rate::per_minute(16)], "a quarter of the configured rate back");
    tokio::time::advance(MINUTE).await;
    assert_eq!(bucket.current_rates(), [Rate::per_minute(20)], "back, and never past the configured rate");
    tokio::time::advance(MINUTE * 10).await;
    assert_eq!(bucket.current_rates(), [Rate::per_minute(20)]);
}

#[tokio::test(start_paused = true)]
async fn recover_after_sets_the_quiet_period() {
    let limits = RateLimits::default().recover_after(Duration::from_secs(5));
    let bucket = BucketLimiter::new(SHARED_BUCKET, &[Rate::per_minute(100)], &limits);
    bucket.penalize(Duration::from_secs(1), false);
    assert_eq!(bucket.current_rates(), [Rate::per_minute(75)]);
    tokio::time::advance(Duration::from_secs(5)).await;
    assert_eq!(bucket.current_rates(), [Rate::per_minute(100)]);
}

#[tokio::test(start_paused = true)]
async fn a_429_with_retry_after_pauses_the_bucket_without_cutting_its_rate() {
    let bucket = limiter(&[Rate::per_minute(20)]);
    let pause = bucket.penalize(Duration::from_millis(150), true);
    assert_eq!(pause, Duration::from_millis(150));
    assert_eq!(bucket.wait_out_pause().await, Duration::from_millis(150));
    assert_eq!(bucket.acquire().await, Duration::ZERO, "the pause is over");
    assert_eq!(bucket.current_rates(), [Rate::per_minute(20)], "Retry-After alone does not slow the rate");
    let pause = bucket.penalize(Duration::from_secs(3), true);
    assert_eq!(bucket.acquire().await, pause, "a permit waits for the pause too");
}

#[tokio::test(start_paused = true)]
async fn a_non_adaptive_bucket_keeps_its_rate() {
    let bucket = BucketLimiter::new(SHARED_BUCKET, &[Rate::per_minute(20)], &RateLimits::default().adaptive(false));
    bucket.penalize(Duration::from_secs(1), false);
    assert_eq!(bucket.current_rates(), [Rate::per_minute(20)]);
}

#[tokio::test(start_paused = true)]
async fn a_server_reported_limit_lowers_the_rate_until_its_reset_and_never_raises_it_past_the_configured_one() {
    let bucket = limiter(&[Rate::per_minute(60)]);
    bucket.observe_server_budget(Some(30), Some(30), Some(Duration::from_secs(20)));
    assert_eq!(bucket.current_rates(), [Rate::per_minute(30)]);
    let started = Instant::now();
    for _ in 0..30 {
        bucket.acquire().await;
    }
    assert_eq!(started.elapsed(), Duration::ZERO);
    // The 31st waits for the server's window to reset, then the configured 60 apply again.
    bucket.acquire().await;
    assert_eq!(started.elapsed(), Duration::from_secs(20));
    assert_eq!(bucket.current_rates(), [Rate::per_minute(60)]);

    bucket.observe_server_budget(Some(10), None, None);
    assert_eq!(bucket.current_rates(), [Rate::per_minute(10)], "without a reset, for one period");
    bucket.observe_server_budget(Some(45), None, None);
    assert_eq!(bucket.current_rates(), [Rate::per_minute(45)], "a higher limit raises it again");
    bucket.observe_server_budget(Some(500), None, None);
    assert_eq!(bucket.current_rates(), [Rate::per_minute(60)], "never past the configured rate");
    tokio::time::advance(MINUTE).await;
    bucket.observe_server_budget(Some(10), None, None);
    tokio::time::advance(MINUTE).await;
    assert_eq!(bucket.current_rates(), [Rate::per_minute(60)], "a reported limit lasts one period");
}

#[tokio::test(start_paused = true)]
async fn no_requests_remaining_pauses_the_bucket_until_the_reset() {
    let bucket = limiter(&[Rate::per_minute(60)]);
    bucket.observe_server_budget(Some(60), Some(0), Some(Duration::from_secs(15)));
    assert_eq!(bucket.acquire().await, Duration::from_secs(15));
    bucket.observe_server_budget(Some(60), Some(0), None);
    assert_eq!(bucket.acquire().await, Duration::ZERO, "without a reset there is nothing to wait for");
    bucket.observe_server_budget(None, Some(5), Some(Duration::from_secs(15)));
    assert_eq!(bucket.acquire().await, Duration::ZERO, "requests remain");
    assert_eq!(bucket.current_rates(), [Rate::per_minute(60)]);
    // An epoch timestamp passed as a delay pauses for at most one window, not 55 years.
    bucket.observe_server_budget(Some(60), Some(0), Some(Duration::from_secs(1_764_600_000)));
    assert_eq!(bucket.acquire().await, MINUTE_WINDOW);
}

/// The server's side: fixed one-minute windows for one team, whose alignment the client does
/// not know, shared with another client of the same team that takes its share at the start
/// of each window while it runs.
struct FixedWindowServer {
    limit: u32,
    origin: Instant,
    competitor_share: u32,
    competitor_until: Instant,
    window: u64,
    count: u32,
}

impl FixedWindowServer {
    fn window_of(&self, now: Instant) -> u64 {
        ((now - self.origin).as_nanos() / MINUTE.as_nanos()) as u64
    }

    fn admit(&mut self, now: Instant) -> bool {
        let window = self.window_of(now);
        if window != self.window {
            self.window = window;
            self.count = if now < self.competitor_until { self.competitor_share } else { 0 };
        }
        let admitted = self.count < self.limit;
        self.count += u32::from(admitted);
        admitted
    }
}

#[tokio::test(start_paused = true)]
async fn a_bucket_sharing_the_server_budget_settles_below_its_share_and_recovers_when_the_other_client_stops() {
    fastrand::seed(10);
    let start = Instant::now();
    let mut server = FixedWindowServer {
        limit: 20,
        origin: start - Duration::from_secs(23),
        competitor_share: 10,
        competitor_until: start + MINUTE * 30,
        window: u64::MAX,
        count: 0,
    };
    let bucket = limiter(&[Rate::per_minute(20)]);
    let (mut sent, mut refused) = (vec![0u32; 50], vec![0u32; 50]);
    let (mut lowest, mut previous, mut cuts) = (20, 20, Vec::new());
    while Instant::now() < start + MINUTE * 45 {
        bucket.acquire().await;
        let now = Instant::now();
        let minute = ((now - start).as_secs() / 60) as usize;
        if server.admit(now) {
            sent[minute] += 1;
        } else {
            bucket.penalize(Duration::from_secs(1), false);
            refused[minute] += 1;
        }
        let rate = bucket.current_rates()[0].requests;
        if rate < previous {
            cuts.push(now);
        }
        (lowest, previous) = (lowest.min(rate), rate);
    }
    for pair in cuts.windows(2) {
        assert!(pair[1] - pair[0] >= MINUTE, "two cuts within a period: {cuts:?}");
    }
    assert!(lowest >= 7, "the rate collapsed to {lowest}/min with 10/min left by the other client");
    // While shared: most of the share is used, and refusals stay few.
    let shared_sent: u32 = sent[5..30].iter().sum();
    let shared_refused: u32 = refused[5..30].iter().sum();
    assert!(shared_sent >= 25 * 8, "{shared_sent} sent in 25 minutes with a share of 10/min: {sent:?}");
    assert!(shared_refused <= 25 * 3, "{shared_refused} refused in 25 minutes: {refused:?}");
    // Alone again: back at the full rate within a few minutes, without a single refusal.
    let alone_sent: u32 = sent[35..45].iter().sum();
    assert!(alone_sent >= 190, "{alone_sent} sent in 10 minutes at 20/min: {sent:?}");
    assert_eq!(refused[35..45].iter().sum::<u32>(), 0, "{refused:?}");
    assert_eq!(bucket.current_rates(), [Rate::per_minute(20)]);
}

#[tokio::test(start_paused = true)]
async fn idle_buckets_are_dropped_from_the_registry_and_busy_ones_kept() {
    let registry = LimiterRegistry::new(RateLimits::default());
    for key in 0..10_000 {
        registry.bucket(key, &MEMBERS).charge();
    }
    assert_eq!(registry.len(), 10_000, "buckets with admissions within the minute are kept");
    let held = registry.bucket(20_000, &MEMBERS);
    registry.bucket(20_001, &MEMBERS).penalize(Duration::from_secs(600), true);
    tokio::time::advance(Duration::from_secs(30)).await;
    registry.bucket(20_002, &MEMBERS).penalize(Duration::from_secs(1), false);
    tokio::time::advance(Duration::from_secs(31)).await;
    registry.bucket(30_000, &MEMBERS);
    // Left: the held one, the paused one, the slowed one, and the new one.
    assert_eq!(registry.len(), 4);
    drop(held);
    tokio::time::advance(MINUTE * 20).await;
    registry.bucket(30_001, &MEMBERS);
    assert_eq!(registry.len(), 1, "the pause ended, the slowed bucket recovered");
    // A dropped bucket comes back fresh, with its whole budget.
    assert_eq!(registry.bucket(7, &MEMBERS).acquire().await, Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn a_bucket_with_admissions_within_its_longest_period_is_kept() {
    let registry = LimiterRegistry::new(RateLimits::default());
    const REPOSITORIES: Endpoint = Endpoint::get("r", TEST_API, "/v0/repositories", TWO_RATE_BUCKET);
    registry.bucket(1, &REPOSITORIES).acquire().await;
    tokio::time::advance(MINUTE * 30).await;
    registry.bucket(2, &MEMBERS);
    assert_eq!(registry.len(), 2, "the hour rate still remembers its admission");
    tokio::time::advance(MINUTE * 40).await;
    registry.bucket(2, &MEMBERS);
    assert_eq!(registry.len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Concurrent callers arriving at random times, some giving up while waiting, with 429s
    /// in between: no window of one period (plus margin) ever holds more than a rate allows,
    /// and every caller that keeps waiting is admitted.
    #[test]
    fn concurrent_callers_never_overfill_a_window(
        rates in proptest::collection::vec((1u32..8, 1u64..90), 1..3),
        arrivals in proptest::collection::vec((0u64..240_000, proptest::option::of(1u64..60_000)), 1..40),
        refusals in proptest::collection::vec(0u64..240_000, 0..4),
    ) {
        let rates: Vec<Rate> =
            rates.into_iter().map(|(requests, secs)| Rate { requests, period: Duration::from_secs(secs) }).collect();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap();
        let patient = arrivals.iter().filter(|(_, give_up)| give_up.is_none()).count();
        let mut admitted = runtime.block_on(async {
            let bucket = Arc::new(limiter(&rates));
            let start = Instant::now();
            for at in refusals {
                let bucket = bucket.clone();
                tokio::spawn(async move {
                    tokio::time::sleep_until(start + Duration::from_millis(at)).await;
                    bucket.penalize(Duration::from_secs(1), false);
                });
            }
            let callers: Vec<_> = arrivals
                .into_iter()
                .map(|(at, give_up)| {
                    let bucket = bucket.clone();
                    tokio::spawn(async move {
                        tokio::time::sleep_until(start + Duration::from_millis(at)).await;
                        match give_up {
                            Some(after) => tokio::time::timeout(Duration::from_millis(after), bucket.acquire()).await.ok(),
                            None => Some(bucket.acquire().await),
                        }
                        .map(|_| (Instant::now(), give_up.is_none()))
                    })
                })
                .collect();
            let mut admitted = Vec::new();
            for caller in callers {
                admitted.extend(caller.await.unwrap());
            }
            admitted
        });
        prop_assert_eq!(admitted.iter().filter(|(_, patient)| *patient).count(), patient);
        admitted.sort();
        for rate in &rates {
            let n = rate.requests as usize;
            for (i, (later, _)) in admitted.iter().enumerate().skip(n) {
                let earlier = admitted[i - n].0;
                prop_assert!(*later - earlier >= rate.period + rate.period / 100, "{} admissions within {:?} for {:?}", n + 1, *later - earlier, rate);
            }
        }
    }
}
