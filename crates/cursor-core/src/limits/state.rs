//! The state of one bucket as plain data with pure methods: a sliding-window log of admission
//! times per rate, a pause, and the rate learned from the server. Nothing here sleeps, locks or
//! reads a clock; every method takes `now`, so the same state could live in a shared store.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

use super::Rate;
use super::store::WindowRate;

/// The fraction of its rate a bucket keeps when a burst of 429s without `Retry-After` cuts
/// it: 3/4, gentle enough that a client which only slightly overshot keeps most of its rate.
const CUT_NUMERATOR: u64 = 3;
const CUT_DENOMINATOR: u64 = 4;

/// No window, quiet period or pause is taken as longer than this (400 days), so that no time
/// computed from one overflows, whatever a caller configures or a server sends.
const HORIZON: Duration = Duration::from_secs(400 * 24 * 3600);

/// How long a server-reported reset may pause a bucket when the bucket has no rate to
/// bound it.
const LONGEST_RESET_WITHOUT_RATES: Duration = Duration::from_secs(3600);

/// The live state of one bucket: one [`RateState`] per rate, all admitted together.
#[derive(Debug)]
pub(crate) struct BucketState {
    rates: Vec<RateState>,
    /// Until when the server asked the bucket to send nothing.
    paused_until: Option<Instant>,
}

/// One rate of a bucket.
#[derive(Debug)]
struct RateState {
    configured: Rate,
    /// The period plus the safety margin: no window this long holds more admissions than the
    /// rate in force.
    window: Duration,
    /// How long without a 429 before a slowed rate climbs a step.
    quiet: Duration,
    /// The most recent admission times, oldest first; never longer than the configured
    /// number of requests, the most the rate can ever allow.
    log: VecDeque<Instant>,
    /// The rate learned from 429s without `Retry-After`, while it is below the configured one.
    slowdown: Option<Slowdown>,
    /// A lower limit the server reported in `X-RateLimit-Limit`, until its window resets.
    server_cap: Option<ServerCap>,
}

#[derive(Debug, Clone, Copy)]
struct Slowdown {
    /// The rate right after the last 429.
    requests: u32,
    /// The last 429: the rate climbs one step for each quiet period since.
    last_refusal: Instant,
    /// The last cut: 429s within one period of it belong to the same burst.
    cut_at: Instant,
}

#[derive(Debug, Clone, Copy)]
struct ServerCap {
    requests: u32,
    until: Instant,
}

/// What a 429 did to a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// How long the bucket pauses.
    pub(crate) pause: Duration,
    /// Whether this 429 started a new burst and cut the bucket's rate.
    pub(crate) cut: bool,
}

impl BucketState {
    /// A fresh bucket (idle and full). `margin_ppm` widens each window by that many
    /// millionths of its period; `quiet` overrides each rate's own period as the time without
    /// a 429 before a slowed rate climbs a step.
    pub(crate) fn new(rates: &[Rate], margin_ppm: u32, quiet: Option<Duration>) -> Self {
        let rates = rates
            .iter()
            .map(|&configured| RateState {
                configured,
                window: (configured.period.min(HORIZON))
                    .saturating_add(configured.period.min(HORIZON).mul_f64(f64::from(margin_ppm) / 1_000_000.0)),
                quiet: quiet.unwrap_or(configured.period).min(HORIZON),
                log: VecDeque::new(),
                slowdown: None,
                server_cap: None,
            })
            .collect();
        Self { rates, paused_until: None }
    }

    /// Admits a request now if the bucket is not paused and every rate allows it, recording
    /// the admission in every rate at once; otherwise records nothing and returns when to
    /// look again (always later than `now`, so a waiter never spins).
    pub(crate) fn try_admit(&mut self, now: Instant) -> Result<(), Instant> {
        if let Some(until) = self.pause_until(now) {
            return Err(until);
        }
        let blocked = self.rates.iter_mut().filter_map(|rate| rate.blocked_until(now)).max();
        match blocked {
            Some(until) => Err(until),
            None => {
                self.charge(now);
                Ok(())
            }
        }
    }

    /// Records an admission in every rate without asking (a request already sent).
    pub(crate) fn charge(&mut self, now: Instant) {
        for rate in &mut self.rates {
            rate.record(now);
        }
    }

    /// The end of a pause in force at `now`.
    pub(crate) fn pause_until(&self, now: Instant) -> Option<Instant> {
        self.paused_until.filter(|until| *until > now)
    }

    /// Records a 429: the bucket pauses for `pause` (the server's `Retry-After` when
    /// `server_said`, else the retry policy's backoff: the SDK has one backoff, in
    /// `retry.rs`). When the server did not say how long and the bucket is `adaptive`, each
    /// rate is cut to 3/4 (never below one request) once per burst: 429s within one period of
    /// the rate's last cut only restart its quiet clock.
    pub(crate) fn refused(&mut self, now: Instant, pause: Duration, server_said: bool, adaptive: bool) -> Refusal {
        self.pause(now + pause.min(HORIZON));
        let mut cut = false;
        if adaptive && !server_said {
            for rate in &mut self.rates {
                cut |= rate.refused(now);
            }
        }
        Refusal { pause, cut }
    }

    /// Takes in what the server said about its budget (`X-RateLimit-Limit`, `-Remaining`,
    /// `-Reset`). A limit below the configured rate lowers the bucket's shortest-period rate
    /// until the reset (or for one period when no reset is given); a later, higher limit
    /// raises it again, never above the configured rate. No requests remaining with a reset
    /// pauses the bucket until the reset. A reset further away than the bucket's longest
    /// window is taken as that window.
    pub(crate) fn observe_server_budget(
        &mut self,
        now: Instant,
        limit: Option<u32>,
        remaining: Option<u32>,
        reset_after: Option<Duration>,
    ) {
        // A server's window resets within its period: a longer reset is a misread header
        // (epoch seconds taken for a delay) and must not stop the bucket for years.
        let longest = self.rates.iter().map(|rate| rate.window).max().unwrap_or(LONGEST_RESET_WITHOUT_RATES);
        let reset_after = reset_after.map(|reset| reset.min(longest));
        let shortest = self.rates.iter_mut().min_by_key(|rate| rate.configured.period);
        if let (Some(limit), Some(rate)) = (limit, shortest) {
            rate.server_cap = (limit < rate.ceiling()).then(|| ServerCap {
                requests: limit.max(1),
                until: now + reset_after.unwrap_or(rate.configured.period.min(HORIZON)),
            });
        }
        if let (Some(0), Some(reset_after)) = (remaining, reset_after) {
            self.pause(now + reset_after);
        }
    }

    /// The rates in force at `now` with their windows, as a shared store checks them.
    pub(crate) fn rates_in_force(&self, now: Instant) -> Vec<WindowRate> {
        self.rates
            .iter()
            .map(|rate| WindowRate { requests: rate.limit(now), period: rate.configured.period, window: rate.window })
            .collect()
    }

    /// The rates in force at `now`.
    pub(crate) fn current_rates(&self, now: Instant) -> Vec<Rate> {
        self.rates.iter().map(|rate| Rate { requests: rate.limit(now), period: rate.configured.period }).collect()
    }

    /// Whether the bucket is exactly as a fresh one would be: nothing admitted within any
    /// window, no pause, no slowdown and no server-reported limit in force. Such a bucket can
    /// be dropped and created again without anyone noticing.
    pub(crate) fn is_idle(&self, now: Instant) -> bool {
        self.pause_until(now).is_none() && self.rates.iter().all(|rate| rate.is_idle(now))
    }

    /// How many admissions rate `index` has recorded within its window at `now`.
    #[cfg(test)]
    pub(crate) fn admissions_within_window(&self, index: usize, now: Instant) -> usize {
        let rate = &self.rates[index];
        rate.log.iter().filter(|at| **at + rate.window > now).count()
    }

    fn pause(&mut self, until: Instant) {
        self.paused_until = Some(self.paused_until.map_or(until, |previous| previous.max(until)));
    }
}

impl RateState {
    /// The configured number of requests (a rate of 0 is taken as 1, or nothing would pass).
    fn ceiling(&self) -> u32 {
        self.configured.requests.max(1)
    }

    /// The rate learned from 429s at `now`: the rate after the last 429 plus a quarter of
    /// the configured rate for each quiet period since, up to the configured rate.
    fn learned(&self, now: Instant) -> u32 {
        let Some(slowdown) = self.slowdown else { return self.ceiling() };
        let quiet_periods =
            now.saturating_duration_since(slowdown.last_refusal).as_nanos() / self.quiet.as_nanos().max(1);
        let step = u128::from(self.ceiling().div_ceil(4));
        let climbed = u128::from(slowdown.requests).saturating_add(step.saturating_mul(quiet_periods));
        u32::try_from(climbed.min(u128::from(self.ceiling()))).unwrap_or(u32::MAX)
    }

    /// The number of requests allowed in any window at `now`.
    fn limit(&self, now: Instant) -> u32 {
        let cap = self.server_cap.filter(|cap| cap.until > now).map_or(u32::MAX, |cap| cap.requests);
        self.learned(now).min(cap).max(1)
    }

    /// When the limit may next rise on its own: the next recovery step or the end of a
    /// server-reported limit.
    fn next_rise(&self, now: Instant) -> Option<Instant> {
        let step = self.slowdown.filter(|_| self.learned(now) < self.ceiling()).map(|slowdown| {
            let quiet = self.quiet.max(Duration::from_nanos(1));
            let elapsed = now.saturating_duration_since(slowdown.last_refusal);
            let periods = u32::try_from(elapsed.as_nanos() / quiet.as_nanos()).unwrap_or(u32::MAX - 1);
            slowdown.last_refusal + quiet.saturating_mul(periods + 1)
        });
        let cap_end = self.server_cap.map(|cap| cap.until).filter(|until| *until > now);
        step.into_iter().chain(cap_end).min()
    }

    /// `None` when the rate admits a request at `now`; otherwise when to look again: when
    /// the oldest admission that fills the window leaves it, or earlier if the limit rises.
    fn blocked_until(&mut self, now: Instant) -> Option<Instant> {
        self.forget_expired(now);
        let limit = self.limit(now) as usize;
        let filled_at = self.log.len().checked_sub(limit).map(|index| self.log[index]);
        let frees_at = filled_at.map(|at| at + self.window).filter(|frees| *frees > now)?;
        Some(self.next_rise(now).map_or(frees_at, |rise| rise.min(frees_at)))
    }

    fn record(&mut self, now: Instant) {
        self.log.push_back(now);
        while self.log.len() > self.ceiling() as usize {
            self.log.pop_front();
        }
    }

    /// A 429 without `Retry-After`: the first of a burst cuts the rate to 3/4, later ones in
    /// the same burst only restart the quiet clock. Returns whether it cut.
    fn refused(&mut self, now: Instant) -> bool {
        let (learned, current) = (self.learned(now), self.limit(now));
        match &mut self.slowdown {
            Some(slowdown) if now.saturating_duration_since(slowdown.cut_at) < self.configured.period => {
                slowdown.requests = learned;
                slowdown.last_refusal = now;
                false
            }
            _ => {
                let cut = u64::from(current) * CUT_NUMERATOR / CUT_DENOMINATOR;
                let requests = u32::try_from(cut).unwrap_or(u32::MAX).max(1);
                self.slowdown = Some(Slowdown { requests, last_refusal: now, cut_at: now });
                requests < current
            }
        }
    }

    /// Drops a slowdown that has climbed all the way back and a server limit that has ended,
    /// so that an idle bucket looks fresh.
    fn forget_expired(&mut self, now: Instant) {
        if self.slowdown.is_some() && self.learned(now) >= self.ceiling() {
            self.slowdown = None;
        }
        if self.server_cap.is_some_and(|cap| cap.until <= now) {
            self.server_cap = None;
        }
    }

    fn is_idle(&self, now: Instant) -> bool {
        let nothing_in_window = self.log.back().is_none_or(|last| *last + self.window <= now);
        let cap_over = self.server_cap.is_none_or(|cap| cap.until <= now);
        nothing_in_window && cap_over && self.learned(now) >= self.ceiling()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MINUTE: Duration = Duration::from_secs(60);

    fn state(rates: &[Rate]) -> BucketState {
        BucketState::new(rates, 10_000, None)
    }

    #[test]
    fn an_idle_bucket_admits_its_whole_budget_at_once_and_then_says_when_the_oldest_leaves() {
        let start = Instant::now();
        let mut bucket = state(&[Rate::per_minute(20)]);
        for _ in 0..20 {
            assert_eq!(bucket.try_admit(start), Ok(()));
        }
        let window = MINUTE + MINUTE / 100;
        assert_eq!(bucket.try_admit(start), Err(start + window));
        assert_eq!(bucket.try_admit(start + window - Duration::from_millis(1)), Err(start + window));
        assert_eq!(bucket.try_admit(start + window), Ok(()));
    }

    #[test]
    fn a_refused_admission_records_nothing_in_any_rate() {
        let start = Instant::now();
        let mut bucket = state(&[Rate::per_minute(5), Rate::per_hour(2)]);
        bucket.try_admit(start).unwrap();
        bucket.try_admit(start).unwrap();
        for _ in 0..10 {
            assert!(bucket.try_admit(start + Duration::from_secs(1)).is_err(), "the hour rate is spent");
        }
        assert_eq!(bucket.admissions_within_window(0, start), 2, "the minute rate kept no refused admission");
    }

    #[test]
    fn five_429s_in_one_burst_cut_once_and_quiet_periods_climb_back() {
        let start = Instant::now();
        let mut bucket = state(&[Rate::per_minute(20)]);
        let mut cuts = 0;
        for second in 0..5 {
            cuts += usize::from(
                bucket.refused(start + Duration::from_secs(second), Duration::from_millis(500), false, true).cut,
            );
        }
        assert_eq!(cuts, 1);
        assert_eq!(bucket.current_rates(start + Duration::from_secs(5)), [Rate::per_minute(15)]);
        // The quiet clock runs from the last 429 (at 4 s).
        assert_eq!(bucket.current_rates(start + Duration::from_secs(63)), [Rate::per_minute(15)]);
        assert_eq!(bucket.current_rates(start + Duration::from_secs(64)), [Rate::per_minute(20)]);
        assert!(bucket.is_idle(start + Duration::from_secs(64)));
    }

    #[test]
    fn a_429_with_retry_after_pauses_without_cutting() {
        let start = Instant::now();
        let mut bucket = state(&[Rate::per_minute(20)]);
        let refusal = bucket.refused(start, Duration::from_secs(7), true, true);
        assert_eq!(refusal, Refusal { pause: Duration::from_secs(7), cut: false });
        assert_eq!(bucket.try_admit(start), Err(start + Duration::from_secs(7)));
        assert_eq!(bucket.current_rates(start), [Rate::per_minute(20)]);
        assert!(!bucket.is_idle(start), "a paused bucket must be kept");
    }

    #[test]
    fn a_waiting_admission_is_told_to_look_again_at_the_next_recovery_step() {
        let start = Instant::now();
        let mut bucket = state(&[Rate::per_minute(4)]);
        for _ in 0..3 {
            bucket.try_admit(start).unwrap();
        }
        bucket.refused(start, Duration::from_millis(500), false, true); // 4 -> 3: the window is full
        let again = bucket.try_admit(start + Duration::from_secs(1)).unwrap_err();
        assert_eq!(again, start + MINUTE, "the rate climbs back to 4 after one quiet minute");
        assert_eq!(bucket.try_admit(again), Ok(()));
    }

    /// Admission times in any window shorter than `window` never exceed `requests`.
    fn assert_no_window_overfilled(admitted: &[Instant], requests: u32, window: Duration) {
        for (i, later) in admitted.iter().enumerate().skip(requests as usize) {
            let earlier = admitted[i - requests as usize];
            assert!(*later - earlier >= window, "{} admissions within {:?}", requests + 1, *later - earlier);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Driven by arrivals at random times with random 429s, the pure state never admits
        /// more than a rate's configured requests within a window of its period (plus margin).
        #[test]
        fn no_window_of_one_period_holds_more_than_the_limit(
            rates in proptest::collection::vec((1u32..12, 1u64..120), 1..3),
            steps in proptest::collection::vec((0u64..20_000, 0u8..10), 1..400),
        ) {
            let rates: Vec<Rate> =
                rates.into_iter().map(|(requests, secs)| Rate { requests, period: Duration::from_secs(secs) }).collect();
            let start = Instant::now();
            let mut bucket = state(&rates);
            let mut now = start;
            let mut admitted = Vec::new();
            for (gap_ms, action) in steps {
                now += Duration::from_millis(gap_ms);
                match action {
                    0 => { bucket.refused(now, Duration::from_millis(500), false, true); }
                    1 => bucket.observe_server_budget(now, Some(1), Some(3), Some(Duration::from_secs(5))),
                    _ => {
                        // A waiter looks again exactly when told, a few times.
                        for _ in 0..3 {
                            match bucket.try_admit(now) {
                                Ok(()) => { admitted.push(now); break; }
                                Err(at) => { prop_assert!(at > now, "told to look again now: a spin"); now = at; }
                            }
                        }
                    }
                }
            }
            for rate in &rates {
                assert_no_window_overfilled(&admitted, rate.requests, rate.period + rate.period / 100);
            }
        }
    }
}
