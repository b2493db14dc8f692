//! The current documents' Analytics metrics: skills, conversation insights and Bugbot
//! reviews.

use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Map, Value, json};
use time::Date;

use super::{FAMILY, base_params, past_days, ratio, selected};
use crate::auth::ApiKey;
use crate::cache::cached_json;
use crate::data::{Presence, UserDay};
use crate::dates::ymd;
use crate::error::{ApiError, ApiResult};
use crate::routes::{Params, Shared, int_param, page_count, page_window};

const SKILLS: [&str; 5] = ["api-docs", "db-migrations", "pdf-reader", "release-notes", "test-writer"];

/// The skills a member used on a day, derived from the day's agent work.
pub(super) fn skills_of(d: &UserDay) -> Vec<(&'static str, u64)> {
    if d.presence != Presence::Active {
        return Vec::new();
    }
    let seed = d.agent_requests + 3 * d.chat_requests + d.date.to_julian_day() as u64;
    SKILLS
        .iter()
        .enumerate()
        .filter(|(i, _)| (seed + *i as u64).is_multiple_of(3))
        .map(|(i, skill)| (*skill, 1 + (seed / (i as u64 + 1)) % 4))
        .collect()
}

const INSIGHT_SECTIONS: [(&str, &[(&str, f64)]); 5] = [
    (
        "intents",
        &[("bug_fix", 0.31), ("new_feature", 0.27), ("refactor", 0.17), ("explain_code", 0.15), ("write_tests", 0.10)],
    ),
    ("complexity", &[("low", 0.42), ("medium", 0.39), ("high", 0.19)]),
    ("categories", &[("backend", 0.38), ("frontend", 0.29), ("infrastructure", 0.18), ("data", 0.15)]),
    ("guidanceLevels", &[("minimal", 0.35), ("moderate", 0.45), ("detailed", 0.20)]),
    ("workTypes", &[("new_code", 0.40), ("maintenance", 0.30), ("debugging", 0.22), ("review", 0.08)]),
];

fn feature_off() -> ApiError {
    ApiError {
        status: axum::http::StatusCode::UNAUTHORIZED,
        family: FAMILY,
        code: "unauthorized",
        message: "Conversation insights are not enabled for this team".into(),
    }
}

/// `GET /analytics/team/conversation-insights`: `include=` picks sections (all by default);
/// `401` while the feature is off for the team.
pub(super) fn conversation_insights(
    state: &Shared,
    key: &ApiKey,
    q: &Params,
    headers: &HeaderMap,
    start: Date,
    end: Date,
) -> ApiResult<Response> {
    if !state.config.shapes.conversation_insights_enabled {
        return Err(feature_off());
    }
    let include: Vec<&str> = match q.get("include").filter(|i| !i.trim().is_empty()) {
        Some(raw) => raw.split(',').map(str::trim).filter(|s| !s.is_empty()).collect(),
        None => INSIGHT_SECTIONS.iter().map(|(name, _)| *name).collect(),
    };
    if let Some(unknown) = include.iter().find(|s| !INSIGHT_SECTIONS.iter().any(|(name, _)| name == *s)) {
        return Err(ApiError::bad_request(
            FAMILY,
            format!(
                "Unknown include value '{unknown}': use intents, complexity, categories, guidanceLevels, workTypes"
            ),
        ));
    }
    let members = selected(state, q)?;
    let mut total = 0u64;
    for day in past_days(state, start, end) {
        for &m in &members {
            let d = state.data.user_day(m, day);
            if d.presence == Presence::Active {
                total += d.chat_requests + d.composer_requests + d.agent_requests;
            }
        }
    }
    let mut data = Map::new();
    data.insert("totalConversations".into(), json!(total));
    for (name, buckets) in INSIGHT_SECTIONS.iter().filter(|(name, _)| include.contains(name)) {
        let rows: Vec<Value> = buckets
            .iter()
            .map(|(label, weight)| {
                let count = (total as f64 * weight).round() as u64;
                json!({"label": label, "count": count, "share": ratio(count, total)})
            })
            .collect();
        data.insert((*name).to_owned(), Value::Array(rows));
    }
    let body = json!({"data": data, "params": base_params("conversation-insights", key, start, end)});
    Ok(cached_json(headers, &body))
}

const BUGBOT_REPOS: [&str; 4] = ["company/api", "company/web", "company/mobile", "company/infra"];

/// One pull request Bugbot looked at: one per member and day Bugbot ran for them.
struct PullRequest {
    repo: &'static str,
    number: u64,
    state: &'static str,
    author: usize,
    reviews: u64,
    issues_found: u64,
    issues_resolved: u64,
    day: Date,
    seed: u64,
}

fn pull_requests(state: &Shared, start: Date, end: Date) -> Vec<PullRequest> {
    let mut prs = Vec::new();
    for day in past_days(state, start, end) {
        for member in state.data.members() {
            if !state.data.user_day(member.index, day).bugbot {
                continue;
            }
            let seed = crate::data::hash_str(&format!("bugbot-pr|{}|{}", member.index, day.to_julian_day()));
            let issues_found = (seed / 11) % 5;
            let pr_state = match (seed / 7) % 10 {
                0..=5 => "merged",
                6..=8 => "open",
                _ => "closed",
            };
            prs.push(PullRequest {
                repo: BUGBOT_REPOS[(seed % 4) as usize],
                number: 100 + (seed / 3) % 9000,
                state: pr_state,
                author: member.index,
                reviews: 1 + seed % 3,
                issues_found,
                issues_resolved: if pr_state == "merged" { issues_found.min((seed / 13) % 5) } else { 0 },
                day,
                seed,
            });
        }
    }
    // Newest first, as a dashboard lists them.
    prs.sort_by(|a, b| b.day.cmp(&a.day).then(a.repo.cmp(b.repo)).then(a.number.cmp(&b.number)));
    prs
}

fn pr_json(state: &Shared, pr: &PullRequest) -> Value {
    json!({
        "repo": pr.repo,
        "prNumber": pr.number,
        "prUrl": format!("https://github.com/{}/pull/{}", pr.repo, pr.number),
        "prState": pr.state,
        "authorEmail": state.data.members()[pr.author].email,
        "reviews": pr.reviews,
        "issuesFound": pr.issues_found,
        "issuesResolved": pr.issues_resolved,
        "lastReviewedAt": format!("{}T{:02}:00:00.000Z", ymd(pr.day), 9 + pr.seed % 9),
    })
}

fn review_rows(pr: &PullRequest) -> Vec<Value> {
    (0..pr.reviews)
        .map(|k| {
            let seed = pr.seed.rotate_left(k as u32 * 8) ^ k;
            json!({
                "reviewId": format!("rev_{:012x}", seed & 0xffff_ffff_ffff),
                "repo": pr.repo,
                "prNumber": pr.number,
                "dryRun": seed.is_multiple_of(5),
                "outcome": if seed.is_multiple_of(17) { "error" } else { "success" },
                "issuesFound": if k + 1 == pr.reviews { pr.issues_found } else { (seed / 19) % 3 },
                "createdAt": format!("{}T{:02}:{:02}:00.000Z", ymd(pr.day), 9 + k, seed % 60),
            })
        })
        .collect()
}

/// `GET /analytics/team/bugbot` and `/analytics/team/bugbot-reviews`: paged
/// (`pageSize` 1–250, default 50) with `pagination.totalItems`.
pub(super) fn bugbot(
    state: &Shared,
    key: &ApiKey,
    metric: &str,
    q: &Params,
    headers: &HeaderMap,
    start: Date,
    end: Date,
) -> ApiResult<Response> {
    let page = int_param(q, "page", 1, 1, u64::MAX, FAMILY)?;
    let page_size = int_param(q, "pageSize", 50, 1, 250, FAMILY)?;
    let repo = q.get("repo").map(|r| r.trim()).filter(|r| !r.is_empty());
    let prs = pull_requests(state, start, end);
    let prs = prs.iter().filter(|pr| repo.is_none_or(|r| pr.repo == r));
    let items: Vec<Value> = if metric == "bugbot" {
        let pr_state = match q.get("prState").map(|s| s.trim()) {
            None | Some("") => None,
            Some(s @ ("open" | "merged" | "closed")) => Some(s),
            Some(other) => {
                return Err(ApiError::bad_request(
                    FAMILY,
                    format!("prState must be open, merged or closed, got '{other}'"),
                ));
            }
        };
        prs.filter(|pr| pr_state.is_none_or(|s| pr.state == s)).map(|pr| pr_json(state, pr)).collect()
    } else {
        let pr_number = match q.get("prNumber").map(|n| n.trim()).filter(|n| !n.is_empty()) {
            None => None,
            Some(raw) => Some(raw.parse::<u64>().map_err(|_| {
                ApiError::bad_request(FAMILY, format!("prNumber must be a positive integer, got '{raw}'"))
            })?),
        };
        let dry_run = match q.get("dryRun").map(|d| d.trim()) {
            None | Some("") => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(other) => {
                return Err(ApiError::bad_request(FAMILY, format!("dryRun must be true or false, got '{other}'")));
            }
        };
        prs.filter(|pr| pr_number.is_none_or(|n| pr.number == n))
            .flat_map(review_rows)
            .filter(|r| dry_run.is_none_or(|d| r["dryRun"] == json!(d)))
            .collect()
    };
    let total = items.len() as u64;
    let window = page_window(total, page, page_size);
    let total_pages = page_count(total, page_size);
    let body = json!({
        "data": items[window.start as usize..window.end as usize],
        "pagination": {
            "page": page,
            "pageSize": page_size,
            "totalItems": total,
            "totalPages": total_pages,
            "hasNextPage": page < total_pages,
        },
        "params": base_params(metric, key, start, end),
    });
    Ok(cached_json(headers, &body))
}
