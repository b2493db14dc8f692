//! Restatements: past usage-event costs changed after the fact, and late events that appear
//! in the past, as the live API does when billing is corrected. For testing tools that sync
//! incrementally with a trailing restatement window (`cursor sync`).
//!
//! Set through [`MockServer::restatements`](crate::MockServer::restatements) or the control
//! routes (served by `routes::restate`):
//!
//! - `POST /__mock/restate/costs` `{"fromMs": …, "toMs": …, "factor": 1.5}`: every usage
//!   event with a timestamp in `[fromMs, toMs]` costs `factor` times as much (model cost and
//!   token fee);
//! - `POST /__mock/restate/late-events` `{"events": [{"timestampMs": …, "member": 3,
//!   "model": "gpt-5", "totalCents": 12.5}]}`: events that were not there before (member is
//!   the index in `/__mock/team`);
//! - `GET /__mock/restate` shows both, `DELETE /__mock/restate` forgets them.
//!
//! They apply to `/teams/filtered-usage-events` of every key; other endpoints (spend, daily
//! usage) keep their figures.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::data::{TokenUsage, UsageEvent};

/// Costs multiplied by `factor` for events in `[from_ms, to_ms]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CostRestatement {
    /// First event timestamp affected (epoch ms).
    pub from_ms: i64,
    /// Last event timestamp affected (epoch ms).
    pub to_ms: i64,
    /// What each cost is multiplied by.
    pub factor: f64,
}

/// A usage event that arrives late: a token-based, usage-based call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LateEvent {
    /// When it happened (epoch ms).
    pub timestamp_ms: i64,
    /// The member's index in the team.
    pub member: usize,
    /// The model.
    pub model: String,
    /// The model cost in cents.
    pub total_cents: f64,
}

#[derive(Debug, Default, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Changes {
    costs: Vec<CostRestatement>,
    late_events: Vec<LateEvent>,
}

/// The restatements in force, shared by every key.
#[derive(Debug, Default)]
pub struct Restatements {
    changes: Mutex<Changes>,
}

impl Restatements {
    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, Changes> {
        self.changes.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Multiplies the cost of every event in `[from_ms, to_ms]` by `factor` (restatements
    /// compound).
    pub fn restate_costs(&self, from_ms: i64, to_ms: i64, factor: f64) {
        self.lock().costs.push(CostRestatement { from_ms, to_ms, factor });
    }

    /// Adds an event in the past that the API did not show before.
    pub fn add_late_event(&self, event: LateEvent) {
        self.lock().late_events.push(event);
    }

    /// Forgets every restatement.
    pub fn clear(&self) {
        *self.lock() = Changes::default();
    }

    /// Applies the restatements to the events of `members` in `[start_ms, end_ms]`.
    pub fn apply(&self, events: &mut Vec<UsageEvent>, members: &[usize], start_ms: i64, end_ms: i64) {
        let changes = self.lock();
        for late in &changes.late_events {
            if members.contains(&late.member) && (start_ms..=end_ms).contains(&late.timestamp_ms) {
                events.push(UsageEvent {
                    timestamp_ms: late.timestamp_ms,
                    member: late.member,
                    // Models are `&'static str` in the generated data: each distinct name
                    // of a late event is interned once.
                    model: intern(&late.model),
                    kind: "Usage-based",
                    max_mode: false,
                    requests_costs: (late.total_cents / 4.0 * 10.0).round() / 10.0,
                    token_usage: Some(TokenUsage {
                        input_tokens: 1_000,
                        output_tokens: 500,
                        cache_write_tokens: 0,
                        cache_read_tokens: 0,
                        total_cents: late.total_cents,
                    }),
                    cursor_token_fee: 0.04,
                    is_free_bugbot: false,
                });
            }
        }
        for restatement in &changes.costs {
            for event in events.iter_mut() {
                if (restatement.from_ms..=restatement.to_ms).contains(&event.timestamp_ms) {
                    if let Some(tokens) = event.token_usage.as_mut() {
                        tokens.total_cents *= restatement.factor;
                    }
                    event.cursor_token_fee *= restatement.factor;
                }
            }
        }
    }
}

/// Model names of late events, leaked once each (a handful per test run).
fn intern(model: &str) -> &'static str {
    static NAMES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(name) = names.iter().find(|n| **n == model) {
        return name;
    }
    let name: &'static str = Box::leak(model.to_owned().into_boxed_str());
    names.push(name);
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(ts: i64, cents: f64) -> UsageEvent {
        UsageEvent {
            timestamp_ms: ts,
            member: 0,
            model: "m",
            kind: "Usage-based",
            max_mode: false,
            requests_costs: 1.0,
            token_usage: Some(TokenUsage {
                input_tokens: 1,
                output_tokens: 1,
                cache_write_tokens: 0,
                cache_read_tokens: 0,
                total_cents: cents,
            }),
            cursor_token_fee: 1.0,
            is_free_bugbot: false,
        }
    }

    #[test]
    fn costs_in_the_range_are_restated_and_late_events_appear_only_in_their_range() {
        let restatements = Restatements::default();
        restatements.restate_costs(10, 20, 2.0);
        restatements.add_late_event(LateEvent {
            timestamp_ms: 15,
            member: 1,
            model: "late-model".into(),
            total_cents: 3.0,
        });
        let mut events = vec![event(5, 1.0), event(15, 1.0)];
        restatements.apply(&mut events, &[0, 1], 0, 100);
        let cents: Vec<f64> = events.iter().map(|e| e.token_usage.as_ref().unwrap().total_cents).collect();
        assert_eq!(cents, vec![1.0, 2.0, 6.0]);
        assert_eq!(events[2].model, "late-model");
        let mut outside = vec![];
        restatements.apply(&mut outside, &[0, 1], 16, 100);
        assert!(outside.is_empty());
        let mut other_member = vec![];
        restatements.apply(&mut other_member, &[0], 0, 100);
        assert!(other_member.is_empty());
    }
}
