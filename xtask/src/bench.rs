//! `cargo xtask bench`: builds `cursor-bench` in release mode, prepares the Python peer (a venv
//! under target/ with the PyPI package `cursor-agent-sdk`), and runs every figure, which writes
//! `docs/BENCHMARKS.md` and `docs/benchmarks.json`. `--quick` runs fewer repeats and smaller
//! sizes and writes to `target/bench-quick/` instead, and `--only NAME,…` runs some figures
//! into `target/bench-only/`: only a full run replaces the committed results.
//! Not part of `xtask ci`: a benchmark never fails CI on a number.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Outcome, rules::workspace_root, run};

/// The peer package and the version checked to talk to a plain base URL with the v0 API.
const PEER_PACKAGE: &str = "cursor-agent-sdk==0.1.2";

pub fn bench(args: &[String]) -> Outcome {
    let quick = args.iter().any(|a| a == "--quick");
    let mut passthrough: Vec<String> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--quick" => passthrough.push(arg.clone()),
            "--only" => {
                passthrough.push(arg.clone());
                passthrough.push(rest.next().ok_or("--only needs a comma-separated list of figures")?.clone());
            }
            other => return Err(format!("unknown argument `{other}` (expected --quick, --only NAME,…)")),
        }
    }
    let root = workspace_root();
    // `cargo` through rustup, so that rust-toolchain.toml picks the pinned toolchain (the
    // `CARGO` that `cargo xtask` passes down can be another toolchain's, which would rebuild
    // the whole release tree and measure another compiler).
    run("cargo", &["build", "--release", "--locked", "-p", "cursor-bench"], &[])?;
    // Only a full run of every figure replaces the committed results.
    let only = args.iter().any(|a| a == "--only");
    let out = match (quick, only) {
        (true, _) => root.join("target").join("bench-quick"),
        (false, true) => root.join("target").join("bench-only"),
        (false, false) => root.join("docs"),
    };
    let mut command = vec!["run".to_owned(), "--out".to_owned(), out.display().to_string()];
    command.extend(passthrough);
    match python_peer(&root) {
        Some(python) => command.extend(["--python".to_owned(), python.display().to_string()]),
        None => eprintln!("note: no python3 found; the peer-agents figure is skipped"),
    }
    let binary = root.join("target").join("release").join("cursor-bench");
    let args: Vec<&str> = command.iter().map(String::as_str).collect();
    run(&binary.display().to_string(), &args, &[])?;
    eprintln!("bench: results in {}", out.join("BENCHMARKS.md").display());
    Ok(())
}

/// A Python with `cursor-agent-sdk` installed in `target/bench-venv` when that works; the
/// system `python3` otherwise (the bench then runs a plain urllib peer and says so).
fn python_peer(root: &Path) -> Option<PathBuf> {
    let system = which("python3")?;
    let venv = root.join("target").join("bench-venv");
    let python = venv.join("bin").join("python");
    if !python.exists() {
        let made = Command::new(&system).args(["-m", "venv"]).arg(&venv).status().is_ok_and(|s| s.success());
        if !made {
            eprintln!("note: could not create {}; using {}", venv.display(), system.display());
            return Some(system);
        }
    }
    let has_package =
        Command::new(&python).args(["-c", "import cursor_agent"]).output().is_ok_and(|o| o.status.success());
    if !has_package {
        eprintln!("$ {} -m pip install --quiet {PEER_PACKAGE}", python.display());
        let installed = Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", PEER_PACKAGE])
            .status()
            .is_ok_and(|s| s.success());
        if !installed {
            eprintln!("note: {PEER_PACKAGE} could not be installed; peer-agents falls back to plain urllib");
        }
    }
    Some(python)
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|candidate| candidate.is_file())
}
