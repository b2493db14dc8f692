//! v1 models keep what they do not know (fields and enum values) and give it back on
//! re-serialization; bad input is refused before anything is sent.

use cursor_agents::v1::{
    Agent, AgentPage, AgentStatus, AgentsClient, AgentsQuery, CreateAgent, CreateRun, CreatedAgent, RepoConfig,
    RunStatus, RunsQuery,
};
use cursor_core::{Error, Page as _};
use futures_util::StreamExt as _;
use serde_json::json;

#[test]
fn agents_and_runs_round_trip_with_unknown_fields_and_values() {
    let body = json!({
        "agent": {
            "id": "bc-1", "name": "Add README", "status": "PAUSED_FOR_REVIEW", "env": {"type": "cloud", "region": "eu"},
            "url": "https://cursor.com/agents?id=bc-1", "createdAt": "2026-01-01T00:00:00Z",
            "updatedAt": "2026-01-01T00:01:00Z", "latestRunId": "run-1",
            "repos": [{"url": "https://github.com/o/r", "startingRef": "main", "monorepoPath": "web"}],
            "autoCreatePR": true, "mode": "plan"
        },
        "run": {"id": "run-1", "agentId": "bc-1", "status": "QUEUED", "createdAt": "x", "updatedAt": "y", "cost": 3},
        "requestId": "req-9"
    });
    let created: CreatedAgent = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(created.agent.status, AgentStatus::Unknown("PAUSED_FOR_REVIEW".into()));
    assert_eq!(created.run.status, RunStatus::Unknown("QUEUED".into()));
    assert!(!created.run.status.is_terminal());
    assert_eq!(created.agent.extra["mode"], "plan");
    assert_eq!(created.agent.repos.as_ref().unwrap()[0].extra["monorepoPath"], "web");
    assert_eq!(created.agent.env.as_ref().unwrap().extra["region"], "eu");
    assert_eq!(created.extra["requestId"], "req-9");
    assert_eq!(serde_json::to_value(&created).unwrap(), body, "nothing lost");
}

#[test]
fn a_page_with_a_null_cursor_is_the_last() {
    let page: AgentPage = serde_json::from_value(json!({"items": [], "nextCursor": null})).unwrap();
    assert_eq!(page.next_page(1), cursor_core::NextPage::Done);
    let page: AgentPage = serde_json::from_value(json!({"items": [], "nextCursor": "bc-2"})).unwrap();
    assert_eq!(page.next_page(1), cursor_core::NextPage::Cursor("bc-2".into()));
    let listed: Agent = serde_json::from_value(json!({
        "id": "bc-1", "name": "n", "status": "ACTIVE", "env": {"type": "cloud"}, "url": "u", "createdAt": "c", "updatedAt": "u"
    }))
    .unwrap();
    assert_eq!((listed.repos, listed.branch_name), (None, None), "list items carry the summary only");
}

#[test]
fn create_bodies_are_checked_against_the_description() {
    let ok = CreateAgent::new("Fix it", RepoConfig::url("https://github.com/o/r"));
    assert!(ok.validate().is_ok());
    assert!(CreateAgent::new("Fix it", RepoConfig::pull_request("https://github.com/o/r/pull/1")).validate().is_ok());
    let cases = [
        CreateAgent::new("", RepoConfig::url("https://github.com/o/r")),
        CreateAgent::new("Fix it", RepoConfig::default()),
        CreateAgent { repos: vec![RepoConfig::url("a"), RepoConfig::url("b")], ..ok.clone() },
        ok.clone().model(" "),
        ok.clone().branch_name(""),
        ok.clone().agent_id("has space"),
        ok.clone().agent_id("x".repeat(200)),
    ];
    for case in cases {
        let error = case.validate().expect_err("refused");
        assert!(matches!(error, Error::InvalidRequest { endpoint: "agents.v1.create", .. }), "{error}");
    }
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    // Nothing listens on port 1: a request that were sent would fail as a transport error.
    let client = cursor_core::testing::loopback_client("http://127.0.0.1:1").build().unwrap();
    let agents = AgentsClient::new(client);
    let invalid = |error: Error| assert!(matches!(error, Error::InvalidRequest { .. }), "{error}");
    invalid(agents.create(&CreateAgent::new("", RepoConfig::url("https://github.com/o/r"))).await.unwrap_err());
    invalid(agents.create_with_id(&CreateAgent::new("x", RepoConfig::default())).await.unwrap_err());
    invalid(agents.create_run("bc-1", &CreateRun::new("")).await.unwrap_err());
    invalid(agents.list_page(&AgentsQuery::new().page_size(0)).await.unwrap_err());
    invalid(agents.list(&AgentsQuery::new().page_size(101)).next().await.unwrap().unwrap_err());
    invalid(agents.list_runs("bc-1", &RunsQuery::new().cursor("")).next().await.unwrap().unwrap_err());
    invalid(agents.list_pages(&AgentsQuery::new().pr_url("")).next().await.unwrap().unwrap_err());
    invalid(agents.list_runs_pages("bc-1", &RunsQuery::new().page_size(0)).next().await.unwrap().unwrap_err());
    invalid(agents.get("").await.unwrap_err());
    invalid(agents.get_run("bc-1", "..").await.unwrap_err());
    invalid(agents.artifact_download_url("bc-1", "/etc/passwd").await.unwrap_err());
    invalid(agents.artifact_download_url("bc-1", "artifacts/../../x").await.unwrap_err());
}

#[test]
fn every_v1_endpoint_is_declared_for_cloud_agents() {
    use cursor_agents::v1::endpoints::{CREATE_AGENT, CREATE_RUN, ENDPOINTS, LIST_REPOSITORIES};

    assert_eq!(ENDPOINTS.len(), 17, "the 16 operations of the description, plus usage");
    assert!(ENDPOINTS.iter().all(|e| e.api == cursor_agents::endpoints::AGENTS_API && e.path.starts_with("/v1/")));
    assert_eq!(LIST_REPOSITORIES.bucket, cursor_agents::endpoints::REPOSITORIES_BUCKET);
    for create in [&CREATE_AGENT, &CREATE_RUN] {
        assert!(!create.idempotent && create.uncertain_outcome_hint.is_some(), "{}", create.name);
    }
}
