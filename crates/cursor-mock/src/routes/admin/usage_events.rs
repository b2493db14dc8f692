//! `POST /teams/filtered-usage-events`: usage events, their origin and the current
//! documents' filters.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use serde_json::{Value, json};

use super::{FAMILY, bad, days};
use crate::auth::ApiKey;
use crate::dates::{epoch_ms, from_epoch_ms};
use crate::error::ApiResult;
use crate::routes::{Shared, int_field, json_body, page_count, page_window};

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
