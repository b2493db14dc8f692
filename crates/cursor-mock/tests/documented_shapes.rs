//! The simulator's answers have the shape of the documents' examples, read from the files
//! under `tests/fixtures/`: every field an example has, at every depth, the simulator's
//! answer has too, with a value of the same JSON type (or `null`), apart from the fields
//! listed with the reason the simulator leaves them out.

mod common;

use common::{Harness, test_config};
use cursor_core::testing::fixture;
use cursor_mock::RateLimits;
use reqwest::Method;
use serde_json::{Map, Value, json};

const KEY: &str = "key_documented_shapes";

/// One call to the simulator and the documented example its answer is held to.
struct Call {
    method: Method,
    path: &'static str,
    body: Option<Value>,
    example: &'static str,
    /// Objects keyed by data (a by-user answer's emails), compared by their values.
    keyed_by_data: &'static [&'static str],
    /// Fields of the example (with the fields inside them) the simulator may leave out, each
    /// with the reason.
    may_omit: &'static [(&'static str, &'static str)],
}

fn get(path: &'static str, example: &'static str) -> Call {
    Call { method: Method::GET, path, body: None, example, keyed_by_data: &[], may_omit: &[] }
}

fn post(path: &'static str, body: Value, example: &'static str) -> Call {
    Call { body: Some(body), method: Method::POST, ..get(path, example) }
}

/// The items of an array (or the values of a data-keyed object) merged into one object: the
/// union of their fields, the first non-null value of each.
fn merged<'a>(items: impl Iterator<Item = &'a Value>) -> Value {
    let mut out = Map::new();
    for item in items {
        if let Value::Object(fields) = item {
            for (key, value) in fields {
                let slot = out.entry(key.clone()).or_insert(Value::Null);
                if slot.is_null() {
                    *slot = value.clone();
                }
            }
        }
    }
    Value::Object(out)
}

/// The paths of `example`'s fields that `answer` lacks or holds as another JSON type.
fn differences(example: &Value, answer: &Value, path: &str, call: &Call, out: &mut Vec<String>) {
    let same_kind = std::mem::discriminant(example) == std::mem::discriminant(answer);
    if example.is_null() || answer.is_null() {
        return;
    }
    if !same_kind {
        out.push(format!("{path}: documented {example}, answered {answer}"));
        return;
    }
    match (example, answer) {
        (Value::Object(_), Value::Object(_)) if call.keyed_by_data.contains(&path) => {
            let (example, answer) = (merged_values(example), merged_values(answer));
            differences(&example, &answer, &format!("{path}{{}}"), call, out);
        }
        (Value::Object(documented), Value::Object(answered)) => {
            for (key, value) in documented {
                let field = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                match answered.get(key) {
                    Some(answer) => differences(value, answer, &field, call, out),
                    None if call.may_omit.iter().any(|(omitted, _)| {
                        field == *omitted || field.strip_prefix(omitted).is_some_and(|rest| rest.starts_with('.'))
                    }) => {}
                    None => out.push(format!("{field}: missing")),
                }
            }
        }
        (Value::Array(documented), Value::Array(answered)) if !documented.is_empty() && !answered.is_empty() => {
            let scalar = !documented[0].is_object();
            if scalar {
                differences(&documented[0], &answered[0], &format!("{path}[]"), call, out);
            } else {
                differences(&merged(documented.iter()), &merged(answered.iter()), &format!("{path}[]"), call, out);
            }
        }
        _ => {}
    }
}

/// The values of a data-keyed object: arrays of rows flattened, merged into one.
fn merged_values(object: &Value) -> Value {
    let values = object.as_object().into_iter().flat_map(Map::values);
    Value::Array(vec![merged(
        values.flat_map(|v| v.as_array().cloned().unwrap_or_else(|| vec![v.clone()])).collect::<Vec<_>>().iter(),
    )])
}

#[tokio::test]
async fn answers_have_every_field_of_the_documented_examples() {
    let mut config = test_config();
    config.rate_limits = RateLimits::unlimited();
    let h = Harness::start(config).await;
    let range = json!({"startDate": 1_749_600_000_000_i64, "endDate": 1_749_772_800_000_i64});
    let by_user = |path, example| Call { keyed_by_data: &["data"], ..get(path, example) };
    let calls = [
        get("/teams/members", "admin/members"),
        Call {
            may_omit: &[(
                "events[].event_data",
                "its fields depend on the event type; the simulator's events are other types",
            )],
            ..get("/teams/audit-logs", "admin/audit_logs")
        },
        post("/teams/daily-usage-data", range, "admin/daily_usage"),
        post("/teams/spend", json!({}), "admin/spend"),
        post("/teams/filtered-usage-events", json!({}), "admin/usage_events"),
        get("/settings/repo-blocklists/repos", "admin/repo_blocklists"),
        get("/teams/groups", "admin/groups"),
        get("/teams/groups/group_PDSPmvukpYgZEDXsoNirw3CFhy", "admin/group"),
        get("/analytics/team/agent-edits", "analytics/agent_edits"),
        get("/analytics/team/tabs", "analytics/tabs"),
        get("/analytics/team/dau", "analytics/dau"),
        get("/analytics/team/client-versions", "analytics/client_versions"),
        Call { keyed_by_data: &["data[].model_breakdown"], ..get("/analytics/team/models", "analytics/models") },
        get("/analytics/team/top-file-extensions", "analytics/top_file_extensions"),
        get("/analytics/team/mcp", "analytics/mcp"),
        get("/analytics/team/commands", "analytics/commands"),
        get("/analytics/team/plans", "analytics/plans"),
        get("/analytics/team/ask-mode", "analytics/ask_mode"),
        get("/analytics/team/leaderboard", "analytics/leaderboard"),
        by_user("/analytics/by-user/agent-edits", "analytics/agent_edits_by_user"),
        by_user("/analytics/by-user/mcp", "analytics/mcp_by_user"),
        by_user("/analytics/by-user/commands", "analytics/commands_by_user"),
        by_user("/analytics/by-user/plans", "analytics/plans_by_user"),
        by_user("/analytics/by-user/ask-mode", "analytics/ask_mode_by_user"),
        get("/analytics/ai-code/commits", "aicode/commits"),
        get("/analytics/ai-code/changes", "aicode/changes"),
        Call {
            may_omit: &[("agents[].target.prUrl", "only an agent that opened a pull request has one")],
            ..get("/v0/agents", "agents/list")
        },
        get("/v0/me", "agents/me"),
        get("/v0/models", "agents/models"),
        get("/v0/repositories", "agents/repositories"),
    ];
    let mut failures = Vec::new();
    for call in &calls {
        let mut request = h.request(call.method.clone(), call.path, KEY);
        if let Some(body) = &call.body {
            request = request.json(body);
        }
        let (status, answer) = common::json_of(request.send().await.expect("request sent")).await;
        assert_eq!(status, 200, "{} {}: {answer}", call.method, call.path);
        let example: Value = serde_json::from_str(fixture(call.example)).expect("a JSON fixture");
        let mut found = Vec::new();
        differences(&example, &answer, "", call, &mut found);
        failures.extend(
            found
                .into_iter()
                .map(|difference| format!("{} {} ({}): {difference}", call.method, call.path, call.example)),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_missing_field_or_another_type_is_a_difference() {
    let call = get("/t", "t");
    let example = json!({"a": [{"b": 1}, {"c": "x"}], "d": {"e": true}});
    let mut found = Vec::new();
    differences(&example, &json!({"a": [{"b": 2.5, "c": "y"}], "d": {"e": false, "f": 1}}), "", &call, &mut found);
    assert!(found.is_empty(), "{found:?}");
    differences(&example, &json!({"a": [{"b": "1"}], "d": {}}), "", &call, &mut found);
    assert_eq!(found, ["a[].b: documented 1, answered \"1\"", "a[].c: missing", "d.e: missing"]);
}
