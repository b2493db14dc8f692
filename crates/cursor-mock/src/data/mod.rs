//! The deterministic synthetic team: members, per-user daily activity, usage events, audit
//! events, AI-code commits and changes, historical agents. Everything is derived from the
//! seed by hashing, on demand, so that any amount of history costs no memory and team totals
//! are, by construction, sums over users.

use std::collections::HashMap;

use time::{Date, Duration, OffsetDateTime};

use crate::config::DataSizes;
use crate::dates::from_epoch_ms;

mod agents;
mod aicode;
mod analytics;
mod audit;
mod members;
mod usage;

pub use agents::SeedAgent;
pub use aicode::{Change, ChangeFile, Commit};
pub use analytics::{EditStats, ExtensionStats, Presence, UserDay};
pub use audit::AuditEvent;
pub use members::Member;
pub use usage::{TokenUsage, UsageEvent};

/// AI models named in analytics.
pub const ANALYTICS_MODELS: &[&str] = &["claude-sonnet-4.5", "gpt-5", "claude-opus-4.1", "gpt-4o", "gemini-2.5-pro"];
/// Models named in usage events.
pub const USAGE_MODELS: &[&str] = &["claude-4-opus", "claude-4-sonnet-thinking", "gpt-5", "claude-4.5-sonnet", "o3"];
/// Models recommended by `/v0/models`.
pub const AGENT_MODELS: &[&str] = &["claude-4-sonnet-thinking", "o3", "claude-4-opus-thinking", "gpt-5"];
/// File extensions (without the dot).
pub const EXTENSIONS: &[&str] = &["ts", "tsx", "py", "rs", "go", "java", "md", "json", "css", "sql"];
/// MCP tools and their servers.
pub const MCP_TOOLS: &[(&str, &str)] = &[
    ("read_file", "filesystem"),
    ("search_web", "brave-search"),
    ("create_issue", "github"),
    ("query", "postgres"),
    ("get_page", "notion"),
];
/// Cursor commands.
pub const COMMANDS: &[&str] = &["explain", "refactor", "fix", "generate-tests", "review", "docs"];
/// Client versions, oldest first.
pub const CLIENT_VERSIONS: &[&str] = &["1.4.5", "1.5.11", "1.6.26", "1.7.12"];
/// Repositories of the team (`owner/name`).
pub const REPOS: &[&str] = &[
    "acme-corp/web-app",
    "acme-corp/api-server",
    "acme-corp/mobile",
    "acme-corp/infra",
    "acme-corp/design-system",
    "acme-corp/data-pipeline",
    "alex-dev/dotfiles",
];

/// A deterministic generator for one piece of data, keyed by the seed and a path of numbers.
pub fn rng_for(seed: u64, parts: &[u64]) -> fastrand::Rng {
    let mut h = splitmix(seed ^ 0x5eed_c0de);
    for &p in parts {
        h = splitmix(h ^ p.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    }
    fastrand::Rng::with_seed(h)
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A stable hash of a string (FNV-1a), for ids derived from keys.
pub fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// `len` characters of base62 from a generator.
pub fn base62(rng: &mut fastrand::Rng, len: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    (0..len).map(|_| ALPHABET[rng.usize(..ALPHABET.len())] as char).collect()
}

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

fn round_to(value: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (value * f).round() / f
}

/// The whole synthetic team, immutable once built.
#[derive(Debug)]
pub struct TeamData {
    seed: u64,
    sizes: DataSizes,
    members: Vec<Member>,
    by_email: HashMap<String, usize>,
    by_user_id: HashMap<String, usize>,
    by_numeric_id: HashMap<u64, usize>,
    /// End of the commit and change history (the calendar now when the server started).
    anchor_ms: i64,
}

impl TeamData {
    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The sizes.
    pub fn sizes(&self) -> &DataSizes {
        &self.sizes
    }

    /// First day with data.
    pub fn first_day(&self) -> Date {
        let anchor = from_epoch_ms(self.anchor_ms).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        anchor.date() - Duration::days(i64::from(self.sizes.history_days.max(1)) - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn team() -> TeamData {
        TeamData::new(7, DataSizes::default(), datetime!(2025-06-15 12:00 UTC))
    }

    #[test]
    fn same_seed_same_team_other_seed_other_team() {
        let a = team();
        let b = team();
        let c = TeamData::new(8, DataSizes::default(), datetime!(2025-06-15 12:00 UTC));
        assert_eq!(a.members()[5].email, b.members()[5].email);
        assert_eq!(a.commit(3).commit_hash, b.commit(3).commit_hash);
        assert_ne!(a.commit(3).commit_hash, c.commit(3).commit_hash);
    }

    #[test]
    fn members_are_unique_and_findable_by_every_identifier() {
        let t = team();
        let emails: std::collections::HashSet<_> = t.members().iter().map(|m| &m.email).collect();
        assert_eq!(emails.len(), t.members().len());
        let m = &t.members()[17];
        assert_eq!(t.find_member(&m.email).unwrap().index, 17);
        assert_eq!(t.find_member(&m.user_id).unwrap().index, 17);
        assert_eq!(t.find_member(&m.numeric_id.to_string()).unwrap().index, 17);
        assert!(t.find_member("nobody@acme-corp.com").is_none());
    }

    #[test]
    fn commit_ranges_match_ingestion_times() {
        let t = team();
        let end = datetime!(2025-06-10 0:00 UTC);
        let start = datetime!(2025-06-01 0:00 UTC);
        let range = t.commit_range(start, end);
        assert!(!range.is_empty());
        for i in range.clone() {
            let at = t.commit(i).created_at;
            assert!(at >= start && at <= end, "commit {i} at {at}");
        }
        assert!(t.commit(range.start - 1).created_at > end);
        assert!(t.commit(range.end).created_at < start);
    }

    #[test]
    fn amended_commits_repeat_the_hash_and_commit_time() {
        let t = team();
        let amend = t.commit(7);
        let original = t.commit(8);
        assert_eq!(amend.commit_hash, original.commit_hash);
        assert_eq!(amend.commit_ts, original.commit_ts);
        assert!(amend.created_at > original.created_at);
    }

    #[test]
    fn non_ai_lines_never_go_negative() {
        let t = team();
        let mut saw_clamp = false;
        for i in 0..2000 {
            let c = t.commit(i);
            let ai = c.tab_lines_added + c.composer_lines_added;
            assert_eq!(c.non_ai_lines_added(), c.total_lines_added.saturating_sub(ai));
            saw_clamp |= ai > c.total_lines_added;
        }
        assert!(saw_clamp, "the data should exercise the max(0, …) clamp");
    }
}
