//! The retry loop: one request through its stages, attempt after attempt. Each stage has a
//! file of its own: the bucket (`limits.rs`), the cache (`cache.rs`), one attempt
//! (`attempt.rs`), the decision after a failure (`classify.rs`) and the backoff (`retry.rs`);
//! decoding happens in `client.rs` once an answer is whole.

use std::time::{Duration, Instant};

use bytes::Bytes;
use tracing::Instrument as _;

use crate::attempt::{AnswerBody, AttemptOutcome, AttemptSpec, send_once};
use crate::cache::CachedResponse;
use crate::classify::{AttemptContext, AttemptFailure, Decision, enforce_safety};
use crate::client::Client;
use crate::endpoint::{Endpoint, ResponseKind};
use crate::error::{Error, Result};
use crate::observe::Event;
use crate::request::Request;

/// A successful answer on its way back to the caller.
pub(crate) enum Answer {
    /// A whole body. `from_cache` is true when it came from a `304` revalidation; `store` is
    /// the cache entry to keep once the body has decoded (never before: a corrupt body must
    /// not be replayed forever).
    Buffered { status: u16, body: Bytes, from_cache: bool, store: Option<(String, String)> },
    /// A body left for the caller to stream.
    Streaming(reqwest::Response),
}

/// What the attempts of one request did, for its span.
#[derive(Default)]
struct AttemptStats {
    attempt: u32,
    status: Option<u16>,
    limiter_wait: Duration,
}

/// How the cache takes part in one request.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum CacheUse {
    /// Revalidate a cached body when there is one.
    Revalidate,
    /// Fetch the full answer (after a cached body failed to decode).
    Bypass,
}

impl Client {
    /// Runs a request to its end, inside a span that records the attempts, the last status,
    /// the time spent waiting for the bucket and the total time.
    pub(crate) async fn execute(&self, request: &Request, streaming: bool, cache_use: CacheUse) -> Result<Answer> {
        let endpoint = request.endpoint;
        let span = tracing::info_span!(
            "cursor.request",
            api = endpoint.api.as_str(),
            endpoint = endpoint.name,
            method = endpoint.method.as_str(),
            path = %request.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            limiter_wait_ms = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let mut stats = AttemptStats::default();
        let result = self.attempts(request, streaming, cache_use, &mut stats).instrument(span.clone()).await;
        // Recorded once, at the end: recording a field again appends it in most subscribers.
        span.record("attempt", stats.attempt);
        if let Some(status) = stats.status {
            span.record("status", status);
        }
        span.record("limiter_wait_ms", stats.limiter_wait.as_millis() as u64);
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
        let path = request.path_and_query();
        self.observe_borrowed(&Event::RequestFinished {
            endpoint: endpoint.name,
            method: endpoint.method.as_str(),
            path: &path,
            status: stats.status,
            attempts: stats.attempt,
            limiter_wait: stats.limiter_wait,
            elapsed: started.elapsed(),
            from_cache: matches!(result, Ok(Answer::Buffered { from_cache: true, .. })),
        });
        result
    }

    async fn attempts(
        &self,
        request: &Request,
        streaming: bool,
        cache_use: CacheUse,
        stats: &mut AttemptStats,
    ) -> Result<Answer> {
        let endpoint = request.endpoint;
        request.check_sendable()?;
        let settings = self.settings();
        // What the request set itself wins over the view's options, which win over the
        // endpoint's declaration, which wins over the client's settings.
        let options = self.options().overlaid_by(&request.options);
        let policy = options.retry.unwrap_or(settings.retry);
        let classifier = options.classifier.clone().unwrap_or_else(|| settings.classifier.clone());
        let idempotent = options.idempotent.unwrap_or(endpoint.idempotent);
        let bucket = self.bucket(endpoint);
        let url = format!("{}{}", settings.base_url, request.path_and_query());
        let cache = settings
            .cache
            .as_ref()
            .filter(|_| endpoint.cacheable && endpoint.response == ResponseKind::Json && !streaming);
        // Only a request that can use the cache pays for its key.
        let cache_key = if cache.is_some() { self.cache_key(endpoint, &url) } else { String::new() };
        let body = match &request.body {
            Some(value) => {
                Some(Bytes::from(serde_json::to_vec(value).map_err(|e| Error::invalid(endpoint.name, e.to_string()))?))
            }
            None => None,
        };
        let timeout = options.timeout.or(endpoint.timeout).unwrap_or(settings.timeout);
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            stats.attempt = attempt;
            stats.status = None;

            // Stage 1: the cache and the bucket. A revalidation answered 304 costs the server
            // nothing and is not counted, so it does not wait for a permit (it is charged if
            // it turns out to be a full answer); a 429 pause holds for every request.
            let cached: Option<CachedResponse> =
                cache.filter(|_| cache_use == CacheUse::Revalidate).and_then(|c| c.get(&cache_key));
            let tell = |wait: Duration| {
                let rates = bucket.current_rates();
                self.observe_borrowed(&Event::RateLimitWait {
                    endpoint: endpoint.name,
                    api: endpoint.api,
                    bucket: endpoint.bucket,
                    wait,
                    rates: &rates,
                });
            };
            stats.limiter_wait +=
                if cached.is_none() { bucket.admit_telling(tell).await? } else { bucket.wait_out_any_pause().await? };

            // Stage 2: one attempt.
            let (outcome, budget) = send_once(AttemptSpec {
                http: &settings.http,
                endpoint,
                url: &url,
                authorization: self.authorization(),
                headers: &request.headers,
                body: body.as_ref(),
                if_none_match: cached.as_ref().map(|c| c.etag.as_str()),
                timeout,
                streaming,
                limits: settings.body_limits,
                attempt,
            })
            .await;

            if let Some(budget) = budget {
                bucket.observe_server_budget(budget.limit, budget.remaining, budget.reset_after);
            }

            // Stage 3: the outcome. Success returns; a failure goes to the classifier.
            let (failure, error) = match outcome {
                AttemptOutcome::NotModified => {
                    stats.status = Some(304);
                    let cached = cached.expect("a 304 only answers a revalidation");
                    return Ok(Answer::Buffered { status: 200, body: cached.body, from_cache: true, store: None });
                }
                AttemptOutcome::Answered { status, etag, body } => {
                    stats.status = Some(status);
                    if cached.is_some() {
                        bucket.charge_everywhere().await;
                    }
                    return Ok(match body {
                        AnswerBody::Streaming(response) => Answer::Streaming(response),
                        AnswerBody::Buffered(bytes) => Answer::Buffered {
                            status,
                            body: bytes,
                            from_cache: false,
                            store: cache.and(etag).map(|etag| (cache_key.clone(), etag)),
                        },
                    });
                }
                AttemptOutcome::AnsweredUnreadable { status, partial, error, retryable } => {
                    stats.status = Some(status);
                    if cached.is_some() {
                        bucket.charge_everywhere().await;
                    }
                    if !idempotent {
                        // The server acted; sending again could act twice. Say so, with
                        // what arrived, instead of an error that invites a retry.
                        return Err(Error::DoneButUnreadable {
                            endpoint: endpoint.name,
                            status,
                            body: partial,
                            source: Box::new(error),
                        });
                    }
                    if !retryable {
                        return Err(error);
                    }
                    (AttemptFailure::BodyCut, error)
                }
                AttemptOutcome::Failed { failure, error } => {
                    if let AttemptFailure::Status { status, .. } = failure {
                        stats.status = Some(status);
                        if cached.is_some() {
                            bucket.charge_everywhere().await;
                        }
                    }
                    (failure, error)
                }
                AttemptOutcome::Fatal(error) => return Err(error),
            };

            // Stage 4: the decision.
            let context = AttemptContext { endpoint, idempotent, attempt, policy };
            let mut decision = enforce_safety(classifier.classify(&context, &failure), &context, &failure);
            if let AttemptFailure::Status { status: 429, retry_after } = failure {
                // Every 429 pauses the bucket, even when this call gives up, so that later
                // calls do not walk into the same refusal; never longer than the policy allows.
                let pause = match decision {
                    Decision::PauseBucketAndRetry { pause, .. } => pause,
                    _ => retry_after.unwrap_or_else(|| policy.backoff(attempt)),
                };
                bucket.penalize_everywhere(pause.min(policy.max_retry_after), retry_after.is_some()).await;
            }
            let retrying = matches!(decision, Decision::Retry { .. } | Decision::PauseBucketAndRetry { .. });
            if retrying && attempt >= policy.max_attempts {
                decision = if !idempotent && failure.may_have_reached_server() {
                    Decision::GiveUpOutcomeUnknown
                } else {
                    Decision::GiveUp
                };
            }
            match decision {
                Decision::Retry { after } => {
                    tracing::debug!(error = %error, ?after, "retrying");
                    let reason = error.to_string();
                    self.observe_borrowed(&Event::Retrying {
                        endpoint: endpoint.name,
                        attempt,
                        reason: &reason,
                        after,
                    });
                    tokio::time::sleep(after).await;
                }
                Decision::PauseBucketAndRetry { pause, .. } => {
                    // The bucket's pause holds the next attempt (stage 1 waits it out).
                    tracing::debug!(?pause, "rate limited; the bucket pauses before the retry");
                    let reason = error.to_string();
                    let event = Event::Retrying { endpoint: endpoint.name, attempt, reason: &reason, after: pause };
                    self.observe_borrowed(&event);
                }
                Decision::GiveUpOutcomeUnknown => return Err(outcome_unknown(endpoint, error)),
                _ => return Err(error),
            }
        }
    }
}

/// Wraps the failure of a request that is not safe to repeat and may have taken effect.
fn outcome_unknown(endpoint: &'static Endpoint, error: Error) -> Error {
    let hint =
        endpoint.uncertain_outcome_hint.unwrap_or("check whether the change took effect before sending it again");
    Error::OutcomeUnknown { endpoint: endpoint.name, source: Box::new(error), hint: hint.to_owned() }
}
