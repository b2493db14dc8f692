//! What the simulator saw: arrival times from its journal, the most requests in any sliding
//! window of a period, and 429 counts.

use std::time::Duration;

use cursor_mock::JournalEntry;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Arrival times (seconds since the Unix epoch, real time) of the journal entries whose path
/// satisfies `keep`, in arrival order.
pub fn arrivals(journal: &[JournalEntry], keep: impl Fn(&JournalEntry) -> bool) -> Vec<f64> {
    journal
        .iter()
        .filter(|entry| keep(entry))
        .filter_map(|entry| OffsetDateTime::parse(&entry.received_at, &Rfc3339).ok())
        .map(|at| at.unix_timestamp_nanos() as f64 / 1e9)
        .collect()
}

/// The journal records arrival times to the millisecond: two requests exactly one window apart
/// may read up to 1 ms closer than they were, so windows are shortened by that much.
const RESOLUTION: f64 = 0.001;

/// The largest number of arrivals in any half-open window `[t, t + window)`, `t` anywhere
/// (a sliding window: the maximum is always reached at some arrival).
pub fn max_in_window(arrivals: &[f64], window: Duration) -> usize {
    let mut times = arrivals.to_vec();
    times.sort_by(f64::total_cmp);
    let width = (window.as_secs_f64() - RESOLUTION).max(0.0);
    let mut best = 0;
    let mut end = 0;
    for start in 0..times.len() {
        while end < times.len() && times[end] - times[start] < width {
            end += 1;
        }
        best = best.max(end - start);
    }
    best
}

/// How many arrivals came in the first window (from the first arrival), and the mean number per
/// window after it: what the limiter allowed when idle, and what it sustained.
pub fn burst_and_sustained(arrivals: &[f64], window: Duration) -> (usize, f64) {
    let Some(&first) = arrivals.iter().min_by(|a, b| a.total_cmp(b)) else { return (0, 0.0) };
    let last = arrivals.iter().copied().fold(first, f64::max);
    let width = window.as_secs_f64();
    let burst = arrivals.iter().filter(|&&t| t - first < width).count();
    let rest = arrivals.len() - burst;
    let span = last - (first + width);
    let sustained = if rest == 0 || span <= 0.0 { rest as f64 } else { rest as f64 / (span / width).max(1.0) };
    (burst, sustained)
}

/// How many entries satisfying `keep` were answered `status`.
pub fn count_status(journal: &[JournalEntry], status: u16, keep: impl Fn(&JournalEntry) -> bool) -> usize {
    journal.iter().filter(|entry| keep(entry) && entry.status == status).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sliding_maximum_finds_windows_that_straddle_fixed_boundaries() {
        // 3 at the end of one minute and 3 at the start of the next: 6 within 2 s.
        let times = [50.0, 58.0, 59.0, 60.5, 61.0, 61.5, 130.0];
        assert_eq!(max_in_window(&times, Duration::from_secs(60)), 6);
        assert_eq!(max_in_window(&times, Duration::from_secs(5)), 5);
        assert_eq!(max_in_window(&[], Duration::from_secs(5)), 0);
    }

    #[test]
    fn requests_exactly_one_window_apart_are_in_different_windows() {
        let times = [0.0, 1.0, 2.0, 3.0];
        assert_eq!(max_in_window(&times, Duration::from_secs(1)), 1);
        // Within the journal's 1 ms resolution too.
        assert_eq!(max_in_window(&[0.0, 0.9995], Duration::from_secs(1)), 1);
        assert_eq!(max_in_window(&[0.0, 0.99], Duration::from_secs(1)), 2);
    }

    #[test]
    fn burst_then_paced_rate() {
        // 5 at once, then one every 0.25 s for 3 windows of 1 s: 4 a window.
        let mut times = vec![0.0; 5];
        times.extend((1..=12).map(|i| 1.0 + f64::from(i) * 0.25));
        let (burst, sustained) = burst_and_sustained(&times, Duration::from_secs(1));
        assert_eq!(burst, 5);
        assert!((sustained - 4.0).abs() < 0.01, "{sustained}");
    }

    #[test]
    fn arrivals_parse_the_journal_timestamps() {
        let entry = |at: &str, path: &str| JournalEntry {
            seq: 1,
            received_at: at.into(),
            method: "GET".into(),
            path: path.into(),
            query: None,
            headers: Default::default(),
            body: String::new(),
            body_truncated: false,
            status: 200,
        };
        let journal = [
            entry("2025-06-15T12:00:00.000Z", "/a"),
            entry("2025-06-15T12:00:01.250Z", "/a"),
            entry("2025-06-15T12:00:02.000Z", "/b"),
        ];
        let times = arrivals(&journal, |e| e.path == "/a");
        assert_eq!(times.len(), 2);
        assert!((times[1] - times[0] - 1.25).abs() < 1e-6);
        assert_eq!(count_status(&journal, 200, |e| e.path == "/b"), 1);
    }
}
