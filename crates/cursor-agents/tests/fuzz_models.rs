//! Fuzz-style properties: every response model's decoder, given the documented examples of its
//! fixtures folder (`tests/fixtures/agents/`), damaged at random (a field dropped, a type changed, the text
//! cut short, odd unicode, huge numbers, deep nesting, duplicate keys, flipped bytes), answers
//! a value or a decode error, never a panic. Each example is decoded as every model, so the
//! right model meets each damage and the wrong ones meet a whole foreign document.

use cursor_agents::webhook::WebhookEvent;
use cursor_agents::*;
use cursor_core::testing::{
    ModelDecoder, assert_some_model_reads_each, damaged_decodes_only_fail_to_decode, decoder, json_fixtures_of,
};
use proptest::prelude::*;

/// Every model a response of this crate decodes into.
const MODELS: &[ModelDecoder] = &[
    ("AgentList", decoder::<AgentList>),
    ("Agent", decoder::<Agent>),
    ("Conversation", decoder::<Conversation>),
    ("AgentId", decoder::<AgentId>),
    ("ApiKeyInfo", decoder::<ApiKeyInfo>),
    ("ModelList", decoder::<ModelList>),
    ("RepositoryList", decoder::<RepositoryList>),
    ("WebhookEvent", decoder::<WebhookEvent>),
    // Request bodies the documents show, decoded the same way by servers and tools.
    ("LaunchAgent", decoder::<LaunchAgent>),
    ("Followup", decoder::<Followup>),
    ("WebhookConfig", decoder::<WebhookConfig>),
    // The v1 answers (`agents/v1.*`).
    ("v1::Agent", decoder::<v1::Agent>),
    ("v1::AgentPage", decoder::<v1::AgentPage>),
    ("v1::CreatedAgent", decoder::<v1::CreatedAgent>),
    ("v1::Run", decoder::<v1::Run>),
    ("v1::RunPage", decoder::<v1::RunPage>),
    ("v1::CreatedRun", decoder::<v1::CreatedRun>),
    ("v1::IdResponse", decoder::<v1::IdResponse>),
    ("v1::ArtifactList", decoder::<v1::ArtifactList>),
    ("v1::ArtifactDownload", decoder::<v1::ArtifactDownload>),
    ("v1::ApiKeyInfo", decoder::<v1::ApiKeyInfo>),
    ("v1::ModelList", decoder::<v1::ModelList>),
    ("v1::RepositoryList", decoder::<v1::RepositoryList>),
];

/// The fixtures: every documented example of the v0 and v1 APIs, from `tests/fixtures/agents/`.
fn fixtures() -> Vec<&'static str> {
    json_fixtures_of("agents")
}

#[test]
fn every_fixture_decodes_undamaged_as_some_model() {
    assert_some_model_reads_each(&fixtures(), MODELS, 10);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn damaged_fixtures_decode_to_a_value_or_a_decode_error(which in any::<prop::sample::Index>(), seed in any::<u64>()) {
        let fixtures = fixtures();
        let result = damaged_decodes_only_fail_to_decode(fixtures[which.index(fixtures.len())], seed, MODELS);
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}
