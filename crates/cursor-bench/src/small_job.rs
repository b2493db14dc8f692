//! `small-job` and `peer-agents`: list every agent and read each conversation (46 requests
//! against a simulator with 45 agents) at real time and the documented limits, in a child
//! process per run: the SDK with its default limits, the SDK with limits off (the baseline of
//! `small-job`), and the Python package `cursor-agent-sdk` (or plain urllib) as the peer.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use cursor_agents::{AgentsClient, AgentsQuery};
use cursor_core::{Client, RateLimits};
use cursor_mock::{DataSizes, MockConfig, MockServer};
use futures_util::TryStreamExt as _;
use serde_json::{Value, json};

use crate::Settings;
use crate::measure::{children_cpu, self_cpu};
use crate::report::{Figure, fmt};

/// `cursor-bench small-job URL KEY default|unlimited`: the job through the SDK, one JSON line out.
pub async fn child(base_url: &str, key: &str, limits: &str) -> Result<(), String> {
    let wall0 = Instant::now();
    let cpu0 = self_cpu();
    let limits = if limits == "unlimited" { RateLimits::unlimited() } else { RateLimits::default() };
    let client =
        Client::builder().api_key(key).base_url(base_url).rate_limits(limits).build().map_err(|e| e.to_string())?;
    let agents = AgentsClient::new(client);
    let listed: Vec<_> =
        agents.list(&AgentsQuery::new().page_size(100)).try_collect().await.map_err(|e| e.to_string())?;
    let mut messages = 0;
    for agent in &listed {
        messages += agents.conversation(&agent.id).await.map_err(|e| e.to_string())?.messages.len();
    }
    println!(
        "{}",
        json!({
            "client": "cursor-rs",
            "wall_s": wall0.elapsed().as_secs_f64(),
            "cpu_s": self_cpu() - cpu0,
            "agents": listed.len(),
            "messages": messages,
        })
    );
    Ok(())
}

/// One child run: what it printed, and its process wall and CPU time as seen from here.
#[derive(Debug, Clone, Default)]
pub struct ChildRun {
    /// The child's JSON line.
    pub report: Value,
    /// Process wall time, start to exit.
    pub process_wall: f64,
    /// Process CPU time (user + system), from getrusage of children.
    pub process_cpu: f64,
}

impl ChildRun {
    /// A number the child reported.
    pub fn get(&self, field: &str) -> f64 {
        self.report[field].as_f64().unwrap_or(f64::NAN)
    }
}

/// Runs a program to completion and measures it. No other child may end meanwhile (the CPU time
/// is the difference of the children's total around it).
pub async fn measure_child(program: &Path, args: &[String]) -> Result<ChildRun, String> {
    let cpu0 = children_cpu();
    let started = Instant::now();
    let output = tokio::process::Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .await
        .map_err(|e| format!("{}: {e}", program.display()))?;
    let process_wall = started.elapsed().as_secs_f64();
    let process_cpu = children_cpu() - cpu0;
    if !output.status.success() {
        return Err(format!(
            "{} exited with {}: {}",
            program.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).chars().take(2000).collect::<String>()
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().rev().find(|l| l.starts_with('{')).unwrap_or("{}");
    let report = serde_json::from_str(line).map_err(|e| format!("{}: bad output {line:?}: {e}", program.display()))?;
    Ok(ChildRun { report, process_wall, process_cpu })
}

/// The `small-job` and `peer-agents` figures.
pub async fn figures(settings: &Settings) -> Result<(Vec<Figure>, Vec<String>), String> {
    let server = MockServer::start(MockConfig {
        data: DataSizes { agents_per_team: 45, ..DataSizes::default() },
        ..MockConfig::default()
    })
    .await
    .map_err(|e| format!("simulator: {e}"))?;
    let url = server.base_url();
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let peer = settings.python_peer().await;
    let mut notes = Vec::new();
    match &peer {
        Some((_, script)) if script.ends_with("peer_agents_sdk.py") => notes.push(
            "peer-agents: the PyPI package `cursor-agent-sdk` 0.1.2 was installed into target/bench-venv and \
             talks to a plain base URL with the v0 API. Its `list_agents()` takes no `limit` or `cursor`, so \
             the script lists through the client's own `_json` helper with the same parameters the Rust SDK \
             sends; conversations go through its public `get_conversation`."
                .to_owned(),
        ),
        Some(_) => notes.push(
            "peer-agents: `cursor-agent-sdk` could not be installed here, so the peer is a plain-Python \
             `urllib` loop doing the same requests."
                .to_owned(),
        ),
        None => notes.push("peer-agents: no Python interpreter was given (`--python`); the figure was skipped.".into()),
    }

    let mut sdk: Vec<ChildRun> = Vec::new();
    let mut unlimited: Vec<ChildRun> = Vec::new();
    let mut python: Vec<ChildRun> = Vec::new();
    let mut requests: Vec<usize> = Vec::new();
    let mut too_many: Vec<usize> = Vec::new();
    for repeat in 0..settings.repeats(3) {
        let run = |key: String, limits: &str| vec!["small-job".to_owned(), url.clone(), key, limits.to_owned()];
        server.clear_journal();
        let measured = measure_child(&exe, &run(format!("key_bench_small_{repeat}"), "default")).await?;
        let journal = server.journal();
        requests.push(journal.len());
        too_many.push(journal.iter().filter(|e| e.status == 429).count());
        eprintln!("  small-job run {}: {:.2} s, {} requests", repeat + 1, measured.get("wall_s"), journal.len());
        sdk.push(measured);
        unlimited.push(measure_child(&exe, &run(format!("key_bench_small_free_{repeat}"), "unlimited")).await?);
        if let Some((python_path, script)) = &peer {
            let args = vec![script.display().to_string(), url.clone(), format!("key_bench_small_py_{repeat}")];
            let measured = measure_child(python_path, &args).await?;
            eprintln!("  peer-agents run {}: {:.2} s", repeat + 1, measured.get("wall_s"));
            python.push(measured);
        }
    }
    server.shutdown().await;

    let job_wall = |runs: &[ChildRun]| runs.iter().map(|r| r.get("wall_s")).collect::<Vec<_>>();
    let values = job_wall(&sdk);
    let baselines = job_wall(&unlimited);
    let agents = sdk.first().map(|r| r.get("agents")).unwrap_or(0.0);
    let mut small = Figure {
        name: "small-job".into(),
        what: format!(
            "List every agent and read each conversation ({agents} agents, {} requests), one request at a time, \
             through `AgentsClient` with the default limits (Cloud Agents 60 a minute), at real time against \
             the simulator with its documented limits; a fresh process per run, timed from building the client \
             to the last answer.",
            requests.first().copied().unwrap_or(0)
        ),
        unit: "s".into(),
        ratios: values.iter().zip(&baselines).map(|(v, b)| v / b.max(f64::EPSILON)).collect(),
        values,
        baselines,
        baseline_is: "the same job with client-side limits off (`RateLimits::unlimited()`), in the same run".into(),
        target: "< 2 s".into(),
        ..Figure::default()
    };
    small.details.push(format!("requests the simulator saw per run: {requests:?}; 429s per run: {too_many:?}"));
    small.details.push(format!(
        "process wall time (start to exit) per run: {}",
        sdk.iter().map(|r| format!("{} s", fmt(r.process_wall))).collect::<Vec<_>>().join(", ")
    ));
    small.met = Some(small.value() < 2.0);
    let window = Duration::from_secs(60);
    small.miss = Some(format!(
        "Cause: {} requests fit in one window of the Cloud Agents bucket (60 a minute), so an idle client could \
         send them all at once; today's limiter lets a quarter of the budget (15) go at once and paces the \
         rest at three quarters of the rate (one every {} s), so the job waits on the limiter, not on the \
         server (limits off: {} s). Plan: the limiter rewrite (full burst when idle) should bring this \
         under the target; rerun `cargo xtask bench --only small-job` after it merges.",
        requests.first().copied().unwrap_or(0),
        fmt(window.as_secs_f64() / 45.0),
        fmt(small.baseline())
    ));
    let mut figures = vec![small];

    if !python.is_empty() {
        let peer_name = python[0].report["client"].as_str().unwrap_or("python").to_owned();
        let values = job_wall(&sdk);
        let baselines = job_wall(&python);
        let mut wall = Figure {
            name: "peer-agents/wall".into(),
            what: format!(
                "The small job above through the SDK (default limits) ÷ the same job through `{peer_name}` (Python \
                 {}, no client-side limiter), each in its own process, against the same simulator at real time. \
                 Job time measured inside each process.",
                python_version(&peer).await
            ),
            unit: "s".into(),
            ratios: values.iter().zip(&baselines).map(|(v, b)| v / b.max(f64::EPSILON)).collect(),
            values,
            baselines,
            baseline_is: format!("the job's wall time in `{peer_name}`"),
            target: "—".into(),
            ..Figure::default()
        };
        wall.details.push(format!(
            "process wall time (interpreter start to exit), SDK / peer: {}",
            sdk.iter()
                .zip(&python)
                .map(|(s, p)| format!("{} / {} s", fmt(s.process_wall), fmt(p.process_wall)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        wall.details.push(format!(
            "requests the peer made per run: {:?}",
            python.iter().map(|p| p.get("requests")).collect::<Vec<_>>()
        ));
        let values: Vec<f64> = sdk.iter().map(|r| r.process_cpu).collect();
        let baselines: Vec<f64> = python.iter().map(|r| r.process_cpu).collect();
        let mut cpu = Figure {
            name: "peer-agents/cpu".into(),
            what: format!(
                "CPU time (user + system, getrusage of the child process, start to exit) of the small job: the SDK \
                 ÷ `{peer_name}`."
            ),
            unit: "s".into(),
            ratios: values.iter().zip(&baselines).map(|(v, b)| v / b.max(f64::EPSILON)).collect(),
            values,
            baselines,
            baseline_is: format!("the CPU time of the `{peer_name}` process"),
            target: "—".into(),
            ..Figure::default()
        };
        cpu.details.push(format!(
            "CPU time of the job alone (inside the process), SDK / peer: {}",
            sdk.iter()
                .zip(&python)
                .map(|(s, p)| format!("{} / {} s", fmt(s.get("cpu_s")), fmt(p.get("cpu_s"))))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        figures.push(wall);
        figures.push(cpu);
    }
    Ok((figures, notes))
}

async fn python_version(peer: &Option<(std::path::PathBuf, std::path::PathBuf)>) -> String {
    let Some((python, _)) = peer else { return String::new() };
    tokio::process::Command::new(python)
        .arg("--version")
        .output()
        .await
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().trim_start_matches("Python ").to_owned())
        .unwrap_or_default()
}
