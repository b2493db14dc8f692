//! `POST /teams/spend`: each member's spend in the billing cycle, and the spend book that
//! groups share.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use serde_json::{Value, json};
use time::{Date, Duration, OffsetDateTime};

use super::{FAMILY, bad, days};
use crate::auth::ApiKey;
use crate::data::TeamData;
use crate::dates::{cycle_bounds, epoch_ms, midnight};
use crate::error::ApiResult;
use crate::routes::{Shared, int_field, json_body, page_count, page_window};
use crate::state::Membership;

/// Cents spent by each member on each day of a span (memoized per request).
pub(super) struct SpendBook<'a> {
    pub(super) data: &'a TeamData,
    now: OffsetDateTime,
    cache: HashMap<(usize, Date), f64>,
}

impl<'a> SpendBook<'a> {
    pub(super) fn new(data: &'a TeamData, now: OffsetDateTime) -> Self {
        Self { data, now, cache: HashMap::new() }
    }

    pub(super) fn day(&mut self, member: usize, day: Date) -> f64 {
        if day > self.now.date() {
            return 0.0;
        }
        let (data, until) = (self.data, epoch_ms(self.now));
        *self.cache.entry((member, day)).or_insert_with(|| data.spend_cents(member, day, until))
    }

    /// Whole cents of a member over the cycle days its membership covers.
    pub(super) fn membership(&mut self, m: &Membership, cycle: (Date, Date)) -> (u64, Vec<(Date, u64)>) {
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
