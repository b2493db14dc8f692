//! A typed client for the Cursor Admin API: team members, audit logs, daily usage, spend,
//! usage events, per-member spend limits, repository blocklists, billing groups, member
//! removal and model access.
//!
//! Built on [`cursor_core`], which does the HTTP, Basic auth, rate limits (20 requests a
//! minute for most Admin endpoints, 60 for `/teams/user-spend-limit`), retries and paging.
//! Answers may come in the seed documents' shapes or the current service's (fractional
//! cents, string or numeric ids, paged daily usage): both decode.
//! The Admin API is for Enterprise teams; keys are created by team admins in the dashboard.
//!
//! ```no_run
//! # async fn run() -> cursor_core::Result<()> {
//! use cursor_admin::{AdminClient, AuditLogQuery, UsageEventsQuery};
//! use cursor_core::DateRange;
//! use futures_util::TryStreamExt as _;
//!
//! let admin = AdminClient::new(cursor_core::Client::builder().api_key("key_…").build()?);
//!
//! // Members and their roles.
//! for member in admin.members().await?.team_members {
//!     println!("{} {}", member.email, member.role);
//! }
//!
//! // 90 days of audit events: read in 30-day windows, page after page, as one stream.
//! let query = AuditLogQuery::new().range(DateRange::last_days(90)).event_types(["login"]);
//! let logins: Vec<_> = admin.audit_logs(&query).try_collect().await?;
//!
//! // What the dashboard shows for a member's usage this week, in cents.
//! let query = UsageEventsQuery::new().range(DateRange::last_days(7)).email("developer@company.com");
//! let cents: f64 = admin
//!     .usage_events(&query)
//!     .try_fold(0.0, |sum, event| async move { Ok(sum + event.dashboard_cents()) })
//!     .await?;
//!
//! // Cap a member at $100 a month, then remove the cap.
//! admin.set_user_spend_limit("developer@company.com", Some(100)).await?;
//! admin.set_user_spend_limit("developer@company.com", None).await?;
//! # Ok(()) }
//! ```
//!
//! Input the documents rule out (a page size outside its bounds, an empty user list, a range
//! that ends before it starts…) is refused before anything is sent, with
//! [`Error::InvalidRequest`](cursor_core::Error::InvalidRequest) saying what to change (the
//! streams, `audit_logs`, `spend`, `usage_events` and their `*_pages`, yield it as the stream's only
//! item).
//! Responses keep fields this SDK does not know in each model's `extra` map.

mod client;
pub mod endpoints;
mod models;
mod query;

pub use client::{AdminClient, STREAM_PAGE_SIZE};
pub use endpoints::ENDPOINTS;
pub use endpoints::NEWER_ENDPOINTS;
pub use models::*;
pub use query::{
    AuditLogQuery, GroupUpdate, HostingType, MemberRef, RepoPatterns, SortDirection, SpendQuery, SpendSortBy,
    UsageEventsQuery,
};
