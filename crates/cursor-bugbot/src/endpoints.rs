//! The Bugbot admin endpoint, declared once for the client and the contract tests.

use cursor_core::{Api, Bucket, Endpoint};

/// `POST /bugbot/repo/update`: turns Bugbot on or off for one repository.
///
/// Declared safe to retry (`read_only` makes the core treat it as idempotent): the request
/// sets the repository's state to a fixed value, so sending it twice leaves the same state
/// as sending it once.
pub const UPDATE_REPO: Endpoint =
    Endpoint::post("bugbot.repo_update", Api::Bugbot, "/bugbot/repo/update", Bucket::Bugbot).idempotent();

/// Every endpoint of this crate.
pub const ENDPOINTS: &[&Endpoint] = &[&UPDATE_REPO];
