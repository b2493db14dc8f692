//! `wait` polls until each terminal status, stops at its deadline, backs off between polls,
//! survives a 429, fetches the conversation when asked, ends on other errors and stops
//! polling when dropped.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use cursor_agents::{AgentStatus, WaitOptions};
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};

/// A mock of `GET /v0/agents/bc_1` answering `statuses` in turn (the last one repeats), and
/// recording when each poll came.
async fn sequence<'a>(server: &'a MockServer, statuses: &[&str]) -> (httpmock::Mock<'a>, Arc<Mutex<Vec<Instant>>>) {
    let times = Arc::new(Mutex::new(Vec::new()));
    let recorded = times.clone();
    let statuses: Vec<String> = statuses.iter().map(|s| s.to_string()).collect();
    let mock = server
        .mock_async(move |when, then| {
            when.method(GET).path("/v0/agents/bc_1").header("authorization", AUTH);
            then.respond_with(move |_: &HttpMockRequest| {
                let mut times = recorded.lock().unwrap();
                times.push(Instant::now());
                let index = (times.len() - 1).min(statuses.len() - 1);
                let status = &statuses[index];
                if status == "429" {
                    return HttpMockResponse::builder()
                        .status(429)
                        .header("retry-after", "0")
                        .body(
                            r#"{"error":"Too Many Requests","message":"Rate limit exceeded. Please try again later."}"#,
                        )
                        .build();
                }
                HttpMockResponse::builder().status(200).body(agent_json("bc_1", status)).build()
            });
        })
        .await;
    (mock, times)
}

fn quick() -> WaitOptions {
    WaitOptions::default()
        .timeout(Duration::from_secs(5))
        .intervals(Duration::from_millis(5), Duration::from_millis(20))
}

#[tokio::test]
async fn waits_until_each_terminal_status() {
    for (last, expected) in
        [("FINISHED", AgentStatus::Finished), ("ERROR", AgentStatus::Error), ("EXPIRED", AgentStatus::Expired)]
    {
        let server = MockServer::start_async().await;
        let (mock, _) = sequence(&server, &["CREATING", "RUNNING", "RUNNING", last]).await;
        let outcome = client(&server.base_url()).wait("bc_1", &quick()).await.expect("terminal");
        assert_eq!(outcome.agent.status, expected);
        assert!(outcome.conversation.is_none());
        mock.assert_calls_async(4).await;
    }
}

#[tokio::test]
async fn an_agent_already_done_is_polled_once() {
    let server = MockServer::start_async().await;
    let (mock, _) = sequence(&server, &["FINISHED"]).await;
    let outcome = client(&server.base_url()).wait("bc_1", &quick()).await.expect("terminal");
    assert_eq!(outcome.agent.status, AgentStatus::Finished);
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn the_deadline_ends_the_wait_with_a_timeout() {
    let server = MockServer::start_async().await;
    let (mock, times) = sequence(&server, &["RUNNING"]).await;
    let options = WaitOptions::default()
        .timeout(Duration::from_millis(300))
        .intervals(Duration::from_millis(20), Duration::from_millis(50));
    let started = Instant::now();
    let err = client(&server.base_url()).wait("bc_1", &options).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(err.is_timeout(), "{err}");
    assert!(err.to_string().contains(cursor_agents::WAIT_NAME), "{err}");
    assert!(elapsed >= Duration::from_millis(300), "gave up early: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "overran the deadline: {elapsed:?}");
    let polls = times.lock().unwrap().len();
    assert!((2..=20).contains(&polls), "polled {polls} times");
    mock.assert_calls_async(polls).await;
}

#[tokio::test]
async fn pauses_grow_by_the_multiplier_up_to_the_cap() {
    let server = MockServer::start_async().await;
    let (_, times) = sequence(&server, &["RUNNING", "RUNNING", "RUNNING", "RUNNING", "RUNNING", "FINISHED"]).await;
    let mut options = quick().intervals(Duration::from_millis(40), Duration::from_millis(100));
    options.multiplier = 2.0;
    client(&server.base_url()).wait("bc_1", &options).await.expect("terminal");
    let times = times.lock().unwrap();
    let gaps: Vec<Duration> = times.windows(2).map(|w| w[1] - w[0]).collect();
    let expected = [40, 80, 100, 100, 100];
    assert_eq!(gaps.len(), expected.len());
    for (gap, ms) in gaps.iter().zip(expected) {
        assert!(*gap >= Duration::from_millis(ms), "gaps {gaps:?} should be at least {expected:?} ms");
    }
    assert!(gaps[1] > gaps[0], "the pause grows: {gaps:?}");
}

#[tokio::test]
async fn a_rate_limited_poll_pauses_and_goes_on() {
    let server = MockServer::start_async().await;
    let (mock, _) = sequence(&server, &["RUNNING", "429", "FINISHED"]).await;
    let outcome = client(&server.base_url()).wait("bc_1", &quick()).await.expect("terminal after a 429");
    assert_eq!(outcome.agent.status, AgentStatus::Finished);
    mock.assert_calls_async(3).await;
}

#[tokio::test]
async fn the_conversation_comes_with_the_final_agent_when_asked() {
    let server = MockServer::start_async().await;
    let (agent, _) = sequence(&server, &["RUNNING", "FINISHED"]).await;
    let conversation = server
        .mock_async(|when, then| {
            when.method(GET).path("/v0/agents/bc_1/conversation");
            then.status(200).body(fixture("agents/conversation"));
        })
        .await;
    let outcome = client(&server.base_url()).wait("bc_1", &quick().include_conversation(true)).await.expect("terminal");
    assert_eq!(outcome.conversation.expect("conversation").messages.len(), 5);
    agent.assert_calls_async(2).await;
    conversation.assert_calls_async(1).await;
}

#[tokio::test]
async fn other_errors_end_the_wait_at_once() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/v0/agents/bc_1");
            then.status(409).body(r#"{"error":{"code":"conflict","message":"Agent is deleted or archived"}}"#);
        })
        .await;
    let err = client(&server.base_url()).wait("bc_1", &quick()).await.unwrap_err();
    assert!(cursor_agents::is_agent_gone(&err), "{err}");
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn unknown_statuses_keep_the_wait_going_unless_asked() {
    let server = MockServer::start_async().await;
    let (mock, _) = sequence(&server, &["PAUSED", "FINISHED"]).await;
    let outcome = client(&server.base_url()).wait("bc_1", &quick()).await.expect("terminal");
    assert_eq!(outcome.agent.status, AgentStatus::Finished);
    mock.assert_calls_async(2).await;

    let server = MockServer::start_async().await;
    let (mock, _) = sequence(&server, &["PAUSED", "FINISHED"]).await;
    let mut options = quick();
    options.stop_on_unknown_status = true;
    let outcome = client(&server.base_url()).wait("bc_1", &options).await.expect("stopped on unknown");
    assert_eq!(outcome.agent.status, AgentStatus::Unknown("PAUSED".into()));
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn dropping_the_future_stops_polling() {
    let server = MockServer::start_async().await;
    let (_, times) = sequence(&server, &["RUNNING"]).await;
    let agents = client(&server.base_url());
    let options = quick().intervals(Duration::from_millis(10), Duration::from_millis(10));
    let cancelled = tokio::time::timeout(Duration::from_millis(200), agents.wait("bc_1", &options)).await;
    assert!(cancelled.is_err(), "still waiting when cancelled");
    let polls = times.lock().unwrap().len();
    assert!(polls >= 2, "polled {polls} times");
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(times.lock().unwrap().len(), polls, "no poll after the future was dropped");
}
