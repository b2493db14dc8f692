//! End-to-end tests of `cursor api`, `completion`, `webhook verify`, `mock serve`/`reset` and
//! the `--mock` state file: each runs the built executable, against a simulator started in the
//! test (so the test can read its journal and set its faults) or against `--mock`.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use cursor_mock::{FaultConfig, FaultSpec, MockConfig, MockServer, RateLimits, RouteFault};
use serde_json::Value;

/// A directory of its own for one test (state files, inputs), removed by the test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cursor-extras-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `cursor` with `args`, no key or base URL from the caller, `--mock`'s state in `state`.
fn command(args: &[&str], state: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cursor"));
    command
        .args(args)
        .env_remove("CURSOR_API_KEY")
        .env_remove("CURSOR_BASE_URL")
        .env_remove("RUST_LOG")
        .env("CURSOR_MOCK_STATE", state);
    command
}

fn run(args: &[&str], state: &Path) -> Output {
    command(args, state).output().expect("the binary runs")
}

fn run_with_stdin(args: &[&str], envs: &[(&str, &str)], stdin: &[u8]) -> Output {
    let mut command = command(args, Path::new(""));
    command.envs(envs.iter().copied()).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> Value {
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(output));
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(output)))
}

// ---------------------------------------------------------------------------------------
// cursor completion

#[test]
fn completion_scripts_name_every_subcommand_and_bash_accepts_its_own() {
    let dir = scratch("completion");
    for shell in ["bash", "zsh", "fish"] {
        let output = run(&["completion", shell], &dir.join("state.json"));
        assert_eq!(output.status.code(), Some(0), "{shell}: {}", stderr(&output));
        let script = stdout(&output);
        for subcommand in ["members", "agents", "report", "api", "completion", "webhook", "mock"] {
            assert!(script.contains(subcommand), "{shell} script lacks `{subcommand}`");
        }
        if shell == "bash" {
            let path = dir.join("cursor.bash");
            std::fs::write(&path, &script).unwrap();
            let check = Command::new("bash").arg("-n").arg(&path).output().expect("bash runs");
            assert!(check.status.success(), "bash -n: {}", String::from_utf8_lossy(&check.stderr));
        }
    }
    assert_eq!(run(&["completion", "tcsh"], &dir.join("state.json")).status.code(), Some(2));
    std::fs::remove_dir_all(dir).unwrap();
}

// ---------------------------------------------------------------------------------------
// cursor webhook verify

const HOOK_BODY: &[u8] =
    br#"{"event":"statusChange","timestamp":"2024-01-15T10:30:00Z","id":"bc_abc123","status":"FINISHED"}"#;
const HOOK_SECRET: &str = "a-webhook-secret-of-at-least-32-characters";

fn verify(secret: &str, signature: &str, body: &[u8]) -> Output {
    run_with_stdin(
        &["webhook", "verify", "--secret-env", "CURSOR_TEST_HOOK_SECRET", "--signature", signature],
        &[("CURSOR_TEST_HOOK_SECRET", secret)],
        body,
    )
}

#[test]
fn webhook_verify_says_valid_or_invalid_by_its_exit_status_and_never_prints_the_secret() {
    let signature = cursor_agents::webhook::sign(HOOK_SECRET.as_bytes(), HOOK_BODY);

    let valid = verify(HOOK_SECRET, &signature, HOOK_BODY);
    assert_eq!(valid.status.code(), Some(0), "stderr: {}", stderr(&valid));

    let mut tampered = HOOK_BODY.to_vec();
    let near_the_end = tampered.len() - 3;
    tampered[near_the_end] = b'X';
    let tampered = verify(HOOK_SECRET, &signature, &tampered);
    assert_eq!(tampered.status.code(), Some(1));
    assert_eq!(stderr(&tampered).lines().count(), 1, "one line: {}", stderr(&tampered));
    assert!(stderr(&tampered).contains("invalid"), "{}", stderr(&tampered));

    let wrong_secret = verify("another-secret-of-at-least-32-characters!", &signature, HOOK_BODY);
    assert_eq!(wrong_secret.status.code(), Some(1), "stderr: {}", stderr(&wrong_secret));

    let empty_secret = verify("", &signature, HOOK_BODY);
    assert_eq!(empty_secret.status.code(), Some(2), "stderr: {}", stderr(&empty_secret));
    assert!(stderr(&empty_secret).contains("empty"), "{}", stderr(&empty_secret));

    let unset = run_with_stdin(
        &["webhook", "verify", "--secret-env", "CURSOR_TEST_NO_SUCH_VARIABLE", "--signature", &signature],
        &[],
        HOOK_BODY,
    );
    assert_eq!(unset.status.code(), Some(2), "stderr: {}", stderr(&unset));

    for output in [&valid, &tampered, &wrong_secret, &empty_secret] {
        let all = format!("{}{}", stdout(output), stderr(output));
        assert!(!all.contains(HOOK_SECRET), "the secret was printed: {all}");
    }
}

#[test]
fn webhook_verify_reads_the_signature_from_a_header_file() {
    let dir = scratch("hook-headers");
    let signature = cursor_agents::webhook::sign(HOOK_SECRET.as_bytes(), HOOK_BODY);
    let headers = dir.join("headers.txt");
    std::fs::write(&headers, format!("POST /hook HTTP/1.1\r\nx-webhook-signature: {signature}\r\n\r\n")).unwrap();
    let args = ["webhook", "verify", "--secret-env", "CURSOR_TEST_HOOK_SECRET", "--header-file"];
    let args: Vec<&str> = args.into_iter().chain([headers.to_str().unwrap()]).collect();
    let valid = run_with_stdin(&args, &[("CURSOR_TEST_HOOK_SECRET", HOOK_SECRET)], HOOK_BODY);
    assert_eq!(valid.status.code(), Some(0), "stderr: {}", stderr(&valid));
    let invalid = run_with_stdin(&args, &[("CURSOR_TEST_HOOK_SECRET", HOOK_SECRET)], b"{}");
    assert_eq!(invalid.status.code(), Some(1), "stderr: {}", stderr(&invalid));
    std::fs::remove_dir_all(dir).unwrap();
}

// ---------------------------------------------------------------------------------------
// --mock keeps its state; cursor mock reset forgets it

#[test]
fn mock_agents_launched_in_one_command_are_there_in_the_next_until_reset() {
    let dir = scratch("mock-state");
    let state = dir.join("state").join("mock.json");
    let launch = run(
        &["--mock", "--json", "agents", "launch", "--repo", "https://github.com/acme-corp/web-app", "--prompt", "Kept"],
        &state,
    );
    let id = json(&launch)["id"].as_str().expect("an agent id").to_owned();
    assert!(state.exists(), "the state file is written");
    assert!(!stdout(&launch).contains("key_mock"), "the simulator's key is not printed");

    let followup = run(&["--mock", "agents", "followup", &id, "--prompt", "And a second thing"], &state);
    assert_eq!(followup.status.code(), Some(0), "stderr: {}", stderr(&followup));
    let conversation = json(&run(&["--mock", "--json", "agents", "conversation", &id], &state));
    let texts: Vec<&str> =
        conversation["messages"].as_array().unwrap().iter().filter_map(|m| m["text"].as_str()).collect();
    assert!(texts.contains(&"Kept") && texts.contains(&"And a second thing"), "{texts:?}");
    // Stopping answers for the same agent: stopped, or already finished; never unknown.
    let stop = run(&["--mock", "agents", "stop", &id], &state);
    assert!(!stderr(&stop).contains("404"), "stderr: {}", stderr(&stop));

    let reset = run(&["mock", "reset"], &state);
    assert_eq!(reset.status.code(), Some(0), "stderr: {}", stderr(&reset));
    assert!(!state.exists());
    let forgotten = run(&["--mock", "agents", "get", &id], &state);
    assert_ne!(forgotten.status.code(), Some(0));
    assert!(stderr(&forgotten).contains("404"), "stderr: {}", stderr(&forgotten));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_empty_mock_state_variable_keeps_nothing() {
    let launch = run(
        &["--mock", "--json", "agents", "launch", "--repo", "https://github.com/acme-corp/web-app", "--prompt", "Gone"],
        Path::new(""),
    );
    let id = json(&launch)["id"].as_str().unwrap().to_owned();
    let get = run(&["--mock", "agents", "get", &id], Path::new(""));
    assert!(stderr(&get).contains("404"), "stderr: {}", stderr(&get));
}

// ---------------------------------------------------------------------------------------
// cursor mock serve

/// `cursor mock serve` in the background, and the base URL it printed.
fn serve(state: &Path) -> (std::process::Child, String) {
    let mut child = command(&["mock", "serve", "--state", state.to_str().unwrap()], Path::new(""))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.split_whitespace().last().expect("a URL").to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    (child, url)
}

fn against(url: &str, args: &[&str]) -> Output {
    let mut all = vec!["--base-url", url, "--api-key", "key_served"];
    all.extend_from_slice(args);
    run(&all, Path::new(""))
}

#[test]
fn mock_serve_saves_each_write_so_a_kill_loses_nothing_answered() {
    let dir = scratch("serve");
    let state = dir.join("served.json");
    let (mut first, url) = serve(&state);
    let created = json(&against(&url, &["api", "POST", "/teams/groups", "-f", "name=Served group"]));
    let id = created["group"]["id"].as_str().unwrap().to_owned();
    // The save follows the answer closely; a kill without warning right after it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !std::fs::read_to_string(&state).unwrap_or_default().contains("Served group") {
        assert!(std::time::Instant::now() < deadline, "the write was not saved");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    first.kill().unwrap();
    first.wait().unwrap();

    let (mut second, url) = serve(&state);
    let group = json(&against(&url, &["api", "GET", &format!("/teams/groups/{id}")]));
    assert_eq!(group["group"]["name"], "Served group");
    second.kill().unwrap();
    second.wait().unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn mock_serve_saves_its_state_when_interrupted() {
    let dir = scratch("serve-interrupted");
    let state = dir.join("served.json");
    let (mut server, url) = serve(&state);
    json(&against(&url, &["api", "POST", "/teams/groups", "-f", "name=Before Ctrl-C"]));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !state.exists() {
        assert!(std::time::Instant::now() < deadline, "the write was not saved");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::fs::remove_file(&state).unwrap();
    let interrupt = Command::new("kill").args(["-INT", &server.id().to_string()]).status().expect("kill runs");
    assert!(interrupt.success());
    server.wait().unwrap();
    let saved = std::fs::read_to_string(&state).expect("saved on the way out");
    assert!(saved.contains("Before Ctrl-C"));
    std::fs::remove_dir_all(dir).unwrap();
}

// ---------------------------------------------------------------------------------------
// cursor api

const KEY: &str = "key_api_tests";

async fn simulator() -> MockServer {
    let mut config = MockConfig::for_tests();
    config.data.members = 60;
    config.rate_limits = RateLimits::unlimited();
    MockServer::start(config).await.unwrap()
}

/// Runs `cursor api …` against the simulator, off the async runtime the simulator runs on.
async fn api(server: &MockServer, args: &[&str]) -> Output {
    let mut all: Vec<String> = ["--base-url", &server.base_url(), "--api-key", KEY, "api"].map(str::to_owned).to_vec();
    all.extend(args.iter().map(|a| (*a).to_owned()));
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = all.iter().map(String::as_str).collect();
        run(&args, Path::new(""))
    })
    .await
    .unwrap()
}

fn journal_count(server: &MockServer, method: &str, path: &str) -> usize {
    server.journal().iter().filter(|e| e.method == method && e.path == path).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_paginate_prints_every_page_in_server_order() {
    let server = simulator().await;
    let first = json(&api(&server, &["GET", "/teams/audit-logs", "-f", "pageSize=40"]).await);
    let pages = first["pagination"]["totalPages"].as_u64().unwrap();
    assert!(pages >= 3, "the test needs several pages: {}", first["pagination"]);
    let mut expected = Vec::new();
    for page in 1..=pages {
        let one = json(
            &api(&server, &["GET", "/teams/audit-logs", "-f", "pageSize=40", "-F", &format!("page={page}")]).await,
        );
        expected.extend(one["events"].as_array().unwrap().iter().cloned());
    }
    assert_eq!(expected.len() as u64, first["pagination"]["totalCount"].as_u64().unwrap());
    server.clear_journal();

    let all = json(&api(&server, &["GET", "/teams/audit-logs", "-f", "pageSize=40", "--paginate"]).await);
    assert_eq!(all["events"].as_array().unwrap(), &expected);
    assert!(all.get("pagination").is_none(), "one page's block would describe one page only");
    assert_eq!(journal_count(&server, "GET", "/teams/audit-logs") as u64, pages);

    // Cursor pages (Cloud Agents), and a body-paged POST (spend).
    let agents = json(&api(&server, &["GET", "/v0/agents", "-f", "limit=7", "--paginate"]).await);
    let one_page = json(&api(&server, &["GET", "/v0/agents", "-f", "limit=100"]).await);
    assert_eq!(agents["agents"], one_page["agents"]);
    let spend = json(&api(&server, &["POST", "/teams/spend", "-F", "pageSize=25", "--paginate"]).await);
    assert_eq!(spend["teamMemberSpend"].as_array().unwrap().len() as u64, spend["totalMembers"].as_u64().unwrap());
    assert!(spend["subscriptionCycleStart"].is_number(), "page-level fields stay beside the items");
    // By-user analytics: each page is a map of users; the pages' maps merge into one.
    let first = json(&api(&server, &["GET", "/analytics/by-user/tabs", "-f", "pageSize=25"]).await);
    let users = first["pagination"]["totalUsers"].as_u64().unwrap();
    assert!(users > 25, "several pages: {}", first["pagination"]);
    let by_user = json(&api(&server, &["GET", "/analytics/by-user/tabs", "-f", "pageSize=25", "--paginate"]).await);
    assert_eq!(by_user["data"].as_object().unwrap().len() as u64, users);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_sends_fields_as_query_or_body_and_prints_the_answer() {
    let server = simulator().await;
    let created = json(&api(&server, &["POST", "/teams/groups", "-f", "name=From api"]).await);
    let entry = server.journal().into_iter().find(|e| e.method == "POST" && e.path == "/teams/groups").unwrap();
    assert_eq!(serde_json::from_str::<Value>(&entry.body).unwrap(), serde_json::json!({"name": "From api"}));
    let id = created["group"]["id"].as_str().unwrap();
    let fetched = json(&api(&server, &["get", &format!("/teams/groups/{id}")]).await);
    assert_eq!(fetched["group"]["name"], "From api");

    let dir = scratch("api-input");
    let input = dir.join("body.json");
    std::fs::write(&input, r#"{"name": "From a file"}"#).unwrap();
    json(&api(&server, &["POST", "/teams/groups", "--input", input.to_str().unwrap()]).await);
    let entry = server.journal().into_iter().rfind(|e| e.method == "POST" && e.path == "/teams/groups").unwrap();
    assert_eq!(serde_json::from_str::<Value>(&entry.body).unwrap()["name"], "From a file");
    let name_file = dir.join("name.json");
    std::fs::write(&name_file, r#""From -F @file""#).unwrap();
    json(&api(&server, &["POST", "/teams/groups", "-F", &format!("name=@{}", name_file.display())]).await);
    let entry = server.journal().into_iter().rfind(|e| e.method == "POST" && e.path == "/teams/groups").unwrap();
    assert_eq!(serde_json::from_str::<Value>(&entry.body).unwrap(), serde_json::json!({"name": "From -F @file"}));

    let deleted = api(&server, &["DELETE", &format!("/teams/groups/{id}")]).await;
    assert_eq!((deleted.status.code(), stdout(&deleted)), (Some(0), String::new()), "an empty answer prints nothing");
    let missing = api(&server, &["GET", &format!("/teams/groups/{id}")]).await;
    assert_ne!(missing.status.code(), Some(0));
    assert!(stderr(&missing).contains("404"), "{}", stderr(&missing));
    let usage = api(&server, &["GET", "/not-an-api"]).await;
    assert_eq!(usage.status.code(), Some(2), "{}", stderr(&usage));
    let mut outputs = vec![missing, usage];
    for verbosity in ["-v", "-vv", "-vvv"] {
        outputs.push(api(&server, &[verbosity, "GET", "/teams/members"]).await);
        outputs.push(api(&server, &[verbosity, "GET", &format!("/teams/groups/{id}")]).await);
    }
    for output in &outputs {
        assert!(!format!("{}{}", stdout(output), stderr(output)).contains(KEY), "the key was printed");
    }
    std::fs::remove_dir_all(dir).unwrap();
    server.shutdown().await;
}

fn always_503(path: &str, method: &str) -> RouteFault {
    RouteFault {
        path: path.into(),
        method: Some(method.into()),
        fault: FaultSpec { error_rate: 1.0, error_statuses: vec![503], ..FaultSpec::default() },
        times: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_retries_only_what_is_safe_to_repeat() {
    let server = simulator().await;
    server.set_faults(FaultConfig {
        global: FaultSpec::default(),
        routes: vec![
            always_503("/v0/agents", "POST"),
            always_503("/v0/me", "GET"),
            always_503("/teams/a-new-endpoint", "PUT"),
        ],
    });
    let launch = api(&server, &["POST", "/v0/agents", "-F", r#"prompt={"text":"x"}"#]).await;
    assert_ne!(launch.status.code(), Some(0));
    assert_eq!(journal_count(&server, "POST", "/v0/agents"), 1, "a launch is never sent twice");

    let undeclared = api(&server, &["PUT", "/teams/a-new-endpoint", "-f", "x=1"]).await;
    assert_ne!(undeclared.status.code(), Some(0));
    assert_eq!(journal_count(&server, "PUT", "/teams/a-new-endpoint"), 1, "an undeclared write is never repeated");

    let read = api(&server, &["GET", "/v0/me"]).await;
    assert_ne!(read.status.code(), Some(0));
    assert!(journal_count(&server, "GET", "/v0/me") > 1, "a read is retried");
    server.shutdown().await;
}
