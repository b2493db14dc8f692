//! Rate-limit windows: fixed windows per key, bucket and rule, in simulated time, as the
//! server state holds them (which bucket a request counts against, and the middleware, are
//! `limits`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// One limit: at most `limit` requests per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Requests allowed.
    pub limit: u32,
    /// Window length (simulated time).
    pub window: Duration,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Duration,
    count: u32,
}

/// Counters of every (key, bucket, rule).
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<(String, String, usize), Window>>,
}

impl RateLimiter {
    /// Counts a request if every rule allows it; otherwise returns how long (simulated) until
    /// the tightest exceeded window ends, and counts nothing.
    pub fn check(&self, key: &str, bucket: &str, rules: &[Rule], now: Duration) -> Result<(), Duration> {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let mut wait = Duration::ZERO;
        for (i, rule) in rules.iter().enumerate() {
            let window =
                windows.entry((key.to_owned(), bucket.to_owned(), i)).or_insert(Window { started: now, count: 0 });
            if now.saturating_sub(window.started) >= rule.window {
                *window = Window { started: now, count: 0 };
            }
            if window.count >= rule.limit {
                wait = wait.max((window.started + rule.window).saturating_sub(now));
            }
        }
        if !wait.is_zero() {
            return Err(wait);
        }
        for i in 0..rules.len() {
            if let Some(window) = windows.get_mut(&(key.to_owned(), bucket.to_owned(), i)) {
                window.count += 1;
            }
        }
        Ok(())
    }

    /// Forgets every window.
    pub fn reset(&self) {
        self.windows.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}
