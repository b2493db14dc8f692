//! HTTP caching of the Analytics and AI-code APIs: `ETag`, `Cache-Control: public,
//! max-age=900`, and `304` with no body on a matching `If-None-Match`.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The documented cache lifetime.
pub const CACHE_CONTROL: &str = "public, max-age=900";

/// A strong ETag over some bytes.
pub fn etag_of(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// Whether `If-None-Match` matches an ETag (lists, weak validators and `*` included).
pub fn if_none_match_matches(headers: &HeaderMap, etag: &str) -> bool {
    let Some(value) = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    value.split(',').map(str::trim).any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == etag)
}

fn not_modified(etag: &str) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    set_cache_headers(response.headers_mut(), etag);
    response
}

fn set_cache_headers(headers: &mut HeaderMap, etag: &str) {
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
}

/// A cacheable JSON answer: `304` if the client already has it.
pub fn cached_json(request_headers: &HeaderMap, body: &serde_json::Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let etag = etag_of(&bytes);
    if if_none_match_matches(request_headers, &etag) {
        return not_modified(&etag);
    }
    let mut response = ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], bytes).into_response();
    set_cache_headers(response.headers_mut(), &etag);
    response
}

/// A cacheable streamed answer whose ETag is derived from what determines its content
/// (hashing a million-row body first would defeat streaming).
pub fn cached_stream(
    request_headers: &HeaderMap,
    identity: &str,
    content_type: &'static str,
    body: impl FnOnce() -> Body,
) -> Response {
    let etag = etag_of(identity.as_bytes());
    if if_none_match_matches(request_headers, &etag) {
        return not_modified(&etag);
    }
    let mut response = Response::new(body());
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    set_cache_headers(response.headers_mut(), &etag);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_accepts_lists_weak_tags_and_star() {
        let etag = etag_of(b"x");
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::IF_NONE_MATCH, HeaderValue::from_str(v).unwrap());
            h
        };
        assert!(if_none_match_matches(&with(&etag), &etag));
        assert!(if_none_match_matches(&with(&format!("\"other\", W/{etag}")), &etag));
        assert!(if_none_match_matches(&with("*"), &etag));
        assert!(!if_none_match_matches(&with("\"other\""), &etag));
        assert!(!if_none_match_matches(&HeaderMap::new(), &etag));
    }
}
