//! Benchmark: the client's per-request overhead (limiter, auth, send, decode) against a
//! minimal keep-alive loopback server, sequential and 16 in flight. Run:
//! `cargo bench -p cursor-core --bench request_path`.

use std::time::Instant;

use cursor_core::{Api, Bucket, Client, Endpoint, Rate, RateLimits, Request};
use futures_util::StreamExt as _;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const TEAM: Api = Api::new("team", "the team API");
const TEAM_BUCKET: Bucket = Bucket::new("team", &[Rate::per_minute(20)]);
const MEMBERS: Endpoint = Endpoint::get("admin.members", TEAM, "/teams/members", TEAM_BUCKET);
const BODY: &str = r#"{"teamMembers":[{"name":"Alex","email":"developer@company.com","role":"member"},{"name":"Sam","email":"admin@company.com","role":"owner"}]}"#;

/// Answers every GET with the same JSON body, keeping connections alive.
async fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut reader = BufReader::new(read);
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}",
                    BODY.len()
                );
                loop {
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    if write.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let url = serve().await;
        let client = Client::builder()
            .api_key("key_bench")
            .base_url(url)
            .rate_limits(RateLimits::unlimited())
            .build()
            .expect("client");
        let requests = 5_000u32;
        // Warm the connection pool.
        for _ in 0..50 {
            let _: serde_json::Value = client.send_json(Request::new(&MEMBERS)).await.expect("warm");
        }
        let started = Instant::now();
        for _ in 0..requests {
            let _: serde_json::Value = client.send_json(Request::new(&MEMBERS)).await.expect("request");
        }
        let sequential = started.elapsed().as_secs_f64();
        println!(
            "request_path sequential requests={requests} seconds={sequential:.2} requests_per_second={:.0} mean_us={:.0}",
            f64::from(requests) / sequential,
            sequential * 1e6 / f64::from(requests)
        );
        let started = Instant::now();
        futures_util::stream::iter(0..requests)
            .map(|_| {
                let client = client.clone();
                async move { client.send_json::<serde_json::Value>(Request::new(&MEMBERS)).await.expect("request") }
            })
            .buffer_unordered(16)
            .for_each(|_| async {})
            .await;
        let concurrent = started.elapsed().as_secs_f64();
        println!(
            "request_path concurrency=16 requests={requests} seconds={concurrent:.2} requests_per_second={:.0}",
            f64::from(requests) / concurrent
        );
    });
}
