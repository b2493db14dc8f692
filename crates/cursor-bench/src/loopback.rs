//! The loopback server the `overhead`, `keys` and `csv` figures use: one fixed JSON body for
//! `GET /teams/members`, and a `changes.csv` of a chosen size generated as it is sent. It runs
//! in its own process (`cursor-bench serve`), so its CPU time and memory are never counted in
//! the client's, and both clients of a comparison talk to the very same server.

use std::process::Stdio;

use axum::Router;
use axum::body::Body;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use bytes::Bytes;
use futures_util::StreamExt as _;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};

/// The body of `GET /teams/members`: the documents' example, two members.
pub const MEMBERS_BODY: &str = r#"{"teamMembers":[{"name":"Alex","email":"developer@company.com","role":"member"},{"name":"Sam","email":"admin@company.com","role":"owner"}]}"#;

/// Size of each chunk of the generated CSV.
const CHUNK: usize = 64 * 1024;

/// Rows of a real `changes.csv`, read once from the simulator: the header line and a block of
/// whole rows that the server repeats.
pub async fn sample_changes_csv() -> Result<(String, Bytes), String> {
    let server = cursor_mock::MockServer::start(cursor_mock::MockConfig {
        rate_limits: cursor_mock::RateLimits::unlimited(),
        ..cursor_mock::MockConfig::default()
    })
    .await
    .map_err(|e| format!("simulator: {e}"))?;
    let url = format!("{}/analytics/ai-code/changes.csv?startDate=30d&endDate=now", server.base_url());
    let body = reqwest::Client::new()
        .get(url)
        .basic_auth("key_bench_sample", Some(""))
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| format!("changes.csv: {e}"))?
        .bytes()
        .await
        .map_err(|e| format!("changes.csv: {e}"))?;
    server.shutdown().await;
    let split = body.iter().position(|&b| b == b'\n').ok_or("changes.csv has no header line")?;
    let header = String::from_utf8_lossy(&body[..=split]).into_owned();
    let rows = body.slice(split + 1..);
    if rows.is_empty() || rows.last() != Some(&b'\n') {
        return Err("changes.csv sample has no whole rows".into());
    }
    Ok((header, rows))
}

/// The chunks of a CSV body of about `total` bytes: the header, then `rows` over and over, cut
/// at a row boundary (the last row ends at or before `total`). Slices share `rows`: nothing
/// is copied or held beyond one block.
pub fn csv_chunks(header: String, rows: Bytes, total: u64) -> impl futures_util::Stream<Item = Bytes> + Send {
    let head = Bytes::from(header);
    let budget = total.saturating_sub(head.len() as u64);
    let body = futures_util::stream::unfold((0u64, 0usize), move |(sent, offset)| {
        let rows = rows.clone();
        async move {
            let left = budget.saturating_sub(sent);
            if left == 0 {
                return None;
            }
            let mut end = (offset + CHUNK).min(rows.len());
            if (end - offset) as u64 >= left {
                // The last chunk: whole rows only.
                let limit = offset + left as usize;
                end = rows[offset..limit].iter().rposition(|&b| b == b'\n').map(|i| offset + i + 1)?;
            } else if end < rows.len() {
                // Chunks may split rows; only the end of the body must not.
                end = rows[offset..end].iter().rposition(|&b| b == b'\n').map_or(end, |i| offset + i + 1);
            }
            let chunk = rows.slice(offset..end);
            let next = if end == rows.len() { 0 } else { end };
            Some((chunk, (sent + (end - offset) as u64, next)))
        }
    });
    futures_util::stream::once(async move { head }).chain(body)
}

/// `cursor-bench serve`: serves until its standard input closes, after printing its base URL.
pub async fn serve(csv_bytes: u64) -> Result<(), String> {
    let (header, rows) = sample_changes_csv().await?;
    let app = Router::new()
        .route("/teams/members", get(|| async { ([(header::CONTENT_TYPE, "application/json")], MEMBERS_BODY) }))
        .route(
            "/analytics/ai-code/changes.csv",
            get(move || {
                let (header, rows) = (header.clone(), rows.clone());
                async move {
                    let stream = csv_chunks(header, rows, csv_bytes).map(Ok::<_, std::convert::Infallible>);
                    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], Body::from_stream(stream)).into_response()
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| format!("bind: {e}"))?;
    let addr = listener.local_addr().map_err(|e| format!("address: {e}"))?;
    println!("http://{addr}");
    let stdin_closed = async {
        let mut sink = Vec::new();
        let _ = tokio::io::stdin().read_to_end(&mut sink).await;
    };
    axum::serve(listener, app).with_graceful_shutdown(stdin_closed).await.map_err(|e| format!("serve: {e}"))
}

/// A loopback server in a child process; it stops when this handle is dropped (its standard
/// input closes, and the process is killed as well).
pub struct Loopback {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    child: Child,
}

impl Loopback {
    /// Starts `cursor-bench serve --csv-bytes N` and waits for its URL.
    pub async fn start(csv_bytes: u64) -> Result<Self, String> {
        let exe = std::env::current_exe().map_err(|e| format!("own path: {e}"))?;
        let mut child = Command::new(exe)
            .args(["serve", "--csv-bytes", &csv_bytes.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("loopback server: {e}"))?;
        let stdout = child.stdout.take().ok_or("loopback server: no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).await.map_err(|e| format!("loopback server: {e}"))?;
        let url = line.trim().to_owned();
        if !url.starts_with("http://") {
            return Err(format!("loopback server said {url:?}"));
        }
        Ok(Self { url, child })
    }

    /// Stops the server and waits for it (so it is reaped before any CPU accounting of children).
    pub async fn stop(mut self) {
        drop(self.child.stdin.take());
        if tokio::time::timeout(std::time::Duration::from_secs(5), self.child.wait()).await.is_err() {
            let _ = self.child.kill().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn generated_csv_ends_on_a_row_and_stays_within_its_size() {
        let rows = Bytes::from_static(b"a,1\nbb,22\nccc,333\n");
        for total in [5u64, 20, 100, 1000, 12_345] {
            let body: Vec<u8> = csv_chunks("h,n\n".into(), rows.clone(), total).collect::<Vec<_>>().await.concat();
            assert!(body.len() as u64 <= total.max(4), "{total}: {}", body.len());
            assert!(body.starts_with(b"h,n\n"));
            assert_eq!(body.last(), Some(&b'\n'));
            assert!(body.len() as u64 + 11 > total, "{total}: short body {}", body.len());
            let text = String::from_utf8(body).unwrap();
            assert!(text.lines().skip(1).all(|l| ["a,1", "bb,22", "ccc,333"].contains(&l)), "{text}");
        }
    }
}
