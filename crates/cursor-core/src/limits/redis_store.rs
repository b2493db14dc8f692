//! The limiter's state in Redis (cargo feature `redis`): one Lua script per operation, so
//! that each admission is one atomic round trip however many processes share a key.
//!
//! Per bucket (`{name}` is [`BucketId::name`], in braces so that a cluster keeps a bucket's
//! keys in one slot, as a script needs):
//! - `{prefix}{name}:p{period_ms}`: a sorted set per rate, the admission times (µs on the
//!   Redis clock) within the rate's window;
//! - `{prefix}{name}:pause`: until when (µs) the bucket sends nothing, after a 429;
//! - `{prefix}{name}:learned`: a hash, period → the rate a 429 cut it to.
//!
//! Every key expires shortly after the state it holds stops mattering, so idle buckets cost
//! nothing. Times come from Redis's `TIME` inside the scripts: the clients' clocks never
//! enter the count.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use redis::Script;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::store::{Admission, BucketId, LimiterStore, StoreError, StoreFuture, WindowRate};

/// The prefix of every key unless told otherwise.
const DEFAULT_PREFIX: &str = "cursor-rs:limits:";

/// How long to wait for Redis to connect or answer: an unreachable store must not hold
/// requests longer than this before the client falls back.
const REDIS_TIMEOUT: Duration = Duration::from_secs(1);

/// Admits (or, with `force`, charges) one request under every rate of a bucket.
/// KEYS: pause, learned, then one sorted set per rate. ARGV: member, force, then per rate
/// its limit, period (ms, the learned hash's field) and window (µs). Returns 0 when admitted,
/// else the µs until it is worth asking again.
const ADMIT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local force = ARGV[2] == '1'
if not force then
  local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
  if paused > now then return paused - now end
end
local wait = 0
for i = 3, #KEYS do
  local a = 3 * (i - 3) + 3
  local limit = tonumber(ARGV[a])
  local learned = tonumber(redis.call('HGET', KEYS[2], ARGV[a + 1]) or limit)
  if learned < limit then limit = learned end
  if limit < 1 then limit = 1 end
  local window = tonumber(ARGV[a + 2])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', string.format('%.0f', now - window))
  local count = redis.call('ZCARD', KEYS[i])
  if not force and count >= limit then
    -- The admission that must leave the window before one more fits in it.
    local filled = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
    local frees = tonumber(filled[2]) + window - now
    if frees > wait then wait = frees end
  end
end
if wait > 0 then return wait end
local score = string.format('%.0f', now)
for i = 3, #KEYS do
  local window = tonumber(ARGV[3 * (i - 3) + 5])
  redis.call('ZADD', KEYS[i], score, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], math.ceil(window / 1000) + 1000)
end
return 0
";

/// Records a 429. KEYS: pause, learned. ARGV: the pause (µs), then pairs of period (ms) and
/// the rate a cut left. A pause never shortens a longer one; a learned rate never raises a
/// lower one, and is kept for the longest period given.
const REFUSE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local pause = tonumber(ARGV[1])
if pause > 0 then
  local untl = now + pause
  local previous = tonumber(redis.call('GET', KEYS[1]) or '0')
  if untl > previous then
    redis.call('SET', KEYS[1], string.format('%.0f', untl), 'PX', math.ceil(pause / 1000) + 1)
  end
end
local keep = 0
for a = 2, #ARGV, 2 do
  local requests = tonumber(ARGV[a + 1])
  local previous = tonumber(redis.call('HGET', KEYS[2], ARGV[a]) or (requests + 1))
  if requests < previous then redis.call('HSET', KEYS[2], ARGV[a], requests) end
  local period = tonumber(ARGV[a])
  if period > keep then keep = period end
end
if keep > 0 then redis.call('PEXPIRE', KEYS[2], keep) end
return 0
";

/// How long a pause remains (µs), 0 when none. KEYS: pause.
const PAUSE_REMAINING: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
if paused > now then return paused - now end
return 0
";

/// A [`LimiterStore`] in Redis (5 or later), for several processes, on one machine or many,
/// that share API keys. Each admission is one `EVALSHA` of a script that checks every rate of
/// the bucket on Redis's own clock and records the admission in all of them, or in none.
///
/// Opening does not connect: the first request does, and a Redis that cannot be reached
/// is handled as [`ClientBuilder::when_store_unavailable`](crate::ClientBuilder::when_store_unavailable)
/// says. Keys hold a fingerprint of the API key, never the key.
///
/// ```no_run
/// # async fn run() -> cursor_core::Result<()> {
/// let store = cursor_core::RedisStore::open("redis://127.0.0.1:6379/")?.key_prefix("team-sync:");
/// let client = cursor_core::Client::builder().api_key("key_…").limiter_store(store).build()?;
/// # let _ = client; Ok(()) }
/// ```
pub struct RedisStore {
    client: redis::Client,
    connection: tokio::sync::OnceCell<ConnectionManager>,
    prefix: String,
    /// Makes this store's admissions distinct members of the sorted sets.
    instance: u64,
    admissions: AtomicU64,
    admit: Script,
    refuse: Script,
    pause_remaining: Script,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: it is not shown.
        f.debug_struct("RedisStore").field("prefix", &self.prefix).finish_non_exhaustive()
    }
}

impl RedisStore {
    /// A store at a Redis URL (`redis://[:password@]host:port/[db]`). Fails only on a
    /// malformed URL; the connection is made on first use.
    pub fn open(url: &str) -> crate::Result<Self> {
        let client = redis::Client::open(url)
            .map_err(|e| crate::Error::Config(format!("the Redis URL for the rate-limit store is not valid: {e}")))?;
        Ok(Self {
            client,
            connection: tokio::sync::OnceCell::new(),
            prefix: DEFAULT_PREFIX.to_owned(),
            instance: fastrand::u64(..),
            admissions: AtomicU64::new(0),
            admit: Script::new(ADMIT),
            refuse: Script::new(REFUSE),
            pause_remaining: Script::new(PAUSE_REMAINING),
        })
    }

    /// The prefix of every key (default `cursor-rs:limits:`): processes with the same prefix
    /// share their budgets; another prefix keeps a separate set (a test, another fleet).
    #[must_use]
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    async fn connection(&self) -> Result<ConnectionManager, StoreError> {
        let manager = self
            .connection
            .get_or_try_init(|| async {
                // One quick retry on a lost connection; past that the client falls back
                // rather than hold requests while Redis is away.
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(REDIS_TIMEOUT))
                    .set_response_timeout(Some(REDIS_TIMEOUT))
                    .set_number_of_retries(1);
                ConnectionManager::new_lazy_with_config(self.client.clone(), config).map_err(store_error)
            })
            .await?;
        Ok(manager.clone())
    }

    fn key(&self, bucket: &BucketId, suffix: &str) -> String {
        format!("{}{{{}}}:{suffix}", self.prefix, bucket.name())
    }

    async fn run_admit(&self, bucket: &BucketId, rates: &[WindowRate], force: bool) -> Result<i64, StoreError> {
        let mut connection = self.connection().await?;
        let member = format!("{:016x}-{:x}", self.instance, self.admissions.fetch_add(1, Ordering::Relaxed));
        let mut call = self.admit.prepare_invoke();
        call.key(self.key(bucket, "pause")).key(self.key(bucket, "learned"));
        for rate in rates {
            call.key(self.key(bucket, &format!("p{}", rate.period.as_millis())));
        }
        call.arg(member).arg(if force { "1" } else { "0" });
        for rate in rates {
            call.arg(rate.requests).arg(rate.period.as_millis().to_string()).arg(micros(rate.window));
        }
        call.invoke_async(&mut connection).await.map_err(store_error)
    }
}

impl LimiterStore for RedisStore {
    fn try_admit<'a>(&'a self, bucket: &'a BucketId, rates: &'a [WindowRate]) -> StoreFuture<'a, Admission> {
        Box::pin(async move {
            let wait = self.run_admit(bucket, rates, false).await?;
            Ok(match u64::try_from(wait) {
                Ok(0) => Admission::Admitted,
                Ok(micros) => Admission::RetryIn(Duration::from_micros(micros)),
                Err(_) => return Err(StoreError(format!("the admission script answered {wait}"))),
            })
        })
    }

    fn charge<'a>(&'a self, bucket: &'a BucketId, rates: &'a [WindowRate]) -> StoreFuture<'a, ()> {
        Box::pin(async move { self.run_admit(bucket, rates, true).await.map(drop) })
    }

    fn record_429<'a>(&'a self, bucket: &'a BucketId, pause: Duration, cut: &'a [WindowRate]) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let mut connection = self.connection().await?;
            let mut call = self.refuse.prepare_invoke();
            call.key(self.key(bucket, "pause")).key(self.key(bucket, "learned")).arg(micros(pause));
            for rate in cut {
                call.arg(rate.period.as_millis().to_string()).arg(rate.requests);
            }
            call.invoke_async::<i64>(&mut connection).await.map(drop).map_err(store_error)
        })
    }

    fn pause_remaining<'a>(&'a self, bucket: &'a BucketId) -> StoreFuture<'a, Option<Duration>> {
        Box::pin(async move {
            let mut connection = self.connection().await?;
            let mut call = self.pause_remaining.prepare_invoke();
            call.key(self.key(bucket, "pause"));
            let remaining: i64 = call.invoke_async(&mut connection).await.map_err(store_error)?;
            Ok(u64::try_from(remaining).ok().filter(|micros| *micros > 0).map(Duration::from_micros))
        })
    }
}

/// A duration in whole microseconds, as the scripts count.
fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

fn store_error(error: redis::RedisError) -> StoreError {
    StoreError(format!("Redis: {error}"))
}
