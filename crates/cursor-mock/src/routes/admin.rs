//! Admin API: members, audit logs, daily usage, spend, usage events, spend limits, repo
//! blocklists and billing groups.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use time::{Date, Duration, OffsetDateTime};

use super::{Params, Shared, int_field, int_param, json_body, page_count, page_window, users_filter};
use crate::auth::ApiKey;
use crate::data::{Presence, TeamData, base62, hash_str, rng_for};
use crate::dates::{cycle_bounds, epoch_ms, from_epoch_ms, iso_millis, midnight, parse_audit_time, ymd};
use crate::error::{ApiError, ApiResult, Family};
pub use crate::state::ModelAccess;
use crate::state::{AppState, BlocklistRepo, Group, Membership};

const FAMILY: Family = Family::Admin;

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::bad_request(FAMILY, message)
}

/// Days from `start` to `end` inclusive.
pub fn days(start: Date, end: Date) -> impl Iterator<Item = Date> {
    let count = (end - start).whole_days().max(-1) + 1;
    (0..count).map(move |i| start + Duration::days(i))
}

/// A member's `id` in the shape the configuration asks for (a number, or a `user_…` string).
fn member_id(state: &AppState, index: usize) -> Value {
    let member = &state.data.members()[index];
    if state.config.shapes.string_member_ids { json!(member.user_id) } else { json!(member.numeric_id) }
}

/// `GET /teams/members`: every member with `id` and `isRemoved`; members removed through
/// `/teams/remove-member` stay listed with `isRemoved: true`, as the current documents say.
pub async fn members(State(state): State<Shared>, Extension(key): Extension<ApiKey>) -> Json<Value> {
    let removed = state.with_team(&key.0, |team, _| team.removed_members.clone());
    let members: Vec<Value> = state
        .data
        .members()
        .iter()
        .map(|m| {
            json!({
                "id": member_id(&state, m.index),
                "name": m.name,
                "email": m.email,
                "role": m.role,
                "isRemoved": removed.contains(&m.index),
            })
        })
        .collect();
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

/// `POST /teams/daily-usage-data`. The current service pages by users (`page`, `pageSize`
/// in the body; `pagination.totalUsers`) and answers every member's day, inactive ones
/// included, with `userId`, `day` and `isActive`; the seeds' shape (configurable) answers
/// every active row at once.
pub async fn daily_usage(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
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
    let paged = state.config.shapes.paged_daily_usage;
    // Undocumented bounds: 100 users a page by default, at most 500.
    let page = int_field(body.get("page"), "page", 1, 1, u64::MAX, FAMILY)?;
    let page_size = int_field(body.get("pageSize"), "pageSize", 100, 1, 500, FAMILY)?;
    let data = &state.data;
    let removed = state.with_team(&key.0, |team, _| team.removed_members.clone());
    let total_users = data.members().len() as u64;
    let window = if paged { page_window(total_users, page, page_size) } else { 0..total_users };
    let page_members = &data.members()[window.start as usize..window.end as usize];
    let today = state.clock.now().date();
    let mut rows = Vec::new();
    for day in days(start.date(), end.date().min(today)) {
        for member in page_members {
            let d = data.user_day(member.index, day);
            if d.presence == Presence::Absent && !(paged && day >= data.first_day()) {
                continue;
            }
            // Counted from the same events /teams/filtered-usage-events lists.
            let usage_based = data.usage_events_of(member.index, &d).iter().filter(|e| e.kind == "Usage-based").count();
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
            if paged {
                row["userId"] = member_id(&state, member.index);
                row["day"] = json!(ymd(day));
                if removed.contains(&member.index) {
                    row["isRemoved"] = json!(true);
                }
            }
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
    let mut answer = json!({
        "data": rows,
        "period": {"startDate": start_ms, "endDate": end_ms},
    });
    if paged {
        let total_pages = page_count(total_users, page_size);
        answer["pagination"] = json!({
            "page": page,
            "pageSize": page_size,
            "totalUsers": total_users,
            "totalPages": total_pages,
            "hasNextPage": page < total_pages,
            "hasPreviousPage": page > 1,
        });
    }
    Ok(Json(answer))
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
    let fractional = state.config.shapes.fractional_spend;
    // (member, on-demand cents, all cents, included requests)
    let mut rows: Vec<(usize, f64, f64, u64)> = data
        .members()
        .iter()
        .filter(|m| {
            search.as_ref().is_none_or(|s| {
                m.name.to_lowercase().contains(s.as_str()) || m.email.to_lowercase().contains(s.as_str())
            })
        })
        .map(|m| {
            let mut cents = 0.0;
            let mut overall = 0.0;
            let mut included = 0;
            for day in days(cycle.0, now.date()) {
                let events = data.usage_events(m.index, day);
                for event in events.iter().filter(|e| e.timestamp_ms <= epoch_ms(now)) {
                    cents += event.charged_cents();
                    overall += event.token_usage.as_ref().map_or(0.0, |t| t.total_cents + event.cursor_token_fee);
                    included += u64::from(event.kind != "Usage-based");
                }
            }
            // The current service sends cents to the hundredth; the seeds whole cents.
            let round = |c: f64| if fractional { (c * 100.0).round() / 100.0 } else { c.round() };
            (m.index, round(cents), round(overall), included)
        })
        .collect();
    rows.sort_by(|a, b| {
        let ordering = match sort_by {
            "amount" => a.1.total_cmp(&b.1),
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
        .map(|&(index, cents, overall, fast)| {
            let m = &data.members()[index];
            let limit = limits.get(&index).copied();
            let mut row = json!({
                "spendCents": if fractional { json!(cents) } else { json!(cents as u64) },
                "fastPremiumRequests": fast,
                "name": m.name,
                "email": m.email,
                "role": m.role,
                "hardLimitOverrideDollars": limit.unwrap_or(0),
            });
            if fractional {
                row["userId"] = json!(m.user_id);
                row["overallSpendCents"] = json!(overall);
                row["effectivePerUserLimitDollars"] = json!(limit);
            }
            row
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
pub async fn usage_events(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: Value = json_body(FAMILY, &body)?;
    let now = state.clock.now();
    let end_ms = optional_ms(&body, "endDate")?.unwrap_or(epoch_ms(now));
    // Undocumented default: the 30 days before endDate.
    let start_ms = optional_ms(&body, "startDate")?.unwrap_or(end_ms - 30 * 86_400_000);
    if start_ms > end_ms {
        return Err(bad("startDate must be before endDate"));
    }
    let page = int_field(body.get("page"), "page", 1, 1, u64::MAX, FAMILY)?;
    let default_size = state.config.shapes.usage_events_default_page_size;
    let page_size = int_field(body.get("pageSize"), "pageSize", default_size, 1, 1000, FAMILY)?;
    let filters = EventFilters::parse(&body)?;
    let removed = state.with_team(&key.0, |team, _| team.removed_members.clone());
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
                    .filter(|e| e.timestamp_ms >= start_ms && e.timestamp_ms <= end_ms.min(epoch_ms(now)))
                    .filter(|e| filters.matches(&EventOrigin::of(e))),
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
            EventOrigin::of(e).describe(&mut item);
            // Users report that events of members removed since come without `userEmail`.
            if removed.contains(&e.member) {
                item.as_object_mut().map(|o| o.remove("userEmail"));
            }
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

// ---------------------------------------------------------------------------------------
// Usage events: where an event came from (current documents' fields and filters).

/// The `hostingType` values the simulator knows; another is a `400`, as on the service.
const HOSTING_TYPES: &[&str] = &["CLOUD", "SELF_HOSTED"];

/// Who or what made an event, derived from its timestamp so it is stable across requests.
struct EventOrigin {
    conversation_id: String,
    cloud_agent: Option<(String, &'static str)>,
    automation_id: Option<String>,
    service_account: Option<(String, &'static str)>,
}

impl EventOrigin {
    fn of(event: &crate::data::UsageEvent) -> Self {
        let t = event.timestamp_ms.unsigned_abs();
        let tag = |prefix: &str, n: u64| format!("{prefix}{:x}", n.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 24);
        Self {
            // A conversation holds the requests of one member within about ten minutes.
            conversation_id: tag("conv_", t / 600_000 * 1000 + event.member as u64),
            cloud_agent: t.is_multiple_of(7).then(|| {
                (
                    tag("bc_", t / 3_600_000 + event.member as u64),
                    if t.is_multiple_of(2) { "CLOUD" } else { "SELF_HOSTED" },
                )
            }),
            automation_id: t.is_multiple_of(11).then(|| tag("auto_", (t / 86_400_000) % 5)),
            service_account: t.is_multiple_of(13).then(|| {
                let n = (t / 13) % 2;
                (tag("sa_", n), if n == 0 { "CI Bot" } else { "Release Bot" })
            }),
        }
    }

    fn describe(&self, item: &mut Value) {
        item["conversationId"] = json!(self.conversation_id);
        if let Some((id, _)) = &self.cloud_agent {
            item["cloudAgentId"] = json!(id);
        }
        if let Some(id) = &self.automation_id {
            item["automationId"] = json!(id);
        }
        if let Some((id, name)) = &self.service_account {
            item["serviceAccountId"] = json!(id);
            item["serviceAccountName"] = json!(name);
        }
    }
}

/// The current documents' filters of `/teams/filtered-usage-events`.
#[derive(Default)]
struct EventFilters {
    service_account_id: Option<String>,
    cloud_agent_id: Option<String>,
    automation_id: Option<String>,
    hosting_type: Option<String>,
}

impl EventFilters {
    fn parse(body: &Value) -> ApiResult<Self> {
        let text = |name: &str| -> ApiResult<Option<String>> {
            match body.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_owned())),
                Some(other) => Err(bad(format!("{name} must be a non-empty string, got {other}"))),
            }
        };
        let hosting_type = text("hostingType")?;
        if let Some(h) = &hosting_type
            && !HOSTING_TYPES.contains(&h.as_str())
        {
            return Err(bad(format!("hostingType must be one of {}, got '{h}'", HOSTING_TYPES.join(", "))));
        }
        Ok(Self {
            service_account_id: text("serviceAccountId")?,
            cloud_agent_id: text("cloudAgentId")?,
            automation_id: text("automationId")?,
            hosting_type,
        })
    }

    fn matches(&self, origin: &EventOrigin) -> bool {
        // `*` matches any event that has the id at all.
        let id_matches = |filter: &Option<String>, id: Option<&str>| match filter.as_deref() {
            None => true,
            Some("*") => id.is_some(),
            Some(wanted) => id == Some(wanted),
        };
        id_matches(&self.cloud_agent_id, origin.cloud_agent.as_ref().map(|(id, _)| id.as_str()))
            && id_matches(&self.automation_id, origin.automation_id.as_deref())
            && self
                .service_account_id
                .as_deref()
                .is_none_or(|wanted| origin.service_account.as_ref().is_some_and(|(id, _)| id == wanted))
            && self
                .hosting_type
                .as_deref()
                .is_none_or(|wanted| origin.cloud_agent.as_ref().is_some_and(|(_, hosting)| *hosting == wanted))
    }
}

// ---------------------------------------------------------------------------------------
// Member removal.

/// `POST /teams/remove-member`: `userId` (`user_…` or numeric) or `email`. The member stays
/// listed with `isRemoved: true`.
pub async fn remove_member(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: Value = json_body(FAMILY, &body)?;
    let ident = match (body.get("userId"), body.get("email")) {
        (Some(Value::String(id)), _) if !id.trim().is_empty() => id.trim().to_owned(),
        (Some(Value::Number(n)), _) => n.to_string(),
        (None | Some(Value::Null), Some(Value::String(email))) if email.contains('@') => email.trim().to_owned(),
        _ => return Err(bad("Provide userId or email of the member to remove")),
    };
    let member = state
        .data
        .find_member(&ident)
        .ok_or_else(|| ApiError::not_found(FAMILY, format!("User {ident} is not a member of this team")))?;
    let index = member.index;
    let now = state.clock.now();
    let cycle = cycle_bounds(now.date());
    let used = {
        let mut book = SpendBook::new(&state.data, now);
        days(cycle.0, now.date()).any(|day| book.day(index, day) > 0.0)
            || days(cycle.0, now.date()).any(|day| state.data.user_day(index, day).presence == Presence::Active)
    };
    state.with_team(&key.0, |team, _| {
        if team.removed_members.contains(&index) {
            return Err(bad(format!("User {ident} has already been removed from the team")));
        }
        team.removed_members.push(index);
        Ok(())
    })?;
    Ok(Json(json!({
        "success": true,
        "userId": state.data.members()[index].user_id,
        "hasBillingCycleUsage": used,
    })))
}

// ---------------------------------------------------------------------------------------
// Model access (preview): errors are `{code, message}`.

/// The providers and their models the simulator offers.
const PROVIDERS: &[(&str, &str, &[&str])] = &[
    ("anthropic", "Anthropic", &["claude-4-sonnet", "claude-4-opus", "claude-4.5-sonnet"]),
    ("openai", "OpenAI", &["gpt-5", "gpt-5-mini", "o3"]),
    ("google", "Google", &["gemini-2.5-pro", "gemini-2.5-flash"]),
    ("xai", "xAI", &["grok-4"]),
    ("cursor", "Cursor", &["composer-1", "cursor-small"]),
];

fn coded(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (status, Json(json!({"code": code, "message": message.into()}))).into_response()
}

/// A model-access refusal, boxed: a `Response` is large to carry in every `Result`.
type Refusal = Box<Response>;

fn allowed_field(body: &Bytes, name: &str) -> Result<bool, Refusal> {
    let value: Value = serde_json::from_slice(if body.is_empty() { b"{}" } else { body })
        .map_err(|e| Box::new(coded(StatusCode::BAD_REQUEST, "invalid_request", format!("Invalid JSON body: {e}"))))?;
    value.get(name).and_then(Value::as_bool).ok_or_else(|| {
        Box::new(coded(StatusCode::BAD_REQUEST, "invalid_request", format!("{name} is required: true or false")))
    })
}

fn provider_json(access: &ModelAccess, id: &str, name: &str) -> Value {
    json!({"provider": id, "name": name, "allowed": !access.blocked_providers.iter().any(|p| p == id)})
}

fn model_json(access: &ModelAccess, provider: &str, model: &str) -> Value {
    let blocked = access.blocked_providers.iter().any(|p| p == provider)
        || access.blocked_models.iter().any(|(p, m)| p == provider && m == model);
    json!({"model": model, "provider": provider, "allowed": !blocked})
}

fn unrestricted() -> Response {
    coded(
        StatusCode::CONFLICT,
        "model_access_unrestricted",
        "Model access is unrestricted for this team: restrict it with PUT /teams/model-access/configuration first",
    )
}

fn find_provider(provider: &str) -> Result<&'static (&'static str, &'static str, &'static [&'static str]), Refusal> {
    PROVIDERS
        .iter()
        .find(|(id, _, _)| *id == provider)
        .ok_or_else(|| Box::new(coded(StatusCode::NOT_FOUND, "not_found", format!("Unknown provider: {provider}"))))
}

/// `GET /teams/model-access/configuration`.
pub async fn model_access_configuration(State(state): State<Shared>, Extension(key): Extension<ApiKey>) -> Response {
    let restricted = state.with_team(&key.0, |team, _| team.model_access.restricted);
    Json(json!({"restricted": restricted})).into_response()
}

/// `PUT /teams/model-access/configuration` (`{"restricted": bool}`); PATCH is accepted too
/// until the SDK's core can send PUT.
pub async fn set_model_access_configuration(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    body: Bytes,
) -> Response {
    let restricted = match allowed_field(&body, "restricted") {
        Ok(value) => value,
        Err(response) => return *response,
    };
    state.with_team(&key.0, |team, _| team.model_access.restricted = restricted);
    Json(json!({"restricted": restricted})).into_response()
}

/// `GET /teams/model-access/providers`: `409` while the team is unrestricted.
pub async fn model_providers(State(state): State<Shared>, Extension(key): Extension<ApiKey>) -> Response {
    let access = state.with_team(&key.0, |team, _| team.model_access.clone());
    if !access.restricted {
        return unrestricted();
    }
    let providers: Vec<Value> = PROVIDERS.iter().map(|(id, name, _)| provider_json(&access, id, name)).collect();
    Json(json!({"providers": providers})).into_response()
}

/// `PUT /teams/model-access/providers/{provider}` (`{"allowed": bool}`).
pub async fn set_model_provider(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(provider): Path<String>,
    body: Bytes,
) -> Response {
    let (id, name, _) = match find_provider(&provider) {
        Ok(found) => *found,
        Err(response) => return *response,
    };
    let allowed = match allowed_field(&body, "allowed") {
        Ok(value) => value,
        Err(response) => return *response,
    };
    state.with_team(&key.0, |team, _| {
        let access = &mut team.model_access;
        if !access.restricted {
            return unrestricted();
        }
        access.blocked_providers.retain(|p| p != id);
        if !allowed {
            access.blocked_providers.push(id.to_owned());
        }
        Json(provider_json(access, id, name)).into_response()
    })
}

/// `GET /teams/model-access/providers/{provider}/models`.
pub async fn provider_models(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(provider): Path<String>,
) -> Response {
    let (id, _, models) = match find_provider(&provider) {
        Ok(found) => *found,
        Err(response) => return *response,
    };
    let access = state.with_team(&key.0, |team, _| team.model_access.clone());
    if !access.restricted {
        return unrestricted();
    }
    let models: Vec<Value> = models.iter().map(|m| model_json(&access, id, m)).collect();
    Json(json!({"provider": id, "models": models})).into_response()
}

/// `PUT /teams/model-access/providers/{provider}/models/{model}` (`{"allowed": bool}`).
pub async fn set_provider_model(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path((provider, model)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let (id, _, models) = match find_provider(&provider) {
        Ok(found) => *found,
        Err(response) => return *response,
    };
    let Some(model) = models.iter().find(|m| **m == model) else {
        return coded(StatusCode::NOT_FOUND, "not_found", format!("Unknown model {model} of provider {id}"));
    };
    let allowed = match allowed_field(&body, "allowed") {
        Ok(value) => value,
        Err(response) => return *response,
    };
    state.with_team(&key.0, |team, _| {
        let access = &mut team.model_access;
        if !access.restricted {
            return unrestricted();
        }
        access.blocked_models.retain(|(p, m)| !(p == id && m == model));
        if !allowed {
            access.blocked_models.push((id.to_owned(), (*model).to_owned()));
        }
        Json(model_json(access, id, model)).into_response()
    })
}
