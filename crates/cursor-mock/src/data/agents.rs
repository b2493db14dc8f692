//! The historical Cloud Agents every team starts with.

use time::{Duration, OffsetDateTime};

use super::{REPOS, TeamData, base62, pick, rng_for};

const AGENT_TASKS: &[&str] = &[
    "Add README documentation",
    "Fix authentication bug",
    "Migrate tests to the new runner",
    "Add dark mode toggle",
    "Speed up the CI pipeline",
    "Remove dead feature flags",
    "Add pagination to the users endpoint",
    "Upgrade the ORM to the latest version",
];

/// A historical agent every team starts with.
#[derive(Debug, Clone)]
pub struct SeedAgent {
    /// `bc_…`.
    pub id: String,
    /// Name.
    pub name: String,
    /// `FINISHED`, `ERROR` or `EXPIRED`.
    pub status: &'static str,
    /// Repository URL.
    pub repository: String,
    /// Branch created.
    pub branch_name: String,
    /// Whether a PR was opened.
    pub auto_create_pr: bool,
    /// Whether the PR was opened as the GitHub App.
    pub open_as_cursor_github_app: bool,
    /// Summary when finished.
    pub summary: Option<String>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// The prompt.
    pub prompt: String,
}

impl TeamData {
    /// The historical agents every team starts with, newest first.
    pub fn seed_agents(&self, now: OffsetDateTime) -> Vec<SeedAgent> {
        (0..self.sizes.agents_per_team)
            .map(|i| {
                let mut rng = rng_for(self.seed, &[8, i as u64]);
                let task = *pick(&mut rng, AGENT_TASKS);
                let repo = *pick(&mut rng, &REPOS[..6]);
                let id = format!("bc_{}", base62(&mut rng, 20).to_ascii_lowercase());
                let status = match rng.u8(0..20) {
                    0..=13 => "FINISHED",
                    14..=15 => "ERROR",
                    _ => "EXPIRED",
                };
                let slug = task.to_ascii_lowercase().replace(' ', "-");
                SeedAgent {
                    name: task.to_owned(),
                    status,
                    repository: format!("https://github.com/{repo}"),
                    branch_name: format!("cursor/{slug}-{}", rng.u16(1000..10000)),
                    auto_create_pr: rng.bool(),
                    open_as_cursor_github_app: rng.bool(),
                    summary: (status == "FINISHED").then(|| format!("{task}: done, tests pass")),
                    created_at: now - Duration::hours(3 + i as i64 * 20) - Duration::minutes(rng.i64(0..59)),
                    prompt: format!("{task}, please"),
                    id,
                }
            })
            .collect()
    }
}
