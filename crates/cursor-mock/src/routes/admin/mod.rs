//! Admin API: members, audit logs, daily usage, spend, usage events, spend limits, repo
//! blocklists, billing groups and model access, one file per resource; this one mounts them
//! and holds what they share.

use axum::Router;
use axum::routing::{get, post};
use serde_json::{Value, json};
use time::{Date, Duration};

use super::Shared;
use crate::error::{ApiError, Family};
use crate::state::AppState;
pub use crate::state::ModelAccess;

mod audit_logs;
mod blocklists;
mod daily_usage;
mod groups;
mod members;
mod model_access;
mod spend;
mod spend_limits;
mod usage_events;

pub use audit_logs::audit_logs;
pub use blocklists::{blocklists, delete_blocklist, upsert_blocklists};
pub use daily_usage::daily_usage;
pub use groups::{add_members, create_group, delete_group, get_group, list_groups, remove_members, update_group};
pub use members::{members, remove_member};
pub use model_access::{
    model_access_configuration, model_providers, provider_models, set_model_access_configuration, set_model_provider,
    set_provider_model,
};
pub use spend::spend;
pub use spend_limits::user_spend_limit;
pub use usage_events::usage_events;

/// Every Admin API route.
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/teams/members", get(members::members))
        .route("/teams/audit-logs", get(audit_logs::audit_logs))
        .route("/teams/daily-usage-data", post(daily_usage::daily_usage))
        .route("/teams/spend", post(spend::spend))
        .route("/teams/filtered-usage-events", post(usage_events::usage_events))
        .route("/teams/user-spend-limit", post(spend_limits::user_spend_limit))
        .route("/settings/repo-blocklists/repos", get(blocklists::blocklists))
        .route("/settings/repo-blocklists/repos/upsert", post(blocklists::upsert_blocklists))
        .route("/settings/repo-blocklists/repos/{repo_id}", axum::routing::delete(blocklists::delete_blocklist))
        .route("/teams/groups", get(groups::list_groups).post(groups::create_group))
        .route(
            "/teams/groups/{group_id}",
            get(groups::get_group).patch(groups::update_group).delete(groups::delete_group),
        )
        .route("/teams/groups/{group_id}/members", post(groups::add_members).delete(groups::remove_members))
        // Admin API, current documents (PATCH accepted beside PUT until the SDK's core sends PUT).
        .route("/teams/remove-member", post(members::remove_member))
        .route(
            "/teams/model-access/configuration",
            get(model_access::model_access_configuration)
                .put(model_access::set_model_access_configuration)
                .patch(model_access::set_model_access_configuration),
        )
        .route("/teams/model-access/providers", get(model_access::model_providers))
        .route(
            "/teams/model-access/providers/{provider}",
            axum::routing::put(model_access::set_model_provider).patch(model_access::set_model_provider),
        )
        .route("/teams/model-access/providers/{provider}/models", get(model_access::provider_models))
        .route(
            "/teams/model-access/providers/{provider}/models/{model}",
            axum::routing::put(model_access::set_provider_model).patch(model_access::set_provider_model),
        )
}

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
