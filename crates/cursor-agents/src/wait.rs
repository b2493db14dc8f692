//! Waiting for an agent to finish: polling with backoff until a terminal status or a deadline.

use std::time::Duration;

use cursor_core::{Error, Result};
use tokio::time::Instant;

use crate::client::AgentsClient;
use crate::models::{Agent, Conversation};

/// The name errors of [`AgentsClient::wait`] carry as their endpoint.
pub const WAIT_NAME: &str = "agents.wait";

/// How [`AgentsClient::wait`] polls.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitOptions {
    /// How long to wait in all before giving up with [`Error::Timeout`] (default 30 minutes).
    pub timeout: Duration,
    /// The pause after the first poll (default 2 s).
    pub initial_interval: Duration,
    /// The longest pause between polls (default 30 s).
    pub max_interval: Duration,
    /// How much the pause grows after each poll (default 1.5).
    pub multiplier: f64,
    /// Also fetch the conversation once the agent is done (default false).
    pub include_conversation: bool,
    /// Also stop on a status this SDK does not know (default false: keep polling until a
    /// known terminal status or the deadline).
    pub stop_on_unknown_status: bool,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30 * 60),
            initial_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(30),
            multiplier: 1.5,
            include_conversation: false,
            stop_on_unknown_status: false,
        }
    }
}

impl WaitOptions {
    /// Sets the overall deadline.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the first pause and the longest pause between polls.
    #[must_use]
    pub fn intervals(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_interval = initial;
        self.max_interval = max;
        self
    }

    /// Fetches the conversation at the end.
    #[must_use]
    pub fn include_conversation(mut self, yes: bool) -> Self {
        self.include_conversation = yes;
        self
    }

    fn next_interval(&self, current: Duration) -> Duration {
        let multiplier = if self.multiplier.is_finite() && self.multiplier >= 1.0 { self.multiplier } else { 1.0 };
        // `Duration::mul_f64` panics past `Duration::MAX`; a huge interval saturates instead.
        Duration::try_from_secs_f64(current.as_secs_f64() * multiplier).unwrap_or(Duration::MAX).min(self.max_interval)
    }
}

/// What [`AgentsClient::wait`] ends with.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitOutcome {
    /// The agent in its terminal status.
    pub agent: Agent,
    /// Its conversation, when [`WaitOptions::include_conversation`] asked for it.
    pub conversation: Option<Conversation>,
}

impl AgentsClient {
    /// Polls `GET /v0/agents/{id}` until the agent reaches `FINISHED`, `ERROR` or `EXPIRED`
    /// (see [`AgentStatus::is_terminal`](crate::AgentStatus::is_terminal)) and returns it, with
    /// its conversation if asked.
    ///
    /// The pause between polls starts at `initial_interval` and grows by `multiplier` up to
    /// `max_interval`. Every poll goes through the client, so it waits for the rate-limit
    /// bucket and is retried like any read; a `429` that the client gives up on makes the
    /// wait pause for the server's `Retry-After` (or the current interval) and go on. Past
    /// `timeout` (checked with one last poll at the deadline) the wait fails with
    /// [`Error::Timeout`] named `agents.wait`; other errors (`404`, `409` for a deleted agent…)
    /// end it at once. A poll in flight at the deadline is not cut short, so the wait can
    /// overrun by at most one request's time.
    ///
    /// **Cancellation:** drop the future (for example with `tokio::time::timeout` or in a
    /// `tokio::select!`); nothing runs in the background and the agent is not stopped.
    ///
    /// Prefer a [webhook](crate::webhook) when you can receive one: no polling at all.
    ///
    /// ```no_run
    /// # async fn run(agents: cursor_agents::AgentsClient) -> cursor_core::Result<()> {
    /// use std::time::Duration;
    /// use cursor_agents::{AgentStatus, WaitOptions};
    ///
    /// let options = WaitOptions::default().timeout(Duration::from_secs(3600)).include_conversation(true);
    /// let done = agents.wait("bc_abc123", &options).await?;
    /// if done.agent.status == AgentStatus::Finished {
    ///     println!("{:?}", done.agent.target.pr_url);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn wait(&self, id: &str, options: &WaitOptions) -> Result<WaitOutcome> {
        let started = Instant::now();
        // A timeout too long to add to the clock (`Duration::MAX`) means no deadline.
        let deadline = started.checked_add(options.timeout);
        let mut interval = options.initial_interval;
        loop {
            let pause = match self.get(id).await {
                Ok(agent) => {
                    let done = agent.status.is_terminal()
                        || (options.stop_on_unknown_status && matches!(agent.status, crate::AgentStatus::Unknown(_)));
                    if done {
                        let conversation =
                            if options.include_conversation { Some(self.conversation(id).await?) } else { None };
                        return Ok(WaitOutcome { agent, conversation });
                    }
                    interval
                }
                Err(error) if error.is_rate_limited() => error.retry_after().unwrap_or(interval).max(interval),
                Err(error) => return Err(error),
            };
            let now = Instant::now();
            if deadline.is_some_and(|deadline| now >= deadline) {
                return Err(Error::timeout(WAIT_NAME, now.saturating_duration_since(started)));
            }
            let left = deadline.map_or(Duration::MAX, |deadline| deadline.saturating_duration_since(now));
            tokio::time::sleep(pause.min(left)).await;
            interval = options.next_interval(interval);
        }
    }
}
