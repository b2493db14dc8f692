//! Webhook verification: the true signature passes and any change to the body, the secret or
//! the signature fails (proptest), malformed headers get their own errors, and the documents'
//! example delivery verifies into a typed event.

mod common;

use cursor_agents::AgentStatus;
use cursor_agents::webhook::{SignatureError, WebhookError, WebhookEventKind, sign, verify_signature, verify_webhook};
use cursor_core::testing::fixture;
use proptest::prelude::*;

const SECRET: &str = "your-webhook-secret-key-minimum-32-characters";

/// The documents' example: `"sha256=" + HMAC-SHA256(secret, rawBody) as hex`, here computed
/// for the documented payload and the OpenAPI file's example secret with an independent tool
/// (`printf %s "$body" | openssl dgst -sha256 -hmac "$secret"`) over the compact body below.
const COMPACT_PAYLOAD: &str = r#"{"event":"statusChange","timestamp":"2024-01-15T10:30:00Z","id":"bc_abc123","status":"FINISHED","source":{"repository":"https://github.com/your-org/your-repo","ref":"main"},"target":{"url":"https://cursor.com/agents?id=bc_abc123","branchName":"cursor/add-readme-1234","prUrl":"https://github.com/your-org/your-repo/pull/1234"},"summary":"Added README.md with installation instructions"}"#;
const COMPACT_SIGNATURE: &str = "sha256=8def9dbe8ba602533800d2150298901b34a3a8f18106a0b09fcf229f18b20e25";

#[test]
fn sign_matches_an_independent_hmac() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    assert_eq!(
        sign(b"Jefe", b"what do ya want for nothing?"),
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    assert_eq!(sign(SECRET.as_bytes(), COMPACT_PAYLOAD.as_bytes()), COMPACT_SIGNATURE);
}

#[test]
fn the_documented_delivery_verifies_into_a_typed_event() {
    let body = fixture("agents/webhook.status_change").as_bytes();
    let signature = sign(SECRET.as_bytes(), body);
    let headers = [
        ("X-Webhook-Signature", signature.as_str()),
        ("X-Webhook-ID", "whd_123"),
        ("X-Webhook-Event", "statusChange"),
        ("User-Agent", "Cursor-Agent-Webhook/1.0"),
        ("Content-Type", "application/json"),
    ];
    let delivery = verify_webhook(SECRET.as_bytes(), headers, body).expect("verified");
    assert_eq!(delivery.id.as_deref(), Some("whd_123"));
    assert_eq!(delivery.event_type, Some(WebhookEventKind::StatusChange));
    assert_eq!(delivery.event.event, Some(WebhookEventKind::StatusChange));
    assert_eq!(delivery.event.id, "bc_abc123");
    assert_eq!(delivery.event.status, AgentStatus::Finished);
    assert_eq!(delivery.event.summary.as_deref(), Some("Added README.md with installation instructions"));
    assert_eq!(delivery.event.target.as_ref().and_then(|t| t.branch_name.as_deref()), Some("cursor/add-readme-1234"));

    let compact =
        verify_webhook(SECRET.as_bytes(), [("x-webhook-signature", COMPACT_SIGNATURE)], COMPACT_PAYLOAD.as_bytes())
            .expect("the independently signed body verifies");
    assert_eq!(compact.event, delivery.event);
    assert_eq!(compact.id, None);
}

#[test]
fn header_names_are_case_insensitive_and_owned_pairs_work() {
    let body = br#"{"id":"bc_1","status":"ERROR","newField":1}"#;
    let headers: Vec<(String, String)> = vec![
        ("X-WEBHOOK-SIGNATURE".into(), sign(b"k", body)),
        ("x-webhook-id".into(), "d1".into()),
        ("x-Webhook-Event".into(), "somethingNew".into()),
    ];
    let delivery = verify_webhook(b"k", headers, body).expect("verified");
    assert_eq!(delivery.event_type, Some(WebhookEventKind::Unknown("somethingNew".into())));
    assert_eq!(delivery.event.extra.get("newField"), Some(&serde_json::json!(1)));
}

#[test]
fn malformed_signatures_have_distinct_errors() {
    let body = b"{}";
    let good = sign(b"k", body);
    let hex = good.trim_start_matches("sha256=");
    assert_eq!(verify_signature(b"k", body, &good), Ok(()));
    assert_eq!(verify_signature(b"k", body, ""), Err(SignatureError::Missing));
    assert_eq!(verify_signature(b"k", body, hex), Err(SignatureError::MissingPrefix));
    assert_eq!(verify_signature(b"k", body, &format!("sha1={hex}")), Err(SignatureError::MissingPrefix));
    assert_eq!(verify_signature(b"k", body, &format!("sha256={}zz", &hex[2..])), Err(SignatureError::InvalidHex));
    assert_eq!(verify_signature(b"k", body, &format!("sha256={}", &hex[1..])), Err(SignatureError::InvalidHex));
    assert!(matches!(
        verify_signature(b"k", body, &format!("sha256={}", &hex[2..])),
        Err(SignatureError::WrongLength { bytes: 31, .. })
    ));
    assert!(matches!(
        verify_signature(b"k", body, &format!("{good}00")),
        Err(SignatureError::WrongLength { bytes: 33, .. })
    ));
    assert!(matches!(verify_signature(b"k", body, "sha256="), Err(SignatureError::WrongLength { bytes: 0, .. })));
    assert_eq!(verify_signature(b"k", body, &good.to_uppercase().replace("SHA256=", "sha256=")), Ok(()));

    let err = verify_webhook(b"k", [("X-Webhook-ID", "d1")], body).unwrap_err();
    assert!(matches!(err, WebhookError::Signature(SignatureError::Missing)), "{err}");
    let err = verify_webhook(b"k", [("X-Webhook-Signature", sign(b"other", body))], body).unwrap_err();
    assert!(matches!(err, WebhookError::Signature(SignatureError::Mismatch)), "{err}");
    let err = verify_webhook(b"k", [("X-Webhook-Signature", sign(b"k", b"not json"))], b"not json").unwrap_err();
    assert!(matches!(err, WebhookError::Payload(_)), "a signed but malformed body is a payload error: {err}");
}

proptest! {
    #[test]
    fn the_true_signature_passes(secret in proptest::collection::vec(any::<u8>(), 1..300), body in proptest::collection::vec(any::<u8>(), 0..2000)) {
        prop_assert_eq!(verify_signature(&secret, &body, &sign(&secret, &body)), Ok(()));
    }

    #[test]
    fn any_change_to_the_body_fails(
        secret in proptest::collection::vec(any::<u8>(), 1..100),
        body in proptest::collection::vec(any::<u8>(), 1..500),
        index in any::<prop::sample::Index>(),
        flip in 1u8..=255,
        appended in proptest::collection::vec(any::<u8>(), 1..4),
    ) {
        let signature = sign(&secret, &body);
        let mut changed = body.clone();
        changed[index.index(body.len())] ^= flip;
        prop_assert_eq!(verify_signature(&secret, &changed, &signature), Err(SignatureError::Mismatch));
        let mut longer = body.clone();
        longer.extend_from_slice(&appended);
        prop_assert_eq!(verify_signature(&secret, &longer, &signature), Err(SignatureError::Mismatch));
        prop_assert_eq!(verify_signature(&secret, &body[..body.len() - 1], &signature), Err(SignatureError::Mismatch));
    }

    #[test]
    fn any_other_secret_fails(
        secret in proptest::collection::vec(any::<u8>(), 1..100),
        other in proptest::collection::vec(any::<u8>(), 1..100),
        body in proptest::collection::vec(any::<u8>(), 0..500),
    ) {
        prop_assume!(secret != other);
        // HMAC pads short keys with zeros, so a key and the same key with trailing zeros
        // are the same key; the property is about keys that differ as HMAC keys.
        let trimmed = |k: &[u8]| k.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
        prop_assume!(secret.len() > 64 || other.len() > 64 || secret[..trimmed(&secret)] != other[..trimmed(&other)]);
        prop_assert_eq!(verify_signature(&other, &body, &sign(&secret, &body)), Err(SignatureError::Mismatch));
    }

    #[test]
    fn any_change_to_the_signature_fails(
        secret in proptest::collection::vec(any::<u8>(), 1..100),
        body in proptest::collection::vec(any::<u8>(), 0..500),
        index in any::<prop::sample::Index>(),
        digit in 0u8..16,
    ) {
        let signature = sign(&secret, &body);
        let mut hex: Vec<u8> = signature["sha256=".len()..].bytes().collect();
        let at = index.index(hex.len());
        let replacement = b"0123456789abcdef"[usize::from(digit)];
        prop_assume!(hex[at] != replacement);
        hex[at] = replacement;
        let changed = format!("sha256={}", String::from_utf8(hex.clone()).unwrap());
        prop_assert_eq!(verify_signature(&secret, &body, &changed), Err(SignatureError::Mismatch));
        // Cut short, padded, or with the prefix dropped: refused with its own error.
        let hex_text = String::from_utf8(hex).unwrap();
        let short = format!("sha256={}", &signature["sha256=".len()..][..62]);
        let short_is_31_bytes =
            matches!(verify_signature(&secret, &body, &short), Err(SignatureError::WrongLength { bytes: 31, .. }));
        prop_assert!(short_is_31_bytes);
        prop_assert_eq!(verify_signature(&secret, &body, &hex_text), Err(SignatureError::MissingPrefix));
    }
}
