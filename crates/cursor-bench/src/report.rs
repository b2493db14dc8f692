//! Results: one [`Figure`] per measured ratio, written as `benchmarks.json` (an array of
//! objects) and `BENCHMARKS.md` (a table with the machine it ran on, then each figure's
//! method, and the cause and plan of every figure that misses its target).

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::measure::{median, min};

/// One figure: a value measured in each run, the baseline measured in the same run, and their
/// ratio per run.
#[derive(Debug, Clone, Default)]
pub struct Figure {
    /// Short name, e.g. `export/admin`.
    pub name: String,
    /// What is measured, one line.
    pub what: String,
    /// Unit of `values` and `baselines`.
    pub unit: String,
    /// Measured value, one per run.
    pub values: Vec<f64>,
    /// Baseline measured in the same run, one per run.
    pub baselines: Vec<f64>,
    /// What the baseline is.
    pub baseline_is: String,
    /// `value / baseline` (or the figure's own ratio), one per run.
    pub ratios: Vec<f64>,
    /// The target, as text (`≤ 1.05`).
    pub target: String,
    /// Whether the target is met; `None` when the figure has no target.
    pub met: Option<bool>,
    /// Further numbers (429s, requests, windows), each one line.
    pub details: Vec<String>,
    /// Why it misses and what to do, shown only when it misses.
    pub miss: Option<String>,
}

impl Figure {
    /// The median value.
    pub fn value(&self) -> f64 {
        median(&self.values)
    }

    /// The median baseline.
    pub fn baseline(&self) -> f64 {
        median(&self.baselines)
    }

    /// The median ratio.
    pub fn ratio(&self) -> f64 {
        median(&self.ratios)
    }

    /// The smallest ratio.
    pub fn ratio_min(&self) -> f64 {
        min(&self.ratios)
    }

    /// The figure as one object of `benchmarks.json`.
    pub fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "value": round(self.value()),
            "unit": self.unit,
            "baseline": round(self.baseline()),
            "ratio": round(self.ratio()),
            "target": self.target,
            "ratio_min": round(self.ratio_min()),
            "ratio_median": round(self.ratio()),
            "runs": self.ratios.len(),
            "met": self.met,
            "what": self.what,
            "baseline_is": self.baseline_is,
            "details": self.details,
        })
    }
}

fn round(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return if x.is_finite() { 0.0 } else { -1.0 };
    }
    let digits = 3 - x.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits.clamp(0, 9));
    (x * scale).round() / scale
}

/// A number with four significant digits, without trailing noise.
pub fn fmt(x: f64) -> String {
    let r = round(x);
    if r.abs() >= 1000.0 { format!("{r:.0}") } else { format!("{r}") }
}

/// The machine a run happened on.
#[derive(Debug, Clone)]
pub struct Machine {
    /// CPU model from /proc/cpuinfo.
    pub cpu: String,
    /// Logical cores available.
    pub cores: usize,
    /// Total memory, GiB.
    pub memory_gib: f64,
    /// `rustc --version`.
    pub rustc: String,
    /// When the run started (UTC, RFC 3339).
    pub date: String,
    /// Kernel (`uname -r` from /proc).
    pub kernel: String,
}

impl Machine {
    /// Reads the machine's description.
    pub fn detect() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| {
                l.strip_prefix("model name").and_then(|r| r.split_once(':')).map(|(_, v)| v.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_gib = crate::measure::parse_status_kib(&meminfo, "MemTotal") as f64 / 1024.0 / 1024.0;
        let rustc = std::process::Command::new("rustc")
            .arg("--version")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "unknown".into());
        let kernel =
            std::fs::read_to_string("/proc/sys/kernel/osrelease").map(|s| s.trim().to_owned()).unwrap_or_default();
        let date = time::OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .ok()
            .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
            .unwrap_or_default();
        Self {
            cpu,
            cores: std::thread::available_parallelism().map(usize::from).unwrap_or(1),
            memory_gib,
            rustc,
            date,
            kernel,
        }
    }
}

/// `benchmarks.json`: an array with one object per figure.
pub fn json_report(figures: &[Figure]) -> String {
    let array: Vec<Value> = figures.iter().map(Figure::to_json).collect();
    serde_json::to_string_pretty(&Value::Array(array)).unwrap_or_default() + "\n"
}

fn met_mark(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "—",
    }
}

/// `BENCHMARKS.md`.
pub fn markdown_report(figures: &[Figure], machine: &Machine, command: &str, notes: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Benchmarks\n");
    let _ = writeln!(
        out,
        "Generated by `{command}` — do not edit by hand; rerun it instead. Every figure is a ratio \
         measured within one run against a baseline measured in the same run, repeated; the table \
         gives the minimum and the median of the ratios, and the median absolute value and \
         baseline beside them. Benchmarks never fail CI on a number.\n"
    );
    let _ = writeln!(out, "| machine | |\n| --- | --- |");
    let _ = writeln!(out, "| CPU | {} |", machine.cpu);
    let _ = writeln!(out, "| cores | {} |", machine.cores);
    let _ = writeln!(out, "| memory | {:.1} GiB |", machine.memory_gib);
    let _ = writeln!(out, "| kernel | Linux {} |", machine.kernel);
    let _ = writeln!(out, "| rustc | {} |", machine.rustc);
    let _ = writeln!(out, "| date | {} |", machine.date);
    let _ = writeln!(out);
    let _ =
        writeln!(out, "| figure | ratio (min / median) | target | met | value (median) | baseline (median) | runs |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- | --- |");
    for f in figures {
        let _ = writeln!(
            out,
            "| `{}` | {} / {} | {} | {} | {} {} | {} {} | {} |",
            f.name,
            fmt(f.ratio_min()),
            fmt(f.ratio()),
            f.target,
            met_mark(f.met),
            fmt(f.value()),
            f.unit,
            fmt(f.baseline()),
            f.unit,
            f.ratios.len()
        );
    }
    let _ = writeln!(out);
    if !notes.is_empty() {
        let _ = writeln!(out, "## Notes on this run\n");
        for note in notes {
            let _ = writeln!(out, "- {note}");
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "## Figures\n");
    for f in figures {
        let _ = writeln!(out, "### `{}`\n", f.name);
        let _ = writeln!(out, "{}\n", f.what);
        let _ = writeln!(out, "- value ÷ baseline, where the baseline is {}.", f.baseline_is);
        let runs: Vec<String> = f.ratios.iter().map(|r| fmt(*r)).collect();
        let _ = writeln!(out, "- ratios of the runs: {}", runs.join(", "));
        for detail in &f.details {
            let _ = writeln!(out, "- {detail}");
        }
        if f.met == Some(false) {
            if let Some(miss) = &f.miss {
                let _ = writeln!(out, "\n**Misses its target.** {miss}");
            } else {
                let _ = writeln!(out, "\n**Misses its target.**");
            }
        }
        let _ = writeln!(out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(met: Option<bool>) -> Figure {
        Figure {
            name: "export/admin".into(),
            what: "100 pages".into(),
            unit: "s".into(),
            values: vec![13.0, 12.5, 14.0],
            baselines: vec![12.0, 12.0, 12.0],
            baseline_is: "the theoretical minimum".into(),
            ratios: vec![13.0 / 12.0, 12.5 / 12.0, 14.0 / 12.0],
            target: "≤ 1.05".into(),
            met,
            details: vec!["429s: 0".into()],
            miss: Some("the limiter paces at three quarters of the rate".into()),
        }
    }

    #[test]
    fn json_has_the_required_fields_with_medians() {
        let parsed: Value = serde_json::from_str(&json_report(&[figure(Some(false))])).unwrap();
        let object = &parsed.as_array().unwrap()[0];
        for field in ["name", "value", "unit", "baseline", "ratio", "target"] {
            assert!(object.get(field).is_some(), "{field} missing");
        }
        assert_eq!(object["value"], 13.0);
        assert_eq!(object["baseline"], 12.0);
        assert_eq!(object["ratio"], 1.083);
        assert_eq!(object["ratio_min"], 1.042);
        assert_eq!(object["met"], false);
    }

    #[test]
    fn markdown_shows_the_machine_and_the_cause_only_of_misses() {
        let machine = Machine {
            cpu: "Test CPU".into(),
            cores: 2,
            memory_gib: 24.0,
            rustc: "rustc 1.95.0".into(),
            date: "2026-12-01T00:00:00Z".into(),
            kernel: "6.1".into(),
        };
        let missed = markdown_report(&[figure(Some(false))], &machine, "cargo xtask bench", &[]);
        assert!(missed.contains("| CPU | Test CPU |"));
        assert!(missed.contains("| `export/admin` | 1.042 / 1.083 | ≤ 1.05 | **no** | 13 s | 12 s | 3 |"));
        assert!(missed.contains("three quarters"));
        let met = markdown_report(&[figure(Some(true))], &machine, "cargo xtask bench", &[]);
        assert!(!met.contains("three quarters"));
    }

    #[test]
    fn numbers_keep_four_significant_digits() {
        assert_eq!(fmt(1.23456), "1.235");
        assert_eq!(fmt(123456.7), "123457");
        assert_eq!(fmt(0.000123456), "0.0001235");
        assert_eq!(fmt(0.0), "0");
    }
}
