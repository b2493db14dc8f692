//! Per-call options: a retry policy, a timeout, a retry classifier and an idempotency
//! override, set on a client view (`Client::with_options`, and each API client's
//! `with_options`) in the manner of google-cloud-rust's `RequestOptions`.

use std::sync::Arc;
use std::time::Duration;

use crate::classify::RetryClassifier;
use crate::retry::RetryPolicy;

/// Options for the calls made through a client view. A request's own setting wins over the
/// view's; each one left unset falls back to the endpoint's declaration (a slow endpoint's
/// longer timeout, its idempotency) and then the client's own settings.
///
/// ```
/// use std::time::Duration;
/// use cursor_core::{RequestOptions, RetryPolicy};
///
/// let client = cursor_core::Client::builder().api_key("key_…").build()?;
/// // One view that never retries and gives up after 5 s; `client` itself is unchanged.
/// let impatient = client.with_options(RequestOptions::new().retry_policy(RetryPolicy::none()).timeout(Duration::from_secs(5)));
/// # let _ = impatient; Ok::<(), cursor_core::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct RequestOptions {
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) classifier: Option<Arc<dyn RetryClassifier>>,
    pub(crate) idempotent: Option<bool>,
}

impl RequestOptions {
    /// No options: everything as the client and the endpoint say.
    pub fn new() -> Self {
        Self::default()
    }

    /// The retry policy (attempts and backoff).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// How long one attempt may take (for a stream: the period of its delivery-rate floor).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The rules that decide what follows a failed attempt.
    pub fn retry_classifier(mut self, classifier: impl RetryClassifier + 'static) -> Self {
        self.classifier = Some(Arc::new(classifier));
        self
    }

    /// Whether the calls may be sent again after they may have reached the server, where
    /// the caller knows better than the endpoint's declaration.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// These options, with `other`'s set ones taking precedence.
    pub(crate) fn overlaid_by(&self, other: &RequestOptions) -> RequestOptions {
        RequestOptions {
            retry: other.retry.or(self.retry),
            timeout: other.timeout.or(self.timeout),
            classifier: other.classifier.clone().or_else(|| self.classifier.clone()),
            idempotent: other.idempotent.or(self.idempotent),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_request_sets_itself_wins_over_the_views_options() {
        let view = RequestOptions::new().timeout(Duration::from_secs(1)).idempotent(true);
        let request = RequestOptions::new().timeout(Duration::from_secs(2));
        let effective = view.overlaid_by(&request);
        assert_eq!(effective.timeout, Some(Duration::from_secs(2)));
        assert_eq!(effective.idempotent, Some(true), "unset on the request: the view's");
        assert_eq!(effective.retry, None, "unset on both: the endpoint's or the client's");
    }
}
