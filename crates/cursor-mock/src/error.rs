//! API families and their error bodies: `{"error","message"}` for Admin, Analytics, AI code
//! and Bugbot; `{"error":{"code","message"}}` for Cloud Agents.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Which API a path belongs to; decides error shapes, auth rules and rate-limit buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `/teams/...` and `/settings/...`.
    Admin,
    /// `/analytics/team/...` and `/analytics/by-user/...`.
    Analytics,
    /// `/analytics/ai-code/...`.
    AiCode,
    /// `/v0/...` and `/v1/...`.
    Agents,
    /// `/bugbot/...`.
    Bugbot,
    /// `/__mock/...`, the control API.
    Control,
    /// Anything else.
    Unknown,
}

impl Family {
    /// The family of a request path.
    pub fn of(path: &str) -> Self {
        if path.starts_with("/__mock") {
            Self::Control
        } else if path.starts_with("/analytics/ai-code") {
            Self::AiCode
        } else if path.starts_with("/analytics/") {
            Self::Analytics
        } else if path.starts_with("/teams/") || path.starts_with("/settings/") {
            Self::Admin
        } else if path.starts_with("/v0/") || path.starts_with("/v1/") {
            Self::Agents
        } else if path.starts_with("/bugbot/") {
            Self::Bugbot
        } else {
            Self::Unknown
        }
    }

    /// Whether the family is only for Enterprise teams.
    pub fn is_enterprise_only(self) -> bool {
        matches!(self, Self::Admin | Self::Analytics | Self::AiCode)
    }
}

/// An error answered in its family's documented shape.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Which shape to use.
    pub family: Family,
    /// Machine-readable code (Cloud Agents shape only).
    pub code: &'static str,
    /// Human-readable message.
    pub message: String,
}

impl ApiError {
    fn new(status: StatusCode, family: Family, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, family, code, message: message.into() }
    }

    /// `400` with a message saying what is wrong.
    pub fn bad_request(family: Family, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, family, "invalid_request", message)
    }

    /// `401` for a missing or wrong key.
    pub fn unauthorized(family: Family) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, family, "unauthorized", "Invalid API key")
    }

    /// `403` for an Enterprise API called by a non-Enterprise team.
    pub fn forbidden(family: Family) -> Self {
        Self::new(StatusCode::FORBIDDEN, family, "forbidden", "Enterprise access required")
    }

    /// `404`.
    pub fn not_found(family: Family, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, family, "not_found", message)
    }

    /// `409`.
    pub fn conflict(family: Family, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, family, "conflict", message)
    }

    /// `413` for a request body over the simulator's limit of `limit` bytes.
    pub fn payload_too_large(family: Family, limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            family,
            "payload_too_large",
            format!("The request body exceeds the limit of {limit} bytes"),
        )
    }

    /// `429` with the documented message.
    pub fn too_many_requests(family: Family) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            family,
            "rate_limit_exceeded",
            "Rate limit exceeded. Please try again later.",
        )
    }

    /// A `5xx` with the documented message.
    pub fn server_error(family: Family, status: StatusCode) -> Self {
        Self::new(status, family, "internal_error", "An unexpected error occurred")
    }

    /// The JSON body of this error.
    pub fn body(&self) -> serde_json::Value {
        match self.family {
            Family::Agents => json!({"error": {"code": self.code, "message": self.message}}),
            _ => json!({
                "error": self.status.canonical_reason().unwrap_or("Error"),
                "message": self.message,
            }),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_follow_the_path_prefixes() {
        assert_eq!(Family::of("/teams/members"), Family::Admin);
        assert_eq!(Family::of("/settings/repo-blocklists/repos"), Family::Admin);
        assert_eq!(Family::of("/analytics/ai-code/commits.csv"), Family::AiCode);
        assert_eq!(Family::of("/analytics/team/dau"), Family::Analytics);
        assert_eq!(Family::of("/v0/agents"), Family::Agents);
        assert_eq!(Family::of("/bugbot/repo/update"), Family::Bugbot);
        assert_eq!(Family::of("/__mock/journal"), Family::Control);
    }

    #[test]
    fn error_bodies_differ_between_families() {
        let admin = ApiError::unauthorized(Family::Admin).body();
        assert_eq!(admin, json!({"error": "Unauthorized", "message": "Invalid API key"}));
        let agents = ApiError::unauthorized(Family::Agents).body();
        assert_eq!(agents["error"]["code"], "unauthorized");
        assert_eq!(agents["error"]["message"], "Invalid API key");
    }

    #[test]
    fn payload_too_large_has_each_familys_shape() {
        let admin = ApiError::payload_too_large(Family::Admin, 10).body();
        assert_eq!(admin["error"], "Payload Too Large");
        assert!(admin["message"].as_str().is_some_and(|m| m.contains("10 bytes")));
        let agents = ApiError::payload_too_large(Family::Agents, 10).body();
        assert_eq!(agents["error"]["code"], "payload_too_large");
    }
}
