//! What `cursor` prints on stderr at a terminal and away from one: a progress line (items,
//! pages, and the wait for the rate limiter with its reason) and colour only when stderr is a
//! terminal, checked through a pseudo-terminal (`script` from util-linux); nothing of the kind
//! in a pipe. Also `agents launch --wait`, which says the agent's id and link first.

mod common;

use std::process::Command;

use common::{KEY, Sim, stderr, stdout};

/// Runs `command` (a shell command line) in a pseudo-terminal for at most `seconds`, then
/// interrupts it; returns what the terminal showed.
fn in_terminal(command: &str, seconds: u32) -> String {
    let output = Command::new("timeout")
        .args(["-s", "INT", &seconds.to_string(), "script", "-qfec", command, "/dev/null"])
        .env_remove("CURSOR_API_KEY")
        .env_remove("COLUMNS")
        .env("CURSOR_MOCK_STATE", "")
        .output()
        .expect("timeout and script (util-linux) are installed");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_terminal_shows_progress_and_the_limiters_wait_with_its_reason() {
    let sim = Sim::start();
    // One member a page: the 21st request waits for the Admin API's 20 a minute.
    let command = format!(
        "{} --api-key {KEY} --base-url {} -o ndjson spend --page-size 1 > /dev/null",
        env!("CARGO_BIN_EXE_cursor"),
        sim.url()
    );
    let screen = in_terminal(&command, 4);
    assert!(screen.contains(" items, ") && screen.contains(" pages"), "{screen:?}");
    assert!(screen.contains("for the Admin API's 20/min budget"), "{screen:?}");
    assert!(screen.contains("waiting "), "{screen:?}");
    assert!(!screen.contains(KEY), "{screen:?}");
}

#[test]
fn a_pipe_gets_neither_progress_nor_colour() {
    let sim = Sim::start();
    let output = sim.cursor(&["-o", "ndjson", "spend", "--page-size", "1", "--limit", "5"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "", "nothing on stderr");
    assert_eq!(stdout(&output).lines().count(), 5);
    let usage = common::cursor(&["--no-such-flag"]);
    assert!(!stderr(&usage).contains('\u{1b}'), "no escape codes: {:?}", stderr(&usage));
}

#[test]
fn a_terminal_gets_colour() {
    let screen = in_terminal(&format!("{} --no-such-flag", env!("CARGO_BIN_EXE_cursor")), 10);
    assert!(screen.contains("\u{1b}["), "{screen:?}");
}

#[test]
fn launch_and_wait_says_the_agents_id_and_link_first_then_its_status_changes() {
    let sim = Sim::start();
    let launch =
        ["agents", "launch", "--repo", "https://github.com/acme-corp/web-app", "--prompt", "Add a README", "--wait"];
    let output = sim.cursor(&[&["-o", "table"], &launch[..]].concat());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    let id = lines[0].strip_prefix("agent ").unwrap_or_else(|| panic!("the id first: {text}"));
    let (id, link) = id.split_once(' ').unwrap();
    assert!(id.starts_with("bc_") && link.starts_with("https://"), "{text}");
    assert!(lines[1].starts_with("status "), "{text}");
    assert!(lines.contains(&"status FINISHED"), "{text}");

    // In JSON, the id and the status changes go to stderr; stdout is one document.
    let json = sim.cursor(&launch);
    let agent: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON document");
    assert_eq!(agent["status"], "FINISHED");
    assert!(stderr(&json).starts_with(&format!("agent {}", agent["id"].as_str().unwrap())), "{}", stderr(&json));
}
