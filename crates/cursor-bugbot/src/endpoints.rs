//! The Bugbot endpoints (the seeds' repository update and the current documents' review),
//! declared once for the client and the contract tests.

use cursor_core::{Api, Bucket, Endpoint};

/// `POST /bugbot/repo/update`: turns Bugbot on or off for one repository.
///
/// Declared safe to retry (`read_only` makes the core treat it as idempotent): the request
/// sets the repository's state to a fixed value, so sending it twice leaves the same state
/// as sending it once.
pub const UPDATE_REPO: Endpoint =
    Endpoint::post("bugbot.repo_update", Api::Bugbot, "/bugbot/repo/update", Bucket::Bugbot).idempotent();

/// `POST /bugbot/review`: asks Bugbot to review a pull request (current documents). Not safe
/// to repeat (a review may be posted on the pull request), so it is never retried after it
/// may have reached the server. The current overview allows 30 requests/minute, and 10 for
/// dry runs.
// LEAD: bucket — `Bucket::BugbotReview` (30/min) and a dry-run bucket (10/min) once core has
// them; the dry-run budget depends on the body, which core's per-endpoint buckets cannot see.
pub const REVIEW: Endpoint = Endpoint::post("bugbot.review", Api::Bugbot, "/bugbot/review", Bucket::Bugbot)
    .uncertain_outcome_hint(
        "a review may have been posted: look at the pull request (or the Bugbot reviews analytics) before asking again",
    );

/// The endpoints the seed documents do not have, from the current documentation (NEWER.md).
pub const NEWER_ENDPOINTS: &[&Endpoint] = &[&REVIEW];

/// Every endpoint of this crate.
pub const ENDPOINTS: &[&Endpoint] = &[&UPDATE_REPO, &REVIEW];
