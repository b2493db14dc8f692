//! `GET /teams/members` and `POST /teams/remove-member`: the team's members, and removing one.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use serde_json::{Value, json};

use super::spend::SpendBook;
use super::{FAMILY, bad, days, member_id};
use crate::auth::ApiKey;
use crate::data::Presence;
use crate::dates::cycle_bounds;
use crate::error::{ApiError, ApiResult};
use crate::routes::{Shared, json_body};

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
