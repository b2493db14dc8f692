//! CSV export tests: the documents' sample rows decode to the JSON example's values; quoting,
//! embedded newlines, non-ASCII, missing and extra columns; raw bytes copied unchanged; a
//! large export decodes to exactly its rows.

use cursor_aicode::{AiCodeChange, AiCodeClient, AiCommit, ByteStream, ExportQuery, FileMetadata, Source, commit_rows};
use cursor_core::testing::{fixture, loopback_client};
use futures_util::{StreamExt as _, TryStreamExt as _};
use httpmock::prelude::*;
use serde_json::json;

/// The header of the documents' commits.csv sample: the columns every commits export has.
fn commits_header() -> &'static str {
    fixture("aicode/commits_csv").lines().next().expect("a header line")
}

/// The documents' commits.csv sample.
fn commits_sample() -> String {
    fixture("aicode/commits_csv").to_owned()
}

/// The first item of a documented JSON example answer.
fn json_example_item(name: &str) -> serde_json::Value {
    let example: serde_json::Value = serde_json::from_str(fixture(name)).expect("a JSON fixture");
    example["items"][0].clone()
}

async fn serve(path: &'static str, body: String) -> (MockServer, AiCodeClient) {
    let server = MockServer::start_async().await;
    server
        .mock_async(move |when, then| {
            when.method(GET).path(path);
            then.status(200).header("content-type", "text/csv; charset=utf-8").body(body);
        })
        .await;
    let core = loopback_client(&server.base_url()).build().unwrap();
    (server, AiCodeClient::new(core))
}

async fn commits_from(body: String) -> Vec<AiCommit> {
    let (_server, aicode) = serve("/analytics/ai-code/commits.csv", body).await;
    aicode.commits_csv_rows(&ExportQuery::new()).try_collect().await.unwrap()
}

async fn changes_from(body: String) -> Vec<AiCodeChange> {
    let (_server, aicode) = serve("/analytics/ai-code/changes.csv", body).await;
    aicode.changes_csv_rows(&ExportQuery::new()).try_collect().await.unwrap()
}

#[tokio::test]
async fn the_commits_sample_decodes_to_the_json_examples_values() {
    let json_item: AiCommit = serde_json::from_value(json_example_item("aicode/commits")).unwrap();
    let rows = commits_from(commits_sample()).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0], json_item);
    assert_eq!(rows[1].commit_hash.as_deref(), Some("e5f6g7h8"));
    assert_eq!(rows[1].is_primary_branch, Some(false));
    assert_eq!(rows[1].branch_name.as_deref(), Some("feature-branch"));
    assert_eq!(rows[1].non_ai_lines_deleted, Some(7));
}

#[tokio::test]
async fn the_changes_sample_decodes_metadata_json_into_the_json_models_metadata() {
    let json_item: AiCodeChange = serde_json::from_value(json_example_item("aicode/changes")).unwrap();
    let rows = changes_from(fixture("aicode/changes_csv").to_owned()).await;
    assert_eq!(rows.len(), 2);
    // The documents' CSV sample names the model (`gpt-4o`) where the JSON example has `null`;
    // every other value is the same.
    assert_eq!(rows[0].model.as_deref(), Some("gpt-4o"));
    assert_eq!(AiCodeChange { model: None, ..rows[0].clone() }, json_item);
    // An empty cell is the JSON model's null.
    assert_eq!(rows[1].model, None);
    assert_eq!(rows[1].source, Some(Source::Tab));
    assert_eq!(
        rows[1].metadata,
        Some(vec![FileMetadata {
            file_name: Some("src/utils/helpers.ts".into()),
            file_extension: Some("ts".into()),
            lines_added: Some(8),
            lines_deleted: Some(2),
            ..Default::default()
        }])
    );
}

#[tokio::test]
async fn quoting_newlines_non_ascii_and_empty_cells_decode() {
    let header = commits_header();
    let body = format!(
        "{header}\n\
h1,user_a,a@x.com,\"org/repo, with comma\",main,,1,2,0,0,0,0,,,\"Fix \"\"quoted\"\" bug, then ship\",,2025-01-01T00:00:00Z\n\
h2,user_b,ü@x.com,org/répo,功能,true,3,0,0,0,3,0,0,0,\"subject line\n\nbody with — ünïcødé 🚀\r\nand CRLF\",2025-01-02T00:00:00Z,2025-01-02T00:00:01Z\n"
    );
    let rows = commits_from(body).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].repo_name.as_deref(), Some("org/repo, with comma"));
    assert_eq!(rows[0].message.as_deref(), Some("Fix \"quoted\" bug, then ship"));
    assert_eq!(rows[0].is_primary_branch, None, "an empty is_primary_branch is the JSON null");
    assert_eq!((rows[0].non_ai_lines_added, rows[0].commit_ts.as_deref()), (None, None));
    assert_eq!(rows[1].user_email.as_deref(), Some("ü@x.com"));
    assert_eq!(rows[1].branch_name.as_deref(), Some("功能"));
    assert_eq!(rows[1].message.as_deref(), Some("subject line\n\nbody with — ünïcødé 🚀\r\nand CRLF"));
    assert_eq!(rows[1].is_primary_branch, Some(true));
}

#[tokio::test]
async fn a_missing_column_is_none_and_an_extra_column_is_kept_in_extra() {
    // `non_ai_lines_deleted` and `repo_name` gone, `ai_percentage` new, columns reordered.
    let body = "created_at,commit_hash,ai_percentage,total_lines_added\n2025-01-01T00:00:00Z,abc,42.5,10\n";
    let rows = commits_from(body.into()).await;
    assert_eq!(rows[0].commit_hash.as_deref(), Some("abc"));
    assert_eq!(rows[0].total_lines_added, Some(10));
    assert_eq!((rows[0].repo_name.as_deref(), rows[0].non_ai_lines_deleted), (None, None));
    assert_eq!(rows[0].extra.get("ai_percentage"), Some(&json!("42.5")));

    let body = "change_id,source,metadata_json,session\n7,BACKGROUND_AGENT,\"[{\"\"fileExtension\"\":\"\"rs\"\",\"\"linesAdded\"\":1}]\",s1\n8,TAB,,\n";
    let rows = changes_from(body.into()).await;
    assert_eq!(rows[0].source, Some(Source::Unknown("BACKGROUND_AGENT".into())));
    let file = &rows[0].metadata.as_ref().unwrap()[0];
    assert_eq!((file.file_name.as_deref(), file.file_extension.as_deref()), (None, Some("rs")), "privacy mode");
    assert_eq!(rows[0].extra.get("session"), Some(&json!("s1")));
    assert_eq!(rows[1].metadata, None);
    assert_eq!(rows[1].total_lines_added, None);
}

#[tokio::test]
async fn a_row_with_fewer_or_more_fields_than_the_header_is_an_error_not_a_padded_row() {
    // A cut or garbled body leaves short rows: they must fail the export, not come back
    // "successfully" with empty fields.
    for body in
        ["commit_hash,repo_name,message\nabc,org/repo,m\ndef,org/repo\n", "commit_hash,repo_name\nabc,org/repo,extra\n"]
    {
        let (_server, aicode) = serve("/analytics/ai-code/commits.csv", body.into()).await;
        let results: Vec<_> = aicode.commits_csv_rows(&ExportQuery::new()).collect().await;
        let last = results.last().expect("an item");
        let err = last.as_ref().expect_err("a field-count mismatch is an error");
        assert!(err.to_string().contains("field"), "{err}");
        assert!(results.iter().filter(|r| r.is_ok()).count() < 2, "{body:?}");
    }
    // An empty cell is still a field, so an empty trailing value decodes as None.
    let rows = commits_from("commit_hash,repo_name,message\nabc,org/repo,\n".into()).await;
    assert_eq!(rows[0].repo_name.as_deref(), Some("org/repo"));
    assert_eq!(rows[0].message, None);
}

#[tokio::test]
async fn a_bad_cell_names_its_line_and_column() {
    let (_server, aicode) =
        serve("/analytics/ai-code/commits.csv", "commit_hash,total_lines_added\nok,1\nbad,many\n".into()).await;
    let results: Vec<_> = aicode.commits_csv_rows(&ExportQuery::new()).collect().await;
    assert_eq!(results[0].as_ref().unwrap().total_lines_added, Some(1));
    let err = results[1].as_ref().unwrap_err().to_string();
    assert!(err.contains("line 3") && err.contains("total_lines_added"), "{err}");

    let (_server, aicode) =
        serve("/analytics/ai-code/changes.csv", "change_id,metadata_json\n1,not json\n".into()).await;
    let err = aicode.changes_csv_rows(&ExportQuery::new()).next().await.unwrap().unwrap_err().to_string();
    assert!(err.contains("metadata_json"), "{err}");

    let (_server, aicode) =
        serve("/analytics/ai-code/commits.csv", "commit_hash,is_primary_branch\na,maybe\n".into()).await;
    let err = aicode.commits_csv_rows(&ExportQuery::new()).next().await.unwrap().unwrap_err().to_string();
    assert!(err.contains("is_primary_branch"), "{err}");
}

#[tokio::test]
async fn the_raw_export_is_copied_byte_for_byte() {
    let body =
        format!("{}{}", fixture("aicode/changes_csv"), "9,user_z,z@x.com,TAB,,1,0,2025-01-01T00:00:00Z,\"[]\"\r\n");
    let (_server, aicode) = serve("/analytics/ai-code/changes.csv", body.clone()).await;
    let mut out: Vec<u8> = Vec::new();
    let written = aicode.changes_csv(&ExportQuery::new()).await.unwrap().copy_to(&mut out).await.unwrap();
    assert_eq!(out, body.as_bytes());
    assert_eq!(written, body.len() as u64);
}

#[tokio::test]
async fn a_large_export_decodes_to_exactly_its_rows() {
    let rows = 50_000;
    let mut body = String::with_capacity(rows * 120);
    body.push_str(commits_header());
    body.push('\n');
    for n in 0..rows {
        body.push_str(&format!(
            "h{n},user_{n},u{n}@x.com,org/repo,main,{},{n},0,0,0,0,0,{n},0,\"msg, {n}\",2025-01-01T00:00:00Z,2025-01-01T00:00:01Z\n",
            n % 2 == 0
        ));
    }
    let (_server, aicode) = serve("/analytics/ai-code/commits.csv", body).await;
    let mut stream = aicode.commits_csv_rows(&ExportQuery::new());
    let mut count = 0usize;
    let mut first = None;
    let mut last = None;
    while let Some(row) = stream.try_next().await.unwrap() {
        assert_eq!(row.total_lines_added, Some(count as u64), "row {count} out of order");
        if first.is_none() {
            first = Some(row.clone());
        }
        count += 1;
        last = Some(row);
    }
    assert_eq!(count, rows);
    let (first, last) = (first.unwrap(), last.unwrap());
    assert_eq!((first.commit_hash.as_deref(), first.is_primary_branch), (Some("h0"), Some(true)));
    assert_eq!((last.commit_hash.as_deref(), last.message.as_deref()), (Some("h49999"), Some("msg, 49999")));
    assert_eq!(last.is_primary_branch, Some(false));
}

#[tokio::test]
async fn rows_are_yielded_as_chunks_arrive_not_after_the_whole_body() {
    // The body's first chunk holds the header, one row and half of the next; the rest never
    // comes. The first row must still come out, so the decoder neither waits for nor buffers
    // the whole export.
    let first_chunk = bytes_of("commit_hash,message\nabc,\"first\"\nde");
    let body = futures_util::stream::iter([first_chunk])
        .chain(futures_util::stream::pending::<<ByteStream as futures_util::Stream>::Item>());
    let mut rows = commit_rows(ByteStream::from_stream("aicode.commits_csv", body));
    let first = tokio::time::timeout(std::time::Duration::from_secs(5), rows.next())
        .await
        .expect("the first row waited for the rest of the body")
        .unwrap()
        .unwrap();
    assert_eq!(first.commit_hash.as_deref(), Some("abc"));
    let second = tokio::time::timeout(std::time::Duration::from_millis(100), rows.next()).await;
    assert!(second.is_err(), "the half row must not be yielded before it is complete");
}

fn bytes_of(text: &'static str) -> <ByteStream as futures_util::Stream>::Item {
    Ok(text.as_bytes().to_vec().into())
}

#[tokio::test]
async fn metadata_json_with_a_line_break_inside_the_quoted_cell_decodes() {
    // The older page prints the sample's metadata_json across two lines.
    let body = "change_id,metadata_json\n749356201,\"[{\"\"fileName\"\":\"\"a.ts\"\",\"\"linesAdded\"\":12},\n{\"\"fileName\"\":\"\"b.tsx\"\",\"\"linesAdded\"\":6}]\"\n";
    let rows = changes_from(body.into()).await;
    let names: Vec<_> = rows[0].metadata.iter().flatten().map(|f| f.file_name.clone().unwrap()).collect();
    assert_eq!(names, ["a.ts", "b.tsx"]);
}

#[tokio::test]
async fn an_export_with_only_a_header_has_no_rows() {
    assert!(commits_from(format!("{}\n", commits_header())).await.is_empty());
    assert!(changes_from(String::new()).await.is_empty());
}

fn quote(cell: &str) -> String {
    format!("\"{}\"", cell.replace('"', "\"\""))
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Any text (commas, quotes, CR/LF, any Unicode) in any cell survives the export however
    /// the body is cut into chunks.
    #[test]
    fn any_cell_text_round_trips_through_csv_at_any_chunking(
        message in "\\PC*[,\"\\r\\n]?\\PC*",
        repo in "[^\r\n]{0,20}",
        chunk in 1usize..64,
    ) {
        let body = format!("commit_hash,repo_name,message\nh,{},{}\n", quote(&repo), quote(&message));
        let chunks: Vec<_> =
            body.into_bytes().chunks(chunk).map(|c| Ok(c.to_vec().into())).collect::<Vec<cursor_core::Result<_>>>();
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let rows: Vec<AiCommit> = runtime
            .block_on(commit_rows(ByteStream::from_stream("t", futures_util::stream::iter(chunks))).try_collect())
            .unwrap();
        proptest::prop_assert_eq!(rows.len(), 1);
        proptest::prop_assert_eq!(rows[0].message.clone(), (!message.is_empty()).then_some(message));
        proptest::prop_assert_eq!(rows[0].repo_name.clone(), (!repo.is_empty()).then_some(repo));
    }
}

#[tokio::test]
async fn a_byte_order_mark_and_padded_header_names_still_match_their_columns() {
    let rows = commits_from("\u{feff}commit_hash, repo_name \nabc,org/repo\n".into()).await;
    assert_eq!(rows[0].commit_hash.as_deref(), Some("abc"));
    assert_eq!(rows[0].repo_name.as_deref(), Some("org/repo"));
    assert!(rows[0].extra.is_empty());
}

#[tokio::test]
async fn a_commit_source_column_decodes_into_the_typed_field() {
    let rows = commits_from("commit_hash,commit_source\na1,cli\nb2,\nc3,web\n".into()).await;
    let sources: Vec<_> = rows.iter().map(|c| c.commit_source.clone()).collect();
    assert_eq!(
        sources,
        [Some(cursor_aicode::CommitSource::Cli), None, Some(cursor_aicode::CommitSource::Unknown("web".into()))]
    );
    assert!(rows.iter().all(|c| !c.extra.contains_key("commit_source")));
}
