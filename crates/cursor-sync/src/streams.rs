//! The streams: what each reads from the API, how its rows and identities are built, and the
//! batches it writes. Ranged streams read `[watermark − window, now]` in chunks, oldest
//! first, and commit each chunk with its watermark; snapshots are one batch.

use std::future::Future;

use cursor_admin::{AdminClient, AuditLogQuery, SpendQuery, UsageEvent, UsageEventsQuery};
use cursor_agents::{AgentsClient, AgentsQuery};
use cursor_aicode::{AiCodeClient, AiCodeQuery};
use cursor_analytics::{AnalyticsClient, AnalyticsQuery};
use cursor_core::time::{Date, OffsetDateTime, format_description::well_known::Rfc3339};
use cursor_core::{DateRange, DateSpec, NextPage, Page};
use futures_util::TryStreamExt as _;
use serde::Serialize;

use crate::fleet::Lease;
use crate::store::{Counts, Store, Value};
use crate::{Error, StreamKind, SyncOptions};

const DAY_MS: i64 = 86_400_000;

/// What one stream did in one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) counts: Counts,
    pub(crate) requests: u64,
    pub(crate) batches: u64,
}

/// One team's clients and where the run stands.
pub(crate) struct TeamCtx<'a> {
    pub(crate) store: &'a Store,
    pub(crate) team: &'a str,
    pub(crate) admin: AdminClient,
    pub(crate) analytics: AnalyticsClient,
    pub(crate) aicode: AiCodeClient,
    pub(crate) agents: AgentsClient,
    /// The team's client itself, whose `ETag` answers the Analytics stream saves between runs.
    pub(crate) client: cursor_core::Client,
    /// The end of every range read in this run (the client's clock when the run started).
    pub(crate) now_ms: i64,
    pub(crate) options: &'a SyncOptions,
    /// The fleet lease every batch of this run is guarded by (none for a single process).
    pub(crate) lease: Option<&'a Lease>,
}

impl TeamCtx<'_> {
    fn progress(&self, kind: StreamKind, done: usize, of: usize, tally: &Tally) {
        if self.options.progress {
            let c = tally.counts;
            eprintln!(
                "{}/{}: batch {done}/{of}, {} new, {} updated, {} unchanged, {} requests",
                self.team,
                kind.name(),
                c.inserted,
                c.updated,
                c.unchanged,
                tally.requests
            );
        }
    }

    async fn write(
        &self,
        kind: StreamKind,
        rows: Vec<Vec<Value>>,
        watermark: i64,
        tally: &mut Tally,
    ) -> Result<(), Error> {
        let counts = self.store.write_batch(self.team, kind.name(), kind.table(), rows, watermark, self.lease).await?;
        tally.counts.add(counts);
        tally.batches += 1;
        Ok(())
    }
}

/// Runs one stream to the end. The Analytics stream starts from the `ETag` answers the last
/// run saved, so an unchanged metric is a `304` that costs no budget, and saves them again.
pub(crate) async fn run(ctx: &TeamCtx<'_>, kind: StreamKind, tally: &mut Tally) -> Result<(), Error> {
    let revalidates = kind == StreamKind::AnalyticsTeam;
    if revalidates {
        ctx.client.restore_cached_answers(ctx.store.etags(ctx.team).await?);
    }
    run_batches(ctx, kind, tally).await?;
    if revalidates {
        ctx.store.save_etags(ctx.team, &ctx.client.cached_answers()).await?;
    }
    Ok(())
}

async fn run_batches(ctx: &TeamCtx<'_>, kind: StreamKind, tally: &mut Tally) -> Result<(), Error> {
    match kind {
        StreamKind::Members => {
            let rows = members(ctx, tally).await?;
            ctx.write(kind, rows, ctx.now_ms, tally).await?;
            ctx.progress(kind, 1, 1, tally);
        }
        StreamKind::Spend => {
            let rows = spend(ctx, tally).await?;
            ctx.write(kind, rows, ctx.now_ms, tally).await?;
            ctx.progress(kind, 1, 1, tally);
        }
        StreamKind::Agents => {
            let rows = agents(ctx, tally).await?;
            ctx.write(kind, rows, ctx.now_ms, tally).await?;
            ctx.progress(kind, 1, 1, tally);
        }
        _ => {
            let watermark = ctx.store.watermark(ctx.team, kind.name()).await?;
            let chunks = plan(ctx.now_ms, watermark, ctx.options, kind);
            for (i, &(start, end)) in chunks.iter().enumerate() {
                let rows = fetch_chunk(ctx, kind, start, end, tally).await?;
                ctx.write(kind, rows, end, tally).await?;
                ctx.progress(kind, i + 1, chunks.len(), tally);
            }
        }
    }
    Ok(())
}

/// The chunks `[start, end]` (inclusive epoch ms, each starting where the last ended) a
/// ranged stream reads this run: from `watermark − window` (or `now − backfill` on the first
/// run) up to `now`, oldest first. Each chunk fits the endpoint's longest range.
pub(crate) fn plan(now_ms: i64, watermark: Option<i64>, options: &SyncOptions, kind: StreamKind) -> Vec<(i64, i64)> {
    let window = i64::from(kind.window_days(options)) * DAY_MS;
    let start = match watermark {
        Some(mark) => mark - window,
        None => now_ms - i64::from(options.backfill_days) * DAY_MS,
    }
    .min(now_ms);
    let chunk = i64::from(kind.chunk_days()) * DAY_MS;
    let mut chunks = Vec::new();
    let mut from = start;
    loop {
        let to = (from + chunk).min(now_ms);
        chunks.push((from, to));
        if to >= now_ms {
            return chunks;
        }
        from = to;
    }
}

fn instant(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn date_of(ms: i64) -> Date {
    instant(ms).date()
}

fn iso_day(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

fn parse_ms(text: Option<&str>) -> Option<i64> {
    let parsed = OffsetDateTime::parse(text?, &Rfc3339).ok()?;
    i64::try_from(parsed.unix_timestamp_nanos() / 1_000_000).ok()
}

fn raw<T: Serialize>(item: &T) -> Result<String, Error> {
    Ok(serde_json::to_string(item)?)
}

/// Reads every page of a page-numbered endpoint, counting requests.
async fn all_pages<P, F, Fut>(tally: &mut Tally, mut get: F) -> Result<Vec<P::Item>, Error>
where
    P: Page,
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = cursor_core::Result<P>>,
{
    let mut items = Vec::new();
    let mut page = 1;
    loop {
        let answer = get(page).await?;
        tally.requests += 1;
        let next = answer.next_page(page);
        items.extend(answer.into_items());
        match next {
            NextPage::Number(n) if n > page => page = n,
            NextPage::Inconsistent(message) => return Err(Error::Inconsistent(message)),
            _ => return Ok(items),
        }
    }
}

async fn fetch_chunk(
    ctx: &TeamCtx<'_>,
    kind: StreamKind,
    start: i64,
    end: i64,
    tally: &mut Tally,
) -> Result<Vec<Vec<Value>>, Error> {
    let range = DateRange::new(DateSpec::Instant(instant(start)), DateSpec::Instant(instant(end)));
    match kind {
        StreamKind::AuditEvents => {
            let base = AuditLogQuery::new().range(range).page_size(AuditLogQuery::MAX_PAGE_SIZE);
            let events = all_pages(tally, |page| {
                let (admin, query) = (ctx.admin.clone(), base.clone().page(page));
                async move { admin.audit_logs_page(&query).await }
            })
            .await?;
            events
                .iter()
                .map(|e| {
                    Ok(vec![
                        e.event_id.clone().into(),
                        e.timestamp.clone().into(),
                        parse_ms(Some(&e.timestamp)).into(),
                        e.user_email.clone().into(),
                        e.event_type.clone().into(),
                        e.event_data.as_ref().map(serde_json::Value::to_string).into(),
                        raw(e)?.into(),
                    ])
                })
                .collect()
        }
        StreamKind::DailyUsage => {
            let range = DateRange::new(DateSpec::EpochMillis(start), DateSpec::EpochMillis(end));
            let usage = ctx.admin.daily_usage(&range).await?;
            tally.requests += 1;
            usage.data.iter().map(daily_usage_row).collect()
        }
        StreamKind::UsageEvents => {
            let range = DateRange::new(DateSpec::EpochMillis(start), DateSpec::EpochMillis(end));
            let base = UsageEventsQuery::new().range(range).page_size(USAGE_EVENTS_PAGE_SIZE);
            let events = all_pages(tally, |page| {
                let (admin, query) = (ctx.admin.clone(), base.clone().page(page));
                async move { admin.usage_events_page(&query).await }
            })
            .await?;
            usage_event_rows(events)
        }
        StreamKind::AicodeCommits => {
            let query = AiCodeQuery::new().range(range).page_size(cursor_aicode::MAX_PAGE_SIZE);
            let mut pages = ctx.aicode.commits_pages(&query);
            let mut rows = Vec::new();
            while let Some(page) = pages.try_next().await? {
                tally.requests += 1;
                for c in &page.items {
                    rows.push(vec![
                        c.commit_hash.clone().unwrap_or_default().into(),
                        c.created_at.clone().unwrap_or_default().into(),
                        parse_ms(c.created_at.as_deref()).into(),
                        c.user_id.clone().into(),
                        c.user_email.clone().into(),
                        c.repo_name.clone().into(),
                        c.branch_name.clone().into(),
                        c.is_primary_branch.into(),
                        c.total_lines_added.into(),
                        c.total_lines_deleted.into(),
                        c.tab_lines_added.into(),
                        c.tab_lines_deleted.into(),
                        c.composer_lines_added.into(),
                        c.composer_lines_deleted.into(),
                        c.non_ai_lines_added.into(),
                        c.non_ai_lines_deleted.into(),
                        c.message.clone().into(),
                        c.commit_ts.clone().into(),
                        raw(c)?.into(),
                    ]);
                }
            }
            Ok(rows)
        }
        StreamKind::AicodeChanges => {
            let query = AiCodeQuery::new().range(range).page_size(cursor_aicode::MAX_PAGE_SIZE);
            let mut pages = ctx.aicode.changes_pages(&query);
            let mut rows = Vec::new();
            while let Some(page) = pages.try_next().await? {
                tally.requests += 1;
                for c in &page.items {
                    let metadata = match &c.metadata {
                        Some(m) => Some(serde_json::to_string(m)?),
                        None => None,
                    };
                    rows.push(vec![
                        c.change_id.clone().unwrap_or_default().into(),
                        c.created_at.clone().into(),
                        parse_ms(c.created_at.as_deref()).into(),
                        c.user_id.clone().into(),
                        c.user_email.clone().into(),
                        c.source.as_ref().map(ToString::to_string).into(),
                        c.model.clone().into(),
                        c.total_lines_added.into(),
                        c.total_lines_deleted.into(),
                        metadata.into(),
                        raw(c)?.into(),
                    ]);
                }
            }
            Ok(rows)
        }
        StreamKind::AnalyticsTeam => analytics_rows(ctx, date_of(start), date_of(end), tally).await,
        StreamKind::Members | StreamKind::Spend | StreamKind::Agents => {
            Err(Error::Config(format!("{} is a snapshot, not read in chunks", kind.name())))
        }
    }
}

/// Usage events asked for per page: the largest the current documents allow (1000), so a
/// chunk costs as few requests of the 60-a-minute budget as the API permits.
const USAGE_EVENTS_PAGE_SIZE: u32 = cursor_admin::UsageEventsQuery::MAX_PAGE_SIZE;

fn daily_usage_row(r: &cursor_admin::DailyUsageRow) -> Result<Vec<Value>, Error> {
    Ok(vec![
        r.date.into(),
        iso_day(date_of(r.date)).into(),
        r.email.clone().unwrap_or_default().into(),
        r.is_active.into(),
        r.total_lines_added.into(),
        r.total_lines_deleted.into(),
        r.accepted_lines_added.into(),
        r.accepted_lines_deleted.into(),
        r.total_applies.into(),
        r.total_accepts.into(),
        r.total_rejects.into(),
        r.total_tabs_shown.into(),
        r.total_tabs_accepted.into(),
        r.composer_requests.into(),
        r.chat_requests.into(),
        r.agent_requests.into(),
        r.cmdk_usages.into(),
        r.subscription_included_reqs.into(),
        r.api_key_reqs.into(),
        r.usage_based_reqs.into(),
        r.bugbot_usages.into(),
        r.most_used_model.clone().into(),
        r.client_version.clone().into(),
        raw(r)?.into(),
    ])
}

/// The identity of a usage event: what the API sends that never changes for it. Its cost
/// (`tokenUsage`, `cursorTokenFee`, `requestsCosts`) may be restated, so it is left out.
type EventIdentity = (i64, String, String, String);

fn event_identity(e: &UsageEvent) -> EventIdentity {
    (e.timestamp_millis().unwrap_or(0), e.user_email.clone(), e.model.clone(), e.kind().unwrap_or_default().to_owned())
}

/// Rows of usage events with their `seq`: events that share an identity (same millisecond,
/// user, model and kind) are numbered 0, 1, … in the order of their JSON text, so the
/// numbering depends only on the group's contents, never on the server's order. A group
/// always lies within one chunk (chunks overlap at their boundary millisecond), so it is
/// always numbered whole.
pub(crate) fn usage_event_rows(events: Vec<UsageEvent>) -> Result<Vec<Vec<Value>>, Error> {
    let mut keyed: Vec<(EventIdentity, String, UsageEvent)> =
        events.into_iter().map(|e| Ok((event_identity(&e), raw(&e)?, e))).collect::<Result<_, Error>>()?;
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let mut rows = Vec::with_capacity(keyed.len());
    let mut seq = 0i64;
    for (i, (identity, raw_json, e)) in keyed.iter().enumerate() {
        seq = if i > 0 && keyed[i - 1].0 == *identity { seq + 1 } else { 0 };
        let tokens = e.token_usage.as_ref();
        rows.push(vec![
            identity.0.into(),
            identity.1.clone().into(),
            identity.2.clone().into(),
            identity.3.clone().into(),
            seq.into(),
            e.max_mode.into(),
            e.requests_costs.into(),
            e.is_token_based_call.into(),
            tokens.and_then(|t| t.input_tokens).into(),
            tokens.and_then(|t| t.output_tokens).into(),
            tokens.and_then(|t| t.cache_write_tokens).into(),
            tokens.and_then(|t| t.cache_read_tokens).into(),
            tokens.map(|t| t.total_cents).into(),
            e.cursor_token_fee.into(),
            e.dashboard_cents().into(),
            e.is_free_bugbot.into(),
            raw_json.clone().into(),
        ]);
    }
    Ok(rows)
}

async fn members(ctx: &TeamCtx<'_>, tally: &mut Tally) -> Result<Vec<Vec<Value>>, Error> {
    let members = ctx.admin.members().await?;
    tally.requests += 1;
    members
        .team_members
        .iter()
        .map(|m| Ok(vec![m.email.clone().into(), m.name.clone().into(), m.role.to_string().into(), raw(m)?.into()]))
        .collect()
}

async fn spend(ctx: &TeamCtx<'_>, tally: &mut Tally) -> Result<Vec<Vec<Value>>, Error> {
    // Pages are read by hand to keep each page's `subscriptionCycleStart`.
    let mut rows = Vec::new();
    let mut page = 1;
    loop {
        let answer =
            ctx.admin.spend_page(&SpendQuery::new().page(page).page_size(cursor_admin::STREAM_PAGE_SIZE)).await?;
        tally.requests += 1;
        let cycle = answer.subscription_cycle_start;
        let next = answer.next_page(page);
        for m in &answer.team_member_spend {
            // Read through JSON: the live API sends fractional `spendCents`, whatever
            // integer or float type the model holds it in.
            let json = serde_json::to_value(m)?;
            let cents = json.get("spendCents").and_then(serde_json::Value::as_f64).unwrap_or(0.0);
            rows.push(vec![
                cycle.into(),
                m.email.clone().into(),
                m.name.clone().into(),
                m.role.to_string().into(),
                cents.into(),
                json.get("fastPremiumRequests").and_then(serde_json::Value::as_i64).into(),
                json.get("hardLimitOverrideDollars").and_then(serde_json::Value::as_i64).into(),
                json.to_string().into(),
            ]);
        }
        match next {
            NextPage::Number(n) if n > page => page = n,
            NextPage::Inconsistent(message) => return Err(Error::Inconsistent(message)),
            _ => return Ok(rows),
        }
    }
}

async fn agents(ctx: &TeamCtx<'_>, tally: &mut Tally) -> Result<Vec<Vec<Value>>, Error> {
    let mut rows = Vec::new();
    let mut params = AgentsQuery::new().page_size(100);
    let mut seen_cursors = std::collections::HashSet::new();
    loop {
        let page = ctx.agents.list_page(&params).await?;
        tally.requests += 1;
        for a in &page.agents {
            rows.push(vec![
                a.id.clone().into(),
                a.name.clone().into(),
                a.status.to_string().into(),
                a.source.repository.clone().into(),
                a.source.git_ref.clone().into(),
                a.target.branch_name.clone().into(),
                a.target.url.clone().into(),
                a.target.pr_url.clone().into(),
                a.summary.clone().into(),
                a.created_at.clone().into(),
                raw(a)?.into(),
            ]);
        }
        match page.next_cursor {
            Some(cursor) if !cursor.is_empty() => {
                if !seen_cursors.insert(cursor.clone()) {
                    return Err(Error::Inconsistent(format!("the agents list repeated cursor {cursor}")));
                }
                params = params.cursor(cursor);
            }
            _ => return Ok(rows),
        }
    }
}

/// One analytics row: its day, the dimension that tells rows of one day apart (`""` for
/// metrics with one row a day) and its JSON.
fn metric_rows<R: Serialize>(
    metric: &str,
    data: &[R],
    key: impl Fn(&R) -> (Option<String>, String),
) -> Result<Vec<Vec<Value>>, Error> {
    data.iter()
        .map(|row| {
            let (day, dimension) = key(row);
            Ok(vec![metric.into(), day.unwrap_or_default().into(), dimension.into(), raw(row)?.into()])
        })
        .collect()
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

async fn analytics_rows(ctx: &TeamCtx<'_>, from: Date, to: Date, tally: &mut Tally) -> Result<Vec<Vec<Value>>, Error> {
    let a = &ctx.analytics;
    let q = AnalyticsQuery::new().dates(DateSpec::Date(from), DateSpec::Date(to));
    let mut rows = Vec::new();
    rows.extend(metric_rows("agent_edits", &a.agent_edits(&q).await?.data, |r| (r.event_date.clone(), String::new()))?);
    rows.extend(metric_rows("tabs", &a.tabs(&q).await?.data, |r| (r.event_date.clone(), String::new()))?);
    rows.extend(metric_rows("dau", &a.dau(&q).await?.data, |r| (r.date.clone(), String::new()))?);
    rows.extend(metric_rows("client_versions", &a.client_versions(&q).await?.data, |r| {
        (r.event_date.clone(), text(&r.client_version))
    })?);
    rows.extend(metric_rows("models", &a.models(&q).await?.data, |r| (r.date.clone(), String::new()))?);
    rows.extend(metric_rows("top_file_extensions", &a.top_file_extensions(&q).await?.data, |r| {
        (r.event_date.clone(), text(&r.file_extension))
    })?);
    rows.extend(metric_rows("mcp", &a.mcp(&q).await?.data, |r| {
        (r.event_date.clone(), format!("{}/{}", text(&r.mcp_server_name), text(&r.tool_name)))
    })?);
    rows.extend(metric_rows("commands", &a.commands(&q).await?.data, |r| {
        (r.event_date.clone(), text(&r.command_name))
    })?);
    rows.extend(metric_rows("plans", &a.plans(&q).await?.data, |r| (r.event_date.clone(), text(&r.model)))?);
    rows.extend(metric_rows("ask_mode", &a.ask_mode(&q).await?.data, |r| (r.event_date.clone(), text(&r.model)))?);
    tally.requests += 10;
    Ok(rows)
}

/// The table each stream writes.
pub(crate) mod tables {
    use crate::store::Table;

    /// `members`.
    pub(crate) const MEMBERS: Table =
        Table { name: "members", key: &["email"], columns: &["email", "name", "role", "raw"] };
    /// `audit_events`.
    pub(crate) const AUDIT_EVENTS: Table = Table {
        name: "audit_events",
        key: &["event_id"],
        columns: &["event_id", "timestamp", "timestamp_ms", "user_email", "event_type", "event_data", "raw"],
    };
    /// `daily_usage`.
    pub(crate) const DAILY_USAGE: Table = Table {
        name: "daily_usage",
        key: &["date_ms", "email"],
        columns: &[
            "date_ms",
            "day",
            "email",
            "is_active",
            "total_lines_added",
            "total_lines_deleted",
            "accepted_lines_added",
            "accepted_lines_deleted",
            "total_applies",
            "total_accepts",
            "total_rejects",
            "total_tabs_shown",
            "total_tabs_accepted",
            "composer_requests",
            "chat_requests",
            "agent_requests",
            "cmdk_usages",
            "subscription_included_reqs",
            "api_key_reqs",
            "usage_based_reqs",
            "bugbot_usages",
            "most_used_model",
            "client_version",
            "raw",
        ],
    };
    /// `spend`.
    pub(crate) const SPEND: Table = Table {
        name: "spend",
        key: &["cycle_start_ms", "email"],
        columns: &[
            "cycle_start_ms",
            "email",
            "name",
            "role",
            "spend_cents",
            "fast_premium_requests",
            "hard_limit_override_dollars",
            "raw",
        ],
    };
    /// `usage_events`.
    pub(crate) const USAGE_EVENTS: Table = Table {
        name: "usage_events",
        key: &["timestamp_ms", "user_email", "model", "kind", "seq"],
        columns: &[
            "timestamp_ms",
            "user_email",
            "model",
            "kind",
            "seq",
            "max_mode",
            "requests_costs",
            "is_token_based_call",
            "input_tokens",
            "output_tokens",
            "cache_write_tokens",
            "cache_read_tokens",
            "total_cents",
            "cursor_token_fee",
            "dashboard_cents",
            "is_free_bugbot",
            "raw",
        ],
    };
    /// `aicode_commits`.
    pub(crate) const AICODE_COMMITS: Table = Table {
        name: "aicode_commits",
        key: &["commit_hash", "created_at"],
        columns: &[
            "commit_hash",
            "created_at",
            "created_at_ms",
            "user_id",
            "user_email",
            "repo_name",
            "branch_name",
            "is_primary_branch",
            "total_lines_added",
            "total_lines_deleted",
            "tab_lines_added",
            "tab_lines_deleted",
            "composer_lines_added",
            "composer_lines_deleted",
            "non_ai_lines_added",
            "non_ai_lines_deleted",
            "message",
            "commit_ts",
            "raw",
        ],
    };
    /// `aicode_changes`.
    pub(crate) const AICODE_CHANGES: Table = Table {
        name: "aicode_changes",
        key: &["change_id"],
        columns: &[
            "change_id",
            "created_at",
            "created_at_ms",
            "user_id",
            "user_email",
            "source",
            "model",
            "total_lines_added",
            "total_lines_deleted",
            "metadata",
            "raw",
        ],
    };
    /// `analytics_team`.
    pub(crate) const ANALYTICS_TEAM: Table = Table {
        name: "analytics_team",
        key: &["metric", "day", "dimension"],
        columns: &["metric", "day", "dimension", "raw"],
    };
    /// `agents`.
    pub(crate) const AGENTS: Table = Table {
        name: "agents",
        key: &["id"],
        columns: &[
            "id",
            "name",
            "status",
            "repository",
            "git_ref",
            "branch_name",
            "url",
            "pr_url",
            "summary",
            "created_at",
            "raw",
        ],
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(ts: &str, cents: f64) -> UsageEvent {
        serde_json::from_value(serde_json::json!({
            "timestamp": ts, "model": "m", "kind": "Usage-based", "maxMode": false, "requestsCosts": 1,
            "isTokenBasedCall": true, "tokenUsage": {"totalCents": cents}, "isFreeBugbot": false,
            "userEmail": "a@b.c"
        }))
        .unwrap()
    }

    fn keys(rows: &[Vec<Value>]) -> Vec<(Value, Value)> {
        rows.iter().map(|r| (r[0].clone(), r[4].clone())).collect()
    }

    #[test]
    fn exact_duplicates_get_consecutive_seqs_whatever_the_server_order() {
        let one = usage_event_rows(vec![event("5", 1.0), event("5", 2.0), event("6", 1.0)]).unwrap();
        let other = usage_event_rows(vec![event("6", 1.0), event("5", 2.0), event("5", 1.0)]).unwrap();
        assert_eq!(
            keys(&one),
            vec![(5i64.into(), 0i64.into()), (5i64.into(), 1i64.into()), (6i64.into(), 0i64.into())]
        );
        assert_eq!(one, other);
    }

    #[test]
    fn a_restated_cost_keeps_the_identity() {
        let before = usage_event_rows(vec![event("5", 1.0)]).unwrap();
        let after = usage_event_rows(vec![event("5", 1.5)]).unwrap();
        assert_eq!(before[0][..5], after[0][..5]);
        assert_ne!(before[0].last(), after[0].last());
    }

    #[test]
    fn chunks_cover_the_range_from_the_watermark_minus_the_window_and_meet_end_to_start() {
        let options = SyncOptions::default();
        let now = 100 * DAY_MS;
        let chunks = plan(now, Some(now - DAY_MS), &options, StreamKind::UsageEvents);
        assert_eq!(chunks, vec![(now - 4 * DAY_MS, now)]);
        let chunks = plan(now, None, &options, StreamKind::UsageEvents);
        assert_eq!(chunks.first().unwrap().0, now - i64::from(options.backfill_days) * DAY_MS);
        assert_eq!(chunks.last().unwrap().1, now);
        assert!(chunks.windows(2).all(|w| w[0].1 == w[1].0));
        assert!(chunks.iter().all(|(s, e)| e - s <= 7 * DAY_MS));
        // A watermark at now still reads the trailing window.
        assert_eq!(plan(now, Some(now), &options, StreamKind::DailyUsage), vec![(now - 3 * DAY_MS, now)]);
    }
}
