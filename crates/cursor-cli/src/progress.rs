//! What the user sees on stderr while a command works: a progress line at a terminal (items
//! and pages so far, and what the client is waiting for), and with `-v` one line per request
//! (`-vv` adds retries and cache decisions), both fed by the SDK's [`Observer`] events. The
//! key and bodies never reach these events, so they never reach stderr.

use std::io::IsTerminal as _;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use cursor_core::{Api, Event, Observer, Rate};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The counters behind the progress line.
#[derive(Debug, Default)]
struct Counts {
    items: u64,
    pages: u64,
    /// What the client waits for now (a rate-limit pause, a retry), if anything.
    waiting: Option<String>,
}

/// The stderr side of a command: the progress line (drawn only at a terminal) and `-v` logs.
#[derive(Debug)]
pub(crate) struct Ui {
    verbose: u8,
    bar: ProgressBar,
    counts: Mutex<Counts>,
}

impl Ui {
    /// The stderr side for `-v` level `verbose`; the progress line shows when `show_progress`.
    pub(crate) fn new(verbose: u8, show_progress: bool) -> Arc<Self> {
        let target = if show_progress { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() };
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        if show_progress {
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        Arc::new(Self { verbose, bar, counts: Mutex::new(Counts::default()) })
    }

    /// The stderr side for this process: progress only when stderr is a terminal.
    pub(crate) fn for_stderr(verbose: u8) -> Arc<Self> {
        Self::new(verbose, std::io::stderr().is_terminal())
    }

    fn counts(&self) -> MutexGuard<'_, Counts> {
        self.counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn redraw(&self, counts: &Counts) {
        let mut message = String::new();
        if counts.items > 0 || counts.pages > 0 {
            message = format!("{} items, {} pages", counts.items, counts.pages);
        }
        if let Some(waiting) = &counts.waiting {
            if !message.is_empty() {
                message.push_str("; ");
            }
            message.push_str(waiting);
        }
        self.bar.set_message(message);
    }

    /// `n` more items printed or read.
    pub(crate) fn add_items(&self, n: u64) {
        let mut counts = self.counts();
        counts.items += n;
        self.redraw(&counts);
    }

    /// One more page read.
    pub(crate) fn add_page(&self) {
        let mut counts = self.counts();
        counts.pages += 1;
        self.redraw(&counts);
    }

    /// What the client waits for now (`None`: nothing).
    pub(crate) fn waiting(&self, reason: Option<String>) {
        let mut counts = self.counts();
        counts.waiting = reason;
        self.redraw(&counts);
    }

    /// A line on stderr that does not tear the progress line.
    pub(crate) fn line(&self, text: &str) {
        self.bar.suspend(|| eprintln!("{text}"));
    }

    /// Runs `f` with the progress line cleared (for writes to a terminal's stdout).
    pub(crate) fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Removes the progress line for good (before the final output).
    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }

    /// The `-v` line of a finished request, or `None` below `-v`.
    fn request_line(&self, event: &Event<'_>) -> Option<String> {
        let Event::RequestFinished { method, path, status, attempts, limiter_wait, elapsed, from_cache, .. } = event
        else {
            return None;
        };
        if self.verbose == 0 {
            return None;
        }
        let status = status.map_or_else(|| "---".to_owned(), |s| s.to_string());
        let mut line = format!(
            "{method} {} {status} attempt {attempts} limiter {:.1}s {}ms",
            path_only(path),
            limiter_wait.as_secs_f64(),
            elapsed.as_millis()
        );
        if self.verbose >= 2 {
            line.push_str(if *from_cache { " cache: hit (304)" } else { " cache: miss" });
        }
        Some(line)
    }
}

/// The path without its query: the query can carry e-mail addresses and search terms, which
/// belong in the request, not in a log someone pastes into an issue.
fn path_only(path: &str) -> &str {
    path.split('?').next().unwrap_or(path)
}

/// "waiting 42 s for the Admin API's 20/min budget".
pub(crate) fn wait_reason(api: Api, wait: Duration, rates: &[Rate]) -> String {
    let name = api.title();
    let budget: Vec<String> = rates.iter().map(rate_text).collect();
    let seconds = wait.as_secs_f64().ceil() as u64;
    if budget.is_empty() {
        format!("waiting {seconds} s for {name}")
    } else {
        format!("waiting {seconds} s for {name}'s {} budget", budget.join(" and "))
    }
}

/// `20/min`, `1000/h`, or `5/30s`.
fn rate_text(rate: &Rate) -> String {
    match rate.period.as_secs() {
        60 => format!("{}/min", rate.requests),
        3600 => format!("{}/h", rate.requests),
        86400 => format!("{}/day", rate.requests),
        seconds => format!("{}/{seconds}s", rate.requests),
    }
}

/// The SDK observer that feeds a [`Ui`].
#[derive(Debug, Clone)]
pub(crate) struct UiObserver(pub(crate) Arc<Ui>);

impl Observer for UiObserver {
    fn observe(&self, event: &Event<'_>) {
        let ui = &self.0;
        match event {
            Event::RequestFinished { .. } => {
                ui.waiting(None);
                if let Some(line) = ui.request_line(event) {
                    ui.line(&line);
                }
            }
            Event::Retrying { endpoint, attempt, reason, after } => {
                ui.waiting(Some(format!("retrying {endpoint} in {} s ({reason})", after.as_secs())));
                if ui.verbose >= 2 {
                    ui.line(&format!(
                        "retry {endpoint}: attempt {attempt} failed ({reason}); next in {:.1}s",
                        after.as_secs_f64()
                    ));
                }
            }
            Event::PageRead { .. } => ui.add_page(),
            Event::RateLimitWait { endpoint, api, wait, rates, .. } => {
                let reason = wait_reason(*api, *wait, rates);
                if ui.verbose >= 2 {
                    ui.line(&format!("{endpoint}: {reason}"));
                }
                ui.waiting(Some(reason));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_names_the_api_and_its_budget() {
        let text =
            wait_reason(cursor_admin::endpoints::ADMIN_API, Duration::from_millis(41_200), &[Rate::per_minute(20)]);
        assert_eq!(text, "waiting 42 s for the Admin API's 20/min budget");
        let both = wait_reason(
            cursor_agents::endpoints::AGENTS_API,
            Duration::from_secs(3),
            &[Rate::per_minute(1), Rate::per_hour(30)],
        );
        assert_eq!(both, "waiting 3 s for the Cloud Agents API's 1/min and 30/h budget");
    }

    #[test]
    fn a_request_line_has_method_path_status_attempt_wait_and_time_without_the_query() {
        let ui = Ui::new(1, false);
        let event = Event::RequestFinished {
            endpoint: "admin.members",
            method: "GET",
            path: "/teams/members?email=a@b.c",
            status: Some(200),
            attempts: 2,
            limiter_wait: Duration::from_millis(1500),
            elapsed: Duration::from_millis(42),
            from_cache: false,
        };
        assert_eq!(ui.request_line(&event).unwrap(), "GET /teams/members 200 attempt 2 limiter 1.5s 42ms");
        assert!(Ui::new(2, false).request_line(&event).unwrap().ends_with("cache: miss"));
        assert_eq!(Ui::new(0, false).request_line(&event), None);
    }
}
