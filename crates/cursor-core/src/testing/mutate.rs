//! Damaged JSON for fuzz-style property tests of response decoders: a documented example with
//! a field dropped, a type changed, the text cut short, odd unicode, numbers no integer type
//! holds, nesting past any recursion limit, duplicate keys or flipped bytes.

use serde_json::{Value, json};

/// A string no fixture holds, serialized as `"\u0000…"`, that the text pass replaces with
/// raw JSON a [`Value`] cannot hold (huge numbers, deep nesting).
const RAW: &str = "\u{0}cursor-rs-raw-json\u{0}";

/// Numbers past what `u64`, `i64` and `f64` hold, and edge cases of the grammar.
const HUGE_NUMBERS: &[&str] = &[
    "1e400",
    "-1e400",
    "18446744073709551616",
    "-9223372036854775809",
    "1.7976931348623157e309",
    "1e-400",
    "-0",
    "123456789012345678901234567890.5",
    "4294967296",
    "-1",
];

/// Strings that stress text handling and the parsers of string-typed fields (dates, enums).
const ODD_STRINGS: &[&str] = &[
    "",
    " ",
    "\u{0}",
    "🚀 ünïcødé — ✓",
    "\u{202e}rtl\u{200b}zero-width",
    "\u{feff}bom",
    "\u{10ffff}\u{fffd}",
    "\"quoted\" \\ back\\slash\n\t",
    "2024-13-45T99:99:99Z",
    "NaN",
    "user@",
    "FINISHED\u{0}",
];

/// `json` damaged in one to three ways chosen by `seed`; the same seed always does the same
/// damage, so a failing case replays. The result may not be UTF-8 or JSON at all: a decoder
/// under test must answer a value or a decode error, never panic.
///
/// ```
/// let damaged = cursor_core::testing::mutate_json(r#"{"a": [1, 2], "b": "x"}"#, 7);
/// assert_eq!(damaged, cursor_core::testing::mutate_json(r#"{"a": [1, 2], "b": "x"}"#, 7));
/// ```
pub fn mutate_json(json: &str, seed: u64) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut value: Value = serde_json::from_str(json).unwrap_or(Value::Null);
    let mut raw = Vec::new();
    let mut text_passes = Vec::new();
    for _ in 0..rng.usize(1..=3) {
        match rng.u32(..10) {
            0 | 1 => drop_field(&mut value, &mut rng),
            2 | 3 => {
                let replacement = other_type(&mut rng);
                replace_node(&mut value, &mut rng, replacement);
            }
            4 => {
                let odd = ODD_STRINGS[rng.usize(..ODD_STRINGS.len())];
                let odd = if rng.u32(..8) == 0 { odd.repeat(5_000) } else { odd.to_owned() };
                replace_node(&mut value, &mut rng, Value::String(odd));
            }
            5 => {
                raw.push(HUGE_NUMBERS[rng.usize(..HUGE_NUMBERS.len())].to_owned());
                replace_node(&mut value, &mut rng, Value::String(RAW.to_owned()));
            }
            6 => {
                let depth = [64, 127, 128, 129, 1_000, 50_000][rng.usize(..6)];
                let (open, close) = if rng.bool() { ("[", "]") } else { ("{\"k\":", "}") };
                raw.push(format!("{}1{}", open.repeat(depth), close.repeat(depth)));
                replace_node(&mut value, &mut rng, Value::String(RAW.to_owned()));
            }
            kind => text_passes.push(kind),
        }
    }
    let mut text = serde_json::to_string(&value).unwrap_or_default();
    let placeholder = serde_json::to_string(RAW).unwrap_or_default();
    for raw in raw {
        text = text.replacen(&placeholder, &raw, 1);
    }
    let mut bytes = text.into_bytes();
    for kind in text_passes {
        match kind {
            7 => duplicate_first_key(&mut bytes, &value),
            8 => {
                for _ in 0..rng.usize(1..=4) {
                    if !bytes.is_empty() {
                        let at = rng.usize(..bytes.len());
                        bytes[at] = rng.u8(..);
                    }
                }
            }
            _ => bytes.truncate(rng.usize(..=bytes.len())),
        }
    }
    bytes
}

/// The JSON documents (objects and arrays) written as raw string literals (`r#"…"#`) in a
/// Rust source file, such as a test file's fixtures read with `include_str!`: the examples a
/// fuzz test damages with [`mutate_json`].
///
/// ```
/// let source = "const A: &str = r#\"{\"a\": 1}\"#; const B: &str = r#\"not json\"#;";
/// assert_eq!(cursor_core::testing::json_literals(source), vec![r#"{"a": 1}"#]);
/// ```
pub fn json_literals(source: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("r#\"") {
        let after = &rest[start + 3..];
        let Some(end) = after.find("\"#") else { break };
        let literal = &after[..end];
        let parsed = serde_json::from_str::<Value>(literal);
        if parsed.is_ok_and(|v| v.is_object() || v.is_array()) {
            found.push(literal);
        }
        rest = &after[end + 2..];
    }
    found
}

fn count(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count).sum(),
        Value::Object(map) => map.values().map(count).sum(),
        _ => 0,
    }
}

/// The `target`-th node in document order (0 is the root).
fn node_mut<'a>(value: &'a mut Value, target: &mut usize) -> Option<&'a mut Value> {
    if *target == 0 {
        return Some(value);
    }
    *target -= 1;
    match value {
        Value::Array(items) => items.iter_mut().find_map(|v| node_mut(v, target)),
        Value::Object(map) => map.values_mut().find_map(|v| node_mut(v, target)),
        _ => None,
    }
}

fn random_node<'a>(value: &'a mut Value, rng: &mut fastrand::Rng) -> Option<&'a mut Value> {
    let mut target = rng.usize(..count(value));
    node_mut(value, &mut target)
}

fn replace_node(value: &mut Value, rng: &mut fastrand::Rng, replacement: Value) {
    if let Some(node) = random_node(value, rng) {
        *node = replacement;
    }
}

fn drop_field(value: &mut Value, rng: &mut fastrand::Rng) {
    for _ in 0..16 {
        if let Some(Value::Object(map)) = random_node(value, rng)
            && !map.is_empty()
        {
            let key = map.keys().nth(rng.usize(..map.len())).cloned().unwrap_or_default();
            map.remove(&key);
            return;
        }
    }
}

fn other_type(rng: &mut fastrand::Rng) -> Value {
    match rng.u32(..11) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!(1.5),
        4 => json!("text"),
        5 => json!([]),
        6 => json!({}),
        7 => json!([1, "a", null, {"b": []}]),
        8 => json!(u64::MAX),
        9 => json!(i64::MIN),
        _ => json!(f64::MAX),
    }
}

/// Writes the root object's first key and value a second time, at the front.
fn duplicate_first_key(bytes: &mut Vec<u8>, value: &Value) {
    let Some((key, first)) = value.as_object().and_then(|map| map.iter().next()) else { return };
    if bytes.first() != Some(&b'{') {
        return;
    }
    let pair = format!("{}:{},", Value::String(key.clone()), first);
    if pair.contains("cursor-rs-raw-json") {
        return; // it holds raw JSON already written once
    }
    bytes.splice(1..1, pair.into_bytes());
}

/// One response model's decoder, named, for [`assert_some_model_reads_each`] and
/// [`damaged_decodes_only_fail_to_decode`]: `("TeamMembers", decoder::<TeamMembers>)`.
pub type ModelDecoder = (&'static str, fn(&[u8]) -> Result<(), crate::Error>);

/// Decodes `bytes` as `T` the way the client does, keeping only whether it worked.
pub fn decoder<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<(), crate::Error> {
    crate::decode_json::<T>("fuzz", bytes).map(drop)
}

/// Panics unless every fixture decodes, undamaged, as at least one of `models`, and there are
/// at least `at_least` fixtures (so a fixture lost from the sources fails the test).
pub fn assert_some_model_reads_each(fixtures: &[&str], models: &[ModelDecoder], at_least: usize) {
    assert!(fixtures.len() >= at_least, "{} fixtures found, expected at least {at_least}", fixtures.len());
    for fixture in fixtures {
        assert!(models.iter().any(|(_, decode)| decode(fixture.as_bytes()).is_ok()), "no model reads {fixture}");
    }
}

/// Damages `fixture` with `seed` ([`mutate_json`]) and decodes it as every model: each answer
/// must be a value or [`Error::Decode`](crate::Error::Decode), never a panic or another error.
/// The `Err` names the model that answered otherwise, for a property test to report.
pub fn damaged_decodes_only_fail_to_decode(fixture: &str, seed: u64, models: &[ModelDecoder]) -> Result<(), String> {
    let damaged = mutate_json(fixture, seed);
    for (name, decode) in models {
        match decode(&damaged) {
            Ok(()) | Err(crate::Error::Decode { .. }) => {}
            Err(other) => return Err(format!("{name}: not a decode error: {other}")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{"items": [{"id": 1, "name": "a", "tags": ["x"]}], "page": 1, "next": null}"#;

    #[test]
    fn the_same_seed_does_the_same_damage_and_seeds_differ() {
        assert_eq!(mutate_json(DOC, 42), mutate_json(DOC, 42));
        let distinct: std::collections::HashSet<Vec<u8>> = (0..200).map(|seed| mutate_json(DOC, seed)).collect();
        assert!(distinct.len() > 150, "{} distinct mutations of 200", distinct.len());
    }

    #[test]
    fn every_kind_of_damage_shows_up() {
        let outputs: Vec<Vec<u8>> = (0..2_000).map(|seed| mutate_json(DOC, seed)).collect();
        let text = |b: &Vec<u8>| String::from_utf8_lossy(b).into_owned();
        assert!(outputs.iter().any(|b| serde_json::from_slice::<Value>(b).is_err()), "some do not parse");
        assert!(outputs.iter().any(|b| std::str::from_utf8(b).is_err()), "some are not UTF-8");
        assert!(outputs.iter().any(|b| text(b).contains("1e400")), "huge numbers");
        assert!(outputs.iter().any(|b| text(b).contains(&"[".repeat(1_000))), "deep nesting");
        assert!(outputs.iter().any(|b| text(b).contains("🚀")), "unicode");
        assert!(
            outputs
                .iter()
                .any(|b| text(b).starts_with(r#"{"items":[{"id":1"#) && text(b).matches("\"items\"").count() == 2),
            "duplicate keys"
        );
        let parsed = |b: &Vec<u8>| serde_json::from_slice::<Value>(b).ok();
        assert!(
            outputs.iter().filter_map(parsed).any(|v| v.get("page").is_none() && v.get("items").is_some()),
            "a dropped field"
        );
        assert!(
            outputs.iter().filter_map(parsed).any(|v| v.get("page").is_some_and(|p| !p.is_number())),
            "a changed type"
        );
        assert!(!outputs.iter().any(|b| text(b).contains("cursor-rs-raw-json")), "every placeholder replaced");
    }
}
