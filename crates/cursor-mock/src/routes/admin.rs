//! Admin API: members, audit logs, daily usage, spend, usage events, spend limits, repo
//! blocklists and billing groups.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use time::{Date, Duration, Month, OffsetDateTime};

use super::{Params, Shared, int_field, int_param, json_body, page_count, page_window, users_filter};
use crate::auth::ApiKey;
use crate::data::{Presence, TeamData, base62, hash_str, rng_for};
use crate::dates::{epoch_ms, from_epoch_ms, iso_millis, midnight, parse_audit_time, ymd};
use crate::error::{ApiError, ApiResult, Family};
use crate::state::{AppState, BlocklistRepo, Group, Membership};

const FAMILY: Family = Family::Admin;

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::bad_request(FAMILY, message)
}

/// First day of the billing cycle containing `date`, and first day of the next one.
pub fn cycle_bounds(date: Date) -> (Date, Date) {
    let start = Date::from_calendar_date(date.year(), date.month(), 1).unwrap_or(date);
    let (year, month) = match date.month() {
        Month::December => (date.year() + 1, Month::January),
        m => (date.year(), m.next()),
    };
    let end = Date::from_calendar_date(year, month, 1).unwrap_or(date);
    (start, end)
}

/// Days from `start` to `end` inclusive.
pub fn days(start: Date, end: Date) -> impl Iterator<Item = Date> {
    let count = (end - start).whole_days().max(-1) + 1;
    (0..count).map(move |i| start + Duration::days(i))
}

/// `GET /teams/members`.
pub async fn members(State(state): State<Shared>) -> Json<Value> {
    let members: Vec<Value> =
        state.data.members().iter().map(|m| json!({"name": m.name, "email": m.email, "role": m.role})).collect();
    Json(json!({ "teamMembers": members }))
}

/// `GET /teams/audit-logs`.
pub async fn audit_logs(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Query(q): Query<Params>,
) -> ApiResult<Json<Value>> {
    let now = state.clock.now();
    let start = match q.get("startTime") {
        Some(s) => parse_audit_time(s, now).map_err(bad)?,
        None => now - Duration::days(7),
    };
    let end = match q.get("endTime") {
        Some(s) => parse_audit_time(s, now).map_err(bad)?,
        None => now,
    };
    if start > end {
        return Err(bad("startTime must be before endTime"));
    }
    if end - start > Duration::days(30) {
        return Err(bad("Date range cannot exceed 30 days. Make multiple requests for longer periods."));
    }
    let page = int_param(&q, "page", 1, 1, u64::MAX, FAMILY)?;
    let page_size = int_param(&q, "pageSize", 100, 1, 500, FAMILY)?;
    let users = match q.get("users") {
        Some(raw) => {
            let listed = raw.split(',').filter(|s| !s.trim().is_empty()).count() as u64;
            if listed > page_size {
                return Err(bad(format!("Too many users: at most pageSize ({page_size}) users per request")));
            }
            Some(users_filter(&state.data, raw, FAMILY)?)
        }
        None => None,
    };
    let event_types: Option<Vec<&str>> =
        q.get("eventTypes").map(|raw| raw.split(',').map(str::trim).filter(|s| !s.is_empty()).collect());
    let search = q.get("search").map(|s| s.to_lowercase()).filter(|s| !s.is_empty());
    let data = &state.data;
    let mut events: Vec<_> = days(start.date(), end.date())
        .flat_map(|day| data.audit_events(day))
        .filter(|e| e.timestamp >= start && e.timestamp <= end && e.timestamp <= now)
        .filter(|e| users.as_ref().is_none_or(|u| u.contains(&e.member)))
        .filter(|e| event_types.as_ref().is_none_or(|t| t.contains(&e.event_type)))
        .filter(|e| {
            search.as_ref().is_none_or(|s| {
                let m = &data.members()[e.member];
                e.event_type.contains(s.as_str())
                    || m.email.to_lowercase().contains(s.as_str())
                    || e.event_data.to_string().to_lowercase().contains(s.as_str())
            })
        })
        .collect();
    events.sort_by(|a, b| b.timestamp.cmp(&a.timestamp).then_with(|| b.event_id.cmp(&a.event_id)));
    let total = events.len() as u64;
    let total_pages = page_count(total, page_size);
    let window = page_window(total, page, page_size);
    let items: Vec<Value> = events[window.start as usize..window.end as usize]
        .iter()
        .map(|e| {
            json!({
                "event_id": e.event_id,
                "timestamp": iso_millis(e.timestamp),
                "user_email": data.members()[e.member].email,
                "event_type": e.event_type,
                "event_data": e.event_data,
            })
        })
        .collect();
    Ok(Json(json!({
        "events": items,
        "pagination": {
            "page": page,
            "pageSize": page_size,
            "totalCount": total,
            "totalPages": total_pages,
            "hasNextPage": page < total_pages,
            "hasPreviousPage": page > 1,
        },
        "params": {
            "teamId": AppState::team_id(&key.0),
            "startDate": epoch_ms(start),
            "endDate": epoch_ms(end),
        },
    })))
}

fn required_ms(body: &Value, name: &str) -> ApiResult<i64> {
    match body.get(name) {
        None | Some(Value::Null) => Err(bad(format!("{name} is required (epoch milliseconds)"))),
        Some(v) => v.as_i64().ok_or_else(|| bad(format!("{name} must be a number of epoch milliseconds, got {v}"))),
    }
}

/// `POST /teams/daily-usage-data`.
pub async fn daily_usage(State(state): State<Shared>, body: Bytes) -> ApiResult<Json<Value>> {
    let body: Value = json_body(FAMILY, &body)?;
    let start_ms = required_ms(&body, "startDate")?;
    let end_ms = required_ms(&body, "endDate")?;
    if start_ms > end_ms {
        return Err(bad("startDate must be before endDate"));
    }
    let max_days = state.config.daily_usage_max_days;
    if end_ms - start_ms > i64::from(max_days) * 86_400_000 {
        return Err(bad(format!(
            "Date range cannot exceed {max_days} days. Make multiple requests for longer periods."
        )));
    }
    let (Some(start), Some(end)) = (from_epoch_ms(start_ms), from_epoch_ms(end_ms)) else {
        return Err(bad("startDate and endDate must be valid epoch milliseconds"));
    };
    let data = &state.data;
    let today = state.clock.now().date();
    let mut rows = Vec::new();
    for day in days(start.date(), end.date().min(today)) {
        for member in data.members() {
            let d = data.user_day(member.index, day);
            if d.presence == Presence::Absent {
                continue;
            }
            // Counted from the same events /teams/filtered-usage-events lists.
            let usage_based = data.usage_events(member.index, day).iter().filter(|e| e.kind == "Usage-based").count();
            let mut row = json!({
                "date": epoch_ms(midnight(day)),
                "isActive": d.presence == Presence::Active,
                "totalLinesAdded": d.agent.green_suggested + d.tabs.green_suggested + d.manual_lines_added,
                "totalLinesDeleted": d.agent.red_suggested + d.tabs.red_suggested + d.manual_lines_deleted,
                "acceptedLinesAdded": d.agent.green_accepted + d.tabs.green_accepted,
                "acceptedLinesDeleted": d.agent.red_accepted + d.tabs.red_accepted,
                "totalApplies": d.agent.suggested,
                "totalAccepts": d.agent.accepted,
                "totalRejects": d.agent.suggested - d.agent.accepted,
                "totalTabsShown": d.tabs.suggested,
                "totalTabsAccepted": d.tabs.accepted,
                "composerRequests": d.composer_requests,
                "chatRequests": d.chat_requests,
                "agentRequests": d.agent_requests,
                "cmdkUsages": d.cmdk_usages,
                "subscriptionIncludedReqs": d.composer_requests + d.chat_requests + d.agent_requests,
                "apiKeyReqs": d.api_key_reqs,
                "usageBasedReqs": usage_based,
                "bugbotUsages": d.bugbot_usages,
                "mostUsedModel": d.favorite_model().unwrap_or("default"),
                "clientVersion": d.client_version,
                "email": member.email,
            });
            // Optional in the documented type: absent when there was nothing to count.
            if let Some(ext) = d.extensions.iter().max_by_key(|e| e.lines_accepted) {
                row["applyMostUsedExtension"] = json!(format!(".{}", ext.extension));
            }
            if let Some(ext) = d.extensions.iter().max_by_key(|e| e.lines_suggested) {
                row["tabMostUsedExtension"] = json!(format!(".{}", ext.extension));
            }
            rows.push(row);
        }
    }
    Ok(Json(json!({
        "data": rows,
        "period": {"startDate": start_ms, "endDate": end_ms},
    })))
}

/// Cents spent by each member on each day of a span (memoized per request).
struct SpendBook<'a> {
    data: &'a TeamData,
    now: OffsetDateTime,
    cache: HashMap<(usize, Date), f64>,
}

impl<'a> SpendBook<'a> {
    fn new(data: &'a TeamData, now: OffsetDateTime) -> Self {
        Self { data, now, cache: HashMap::new() }
    }

    fn day(&mut self, member: usize, day: Date) -> f64 {
        if day > self.now.date() {
            return 0.0;
        }
        let (data, until) = (self.data, epoch_ms(self.now));
        *self.cache.entry((member, day)).or_insert_with(|| data.spend_cents(member, day, until))
    }

    /// Whole cents of a member over the cycle days its membership covers.
    fn membership(&mut self, m: &Membership, cycle: (Date, Date)) -> (u64, Vec<(Date, u64)>) {
        let from = cycle.0.max(m.joined_at.date());
        let until = m.left_at.map_or(cycle.1, |l| l.date().min(cycle.1));
        let mut daily = Vec::new();
        let mut total = 0.0;
        let mut day = from;
        while day < until {
            let cents = self.day(m.member, day);
            total += cents;
            if cents > 0.0 {
                daily.push((day, cents.round() as u64));
            }
            day += Duration::days(1);
        }
        (total.round() as u64, daily)
    }
}

/// `POST /teams/spend`.
pub async fn spend(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: Value = json_body(FAMILY, &body)?;
    let search = body.get("searchTerm").and_then(Value::as_str).map(str::to_lowercase);
    let sort_by = body.get("sortBy").and_then(Value::as_str).unwrap_or("date");
    if !["amount", "date", "user"].contains(&sort_by) {
        return Err(bad(format!("sortBy must be one of amount, date, user; got '{sort_by}'")));
    }
    let direction = body.get("sortDirection").and_then(Value::as_str).unwrap_or("desc");
    if !["asc", "desc"].contains(&direction) {
        return Err(bad(format!("sortDirection must be asc or desc; got '{direction}'")));
    }
    let page = int_field(body.get("page"), "page", 1, 1, u64::MAX, FAMILY)?;
    let page_size = int_field(body.get("pageSize"), "pageSize", 25, 1, 1000, FAMILY)?;
    let now = state.clock.now();
    let cycle = cycle_bounds(now.date());
    let limits = state.with_team(&key.0, |team, _| team.spend_limits.clone());
    let data = &state.data;
    let mut rows: Vec<(usize, u64, u64)> = data
        .members()
        .iter()
        .filter(|m| {
            search.as_ref().is_none_or(|s| {
                m.name.to_lowercase().contains(s.as_str()) || m.email.to_lowercase().contains(s.as_str())
            })
        })
        .map(|m| {
            let mut cents = 0.0;
            let mut included = 0;
            for day in days(cycle.0, now.date()) {
                let events = data.usage_events(m.index, day);
                for event in events.iter().filter(|e| e.timestamp_ms <= epoch_ms(now)) {
                    cents += event.charged_cents();
                    included += u64::from(event.kind != "Usage-based");
                }
            }
            (m.index, cents.round() as u64, included)
        })
        .collect();
    rows.sort_by(|a, b| {
        let ordering = match sort_by {
            "amount" => a.1.cmp(&b.1),
            "user" => data.members()[a.0].name.cmp(&data.members()[b.0].name),
            // "date": the order members joined the team.
            _ => a.0.cmp(&b.0),
        };
        let ordering = ordering.then_with(|| a.0.cmp(&b.0));
        if direction == "asc" { ordering } else { ordering.reverse() }
    });
    let total = rows.len() as u64;
    let window = page_window(total, page, page_size);
    let items: Vec<Value> = rows[window.start as usize..window.end as usize]
        .iter()
        .map(|&(index, cents, fast)| {
            let m = &data.members()[index];
            json!({
                "spendCents": cents,
                "fastPremiumRequests": fast,
                "name": m.name,
                "email": m.email,
                "role": m.role,
                "hardLimitOverrideDollars": limits.get(&index).copied().unwrap_or(0),
            })
        })
        .collect();
    Ok(Json(json!({
        "teamMemberSpend": items,
        "subscriptionCycleStart": epoch_ms(midnight(cycle.0)),
        "totalMembers": total,
        "totalPages": page_count(total, page_size),
    })))
}

fn optional_ms(body: &Value, name: &str) -> ApiResult<Option<i64>> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => {
            v.as_i64().map(Some).ok_or_else(|| bad(format!("{name} must be a number of epoch milliseconds, got {v}")))
        }
    }
}

/// `POST /teams/filtered-usage-events`.
pub async fn usage_events(State(state): State<Shared>, body: Bytes) -> ApiResult<Json<Value>> {
    let body: Value = json_body(FAMILY, &body)?;
    let now = state.clock.now();
    let end_ms = optional_ms(&body, "endDate")?.unwrap_or(epoch_ms(now));
    // Undocumented default: the 30 days before endDate.
    let start_ms = optional_ms(&body, "startDate")?.unwrap_or(end_ms - 30 * 86_400_000);
    if start_ms > end_ms {
        return Err(bad("startDate must be before endDate"));
    }
    let page = int_field(body.get("page"), "page", 1, 1, u64::MAX, FAMILY)?;
    let page_size = int_field(body.get("pageSize"), "pageSize", 10, 1, 1000, FAMILY)?;
    let data = &state.data;
    let email = body.get("email").and_then(Value::as_str).map(str::to_lowercase);
    let user_id = match body.get("userId") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_u64().ok_or_else(|| bad(format!("userId must be a number, got {v}")))?),
    };
    let members: Vec<usize> = data
        .members()
        .iter()
        .filter(|m| email.as_ref().is_none_or(|e| m.email.to_lowercase() == *e))
        .filter(|m| user_id.is_none_or(|id| m.numeric_id == id))
        .map(|m| m.index)
        .collect();
    let (Some(start), Some(end)) = (from_epoch_ms(start_ms), from_epoch_ms(end_ms.min(epoch_ms(now)))) else {
        return Err(bad("startDate and endDate must be valid epoch milliseconds"));
    };
    let first = start.date().max(data.first_day());
    let mut events = Vec::new();
    for day in days(first, end.date()) {
        for &member in &members {
            events.extend(
                data.usage_events(member, day)
                    .into_iter()
                    .filter(|e| e.timestamp_ms >= start_ms && e.timestamp_ms <= end_ms.min(epoch_ms(now))),
            );
        }
    }
    state.restatements.apply(&mut events, &members, start_ms, end_ms.min(epoch_ms(now)));
    events.sort_by(|a, b| b.timestamp_ms.cmp(&a.timestamp_ms).then(a.member.cmp(&b.member)));
    let total = events.len() as u64;
    let pages = page_count(total, page_size);
    let window = page_window(total, page, page_size);
    let items: Vec<Value> = events[window.start as usize..window.end as usize]
        .iter()
        .map(|e| {
            let mut item = json!({
                "timestamp": e.timestamp_ms.to_string(),
                "model": e.model,
                "kind": e.kind,
                "maxMode": e.max_mode,
                "requestsCosts": e.requests_costs,
                "isTokenBasedCall": e.token_usage.is_some(),
                "cursorTokenFee": e.cursor_token_fee,
                "isFreeBugbot": e.is_free_bugbot,
                "userEmail": data.members()[e.member].email,
            });
            if let Some(t) = &e.token_usage {
                item["tokenUsage"] = json!({
                    "inputTokens": t.input_tokens,
                    "outputTokens": t.output_tokens,
                    "cacheWriteTokens": t.cache_write_tokens,
                    "cacheReadTokens": t.cache_read_tokens,
                    "totalCents": t.total_cents,
                });
            }
            item
        })
        .collect();
    Ok(Json(json!({
        "totalUsageEventsCount": total,
        "pagination": {
            "numPages": pages,
            "currentPage": page,
            "pageSize": page_size,
            "hasNextPage": page < pages,
            "hasPreviousPage": page > 1,
        },
        "usageEvents": items,
        "period": {"startDate": start_ms, "endDate": end_ms},
    })))
}

fn outcome_error(message: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"outcome": "error", "message": message.into()}))).into_response()
}

fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
}

/// `POST /teams/user-spend-limit`.
pub async fn user_spend_limit(State(state): State<Shared>, Extension(key): Extension<ApiKey>, body: Bytes) -> Response {
    let body: Value = match json_body(FAMILY, &body) {
        Ok(v) => v,
        Err(e) => return outcome_error(e.message),
    };
    let Some(email) = body.get("userEmail").and_then(Value::as_str) else {
        return outcome_error("userEmail is required");
    };
    if !looks_like_email(email) {
        return outcome_error("Invalid email format");
    }
    let Some(member) = state.data.find_member(email).filter(|_| email.contains('@')) else {
        return outcome_error(format!("User {email} is not a member of this team"));
    };
    let limit = match body.get("spendLimitDollars") {
        None => return outcome_error("spendLimitDollars is required (an integer, or null to remove the limit)"),
        Some(Value::Null) => None,
        Some(v) => match v.as_i64() {
            Some(n) if n >= 0 => Some(n),
            Some(_) => return outcome_error("spendLimitDollars cannot be negative"),
            None => return outcome_error("Only integer values are accepted (no decimal amounts)"),
        },
    };
    let index = member.index;
    state.with_team(&key.0, |team, _| match limit {
        Some(n) => team.spend_limits.insert(index, n),
        None => team.spend_limits.remove(&index),
    });
    let message = match limit {
        Some(n) => format!("Spend limit set to ${n} for user {}", member.email),
        None => format!("Spend limit removed for user {}", member.email),
    };
    Json(json!({"outcome": "success", "message": message})).into_response()
}

fn blocklist_json(repos: &[BlocklistRepo]) -> Value {
    let repos: Vec<Value> = repos.iter().map(|r| json!({"id": r.id, "url": r.url, "patterns": r.patterns})).collect();
    json!({ "repos": repos })
}

/// `GET /settings/repo-blocklists/repos`.
pub async fn blocklists(State(state): State<Shared>, Extension(key): Extension<ApiKey>) -> Json<Value> {
    Json(state.with_team(&key.0, |team, _| blocklist_json(&team.blocklists)))
}

/// `POST /settings/repo-blocklists/repos/upsert`: replaces the patterns of the given repos
/// and answers the whole updated list.
pub async fn upsert_blocklists(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: Value = json_body(FAMILY, &body)?;
    let Some(repos) = body.get("repos").and_then(Value::as_array) else {
        return Err(bad("repos is required: an array of {url, patterns}"));
    };
    let mut parsed = Vec::new();
    for (i, repo) in repos.iter().enumerate() {
        let url = repo
            .get("url")
            .and_then(Value::as_str)
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| bad(format!("repos[{i}].url is required")))?;
        let patterns = repo
            .get("patterns")
            .and_then(Value::as_array)
            .ok_or_else(|| bad(format!("repos[{i}].patterns is required: an array of strings")))?
            .iter()
            .map(|p| p.as_str().map(str::to_owned))
            .collect::<Option<Vec<String>>>()
            .ok_or_else(|| bad(format!("repos[{i}].patterns must contain only strings")))?;
        parsed.push((url.trim().to_owned(), patterns));
    }
    Ok(Json(state.with_team(&key.0, |team, _| {
        for (url, patterns) in parsed {
            if let Some(existing) = team.blocklists.iter_mut().find(|r| r.url == url) {
                existing.patterns = patterns;
            } else {
                let id = format!("repo_{}", 1000 + team.next_repo);
                team.next_repo += 1;
                team.blocklists.push(BlocklistRepo { id, url, patterns });
            }
        }
        blocklist_json(&team.blocklists)
    })))
}

/// `DELETE /settings/repo-blocklists/repos/:repoId`: `204`.
pub async fn delete_blocklist(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(repo_id): Path<String>,
) -> ApiResult<StatusCode> {
    state.with_team(&key.0, |team, _| {
        let before = team.blocklists.len();
        team.blocklists.retain(|r| r.id != repo_id);
        if team.blocklists.len() == before {
            Err(ApiError::not_found(FAMILY, format!("Repository blocklist {repo_id} not found")))
        } else {
            Ok(StatusCode::NO_CONTENT)
        }
    })
}

// ---------------------------------------------------------------------------------------
// Billing groups.

const UNASSIGNED_ID: &str = "group_unassigned";

fn group_not_found(id: &str) -> ApiError {
    ApiError::not_found(FAMILY, format!("Group {id} not found"))
}

fn billing_cycle(q: &Params, now: OffsetDateTime) -> ApiResult<(Date, Date)> {
    match q.get("billingCycle") {
        None => Ok(cycle_bounds(now.date())),
        Some(raw) => crate::dates::parse_analytics_date(raw, now)
            .map(cycle_bounds)
            .map_err(|_| bad(format!("billingCycle must be an ISO date such as 2025-01-15, got '{raw}'"))),
    }
}

fn cycle_json(cycle: (Date, Date)) -> Value {
    json!({"cycleStart": iso_millis(midnight(cycle.0)), "cycleEnd": iso_millis(midnight(cycle.1))})
}

/// The `Unassigned` group: every member in no other group.
fn unassigned_group(groups: &[Group], data: &TeamData, now: OffsetDateTime) -> Group {
    let created = midnight(data.first_day());
    let assigned: Vec<usize> = groups.iter().flat_map(|g| g.members.iter().map(|m| m.member)).collect();
    Group {
        id: UNASSIGNED_ID.to_owned(),
        name: "Unassigned".to_owned(),
        directory_group_id: None,
        created_at: created,
        updated_at: created.max(now - Duration::days(1)).min(now),
        members: data
            .members()
            .iter()
            .filter(|m| !assigned.contains(&m.index))
            .map(|m| Membership { member: m.index, joined_at: created, left_at: None })
            .collect(),
        former: Vec::new(),
    }
}

/// A group with spend for a cycle; `member_daily` adds each member's daily spend.
fn group_with_spend(group: &Group, book: &mut SpendBook<'_>, cycle: (Date, Date), member_daily: bool) -> Value {
    let data = book.data;
    let mut daily: HashMap<Date, u64> = HashMap::new();
    let mut total = 0;
    let mut describe = |m: &Membership, book: &mut SpendBook<'_>| {
        let (cents, days) = book.membership(m, cycle);
        total += cents;
        for (day, c) in &days {
            *daily.entry(*day).or_default() += c;
        }
        let member = &data.members()[m.member];
        let mut out = json!({
            "userId": member.user_id,
            "name": member.name,
            "email": member.email,
            "joinedAt": iso_millis(m.joined_at),
            "leftAt": m.left_at.map(iso_millis),
            "spendCents": cents,
        });
        if member_daily && m.left_at.is_none() {
            out["dailySpend"] = daily_json(&days);
        }
        out
    };
    let current: Vec<Value> = group.members.iter().map(|m| describe(m, book)).collect();
    let former: Vec<Value> = group.former.iter().map(|m| describe(m, book)).collect();
    let mut daily: Vec<(Date, u64)> = daily.into_iter().collect();
    daily.sort();
    json!({
        "id": group.id,
        "name": group.name,
        "type": "BILLING",
        "directoryGroupId": group.directory_group_id,
        "memberCount": group.members.len(),
        "createdAt": iso_millis(group.created_at),
        "updatedAt": iso_millis(group.updated_at),
        "spendCents": total,
        "currentMembers": current,
        "formerMembers": former,
        "dailySpend": daily_json(&daily),
    })
}

fn daily_json(days: &[(Date, u64)]) -> Value {
    Value::Array(days.iter().map(|(d, c)| json!({"date": ymd(*d), "spendCents": c})).collect())
}

/// The shape answered by group mutations: members without spend.
fn group_summary(group: &Group, data: &TeamData) -> Value {
    let members: Vec<Value> = group
        .members
        .iter()
        .map(|m| {
            let member = &data.members()[m.member];
            json!({
                "userId": member.user_id,
                "name": member.name,
                "email": member.email,
                "joinedAt": iso_millis(m.joined_at),
            })
        })
        .collect();
    json!({"group": {
        "id": group.id,
        "name": group.name,
        "type": "BILLING",
        "directoryGroupId": group.directory_group_id,
        "memberCount": group.members.len(),
        "createdAt": iso_millis(group.created_at),
        "updatedAt": iso_millis(group.updated_at),
        "members": members,
    }})
}

/// `GET /teams/groups`.
pub async fn list_groups(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Query(q): Query<Params>,
) -> ApiResult<Json<Value>> {
    let now = state.clock.now();
    let cycle = billing_cycle(&q, now)?;
    // Spend is computed outside the team lock from a snapshot.
    let groups = state.with_team(&key.0, |team, _| team.groups.clone());
    let mut book = SpendBook::new(&state.data, now);
    let listed: Vec<Value> = groups.iter().map(|g| group_with_spend(g, &mut book, cycle, false)).collect();
    let unassigned = unassigned_group(&groups, &state.data, now);
    Ok(Json(json!({
        "groups": listed,
        "unassignedGroup": group_with_spend(&unassigned, &mut book, cycle, false),
        "billingCycle": cycle_json(cycle),
    })))
}

/// `GET /teams/groups/:groupId`.
pub async fn get_group(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
    Query(q): Query<Params>,
) -> ApiResult<Json<Value>> {
    let now = state.clock.now();
    let cycle = billing_cycle(&q, now)?;
    let groups = state.with_team(&key.0, |team, _| team.groups.clone());
    let group = if id == UNASSIGNED_ID {
        unassigned_group(&groups, &state.data, now)
    } else {
        groups.into_iter().find(|g| g.id == id).ok_or_else(|| group_not_found(&id))?
    };
    let mut book = SpendBook::new(&state.data, now);
    Ok(Json(json!({
        "group": group_with_spend(&group, &mut book, cycle, true),
        "billingCycle": cycle_json(cycle),
    })))
}

/// `POST /teams/groups`.
pub async fn create_group(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: Value = json_body(FAMILY, &body)?;
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| bad("name is required: a non-empty string"))?
        .to_owned();
    if name.eq_ignore_ascii_case("Unassigned") {
        return Err(bad("The name Unassigned is reserved"));
    }
    match body.get("type") {
        None | Some(Value::Null) => {}
        Some(Value::String(t)) if t == "BILLING" => {}
        Some(other) => return Err(bad(format!("type must be BILLING, got {other}"))),
    }
    Ok(Json(state.with_team(&key.0, |team, ctx| {
        let mut rng = rng_for(ctx.data.seed(), &[20, hash_str(&key.0), team.next_group]);
        team.next_group += 1;
        let group = Group {
            id: format!("group_{}", base62(&mut rng, 26)),
            name,
            directory_group_id: None,
            created_at: ctx.now,
            updated_at: ctx.now,
            members: Vec::new(),
            former: Vec::new(),
        };
        let out = group_summary(&group, ctx.data);
        team.groups.push(group);
        out
    })))
}

/// `PATCH /teams/groups/:groupId`: exactly one of `name` or `directoryGroupId`.
pub async fn update_group(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: Map<String, Value> = json_body(FAMILY, &body)?;
    enum Change {
        Name(String),
        Directory(Option<String>),
    }
    let change = match (body.get("name"), body.get("directoryGroupId")) {
        (Some(_), Some(_)) => {
            return Err(bad("Only one field can be updated per request: send name or directoryGroupId, not both"));
        }
        (None, None) => return Err(bad("Provide one field to update: name or directoryGroupId")),
        (Some(name), None) => Change::Name(
            name.as_str()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .ok_or_else(|| bad("name must be a non-empty string"))?
                .to_owned(),
        ),
        (None, Some(Value::Null)) => Change::Directory(None),
        (None, Some(Value::String(d))) if !d.trim().is_empty() => Change::Directory(Some(d.trim().to_owned())),
        (None, Some(other)) => {
            return Err(bad(format!("directoryGroupId must be a string or null, got {other}")));
        }
    };
    if id == UNASSIGNED_ID {
        return Err(bad("The Unassigned group cannot be modified"));
    }
    if let Change::Name(n) = &change
        && n.eq_ignore_ascii_case("Unassigned")
    {
        return Err(bad("The name Unassigned is reserved"));
    }
    state.with_team(&key.0, |team, ctx| {
        let group = team.groups.iter_mut().find(|g| g.id == id).ok_or_else(|| group_not_found(&id))?;
        match change {
            Change::Name(n) => group.name = n,
            Change::Directory(d) => group.directory_group_id = d,
        }
        group.updated_at = ctx.now;
        Ok(Json(group_summary(group, ctx.data)))
    })
}

/// `DELETE /teams/groups/:groupId`: `204`; members go back to `Unassigned`, and so does
/// their spend (it is computed from memberships, so nothing else to move).
pub async fn delete_group(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    if id == UNASSIGNED_ID {
        return Err(bad("The Unassigned group cannot be deleted"));
    }
    state.with_team(&key.0, |team, _| {
        let before = team.groups.len();
        team.groups.retain(|g| g.id != id);
        if team.groups.len() == before { Err(group_not_found(&id)) } else { Ok(StatusCode::NO_CONTENT) }
    })
}

fn user_ids(body: &Bytes, data: &TeamData) -> ApiResult<Vec<usize>> {
    let body: Value = json_body(FAMILY, body)?;
    let ids = body
        .get("userIds")
        .and_then(Value::as_array)
        .filter(|ids| !ids.is_empty())
        .ok_or_else(|| bad("userIds is required: a non-empty array of encoded user ids"))?;
    let mut out = Vec::new();
    for id in ids {
        let id = id.as_str().ok_or_else(|| bad("userIds must contain only strings"))?;
        let member = data
            .find_member(id)
            .filter(|_| id.starts_with("user_"))
            .ok_or_else(|| bad("Some users are not in the team"))?;
        if !out.contains(&member.index) {
            out.push(member.index);
        }
    }
    Ok(out)
}

const SCIM_REFUSAL: &str =
    "Billing groups synced with SCIM cannot be modified via the API; manage their members through SCIM";

/// `POST /teams/groups/:groupId/members`.
pub async fn add_members(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    if id == UNASSIGNED_ID {
        return Err(bad("Members cannot be added to Unassigned; remove them from their group instead"));
    }
    let members = user_ids(&body, &state.data)?;
    state.with_team(&key.0, |team, ctx| {
        let position = team.groups.iter().position(|g| g.id == id).ok_or_else(|| group_not_found(&id))?;
        if team.groups[position].directory_group_id.is_some() {
            return Err(bad(SCIM_REFUSAL));
        }
        // All or nothing: check every user before changing anything.
        for &member in &members {
            if let Some(other) = team.group_of(member).filter(|g| g.id != id) {
                return Err(bad(format!(
                    "User {} is already in group {}; a member can be in one group at a time",
                    ctx.data.members()[member].user_id,
                    other.name
                )));
            }
        }
        let group = &mut team.groups[position];
        for member in members {
            if !group.members.iter().any(|m| m.member == member) {
                group.members.push(Membership { member, joined_at: ctx.now, left_at: None });
            }
        }
        group.updated_at = ctx.now;
        Ok(Json(group_summary(group, ctx.data)))
    })
}

/// `DELETE /teams/groups/:groupId/members` (with a JSON body).
pub async fn remove_members(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    if id == UNASSIGNED_ID {
        return Err(bad("Members cannot be removed from Unassigned; add them to a group instead"));
    }
    let members = user_ids(&body, &state.data)?;
    state.with_team(&key.0, |team, ctx| {
        let group = team.groups.iter_mut().find(|g| g.id == id).ok_or_else(|| group_not_found(&id))?;
        if group.directory_group_id.is_some() {
            return Err(bad(SCIM_REFUSAL));
        }
        if let Some(&missing) = members.iter().find(|&&m| !group.members.iter().any(|x| x.member == m)) {
            return Err(bad(format!("User {} is not a member of this group", ctx.data.members()[missing].user_id)));
        }
        let (leaving, staying): (Vec<Membership>, Vec<Membership>) =
            group.members.drain(..).partition(|m| members.contains(&m.member));
        group.members = staying;
        group.former.extend(leaving.into_iter().map(|m| Membership { left_at: Some(ctx.now), ..m }));
        group.updated_at = ctx.now;
        Ok(Json(group_summary(group, ctx.data)))
    })
}
