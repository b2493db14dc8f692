//! Bugbot commands: enabling or disabling it on many repositories, reporting each outcome,
//! and asking for a review of a pull request.

use cursor_bugbot::{BugbotClient, DEFAULT_CONCURRENCY, RepoUpdate, ReviewRequest};
use serde::Serialize;

use super::Ctx;
use crate::cli::BugbotAction;
use crate::output::{Table, outln};

/// One repository's outcome, as printed.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Outcome {
    repo_url: String,
    enabled: bool,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// `bugbot enable|disable <repo-url>...`: every repository is attempted; exits 1 if any failed.
pub(crate) async fn run(ctx: &Ctx, action: BugbotAction) -> anyhow::Result<()> {
    let updates: Vec<RepoUpdate> = match action {
        BugbotAction::Enable { repos } => repos.into_iter().map(RepoUpdate::enable).collect(),
        BugbotAction::Disable { repos } => repos.into_iter().map(RepoUpdate::disable).collect(),
        BugbotAction::Review { pr_url, dry_run, post_success_comment } => {
            let request = ReviewRequest::new(pr_url).dry_run(dry_run).post_success_comment(post_success_comment);
            let result = BugbotClient::new(ctx.client.clone()).review(&request).await?;
            if ctx.json {
                return ctx.print(&result);
            }
            outln!("{}", result.message.as_deref().unwrap_or(result.outcome.as_str()));
            if let Some(id) = &result.request_id {
                outln!("request id: {id}");
            }
            return Ok(());
        }
    };
    let report = BugbotClient::new(ctx.client.clone()).update_many(updates, DEFAULT_CONCURRENCY).await;
    let outcomes: Vec<Outcome> = report
        .outcomes
        .iter()
        .map(|o| Outcome {
            repo_url: o.update.repo_url().to_owned(),
            enabled: o.update.enabled(),
            ok: o.result.is_ok(),
            error: o.result.as_ref().err().map(ToString::to_string),
        })
        .collect();
    if ctx.json {
        ctx.print(&outcomes)?;
    } else {
        let mut table = Table::new(["REPOSITORY", "OUTCOME"]);
        for outcome in &outcomes {
            let text = match (&outcome.error, outcome.enabled) {
                (Some(error), _) => format!("failed: {error}"),
                (None, true) => "enabled".to_owned(),
                (None, false) => "disabled".to_owned(),
            };
            table.row([outcome.repo_url.clone(), text]);
        }
        table.print("no repositories")?;
    }
    let failed = outcomes.iter().filter(|o| !o.ok).count();
    if failed > 0 {
        anyhow::bail!("{failed} of {} repositories could not be updated", outcomes.len());
    }
    Ok(())
}
