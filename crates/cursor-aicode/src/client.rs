//! [`AiCodeClient`]: one method per endpoint, plus streams over every page and every CSV row.

use cursor_core::{BoxStream, ByteStream, Client, Endpoint, Result};
use futures_util::StreamExt as _;

use crate::csv::{change_rows, commit_rows};
use crate::endpoints::{CHANGES, CHANGES_CSV, COMMITS, COMMITS_BY_HASH, COMMITS_CSV};
use crate::models::{AiCodeChange, AiCodePage, AiCommit, ChangesPage, CommitLookup, CommitsPage};
use crate::query::{AiCodeQuery, ExportQuery, MAX_PAGE_SIZE, commits_by_hash_request};

/// A client for the AI Code Tracking API (Enterprise only, alpha).
///
/// Each of the four endpoints has its own rate-limit budget (20 requests/minute per endpoint
/// by default; one document says 5, so a `429` slows the budget down), so a commits export
/// and a changes export run side by side without slowing each other. JSON answers are
/// revalidated with `ETag`/`If-None-Match`; CSV bodies are streamed, never buffered.
///
/// Commit hashes are not unique (an amended commit can appear twice): nothing here
/// deduplicates.
///
/// ```no_run
/// # fn run() -> cursor_core::Result<()> {
/// use cursor_core::{Client, Rate, RateLimits};
/// use cursor_aicode::endpoints::AICODE_BUCKET;
/// // The older page's limit (5 requests/minute per endpoint) instead of the default 20.
/// let core = Client::builder()
///     .api_key("key_…")
///     .rate_limits(RateLimits::default().set(AICODE_BUCKET, vec![Rate::per_minute(5)]))
///     .build()?;
/// let aicode = cursor_aicode::AiCodeClient::new(core);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct AiCodeClient {
    client: Client,
}

fn failed<T: Send + 'static>(error: cursor_core::Error) -> BoxStream<Result<T>> {
    futures_util::stream::once(async move { Err(error) }).boxed()
}

impl AiCodeClient {
    /// Wraps a core client (clones share its connection pool, limiters and cache).
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// A view of this client whose calls run with `options` (retry policy, timeout, retry
    /// classifier, idempotency override); it shares the connection pool, the rate limits and
    /// the cache.
    ///
    /// ```no_run
    /// # fn run(api: cursor_aicode::AiCodeClient) {
    /// use std::time::Duration;
    /// let patient = api.with_options(cursor_core::RequestOptions::new().timeout(Duration::from_secs(300)));
    /// # let _ = patient; }
    /// ```
    pub fn with_options(&self, options: cursor_core::RequestOptions) -> Self {
        Self { client: self.client.with_options(options) }
    }

    /// The core client underneath.
    pub fn core(&self) -> &Client {
        &self.client
    }

    async fn page<T: serde::de::DeserializeOwned + Send + 'static>(
        &self,
        endpoint: &'static Endpoint,
        query: &AiCodeQuery,
    ) -> Result<AiCodePage<T>> {
        let request = query.to_request(endpoint, self.client.now(), None, None)?;
        self.client.send_json(request).await
    }

    fn items<T: serde::de::DeserializeOwned + serde::Serialize + Send + 'static>(
        &self,
        endpoint: &'static Endpoint,
        query: &AiCodeQuery,
    ) -> BoxStream<Result<T>> {
        match query.to_request(endpoint, self.client.now(), Some(1), Some(MAX_PAGE_SIZE)) {
            Ok(request) => self.client.items::<AiCodePage<T>>(request),
            Err(error) => failed(error),
        }
    }

    fn pages<T: serde::de::DeserializeOwned + serde::Serialize + Send + 'static>(
        &self,
        endpoint: &'static Endpoint,
        query: &AiCodeQuery,
    ) -> BoxStream<Result<AiCodePage<T>>> {
        match query.to_request(endpoint, self.client.now(), Some(1), Some(MAX_PAGE_SIZE)) {
            Ok(request) => self.client.pages::<AiCodePage<T>>(request),
            Err(error) => failed(error),
        }
    }

    async fn csv(&self, endpoint: &'static Endpoint, query: &ExportQuery) -> Result<ByteStream> {
        let request = query.to_request(endpoint, self.client.now())?;
        self.client.send_streaming(request).await
    }

    fn csv_rows<T: Send + 'static>(
        &self,
        endpoint: &'static Endpoint,
        query: &ExportQuery,
        decode: fn(ByteStream) -> BoxStream<Result<T>>,
    ) -> BoxStream<Result<T>> {
        let this = self.clone();
        let query = query.clone();
        futures_util::stream::once(async move { this.csv(endpoint, &query).await })
            .map(move |body| match body {
                Ok(body) => decode(body),
                Err(error) => failed(error),
            })
            .flatten()
            .boxed()
    }

    /// `GET /analytics/ai-code/commits`: one page of commits, sending exactly the parameters
    /// set in `query` (the server defaults the rest: last 7 days, page 1, 100 per page).
    ///
    /// ```no_run
    /// # async fn run(aicode: cursor_aicode::AiCodeClient) -> cursor_core::Result<()> {
    /// use cursor_aicode::{AiCodeQuery, DateSpec};
    /// // GET /analytics/ai-code/commits?startDate=7d&endDate=now&page=1&pageSize=100
    /// let query = AiCodeQuery::new().start_date(DateSpec::DaysAgo(7)).end_date(DateSpec::Now).page(1).page_size(100);
    /// let page = aicode.commits_page(&query).await?;
    /// println!("{} of {:?} commits", page.items.len(), page.total_count);
    /// # Ok(()) }
    /// ```
    pub async fn commits_page(&self, query: &AiCodeQuery) -> Result<CommitsPage> {
        self.page(&COMMITS, query).await
    }

    /// Every commit matching `query`, page after page (1000 per page unless `page_size` is
    /// set, from `page` or 1), fetched lazily. Each record the server sends comes out once,
    /// in order; repeated commit hashes (amended commits) are kept.
    ///
    /// ```no_run
    /// # async fn run(aicode: cursor_aicode::AiCodeClient) -> cursor_core::Result<()> {
    /// use futures_util::TryStreamExt as _;
    /// let query = cursor_aicode::AiCodeQuery::new().start_date(cursor_aicode::DateSpec::DaysAgo(30));
    /// let mut commits = aicode.commits(&query);
    /// while let Some(commit) = commits.try_next().await? {
    ///     println!("{:?} {:?}", commit.commit_hash, commit.composer_lines_added);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn commits(&self, query: &AiCodeQuery) -> BoxStream<Result<AiCommit>> {
        self.items(&COMMITS, query)
    }

    /// Every page of commits matching `query` (1000 per page unless set), for callers that
    /// want `totalCount` or progress.
    ///
    /// ```no_run
    /// # async fn run(aicode: cursor_aicode::AiCodeClient) -> cursor_core::Result<()> {
    /// use futures_util::TryStreamExt as _;
    /// let mut pages = aicode.commits_pages(&cursor_aicode::AiCodeQuery::new());
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("page {:?}: {} commits of {:?}", page.page, page.items.len(), page.total_count);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn commits_pages(&self, query: &AiCodeQuery) -> BoxStream<Result<CommitsPage>> {
        self.pages(&COMMITS, query)
    }

    /// `GET /analytics/ai-code/changes`: one page of accepted AI changes, sending exactly the
    /// parameters set in `query`.
    ///
    /// ```no_run
    /// # async fn run(aicode: cursor_aicode::AiCodeClient) -> cursor_core::Result<()> {
    /// use cursor_aicode::{AiCodeQuery, DateSpec};
    /// // GET /analytics/ai-code/changes?startDate=14d&endDate=now&page=1&pageSize=200
    /// let query = AiCodeQuery::new().start_date(DateSpec::DaysAgo(14)).end_date(DateSpec::Now).page(1).page_size(200);
    /// let page = aicode.changes_page(&query).await?;
    /// for change in &page.items {
    ///     println!("{:?} {:?} files", change.source, change.metadata.as_ref().map(Vec::len));
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn changes_page(&self, query: &AiCodeQuery) -> Result<ChangesPage> {
        self.page(&CHANGES, query).await
    }

    /// Every accepted AI change matching `query`, page after page (1000 per page unless
    /// set), fetched lazily.
    ///
    /// ```no_run
    /// # async fn run(aicode: cursor_aicode::AiCodeClient) -> cursor_core::Result<()> {
    /// use futures_util::TryStreamExt as _;
    /// let query = cursor_aicode::AiCodeQuery::new().user("developer@company.com".parse::<cursor_aicode::UserRef>().unwrap());
    /// let changes: Vec<_> = aicode.changes(&query).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn changes(&self, query: &AiCodeQuery) -> BoxStream<Result<AiCodeChange>> {
        self.items(&CHANGES, query)
    }

    /// Every page of changes matching `query` (1000 per page unless set).
    ///
    /// ```no_run
    /// # async fn run(aicode: cursor_aicode::AiCodeClient) -> cursor_core::Result<()> {
    /// use futures_util::TryStreamExt as _;
    /// let pages: Vec<_> = aicode.changes_pages(&cursor_aicode::AiCodeQuery::new()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn changes_pages(&self, query: &AiCodeQuery) -> BoxStream<Result<ChangesPage>> {
        self.pages(&CHANGES, query)
    }

    /// `GET /analytics/ai-code/commits.csv`: the raw CSV body, streamed. Copy it to a file
    /// with [`ByteStream::copy_to`] (memory holds one chunk), or decode it with
    /// [`commit_rows`](crate::commit_rows).
    ///
    /// ```no_run
    /// # async fn run<W: tokio::io::AsyncWrite + Unpin>(aicode: cursor_aicode::AiCodeClient, mut file: W) -> cursor_core::Result<()> {
    /// use cursor_aicode::{DateSpec, ExportQuery, UserRef};
    /// // curl -L ".../analytics/ai-code/commits.csv?startDate=2025-07-01T00:00:00Z&endDate=now&user=user_3k9x8q..." -o commits.csv
    /// let query = ExportQuery::new()
    ///     .start_date("2025-07-01T00:00:00Z".parse::<DateSpec>().unwrap())
    ///     .end_date(DateSpec::Now)
    ///     .user(UserRef::EncodedId("user_3k9x8q...".into()));
    /// let bytes = aicode.commits_csv(&query).await?.copy_to(&mut file).await?;
    /// # Ok(()) }
    /// ```
    pub async fn commits_csv(&self, query: &ExportQuery) -> Result<ByteStream> {
        self.csv(&COMMITS_CSV, query).await
    }

    /// `GET /analytics/ai-code/commits.csv` decoded row by row into [`AiCommit`]s (the JSON
    /// model: empty cells are `None`, unknown columns land in `extra`). Memory stays flat
    /// however large the export.
    ///
    /// ```no_run
    /// # async fn run(aicode: cursor_aicode::AiCodeClient) -> cursor_core::Result<()> {
    /// use futures_util::TryStreamExt as _;
    /// let mut rows = aicode.commits_csv_rows(&cursor_aicode::ExportQuery::new());
    /// let mut ai_lines = 0;
    /// while let Some(commit) = rows.try_next().await? {
    ///     ai_lines += commit.tab_lines_added.unwrap_or(0) + commit.composer_lines_added.unwrap_or(0);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn commits_csv_rows(&self, query: &ExportQuery) -> BoxStream<Result<AiCommit>> {
        self.csv_rows(&COMMITS_CSV, query, commit_rows)
    }

    /// `GET /analytics/ai-code/changes.csv`: the raw CSV body, streamed.
    ///
    /// ```no_run
    /// # async fn run<W: tokio::io::AsyncWrite + Unpin>(aicode: cursor_aicode::AiCodeClient, mut file: W) -> cursor_core::Result<()> {
    /// use cursor_aicode::{DateSpec, ExportQuery};
    /// // curl -L ".../analytics/ai-code/changes.csv?startDate=30d&endDate=now" -o changes.csv
    /// let query = ExportQuery::new().start_date(DateSpec::DaysAgo(30)).end_date(DateSpec::Now);
    /// aicode.changes_csv(&query).await?.copy_to(&mut file).await?;
    /// # Ok(()) }
    /// ```
    pub async fn changes_csv(&self, query: &ExportQuery) -> Result<ByteStream> {
        self.csv(&CHANGES_CSV, query).await
    }

    /// `GET /analytics/ai-code/changes.csv` decoded row by row into [`AiCodeChange`]s, with
    /// `metadata_json` parsed into [`FileMetadata`](crate::FileMetadata).
    ///
    /// ```no_run
    /// # async fn run(aicode: cursor_aicode::AiCodeClient) -> cursor_core::Result<()> {
    /// use futures_util::TryStreamExt as _;
    /// let mut rows = aicode.changes_csv_rows(&cursor_aicode::ExportQuery::new().start_date(cursor_aicode::DateSpec::DaysAgo(30)));
    /// while let Some(change) = rows.try_next().await? {
    ///     for file in change.metadata.unwrap_or_default() {
    ///         println!("{:?}: +{:?}", file.file_name, file.lines_added);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn changes_csv_rows(&self, query: &ExportQuery) -> BoxStream<Result<AiCodeChange>> {
        self.csv_rows(&CHANGES_CSV, query, change_rows)
    }

    /// `GET /analytics/ai-code/commits/{commitHash}` (current documents, limited alpha): the
    /// commits recorded under these hashes, sent comma-separated in one request, optionally
    /// on one `branch`. A hash that is empty, not hexadecimal, or longer than 64 characters
    /// is refused before sending.
    ///
    /// ```no_run
    /// # async fn run(aicode: cursor_aicode::AiCodeClient) -> cursor_core::Result<()> {
    /// let found = aicode.commits_by_hash(["a1b2c3d4", "e5f6a7b8"], Some("main")).await?;
    /// for commit in &found.items {
    ///     println!("{:?} from {:?}", commit.commit_hash, commit.commit_source);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn commits_by_hash<I, S>(&self, hashes: I, branch: Option<&str>) -> Result<CommitLookup>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let hashes = hashes.into_iter().map(Into::into).collect();
        let request = commits_by_hash_request(&COMMITS_BY_HASH, hashes, branch)?;
        self.client.send_json(request).await
    }
}
