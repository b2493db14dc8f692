//! `GET /teams/audit-logs`: the team's audit events, filtered and paged.

use axum::Json;
use axum::extract::{Extension, Query, State};
use serde_json::{Value, json};
use time::Duration;

use super::{FAMILY, bad, days};
use crate::auth::ApiKey;
use crate::dates::{epoch_ms, iso_millis, parse_audit_time};
use crate::error::ApiResult;
use crate::routes::{Params, Shared, int_param, page_count, page_window, users_filter};
use crate::state::AppState;

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
