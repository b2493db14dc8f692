//! Tests of a bucket backed by a shared store, with a scripted store in paused tokio time:
//! the store decides admissions, 429s reach it, and an unreachable store falls back to the
//! in-process limits or fails, as configured. (Redis itself is tested in `tests/`.)

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use super::*;
use crate::endpoint::test_declarations::{PER_ENDPOINT_BUCKET, SHARED_BUCKET, TEST_API};

const MINUTE_WINDOW: Duration = Duration::from_millis(60_600);

/// A store that answers admissions from a script (then a fixed answer) and records the calls
/// it runs (when awaited, as a real store does its work).
struct ScriptedStore {
    answers: Mutex<VecDeque<Result<Admission, StoreError>>>,
    then: Result<Admission, StoreError>,
    calls: Mutex<Vec<String>>,
}

impl ScriptedStore {
    fn new(answers: Vec<Result<Admission, StoreError>>, then: Result<Admission, StoreError>) -> Arc<Self> {
        Arc::new(Self { answers: Mutex::new(answers.into()), then, calls: Mutex::new(Vec::new()) })
    }

    fn down() -> Arc<Self> {
        Self::new(Vec::new(), Err(StoreError("connection refused".into())))
    }

    fn log(&self, call: String) {
        self.calls.lock().unwrap().push(call);
    }

    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }

    fn failing(&self) -> Result<(), StoreError> {
        self.then.clone().map(drop)
    }
}

impl LimiterStore for ScriptedStore {
    fn try_admit<'a>(&'a self, bucket: &'a BucketId, rates: &'a [WindowRate]) -> StoreFuture<'a, Admission> {
        Box::pin(async move {
            self.log(format!("admit {} {rates:?}", bucket.name()));
            self.answers.lock().unwrap().pop_front().unwrap_or_else(|| self.then.clone())
        })
    }

    fn charge<'a>(&'a self, bucket: &'a BucketId, _rates: &'a [WindowRate]) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            self.log(format!("charge {}", bucket.name()));
            self.failing()
        })
    }

    fn record_429<'a>(&'a self, bucket: &'a BucketId, pause: Duration, cut: &'a [WindowRate]) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let cut: Vec<u32> = cut.iter().map(|rate| rate.requests).collect();
            self.log(format!("refusal {} {pause:?} {cut:?}", bucket.name()));
            self.failing()
        })
    }

    fn pause_remaining<'a>(&'a self, bucket: &'a BucketId) -> StoreFuture<'a, Option<Duration>> {
        Box::pin(async move {
            self.log(format!("pause? {}", bucket.name()));
            self.failing().map(|()| None)
        })
    }
}

const ID: BucketId = BucketId { key_fingerprint: 0xabc, bucket: SHARED_BUCKET, endpoint: None };

fn shared_limiter(rates: &[Rate], store: &Arc<ScriptedStore>, policy: StoreUnavailable) -> BucketLimiter {
    let store: Arc<dyn LimiterStore> = Arc::clone(store) as Arc<dyn LimiterStore>;
    let shared = Arc::new(SharedStore::new(store, policy));
    BucketLimiter::new(SHARED_BUCKET, rates, &RateLimits::default()).shared(Some((shared, ID)))
}

#[test]
fn a_bucket_is_named_by_the_key_fingerprint_never_the_key() {
    let per_endpoint = BucketId { key_fingerprint: 0xabc, bucket: PER_ENDPOINT_BUCKET, endpoint: Some("/x") };
    assert_eq!(ID.name(), "0000000000000abc:shared");
    assert_eq!(per_endpoint.name(), format!("0000000000000abc:{}:/x", PER_ENDPOINT_BUCKET.as_str()));
}

#[tokio::test(start_paused = true)]
async fn the_store_decides_admission_and_its_wait_is_honoured() {
    let store = ScriptedStore::new(vec![Ok(Admission::RetryIn(Duration::from_secs(5)))], Ok(Admission::Admitted));
    let bucket = shared_limiter(&[Rate::per_minute(20)], &store, StoreUnavailable::default());
    let started = Instant::now();
    assert_eq!(bucket.admit().await.unwrap(), Duration::from_secs(5));
    assert_eq!(started.elapsed(), Duration::from_secs(5));
    let rate = WindowRate { requests: 20, period: Duration::from_secs(60), window: MINUTE_WINDOW };
    assert_eq!(store.calls(), vec![format!("admit 0000000000000abc:shared {:?}", [rate]); 2]);
    // The store admits past the local rate: the store's count is the one that holds.
    for _ in 0..30 {
        assert_eq!(bucket.admit().await.unwrap(), Duration::ZERO);
    }
}

#[tokio::test(start_paused = true)]
async fn a_429_reaches_the_store_with_the_pause_and_the_cut_rate() {
    let store = ScriptedStore::new(Vec::new(), Ok(Admission::Admitted));
    let bucket = shared_limiter(&[Rate::per_minute(20)], &store, StoreUnavailable::default());
    assert_eq!(bucket.penalize_everywhere(Duration::from_secs(2), false).await, Duration::from_secs(2));
    assert_eq!(bucket.penalize_everywhere(Duration::from_secs(3), true).await, Duration::from_secs(3));
    assert_eq!(
        store.calls(),
        ["refusal 0000000000000abc:shared 2s [15]", "refusal 0000000000000abc:shared 3s []"],
        "the first cut 20/min to 15; a Retry-After pause cuts nothing"
    );
    bucket.charge_everywhere().await;
    assert_eq!(store.calls().last().unwrap(), "charge 0000000000000abc:shared");
}

#[tokio::test(start_paused = true)]
async fn an_unreachable_store_falls_back_to_the_in_process_limits() {
    let store = ScriptedStore::down();
    let bucket = shared_limiter(&[Rate::per_minute(2)], &store, StoreUnavailable::FallBackToInProcess);
    let started = Instant::now();
    bucket.admit().await.unwrap();
    bucket.admit().await.unwrap();
    assert_eq!(started.elapsed(), Duration::ZERO);
    assert_eq!(store.calls().len(), 1, "after a failure the store is left alone for a while");
    bucket.admit().await.unwrap();
    assert_eq!(started.elapsed(), MINUTE_WINDOW, "the third waits for the in-process window");
    assert_eq!(store.calls().len(), 2, "past the rest, the store is asked again");
    // Records that cannot reach the store do not fail anything either.
    bucket.charge_everywhere().await;
    bucket.penalize_everywhere(Duration::from_secs(1), true).await;
    assert_eq!(bucket.wait_out_any_pause().await.unwrap(), Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn an_unreachable_store_fails_the_request_when_told_to() {
    let store = ScriptedStore::down();
    let bucket = shared_limiter(&[Rate::per_minute(2)], &store, StoreUnavailable::Fail);
    let error = bucket.admit().await.unwrap_err();
    assert!(matches!(&error, crate::Error::LimiterStore(message) if message == "connection refused"), "{error:?}");
    assert!(bucket.wait_out_any_pause().await.is_err());
}

#[tokio::test(start_paused = true)]
async fn the_shared_store_reports_an_outage_once_and_recovers() {
    let shared = SharedStore::new(ScriptedStore::down(), StoreUnavailable::FallBackToInProcess);
    assert_eq!(shared.outcome::<()>(Err(StoreError("down".into()))).unwrap(), None);
    assert!(shared.down.load(std::sync::atomic::Ordering::Relaxed));
    assert_eq!(shared.outcome(Ok(7)).unwrap(), Some(7));
    assert!(!shared.down.load(std::sync::atomic::Ordering::Relaxed), "answering again ends the outage");
}

#[tokio::test(start_paused = true)]
async fn a_registry_with_a_store_names_each_bucket_by_key_bucket_and_endpoint() {
    const COMMITS: Endpoint = Endpoint::get("c", TEST_API, "/analytics/ai-code/commits", PER_ENDPOINT_BUCKET);
    let store = ScriptedStore::new(Vec::new(), Ok(Admission::Admitted));
    let registry = LimiterRegistry::with_store(
        RateLimits::default(),
        Some(Arc::new(SharedStore::new(Arc::clone(&store) as Arc<dyn LimiterStore>, StoreUnavailable::default()))),
    );
    registry.bucket(0x1234, &COMMITS).admit().await.unwrap();
    let expected = format!("admit 0000000000001234:{}:/analytics/ai-code/commits ", PER_ENDPOINT_BUCKET.as_str());
    assert!(store.calls()[0].starts_with(&expected), "{:?}", store.calls());
}
