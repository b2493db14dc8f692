//! Answers of the Bugbot API (a repository's stored state, a review's result) and the report
//! of a bulk update.

use cursor_core::{Error, Extra, Result};
use serde::{Deserialize, Serialize};

use crate::query::RepoUpdate;

/// The answer of `POST /bugbot/repo/update`: "the current state in the database". The
/// documents show no example, so every field is optional and all of them are kept.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RepoUpdateResponse {
    /// The repository, when the answer names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo_url: Option<String>,
    /// Whether Bugbot is now enabled, when the answer says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Everything else the answer holds.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One repository's outcome in a [`BulkReport`].
#[derive(Debug)]
pub struct RepoOutcome {
    /// The update that was asked for.
    pub update: RepoUpdate,
    /// Its result.
    pub result: Result<RepoUpdateResponse>,
}

/// The outcomes of [`BugbotClient::update_many`](crate::BugbotClient::update_many), one per requested update, in input order.
#[derive(Debug)]
pub struct BulkReport {
    /// Every update's outcome, in the order given.
    pub outcomes: Vec<RepoOutcome>,
}

impl BulkReport {
    /// Whether every update succeeded.
    pub fn all_succeeded(&self) -> bool {
        self.outcomes.iter().all(|o| o.result.is_ok())
    }

    /// The updates that succeeded.
    pub fn succeeded(&self) -> impl Iterator<Item = &RepoOutcome> {
        self.outcomes.iter().filter(|o| o.result.is_ok())
    }

    /// The updates that failed, with their errors.
    pub fn failed(&self) -> impl Iterator<Item = (&RepoUpdate, &Error)> {
        self.outcomes.iter().filter_map(|o| o.result.as_ref().err().map(|e| (&o.update, e)))
    }
}

cursor_core::string_enum! {
    /// The `outcome` of a review request.
    pub enum ReviewOutcome {
        /// The review ran (or, for a dry run, would run).
        Success = "success",
        /// The request was refused (the client turns this into an error).
        Error = "error",
    }
}

/// The answer of `POST /bugbot/review` when it succeeded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewResult {
    /// `success`, or a value this SDK does not know (an `error` outcome is returned as an
    /// [`Error`]).
    pub outcome: ReviewOutcome,
    /// What the server did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The server's request id, to quote to support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Whether this was a dry run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
    /// Fields this SDK does not know.
    #[serde(flatten)]
    pub extra: Extra,
}
