//! Authentication: `Authorization: Basic base64(key + ":")`, keys shaped `key_…` or, like the
//! current service's scoped keys, `crsr_…` (or the configured list), and the Enterprise gate of
//! the Admin, Analytics and AI-code APIs.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;

use crate::config::MockConfig;
use crate::error::{ApiError, Family};
use crate::state::AppState;

/// The authenticated key, put in the request's extensions for handlers.
#[derive(Debug, Clone)]
pub struct ApiKey(pub String);

/// The key carried by the headers, if any, whatever its validity.
pub fn extract_key(headers: &HeaderMap, accept_bearer: bool) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, rest) = value.split_once(' ')?;
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD.decode(rest.trim()).ok()?;
        let decoded = String::from_utf8(decoded).ok()?;
        // The key is the user name; the password is empty.
        let (user, _password) = decoded.split_once(':')?;
        Some(user.to_owned())
    } else if accept_bearer && scheme.eq_ignore_ascii_case("bearer") {
        Some(rest.trim().to_owned())
    } else {
        None
    }
}

/// Whether the configuration accepts a key.
pub fn key_is_valid(key: &str, config: &MockConfig) -> bool {
    match &config.allowed_keys {
        Some(keys) => keys.iter().any(|k| k == key),
        None => ["key_", "crsr_"].iter().any(|prefix| key.len() > prefix.len() && key.starts_with(prefix)),
    }
}

/// Middleware: `401` without a valid key, `403` on Enterprise APIs for non-Enterprise keys.
pub async fn authenticate(State(state): State<Arc<AppState>>, mut request: Request, next: Next) -> Response {
    let family = Family::of(request.uri().path());
    if matches!(family, Family::Control | Family::Unknown) {
        return next.run(request).await;
    }
    let Some(key) =
        extract_key(request.headers(), state.config.accept_bearer).filter(|k| key_is_valid(k, &state.config))
    else {
        return ApiError::unauthorized(family).into_response();
    };
    if family.is_enterprise_only() && state.config.non_enterprise_keys.iter().any(|k| k == &key) {
        return ApiError::forbidden(family).into_response();
    }
    request.extensions_mut().insert(ApiKey(key));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn basic_carries_the_key_as_user_name() {
        let encoded = base64::engine::general_purpose::STANDARD.encode("key_abc:");
        assert_eq!(extract_key(&headers(&format!("Basic {encoded}")), false).as_deref(), Some("key_abc"));
    }

    #[test]
    fn bearer_is_refused_unless_enabled() {
        assert_eq!(extract_key(&headers("Bearer key_abc"), false), None);
        assert_eq!(extract_key(&headers("Bearer key_abc"), true).as_deref(), Some("key_abc"));
    }

    #[test]
    fn keys_must_have_the_documented_shape_or_be_listed() {
        let mut config = MockConfig::default();
        assert!(key_is_valid("key_123", &config));
        assert!(!key_is_valid("sk_123", &config));
        // The current service's keys.
        assert!(key_is_valid("crsr_0a1b2c", &config));
        assert!(!key_is_valid("crsr_", &config));
        config.allowed_keys = Some(vec!["key_only".into()]);
        assert!(key_is_valid("key_only", &config));
        assert!(!key_is_valid("key_123", &config));
    }
}
