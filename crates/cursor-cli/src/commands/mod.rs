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

use std::io::IsTerminal as _;
use std::sync::Arc;

use cursor_core::{ApiKey, Client, NextPage, Page, RateLimits, RetryPolicy};
use serde_json::Value;

use crate::cli::{Cli, Command, Format, PageArgs};
use crate::output::file::Destination;
use crate::output::list::{ListOutput, Listing};
use crate::progress::{Ui, UiObserver};

/// An error in how the command was invoked (exit code 2), as opposed to an API error (1).
#[derive(Debug)]
pub(crate) struct UsageError(pub(crate) String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// What every command gets: the SDK client, the output mode and the stderr side.
pub(crate) struct Ctx {
    /// The SDK client (shared by every API family's client).
    pub(crate) client: Client,
    /// Print machine-readable output (json, ndjson or csv) instead of tables.
    pub(crate) json: bool,
    /// The output format.
    pub(crate) format: Format,
    /// Whether JSON was asked for (`-o json` or `--json`), not only chosen because stdout is
    /// not a terminal: the report is a page to read, and stays text in a pipe unless asked.
    pub(crate) json_asked: bool,
    /// Progress and `-v` lines on stderr.
    pub(crate) ui: Arc<Ui>,
}

impl Ctx {
    /// Prints one object in the output format (`table` draws the command's own view).
    pub(crate) fn print<T: serde::Serialize + ?Sized>(&self, value: &T) -> anyhow::Result<()> {
        self.ui.finish();
        crate::output::print_object(self.format, value, || crate::output::print_json(value))
    }

    /// Says that a write without an answer body took effect: `{"id": …, "done": true}`, or a
    /// line such as "deleted group ID".
    pub(crate) fn print_done(&self, id: &str, what: &str) -> anyhow::Result<()> {
        if self.format == Format::Table {
            crate::output::outln!("{what} {id}");
            return Ok(());
        }
        self.print(&serde_json::json!({ "id": id, "done": true }))
    }

    /// A list printed to stdout as it arrives, with the paging flags' limit.
    pub(crate) fn list(&self, listing: &'static Listing, paging: &PageArgs) -> ListOutput {
        ListOutput::new(
            self.format,
            listing,
            Destination::Stdout,
            self.ui.clone(),
            paging.limit(self.format),
            paging.page.is_some(),
        )
    }
}

/// Reads the pages of a paged endpoint with `fetch(page number)`, from `--page` (or the
/// first) on, into `out`: one page with `--page`, else every page until the last or until
/// `out` has enough. The page's own shape says what follows it ([`Page::next_page`]).
pub(crate) async fn read_pages<P, F, Fut>(mut out: ListOutput, paging: &PageArgs, mut fetch: F) -> anyhow::Result<()>
where
    P: Page + serde::Serialize,
    F: FnMut(u32) -> Fut,
    Fut: std::future::Future<Output = cursor_core::Result<P>>,
{
    let mut requested = paging.page.unwrap_or(1);
    // A server that answers the same page again would make this loop forever: stop instead,
    // as the SDK's own page streams do.
    let mut seen = std::collections::HashSet::new();
    loop {
        let page = fetch(requested).await?;
        let next = page.next_page(requested);
        let value = serde_json::to_value(&page)?;
        // Its items, not its whole body: a repeated page may echo a new page number.
        let items = value.get(out.items_key()).map(Value::to_string).unwrap_or_default();
        if items != "[]" && !seen.insert(items) {
            return Err(stopped(format!("page {requested} repeats the items of an earlier page")));
        }
        let wanted = out.page(value)?;
        if paging.page.is_some() || !wanted {
            break;
        }
        match next {
            NextPage::Number(n) if n > requested => requested = n,
            NextPage::Done => break,
            NextPage::Number(n) => return Err(stopped(format!("page {requested} points back to page {n}"))),
            NextPage::Cursor(_) => return Err(stopped("a numbered page answered with a cursor".into())),
            NextPage::Inconsistent(message) => return Err(stopped(message)),
        }
    }
    out.finish()
}

/// The SDK's own error for a server that pages wrongly (an API error, exit 7).
fn stopped(message: String) -> anyhow::Error {
    cursor_core::Error::pagination("cursor.list", message).into()
}

/// Prints a stream of items into `out` until it ends or `out` has enough.
pub(crate) async fn read_items<T: serde::Serialize>(
    mut out: ListOutput,
    mut items: impl futures_util::Stream<Item = cursor_core::Result<T>> + Unpin,
) -> anyhow::Result<()> {
    use futures_util::TryStreamExt as _;
    while let Some(item) = items.try_next().await? {
        if !out.item(serde_json::to_value(&item)?)? {
            break;
        }
    }
    out.finish()
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
fn mock_client(key: String, base_url: String, ui: &Arc<Ui>) -> cursor_core::Result<Client> {
    Client::builder()
        .observer(UiObserver(ui.clone()))
        .api_key(ApiKey::new(key))
        .base_url(base_url)
        .retry_policy(interactive_retries())
        // The simulator's own limits run 3600 times faster than real time; the SDK's
        // client-side limits would make a demo wait for nothing.
        .rate_limits(RateLimits::unlimited())
        .build()
}

/// Runs the command the command line asks for.
pub(crate) async fn run(mut cli: Cli, ui: Arc<Ui>) -> anyhow::Result<()> {
    let format =
        cli.output.unwrap_or(if cli.json || !std::io::stdout().is_terminal() { Format::Json } else { Format::Table });
    // `sync` and `report --db` read `json` before any client exists: JSON when asked for.
    cli.json = cli.json || cli.output == Some(Format::Json);
    if let Some(outcome) = sync::run_without_client(&cli).await {
        return outcome;
    }
    if let Some(outcome) = extras::run_without_client(&cli).await {
        return outcome;
    }
    let mut mock = None;
    let client = if cli.mock {
        let (session, client) = mock::start_session(&ui).await?;
        mock = Some(session);
        client
    } else {
        let Some(key) = cli.api_key else {
            return Err(UsageError(
                "no API key: pass --api-key or set CURSOR_API_KEY (or try --mock for the simulator)".into(),
            )
            .into());
        };
        let mut builder =
            Client::builder().api_key(key).retry_policy(interactive_retries()).observer(UiObserver(ui.clone()));
        if let Some(url) = cli.base_url.filter(|url| !url.trim().is_empty()) {
            builder = builder.base_url(url);
        }
        builder.build()?
    };
    let ctx = Ctx { client, json: format != Format::Table, format, json_asked: cli.json, ui };
    let outcome = dispatch(&ctx, cli.command).await;
    match mock {
        Some(session) => session.finish(outcome).await,
        None => outcome,
    }
}

async fn dispatch(ctx: &Ctx, command: Command) -> anyhow::Result<()> {
    use crate::cli::{
        AiCodeAction, AiCodeKind, AuditLogsVerb, DailyUsageVerb, MembersVerb, SpendVerb, UsageEventsVerb,
    };
    match command {
        Command::Report(args) => report::run(ctx, &args).await,
        Command::Sync(args) => sync::run(ctx, &args).await,
        Command::Members(cmd) => match cmd.verb {
            None => admin::members(ctx, &cmd.list).await,
            Some(MembersVerb::List(paging)) => admin::members(ctx, &paging).await,
            Some(MembersVerb::Remove { member }) => admin::remove_member(ctx, &member).await,
        },
        Command::AuditLogs(cmd) => {
            admin::audit_logs(ctx, cmd.verb.map_or(cmd.list, |AuditLogsVerb::List(args)| args)).await
        }
        Command::DailyUsage(cmd) => {
            admin::daily_usage(ctx, cmd.verb.map_or(cmd.list, |DailyUsageVerb::List(args)| args)).await
        }
        Command::Spend(cmd) => admin::spend(ctx, cmd.verb.map_or(cmd.list, |SpendVerb::List(args)| args)).await,
        Command::UsageEvents(cmd) => {
            admin::usage_events(ctx, cmd.verb.map_or(cmd.list, |UsageEventsVerb::List(args)| args)).await
        }
        Command::SpendLimit { action } => admin::spend_limit(ctx, action).await,
        Command::Groups { action } => admin::groups(ctx, action).await,
        Command::Blocklists { action } => admin::blocklists(ctx, action).await,
        Command::RemoveMember { member } => admin::remove_member(ctx, &member).await,
        Command::ModelAccess { action } => admin::model_access(ctx, action).await,
        Command::Analytics(args) => analytics::run(ctx, args).await,
        Command::AiCode { action } => match action {
            AiCodeAction::Commits(args) => aicode::run(ctx, AiCodeKind::Commits, args).await,
            AiCodeAction::Changes(args) => aicode::run(ctx, AiCodeKind::Changes, args).await,
            AiCodeAction::Lookup(args) => aicode::lookup(ctx, args.hashes, args.branch).await,
        },
        Command::AiCodeLookup(args) => aicode::lookup(ctx, args.hashes, args.branch).await,
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
        let client = mock_client(key, server.base_url(), &Ui::new(0, false)).unwrap();
        let error = cursor_admin::AdminClient::new(client).members().await.expect_err("every attempt fails");
        assert_eq!(error.status(), Some(503), "{error}");
        let attempts = server.journal().iter().filter(|e| e.path == "/teams/members").count();
        assert_eq!(attempts as u32, interactive_retries().max_attempts);
        server.shutdown().await;
    }
}
