//! Webhooks: verifying a delivery's signature and reading its `statusChange` payload.
//!
//! An agent launched with a [`WebhookConfig`](crate::WebhookConfig) makes Cursor POST a JSON
//! payload to its URL when the agent reaches `FINISHED` or `ERROR`. Each delivery carries:
//!
//! | header | value |
//! | --- | --- |
//! | `X-Webhook-Signature` | `sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret>` |
//! | `X-Webhook-ID` | a unique id of the delivery |
//! | `X-Webhook-Event` | the event type, currently only `statusChange` |
//! | `User-Agent` | `Cursor-Agent-Webhook/1.0` |
//!
//! [`verify_webhook`] takes the headers and the **raw** body (the bytes as received, before
//! any JSON parsing) and returns the verified, typed event. It does not depend on any web
//! framework: pass the headers as name/value pairs.
//!
//! Deliveries **may repeat**: Cursor retries when the receiver answers with an error status,
//! and a receiver can see the same delivery twice. Treat deliveries idempotently, for example
//! by remembering the `X-Webhook-ID`s (or the agent id and status) already handled. Answer
//! with a 2xx quickly and do slow work afterwards.
//!
//! A receiver, in framework-neutral terms:
//!
//! ```
//! use cursor_agents::webhook::{verify_webhook, WebhookError};
//!
//! /// Called by your HTTP server for `POST /hooks/cursor`; returns the status to answer with.
//! fn handle(secret: &str, headers: &[(&str, &str)], raw_body: &[u8], seen: &mut std::collections::HashSet<String>) -> u16 {
//!     let delivery = match verify_webhook(secret.as_bytes(), headers.iter().copied(), raw_body) {
//!         Ok(delivery) => delivery,
//!         Err(WebhookError::Signature(_)) => return 401, // not from Cursor (or another secret)
//!         Err(_) => return 400, // signed by Cursor but not a payload this SDK can read
//!     };
//!     // Deliveries may repeat: handle each one once.
//!     let key = delivery.id.clone().unwrap_or_else(|| format!("{}:{}", delivery.event.id, delivery.event.status));
//!     if seen.insert(key) {
//!         println!("agent {} is now {}", delivery.event.id, delivery.event.status);
//!     }
//!     200
//! }
//!
//! # let secret = "a-webhook-secret-of-at-least-32-chars";
//! # let body = br#"{"event":"statusChange","timestamp":"2024-01-15T10:30:00Z","id":"bc_abc123","status":"FINISHED"}"#;
//! # let signature = cursor_agents::webhook::sign(secret.as_bytes(), body);
//! # let headers = [("X-Webhook-Signature", signature.as_str()), ("X-Webhook-ID", "d1"), ("X-Webhook-Event", "statusChange")];
//! # let mut seen = std::collections::HashSet::new();
//! # assert_eq!(handle(secret, &headers, body, &mut seen), 200);
//! # assert_eq!(handle("another-secret-of-at-least-32-chars!", &headers, body, &mut seen), 401);
//! ```

use std::fmt;

use cursor_core::Extra;
use hmac::{Hmac, Mac as _};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq as _;

use crate::models::{AgentSource, AgentStatus, AgentTarget};

/// The header carrying `sha256=<hex>`.
pub const SIGNATURE_HEADER: &str = "X-Webhook-Signature";
/// The header carrying the delivery's unique id.
pub const ID_HEADER: &str = "X-Webhook-ID";
/// The header carrying the event type.
pub const EVENT_HEADER: &str = "X-Webhook-Event";
/// The `User-Agent` Cursor sends deliveries with.
pub const USER_AGENT: &str = "Cursor-Agent-Webhook/1.0";
/// The prefix of the signature header's value.
pub const SIGNATURE_PREFIX: &str = "sha256=";

/// Why a signature was refused. Each malformed shape has its own case, so a receiver can log
/// what it got; all of them mean "do not trust this request".
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureError {
    /// No `X-Webhook-Signature` header, or an empty one.
    Missing,
    /// The secret to check against is empty: a receiver without its secret trusts nothing
    /// (an empty HMAC key is one anybody can sign with).
    EmptySecret,
    /// The value does not start with `sha256=`.
    MissingPrefix,
    /// What follows `sha256=` is not hexadecimal.
    InvalidHex,
    /// The hex does not decode to the 32 bytes of an HMAC-SHA256.
    #[non_exhaustive]
    WrongLength {
        /// How many bytes it decoded to.
        bytes: usize,
    },
    /// Well-formed, but not the signature of this body with this secret.
    Mismatch,
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Missing => write!(f, "the {SIGNATURE_HEADER} header is missing or empty"),
            SignatureError::EmptySecret => {
                write!(
                    f,
                    "the webhook secret is empty: pass the secret the agent was launched with (32 to 256 characters)"
                )
            }
            SignatureError::MissingPrefix => write!(f, "the {SIGNATURE_HEADER} header does not start with `sha256=`"),
            SignatureError::InvalidHex => write!(f, "the {SIGNATURE_HEADER} header is not `sha256=` and hex digits"),
            SignatureError::WrongLength { bytes } => {
                write!(f, "the {SIGNATURE_HEADER} header holds {bytes} bytes; an HMAC-SHA256 has 32")
            }
            SignatureError::Mismatch => write!(f, "the webhook signature does not match the body and secret"),
        }
    }
}

impl std::error::Error for SignatureError {}

/// Why a delivery was refused by [`verify_webhook`].
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// The signature is missing, malformed or wrong: the request is not to be trusted.
    Signature(SignatureError),
    /// The signature is right but the body is not a `statusChange` payload.
    Payload(serde_json::Error),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::Signature(error) => write!(f, "webhook refused: {error}"),
            WebhookError::Payload(error) => write!(f, "webhook payload could not be read: {error}"),
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::Signature(error) => Some(error),
            WebhookError::Payload(error) => Some(error),
        }
    }
}

impl From<SignatureError> for WebhookError {
    fn from(error: SignatureError) -> Self {
        WebhookError::Signature(error)
    }
}

/// The signature header value for `body` signed with `secret`: `sha256=<lowercase hex>`.
/// For tests and for servers that send webhooks.
///
/// ```
/// let signature = cursor_agents::webhook::sign(b"secret", b"{}");
/// assert!(signature.starts_with("sha256=") && signature.len() == 7 + 64);
/// ```
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    format!("{SIGNATURE_PREFIX}{}", hex::encode(hmac_sha256(secret, body)))
}

fn hmac_sha256(secret: &[u8], body: &[u8]) -> [u8; 32] {
    // HMAC takes a key of any length (long keys are hashed), so this cannot fail.
    let mut mac =
        <Hmac<Sha256> as hmac::digest::KeyInit>::new_from_slice(secret).unwrap_or_else(|_| unreachable_key_length());
    mac.update(body);
    mac.finalize().into_bytes().into()
}

#[cold]
fn unreachable_key_length() -> Hmac<Sha256> {
    // `Hmac::new_from_slice` accepts every key length; kept total without a panic.
    <Hmac<Sha256> as hmac::digest::KeyInit>::new(&Default::default())
}

/// Checks an `X-Webhook-Signature` value against the raw body and the secret, comparing in
/// constant time. An empty secret is refused ([`SignatureError::EmptySecret`]), whatever the
/// header says.
///
/// ```
/// use cursor_agents::webhook::{sign, verify_signature, SignatureError};
///
/// let secret = b"a-webhook-secret-of-at-least-32-chars";
/// let body = br#"{"event":"statusChange","id":"bc_abc123","status":"FINISHED"}"#;
/// let header = sign(secret, body);
/// assert_eq!(verify_signature(secret, body, &header), Ok(()));
/// assert_eq!(verify_signature(secret, b"{}", &header), Err(SignatureError::Mismatch));
/// assert_eq!(verify_signature(secret, body, "md5=00"), Err(SignatureError::MissingPrefix));
/// ```
pub fn verify_signature(secret: &[u8], body: &[u8], header: &str) -> Result<(), SignatureError> {
    if secret.is_empty() {
        return Err(SignatureError::EmptySecret);
    }
    let header = header.trim();
    if header.is_empty() {
        return Err(SignatureError::Missing);
    }
    let digits = header.strip_prefix(SIGNATURE_PREFIX).ok_or(SignatureError::MissingPrefix)?;
    let given = hex::decode(digits).map_err(|_| SignatureError::InvalidHex)?;
    if given.len() != 32 {
        return Err(SignatureError::WrongLength { bytes: given.len() });
    }
    let expected = hmac_sha256(secret, body);
    if bool::from(expected.ct_eq(given.as_slice())) { Ok(()) } else { Err(SignatureError::Mismatch) }
}

cursor_core::string_enum! {
    /// A webhook event type.
    pub enum WebhookEventKind {
        /// An agent reached `FINISHED` or `ERROR`.
        StatusChange = "statusChange",
    }
}

/// The `statusChange` payload. Fields other than `id` and `status` are optional ("only
/// included when available"); unknown fields are kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEvent {
    /// The event type (`statusChange`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<WebhookEventKind>,
    /// When the status changed, ISO 8601, kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// The agent's id.
    pub id: String,
    /// The agent's new status (`FINISHED` or `ERROR`).
    pub status: AgentStatus,
    /// The repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<AgentSource>,
    /// The agent's page, branch and pull request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<AgentTarget>,
    /// A summary of the work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl WebhookEvent {
    /// [`timestamp`](Self::timestamp) parsed as RFC 3339, when it is.
    pub fn timestamp_time(&self) -> Option<cursor_core::time::OffsetDateTime> {
        self.timestamp.as_deref().and_then(crate::models::parse_rfc3339)
    }
}

/// A verified delivery: its headers and its payload.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookDelivery {
    /// `X-Webhook-ID`: the delivery's id, for logs and for handling repeats once.
    pub id: Option<String>,
    /// `X-Webhook-Event`: the event type (`statusChange`).
    pub event_type: Option<WebhookEventKind>,
    /// The payload.
    pub event: WebhookEvent,
}

/// Verifies a delivery and reads its payload: the framework-neutral entry point.
///
/// `headers` are the request's headers as name/value pairs (names compared without regard to
/// case); `body` is the raw body as received. The signature is checked before the body is
/// parsed; an empty `secret` is refused ([`SignatureError::EmptySecret`]), never "valid".
///
/// ```
/// use cursor_agents::webhook::{sign, verify_webhook};
///
/// let secret = b"a-webhook-secret-of-at-least-32-chars";
/// let body = br#"{"event":"statusChange","id":"bc_abc123","status":"ERROR"}"#;
/// let signature = sign(secret, body);
/// let headers = vec![("x-webhook-signature", signature.as_str()), ("x-webhook-id", "wh_1")];
/// let delivery = verify_webhook(secret, headers, body)?;
/// assert_eq!(delivery.id.as_deref(), Some("wh_1"));
/// assert_eq!(delivery.event.status, cursor_agents::AgentStatus::Error);
/// # Ok::<(), cursor_agents::webhook::WebhookError>(())
/// ```
pub fn verify_webhook<I, K, V>(secret: &[u8], headers: I, body: &[u8]) -> Result<WebhookDelivery, WebhookError>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut signature = None;
    let mut id = None;
    let mut event_type = None;
    for (name, value) in headers {
        let (name, value) = (name.as_ref(), value.as_ref());
        if name.eq_ignore_ascii_case(SIGNATURE_HEADER) {
            signature.get_or_insert_with(|| value.to_owned());
        } else if name.eq_ignore_ascii_case(ID_HEADER) {
            id.get_or_insert_with(|| value.to_owned());
        } else if name.eq_ignore_ascii_case(EVENT_HEADER) {
            event_type.get_or_insert_with(|| WebhookEventKind::from(value));
        }
    }
    if secret.is_empty() {
        return Err(SignatureError::EmptySecret.into());
    }
    let signature = signature.ok_or(SignatureError::Missing)?;
    verify_signature(secret, body, &signature)?;
    let event = serde_json::from_slice(body).map_err(WebhookError::Payload)?;
    Ok(WebhookDelivery { id, event_type, event })
}
