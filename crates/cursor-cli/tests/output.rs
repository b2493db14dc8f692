//! `-o json|ndjson|csv|table` against a simulator, compared with what the SDK reads from the
//! same simulator: the JSON document holds every item of every page in server order with the
//! page-level fields beside them, NDJSON and CSV have a row per item with the API's values,
//! tables are cut to the terminal's width and say "showing N of M"; and `-v`/`-vv`/`-vvv`
//! print request lines without ever printing the key.

mod common;

use common::{KEY, Sim, sdk_client, stderr, stdout};
use cursor_admin::{AdminClient, SpendQuery, UsageEventsQuery};
use cursor_aicode::{AiCodeClient, AiCodeQuery, ExportQuery};
use cursor_core::{DateRange, DateSpec};
use cursor_mock::FaultSpec;
use futures_util::TryStreamExt as _;
use serde_json::Value;

fn day(text: &str) -> DateSpec {
    text.parse().unwrap()
}

/// The simulator's week before its fixed "now" (2025-06-15).
const START: &str = "2025-06-08";
const END: &str = "2025-06-15";

#[test]
fn spend_json_is_every_page_in_order_with_the_page_level_fields() {
    let sim = Sim::start();
    // Small pages, so that the document merges many of them.
    let output = sim.cursor(&["-o", "json", "spend", "--page-size", "25"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: Value = serde_json::from_slice(&output.stdout).expect("one JSON document");

    let admin = AdminClient::new(sdk_client(&sim));
    let (all, first) = sim.block_on(async {
        let all: Vec<_> = admin.spend(&SpendQuery::new()).try_collect().await.unwrap();
        (all, admin.spend_page(&SpendQuery::new().page_size(25)).await.unwrap())
    });
    assert!(all.len() > 25, "more than one page: {}", all.len());
    assert_eq!(document["teamMemberSpend"], serde_json::to_value(&all).unwrap());
    assert_eq!(document["subscriptionCycleStart"], first.subscription_cycle_start);
    assert_eq!(document["totalMembers"], first.total_members);
    assert!(document.get("totalPages").is_none(), "a page count means nothing once pages are merged");
    // camelCase as the API writes it.
    assert!(document["teamMemberSpend"][0].get("spendCents").is_some());
}

#[test]
fn one_page_with_page_keeps_that_pages_fields() {
    let sim = Sim::start();
    let output = sim.cursor(&["-o", "json", "spend", "--page", "2", "--page-size", "10"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    let admin = AdminClient::new(sdk_client(&sim));
    let page = sim.block_on(admin.spend_page(&SpendQuery::new().page(2).page_size(10))).unwrap();
    assert_eq!(document, serde_json::to_value(&page).unwrap());
}

#[test]
fn usage_events_ndjson_is_one_sdk_item_a_line_in_server_order() {
    let sim = Sim::start();
    let output = sim.cursor(&["-o", "ndjson", "usage-events", "--start", START, "--end", END, "--page-size", "200"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines: Vec<Value> =
        stdout(&output).lines().map(|line| serde_json::from_str(line).expect("a JSON object a line")).collect();
    let admin = AdminClient::new(sdk_client(&sim));
    let query = UsageEventsQuery::new().range(DateRange::new(day(START), day(END)));
    let events: Vec<_> = sim.block_on(admin.usage_events(&query).try_collect()).unwrap();
    assert!(events.len() > 200, "several pages: {}", events.len());
    assert_eq!(lines, events.iter().map(|e| serde_json::to_value(e).unwrap()).collect::<Vec<_>>());

    let limited = sim.cursor(&["-o", "ndjson", "usage-events", "--start", START, "--end", END, "--limit", "7"]);
    let limited: Vec<Value> = stdout(&limited).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(limited, lines[..7].to_vec());
}

#[test]
fn ai_code_csv_has_a_row_per_commit_with_the_apis_values() {
    let sim = Sim::start();
    let output = sim.cursor(&["-o", "csv", "ai-code", "commits", "--start", START, "--end", END]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[0], "commitHash");
    let added = header.iter().position(|h| *h == "totalLinesAdded").unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();

    let aicode = AiCodeClient::new(sdk_client(&sim));
    let query = AiCodeQuery::from(ExportQuery::new().start_date(day(START)).end_date(day(END)));
    let commits: Vec<_> = sim.block_on(aicode.commits(&query).try_collect()).unwrap();
    assert!(!commits.is_empty());
    assert_eq!(rows.len(), commits.len());
    for (row, commit) in rows.iter().zip(&commits) {
        assert_eq!(row[0], commit.commit_hash.as_deref().unwrap());
        assert_eq!(row[added], commit.total_lines_added.unwrap().to_string());
    }
}

#[test]
fn a_table_fits_the_width_totals_its_money_and_says_how_much_it_shows() {
    let sim = Sim::start();
    let url = sim.url();
    let output = common::command(&["--api-key", KEY, "--base-url", &url, "-o", "table", "spend", "--limit", "5"])
        .env("COLUMNS", "70")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.lines().all(|line| line.chars().count() <= 70), "{text}");
    let admin = AdminClient::new(sdk_client(&sim));
    let page = sim.block_on(admin.spend_page(&SpendQuery::new().page_size(100))).unwrap();
    let cents: f64 = page.team_member_spend[..5].iter().map(|m| m.spend_cents).sum();
    let total = text.lines().find(|l| l.starts_with("TOTAL")).unwrap_or_else(|| panic!("a totals row: {text}"));
    assert!(total.contains(&format!("${:.2}", cents / 100.0)), "{total}");
    assert!(text.contains(&format!("showing 5 of {}", page.total_members)), "{text}");
}

/// The key's Basic-auth form, `base64("key_testSECRET42:")`, without its padding.
const KEY_BASIC: &str = "a2V5X3Rlc3RTRUNSRVQ0Mj";

#[test]
fn v_prints_a_line_per_request_and_vv_retries_and_cache_without_the_key_at_any_level() {
    // The first request to members fails once with a 503, then succeeds.
    let sim = Sim::with(|config| {
        config.faults.routes = vec![cursor_mock::RouteFault {
            path: "/teams/members".into(),
            method: None,
            fault: FaultSpec { error_rate: 1.0, error_statuses: vec![503], ..FaultSpec::default() },
            times: Some(1),
        }];
    });
    let one = sim.cursor(&["-v", "members"]);
    assert_eq!(one.status.code(), Some(0), "{}", stderr(&one));
    let lines: Vec<String> = stderr(&one).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 1, "one line per request: {lines:?}");
    assert!(lines[0].starts_with("GET /teams/members 200 attempt 2 limiter "), "{lines:?}");
    assert!(lines[0].ends_with("ms"), "{lines:?}");

    let two = sim.cursor(&["-vv", "members"]);
    assert!(stderr(&two).contains("cache: "), "{}", stderr(&two));
    let sim_retry = Sim::with_fault(
        "/teams/members",
        None,
        FaultSpec { error_rate: 1.0, error_statuses: vec![503], ..FaultSpec::default() },
    );
    let retried = sim_retry.cursor(&["-vv", "members"]);
    assert!(stderr(&retried).contains("retry admin.members: attempt 1 failed"), "{}", stderr(&retried));

    for level in ["-v", "-vv", "-vvv"] {
        for output in [sim.cursor(&[level, "members"]), sim_retry.cursor(&[level, "members"])] {
            let (out, err) = (stdout(&output), stderr(&output));
            for secret in ["testSECRET42", KEY_BASIC] {
                assert!(!out.contains(secret) && !err.contains(secret), "{level}: {secret} in\n{out}\n{err}");
            }
        }
    }
}

#[test]
fn groups_and_blocklists_print_the_apis_answers_and_their_writes_take_effect() {
    let sim = Sim::start();
    let admin = AdminClient::new(sdk_client(&sim));
    let listed = sim.cursor(&["-o", "json", "groups", "list"]);
    assert_eq!(listed.status.code(), Some(0), "{}", stderr(&listed));
    let groups = sim.block_on(admin.groups(None)).unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&listed.stdout).unwrap(), serde_json::to_value(&groups).unwrap());

    let created = sim.cursor(&["-o", "json", "groups", "create", "Platform"]);
    assert_eq!(created.status.code(), Some(0), "{}", stderr(&created));
    let id = serde_json::from_slice::<Value>(&created.stdout).unwrap()["group"]["id"].as_str().unwrap().to_owned();
    let after = sim.block_on(admin.groups(None)).unwrap();
    assert!(after.groups.iter().any(|g| g.id == id && g.name == "Platform"));
    let deleted = sim.cursor(&["-o", "table", "groups", "delete", &id]);
    assert_eq!(stdout(&deleted).trim(), format!("deleted group {id}"));

    let repo = "https://github.com/acme-corp/new-repo";
    let upserted =
        sim.cursor(&["-o", "ndjson", "blocklists", "upsert", repo, "--pattern", "*.env", "--pattern", "x/**"]);
    assert_eq!(upserted.status.code(), Some(0), "{}", stderr(&upserted));
    let lists = sim.block_on(admin.repo_blocklists()).unwrap();
    let ours = lists.repos.iter().find(|r| r.url == repo).expect("the upsert took effect");
    assert_eq!(ours.patterns, ["*.env", "x/**"]);
    let csv = sim.cursor(&["-o", "csv", "blocklists", "list"]);
    assert_eq!(stdout(&csv).lines().count(), lists.repos.len() + 1, "a header and a row per repository");
}

#[test]
fn analytics_rows_follow_limit_in_ndjson_and_the_api_document_in_json() {
    let sim = Sim::start();
    let ndjson = sim.cursor(&["-o", "ndjson", "analytics", "tabs", "--by-user", "--limit", "5"]);
    assert_eq!(ndjson.status.code(), Some(0), "{}", stderr(&ndjson));
    let rows: Vec<Value> = stdout(&ndjson).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|row| row["email"].as_str().is_some_and(|e| e.contains('@'))), "{rows:?}");
    let json = sim.cursor(&["-o", "json", "analytics", "dau"]);
    let document: Value = serde_json::from_slice(&json.stdout).unwrap();
    let analytics = cursor_analytics::AnalyticsClient::new(sdk_client(&sim));
    let dau = sim.block_on(analytics.dau(&cursor_analytics::AnalyticsQuery::new())).unwrap();
    assert_eq!(document, serde_json::to_value(&dau).unwrap());
}

#[test]
fn a_list_answered_whole_is_a_record_per_item_in_csv_and_ndjson() {
    let sim = Sim::start();
    let repos = ["https://github.com/acme-corp/web-app", "https://github.com/acme-corp/api-server"];
    let csv = sim.cursor(&["-o", "csv", "bugbot", "disable", repos[0], repos[1]]);
    assert_eq!(csv.status.code(), Some(0), "{}", stderr(&csv));
    let lines: Vec<String> = stdout(&csv).lines().map(str::to_owned).collect();
    assert_eq!(lines, ["repoUrl,enabled,ok", &format!("{},false,true", repos[0]), &format!("{},false,true", repos[1])]);
    let ndjson = sim.cursor(&["-o", "ndjson", "bugbot", "disable", repos[0]]);
    let line: Value = serde_json::from_str(stdout(&ndjson).trim()).unwrap();
    assert_eq!(line["repoUrl"], repos[0]);
}
