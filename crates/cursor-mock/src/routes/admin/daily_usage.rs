//! `POST /teams/daily-usage-data`: each member's usage per day.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use serde_json::{Value, json};

use super::{FAMILY, bad, days, member_id};
use crate::auth::ApiKey;
use crate::data::Presence;
use crate::dates::{epoch_ms, from_epoch_ms, midnight, ymd};
use crate::error::ApiResult;
use crate::routes::{Shared, int_field, json_body, page_count, page_window};

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
