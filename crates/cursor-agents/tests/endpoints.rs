//! Every endpoint sends the method, path, query and body of the documents' curl example with
//! Basic auth, decodes the documented answer, and refuses documented-invalid input unsent.

mod common;

use common::*;
use cursor_agents::endpoints as ep;
use cursor_agents::{AgentsQuery, Image, LaunchAgent, Prompt};
use cursor_core::Method;
use futures_util::TryStreamExt as _;
use httpmock::prelude::*;
use serde_json::json;

#[test]
fn declarations_follow_the_documents() {
    assert_eq!(ep::ENDPOINTS.len(), 10);
    // The routes themselves are held to the documents' index in one place, the workspace's
    // contract test (tests/tests/contract.rs); here, that each is declared once.
    let routes: std::collections::HashSet<(Method, &str)> = ep::ENDPOINTS.iter().map(|e| (e.method, e.path)).collect();
    assert_eq!(routes.len(), ep::ENDPOINTS.len());
    for endpoint in ep::ENDPOINTS {
        let expected = if endpoint.path == "/v0/repositories" {
            cursor_agents::endpoints::REPOSITORIES_BUCKET
        } else {
            cursor_agents::endpoints::AGENTS_BUCKET
        };
        assert_eq!(endpoint.bucket, expected, "{}", endpoint.name);
    }
    assert_eq!(ep::LIST_AGENTS.pagination, Some(cursor_agents::endpoints::CURSOR_PAGES));
    assert!(ep::LIST_REPOSITORIES.timeout.is_some_and(|t| t.as_secs() >= 60));
    assert!(!ep::LAUNCH_AGENT.idempotent && ep::LAUNCH_AGENT.uncertain_outcome_hint.is_some());
    assert!(!ep::ADD_FOLLOWUP.idempotent && ep::ADD_FOLLOWUP.uncertain_outcome_hint.is_some());
    // Stopping twice is harmless, so it is retried; so is a delete.
    const { assert!(ep::STOP_AGENT.idempotent && ep::DELETE_AGENT.idempotent) };
}

#[tokio::test]
async fn list_page_sends_limit_and_cursor() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v0/agents")
                .query_param("limit", "2")
                .query_param("cursor", "bc_xyz789")
                .header("authorization", AUTH);
            then.status(200).header("content-type", "application/json").body(fixture("agents/list"));
        })
        .await;
    let page =
        client(&server.base_url()).list_page(&AgentsQuery::new().page_size(2).cursor("bc_xyz789")).await.expect("page");
    assert_eq!(page.agents.len(), 2);
    assert_eq!(page.next_cursor.as_deref(), Some("bc_ghi789"));
    mock.assert_async().await;
}

#[tokio::test]
async fn list_without_parameters_sends_no_query() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v0/agents")
                .query_param_missing("limit")
                .query_param_missing("cursor")
                .header("authorization", AUTH);
            then.status(200).body(r#"{"agents":[]}"#);
        })
        .await;
    let page = client(&server.base_url()).list_page(&AgentsQuery::new()).await.expect("page");
    assert!(page.agents.is_empty() && page.next_cursor.is_none());
    mock.assert_async().await;
}

#[tokio::test]
async fn list_and_list_pages_follow_cursors_and_stop_at_the_last_page() {
    let server = MockServer::start_async().await;
    let page = |ids: &[&str], next: Option<&str>| {
        let agents: Vec<serde_json::Value> =
            ids.iter().map(|id| serde_json::from_str(&agent_json(id, "FINISHED")).unwrap()).collect();
        let mut body = json!({ "agents": agents });
        if let Some(next) = next {
            body["nextCursor"] = json!(next);
        }
        body.to_string()
    };
    let first = server
        .mock_async(|when, then| {
            when.method(GET).path("/v0/agents").query_param("limit", "2").query_param_missing("cursor");
            then.status(200).body(page(&["bc_1", "bc_2"], Some("c2")));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method(GET).path("/v0/agents").query_param("limit", "2").query_param("cursor", "c2");
            then.status(200).body(page(&["bc_3", "bc_4"], Some("c3")));
        })
        .await;
    let third = server
        .mock_async(|when, then| {
            when.method(GET).path("/v0/agents").query_param("limit", "2").query_param("cursor", "c3");
            then.status(200).body(page(&["bc_5"], None));
        })
        .await;
    let agents: Vec<_> =
        client(&server.base_url()).list(&AgentsQuery::new().page_size(2)).try_collect().await.expect("stream");
    let ids: Vec<&str> = agents.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["bc_1", "bc_2", "bc_3", "bc_4", "bc_5"]);
    first.assert_calls_async(1).await;
    second.assert_calls_async(1).await;
    third.assert_calls_async(1).await;

    // The same agents page by page, in order, each page as the server sent it.
    let pages: Vec<_> =
        client(&server.base_url()).list_pages(&AgentsQuery::new().page_size(2)).try_collect().await.expect("pages");
    let page_ids: Vec<Vec<&str>> = pages.iter().map(|p| p.agents.iter().map(|a| a.id.as_str()).collect()).collect();
    assert_eq!(page_ids, [vec!["bc_1", "bc_2"], vec!["bc_3", "bc_4"], vec!["bc_5"]]);
    let cursors: Vec<Option<&str>> = pages.iter().map(|p| p.next_cursor.as_deref()).collect();
    assert_eq!(cursors, [Some("c2"), Some("c3"), None]);
    first.assert_calls_async(2).await;
    second.assert_calls_async(2).await;
    third.assert_calls_async(2).await;
}

#[tokio::test]
async fn list_refuses_out_of_range_limits_and_empty_cursors_unsent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body(r#"{"agents":[]}"#);
        })
        .await;
    let agents = client(&server.base_url());
    for params in [AgentsQuery::new().page_size(0), AgentsQuery::new().page_size(101), AgentsQuery::new().cursor("")] {
        let err = agents.list_page(&params).await.unwrap_err();
        assert!(err.is_invalid_request(), "{err}");
        let err = agents.list(&params).try_collect::<Vec<_>>().await.unwrap_err();
        assert!(err.is_invalid_request(), "{err}");
    }
    assert!(agents.list_page(&AgentsQuery::new().page_size(100)).await.is_ok());
    assert!(agents.list_page(&AgentsQuery::new().page_size(1)).await.is_ok());
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn get_agent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/v0/agents/bc_abc123").header("authorization", AUTH);
            then.status(200).body(fixture("agents/get"));
        })
        .await;
    let agent = client(&server.base_url()).get("bc_abc123").await.expect("agent");
    assert_eq!(agent.name, "Add README Documentation");
    mock.assert_async().await;
}

#[tokio::test]
async fn get_conversation() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/v0/agents/bc_abc123/conversation").header("authorization", AUTH);
            then.status(200).body(fixture("agents/conversation"));
        })
        .await;
    let conversation = client(&server.base_url()).conversation("bc_abc123").await.expect("conversation");
    assert_eq!(conversation.messages.len(), 5);
    mock.assert_async().await;
}

#[tokio::test]
async fn launch_sends_the_documented_body() {
    let server = MockServer::start_async().await;
    let expected: serde_json::Value = serde_json::from_str(fixture("agents/launch.request")).unwrap();
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v0/agents")
                .header("authorization", AUTH)
                .header("content-type", "application/json")
                .json_body(expected);
            then.status(201).body(fixture("agents/launch"));
        })
        .await;
    let launch = LaunchAgent::new(
        "Add a README.md file with installation instructions",
        "https://github.com/your-org/your-repo",
    )
    .image(Image::from_base64("iVBORw0KGgoAAAANSUhEUgAA...", 1024, 768))
    .git_ref("main")
    .auto_create_pr(true)
    .branch_name("feature/add-readme");
    let agent = client(&server.base_url()).launch(&launch).await.expect("launched");
    assert_eq!(agent.id, "bc_abc123");
    assert_eq!(agent.status, cursor_agents::AgentStatus::Creating);
    mock.assert_async().await;
}

#[tokio::test]
async fn launch_sends_model_and_webhook_and_leaves_unset_fields_out() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v0/agents").json_body(json!({
                "prompt": {"text": "Fix the bug"},
                "model": "claude-4-sonnet",
                "source": {"repository": "https://github.com/your-org/your-repo"},
                "webhook": {"url": "https://example.com/webhooks/cursor-agent", "secret": "your-webhook-secret-key-minimum-32-characters"}
            }));
            then.status(201).body(fixture("agents/launch"));
        })
        .await;
    let launch = LaunchAgent::new("Fix the bug", "https://github.com/your-org/your-repo")
        .model("claude-4-sonnet")
        .webhook("https://example.com/webhooks/cursor-agent", "your-webhook-secret-key-minimum-32-characters");
    client(&server.base_url()).launch(&launch).await.expect("launched");
    mock.assert_async().await;
}

#[tokio::test]
async fn image_from_bytes_is_sent_as_base64_with_its_dimension() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v0/agents/bc_abc123/followup").json_body(json!({
                "prompt": {"text": "Look at this", "images": [{"data": "iVBORw0KGgo=", "dimension": {"width": 2, "height": 3}}]}
            }));
            then.status(200).body(fixture("agents/followup"));
        })
        .await;
    let png_magic = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
    let prompt = Prompt::new("Look at this").image(Image::from_bytes(png_magic, 2, 3));
    client(&server.base_url()).followup("bc_abc123", &prompt).await.expect("followup");
    mock.assert_async().await;
}

#[tokio::test]
async fn launch_refuses_documented_invalid_input_unsent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(201).body(fixture("agents/launch"));
        })
        .await;
    let agents = client(&server.base_url());
    let base = || LaunchAgent::new("Do it", "https://github.com/your-org/your-repo");
    let image = || Image::from_bytes(b"png", 10, 10);
    let six_images = (0..6).fold(base(), |launch, _| launch.image(image()));
    let cases: Vec<(LaunchAgent, &str)> = vec![
        (LaunchAgent::new("", "https://github.com/your-org/your-repo"), "prompt text"),
        (six_images, "at most 5 images"),
        (base().image(Image::from_bytes(b"png", 0, 10)), "positive width and height"),
        (base().image(Image::from_bytes(b"png", 10, 0)), "positive width and height"),
        (base().image(Image::from_base64("", 10, 10)), "no data"),
        (LaunchAgent::new("Do it", ""), "repository"),
        (base().git_ref(""), "ref"),
        (base().model(""), "model"),
        (base().branch_name(""), "branch name"),
        (base().webhook("https://example.com/hook", "x".repeat(31)), "32 to 256"),
        (base().webhook("https://example.com/hook", "x".repeat(257)), "32 to 256"),
        (base().webhook(format!("https://example.com/{}", "a".repeat(2049 - 20)), "x".repeat(32)), "at most 2048"),
        (base().webhook("ftp://example.com/hook", "x".repeat(32)), "http:// or https://"),
        (base().webhook("https://", "x".repeat(32)), "http:// or https://"),
        (base().webhook("", "x".repeat(32)), "must not be empty"),
    ];
    for (launch, needle) in cases {
        let err = agents.launch(&launch).await.unwrap_err();
        assert!(err.is_invalid_request(), "{err}");
        assert!(err.to_string().contains(needle), "`{err}` should mention `{needle}`");
    }
    let err = agents.followup("bc_1", &Prompt::new("")).await.unwrap_err();
    assert!(err.is_invalid_request(), "{err}");
    let err = agents.get("").await.unwrap_err();
    assert!(err.is_invalid_request(), "{err}");
    mock.assert_calls_async(0).await;

    // The bounds themselves are allowed.
    let five = (0..5).fold(base(), |launch, _| launch.image(image()));
    agents.launch(&five).await.expect("five images");
    agents.launch(&base().webhook("https://example.com/hook", "x".repeat(32))).await.expect("32-char secret");
    agents.launch(&base().webhook("http://127.0.0.1:8080/hook", "é".repeat(256))).await.expect("256-char secret");
    let url = format!("https://example.com/{}", "a".repeat(2048 - 20));
    assert_eq!(url.len(), 2048);
    agents.launch(&base().webhook(url, "x".repeat(32))).await.expect("2048-char URL");
    mock.assert_calls_async(4).await;
}

#[tokio::test]
async fn followup_sends_the_documented_body() {
    let server = MockServer::start_async().await;
    let expected: serde_json::Value = serde_json::from_str(fixture("agents/followup.request")).unwrap();
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v0/agents/bc_abc123/followup").header("authorization", AUTH).json_body(expected);
            then.status(200).body(fixture("agents/followup"));
        })
        .await;
    let prompt = Prompt::new("Also add a section about troubleshooting").image(Image::from_base64(
        "iVBORw0KGgoAAAANSUhEUgAA...",
        1024,
        768,
    ));
    let answer = client(&server.base_url()).followup("bc_abc123", &prompt).await.expect("followup");
    assert_eq!(answer.id, "bc_abc123");
    mock.assert_async().await;
}

#[tokio::test]
async fn stop_posts_without_a_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v0/agents/bc_abc123/stop").header("authorization", AUTH).body("");
            then.status(200).body(fixture("agents/followup"));
        })
        .await;
    let answer = client(&server.base_url()).stop("bc_abc123").await.expect("stopped");
    assert_eq!(answer.id, "bc_abc123");
    mock.assert_async().await;
}

#[tokio::test]
async fn stop_is_retried_after_a_server_error() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v0/agents/bc_abc123/stop");
            then.status(503).body(r#"{"error":{"code":"unavailable","message":"try again"}}"#);
        })
        .await;
    let err = client_with(&server.base_url(), fast_retries(3), std::time::Duration::from_secs(5))
        .stop("bc_abc123")
        .await
        .unwrap_err();
    assert!(err.is_server_error() && !err.is_outcome_unknown(), "{err}");
    mock.assert_calls_async(3).await;
}

#[tokio::test]
async fn delete_agent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(DELETE).path("/v0/agents/bc_abc123").header("authorization", AUTH);
            then.status(200).body(fixture("agents/followup"));
        })
        .await;
    let answer = client(&server.base_url()).delete("bc_abc123").await.expect("deleted");
    assert_eq!(answer.id, "bc_abc123");
    mock.assert_async().await;
}

#[tokio::test]
async fn conflict_for_a_deleted_agent_is_its_own_case() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v0/agents/bc_gone/conversation");
            then.status(409).body(r#"{"error":{"code":"conflict","message":"Agent is deleted or archived"}}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/v0/agents/bc_missing/conversation");
            then.status(404).body(r#"{"error":{"code":"not_found","message":"Agent not found"}}"#);
        })
        .await;
    let agents = client(&server.base_url());
    let gone = agents.conversation("bc_gone").await.unwrap_err();
    assert!(cursor_agents::is_agent_gone(&gone) && gone.is_conflict() && !gone.is_not_found(), "{gone}");
    assert!(gone.to_string().contains("Agent is deleted or archived"), "{gone}");
    let missing = agents.conversation("bc_missing").await.unwrap_err();
    assert!(!cursor_agents::is_agent_gone(&missing) && missing.is_not_found(), "{missing}");
}

#[tokio::test]
async fn me_models_and_repositories() {
    let server = MockServer::start_async().await;
    let me = server
        .mock_async(|when, then| {
            when.method(GET).path("/v0/me").header("authorization", AUTH);
            then.status(200).body(fixture("agents/me"));
        })
        .await;
    let models = server
        .mock_async(|when, then| {
            when.method(GET).path("/v0/models").header("authorization", AUTH);
            then.status(200).body(fixture("agents/models"));
        })
        .await;
    let repos = server
        .mock_async(|when, then| {
            when.method(GET).path("/v0/repositories").header("authorization", AUTH);
            then.status(200).body(fixture("agents/repositories"));
        })
        .await;
    let agents = client(&server.base_url());
    assert_eq!(agents.me().await.expect("me").api_key_name, "Production API Key");
    assert_eq!(agents.models().await.expect("models").models.len(), 3);
    assert_eq!(agents.repositories().await.expect("repositories").repositories.len(), 3);
    me.assert_async().await;
    models.assert_async().await;
    repos.assert_async().await;
}

#[tokio::test]
async fn repositories_outlast_the_client_timeout() {
    let server = MockServer::start_async().await;
    let repos = server
        .mock_async(|when, then| {
            when.method(GET).path("/v0/repositories");
            then.status(200).delay(std::time::Duration::from_millis(600)).body(fixture("agents/repositories"));
        })
        .await;
    let me = server
        .mock_async(|when, then| {
            when.method(GET).path("/v0/me");
            then.status(200).delay(std::time::Duration::from_millis(600)).body(fixture("agents/me"));
        })
        .await;
    // The client's own timeout is shorter than the answers take; the repositories endpoint
    // declares a longer one of its own, so only it completes.
    let agents = client_with(&server.base_url(), fast_retries(1), std::time::Duration::from_millis(200));
    assert_eq!(agents.repositories().await.expect("slow but in time").repositories.len(), 3);
    let err = agents.me().await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    repos.assert_calls_async(1).await;
    me.assert_calls_async(1).await;
}
