//! The retry classifier: what to do after one attempt failed (retry, pause the bucket and
//! retry, give up, or give up with an unknown outcome), decided from the failure and the
//! request's idempotency. Replaceable per client and per request.

use std::fmt::Debug;
use std::time::Duration;

use crate::endpoint::Endpoint;
use crate::retry::RetryPolicy;

/// How one attempt failed, as the classifier sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptFailure {
    /// The server answered with an error status (never 2xx, 3xx or a 304 revalidation).
    Status {
        /// The HTTP status.
        status: u16,
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
    },
    /// No answer within the request timeout.
    Timeout {
        /// Whether the request may have reached the server (false only when the connection
        /// was never made).
        reached_server: bool,
    },
    /// The connection failed or broke before an answer arrived.
    Connection {
        /// Whether the request may have reached the server.
        reached_server: bool,
    },
    /// A `2xx` answer whose body broke off before it was whole.
    BodyCut,
}

impl AttemptFailure {
    /// Whether the server may have acted on the request: false only for a connection that
    /// was never made and for a `429` (the server says it did nothing).
    pub fn may_have_reached_server(&self) -> bool {
        match *self {
            AttemptFailure::Status { status, .. } => status != 429,
            AttemptFailure::Timeout { reached_server } | AttemptFailure::Connection { reached_server } => {
                reached_server
            }
            AttemptFailure::BodyCut => true,
        }
    }
}

/// What the classifier sees besides the failure.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct AttemptContext {
    /// The endpoint.
    pub endpoint: &'static Endpoint,
    /// Whether repeating the request is safe (the endpoint's declaration, or a per-request
    /// override).
    pub idempotent: bool,
    /// Which attempt failed (1 for the first).
    pub attempt: u32,
    /// The retry policy in force for this request.
    pub policy: RetryPolicy,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decision {
    /// Send again after `after`.
    Retry {
        /// The delay before the next attempt.
        after: Duration,
    },
    /// The server refused for its rate limit: pause the whole bucket (every request of this
    /// key to it waits) for `pause`, then send again. `server_said` is true when the pause
    /// came from `Retry-After`; otherwise the bucket also learns a lower rate.
    PauseBucketAndRetry {
        /// How long the bucket pauses.
        pause: Duration,
        /// Whether the server said how long (`Retry-After`).
        server_said: bool,
    },
    /// Return the error.
    GiveUp,
    /// Return the error marked as an unknown outcome: the request may have taken effect.
    GiveUpOutcomeUnknown,
}

/// Decides what follows a failed attempt. The client never lets a decision repeat a request
/// that is not idempotent after it may have reached the server: such a `Retry` becomes
/// [`Decision::GiveUpOutcomeUnknown`], whatever the classifier says. To retry a write the
/// caller knows is safe, mark the request idempotent instead.
pub trait RetryClassifier: Debug + Send + Sync {
    /// The decision for `failure` in `context`. The client stops anyway once the policy's
    /// attempts are spent.
    fn classify(&self, context: &AttemptContext, failure: &AttemptFailure) -> Decision;
}

/// The SDK's rules:
/// - `429`: pause the bucket for `Retry-After` (at most the policy's `max_retry_after`; a
///   longer one gives up at once and returns it), or for the policy's backoff when absent;
///   even a launch is sent again, since the server did nothing.
/// - 5xx, timeouts, broken connections, cut bodies: retry idempotent requests after the
///   policy's backoff (or the server's `Retry-After` when it sent one within the policy);
///   a request that is not idempotent gives up with an unknown outcome.
/// - Any other status (4xx): give up.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultClassifier;

impl RetryClassifier for DefaultClassifier {
    fn classify(&self, context: &AttemptContext, failure: &AttemptFailure) -> Decision {
        let policy = &context.policy;
        let backoff = policy.backoff(context.attempt);
        match *failure {
            AttemptFailure::Status { status: 429, retry_after: Some(after) } if after > policy.max_retry_after => {
                Decision::GiveUp
            }
            AttemptFailure::Status { status: 429, retry_after } => Decision::PauseBucketAndRetry {
                pause: retry_after.unwrap_or(backoff),
                server_said: retry_after.is_some(),
            },
            AttemptFailure::Status { status, retry_after } if status >= 500 => {
                if context.idempotent {
                    let after = retry_after.filter(|d| *d <= policy.max_retry_after).unwrap_or(backoff);
                    Decision::Retry { after }
                } else {
                    Decision::GiveUpOutcomeUnknown
                }
            }
            AttemptFailure::Status { .. } => Decision::GiveUp,
            AttemptFailure::Timeout { .. } | AttemptFailure::Connection { .. } | AttemptFailure::BodyCut => {
                if context.idempotent {
                    Decision::Retry { after: backoff }
                } else if failure.may_have_reached_server() {
                    Decision::GiveUpOutcomeUnknown
                } else {
                    // The connection was never made: nothing reached the server, so sending
                    // again cannot act twice.
                    Decision::Retry { after: backoff }
                }
            }
        }
    }
}

/// Applies the rule no classifier can lift: a request that is not idempotent is never sent
/// again after it may have reached the server.
pub(crate) fn enforce_safety(decision: Decision, context: &AttemptContext, failure: &AttemptFailure) -> Decision {
    match decision {
        Decision::Retry { .. } | Decision::PauseBucketAndRetry { .. }
            if !context.idempotent && failure.may_have_reached_server() =>
        {
            Decision::GiveUpOutcomeUnknown
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::test_declarations::{SHARED_BUCKET, TEST_API};
    use crate::retry::Jitter;

    const READ: Endpoint = Endpoint::get("t.read", TEST_API, "/r", SHARED_BUCKET);

    fn context(idempotent: bool) -> AttemptContext {
        let policy = RetryPolicy { jitter: Jitter::None, ..RetryPolicy::default() };
        AttemptContext { endpoint: &READ, idempotent, attempt: 2, policy }
    }

    #[test]
    fn a_429_pauses_the_bucket_for_retry_after_or_the_policy_backoff() {
        let classify = |ctx: &AttemptContext, retry_after| {
            DefaultClassifier.classify(ctx, &AttemptFailure::Status { status: 429, retry_after })
        };
        let told = classify(&context(false), Some(Duration::from_secs(3)));
        assert_eq!(told, Decision::PauseBucketAndRetry { pause: Duration::from_secs(3), server_said: true });
        // The policy's own backoff (2 s for the second attempt, unjittered), not a second one.
        let guessed = classify(&context(true), None);
        assert_eq!(guessed, Decision::PauseBucketAndRetry { pause: Duration::from_secs(2), server_said: false });
        assert_eq!(classify(&context(true), Some(Duration::from_secs(3600))), Decision::GiveUp);
    }

    #[test]
    fn server_errors_and_broken_connections_retry_only_idempotent_requests() {
        for failure in [
            AttemptFailure::Status { status: 503, retry_after: None },
            AttemptFailure::Timeout { reached_server: true },
            AttemptFailure::Connection { reached_server: true },
            AttemptFailure::BodyCut,
        ] {
            assert!(matches!(DefaultClassifier.classify(&context(true), &failure), Decision::Retry { .. }));
            assert_eq!(DefaultClassifier.classify(&context(false), &failure), Decision::GiveUpOutcomeUnknown);
        }
        let refused = AttemptFailure::Connection { reached_server: false };
        assert!(matches!(DefaultClassifier.classify(&context(false), &refused), Decision::Retry { .. }));
        let bad = AttemptFailure::Status { status: 400, retry_after: None };
        assert_eq!(DefaultClassifier.classify(&context(true), &bad), Decision::GiveUp);
    }

    #[test]
    fn no_classifier_can_repeat_a_write_that_may_have_arrived() {
        let retry = Decision::Retry { after: Duration::ZERO };
        let cut = AttemptFailure::BodyCut;
        assert_eq!(enforce_safety(retry, &context(false), &cut), Decision::GiveUpOutcomeUnknown);
        assert_eq!(enforce_safety(retry, &context(true), &cut), retry);
        let limited = AttemptFailure::Status { status: 429, retry_after: None };
        assert_eq!(enforce_safety(retry, &context(false), &limited), retry, "a 429 did nothing");
    }
}
