//! `POST /bugbot/review`: asking Bugbot to review a pull request, for real or as a dry run.

use cursor_core::{Error, Extra, Request, Result};
use serde::{Deserialize, Serialize};

use crate::client::BugbotClient;
use crate::endpoints::{REVIEW, REVIEW_DRY_RUN};

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
    /// The pull request's URL.
    pub pr_url: String,
    /// Review without posting anything on the pull request (its own, smaller budget: 10
    /// requests/minute).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
    /// Post a comment on the pull request even when Bugbot finds nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_success_comment: Option<bool>,
}

impl ReviewRequest {
    /// A review of the pull request at `pr_url`.
    pub fn new(pr_url: impl Into<String>) -> Self {
        Self { pr_url: pr_url.into(), dry_run: None, post_success_comment: None }
    }

    /// Sets `dryRun`.
    pub fn dry_run(mut self, dry_run: bool) -> Self {
        self.dry_run = Some(dry_run);
        self
    }

    /// Sets `postSuccessComment`.
    pub fn post_success_comment(mut self, post: bool) -> Self {
        self.post_success_comment = Some(post);
        self
    }

    fn validate(&self) -> Result<()> {
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

impl BugbotClient {
    /// `POST /bugbot/review` (current documents): asks Bugbot to review a pull request. A
    /// dry run posts nothing. Never retried after the request may have reached the server:
    /// a review may have been posted ([`Error::is_outcome_unknown`] says so). A `400` answers
    /// `{"outcome": "error", "message": …}`, returned as [`Error::Api`] with the message; a
    /// success status with an `error` outcome is returned the same way, with status 200.
    ///
    /// ```no_run
    /// # async fn run(bugbot: cursor_bugbot::BugbotClient) -> cursor_core::Result<()> {
    /// use cursor_bugbot::ReviewRequest;
    /// let result = bugbot.review(&ReviewRequest::new("https://github.com/your-org/your-repo/pull/42").dry_run(true)).await?;
    /// println!("{:?} ({:?})", result.message, result.request_id);
    /// # Ok(()) }
    /// ```
    pub async fn review(&self, request: &ReviewRequest) -> Result<ReviewResult> {
        request.validate()?;
        let endpoint = if request.dry_run == Some(true) { &REVIEW_DRY_RUN } else { &REVIEW };
        let result: ReviewResult = self.core().send_json(Request::new(endpoint).json(request)?).await?;
        if result.outcome == ReviewOutcome::Error {
            // A success status carrying a refusal: its own case, not an HTTP error.
            return Err(Error::refused(
                endpoint.name,
                result.message.unwrap_or_else(|| "the server refused the review".to_owned()),
            ));
        }
        Ok(result)
    }
}
