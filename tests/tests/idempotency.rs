//! Every endpoint's idempotency, listed (in the manner of google-cloud-rust's
//! `default-idempotency` test): a declaration that changes whether an endpoint is retried after
//! it may have reached the server fails here until this list changes with it, in the same
//! commit, where a reviewer sees the reason.

use cursor_core::Method;

/// `(endpoint name, idempotent)` for every declared endpoint, in declaration order.
// The comment on each line is the reason the declaration gives (`Endpoint::idempotency_reason`).
#[rustfmt::skip]
const EXPECTED: &[(&str, bool)] = &[
    ("admin.members", true), // a GET only reads
    ("admin.audit_logs", true), // a GET only reads
    ("admin.daily_usage", true), // a query with a body: it only reads
    ("admin.spend", true), // a query with a body: it only reads
    ("admin.usage_events", true), // a query with a body: it only reads
    ("admin.set_user_spend_limit", true), // it sets the member's limit to the value given: sending it again leaves the same limit
    ("admin.repo_blocklists", true), // a GET only reads
    ("admin.upsert_repo_blocklists", true), // an upsert replaces the patterns of the repositories given: sending it again leaves the same patterns
    ("admin.delete_repo_blocklist", true), // deleting the same thing again leaves the same state
    ("admin.groups", true), // a GET only reads
    ("admin.group", true), // a GET only reads
    ("admin.create_group", false), // a POST or PATCH may create or change something each time it is sent
    ("admin.update_group", false), // a POST or PATCH may create or change something each time it is sent
    ("admin.delete_group", true), // deleting the same thing again leaves the same state
    ("admin.add_group_members", false), // a POST or PATCH may create or change something each time it is sent
    ("admin.remove_group_members", true), // deleting the same thing again leaves the same state
    ("admin.remove_member", false), // a POST or PATCH may create or change something each time it is sent
    ("admin.model_access_configuration", true), // a GET only reads
    ("admin.set_model_access_restricted", true), // a PUT sets a whole state: sending it again leaves the same state
    ("admin.model_providers", true), // a GET only reads
    ("admin.set_model_provider_allowed", true), // a PUT sets a whole state: sending it again leaves the same state
    ("admin.provider_models", true), // a GET only reads
    ("admin.set_provider_model_allowed", true), // a PUT sets a whole state: sending it again leaves the same state
    ("analytics.agent_edits", true), // a GET only reads
    ("analytics.tabs", true), // a GET only reads
    ("analytics.dau", true), // a GET only reads
    ("analytics.client_versions", true), // a GET only reads
    ("analytics.models", true), // a GET only reads
    ("analytics.top_file_extensions", true), // a GET only reads
    ("analytics.mcp", true), // a GET only reads
    ("analytics.commands", true), // a GET only reads
    ("analytics.plans", true), // a GET only reads
    ("analytics.ask_mode", true), // a GET only reads
    ("analytics.leaderboard", true), // a GET only reads
    ("analytics.agent_edits_by_user", true), // a GET only reads
    ("analytics.tabs_by_user", true), // a GET only reads
    ("analytics.models_by_user", true), // a GET only reads
    ("analytics.top_file_extensions_by_user", true), // a GET only reads
    ("analytics.client_versions_by_user", true), // a GET only reads
    ("analytics.mcp_by_user", true), // a GET only reads
    ("analytics.commands_by_user", true), // a GET only reads
    ("analytics.plans_by_user", true), // a GET only reads
    ("analytics.ask_mode_by_user", true), // a GET only reads
    ("analytics.skills", true), // a GET only reads
    ("analytics.conversation_insights", true), // a GET only reads
    ("analytics.bugbot", true), // a GET only reads
    ("analytics.bugbot_reviews", true), // a GET only reads
    ("analytics.skills_by_user", true), // a GET only reads
    ("aicode.commits", true), // a GET only reads
    ("aicode.commits_csv", true), // a GET only reads
    ("aicode.changes", true), // a GET only reads
    ("aicode.changes_csv", true), // a GET only reads
    ("aicode.commits_by_hash", true), // a GET only reads
    ("agents.list", true), // a GET only reads
    ("agents.get", true), // a GET only reads
    ("agents.conversation", true), // a GET only reads
    ("agents.launch", false), // a POST or PATCH may create or change something each time it is sent
    ("agents.followup", false), // a POST or PATCH may create or change something each time it is sent
    ("agents.stop", true), // a stopped agent stays stopped: stopping again changes nothing
    ("agents.delete", true), // deleting the same thing again leaves the same state
    ("agents.me", true), // a GET only reads
    ("agents.models", true), // a GET only reads
    ("agents.repositories", true), // a GET only reads
    ("agents.v1.create", false), // a POST or PATCH may create or change something each time it is sent
    ("agents.v1.list", true), // a GET only reads
    ("agents.v1.get", true), // a GET only reads
    ("agents.v1.delete", true), // deleting the same thing again leaves the same state
    ("agents.v1.archive", true), // an archived agent stays archived: archiving again changes nothing
    ("agents.v1.unarchive", true), // an unarchived agent stays unarchived: unarchiving again changes nothing
    ("agents.v1.create_run", false), // a POST or PATCH may create or change something each time it is sent
    ("agents.v1.list_runs", true), // a GET only reads
    ("agents.v1.get_run", true), // a GET only reads
    ("agents.v1.stream_run", true), // a GET only reads
    ("agents.v1.cancel_run", true), // a cancelled run stays cancelled: cancelling again changes nothing
    ("agents.v1.artifacts", true), // a GET only reads
    ("agents.v1.artifact_download_url", true), // a GET only reads
    ("agents.v1.usage", true), // a GET only reads
    ("agents.v1.me", true), // a GET only reads
    ("agents.v1.models", true), // a GET only reads
    ("agents.v1.repositories", true), // a GET only reads
    ("bugbot.update_repo", true), // it sets the repository's state to a fixed value: sending it again leaves the same state
    ("bugbot.review", false), // a POST or PATCH may create or change something each time it is sent
];

#[test]
fn every_endpoints_idempotency_is_listed() {
    let actual: Vec<(&str, bool)> = cursor_tests::declared_endpoints().iter().map(|e| (e.name, e.idempotent)).collect();
    if actual != EXPECTED {
        let listing: String = cursor_tests::declared_endpoints()
            .iter()
            .map(|e| format!("    (\"{}\", {}), // {}\n", e.name, e.idempotent, e.idempotency_reason))
            .collect();
        panic!("the declarations' idempotency differs from the list; if the change is meant, list it:\n{listing}");
    }
}

#[test]
fn every_declaration_says_why() {
    for endpoint in cursor_tests::declared_endpoints() {
        assert!(!endpoint.idempotency_reason.trim().is_empty(), "{} gives no reason", endpoint.name);
        // A POST or PATCH declared idempotent must say why in its own words, not the
        // method's default.
        if matches!(endpoint.method, Method::Post | Method::Patch) && endpoint.idempotent {
            assert!(!endpoint.idempotency_reason.starts_with("a POST or PATCH"), "{}", endpoint.name);
        }
    }
}

#[test]
fn every_write_that_is_never_repeated_tells_the_caller_what_to_do() {
    for endpoint in cursor_tests::declared_endpoints().into_iter().filter(|e| !e.idempotent) {
        assert!(
            endpoint.uncertain_outcome_hint.is_some_and(|hint| !hint.trim().is_empty()),
            "{} is not retried once it may have reached the server, so its outcome-unknown error needs a hint",
            endpoint.name
        );
    }
}

#[test]
fn writes_that_set_a_state_are_idempotent() {
    let by_name = |name: &str| {
        cursor_tests::declared_endpoints().into_iter().find(|e| e.name == name).unwrap_or_else(|| panic!("{name}"))
    };
    for name in ["admin.set_user_spend_limit", "admin.upsert_repo_blocklists", "bugbot.update_repo", "agents.stop"] {
        assert!(by_name(name).idempotent, "{name}");
    }
    for name in ["agents.launch", "agents.followup", "admin.remove_member", "admin.create_group"] {
        assert!(!by_name(name).idempotent, "{name}");
    }
}
