//! Cloud Agents v1 commands (`agents v1 …`) and `agents watch`, which prints a run's events
//! as they happen: readable lines on a terminal, NDJSON otherwise (or with `--json`).

use std::io::{IsTerminal as _, Write};

use cursor_agents::v1::{
    Agent, AgentsClient, AgentsQuery, CreateAgent, CreateRun, RepoConfig, Run, RunEvent, RunEventData, RunStatus,
    RunsQuery,
};
use futures_util::{Stream, StreamExt as _};
use serde_json::{Value, json};

use super::{Ctx, read_items};
use crate::cli::{AgentsV1Action, RunsAction};
use crate::output::list::{Kind, Listing, col};
use crate::output::{Table, outln};

const AGENT_HEADERS: [&str; 5] = ["ID", "STATUS", "NAME", "LATEST RUN", "CREATED"];

/// Cloud agents (v1), newest first.
static AGENTS: Listing = Listing {
    items_key: "items",
    columns: &[
        col("ID", "/id", Kind::Text),
        col("STATUS", "/status", Kind::Text),
        col("NAME", "/name", Kind::Text),
        col("LATEST RUN", "/latestRunId", Kind::Text),
        col("CREATED", "/createdAt", Kind::Text),
    ],
    total_path: None,
    page_only: &["nextCursor"],
    totals: false,
    empty: "no agents",
};

/// An agent's runs, newest first.
static RUNS: Listing = Listing {
    items_key: "items",
    columns: &[
        col("RUN", "/id", Kind::Text),
        col("AGENT", "/agentId", Kind::Text),
        col("STATUS", "/status", Kind::Text),
        col("CREATED", "/createdAt", Kind::Text),
        col("UPDATED", "/updatedAt", Kind::Text),
    ],
    total_path: None,
    page_only: &["nextCursor"],
    totals: false,
    empty: "no runs",
};

fn agent_row(agent: &Agent) -> [String; 5] {
    [
        agent.id.clone(),
        agent.status.to_string(),
        agent.name.clone(),
        agent.latest_run_id.clone().unwrap_or_default(),
        agent.created_at.clone(),
    ]
}

fn print_runs(ctx: &Ctx, runs: &[Run]) -> anyhow::Result<()> {
    if ctx.json {
        return ctx.print(runs);
    }
    let mut table = Table::new(["RUN", "AGENT", "STATUS", "CREATED", "UPDATED"]);
    for run in runs {
        table.row([
            run.id.clone(),
            run.agent_id.clone(),
            run.status.to_string(),
            run.created_at.clone(),
            run.updated_at.clone(),
        ]);
    }
    table.print("no runs")
}

fn print_id(ctx: &Ctx, id: &str, verb: &str) -> anyhow::Result<()> {
    if ctx.json {
        return ctx.print(&json!({ "id": id }));
    }
    outln!("{verb} {id}");
    Ok(())
}

/// `agents v1 …`.
pub(crate) async fn run(ctx: &Ctx, action: AgentsV1Action) -> anyhow::Result<()> {
    let agents = AgentsClient::new(ctx.client.clone());
    match action {
        AgentsV1Action::Create { repo, pr, prompt, git_ref, branch, model, auto_pr, id, watch: then_watch } => {
            let mut source = match (repo, pr) {
                (_, Some(pr)) => RepoConfig::pull_request(pr),
                (Some(repo), None) => RepoConfig::url(repo),
                (None, None) => return Err(super::UsageError("give --repo or --pr".into()).into()),
            };
            source.starting_ref = git_ref;
            let mut create = CreateAgent::new(prompt, source);
            create.branch_name = branch;
            create.agent_id = id;
            if let Some(model) = model {
                create = create.model(model);
            }
            if auto_pr {
                create = create.auto_create_pr(true);
            }
            // With an id of its own, a create whose answer was lost can be sent again safely.
            let created = agents.create_with_id(&create).await?;
            if then_watch {
                return watch(ctx, &created.agent.id, &created.run.id).await;
            }
            if ctx.json {
                return ctx.print(&created);
            }
            outln!("agent {} ({})", created.agent.id, created.agent.url);
            outln!("run   {} {}", created.run.id, created.run.status);
        }
        AgentsV1Action::List { active_only, paging } => {
            let params = if active_only { AgentsQuery::new().include_archived(false) } else { AgentsQuery::new() };
            let params = params.page_size(super::agents::page_size(&paging, 100)?);
            read_items(ctx.list(&AGENTS, &paging), agents.list(&params)).await?;
        }
        AgentsV1Action::Get { id } => {
            let agent = agents.get(&id).await?;
            if ctx.json {
                return ctx.print(&agent);
            }
            let mut table = Table::new(AGENT_HEADERS);
            table.row(agent_row(&agent));
            table.print("")?;
            if let Some(branch) = &agent.branch_name {
                outln!("branch: {branch}");
            }
            outln!("url: {}", agent.url);
        }
        AgentsV1Action::Archive { id } => print_id(ctx, &agents.archive(&id).await?.id, "archived")?,
        AgentsV1Action::Unarchive { id } => print_id(ctx, &agents.unarchive(&id).await?.id, "unarchived")?,
        AgentsV1Action::Delete { id } => print_id(ctx, &agents.delete(&id).await?.id, "deleted")?,
        AgentsV1Action::Runs { action } => runs(ctx, &agents, action).await?,
        AgentsV1Action::Artifacts { id, download: Some(path) } => {
            let link = agents.artifact_download_url(&id, &path).await?;
            if ctx.json {
                return ctx.print(&link);
            }
            outln!("{}", link.url);
            outln!("expires at {}", link.expires_at);
        }
        AgentsV1Action::Artifacts { id, download: None } => {
            let list = agents.artifacts(&id).await?;
            if ctx.json {
                return ctx.print(&list);
            }
            let mut table = Table::new(["PATH", "BYTES", "UPDATED"]);
            for artifact in &list.items {
                table.row([artifact.path.clone(), artifact.size_bytes.to_string(), artifact.updated_at.clone()]);
            }
            table.print("no artifacts")?;
        }
        AgentsV1Action::Usage { id } => ctx.print(&agents.usage(&id).await?)?,
        AgentsV1Action::Me => {
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
        AgentsV1Action::Models => {
            let models = agents.models().await?;
            if ctx.json {
                return ctx.print(&models);
            }
            for model in &models.items {
                outln!("{model}");
            }
        }
        AgentsV1Action::Repositories => {
            let repositories = agents.repositories().await?;
            if ctx.json {
                return ctx.print(&repositories);
            }
            for repo in &repositories.items {
                outln!("{}", repo.url);
            }
        }
    }
    Ok(())
}

async fn runs(ctx: &Ctx, agents: &AgentsClient, action: RunsAction) -> anyhow::Result<()> {
    match action {
        RunsAction::Create { agent, prompt, watch: then_watch } => {
            let run = agents.create_run(&agent, &CreateRun::new(prompt)).await?.run;
            if then_watch {
                return watch(ctx, &agent, &run.id).await;
            }
            print_runs(ctx, &[run])
        }
        RunsAction::List { agent, paging } => {
            let params = RunsQuery::new().page_size(super::agents::page_size(&paging, 100)?);
            read_items(ctx.list(&RUNS, &paging), agents.list_runs(&agent, &params)).await
        }
        RunsAction::Get { agent, run } => print_runs(ctx, &[agents.get_run(&agent, &run).await?]),
        RunsAction::Cancel { agent, run } => print_id(ctx, &agents.cancel_run(&agent, &run).await?.id, "cancelled"),
    }
}

/// `agents watch <agent> <run>`: the run's events until `done`; fails when the run ended in
/// `ERROR` or `EXPIRED`, like `agents launch --wait`.
pub(crate) async fn watch(ctx: &Ctx, agent: &str, run: &str) -> anyhow::Result<()> {
    let agents = AgentsClient::new(ctx.client.clone());
    let events = agents.stream_run(agent, run);
    let ndjson = ctx.json || !std::io::stdout().is_terminal();
    let last = write_events(events, &mut std::io::stdout(), ndjson).await?;
    if let Some(status @ (RunStatus::Error | RunStatus::Expired)) = last {
        anyhow::bail!("run {run} ended with status {status}");
    }
    Ok(())
}

/// Writes each event as it comes (one NDJSON object, or one readable line) and flushes, so a
/// pipe sees it at once. Returns the last status the events reported.
async fn write_events(
    mut events: impl Stream<Item = cursor_core::Result<RunEvent>> + Unpin,
    out: &mut impl Write,
    ndjson: bool,
) -> anyhow::Result<Option<RunStatus>> {
    let mut last = None;
    while let Some(event) = events.next().await {
        let event = event?;
        if let Some(status) = event.status() {
            last = Some(status);
        }
        if ndjson {
            let data = serde_json::from_str::<Value>(&event.raw).unwrap_or_else(|_| Value::String(event.raw.clone()));
            serde_json::to_writer(&mut *out, &json!({"id": event.id, "event": event.event, "data": data}))?;
            writeln!(out)?;
        } else if let Some(line) = readable(&event) {
            writeln!(out, "{line}")?;
        }
        out.flush()?;
    }
    Ok(last)
}

/// One line for a person, or nothing (heartbeats, `done`).
fn readable(event: &RunEvent) -> Option<String> {
    Some(match &event.data {
        RunEventData::Status(data) => {
            format!("status    {}", data.status.as_ref().map(ToString::to_string).unwrap_or_default())
        }
        RunEventData::Assistant(data) => format!("assistant {}", data.text.as_deref().unwrap_or_default()),
        RunEventData::Thinking(data) => format!("thinking  {}", data.text.as_deref().unwrap_or_default()),
        RunEventData::ToolCall(data) => format!("tool      {}", data.name.as_deref().unwrap_or("(unnamed)")),
        RunEventData::Result(data) => {
            format!("result    {}", data.status.as_ref().map(ToString::to_string).unwrap_or_default())
        }
        RunEventData::Error(data) => format!("error     {}", data.message.as_deref().unwrap_or("(no message)")),
        RunEventData::Heartbeat | RunEventData::Done => return None,
        _ => format!("{:<9} {}", event.event, event.raw),
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use cursor_mock::{AgentTiming, FaultConfig, FaultSpec, MockConfig, MockServer, RouteFault};

    use super::*;

    #[tokio::test]
    async fn watching_resumes_across_a_cut_connection_and_prints_each_event_once() {
        let config = MockConfig { agent_timing: AgentTiming::instant(), ..MockConfig::for_tests() };
        let server = MockServer::start(config).await.unwrap();
        let client = cursor_core::testing::loopback_client(&server.base_url()).api_key("key_watch").build().unwrap();
        let agents = AgentsClient::new(client);
        let created = agents
            .create(&CreateAgent::new("Add docs", RepoConfig::url("https://github.com/acme-corp/web-app")))
            .await
            .unwrap();
        let path = format!("/v1/agents/{}/runs/{}/stream", created.agent.id, created.run.id);
        server.set_faults(FaultConfig {
            global: FaultSpec::default(),
            routes: vec![RouteFault {
                path,
                method: None,
                fault: FaultSpec { cut_body_after_bytes: Some(300), ..FaultSpec::default() },
                times: Some(1),
            }],
        });
        let mut out = Vec::new();
        let last = write_events(agents.stream_run(&created.agent.id, &created.run.id), &mut out, true).await.unwrap();
        assert_eq!(last, Some(RunStatus::Finished));
        let lines: Vec<Value> =
            String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).expect("NDJSON")).collect();
        let ids: Vec<&str> = lines.iter().filter_map(|l| l["id"].as_str()).collect();
        assert_eq!(ids.len(), ids.iter().collect::<HashSet<_>>().len(), "no event twice: {ids:?}");
        assert_eq!(ids.first().map(|id| id.ends_with(":1")), Some(true));
        assert_eq!(lines.last().unwrap()["event"], "done");
        assert_eq!(lines.iter().filter(|l| l["event"] == "status").count(), 3, "CREATING, RUNNING, FINISHED");
        assert_eq!(server.journal().iter().filter(|e| e.path.ends_with("/stream")).count(), 2, "one reconnection");
    }

    #[test]
    fn readable_lines_skip_heartbeats() {
        let event = |kind: &str, data: &str| {
            RunEvent::from_sse(cursor_agents::v1::sse::SseEvent { event: kind.into(), data: data.into(), id: None })
        };
        assert_eq!(readable(&event("heartbeat", "{}")), None);
        assert_eq!(readable(&event("assistant", r#"{"text":"hi"}"#)).unwrap(), "assistant hi");
        assert_eq!(readable(&event("brand_new", "raw")).unwrap(), "brand_new raw");
    }
}
