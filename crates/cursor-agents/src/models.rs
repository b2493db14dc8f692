//! Response models of the Cloud Agents API: agents, conversations, key info, models and
//! repositories. Every model keeps fields it does not know, so nothing the service adds is lost.

use cursor_core::{Extra, NextPage, Page};
use serde::{Deserialize, Serialize};

cursor_core::string_enum! {
    /// The status of a cloud agent. Values this SDK does not know are kept in `Unknown`.
    pub enum AgentStatus {
        /// Being set up.
        Creating = "CREATING",
        /// Working.
        Running = "RUNNING",
        /// Done; the results are in `summary` and the target branch or pull request.
        Finished = "FINISHED",
        /// Failed.
        Error = "ERROR",
        /// Expired.
        Expired = "EXPIRED",
    }
}

impl AgentStatus {
    /// Whether the agent will not change any more by itself: `FINISHED`, `ERROR` or `EXPIRED`.
    /// `CREATING`, `RUNNING` and unknown values are not terminal (a follow-up may start a
    /// finished agent again).
    ///
    /// ```
    /// use cursor_agents::AgentStatus;
    /// assert!(AgentStatus::Finished.is_terminal());
    /// assert!(!AgentStatus::Running.is_terminal());
    /// assert!(!AgentStatus::from("SOMETHING_NEW").is_terminal());
    /// ```
    pub fn is_terminal(&self) -> bool {
        matches!(self, AgentStatus::Finished | AgentStatus::Error | AgentStatus::Expired)
    }
}

/// The repository an agent works on.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentSource {
    /// The GitHub repository URL (`https://github.com/your-org/your-repo`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// The Git ref (branch, tag or commit) used as the base branch.
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub git_ref: Option<String>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Where an agent's work goes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentTarget {
    /// The branch the agent works on (`cursor/add-readme-1234`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_name: Option<String>,
    /// The agent's page in Cursor Web. Always present in agent responses; optional here
    /// because webhook payloads share this type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The pull request, once there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pr_url: Option<String>,
    /// Whether a pull request is created when the agent completes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_create_pr: Option<bool>,
    /// Whether the pull request is opened as the Cursor GitHub App.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_as_cursor_github_app: Option<bool>,
    /// Whether adding the user as a reviewer is skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_reviewer_request: Option<bool>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A cloud agent, as listed, fetched and returned by a launch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Agent {
    /// The agent's id (`bc_abc123`).
    pub id: String,
    /// A name the service gives the agent.
    pub name: String,
    /// The current status.
    pub status: AgentStatus,
    /// The repository.
    pub source: AgentSource,
    /// The branch, page and pull request.
    pub target: AgentTarget,
    /// A summary of the work, once there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// When the agent was created, ISO 8601 (`2024-01-15T10:30:00Z`), kept as sent; see
    /// [`created_at_time`](Self::created_at_time).
    pub created_at: String,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Agent {
    /// [`created_at`](Self::created_at) parsed as RFC 3339, when it is.
    pub fn created_at_time(&self) -> Option<cursor_core::time::OffsetDateTime> {
        parse_rfc3339(&self.created_at)
    }
}

pub(crate) fn parse_rfc3339(text: &str) -> Option<cursor_core::time::OffsetDateTime> {
    cursor_core::time::OffsetDateTime::parse(text, &cursor_core::time::format_description::well_known::Rfc3339).ok()
}

/// One page of `GET /v0/agents`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentList {
    /// The agents on this page.
    pub agents: Vec<Agent>,
    /// The cursor of the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Page for AgentList {
    type Item = Agent;

    fn next_page(&self, _requested: u32) -> NextPage {
        cursor_core::next_by_cursor(self.next_cursor.as_deref())
    }

    fn into_items(self) -> Vec<Agent> {
        self.agents
    }
}

cursor_core::string_enum! {
    /// Who wrote a conversation message.
    pub enum MessageType {
        /// A prompt or follow-up.
        User = "user_message",
        /// The agent's answer.
        Assistant = "assistant_message",
    }
}

/// One message of an agent's conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// The message id (`msg_001`).
    pub id: String,
    /// Who wrote it.
    #[serde(rename = "type")]
    pub kind: MessageType,
    /// The text.
    pub text: String,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /v0/agents/{id}/conversation`: the messages of an agent, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// The agent's id.
    pub id: String,
    /// The messages, in chronological order.
    pub messages: Vec<Message>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of follow-up, stop and delete: the agent's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentId {
    /// The agent's id.
    pub id: String,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /v0/me`: the API key in use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyInfo {
    /// The key's name (`Production API Key`).
    pub api_key_name: String,
    /// When the key was created, ISO 8601, kept as sent.
    pub created_at: String,
    /// The owner's email, when available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_email: Option<String>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ApiKeyInfo {
    /// [`created_at`](Self::created_at) parsed as RFC 3339, when it is.
    pub fn created_at_time(&self) -> Option<cursor_core::time::OffsetDateTime> {
        parse_rfc3339(&self.created_at)
    }
}

/// `GET /v0/models`: the recommended model names. Not giving a model at launch lets the
/// service pick one ("Auto").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelList {
    /// Model names (`claude-4-sonnet-thinking`, `o3`, …).
    pub models: Vec<String>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A GitHub repository the user can reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repository {
    /// The owner, a user or an organization (`your-org`).
    pub owner: String,
    /// The repository's name (`your-repo`).
    pub name: String,
    /// Its URL (`https://github.com/your-org/your-repo`), what a launch takes as
    /// `source.repository`.
    pub repository: String,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /v0/repositories`: the repositories the user can reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepositoryList {
    /// The repositories.
    pub repositories: Vec<Repository>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}
