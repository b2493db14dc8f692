//! Retry policy: how many attempts, and how long to wait between them.

use std::time::Duration;

/// How the delay before a retry is randomized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jitter {
    /// The exact exponential delay. Only for tests: clients in step hammer the server together.
    None,
    /// "Full jitter": a uniformly random delay between zero and the exponential delay, which
    /// spreads clients that failed together.
    Full,
}

/// When and how often a failed request is tried again.
///
/// Which failures are retried is fixed by safety, not by the policy: a `429` is always
/// retried (the server did nothing); a 5xx, a timeout or a connection error only for an
/// idempotent endpoint. The policy sets how many attempts and how long to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts, the first included. `1` disables retries.
    pub max_attempts: u32,
    /// The first backoff delay; each further attempt doubles it. The overview advises 1 s.
    pub base_delay: Duration,
    /// The longest backoff delay.
    pub max_delay: Duration,
    /// The randomization.
    pub jitter: Jitter,
    /// The longest `Retry-After` the client waits for on its own; a longer one is returned
    /// to the caller as an error instead of blocking.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(32),
            jitter: Jitter::Full,
            max_retry_after: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// The backoff before retry number `retry` (1 for the first retry): `base · 2^(retry-1)`,
    /// capped at `max_delay`, then jittered.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(30);
        let ceiling = self.base_delay.saturating_mul(1u32 << exponent).min(self.max_delay);
        match self.jitter {
            Jitter::None => ceiling,
            Jitter::Full => {
                let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
                Duration::from_nanos(fastrand::u64(0..=nanos))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_and_caps() {
        let policy = RetryPolicy {
            jitter: Jitter::None,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(10),
            ..RetryPolicy::default()
        };
        let delays: Vec<u64> = (1..=6).map(|n| policy.backoff(n).as_secs()).collect();
        assert_eq!(delays, vec![1, 2, 4, 8, 10, 10]);
    }

    #[test]
    fn full_jitter_stays_between_zero_and_the_ceiling() {
        let policy = RetryPolicy::default();
        let mut distinct = std::collections::HashSet::new();
        for _ in 0..200 {
            let delay = policy.backoff(3);
            assert!(delay <= Duration::from_secs(4));
            distinct.insert(delay);
        }
        assert!(distinct.len() > 100, "jitter should vary the delay");
    }
}
