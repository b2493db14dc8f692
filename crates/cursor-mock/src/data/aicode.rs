//! AI-code commits and changes (the AI Code Tracking API): two streams ingested over the
//! history, newest first, with amended commits.

use time::{Duration, OffsetDateTime};

use super::{ANALYTICS_MODELS, EXTENSIONS, REPOS, TeamData, pick, rng_for};
use crate::dates::{epoch_ms, from_epoch_ms};

/// Commit messages with what real ones contain: commas, quotes, newlines, CRLF, non-ASCII.
const COMMIT_MESSAGES: &[&str] = &[
    "Refactor: extract analytics client",
    "Fix off-by-one in pagination, add tests",
    "Add \"retry\" option to the HTTP client",
    "Merge branch 'main' into feature/billing",
    "Update README\n\nDocument the new --dry-run flag, and the env vars.",
    "Corrige l'affichage des dates (fuseau horaire) — café",
    "修复登录页面的编码问题",
    "Bump deps: serde 1.0.200, tokio 1.40",
    "WIP: \"quoted\", commas, and\r\nCRLF line endings",
    "feat(api): support ümlauts and emoji 🚀 in names",
    "chore: lint fixes",
    "Revert \"Add caching layer\"",
];

/// One AI-code commit.
#[derive(Debug, Clone)]
pub struct Commit {
    /// Git hash; an amended commit repeats the hash of the commit it amends.
    pub commit_hash: String,
    /// Member index.
    pub member: usize,
    /// Repository, sometimes unknown.
    pub repo_name: Option<&'static str>,
    /// Branch, sometimes unknown.
    pub branch_name: Option<String>,
    /// Whether the branch is the default one, unknown when the branch is.
    pub is_primary_branch: Option<bool>,
    /// Lines added.
    pub total_lines_added: u64,
    /// Lines deleted.
    pub total_lines_deleted: u64,
    /// Lines added by Tab.
    pub tab_lines_added: u64,
    /// Lines deleted by Tab.
    pub tab_lines_deleted: u64,
    /// Lines added by Composer.
    pub composer_lines_added: u64,
    /// Lines deleted by Composer.
    pub composer_lines_deleted: u64,
    /// Commit message, sometimes unknown.
    pub message: Option<String>,
    /// Commit time (kept by an amend), sometimes unknown.
    pub commit_ts: Option<OffsetDateTime>,
    /// Ingestion time; commits are ordered by it, newest first.
    pub created_at: OffsetDateTime,
}

impl Commit {
    /// `max(0, total − AI)` added lines.
    pub fn non_ai_lines_added(&self) -> u64 {
        self.total_lines_added.saturating_sub(self.tab_lines_added + self.composer_lines_added)
    }

    /// `max(0, total − AI)` deleted lines.
    pub fn non_ai_lines_deleted(&self) -> u64 {
        self.total_lines_deleted.saturating_sub(self.tab_lines_deleted + self.composer_lines_deleted)
    }
}

/// One file of an AI change.
#[derive(Debug, Clone)]
pub struct ChangeFile {
    /// Path, absent in privacy mode.
    pub file_name: Option<String>,
    /// Extension without the dot.
    pub file_extension: &'static str,
    /// Lines added.
    pub lines_added: u64,
    /// Lines deleted.
    pub lines_deleted: u64,
}

/// One accepted AI change.
#[derive(Debug, Clone)]
pub struct Change {
    /// Deterministic numeric id, as a string.
    pub change_id: String,
    /// Member index.
    pub member: usize,
    /// `TAB` or `COMPOSER`.
    pub source: &'static str,
    /// Model, unknown for Tab and sometimes for Composer.
    pub model: Option<&'static str>,
    /// Ingestion time; changes are ordered by it, newest first.
    pub created_at: OffsetDateTime,
    /// Files touched; totals are their sums.
    pub files: Vec<ChangeFile>,
}

impl Change {
    /// Sum of added lines over files.
    pub fn total_lines_added(&self) -> u64 {
        self.files.iter().map(|f| f.lines_added).sum()
    }

    /// Sum of deleted lines over files.
    pub fn total_lines_deleted(&self) -> u64 {
        self.files.iter().map(|f| f.lines_deleted).sum()
    }
}

impl TeamData {
    /// Milliseconds between two consecutive commits (or changes) when `count` fill the history.
    fn slot_ms(&self, count: u64) -> i64 {
        let history_ms = i64::from(self.sizes.history_days.max(1)) * 86_400_000;
        (history_ms / count.max(1) as i64).max(1)
    }

    /// Ingestion time of item `i` of a stream of `count`; strictly decreasing with `i`.
    fn created_ms(&self, stream: u64, count: u64, i: u64) -> i64 {
        let slot = self.slot_ms(count);
        let jitter = rng_for(self.seed, &[stream, i, 99]).i64(0..slot);
        self.anchor_ms - i as i64 * slot - jitter
    }

    /// Indices `lo..hi` of a stream whose ingestion time lies in `[start, end]`.
    fn index_range(&self, stream: u64, count: u64, start: OffsetDateTime, end: OffsetDateTime) -> std::ops::Range<u64> {
        if count == 0 || start > end {
            return 0..0;
        }
        let slot = self.slot_ms(count);
        let (start, end) = (epoch_ms(start), epoch_ms(end));
        let lo = if end >= self.anchor_ms {
            0
        } else {
            let k = ((self.anchor_ms - end) / slot) as u64;
            if k < count && self.created_ms(stream, count, k) <= end { k } else { k + 1 }
        };
        let hi_inclusive = if start > self.anchor_ms {
            return 0..0;
        } else {
            let k = ((self.anchor_ms - start) / slot) as u64;
            if k >= count {
                count - 1
            } else if self.created_ms(stream, count, k) >= start {
                k
            } else if k == 0 {
                return 0..0;
            } else {
                k - 1
            }
        };
        let hi = (hi_inclusive + 1).min(count);
        if lo >= hi { 0..0 } else { lo..hi }
    }

    /// Commit indices ingested in `[start, end]`, newest first.
    pub fn commit_range(&self, start: OffsetDateTime, end: OffsetDateTime) -> std::ops::Range<u64> {
        self.index_range(6, self.sizes.commits, start, end)
    }

    /// Change indices ingested in `[start, end]`, newest first.
    pub fn change_range(&self, start: OffsetDateTime, end: OffsetDateTime) -> std::ops::Range<u64> {
        self.index_range(7, self.sizes.changes, start, end)
    }

    /// Whether commit `i` amends commit `i + 1` (same hash and commit time, newer ingestion).
    fn is_amend(&self, i: u64) -> bool {
        i % 41 == 7 && i + 1 < self.sizes.commits
    }

    fn base_commit(&self, i: u64) -> Commit {
        let mut rng = rng_for(self.seed, &[6, i]);
        let created_at = from_epoch_ms(self.created_ms(6, self.sizes.commits, i)).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let member = rng.usize(..self.members.len());
        let hash_bytes: Vec<u8> =
            [rng.u64(..), rng.u64(..), rng.u64(..)].iter().flat_map(|w| w.to_be_bytes()).take(20).collect();
        let commit_hash = hex::encode(hash_bytes);
        let repo_name = if rng.f64() < 0.03 { None } else { Some(*pick(&mut rng, &REPOS[..6])) };
        let branch_name = match (repo_name, rng.u8(0..10)) {
            (None, _) => None,
            (Some(_), 0..=5) => Some("main".to_owned()),
            (Some(_), 6) => None,
            (Some(_), n) => Some(format!("feature/task-{}", u64::from(n) * 100 + rng.u64(0..100))),
        };
        let is_primary_branch = match &branch_name {
            None => None,
            Some(_) if rng.f64() < 0.03 => None,
            Some(b) => Some(b == "main"),
        };
        let total_lines_added = rng.u64(1..400);
        let total_lines_deleted = rng.u64(0..150);
        // Attribution comes from a different source than the diff, so AI lines can exceed
        // the total now and then; that is why non-AI lines are max(0, total − AI).
        let ai_share = if rng.f64() < 0.05 { 1.3 } else { rng.f64() };
        let ai_added = (total_lines_added as f64 * ai_share) as u64;
        let tab_lines_added = rng.u64(0..=ai_added);
        let composer_lines_added = ai_added - tab_lines_added;
        let ai_deleted = (total_lines_deleted as f64 * ai_share) as u64;
        let tab_lines_deleted = rng.u64(0..=ai_deleted);
        let composer_lines_deleted = ai_deleted - tab_lines_deleted;
        let message = if rng.f64() < 0.02 { None } else { Some((*pick(&mut rng, COMMIT_MESSAGES)).to_owned()) };
        let commit_ts = if rng.f64() < 0.01 { None } else { Some(created_at - Duration::seconds(rng.i64(5..900))) };
        Commit {
            commit_hash,
            member,
            repo_name,
            branch_name,
            is_primary_branch,
            total_lines_added,
            total_lines_deleted,
            tab_lines_added,
            tab_lines_deleted,
            composer_lines_added,
            composer_lines_deleted,
            message,
            commit_ts,
            created_at,
        }
    }

    /// Commit `i` (0 is the newest).
    pub fn commit(&self, i: u64) -> Commit {
        if !self.is_amend(i) {
            return self.base_commit(i);
        }
        let original = self.base_commit(i + 1);
        let own = self.base_commit(i);
        Commit {
            message: Some(format!(
                "{}\n\nAmended: add missing tests, fix typo",
                original.message.as_deref().unwrap_or("Untitled")
            )),
            total_lines_added: original.total_lines_added + 12,
            created_at: own.created_at,
            ..original
        }
    }

    /// Change `i` (0 is the newest).
    pub fn change(&self, i: u64) -> Change {
        let mut rng = rng_for(self.seed, &[7, i]);
        let created_at = from_epoch_ms(self.created_ms(7, self.sizes.changes, i)).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let member = rng.usize(..self.members.len());
        let source = if rng.bool() { "TAB" } else { "COMPOSER" };
        let model =
            if source == "COMPOSER" && rng.f64() < 0.8 { Some(*pick(&mut rng, ANALYTICS_MODELS)) } else { None };
        let privacy = self.members[member].privacy_mode;
        let files = (0..rng.usize(1..=3))
            .map(|_| {
                let ext = *pick(&mut rng, EXTENSIONS);
                let dir = *pick(&mut rng, &["src", "src/analytics", "lib", "tests", "docs"]);
                let stem = *pick(&mut rng, &["report", "ui", "helpers", "client", "mod"]);
                ChangeFile {
                    file_name: (!privacy).then(|| format!("{dir}/{stem}.{ext}")),
                    file_extension: ext,
                    lines_added: rng.u64(1..40),
                    lines_deleted: rng.u64(0..10),
                }
            })
            .collect();
        Change {
            change_id: (700_000_000 + (self.seed % 1000) * 1_000_000 + i).to_string(),
            member,
            source,
            model,
            created_at,
            files,
        }
    }
}
