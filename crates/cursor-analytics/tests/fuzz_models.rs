//! Fuzz-style properties: every response model's decoder, given the documented examples of its
//! fixtures folder (`tests/fixtures/analytics/`), damaged at random (a field dropped, a type changed, the text
//! cut short, odd unicode, huge numbers, deep nesting, duplicate keys, flipped bytes), answers
//! a value or a decode error, never a panic. Each example is decoded as every model, so the
//! right model meets each damage and the wrong ones meet a whole foreign document.

use cursor_analytics::*;
use cursor_core::testing::{
    ModelDecoder, assert_some_model_reads_each, damaged_decodes_only_fail_to_decode, decoder, json_fixtures_of,
};
use proptest::prelude::*;

/// Every model a response of this crate decodes into.
const MODELS: &[ModelDecoder] = &[
    ("TeamResponse<AgentEditsRow>", decoder::<TeamResponse<AgentEditsRow>>),
    ("TeamResponse<TabsRow>", decoder::<TeamResponse<TabsRow>>),
    ("TeamResponse<DauRow>", decoder::<TeamResponse<DauRow>>),
    ("TeamResponse<ClientVersionRow>", decoder::<TeamResponse<ClientVersionRow>>),
    ("TeamResponse<ModelsRow>", decoder::<TeamResponse<ModelsRow>>),
    ("TeamResponse<FileExtensionRow>", decoder::<TeamResponse<FileExtensionRow>>),
    ("TeamResponse<McpRow>", decoder::<TeamResponse<McpRow>>),
    ("TeamResponse<CommandRow>", decoder::<TeamResponse<CommandRow>>),
    ("TeamResponse<PlansRow>", decoder::<TeamResponse<PlansRow>>),
    ("TeamResponse<AskModeRow>", decoder::<TeamResponse<AskModeRow>>),
    ("Leaderboard", decoder::<Leaderboard>),
    ("ByUserPage<AgentEditsByUserRow>", decoder::<ByUserPage<AgentEditsByUserRow>>),
    ("ByUserPage<McpRow>", decoder::<ByUserPage<McpRow>>),
    ("ByUserPage<CommandRow>", decoder::<ByUserPage<CommandRow>>),
    ("ByUserPage<PlansRow>", decoder::<ByUserPage<PlansRow>>),
    ("ByUserPage<AskModeRow>", decoder::<ByUserPage<AskModeRow>>),
];

/// The fixtures: every documented example of this API, from `tests/fixtures/analytics/`.
fn fixtures() -> Vec<&'static str> {
    json_fixtures_of("analytics")
}

#[test]
fn every_fixture_decodes_undamaged_as_some_model() {
    assert_some_model_reads_each(&fixtures(), MODELS, 15);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn damaged_fixtures_decode_to_a_value_or_a_decode_error(which in any::<prop::sample::Index>(), seed in any::<u64>()) {
        let fixtures = fixtures();
        let result = damaged_decodes_only_fail_to_decode(fixtures[which.index(fixtures.len())], seed, MODELS);
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}
