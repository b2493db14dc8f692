//! `cursor-mock`: a faithful, stateful, offline simulator of the documented Cursor API
//! (Admin, Analytics, AI Code Tracking, Bugbot and Cloud Agents v0 and v1), for tests and demos.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let server = cursor_mock::MockServer::start(cursor_mock::MockConfig::for_tests()).await?;
//! println!("serving on {}", server.base_url());
//! let journal = server.journal();
//! server.shutdown().await;
//! # let _ = journal; Ok(()) }
//! ```
//!
//! It is written from the public documents, not from the SDK's models, and depends on no
//! other crate of the workspace: a wrong field name in the SDK must fail a test against it.
//!
//! The modules form layers; each uses only modules of the layers above it in this list (the
//! test `tests/module_layers.rs` keeps it so, and keeps every file under 650 lines):
//!
//! 1. leaves: [`config`], [`clock`], [`dates`], [`error`], [`cache`];
//! 2. what the state is made of: [`data`] (the synthetic team), [`csv`] (its CSV answers),
//!    [`agents_v1_state`], [`restate`], [`webhooks`] (the sender);
//! 3. [`state`]: the server state, including the stores the middleware write to (fault
//!    rolls, journal, rate-limit windows);
//! 4. the middleware and persistence over that state: [`auth`], [`limits`], [`faults`],
//!    [`journal`], [`persist`];
//! 5. [`routes`]: the handlers, mounted with the middleware;
//! 6. the server that serves them (and the crate root).

pub mod agents_v1_state;
pub mod auth;
pub mod cache;
pub mod clock;
pub mod config;
pub mod csv;
pub mod data;
pub mod dates;
pub mod error;
pub mod faults;
pub mod journal;
pub mod limits;
pub mod persist;
pub mod restate;
pub mod routes;
mod server;
pub mod state;
pub mod webhooks;

pub use config::{AgentTiming, DataSizes, MockConfig, RateLimits, Shapes, TEST_NOW, WebhookConfig};
pub use faults::{FaultConfig, FaultSpec, RouteFault};
pub use journal::JournalEntry;
pub use persist::{MockSnapshot, RestoreError};
pub use server::MockServer;
pub use webhooks::{WebhookDelivery, signature as webhook_signature};
