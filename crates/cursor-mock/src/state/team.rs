//! The mutable state of one team (one API key): billing groups, blocklists, spend limits,
//! Bugbot repositories, agents, model access, and how agents move along the clock.

use std::collections::HashMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;

use super::TeamContext;
use crate::data::hash_str;
use crate::webhooks::WebhookJob;

/// A member's stay in a billing group.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Membership {
    /// Member index.
    pub member: usize,
    /// When they joined.
    #[serde(with = "crate::dates::rfc3339")]
    pub joined_at: OffsetDateTime,
    /// When they left, for former members.
    #[serde(with = "crate::dates::rfc3339::option")]
    pub left_at: Option<OffsetDateTime>,
}

/// A billing group.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Group {
    /// `group_…`.
    pub id: String,
    /// Name.
    pub name: String,
    /// SCIM directory group it syncs with; such groups refuse member edits.
    pub directory_group_id: Option<String>,
    /// Created.
    #[serde(with = "crate::dates::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Last changed.
    #[serde(with = "crate::dates::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Current members.
    pub members: Vec<Membership>,
    /// Members who left.
    pub former: Vec<Membership>,
}

/// A repository blocklist.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BlocklistRepo {
    /// `repo_…`.
    pub id: String,
    /// Repository URL.
    pub url: String,
    /// Glob patterns.
    pub patterns: Vec<String>,
}

/// Agent status as the API spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AgentStatus {
    /// Being set up.
    Creating,
    /// Working.
    Running,
    /// Done.
    Finished,
    /// Failed.
    Error,
    /// Too old to resume.
    Expired,
}

impl AgentStatus {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Creating => "CREATING",
            Self::Running => "RUNNING",
            Self::Finished => "FINISHED",
            Self::Error => "ERROR",
            Self::Expired => "EXPIRED",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "CREATING" => Self::Creating,
            "RUNNING" => Self::Running,
            "ERROR" => Self::Error,
            "EXPIRED" => Self::Expired,
            _ => Self::Finished,
        }
    }
}

/// A message of an agent's conversation.
#[derive(Debug, Clone, Serialize)]
pub struct AgentMessage {
    /// `msg_…`.
    pub id: String,
    /// `user_message` or `assistant_message`.
    pub kind: &'static str,
    /// Text.
    pub text: String,
}

/// Where an agent reports its status changes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgentWebhook {
    /// Receiver.
    pub url: String,
    /// HMAC secret, if any.
    pub secret: Option<String>,
}

/// The current run of an agent, in simulated time.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgentRun {
    /// When `CREATING` ends.
    pub running_at: Duration,
    /// When the run ends.
    pub ends_at: Duration,
    /// Whether it ends in `ERROR`.
    pub fails: bool,
}

/// A cloud agent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Agent {
    /// `bc_…`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Status.
    pub status: AgentStatus,
    /// Source repository.
    pub repository: String,
    /// Source ref.
    pub source_ref: Option<String>,
    /// Branch the agent works on.
    pub branch_name: String,
    /// Open a PR when done.
    pub auto_create_pr: bool,
    /// Open the PR as the GitHub App.
    pub open_as_cursor_github_app: bool,
    /// Do not request the user's review.
    pub skip_reviewer_request: bool,
    /// PR, once opened.
    pub pr_url: Option<String>,
    /// Summary, once finished.
    pub summary: Option<String>,
    /// Created.
    #[serde(with = "crate::dates::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Model asked for.
    pub model: Option<String>,
    /// Webhook.
    pub webhook: Option<AgentWebhook>,
    /// Conversation.
    pub messages: Vec<AgentMessage>,
    /// Deleted agents stay as tombstones so that later calls answer `409`.
    pub deleted: bool,
    /// The run in progress.
    pub run: Option<AgentRun>,
    /// PR number, stable per agent.
    pub pr_number: u32,
}

impl Agent {
    /// Appends a message.
    pub fn push_message(&mut self, kind: &'static str, text: impl Into<String>) {
        let id = format!("msg_{:03}", self.messages.len() + 1);
        self.messages.push(AgentMessage { id, kind, text: text.into() });
    }

    /// Starts a run now; a fresh launch goes through `CREATING`, a resumed agent does not.
    pub fn start_run(&mut self, ctx: &TeamContext<'_>, fresh: bool, fails: bool) {
        let timing = ctx.config.agent_timing;
        let running_at = ctx.sim_now + if fresh { timing.creating } else { Duration::ZERO };
        self.status = if fresh { AgentStatus::Creating } else { AgentStatus::Running };
        self.summary = None;
        self.run = Some(AgentRun { running_at, ends_at: running_at + timing.running, fails });
    }

    /// Ends the run now with a status; returns the webhook job if one is due.
    pub fn finish(&mut self, status: AgentStatus, summary: &str, now: OffsetDateTime) -> Option<WebhookJob> {
        self.run = None;
        self.status = status;
        if status == AgentStatus::Finished {
            self.summary = Some(summary.to_owned());
            if self.auto_create_pr {
                let repo = self.repository.trim_end_matches('/');
                self.pr_url = Some(format!("{repo}/pull/{}", self.pr_number));
            }
            self.push_message("assistant_message", summary);
        } else {
            self.push_message("assistant_message", summary);
        }
        let hook = self.webhook.clone()?;
        Some(WebhookJob::status_change(self, &hook, now))
    }

    /// Moves the agent along the clock.
    fn advance(&mut self, ctx: &TeamContext<'_>) -> Option<WebhookJob> {
        let run = self.run.clone()?;
        if self.status == AgentStatus::Creating && ctx.sim_now >= run.running_at {
            self.status = AgentStatus::Running;
            self.push_message(
                "assistant_message",
                "I'll start by analyzing the repository structure and then make the changes.",
            );
        }
        if ctx.sim_now >= run.ends_at {
            return if run.fails {
                self.finish(AgentStatus::Error, "The agent hit an error and stopped.", ctx.now)
            } else {
                let summary = format!("Done: {}", self.name);
                self.finish(AgentStatus::Finished, &summary, ctx.now)
            };
        }
        None
    }
}

/// The mutable state of one team (one API key).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TeamState {
    /// Billing groups other than `Unassigned`, in creation order.
    pub groups: Vec<Group>,
    /// Serial for new group ids.
    pub next_group: u64,
    /// Repo blocklists.
    pub blocklists: Vec<BlocklistRepo>,
    /// Serial for new blocklist ids.
    pub next_repo: u64,
    /// Spend-limit overrides in dollars, by member index.
    pub spend_limits: HashMap<usize, i64>,
    /// Bugbot on or off, by repository URL.
    pub bugbot: HashMap<String, bool>,
    /// Agents, oldest first.
    pub agents: Vec<Agent>,
    /// Serial for new agent ids.
    pub next_agent: u64,
    /// Key name shown by `/v0/me`.
    #[serde(with = "crate::dates::rfc3339")]
    pub key_created_at: OffsetDateTime,
    /// Cloud Agents v1 agents and runs.
    pub v1: crate::agents_v1_state::V1Agents,
    /// Members removed through `/teams/remove-member`, by index.
    pub removed_members: Vec<usize>,
    /// Model-access settings (`/teams/model-access/…`).
    pub model_access: ModelAccess,
}

impl TeamState {
    pub(crate) fn seeded(key: &str, ctx: &TeamContext<'_>) -> Self {
        let data = ctx.data;
        let members = data.members();
        let cycle_start = crate::dates::cycle_bounds(ctx.now.date()).0;
        let joined = crate::dates::midnight(cycle_start) - time::Duration::days(20);
        let take = |range: std::ops::Range<usize>| -> Vec<Membership> {
            range
                .filter(|&i| i < members.len())
                .map(|member| Membership { member, joined_at: joined, left_at: None })
                .collect()
        };
        let created = joined - time::Duration::days(5);
        let groups = vec![
            Group {
                id: "group_PDSPmvukpYgZEDXsoNirw3CFhy".to_owned(),
                name: "Engineering".to_owned(),
                directory_group_id: None,
                created_at: created,
                updated_at: created,
                members: take(3..15),
                former: vec![Membership {
                    member: 15.min(members.len() - 1),
                    joined_at: created,
                    left_at: Some(joined),
                }],
            },
            Group {
                id: "group_kljUvI0ASZORvSEXf9hV0ydcso".to_owned(),
                name: "Design".to_owned(),
                directory_group_id: Some("dir_group_abc123xyz".to_owned()),
                created_at: created,
                updated_at: created,
                members: take(16..21),
                former: Vec::new(),
            },
        ];
        let blocklists = vec![
            BlocklistRepo {
                id: "repo_123".to_owned(),
                url: "https://github.com/acme-corp/sensitive-repo".to_owned(),
                patterns: vec!["*.env".into(), "config/*".into(), "secrets/**".into()],
            },
            BlocklistRepo {
                id: "repo_456".to_owned(),
                url: "https://github.com/acme-corp/internal-tools".to_owned(),
                patterns: vec!["*".into()],
            },
        ];
        let agents = data
            .seed_agents(ctx.now)
            .into_iter()
            .rev()
            .enumerate()
            .map(|(i, seed)| {
                let mut agent = Agent {
                    id: seed.id,
                    name: seed.name,
                    status: AgentStatus::parse(seed.status),
                    repository: seed.repository,
                    source_ref: Some("main".to_owned()),
                    branch_name: seed.branch_name,
                    auto_create_pr: seed.auto_create_pr,
                    open_as_cursor_github_app: seed.auto_create_pr && seed.open_as_cursor_github_app,
                    skip_reviewer_request: false,
                    pr_url: None,
                    summary: seed.summary.clone(),
                    created_at: seed.created_at,
                    model: None,
                    webhook: None,
                    messages: Vec::new(),
                    deleted: false,
                    run: None,
                    pr_number: 1000 + i as u32,
                };
                if agent.status == AgentStatus::Finished && agent.auto_create_pr {
                    agent.pr_url = Some(format!("{}/pull/{}", agent.repository, agent.pr_number));
                }
                agent.push_message("user_message", seed.prompt);
                agent.push_message("assistant_message", "I'll start by analyzing the repository structure.");
                if let Some(summary) = seed.summary {
                    agent.push_message("assistant_message", summary);
                }
                agent
            })
            .collect();
        Self {
            groups,
            next_group: 1,
            blocklists,
            next_repo: 1,
            spend_limits: HashMap::new(),
            bugbot: HashMap::new(),
            agents,
            next_agent: 1,
            key_created_at: ctx.now - time::Duration::days(30 + (hash_str(key) % 300) as i64),
            v1: Default::default(),
            removed_members: Vec::new(),
            model_access: Default::default(),
        }
    }

    pub(crate) fn advance_agents(&mut self, ctx: &TeamContext<'_>) -> Vec<WebhookJob> {
        self.agents.iter_mut().filter(|a| a.run.is_some() && !a.deleted).filter_map(|a| a.advance(ctx)).collect()
    }

    /// The group a member currently belongs to.
    pub fn group_of(&self, member: usize) -> Option<&Group> {
        self.groups.iter().find(|g| g.members.iter().any(|m| m.member == member))
    }
}

/// A team's model-access settings: unrestricted until configured; when restricted, every
/// provider and model is allowed unless blocked.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ModelAccess {
    /// Whether access is restricted.
    pub restricted: bool,
    /// Providers blocked.
    pub blocked_providers: Vec<String>,
    /// Models blocked, as (provider, model).
    pub blocked_models: Vec<(String, String)>,
}

impl WebhookJob {
    /// The `statusChange` delivery for an agent's current state.
    pub fn status_change(agent: &Agent, hook: &AgentWebhook, now: OffsetDateTime) -> Self {
        let mut target = json!({
            "url": format!("https://cursor.com/agents?id={}", agent.id),
            "branchName": agent.branch_name,
        });
        if let Some(pr) = &agent.pr_url {
            target["prUrl"] = json!(pr);
        }
        let mut source = json!({"repository": agent.repository});
        if let Some(r) = &agent.source_ref {
            source["ref"] = json!(r);
        }
        let mut payload = json!({
            "event": "statusChange",
            "timestamp": crate::dates::iso_seconds(now),
            "id": agent.id,
            "status": agent.status.as_str(),
            "source": source,
            "target": target,
        });
        if let Some(summary) = &agent.summary {
            payload["summary"] = json!(summary);
        }
        let webhook_id =
            format!("whk_{}_{}_{}", agent.id, agent.messages.len(), agent.status.as_str().to_ascii_lowercase());
        Self {
            webhook_id,
            agent_id: agent.id.clone(),
            status: agent.status.as_str().to_owned(),
            url: hook.url.clone(),
            secret: hook.secret.clone(),
            body: serde_json::to_vec(&payload).unwrap_or_default(),
        }
    }
}
