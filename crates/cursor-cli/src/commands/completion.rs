//! `cursor completion bash|zsh|fish`: a shell completion script, generated from the command
//! line's own definition so it always lists every subcommand and flag.

use clap::{Args, CommandFactory as _, ValueEnum};
use clap_complete::Shell;

/// The shells `cursor completion` writes scripts for.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub(crate) enum CompletionShell {
    /// Bash (`source <(cursor completion bash)`).
    Bash,
    /// Zsh (write it as `_cursor` in a directory of `$fpath`).
    Zsh,
    /// Fish (write it to `~/.config/fish/completions/cursor.fish`).
    Fish,
}

/// `completion` arguments.
#[derive(Args, Debug)]
#[command(after_long_help = "\
Examples:
  source <(cursor completion bash)
  cursor completion zsh > \"${fpath[1]}/_cursor\"
  cursor completion fish > ~/.config/fish/completions/cursor.fish")]
pub(crate) struct CompletionArgs {
    /// The shell.
    #[arg(value_enum)]
    shell: CompletionShell,
}

/// Writes the script to standard output.
pub(crate) fn run(args: &CompletionArgs) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    write_script(args.shell, &mut out);
    Ok(())
}

/// Writes the completion script for `shell`.
fn write_script(shell: CompletionShell, out: &mut dyn std::io::Write) {
    let shell = match shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
    };
    clap_complete::generate(shell, &mut crate::cli::Cli::command(), "cursor", out);
}
