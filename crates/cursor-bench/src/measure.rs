//! Measuring: process CPU time (getrusage), resident memory (/proc), and the statistics every
//! figure reports (min and median of repeated runs).

use std::time::Duration;

use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::time::TimeVal;

fn seconds(time: TimeVal) -> f64 {
    time.tv_sec() as f64 + time.tv_usec() as f64 / 1e6
}

/// User plus system CPU time of `who` so far, in seconds.
fn cpu_seconds(who: UsageWho) -> f64 {
    match getrusage(who) {
        Ok(usage) => seconds(usage.user_time()) + seconds(usage.system_time()),
        Err(_) => 0.0,
    }
}

/// CPU time this process has used (all threads), in seconds.
pub fn self_cpu() -> f64 {
    cpu_seconds(UsageWho::RUSAGE_SELF)
}

/// CPU time the calling thread has used, in seconds (what a tight loop costs, unaffected by
/// other processes taking the core meanwhile).
pub fn thread_cpu() -> f64 {
    cpu_seconds(UsageWho::RUSAGE_THREAD)
}

/// CPU time used by this process's children that have ended and been waited for, in seconds.
/// The difference around one child's run is that child's CPU time, when no other child ends
/// meanwhile.
pub fn children_cpu() -> f64 {
    cpu_seconds(UsageWho::RUSAGE_CHILDREN)
}

/// A `/proc/self/status` field in KiB (`VmRSS`, `VmHWM`), or 0 where /proc is missing.
pub fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status").map(|status| parse_status_kib(&status, field)).unwrap_or(0)
}

/// The value of `field` (e.g. `VmHWM`) in a `/proc/<pid>/status` text, in KiB.
pub fn parse_status_kib(status: &str, field: &str) -> u64 {
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Current resident memory in MiB.
pub fn rss_mib() -> f64 {
    status_kib("VmRSS") as f64 / 1024.0
}

/// Peak resident memory in MiB.
pub fn peak_rss_mib() -> f64 {
    status_kib("VmHWM") as f64 / 1024.0
}

/// The smallest value; 0 for none.
pub fn min(values: &[f64]) -> f64 {
    if values.is_empty() { 0.0 } else { values.iter().copied().fold(f64::INFINITY, f64::min) }
}

/// The median (the mean of the middle two for an even count); 0 for none.
pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 { sorted[mid] } else { (sorted[mid - 1] + sorted[mid]) / 2.0 }
}

/// `ceil(pages / per_period) - 1` periods: the least time `pages` requests need when at most
/// `per_period` may be sent in any window of one period (the first batch goes at once).
pub fn theoretical_minimum(pages: u32, per_period: u32, period: Duration) -> Duration {
    let batches = pages.div_ceil(per_period.max(1));
    period * batches.saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_min_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
        assert_eq!(min(&[3.0, 1.5, 2.0]), 1.5);
        assert_eq!(min(&[]), 0.0);
    }

    #[test]
    fn theoretical_minimum_counts_whole_periods_after_the_first_batch() {
        let minute = Duration::from_secs(60);
        assert_eq!(theoretical_minimum(100, 20, minute), minute * 4);
        assert_eq!(theoretical_minimum(100, 50, minute), minute);
        assert_eq!(theoretical_minimum(101, 50, minute), minute * 2);
        assert_eq!(theoretical_minimum(10, 20, minute), Duration::ZERO);
    }

    #[test]
    fn status_fields_parse_in_kib() {
        let status = "Name:\tx\nVmHWM:\t  12345 kB\nVmRSS:\t   678 kB\n";
        assert_eq!(parse_status_kib(status, "VmHWM"), 12345);
        assert_eq!(parse_status_kib(status, "VmRSS"), 678);
        assert_eq!(parse_status_kib(status, "VmSwap"), 0);
    }

    #[test]
    fn cpu_time_grows_with_work() {
        let before = self_cpu();
        let mut x = 0u64;
        for i in 0..20_000_000u64 {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
        }
        assert!(self_cpu() > before, "{x}");
    }
}
