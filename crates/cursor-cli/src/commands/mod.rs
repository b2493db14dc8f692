//! Running a command: building the SDK client (or starting the simulator for `--mock`) and
//! dispatching to one module per API family.

mod admin;
mod agents;
mod agents_v1;
mod aicode;
mod analytics;
pub(crate) mod api;
mod bugbot;
pub(crate) mod completion;
mod extras;
pub(crate) mod mock;
mod report;
pub(crate) mod sync;
pub(crate) mod webhook;

use std::fmt;
use std::hash::{BuildHasher as _, Hasher as _};
use std::time::Duration;

use cursor_core::{ApiKey, Client, RateLimits, RetryPolicy};

use crate::cli::{Cli, Command};

/// An error in how the command was invoked (exit code 2), as opposed to an API error (1).
#[derive(Debug)]
pub(crate) struct UsageError(pub(crate) String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// What every command gets: the SDK client and the output mode.
pub(crate) struct Ctx {
    /// The SDK client (shared by every API family's client).
    pub(crate) client: Client,
    /// Print JSON instead of tables.
    pub(crate) json: bool,
}

/// Simulated seconds per real second for `--mock`: a one-minute rate-limit window lasts
/// 1/3600 of a second, so the simulator's limits never stall a demo.
const MOCK_TIME_SCALE: f64 = 3600.0;

/// A fresh `key_mock…` for one session of the simulator.
fn session_key() -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher
        .write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    hasher.write_u32(std::process::id());
    format!("key_mock{:016x}", hasher.finish())
}

/// Fewer, shorter retries than the SDK's default (5 attempts, up to 32 s apart): someone is
/// waiting at the terminal. `429`s still wait as long as `Retry-After` says.
pub(crate) fn interactive_retries() -> RetryPolicy {
    RetryPolicy { max_attempts: 3, base_delay: Duration::from_millis(500), ..RetryPolicy::default() }
}

/// The client for `--mock`: the same interactive retry policy as against the real API, so
/// that a demo behaves like the real thing, but no client-side rate limits.
fn mock_client(key: String, base_url: String) -> cursor_core::Result<Client> {
    Client::builder()
        .api_key(ApiKey::new(key))
        .base_url(base_url)
        .retry_policy(interactive_retries())
        // The simulator's own limits run 3600 times faster than real time; the SDK's
        // client-side limits would make a demo wait for nothing.
        .rate_limits(RateLimits::unlimited())
        .build()
}

/// Runs the command the command line asks for.
pub(crate) async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Some(outcome) = sync::run_without_client(&cli).await {
        return outcome;
    }
    if let Some(outcome) = extras::run_without_client(&cli).await {
        return outcome;
    }
    let mut mock = None;
    let client = if cli.mock {
        let (session, client) = mock::start_session().await?;
        mock = Some(session);
        client
    } else {
        let Some(key) = cli.api_key else {
            return Err(UsageError(
                "no API key: pass --api-key or set CURSOR_API_KEY (or try --mock for the simulator)".into(),
            )
            .into());
        };
        let mut builder = Client::builder().api_key(key).retry_policy(interactive_retries());
        if let Some(url) = cli.base_url.filter(|url| !url.trim().is_empty()) {
            builder = builder.base_url(url);
        }
        builder.build()?
    };
    let ctx = Ctx { client, json: cli.json };
    let outcome = dispatch(&ctx, cli.command).await;
    match mock {
        Some(session) => session.finish(outcome).await,
        None => outcome,
    }
}

async fn dispatch(ctx: &Ctx, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Report(args) => report::run(ctx, &args).await,
        Command::Sync(args) => sync::run(ctx, &args).await,
        Command::Members => admin::members(ctx).await,
        Command::AuditLogs(args) => admin::audit_logs(ctx, args).await,
        Command::DailyUsage(range) => admin::daily_usage(ctx, range).await,
        Command::Spend(args) => admin::spend(ctx, args).await,
        Command::UsageEvents(args) => admin::usage_events(ctx, args).await,
        Command::SpendLimit { action } => admin::spend_limit(ctx, action).await,
        Command::RemoveMember { member } => admin::remove_member(ctx, &member).await,
        Command::ModelAccess { action } => admin::model_access(ctx, action).await,
        Command::Analytics(args) => analytics::run(ctx, args).await,
        Command::AiCode(args) => aicode::run(ctx, args).await,
        Command::AiCodeLookup { hashes, branch } => aicode::lookup(ctx, hashes, branch).await,
        Command::Agents { action } => agents::run(ctx, action).await,
        Command::Bugbot { action } => bugbot::run(ctx, action).await,
        Command::Api(args) => api::run(ctx, args).await,
        Command::Completion(_) | Command::Webhook { .. } | Command::Mock { .. } => {
            unreachable!("run by extras::run_without_client before a client is built")
        }
    }
}

#[cfg(test)]
mod tests {
    use cursor_mock::{FaultConfig, FaultSpec, MockConfig, MockServer, RouteFault};

    use super::*;

    #[tokio::test]
    async fn the_mock_client_retries_like_the_interactive_policy() {
        let key = session_key();
        let mut config = MockConfig { allowed_keys: Some(vec![key.clone()]), ..MockConfig::for_tests() };
        config.faults = FaultConfig {
            global: FaultSpec::default(),
            routes: vec![RouteFault {
                path: "/teams/members".into(),
                method: Some("GET".into()),
                fault: FaultSpec { error_rate: 1.0, error_statuses: vec![503], ..FaultSpec::default() },
                times: None,
            }],
        };
        let server = MockServer::start(config).await.unwrap();
        let client = mock_client(key, server.base_url()).unwrap();
        let error = cursor_admin::AdminClient::new(client).members().await.expect_err("every attempt fails");
        assert_eq!(error.status(), Some(503), "{error}");
        let attempts = server.journal().iter().filter(|e| e.path == "/teams/members").count();
        assert_eq!(attempts as u32, interactive_retries().max_attempts);
        server.shutdown().await;
    }
}
