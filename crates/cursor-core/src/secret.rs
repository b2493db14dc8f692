//! The API key type: a secret that never prints itself.

use std::fmt;

/// A Cursor API key (`key_…`).
///
/// `Debug` and `Display` print `ApiKey(***)`, so the key cannot leak through logs, error
/// messages, tracing fields or panics. The only way to read it back is
/// [`ApiKey::expose_secret`], which the transport calls once to build the `Authorization`
/// header.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(Box<str>);

impl ApiKey {
    /// Wraps a key. Surrounding whitespace (a trailing newline from a file, say) is removed.
    pub fn new(key: impl Into<String>) -> Self {
        let key: String = key.into();
        Self(key.trim().into())
    }

    /// The key itself. Call this only to hand the key to something that needs it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Whether the key is empty (an unset variable, say).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A stable, non-reversible fingerprint, used to key rate limiters and the cache per key.
    pub(crate) fn fingerprint(&self) -> u64 {
        // FNV-1a: stable across runs and processes, unlike `DefaultHasher`; it does not need to
        // be cryptographic because it is never shown and never leaves the process.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in self.0.as_bytes() {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        hash
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        Self::new(key)
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        Self::new(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_print_the_key() {
        let key = ApiKey::new("key_supersecret123");
        assert_eq!(format!("{key:?}"), "ApiKey(***)");
        assert_eq!(format!("{key}"), "***");
        assert!(!format!("{key:#?}").contains("supersecret"));
    }

    #[test]
    fn trims_whitespace_and_exposes_on_request() {
        let key = ApiKey::new("  key_abc\n");
        assert_eq!(key.expose_secret(), "key_abc");
    }

    #[test]
    fn fingerprint_differs_per_key_and_is_stable() {
        let a = ApiKey::new("key_a");
        assert_eq!(a.fingerprint(), ApiKey::new("key_a").fingerprint());
        assert_ne!(a.fingerprint(), ApiKey::new("key_b").fingerprint());
    }
}
