//! Loopback test of a streamed CSV body decoded row by row.

mod common;
use common::*;

mod support;

use cursor_core::{Endpoint, Request};
use futures_util::TryStreamExt as _;
use support::{Reply, ScriptedServer, fast_client};

const COMMITS_CSV: Endpoint =
    Endpoint::get("aicode.commits_csv", EXPORTS, "/analytics/ai-code/commits.csv", EXPORTS_BUCKET).csv_response();

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Row {
    commit_hash: String,
    message: String,
}

#[tokio::test]
async fn a_csv_export_is_decoded_row_by_row_and_copied_byte_for_byte() {
    let mut body = String::from("commit_hash,message\n");
    for i in 0..20_000 {
        body.push_str(&format!("h{i},\"fix, \"\"q\"\"\nline2 ü\"\n"));
    }
    let reply = Reply {
        status: 200,
        headers: vec![("content-type".into(), "text/csv".into())],
        body: body.clone().into_bytes(),
        delay: Default::default(),
    };
    let server = ScriptedServer::start(vec![reply.clone(), reply]).await;
    let client = fast_client(&server.base_url);

    let rows: Vec<Row> =
        client.send_streaming(Request::new(&COMMITS_CSV)).await.unwrap().csv_rows().try_collect().await.unwrap();
    assert_eq!(rows.len(), 20_000);
    assert_eq!(rows[19_999], Row { commit_hash: "h19999".into(), message: "fix, \"q\"\nline2 ü".into() });
    assert_eq!(server.received()[0].header("accept"), Some("text/csv"));

    let mut file = Vec::new();
    let written = client.send_streaming(Request::new(&COMMITS_CSV)).await.unwrap().copy_to(&mut file).await.unwrap();
    assert_eq!(written as usize, body.len());
    assert_eq!(file, body.as_bytes());
}

/// A server that sends the CSV header, then one row per `gap`, `rows` times, chunked.
async fn dripping_server(rows: usize, gap: std::time::Duration) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).await;
        let chunk = |text: &str| format!("{:x}\r\n{text}\r\n", text.len());
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ntransfer-encoding: chunked\r\n\r\n";
        let _ = socket.write_all(format!("{head}{}", chunk("commit_hash,message\n")).as_bytes()).await;
        for i in 0..rows {
            tokio::time::sleep(gap).await;
            if socket.write_all(chunk(&format!("h{i},m{i}\n")).as_bytes()).await.is_err() {
                return;
            }
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
    });
    url
}

fn client_with_timeout(url: &str, timeout: std::time::Duration) -> cursor_core::Client {
    builder_with_timeout(url, timeout).min_stream_bytes(1).build().unwrap()
}

fn builder_with_timeout(url: &str, timeout: std::time::Duration) -> cursor_core::ClientBuilder {
    cursor_core::Client::builder()
        .api_key("key_test")
        .base_url(url)
        .rate_limits(cursor_core::RateLimits::unlimited())
        .retry_policy(cursor_core::RetryPolicy::none())
        .timeout(timeout)
}

#[tokio::test]
async fn a_body_delivering_less_than_the_minimum_per_period_fails_although_chunks_keep_coming() {
    use std::time::Duration;
    // A row every 60 ms never leaves the 150 ms timeout idle, but 1 KiB per period is never met.
    let url = dripping_server(40, Duration::from_millis(60)).await;
    let client = builder_with_timeout(&url, Duration::from_millis(150)).build().unwrap();
    let started = std::time::Instant::now();
    let result: Result<Vec<Row>, _> =
        client.send_streaming(Request::new(&COMMITS_CSV)).await.unwrap().csv_rows().try_collect().await;
    let err = result.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(2000), "stopped in the first periods: {:?}", started.elapsed());
}

#[tokio::test]
async fn a_stream_can_be_given_an_overall_deadline() {
    use std::time::Duration;
    let url = dripping_server(40, Duration::from_millis(50)).await;
    let client = client_with_timeout(&url, Duration::from_secs(5));
    let body = client.send_streaming(Request::new(&COMMITS_CSV)).await.unwrap();
    let result: Result<Vec<Row>, _> = body.with_deadline(Duration::from_millis(300)).csv_rows().try_collect().await;
    assert!(result.unwrap_err().is_timeout());
}

#[tokio::test]
async fn a_steady_export_longer_than_the_timeout_is_not_cut_off() {
    use std::time::Duration;
    // Six rows 100 ms apart: 600 ms in all, with a 250 ms timeout that applies per chunk.
    let url = dripping_server(6, Duration::from_millis(100)).await;
    let client = client_with_timeout(&url, Duration::from_millis(250));
    let rows: Vec<Row> =
        client.send_streaming(Request::new(&COMMITS_CSV)).await.unwrap().csv_rows().try_collect().await.unwrap();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[5], Row { commit_hash: "h5".into(), message: "m5".into() });
}

#[tokio::test]
async fn a_stalled_export_fails_with_a_timeout() {
    use std::time::Duration;
    let url = dripping_server(2, Duration::from_millis(600)).await;
    let client = client_with_timeout(&url, Duration::from_millis(200));
    let result: Result<Vec<Row>, _> =
        client.send_streaming(Request::new(&COMMITS_CSV)).await.unwrap().csv_rows().try_collect().await;
    let err = result.unwrap_err();
    assert!(err.is_timeout(), "the body's timeout comes through the CSV reader as itself: {err:?}");
}
