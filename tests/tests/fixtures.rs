//! The documented examples under `tests/fixtures/<api>/<endpoint>.json` (and `.csv`), held to
//! the endpoint declarations: every file belongs to a declared endpoint (read from the crates'
//! `ENDPOINTS` lists), every declared endpoint that answers JSON or CSV has an example or a
//! reason it has none, and every JSON example decodes into its model losslessly as
//! documented, with an unknown field added at every object level, and with each optional
//! field (and then all of them) removed.

use std::collections::{BTreeMap, BTreeSet};

use cursor_core::testing::{fixture, fixtures_dir, fixtures_of, json_equivalent};
use cursor_core::{Endpoint, ResponseKind};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The fixtures folder an endpoint's examples live in, and the endpoint's name within it:
/// `admin.audit_logs` → (`admin`, `audit_logs`), `agents.v1.get_run` → (`agents`, `v1.get_run`):
/// v1 examples sit beside v0's, their names keeping the `v1.` that tells them apart.
fn folder_and_name(endpoint: &Endpoint) -> (&'static str, &'static str) {
    endpoint.name.split_once('.').unwrap_or_else(|| panic!("{} has no api prefix", endpoint.name))
}

/// Examples that are not an endpoint's request or answer, and why they are kept here.
const NOT_AN_ENDPOINT: &[(&str, &str)] = &[(
    "agents/webhook.status_change",
    "the payload Cursor posts to the webhook URL a launch names: an example of the documents, but no endpoint of ours",
)];

/// Declared endpoints that answer JSON or CSV and have no example file, and why.
const WITHOUT_EXAMPLE: &[(&str, &str)] = &[
    ("admin.remove_member", "the current documents list the answer's fields, with no example"),
    ("admin.model_access_configuration", "model access (preview): fields only, no example"),
    ("admin.set_model_access_restricted", "model access (preview): fields only, no example"),
    ("admin.model_providers", "model access (preview): fields only, no example"),
    ("admin.set_model_provider_allowed", "model access (preview): fields only, no example"),
    ("admin.provider_models", "model access (preview): fields only, no example"),
    ("admin.set_provider_model_allowed", "model access (preview): fields only, no example"),
    ("analytics.tabs_by_user", "the documents list the endpoint without an example"),
    ("analytics.models_by_user", "the documents list the endpoint without an example"),
    ("analytics.client_versions_by_user", "the documents list the endpoint without an example"),
    ("analytics.top_file_extensions_by_user", "the documents list the endpoint without an example"),
    ("analytics.skills", "current documents: fields only, no example"),
    ("analytics.skills_by_user", "current documents: fields only, no example"),
    ("analytics.conversation_insights", "current documents: fields only, no example"),
    ("analytics.bugbot", "current documents: fields only, no example"),
    ("analytics.bugbot_reviews", "current documents: fields only, no example"),
    ("aicode.commits_by_hash", "current documents (limited alpha): fields only, no example"),
    ("bugbot.update_repo", "the documents show the request body (repo_update.request) but no answer"),
    ("bugbot.review", "current documents: the body's and the answer's fields, no example"),
    ("agents.v1.usage", "the current documents name the endpoint but describe no answer (not even its fields)"),
];

/// Decodes `json` as `T` and serializes it back.
fn reencode<T: DeserializeOwned + Serialize>(json: &Value) -> Result<Value, String> {
    let decoded: T = serde_json::from_value(json.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&decoded).map_err(|e| e.to_string())
}

/// One JSON example: its file (the name [`fixture`] takes), the model it decodes into, the
/// fields the model requires (paths, `[]` for the items of an array; every other field must
/// be removable), the objects keyed by data rather than fields (no unknown field is added
/// there: it would be an entry, not a field), and whether it is a body the SDK sends rather
/// than one it receives.
struct Example {
    file: &'static str,
    model: &'static str,
    reencode: fn(&Value) -> Result<Value, String>,
    required: &'static [&'static str],
    keyed_by_data: &'static [&'static str],
    sent: bool,
}

/// `"file" => Model, required [...], keyed_by_data [...];` rows of [`Example`], all sent or
/// all received.
macro_rules! examples {
    (sent: $sent:literal; $($file:literal => $model:ty $(, required [$($required:literal),* $(,)?])? $(, keyed_by_data [$($map:literal),* $(,)?])?;)*) => {
        &[$(Example {
            file: $file,
            model: stringify!($model),
            reencode: reencode::<$model>,
            required: &[$($($required),*)?],
            keyed_by_data: &[$($($map),*)?],
            sent: $sent,
        }),*]
    };
}

/// Every JSON answer (and webhook payload) and its model: with [`SENT`], the one mapping
/// from example (and so from endpoint) to model type.
const ANSWERS: &[Example] = examples! {
    sent: false;
    "admin/add_group_members" => cursor_admin::GroupResponse, required ["group", "group.createdAt", "group.id", "group.memberCount", "group.members[].email", "group.members[].joinedAt", "group.members[].userId", "group.name", "group.type", "group.updatedAt"];
    "admin/create_group" => cursor_admin::GroupResponse, required ["group", "group.createdAt", "group.id", "group.memberCount", "group.name", "group.type", "group.updatedAt"];
    "admin/group" => cursor_admin::GroupResponse, required ["billingCycle.cycleEnd", "billingCycle.cycleStart", "group", "group.createdAt", "group.currentMembers[].dailySpend[].date", "group.currentMembers[].dailySpend[].spendCents", "group.currentMembers[].email", "group.currentMembers[].joinedAt", "group.currentMembers[].userId", "group.dailySpend[].date", "group.dailySpend[].spendCents", "group.formerMembers[].email", "group.formerMembers[].joinedAt", "group.formerMembers[].userId", "group.id", "group.memberCount", "group.name", "group.type", "group.updatedAt"];
    "admin/remove_group_members" => cursor_admin::GroupResponse, required ["group", "group.createdAt", "group.id", "group.memberCount", "group.members[].email", "group.members[].joinedAt", "group.members[].userId", "group.name", "group.type", "group.updatedAt"];
    "admin/update_group" => cursor_admin::GroupResponse, required ["group", "group.createdAt", "group.id", "group.memberCount", "group.members[].email", "group.members[].joinedAt", "group.members[].userId", "group.name", "group.type", "group.updatedAt"];
    "admin/audit_logs" => cursor_admin::AuditLogPage, required ["events", "events[].event_id", "events[].event_type", "events[].timestamp", "pagination"];
    "admin/daily_usage" => cursor_admin::DailyUsage, required ["data", "data[].acceptedLinesAdded", "data[].acceptedLinesDeleted", "data[].agentRequests", "data[].apiKeyReqs", "data[].bugbotUsages", "data[].chatRequests", "data[].cmdkUsages", "data[].composerRequests", "data[].date", "data[].subscriptionIncludedReqs", "data[].totalAccepts", "data[].totalApplies", "data[].totalLinesAdded", "data[].totalLinesDeleted", "data[].totalRejects", "data[].totalTabsAccepted", "data[].totalTabsShown", "data[].usageBasedReqs", "period.endDate", "period.startDate"];
    "admin/groups" => cursor_admin::GroupList, required ["billingCycle.cycleEnd", "billingCycle.cycleStart", "groups", "groups[].createdAt", "groups[].currentMembers[].email", "groups[].currentMembers[].joinedAt", "groups[].currentMembers[].userId", "groups[].dailySpend[].date", "groups[].dailySpend[].spendCents", "groups[].id", "groups[].memberCount", "groups[].name", "groups[].type", "groups[].updatedAt", "unassignedGroup.createdAt", "unassignedGroup.id", "unassignedGroup.memberCount", "unassignedGroup.name", "unassignedGroup.type", "unassignedGroup.updatedAt"];
    "admin/members" => cursor_admin::TeamMembers, required ["teamMembers", "teamMembers[].email", "teamMembers[].role"];
    "admin/repo_blocklists" => cursor_admin::RepoBlocklists, required ["repos", "repos[].id", "repos[].patterns", "repos[].url"];
    "admin/upsert_repo_blocklists" => cursor_admin::RepoBlocklists, required ["repos", "repos[].id", "repos[].patterns", "repos[].url"];
    "admin/set_user_spend_limit" => cursor_admin::SpendLimitOutcome, required ["outcome"];
    "admin/set_user_spend_limit.error" => cursor_admin::SpendLimitOutcome, required ["outcome"];
    "admin/spend" => cursor_admin::SpendPage, required ["subscriptionCycleStart", "teamMemberSpend", "teamMemberSpend[].email", "teamMemberSpend[].fastPremiumRequests", "teamMemberSpend[].role", "teamMemberSpend[].spendCents", "totalMembers", "totalPages"];
    "admin/usage_events" => cursor_admin::UsageEventsPage, required ["pagination", "period.endDate", "period.startDate", "totalUsageEventsCount", "usageEvents", "usageEvents[].isTokenBasedCall", "usageEvents[].maxMode", "usageEvents[].model", "usageEvents[].requestsCosts", "usageEvents[].timestamp", "usageEvents[].tokenUsage.totalCents"];
    "admin/usage_events.older" => cursor_admin::UsageEventsPage, required ["pagination", "period.endDate", "period.startDate", "totalUsageEventsCount", "usageEvents", "usageEvents[].isTokenBasedCall", "usageEvents[].maxMode", "usageEvents[].model", "usageEvents[].requestsCosts", "usageEvents[].timestamp", "usageEvents[].tokenUsage.totalCents"];
    "analytics/agent_edits" => cursor_analytics::TeamResponse<cursor_analytics::AgentEditsRow>, required ["data"];
    "analytics/tabs" => cursor_analytics::TeamResponse<cursor_analytics::TabsRow>, required ["data"];
    "analytics/dau" => cursor_analytics::TeamResponse<cursor_analytics::DauRow>, required ["data"];
    "analytics/client_versions" => cursor_analytics::TeamResponse<cursor_analytics::ClientVersionRow>, required ["data"];
    "analytics/models" => cursor_analytics::TeamResponse<cursor_analytics::ModelsRow>, required ["data"];
    "analytics/top_file_extensions" => cursor_analytics::TeamResponse<cursor_analytics::FileExtensionRow>, required ["data"];
    "analytics/mcp" => cursor_analytics::TeamResponse<cursor_analytics::McpRow>, required ["data"];
    "analytics/commands" => cursor_analytics::TeamResponse<cursor_analytics::CommandRow>, required ["data"];
    "analytics/plans" => cursor_analytics::TeamResponse<cursor_analytics::PlansRow>, required ["data"];
    "analytics/ask_mode" => cursor_analytics::TeamResponse<cursor_analytics::AskModeRow>, required ["data"];
    "analytics/leaderboard" => cursor_analytics::Leaderboard, required ["data", "data.agent_leaderboard.data", "data.tab_leaderboard.data"];
    "analytics/agent_edits_by_user" => cursor_analytics::ByUserPage<cursor_analytics::AgentEditsByUserRow>, required ["data"], keyed_by_data ["data"];
    "analytics/mcp_by_user" => cursor_analytics::ByUserPage<cursor_analytics::McpRow>, required ["data"], keyed_by_data ["data"];
    "analytics/commands_by_user" => cursor_analytics::ByUserPage<cursor_analytics::CommandRow>, required ["data"], keyed_by_data ["data"];
    "analytics/plans_by_user" => cursor_analytics::ByUserPage<cursor_analytics::PlansRow>, required ["data"], keyed_by_data ["data"];
    "analytics/ask_mode_by_user" => cursor_analytics::ByUserPage<cursor_analytics::AskModeRow>, required ["data"], keyed_by_data ["data"];
    "aicode/commits" => cursor_aicode::CommitsPage;
    "aicode/changes" => cursor_aicode::ChangesPage;
    "agents/conversation" => cursor_agents::Conversation, required ["id", "messages", "messages[].id", "messages[].text", "messages[].type"];
    "agents/delete" => cursor_agents::AgentId, required ["id"];
    "agents/followup" => cursor_agents::AgentId, required ["id"];
    "agents/stop" => cursor_agents::AgentId, required ["id"];
    "agents/get" => cursor_agents::Agent, required ["createdAt", "id", "name", "source", "status", "target"];
    "agents/launch" => cursor_agents::Agent, required ["createdAt", "id", "name", "source", "status", "target"];
    "agents/list" => cursor_agents::AgentList, required ["agents", "agents[].createdAt", "agents[].id", "agents[].name", "agents[].source", "agents[].status", "agents[].target"];
    "agents/me" => cursor_agents::ApiKeyInfo, required ["apiKeyName", "createdAt"];
    "agents/models" => cursor_agents::ModelList, required ["models"];
    "agents/repositories" => cursor_agents::RepositoryList, required ["repositories", "repositories[].name", "repositories[].owner", "repositories[].repository"];
    "agents/webhook.status_change" => cursor_agents::webhook::WebhookEvent, required ["id", "status"];
    "agents/v1.archive" => cursor_agents::v1::IdResponse, required ["id"];
    "agents/v1.artifact_download_url" => cursor_agents::v1::ArtifactDownload, required ["expiresAt", "url"];
    "agents/v1.artifacts" => cursor_agents::v1::ArtifactList, required ["items", "items[].path", "items[].sizeBytes", "items[].updatedAt"];
    "agents/v1.cancel_run" => cursor_agents::v1::IdResponse, required ["id"];
    "agents/v1.create" => cursor_agents::v1::CreatedAgent, required ["agent", "agent.createdAt", "agent.env.type", "agent.id", "agent.name", "agent.status", "agent.updatedAt", "agent.url", "run", "run.agentId", "run.createdAt", "run.id", "run.status", "run.updatedAt"];
    "agents/v1.create_run" => cursor_agents::v1::CreatedRun, required ["run", "run.agentId", "run.createdAt", "run.id", "run.status", "run.updatedAt"];
    "agents/v1.delete" => cursor_agents::v1::IdResponse, required ["id"];
    "agents/v1.get" => cursor_agents::v1::Agent, required ["createdAt", "env.type", "id", "name", "status", "updatedAt", "url"];
    "agents/v1.get_run" => cursor_agents::v1::Run, required ["agentId", "createdAt", "id", "status", "updatedAt"];
    "agents/v1.list" => cursor_agents::v1::AgentPage, required ["items", "items[].createdAt", "items[].env.type", "items[].id", "items[].name", "items[].status", "items[].updatedAt", "items[].url"];
    "agents/v1.list_runs" => cursor_agents::v1::RunPage, required ["items", "items[].agentId", "items[].createdAt", "items[].id", "items[].status", "items[].updatedAt"];
    "agents/v1.me" => cursor_agents::v1::ApiKeyInfo, required ["apiKeyName", "createdAt"];
    "agents/v1.models" => cursor_agents::v1::ModelList, required ["items"];
    "agents/v1.repositories" => cursor_agents::v1::RepositoryList, required ["items", "items[].url"];
    "agents/v1.unarchive" => cursor_agents::v1::IdResponse, required ["id"];
};

/// The request bodies the documents show, each with the model the SDK sends it from.
const SENT: &[Example] = examples! {
    sent: true;
    "agents/followup.request" => cursor_agents::Followup, required ["prompt", "prompt.images[].data", "prompt.images[].dimension.height", "prompt.images[].dimension.width", "prompt.text"];
    "agents/launch.request" => cursor_agents::LaunchAgent, required ["prompt", "prompt.images[].data", "prompt.images[].dimension.height", "prompt.images[].dimension.width", "prompt.text", "source", "source.repository"];
    "agents/launch.request.webhook" => cursor_agents::WebhookConfig, required ["url"];
    "bugbot/update_repo.request" => cursor_bugbot::RepoUpdate, required ["enabled", "repoUrl"];
};

/// Request bodies the documents show that the SDK writes from parameters rather than a
/// decodable model; its request tests compare what it sends with the file.
const SENT_WITHOUT_MODEL: &[&str] = &["admin/upsert_repo_blocklists.request"];

/// Every JSON example with a model.
fn examples() -> impl Iterator<Item = &'static Example> {
    ANSWERS.iter().chain(SENT)
}

/// A path to a field: keys, with `[]` for every item of an array.
type Path = Vec<Step>;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Items,
}

fn show(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) if out.is_empty() => out.push_str(key),
            Step::Key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Step::Items => out.push_str("[]"),
        }
    }
    out
}

/// Every field path of `value`.
fn field_paths(value: &Value, prefix: &mut Path, out: &mut BTreeSet<Path>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                prefix.push(Step::Key(key.clone()));
                out.insert(prefix.clone());
                field_paths(item, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            prefix.push(Step::Items);
            items.iter().for_each(|item| field_paths(item, prefix, out));
            prefix.pop();
        }
        _ => {}
    }
}

/// `value` without the field at `path`, wherever it occurs.
fn remove(value: &mut Value, path: &[Step]) {
    match (path, value) {
        ([Step::Key(key)], Value::Object(map)) => {
            map.remove(key);
        }
        ([Step::Key(key), rest @ ..], Value::Object(map)) => {
            if let Some(item) = map.get_mut(key) {
                remove(item, rest);
            }
        }
        ([Step::Items, rest @ ..], Value::Array(items)) => items.iter_mut().for_each(|item| remove(item, rest)),
        _ => {}
    }
}

/// `value` with `"__unknown_field": {"nested": [1]}` in every object but those keyed by data.
fn with_unknown_fields(value: &mut Value, path: &mut Path, keyed_by_data: &[&str]) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                path.push(Step::Key(key.clone()));
                with_unknown_fields(item, path, keyed_by_data);
                path.pop();
            }
            if !keyed_by_data.contains(&show(path).as_str()) {
                map.insert("__unknown_field".into(), serde_json::json!({"nested": [1]}));
            }
        }
        Value::Array(items) => {
            path.push(Step::Items);
            items.iter_mut().for_each(|item| with_unknown_fields(item, path, keyed_by_data));
            path.pop();
        }
        _ => {}
    }
}

/// Decodes `input` with `example`'s model and checks that nothing is lost or invented.
fn lossless(example: &Example, input: &Value, what: &str) -> Result<(), String> {
    let output = (example.reencode)(input).map_err(|e| format!("{} {what}: does not decode: {e}", example.file))?;
    if json_equivalent(input, &output) {
        Ok(())
    } else {
        Err(format!("{} {what}: not lossless\n input: {input}\noutput: {output}", example.file))
    }
}

/// Whether `output` has every field of `input` with the same value: nothing lost, though a
/// model may write back a default for a field the input left out (`hasNextPage: false`,
/// `items: []`).
fn contains(output: &Value, input: &Value) -> bool {
    match (input, output) {
        (Value::Object(input), Value::Object(output)) => {
            input.iter().all(|(key, value)| output.get(key).is_some_and(|out| contains(out, value)))
        }
        (Value::Array(input), Value::Array(output)) => {
            input.len() == output.len() && input.iter().zip(output).all(|(i, o)| contains(o, i))
        }
        _ => json_equivalent(input, output),
    }
}

/// Decodes `input` (an example with fields removed) and checks that every field left is
/// kept.
fn loses_nothing(example: &Example, input: &Value, what: &str) -> Result<(), String> {
    let output = (example.reencode)(input).map_err(|e| format!("{} {what}: does not decode: {e}", example.file))?;
    if contains(&output, input) {
        Ok(())
    } else {
        Err(format!("{} {what}: loses a field\n input: {input}\noutput: {output}", example.file))
    }
}

/// The three round trips of one example; the `Err` lists every failure.
fn check(example: &Example) -> Result<(), Vec<String>> {
    let documented: Value =
        serde_json::from_str(fixture(example.file)).unwrap_or_else(|e| panic!("{} is not JSON: {e}", example.file));
    let mut failures = Vec::new();
    let mut record = |result: Result<(), String>| {
        if let Err(failure) = result {
            failures.push(failure);
        }
    };
    record(lossless(example, &documented, "as documented"));

    // A body the SDK sends is closed (a misspelt field must not pass), so only what the
    // server sends must keep an unknown field.
    if !example.sent {
        let mut unknown = documented.clone();
        with_unknown_fields(&mut unknown, &mut Vec::new(), example.keyed_by_data);
        record(lossless(example, &unknown, "with an unknown field at every level"));
    }

    let mut paths = BTreeSet::new();
    field_paths(&documented, &mut Vec::new(), &mut paths);
    let mut all_optional_removed = documented.clone();
    let mut required_found = BTreeSet::new();
    for path in &paths {
        let mut without = documented.clone();
        remove(&mut without, path);
        let shown = show(path);
        match (example.reencode)(&without) {
            Err(_) => {
                required_found.insert(shown);
            }
            Ok(_) => {
                record(loses_nothing(example, &without, &format!("without {shown}")));
                remove(&mut all_optional_removed, path);
            }
        }
    }
    let listed: BTreeSet<String> = example.required.iter().map(|p| (*p).to_owned()).collect();
    if listed != required_found {
        record(Err(format!(
            "{} ({}): the fields it cannot do without are {required_found:?}, the list says {listed:?}",
            example.file, example.model
        )));
    }
    record(loses_nothing(example, &all_optional_removed, "with every optional field removed"));
    if failures.is_empty() { Ok(()) } else { Err(failures) }
}

/// The fixture files under `tests/fixtures/`: every API folder's files, by the name
/// [`fixture`] takes.
fn fixture_files() -> BTreeMap<String, &'static str> {
    let dir = fixtures_dir();
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("the fixtures folder lists") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            let api = path.file_name().and_then(|name| name.to_str()).expect("a UTF-8 folder name");
            files.extend(fixtures_of(api));
        }
    }
    files
}

/// The declared endpoint a fixture belongs to: the one whose name within its folder is the
/// longest that the file's name is or starts with (followed by `.` and a suffix such as
/// `request`, `error` or `older`).
fn owner<'a>(file: &str, endpoints: &[&'a Endpoint]) -> Option<&'a Endpoint> {
    let (folder, stem) = file.split_once('/')?;
    endpoints
        .iter()
        .copied()
        .filter(|endpoint| {
            let (endpoint_folder, name) = folder_and_name(endpoint);
            endpoint_folder == folder
                && (stem == name || stem.strip_prefix(name).is_some_and(|rest| rest.starts_with('.')))
        })
        .max_by_key(|endpoint| folder_and_name(endpoint).1.len())
}

#[test]
fn every_fixture_belongs_to_a_declared_endpoint() {
    let endpoints = cursor_tests::declared_endpoints();
    let mut orphans = Vec::new();
    for (file, _) in fixture_files() {
        let excused = NOT_AN_ENDPOINT.iter().any(|(name, _)| *name == file);
        match (owner(&file, &endpoints), excused) {
            (Some(endpoint), true) => orphans.push(format!("{file} is excused but belongs to {}", endpoint.name)),
            (None, false) => orphans.push(format!("{file} names no declared endpoint")),
            _ => {}
        }
    }
    assert!(orphans.is_empty(), "{orphans:#?}");
}

#[test]
fn every_endpoint_answering_json_or_csv_has_an_example_or_a_reason() {
    let endpoints = cursor_tests::declared_endpoints();
    let files = fixture_files();
    let mut missing = Vec::new();
    for endpoint in &endpoints {
        let answers_a_document = matches!(endpoint.response, ResponseKind::Json | ResponseKind::Csv);
        let (folder, name) = folder_and_name(endpoint);
        let answer = format!("{folder}/{name}");
        let has_answer = files.contains_key(&answer);
        let excused = WITHOUT_EXAMPLE.iter().any(|(excused, _)| *excused == endpoint.name);
        match (answers_a_document, has_answer, excused) {
            (true, false, false) => missing.push(format!("{} has no example {answer}", endpoint.name)),
            (_, true, true) => missing.push(format!("{} is excused but has {answer}", endpoint.name)),
            (false, _, true) => missing.push(format!("{} is excused but answers no document", endpoint.name)),
            (false, true, _) => missing.push(format!("{} answers no document but has {answer}", endpoint.name)),
            _ => {}
        }
    }
    let names: BTreeSet<_> = endpoints.iter().map(|e| e.name).collect();
    missing.extend(
        WITHOUT_EXAMPLE
            .iter()
            .filter(|(name, _)| !names.contains(name))
            .map(|(name, _)| format!("{name} is excused but not declared")),
    );
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn csv_examples_belong_to_csv_endpoints_and_json_examples_to_the_others() {
    let endpoints = cursor_tests::declared_endpoints();
    let dir = fixtures_dir();
    for (file, text) in fixture_files() {
        let Some(endpoint) = owner(&file, &endpoints) else { continue };
        let is_csv = dir.join(format!("{file}.csv")).is_file();
        assert_eq!(is_csv, endpoint.response == ResponseKind::Csv, "{file} for {}", endpoint.name);
        if is_csv {
            let header = text.lines().next().unwrap_or_default();
            assert!(header.split(',').count() > 1 && text.lines().count() > 1, "{file}: a header and rows");
        }
    }
}

#[test]
fn every_json_example_has_a_model_and_every_model_row_an_example() {
    let dir = fixtures_dir();
    let json: BTreeSet<String> =
        fixture_files().into_keys().filter(|file| dir.join(format!("{file}.json")).is_file()).collect();
    let mapped: BTreeSet<String> =
        examples().map(|example| example.file).chain(SENT_WITHOUT_MODEL.iter().copied()).map(str::to_owned).collect();
    assert_eq!(mapped.len(), examples().count() + SENT_WITHOUT_MODEL.len(), "an example is mapped twice");
    let unmapped: Vec<_> = json.difference(&mapped).collect();
    let stale: Vec<_> = mapped.difference(&json).collect();
    assert!(unmapped.is_empty() && stale.is_empty(), "without a model: {unmapped:?}; without a file: {stale:?}");
}

#[test]
fn every_json_example_decodes_losslessly_with_unknown_fields_and_without_optional_ones() {
    let failures: Vec<String> = examples().filter_map(|example| check(example).err()).flatten().collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_checks_catch_a_model_that_drops_an_unknown_field_or_needs_an_optional_one() {
    #[derive(serde::Deserialize, Serialize)]
    struct Strict {
        a: u32,
    }
    #[derive(serde::Deserialize, Serialize)]
    struct Keeping {
        a: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        b: Option<u32>,
        #[serde(flatten)]
        extra: cursor_core::Extra,
    }
    let answer =
        |model, reencode| Example { file: "t", model, reencode, required: &["a"], keyed_by_data: &[], sent: false };
    let strict = answer("Strict", reencode::<Strict>);
    let documented = serde_json::json!({"a": 1});
    assert!(lossless(&strict, &documented, "").is_ok());
    let mut unknown = documented.clone();
    with_unknown_fields(&mut unknown, &mut Vec::new(), &[]);
    assert!(lossless(&strict, &unknown, "").is_err(), "the unknown field is dropped");
    let keeping = answer("Keeping", reencode::<Keeping>);
    assert!(lossless(&keeping, &unknown, "").is_ok());
    let mut without_a = serde_json::json!({"a": 1, "b": 2});
    remove(&mut without_a, &[Step::Key("a".into())]);
    assert!((keeping.reencode)(&without_a).is_err(), "a is required");
    let mut without_b = serde_json::json!({"a": 1, "b": 2});
    remove(&mut without_b, &[Step::Key("b".into())]);
    assert!(lossless(&keeping, &without_b, "").is_ok(), "b is optional");
    assert!(contains(&serde_json::json!({"a": 1, "b": false}), &serde_json::json!({"a": 1})), "a default written back");
    assert!(!contains(&serde_json::json!({"a": 1}), &serde_json::json!({"a": 1, "c": [2]})), "c is lost");
}
