//! End-to-end tests of the `cursor` binary: each runs the built executable, mostly against its
//! in-process simulator (`--mock`), and checks exit codes, output and files.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The documented header of `/analytics/ai-code/commits.csv`.
const COMMITS_CSV_HEADER: &str = "commit_hash,user_id,user_email,repo_name,branch_name,is_primary_branch,total_lines_added,total_lines_deleted,tab_lines_added,tab_lines_deleted,composer_lines_added,composer_lines_deleted,non_ai_lines_added,non_ai_lines_deleted,message,commit_ts,created_at";

/// Runs `cursor` with `args`, without the caller's key or base URL in the environment.
fn cursor(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cursor"))
        .args(args)
        .env_remove("CURSOR_API_KEY")
        .env_remove("CURSOR_BASE_URL")
        .env_remove("RUST_LOG")
        // `--mock` in memory only: no state shared with other tests or left in the home directory.
        .env("CURSOR_MOCK_STATE", "")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn json_members_is_a_json_document_with_members() {
    let output = cursor(&["--mock", "--json", "members"]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    let members = value["teamMembers"].as_array().expect("teamMembers is an array");
    assert!(!members.is_empty());
    assert!(members.iter().all(|m| m["email"].as_str().is_some_and(|e| e.contains('@')) && m["role"].is_string()));
}

#[test]
fn a_missing_key_is_a_usage_error_naming_the_variable() {
    let output = cursor(&["members"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("CURSOR_API_KEY"), "stderr: {}", stderr(&output));
    assert!(output.stdout.is_empty());
}

#[test]
fn input_the_sdk_refuses_is_a_usage_error() {
    let output = cursor(&["--mock", "daily-usage", "--start", "2d", "--end", "5d"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("swap startDate and endDate"), "stderr: {}", stderr(&output));
}

#[test]
fn the_key_never_appears_in_output_even_when_the_report_fails_verbosely() {
    let output = cursor(&["-vvv", "--api-key", "key_SECRETVALUE", "--base-url", "http://127.0.0.1:9", "report"]);
    assert_eq!(output.status.code(), Some(8), "a network error");
    let (out, err) = (stdout(&output), stderr(&output));
    assert!(err.contains("error:") && err.contains("transport error"), "the failure is reported: {err}");
    assert!(!out.contains("SECRETVALUE") && !err.contains("SECRETVALUE"), "stdout: {out}\nstderr: {err}");
    // Nor its Basic-auth form: base64("key_SECRETVALUE:").
    assert!(!err.contains("a2V5X1NFQ1JFVFZBTFVFOg"), "stderr: {err}");
}

#[test]
fn ai_code_commits_csv_writes_the_documented_header_and_rows() {
    let path: PathBuf = std::env::temp_dir().join(format!("cursor-cli-test-{}.csv", std::process::id()));
    let output = cursor(&["--mock", "ai-code", "commits", "--start", "7d", "--csv", path.to_str().unwrap()]);
    let written = std::fs::read_to_string(&path);
    let _ = std::fs::remove_file(&path);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let written = written.expect("the CSV file exists");
    let mut lines = written.lines();
    assert_eq!(lines.next(), Some(COMMITS_CSV_HEADER));
    assert!(lines.count() > 0, "the export has rows");
    // Piped, the summary is JSON.
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON summary");
    assert_eq!(summary["bytes"], written.len());
    let table = cursor(&["--mock", "-o", "table", "ai-code", "commits", "--csv", path.to_str().unwrap()]);
    let _ = std::fs::remove_file(&path);
    assert!(stderr(&table).contains("wrote ") && stderr(&table).contains(" bytes to "), "{}", stderr(&table));
}

#[test]
fn bugbot_enable_reports_each_repository_and_fails_if_one_fails() {
    let good = "https://github.com/acme-corp/web-app";
    let bad = "github.com/acme-corp/no-scheme";
    let output = cursor(&["--mock", "-o", "table", "bugbot", "enable", good, bad]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "one repository failed: {text}");
    let line = |repo: &str| text.lines().find(|l| l.starts_with(repo)).unwrap_or_else(|| panic!("{repo} in {text}"));
    assert!(line(good).ends_with("enabled"), "{text}");
    assert!(line(bad).contains("failed:"), "{text}");
    assert!(stderr(&output).contains("1 of 2 repositories"), "stderr: {}", stderr(&output));

    let output = cursor(&["--mock", "--json", "bugbot", "disable", good, "https://github.com/acme-corp/api-server"]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let outcomes: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let outcomes = outcomes.as_array().unwrap();
    assert_eq!(outcomes.len(), 2);
    assert!(outcomes.iter().all(|o| o["ok"] == true && o["enabled"] == false));
}

#[test]
fn a_400_from_the_server_is_an_api_error_not_a_usage_error() {
    // The SDK sends this; the simulator answers 400 because no such member exists.
    let output = cursor(&["--mock", "spend-limit", "set", "nobody@example.com", "100"]);
    assert_eq!(output.status.code(), Some(7), "stderr: {}", stderr(&output));
    assert!(stderr(&output).contains("error:"), "stderr: {}", stderr(&output));
}

#[test]
fn launch_and_wait_fails_when_the_agent_ends_in_error() {
    let repo = "https://github.com/acme-corp/web-app";
    let output = cursor(&["--mock", "agents", "launch", "--repo", repo, "--prompt", "Break it [mock:error]", "--wait"]);
    assert_eq!(output.status.code(), Some(1), "stdout: {}\nstderr: {}", stdout(&output), stderr(&output));
    assert!(stdout(&output).contains("ERROR"), "the final status is printed: {}", stdout(&output));
    assert!(stderr(&output).contains("ERROR"), "stderr: {}", stderr(&output));

    let output = cursor(&["--mock", "agents", "launch", "--repo", repo, "--prompt", "Add a README", "--wait"]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert!(stdout(&output).contains("FINISHED"), "{}", stdout(&output));
}

#[test]
fn mock_agents_v1_create_then_watch_prints_the_runs_events_as_ndjson() {
    let output = cursor(&[
        "--mock",
        "agents",
        "v1",
        "create",
        "--repo",
        "https://github.com/acme-corp/web-app",
        "--prompt",
        "Add a README",
        "--watch",
    ]);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let lines: Vec<serde_json::Value> =
        stdout(&output).lines().map(|l| serde_json::from_str(l).expect("one JSON object a line")).collect();
    assert_eq!(lines.first().map(|l| l["event"].clone()), Some("status".into()));
    assert_eq!(lines.last().map(|l| l["event"].clone()), Some("done".into()));
    assert!(lines.iter().any(|l| l["event"] == "result" && l["data"]["status"] == "FINISHED"), "{lines:?}");

    let missing = cursor(&["--mock", "agents", "watch", "bc-nope", "run-nope"]);
    assert_eq!(missing.status.code(), Some(4), "not found");
    assert!(stderr(&missing).contains("agent_not_found"), "{}", stderr(&missing));
    let list = cursor(&["--mock", "agents", "v1", "list"]);
    assert_eq!(list.status.code(), Some(0), "stderr: {}", stderr(&list));
}

#[test]
fn the_current_documents_commands_run_against_the_simulator() {
    // A member removal says what happened, and the member list then shows the member removed.
    let members: serde_json::Value = serde_json::from_slice(&cursor(&["--mock", "--json", "members"]).stdout).unwrap();
    let email = members["teamMembers"][4]["email"].as_str().unwrap().to_owned();
    let removed = cursor(&["--mock", "--json", "remove-member", &email]);
    assert_eq!(removed.status.code(), Some(0), "stderr: {}", stderr(&removed));
    let outcome: serde_json::Value = serde_json::from_slice(&removed.stdout).expect("JSON");
    assert_eq!(outcome["success"], true);

    // Model access is a 409 (exit 7, the server's message) until the team restricts it.
    let providers = cursor(&["--mock", "model-access", "providers"]);
    assert_eq!(providers.status.code(), Some(7));
    assert!(stderr(&providers).contains("409"), "stderr: {}", stderr(&providers));

    let review = cursor(&[
        "--mock",
        "-o",
        "table",
        "bugbot",
        "review",
        "https://github.com/acme-corp/web-app/pull/7",
        "--dry-run",
    ]);
    assert_eq!(review.status.code(), Some(0), "stderr: {}", stderr(&review));
    assert!(stdout(&review).contains("Dry run"), "{}", stdout(&review));

    let insights = cursor(&["--mock", "--json", "analytics", "conversation-insights", "--include", "intents"]);
    assert_eq!(insights.status.code(), Some(0), "stderr: {}", stderr(&insights));
    let value: serde_json::Value = serde_json::from_slice(&insights.stdout).expect("JSON");
    assert!(value["data"]["intents"].is_array() && value["data"].get("workTypes").is_none(), "{value}");

    let events = cursor(&["--mock", "--json", "usage-events", "--cloud-agent-id", "*", "--limit", "5"]);
    assert_eq!(events.status.code(), Some(0), "stderr: {}", stderr(&events));
    let events: serde_json::Value = serde_json::from_slice(&events.stdout).expect("JSON");
    let events = events["usageEvents"].as_array().unwrap();
    assert!(!events.is_empty() && events.iter().all(|e| e["cloudAgentId"].is_string()));
}
