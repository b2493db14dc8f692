//! Cloud Agents v1 state of one team: durable agents, each with its runs. A run moves along
//! the simulated clock like a v0 agent (`CREATING`, `RUNNING`, then `FINISHED` or `ERROR`),
//! can be cancelled, and has a fixed timeline of events that the stream replays.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::config::AgentTiming;
pub use crate::config::AgentsV1Config;
use crate::dates::iso_seconds;

/// One run of a v1 agent, in simulated time.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct V1Run {
    /// `run-…`.
    pub id: String,
    /// Calendar creation time.
    #[serde(with = "crate::dates::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Simulated creation time.
    pub created_sim: Duration,
    /// When `CREATING` ends.
    pub running_at: Duration,
    /// When the run ends by itself.
    pub ends_at: Duration,
    /// Whether it ends in `ERROR`.
    pub fails: bool,
    /// When it was cancelled, if it was.
    pub cancelled_at: Option<Duration>,
    /// The prompt.
    pub prompt: String,
}

/// One event of a run's timeline: when, its type and its data.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEvent {
    /// Simulated time it happens.
    pub at: Duration,
    /// SSE event type.
    pub kind: &'static str,
    /// JSON data.
    pub data: Value,
}

impl V1Run {
    /// A run starting now.
    pub fn new(id: String, prompt: String, now: OffsetDateTime, sim_now: Duration, timing: AgentTiming) -> Self {
        let fails = prompt.contains("[mock:error]");
        let running_at = sim_now + timing.creating;
        Self {
            id,
            created_at: now,
            created_sim: sim_now,
            running_at,
            ends_at: running_at + timing.running,
            fails,
            cancelled_at: None,
            prompt,
        }
    }

    /// When the run became terminal, if it is by `sim_now`.
    pub fn ended_at(&self, sim_now: Duration) -> Option<Duration> {
        match self.cancelled_at {
            Some(at) => Some(at),
            None => (sim_now >= self.ends_at).then_some(self.ends_at),
        }
    }

    /// The status at `sim_now`.
    pub fn status(&self, sim_now: Duration) -> &'static str {
        if self.cancelled_at.is_some() {
            "CANCELLED"
        } else if sim_now >= self.ends_at {
            if self.fails { "ERROR" } else { "FINISHED" }
        } else if sim_now >= self.running_at {
            "RUNNING"
        } else {
            "CREATING"
        }
    }

    /// Whether the run is over at `sim_now`.
    pub fn is_terminal(&self, sim_now: Duration) -> bool {
        self.ended_at(sim_now).is_some()
    }

    /// Calendar time of the last change before `sim_now`.
    pub fn updated_at(&self, sim_now: Duration) -> OffsetDateTime {
        let last = match self.ended_at(sim_now) {
            Some(end) => end,
            None if sim_now >= self.running_at => self.running_at,
            None => self.created_sim,
        };
        self.created_at + last.saturating_sub(self.created_sim)
    }

    /// The run as the API answers it.
    pub fn json(&self, agent_id: &str, sim_now: Duration) -> Value {
        json!({
            "id": self.id,
            "agentId": agent_id,
            "status": self.status(sim_now),
            "createdAt": iso_seconds(self.created_at),
            "updatedAt": iso_seconds(self.updated_at(sim_now)),
        })
    }

    /// The events that have happened by `sim_now`, in order; their ids are their 1-based
    /// positions, which never change as the run goes on.
    pub fn events(&self, sim_now: Duration) -> Vec<TimelineEvent> {
        let span = self.ends_at.saturating_sub(self.running_at);
        let third = self.running_at + span / 3;
        let summary = format!("Done: {}", title(&self.prompt));
        let mut planned = vec![
            TimelineEvent { at: self.created_sim, kind: "status", data: json!({"status": "CREATING"}) },
            TimelineEvent { at: self.running_at, kind: "status", data: json!({"status": "RUNNING"}) },
            TimelineEvent {
                at: self.running_at,
                kind: "thinking",
                data: json!({"text": "Reading the repository layout first."}),
            },
            TimelineEvent {
                at: third,
                kind: "tool_call",
                data: json!({"name": "read_file", "args": {"path": "README.md"}}),
            },
            TimelineEvent {
                at: third,
                kind: "assistant",
                data: json!({"text": "I'll start by analyzing the repository structure and then make the changes."}),
            },
        ];
        let end = self.cancelled_at.unwrap_or(self.ends_at);
        // Whatever happened by the end stays (it may have been streamed already).
        planned.retain(|e| e.at <= end);
        let terminal = if self.cancelled_at.is_some() {
            vec![
                ("status", json!({"status": "CANCELLED"})),
                ("result", json!({"status": "CANCELLED"})),
                ("done", json!({})),
            ]
        } else if self.fails {
            vec![
                ("error", json!({"code": "agent_error", "message": "The agent hit an error and stopped."})),
                ("status", json!({"status": "ERROR"})),
                ("result", json!({"status": "ERROR"})),
                ("done", json!({})),
            ]
        } else {
            vec![
                ("assistant", json!({"text": summary.clone()})),
                ("status", json!({"status": "FINISHED"})),
                ("result", json!({"status": "FINISHED", "summary": summary})),
                ("done", json!({})),
            ]
        };
        planned.extend(terminal.into_iter().map(|(kind, data)| TimelineEvent { at: end, kind, data }));
        planned.retain(|e| e.at <= sim_now);
        planned
    }
}

/// A v1 agent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct V1Agent {
    /// `bc-…`.
    pub id: String,
    /// A name from the first prompt.
    pub name: String,
    /// Archived agents refuse new runs.
    pub archived: bool,
    /// Deleted agents answer `404` but keep their id taken.
    pub deleted: bool,
    /// Created.
    #[serde(with = "crate::dates::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last changed (archive, unarchive); runs add their own times.
    #[serde(with = "crate::dates::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// `repos` as given.
    pub repos: Value,
    /// Branch.
    pub branch_name: String,
    /// Whether the branch was generated.
    pub auto_generate_branch: bool,
    /// Open a PR when a run completes.
    pub auto_create_pr: bool,
    /// Skip the review request.
    pub skip_reviewer_request: bool,
    /// Environment type.
    pub env_type: String,
    /// Runs, oldest first.
    pub runs: Vec<V1Run>,
}

impl V1Agent {
    /// The run in progress at `sim_now`, if any.
    pub fn active_run(&self, sim_now: Duration) -> Option<&V1Run> {
        self.runs.iter().find(|r| !r.is_terminal(sim_now))
    }

    /// Last change, runs included.
    pub fn last_update(&self, sim_now: Duration) -> OffsetDateTime {
        self.runs.iter().map(|r| r.updated_at(sim_now)).fold(self.updated_at, OffsetDateTime::max)
    }

    /// The summary shape (lists).
    pub fn summary_json(&self, sim_now: Duration) -> Value {
        let mut out = json!({
            "id": self.id,
            "name": self.name,
            "status": if self.archived { "ARCHIVED" } else { "ACTIVE" },
            "env": {"type": self.env_type},
            "url": format!("https://cursor.com/agents?id={}", self.id),
            "createdAt": iso_seconds(self.created_at),
            "updatedAt": iso_seconds(self.last_update(sim_now)),
        });
        if let Some(run) = self.runs.last() {
            out["latestRunId"] = json!(run.id);
        }
        out
    }

    /// The full shape (get, create).
    pub fn full_json(&self, sim_now: Duration) -> Value {
        let mut out = self.summary_json(sim_now);
        out["repos"] = self.repos.clone();
        out["branchName"] = json!(self.branch_name);
        out["autoGenerateBranch"] = json!(self.auto_generate_branch);
        out["autoCreatePR"] = json!(self.auto_create_pr);
        out["skipReviewerRequest"] = json!(self.skip_reviewer_request);
        out
    }

    /// The files a finished run leaves: none until a run finishes.
    pub fn artifacts(&self, sim_now: Duration) -> Vec<(String, u64, OffsetDateTime)> {
        let Some(run) = self.runs.iter().rev().find(|r| r.status(sim_now) == "FINISHED") else {
            return Vec::new();
        };
        let at = run.updated_at(sim_now);
        vec![
            ("artifacts/summary.md".to_owned(), 180 + run.prompt.len() as u64, at),
            ("artifacts/screenshot.png".to_owned(), 48_213, at),
        ]
    }
}

/// Every v1 agent of a team, oldest first.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct V1Agents {
    /// Agents, deleted ones included.
    pub agents: Vec<V1Agent>,
    /// Serial for generated ids.
    pub next_serial: u64,
}

impl V1Agents {
    /// A live (not deleted) agent.
    pub fn live(&mut self, id: &str) -> Option<&mut V1Agent> {
        self.agents.iter_mut().find(|a| a.id == id && !a.deleted)
    }

    /// Whether an id was ever used (deleted agents keep theirs).
    pub fn id_taken(&self, id: &str) -> bool {
        self.agents.iter().any(|a| a.id == id)
    }
}

/// A name from the first words of a prompt.
pub fn title(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or(text);
    let words: Vec<&str> = first_line.split_whitespace().take(8).collect();
    if words.is_empty() { "Untitled agent".to_owned() } else { words.join(" ") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(timing: AgentTiming) -> V1Run {
        V1Run::new("run-1".into(), "Add docs".into(), crate::TEST_NOW, Duration::from_secs(10), timing)
    }

    #[test]
    fn a_run_moves_along_the_clock_and_its_event_ids_never_change() {
        let timing = AgentTiming { creating: Duration::from_secs(2), running: Duration::from_secs(9) };
        let run = run(timing);
        let at = |s| Duration::from_secs(s);
        assert_eq!(run.status(at(10)), "CREATING");
        assert_eq!(run.status(at(13)), "RUNNING");
        assert_eq!(run.status(at(21)), "FINISHED");
        let early = run.events(at(13));
        let late = run.events(at(30));
        assert_eq!(&late[..early.len()], &early[..], "later events only append");
        assert_eq!(late.last().map(|e| e.kind), Some("done"));
    }

    #[test]
    fn a_cancelled_run_ends_with_cancelled_events_and_keeps_earlier_ids() {
        let timing = AgentTiming { creating: Duration::ZERO, running: Duration::from_secs(9) };
        let mut run = run(timing);
        let before = run.events(Duration::from_secs(11));
        run.cancelled_at = Some(Duration::from_secs(11));
        let after = run.events(Duration::from_secs(50));
        assert_eq!(&after[..before.len()], &before[..]);
        assert_eq!(run.status(Duration::from_secs(50)), "CANCELLED");
        let kinds: Vec<_> = after[before.len()..].iter().map(|e| e.kind).collect();
        assert_eq!(kinds, ["status", "result", "done"]);
    }
}
