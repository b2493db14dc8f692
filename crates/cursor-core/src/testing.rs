//! Helpers for testing code built on cursor-core: the documented examples read from the
//! workspace's fixtures folder, lossless round trips of models, fixture editing, and a client
//! builder for a loopback mock server.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{Client, ClientBuilder, RateLimits, RetryPolicy};

mod fixtures;
mod mutate;
pub use fixtures::{fixture, fixtures_dir, fixtures_of, json_fixtures_of};
pub use mutate::{
    ModelDecoder, assert_some_model_reads_each, damaged_decodes_only_fail_to_decode, decoder, json_literals,
    mutate_json,
};

/// Whether two JSON documents are the same, comparing numbers by value (`100` equals `100.0`,
/// since a float field re-serializes an integer with a decimal point) and objects without
/// regard to key order.
pub fn json_equivalent(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
            (Some(x), Some(y), _, _) => x == y,
            (_, _, Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equivalent(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equivalent(v, w)))
        }
        _ => a == b,
    }
}

/// Decodes `json` as `T`, re-serializes it and panics unless the result is
/// [equivalent](json_equivalent) to the input: nothing the server sent is lost or invented.
/// Returns the decoded value for further assertions.
#[track_caller]
pub fn assert_lossless<T: DeserializeOwned + Serialize>(json: &str) -> T {
    let input: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("the fixture is not JSON: {e}"));
    let decoded: T = serde_json::from_value(input.clone()).unwrap_or_else(|e| panic!("decoding failed: {e}"));
    let output = serde_json::to_value(&decoded).unwrap_or_else(|e| panic!("re-serializing failed: {e}"));
    assert!(
        json_equivalent(&input, &output),
        "re-serialized JSON differs from the input\n input: {input}\noutput: {output}"
    );
    decoded
}

/// Adds `"__unknown_field": {"nested": [1]}` to every object in `json`, so a test can check
/// that unknown fields survive a round trip at every depth.
pub fn with_unknown_fields(json: &str) -> String {
    fn add(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.values_mut().for_each(add);
                map.insert("__unknown_field".into(), serde_json::json!({"nested": [1]}));
            }
            Value::Array(items) => items.iter_mut().for_each(add),
            _ => {}
        }
    }
    let mut value: Value = serde_json::from_str(json).unwrap_or(Value::Null);
    add(&mut value);
    value.to_string()
}

/// `json` with every key named in `keys` removed at any depth: the fixture as a server that
/// leaves those optional fields out would send it.
///
/// # Panics
///
/// If `json` is not JSON.
#[track_caller]
pub fn without_keys(json: &str, keys: &[&str]) -> String {
    fn strip(value: &mut Value, keys: &[&str]) {
        match value {
            Value::Object(map) => {
                map.retain(|k, _| !keys.contains(&k.as_str()));
                map.values_mut().for_each(|v| strip(v, keys));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| strip(v, keys)),
            _ => {}
        }
    }
    let mut value: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("the fixture is not JSON: {e}"));
    strip(&mut value, keys);
    value.to_string()
}

/// The three round trips of a documented example: `fixture` must decode as `T` and
/// re-serialize [losslessly](assert_lossless) as documented, with
/// [unknown fields](with_unknown_fields) added at every depth, and with every key named in
/// `optional` [removed](without_keys) (the keys the model may miss; pass none when every
/// documented field is required). Returns the value decoded from `fixture` as-is.
///
/// # Panics
///
/// If any of the three is not lossless, or if `optional` is not empty but names no key the
/// fixture has (the third round trip would test nothing).
#[track_caller]
pub fn assert_round_trips<T: DeserializeOwned + Serialize>(fixture: &str, optional: &[&str]) -> T {
    assert_round_trips_with(fixture, &with_unknown_fields(fixture), optional)
}

/// [`assert_round_trips`] with the unknown-fields edition of `fixture` given by the caller:
/// for a fixture where [`with_unknown_fields`] would add a key that is not a field, such as an
/// entry in a map keyed by data.
///
/// # Panics
///
/// As [`assert_round_trips`], with `with_unknown` in place of the unknown-fields edition.
#[track_caller]
pub fn assert_round_trips_with<T: DeserializeOwned + Serialize>(
    fixture: &str,
    with_unknown: &str,
    optional: &[&str],
) -> T {
    assert_lossless::<T>(with_unknown);
    if !optional.is_empty() {
        let stripped = without_keys(fixture, optional);
        let parse =
            |json: &str| serde_json::from_str::<Value>(json).unwrap_or_else(|e| panic!("the fixture is not JSON: {e}"));
        assert_ne!(parse(&stripped), parse(fixture), "the fixture has none of the optional keys {optional:?}");
        assert_lossless::<T>(&stripped);
    }
    assert_lossless::<T>(fixture)
}

/// A client builder for a test server at `base_url` (typically a mock on the loopback
/// interface): the API key `key_test`, no client-side rate limits and a single attempt
/// ([`RetryPolicy::none`]). Chain what a test needs on top (`.clock(..)`, `.retry_policy(..)`,
/// `.api_key(..)`, …) and `.build()`.
pub fn loopback_client(base_url: &str) -> ClientBuilder {
    Client::builder()
        .api_key("key_test")
        .base_url(base_url)
        .rate_limits(RateLimits::unlimited())
        .retry_policy(RetryPolicy::none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Serialize, Deserialize)]
    struct Lossless {
        a: f64,
        #[serde(flatten)]
        extra: crate::Extra,
    }

    #[derive(Serialize, Deserialize)]
    struct Lossy {
        a: u32,
    }

    #[test]
    fn numbers_compare_by_value_and_objects_ignore_order() {
        assert!(json_equivalent(&serde_json::json!({"a": 100, "b": [1]}), &serde_json::json!({"b": [1], "a": 100.0})));
        assert!(!json_equivalent(&serde_json::json!({"a": 1}), &serde_json::json!({"a": 2})));
        assert!(!json_equivalent(&serde_json::json!({"a": 1}), &serde_json::json!({"a": 1, "b": null})));
    }

    #[test]
    fn a_model_with_extra_keeps_unknown_fields() {
        assert_lossless::<Lossless>(&with_unknown_fields(r#"{"a": 3}"#));
    }

    #[test]
    #[should_panic(expected = "differs")]
    fn a_model_without_extra_is_caught_dropping_fields() {
        assert_lossless::<Lossy>(&with_unknown_fields(r#"{"a": 3}"#));
    }

    #[test]
    fn without_keys_removes_the_keys_at_every_depth() {
        let stripped = without_keys(r#"{"a": 1, "b": {"a": 2, "c": [{"a": 3, "d": 4}]}, "e": "a"}"#, &["a", "x"]);
        assert_eq!(
            serde_json::from_str::<Value>(&stripped).unwrap(),
            serde_json::json!({"b": {"c": [{"d": 4}]}, "e": "a"})
        );
    }

    #[test]
    fn round_trips_return_the_fixture_as_decoded() {
        let decoded: Lossless = assert_round_trips(r#"{"a": 3, "b": {"c": 1}}"#, &["c"]);
        assert_eq!(decoded.a, 3.0);
        assert!(decoded.extra.contains_key("b"));
        assert_round_trips::<Lossless>(r#"{"a": 3}"#, &[]);
    }

    #[test]
    #[should_panic(expected = "none of the optional keys")]
    fn round_trips_refuse_optional_keys_the_fixture_lacks() {
        assert_round_trips::<Lossless>(r#"{"a": 3}"#, &["b"]);
    }

    #[test]
    #[should_panic(expected = "differs")]
    fn round_trips_catch_a_model_dropping_unknown_fields() {
        assert_round_trips::<Lossy>(r#"{"a": 3}"#, &[]);
    }

    #[test]
    fn the_loopback_builder_has_the_url_no_limits_and_one_attempt() {
        static MEMBERS: crate::Endpoint = crate::Endpoint::get(
            "t.members",
            crate::endpoint::test_declarations::TEST_API,
            "/teams/members",
            crate::endpoint::test_declarations::SHARED_BUCKET,
        );
        let builder = loopback_client("http://127.0.0.1:1/");
        assert!(format!("{builder:?}").contains(&format!("{:?}", RetryPolicy::none())));
        let client = builder.build().expect("a client");
        assert_eq!(client.base_url(), "http://127.0.0.1:1");
        assert!(client.current_rates(&MEMBERS).is_empty());
    }
}
