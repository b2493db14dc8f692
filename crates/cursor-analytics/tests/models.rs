//! Every example response in the documents decodes, and re-serializes to the same JSON: as
//! documented, with unknown fields added at every depth, and with optional fields left out.

mod common;

use cursor_analytics::*;
use cursor_core::testing::fixture;
use cursor_core::testing::{assert_lossless, assert_round_trips_with, with_unknown_fields};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Optional fields a server might leave out, removed at every depth.
const OPTIONAL: &[&str] = &[
    "params",
    "pagination",
    "total_users",
    "percentage",
    "event_date",
    "date",
    "usage",
    "rank",
    "messages",
    "userMappings",
];

/// [`assert_round_trips_with`] the [`OPTIONAL`] keys, and with unknown fields added everywhere
/// but among the users of a by-user `data` object.
fn lossless_three_ways<T: DeserializeOwned + Serialize>(fixture: &str) -> T {
    let mut unknown = common::json(&with_unknown_fields(fixture));
    // The keys of a by-user `data` object are emails, not fields: an unknown one there would
    // be a user whose rows are not an array, so it is left out of by-user fixtures.
    if let Some(serde_json::Value::Object(users)) = unknown.get_mut("data")
        && users.values().all(|v| v.is_array() || v.is_object())
        && users.keys().any(|k| k.contains('@'))
    {
        users.remove("__unknown_field");
    }
    assert_round_trips_with::<T>(fixture, &unknown.to_string(), OPTIONAL)
}

#[test]
fn team_examples_round_trip_and_decode_their_values() {
    let edits: TeamResponse<AgentEditsRow> = lossless_three_ways(fixture("analytics/agent_edits"));
    assert_eq!(edits.data.len(), 2);
    assert_eq!(edits.data[0].event_date.as_deref(), Some("2025-01-15"));
    assert_eq!(edits.data[0].total_suggested_diffs, Some(145));
    assert_eq!(edits.data[1].total_lines_accepted, Some(890));
    let params = edits.params.expect("params");
    assert_eq!(params.metric.as_deref(), Some("agent-edits"));
    assert_eq!(params.team_id, Some(12345));
    assert_eq!((params.start_date.as_deref(), params.end_date.as_deref()), (Some("2025-01-01"), Some("2025-01-31")));

    let tabs: TeamResponse<TabsRow> = lossless_three_ways(fixture("analytics/tabs"));
    assert_eq!(tabs.data[0].total_suggestions, Some(5420));
    assert_eq!(tabs.data[1].total_red_lines_suggested, Some(2650));

    let dau: TeamResponse<DauRow> = lossless_three_ways(fixture("analytics/dau"));
    let first = &dau.data[0];
    assert_eq!(
        (first.date.as_deref(), first.dau, first.cli_dau, first.cloud_agent_dau, first.bugbot_dau),
        (Some("2025-01-15"), Some(42), Some(5), Some(37), Some(10))
    );

    let versions: TeamResponse<ClientVersionRow> = lossless_three_ways(fixture("analytics/client_versions"));
    assert_eq!(versions.data[0].client_version.as_deref(), Some("0.42.3"));
    assert_eq!(versions.data[0].percentage, Some(0.833));
    assert_eq!(versions.data[1].user_count, Some(7));

    let models: TeamResponse<ModelsRow> = lossless_three_ways(fixture("analytics/models"));
    let breakdown = models.data[0].model_breakdown.as_ref().expect("a breakdown");
    assert_eq!(breakdown.len(), 3);
    assert_eq!(breakdown["claude-sonnet-4.5"].messages, Some(1250));
    assert_eq!(breakdown["gpt-4o"].users, Some(15));
    assert_eq!(models.data[1].model_breakdown.as_ref().map(|b| b.len()), Some(2));

    let extensions: TeamResponse<FileExtensionRow> = lossless_three_ways(fixture("analytics/top_file_extensions"));
    assert_eq!(extensions.data[0].file_extension.as_deref(), Some("tsx"));
    assert_eq!(extensions.data[1].total_lines_rejected, Some(750));

    let mcp: TeamResponse<McpRow> = lossless_three_ways(fixture("analytics/mcp"));
    assert_eq!(mcp.data[1].mcp_server_name.as_deref(), Some("brave-search"));
    assert_eq!(mcp.data[2].usage, Some(231));

    let commands: TeamResponse<CommandRow> = lossless_three_ways(fixture("analytics/commands"));
    assert_eq!(commands.data[1].command_name.as_deref(), Some("refactor"));

    let plans: TeamResponse<PlansRow> = lossless_three_ways(fixture("analytics/plans"));
    assert_eq!((plans.data[1].model.as_deref(), plans.data[1].usage), (Some("gpt-4o"), Some(42)));

    let ask: TeamResponse<AskModeRow> = lossless_three_ways(fixture("analytics/ask_mode"));
    assert_eq!(ask.data[0].usage, Some(203));
}

#[test]
fn leaderboard_example_keeps_both_boards_and_their_totals() {
    let board: Leaderboard = lossless_three_ways(fixture("analytics/leaderboard"));
    let tab = board.data.tab_leaderboard.as_ref().expect("the tab board");
    let agent = board.data.agent_leaderboard.as_ref().expect("the agent board");
    assert_eq!((tab.total_users, agent.total_users), (Some(142), Some(142)));
    assert_eq!(tab.data[0].email.as_deref(), Some("alice@example.com"));
    assert_eq!(tab.data[0].user_id.as_deref(), Some("user_abc123"));
    assert_eq!(tab.data[1].accept_ratio, Some(0.273));
    assert_eq!(tab.data[1].rank, Some(2));
    assert_eq!(agent.data[1].line_acceptance_ratio, Some(1.208));
    assert_eq!(agent.data[0].favorite_model.as_deref(), Some("claude-sonnet-4.5"));
    let pagination = board.pagination.as_ref().expect("pagination");
    assert_eq!(
        (pagination.page, pagination.page_size, pagination.total_users, pagination.total_pages),
        (Some(1), Some(10), Some(142), Some(15))
    );
    assert!(pagination.has_next_page && !pagination.has_previous_page);
    let params = board.params.as_ref().expect("params");
    assert_eq!((params.page, params.page_size), (Some(1), Some(10)));
}

#[test]
fn by_user_examples_round_trip_and_keep_the_users_in_order() {
    let edits: ByUserPage<AgentEditsByUserRow> = lossless_three_ways(fixture("analytics/agent_edits_by_user"));
    let emails: Vec<&str> = edits.data.iter().map(|(email, _)| email).collect();
    assert_eq!(emails, ["alice@example.com", "bob@example.com"]);
    let alice = edits.data.get("alice@example.com").expect("alice");
    assert_eq!((alice[0].suggested_lines, alice[0].accepted_lines), (Some(125), Some(98)));
    assert_eq!(edits.user_id("bob@example.com"), Some("user_def456"));
    let pagination = edits.pagination.as_ref().expect("pagination");
    assert_eq!((pagination.page_size, pagination.total_users, pagination.total_pages), (Some(50), Some(120), Some(3)));

    let users = edits.into_user_rows();
    assert_eq!(users[1].email, "bob@example.com");
    assert_eq!(users[1].user_id.as_deref(), Some("user_def456"));
    assert_eq!(users[1].rows[1].accepted_lines, Some(65));

    let mcp: ByUserPage<McpRow> = lossless_three_ways(fixture("analytics/mcp_by_user"));
    assert_eq!(mcp.data.get("bob@example.com").expect("bob")[0].tool_name.as_deref(), Some("search_web"));
    let commands: ByUserPage<CommandRow> = lossless_three_ways(fixture("analytics/commands_by_user"));
    assert_eq!(commands.data.get("alice@example.com").expect("alice")[1].usage, Some(15));
    let plans: ByUserPage<PlansRow> = lossless_three_ways(fixture("analytics/plans_by_user"));
    assert_eq!(plans.data.get("bob@example.com").expect("bob")[0].model.as_deref(), Some("gpt-4o"));
    let ask: ByUserPage<AskModeRow> = lossless_three_ways(fixture("analytics/ask_mode_by_user"));
    assert_eq!(ask.data.get("alice@example.com").expect("alice")[0].usage, Some(34));
    assert_eq!(ask.params.as_ref().and_then(|p| p.user_mappings.as_ref()).map(Vec::len), Some(2));
}

#[test]
fn by_user_pages_keep_the_servers_user_order_and_a_page_without_mappings_still_decodes() {
    let text = r#"{"data": {"zed@example.com": [], "amy@example.com": [{"event_date": "2025-01-15"}]}}"#;
    assert_lossless::<ByUserPage<AgentEditsByUserRow>>(text);
    // Decoded straight from the text, as the client does (a `Value` would sort the keys).
    let page: ByUserPage<AgentEditsByUserRow> = serde_json::from_str(text).expect("a page");
    assert_eq!(
        serde_json::to_string(&page.data).expect("JSON"),
        r#"{"zed@example.com":[],"amy@example.com":[{"event_date":"2025-01-15"}]}"#
    );
    let users = page.into_user_rows();
    assert_eq!(users.iter().map(|u| u.email.as_str()).collect::<Vec<_>>(), ["zed@example.com", "amy@example.com"]);
    assert!(users.iter().all(|u| u.user_id.is_none()));
}

#[test]
fn a_by_user_data_that_is_not_an_object_is_an_error_naming_the_shape() {
    let err = serde_json::from_str::<ByUserPage<McpRow>>(r#"{"data": [1, 2]}"#).unwrap_err();
    assert!(err.to_string().contains("object keyed by email"), "{err}");
}

#[test]
fn dau_rows_decode_with_and_without_the_cli_cloud_agent_and_bugbot_breakdowns() {
    // The seeds' shape: a day and a count.
    let old: TeamResponse<DauRow> = serde_json::from_str(r#"{"data": [{"date": "2025-01-15", "dau": 42}]}"#).unwrap();
    let row = &old.data[0];
    assert_eq!((row.dau, row.cli_dau, row.cloud_agent_dau, row.bugbot_dau), (Some(42), None, None, None));
    assert_lossless::<TeamResponse<DauRow>>(r#"{"data": [{"date": "2025-01-15", "dau": 42}]}"#);
    // The current documents' shape adds the three breakdowns.
    let text = r#"{"data": [{"date": "2025-01-15", "dau": 42, "cli_dau": 7, "cloud_agent_dau": 3, "bugbot_dau": 5}]}"#;
    let new: TeamResponse<DauRow> = serde_json::from_str(text).unwrap();
    let row = &new.data[0];
    assert_eq!((row.cli_dau, row.cloud_agent_dau, row.bugbot_dau), (Some(7), Some(3), Some(5)));
    assert_lossless::<TeamResponse<DauRow>>(text);
}

#[test]
fn by_user_params_decode_with_and_without_user_mappings() {
    let with = r#"{"data": {"a@x.com": []}, "params": {"metric": "tabs", "userMappings": [{"id": "user_a", "email": "a@x.com"}]}}"#;
    let page: ByUserPage<TabsRow> = serde_json::from_str(with).unwrap();
    assert_eq!(page.user_id("a@x.com"), Some("user_a"));
    assert_lossless::<ByUserPage<TabsRow>>(with);
    let without = r#"{"data": {"a@x.com": []}, "params": {"metric": "tabs"}}"#;
    let page: ByUserPage<TabsRow> = serde_json::from_str(without).unwrap();
    assert_eq!(page.user_id("a@x.com"), None);
    assert_lossless::<ByUserPage<TabsRow>>(without);
}

#[test]
fn the_current_documents_answers_decode_losslessly() {
    let skills = r#"{"data": [{"event_date": "2025-01-15", "skill_name": "pdf-reader", "usage": 4}], "params": {"metric": "skills"}}"#;
    let decoded: TeamResponse<SkillRow> = serde_json::from_str(skills).unwrap();
    assert_eq!(decoded.data[0].skill_name.as_deref(), Some("pdf-reader"));
    assert_lossless::<TeamResponse<SkillRow>>(skills);

    let insights = r#"{"data": {"totalConversations": 10, "intents": [{"label": "bug_fix", "count": 3, "share": 0.3}], "sentiment": []}}"#;
    let decoded: ConversationInsights = serde_json::from_str(insights).unwrap();
    assert_eq!(decoded.data.intents.as_ref().map(Vec::len), Some(1));
    assert!(decoded.data.extra.contains_key("sentiment"), "an unknown section is kept");
    assert_lossless::<ConversationInsights>(insights);

    let bugbot = r#"{"data": [{"repo": "company/api", "prNumber": 7, "prState": "draft"}],
        "pagination": {"page": 1, "pageSize": 1, "totalItems": 2, "totalPages": 2, "hasNextPage": true}}"#;
    let page: ItemsPage<BugbotPrRow> = serde_json::from_str(bugbot).unwrap();
    assert_eq!(page.data[0].pr_state, Some(PrState::Unknown("draft".into())));
    assert_eq!(page.next_page(1), Some(2));
    assert_lossless::<ItemsPage<BugbotPrRow>>(bugbot);
}

#[test]
fn bugbot_pages_end_on_the_last_page_an_empty_page_or_no_page_block() {
    let page = |json: &str| serde_json::from_str::<ItemsPage<BugbotReviewRow>>(json).unwrap();
    let last =
        page(r#"{"data": [{}], "pagination": {"page": 2, "pageSize": 1, "totalItems": 2, "hasNextPage": false}}"#);
    assert_eq!(last.next_page(2), None);
    let by_count = page(r#"{"data": [{}], "pagination": {"page": 1, "pageSize": 1, "totalItems": 2}}"#);
    assert_eq!(by_count.next_page(1), Some(2), "totalItems says one more");
    let empty = page(r#"{"data": [], "pagination": {"page": 1, "hasNextPage": true}}"#);
    assert_eq!(empty.next_page(1), None, "an empty page that promises more cannot loop");
    assert_eq!(page(r#"{"data": [{}]}"#).next_page(1), None, "an unpaged answer is the only page");
}
