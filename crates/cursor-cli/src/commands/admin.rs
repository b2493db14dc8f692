//! Admin API commands: members, audit logs, daily usage, spend, usage events, spend limits,
//! member removal and model access.

use std::collections::BTreeMap;

use cursor_admin::{
    AdminClient, AuditLogQuery, DailyUsageRow, HostingType, SortDirection, SpendQuery, SpendSortBy, UsageEventsQuery,
};
use futures_util::{StreamExt as _, TryStreamExt as _};
use serde::Serialize;

use super::Ctx;
use crate::cli::{AuditLogsArgs, ModelAccessAction, RangeArgs, SortBy, SpendArgs, SpendLimitAction, UsageEventsArgs};
use crate::output::{Table, day_of_millis, dollars, outln, print_json, time_of_millis};

fn admin(ctx: &Ctx) -> AdminClient {
    AdminClient::new(ctx.client.clone())
}

/// `members`: name, email and role of every member.
pub(crate) async fn members(ctx: &Ctx) -> anyhow::Result<()> {
    let members = admin(ctx).members().await?;
    if ctx.json {
        return print_json(&members);
    }
    let mut table = Table::new(["ID", "NAME", "EMAIL", "ROLE", "REMOVED"]);
    for member in &members.team_members {
        table.row([
            member.id.as_ref().map(ToString::to_string).unwrap_or_default(),
            member.name.clone().unwrap_or_default(),
            member.email.clone(),
            member.role.to_string(),
            if member.is_active() { String::new() } else { "removed".to_owned() },
        ]);
    }
    table.print("no members")?;
    outln!("{} members", members.team_members.len());
    Ok(())
}

/// `audit-logs`: every matching event of the range, across pages and 30-day windows.
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
    let events: Vec<_> = admin(ctx).audit_logs_stream(&query).try_collect().await?;
    if ctx.json {
        return print_json(&events);
    }
    let mut table = Table::new(["TIMESTAMP", "USER", "EVENT"]);
    for event in &events {
        table.row([event.timestamp.clone(), event.user_email.clone().unwrap_or_default(), event.event_type.clone()]);
    }
    table.print("no events")?;
    Ok(())
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
        return print_json(&usage);
    }
    day_totals_table(&totals_per_day(&usage.data)).print("no usage in this range")?;
    Ok(())
}

/// `spend`: every member's spend this month.
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
    let spend: Vec<_> = admin(ctx).spend_stream(&query).try_collect().await?;
    if ctx.json {
        return print_json(&spend);
    }
    let mut table = Table::new(["NAME", "EMAIL", "ROLE", "SPEND", "FAST PREMIUM REQS", "LIMIT OVERRIDE"]);
    for member in &spend {
        table.row([
            member.name.clone().unwrap_or_default(),
            member.email.clone(),
            member.role.to_string(),
            dollars(member.spend_cents),
            member.fast_premium_requests.to_string(),
            member.hard_limit_override_dollars.map_or_else(|| "-".to_owned(), |dollars| format!("${dollars}")),
        ]);
    }
    table.print("no spend")?;
    Ok(())
}

/// `usage-events`: events of the range, newest first as the API sends them.
pub(crate) async fn usage_events(ctx: &Ctx, args: UsageEventsArgs) -> anyhow::Result<()> {
    // No page size: the stream asks for the most the API allows (1000 a page).
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
    let limit = if args.limit == 0 { usize::MAX } else { args.limit };
    let events: Vec<_> = admin(ctx).usage_events_stream(&query).take(limit).try_collect().await?;
    if ctx.json {
        return print_json(&events);
    }
    let mut table = Table::new(["TIMESTAMP", "USER", "MODEL", "KIND", "MAX MODE", "COST"]);
    for event in &events {
        let when = event.timestamp_millis().map(time_of_millis).unwrap_or_else(|| event.timestamp.clone());
        table.row([
            when,
            event.user_email.clone(),
            event.model.clone(),
            event.kind().unwrap_or_default().to_owned(),
            event.max_mode.to_string(),
            dollars(event.dashboard_cents()),
        ]);
    }
    table.print("no usage events")?;
    Ok(())
}

/// `spend-limit set`: sets or clears a member's limit.
pub(crate) async fn spend_limit(ctx: &Ctx, action: SpendLimitAction) -> anyhow::Result<()> {
    let SpendLimitAction::Set { email, dollars, clear } = action;
    let limit = if clear { None } else { dollars };
    let outcome = admin(ctx).set_user_spend_limit(email.as_str(), limit).await?;
    if ctx.json {
        return print_json(&outcome);
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
        return print_json(&outcome);
    }
    let id = outcome.user_id.as_ref().map(|id| format!(" ({id})")).unwrap_or_default();
    outln!("removed {member}{id}");
    if outcome.has_billing_cycle_usage == Some(true) {
        outln!("the member used Cursor this billing cycle: the seat stays billable until the cycle ends");
    }
    Ok(())
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
                return print_json(&configuration);
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
                return print_json(&providers);
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
                return print_json(&answer);
            }
            outln!("{}: {}", answer.provider, allowed(answer.allowed));
        }
        ModelAccessAction::Models { provider } => {
            let models = admin.provider_models(&provider).await?;
            if ctx.json {
                return print_json(&models);
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
                return print_json(&answer);
            }
            outln!("{provider}/{}: {}", answer.model, allowed(answer.allowed));
        }
    }
    Ok(())
}
