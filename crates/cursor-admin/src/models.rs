//! Response models of the Admin API: lossless (unknown fields kept in `extra`, unknown enum
//! values kept as `Unknown`), with optional fields where the documents disagree.

use cursor_core::{Extra, NextPage, Page, next_by_total_pages};
use serde::{Deserialize, Serialize};

cursor_core::string_enum! {
    /// A member's role in the team.
    pub enum Role {
        /// A member.
        Member = "member",
        /// An owner (admin).
        Owner = "owner",
        /// An owner who holds no paid seat.
        FreeOwner = "free-owner",
    }
}

cursor_core::string_enum! {
    /// A group's type. Only `BILLING` exists today.
    pub enum GroupType {
        /// A billing group.
        Billing = "BILLING",
    }
}

cursor_core::string_enum! {
    /// The `outcome` of a spend-limit change.
    pub enum Outcome {
        /// The change was applied.
        Success = "success",
        /// The change was refused (the client turns this into an error).
        Error = "error",
    }
}

/// Serde helpers for a field that may be absent, `null`, or a value, keeping which one came.
mod tri_state {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<T: Serialize, S: Serializer>(value: &Option<Option<T>>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(s),
            // Skipped by `skip_serializing_if`; written as null if ever reached.
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

/// Serde helpers for money in cents: any JSON number decodes (`2450` and `2450.75` alike, since
/// `/teams/spend` turned fractional in 2026), and a whole amount is written back as an integer,
/// so re-serializing gives back the number that came.
pub(crate) mod money {
    use serde::Serializer;

    fn write<S: Serializer>(cents: f64, s: S) -> Result<S::Ok, S::Error> {
        // 2^53: every whole number below it is exact in an f64 and fits an i64.
        if cents.fract() == 0.0 && cents.abs() < 9_007_199_254_740_992.0 {
            s.serialize_i64(cents as i64)
        } else {
            s.serialize_f64(cents)
        }
    }

    pub(crate) fn serialize<S: Serializer>(cents: &f64, s: S) -> Result<S::Ok, S::Error> {
        write(*cents, s)
    }

    pub(crate) mod option {
        use serde::Serializer;

        pub(crate) fn serialize<S: Serializer>(cents: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
            match cents {
                Some(cents) => super::write(*cents, s),
                None => s.serialize_none(),
            }
        }
    }
}

/// An identifier the API sends as a number in one edition and as a string in another (a
/// member's `id` is `12345` in one document and `user_…` in another). Both decode, and the
/// value is written back in the form it came in.
///
/// ```
/// use cursor_admin::Id;
/// let numeric: Id = serde_json::from_str("12345")?;
/// let encoded: Id = serde_json::from_str("\"user_PDSPmvukpYgZEDXsoNirw3CFhy\"")?;
/// assert_eq!(numeric, Id::Number(12345));
/// assert_eq!(numeric.as_u64(), Some(12345));
/// assert_eq!(encoded.to_string(), "user_PDSPmvukpYgZEDXsoNirw3CFhy");
/// assert_eq!(serde_json::to_string(&numeric)?, "12345");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Id {
    /// A numeric id (`12345`).
    Number(u64),
    /// A string id (`user_…`, or digits sent as a string).
    Text(String),
}

impl Id {
    /// The id as a number: a numeric id, or a string of digits.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Id::Number(n) => Some(*n),
            Id::Text(text) => text.trim().parse().ok(),
        }
    }

    /// The id as an encoded string (`user_…`), when it is one.
    pub fn as_encoded(&self) -> Option<&str> {
        match self {
            Id::Text(text) if !text.bytes().all(|b| b.is_ascii_digit()) => Some(text),
            _ => None,
        }
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Id::Number(n) => write!(f, "{n}"),
            Id::Text(text) => f.write_str(text),
        }
    }
}

impl From<u64> for Id {
    fn from(id: u64) -> Self {
        Id::Number(id)
    }
}

impl From<&str> for Id {
    fn from(id: &str) -> Self {
        Id::Text(id.to_owned())
    }
}

impl From<String> for Id {
    fn from(id: String) -> Self {
        Id::Text(id)
    }
}

// ---------------------------------------------------------------------------------------------
// Members

/// The answer of `GET /teams/members`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamMembers {
    /// The team's members.
    pub team_members: Vec<TeamMember>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One team member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamMember {
    /// The member's id: a number in one edition of the documents, a `user_…` string in
    /// another; absent in the oldest answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
    /// Display name; `None` when the server sends none (a member who never set one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Email address.
    pub email: String,
    /// Role: `owner`, `member` or `free-owner`.
    pub role: Role,
    /// Whether the member has been removed from the team (kept for usage and billing
    /// history); absent in older answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_removed: Option<bool>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl TeamMember {
    /// Whether the member is still in the team (`isRemoved` is not `true`).
    pub fn is_active(&self) -> bool {
        self.is_removed != Some(true)
    }
}

/// The answer of `POST /teams/remove-member`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoveMemberOutcome {
    /// Whether the member was removed.
    #[serde(default)]
    pub success: bool,
    /// The removed member's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<Id>,
    /// Whether the member used Cursor this billing cycle: their seat then stays billable until
    /// the cycle ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_billing_cycle_usage: Option<bool>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------------------------
// Audit logs

/// One page of `GET /teams/audit-logs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogPage {
    /// The events on this page, newest first.
    pub events: Vec<AuditLogEvent>,
    /// Where this page stands.
    pub pagination: AuditLogPagination,
    /// The parameters the server applied (team and resolved range).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<AuditLogParams>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Page for AuditLogPage {
    type Item = AuditLogEvent;

    fn next_page(&self, requested: u32) -> NextPage {
        self.pagination.next_page(requested)
    }

    fn reported_page(&self) -> Option<u32> {
        self.pagination.page
    }

    fn item_id(event: &AuditLogEvent) -> Option<String> {
        Some(event.event_id.clone())
    }

    fn into_items(self) -> Vec<AuditLogEvent> {
        self.events
    }
}

/// One audit event. Its fields are `snake_case` on the wire, unlike the rest of the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditLogEvent {
    /// The event's id (`evt_…`).
    pub event_id: String,
    /// When it happened (ISO 8601, `2024-01-15T12:30:00.000Z`).
    pub timestamp: String,
    /// Who did it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_email: Option<String>,
    /// What happened (`login`, `settings_changed`, …).
    pub event_type: String,
    /// Details, whose shape depends on the event type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_data: Option<serde_json::Value>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The parameters the server applied to an audit-log query.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogParams {
    /// The team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<u64>,
    /// The start of the range, epoch milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<i64>,
    /// The end of the range, epoch milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<i64>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------------------------
// Daily usage

/// A range in epoch milliseconds, as the server echoes it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    /// Start, epoch milliseconds.
    pub start_date: i64,
    /// End, epoch milliseconds.
    pub end_date: i64,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of `POST /teams/daily-usage-data`. When a long range was split into windows,
/// or a window came in several pages, `data` holds every row in order, `period` spans the
/// first window's start to the last window's end, and `extra` and `pagination` are the first
/// page's.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DailyUsage {
    /// One row per member and day (the current service includes inactive members' days).
    pub data: Vec<DailyUsageRow>,
    /// The range covered.
    #[serde(default)]
    pub period: Period,
    /// The page block of the current, paged answer (`page`, `pageSize`, `totalUsers`,
    /// `totalPages`, `hasNextPage`); absent in the seeds' unpaged answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<DailyUsagePagination>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One member's usage on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DailyUsageRow {
    /// The day, epoch milliseconds.
    pub date: i64,
    /// The day as `YYYY-MM-DD` (current answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<String>,
    /// The member's id (current answers only; a number or a `user_…` string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<Id>,
    /// Whether the member was active that day.
    #[serde(default)]
    pub is_active: bool,
    /// Lines of code added.
    pub total_lines_added: u64,
    /// Lines of code deleted.
    pub total_lines_deleted: u64,
    /// Lines added from accepted AI suggestions.
    pub accepted_lines_added: u64,
    /// Lines deleted from accepted AI suggestions.
    pub accepted_lines_deleted: u64,
    /// Apply operations.
    pub total_applies: u64,
    /// Suggestions accepted.
    pub total_accepts: u64,
    /// Suggestions rejected.
    pub total_rejects: u64,
    /// Tab completions shown.
    pub total_tabs_shown: u64,
    /// Tab completions accepted.
    pub total_tabs_accepted: u64,
    /// Composer requests.
    pub composer_requests: u64,
    /// Chat requests.
    pub chat_requests: u64,
    /// Agent requests.
    pub agent_requests: u64,
    /// Cmd+K uses.
    pub cmdk_usages: u64,
    /// Requests included in the subscription.
    pub subscription_included_reqs: u64,
    /// Requests made with the member's own API key.
    pub api_key_reqs: u64,
    /// Usage-based (paid) requests.
    pub usage_based_reqs: u64,
    /// Bugbot uses.
    pub bugbot_usages: u64,
    /// The model used most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub most_used_model: Option<String>,
    /// The file extension applied to most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply_most_used_extension: Option<String>,
    /// The file extension with most Tab completions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tab_most_used_extension: Option<String>,
    /// The Cursor version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_version: Option<String>,
    /// The member's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------------------------
// Spend

/// One page of `POST /teams/spend`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SpendPage {
    /// Members' spend on this page.
    pub team_member_spend: Vec<MemberSpend>,
    /// Start of the subscription cycle, epoch milliseconds.
    pub subscription_cycle_start: i64,
    /// Members across all pages.
    pub total_members: u64,
    /// Number of pages.
    pub total_pages: u32,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Page for SpendPage {
    type Item = MemberSpend;

    fn next_page(&self, requested: u32) -> NextPage {
        next_by_total_pages(requested, Some(self.total_pages))
    }

    fn into_items(self) -> Vec<MemberSpend> {
        self.team_member_spend
    }
}

/// One member's spend this billing month.
///
/// Money is in cents as `f64`: since mid-2026 the service sends fractional cents
/// (`2450.75`), which an integer would refuse; an `f64` holds every whole number of cents
/// exactly up to 2^53 and the fractional ones as JSON decoding gives them, and a whole amount
/// is written back as an integer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberSpend {
    /// The member's id when the answer carries one (`user_…` in current answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<Id>,
    /// Spend in cents this cycle (integer in the seeds, fractional in current answers).
    #[serde(serialize_with = "money::serialize")]
    pub spend_cents: f64,
    /// Spend in cents including what is not on-demand (current answers only).
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "money::option::serialize")]
    pub overall_spend_cents: Option<f64>,
    /// Fast premium requests.
    pub fast_premium_requests: u64,
    /// Display name; `None` when the server sends none (a member who never set one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Email address.
    pub email: String,
    /// Role.
    pub role: Role,
    /// The member's own spend limit in whole dollars, overriding the team's; `None` when the
    /// server sends `null` or leaves it out (a cleared limit may come back either way).
    #[serde(default)]
    pub hard_limit_override_dollars: Option<u64>,
    /// The spend limit that applies to the member in whole dollars, after team, group and
    /// member limits are combined (current answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_per_user_limit_dollars: Option<u64>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------------------------
// Usage events

/// One page of `POST /teams/filtered-usage-events`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageEventsPage {
    /// Events matching the query, across all pages.
    pub total_usage_events_count: u64,
    /// Where this page stands.
    pub pagination: UsageEventsPagination,
    /// The events on this page.
    pub usage_events: Vec<UsageEvent>,
    /// The range queried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Page for UsageEventsPage {
    type Item = UsageEvent;

    fn next_page(&self, requested: u32) -> NextPage {
        self.pagination.next_page(requested)
    }

    fn reported_page(&self) -> Option<u32> {
        self.pagination.current_page
    }

    fn into_items(self) -> Vec<UsageEvent> {
        self.usage_events
    }
}

/// One billed request.
///
/// The documents disagree on the name of the category field (`kind` in one, `kindLabel` in
/// another): whichever came is kept, and [`kind`](Self::kind) reads either.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageEvent {
    /// When it happened: epoch milliseconds, as a string (`"1750979225854"`).
    pub timestamp: String,
    /// The model.
    pub model: String,
    /// The category (`Usage-based`, `Included in Business`), under the name `kind`.
    #[serde(default, rename = "kind", skip_serializing_if = "Option::is_none")]
    pub kind_field: Option<String>,
    /// The category, under the older name `kindLabel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind_label: Option<String>,
    /// Whether Max mode was on.
    pub max_mode: bool,
    /// Cost in request units (may be fractional: `1.4`; a whole number is written back as an
    /// integer, as it came).
    #[serde(serialize_with = "money::serialize")]
    pub requests_costs: f64,
    /// Whether the event is billed by tokens (then `token_usage` is present).
    pub is_token_based_call: bool,
    /// Tokens and model cost, for token-based calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_usage: Option<TokenUsage>,
    /// The Cursor Token Fee in cents, for teams with the fee enabled (absent in older answers;
    /// the current documents apply it to third-party models only).
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "money::option::serialize")]
    pub cursor_token_fee: Option<f64>,
    /// Whether this was a free Bugbot use.
    #[serde(default)]
    pub is_free_bugbot: bool,
    /// Who made the request; empty when the service leaves it out (events of members removed
    /// since, as users report).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub user_email: String,
    /// The conversation the request belonged to (current answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
    /// The cloud agent that made the request, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_agent_id: Option<String>,
    /// The automation that made the request, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automation_id: Option<String>,
    /// The service account that made the request, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_id: Option<String>,
    /// That service account's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl UsageEvent {
    /// The category, whichever name it came under (`kind`, else `kindLabel`).
    pub fn kind(&self) -> Option<&str> {
        self.kind_field.as_deref().or(self.kind_label.as_deref())
    }

    /// The cost the Cursor dashboard shows for this event, in cents: the model cost
    /// (`tokenUsage.totalCents`) plus the Cursor Token Fee (`cursorTokenFee`), as the
    /// documents explain. A missing part counts as zero.
    ///
    /// ```
    /// let event: cursor_admin::UsageEvent = serde_json::from_value(serde_json::json!({
    ///     "timestamp": "1750979225854", "model": "claude-4-opus", "kind": "Usage-based",
    ///     "maxMode": true, "requestsCosts": 5, "isTokenBasedCall": true,
    ///     "tokenUsage": {"inputTokens": 126, "outputTokens": 450, "cacheWriteTokens": 6112,
    ///                    "cacheReadTokens": 11964, "totalCents": 20.5},
    ///     "cursorTokenFee": 1.5, "isFreeBugbot": false, "userEmail": "developer@company.com"
    /// }))?;
    /// assert_eq!(event.dashboard_cents(), 22.0);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn dashboard_cents(&self) -> f64 {
        self.token_usage.as_ref().map_or(0.0, |usage| usage.total_cents) + self.cursor_token_fee.unwrap_or(0.0)
    }

    /// The timestamp as epoch milliseconds, when it is a number.
    pub fn timestamp_millis(&self) -> Option<i64> {
        self.timestamp.trim().parse().ok()
    }
}

/// Tokens used by one event, and the model cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenUsage {
    /// Input tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    /// Output tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    /// Tokens written to the cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_write_tokens: Option<u64>,
    /// Tokens read from the cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_read_tokens: Option<u64>,
    /// The model cost in cents (fractional).
    #[serde(serialize_with = "money::serialize")]
    pub total_cents: f64,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------------------------
// Spend limit

/// The answer of `POST /teams/user-spend-limit` when it succeeded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendLimitOutcome {
    /// `success` (an `error` outcome is returned as an [`Error`](cursor_core::Error)).
    pub outcome: Outcome,
    /// What the server did (`Spend limit set to $100 for user …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------------------------
// Repo blocklists

/// The answer of the blocklist list and upsert endpoints.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RepoBlocklists {
    /// The repositories and their patterns.
    pub repos: Vec<RepoBlocklist>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One repository's blocklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepoBlocklist {
    /// The blocklist's id (`repo_123`), used to delete it.
    pub id: String,
    /// The repository URL.
    pub url: String,
    /// Glob patterns of blocked files (`*` blocks the whole repository).
    pub patterns: Vec<String>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------------------------
// Billing groups

/// The answer of `GET /teams/groups`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupList {
    /// The billing groups.
    pub groups: Vec<BillingGroup>,
    /// The reserved `Unassigned` group: members in no other group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unassigned_group: Option<BillingGroup>,
    /// The billing cycle the spend figures cover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_cycle: Option<BillingCycle>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of the single-group endpoints (get, create, update, add and remove members).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupResponse {
    /// The group.
    pub group: BillingGroup,
    /// The billing cycle the spend figures cover (get only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_cycle: Option<BillingCycle>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A billing cycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingCycle {
    /// Start (ISO 8601).
    pub cycle_start: String,
    /// End (ISO 8601).
    pub cycle_end: String,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A billing group. Spend figures (`spend_cents`, `current_members`, `former_members`,
/// `daily_spend`) come with list and get; create, update and the member endpoints answer
/// with `members` instead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingGroup {
    /// The encoded id (`group_…`).
    pub id: String,
    /// The name.
    pub name: String,
    /// The type (`BILLING`).
    #[serde(rename = "type")]
    pub group_type: GroupType,
    /// The directory (SCIM) group this group syncs with: `Some(None)` when the server sent
    /// `null`, `None` when it sent nothing. See [`directory_group`](Self::directory_group).
    #[serde(default, with = "tri_state", skip_serializing_if = "Option::is_none")]
    pub directory_group_id: Option<Option<String>>,
    /// Members in the group.
    pub member_count: u64,
    /// Creation time (ISO 8601).
    pub created_at: String,
    /// Last update time (ISO 8601).
    pub updated_at: String,
    /// Spend this billing cycle, in cents (may be fractional).
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "money::option::serialize")]
    pub spend_cents: Option<f64>,
    /// Current members with their spend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_members: Option<Vec<GroupMember>>,
    /// Members who left the group this cycle, with the spend made while in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub former_members: Option<Vec<GroupMember>>,
    /// Spend per day this cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_spend: Option<Vec<DailySpend>>,
    /// Members (create, update and member endpoints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<GroupMember>>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl BillingGroup {
    /// The directory group this group syncs with, if any.
    pub fn directory_group(&self) -> Option<&str> {
        self.directory_group_id.as_ref().and_then(|id| id.as_deref())
    }

    /// Whether this is the reserved `Unassigned` group.
    pub fn is_unassigned(&self) -> bool {
        self.name == "Unassigned"
    }
}

/// A member of a billing group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupMember {
    /// The encoded user id (`user_…`).
    pub user_id: String,
    /// Display name; `None` when the server sends none (a member who never set one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Email address.
    pub email: String,
    /// When the member joined the group (ISO 8601).
    pub joined_at: String,
    /// When the member left: `Some(None)` when the server sent `null` (still a member),
    /// `None` when it sent nothing. See [`left`](Self::left).
    #[serde(default, with = "tri_state", skip_serializing_if = "Option::is_none")]
    pub left_at: Option<Option<String>>,
    /// Spend while in the group this cycle, in cents (may be fractional).
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "money::option::serialize")]
    pub spend_cents: Option<f64>,
    /// Spend per day while in the group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_spend: Option<Vec<DailySpend>>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl GroupMember {
    /// When the member left the group, if they did.
    pub fn left(&self) -> Option<&str> {
        self.left_at.as_ref().and_then(|at| at.as_deref())
    }
}

/// Spend on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DailySpend {
    /// The day (`2025-01-15`).
    pub date: String,
    /// Spend that day, in cents (may be fractional).
    #[serde(serialize_with = "money::serialize")]
    pub spend_cents: f64,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------------------------
// Model access (preview)

/// The team's model-access configuration (`GET`/`PUT /teams/model-access/configuration`).
/// A preview API: `restricted` is typed, everything else is kept in `extra`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelAccessConfiguration {
    /// Whether model access is restricted to the providers and models allowed below; an
    /// unrestricted team answers `409` on the provider and model endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restricted: Option<bool>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of `GET /teams/model-access/providers`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelProviders {
    /// The providers and whether each is allowed.
    #[serde(default)]
    pub providers: Vec<ModelProvider>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One model provider (`anthropic`, `openai`, …) and whether the team may use it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelProvider {
    /// The provider's id, as the path of the provider endpoints takes it.
    pub provider: String,
    /// A display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether the team may use the provider's models.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<bool>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The answer of `GET /teams/model-access/providers/{provider}/models`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderModels {
    /// The provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Its models and whether each is allowed.
    #[serde(default)]
    pub models: Vec<ModelAccessEntry>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One model and whether the team may use it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelAccessEntry {
    /// The model's id (`claude-4-sonnet`), as the path of the model endpoint takes it.
    pub model: String,
    /// Whether the team may use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<bool>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The audit-log block: `pagination{page,pageSize,totalCount,totalPages,hasNextPage,hasPreviousPage}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogPagination {
    /// This page's number (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Results per page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// Results across all pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// Number of pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_pages: Option<u32>,
    /// Whether a later page exists.
    #[serde(default)]
    pub has_next_page: bool,
    /// Whether an earlier page exists.
    #[serde(default)]
    pub has_previous_page: bool,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl AuditLogPagination {
    /// What follows.
    pub fn next_page(&self, requested: u32) -> NextPage {
        cursor_core::next_by_flag(self.page.unwrap_or(requested), self.has_next_page, self.total_pages)
    }
}

/// The usage-events block: `pagination{numPages,currentPage,pageSize,hasNextPage,hasPreviousPage}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageEventsPagination {
    /// Number of pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_pages: Option<u32>,
    /// This page's number (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_page: Option<u32>,
    /// Results per page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// Whether a later page exists.
    #[serde(default)]
    pub has_next_page: bool,
    /// Whether an earlier page exists.
    #[serde(default)]
    pub has_previous_page: bool,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl UsageEventsPagination {
    /// What follows.
    pub fn next_page(&self, requested: u32) -> NextPage {
        cursor_core::next_by_flag(self.current_page.unwrap_or(requested), self.has_next_page, self.num_pages)
    }
}

/// The daily-usage block (the current documents page daily usage):
/// `pagination{page,pageSize,totalUsers,totalPages,hasNextPage,hasPreviousPage}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DailyUsagePagination {
    /// This page's number (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Users per page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<u32>,
    /// Users across all pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_users: Option<u64>,
    /// Number of pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_pages: Option<u32>,
    /// Whether a later page exists.
    #[serde(default)]
    pub has_next_page: bool,
    /// Whether an earlier page exists.
    #[serde(default)]
    pub has_previous_page: bool,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl DailyUsagePagination {
    /// What follows.
    pub fn next_page(&self, requested: u32) -> NextPage {
        cursor_core::next_by_flag(self.page.unwrap_or(requested), self.has_next_page, self.total_pages)
    }
}
