//! The Cloud Agents v1 example answers (`tests/fixtures/agents/v1.*.json`) read through the
//! public v1 models: each decodes into the model its endpoint answers with, and the facts a
//! reader of the answer would look at come out typed (ids, statuses as enums, the list
//! cursor).

use cursor_agents::v1::{
    Agent, AgentPage, AgentStatus, ApiKeyInfo, ArtifactDownload, ArtifactList, CreatedAgent, CreatedRun, IdResponse,
    ModelList, RepositoryList, Run, RunPage, RunStatus,
};
use cursor_core::testing::{assert_lossless, fixture};
use cursor_core::{NextPage, Page as _};

const AGENT_ID: &str = "bc-4f1c2a9e-7d3b-4e8a-9c61-2b5f0d8e7a13";

#[test]
fn a_fetched_agent_has_its_repository_branch_and_latest_run() {
    let agent: Agent = assert_lossless(fixture("agents/v1.get"));
    assert_eq!(agent.id, AGENT_ID);
    assert_eq!(agent.status, AgentStatus::Active);
    assert_eq!(agent.env.as_ref().map(|env| env.kind.as_str()), Some("cloud"));
    assert_eq!(agent.latest_run_id.as_deref(), Some("run-8a2d6c41-0b9e-4f57-a3d8-71c5e90f2b64"));
    let repos = agent.repos.expect("a fetched agent lists its repository");
    assert_eq!(repos.len(), 1, "v1 works on one repository");
    assert_eq!(repos[0].url.as_deref(), Some("https://github.com/your-org/your-repo"));
    assert_eq!(repos[0].starting_ref.as_deref(), Some("main"));
    assert_eq!(agent.auto_create_pr, Some(true));
    assert!(agent.url.ends_with(AGENT_ID), "the Cursor Web link names the agent");
}

#[test]
fn creating_an_agent_answers_the_agent_and_its_first_run_being_created() {
    let created: CreatedAgent = assert_lossless(fixture("agents/v1.create"));
    assert_eq!(created.agent.id, AGENT_ID);
    assert_eq!(created.run.agent_id, created.agent.id, "the run belongs to the new agent");
    assert_eq!(created.agent.latest_run_id.as_deref(), Some(created.run.id.as_str()));
    assert_eq!(created.run.status, RunStatus::Creating);
    assert!(!created.run.status.is_terminal());
    assert_eq!(created.agent.branch_name.as_deref(), Some("feature/add-readme"));
}

#[test]
fn the_agent_list_is_a_page_with_a_cursor_to_the_next() {
    let page: AgentPage = assert_lossless(fixture("agents/v1.list"));
    let statuses: Vec<&AgentStatus> = page.items.iter().map(|agent| &agent.status).collect();
    assert_eq!(statuses, [&AgentStatus::Active, &AgentStatus::Archived]);
    assert!(page.items.iter().all(|agent| agent.repos.is_none()), "listed agents carry the summary only");
    let cursor = page.next_cursor.clone().expect("a page with more has a cursor");
    assert_eq!(cursor, page.items[1].id, "the cursor points past the last agent listed");
    assert_eq!(page.next_page(20), NextPage::Cursor(cursor));
}

#[test]
fn the_run_list_is_a_page_of_one_agents_runs_newest_first() {
    let page: RunPage = assert_lossless(fixture("agents/v1.list_runs"));
    assert!(page.items.iter().all(|run| run.agent_id == AGENT_ID));
    let statuses: Vec<&RunStatus> = page.items.iter().map(|run| &run.status).collect();
    assert_eq!(statuses, [&RunStatus::Running, &RunStatus::Finished]);
    assert!(page.items[0].created_at > page.items[1].created_at, "newest first");
    assert!(matches!(page.next_page(20), NextPage::Cursor(ref cursor) if cursor == &page.items[1].id));
}

#[test]
fn a_fetched_run_is_finished_and_a_new_one_is_being_created() {
    let run: Run = assert_lossless(fixture("agents/v1.get_run"));
    assert_eq!(run.agent_id, AGENT_ID);
    assert_eq!(run.status, RunStatus::Finished);
    assert!(run.status.is_terminal());
    let created: CreatedRun = assert_lossless(fixture("agents/v1.create_run"));
    assert_eq!(created.run.status, RunStatus::Creating);
    assert_eq!(created.run.agent_id, AGENT_ID);
}

#[test]
fn delete_archive_unarchive_and_cancel_answer_the_affected_id() {
    for (file, prefix) in [
        ("agents/v1.delete", "bc-"),
        ("agents/v1.archive", "bc-"),
        ("agents/v1.unarchive", "bc-"),
        ("agents/v1.cancel_run", "run-"),
    ] {
        let answer: IdResponse = assert_lossless(fixture(file));
        assert!(answer.id.starts_with(prefix), "{file}: {}", answer.id);
    }
}

#[test]
fn artifacts_list_paths_and_sizes_and_a_download_url_expires() {
    let list: ArtifactList = assert_lossless(fixture("agents/v1.artifacts"));
    let paths: Vec<&str> = list.items.iter().map(|artifact| artifact.path.as_str()).collect();
    assert_eq!(paths, ["artifacts/screenshot.png", "artifacts/test-report.html"]);
    assert_eq!(list.items[1].size_bytes, 12_345);
    let download: ArtifactDownload = assert_lossless(fixture("agents/v1.artifact_download_url"));
    assert!(download.url.starts_with("https://") && download.url.contains("artifacts/screenshot.png"));
    assert!(download.expires_at.starts_with("2026-11-30T09:50"));
}

#[test]
fn the_key_models_and_repositories_read_as_documented() {
    let me: ApiKeyInfo = assert_lossless(fixture("agents/v1.me"));
    assert_eq!(me.user_email.as_deref(), Some("developer@example.com"));
    let models: ModelList = assert_lossless(fixture("agents/v1.models"));
    assert_eq!(models.items.first().map(String::as_str), Some("composer-2"));
    let repositories: RepositoryList = assert_lossless(fixture("agents/v1.repositories"));
    assert_eq!(repositories.items.len(), 3);
    assert!(repositories.items.iter().all(|repo| repo.url.starts_with("https://github.com/")));
}
