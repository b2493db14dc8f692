//! The simulator from the command line: `--mock` that keeps its state between commands in a
//! state file, `cursor mock serve` (the simulator in the foreground), `cursor mock reset`.
//!
//! The state file is `$CURSOR_MOCK_STATE`, else `$XDG_STATE_HOME/cursor-rs/mock.json`, else
//! `~/.local/state/cursor-rs/mock.json`; an empty `CURSOR_MOCK_STATE` keeps `--mock` in
//! memory only. It holds the simulator's mutable state ([`cursor_mock::MockSnapshot`]) and the
//! key `--mock` uses, and is written atomically (a temporary file, then a rename). Two
//! `--mock` commands at once each save what they saw: the last one to finish wins.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, Subcommand};
use cursor_core::Client;
use cursor_mock::{MockConfig, MockServer, MockSnapshot, persist};
use serde::{Deserialize, Serialize};

use super::{MOCK_TIME_SCALE, UsageError, mock_client, session_key};
use crate::progress::Ui;

/// The environment variable naming the state file of `--mock` (empty: no state file).
pub(crate) const STATE_ENV: &str = "CURSOR_MOCK_STATE";

/// `mock` actions.
#[derive(Subcommand, Debug)]
pub(crate) enum MockAction {
    /// Run the simulator in the foreground on 127.0.0.1 until Ctrl-C (prints its base URL).
    #[command(after_long_help = "\
Any key starting with key_ is accepted, and each key is a team of its own.

Examples:
  cursor mock serve --port 8787
  cursor mock serve --seed 42 --state team.json
  CURSOR_BASE_URL=http://127.0.0.1:8787 CURSOR_API_KEY=key_demo cursor members")]
    Serve(ServeArgs),
    /// Forget what `--mock` commands changed (deletes the state file).
    #[command(after_long_help = "\
The state file is $CURSOR_MOCK_STATE, else $XDG_STATE_HOME/cursor-rs/mock.json, else \
~/.local/state/cursor-rs/mock.json.

Example:
  cursor mock reset")]
    Reset,
}

/// `mock serve` arguments.
#[derive(Args, Debug)]
pub(crate) struct ServeArgs {
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The seed of the simulated team: the same seed gives the same data.
    #[arg(long, default_value_t = MockConfig::default().seed)]
    seed: u64,
    /// Load the state from FILE at start (when it exists) and save it there after each write
    /// and on exit.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
}

/// What the state file of `--mock` holds.
#[derive(Serialize, Deserialize)]
struct SessionFile {
    /// The key `--mock` commands use: each key is its own team in the simulator.
    key: String,
    /// The simulator's state.
    simulator: MockSnapshot,
}

/// The state file of `--mock`, or `None` when `CURSOR_MOCK_STATE` is set and empty.
pub(crate) fn state_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(STATE_ENV) {
        return (!path.is_empty()).then(|| PathBuf::from(path));
    }
    let base = std::env::var_os("XDG_STATE_HOME").filter(|dir| !dir.is_empty()).map(PathBuf::from).or_else(|| {
        std::env::var_os("HOME").filter(|h| !h.is_empty()).map(|h| PathBuf::from(h).join(".local/state"))
    })?;
    Some(base.join("cursor-rs").join("mock.json"))
}

/// A `--mock` simulator with its state file: started from the saved state, saved when the
/// command is done ([`finish`](Self::finish)) or, if the command is dropped (Ctrl-C), when
/// the session is dropped.
pub(crate) struct MockSession {
    server: Option<MockServer>,
    key: String,
    path: Option<PathBuf>,
}

/// Starts the simulator for `--mock` from the saved state, and a client for it.
pub(crate) async fn start_session(ui: &Arc<Ui>) -> anyhow::Result<(MockSession, Client)> {
    let path = state_path();
    let saved = match &path {
        Some(path) => read_session(path)?,
        None => None,
    };
    let key = saved.as_ref().map(|s| s.key.clone()).unwrap_or_else(session_key);
    let config =
        MockConfig { allowed_keys: Some(vec![key.clone()]), time_scale: MOCK_TIME_SCALE, ..MockConfig::default() };
    let server = MockServer::start(config).await.map_err(|e| anyhow::anyhow!("could not start the simulator: {e}"))?;
    if let (Some(saved), Some(path)) = (saved, &path) {
        server
            .restore(saved.simulator)
            .map_err(|e| UsageError(format!("{}: {e} (`cursor mock reset` forgets it)", path.display())))?;
    }
    let client = mock_client(key.clone(), server.base_url(), ui)?;
    Ok((MockSession { server: Some(server), key, path }, client))
}

fn read_session(path: &Path) -> anyhow::Result<Option<SessionFile>> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(anyhow::anyhow!("reading the simulator's state {}: {error}", path.display())),
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|e| {
        UsageError(format!("{} is not a saved simulator state ({e}): `cursor mock reset` deletes it", path.display()))
            .into()
    })
}

impl MockSession {
    /// Saves the state and stops the simulator, after a command that ended with `outcome`:
    /// what a failed command changed before it failed is kept too. A failure to save is the
    /// command's error when it succeeded, and a warning when it had failed already.
    pub(crate) async fn finish(mut self, outcome: anyhow::Result<()>) -> anyhow::Result<()> {
        let saved = self.save();
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
        match (outcome, saved) {
            (Ok(()), saved) => saved,
            (Err(error), Ok(())) => Err(error),
            (Err(error), Err(not_saved)) => {
                eprintln!("warning: {not_saved:#}");
                Err(error)
            }
        }
    }

    fn save(&self) -> anyhow::Result<()> {
        let (Some(server), Some(path)) = (&self.server, &self.path) else { return Ok(()) };
        let file = SessionFile { key: self.key.clone(), simulator: server.snapshot() };
        let bytes = serde_json::to_vec(&file)?;
        persist::write_atomically(path, &bytes)
            .map_err(|e| anyhow::anyhow!("saving the simulator's state to {}: {e}", path.display()))
    }
}

impl Drop for MockSession {
    fn drop(&mut self) {
        // Only when `finish` did not run: the command was interrupted, and what it changed
        // so far is still worth keeping.
        if self.server.is_some()
            && let Err(error) = self.save()
        {
            eprintln!("warning: {error:#}");
        }
    }
}

/// Runs a `mock` action.
pub(crate) async fn run(action: &MockAction) -> anyhow::Result<()> {
    match action {
        MockAction::Reset => reset(),
        MockAction::Serve(args) => serve(args).await,
    }
}

fn reset() -> anyhow::Result<()> {
    let Some(path) = state_path() else {
        eprintln!("{STATE_ENV} is empty: --mock keeps no state, nothing to forget");
        return Ok(());
    };
    match std::fs::remove_file(&path) {
        Ok(()) => eprintln!("forgot the simulator's state ({})", path.display()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("no saved simulator state ({})", path.display());
        }
        Err(error) => return Err(anyhow::anyhow!("deleting {}: {error}", path.display())),
    }
    Ok(())
}

/// The server of `mock serve`, saving its state to a file when dropped (Ctrl-C ends the
/// command by dropping it).
struct SavedServer {
    server: MockServer,
    path: Option<PathBuf>,
}

impl SavedServer {
    fn save(&self) -> anyhow::Result<()> {
        let Some(path) = &self.path else { return Ok(()) };
        persist::save(path, &self.server.snapshot())
            .map_err(|e| anyhow::anyhow!("saving the simulator's state to {}: {e}", path.display()))
    }
}

impl Drop for SavedServer {
    fn drop(&mut self) {
        if let Err(error) = self.save() {
            eprintln!("warning: {error:#}");
        }
    }
}

async fn serve(args: &ServeArgs) -> anyhow::Result<()> {
    let config = MockConfig { port: args.port, seed: args.seed, ..MockConfig::default() };
    let server = MockServer::start(config).await.map_err(|e| anyhow::anyhow!("could not start the simulator: {e}"))?;
    if let Some(path) = &args.state
        && let Some(saved) = persist::load(path)?
    {
        server.restore(saved).map_err(|e| UsageError(format!("--state {}: {e}", path.display())))?;
    }
    let mut writes = server.writes();
    let served = SavedServer { server, path: args.state.clone() };
    // Tools wait for this line; the URL is its last word.
    println!("cursor mock: serving on {}", served.server.base_url());
    eprintln!("any key starting with key_ works; Ctrl-C stops");
    // Ctrl-C is the command line's own (it ends the command as interrupted by dropping this
    // future, and `served` saves when dropped); until then, save after each write.
    while writes.changed().await.is_ok() {
        served.save()?;
    }
    Ok(())
}
