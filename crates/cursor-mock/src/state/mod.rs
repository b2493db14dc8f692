//! Shared server state: the immutable synthetic data and, per API key (each key is its own
//! team), the mutable parts: billing groups, blocklists, spend limits, Bugbot repos, agents
//! (`team`). It also holds the stores the middleware above it write to (fault rolls, the
//! journal, rate-limit windows), so that those modules use the state and not the reverse.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use time::OffsetDateTime;

use crate::clock::SimClock;
use crate::config::MockConfig;
use crate::data::{TeamData, hash_str};
use crate::webhooks::{WebhookJob, WebhookSender};

mod fault_state;
mod journal_log;
mod rate_windows;
mod team;

pub use fault_state::FaultState;
pub use journal_log::{Journal, JournalEntry};
pub use rate_windows::{RateLimiter, Rule};
pub use team::*;

/// Everything a request handler can reach.
#[derive(Debug)]
pub struct AppState {
    /// The configuration the server started with.
    pub config: MockConfig,
    /// Calendar and simulated time.
    pub clock: SimClock,
    /// The synthetic team.
    pub data: TeamData,
    /// Mutable state per API key. One plain mutex: it is never held across an `await`.
    teams: Mutex<HashMap<String, TeamState>>,
    /// Rate-limit windows.
    pub limiter: RateLimiter,
    /// Injected faults.
    pub faults: FaultState,
    /// Requests received.
    pub journal: Journal,
    /// Webhook deliveries.
    pub webhooks: WebhookSender,
    /// Restated usage costs and late usage events.
    pub restatements: crate::restate::Restatements,
    /// How many writes (requests other than `GET`/`HEAD`) have been answered, for whoever
    /// saves the state after each one.
    writes: tokio::sync::watch::Sender<u64>,
}

impl AppState {
    /// State for a configuration.
    pub fn new(config: MockConfig) -> Self {
        let clock = SimClock::new(config.fixed_now, config.time_scale);
        let data = TeamData::new(config.seed, config.data.clone(), clock.now());
        Self {
            faults: FaultState::new(config.faults.clone(), config.seed),
            webhooks: WebhookSender::new(config.webhooks.clone()),
            clock,
            data,
            teams: Mutex::new(HashMap::new()),
            limiter: RateLimiter::default(),
            journal: Journal::default(),
            restatements: crate::restate::Restatements::default(),
            writes: tokio::sync::watch::Sender::new(0),
            config,
        }
    }

    /// Counts a write that was answered (see [`writes`](Self::writes)).
    pub fn note_write(&self) {
        self.writes.send_modify(|count| *count += 1);
    }

    /// A receiver that changes after each answered write.
    pub fn writes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.writes.subscribe()
    }

    /// Runs `f` on the team of `key`, creating it (with its seeded groups, blocklists and
    /// agents) on first use, after moving its agents along the clock. Webhooks due are sent.
    pub fn with_team<R>(&self, key: &str, f: impl FnOnce(&mut TeamState, &TeamContext<'_>) -> R) -> R {
        let ctx = TeamContext {
            data: &self.data,
            now: self.clock.now(),
            sim_now: self.clock.sim_elapsed(),
            config: &self.config,
        };
        let (result, jobs) = {
            let mut teams = self.lock_teams();
            let team = teams.entry(key.to_owned()).or_insert_with(|| TeamState::seeded(key, &ctx));
            let mut jobs = team.advance_agents(&ctx);
            let result = f(team, &ctx);
            jobs.extend(team.advance_agents(&ctx));
            (result, jobs)
        };
        self.webhooks.dispatch(jobs);
        result
    }

    /// Moves every team's agents along the clock; called by the background ticker.
    pub fn tick(&self) {
        let ctx = TeamContext {
            data: &self.data,
            now: self.clock.now(),
            sim_now: self.clock.sim_elapsed(),
            config: &self.config,
        };
        let jobs: Vec<WebhookJob> = {
            let mut teams = self.lock_teams();
            teams.values_mut().flat_map(|team| team.advance_agents(&ctx)).collect()
        };
        self.webhooks.dispatch(jobs);
    }

    /// Forgets every team's changes, rate-limit windows and the journal.
    pub fn reset(&self) {
        self.lock_teams().clear();
        self.limiter.reset();
        self.journal.clear();
        self.restatements.clear();
    }

    pub(crate) fn lock_teams(&self) -> MutexGuard<'_, HashMap<String, TeamState>> {
        self.teams.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Numeric team id shown in `params.teamId`.
    pub fn team_id(key: &str) -> u64 {
        10_000 + hash_str(key) % 90_000
    }
}

/// What a team mutation may read.
#[derive(Debug)]
pub struct TeamContext<'a> {
    /// Synthetic data.
    pub data: &'a TeamData,
    /// Calendar now.
    pub now: OffsetDateTime,
    /// Simulated time since start.
    pub sim_now: Duration,
    /// Configuration.
    pub config: &'a MockConfig,
}
