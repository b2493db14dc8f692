//! AI Code Tracking API: commits and changes, as paginated JSON and as streamed CSV.

use axum::extract::{Extension, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use super::{Params, Shared, int_param};
use crate::auth::ApiKey;
use crate::cache::{cached_json, cached_stream};
use crate::csv::{CHANGE_HEADER, COMMIT_HEADER, change_metadata, change_row, commit_row, stream_rows};
use crate::dates::{epoch_ms, iso_millis, parse_aicode_time};
use crate::error::{ApiError, ApiResult, Family};
use crate::state::AppState;

const FAMILY: Family = Family::AiCode;

/// What a request asks for.
struct Selection {
    start: OffsetDateTime,
    end: OffsetDateTime,
    user: Option<usize>,
}

fn selection(state: &AppState, q: &Params) -> ApiResult<Selection> {
    let now = state.clock.now();
    let parse = |name: &str, default: OffsetDateTime| match q.get(name) {
        Some(raw) => parse_aicode_time(raw, now).map_err(|m| ApiError::bad_request(FAMILY, m)),
        None => Ok(default),
    };
    let start = parse("startDate", now - Duration::days(7))?;
    let end = parse("endDate", now)?;
    if start > end {
        return Err(ApiError::bad_request(FAMILY, "startDate must be before endDate"));
    }
    let user = match q.get("user").map(|u| u.trim()).filter(|u| !u.is_empty()) {
        Some(ident) => Some(
            state
                .data
                .find_member(ident)
                .ok_or_else(|| ApiError::bad_request(FAMILY, format!("User {ident} is not in the team")))?
                .index,
        ),
        None => None,
    };
    Ok(Selection { start, end, user })
}

fn commit_json(state: &AppState, i: u64) -> Value {
    let c = state.data.commit(i);
    let m = &state.data.members()[c.member];
    json!({
        "commitHash": c.commit_hash,
        "userId": m.user_id,
        "userEmail": m.email,
        "repoName": c.repo_name,
        "branchName": c.branch_name,
        "isPrimaryBranch": c.is_primary_branch,
        "totalLinesAdded": c.total_lines_added,
        "totalLinesDeleted": c.total_lines_deleted,
        "tabLinesAdded": c.tab_lines_added,
        "tabLinesDeleted": c.tab_lines_deleted,
        "composerLinesAdded": c.composer_lines_added,
        "composerLinesDeleted": c.composer_lines_deleted,
        "nonAiLinesAdded": c.non_ai_lines_added(),
        "nonAiLinesDeleted": c.non_ai_lines_deleted(),
        "message": c.message,
        "commitTs": c.commit_ts.map(iso_millis),
        "createdAt": iso_millis(c.created_at),
        "commitSource": commit_source(&c.commit_hash),
    })
}

/// Where a commit was made (`commitSource`, current documents): mostly the editor, some the
/// CLI and cloud agents, stable per hash.
fn commit_source(hash: &str) -> &'static str {
    match crate::data::hash_str(hash) % 10 {
        0 | 1 => "cli",
        2 => "cloud",
        _ => "ide",
    }
}

fn change_json(state: &AppState, i: u64) -> Value {
    let c = state.data.change(i);
    let m = &state.data.members()[c.member];
    json!({
        "changeId": c.change_id,
        "userId": m.user_id,
        "userEmail": m.email,
        "source": c.source,
        "model": c.model,
        "totalLinesAdded": c.total_lines_added(),
        "totalLinesDeleted": c.total_lines_deleted(),
        "createdAt": iso_millis(c.created_at),
        "metadata": change_metadata(&c),
    })
}

/// A page of items: indices come newest first; a user filter scans the range.
fn page_of(
    state: &AppState,
    q: &Params,
    headers: &HeaderMap,
    range_of: fn(&AppState, &Selection) -> std::ops::Range<u64>,
    member_of: fn(&AppState, u64) -> usize,
    render: fn(&AppState, u64) -> Value,
) -> ApiResult<Response> {
    let sel = selection(state, q)?;
    let page = int_param(q, "page", 1, 1, u64::MAX, FAMILY)?;
    let page_size = int_param(q, "pageSize", 100, 1, 1000, FAMILY)?;
    let range = range_of(state, &sel);
    let skip = (page - 1).saturating_mul(page_size);
    let (total, items): (u64, Vec<Value>) = match sel.user {
        None => {
            let total = range.end - range.start;
            let from = range.start.saturating_add(skip).min(range.end);
            let to = from.saturating_add(page_size).min(range.end);
            (total, (from..to).map(|i| render(state, i)).collect())
        }
        Some(user) => {
            let matching: Vec<u64> = range.filter(|&i| member_of(state, i) == user).collect();
            let items =
                matching.iter().skip(skip as usize).take(page_size as usize).map(|&i| render(state, i)).collect();
            (matching.len() as u64, items)
        }
    };
    let body = json!({"items": items, "totalCount": total, "page": page, "pageSize": page_size});
    Ok(cached_json(headers, &body))
}

fn commit_range(state: &AppState, sel: &Selection) -> std::ops::Range<u64> {
    state.data.commit_range(sel.start, sel.end)
}

fn change_range(state: &AppState, sel: &Selection) -> std::ops::Range<u64> {
    state.data.change_range(sel.start, sel.end)
}

/// `GET /analytics/ai-code/commits`.
pub async fn commits(State(state): State<Shared>, Query(q): Query<Params>, headers: HeaderMap) -> ApiResult<Response> {
    page_of(&state, &q, &headers, commit_range, |s, i| s.data.commit(i).member, commit_json)
}

/// `GET /analytics/ai-code/changes`.
pub async fn changes(State(state): State<Shared>, Query(q): Query<Params>, headers: HeaderMap) -> ApiResult<Response> {
    page_of(&state, &q, &headers, change_range, |s, i| s.data.change(i).member, change_json)
}

/// One of the two CSV exports.
struct CsvExport {
    /// Name mixed into the ETag.
    name: &'static str,
    /// Header line.
    header: &'static str,
    /// Indices in the selected range.
    range_of: fn(&AppState, &Selection) -> std::ops::Range<u64>,
    /// Row `i`, or `None` when the user filter drops it.
    render: fn(&AppState, u64, Option<usize>) -> Option<String>,
}

fn commit_csv_row(s: &AppState, i: u64, user: Option<usize>) -> Option<String> {
    let c = s.data.commit(i);
    user.is_none_or(|u| u == c.member).then(|| commit_row(&s.data, &c))
}

fn change_csv_row(s: &AppState, i: u64, user: Option<usize>) -> Option<String> {
    let c = s.data.change(i);
    user.is_none_or(|u| u == c.member).then(|| change_row(&s.data, &c))
}

const COMMITS_CSV: CsvExport =
    CsvExport { name: "commits.csv", header: COMMIT_HEADER, range_of: commit_range, render: commit_csv_row };

const CHANGES_CSV: CsvExport =
    CsvExport { name: "changes.csv", header: CHANGE_HEADER, range_of: change_range, render: change_csv_row };

/// A streamed CSV; the ETag comes from what determines the rows.
fn csv_of(
    state: Shared,
    key: &ApiKey,
    q: &Params,
    headers: &HeaderMap,
    export: &'static CsvExport,
) -> ApiResult<Response> {
    let sel = selection(&state, q)?;
    let range = (export.range_of)(&state, &sel);
    let identity = format!(
        "{}|{}|{:?}|{}|{}|{:?}|{}",
        export.name,
        state.data.seed(),
        state.data.sizes(),
        epoch_ms(sel.start),
        epoch_ms(sel.end),
        sel.user,
        AppState::team_id(&key.0),
    );
    let user = sel.user;
    Ok(cached_stream(headers, &identity, "text/csv; charset=utf-8", move || {
        // The filter travels with the state: `stream_rows` takes a plain fn.
        let owner = std::sync::Arc::new((state, user, export.render));
        stream_rows(owner, export.header, range, |(state, user, render), i| render(state, i, *user))
    }))
}

/// `GET /analytics/ai-code/commits.csv`.
pub async fn commits_csv(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Query(q): Query<Params>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    csv_of(state, &key, &q, &headers, &COMMITS_CSV)
}

/// `GET /analytics/ai-code/changes.csv`.
pub async fn changes_csv(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Query(q): Query<Params>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    csv_of(state, &key, &q, &headers, &CHANGES_CSV)
}

/// `GET /analytics/ai-code/commits/{commitHash}`: the commits recorded under one or more
/// comma-separated hashes (an amended commit appears once per record), optionally on one
/// `branch`. Hashes must be hexadecimal; the whole history is searched.
pub async fn commits_by_hash(
    State(state): State<Shared>,
    axum::extract::Path(raw): axum::extract::Path<String>,
    Query(q): Query<Params>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let hashes: Vec<&str> = raw.split(',').map(str::trim).filter(|h| !h.is_empty()).collect();
    if hashes.is_empty() {
        return Err(ApiError::bad_request(FAMILY, "Give at least one commit hash"));
    }
    if let Some(bad) = hashes.iter().find(|h| h.len() > 64 || !h.bytes().all(|b| b.is_ascii_hexdigit())) {
        return Err(ApiError::bad_request(FAMILY, format!("'{bad}' is not a commit hash")));
    }
    if hashes.len() > 100 {
        return Err(ApiError::bad_request(FAMILY, "At most 100 commit hashes per request"));
    }
    let branch = q.get("branch").map(|b| b.trim()).filter(|b| !b.is_empty());
    let data = &state.data;
    let now = state.clock.now();
    let items: Vec<Value> = (0..data.sizes().commits)
        .filter(|&i| {
            let c = data.commit(i);
            c.created_at <= now
                && hashes.iter().any(|h| c.commit_hash.eq_ignore_ascii_case(h))
                && branch.is_none_or(|b| c.branch_name.as_deref() == Some(b))
        })
        .map(|i| commit_json(&state, i))
        .collect();
    let found: Vec<String> =
        items.iter().filter_map(|c| c.get("commitHash").and_then(Value::as_str)).map(str::to_lowercase).collect();
    let not_found: Vec<&str> = hashes.iter().copied().filter(|h| !found.contains(&h.to_lowercase())).collect();
    let body = json!({"items": items, "notFound": not_found});
    Ok(cached_json(&headers, &body))
}
