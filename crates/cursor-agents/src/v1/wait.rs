//! Following a run to its end: through its event stream, falling back to polling the run
//! when streaming is refused, within a deadline.

use std::time::Duration;

use cursor_core::{Error, Result};
use futures_util::StreamExt as _;
use tokio::time::Instant;

use crate::v1::client::AgentsClient;
use crate::v1::events::StreamOptions;
use crate::v1::models::Run;

/// The name errors of [`AgentsClient::wait_run`] carry as their endpoint.
pub const WAIT_RUN_NAME: &str = "agents.v1.wait_run";

/// How [`AgentsClient::wait_run`] follows a run.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitRunOptions {
    /// How long to wait in all before failing with [`Error::Timeout`] (default 30 minutes;
    /// `Duration::MAX` waits for ever).
    pub timeout: Duration,
    /// Follow the event stream first (default true); polling only when false.
    pub use_stream: bool,
    /// How the stream reconnects.
    pub stream: StreamOptions,
    /// The first pause between polls (default 2 s).
    pub initial_interval: Duration,
    /// The longest pause between polls (default 30 s).
    pub max_interval: Duration,
}

impl Default for WaitRunOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30 * 60),
            use_stream: true,
            stream: StreamOptions::default(),
            initial_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(30),
        }
    }
}

impl WaitRunOptions {
    /// Sets the overall deadline.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the first and the longest pause between polls.
    #[must_use]
    pub fn intervals(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_interval = initial;
        self.max_interval = max;
        self
    }

    /// Polls only, never streams.
    #[must_use]
    pub fn polling_only(mut self) -> Self {
        self.use_stream = false;
        self
    }
}

impl AgentsClient {
    /// Waits until the run reaches a terminal status (`FINISHED`, `ERROR`, `CANCELLED`,
    /// `EXPIRED`) and returns it as `GET …/runs/{runId}` then reads it.
    ///
    /// It follows the run's event stream (resuming across dropped connections) until a
    /// terminal `status`/`result` event or `done`; when streaming fails or is refused (`410
    /// stream_expired`, `403`, a stream that gives up…) it polls the run instead, pausing
    /// from `initial_interval` to `max_interval` (growing by half each time, and at least
    /// the server's `Retry-After` after a `429`).
    ///
    /// **Deadline:** past `timeout` it fails with [`Error::Timeout`] named
    /// `agents.v1.wait_run`; a timeout too large to add to now (`Duration::MAX`) means no
    /// deadline. **Cancellation:** drop the future; nothing runs in the background and the
    /// run is not cancelled.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
    /// use std::time::Duration;
    /// use cursor_agents::v1::{RunStatus, WaitRunOptions};
    /// let run = agents.wait_run("bc-123", "run-456", &WaitRunOptions::default().timeout(Duration::from_secs(3600))).await?;
    /// assert!(run.status.is_terminal());
    /// # Ok(()) }
    /// ```
    pub async fn wait_run(&self, agent_id: &str, run_id: &str, options: &WaitRunOptions) -> Result<Run> {
        let started = Instant::now();
        let work = self.follow_run(agent_id, run_id, options);
        match started.checked_add(options.timeout) {
            Some(deadline) => tokio::time::timeout_at(deadline, work)
                .await
                .unwrap_or_else(|_| Err(Error::timeout(WAIT_RUN_NAME, started.elapsed()))),
            None => work.await,
        }
    }

    async fn follow_run(&self, agent_id: &str, run_id: &str, options: &WaitRunOptions) -> Result<Run> {
        if options.use_stream {
            let mut events = self.stream_run_with(agent_id, run_id, options.stream.clone(), None);
            while let Some(Ok(event)) = events.next().await {
                let terminal = event.status().is_some_and(|status| status.is_terminal()) || event.is_done();
                if terminal {
                    let run = self.get_run(agent_id, run_id).await?;
                    if run.status.is_terminal() {
                        return Ok(run);
                    }
                    break;
                }
            }
            // The stream ended without a terminal run, or failed: polling decides.
        }
        self.poll_run(agent_id, run_id, options).await
    }

    async fn poll_run(&self, agent_id: &str, run_id: &str, options: &WaitRunOptions) -> Result<Run> {
        let mut interval = options.initial_interval;
        loop {
            let pause = match self.get_run(agent_id, run_id).await {
                Ok(run) if run.status.is_terminal() => return Ok(run),
                Ok(_) => interval,
                Err(error) if error.is_rate_limited() => error.retry_after().unwrap_or(interval).max(interval),
                Err(error) => return Err(error),
            };
            tokio::time::sleep(pause).await;
            interval = interval.saturating_add(interval / 2).min(options.max_interval);
        }
    }
}
