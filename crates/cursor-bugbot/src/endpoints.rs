//! The Bugbot endpoints (the seeds' repository update and the current documents' review),
//! declared once for the client and the contract tests.

use cursor_core::{Api, Bucket, Endpoint, Rate};

/// The Bugbot admin API (`/bugbot/…`).
pub const BUGBOT_API: Api = Api::new("bugbot", "the Bugbot API");

/// Bugbot admin endpoints: no number is documented; 60 a minute.
pub const BUGBOT_BUCKET: Bucket = Bucket::new("bugbot", &[Rate::per_minute(60)]);
/// `POST /bugbot/review`: 30 a minute.
pub const REVIEW_BUCKET: Bucket = Bucket::new("bugbot-review", &[Rate::per_minute(30)]);
/// `POST /bugbot/review` with `dryRun`: 10 a minute.
pub const REVIEW_DRY_RUN_BUCKET: Bucket = Bucket::new("bugbot-review-dry-run", &[Rate::per_minute(10)]);

/// Every bucket of the Bugbot API.
pub const BUCKETS: &[Bucket] = &[BUGBOT_BUCKET, REVIEW_BUCKET, REVIEW_DRY_RUN_BUCKET];

/// `POST /bugbot/repo/update`: turns Bugbot on or off for one repository.
///
/// Declared safe to retry (`read_only` makes the core treat it as idempotent): the request
/// sets the repository's state to a fixed value, so sending it twice leaves the same state
/// as sending it once.
pub const UPDATE_REPO: Endpoint =
    Endpoint::post("bugbot.update_repo", BUGBOT_API, "/bugbot/repo/update", BUGBOT_BUCKET)
        .idempotent_because("it sets the repository's state to a fixed value: sending it again leaves the same state");

/// `POST /bugbot/review`: asks Bugbot to review a pull request (current documents). Not safe
/// to repeat (a review may be posted on the pull request), so it is never retried after it
/// may have reached the server. The current overview allows 30 requests/minute
/// ([`REVIEW_BUCKET`]), and 10 for dry runs, which go through [`REVIEW_DRY_RUN`].
pub const REVIEW: Endpoint = Endpoint::post("bugbot.review", BUGBOT_API, "/bugbot/review", REVIEW_BUCKET)
    .uncertain_outcome_hint(
        "a review may have been posted: look at the pull request (or the Bugbot reviews analytics) before asking again",
    );

/// `POST /bugbot/review` with `dryRun: true`: the same route, declared apart because dry runs
/// have their own budget (10/minute, [`REVIEW_DRY_RUN_BUCKET`]). A dry run posts
/// nothing, but it is still not retried after it may have arrived: it counts against the
/// budget either way.
pub const REVIEW_DRY_RUN: Endpoint =
    Endpoint::post("bugbot.review_dry_run", BUGBOT_API, "/bugbot/review", REVIEW_DRY_RUN_BUCKET)
        .uncertain_outcome_hint("a dry run posts nothing: ask again if you need its answer");

/// The endpoints the seed documents do not have, from the current documentation (NEWER.md).
pub const NEWER_ENDPOINTS: &[&Endpoint] = &[&REVIEW];

/// Every endpoint of this crate.
pub const ENDPOINTS: &[&Endpoint] = &[&UPDATE_REPO, &REVIEW];
