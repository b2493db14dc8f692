//! `cursor`: the command-line tool of cursor-rs. Parses the arguments, runs the command and
//! maps its outcome to an exit code (0 success, 1 API or transport error, 2 usage error).

// The doc comments in `cli` are clap's `--help` text, where a bare URL reads better than
// rustdoc's `<…>` link syntax.
#[allow(rustdoc::bare_urls)]
mod cli;
mod commands;
mod output;
mod report;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_tracing(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: could not start the async runtime: {error}");
            return ExitCode::from(1);
        }
    };
    let outcome = runtime.block_on(async {
        tokio::select! {
            outcome = commands::run(cli) => outcome,
            _ = tokio::signal::ctrl_c() => Err(anyhow::anyhow!("interrupted")),
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        // `cursor … | head`: the reader left, nothing more to say.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            if is_usage_error(&error) { ExitCode::from(2) } else { ExitCode::from(1) }
        }
    }
}

/// A bad invocation: our own checks, or input the SDK refused before sending anything
/// ([`cursor_core::Error::InvalidRequest`]). Every answer of the API, a `400` included, is an
/// API error (exit 1), not a usage error.
fn is_usage_error(error: &anyhow::Error) -> bool {
    error.is::<commands::UsageError>()
        || error
            .downcast_ref::<cursor_core::Error>()
            .is_some_and(|e| matches!(e, cursor_core::Error::InvalidRequest { .. }))
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe))
}

/// `-v` logs the SDK's requests, `-vv` everything at debug level, `-vvv` at trace level; to stderr.
fn init_tracing(verbose: u8) {
    if verbose == 0 {
        return;
    }
    let filter = match verbose {
        1 => "info,cursor_core=debug",
        2 => "debug",
        _ => "trace",
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .try_init();
}
