//! End-to-end tests of Cloud Agents v1 through `cursor_agents::v1` against the simulator:
//! every v1 path, with every request the SDK sent checked against a hand-written summary of
//! the official v1 description (`tests/fixtures/cloud-agents-v1-requests.json`); the run
//! state machine's conflicts as error predicates; the event stream resuming across a
//! connection cut at many points with no event lost or repeated; `410 stream_expired`;
//! `wait_run` by stream, by polling and against its deadline; and creation that is never
//! retried (and the id-carrying create that may be repeated).

use std::collections::BTreeSet;
use std::time::Duration;

use cursor_agents::v1::{
    AgentStatus, AgentsClient, AgentsQuery, CreateAgent, CreateRun, RepoConfig, RunEventData, RunStatus, RunsQuery,
    StreamOptions, V1ErrorExt as _, WAIT_RUN_NAME, WaitRunOptions,
};
use cursor_core::Error;
use cursor_core::prelude::*;
use cursor_mock::agents_v1_state::AgentsV1Config;
use cursor_mock::{AgentTiming, FaultConfig, FaultSpec, JournalEntry, MockConfig, MockServer, RateLimits, RouteFault};
use cursor_tests::{client, client_with, fast_retries, requests_to, start_mock_with};
use serde_json::Value;

const REPO: &str = "https://github.com/acme-corp/web-app";

fn config(timing: AgentTiming) -> MockConfig {
    MockConfig { agent_timing: timing, rate_limits: RateLimits::unlimited(), ..MockConfig::for_tests() }
}

async fn v1(config: MockConfig, key: &str) -> (MockServer, AgentsClient) {
    let server = start_mock_with(config).await;
    let agents = AgentsClient::new(client(&server, key));
    (server, agents)
}

fn create(prompt: &str) -> CreateAgent {
    CreateAgent::new(prompt, RepoConfig::url(REPO).starting_ref("main"))
}

fn long_runs() -> AgentTiming {
    AgentTiming { creating: Duration::ZERO, running: Duration::from_secs(3600) }
}

fn fault_once(path: &str, method: &str, fault: FaultSpec) -> FaultConfig {
    FaultConfig {
        global: FaultSpec::default(),
        routes: vec![RouteFault { path: path.to_owned(), method: Some(method.to_owned()), fault, times: Some(1) }],
    }
}

// ---------------------------------------------------------------------------------------
// Request shapes against the summary of the v1 description.

const SUMMARY: &str = include_str!("../fixtures/cloud-agents-v1-requests.json");

fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&raw[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn template_matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
}

fn check_value(schema: &Value, value: &Value, schemas: &Value, at: &str) -> Result<(), String> {
    if let Some(name) = schema.get("$ref").and_then(Value::as_str) {
        return check_value(&schemas[name], value, schemas, at);
    }
    let kind = schema["type"].as_str().unwrap_or("any");
    let fits = match kind {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.as_i64().is_some() || value.as_u64().is_some(),
        "boolean" => value.is_boolean(),
        _ => true,
    };
    if !fits {
        return Err(format!("{at}: expected {kind}, got {value}"));
    }
    if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
        && value.as_str().is_some_and(|s| (s.chars().count() as u64) < min)
    {
        return Err(format!("{at}: shorter than {min}"));
    }
    if let Some(min) = schema.get("minimum").and_then(Value::as_i64)
        && value.as_i64().is_some_and(|n| n < min)
    {
        return Err(format!("{at}: below {min}"));
    }
    if let Some(items) = value.as_array() {
        let len = items.len() as u64;
        if schema.get("minItems").and_then(Value::as_u64).is_some_and(|min| len < min)
            || schema.get("maxItems").and_then(Value::as_u64).is_some_and(|max| len > max)
        {
            return Err(format!("{at}: {len} items is out of bounds"));
        }
        for (i, item) in items.iter().enumerate() {
            check_value(&schema["items"], item, schemas, &format!("{at}[{i}]"))?;
        }
    }
    if let Some(object) = value.as_object() {
        for required in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            let name = required.as_str().unwrap_or_default();
            if !object.contains_key(name) {
                return Err(format!("{at}: missing required `{name}`"));
            }
        }
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        for (name, field) in object {
            match schema.get("properties").and_then(|p| p.get(name)) {
                Some(field_schema) => check_value(field_schema, field, schemas, &format!("{at}.{name}"))?,
                None if closed => return Err(format!("{at}: `{name}` is not in the description")),
                None => {}
            }
        }
    }
    Ok(())
}

fn check_query(params: &Value, query: Option<&str>, at: &str) -> Result<(), String> {
    let pairs: Vec<(String, String)> = query
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    for (name, param) in params.as_object().into_iter().flatten() {
        if param["required"] == Value::Bool(true) && !pairs.iter().any(|(k, _)| k == name) {
            return Err(format!("{at}: missing query parameter `{name}`"));
        }
    }
    for (name, raw) in &pairs {
        let param =
            params.get(name).ok_or_else(|| format!("{at}: query parameter `{name}` is not in the description"))?;
        let value = match param["type"].as_str() {
            Some("integer") => {
                raw.parse::<i64>().map(Value::from).map_err(|_| format!("{at}: {name}={raw} is not an integer"))?
            }
            Some("boolean") => {
                raw.parse::<bool>().map(Value::from).map_err(|_| format!("{at}: {name}={raw} is not a boolean"))?
            }
            _ => Value::from(raw.as_str()),
        };
        check_value(param, &value, &Value::Null, &format!("{at} ?{name}"))?;
        if let Some(max) = param.get("maximum").and_then(Value::as_i64)
            && value.as_i64().is_some_and(|n| n > max)
        {
            return Err(format!("{at}: {name}={raw} is above {max}"));
        }
    }
    Ok(())
}

/// Checks every `/v1/` request in the journal; returns the operations they covered.
fn check_journal(journal: &[JournalEntry]) -> BTreeSet<(String, String)> {
    let summary: Value = serde_json::from_str(SUMMARY).expect("the fixture is JSON");
    let operations = summary["operations"].as_array().expect("operations");
    let mut covered = BTreeSet::new();
    for entry in journal.iter().filter(|e| e.path.starts_with("/v1/")) {
        let at = format!("{} {}", entry.method, entry.path);
        let op = operations
            .iter()
            .find(|op| {
                op["method"] == entry.method.as_str() && template_matches(op["path"].as_str().unwrap(), &entry.path)
            })
            .unwrap_or_else(|| panic!("{at}: not an operation of the v1 description"));
        check_query(&op["query"], entry.query.as_deref(), &at).unwrap_or_else(|e| panic!("{e}"));
        if op["body"].is_null() {
            assert!(entry.body.is_empty(), "{at}: sends a body the description does not take: {}", entry.body);
        } else {
            let body: Value = serde_json::from_str(&entry.body).unwrap_or_else(|e| panic!("{at}: body not JSON: {e}"));
            check_value(&op["body"], &body, &summary["schemas"], "body").unwrap_or_else(|e| panic!("{at}: {e}"));
        }
        covered.insert((op["method"].as_str().unwrap().to_owned(), op["path"].as_str().unwrap().to_owned()));
    }
    covered
}

#[test]
fn the_shape_checker_refuses_what_the_description_refuses() {
    let summary: Value = serde_json::from_str(SUMMARY).unwrap();
    let create = &summary["operations"][0]["body"];
    let good = serde_json::json!({"prompt": {"text": "x"}, "repos": [{"url": REPO}], "autoCreatePR": true});
    assert!(check_value(create, &good, &summary["schemas"], "body").is_ok());
    for bad in [
        serde_json::json!({"prompt": {"text": "x"}, "repos": [{"url": REPO}], "autoCreatePr": true}),
        serde_json::json!({"prompt": {"text": ""}, "repos": [{"url": REPO}]}),
        serde_json::json!({"prompt": {"text": "x"}, "repos": []}),
        serde_json::json!({"prompt": {"text": "x"}, "repos": [{"url": REPO}], "model": "gpt-5"}),
        serde_json::json!({"prompt": {"text": "x"}, "source": {"repository": REPO}}),
    ] {
        assert!(check_value(create, &bad, &summary["schemas"], "body").is_err(), "{bad}");
    }
    let list = &summary["operations"][1]["query"];
    assert!(check_query(list, Some("limit=100&includeArchived=false"), "list").is_ok());
    assert!(check_query(list, Some("limit=101"), "list").is_err());
    assert!(check_query(list, Some("page=2"), "list").is_err());
}

// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn every_v1_path_through_the_sdk_with_requests_the_v1_description_accepts() {
    let (server, agents) = v1(config(long_runs()), "key_v1_paths").await;

    let me = agents.me().await.expect("me");
    assert!(me.api_key_name.contains("key"), "{}", me.api_key_name);
    assert!(me.user_email.is_some());
    assert!(!agents.models().await.expect("models").items.is_empty());
    let repos = agents.repositories().await.expect("repositories").items;
    assert!(repos.iter().any(|r| r.url == REPO));

    let first = agents
        .create(
            &create("Add a README").model("claude-4-sonnet-thinking").branch_name("docs/readme").auto_create_pr(true),
        )
        .await
        .expect("create");
    assert_eq!(first.agent.status, AgentStatus::Active);
    assert_eq!(first.agent.branch_name.as_deref(), Some("docs/readme"));
    assert_eq!(first.agent.auto_create_pr, Some(true));
    assert_eq!(first.agent.repos.as_ref().map(|r| r[0].url.as_deref()), Some(Some(REPO)));
    assert_eq!(first.run.agent_id, first.agent.id);
    assert_eq!(first.run.status, RunStatus::Running);
    let mut ids = vec![first.agent.id.clone()];
    for n in 0..3 {
        let created = agents.create_with_id(&create(&format!("Task {n}"))).await.expect("create with id");
        assert!(created.agent.id.starts_with("bc-"));
        ids.push(created.agent.id);
    }

    // Busy, cancel, not cancellable, archived: each is its own predicate.
    let followup = CreateRun::new("Also add a license");
    let busy = agents.create_run(&first.agent.id, &followup).await.expect_err("one run at a time");
    assert!(busy.is_agent_busy() && busy.is_conflict(), "{busy}");
    let cancelled = agents.cancel_run(&first.agent.id, &first.run.id).await.expect("cancel");
    assert_eq!(cancelled.id, first.run.id);
    assert_eq!(agents.get_run(&first.agent.id, &first.run.id).await.unwrap().status, RunStatus::Cancelled);
    let again = agents.cancel_run(&first.agent.id, &first.run.id).await.expect_err("already over");
    assert!(again.is_run_not_cancellable(), "{again}");
    agents.archive(&first.agent.id).await.expect("archive");
    assert_eq!(agents.get(&first.agent.id).await.unwrap().status, AgentStatus::Archived);
    let archived = agents.create_run(&first.agent.id, &followup).await.expect_err("archived");
    assert!(archived.is_agent_archived(), "{archived}");
    let active: Vec<_> = agents.list(&AgentsQuery::new().include_archived(false)).try_collect().await.unwrap();
    assert!(active.iter().all(|a| a.id != first.agent.id));
    agents.unarchive(&first.agent.id).await.expect("unarchive");
    let second = agents.create_run(&first.agent.id, &followup).await.expect("a new run").run;

    // Lists walk every page.
    let listed: Vec<_> = agents.list(&AgentsQuery::new().page_size(2)).try_collect().await.expect("list");
    let listed_ids: BTreeSet<_> = listed.iter().map(|a| a.id.clone()).collect();
    assert_eq!(listed_ids, ids.iter().cloned().collect(), "every agent once");
    assert_eq!(listed.len(), ids.len());
    assert!(requests_to(&server, "GET", "/v1/agents").len() >= 2, "several pages");
    let page = agents.list_page(&AgentsQuery::new().page_size(100)).await.unwrap();
    assert_eq!((page.items.len(), page.next_cursor), (ids.len(), None));
    let runs: Vec<_> = agents.list_runs(&first.agent.id, &RunsQuery::new().page_size(1)).try_collect().await.unwrap();
    assert_eq!(runs.iter().map(|r| r.id.clone()).collect::<Vec<_>>(), [second.id.clone(), first.run.id.clone()]);
    assert_eq!(agents.list_runs_page(&first.agent.id, &RunsQuery::new()).await.unwrap().items.len(), 2);
    // The page streams yield the same items, page by page, in the same order.
    let pages: Vec<_> = agents.list_pages(&AgentsQuery::new().page_size(2)).try_collect().await.expect("pages");
    assert!(pages.len() >= 2 && pages.iter().all(|p| p.items.len() <= 2), "pages of at most 2");
    let paged: Vec<_> = pages.iter().flat_map(|p| p.items.iter().map(|a| a.id.clone())).collect();
    assert_eq!(paged, listed.iter().map(|a| a.id.clone()).collect::<Vec<_>>());
    let run_pages: Vec<_> =
        agents.list_runs_pages(&first.agent.id, &RunsQuery::new().page_size(1)).try_collect().await.unwrap();
    let paged_runs: Vec<Vec<_>> = run_pages.iter().map(|p| p.items.iter().map(|r| r.id.clone()).collect()).collect();
    assert_eq!(paged_runs, [vec![second.id.clone()], vec![first.run.id.clone()]]);

    // Finish the runs, then stream, artifacts, usage.
    server.advance_clock(Duration::from_secs(3601));
    let done = agents.get_run(&first.agent.id, &second.id).await.unwrap();
    assert_eq!(done.status, RunStatus::Finished);
    let events: Vec<_> = agents.stream_run(&first.agent.id, &second.id).try_collect().await.expect("stream");
    assert!(events.iter().any(|e| matches!(e.data, RunEventData::Assistant(_))));
    assert!(events.iter().any(|e| e.status() == Some(RunStatus::Finished)));
    assert!(events.last().unwrap().is_done());
    let artifacts = agents.artifacts(&first.agent.id).await.expect("artifacts").items;
    assert!(!artifacts.is_empty());
    let link = agents.artifact_download_url(&first.agent.id, &artifacts[0].path).await.expect("download");
    assert!(link.url.starts_with("https://") && !link.expires_at.is_empty());
    let bad = agents.artifact_download_url(&first.agent.id, "../etc/passwd").await.expect_err("refused");
    assert!(matches!(bad, Error::InvalidRequest { .. }), "{bad}");
    let usage = agents.usage(&first.agent.id).await.expect("usage");
    assert_eq!(usage.fields["runCount"], 2);

    agents.delete(&ids[1]).await.expect("delete");
    let gone = agents.get(&ids[1]).await.expect_err("deleted");
    assert!(gone.is_not_found() && gone.is_agent_not_found(), "{gone}");

    // Every request the SDK made fits the description, and every operation was made.
    let covered = check_journal(&server.journal());
    let summary: Value = serde_json::from_str(SUMMARY).unwrap();
    for op in summary["operations"].as_array().unwrap() {
        let key = (op["method"].as_str().unwrap().to_owned(), op["path"].as_str().unwrap().to_owned());
        assert!(covered.contains(&key), "{key:?} was not exercised");
    }
}

#[tokio::test]
async fn a_stream_cut_at_many_points_resumes_with_no_event_lost_or_repeated() {
    let (server, agents) = v1(config(AgentTiming::instant()), "key_v1_cuts").await;
    let created = agents.create(&create("Add docs")).await.unwrap();
    let (agent, run) = (created.agent.id, created.run.id);
    let reference: Vec<(Option<String>, String)> =
        agents.stream_run(&agent, &run).map_ok(|e| (e.id, e.event)).try_collect().await.expect("the uncut stream");
    assert!(reference.len() >= 8);
    let path = format!("/v1/agents/{agent}/runs/{run}/stream");
    // Every 29th byte across the body, plus pseudo-random points.
    let mut points: Vec<usize> = (0..1300).step_by(29).collect();
    let mut seed = 0x2545_f491_u64;
    for _ in 0..12 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        points.push((seed >> 33) as usize % 1300);
    }
    let mut resumed = 0;
    for cut in points {
        server.set_faults(fault_once(
            &path,
            "GET",
            FaultSpec { cut_body_after_bytes: Some(cut), ..FaultSpec::default() },
        ));
        let options = StreamOptions::default().reconnects(3, Duration::from_millis(10));
        let mut stream = agents.stream_run_with(&agent, &run, options, None);
        let mut got = Vec::new();
        while let Some(event) = stream.next().await {
            let event = event.unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
            got.push((event.id, event.event));
        }
        assert_eq!(got, reference, "cut at byte {cut}");
        if stream.info().connections > 1 {
            resumed += 1;
        }
    }
    assert!(resumed >= 20, "most cut points fall inside the body and force a reconnection ({resumed})");

    // Through the core client, a resumed connection names the last event it delivered, asks
    // for an event stream, and the server's retention window is exposed.
    let streams: Vec<_> = server.journal().into_iter().filter(|e| e.path == path).collect();
    assert!(streams.iter().all(|e| e.headers.get("accept").map(String::as_str) == Some("text/event-stream")));
    let resumed_with_id = streams.iter().filter(|e| e.headers.contains_key("last-event-id")).count();
    assert!(resumed_with_id >= 20, "reconnections send Last-Event-ID ({resumed_with_id})");
    let stream = agents.stream_run(&agent, &run);
    let events: Vec<_> = stream.try_collect().await.expect("the stream");
    assert_eq!(events.len(), reference.len());
    let mut stream = agents.stream_run(&agent, &run);
    let _ = stream.next().await;
    assert!(stream.retention().is_some(), "the retention header is read through the core client");
}

#[tokio::test]
async fn an_expired_stream_ends_with_stream_expired_and_waiting_falls_back_to_polling() {
    let mut config = config(AgentTiming::instant());
    config.agents_v1 = AgentsV1Config { stream_retention: Duration::from_secs(60), ..AgentsV1Config::default() };
    let (server, agents) = v1(config, "key_v1_expired").await;
    let created = agents.create(&create("Add docs")).await.unwrap();
    server.advance_clock(Duration::from_secs(61));
    let mut stream = agents.stream_run(&created.agent.id, &created.run.id);
    let error = stream.next().await.expect("an item").expect_err("expired");
    assert!(error.is_stream_expired() && error.status() == Some(410), "{error}");
    assert!(stream.next().await.is_none());
    let run = agents.wait_run(&created.agent.id, &created.run.id, &WaitRunOptions::default()).await.expect("wait");
    assert_eq!(run.status, RunStatus::Finished);
}

#[tokio::test]
async fn wait_run_follows_the_stream_or_polls_and_keeps_its_deadline() {
    let timing = AgentTiming { creating: Duration::from_millis(50), running: Duration::from_millis(300) };
    let (server, agents) = v1(config(timing), "key_v1_wait").await;
    let quick = WaitRunOptions::default().intervals(Duration::from_millis(20), Duration::from_millis(100));

    let by_stream = agents.create(&create("Add docs")).await.unwrap();
    let run = agents
        .wait_run(&by_stream.agent.id, &by_stream.run.id, &quick.clone().timeout(Duration::MAX))
        .await
        .expect("Duration::MAX is no deadline, not an overflow");
    assert_eq!(run.status, RunStatus::Finished);
    let stream_path = format!("/v1/agents/{}/runs/{}/stream", by_stream.agent.id, by_stream.run.id);
    assert_eq!(requests_to(&server, "GET", &stream_path).len(), 1, "followed through one stream");

    let refused = agents.create(&create("Add tests")).await.unwrap();
    let path = format!("/v1/agents/{}/runs/{}/stream", refused.agent.id, refused.run.id);
    let forbidden = FaultSpec { error_rate: 1.0, error_statuses: vec![403], ..FaultSpec::default() };
    server.set_faults(fault_once(&path, "GET", forbidden));
    let run = agents.wait_run(&refused.agent.id, &refused.run.id, &quick).await.expect("wait by polling");
    assert_eq!(run.status, RunStatus::Finished);
    let run_path = format!("/v1/agents/{}/runs/{}", refused.agent.id, refused.run.id);
    assert!(!requests_to(&server, "GET", &run_path).is_empty(), "polled the run");

    server.set_faults(FaultConfig::default());
    let slow = AgentTiming { creating: Duration::ZERO, running: Duration::from_secs(3600) };
    let (_slow_server, slow_agents) = v1(config(slow), "key_v1_deadline").await;
    let long = slow_agents.create(&create("A long task")).await.unwrap();
    let started = std::time::Instant::now();
    let error = slow_agents
        .wait_run(&long.agent.id, &long.run.id, &quick.timeout(Duration::from_millis(300)))
        .await
        .expect_err("deadline");
    assert!(matches!(error, Error::Timeout { endpoint, .. } if endpoint == WAIT_RUN_NAME), "{error}");
    assert!(started.elapsed() < Duration::from_secs(10), "gave up at the deadline");
}

#[tokio::test]
async fn create_is_sent_once_and_reported_outcome_unknown_under_a_cut_connection() {
    let server = start_mock_with(config(AgentTiming::instant())).await;
    let agents = AgentsClient::new(client_with(&server, "key_v1_once", fast_retries(5)));
    let cut = FaultSpec { reset_after_handling_rate: 1.0, ..FaultSpec::default() };
    server.set_faults(fault_once("/v1/agents", "POST", cut));
    let error = agents.create(&create("Add docs")).await.expect_err("the answer was lost");
    assert!(error.is_outcome_unknown(), "{error}");
    assert!(error.to_string().contains("create_with_id"), "the hint says what to do: {error}");
    assert_eq!(requests_to(&server, "POST", "/v1/agents").len(), 1, "never retried");
    let listed: Vec<_> = agents.list(&AgentsQuery::new()).try_collect().await.unwrap();
    assert_eq!(listed.len(), 1, "the server did create it");

    let unavailable = FaultSpec { error_rate: 1.0, error_statuses: vec![503], ..FaultSpec::default() };
    server.set_faults(fault_once("/v1/agents", "POST", unavailable));
    let error = agents.create(&create("Add tests")).await.expect_err("503");
    assert!(error.is_outcome_unknown() && error.status() == Some(503), "{error}");
    assert_eq!(requests_to(&server, "POST", "/v1/agents").len(), 2, "one more send, no retry");
}

#[tokio::test]
async fn create_with_id_repeats_safely_and_finds_the_agent_it_made() {
    let server = start_mock_with(config(AgentTiming::instant())).await;
    let agents = AgentsClient::new(client_with(&server, "key_v1_idempotent", fast_retries(5)));
    let cut = FaultSpec { reset_after_handling_rate: 1.0, ..FaultSpec::default() };
    server.set_faults(fault_once("/v1/agents", "POST", cut));
    let request = create("Add docs").agent_id("bc-chosen-by-the-client");
    let created = agents.create_with_id(&request).await.expect("found after an unknown outcome");
    assert_eq!(created.agent.id, "bc-chosen-by-the-client");
    assert_eq!(created.run.agent_id, created.agent.id);
    let posts = requests_to(&server, "POST", "/v1/agents");
    assert_eq!(posts.iter().map(|e| e.status).collect::<Vec<_>>(), [201, 409], "sent again, refused as a clash");

    let again = agents.create_with_id(&request).await.expect("a repeat returns the same agent");
    assert_eq!((again.agent.id, again.run.id), (created.agent.id.clone(), created.run.id));
    let listed: Vec<_> = agents.list(&AgentsQuery::new()).try_collect().await.unwrap();
    assert_eq!(listed.len(), 1, "one agent however often it was sent");
    check_journal(&server.journal());
}

#[tokio::test]
async fn a_rate_limited_v1_call_reports_the_servers_retry_after() {
    let mut config = config(AgentTiming::instant());
    config.rate_limits = RateLimits { agents_per_minute: 1, ..RateLimits::default() };
    let (_server, agents) = v1(config, "key_v1_limited").await;
    agents.me().await.expect("the first call fits");
    let error = agents.models().await.expect_err("the second does not");
    assert!(error.is_rate_limited(), "{error}");
    assert!(error.retry_after().is_some_and(|after| after >= Duration::from_secs(1)));
}
