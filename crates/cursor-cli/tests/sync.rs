//! End-to-end tests of `cursor sync` and `cursor report --db`: the built binary syncs its
//! in-process simulator into a SQLite file, reports from it, and refuses bad invocations
//! with exit code 2.

use std::process::{Command, Output};

fn cursor(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cursor"))
        .args(args)
        .env_remove("CURSOR_API_KEY")
        .env_remove("CURSOR_BASE_URL")
        .env_remove("CURSOR_SYNC_DB")
        .env_remove("RUST_LOG")
        // `--mock` in memory only: no state shared with other tests or left in the home directory.
        .env("CURSOR_MOCK_STATE", "")
        .output()
        .expect("the binary runs")
}

fn db_url(name: &str) -> String {
    let path = std::env::temp_dir().join(format!("cursor-cli-sync-{name}-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    format!("sqlite:{}", path.display())
}

#[test]
fn mock_sync_fills_a_sqlite_file_and_the_report_reads_it() {
    let db = db_url("flow");
    let output = cursor(&["--mock", "--json", "sync", "--db", &db, "--backfill-days", "7"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    // Not a terminal: no progress lines.
    assert!(stderr.is_empty(), "{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a JSON summary");
    let streams = summary["streams"].as_array().unwrap();
    assert_eq!(streams.len(), 9);
    for stream in streams {
        assert!(stream["inserted"].as_u64().unwrap() > 0, "{stream}");
        assert!(stream["requests"].as_u64().unwrap() > 0, "{stream}");
        assert!(stream.get("error").is_none(), "{stream}");
    }

    let report = cursor(&["report", "--db", &db]);
    let text = String::from_utf8_lossy(&report.stdout);
    assert_eq!(report.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&report.stderr));
    for section in ["== Members: 210", "== Top spenders this billing cycle", "== Usage, last 7 days", "== Synced up to"]
    {
        assert!(text.contains(section), "missing `{section}` in:\n{text}");
    }
    let json: serde_json::Value = serde_json::from_slice(&cursor(&["--json", "report", "--db", &db]).stdout).unwrap();
    assert_eq!(json["team"], "default");
    assert_eq!(json["members"], 210);
}

#[test]
fn bad_invocations_exit_with_2() {
    let db = db_url("usage");
    for args in [
        vec!["--mock", "sync", "--db", "mysql://localhost/x"],
        vec!["--mock", "sync", "--db", &db, "--streams", "members,nonsense"],
        vec!["sync", "--db", &db, "--teams", "/nonexistent/teams.json"],
        vec!["report", "--db", &db],
    ] {
        let output = cursor(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teams_file_syncs_each_team_with_its_own_key() {
    // A small team, so that the SDK's documented client-side limits are not reached.
    let config = cursor_mock::MockConfig {
        data: cursor_mock::DataSizes {
            members: 8,
            history_days: 10,
            commits: 50,
            changes: 50,
            agents_per_team: 3,
            audit_events_per_day: 5,
        },
        ..cursor_mock::MockConfig::for_tests()
    };
    let server = cursor_mock::MockServer::start(config).await.unwrap();
    let dir = std::env::temp_dir().join(format!("cursor-cli-teams-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let teams = dir.join("teams.json");
    let base = server.base_url();
    std::fs::write(
        &teams,
        format!(
            r#"{{"teams":[{{"name":"north","keyEnv":"NORTH_KEY","baseUrl":"{base}"}},{{"name":"south","keyEnv":"SOUTH_KEY","baseUrl":"{base}"}}]}}"#
        ),
    )
    .unwrap();
    let db = db_url("teams");
    let teams_arg = teams.display().to_string();
    let args = ["--json", "sync", "--db", db.as_str(), "--teams", teams_arg.as_str(), "--backfill-days", "2"];
    let run = |with_south: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cursor"));
        command.args(args).env("NORTH_KEY", "key_north_team").env_remove("CURSOR_API_KEY");
        if with_south {
            command.env("SOUTH_KEY", "key_south_team");
        } else {
            command.env_remove("SOUTH_KEY");
        }
        command.output().unwrap()
    };
    let missing = tokio::task::block_in_place(|| run(false));
    assert_eq!(missing.status.code(), Some(2), "a team without its key is a usage error");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("SOUTH_KEY"));
    let output = tokio::task::block_in_place(|| run(true));
    assert_eq!(output.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for team in ["north", "south"] {
        let members = summary["streams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["team"] == team && s["stream"] == "members")
            .unwrap_or_else(|| panic!("no members stream for {team}: {summary}"));
        assert_eq!(members["inserted"], 8);
    }
    // Neither key appears in the output.
    assert!(!String::from_utf8_lossy(&output.stdout).contains("key_north_team"));
    server.shutdown().await;
}
