//! Cloud agents: the CREATING → RUNNING → FINISHED/ERROR machine, follow-ups, stop, delete,
//! validation, concurrency, and signed, retried webhooks checked by an independent HMAC.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use common::{Harness, assert_agents_error, assert_keys, test_config};
use cursor_mock::{AgentTiming, RateLimits};
use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::Sha256;

const KEY: &str = "key_agents";
const SECRET: &str = "a-webhook-secret-of-at-least-32-characters";

fn launch_body(text: &str) -> Value {
    json!({
        "prompt": {"text": text},
        "source": {"repository": "https://github.com/acme-corp/web-app", "ref": "main"},
        "target": {"autoCreatePr": true},
    })
}

async fn harness(timing: AgentTiming) -> Harness {
    let mut config = test_config();
    config.agent_timing = timing;
    config.rate_limits = RateLimits::unlimited();
    Harness::start(config).await
}

async fn launch(h: &Harness, body: Value) -> Value {
    let (status, agent) = h.post_json("/v0/agents", KEY, body).await;
    assert_eq!(status, 201, "{agent}");
    agent
}

async fn advance(h: &Harness, seconds: u64) {
    let response =
        h.client.post(h.url("/__mock/clock/advance")).json(&json!({"seconds": seconds})).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn an_instant_agent_is_created_then_finished_and_resumed_by_a_followup() {
    let h = harness(AgentTiming::instant()).await;
    let agent = launch(&h, launch_body("Add a README with install steps")).await;
    assert_eq!(agent["status"], "CREATING");
    assert_keys(&agent, &["id", "name", "status", "source", "target", "createdAt"]);
    assert_eq!(agent["target"]["autoCreatePr"], true);
    assert_eq!(agent["target"]["openAsCursorGithubApp"], false);
    let id = agent["id"].as_str().unwrap().to_owned();

    let (_, read) = h.get_json(&format!("/v0/agents/{id}"), KEY).await;
    assert_eq!(read["status"], "FINISHED");
    assert!(read["summary"].is_string());
    assert!(read["target"]["prUrl"].as_str().unwrap().starts_with("https://github.com/acme-corp/web-app/pull/"));

    let (_, convo) = h.get_json(&format!("/v0/agents/{id}/conversation"), KEY).await;
    let before = convo["messages"].as_array().unwrap().len();
    assert_eq!(
        convo["messages"][0],
        json!({"id": "msg_001", "type": "user_message", "text": "Add a README with install steps"})
    );
    assert!(convo["messages"].as_array().unwrap().iter().skip(1).all(|m| m["type"] == "assistant_message"));

    let (status, ack) = h
        .post_json(&format!("/v0/agents/{id}/followup"), KEY, json!({"prompt": {"text": "Also add troubleshooting"}}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(ack, json!({"id": id}));
    let (_, convo) = h.get_json(&format!("/v0/agents/{id}/conversation"), KEY).await;
    let messages = convo["messages"].as_array().unwrap();
    assert!(messages.len() > before + 1, "the conversation grows: user turn and an answer");
    assert_eq!(messages[before]["text"], "Also add troubleshooting");
    let (_, listed) = h.get_json("/v0/agents?limit=1", KEY).await;
    assert_eq!(listed["agents"][0]["id"], id.as_str(), "newest first");
}

async fn status_of(h: &Harness, id: &str) -> String {
    let (_, agent) = h.get_json(&format!("/v0/agents/{id}"), KEY).await;
    agent["status"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_timed_agent_walks_the_states_and_stops_only_while_running() {
    let h = harness(AgentTiming { creating: Duration::from_secs(10), running: Duration::from_secs(60) }).await;
    let id = launch(&h, launch_body("Fix the login bug")).await["id"].as_str().unwrap().to_owned();
    assert_eq!(status_of(&h, &id).await, "CREATING");
    advance(&h, 10).await;
    assert_eq!(status_of(&h, &id).await, "RUNNING");
    let (code, ack) = h.post_json(&format!("/v0/agents/{id}/stop"), KEY, json!({})).await;
    assert_eq!(code, 200);
    assert_eq!(ack, json!({"id": id}));
    assert_eq!(status_of(&h, &id).await, "FINISHED");
    let (code, body) = h.post_json(&format!("/v0/agents/{id}/stop"), KEY, json!({})).await;
    assert_eq!(code, 400, "only a running agent can be stopped");
    assert_agents_error(&body, "agent_not_running");

    // A follow-up restarts a stopped agent; it runs for the configured time.
    h.post_json(&format!("/v0/agents/{id}/followup"), KEY, json!({"prompt": {"text": "go on"}})).await;
    assert_eq!(status_of(&h, &id).await, "RUNNING");
    advance(&h, 59).await;
    assert_eq!(status_of(&h, &id).await, "RUNNING");
    advance(&h, 2).await;
    assert_eq!(status_of(&h, &id).await, "FINISHED");
}

#[tokio::test]
async fn deletion_is_permanent() {
    let h = harness(AgentTiming::instant()).await;
    let id = launch(&h, launch_body("Temporary work")).await["id"].as_str().unwrap().to_owned();
    let (status, body) = h.send_json(Method::DELETE, &format!("/v0/agents/{id}"), KEY, Value::Null).await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({"id": id}));
    assert_eq!(h.get_json(&format!("/v0/agents/{id}"), KEY).await.0, 404);
    let (status, body) = h.get_json(&format!("/v0/agents/{id}/conversation"), KEY).await;
    assert_eq!(status, 409);
    assert_agents_error(&body, "conflict");
    assert_eq!(h.post_json(&format!("/v0/agents/{id}/followup"), KEY, json!({"prompt": {"text": "x"}})).await.0, 409);
    assert_eq!(h.send_json(Method::DELETE, &format!("/v0/agents/{id}"), KEY, Value::Null).await.0, 409);
    let (_, list) = h.get_json("/v0/agents?limit=100", KEY).await;
    assert!(list["agents"].as_array().unwrap().iter().all(|a| a["id"] != id.as_str()));
}

#[tokio::test]
async fn launches_are_validated_against_the_openapi_bounds() {
    let h = harness(AgentTiming::instant()).await;
    let image = json!({"data": "iVBORw0KGgo=", "dimension": {"width": 10, "height": 10}});
    let mut six_images = launch_body("x");
    six_images["prompt"]["images"] = json!(vec![image.clone(); 6]);
    let mut five_images = launch_body("x");
    five_images["prompt"]["images"] = json!(vec![image; 5]);
    let mut short_secret = launch_body("x");
    short_secret["webhook"] = json!({"url": "http://127.0.0.1:9/hook", "secret": "s".repeat(31)});
    let mut long_secret = launch_body("x");
    long_secret["webhook"] = json!({"url": "http://127.0.0.1:9/hook", "secret": "s".repeat(257)});
    let mut long_url = launch_body("x");
    long_url["webhook"] = json!({"url": format!("http://127.0.0.1/{}", "a".repeat(2040))});
    let mut no_url = launch_body("x");
    no_url["webhook"] = json!({"secret": SECRET});
    let cases = [
        ("six images", six_images),
        ("short secret", short_secret),
        ("long secret", long_secret),
        ("long url", long_url),
        ("webhook without url", no_url),
        ("no prompt", json!({"source": {"repository": "https://github.com/a/b"}})),
        ("empty text", json!({"prompt": {"text": ""}, "source": {"repository": "https://github.com/a/b"}})),
        ("no source", json!({"prompt": {"text": "x"}})),
        (
            "bad target flag",
            json!({"prompt": {"text": "x"}, "source": {"repository": "r"}, "target": {"autoCreatePr": "yes"}}),
        ),
    ];
    for (name, body) in cases {
        let (status, answer) = h.post_json("/v0/agents", KEY, body).await;
        assert_eq!(status, 400, "{name}");
        assert_agents_error(&answer, "invalid_request");
    }
    assert_eq!(h.post_json("/v0/agents", KEY, five_images).await.0, 201);
    let mut followup_images = json!({"prompt": {"text": "x", "images": []}});
    followup_images["prompt"]["images"] = json!(vec![json!({"data": "AA=="}); 6]);
    let (_, list) = h.get_json("/v0/agents?limit=1", KEY).await;
    let id = list["agents"][0]["id"].as_str().unwrap();
    assert_eq!(h.post_json(&format!("/v0/agents/{id}/followup"), KEY, followup_images).await.0, 400);
}

#[tokio::test]
async fn concurrent_launches_and_stops_stay_consistent() {
    let h = harness(AgentTiming { creating: Duration::ZERO, running: Duration::from_secs(3600) }).await;
    let launches = (0..30).map(|i| {
        let request = h.request(Method::POST, "/v0/agents", KEY).json(&launch_body(&format!("task {i}")));
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    });
    let agents = futures_util::future::join_all(launches).await;
    let ids: std::collections::HashSet<String> = agents.iter().map(|a| a["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 30, "ids are unique");
    let (_, list) = h.get_json("/v0/agents?limit=100", KEY).await;
    let listed: std::collections::HashSet<String> =
        list["agents"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_owned()).collect();
    assert!(ids.is_subset(&listed));

    let target = agents[0]["id"].as_str().unwrap().to_owned();
    let stops = (0..10).map(|_| {
        let request = h.request(Method::POST, &format!("/v0/agents/{target}/stop"), KEY);
        async move { request.send().await.unwrap().status() }
    });
    let statuses = futures_util::future::join_all(stops).await;
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::BAD_REQUEST).count(), 9);
}

/// One delivery as received: headers and raw body.
type Delivery = (HeaderMap, Vec<u8>);

/// What a webhook receiver saw.
#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<Delivery>>>);

/// A loopback receiver that answers 500 to the first `failures` deliveries.
async fn receiver(failures: usize) -> (String, Received) {
    let received = Received::default();
    let log = received.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let log = log.clone();
            async move {
                let mut seen = log.0.lock().unwrap();
                seen.push((headers, body.to_vec()));
                if seen.len() <= failures { StatusCode::INTERNAL_SERVER_ERROR } else { StatusCode::OK }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

async fn wait_for(received: &Received, count: usize) -> Vec<Delivery> {
    for _ in 0..200 {
        if received.0.lock().unwrap().len() >= count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    received.0.lock().unwrap().clone()
}

/// The documented check, computed here without the mock's own code.
fn expected_signature(body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[tokio::test]
async fn finished_agents_send_a_signed_webhook() {
    let h = harness(AgentTiming::instant()).await;
    let (url, received) = receiver(0).await;
    let mut body = launch_body("Write docs");
    body["webhook"] = json!({"url": url, "secret": SECRET});
    let id = launch(&h, body).await["id"].as_str().unwrap().to_owned();
    let seen = wait_for(&received, 1).await;
    assert_eq!(seen.len(), 1);
    let (headers, raw) = &seen[0];
    assert_eq!(headers["x-webhook-signature"].to_str().unwrap(), expected_signature(raw));
    assert_eq!(headers["x-webhook-event"], "statusChange");
    assert_eq!(headers["user-agent"], "Cursor-Agent-Webhook/1.0");
    assert_eq!(headers["content-type"], "application/json");
    assert!(!headers["x-webhook-id"].is_empty());
    let payload: Value = serde_json::from_slice(raw).unwrap();
    assert_eq!(payload["event"], "statusChange");
    assert_eq!(payload["id"], id.as_str());
    assert_eq!(payload["status"], "FINISHED");
    assert_eq!(payload["source"]["repository"], "https://github.com/acme-corp/web-app");
    assert!(payload["target"]["url"].is_string());
    assert!(payload["target"]["prUrl"].is_string());
    assert!(payload["summary"].is_string());
    assert!(payload["timestamp"].is_string());
}

#[tokio::test]
async fn failing_agents_send_error_and_failed_deliveries_are_retried() {
    let h = harness(AgentTiming::instant()).await;
    let (url, received) = receiver(2).await;
    let mut body = launch_body("This one breaks [mock:error]");
    body["webhook"] = json!({"url": url, "secret": SECRET});
    let id = launch(&h, body).await["id"].as_str().unwrap().to_owned();
    let seen = wait_for(&received, 3).await;
    assert_eq!(seen.len(), 3, "two failures, then a success");
    let first_id = &seen[0].0["x-webhook-id"];
    for (headers, raw) in &seen {
        assert_eq!(&headers["x-webhook-id"], first_id, "retries keep the delivery id");
        assert_eq!(headers["x-webhook-signature"].to_str().unwrap(), expected_signature(raw));
        let payload: Value = serde_json::from_slice(raw).unwrap();
        assert_eq!(payload["status"], "ERROR");
    }
    let (_, agent) = h.get_json(&format!("/v0/agents/{id}"), KEY).await;
    assert_eq!(agent["status"], "ERROR");
    // Let the delivery log catch up with the last answer.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let deliveries = h.server.webhook_deliveries();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].attempts, vec!["500", "500", "200"]);
    assert!(deliveries[0].delivered);
}

#[tokio::test]
async fn webhooks_to_other_hosts_are_not_sent_by_default() {
    let h = harness(AgentTiming::instant()).await;
    let mut body = launch_body("Offline please");
    body["webhook"] = json!({"url": "https://example.com/hook", "secret": SECRET});
    let id = launch(&h, body).await["id"].as_str().unwrap().to_owned();
    assert_eq!(h.get_json(&format!("/v0/agents/{id}"), KEY).await.1["status"], "FINISHED");
    let deliveries = h.server.webhook_deliveries();
    assert_eq!(deliveries.len(), 1);
    assert!(!deliveries[0].delivered);
    assert!(deliveries[0].attempts[0].starts_with("refused"));
}
