//! Every knob of the simulator: data sizes, clocks, keys, rate limits, faults and webhooks.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The instant [`MockConfig::for_tests`] freezes the simulator's calendar at (2025-06-15
/// 12:00 UTC). A client under test should use the same clock
/// (`cursor_core::ClientBuilder::clock(|| cursor_mock::TEST_NOW)`): relative ranges it splits
/// into absolute windows itself (`90d` at a 30-day cap) would otherwise be resolved against
/// the wall clock and ask for days the simulated team has no data for.
pub const TEST_NOW: OffsetDateTime = time::macros::datetime!(2025-06-15 12:00:00 UTC);

/// Everything [`crate::MockServer::start`] needs. `MockConfig::default()` serves a realistic
/// team on `127.0.0.1` with a random port, real-time clocks and the documented rate limits.
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// Interface to bind. Defaults to `127.0.0.1`.
    pub host: IpAddr,
    /// Port to bind; `0` lets the OS pick one.
    pub port: u16,
    /// Seed of the synthetic team: the same seed always yields the same data.
    pub seed: u64,
    /// How much synthetic data to generate.
    pub data: DataSizes,
    /// The calendar "now" used to resolve `now`, `7d`, default ranges and billing cycles.
    /// `None` follows the wall clock; `Some` freezes it (only `/__mock/clock/advance` moves it),
    /// which keeps responses and ETags byte-for-byte stable in tests.
    pub fixed_now: Option<OffsetDateTime>,
    /// How many simulated seconds pass per real second. Rate-limit windows and agent run
    /// times are measured in simulated time, so `60.0` turns a one-minute window into one
    /// real second.
    pub time_scale: f64,
    /// How long agents stay `CREATING` and `RUNNING`, in simulated time.
    pub agent_timing: AgentTiming,
    /// Probability in `[0, 1]` that an agent run ends in `ERROR` instead of `FINISHED`.
    /// A prompt containing `[mock:error]` always ends in `ERROR`.
    pub agent_error_rate: f64,
    /// Keys accepted. `None` accepts any key that starts with `key_` or, like the current
    /// service's scoped keys, `crsr_`.
    pub allowed_keys: Option<Vec<String>>,
    /// Keys whose team is not on the Enterprise plan: the Admin, Analytics and AI Code
    /// Tracking APIs answer them `403`.
    pub non_enterprise_keys: Vec<String>,
    /// Also accept `Authorization: Bearer <key>`. The documented contract is Basic only,
    /// so this is off by default and a Bearer header is answered `401`.
    pub accept_bearer: bool,
    /// Requests allowed per key and bucket.
    pub rate_limits: RateLimits,
    /// Longest range, in days, accepted by `/teams/daily-usage-data` (one document says
    /// 30, an older one 90).
    pub daily_usage_max_days: u32,
    /// The answers' shapes where the seed documents and the current service differ.
    pub shapes: Shapes,
    /// Faults injected into responses; also settable at run time through `/__mock/faults`.
    pub faults: FaultConfig,
    /// How agent webhooks are delivered.
    pub webhooks: WebhookConfig,
    /// Extra delay before `/v0/repositories` answers (the real one can take tens of seconds).
    pub repositories_delay: Duration,
    /// The Cloud Agents v1 event stream: retention, heartbeats, polling, `retry:`.
    pub agents_v1: AgentsV1Config,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            seed: 7,
            data: DataSizes::default(),
            fixed_now: None,
            time_scale: 1.0,
            agent_timing: AgentTiming::default(),
            agent_error_rate: 0.0,
            allowed_keys: None,
            non_enterprise_keys: Vec::new(),
            accept_bearer: false,
            rate_limits: RateLimits::default(),
            daily_usage_max_days: 30,
            shapes: Shapes::default(),
            faults: FaultConfig::default(),
            webhooks: WebhookConfig::default(),
            repositories_delay: Duration::ZERO,
            agents_v1: Default::default(),
        }
    }
}

impl MockConfig {
    /// A configuration for tests: a frozen clock (2025-06-15 12:00 UTC), agents that finish
    /// instantly and webhooks retried quickly. Rate limits stay at their documented values;
    /// give each test its own key so that they do not interfere.
    pub fn for_tests() -> Self {
        Self {
            fixed_now: Some(TEST_NOW),
            agent_timing: AgentTiming::instant(),
            webhooks: WebhookConfig { initial_backoff: Duration::from_millis(20), ..WebhookConfig::default() },
            ..Self::default()
        }
    }
}

/// Where the seed documents and the current service disagree, which the simulator answers.
/// The defaults follow the current documents; [`Shapes::seeds`] gives the seeds' answers, so
/// clients can be tested against both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shapes {
    /// `/teams/spend` sends fractional `spendCents` (`2450.37`) and `overallSpendCents`,
    /// `effectivePerUserLimitDollars` and `userId` (current); the seeds send whole cents only.
    pub fractional_spend: bool,
    /// Member ids (`/teams/members` `id`) are `user_…` strings; `false` sends numbers.
    pub string_member_ids: bool,
    /// `/teams/daily-usage-data` is paged by users (`page`, `pageSize`,
    /// `pagination.totalUsers`) and includes inactive members' days with `userId`, `day`
    /// and `isActive` (current); the seeds answer every row at once, active days only.
    pub paged_daily_usage: bool,
    /// `pageSize` of `/teams/filtered-usage-events` when none is sent: 100 in the current
    /// documents, 10 in the seeds.
    pub usage_events_default_page_size: u64,
    /// `/analytics/team/conversation-insights` is on for the team; off, it answers `401`.
    pub conversation_insights_enabled: bool,
}

impl Default for Shapes {
    fn default() -> Self {
        Self {
            fractional_spend: true,
            string_member_ids: false,
            paged_daily_usage: true,
            usage_events_default_page_size: 100,
            conversation_insights_enabled: true,
        }
    }
}

impl Shapes {
    /// The seed documents' shapes: whole cents, numeric ids, unpaged daily usage, 10 usage
    /// events a page.
    pub fn seeds() -> Self {
        Self {
            fractional_spend: false,
            string_member_ids: false,
            paged_daily_usage: false,
            usage_events_default_page_size: 10,
            conversation_insights_enabled: true,
        }
    }
}

/// Sizes of the synthetic team. The defaults give every paginated endpoint several pages at
/// its default page size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataSizes {
    /// Number of team members (by-user analytics pages 100 users at a time by default).
    pub members: usize,
    /// Days of history generated up to "now" (at least 90 is realistic).
    pub history_days: u32,
    /// AI-code commits spread over the history. Generated lazily, so millions are fine.
    pub commits: u64,
    /// AI-code changes spread over the history. Generated lazily, so millions are fine.
    pub changes: u64,
    /// Historical agents every team starts with.
    pub agents_per_team: usize,
    /// Average audit-log events per day.
    pub audit_events_per_day: u32,
}

impl Default for DataSizes {
    fn default() -> Self {
        Self {
            members: 210,
            history_days: 100,
            commits: 6_000,
            changes: 10_000,
            agents_per_team: 45,
            audit_events_per_day: 40,
        }
    }
}

/// How long an agent run lasts, in simulated time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentTiming {
    /// Time spent in `CREATING`.
    pub creating: Duration,
    /// Time spent in `RUNNING` before the run ends.
    pub running: Duration,
}

impl AgentTiming {
    /// No delay: the launch answers `CREATING` and the next read already sees the run ended.
    pub fn instant() -> Self {
        Self { creating: Duration::ZERO, running: Duration::ZERO }
    }
}

impl Default for AgentTiming {
    fn default() -> Self {
        Self { creating: Duration::from_secs(2), running: Duration::from_secs(10) }
    }
}

/// Requests allowed per key in each rate-limit bucket. Windows are fixed and measured in
/// simulated time (see [`MockConfig::time_scale`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RateLimits {
    /// `false` turns every limit off.
    pub enabled: bool,
    /// All Admin endpoints share this per-minute bucket (except those with their own below).
    pub admin_per_minute: u32,
    /// `/teams/user-spend-limit` has its own bucket: 250 in the current overview (the seeds'
    /// primary reference says 60).
    pub user_spend_limit_per_minute: u32,
    /// `/teams/filtered-usage-events` has its own bucket in the current overview (60; the
    /// seeds count it with the other Admin endpoints).
    pub usage_events_per_minute: u32,
    /// `/teams/remove-member` (50, current overview).
    pub remove_member_per_minute: u32,
    /// `/analytics/team/conversation-insights` (20, current overview).
    pub conversation_insights_per_minute: u32,
    /// `POST /bugbot/review` (30, current overview).
    pub bugbot_review_per_minute: u32,
    /// `POST /bugbot/review` with `dryRun: true`, counted on top of the review bucket (10).
    pub bugbot_review_dry_run_per_minute: u32,
    /// Analytics team-level endpoints, one shared bucket.
    pub analytics_team_per_minute: u32,
    /// Analytics by-user endpoints, one shared bucket.
    pub analytics_by_user_per_minute: u32,
    /// AI Code Tracking: a separate bucket for each endpoint.
    pub ai_code_per_endpoint_per_minute: u32,
    /// Cloud Agents endpoints other than `/v0/repositories` ("standard rate limiting").
    pub agents_per_minute: u32,
    /// `/v0/repositories`, per minute.
    pub repositories_per_minute: u32,
    /// `/v0/repositories`, per hour.
    pub repositories_per_hour: u32,
    /// `/bugbot/repo/update`.
    pub bugbot_per_minute: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            enabled: true,
            admin_per_minute: 20,
            user_spend_limit_per_minute: 250,
            usage_events_per_minute: 60,
            remove_member_per_minute: 50,
            conversation_insights_per_minute: 20,
            bugbot_review_per_minute: 30,
            bugbot_review_dry_run_per_minute: 10,
            analytics_team_per_minute: 100,
            analytics_by_user_per_minute: 50,
            ai_code_per_endpoint_per_minute: 20,
            agents_per_minute: 60,
            repositories_per_minute: 1,
            repositories_per_hour: 30,
            bugbot_per_minute: 60,
        }
    }
}

impl RateLimits {
    /// No limits at all.
    pub fn unlimited() -> Self {
        Self { enabled: false, ..Self::default() }
    }
}

/// How webhooks are delivered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WebhookConfig {
    /// Attempts per delivery, the first included; a non-2xx answer or a transport error
    /// triggers the next one.
    pub max_attempts: u32,
    /// Wait before the second attempt; doubles after each failure.
    pub initial_backoff: Duration,
    /// Timeout of one attempt.
    pub timeout: Duration,
    /// Deliver to hosts other than loopback. Off by default: the simulator stays offline.
    pub allow_non_loopback: bool,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            timeout: Duration::from_secs(10),
            allow_non_loopback: false,
        }
    }
}

/// What can go wrong with one response. Probabilities are in `[0, 1]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultSpec {
    /// Probability of answering a 5xx instead of the real response.
    pub error_rate: f64,
    /// Statuses to pick from for `error_rate` (default 500, 502, 503).
    pub error_statuses: Vec<u16>,
    /// Probability of answering `429` (with `Retry-After: 1`) whatever the real limits say.
    pub rate_limit_rate: f64,
    /// Delay added before answering, in real milliseconds.
    pub latency_ms: u64,
    /// Probability of cutting the body in half and closing the connection.
    pub truncate_rate: f64,
    /// Probability of answering `200` with a body that is not valid JSON.
    pub malformed_json_rate: f64,
    /// Probability of closing the connection before any body byte.
    pub reset_rate: f64,
    /// Probability of letting the handler run (its state changes stay) and then closing the
    /// connection without sending its answer: the client cannot tell whether the request
    /// took effect.
    #[serde(alias = "reset_after_handling")]
    pub reset_after_handling_rate: f64,
    /// Slow drip: send the body this many bytes at a time (0 = off).
    pub drip_chunk_bytes: usize,
    /// Slow drip: real milliseconds between chunks.
    pub drip_interval_ms: u64,
    /// Probability, for a `200` that carries an `ETag`, of corrupting its body: a few bytes
    /// in the middle of its first chunk become `0xFF` (not UTF-8, so neither JSON nor CSV),
    /// while the status, the length and the `ETag` of the real body stay. A client that
    /// caches what it cannot decode would serve it again on every `304`.
    pub corrupt_body_rate: f64,
    /// Probability, per data row of a CSV answer, of dropping the row's last field, so the
    /// row has fewer fields than the header. Streamed row by row, never buffered.
    pub short_csv_row_rate: f64,
    /// Probability of answering `307 Temporary Redirect` to the same path and query on
    /// another origin, without running the handler.
    pub redirect_rate: f64,
    /// The origin redirects point to; by default `http://127.0.0.2:<the request's port>`
    /// (another host, where nothing listens unless a test binds it).
    pub redirect_to: Option<String>,
    /// Answer `200` with a body of this many MiB of valid JSON (`{"items":[…]}`; CSV on
    /// `.csv` paths) instead of running the handler; generated as it is sent (0 = off).
    pub huge_body_mib: u64,
    /// Answer `200` with a body that never ends (JSON items, or CSV rows on `.csv` paths)
    /// instead of running the handler.
    pub endless_body: bool,
    /// Real milliseconds between the 16 KiB chunks of an endless body (0 = as fast as the
    /// client reads).
    pub endless_body_interval_ms: u64,
    /// Answer page 1's content for every page of a paginated endpoint (the `page` and
    /// `cursor` parameters are dropped before the handler runs), with metadata saying a next
    /// page follows: the page asked for is echoed, `hasNextPage` is true, the page count is
    /// one more than that page, and `GET /v0/agents` always carries page 1's `nextCursor`.
    pub repeat_first_page: bool,
    /// Probability, on a write (any method but `GET`/`HEAD`) the handler answered `2xx` with
    /// a body, of sending only the first half of that body, well framed (its `Content-Length`
    /// is the half's): the work is done, the answer does not decode.
    pub cut_write_body_rate: f64,
    /// Cut the body after this many bytes: they pass as they come (nothing is buffered, so
    /// it works on endless event streams), then the connection closes mid-body, possibly in
    /// the middle of an event.
    pub cut_body_after_bytes: Option<usize>,
}

impl FaultSpec {
    pub(crate) fn is_noop(&self) -> bool {
        *self == Self::default()
    }
}

/// A fault for some routes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RouteFault {
    /// Path prefix the rule applies to (`/analytics/team/` covers all team endpoints).
    pub path: String,
    /// Method it applies to; any if absent.
    pub method: Option<String>,
    /// The fault.
    pub fault: FaultSpec,
    /// Apply to this many matching requests only, then retire the rule; forever if absent.
    pub times: Option<u32>,
}

/// Every fault in force: the first matching route rule wins, else the global one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Applies to every API request no rule matches.
    pub global: FaultSpec,
    /// Per-route rules.
    pub routes: Vec<RouteFault>,
}

/// Knobs of the v1 event stream.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AgentsV1Config {
    /// How long (simulated) a terminal run's events stay streamable; later the stream
    /// answers `410 stream_expired`.
    pub stream_retention: Duration,
    /// How often (real time) an idle stream sends a `heartbeat` event.
    pub heartbeat_interval: Duration,
    /// How often (real time) an open stream looks for new events.
    pub stream_poll: Duration,
    /// The `retry:` delay the stream announces to clients, in milliseconds.
    pub retry_ms: u64,
}

impl Default for AgentsV1Config {
    fn default() -> Self {
        Self {
            stream_retention: Duration::from_secs(3600),
            heartbeat_interval: Duration::from_secs(15),
            stream_poll: Duration::from_millis(20),
            retry_ms: 50,
        }
    }
}
