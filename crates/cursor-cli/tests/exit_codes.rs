//! Every exit code of `cursor`, each caused by its own failure: the built binary runs against
//! a simulator with faults injected, and the exit status is checked (see `src/exit.rs`). Also
//! that Ctrl-C exits 130 without leaving a partial file, and that the table of codes in
//! `--help` is the README's.

mod common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{KEY, Sim, cursor, stderr, stdout};
use cursor_mock::FaultSpec;

#[test]
fn exit_0_on_success_and_1_on_another_failure() {
    let sim = Sim::start();
    let ok = sim.cursor(&["members"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    // One repository of two cannot be updated: neither an API error nor a usage error.
    let bulk =
        sim.cursor(&["bugbot", "enable", "https://github.com/acme-corp/web-app", "github.com/acme-corp/no-scheme"]);
    assert_eq!(bulk.status.code(), Some(1), "{}", stderr(&bulk));
}

#[test]
fn exit_2_on_bad_flags_and_input_refused_before_sending() {
    let bad_flag = cursor(&["--mock", "members", "--no-such-flag"]);
    assert_eq!(bad_flag.status.code(), Some(2));
    let page_zero = cursor(&["--mock", "spend", "--page", "0"]);
    assert_eq!(page_zero.status.code(), Some(2), "{}", stderr(&page_zero));
    let sim = Sim::start();
    let reversed = sim.cursor(&["daily-usage", "--start", "2d", "--end", "5d"]);
    assert_eq!(reversed.status.code(), Some(2), "{}", stderr(&reversed));
    assert!(sim.server().journal().is_empty(), "refused before anything was sent");
}

#[test]
fn exit_3_on_a_wrong_key_or_a_missing_permission() {
    let sim = Sim::with(|config| config.non_enterprise_keys = vec![KEY.to_owned()]);
    let forbidden = sim.cursor(&["members"]);
    assert_eq!(forbidden.status.code(), Some(3), "403: {}", stderr(&forbidden));
    let url = sim.url();
    let unauthorized = cursor(&["--api-key", "key_wrong", "--base-url", &url, "members"]);
    assert_eq!(unauthorized.status.code(), Some(3), "401: {}", stderr(&unauthorized));
    assert!(stderr(&unauthorized).contains("401"), "{}", stderr(&unauthorized));
}

#[test]
fn exit_4_on_not_found() {
    let sim = Sim::start();
    let output = sim.cursor(&["agents", "get", "bc_doesnotexist000000000"]);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
}

#[test]
fn exit_5_when_the_rate_limit_outlasts_the_retries() {
    let sim = Sim::with_fault("/teams/members", None, FaultSpec { rate_limit_rate: 1.0, ..FaultSpec::default() });
    let output = sim.cursor(&["members"]);
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    assert!(sim.server().journal().len() > 1, "retried before giving up");
}

#[test]
fn exit_6_when_a_launch_may_have_happened() {
    let sim = Sim::with_fault(
        "/v0/agents",
        Some("POST"),
        FaultSpec { reset_after_handling_rate: 1.0, ..FaultSpec::default() },
    );
    let output = sim.cursor(&["agents", "launch", "--repo", "https://github.com/acme-corp/web-app", "--prompt", "x"]);
    assert_eq!(output.status.code(), Some(6), "{}", stderr(&output));
    assert!(stderr(&output).contains("outcome is unknown"), "{}", stderr(&output));
}

#[test]
fn exit_7_on_other_api_errors() {
    let failing = FaultSpec { error_rate: 1.0, error_statuses: vec![500], ..FaultSpec::default() };
    let sim = Sim::with_fault("/teams/members", None, failing);
    let output = sim.cursor(&["members"]);
    assert_eq!(output.status.code(), Some(7), "a 500: {}", stderr(&output));
    let sim = Sim::with_fault("/teams/members", None, FaultSpec { malformed_json_rate: 1.0, ..FaultSpec::default() });
    let output = sim.cursor(&["members"]);
    assert_eq!(output.status.code(), Some(7), "an answer that does not decode: {}", stderr(&output));
}

#[test]
fn exit_8_on_network_errors() {
    // Nothing listens on port 9 (discard) of the loopback interface.
    let output = cursor(&["--api-key", KEY, "--base-url", "http://127.0.0.1:9", "members"]);
    assert_eq!(output.status.code(), Some(8), "{}", stderr(&output));
    let sim = Sim::with_fault("/teams/members", None, FaultSpec { reset_rate: 1.0, ..FaultSpec::default() });
    let output = sim.cursor(&["members"]);
    assert_eq!(output.status.code(), Some(8), "a reset connection: {}", stderr(&output));
}

/// The temporary files `cursor` may have left beside `target`.
fn leftovers(target: &Path) -> Vec<String> {
    let name = target.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(target.parent().unwrap())
        .unwrap()
        .filter_map(|entry| entry.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|file| file.contains(&name))
        .collect()
}

#[test]
fn ctrl_c_exits_130_and_leaves_no_partial_file() {
    // A CSV export that trickles in: 64 bytes every 50 ms.
    let slow = FaultSpec { drip_chunk_bytes: 64, drip_interval_ms: 50, ..FaultSpec::default() };
    let sim = Sim::with_fault("/analytics/ai-code/commits.csv", None, slow);
    let dir = std::env::temp_dir().join(format!("cursor-cli-ctrl-c-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.join("commits.csv");
    let url = sim.url();
    let child = common::command(&[
        "--api-key",
        KEY,
        "--base-url",
        &url,
        "ai-code",
        "commits",
        "--csv",
        target.to_str().unwrap(),
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    // Wait until the export is being written (its temporary file has data).
    let started = Instant::now();
    loop {
        let writing = leftovers(&target)
            .iter()
            .any(|file| std::fs::metadata(dir.join(file)).map(|m| m.len() > 0).unwrap_or(false));
        if writing {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "the export never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    assert_eq!(leftovers(&target), Vec::<String>::new(), "neither the file nor its temporary file");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_dash_writes_the_export_to_stdout_not_to_a_file_named_dash() {
    let sim = Sim::start();
    let dir = std::env::temp_dir().join(format!("cursor-cli-dash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = sim.url();
    let output = common::command(&["--api-key", KEY, "--base-url", &url, "ai-code", "commits", "--csv", "-"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("commit_hash,"), "{}", stdout(&output));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "no file named `-`");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The lines of the exit-code table: `  N    meaning`.
fn code_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| line.split_whitespace().next().is_some_and(|n| n.parse::<u8>().is_ok()) && line.contains("  "))
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn help_lists_the_exit_codes_the_readme_lists() {
    let help = stdout(&cursor(&["--help"]));
    let help_codes = code_lines(help.split("Exit codes:").nth(1).expect("--help has the exit codes"));
    assert_eq!(help_codes.len(), 10, "{help}");
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).unwrap();
    let section = readme.split("Exit codes:").nth(1).expect("the README has the exit codes");
    let section = section.split("```").next().unwrap();
    assert_eq!(code_lines(section), help_codes);
}

#[test]
fn a_server_that_repeats_its_first_page_stops_the_list_instead_of_looping() {
    let sim = Sim::with_fault(
        "/teams/filtered-usage-events",
        None,
        FaultSpec { repeat_first_page: true, ..FaultSpec::default() },
    );
    let output = sim.cursor(&["-o", "ndjson", "usage-events", "--start", "2025-06-08", "--end", "2025-06-15"]);
    assert_eq!(output.status.code(), Some(7), "an API misbehaving: {}", stderr(&output));
    assert!(stderr(&output).contains("pagination stopped"), "{}", stderr(&output));
    assert!(sim.server().journal().len() <= 3, "stopped at the repeat: {}", sim.server().journal().len());
}
