//! `cursor`: the command-line tool of cursor-rs. Parses the arguments, runs the command and
//! maps its outcome to an exit code (see [`exit`]: 0 success, 2 usage, 3 auth, 4 not found, 5
//! rate limited, 6 outcome unknown, 7 API, 8 network, 130 interrupted, 1 anything else).

// The doc comments in `cli` are clap's `--help` text, where a bare URL reads better than
// rustdoc's `<…>` link syntax.
#[allow(rustdoc::bare_urls)]
mod cli;
mod commands;
mod exit;
mod output;
mod progress;
mod report;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_tracing(cli.verbose);
    let ui = progress::Ui::for_stderr(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: could not start the async runtime: {error}");
            return ExitCode::from(exit::FAILURE);
        }
    };
    let outcome = runtime.block_on(async {
        tokio::select! {
            outcome = commands::run(cli, ui.clone()) => outcome,
            // Dropping the command's future drops its half-written files, which removes them.
            _ = tokio::signal::ctrl_c() => Err(exit::Interrupted.into()),
        }
    });
    ui.finish();
    match outcome {
        Ok(()) => ExitCode::from(exit::SUCCESS),
        // `cursor … | head`: the reader left, nothing more to say.
        Err(error) if exit::is_broken_pipe(&error) => ExitCode::from(exit::SUCCESS),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(exit::code_of(&error))
        }
    }
}

/// `-vvv` adds the tracing subscriber at trace level (the HTTP library's own events), to
/// stderr; `-v` and `-vv` print through the SDK's observer instead (see [`progress`]).
fn init_tracing(verbose: u8) {
    if verbose < 3 {
        return;
    }
    let filter = "trace";
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .try_init();
}
