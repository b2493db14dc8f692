//! [`BugbotClient`]: enabling or disabling Bugbot on one repository or on many at once, and
//! asking for a review of a pull request.

use std::collections::HashSet;

use cursor_core::{Client, Error, Request, Result};
use futures_util::StreamExt as _;

use crate::endpoints::UPDATE_REPO;
use crate::models::{BulkReport, RepoOutcome, RepoUpdateResponse, ReviewOutcome, ReviewResult};
use crate::query::{RepoUpdate, ReviewRequest};

/// The default number of updates in flight at once in [`BugbotClient::update_many`].
pub const DEFAULT_CONCURRENCY: usize = 4;

/// A client for the Bugbot admin API. Cheap to clone.
///
/// ```no_run
/// # async fn run() -> cursor_core::Result<()> {
/// let core = cursor_core::Client::builder().api_key("key_…").build()?;
/// let bugbot = cursor_bugbot::BugbotClient::new(core);
/// bugbot.enable("https://github.com/your-org/your-repo").await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct BugbotClient {
    client: Client,
}

impl BugbotClient {
    /// Wraps a core client (Basic auth with an Admin API key, like every other API; one
    /// document's example shows `Bearer`).
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// A view of this client whose calls run with `options` (retry policy, timeout, retry
    /// classifier, idempotency override); it shares the connection pool, the rate limits and
    /// the cache.
    ///
    /// ```no_run
    /// # fn run(api: cursor_bugbot::BugbotClient) {
    /// use std::time::Duration;
    /// let patient = api.with_options(cursor_core::RequestOptions::new().timeout(Duration::from_secs(300)));
    /// # let _ = patient; }
    /// ```
    pub fn with_options(&self, options: cursor_core::RequestOptions) -> Self {
        Self { client: self.client.with_options(options) }
    }

    /// The core client.
    pub fn core(&self) -> &Client {
        &self.client
    }

    /// `POST /bugbot/repo/update`: turns Bugbot on (`enabled: true`) or off for a
    /// repository, given by its full URL. The dashboard may take a moment to show the change;
    /// the answer shows the stored state.
    ///
    /// ```no_run
    /// # async fn run(bugbot: cursor_bugbot::BugbotClient) -> cursor_core::Result<()> {
    /// use cursor_bugbot::RepoUpdate;
    /// let answer = bugbot.update_repo(&RepoUpdate::disable("https://github.com/your-org/your-repo")).await?;
    /// println!("{:?}", answer.enabled);
    /// # Ok(()) }
    /// ```
    pub async fn update_repo(&self, update: &RepoUpdate) -> Result<RepoUpdateResponse> {
        update.validate()?;
        self.client.send_json(Request::new(&UPDATE_REPO).json(update)?).await
    }

    /// Enables Bugbot on a repository.
    ///
    /// ```no_run
    /// # async fn run(bugbot: cursor_bugbot::BugbotClient) -> cursor_core::Result<()> {
    /// bugbot.enable("https://github.com/your-org/your-repo").await?;
    /// # Ok(()) }
    /// ```
    pub async fn enable(&self, repo_url: &str) -> Result<RepoUpdateResponse> {
        self.update_repo(&RepoUpdate::enable(repo_url)).await
    }

    /// Disables Bugbot on a repository.
    ///
    /// ```no_run
    /// # async fn run(bugbot: cursor_bugbot::BugbotClient) -> cursor_core::Result<()> {
    /// bugbot.disable("https://github.com/your-org/your-repo").await?;
    /// # Ok(()) }
    /// ```
    pub async fn disable(&self, repo_url: &str) -> Result<RepoUpdateResponse> {
        self.update_repo(&RepoUpdate::disable(repo_url)).await
    }

    /// Applies many updates, up to `concurrency` at a time (0 counts as 1; the client's
    /// Bugbot rate limit paces them), and reports every repository's outcome in input order
    /// instead of stopping at the first failure. A repository URL given more than once is
    /// sent only the first time; the repeats fail with an invalid-request error (two
    /// concurrent updates of one repository would race).
    ///
    /// ```no_run
    /// # async fn run(bugbot: cursor_bugbot::BugbotClient) -> cursor_core::Result<()> {
    /// use cursor_bugbot::RepoUpdate;
    /// let repos = ["https://github.com/your-org/a", "https://github.com/your-org/b"];
    /// let report = bugbot.update_many(repos.iter().map(|url| RepoUpdate::enable(*url)), 4).await;
    /// for (update, error) in report.failed() {
    ///     eprintln!("{}: {error}", update.repo_url());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn update_many(&self, updates: impl IntoIterator<Item = RepoUpdate>, concurrency: usize) -> BulkReport {
        let mut seen = HashSet::new();
        let jobs: Vec<(RepoUpdate, bool)> = updates
            .into_iter()
            .map(|update| {
                let first = seen.insert(update.repo_url().to_owned());
                (update, first)
            })
            .collect();
        let outcomes = futures_util::stream::iter(jobs)
            .map(|(update, first)| async move {
                let result = if first { self.update_repo(&update).await } else { Err(update.repeated()) };
                RepoOutcome { update, result }
            })
            .buffered(concurrency.max(1))
            .collect()
            .await;
        BulkReport { outcomes }
    }

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
        let endpoint = request.endpoint();
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
