//! `/teams/groups`: billing groups, their members and their spend per cycle.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, Path, Query, State};
use axum::http::StatusCode;
use serde_json::{Map, Value, json};
use time::{Date, Duration, OffsetDateTime};

use super::spend::SpendBook;
use super::{FAMILY, bad};
use crate::auth::ApiKey;
use crate::data::{TeamData, base62, hash_str, rng_for};
use crate::dates::{cycle_bounds, iso_millis, midnight, ymd};
use crate::error::{ApiError, ApiResult};
use crate::routes::{Params, Shared, json_body};
use crate::state::{Group, Membership};

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

/// The members a membership change names. `Unassigned` is refused first: its members are
/// whoever is in no group, so they cannot be `what` directly ("added to Unassigned; …").
fn members_to_move(state: &Shared, id: &str, body: &Bytes, what: &str) -> ApiResult<Vec<usize>> {
    if id == UNASSIGNED_ID {
        return Err(bad(format!("Members cannot be {what}")));
    }
    user_ids(body, &state.data)
}

/// A group synced with SCIM refuses membership changes through the API.
fn refuse_scim(group: &Group) -> ApiResult<()> {
    if group.directory_group_id.is_some() { Err(bad(SCIM_REFUSAL)) } else { Ok(()) }
}

/// `POST /teams/groups/:groupId/members`.
pub async fn add_members(
    State(state): State<Shared>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let members = members_to_move(&state, &id, &body, "added to Unassigned; remove them from their group instead")?;
    state.with_team(&key.0, |team, ctx| {
        let position = team.groups.iter().position(|g| g.id == id).ok_or_else(|| group_not_found(&id))?;
        refuse_scim(&team.groups[position])?;
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
    let members = members_to_move(&state, &id, &body, "removed from Unassigned; add them to a group instead")?;
    state.with_team(&key.0, |team, ctx| {
        let group = team.groups.iter_mut().find(|g| g.id == id).ok_or_else(|| group_not_found(&id))?;
        refuse_scim(group)?;
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
