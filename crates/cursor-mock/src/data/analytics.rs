//! What each member did each day (the Analytics API's figures): edits, tabs, requests,
//! models, extensions and presence.

use time::Date;

use super::{ANALYTICS_MODELS, CLIENT_VERSIONS, COMMANDS, EXTENSIONS, MCP_TOOLS, TeamData, pick, rng_for};

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

impl TeamData {
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
}
