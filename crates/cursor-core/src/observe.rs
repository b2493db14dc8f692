//! What the client reports as it works (requests finished, retries, pages read), for progress
//! displays and per-request logs that should not depend on a tracing subscriber.

use std::fmt::Debug;
use std::time::Duration;

use crate::endpoint::{Api, Bucket};
use crate::limits::Rate;

/// One thing the client did. Never carries the API key or a body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A request ended, successfully or not.
    RequestFinished {
        /// The endpoint's name (`admin.audit_logs`).
        endpoint: &'static str,
        /// The HTTP method.
        method: &'static str,
        /// The path and query as sent.
        path: &'a str,
        /// The last status the server answered with, if it answered.
        status: Option<u16>,
        /// How many attempts were made.
        attempts: u32,
        /// Time spent waiting for the rate-limit bucket, over all attempts.
        limiter_wait: Duration,
        /// Time from the first wait to the end.
        elapsed: Duration,
        /// Whether the answer was replayed from the `ETag` cache after a `304`.
        from_cache: bool,
    },
    /// An attempt failed and the request will be sent again.
    Retrying {
        /// The endpoint's name.
        endpoint: &'static str,
        /// The attempt that failed (1 for the first).
        attempt: u32,
        /// Why (the error's text).
        reason: &'a str,
        /// How long until the next attempt (a bucket pause after a `429`).
        after: Duration,
    },
    /// A request must wait for its rate-limit bucket before it is sent (the client-side
    /// limiter, or a pause after a `429`). Sent once per wait, before it starts, so that a
    /// display can say what it waits for; the time actually waited is in
    /// [`RequestFinished`](Event::RequestFinished)'s `limiter_wait`.
    RateLimitWait {
        /// The endpoint's name.
        endpoint: &'static str,
        /// The API family.
        api: Api,
        /// The bucket waited for.
        bucket: Bucket,
        /// How long the wait is expected to last (it may end later if others are served first).
        wait: Duration,
        /// The bucket's rates in force now (`20/min`, say).
        rates: &'a [Rate],
    },
    /// A page of a paginated stream arrived.
    PageRead {
        /// The endpoint's name.
        endpoint: &'static str,
        /// The page's number within its request (1 for the first).
        page: u32,
    },
}

/// Receives the client's [`Event`]s. Called inline on the request's task: keep it quick
/// (update a counter, send on a channel).
pub trait Observer: Debug + Send + Sync {
    /// One event.
    fn observe(&self, event: &Event<'_>);
}

/// Any function of an event is an observer.
pub struct FnObserver<F>(pub F);

impl<F> Debug for FnObserver<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FnObserver")
    }
}

impl<F: Fn(&Event<'_>) + Send + Sync> Observer for FnObserver<F> {
    fn observe(&self, event: &Event<'_>) {
        (self.0)(event);
    }
}
