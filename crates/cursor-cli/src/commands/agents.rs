//! Cloud Agents commands: list, inspect, launch (optionally waiting), follow up, stop, delete,
//! and the key's models, identity and repositories.

use std::time::Duration;

use super::{Ctx, UsageError, read_items};
use crate::cli::{AgentsAction, PageArgs};
use crate::output::list::{Kind, Listing, col};
use crate::output::{Table, outln};
use cursor_agents::{Agent, AgentStatus, AgentsClient, LaunchAgent, ListAgents, Prompt, WaitOptions};

/// The row of an agent in a table.
fn agent_row(agent: &Agent) -> [String; 5] {
    [
        agent.id.clone(),
        agent.status.to_string(),
        agent.name.clone(),
        agent.source.repository.clone().unwrap_or_default(),
        agent.created_at.clone(),
    ]
}

const AGENT_HEADERS: [&str; 5] = ["ID", "STATUS", "NAME", "REPOSITORY", "CREATED"];

/// Cloud agents (v0), newest first.
static AGENTS: Listing = Listing {
    items_key: "agents",
    columns: &[
        col("ID", "/id", Kind::Text),
        col("STATUS", "/status", Kind::Text),
        col("NAME", "/name", Kind::Text),
        col("REPOSITORY", "/source/repository", Kind::Text),
        col("CREATED", "/createdAt", Kind::Text),
    ],
    total_path: None,
    page_only: &["nextCursor"],
    totals: false,
    empty: "no agents",
};

/// The page size of a cursor-paged list; `--page` has no meaning there (a cursor, not a
/// number, says where the next page starts).
pub(crate) fn page_size(paging: &PageArgs, default: u32) -> anyhow::Result<u32> {
    if paging.page.is_some() {
        return Err(UsageError("this list is paged by cursor: use --limit and --page-size, not --page".into()).into());
    }
    Ok(paging.page_size.unwrap_or(default))
}

fn print_agent(ctx: &Ctx, agent: &Agent) -> anyhow::Result<()> {
    if ctx.json {
        return ctx.print(agent);
    }
    let mut table = Table::new(AGENT_HEADERS);
    table.row(agent_row(agent));
    table.print("")?;
    if let Some(branch) = &agent.target.branch_name {
        outln!("branch: {branch}");
    }
    if let Some(url) = &agent.target.pr_url {
        outln!("pull request: {url}");
    }
    if let Some(summary) = &agent.summary {
        outln!("summary: {summary}");
    }
    Ok(())
}

/// `agents …`.
pub(crate) async fn run(ctx: &Ctx, action: AgentsAction) -> anyhow::Result<()> {
    let agents = AgentsClient::new(ctx.client.clone());
    match action {
        AgentsAction::List(paging) => {
            let params = ListAgents::default().limit(page_size(&paging, 100)?);
            read_items(ctx.list(&AGENTS, &paging), agents.list(&params)).await?;
        }
        AgentsAction::Get { id } => print_agent(ctx, &agents.get(&id).await?)?,
        AgentsAction::Conversation { id } => {
            let conversation = agents.conversation(&id).await?;
            if ctx.json {
                return ctx.print(&conversation);
            }
            for message in &conversation.messages {
                outln!("[{}] {}", message.kind, message.text);
            }
        }
        AgentsAction::Launch { repo, prompt, git_ref, branch, model, wait } => {
            let mut launch = LaunchAgent::new(prompt, repo);
            if let Some(git_ref) = git_ref {
                launch = launch.git_ref(git_ref);
            }
            if let Some(branch) = branch {
                launch = launch.branch_name(branch);
            }
            if let Some(model) = model {
                launch = launch.model(model);
            }
            let agent = agents.launch(&launch).await?;
            if wait {
                let options = WaitOptions::default().intervals(Duration::from_secs(1), Duration::from_secs(15));
                let outcome = agents.wait(&agent.id, &options).await?;
                print_agent(ctx, &outcome.agent)?;
                // The agent ran but did not do the work: a failure for scripts as well.
                let status = &outcome.agent.status;
                if matches!(status, AgentStatus::Error | AgentStatus::Expired) {
                    anyhow::bail!("agent {} ended with status {status}", outcome.agent.id);
                }
            } else {
                print_agent(ctx, &agent)?;
            }
        }
        AgentsAction::Followup { id, prompt } => {
            let answer = agents.followup(&id, &Prompt::new(prompt)).await?;
            if ctx.json {
                return ctx.print(&answer);
            }
            outln!("follow-up sent to {}", answer.id);
        }
        AgentsAction::Stop { id } => {
            let answer = agents.stop(&id).await?;
            if ctx.json {
                return ctx.print(&answer);
            }
            outln!("stopped {}", answer.id);
        }
        AgentsAction::Delete { id } => {
            let answer = agents.delete(&id).await?;
            if ctx.json {
                return ctx.print(&answer);
            }
            outln!("deleted {}", answer.id);
        }
        AgentsAction::Models => {
            let models = agents.models().await?;
            if ctx.json {
                return ctx.print(&models);
            }
            for model in &models.models {
                outln!("{model}");
            }
        }
        AgentsAction::Me => {
            let me = agents.me().await?;
            if ctx.json {
                return ctx.print(&me);
            }
            outln!("key name:   {}", me.api_key_name);
            outln!("created at: {}", me.created_at);
            if let Some(email) = &me.user_email {
                outln!("user:       {email}");
            }
        }
        AgentsAction::V1 { action } => super::agents_v1::run(ctx, action).await?,
        AgentsAction::Watch { agent, run } => super::agents_v1::watch(ctx, &agent, &run).await?,
        AgentsAction::Repositories => {
            let repositories = agents.repositories().await?;
            if ctx.json {
                return ctx.print(&repositories);
            }
            let mut table = Table::new(["OWNER", "NAME", "URL"]);
            for repo in &repositories.repositories {
                table.row([repo.owner.clone(), repo.name.clone(), repo.repository.clone()]);
            }
            table.print("no repositories")?;
        }
    }
    Ok(())
}
