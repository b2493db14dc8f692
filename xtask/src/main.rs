//! `cargo xtask`: the CI checks (format, lints, tests, docs) and the workspace's own rules
//! (dependency direction, licenses, file headers, no stubs), runnable the same way locally.

mod bench;
mod conventions;
mod rules;

use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask <ci|fmt|lint|test|docs|rules|deny|bench>
  ci     fmt, rules, lint, test, docs and deny, in order (what .ci/run runs)
  fmt    cargo fmt --check
  lint   cargo clippy --workspace --all-targets -D warnings
  test   cargo nextest (or cargo test) on the workspace, then doctests
  docs   rustdoc with -D warnings
  rules  dependency direction, license allowlist, //! headers, no todo!/unimplemented!
  deny   cargo-deny (licenses, bans, sources) when installed; advisories are skipped offline
  bench  build cursor-bench (release) and run every figure into docs/BENCHMARKS.md and
         docs/benchmarks.json (not part of ci); --quick for a fast check, --only NAME,…";

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    let result = match task.as_str() {
        "ci" => ci(),
        "fmt" => fmt(),
        "lint" => lint(),
        "test" => test(),
        "docs" => docs(),
        "rules" => rules::check(),
        "deny" => deny(),
        "bench" => bench::bench(&std::env::args().skip(2).collect::<Vec<_>>()),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask {task}: FAILED: {message}");
            ExitCode::FAILURE
        }
    }
}

type Outcome = Result<(), String>;

fn ci() -> Outcome {
    for (name, step) in [
        ("fmt", fmt as fn() -> Outcome),
        ("rules", rules::check),
        ("lint", lint),
        ("test", test),
        ("docs", docs),
        ("deny", deny),
    ] {
        eprintln!("==> xtask {name}");
        step().map_err(|e| format!("{name}: {e}"))?;
    }
    eprintln!("==> xtask ci: all checks passed");
    Ok(())
}

/// Runs a command from the workspace root, failing on a non-zero exit.
fn run(program: &str, args: &[&str], env: &[(&str, &str)]) -> Outcome {
    eprintln!("$ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(rules::workspace_root())
        .status()
        .map_err(|e| format!("could not run {program}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("`{program} {}` exited with {status}", args.join(" "))) }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn fmt() -> Outcome {
    run(&cargo(), &["fmt", "--all", "--check"], &[])
}

fn lint() -> Outcome {
    run(&cargo(), &["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"], &[])
}

fn has_nextest() -> bool {
    Command::new(cargo()).args(["nextest", "--version"]).output().is_ok_and(|out| out.status.success())
}

fn test() -> Outcome {
    if has_nextest() {
        run(&cargo(), &["nextest", "run", "--workspace", "--locked", "--no-fail-fast"], &[])?;
    } else {
        eprintln!("note: cargo-nextest is not installed; using cargo test");
        run(&cargo(), &["test", "--workspace", "--locked", "--lib", "--bins", "--tests"], &[])?;
    }
    // nextest does not run doctests, and every public method's example is one.
    run(&cargo(), &["test", "--workspace", "--locked", "--doc"], &[])
}

fn docs() -> Outcome {
    run(&cargo(), &["doc", "--workspace", "--no-deps", "--locked"], &[("RUSTDOCFLAGS", "-D warnings")])
}

fn deny() -> Outcome {
    let installed = Command::new(cargo()).args(["deny", "--version"]).output().is_ok_and(|out| out.status.success());
    if !installed {
        eprintln!(
            "note: cargo-deny is not installed; the license allowlist and dependency rules were checked by `xtask rules`"
        );
        return Ok(());
    }
    eprintln!("note: skipping `cargo deny check advisories`: the RustSec advisory database is not reachable here");
    run(&cargo(), &["deny", "--offline", "check", "licenses", "bans", "sources"], &[])
}
