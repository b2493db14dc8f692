//! Audit events: what happened in the team each day.

use time::{Date, Duration, OffsetDateTime};

use super::{CLIENT_VERSIONS, REPOS, TeamData, base62, pick, rng_for};
use crate::dates::midnight;

/// One audit-log event.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    /// `evt_…`.
    pub event_id: String,
    /// When it happened.
    pub timestamp: OffsetDateTime,
    /// Who did it.
    pub member: usize,
    /// Event type.
    pub event_type: &'static str,
    /// Type-specific data.
    pub event_data: serde_json::Value,
}

impl TeamData {
    /// The audit events of a day, oldest first.
    pub fn audit_events(&self, date: Date) -> Vec<AuditEvent> {
        if date < self.first_day() {
            return Vec::new();
        }
        let day = date.to_julian_day() as u64;
        let mut rng = rng_for(self.seed, &[4, day]);
        let mean = u64::from(self.sizes.audit_events_per_day.max(1));
        let weekend = matches!(date.weekday(), time::Weekday::Saturday | time::Weekday::Sunday);
        let count = if weekend { rng.u64(0..=mean / 3) } else { rng.u64(mean / 2..=mean * 3 / 2) };
        let mut offsets: Vec<i64> = (0..count).map(|_| rng.i64(0..86_400)).collect();
        offsets.sort_unstable();
        offsets
            .into_iter()
            .enumerate()
            .map(|(k, offset)| {
                let member = rng.usize(..self.members.len());
                let (event_type, event_data) = self.audit_payload(&mut rng);
                AuditEvent {
                    event_id: format!("evt_{}", base62(&mut rng_for(self.seed, &[5, day, k as u64]), 12)),
                    timestamp: midnight(date) + Duration::seconds(offset),
                    member,
                    event_type,
                    event_data,
                }
            })
            .collect()
    }

    fn audit_payload(&self, rng: &mut fastrand::Rng) -> (&'static str, serde_json::Value) {
        use serde_json::json;
        let roll = rng.u32(0..100);
        let other = &self.members[rng.usize(..self.members.len())];
        match roll {
            0..=44 => (
                "login",
                json!({
                    "ip_address": format!("10.{}.{}.{}", rng.u8(0..255), rng.u8(0..255), rng.u8(1..255)),
                    "user_agent": format!("Cursor/{}", pick(rng, CLIENT_VERSIONS)),
                }),
            ),
            45..=54 => ("logout", json!({"ip_address": format!("192.168.1.{}", rng.u8(1..255))})),
            55..=69 => {
                let (name, old, new) = match rng.u8(0..3) {
                    0 => ("team_spend_limit", json!(1000), json!(2000)),
                    1 => ("privacy_mode", json!(false), json!(true)),
                    _ => ("default_model", serde_json::Value::Null, json!("claude-sonnet-4.5")),
                };
                ("settings_changed", json!({"setting_name": name, "old_value": old, "new_value": new}))
            }
            70..=77 => ("member_invited", json!({"invited_email": other.email, "role": "member"})),
            78..=81 => ("member_removed", json!({"removed_email": other.email})),
            82..=87 => {
                ("member_role_changed", json!({"target_email": other.email, "old_role": "member", "new_role": "owner"}))
            }
            88..=92 => ("api_key_created", json!({"key_name": "Usage Dashboard Integration"})),
            93..=95 => ("api_key_revoked", json!({"key_name": "Old CI key"})),
            _ => (
                "repo_blocklist_updated",
                json!({"repo_url": format!("https://github.com/{}", pick(rng, REPOS)), "patterns": ["*.env", "config/*"]}),
            ),
        }
    }
}
