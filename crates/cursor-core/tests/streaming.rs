//! Loopback test of a streamed CSV body decoded row by row.

mod support;

use cursor_core::{Api, Bucket, Endpoint, Request};
use futures_util::TryStreamExt as _;
use support::{Reply, ScriptedServer, fast_client};

const COMMITS_CSV: Endpoint =
    Endpoint::get("aicode.commits_csv", Api::AiCode, "/analytics/ai-code/commits.csv", Bucket::AiCode).csv_response();

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
