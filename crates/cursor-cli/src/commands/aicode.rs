//! AI Code Tracking commands: commits and changes in every output mode, or the API's own CSV
//! export streamed to a file (written whole or not at all) or to stdout (`--csv -`).

use std::io::Write as _;

use anyhow::Context as _;
use cursor_aicode::{AiCodeClient, AiCodeQuery, ExportQuery, UserRef};
use serde_json::Value;
use tokio::io::AsyncReadExt as _;

use super::{Ctx, UsageError, read_pages};
use crate::cli::{AiCodeArgs, AiCodeKind};
use crate::output::Table;
use crate::output::file::Destination;
use crate::output::list::{Kind, Listing, col};

/// AI-attributed commits.
static COMMITS: Listing = Listing {
    items_key: "items",
    columns: &[
        col("COMMIT", "/commitHash", Kind::Computed(short_hash)),
        col("USER", "/userEmail", Kind::Text),
        col("REPO", "/repoName", Kind::Text),
        col("BRANCH", "/branchName", Kind::Text),
        col("ADDED", "/totalLinesAdded", Kind::Count),
        col("TAB", "/tabLinesAdded", Kind::Count),
        col("COMPOSER", "/composerLinesAdded", Kind::Count),
        col("NON-AI", "/nonAiLinesAdded", Kind::Count),
        col("AT", "/commitTs", Kind::Text),
    ],
    total_path: Some("/totalCount"),
    page_only: &["page", "pageSize"],
    totals: true,
    empty: "no commits",
};

/// AI code changes (Tab and Composer).
static CHANGES: Listing = Listing {
    items_key: "items",
    columns: &[
        col("CHANGE", "/changeId", Kind::Text),
        col("USER", "/userEmail", Kind::Text),
        col("SOURCE", "/source", Kind::Text),
        col("MODEL", "/model", Kind::Text),
        col("ADDED", "/totalLinesAdded", Kind::Count),
        col("DELETED", "/totalLinesDeleted", Kind::Count),
        col("AT", "/createdAt", Kind::Text),
    ],
    total_path: Some("/totalCount"),
    page_only: &["page", "pageSize"],
    totals: true,
    empty: "no changes",
};

/// The first 10 characters of a commit hash in tables; the whole hash in CSV would be nicer,
/// but one column serves both, and 10 characters are unique in practice.
fn short_hash(commit: &Value) -> String {
    commit["commitHash"].as_str().unwrap_or_default().chars().take(10).collect()
}

/// `ai-code commits|changes`.
pub(crate) async fn run(ctx: &Ctx, kind: AiCodeKind, args: AiCodeArgs) -> anyhow::Result<()> {
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
        // Opened first: a path that cannot be written fails before any request.
        let out = Destination::open(path).with_context(|| format!("could not create {}", path.display()))?;
        let body = match kind {
            AiCodeKind::Commits => aicode.commits_csv(&filter).await?,
            AiCodeKind::Changes => aicode.changes_csv(&filter).await?,
        };
        let bytes = write_csv(ctx, body, out).await.with_context(|| format!("writing {}", path.display()))?;
        if path.as_os_str() != "-" {
            if ctx.json {
                return ctx.print(&serde_json::json!({ "file": path, "bytes": bytes }));
            }
            eprintln!("wrote {bytes} bytes to {}", path.display());
        }
        return Ok(());
    }
    let page_size = args.paging.page_size.unwrap_or(cursor_aicode::MAX_PAGE_SIZE);
    let query = AiCodeQuery::from(filter).page_size(page_size);
    let (listing, commits) = match kind {
        AiCodeKind::Commits => (&COMMITS, true),
        AiCodeKind::Changes => (&CHANGES, false),
    };
    let out = ctx.list(listing, &args.paging);
    if commits {
        read_pages(out, &args.paging, |page| {
            let query = query.clone().page(page);
            let aicode = aicode.clone();
            async move { aicode.commits_page(&query).await }
        })
        .await
    } else {
        read_pages(out, &args.paging, |page| {
            let query = query.clone().page(page);
            let aicode = aicode.clone();
            async move { aicode.changes_page(&query).await }
        })
        .await
    }
}

fn number(n: Option<u64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// Streams a CSV body to `out` as it arrives (the byte count on the progress line), and
/// completes it (a file is renamed into place only now).
async fn write_csv(ctx: &Ctx, body: cursor_core::ByteStream, mut out: Destination) -> anyhow::Result<u64> {
    let mut reader = body.into_async_read();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut written = 0u64;
    loop {
        let n = reader.read(&mut buffer).await.context("reading the CSV export")?;
        if n == 0 {
            break;
        }
        ctx.ui.suspend(|| out.write_all(&buffer[..n]).and_then(|()| out.flush()))?;
        written += n as u64;
        ctx.ui.waiting(Some(format!("{written} bytes written")));
    }
    ctx.ui.finish();
    out.finish()?;
    Ok(written)
}

/// `ai-code lookup <hash>... [--branch]`: the commits recorded under these hashes.
pub(crate) async fn lookup(ctx: &Ctx, hashes: Vec<String>, branch: Option<String>) -> anyhow::Result<()> {
    let found = AiCodeClient::new(ctx.client.clone()).commits_by_hash(hashes, branch.as_deref()).await?;
    if ctx.json {
        return ctx.print(&found);
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
