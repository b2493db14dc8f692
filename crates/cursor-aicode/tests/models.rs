//! Model tests: the documents' example responses decode and re-serialize losslessly, with
//! unknown fields added and with optional fields removed; alpha drift (unknown enum values,
//! privacy mode) decodes.

use cursor_aicode::{
    AiCodeChange, AiCommit, ChangesPage, CommitLookup, CommitSource, CommitsPage, FileMetadata, Source,
};
use cursor_core::testing::{assert_lossless, fixture, json_equivalent, with_unknown_fields, without_keys};
use serde_json::{Value, json};

#[test]
fn the_commits_example_decodes_to_the_documented_values_and_round_trips() {
    let page: CommitsPage = assert_lossless(fixture("aicode/commits"));
    assert_eq!((page.total_count, page.page, page.page_size), (Some(42), Some(1), Some(100)));
    let commit = &page.items[0];
    assert_eq!(commit.commit_hash.as_deref(), Some("a1b2c3d4"));
    assert_eq!(commit.user_id.as_deref(), Some("user_3k9x8q..."));
    assert_eq!(commit.repo_name.as_deref(), Some("company/repo"));
    assert_eq!(commit.is_primary_branch, Some(true));
    assert_eq!(
        (commit.total_lines_added, commit.total_lines_deleted, commit.tab_lines_added, commit.tab_lines_deleted),
        (Some(120), Some(30), Some(50), Some(10))
    );
    assert_eq!(
        (
            commit.composer_lines_added,
            commit.composer_lines_deleted,
            commit.non_ai_lines_added,
            commit.non_ai_lines_deleted
        ),
        (Some(40), Some(5), Some(30), Some(15))
    );
    assert_eq!(commit.message.as_deref(), Some("Refactor: extract analytics client"));
    assert_eq!(commit.committed_at().map(|t| t.unix_timestamp()), Some(1_753_884_723));
    assert_eq!(commit.ingested_at().map(|t| t.unix_timestamp()), Some(1_753_884_750));
    assert!(commit.extra.is_empty());
}

#[test]
fn the_changes_example_decodes_to_the_documented_values_and_round_trips() {
    let page: ChangesPage = assert_lossless(fixture("aicode/changes"));
    assert_eq!((page.total_count, page.page, page.page_size), (Some(128), Some(1), Some(200)));
    let change = &page.items[0];
    assert_eq!(change.change_id.as_deref(), Some("749356201"));
    assert_eq!(change.source, Some(Source::Composer));
    assert_eq!(change.model, None);
    assert_eq!((change.total_lines_added, change.total_lines_deleted), (Some(18), Some(4)));
    let files = change.metadata.as_ref().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[1].file_name.as_deref(), Some("src/analytics/ui.tsx"));
    assert_eq!(files[1].file_extension.as_deref(), Some("tsx"));
    assert_eq!((files[1].lines_added, files[1].lines_deleted), (Some(6), Some(1)));
}

#[test]
fn unknown_fields_survive_at_every_depth() {
    let page: CommitsPage = assert_lossless(&with_unknown_fields(fixture("aicode/commits")));
    assert!(page.extra.contains_key("__unknown_field"));
    assert!(page.items[0].extra.contains_key("__unknown_field"));
    let page: ChangesPage = assert_lossless(&with_unknown_fields(fixture("aicode/changes")));
    assert!(page.items[0].metadata.as_ref().unwrap()[0].extra.contains_key("__unknown_field"));
}

#[test]
fn fields_that_go_missing_stay_missing() {
    // Alpha: any non-nullable field may disappear, and privacy mode drops fileName.
    let commit_fields = [
        "commitHash",
        "userId",
        "userEmail",
        "totalLinesAdded",
        "totalLinesDeleted",
        "tabLinesAdded",
        "tabLinesDeleted",
        "composerLinesAdded",
        "composerLinesDeleted",
        "createdAt",
        "totalCount",
        "page",
        "pageSize",
    ];
    let page: CommitsPage = assert_lossless(&without_keys(fixture("aicode/commits"), &commit_fields));
    assert_eq!(page.items[0].commit_hash, None);
    assert_eq!(page.items[0].repo_name.as_deref(), Some("company/repo"));

    let change_fields = ["changeId", "source", "totalLinesAdded", "fileName", "fileExtension", "linesDeleted"];
    let page: ChangesPage = assert_lossless(&without_keys(fixture("aicode/changes"), &change_fields));
    let file = &page.items[0].metadata.as_ref().unwrap()[0];
    assert_eq!(file, &FileMetadata { lines_added: Some(12), ..Default::default() });
    let page: ChangesPage = assert_lossless(&without_keys(fixture("aicode/changes"), &["metadata"]));
    assert_eq!(page.items[0].metadata, None);
}

#[test]
fn nullable_fields_keep_explicit_nulls_and_a_missing_one_comes_back_as_null() {
    let nulls = r#"{"commitHash":"x","repoName":null,"branchName":null,"isPrimaryBranch":null,
        "nonAiLinesAdded":null,"nonAiLinesDeleted":null,"message":null,"commitTs":null}"#;
    let commit: AiCommit = assert_lossless(nulls);
    assert_eq!((commit.repo_name, commit.is_primary_branch, commit.commit_ts), (None, None, None));

    // `isPrimaryBranch` "may be undefined": it decodes to None and is written back as the
    // documented `null` (the one normalization the models make).
    let commit: AiCommit = serde_json::from_str(r#"{"commitHash":"x"}"#).unwrap();
    assert_eq!(commit.is_primary_branch, None);
    let out = serde_json::to_value(&commit).unwrap();
    assert_eq!(out["isPrimaryBranch"], Value::Null);
    assert_eq!(out["commitHash"], json!("x"));
}

#[test]
fn unknown_sources_decode_and_are_written_back_as_sent() {
    let change: AiCodeChange = assert_lossless(r#"{"changeId":"1","source":"BACKGROUND_AGENT","model":"gpt-5"}"#);
    assert_eq!(change.source, Some(Source::Unknown("BACKGROUND_AGENT".into())));
    let change: AiCodeChange = assert_lossless(r#"{"changeId":"2","source":"TAB","model":null}"#);
    assert_eq!(change.source, Some(Source::Tab));
}

#[test]
fn an_empty_object_decodes_to_all_none() {
    let commit: AiCommit = serde_json::from_str("{}").unwrap();
    assert_eq!(commit, AiCommit::default());
    let page: CommitsPage = serde_json::from_str("{}").unwrap();
    assert!(page.items.is_empty());
    assert!(json_equivalent(&serde_json::to_value(&page).unwrap(), &json!({"items": []})));
}

#[test]
fn commit_source_decodes_when_present_and_stays_absent_when_not() {
    let old: AiCommit = serde_json::from_value(json!({"commitHash": "a1b2"})).unwrap();
    assert_eq!(old.commit_source, None);
    assert!(serde_json::to_value(&old).unwrap().get("commitSource").is_none(), "absent stays absent");
    for (text, source) in [("ide", CommitSource::Ide), ("cli", CommitSource::Cli), ("cloud", CommitSource::Cloud)] {
        let new: AiCommit = serde_json::from_value(json!({"commitHash": "a1b2", "commitSource": text})).unwrap();
        assert_eq!(new.commit_source, Some(source));
    }
    let unknown: AiCommit = serde_json::from_value(json!({"commitSource": "web"})).unwrap();
    assert_eq!(unknown.commit_source, Some(CommitSource::Unknown("web".into())));
    assert_eq!(serde_json::to_value(&unknown).unwrap()["commitSource"], json!("web"), "written back as sent");
}

#[test]
fn a_commit_lookup_reads_items_or_commits() {
    let items: CommitLookup =
        serde_json::from_value(json!({"items": [{"commitHash": "a1"}], "notFound": ["b2"]})).unwrap();
    assert_eq!(items.items.len(), 1);
    assert_eq!(items.not_found.as_deref(), Some(["b2".to_owned()].as_slice()));
    let commits: CommitLookup = serde_json::from_value(json!({"commits": [{"commitHash": "a1"}]})).unwrap();
    assert_eq!(commits.items[0].commit_hash.as_deref(), Some("a1"));
}
