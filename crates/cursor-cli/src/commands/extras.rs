//! The commands that need no API client (`completion`, `webhook`, `mock`), run before one is
//! built, so that they work without a key.

use crate::cli::{Cli, Command};

/// Runs the command when it needs no client; `None` for every other command.
pub(crate) async fn run_without_client(cli: &Cli) -> Option<anyhow::Result<()>> {
    match &cli.command {
        Command::Completion(args) => Some(super::completion::run(args)),
        Command::Webhook { action } => Some(super::webhook::run(action)),
        Command::Mock { action } => Some(super::mock::run(action).await),
        _ => None,
    }
}
