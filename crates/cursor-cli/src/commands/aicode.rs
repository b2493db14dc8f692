//! AI Code Tracking commands: commits and changes as tables, JSON, or a streamed CSV export.

use std::io::IsTerminal as _;
use std::path::Path;

use anyhow::Context as _;
use cursor_aicode::{AiCodeClient, AiCodeQuery, ExportQuery, UserRef};
use futures_util::{StreamExt as _, TryStreamExt as _};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::{Ctx, UsageError};
use crate::cli::{AiCodeArgs, AiCodeKind};
use crate::output::{Table, print_json};

/// `ai-code commits|changes`.
pub(crate) async fn run(ctx: &Ctx, args: AiCodeArgs) -> anyhow::Result<()> {
    let aicode = AiCodeClient::new(ctx.client.clone());
    let mut filter = ExportQuery::new();
    if let Some(start) = args.start {
        filter = filter.start_date(start);
    }
    if let Some(end) = args.end {
        filter = filter.end_date(end);
    }
    if let Some(user) = &args.user {
        let user: UserRef = user.parse().map_err(|e| UsageError(format!("--user: {e}")))?;
        filter = filter.user(user);
    }
    if let Some(path) = &args.csv {
        let body = match args.kind {
            AiCodeKind::Commits => aicode.commits_csv(&filter).await?,
            AiCodeKind::Changes => aicode.changes_csv(&filter).await?,
        };
        let bytes = write_csv(body, path).await?;
        if ctx.json {
            return print_json(&serde_json::json!({ "file": path, "bytes": bytes }));
        }
        eprintln!("wrote {bytes} bytes to {}", path.display());
        return Ok(());
    }
    let query = AiCodeQuery { filter, ..AiCodeQuery::default() }.page_size(cursor_aicode::MAX_PAGE_SIZE);
    let limit = if args.limit == 0 { usize::MAX } else { args.limit };
    match args.kind {
        AiCodeKind::Commits => {
            let commits: Vec<_> = aicode.commits(&query).take(limit).try_collect().await?;
            if ctx.json {
                return print_json(&commits);
            }
            let mut table =
                Table::new(["COMMIT", "USER", "REPO", "BRANCH", "ADDED", "TAB", "COMPOSER", "NON-AI", "AT"]);
            for c in &commits {
                let hash = c.commit_hash.as_deref().unwrap_or_default();
                table.row([
                    hash.chars().take(10).collect(),
                    c.user_email.clone().unwrap_or_default(),
                    c.repo_name.clone().unwrap_or_default(),
                    c.branch_name.clone().unwrap_or_default(),
                    number(c.total_lines_added),
                    number(c.tab_lines_added),
                    number(c.composer_lines_added),
                    number(c.non_ai_lines_added),
                    c.commit_ts.clone().unwrap_or_default(),
                ]);
            }
            table.print("no commits")?;
        }
        AiCodeKind::Changes => {
            let changes: Vec<_> = aicode.changes(&query).take(limit).try_collect().await?;
            if ctx.json {
                return print_json(&changes);
            }
            let mut table = Table::new(["CHANGE", "USER", "SOURCE", "MODEL", "ADDED", "DELETED", "AT"]);
            for c in &changes {
                table.row([
                    c.change_id.clone().unwrap_or_default(),
                    c.user_email.clone().unwrap_or_default(),
                    c.source.as_ref().map(ToString::to_string).unwrap_or_default(),
                    c.model.clone().unwrap_or_default(),
                    number(c.total_lines_added),
                    number(c.total_lines_deleted),
                    c.created_at.clone().unwrap_or_default(),
                ]);
            }
            table.print("no changes")?;
        }
    }
    Ok(())
}

fn number(n: Option<u64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// Streams a CSV body to `path`, with a byte-count progress bar on stderr when it is a terminal.
async fn write_csv(body: cursor_core::ByteStream, path: &Path) -> anyhow::Result<u64> {
    let mut file =
        tokio::fs::File::create(path).await.with_context(|| format!("could not create {}", path.display()))?;
    let target =
        if std::io::stderr().is_terminal() { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() };
    let bar = ProgressBar::with_draw_target(None, target);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {bytes} written ({binary_bytes_per_sec}) {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let mut reader = body.into_async_read();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut written = 0u64;
    loop {
        let n = reader.read(&mut buffer).await.context("reading the CSV export")?;
        if n == 0 {
            break;
        }
        file.write_all(&buffer[..n]).await.with_context(|| format!("writing {}", path.display()))?;
        written += n as u64;
        bar.set_position(written);
    }
    file.flush().await.with_context(|| format!("writing {}", path.display()))?;
    bar.finish_and_clear();
    Ok(written)
}

/// `ai-code-lookup <hash>... [--branch]`: the commits recorded under these hashes.
pub(crate) async fn lookup(ctx: &Ctx, hashes: Vec<String>, branch: Option<String>) -> anyhow::Result<()> {
    let found = AiCodeClient::new(ctx.client.clone()).commits_by_hash(hashes, branch.as_deref()).await?;
    if ctx.json {
        return print_json(&found);
    }
    let mut table = Table::new(["COMMIT", "USER", "REPO", "BRANCH", "SOURCE", "ADDED", "TAB", "COMPOSER"]);
    for c in &found.items {
        table.row([
            c.commit_hash.clone().unwrap_or_default(),
            c.user_email.clone().unwrap_or_default(),
            c.repo_name.clone().unwrap_or_default(),
            c.branch_name.clone().unwrap_or_default(),
            c.commit_source.as_ref().map(ToString::to_string).unwrap_or_default(),
            number(c.total_lines_added),
            number(c.tab_lines_added),
            number(c.composer_lines_added),
        ]);
    }
    table.print("no commits with these hashes")?;
    if let Some(missing) = found.not_found.as_ref().filter(|m| !m.is_empty()) {
        eprintln!("not found: {}", missing.join(", "));
    }
    Ok(())
}
