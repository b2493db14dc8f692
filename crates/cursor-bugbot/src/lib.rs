//! Typed client for the Cursor Bugbot API: turn Bugbot on or off for a repository
//! (`POST /bugbot/repo/update`), one at a time or in bulk, and ask for a review of a pull
//! request (`POST /bugbot/review`, current documents), built on [`cursor_core`].
//!
//! Authentication is Basic with an Admin API key as the user name, like every other Cursor
//! API (the Bugbot page's curl example shows `Authorization: Bearer`; the overview documents
//! Basic for all APIs).
//!
//! ```no_run
//! # async fn run() -> cursor_core::Result<()> {
//! use cursor_bugbot::{BugbotClient, RepoUpdate};
//!
//! let bugbot = BugbotClient::new(cursor_core::Client::from_env()?);
//! bugbot.enable("https://github.com/your-org/your-repo").await?;
//!
//! let repos = ["https://github.com/your-org/a", "https://github.com/your-org/b"];
//! let report = bugbot.update_many(repos.iter().map(|url| RepoUpdate::enable(*url)), 4).await;
//! println!("{} enabled, {} failed", report.succeeded().count(), report.failed().count());
//! # Ok(()) }
//! ```

mod client;
pub mod endpoints;
mod models;
mod query;

pub use client::{BugbotClient, DEFAULT_CONCURRENCY};
pub use endpoints::{ENDPOINTS, NEWER_ENDPOINTS};
pub use models::{BulkReport, RepoOutcome, RepoUpdateResponse, ReviewOutcome, ReviewResult};
pub use query::{RepoUpdate, ReviewRequest};
