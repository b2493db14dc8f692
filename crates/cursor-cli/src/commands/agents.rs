//! Cloud Agents commands: list, inspect, launch (optionally waiting), follow up, stop, delete,
//! and the key's models, identity and repositories.

use std::io::Write as _;
use std::time::Duration;

use cursor_agents::{Agent, AgentStatus, AgentsClient, AgentsQuery, LaunchAgent, Prompt};

use super::{Ctx, UsageError, read_items};
use crate::cli::{AgentsAction, Format, PageArgs};
use crate::output::list::{Kind, Listing, col};
use crate::output::{Table, outln};

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

/// A line about an agent in progress: on stdout in a table, on stderr when stdout carries a
/// JSON document or CSV (which it would break).
fn progress_line(ctx: &Ctx, text: &str) -> anyhow::Result<()> {
    if ctx.format == Format::Table {
        ctx.ui.suspend(|| -> std::io::Result<()> {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{text}")?;
            out.flush()
        })?;
    } else {
        ctx.ui.line(text);
    }
    Ok(())
}

/// `launch --wait`: says the agent's id and link at once, then each status change (NDJSON: the
/// agent each time it changes), polling more slowly as it runs, until it ends. Returns the
/// agent as it ended.
async fn follow(ctx: &Ctx, agents: &AgentsClient, mut agent: Agent) -> anyhow::Result<Agent> {
    let link = agent.target.url.clone().unwrap_or_default();
    progress_line(ctx, &format!("agent {} {link}", agent.id))?;
    let mut interval = Duration::from_secs(1);
    let mut last = None;
    loop {
        if last.as_ref() != Some(&agent.status) {
            if ctx.format == Format::Ndjson {
                let line = serde_json::to_string(&agent)?;
                ctx.ui.suspend(|| writeln!(std::io::stdout().lock(), "{line}"))?;
            } else {
                progress_line(ctx, &format!("status {}", agent.status))?;
            }
            last = Some(agent.status.clone());
        }
        if agent.status.is_terminal() {
            return Ok(agent);
        }
        ctx.ui.waiting(Some(format!("agent {} is {}", agent.id, agent.status)));
        tokio::time::sleep(interval).await;
        interval = (interval * 3 / 2).min(Duration::from_secs(15));
        agent = agents.get(&agent.id).await?;
    }
}

/// `agents …`.
pub(crate) async fn run(ctx: &Ctx, action: AgentsAction) -> anyhow::Result<()> {
    let agents = AgentsClient::new(ctx.client.clone());
    match action {
        AgentsAction::List(paging) => {
            let params = AgentsQuery::new().page_size(page_size(&paging, 100)?);
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
                let agent = follow(ctx, &agents, agent).await?;
                print_agent(ctx, &agent)?;
                // The agent ran but did not do the work: a failure for scripts as well.
                if matches!(agent.status, AgentStatus::Error | AgentStatus::Expired) {
                    anyhow::bail!("agent {} ended with status {}", agent.id, agent.status);
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
