//! Fuzz-style property of webhook verification through the framework-neutral entry point:
//! the valid (body, secret, signature) triple verifies, and no mutation of any of the three
//! does, whatever the headers look like.

use cursor_agents::webhook::{SIGNATURE_HEADER, WebhookError, sign, verify_webhook};
use proptest::prelude::*;

const BODY: &str =
    r#"{"event":"statusChange","timestamp":"2024-01-15T10:30:00Z","id":"bc_abc123","status":"FINISHED"}"#;

#[derive(Debug, Clone)]
enum Mutation {
    /// A byte of the body changed, or bytes added or removed.
    Body(prop::sample::Index, u8),
    BodyAppend(Vec<u8>),
    BodyTruncate(prop::sample::Index),
    /// Another secret: changed, extended, shortened or emptied.
    Secret(prop::sample::Index, u8),
    SecretAppend(Vec<u8>),
    SecretTruncate(prop::sample::Index),
    /// A character of the header changed, or the header cut, extended, upper-cased, or
    /// replaced by arbitrary text.
    Signature(prop::sample::Index, char),
    SignatureTruncate(prop::sample::Index),
    SignatureAppend(String),
    SignatureUpper,
    SignatureArbitrary(String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    use prop::sample::Index;
    prop_oneof![
        (any::<Index>(), 1u8..=255).prop_map(|(i, x)| Mutation::Body(i, x)),
        proptest::collection::vec(any::<u8>(), 1..16).prop_map(Mutation::BodyAppend),
        any::<Index>().prop_map(Mutation::BodyTruncate),
        (any::<Index>(), 1u8..=255).prop_map(|(i, x)| Mutation::Secret(i, x)),
        proptest::collection::vec(1u8..=255, 1..16).prop_map(Mutation::SecretAppend),
        any::<Index>().prop_map(Mutation::SecretTruncate),
        (any::<Index>(), any::<char>()).prop_map(|(i, c)| Mutation::Signature(i, c)),
        any::<Index>().prop_map(Mutation::SignatureTruncate),
        "[0-9a-f]{1,8}|\\PC{1,8}".prop_map(Mutation::SignatureAppend),
        Just(Mutation::SignatureUpper),
        any::<String>().prop_map(Mutation::SignatureArbitrary),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_valid_triple_verifies_and_no_mutation_of_it_does(
        secret in proptest::collection::vec(any::<u8>(), 1..300),
        change in mutation(),
        delivery in "[a-z0-9_]{0,12}",
    ) {
        let body = BODY.as_bytes().to_vec();
        let signature = sign(&secret, &body);
        let headers = |signature: &str| vec![(SIGNATURE_HEADER.to_owned(), signature.to_owned()), ("X-Webhook-ID".to_owned(), delivery.clone())];
        let verified = verify_webhook(&secret, headers(&signature), &body);
        prop_assert!(verified.is_ok(), "{:?}", verified.err());

        let (mut body2, mut secret2, mut signature2) = (body.clone(), secret.clone(), signature.clone());
        match &change {
            Mutation::Body(i, x) => body2[i.index(body.len())] ^= x,
            Mutation::BodyAppend(extra) => body2.extend_from_slice(extra),
            Mutation::BodyTruncate(i) => body2.truncate(i.index(body.len())),
            Mutation::Secret(i, x) => secret2[i.index(secret.len())] ^= x,
            Mutation::SecretAppend(extra) => secret2.extend_from_slice(extra),
            Mutation::SecretTruncate(i) => secret2.truncate(i.index(secret.len())),
            Mutation::Signature(i, c) => {
                let mut chars: Vec<char> = signature.chars().collect();
                let at = i.index(chars.len());
                prop_assume!(chars[at] != *c);
                // Hex digits are read in either case: `f` and `F` are the same signature byte.
                prop_assume!(!(chars[at].is_ascii_hexdigit() && chars[at].eq_ignore_ascii_case(c)));
                chars[at] = *c;
                signature2 = chars.into_iter().collect();
            }
            Mutation::SignatureTruncate(i) => signature2.truncate(i.index(signature.len())),
            Mutation::SignatureAppend(extra) => signature2.push_str(extra),
            Mutation::SignatureUpper => signature2 = signature.to_uppercase(),
            Mutation::SignatureArbitrary(text) => signature2 = text.clone(),
        }
        // HMAC pads keys shorter than its block with zeros: a secret and the same secret with
        // trailing zero bytes are one key. Such a "mutation" is no mutation.
        let same_key = |a: &[u8], b: &[u8]| {
            let trim = |k: &[u8]| k.iter().rposition(|x| *x != 0).map_or(0, |i| i + 1);
            a.len() <= 64 && b.len() <= 64 && a[..trim(a)] == b[..trim(b)]
        };
        prop_assume!(secret2 != secret || body2 != body || signature2 != signature);
        prop_assume!(!(body2 == body && signature2 == signature && same_key(&secret, &secret2)));
        // Surrounding whitespace is trimmed from the header on purpose; that is not a change.
        prop_assume!(signature2.trim() != signature || body2 != body || secret2 != secret);
        match verify_webhook(&secret2, headers(&signature2), &body2) {
            Err(WebhookError::Signature(_)) => {}
            other => prop_assert!(false, "{change:?} must be refused, got {other:?}"),
        }
    }
}
