//! Fuzz-style properties: every response model's decoder, given the documented examples this
//! crate's tests hold as fixtures, damaged at random (a field dropped, a type changed, the text
//! cut short, odd unicode, huge numbers, deep nesting, duplicate keys, flipped bytes), answers
//! a value or a decode error, never a panic. Each example is decoded as every model, so the
//! right model meets each damage and the wrong ones meet a whole foreign document.

use cursor_bugbot::*;
use cursor_core::testing::{json_literals, mutate_json};
use cursor_core::{Error, decode_json};
use proptest::prelude::*;
use serde::de::DeserializeOwned;

type Decode = fn(&[u8]) -> Result<(), Error>;

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<(), Error> {
    decode_json::<T>("fuzz", bytes).map(drop)
}

/// Every model a response of this crate decodes into.
const MODELS: &[(&str, Decode)] =
    &[("RepoUpdateResponse", decode::<RepoUpdateResponse>), ("RepoUpdate", decode::<RepoUpdate>)];

/// The fixtures: every JSON document written as a raw string in these test files.
fn fixtures() -> Vec<&'static str> {
    let sources: &[&'static str] = &[include_str!("bugbot.rs")];
    sources.iter().flat_map(|source| json_literals(source)).collect()
}

#[test]
fn every_fixture_decodes_undamaged_as_some_model() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 3, "{} fixtures found", fixtures.len());
    for fixture in fixtures {
        assert!(MODELS.iter().any(|(_, decode)| decode(fixture.as_bytes()).is_ok()), "no model reads {fixture}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn damaged_fixtures_decode_to_a_value_or_a_decode_error(which in any::<prop::sample::Index>(), seed in any::<u64>()) {
        let fixtures = fixtures();
        let damaged = mutate_json(fixtures[which.index(fixtures.len())], seed);
        for (name, decode) in MODELS {
            match decode(&damaged) {
                Ok(()) | Err(Error::Decode { .. }) => {}
                Err(other) => prop_assert!(false, "{name}: not a decode error: {other}"),
            }
        }
    }
}
