//! The deterministic synthetic team: members, per-user daily activity, usage events, audit
//! events, AI-code commits and changes, historical agents. Everything is derived from the
//! seed by hashing, on demand, so that any amount of history costs no memory and team totals
//! are, by construction, sums over users.

use std::collections::HashMap;

use time::{Date, Duration, OffsetDateTime};

use crate::config::DataSizes;
use crate::dates::{epoch_ms, from_epoch_ms, midnight};

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

const FIRST_NAMES: &[(&str, &str)] = &[
    ("Alex", "alex"),
    ("Sam", "sam"),
    ("José", "jose"),
    ("Zoë", "zoe"),
    ("Łukasz", "lukasz"),
    ("Søren", "soren"),
    ("Chloé", "chloe"),
    ("Priya", "priya"),
    ("Wei", "wei"),
    ("Aiko", "aiko"),
    ("Mateus", "mateus"),
    ("Fatima", "fatima"),
    ("Olu", "olu"),
    ("Ingrid", "ingrid"),
    ("Diego", "diego"),
    ("Hana", "hana"),
    ("Noah", "noah"),
    ("Emma", "emma"),
    ("Liam", "liam"),
    ("Mia", "mia"),
    ("Yuki", "yuki"),
    ("Omar", "omar"),
    ("Ana", "ana"),
    ("Björn", "bjorn"),
];
const LAST_NAMES: &[(&str, &str)] = &[
    ("García", "garcia"),
    ("Müller", "muller"),
    ("Nowak", "nowak"),
    ("Smith", "smith"),
    ("Chen", "chen"),
    ("Tanaka", "tanaka"),
    ("O'Brien", "obrien"),
    ("Kowalski", "kowalski"),
    ("Silva", "silva"),
    ("Okafor", "okafor"),
    ("Johansson", "johansson"),
    ("Nguyen", "nguyen"),
    ("Patel", "patel"),
    ("Rossi", "rossi"),
    ("Dubois", "dubois"),
    ("Kim", "kim"),
];

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

/// One team member.
#[derive(Debug, Clone)]
pub struct Member {
    /// Position in the team, stable for a seed.
    pub index: usize,
    /// Encoded id, `user_…`.
    pub user_id: String,
    /// Numeric id, also accepted by user filters.
    pub numeric_id: u64,
    /// Display name (may contain non-ASCII letters).
    pub name: String,
    /// Email address.
    pub email: String,
    /// `owner`, `member` or `free-owner`.
    pub role: &'static str,
    /// Whether the member's client runs in privacy mode (AI-code metadata loses `fileName`).
    pub privacy_mode: bool,
}

/// Line counts of suggested and accepted edits.
#[derive(Debug, Clone, Copy, Default)]
pub struct EditStats {
    /// Suggestions shown (diffs for agent edits, completions for tabs).
    pub suggested: u64,
    /// Suggestions accepted (never more than suggested).
    pub accepted: u64,
    /// Added lines suggested.
    pub green_suggested: u64,
    /// Deleted lines suggested.
    pub red_suggested: u64,
    /// Added lines accepted.
    pub green_accepted: u64,
    /// Deleted lines accepted.
    pub red_accepted: u64,
}

impl EditStats {
    fn generate(rng: &mut fastrand::Rng, scale: u64) -> Self {
        let suggested = rng.u64(1..=scale);
        let accepted = rng.u64(0..=suggested);
        let green_suggested = suggested * rng.u64(2..12);
        let red_suggested = suggested * rng.u64(0..4);
        let green_accepted = rng.u64(0..=green_suggested);
        let red_accepted = rng.u64(0..=red_suggested);
        Self { suggested, accepted, green_suggested, red_suggested, green_accepted, red_accepted }
    }

    /// Field-wise sum.
    pub fn add(&mut self, other: &Self) {
        self.suggested += other.suggested;
        self.accepted += other.accepted;
        self.green_suggested += other.green_suggested;
        self.red_suggested += other.red_suggested;
        self.green_accepted += other.green_accepted;
        self.red_accepted += other.red_accepted;
    }

    /// Lines suggested, added plus deleted.
    pub fn lines_suggested(&self) -> u64 {
        self.green_suggested + self.red_suggested
    }

    /// Lines accepted, added plus deleted.
    pub fn lines_accepted(&self) -> u64 {
        self.green_accepted + self.red_accepted
    }
}

/// Activity on one file extension in one user-day.
#[derive(Debug, Clone, Copy)]
pub struct ExtensionStats {
    /// Extension without the dot.
    pub extension: &'static str,
    /// Files touched.
    pub files: u64,
    /// Suggestions accepted.
    pub accepts: u64,
    /// Suggestions rejected.
    pub rejects: u64,
    /// Lines suggested.
    pub lines_suggested: u64,
    /// Lines accepted (never more than suggested).
    pub lines_accepted: u64,
}

/// Whether a member shows up on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// No row at all.
    Absent,
    /// Opened Cursor but used no AI feature: a row with `isActive: false`.
    Idle,
    /// Used at least one AI feature.
    Active,
}

/// Everything one member did on one day; every metric of every API derives from this.
#[derive(Debug, Clone)]
pub struct UserDay {
    /// The day.
    pub date: Date,
    /// Whether the member shows up.
    pub presence: Presence,
    /// Used the CLI.
    pub cli: bool,
    /// Used Cloud Agents.
    pub cloud_agent: bool,
    /// Had a Bugbot review.
    pub bugbot: bool,
    /// Agent edits.
    pub agent: EditStats,
    /// Tab completions.
    pub tabs: EditStats,
    /// Messages per model.
    pub models: Vec<(&'static str, u64)>,
    /// Activity per file extension.
    pub extensions: Vec<ExtensionStats>,
    /// MCP tool calls: tool, server, count.
    pub mcp: Vec<(&'static str, &'static str, u64)>,
    /// Command uses.
    pub commands: Vec<(&'static str, u64)>,
    /// Plan-mode uses per model.
    pub plans: Vec<(&'static str, u64)>,
    /// Ask-mode uses per model.
    pub ask: Vec<(&'static str, u64)>,
    /// Latest client version that day.
    pub client_version: &'static str,
    /// Chat requests.
    pub chat_requests: u64,
    /// Composer requests.
    pub composer_requests: u64,
    /// Agent requests.
    pub agent_requests: u64,
    /// Cmd+K uses.
    pub cmdk_usages: u64,
    /// Bugbot uses.
    pub bugbot_usages: u64,
    /// Requests on the member's own API key.
    pub api_key_reqs: u64,
    /// Number of usage events that day.
    pub usage_events: u32,
    /// Lines written by hand, on top of accepted AI lines.
    pub manual_lines_added: u64,
    /// Lines deleted by hand.
    pub manual_lines_deleted: u64,
}

impl UserDay {
    /// The model with the most messages.
    pub fn favorite_model(&self) -> Option<&'static str> {
        self.models.iter().max_by_key(|(_, n)| *n).map(|(m, _)| *m)
    }
}

/// A token breakdown of a usage event.
#[derive(Debug, Clone, Copy)]
pub struct TokenUsage {
    /// Input tokens.
    pub input_tokens: u64,
    /// Output tokens.
    pub output_tokens: u64,
    /// Cache-write tokens.
    pub cache_write_tokens: u64,
    /// Cache-read tokens.
    pub cache_read_tokens: u64,
    /// Model cost in cents (fractional).
    pub total_cents: f64,
}

/// One usage event.
#[derive(Debug, Clone)]
pub struct UsageEvent {
    /// Epoch milliseconds.
    pub timestamp_ms: i64,
    /// Member index.
    pub member: usize,
    /// Model.
    pub model: &'static str,
    /// `Usage-based` or `Included in Business`.
    pub kind: &'static str,
    /// Max mode.
    pub max_mode: bool,
    /// Cost in request units.
    pub requests_costs: f64,
    /// Token breakdown; present exactly when the call is token based.
    pub token_usage: Option<TokenUsage>,
    /// Cursor Token Fee in cents.
    pub cursor_token_fee: f64,
    /// A free Bugbot use.
    pub is_free_bugbot: bool,
}

impl UsageEvent {
    /// What the event adds to the member's spend, in cents: model cost plus the token fee.
    pub fn charged_cents(&self) -> f64 {
        match (&self.token_usage, self.kind) {
            (Some(t), "Usage-based") => t.total_cents + self.cursor_token_fee,
            _ => 0.0,
        }
    }
}

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
    /// Builds the team of a seed; commits and changes end at `anchor`.
    pub fn new(seed: u64, sizes: DataSizes, anchor: OffsetDateTime) -> Self {
        let mut members = Vec::with_capacity(sizes.members);
        let mut seen = std::collections::HashSet::new();
        for index in 0..sizes.members.max(1) {
            let mut rng = rng_for(seed, &[1, index as u64]);
            let (first, first_ascii) = *pick(&mut rng, FIRST_NAMES);
            let (last, last_ascii) = *pick(&mut rng, LAST_NAMES);
            let mut email = format!("{first_ascii}.{last_ascii}@acme-corp.com");
            if !seen.insert(email.clone()) {
                email = format!("{first_ascii}.{last_ascii}{index}@acme-corp.com");
                seen.insert(email.clone());
            }
            let role = match index {
                0 | 1 => "owner",
                2 => "free-owner",
                _ => "member",
            };
            members.push(Member {
                index,
                user_id: format!("user_{}", base62(&mut rng, 26)),
                numeric_id: 10_001 + index as u64,
                name: format!("{first} {last}"),
                email,
                role,
                privacy_mode: index % 9 == 4,
            });
        }
        let by_email = members.iter().map(|m| (m.email.to_ascii_lowercase(), m.index)).collect();
        let by_user_id = members.iter().map(|m| (m.user_id.clone(), m.index)).collect();
        let by_numeric_id = members.iter().map(|m| (m.numeric_id, m.index)).collect();
        Self { seed, sizes, members, by_email, by_user_id, by_numeric_id, anchor_ms: epoch_ms(anchor) }
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The sizes.
    pub fn sizes(&self) -> &DataSizes {
        &self.sizes
    }

    /// All members, in team order.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// A member by email, `user_…` id or numeric id.
    pub fn find_member(&self, ident: &str) -> Option<&Member> {
        let ident = ident.trim();
        let index = if ident.contains('@') {
            self.by_email.get(&ident.to_ascii_lowercase()).copied()
        } else if ident.starts_with("user_") {
            self.by_user_id.get(ident).copied()
        } else {
            ident.parse::<u64>().ok().and_then(|n| self.by_numeric_id.get(&n).copied())
        };
        index.map(|i| &self.members[i])
    }

    /// First day with data.
    pub fn first_day(&self) -> Date {
        let anchor = from_epoch_ms(self.anchor_ms).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        anchor.date() - Duration::days(i64::from(self.sizes.history_days.max(1)) - 1)
    }

    /// What a member did on a day (nothing before the history starts).
    pub fn user_day(&self, member: usize, date: Date) -> UserDay {
        let day = date.to_julian_day() as u64;
        let mut rng = rng_for(self.seed, &[2, member as u64, day]);
        let weekend = matches!(date.weekday(), time::Weekday::Saturday | time::Weekday::Sunday);
        let roll = rng.f64();
        let presence = if date < self.first_day() {
            Presence::Absent
        } else if weekend {
            if roll < 0.2 {
                Presence::Active
            } else if roll < 0.25 {
                Presence::Idle
            } else {
                Presence::Absent
            }
        } else if roll < 0.7 {
            Presence::Active
        } else if roll < 0.8 {
            Presence::Idle
        } else {
            Presence::Absent
        };
        // Versions roll out over time: later days and some members run newer clients.
        let version_step = (day + (member as u64 * 37) % 90) / 30;
        let client_version = CLIENT_VERSIONS[(version_step as usize) % CLIENT_VERSIONS.len()];
        let mut out = UserDay {
            date,
            presence,
            cli: false,
            cloud_agent: false,
            bugbot: false,
            agent: EditStats::default(),
            tabs: EditStats::default(),
            models: Vec::new(),
            extensions: Vec::new(),
            mcp: Vec::new(),
            commands: Vec::new(),
            plans: Vec::new(),
            ask: Vec::new(),
            client_version,
            chat_requests: 0,
            composer_requests: 0,
            agent_requests: 0,
            cmdk_usages: 0,
            bugbot_usages: 0,
            api_key_reqs: 0,
            usage_events: 0,
            manual_lines_added: 0,
            manual_lines_deleted: 0,
        };
        if presence == Presence::Idle {
            out.manual_lines_added = rng.u64(0..40);
            out.manual_lines_deleted = rng.u64(0..15);
        }
        if presence != Presence::Active {
            return out;
        }
        out.cli = rng.f64() < 0.15;
        out.cloud_agent = rng.f64() < 0.3;
        out.bugbot = rng.f64() < 0.2;
        out.agent = EditStats::generate(&mut rng, 30);
        out.tabs = EditStats::generate(&mut rng, 150);
        let mut models = ANALYTICS_MODELS.to_vec();
        rng.shuffle(&mut models);
        for model in models.iter().take(rng.usize(1..=3)) {
            out.models.push((model, rng.u64(1..60)));
        }
        let mut extensions = EXTENSIONS.to_vec();
        rng.shuffle(&mut extensions);
        for ext in extensions.iter().take(rng.usize(1..=3)) {
            let lines_suggested = rng.u64(5..400);
            let lines_accepted = rng.u64(0..=lines_suggested);
            out.extensions.push(ExtensionStats {
                extension: ext,
                files: rng.u64(1..12),
                accepts: rng.u64(0..20),
                rejects: rng.u64(0..10),
                lines_suggested,
                lines_accepted,
            });
        }
        if rng.f64() < 0.4 {
            let (tool, server) = *pick(&mut rng, MCP_TOOLS);
            out.mcp.push((tool, server, rng.u64(1..30)));
        }
        if rng.f64() < 0.5 {
            out.commands.push((*pick(&mut rng, COMMANDS), rng.u64(1..15)));
        }
        if rng.f64() < 0.35 {
            out.plans.push((*pick(&mut rng, ANALYTICS_MODELS), rng.u64(1..20)));
        }
        if rng.f64() < 0.45 {
            out.ask.push((*pick(&mut rng, ANALYTICS_MODELS), rng.u64(1..25)));
        }
        out.chat_requests = rng.u64(0..80);
        out.composer_requests = rng.u64(0..40);
        out.agent_requests = out.agent.suggested.min(rng.u64(0..25));
        out.cmdk_usages = rng.u64(0..50);
        out.bugbot_usages = if out.bugbot { rng.u64(1..5) } else { 0 };
        out.api_key_reqs = if rng.f64() < 0.1 { rng.u64(1..20) } else { 0 };
        out.usage_events = rng.u32(0..7);
        out.manual_lines_added = rng.u64(0..300);
        out.manual_lines_deleted = rng.u64(0..120);
        out
    }

    /// The usage events of a member on a day, oldest first.
    pub fn usage_events(&self, member: usize, date: Date) -> Vec<UsageEvent> {
        self.usage_events_of(member, &self.user_day(member, date))
    }

    /// [`usage_events`](Self::usage_events) for a day already computed (a handler that has the
    /// `UserDay` need not generate it twice).
    pub fn usage_events_of(&self, member: usize, user_day: &UserDay) -> Vec<UsageEvent> {
        let date = user_day.date;
        let day_start = epoch_ms(midnight(date));
        let mut rng = rng_for(self.seed, &[3, member as u64, date.to_julian_day() as u64]);
        let mut offsets: Vec<i64> = (0..user_day.usage_events).map(|_| rng.i64(0..86_400_000)).collect();
        offsets.sort_unstable();
        offsets
            .into_iter()
            .map(|offset| {
                let model = *pick(&mut rng, USAGE_MODELS);
                let roll = rng.f64();
                let max_mode = rng.bool();
                if roll < 0.6 {
                    let input_tokens = rng.u64(50..8_000);
                    let output_tokens = rng.u64(50..2_000);
                    let cache_write_tokens = rng.u64(0..12_000);
                    let cache_read_tokens = rng.u64(0..20_000);
                    let total_cents = input_tokens as f64 * 0.0015
                        + output_tokens as f64 * 0.0075
                        + cache_write_tokens as f64 * 0.001_875
                        + cache_read_tokens as f64 * 0.000_15;
                    let tokens = input_tokens + output_tokens + cache_write_tokens + cache_read_tokens;
                    UsageEvent {
                        timestamp_ms: day_start + offset,
                        member,
                        model,
                        kind: "Usage-based",
                        max_mode,
                        requests_costs: round_to(total_cents / 4.0, 1).max(0.1),
                        token_usage: Some(TokenUsage {
                            input_tokens,
                            output_tokens,
                            cache_write_tokens,
                            cache_read_tokens,
                            total_cents,
                        }),
                        cursor_token_fee: round_to(tokens as f64 / 1_000_000.0 * 25.0, 2),
                        is_free_bugbot: false,
                    }
                } else {
                    UsageEvent {
                        timestamp_ms: day_start + offset,
                        member,
                        model,
                        kind: "Included in Business",
                        max_mode,
                        requests_costs: round_to(rng.f64() * 2.0, 1),
                        token_usage: None,
                        cursor_token_fee: 0.0,
                        is_free_bugbot: roll > 0.95,
                    }
                }
            })
            .collect()
    }

    /// What a member was charged on a day up to `until_ms` (epoch ms), in cents.
    pub fn spend_cents(&self, member: usize, date: Date, until_ms: i64) -> f64 {
        self.usage_events(member, date)
            .iter()
            .filter(|e| e.timestamp_ms <= until_ms)
            .map(UsageEvent::charged_cents)
            .sum()
    }

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
