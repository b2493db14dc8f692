//! Fuzz-style properties: every response model's decoder, given the documented examples of its
//! fixtures folder (`tests/fixtures/bugbot/`), damaged at random (a field dropped, a type changed, the text
//! cut short, odd unicode, huge numbers, deep nesting, duplicate keys, flipped bytes), answers
//! a value or a decode error, never a panic. Each example is decoded as every model, so the
//! right model meets each damage and the wrong ones meet a whole foreign document.

use cursor_bugbot::*;
use cursor_core::testing::{
    ModelDecoder, assert_some_model_reads_each, damaged_decodes_only_fail_to_decode, decoder, json_fixtures_of,
    json_literals,
};
use proptest::prelude::*;

/// Every model a response of this crate decodes into.
const MODELS: &[ModelDecoder] =
    &[("RepoUpdateResponse", decoder::<RepoUpdateResponse>), ("RepoUpdate", decoder::<RepoUpdate>)];

/// The fixtures: every documented example of this API (from `tests/fixtures/bugbot/`), and
/// the answers the tests invent where the documents show none, each kept whole by the model.
fn fixtures() -> Vec<&'static str> {
    let mut fixtures = json_fixtures_of("bugbot");
    fixtures.extend(json_literals(include_str!("bugbot.rs")));
    fixtures
}

#[test]
fn every_fixture_decodes_undamaged_as_some_model() {
    assert_some_model_reads_each(&fixtures(), MODELS, 3);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn damaged_fixtures_decode_to_a_value_or_a_decode_error(which in any::<prop::sample::Index>(), seed in any::<u64>()) {
        let fixtures = fixtures();
        let result = damaged_decodes_only_fail_to_decode(fixtures[which.index(fixtures.len())], seed, MODELS);
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}
