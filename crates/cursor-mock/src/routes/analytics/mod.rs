//! Analytics API: eleven team-level metrics (leaderboard included) and nine by-user metrics,
//! all computed from the same per-user days so that team totals are sums over users.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Extension, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Map, Value, json};
use time::{Date, Duration};

use super::admin::days;
use super::{Params, Shared, int_param, page_count, page_window, users_filter};
use crate::auth::ApiKey;
use crate::cache::cached_json;
use crate::data::{Presence, UserDay};
use crate::dates::{parse_analytics_date, ymd};
use crate::error::{ApiError, ApiResult, Family};
use crate::state::AppState;

mod current_metrics;

use current_metrics::{bugbot, conversation_insights, skills_of};

const FAMILY: Family = Family::Analytics;

const TEAM_METRICS: &[&str] = &[
    "agent-edits",
    "tabs",
    "dau",
    "client-versions",
    "models",
    "top-file-extensions",
    "mcp",
    "commands",
    "plans",
    "ask-mode",
    "leaderboard",
    // The current documents'.
    "skills",
    "conversation-insights",
    "bugbot",
    "bugbot-reviews",
];
const BY_USER_METRICS: &[&str] = &[
    "agent-edits",
    "tabs",
    "models",
    "top-file-extensions",
    "client-versions",
    "mcp",
    "commands",
    "plans",
    "ask-mode",
    "skills",
];

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { round3(a as f64 / b as f64) }
}

/// The resolved `[start, end]` days of a request (default: 7 days ago to today).
fn date_range(state: &Shared, q: &Params) -> ApiResult<(Date, Date)> {
    let now = state.clock.now();
    let today = now.date();
    let parse = |name: &str, default: Date| match q.get(name) {
        Some(raw) => parse_analytics_date(raw, now).map_err(|m| ApiError::bad_request(FAMILY, m)),
        None => Ok(default),
    };
    let start = parse("startDate", today - Duration::days(7))?;
    let end = parse("endDate", today)?;
    if start > end {
        return Err(ApiError::bad_request(FAMILY, "startDate must be on or before endDate"));
    }
    if end - start > Duration::days(30) {
        return Err(ApiError::bad_request(
            FAMILY,
            "Date range cannot exceed 30 days. Make multiple requests for longer periods.",
        ));
    }
    Ok((start, end))
}

/// Members selected by `users`, or everyone.
fn selected(state: &Shared, q: &Params) -> ApiResult<Vec<usize>> {
    match q.get("users").filter(|u| !u.trim().is_empty()) {
        Some(raw) => users_filter(&state.data, raw, FAMILY),
        None => Ok((0..state.data.members().len()).collect()),
    }
}

fn base_params(metric: &str, key: &ApiKey, start: Date, end: Date) -> Value {
    json!({
        "metric": metric,
        "teamId": AppState::team_id(&key.0),
        "startDate": ymd(start),
        "endDate": ymd(end),
    })
}

/// The days of a range that have happened.
fn past_days(state: &Shared, start: Date, end: Date) -> Vec<Date> {
    days(start, end.min(state.clock.now().date())).collect()
}

/// Sums a per-(day, label) count over users into rows `{event_date, <label fields>, usage}`.
fn labelled_rows<K: Ord + Clone>(
    day_rows: &[(Date, Vec<UserDay>)],
    extract: impl Fn(&UserDay) -> Vec<(K, u64)>,
    render: impl Fn(&str, &K, u64) -> Value,
) -> Vec<Value> {
    let mut rows = Vec::new();
    for (day, users) in day_rows {
        let mut sums: BTreeMap<K, u64> = BTreeMap::new();
        for u in users {
            for (k, n) in extract(u) {
                *sums.entry(k).or_default() += n;
            }
        }
        let mut sums: Vec<(K, u64)> = sums.into_iter().collect();
        sums.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let date = ymd(*day);
        rows.extend(sums.iter().map(|(k, n)| render(&date, k, *n)));
    }
    rows
}

fn edit_row(date: &str, s: &crate::data::EditStats, tabs: bool) -> Value {
    let mut row = json!({
        "event_date": date,
        "total_green_lines_accepted": s.green_accepted,
        "total_red_lines_accepted": s.red_accepted,
        "total_green_lines_rejected": s.green_suggested - s.green_accepted,
        "total_red_lines_rejected": s.red_suggested - s.red_accepted,
        "total_green_lines_suggested": s.green_suggested,
        "total_red_lines_suggested": s.red_suggested,
        "total_lines_suggested": s.lines_suggested(),
        "total_lines_accepted": s.lines_accepted(),
    });
    let (suggested, accepted, rejected) = if tabs {
        ("total_suggestions", "total_accepts", "total_rejects")
    } else {
        ("total_suggested_diffs", "total_accepted_diffs", "total_rejected_diffs")
    };
    row[suggested] = json!(s.suggested);
    row[accepted] = json!(s.accepted);
    row[rejected] = json!(s.suggested - s.accepted);
    row
}

fn team_rows(metric: &str, day_rows: &[(Date, Vec<UserDay>)]) -> Vec<Value> {
    match metric {
        "agent-edits" | "tabs" => day_rows
            .iter()
            .map(|(day, users)| {
                let mut sum = crate::data::EditStats::default();
                for u in users {
                    sum.add(if metric == "tabs" { &u.tabs } else { &u.agent });
                }
                edit_row(&ymd(*day), &sum, metric == "tabs")
            })
            .collect(),
        "dau" => day_rows
            .iter()
            .map(|(day, users)| {
                let active: Vec<&UserDay> = users.iter().filter(|u| u.presence == Presence::Active).collect();
                json!({
                    "date": ymd(*day),
                    "dau": active.len(),
                    "cli_dau": active.iter().filter(|u| u.cli).count(),
                    "cloud_agent_dau": active.iter().filter(|u| u.cloud_agent).count(),
                    "bugbot_dau": active.iter().filter(|u| u.bugbot).count(),
                })
            })
            .collect(),
        "client-versions" => {
            let mut rows = Vec::new();
            for (day, users) in day_rows {
                let active: Vec<&UserDay> = users.iter().filter(|u| u.presence == Presence::Active).collect();
                let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
                for u in &active {
                    *counts.entry(u.client_version).or_default() += 1;
                }
                let mut counts: Vec<_> = counts.into_iter().collect();
                counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(a.0)));
                for (version, n) in counts {
                    rows.push(json!({
                        "event_date": ymd(*day),
                        "client_version": version,
                        "user_count": n,
                        "percentage": ratio(n, active.len() as u64),
                    }));
                }
            }
            rows
        }
        "models" => day_rows
            .iter()
            .map(|(day, users)| {
                let mut breakdown: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
                for u in users {
                    for (model, messages) in &u.models {
                        let e = breakdown.entry(model).or_default();
                        e.0 += messages;
                        e.1 += 1;
                    }
                }
                let breakdown: Map<String, Value> = breakdown
                    .into_iter()
                    .map(|(m, (messages, users))| (m.to_owned(), json!({"messages": messages, "users": users})))
                    .collect();
                json!({"date": ymd(*day), "model_breakdown": breakdown})
            })
            .collect(),
        "top-file-extensions" => {
            let mut rows = Vec::new();
            for (day, users) in day_rows {
                let mut sums: BTreeMap<&str, [u64; 5]> = BTreeMap::new();
                for u in users {
                    for e in &u.extensions {
                        let s = sums.entry(e.extension).or_default();
                        s[0] += e.files;
                        s[1] += e.accepts;
                        s[2] += e.rejects;
                        s[3] += e.lines_suggested;
                        s[4] += e.lines_accepted;
                    }
                }
                let mut sums: Vec<_> = sums.into_iter().collect();
                sums.sort_by(|a, b| b.1[3].cmp(&a.1[3]).then_with(|| a.0.cmp(b.0)));
                // The documented top 5 per day by suggestion volume.
                for (ext, s) in sums.into_iter().take(5) {
                    rows.push(extension_row(&ymd(*day), ext, s));
                }
            }
            rows
        }
        "mcp" => labelled_rows(
            day_rows,
            |u| u.mcp.iter().map(|(t, s, n)| ((*t, *s), *n)).collect(),
            |date, (tool, server), n| json!({"event_date": date, "tool_name": tool, "mcp_server_name": server, "usage": n}),
        ),
        "commands" => labelled_rows(
            day_rows,
            |u| u.commands.clone(),
            |date, cmd, n| json!({"event_date": date, "command_name": cmd, "usage": n}),
        ),
        "plans" => labelled_rows(
            day_rows,
            |u| u.plans.clone(),
            |date, model, n| json!({"event_date": date, "model": model, "usage": n}),
        ),
        "skills" => labelled_rows(
            day_rows,
            skills_of,
            |date, skill, n| json!({"event_date": date, "skill_name": skill, "usage": n}),
        ),
        _ => labelled_rows(
            day_rows,
            |u| u.ask.clone(),
            |date, model, n| json!({"event_date": date, "model": model, "usage": n}),
        ),
    }
}

fn extension_row(date: &str, ext: &str, s: [u64; 5]) -> Value {
    json!({
        "event_date": date,
        "file_extension": ext,
        "total_files": s[0],
        "total_accepts": s[1],
        "total_rejects": s[2],
        "total_lines_suggested": s[3],
        "total_lines_accepted": s[4],
        "total_lines_rejected": s[3] - s[4],
    })
}

/// `404` for a metric the path names that is not in `metrics`.
fn known_metric(metrics: &[&str], metric: &str) -> ApiResult<()> {
    if metrics.contains(&metric) {
        Ok(())
    } else {
        Err(ApiError::not_found(FAMILY, format!("Unknown metric: {metric}")))
    }
}

/// `GET /analytics/team/{metric}`.
pub async fn team(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(metric): Path<String>,
    Query(q): Query<Params>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (start, end) = known_metric(TEAM_METRICS, &metric).and_then(|()| date_range(&state, &q))?;
    match metric.as_str() {
        "leaderboard" => return leaderboard(&state, &key, &q, &headers, start, end),
        "conversation-insights" => return conversation_insights(&state, &key, &q, &headers, start, end),
        "bugbot" | "bugbot-reviews" => return bugbot(&state, &key, &metric, &q, &headers, start, end),
        _ => {}
    }
    let members = selected(&state, &q)?;
    let day_rows: Vec<(Date, Vec<UserDay>)> = past_days(&state, start, end)
        .into_iter()
        .map(|day| (day, members.iter().map(|&m| state.data.user_day(m, day)).collect()))
        .collect();
    let body = json!({
        "data": team_rows(&metric, &day_rows),
        "params": base_params(&metric, &key, start, end),
    });
    Ok(cached_json(&headers, &body))
}

fn leaderboard(
    state: &Shared,
    key: &ApiKey,
    q: &Params,
    headers: &HeaderMap,
    start: Date,
    end: Date,
) -> ApiResult<Response> {
    let page = int_param(q, "page", 1, 1, u64::MAX, FAMILY)?;
    let page_size = int_param(q, "pageSize", 10, 1, 500, FAMILY)?;
    let filter = match q.get("users").filter(|u| !u.trim().is_empty()) {
        Some(raw) => Some(users_filter(&state.data, raw, FAMILY)?),
        None => None,
    };
    let data = &state.data;
    let day_list = past_days(state, start, end);
    struct Totals {
        member: usize,
        tabs: crate::data::EditStats,
        agent: crate::data::EditStats,
        models: HashMap<&'static str, u64>,
    }
    let totals: Vec<Totals> = data
        .members()
        .iter()
        .map(|m| {
            let mut t =
                Totals { member: m.index, tabs: Default::default(), agent: Default::default(), models: HashMap::new() };
            for &day in &day_list {
                let d = data.user_day(m.index, day);
                t.tabs.add(&d.tabs);
                t.agent.add(&d.agent);
                for (model, n) in &d.models {
                    *t.models.entry(model).or_default() += n;
                }
            }
            t
        })
        .collect();
    // Ranks are team-wide, by lines accepted, whatever the filter.
    let rank = |stats: &dyn Fn(&Totals) -> u64| -> Vec<(usize, u64)> {
        let mut order: Vec<usize> = (0..totals.len()).collect();
        order.sort_by(|&a, &b| stats(&totals[b]).cmp(&stats(&totals[a])).then(a.cmp(&b)));
        order
            .into_iter()
            .enumerate()
            .map(|(r, i)| (i, r as u64 + 1))
            .filter(|(i, _)| filter.as_ref().is_none_or(|f| f.contains(&totals[*i].member)))
            .collect()
    };
    let tab_ranked = rank(&|t| t.tabs.lines_accepted());
    let agent_ranked = rank(&|t| t.agent.lines_accepted());
    let total_users = tab_ranked.len() as u64;
    let window = page_window(total_users, page, page_size);
    let slice = |ranked: &[(usize, u64)]| ranked[window.start as usize..window.end as usize].to_vec();
    let tab_rows: Vec<Value> = slice(&tab_ranked)
        .into_iter()
        .map(|(i, r)| {
            let t = &totals[i];
            let m = &data.members()[t.member];
            json!({
                "email": m.email,
                "user_id": m.user_id,
                "total_accepts": t.tabs.accepted,
                "total_lines_accepted": t.tabs.lines_accepted(),
                "total_lines_suggested": t.tabs.lines_suggested(),
                "line_acceptance_ratio": ratio(t.tabs.lines_accepted(), t.tabs.lines_suggested()),
                "accept_ratio": ratio(t.tabs.accepted, t.tabs.suggested),
                "rank": r,
            })
        })
        .collect();
    let agent_rows: Vec<Value> = slice(&agent_ranked)
        .into_iter()
        .map(|(i, r)| {
            let t = &totals[i];
            let m = &data.members()[t.member];
            let favorite = t.models.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(m, _)| *m);
            json!({
                "email": m.email,
                "user_id": m.user_id,
                "total_accepts": t.agent.accepted,
                "total_lines_accepted": t.agent.lines_accepted(),
                "total_lines_suggested": t.agent.lines_suggested(),
                "line_acceptance_ratio": ratio(t.agent.lines_accepted(), t.agent.lines_suggested()),
                "favorite_model": favorite,
                "rank": r,
            })
        })
        .collect();
    let total_pages = page_count(total_users, page_size);
    let mut params = base_params("leaderboard", key, start, end);
    params["page"] = json!(page);
    params["pageSize"] = json!(page_size);
    let body = json!({
        "data": {
            "tab_leaderboard": {"data": tab_rows, "total_users": total_users},
            "agent_leaderboard": {"data": agent_rows, "total_users": total_users},
        },
        "pagination": {
            "page": page,
            "pageSize": page_size,
            "totalUsers": total_users,
            "totalPages": total_pages,
            "hasNextPage": page < total_pages,
            "hasPreviousPage": page > 1,
        },
        "params": params,
    });
    Ok(cached_json(headers, &body))
}

/// One user's rows for a by-user metric.
fn user_rows(metric: &str, d: &UserDay) -> Vec<Value> {
    let date = ymd(d.date);
    if metric == "client-versions" {
        return if d.presence == Presence::Absent {
            Vec::new()
        } else {
            vec![json!({"event_date": date, "client_version": d.client_version})]
        };
    }
    if d.presence != Presence::Active {
        return Vec::new();
    }
    match metric {
        "agent-edits" => vec![json!({
            "event_date": date,
            "suggested_lines": d.agent.lines_suggested(),
            "accepted_lines": d.agent.lines_accepted(),
        })],
        "tabs" => vec![json!({
            "event_date": date,
            "suggested_lines": d.tabs.lines_suggested(),
            "accepted_lines": d.tabs.lines_accepted(),
        })],
        "models" => d.models.iter().map(|(m, n)| json!({"event_date": date, "model": m, "messages": n})).collect(),
        "top-file-extensions" => d
            .extensions
            .iter()
            .map(|e| {
                extension_row(&date, e.extension, [e.files, e.accepts, e.rejects, e.lines_suggested, e.lines_accepted])
            })
            .collect(),
        "mcp" => d
            .mcp
            .iter()
            .map(|(t, s, n)| json!({"event_date": date, "tool_name": t, "mcp_server_name": s, "usage": n}))
            .collect(),
        "commands" => {
            d.commands.iter().map(|(c, n)| json!({"event_date": date, "command_name": c, "usage": n})).collect()
        }
        "plans" => d.plans.iter().map(|(m, n)| json!({"event_date": date, "model": m, "usage": n})).collect(),
        "skills" => {
            skills_of(d).into_iter().map(|(k, n)| json!({"event_date": date, "skill_name": k, "usage": n})).collect()
        }
        _ => d.ask.iter().map(|(m, n)| json!({"event_date": date, "model": m, "usage": n})).collect(),
    }
}

/// `GET /analytics/by-user/{metric}`.
pub async fn by_user(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(metric): Path<String>,
    Query(q): Query<Params>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (start, end) = known_metric(BY_USER_METRICS, &metric).and_then(|()| date_range(&state, &q))?;
    let page = int_param(&q, "page", 1, 1, u64::MAX, FAMILY)?;
    let page_size = int_param(&q, "pageSize", 100, 1, 500, FAMILY)?;
    let members = selected(&state, &q)?;
    let total = members.len() as u64;
    let window = page_window(total, page, page_size);
    let day_list = past_days(&state, start, end);
    let mut data = Map::new();
    let mut mappings = Vec::new();
    for &index in &members[window.start as usize..window.end as usize] {
        let member = &state.data.members()[index];
        let rows: Vec<Value> =
            day_list.iter().flat_map(|&day| user_rows(&metric, &state.data.user_day(index, day))).collect();
        data.insert(member.email.clone(), Value::Array(rows));
        mappings.push(json!({"id": member.user_id, "email": member.email}));
    }
    let total_pages = page_count(total, page_size);
    let mut params = base_params(&metric, &key, start, end);
    params["page"] = json!(page);
    params["pageSize"] = json!(page_size);
    params["userMappings"] = Value::Array(mappings);
    let body = json!({
        "data": data,
        "pagination": {
            "page": page,
            "pageSize": page_size,
            "totalUsers": total,
            "totalPages": total_pages,
            "hasNextPage": page < total_pages,
            "hasPreviousPage": page > 1,
        },
        "params": params,
    });
    Ok(cached_json(&headers, &body))
}
