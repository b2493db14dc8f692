//! The `cursor-mock` command: serves the simulator until Ctrl-C.

use std::net::IpAddr;
use std::time::Duration;

use clap::Parser;
use cursor_mock::{AgentTiming, FaultConfig, FaultSpec, MockConfig, MockServer};

/// A faithful, stateful, offline simulator of api.cursor.com.
#[derive(Debug, Parser)]
#[command(name = "cursor-mock", version, about)]
struct Args {
    /// Interface to bind.
    #[arg(long, env = "CURSOR_MOCK_HOST", default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to bind (0 = any free port).
    #[arg(long, env = "CURSOR_MOCK_PORT", default_value_t = 0)]
    port: u16,
    /// Seed of the synthetic team.
    #[arg(long, env = "CURSOR_MOCK_SEED", default_value_t = 7)]
    seed: u64,
    /// Accept only this key (repeatable). Without it, any key starting with `key_` works.
    #[arg(long = "key", value_name = "KEY")]
    keys: Vec<String>,
    /// Treat this key's team as non-Enterprise: 403 on Admin, Analytics, AI code (repeatable).
    #[arg(long = "non-enterprise-key", value_name = "KEY")]
    non_enterprise_keys: Vec<String>,
    /// Also accept `Authorization: Bearer <key>` (the documented contract is Basic only).
    #[arg(long)]
    accept_bearer: bool,
    /// Simulated seconds per real second (rate-limit windows, agent run times).
    #[arg(long, default_value_t = 1.0)]
    time_scale: f64,
    /// Freeze the calendar at this instant (RFC 3339), for byte-stable answers.
    #[arg(long, value_name = "RFC3339")]
    fixed_now: Option<String>,
    /// Team members.
    #[arg(long, default_value_t = 210)]
    members: usize,
    /// Days of history.
    #[arg(long, default_value_t = 100)]
    history_days: u32,
    /// AI-code commits over the history (generated lazily; millions are fine).
    #[arg(long, default_value_t = 6_000)]
    commits: u64,
    /// AI-code changes over the history (generated lazily; millions are fine).
    #[arg(long, default_value_t = 10_000)]
    changes: u64,
    /// Historical agents per team.
    #[arg(long, default_value_t = 45)]
    agents_per_team: usize,
    /// Average audit-log events per day.
    #[arg(long, default_value_t = 40)]
    audit_events_per_day: u32,
    /// Simulated milliseconds an agent stays CREATING.
    #[arg(long, default_value_t = 2_000)]
    agent_creating_ms: u64,
    /// Simulated milliseconds an agent stays RUNNING.
    #[arg(long, default_value_t = 10_000)]
    agent_running_ms: u64,
    /// Agents finish at once (launch answers CREATING, the next read sees FINISHED).
    #[arg(long)]
    instant_agents: bool,
    /// Probability that an agent run ends in ERROR.
    #[arg(long, default_value_t = 0.0)]
    agent_error_rate: f64,
    /// Longest range accepted by /teams/daily-usage-data, in days.
    #[arg(long, default_value_t = 30)]
    daily_usage_max_days: u32,
    /// Turn every rate limit off.
    #[arg(long)]
    no_rate_limits: bool,
    /// Admin API requests per minute (shared bucket).
    #[arg(long, default_value_t = 20)]
    admin_rpm: u32,
    /// /teams/user-spend-limit requests per minute.
    #[arg(long, default_value_t = 60)]
    spend_limit_rpm: u32,
    /// Analytics team-level requests per minute.
    #[arg(long, default_value_t = 100)]
    analytics_team_rpm: u32,
    /// Analytics by-user requests per minute.
    #[arg(long, default_value_t = 50)]
    analytics_by_user_rpm: u32,
    /// AI Code Tracking requests per minute, per endpoint.
    #[arg(long, default_value_t = 20)]
    ai_code_rpm: u32,
    /// Cloud Agents requests per minute (other than /v0/repositories).
    #[arg(long, default_value_t = 60)]
    agents_rpm: u32,
    /// /v0/repositories requests per minute.
    #[arg(long, default_value_t = 1)]
    repositories_rpm: u32,
    /// /v0/repositories requests per hour.
    #[arg(long, default_value_t = 30)]
    repositories_rph: u32,
    /// Bugbot requests per minute.
    #[arg(long, default_value_t = 60)]
    bugbot_rpm: u32,
    /// Delay before /v0/repositories answers, in milliseconds.
    #[arg(long, default_value_t = 0)]
    repositories_delay_ms: u64,
    /// Fault: probability of a 500/502/503.
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// Fault: probability of a 429 whatever the limits say.
    #[arg(long, default_value_t = 0.0)]
    rate_limit_storm: f64,
    /// Fault: latency added to every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Fault: probability of a body cut in half.
    #[arg(long, default_value_t = 0.0)]
    truncate_rate: f64,
    /// Fault: probability of invalid JSON in a 200.
    #[arg(long, default_value_t = 0.0)]
    malformed_json_rate: f64,
    /// Fault: probability of a connection closed before the body.
    #[arg(long, default_value_t = 0.0)]
    reset_rate: f64,
    /// Fault: probability that a request is handled (state changes stay) and then the
    /// connection closes without the answer.
    #[arg(long, default_value_t = 0.0)]
    reset_after_handling_rate: f64,
    /// Fault: send bodies this many bytes at a time (0 = off).
    #[arg(long, default_value_t = 0)]
    drip_bytes: usize,
    /// Fault: milliseconds between dripped chunks.
    #[arg(long, default_value_t = 50)]
    drip_interval_ms: u64,
    /// Fault: probability of corrupting a few bytes of a 200 that has an ETag (length and
    /// ETag stay).
    #[arg(long, default_value_t = 0.0)]
    corrupt_body_rate: f64,
    /// Fault: probability, per CSV data row, of dropping its last field.
    #[arg(long, default_value_t = 0.0)]
    short_csv_row_rate: f64,
    /// Fault: probability of a 307 to another origin (`--redirect-to`, default
    /// http://127.0.0.2:<port>).
    #[arg(long, default_value_t = 0.0)]
    redirect_rate: f64,
    /// Fault: the origin redirects point to.
    #[arg(long)]
    redirect_to: Option<String>,
    /// Fault: answer with this many MiB of generated JSON (CSV on .csv paths), streamed.
    #[arg(long, default_value_t = 0)]
    huge_body_mib: u64,
    /// Fault: answer with a body that never ends.
    #[arg(long)]
    endless_body: bool,
    /// Fault: milliseconds between the chunks of an endless body (0 = flat out).
    #[arg(long, default_value_t = 0)]
    endless_body_interval_ms: u64,
    /// Fault: answer page 1 for every page, saying another page follows.
    #[arg(long)]
    repeat_first_page: bool,
    /// Fault: probability of cutting a write's 2xx answer to half its body, well framed.
    #[arg(long, default_value_t = 0.0)]
    cut_write_body_rate: f64,
    /// Per-route faults: a JSON file shaped like the body of `PUT /__mock/faults`
    /// (`{"global": {...}, "routes": [{"path": "/teams/", "fault": {...}}]}`).
    #[arg(long, value_name = "FILE")]
    faults_file: Option<std::path::PathBuf>,
    /// Webhook attempts per delivery.
    #[arg(long, default_value_t = 4)]
    webhook_max_attempts: u32,
    /// Wait before the second webhook attempt, in milliseconds (doubles each time).
    #[arg(long, default_value_t = 500)]
    webhook_backoff_ms: u64,
    /// Deliver webhooks to non-loopback hosts (off: the simulator stays offline).
    #[arg(long)]
    webhook_allow_non_loopback: bool,
}

impl Args {
    fn into_config(self) -> anyhow::Result<MockConfig> {
        let mut faults = match &self.faults_file {
            Some(path) => serde_json::from_str::<FaultConfig>(&std::fs::read_to_string(path)?)?,
            None => FaultConfig::default(),
        };
        let flags = FaultSpec {
            error_rate: self.error_rate,
            rate_limit_rate: self.rate_limit_storm,
            latency_ms: self.latency_ms,
            truncate_rate: self.truncate_rate,
            malformed_json_rate: self.malformed_json_rate,
            reset_rate: self.reset_rate,
            reset_after_handling_rate: self.reset_after_handling_rate,
            drip_chunk_bytes: self.drip_bytes,
            drip_interval_ms: if self.drip_bytes > 0 { self.drip_interval_ms } else { 0 },
            corrupt_body_rate: self.corrupt_body_rate,
            short_csv_row_rate: self.short_csv_row_rate,
            redirect_rate: self.redirect_rate,
            redirect_to: self.redirect_to.clone(),
            huge_body_mib: self.huge_body_mib,
            endless_body: self.endless_body,
            endless_body_interval_ms: self.endless_body_interval_ms,
            repeat_first_page: self.repeat_first_page,
            cut_write_body_rate: self.cut_write_body_rate,
            ..FaultSpec::default()
        };
        if flags != FaultSpec::default() {
            faults.global = flags;
        }
        let fixed_now = match &self.fixed_now {
            Some(raw) => Some(time::OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339)?),
            None => None,
        };
        let mut config = MockConfig {
            host: self.host,
            port: self.port,
            seed: self.seed,
            fixed_now,
            time_scale: self.time_scale,
            agent_timing: if self.instant_agents {
                AgentTiming::instant()
            } else {
                AgentTiming {
                    creating: Duration::from_millis(self.agent_creating_ms),
                    running: Duration::from_millis(self.agent_running_ms),
                }
            },
            agent_error_rate: self.agent_error_rate,
            allowed_keys: (!self.keys.is_empty()).then_some(self.keys),
            non_enterprise_keys: self.non_enterprise_keys,
            accept_bearer: self.accept_bearer,
            daily_usage_max_days: self.daily_usage_max_days,
            faults,
            repositories_delay: Duration::from_millis(self.repositories_delay_ms),
            ..MockConfig::default()
        };
        config.data.members = self.members;
        config.data.history_days = self.history_days;
        config.data.commits = self.commits;
        config.data.changes = self.changes;
        config.data.agents_per_team = self.agents_per_team;
        config.data.audit_events_per_day = self.audit_events_per_day;
        let limits = &mut config.rate_limits;
        limits.enabled = !self.no_rate_limits;
        limits.admin_per_minute = self.admin_rpm;
        limits.user_spend_limit_per_minute = self.spend_limit_rpm;
        limits.analytics_team_per_minute = self.analytics_team_rpm;
        limits.analytics_by_user_per_minute = self.analytics_by_user_rpm;
        limits.ai_code_per_endpoint_per_minute = self.ai_code_rpm;
        limits.agents_per_minute = self.agents_rpm;
        limits.repositories_per_minute = self.repositories_rpm;
        limits.repositories_per_hour = self.repositories_rph;
        limits.bugbot_per_minute = self.bugbot_rpm;
        config.webhooks.max_attempts = self.webhook_max_attempts;
        config.webhooks.initial_backoff = Duration::from_millis(self.webhook_backoff_ms);
        config.webhooks.allow_non_loopback = self.webhook_allow_non_loopback;
        Ok(config)
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let config = Args::parse().into_config()?;
    let server = MockServer::start(config).await?;
    // Tools wait for this line; the URL is its last word.
    println!("cursor-mock listening on {}", server.base_url());
    tokio::signal::ctrl_c().await?;
    eprintln!("cursor-mock: shutting down");
    server.shutdown().await;
    Ok(())
}
