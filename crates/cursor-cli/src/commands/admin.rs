//! Admin API commands: members, audit logs, daily usage, spend, usage events, spend limits,
//! member removal and model access.

use std::collections::BTreeMap;

use cursor_admin::{
    AdminClient, AuditLogQuery, DailyUsageRow, GroupResponse, GroupUpdate, HostingType, RepoPatterns, SortDirection,
    SpendQuery, SpendSortBy, UsageEvent, UsageEventsQuery,
};
use serde::Serialize;
use serde_json::Value;

use super::{Ctx, UsageError, read_items, read_pages};
use crate::cli::{
    AuditLogsArgs, BlocklistsAction, Format, GroupsAction, ModelAccessAction, PageArgs, RangeArgs, SortBy, SpendArgs,
    SpendLimitAction, UsageEventsArgs,
};
use crate::output::list::{Kind, Listing, col};
use crate::output::{Table, day_of_millis, dollars, outln};

fn admin(ctx: &Ctx) -> AdminClient {
    AdminClient::new(ctx.client.clone())
}

/// Team members, key columns first.
static MEMBERS: Listing = Listing {
    items_key: "teamMembers",
    columns: &[
        col("EMAIL", "/email", Kind::Text),
        col("NAME", "/name", Kind::Text),
        col("ROLE", "/role", Kind::Text),
        col("REMOVED", "/isRemoved", Kind::Text),
        col("ID", "/id", Kind::Text),
    ],
    total_path: None,
    page_only: &[],
    totals: false,
    empty: "no members",
};

/// `members`: name, email and role of every member (one answer, no pages).
pub(crate) async fn members(ctx: &Ctx, paging: &PageArgs) -> anyhow::Result<()> {
    let members = admin(ctx).members().await?;
    ctx.list(&MEMBERS, paging).whole(serde_json::to_value(&members)?)
}

/// Audit-log events, newest first.
static AUDIT_LOGS: Listing = Listing {
    items_key: "events",
    columns: &[
        col("TIMESTAMP", "/timestamp", Kind::Text),
        col("USER", "/userEmail", Kind::Text),
        col("EVENT", "/eventType", Kind::Text),
        col("EVENT ID", "/eventId", Kind::Text),
    ],
    total_path: Some("/pagination/totalCount"),
    page_only: &["pagination"],
    totals: false,
    empty: "no events",
};

/// `audit-logs`: every matching event of the range, across pages and 30-day windows (or one
/// page with `--page`), printed as the pages arrive.
pub(crate) async fn audit_logs(ctx: &Ctx, args: AuditLogsArgs) -> anyhow::Result<()> {
    let mut query = AuditLogQuery::new().range(args.range.range(7));
    if !args.event_types.is_empty() {
        query = query.event_types(args.event_types);
    }
    if !args.users.is_empty() {
        query = query.users(args.users);
    }
    if let Some(search) = args.search {
        query = query.search(search);
    }
    if let Some(size) = args.paging.page_size {
        query = query.page_size(size);
    }
    let out = ctx.list(&AUDIT_LOGS, &args.paging);
    let admin = admin(ctx);
    if args.paging.page.is_some() {
        return read_pages(out, &args.paging, |page| {
            let query = query.clone().page(page);
            let admin = admin.clone();
            async move { admin.audit_logs_page(&query).await }
        })
        .await;
    }
    // A range longer than 30 days is read in windows by the SDK's stream.
    read_items(out, admin.audit_logs(&query)).await
}

/// One day of team-wide usage, summed over members.
#[derive(Debug, Default, Clone, Serialize)]
pub(crate) struct DayTotals {
    /// Members active that day.
    pub(crate) active_members: u64,
    /// Lines added (all, AI or not).
    pub(crate) lines_added: u64,
    /// Lines added from accepted AI suggestions.
    pub(crate) accepted_lines_added: u64,
    /// Tab suggestions accepted.
    pub(crate) tabs_accepted: u64,
    /// Composer, chat and agent requests.
    pub(crate) requests: u64,
}

/// Sums daily usage rows per day (`YYYY-MM-DD`, UTC), in date order.
pub(crate) fn totals_per_day(rows: &[DailyUsageRow]) -> BTreeMap<String, DayTotals> {
    let mut days: BTreeMap<String, DayTotals> = BTreeMap::new();
    for row in rows {
        let day = days.entry(day_of_millis(row.date)).or_default();
        day.active_members += u64::from(row.is_active);
        day.lines_added += row.total_lines_added;
        day.accepted_lines_added += row.accepted_lines_added;
        day.tabs_accepted += row.total_tabs_accepted;
        day.requests += row.composer_requests + row.chat_requests + row.agent_requests;
    }
    days
}

/// The per-day totals as a table.
pub(crate) fn day_totals_table(days: &BTreeMap<String, DayTotals>) -> Table {
    let mut table = Table::new(["DATE", "ACTIVE", "LINES ADDED", "ACCEPTED LINES", "TABS ACCEPTED", "REQUESTS"]);
    for (date, day) in days {
        table.row([
            date.clone(),
            day.active_members.to_string(),
            day.lines_added.to_string(),
            day.accepted_lines_added.to_string(),
            day.tabs_accepted.to_string(),
            day.requests.to_string(),
        ]);
    }
    table
}

/// `daily-usage`: team totals per day (`--json`: every member's rows as sent).
pub(crate) async fn daily_usage(ctx: &Ctx, range: RangeArgs) -> anyhow::Result<()> {
    let usage = admin(ctx).daily_usage(&range.range(30)).await?;
    if ctx.json {
        return ctx.print(&usage);
    }
    day_totals_table(&totals_per_day(&usage.data)).print("no usage in this range")?;
    Ok(())
}

/// Members' spend this billing cycle.
static SPEND: Listing = Listing {
    items_key: "teamMemberSpend",
    columns: &[
        col("EMAIL", "/email", Kind::Text),
        col("NAME", "/name", Kind::Text),
        col("SPEND", "/spendCents", Kind::Cents),
        col("FAST PREMIUM REQS", "/fastPremiumRequests", Kind::Count),
        col("OWN LIMIT", "/hardLimitOverrideDollars", Kind::LimitDollars),
        col("EFFECTIVE LIMIT", "/effectivePerUserLimitDollars", Kind::LimitDollars),
        col("ROLE", "/role", Kind::Text),
    ],
    total_path: Some("/totalMembers"),
    page_only: &["totalPages"],
    totals: true,
    empty: "no spend",
};

/// `spend`: every member's spend this cycle, with the cycle's start beside them.
pub(crate) async fn spend(ctx: &Ctx, args: SpendArgs) -> anyhow::Result<()> {
    let mut query = SpendQuery::new();
    if let Some(term) = args.search {
        query = query.search_term(term);
    }
    if let Some(sort) = args.sort_by {
        let (by, direction) = match sort {
            SortBy::Amount => (SpendSortBy::Amount, SortDirection::Desc),
            SortBy::Date => (SpendSortBy::Date, SortDirection::Desc),
            SortBy::User => (SpendSortBy::User, SortDirection::Asc),
        };
        query = query.sort_by(by).sort_direction(direction);
    }
    query = query.page_size(args.paging.page_size.unwrap_or(cursor_admin::STREAM_PAGE_SIZE));
    let admin = admin(ctx);
    read_pages(ctx.list(&SPEND, &args.paging), &args.paging, |page| {
        let query = query.clone().page(page);
        let admin = admin.clone();
        async move { admin.spend_page(&query).await }
    })
    .await
}

/// Usage events, newest first.
static USAGE_EVENTS: Listing = Listing {
    items_key: "usageEvents",
    columns: &[
        col("TIMESTAMP", "/timestamp", Kind::Millis),
        col("USER", "/userEmail", Kind::Text),
        col("MODEL", "/model", Kind::Text),
        col("KIND", "/kind", Kind::Computed(event_kind)),
        col("MAX MODE", "/maxMode", Kind::Text),
        col("COST", "/requestsCosts", Kind::Computed(event_cost)),
    ],
    total_path: Some("/totalUsageEventsCount"),
    page_only: &["pagination"],
    totals: false,
    empty: "no usage events",
};

fn event_kind(event: &Value) -> String {
    event_of(event).and_then(|e| e.kind().map(str::to_owned)).unwrap_or_default()
}

fn event_cost(event: &Value) -> String {
    event_of(event).map(|e| dollars(e.dashboard_cents())).unwrap_or_default()
}

fn event_of(event: &Value) -> Option<UsageEvent> {
    serde_json::from_value(event.clone()).ok()
}

/// `usage-events`: events of the range, newest first as the API sends them, printed as each
/// page arrives.
pub(crate) async fn usage_events(ctx: &Ctx, args: UsageEventsArgs) -> anyhow::Result<()> {
    let mut query = UsageEventsQuery::new().range(args.range.range(7));
    if let Some(email) = args.email {
        query = query.email(email);
    }
    if let Some(id) = args.service_account_id {
        query = query.service_account_id(id);
    }
    if let Some(id) = args.cloud_agent_id {
        query = query.cloud_agent_id(id);
    }
    if let Some(id) = args.automation_id {
        query = query.automation_id(id);
    }
    if let Some(hosting) = args.hosting_type {
        query = query.hosting_type(HostingType::from(hosting.trim().to_ascii_uppercase().as_str()));
    }
    // The most the API allows a page unless asked otherwise: every request counts.
    query = query.page_size(args.paging.page_size.unwrap_or(UsageEventsQuery::MAX_PAGE_SIZE));
    let admin = admin(ctx);
    read_pages(ctx.list(&USAGE_EVENTS, &args.paging), &args.paging, |page| {
        let query = query.clone().page(page);
        let admin = admin.clone();
        async move { admin.usage_events_page(&query).await }
    })
    .await
}

/// `spend-limit set`: sets or clears a member's limit.
pub(crate) async fn spend_limit(ctx: &Ctx, action: SpendLimitAction) -> anyhow::Result<()> {
    let SpendLimitAction::Set { email, dollars, clear } = action;
    let limit = if clear { None } else { dollars };
    let outcome = admin(ctx).set_user_spend_limit(email.as_str(), limit).await?;
    if ctx.json {
        return ctx.print(&outcome);
    }
    match limit {
        Some(dollars) => outln!("spend limit of {email} set to ${dollars}"),
        None => outln!("spend limit of {email} cleared"),
    }
    if let Some(message) = outcome.message {
        outln!("{message}");
    }
    Ok(())
}

/// `remove-member <email|id>`: removes a member; says whether the seat stays billable.
pub(crate) async fn remove_member(ctx: &Ctx, member: &str) -> anyhow::Result<()> {
    let outcome = admin(ctx).remove_member(member).await?;
    if ctx.json {
        return ctx.print(&outcome);
    }
    let id = outcome.user_id.as_ref().map(|id| format!(" ({id})")).unwrap_or_default();
    outln!("removed {member}{id}");
    if outcome.has_billing_cycle_usage == Some(true) {
        outln!("the member used Cursor this billing cycle: the seat stays billable until the cycle ends");
    }
    Ok(())
}

/// Billing groups.
static GROUPS: Listing = Listing {
    items_key: "groups",
    columns: &[
        col("NAME", "/name", Kind::Text),
        col("MEMBERS", "/memberCount", Kind::Count),
        col("SPEND", "/spendCents", Kind::Cents),
        col("TYPE", "/groupType", Kind::Text),
        col("ID", "/id", Kind::Text),
        col("UPDATED", "/updatedAt", Kind::Text),
    ],
    total_path: None,
    page_only: &[],
    totals: true,
    empty: "no groups",
};

/// A group's current members.
static GROUP_MEMBERS: Listing = Listing {
    items_key: "currentMembers",
    columns: &[
        col("EMAIL", "/email", Kind::Text),
        col("NAME", "/name", Kind::Text),
        col("JOINED", "/joinedAt", Kind::Text),
        col("USER ID", "/userId", Kind::Text),
    ],
    total_path: None,
    page_only: &[],
    totals: false,
    empty: "no members",
};

/// Prints one group: the API's answer, or a line about it and its members as a table.
fn print_group(ctx: &Ctx, answer: &GroupResponse) -> anyhow::Result<()> {
    if ctx.format != Format::Table {
        return ctx.print(answer);
    }
    let group = &answer.group;
    let spend = group.spend_cents.map(dollars).unwrap_or_else(|| "-".to_owned());
    outln!("{} ({}): {} members, {spend} this cycle", group.name, group.id, group.member_count);
    if group.current_members.is_some() {
        ctx.list(&GROUP_MEMBERS, &PageArgs::default()).whole(serde_json::to_value(group)?)?;
    }
    Ok(())
}

/// `groups …`: billing groups.
pub(crate) async fn groups(ctx: &Ctx, action: GroupsAction) -> anyhow::Result<()> {
    let admin = admin(ctx);
    match action {
        GroupsAction::List { billing_cycle, paging } => {
            let list = admin.groups(billing_cycle).await?;
            ctx.list(&GROUPS, &paging).whole(serde_json::to_value(&list)?)
        }
        GroupsAction::Get { id, billing_cycle } => print_group(ctx, &admin.group(&id, billing_cycle).await?),
        GroupsAction::Create { name } => print_group(ctx, &admin.create_group(name).await?),
        GroupsAction::Update { id, name, directory_group, detach_directory_group } => {
            let update = match (name, directory_group) {
                (Some(name), _) => GroupUpdate::Rename(name),
                (None, Some(directory)) => GroupUpdate::AttachDirectoryGroup(directory),
                (None, None) if detach_directory_group => GroupUpdate::DetachDirectoryGroup,
                (None, None) => {
                    return Err(UsageError("give --name, --directory-group or --detach-directory-group".into()).into());
                }
            };
            print_group(ctx, &admin.update_group(&id, update).await?)
        }
        GroupsAction::Delete { id } => {
            admin.delete_group(&id).await?;
            ctx.print_done(&id, "deleted group")
        }
        GroupsAction::AddMembers { id, users } => print_group(ctx, &admin.add_group_members(&id, users).await?),
        GroupsAction::RemoveMembers { id, users } => print_group(ctx, &admin.remove_group_members(&id, users).await?),
    }
}

/// Repository blocklists.
static BLOCKLISTS: Listing = Listing {
    items_key: "repos",
    columns: &[
        col("REPOSITORY", "/url", Kind::Text),
        col("PATTERNS", "/patterns", Kind::Computed(patterns)),
        col("ID", "/id", Kind::Text),
    ],
    total_path: None,
    page_only: &[],
    totals: false,
    empty: "no blocklists",
};

fn patterns(repo: &Value) -> String {
    repo["patterns"].as_array().into_iter().flatten().filter_map(Value::as_str).collect::<Vec<_>>().join(" ")
}

/// `blocklists …`: repository blocklists.
pub(crate) async fn blocklists(ctx: &Ctx, action: BlocklistsAction) -> anyhow::Result<()> {
    let admin = admin(ctx);
    let (answer, paging) = match action {
        BlocklistsAction::List(paging) => (admin.repo_blocklists().await?, paging),
        BlocklistsAction::Upsert { repo, patterns } => {
            (admin.upsert_repo_blocklists([RepoPatterns::new(repo, patterns)]).await?, PageArgs::default())
        }
        BlocklistsAction::Delete { id } => {
            admin.delete_repo_blocklist(&id).await?;
            return ctx.print_done(&id, "deleted the blocklist of");
        }
    };
    ctx.list(&BLOCKLISTS, &paging).whole(serde_json::to_value(&answer)?)
}

fn allowed(allowed: Option<bool>) -> String {
    match allowed {
        Some(true) => "allowed".to_owned(),
        Some(false) => "blocked".to_owned(),
        None => "-".to_owned(),
    }
}

/// `model-access …` (preview API).
pub(crate) async fn model_access(ctx: &Ctx, action: ModelAccessAction) -> anyhow::Result<()> {
    let admin = admin(ctx);
    match action {
        ModelAccessAction::Show | ModelAccessAction::Restrict | ModelAccessAction::Unrestrict => {
            let configuration = match action {
                ModelAccessAction::Restrict => admin.set_model_access_restricted(true).await?,
                ModelAccessAction::Unrestrict => admin.set_model_access_restricted(false).await?,
                _ => admin.model_access_configuration().await?,
            };
            if ctx.json {
                return ctx.print(&configuration);
            }
            match configuration.restricted {
                Some(true) => outln!("model access is restricted to the allowed providers and models"),
                Some(false) => outln!("model access is unrestricted"),
                None => outln!("the configuration does not say whether model access is restricted"),
            }
        }
        ModelAccessAction::Providers => {
            let providers = admin.model_providers().await?;
            if ctx.json {
                return ctx.print(&providers);
            }
            let mut table = Table::new(["PROVIDER", "NAME", "ACCESS"]);
            for p in &providers.providers {
                table.row([p.provider.clone(), p.name.clone().unwrap_or_default(), allowed(p.allowed)]);
            }
            table.print("no providers")?;
        }
        ModelAccessAction::Provider { provider, block } => {
            let answer = admin.set_model_provider_allowed(&provider, !block).await?;
            if ctx.json {
                return ctx.print(&answer);
            }
            outln!("{}: {}", answer.provider, allowed(answer.allowed));
        }
        ModelAccessAction::Models { provider } => {
            let models = admin.provider_models(&provider).await?;
            if ctx.json {
                return ctx.print(&models);
            }
            let mut table = Table::new(["MODEL", "ACCESS"]);
            for m in &models.models {
                table.row([m.model.clone(), allowed(m.allowed)]);
            }
            table.print("no models")?;
        }
        ModelAccessAction::Model { provider, model, block } => {
            let answer = admin.set_provider_model_allowed(&provider, &model, !block).await?;
            if ctx.json {
                return ctx.print(&answer);
            }
            outln!("{provider}/{}: {}", answer.model, allowed(answer.allowed));
        }
    }
    Ok(())
}
