//! The report's figures, computed from the raw answers of the endpoints with no I/O, so that
//! every number can be unit-tested from hand-made rows. Fetching lives in
//! `commands/report.rs`; rendering in `report::text` and `report::html`.

use std::collections::{BTreeMap, HashMap};

use cursor_admin::{DailyUsageRow, MemberSpend, TeamMembers, UsageEvent};
use cursor_agents::Agent;
use cursor_aicode::AiCommit;
use cursor_analytics::{AgentEditsRow, DauRow, FileExtensionRow, ModelsRow, TabsRow};
use serde::Serialize;
use time::{Date, OffsetDateTime};

/// How many spenders, models, extensions and repositories the lists keep.
pub(crate) const TOP: usize = 10;

/// How many sources [`RawData`] holds: when all of them are unavailable, nothing prints.
pub(crate) const SOURCES: usize = 11;

/// Why a source gave nothing: the key may not read it (the section is skipped) or the request
/// failed another way (the section is skipped and the command fails after printing the rest).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unavailable {
    /// One line saying why, for the reader.
    pub(crate) reason: String,
    /// `true` for `401`/`403`: the key may not read this API, or the feature is off.
    pub(crate) permission: bool,
}

/// One source's answer, or why there is none.
pub(crate) type Part<T> = Result<T, Unavailable>;

/// The team's spend this billing cycle, every page of `/teams/spend`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SpendData {
    /// `subscriptionCycleStart`, epoch milliseconds.
    pub(crate) cycle_start_ms: i64,
    /// Every member's spend.
    pub(crate) members: Vec<MemberSpend>,
}

/// The dates the report covers: `days` consecutive UTC dates ending today (partial).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    /// The first date.
    pub(crate) first: Date,
    /// The last date: today, still in progress.
    pub(crate) today: Date,
}

impl Window {
    /// `days` dates ending with `today` (a day count means that many dates, today included).
    pub(crate) fn ending_today(days: u32, today: Date) -> Self {
        let back = time::Duration::days(i64::from(days.max(1)) - 1);
        Self { first: today - back, today }
    }

    /// Every date of the window, oldest first.
    pub(crate) fn dates(&self) -> Vec<Date> {
        let mut dates = Vec::new();
        let mut date = self.first;
        while date <= self.today {
            dates.push(date);
            match date.next_day() {
                Some(next) => date = next,
                None => break,
            }
        }
        dates
    }

    /// Whether `date` is inside the window.
    pub(crate) fn contains(&self, date: Date) -> bool {
        (self.first..=self.today).contains(&date)
    }
}

/// Everything the endpoints answered, one part per source.
#[derive(Debug)]
pub(crate) struct RawData {
    /// `GET /teams/members`.
    pub(crate) members: Part<TeamMembers>,
    /// `POST /teams/spend`, every page.
    pub(crate) spend: Part<SpendData>,
    /// `POST /teams/filtered-usage-events` from the cycle start (or the window's first date,
    /// whichever is earlier) until now.
    pub(crate) usage_events: Part<Vec<UsageEvent>>,
    /// `POST /teams/daily-usage-data` for the window.
    pub(crate) daily_usage: Part<Vec<DailyUsageRow>>,
    /// `/analytics/team/dau` for the window.
    pub(crate) dau: Part<Vec<DauRow>>,
    /// `/analytics/team/models` for the window.
    pub(crate) models: Part<Vec<ModelsRow>>,
    /// `/analytics/team/top-file-extensions` for the window.
    pub(crate) extensions: Part<Vec<FileExtensionRow>>,
    /// `/analytics/team/tabs` for the window.
    pub(crate) tabs: Part<Vec<TabsRow>>,
    /// `/analytics/team/agent-edits` for the window.
    pub(crate) agent_edits: Part<Vec<AgentEditsRow>>,
    /// `/analytics/ai-code/commits` for the window, every page.
    pub(crate) commits: Part<Vec<AiCommit>>,
    /// `GET /v0/agents`, every page.
    pub(crate) agents: Part<Vec<Agent>>,
}

/// The report: the `--json` document (camelCase) and what the text and HTML forms show.
/// A section is `null` when its source was unavailable; `skipped` says why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Report {
    /// The dates covered.
    pub(crate) window: WindowInfo,
    /// Members by role.
    pub(crate) members: Option<MembersSection>,
    /// Spend this billing cycle, from `/teams/spend`.
    pub(crate) spend: Option<SpendSection>,
    /// Usage-event costs this billing cycle, per model and included vs on-demand.
    pub(crate) spend_by_model: Option<ModelSpendSection>,
    /// One row per date of the window.
    pub(crate) daily: Vec<DayRow>,
    /// AI share of committed lines, per repository.
    pub(crate) ai_code: Option<AiCodeSection>,
    /// Tab suggestions shown and accepted.
    pub(crate) tab_acceptance: Option<Acceptance>,
    /// Agent diffs suggested and accepted.
    pub(crate) agent_acceptance: Option<Acceptance>,
    /// The most used models by messages.
    pub(crate) top_models: Option<Vec<ModelUse>>,
    /// The most used file extensions by lines accepted.
    pub(crate) top_file_extensions: Option<Vec<ExtensionUse>>,
    /// Cloud agents run.
    pub(crate) agents: Option<AgentsSection>,
    /// Sections left out, and why.
    pub(crate) skipped: Vec<Skipped>,
}

/// The dates covered.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WindowInfo {
    /// How many dates.
    pub(crate) days: usize,
    /// The first date, `YYYY-MM-DD`.
    pub(crate) first_date: String,
    /// The last date, today (partial).
    pub(crate) last_date: String,
    /// The date still in progress (always the last: today is included).
    pub(crate) partial_date: String,
}

/// A section left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Skipped {
    /// The section's title.
    pub(crate) section: String,
    /// Why.
    pub(crate) reason: String,
    /// `true` when the key may not read it (401/403); `false` for another failure.
    pub(crate) permission: bool,
}

/// Members by role.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MembersSection {
    /// Members still in the team.
    pub(crate) active: usize,
    /// Removed members the API still lists.
    pub(crate) removed: usize,
    /// Active members per role.
    pub(crate) by_role: BTreeMap<String, usize>,
}

/// Spend this billing cycle.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SpendSection {
    /// The cycle's first date.
    pub(crate) cycle_start: String,
    /// The team's spend, cents.
    pub(crate) total_cents: f64,
    /// Members with any spend.
    pub(crate) members_with_spend: usize,
    /// The highest spenders, highest first (ties by email).
    pub(crate) top_spenders: Vec<Spender>,
}

/// One member's spend.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Spender {
    /// Display name (may be empty).
    pub(crate) name: String,
    /// Email.
    pub(crate) email: String,
    /// Spend, cents.
    pub(crate) spend_cents: f64,
}

/// Usage-event costs (token cost plus the Cursor token fee) since the cycle start.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ModelSpendSection {
    /// The first date counted (the cycle start, or the window's first date without one).
    pub(crate) since: String,
    /// The totals over every model.
    pub(crate) total: CostSplit,
    /// Per model, most expensive first.
    pub(crate) models: Vec<ModelCost>,
}

/// Costs split by how they are billed.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CostSplit {
    /// Usage events counted.
    pub(crate) events: u64,
    /// Token cost plus the fee, cents.
    pub(crate) cents: f64,
    /// Of which `cursorTokenFee`, cents.
    pub(crate) token_fee_cents: f64,
    /// Of which in events included in the plan.
    pub(crate) included_cents: f64,
    /// Of which in on-demand (usage-based) events.
    pub(crate) on_demand_cents: f64,
}

impl CostSplit {
    fn add(&mut self, event: &UsageEvent) {
        let cents = event.dashboard_cents();
        self.events += 1;
        self.cents += cents;
        self.token_fee_cents += event.cursor_token_fee.unwrap_or(0.0);
        match billing(event) {
            Some(Billing::Included) => self.included_cents += cents,
            Some(Billing::OnDemand) => self.on_demand_cents += cents,
            None => {}
        }
    }
}

/// One model's costs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ModelCost {
    /// The model.
    pub(crate) model: String,
    /// Its costs.
    #[serde(flatten)]
    pub(crate) cost: CostSplit,
}

/// How an event is billed, when its `kind` says.
enum Billing {
    Included,
    OnDemand,
}

fn billing(event: &UsageEvent) -> Option<Billing> {
    let kind = event.kind()?.to_ascii_lowercase();
    if kind.contains("included") {
        Some(Billing::Included)
    } else if kind.contains("usage-based") || kind.contains("usage based") || kind.contains("on-demand") {
        Some(Billing::OnDemand)
    } else {
        None
    }
}

/// One date of the trend; a field is `null` when its source was unavailable.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DayRow {
    /// `YYYY-MM-DD`.
    pub(crate) date: String,
    /// Today, still in progress.
    pub(crate) partial: bool,
    /// Daily active users (Analytics).
    pub(crate) active_users: Option<u64>,
    /// Members marked active in the daily usage (Admin).
    pub(crate) active_members: Option<u64>,
    /// Usage-event costs that date, cents: all, included and on-demand.
    pub(crate) cost: Option<CostSplit>,
}

/// AI share of committed lines.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AiCodeSection {
    /// Every repository together.
    pub(crate) total: RepoShare,
    /// Per repository, most lines added first.
    pub(crate) repositories: Vec<RepoShare>,
    /// Repositories beyond the list.
    pub(crate) more_repositories: usize,
}

/// One repository's committed lines.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RepoShare {
    /// The repository (`all` for the total).
    pub(crate) repository: String,
    /// Commits.
    pub(crate) commits: u64,
    /// Lines added.
    pub(crate) lines_added: u64,
    /// Of which by AI (Tab plus Composer/Agent).
    pub(crate) ai_lines_added: u64,
    /// `aiLinesAdded / linesAdded`, 0 to 1 (`null` without lines).
    pub(crate) ai_share: Option<f64>,
}

impl RepoShare {
    fn add(&mut self, commit: &AiCommit) {
        self.commits += 1;
        self.lines_added += commit.total_lines_added.unwrap_or(0);
        self.ai_lines_added += commit.tab_lines_added.unwrap_or(0) + commit.composer_lines_added.unwrap_or(0);
    }

    fn finish(mut self) -> Self {
        self.ai_share = ratio(self.ai_lines_added, self.lines_added);
        self
    }
}

/// Suggestions and acceptances over the window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Acceptance {
    /// Suggestions shown (Tab) or diffs suggested (Agent).
    pub(crate) suggested: u64,
    /// Of which accepted.
    pub(crate) accepted: u64,
    /// `accepted / suggested`.
    pub(crate) rate: Option<f64>,
    /// Lines suggested.
    pub(crate) lines_suggested: u64,
    /// Lines accepted.
    pub(crate) lines_accepted: u64,
    /// `linesAccepted / linesSuggested`.
    pub(crate) line_rate: Option<f64>,
}

impl Acceptance {
    fn new(suggested: u64, accepted: u64, lines_suggested: u64, lines_accepted: u64) -> Self {
        Self {
            suggested,
            accepted,
            rate: ratio(accepted, suggested),
            lines_suggested,
            lines_accepted,
            line_rate: ratio(lines_accepted, lines_suggested),
        }
    }
}

/// One model's use.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ModelUse {
    /// The model.
    pub(crate) model: String,
    /// Messages over the window.
    pub(crate) messages: u64,
    /// The most users it had on one date.
    pub(crate) peak_daily_users: u64,
}

/// One file extension's use.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ExtensionUse {
    /// The extension, without the dot.
    pub(crate) extension: String,
    /// Lines accepted over the window (on the dates it was in the day's top 5).
    pub(crate) lines_accepted: u64,
    /// Suggestions accepted.
    pub(crate) accepts: u64,
}

/// Cloud agents.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AgentsSection {
    /// Agents listed.
    pub(crate) total: usize,
    /// Of which created during the window.
    pub(crate) created_in_window: usize,
    /// Agents listed, per status.
    pub(crate) by_status: BTreeMap<String, usize>,
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The UTC date of an epoch-milliseconds instant.
pub(crate) fn date_of_millis(ms: i64) -> Option<Date> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok().map(OffsetDateTime::date)
}

/// The date of a `YYYY-MM-DD…` text (a date or an ISO 8601 instant).
fn parse_day(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.get(..10)?, &format).ok()
}

/// Section titles, shared by the skip lines and the renderers.
pub(crate) mod titles {
    /// Members.
    pub(crate) const MEMBERS: &str = "Members";
    /// Spend.
    pub(crate) const SPEND: &str = "Spend this billing cycle";
    /// Spend by model.
    pub(crate) const SPEND_BY_MODEL: &str = "Spend by model this billing cycle";
    /// Active users per day.
    pub(crate) const ACTIVE_USERS: &str = "Active users per day";
    /// Active members per day.
    pub(crate) const ACTIVE_MEMBERS: &str = "Active members per day";
    /// AI share.
    pub(crate) const AI_CODE: &str = "AI share of committed lines";
    /// Tab acceptance.
    pub(crate) const TAB: &str = "Tab acceptance";
    /// Agent acceptance.
    pub(crate) const AGENT: &str = "Agent acceptance";
    /// Models.
    pub(crate) const MODELS: &str = "Most used models";
    /// Extensions.
    pub(crate) const EXTENSIONS: &str = "Most used file extensions";
    /// Agents.
    pub(crate) const AGENTS: &str = "Cloud agents";
}

/// Computes the report. `skipped` collects one entry per unavailable source, in section order.
pub(crate) fn compute(raw: &RawData, window: &Window) -> Report {
    let mut skipped = Vec::new();
    let mut take = |title: &str, part: Result<(), &Unavailable>| {
        if let Err(why) = part {
            skipped.push(Skipped { section: title.to_owned(), reason: why.reason.clone(), permission: why.permission });
        }
    };
    take(titles::MEMBERS, raw.members.as_ref().map(drop));
    take(titles::SPEND, raw.spend.as_ref().map(drop));
    take(titles::SPEND_BY_MODEL, raw.usage_events.as_ref().map(drop));
    take(titles::ACTIVE_USERS, raw.dau.as_ref().map(drop));
    take(titles::ACTIVE_MEMBERS, raw.daily_usage.as_ref().map(drop));
    take(titles::AI_CODE, raw.commits.as_ref().map(drop));
    take(titles::TAB, raw.tabs.as_ref().map(drop));
    take(titles::AGENT, raw.agent_edits.as_ref().map(drop));
    take(titles::MODELS, raw.models.as_ref().map(drop));
    take(titles::EXTENSIONS, raw.extensions.as_ref().map(drop));
    take(titles::AGENTS, raw.agents.as_ref().map(drop));

    let cycle_start = raw.spend.as_ref().ok().and_then(|s| date_of_millis(s.cycle_start_ms));
    Report {
        window: WindowInfo {
            days: window.dates().len(),
            first_date: window.first.to_string(),
            last_date: window.today.to_string(),
            partial_date: window.today.to_string(),
        },
        members: raw.members.as_ref().ok().map(members),
        spend: raw.spend.as_ref().ok().map(spend),
        spend_by_model: raw.usage_events.as_ref().ok().map(|e| spend_by_model(e, cycle_start.unwrap_or(window.first))),
        daily: daily(raw, window),
        ai_code: raw.commits.as_ref().ok().map(|c| ai_code(c)),
        tab_acceptance: raw.tabs.as_ref().ok().map(|rows| tab_acceptance(rows, window)),
        agent_acceptance: raw.agent_edits.as_ref().ok().map(|rows| agent_acceptance(rows, window)),
        top_models: raw.models.as_ref().ok().map(|rows| top_models(rows, window)),
        top_file_extensions: raw.extensions.as_ref().ok().map(|rows| top_extensions(rows, window)),
        agents: raw.agents.as_ref().ok().map(|a| agents(a, window)),
        skipped,
    }
}

fn members(members: &TeamMembers) -> MembersSection {
    let mut by_role = BTreeMap::new();
    let mut removed = 0;
    for member in &members.team_members {
        if member.is_active() {
            *by_role.entry(member.role.to_string()).or_default() += 1;
        } else {
            removed += 1;
        }
    }
    MembersSection { active: members.team_members.len() - removed, removed, by_role }
}

fn spend(data: &SpendData) -> SpendSection {
    let mut spenders: Vec<Spender> = data
        .members
        .iter()
        .map(|m| Spender {
            name: m.name.clone().unwrap_or_default(),
            email: m.email.clone(),
            spend_cents: m.spend_cents,
        })
        .collect();
    spenders.sort_by(|a, b| b.spend_cents.total_cmp(&a.spend_cents).then_with(|| a.email.cmp(&b.email)));
    let total_cents = spenders.iter().map(|s| s.spend_cents).sum();
    let members_with_spend = spenders.iter().filter(|s| s.spend_cents > 0.0).count();
    spenders.retain(|s| s.spend_cents > 0.0);
    spenders.truncate(TOP);
    SpendSection {
        cycle_start: date_of_millis(data.cycle_start_ms).map(|d| d.to_string()).unwrap_or_default(),
        total_cents,
        members_with_spend,
        top_spenders: spenders,
    }
}

fn spend_by_model(events: &[UsageEvent], since: Date) -> ModelSpendSection {
    let mut total = CostSplit::default();
    let mut per_model: HashMap<&str, CostSplit> = HashMap::new();
    for event in events {
        if event.timestamp_millis().and_then(date_of_millis).is_none_or(|d| d < since) {
            continue;
        }
        total.add(event);
        per_model.entry(event.model.as_str()).or_default().add(event);
    }
    let mut models: Vec<ModelCost> =
        per_model.into_iter().map(|(model, cost)| ModelCost { model: model.to_owned(), cost }).collect();
    models.sort_by(|a, b| b.cost.cents.total_cmp(&a.cost.cents).then_with(|| a.model.cmp(&b.model)));
    ModelSpendSection { since: since.to_string(), total, models }
}

fn daily(raw: &RawData, window: &Window) -> Vec<DayRow> {
    let mut rows: BTreeMap<Date, DayRow> = window
        .dates()
        .into_iter()
        .map(|date| {
            let row = DayRow {
                date: date.to_string(),
                partial: date == window.today,
                active_users: raw.dau.is_ok().then_some(0),
                active_members: raw.daily_usage.is_ok().then_some(0),
                cost: raw.usage_events.is_ok().then(CostSplit::default),
            };
            (date, row)
        })
        .collect();
    if let Ok(dau) = &raw.dau {
        for day in dau {
            let row = day.date.as_deref().and_then(parse_day).and_then(|d| rows.get_mut(&d));
            if let (Some(row), Some(users)) = (row, day.dau) {
                *row.active_users.get_or_insert(0) += users;
            }
        }
    }
    if let Ok(usage) = &raw.daily_usage {
        for day in usage.iter().filter(|d| d.is_active) {
            let date = day.day.as_deref().and_then(parse_day).or_else(|| date_of_millis(day.date));
            if let Some(row) = date.and_then(|d| rows.get_mut(&d)) {
                *row.active_members.get_or_insert(0) += 1;
            }
        }
    }
    if let Ok(events) = &raw.usage_events {
        for event in events {
            let row = event.timestamp_millis().and_then(date_of_millis).and_then(|d| rows.get_mut(&d));
            if let Some(cost) = row.and_then(|r| r.cost.as_mut()) {
                cost.add(event);
            }
        }
    }
    rows.into_values().collect()
}

fn ai_code(commits: &[AiCommit]) -> AiCodeSection {
    let mut total = RepoShare { repository: "all".to_owned(), ..RepoShare::default() };
    let mut per_repo: HashMap<&str, RepoShare> = HashMap::new();
    for commit in commits {
        total.add(commit);
        let name = commit.repo_name.as_deref().unwrap_or("(unknown)");
        per_repo
            .entry(name)
            .or_insert_with(|| RepoShare { repository: name.to_owned(), ..RepoShare::default() })
            .add(commit);
    }
    let mut repositories: Vec<RepoShare> = per_repo.into_values().map(RepoShare::finish).collect();
    repositories.sort_by(|a, b| b.lines_added.cmp(&a.lines_added).then_with(|| a.repository.cmp(&b.repository)));
    let more_repositories = repositories.len().saturating_sub(TOP);
    repositories.truncate(TOP);
    AiCodeSection { total: total.finish(), repositories, more_repositories }
}

fn in_window(day: Option<&str>, window: &Window) -> bool {
    day.and_then(parse_day).is_some_and(|d| window.contains(d))
}

fn tab_acceptance(rows: &[TabsRow], window: &Window) -> Acceptance {
    let rows = rows.iter().filter(|r| in_window(r.event_date.as_deref(), window));
    let (mut shown, mut accepted, mut lines_suggested, mut lines_accepted) = (0, 0, 0, 0);
    for row in rows {
        shown += row.total_suggestions.unwrap_or(0);
        accepted += row.total_accepts.unwrap_or(0);
        lines_suggested += row.total_lines_suggested.unwrap_or(0);
        lines_accepted += row.total_lines_accepted.unwrap_or(0);
    }
    Acceptance::new(shown, accepted, lines_suggested, lines_accepted)
}

fn agent_acceptance(rows: &[AgentEditsRow], window: &Window) -> Acceptance {
    let rows = rows.iter().filter(|r| in_window(r.event_date.as_deref(), window));
    let (mut suggested, mut accepted, mut lines_suggested, mut lines_accepted) = (0, 0, 0, 0);
    for row in rows {
        suggested += row.total_suggested_diffs.unwrap_or(0);
        accepted += row.total_accepted_diffs.unwrap_or(0);
        lines_suggested += row.total_lines_suggested.unwrap_or(0);
        lines_accepted += row.total_lines_accepted.unwrap_or(0);
    }
    Acceptance::new(suggested, accepted, lines_suggested, lines_accepted)
}

fn top_models(rows: &[ModelsRow], window: &Window) -> Vec<ModelUse> {
    let mut per_model: BTreeMap<&str, ModelUse> = BTreeMap::new();
    for row in rows.iter().filter(|r| in_window(r.date.as_deref(), window)) {
        for (model, usage) in row.model_breakdown.iter().flatten() {
            let entry = per_model.entry(model).or_insert_with(|| ModelUse {
                model: model.clone(),
                messages: 0,
                peak_daily_users: 0,
            });
            entry.messages += usage.messages.unwrap_or(0);
            entry.peak_daily_users = entry.peak_daily_users.max(usage.users.unwrap_or(0));
        }
    }
    let mut models: Vec<ModelUse> = per_model.into_values().collect();
    models.sort_by(|a, b| b.messages.cmp(&a.messages).then_with(|| a.model.cmp(&b.model)));
    models.truncate(TOP);
    models
}

fn top_extensions(rows: &[FileExtensionRow], window: &Window) -> Vec<ExtensionUse> {
    let mut per_extension: BTreeMap<&str, ExtensionUse> = BTreeMap::new();
    for row in rows.iter().filter(|r| in_window(r.event_date.as_deref(), window)) {
        let Some(extension) = row.file_extension.as_deref() else { continue };
        let entry = per_extension.entry(extension).or_insert_with(|| ExtensionUse {
            extension: extension.to_owned(),
            lines_accepted: 0,
            accepts: 0,
        });
        entry.lines_accepted += row.total_lines_accepted.unwrap_or(0);
        entry.accepts += row.total_accepts.unwrap_or(0);
    }
    let mut extensions: Vec<ExtensionUse> = per_extension.into_values().collect();
    extensions.sort_by(|a, b| b.lines_accepted.cmp(&a.lines_accepted).then_with(|| a.extension.cmp(&b.extension)));
    extensions.truncate(TOP);
    extensions
}

fn agents(agents: &[Agent], window: &Window) -> AgentsSection {
    let mut by_status = BTreeMap::new();
    for agent in agents {
        *by_status.entry(agent.status.to_string()).or_default() += 1;
    }
    let created_in_window = agents.iter().filter(|a| in_window(Some(&a.created_at), window)).count();
    AgentsSection { total: agents.len(), created_in_window, by_status }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::macros::date;

    use super::*;

    fn from<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
        serde_json::from_value(value).expect("a valid fixture")
    }

    /// Every source answered, with nothing in it.
    fn empty() -> RawData {
        RawData {
            members: Ok(TeamMembers::default()),
            spend: Ok(SpendData { cycle_start_ms: 0, members: Vec::new() }),
            usage_events: Ok(Vec::new()),
            daily_usage: Ok(Vec::new()),
            dau: Ok(Vec::new()),
            models: Ok(Vec::new()),
            extensions: Ok(Vec::new()),
            tabs: Ok(Vec::new()),
            agent_edits: Ok(Vec::new()),
            commits: Ok(Vec::new()),
            agents: Ok(Vec::new()),
        }
    }

    fn millis(date: Date, hour: u8) -> i64 {
        date.with_hms(hour, 0, 0).unwrap().assume_utc().unix_timestamp() * 1000
    }

    fn event(date: Date, model: &str, kind: &str, token_cents: f64, fee: f64) -> UsageEvent {
        from(json!({
            "timestamp": millis(date, 12).to_string(), "model": model, "kind": kind, "maxMode": false,
            "requestsCosts": 1, "isTokenBasedCall": true,
            "tokenUsage": {"totalCents": token_cents}, "cursorTokenFee": fee, "userEmail": "a@x.com"
        }))
    }

    const TODAY: Date = date!(2026 - 12 - 01);

    #[test]
    fn a_day_count_is_that_many_dates_ending_with_today() {
        let window = Window::ending_today(7, TODAY);
        let dates = window.dates();
        assert_eq!(dates.len(), 7);
        assert_eq!(dates.first(), Some(&date!(2026 - 11 - 25)));
        assert_eq!(dates.last(), Some(&TODAY));
        assert_eq!(Window::ending_today(1, TODAY).dates(), vec![TODAY]);
        let report = compute(&empty(), &window);
        assert_eq!(report.daily.len(), 7);
        assert_eq!(
            report.daily.iter().filter(|d| d.partial).map(|d| d.date.as_str()).collect::<Vec<_>>(),
            ["2026-12-01"]
        );
        assert_eq!(report.window.partial_date, "2026-12-01");
    }

    #[test]
    fn spend_by_model_counts_the_token_fee_and_splits_included_from_on_demand_since_the_cycle_start() {
        let cycle = date!(2026 - 11 - 28);
        let mut raw = empty();
        raw.spend = Ok(SpendData { cycle_start_ms: millis(cycle, 0), members: Vec::new() });
        raw.usage_events = Ok(vec![
            event(TODAY, "o3", "Usage-based", 10.0, 0.5),
            event(TODAY, "o3", "Included in Business", 4.0, 0.25),
            event(date!(2026 - 11 - 29), "gpt-5", "Usage-based", 30.0, 1.0),
            // Before the cycle: only in the per-day trend.
            event(date!(2026 - 11 - 27), "gpt-5", "Usage-based", 1000.0, 0.0),
        ]);
        let report = compute(&raw, &Window::ending_today(7, TODAY));
        let by_model = report.spend_by_model.unwrap();
        assert_eq!(by_model.since, "2026-11-28");
        assert_eq!(by_model.total.events, 3);
        assert!((by_model.total.cents - 45.75).abs() < 1e-9, "{:?}", by_model.total);
        assert!((by_model.total.token_fee_cents - 1.75).abs() < 1e-9);
        assert!((by_model.total.included_cents - 4.25).abs() < 1e-9);
        assert!((by_model.total.on_demand_cents - 41.5).abs() < 1e-9);
        let names: Vec<&str> = by_model.models.iter().map(|m| m.model.as_str()).collect();
        assert_eq!(names, ["gpt-5", "o3"], "most expensive first");
        assert_eq!(by_model.models[1].cost.events, 2);
        let day = |d: &str| report.daily.iter().find(|r| r.date == d).unwrap().cost.unwrap();
        assert!((day("2026-11-27").cents - 1000.0).abs() < 1e-9);
        assert!((day("2026-12-01").on_demand_cents - 10.5).abs() < 1e-9);
        assert_eq!(day("2026-11-30").events, 0);
    }

    #[test]
    fn daily_rows_take_active_users_and_members_from_their_sources() {
        let mut raw = empty();
        raw.dau =
            Ok(vec![from(json!({"date": "2026-11-30", "dau": 12})), from(json!({"date": "2026-10-01", "dau": 99}))]);
        let usage = |day: &str, active: bool| -> DailyUsageRow {
            from(json!({"date": 0, "day": day, "isActive": active, "totalLinesAdded": 0, "totalLinesDeleted": 0,
                "acceptedLinesAdded": 0, "acceptedLinesDeleted": 0, "totalApplies": 0, "totalAccepts": 0,
                "totalRejects": 0, "totalTabsShown": 0, "totalTabsAccepted": 0, "composerRequests": 0,
                "chatRequests": 0, "agentRequests": 0, "cmdkUsages": 0, "subscriptionIncludedReqs": 0,
                "apiKeyReqs": 0, "usageBasedReqs": 0, "bugbotUsages": 0}))
        };
        raw.daily_usage = Ok(vec![usage("2026-11-30", true), usage("2026-11-30", true), usage("2026-11-30", false)]);
        let report = compute(&raw, &Window::ending_today(2, TODAY));
        assert_eq!(report.daily.len(), 2);
        assert_eq!((report.daily[0].active_users, report.daily[0].active_members), (Some(12), Some(2)));
        assert_eq!((report.daily[1].active_users, report.daily[1].active_members), (Some(0), Some(0)));
    }

    #[test]
    fn ai_share_is_tab_plus_composer_lines_over_lines_added_per_repository() {
        let commit = |repo: &str, added: u64, tab: u64, composer: u64| -> AiCommit {
            from(
                json!({"repoName": repo, "totalLinesAdded": added, "tabLinesAdded": tab, "composerLinesAdded": composer}),
            )
        };
        let mut raw = empty();
        raw.commits =
            Ok(vec![commit("a/web", 100, 20, 30), commit("a/web", 100, 0, 0), commit("a/api", 300, 150, 150)]);
        let ai = compute(&raw, &Window::ending_today(7, TODAY)).ai_code.unwrap();
        assert_eq!(ai.repositories[0].repository, "a/api");
        assert_eq!(ai.repositories[0].ai_share, Some(1.0));
        assert_eq!((ai.repositories[1].commits, ai.repositories[1].ai_share), (2, Some(0.25)));
        assert_eq!((ai.total.commits, ai.total.lines_added, ai.total.ai_lines_added), (3, 500, 350));
        assert_eq!(ai.total.ai_share, Some(0.7));
    }

    #[test]
    fn acceptance_models_and_extensions_sum_the_window_only() {
        let mut raw = empty();
        raw.tabs = Ok(vec![
            from(
                json!({"event_date": "2026-11-30", "total_suggestions": 10, "total_accepts": 4, "total_lines_suggested": 20, "total_lines_accepted": 5}),
            ),
            from(json!({"event_date": "2026-01-01", "total_suggestions": 1000, "total_accepts": 1000})),
        ]);
        raw.models = Ok(vec![
            from(
                json!({"date": "2026-11-30", "model_breakdown": {"a": {"messages": 5, "users": 2}, "b": {"messages": 7, "users": 1}}}),
            ),
            from(json!({"date": "2026-12-01", "model_breakdown": {"a": {"messages": 5, "users": 3}}})),
        ]);
        raw.extensions = Ok(vec![
            from(
                json!({"event_date": "2026-11-30", "file_extension": "rs", "total_lines_accepted": 3, "total_accepts": 1}),
            ),
            from(
                json!({"event_date": "2026-12-01", "file_extension": "rs", "total_lines_accepted": 4, "total_accepts": 2}),
            ),
            from(
                json!({"event_date": "2026-12-01", "file_extension": "ts", "total_lines_accepted": 5, "total_accepts": 1}),
            ),
        ]);
        let report = compute(&raw, &Window::ending_today(7, TODAY));
        let tab = report.tab_acceptance.unwrap();
        assert_eq!((tab.suggested, tab.accepted, tab.rate, tab.line_rate), (10, 4, Some(0.4), Some(0.25)));
        let models = report.top_models.unwrap();
        assert_eq!((models[0].model.as_str(), models[0].messages, models[0].peak_daily_users), ("a", 10, 3));
        let extensions = report.top_file_extensions.unwrap();
        assert_eq!(
            (extensions[0].extension.as_str(), extensions[0].lines_accepted, extensions[0].accepts),
            ("rs", 7, 3)
        );
        assert_eq!(report.agent_acceptance.unwrap().rate, None, "no suggestions: no rate");
    }

    #[test]
    fn unavailable_sources_become_skipped_sections_and_empty_fields() {
        let refused = Unavailable { reason: "the key may not read the Admin API (403)".into(), permission: true };
        let mut raw = empty();
        raw.spend = Err(refused.clone());
        raw.usage_events = Err(refused.clone());
        raw.daily_usage = Err(refused);
        let report = compute(&raw, &Window::ending_today(3, TODAY));
        assert!(report.spend.is_none() && report.spend_by_model.is_none());
        assert!(
            report.daily.iter().all(|d| d.cost.is_none() && d.active_members.is_none() && d.active_users == Some(0))
        );
        let sections: Vec<&str> = report.skipped.iter().map(|s| s.section.as_str()).collect();
        assert_eq!(sections, [titles::SPEND, titles::SPEND_BY_MODEL, titles::ACTIVE_MEMBERS]);
        assert!(report.skipped.iter().all(|s| s.permission && s.reason.contains("Admin API")));
        assert!(report.ai_code.is_some() && report.agents.is_some());
        let json = serde_json::to_value(&report).unwrap();
        assert!(json["spend"].is_null() && json["spendByModel"].is_null() && json["aiCode"].is_object());
    }

    #[test]
    fn top_spenders_are_the_highest_spenders_and_the_total_counts_everyone() {
        let spender = |email: &str, cents: f64| -> MemberSpend {
            from(json!({"spendCents": cents, "fastPremiumRequests": 0, "email": email, "role": "member"}))
        };
        let mut members: Vec<MemberSpend> = (0..15).map(|i| spender(&format!("m{i:02}@x.com"), f64::from(i))).collect();
        members.push(spender("zero@x.com", 0.0));
        let mut raw = empty();
        raw.spend = Ok(SpendData { cycle_start_ms: millis(date!(2026 - 11 - 15), 0), members });
        let spend = compute(&raw, &Window::ending_today(7, TODAY)).spend.unwrap();
        assert_eq!(spend.cycle_start, "2026-11-15");
        assert_eq!(spend.total_cents, 105.0);
        assert_eq!(spend.members_with_spend, 14);
        assert_eq!(spend.top_spenders.len(), TOP);
        assert_eq!(spend.top_spenders[0].email, "m14@x.com");
        assert_eq!(spend.top_spenders[9].spend_cents, 5.0);
    }
}
