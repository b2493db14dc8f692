//! Benchmark: decode a generated CSV export of one million rows from a chunked stream, and
//! report rows per second and the process's peak resident memory (flat memory means the
//! peak does not grow with the row count). Run: `cargo bench -p cursor-core --bench csv_decode`.

use std::time::Instant;

use bytes::Bytes;
use cursor_core::ByteStream;
use futures_util::StreamExt as _;

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Row {
    commit_hash: String,
    user_email: String,
    message: String,
    total_lines_added: u64,
    metadata_json: Option<String>,
}

/// Peak resident set size in KiB (Linux), or 0 where /proc is not available.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// A stream of `rows` CSV rows in 64 KiB chunks, generated as it is read (never held whole).
fn generated(rows: u64) -> ByteStream {
    let header = Bytes::from_static(b"commit_hash,user_email,message,total_lines_added,metadata_json\n");
    let chunks = futures_util::stream::iter(0..rows.div_ceil(500)).map(move |block| {
        let mut chunk = String::with_capacity(64 * 1024);
        for i in block * 500..((block + 1) * 500).min(rows) {
            chunk.push_str(&format!(
                "{i:040x},dev{}@company.com,\"fix: handle \"\"quoted\"\", commas\nand newlines ü\",{},\"[{{\"\"fileName\"\":\"\"src/a.ts\"\"}}]\"\n",
                i % 97,
                i % 300
            ));
        }
        Ok(Bytes::from(chunk))
    });
    ByteStream::from_stream("bench.csv", futures_util::stream::once(async move { Ok(header) }).chain(chunks))
}

async fn decode(rows: u64) -> (u64, f64) {
    let started = Instant::now();
    let mut stream = generated(rows).csv_rows::<Row>();
    let mut count = 0u64;
    while let Some(row) = stream.next().await {
        row.expect("row decodes");
        count += 1;
    }
    assert_eq!(count, rows, "every row exactly once");
    (count, started.elapsed().as_secs_f64())
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    for rows in [100_000u64, 1_000_000] {
        let (count, seconds) = runtime.block_on(decode(rows));
        println!(
            "csv_decode rows={count} seconds={seconds:.2} rows_per_second={:.0} peak_rss_mib={:.1}",
            count as f64 / seconds,
            peak_rss_kib() as f64 / 1024.0
        );
    }
}
