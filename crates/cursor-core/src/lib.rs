//! The core of cursor-rs: transport, Basic auth, per-API rate limits, retries, errors,
//! pagination, ETag caching, dates and streamed bodies, shared by every API crate.
//!
//! The core names no API. API crates (`cursor-admin`, `cursor-analytics`, `cursor-aicode`,
//! `cursor-agents`, `cursor-bugbot`) declare everything about their endpoints as constants of
//! their own — the family ([`Api`]), the rate-limit buckets with their default rates
//! ([`Bucket`]), how pages are named and how an answer says more follow ([`Pagination`]), the
//! date dialect ([`DateParams`]), idempotency with its reason, cacheability, the answer's kind —
//! and build [`Request`]s from them; the [`Client`] executes every request along one path:
//!
//! 1. wait for the endpoint's rate-limit bucket (or only for a 429 pause, for an `ETag`
//!    revalidation) — `limits.rs`, `cache.rs`;
//! 2. send one attempt with Basic auth under its timeouts, reading at most the body limit —
//!    `attempt.rs`;
//! 3. classify a failure: retry, pause the bucket and retry, give up, or give up with an
//!    unknown outcome (a write that may have taken effect is never sent again) —
//!    `classify.rs`, with the backoff in `retry.rs` and the loop in `execute.rs`;
//! 4. decode JSON (naming the path of any bad field), and only then keep it for revalidation
//!    — `client.rs`.
//!
//! ```no_run
//! # async fn run() -> cursor_core::Result<()> {
//! use cursor_core::{Api, Bucket, Client, Endpoint, Rate, Request};
//!
//! const ADMIN: Api = Api::new("admin", "the Admin API");
//! const ADMIN_BUCKET: Bucket = Bucket::new("admin", &[Rate::per_minute(20)]);
//! const MEMBERS: Endpoint = Endpoint::get("admin.members", ADMIN, "/teams/members", ADMIN_BUCKET);
//!
//! let client = Client::builder().api_key("key_…").build()?;
//! let members: serde_json::Value = client.send_json(Request::new(&MEMBERS)).await?;
//! # Ok(()) }
//! ```

mod attempt;
mod cache;
mod classify;
mod client;
pub mod dates;
mod endpoint;
mod error;
mod execute;
mod limits;
mod model;
mod observe;
mod options;
mod paginate;
mod request;
mod retry;
mod secret;
mod stream;
#[cfg(feature = "testing")]
pub mod testing;

pub use classify::{AttemptContext, AttemptFailure, Decision, DefaultClassifier, RetryClassifier};
pub use client::{
    API_KEY_ENV, BASE_URL_ENV, CachedAnswer, Client, ClientBuilder, ClockFn, DEFAULT_BASE_URL, USER_AGENT, decode_json,
};
pub use dates::{DateParseError, DateRange, DateSpec, DateValue};
pub use endpoint::{
    Api, Bucket, DateFormat, DateParams, Endpoint, Method, MoreSignal, Pagination, ParamLocation, ResponseKind,
};
pub use error::{ApiError, ApiErrorBody, Error, Result};
#[cfg(feature = "redis")]
pub use limits::RedisStore;
pub use limits::{
    Admission, BucketId, LimiterStore, Rate, RateLimits, StoreError, StoreFuture, StoreUnavailable, WindowRate,
};
pub use model::Extra;
pub use observe::{Event, FnObserver, Observer};
pub use options::RequestOptions;
pub use paginate::{NextPage, Page, next_by_cursor, next_by_flag, next_by_total_count, next_by_total_pages};
pub use request::Request;
pub use retry::{Jitter, RetryPolicy};
pub use secret::ApiKey;
pub use stream::{BoxStream, ByteStream, CsvRecord};

/// The date and time crate the SDK's date types are built on. Its macros (`date!`,
/// `datetime!`) expand to paths under `::time`, so a crate that wants them depends on `time`
/// itself; the types and functions work through this re-export.
pub use time;

/// What most programs using the SDK import: the stream extension traits that streaming
/// methods need (`try_next`, `try_collect`), and the date types queries take.
///
/// ```
/// use cursor_core::prelude::*;
/// let range = DateRange::last_days(90);
/// # let _ = range;
/// ```
pub mod prelude {
    pub use crate::{DateRange, DateSpec};
    pub use futures_util::{StreamExt as _, TryStreamExt as _};
}

#[doc(hidden)]
pub mod __private {
    pub use serde;
}
