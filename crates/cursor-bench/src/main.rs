//! `cursor-bench`: the cursor-rs benchmarks. `cargo xtask bench` builds it in release mode and
//! runs `cursor-bench run`, which measures every figure as a ratio against a baseline taken in
//! the same run, repeats it, and writes `BENCHMARKS.md` and `benchmarks.json`.
//!
//! ```text
//! cursor-bench run [--quick] [--only export,csv,…] [--out DIR] [--python PATH]
//! ```
//!
//! The other subcommands are the child processes the figures start (so that CPU time and peak
//! memory are one process's own): `serve`, `small-job`, `csv-child`, `keys-child`.

mod csv;
mod decode;
mod etag;
mod export;
mod keys;
mod loopback;
mod measure;
mod overhead;
mod peer_curl;
mod report;
mod small_job;
mod sync;
mod window;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use report::{Figure, Machine};

/// Every figure, in the order they run and are reported.
pub const FIGURES: [&str; 10] =
    ["decode", "overhead", "etag", "keys", "csv", "export", "small-job", "peer-curl", "peer-agents", "sync"];

/// The scripts the peers run, written next to the results at run time.
const SCRIPTS: [(&str, &str); 3] = [
    ("peer_agents_sdk.py", include_str!("../scripts/peer_agents_sdk.py")),
    ("peer_agents_urllib.py", include_str!("../scripts/peer_agents_urllib.py")),
    ("peer_curl.sh", include_str!("../scripts/peer_curl.sh")),
];

/// How a run was asked for.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Fewer repeats and smaller sizes, for a fast check.
    pub quick: bool,
    /// Only these figures (`None`: all).
    pub only: Option<Vec<String>>,
    /// Where the results go.
    pub out: PathBuf,
    /// A Python interpreter for `peer-agents` (a venv with `cursor-agent-sdk`, ideally).
    pub python: Option<PathBuf>,
    /// Where the peer scripts were written.
    pub scripts: PathBuf,
}

impl Settings {
    /// How many times to repeat a measurement: `full` normally, once with `--quick`.
    pub fn repeats(&self, full: usize) -> usize {
        if self.quick { 1 } else { full.max(3) }
    }

    /// Whether a figure was asked for.
    pub fn wants(&self, figure: &str) -> bool {
        self.only.as_ref().is_none_or(|only| only.iter().any(|o| o == figure))
    }

    /// The path of a peer script.
    pub fn script(&self, name: &str) -> Result<PathBuf, String> {
        let path = self.scripts.join(name);
        if path.exists() { Ok(path) } else { Err(format!("{} is missing", path.display())) }
    }

    /// The Python interpreter and the peer-agents script it can run: the `cursor-agent-sdk`
    /// script when the package imports, the plain urllib one otherwise.
    pub async fn python_peer(&self) -> Option<(PathBuf, PathBuf)> {
        let python = self.python.clone()?;
        let has_package = tokio::process::Command::new(&python)
            .args(["-c", "import cursor_agent"])
            .output()
            .await
            .is_ok_and(|o| o.status.success());
        let script = if has_package { "peer_agents_sdk.py" } else { "peer_agents_urllib.py" };
        Some((python, self.script(script).ok()?))
    }
}

fn parse_run(args: &[String]) -> Result<Settings, String> {
    let mut settings = Settings { out: PathBuf::from("docs"), ..Settings::default() };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => settings.quick = true,
            "--only" => {
                let names: Vec<String> =
                    args.next().ok_or("--only needs a list")?.split(',').map(|s| s.trim().to_owned()).collect();
                if let Some(bad) = names.iter().find(|n| !FIGURES.contains(&n.as_str())) {
                    return Err(format!("unknown figure `{bad}`; the figures are {}", FIGURES.join(", ")));
                }
                settings.only = Some(names);
            }
            "--out" => settings.out = PathBuf::from(args.next().ok_or("--out needs a directory")?),
            "--python" => settings.python = Some(PathBuf::from(args.next().ok_or("--python needs a path")?)),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    settings.scripts = settings.out.join("bench-scripts");
    Ok(settings)
}

fn write_scripts(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (name, text) in SCRIPTS {
        std::fs::write(dir.join(name), text).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

/// Runs the figures asked for, writing the results after each one (a failure later keeps
/// what was measured).
async fn run(settings: Settings) -> Result<(), String> {
    let machine = Machine::detect();
    // Scripts go to a scratch place (the results directory may be the committed docs/).
    let scratch = std::env::temp_dir().join(format!("cursor-bench-{}", std::process::id()));
    let settings = Settings { scripts: scratch.join("scripts"), ..settings };
    write_scripts(&settings.scripts)?;
    std::fs::create_dir_all(&settings.out).map_err(|e| format!("{}: {e}", settings.out.display()))?;
    let command = if settings.quick { "cargo xtask bench --quick" } else { "cargo xtask bench" };
    let mut figures: Vec<Figure> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    if settings.quick {
        notes.push("A `--quick` run: one repeat, smaller sizes; for checking the harness, not for quoting.".into());
    }
    let mut failures = Vec::new();
    for name in FIGURES {
        // peer-agents is measured with small-job: the same simulator, the runs side by side.
        let wanted = settings.wants(name) || (name == "small-job" && settings.wants("peer-agents"));
        if name == "peer-agents" || !wanted {
            continue;
        }
        eprintln!("==> {name}");
        let started = std::time::Instant::now();
        let result = match name {
            "decode" => decode::figures(&settings).await.map(|f| (f, Vec::new())),
            "overhead" => overhead::figures(&settings).await.map(|f| (f, Vec::new())),
            "etag" => etag::figures(&settings).await.map(|f| (f, Vec::new())),
            "keys" => keys::figures(&settings).await.map(|f| (f, Vec::new())),
            "csv" => csv::figures(&settings).await.map(|f| (f, Vec::new())),
            "export" => export::figures(&settings).await.map(|f| (f, Vec::new())),
            "small-job" => small_job::figures(&settings).await,
            "peer-curl" => peer_curl::figures(&settings).await,
            "sync" => sync::figures(&settings).await.map(|f| (f, Vec::new())),
            _ => Ok((Vec::new(), Vec::new())),
        };
        match result {
            Ok((new, new_notes)) => {
                for figure in &new {
                    eprintln!(
                        "    {}: ratio {} (min {}), target {}",
                        figure.name,
                        report::fmt(figure.ratio()),
                        report::fmt(figure.ratio_min()),
                        figure.target
                    );
                }
                figures.extend(new);
                notes.extend(new_notes);
            }
            Err(error) => {
                eprintln!("    {name} FAILED: {error}");
                failures.push(format!("{name}: {error}"));
                notes.push(format!("{name} could not be measured in this run: {error}"));
            }
        }
        eprintln!("    ({:.0} s)", started.elapsed().as_secs_f64());
        write_results(&settings.out, &figures, &machine, command, &notes)?;
    }
    let _ = std::fs::remove_dir_all(&scratch);
    if failures.is_empty() { Ok(()) } else { Err(failures.join("; ")) }
}

fn write_results(
    out: &Path,
    figures: &[Figure],
    machine: &Machine,
    command: &str,
    notes: &[String],
) -> Result<(), String> {
    let json = out.join("benchmarks.json");
    std::fs::write(&json, report::json_report(figures)).map_err(|e| format!("{}: {e}", json.display()))?;
    let md = out.join("BENCHMARKS.md");
    std::fs::write(&md, report::markdown_report(figures, machine, command, notes))
        .map_err(|e| format!("{}: {e}", md.display()))
}

fn usage() -> String {
    format!(
        "usage: cursor-bench run [--quick] [--only NAME,…] [--out DIR] [--python PATH]\n  figures: {}",
        FIGURES.join(", ")
    )
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first().cloned() else {
        eprintln!("{}", usage());
        return ExitCode::from(2);
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cursor-bench: no runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
    let result = runtime.block_on(async {
        match command.as_str() {
            "run" => run(parse_run(&args[1..])?).await,
            "serve" => {
                let bytes =
                    if arg(1) == "--csv-bytes" { arg(2).parse().map_err(|e| format!("--csv-bytes: {e}"))? } else { 0 };
                loopback::serve(bytes).await
            }
            "small-job" => small_job::child(&arg(1), &arg(2), &arg(3)).await,
            "csv-child" => csv::child(&arg(1)).await,
            "keys-child" => keys::child(&arg(1), &arg(2), arg(3).parse().map_err(|e| format!("count: {e}"))?).await,
            _ => Err(usage()),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cursor-bench {command}: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_arguments_parse_and_unknown_figures_are_refused() {
        let args = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        let settings = parse_run(&args("--quick --only export,csv --out /tmp/x --python /usr/bin/python3")).unwrap();
        assert!(settings.quick);
        assert!(settings.wants("export") && settings.wants("csv") && !settings.wants("keys"));
        assert_eq!(settings.out, PathBuf::from("/tmp/x"));
        assert_eq!(settings.repeats(5), 1);
        assert!(parse_run(&args("--only exports")).unwrap_err().contains("unknown figure"));
        let full = parse_run(&[]).unwrap();
        assert!(full.wants("peer-curl"));
        assert_eq!(full.repeats(2), 3, "at least three repeats in a full run");
    }
}
