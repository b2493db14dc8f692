//! [`BugbotClient`]: enabling or disabling Bugbot on one repository or on many at once.

use std::collections::HashSet;

use cursor_core::{Client, Error, Extra, Request, Result};
use futures_util::StreamExt as _;
use serde::{Deserialize, Serialize};

use crate::endpoints::UPDATE_REPO;

/// The body of `POST /bugbot/repo/update`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RepoUpdate {
    /// The repository's full URL (`https://github.com/your-org/your-repo`).
    pub repo_url: String,
    /// `true` to enable Bugbot, `false` to disable it.
    pub enabled: bool,
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

    fn validate(&self) -> Result<()> {
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
}

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

/// The outcomes of [`BugbotClient::update_many`], one per requested update, in input order.
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
    ///     eprintln!("{}: {error}", update.repo_url);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn update_many(&self, updates: impl IntoIterator<Item = RepoUpdate>, concurrency: usize) -> BulkReport {
        let mut seen = HashSet::new();
        let jobs: Vec<(RepoUpdate, bool)> = updates
            .into_iter()
            .map(|update| {
                let first = seen.insert(update.repo_url.clone());
                (update, first)
            })
            .collect();
        let outcomes = futures_util::stream::iter(jobs)
            .map(|(update, first)| async move {
                let result = if first {
                    self.update_repo(&update).await
                } else {
                    Err(Error::invalid_request(
                        UPDATE_REPO.name,
                        format!("`{}` appears more than once; it was updated only once", update.repo_url),
                    ))
                };
                RepoOutcome { update, result }
            })
            .buffered(concurrency.max(1))
            .collect()
            .await;
        BulkReport { outcomes }
    }
}
