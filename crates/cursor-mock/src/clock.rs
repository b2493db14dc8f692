//! The simulator's two clocks: a calendar "now" for dates and a scaled monotonic clock for
//! rate-limit windows and agent run times. Both move together under `/__mock/clock/advance`.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use time::OffsetDateTime;

/// Calendar and simulated-monotonic time, shared by every request.
#[derive(Debug)]
pub struct SimClock {
    started: Instant,
    fixed_now: Option<OffsetDateTime>,
    time_scale: f64,
    /// Time added by `/__mock/clock/advance`.
    advanced: Mutex<Duration>,
    /// Simulated time carried over from a restored snapshot: the simulated clock goes on from
    /// where the saved one stopped, while the calendar stays on the wall clock.
    resumed: Mutex<Duration>,
}

impl SimClock {
    /// A clock; `fixed_now` freezes the calendar, `time_scale` speeds up simulated time.
    pub fn new(fixed_now: Option<OffsetDateTime>, time_scale: f64) -> Self {
        let time_scale = if time_scale.is_finite() && time_scale > 0.0 { time_scale } else { 1.0 };
        Self {
            started: Instant::now(),
            fixed_now,
            time_scale,
            advanced: Mutex::new(Duration::ZERO),
            resumed: Mutex::new(Duration::ZERO),
        }
    }

    /// Time added by [`advance`](Self::advance) so far (it moves the calendar too).
    pub fn advanced(&self) -> Duration {
        *self.advanced.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Puts the clocks where a saved simulator left them: `advanced` as the calendar's manual
    /// advance, and the simulated clock at `sim_elapsed` from now on (never behind it, so
    /// that saved run times stay in the past or future they were in).
    pub fn resume(&self, advanced: Duration, sim_elapsed: Duration) {
        *self.advanced.lock().unwrap_or_else(|e| e.into_inner()) = advanced;
        let running = self.started.elapsed().mul_f64(self.time_scale) + advanced;
        *self.resumed.lock().unwrap_or_else(|e| e.into_inner()) = sim_elapsed.saturating_sub(running);
    }

    /// Moves both clocks forward.
    pub fn advance(&self, by: Duration) {
        *self.advanced.lock().unwrap_or_else(|e| e.into_inner()) += by;
    }

    /// Calendar now: frozen if configured, else the wall clock; plus manual advances.
    pub fn now(&self) -> OffsetDateTime {
        self.fixed_now.unwrap_or_else(OffsetDateTime::now_utc) + self.advanced()
    }

    /// Simulated time elapsed since start: real elapsed × scale + manual advances.
    pub fn sim_elapsed(&self) -> Duration {
        self.started.elapsed().mul_f64(self.time_scale)
            + self.advanced()
            + *self.resumed.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Converts a simulated duration into the real time it takes to pass.
    pub fn to_real(&self, sim: Duration) -> Duration {
        sim.div_f64(self.time_scale)
    }

    /// Simulated seconds per real second.
    pub fn time_scale(&self) -> f64 {
        self.time_scale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resumed_clock_goes_on_from_the_saved_time_and_keeps_the_calendar() {
        let calendar = time::macros::datetime!(2025-06-15 12:00 UTC);
        let clock = SimClock::new(Some(calendar), 1.0);
        clock.resume(Duration::from_secs(60), Duration::from_secs(3600));
        assert!(clock.sim_elapsed() >= Duration::from_secs(3600), "not behind the saved time");
        assert!(clock.sim_elapsed() < Duration::from_secs(3601));
        assert_eq!(clock.now(), calendar + Duration::from_secs(60), "only the manual advance moves the calendar");
        clock.advance(Duration::from_secs(10));
        assert!(clock.sim_elapsed() >= Duration::from_secs(3610));
    }
}
