//! Rate limits: fixed windows per key and bucket, in simulated time, with the documented
//! `429` body and a `Retry-After` header. A `304` does not count.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::ApiKey;
use crate::config::RateLimits;
use crate::error::{ApiError, Family};
use crate::state::AppState;
pub use crate::state::{RateLimiter, Rule};

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

/// The bucket a request counts against, and its rules; `None` for unlimited paths.
pub fn bucket_for(method: &Method, path: &str, limits: &RateLimits) -> Option<(String, Vec<Rule>)> {
    let per_minute = |limit| vec![Rule { limit, window: MINUTE }];
    let _ = method;
    match Family::of(path) {
        Family::Admin if path == "/teams/user-spend-limit" => {
            Some(("admin:user-spend-limit".into(), per_minute(limits.user_spend_limit_per_minute)))
        }
        Family::Admin if path == "/teams/filtered-usage-events" => {
            Some(("admin:filtered-usage-events".into(), per_minute(limits.usage_events_per_minute)))
        }
        Family::Admin if path == "/teams/remove-member" => {
            Some(("admin:remove-member".into(), per_minute(limits.remove_member_per_minute)))
        }
        Family::Analytics if path == "/analytics/team/conversation-insights" => {
            Some(("analytics:conversation-insights".into(), per_minute(limits.conversation_insights_per_minute)))
        }
        Family::Admin => Some(("admin".into(), per_minute(limits.admin_per_minute))),
        Family::Analytics if path.starts_with("/analytics/by-user/") => {
            Some(("analytics:by-user".into(), per_minute(limits.analytics_by_user_per_minute)))
        }
        Family::Analytics => Some(("analytics:team".into(), per_minute(limits.analytics_team_per_minute))),
        // Each AI-code endpoint has its own bucket.
        Family::AiCode => Some((format!("ai-code:{path}"), per_minute(limits.ai_code_per_endpoint_per_minute))),
        Family::Agents if path == "/v0/repositories" || path == "/v1/repositories" => Some((
            "agents:repositories".into(),
            vec![
                Rule { limit: limits.repositories_per_minute, window: MINUTE },
                Rule { limit: limits.repositories_per_hour, window: HOUR },
            ],
        )),
        Family::Agents => Some(("agents".into(), per_minute(limits.agents_per_minute))),
        // Dry runs also count against a smaller bucket, checked by the handler (it needs the body).
        Family::Bugbot if path == "/bugbot/review" => {
            Some(("bugbot:review".into(), per_minute(limits.bugbot_review_per_minute)))
        }
        Family::Bugbot => Some(("bugbot".into(), per_minute(limits.bugbot_per_minute))),
        Family::Control | Family::Unknown => None,
    }
}

/// The rule of the dry-run bucket of `POST /bugbot/review`.
pub fn bugbot_dry_run_rule(limits: &RateLimits) -> Rule {
    Rule { limit: limits.bugbot_review_dry_run_per_minute, window: MINUTE }
}

/// The `429` answer: the family's body, `Retry-After` in whole real seconds (rounded up, at
/// least 1, since the header cannot carry fractions) and `Retry-After-Ms` with the precise
/// real wait, which matters when the time scale makes windows shorter than a second.
pub fn too_many_requests(family: Family, real_wait: Duration) -> Response {
    let mut response = ApiError::too_many_requests(family).into_response();
    let secs = real_wait.as_secs_f64().ceil().max(1.0) as u64;
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    headers.insert("retry-after-ms", HeaderValue::from(real_wait.as_millis().max(1) as u64));
    response
}

/// Adds the v1 rate-limit headers to a `429` of a `/v1/` path: `X-RateLimit-Limit` (the
/// exceeded window's limit), `X-RateLimit-Remaining: 0` and `X-RateLimit-Reset` (seconds
/// until the window reopens, rounded up).
pub fn with_rate_limit_headers(mut response: Response, path: &str, limit: u32, real_wait: Duration) -> Response {
    if path.starts_with("/v1/") {
        let headers = response.headers_mut();
        headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        headers.insert("x-ratelimit-reset", HeaderValue::from(real_wait.as_secs_f64().ceil().max(1.0) as u64));
    }
    response
}

fn is_cacheable(family: Family, method: &Method) -> bool {
    method == Method::GET && matches!(family, Family::Analytics | Family::AiCode)
}

/// Middleware enforcing the limits. Conditional requests on cacheable routes run first so
/// that a `304` is answered without being counted.
pub async fn enforce(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let limits = &state.config.rate_limits;
    let path = request.uri().path().to_owned();
    let family = Family::of(&path);
    let Some((bucket, rules)) = bucket_for(request.method(), &path, limits).filter(|_| limits.enabled) else {
        return next.run(request).await;
    };
    let key = request.extensions().get::<ApiKey>().map(|k| k.0.clone()).unwrap_or_default();
    let conditional = is_cacheable(family, request.method()) && request.headers().contains_key(header::IF_NONE_MATCH);
    if conditional {
        let response = next.run(request).await;
        if response.status() == axum::http::StatusCode::NOT_MODIFIED {
            return response;
        }
        return match state.limiter.check(&key, &bucket, &rules, state.clock.sim_elapsed()) {
            Ok(()) => response,
            Err(wait) => too_many_requests(family, state.clock.to_real(wait)),
        };
    }
    match state.limiter.check(&key, &bucket, &rules, state.clock.sim_elapsed()) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let real = state.clock.to_real(wait);
            let limit = rules.iter().map(|r| r.limit).min().unwrap_or(0);
            with_rate_limit_headers(too_many_requests(family, real), &path, limit, real)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_follow_the_documented_table() {
        let limits = RateLimits::default();
        let get = Method::GET;
        let bucket = |p| bucket_for(&get, p, &limits).unwrap();
        assert_eq!(bucket("/teams/members").0, bucket("/teams/groups").0);
        assert_eq!(bucket("/teams/members").1[0].limit, 20);
        assert_eq!(bucket("/teams/user-spend-limit").1[0].limit, 250);
        // The current overview's own buckets.
        assert_eq!(bucket("/teams/filtered-usage-events").1[0].limit, 60);
        assert_eq!(bucket("/teams/remove-member").1[0].limit, 50);
        assert_eq!(bucket("/analytics/team/conversation-insights").1[0].limit, 20);
        assert_eq!(bucket("/bugbot/review").1[0].limit, 30);
        assert_ne!(bucket("/teams/filtered-usage-events").0, bucket("/teams/members").0);
        assert_ne!(bucket("/analytics/team/conversation-insights").0, bucket("/analytics/team/dau").0);
        assert_eq!(bucket("/analytics/team/dau").1[0].limit, 100);
        assert_eq!(bucket("/analytics/by-user/tabs").1[0].limit, 50);
        assert_ne!(bucket("/analytics/ai-code/commits").0, bucket("/analytics/ai-code/changes").0);
        let repos = bucket("/v0/repositories").1;
        assert_eq!((repos[0].limit, repos[1].limit), (1, 30));
        assert!(bucket_for(&get, "/__mock/journal", &limits).is_none());
    }

    #[test]
    fn a_window_refuses_past_its_limit_and_reopens_after_it() {
        let limiter = RateLimiter::default();
        let rules = [Rule { limit: 2, window: MINUTE }];
        let t0 = Duration::from_secs(100);
        assert!(limiter.check("k", "b", &rules, t0).is_ok());
        assert!(limiter.check("k", "b", &rules, t0).is_ok());
        let wait = limiter.check("k", "b", &rules, t0 + Duration::from_secs(15)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(45));
        assert!(limiter.check("other", "b", &rules, t0).is_ok(), "keys are separate teams");
        assert!(limiter.check("k", "b", &rules, t0 + MINUTE).is_ok());
    }
}
