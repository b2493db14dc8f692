//! Helpers for testing models built on cursor-core: lossless round trips.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

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
}
