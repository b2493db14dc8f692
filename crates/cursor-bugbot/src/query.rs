//! Inputs of the Bugbot API: a repository update and a review request, each checked before
//! anything is sent (all of the crate's input checks live here).

use cursor_core::{Endpoint, Error, Result};
use serde::{Deserialize, Serialize};

use crate::endpoints::{REVIEW, REVIEW_DRY_RUN, UPDATE_REPO};

/// The body of `POST /bugbot/repo/update`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RepoUpdate {
    repo_url: String,
    enabled: bool,
}

impl RepoUpdate {
    /// Enables Bugbot on `repo_url`.
    pub fn enable(repo_url: impl Into<String>) -> Self {
        Self { repo_url: repo_url.into(), enabled: true }
    }

    /// Disables Bugbot on `repo_url`.
    pub fn disable(repo_url: impl Into<String>) -> Self {
        Self { repo_url: repo_url.into(), enabled: false }
    }

    /// The repository's full URL (`https://github.com/your-org/your-repo`).
    pub fn repo_url(&self) -> &str {
        &self.repo_url
    }

    /// `true` to enable Bugbot, `false` to disable it.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    pub(crate) fn validate(&self) -> Result<()> {
        let url = self.repo_url.trim();
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
        if rest.is_none_or(|rest| rest.is_empty() || rest.starts_with('/')) || url.len() != self.repo_url.len() {
            return Err(Error::invalid_request(
                UPDATE_REPO.name,
                format!(
                    "repoUrl must be the repository's full URL (https://github.com/your-org/your-repo); got `{}`",
                    self.repo_url
                ),
            ));
        }
        Ok(())
    }

    /// The refusal of a repeat of this update's repository in one bulk call: two concurrent
    /// updates of one repository would race, so only the first is sent.
    pub(crate) fn repeated(&self) -> Error {
        Error::invalid_request(
            UPDATE_REPO.name,
            format!("`{}` appears more than once; it was updated only once", self.repo_url),
        )
    }
}

/// The body of `POST /bugbot/review`.
///
/// ```
/// let request = cursor_bugbot::ReviewRequest::new("https://github.com/your-org/your-repo/pull/42").dry_run(true);
/// assert_eq!(
///     serde_json::to_value(&request).unwrap(),
///     serde_json::json!({"prUrl": "https://github.com/your-org/your-repo/pull/42", "dryRun": true})
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewRequest {
    pr_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    dry_run: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    post_success_comment: Option<bool>,
}

impl ReviewRequest {
    /// A review of the pull request at `pr_url` (its full URL).
    pub fn new(pr_url: impl Into<String>) -> Self {
        Self { pr_url: pr_url.into(), dry_run: None, post_success_comment: None }
    }

    /// `dryRun`: review without posting anything on the pull request (its own, smaller
    /// budget: 10 requests/minute).
    #[must_use]
    pub fn dry_run(mut self, dry_run: bool) -> Self {
        self.dry_run = Some(dry_run);
        self
    }

    /// `postSuccessComment`: post a comment on the pull request even when Bugbot finds
    /// nothing.
    #[must_use]
    pub fn post_success_comment(mut self, post: bool) -> Self {
        self.post_success_comment = Some(post);
        self
    }

    /// The endpoint this request goes to: a dry run has its own declaration and budget.
    pub(crate) fn endpoint(&self) -> &'static Endpoint {
        if self.dry_run == Some(true) { &REVIEW_DRY_RUN } else { &REVIEW }
    }

    pub(crate) fn validate(&self) -> Result<()> {
        let url = self.pr_url.trim();
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).unwrap_or("");
        if rest.is_empty() || !rest.contains('/') || url.len() != self.pr_url.len() {
            return Err(Error::invalid_request(
                REVIEW.name,
                format!(
                    "prUrl must be the pull request's full URL (https://github.com/your-org/your-repo/pull/42); got `{}`",
                    self.pr_url
                ),
            ));
        }
        Ok(())
    }
}
