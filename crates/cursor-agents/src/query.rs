//! Inputs of the Cloud Agents v0 API: launching an agent, follow-ups, prompts with images,
//! webhook settings and the list query, each checked against the documented limits before
//! sending (all of the crate's input checks live here and in `v1::query`).

use base64::Engine as _;
use cursor_core::{Error, Request, Result};
use serde::{Deserialize, Serialize};

/// At most this many images per prompt.
pub const MAX_IMAGES: usize = 5;
/// The longest webhook URL, in characters.
pub const MAX_WEBHOOK_URL_LEN: usize = 2048;
/// The shortest webhook secret, in characters.
pub const MIN_WEBHOOK_SECRET_LEN: usize = 32;
/// The longest webhook secret, in characters.
pub const MAX_WEBHOOK_SECRET_LEN: usize = 256;
/// The largest `limit` of `GET /v0/agents`.
pub const MAX_LIST_LIMIT: u32 = 100;

/// An image's size in pixels; both must be positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageDimension {
    /// Width in pixels (at least 1).
    pub width: u32,
    /// Height in pixels (at least 1).
    pub height: u32,
}

/// An image attached to a prompt: base64 data and its dimensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// The image, base64-encoded (standard alphabet, padded).
    pub data: String,
    /// Its size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension: Option<ImageDimension>,
}

impl Image {
    /// An image from raw bytes (PNG, JPEG…), base64-encoded, with its size in pixels.
    ///
    /// ```
    /// let image = cursor_agents::Image::from_bytes(b"hello", 1024, 768);
    /// assert_eq!(image.data, "aGVsbG8=");
    /// assert_eq!(image.dimension.map(|d| (d.width, d.height)), Some((1024, 768)));
    /// ```
    pub fn from_bytes(bytes: impl AsRef<[u8]>, width: u32, height: u32) -> Self {
        Self {
            data: base64::engine::general_purpose::STANDARD.encode(bytes.as_ref()),
            dimension: Some(ImageDimension { width, height }),
        }
    }

    /// An image whose data is already base64-encoded.
    pub fn from_base64(data: impl Into<String>, width: u32, height: u32) -> Self {
        Self { data: data.into(), dimension: Some(ImageDimension { width, height }) }
    }
}

/// A prompt: instruction text and up to five images.
///
/// ```
/// use cursor_agents::{Image, Prompt};
/// let prompt = Prompt::new("Also add a section about troubleshooting").image(Image::from_bytes(b"png bytes", 800, 600));
/// assert_eq!(prompt.images.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Prompt {
    /// The instruction (required; empty or whitespace-only text is refused before sending).
    pub text: String,
    /// Up to [`MAX_IMAGES`] images.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<Image>,
}

impl Prompt {
    /// A prompt with text only.
    pub fn new(text: impl Into<String>) -> Self {
        Self { text: text.into(), images: Vec::new() }
    }

    /// Adds an image.
    #[must_use]
    pub fn image(mut self, image: Image) -> Self {
        self.images.push(image);
        self
    }

    pub(crate) fn validate(&self, endpoint: &'static str) -> Result<()> {
        if self.text.trim().is_empty() {
            return Err(invalid(
                endpoint,
                "the prompt text must not be empty or only whitespace: say what the agent should do",
            ));
        }
        if self.images.len() > MAX_IMAGES {
            return Err(invalid(
                endpoint,
                format!("a prompt carries at most {MAX_IMAGES} images; {} were given", self.images.len()),
            ));
        }
        for (index, image) in self.images.iter().enumerate() {
            if image.data.is_empty() {
                return Err(invalid(endpoint, format!("image {index} has no data")));
            }
            if let Some(dimension) = image.dimension
                && (dimension.width == 0 || dimension.height == 0)
            {
                return Err(invalid(
                    endpoint,
                    format!(
                        "image {index} must have a positive width and height; got {}x{}",
                        dimension.width, dimension.height
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The repository a new agent works on.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LaunchSource {
    /// The GitHub repository URL (required).
    pub repository: String,
    /// The Git ref (branch, tag or commit) to start from; the default branch when absent.
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub git_ref: Option<String>,
}

/// Where a new agent's work goes. Every field is optional; unset ones are not sent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LaunchTarget {
    /// Create a pull request when the agent completes (service default: false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_create_pr: Option<bool>,
    /// Open the pull request as the Cursor GitHub App instead of as the user; only with
    /// `autoCreatePr` (service default: false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_as_cursor_github_app: Option<bool>,
    /// Do not add the user as a reviewer; only when the pull request is opened as the
    /// Cursor GitHub App (service default: false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_reviewer_request: Option<bool>,
    /// The branch to create. Setting one also makes a launch whose outcome is unknown easy
    /// to find in the agent list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_name: Option<String>,
}

impl LaunchTarget {
    fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// Status-change notifications for a new agent (sent on `FINISHED` and `ERROR`); see
/// [`crate::webhook`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookConfig {
    /// Where to POST notifications: an `http(s)` URL of at most 2048 characters (use HTTPS
    /// in production).
    pub url: String,
    /// The key the payloads are signed with: 32 to 256 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl WebhookConfig {
    /// A webhook with a signing secret.
    pub fn new(url: impl Into<String>, secret: impl Into<String>) -> Self {
        Self { url: url.into(), secret: Some(secret.into()) }
    }

    fn validate(&self, endpoint: &'static str) -> Result<()> {
        let length = self.url.chars().count();
        if length == 0 {
            return Err(invalid(endpoint, "the webhook URL must not be empty"));
        }
        if length > MAX_WEBHOOK_URL_LEN {
            return Err(invalid(
                endpoint,
                format!("the webhook URL has {length} characters; at most {MAX_WEBHOOK_URL_LEN} are allowed"),
            ));
        }
        let lower = self.url.to_ascii_lowercase();
        let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
        if rest.is_none_or(|host| host.is_empty() || host.starts_with('/')) {
            return Err(invalid(endpoint, "the webhook URL must be an absolute http:// or https:// URL"));
        }
        if let Some(secret) = &self.secret {
            let length = secret.chars().count();
            if !(MIN_WEBHOOK_SECRET_LEN..=MAX_WEBHOOK_SECRET_LEN).contains(&length) {
                return Err(invalid(
                    endpoint,
                    format!(
                        "the webhook secret has {length} characters; it must have \
                         {MIN_WEBHOOK_SECRET_LEN} to {MAX_WEBHOOK_SECRET_LEN}"
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The body of `POST /v0/agents`.
///
/// ```
/// use cursor_agents::{Image, LaunchAgent};
///
/// let launch = LaunchAgent::new("Add a README.md file with installation instructions", "https://github.com/your-org/your-repo")
///     .git_ref("main")
///     .image(Image::from_bytes([0x89, 0x50, 0x4e, 0x47], 1024, 768))
///     .auto_create_pr(true)
///     .branch_name("feature/add-readme")
///     .webhook("https://example.com/hooks/cursor", "a-secret-of-at-least-32-characters!!");
/// assert_eq!(launch.target.as_ref().and_then(|t| t.branch_name.as_deref()), Some("feature/add-readme"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LaunchAgent {
    /// The task.
    pub prompt: Prompt,
    /// The model (`claude-4-sonnet`); the service picks one when absent (recommended
    /// default, "Auto").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The repository.
    pub source: LaunchSource,
    /// Branch and pull-request settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<LaunchTarget>,
    /// Status-change notifications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<WebhookConfig>,
}

impl LaunchAgent {
    /// A launch with a prompt text and a repository URL.
    pub fn new(text: impl Into<String>, repository: impl Into<String>) -> Self {
        Self {
            prompt: Prompt::new(text),
            source: LaunchSource { repository: repository.into(), git_ref: None },
            ..Self::default()
        }
    }

    /// Adds an image to the prompt (at most five).
    #[must_use]
    pub fn image(mut self, image: Image) -> Self {
        self.prompt.images.push(image);
        self
    }

    /// Picks a model.
    #[must_use]
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// The Git ref to start from.
    #[must_use]
    pub fn git_ref(mut self, git_ref: impl Into<String>) -> Self {
        self.source.git_ref = Some(git_ref.into());
        self
    }

    fn target_mut(&mut self) -> &mut LaunchTarget {
        self.target.get_or_insert_with(LaunchTarget::default)
    }

    /// The branch to create.
    #[must_use]
    pub fn branch_name(mut self, branch: impl Into<String>) -> Self {
        self.target_mut().branch_name = Some(branch.into());
        self
    }

    /// Whether to open a pull request when the agent completes.
    #[must_use]
    pub fn auto_create_pr(mut self, yes: bool) -> Self {
        self.target_mut().auto_create_pr = Some(yes);
        self
    }

    /// Whether the pull request is opened as the Cursor GitHub App.
    #[must_use]
    pub fn open_as_cursor_github_app(mut self, yes: bool) -> Self {
        self.target_mut().open_as_cursor_github_app = Some(yes);
        self
    }

    /// Whether to skip the reviewer request on the pull request.
    #[must_use]
    pub fn skip_reviewer_request(mut self, yes: bool) -> Self {
        self.target_mut().skip_reviewer_request = Some(yes);
        self
    }

    /// Status-change notifications to `url`, signed with `secret` (32–256 characters).
    #[must_use]
    pub fn webhook(mut self, url: impl Into<String>, secret: impl Into<String>) -> Self {
        self.webhook = Some(WebhookConfig::new(url, secret));
        self
    }

    /// The branch name asked for, if any.
    pub fn requested_branch(&self) -> Option<&str> {
        self.target.as_ref().and_then(|t| t.branch_name.as_deref())
    }

    /// Checks the documented limits: a prompt text, at most five images with positive sizes,
    /// non-empty strings, a webhook URL of at most 2048 characters and a secret of 32–256.
    pub fn validate(&self, endpoint: &'static str) -> Result<()> {
        self.prompt.validate(endpoint)?;
        if self.source.repository.is_empty() {
            return Err(invalid(endpoint, "the source repository URL must not be empty"));
        }
        if self.source.git_ref.as_deref() == Some("") {
            return Err(invalid(endpoint, "the source ref must not be empty: leave it unset for the default branch"));
        }
        if self.model.as_deref() == Some("") {
            return Err(invalid(endpoint, "the model must not be empty: leave it unset to let the service pick"));
        }
        if let Some(target) = &self.target
            && target.branch_name.as_deref() == Some("")
        {
            return Err(invalid(endpoint, "the branch name must not be empty: leave it unset to let the service pick"));
        }
        if let Some(webhook) = &self.webhook {
            webhook.validate(endpoint)?;
        }
        Ok(())
    }

    /// The body as sent: an empty `target` is left out.
    pub(crate) fn wire(&self) -> LaunchAgent {
        let mut body = self.clone();
        if body.target.as_ref().is_some_and(LaunchTarget::is_empty) {
            body.target = None;
        }
        body
    }
}

/// The body of `POST /v0/agents/{id}/followup`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Followup {
    /// The instruction.
    pub prompt: Prompt,
}

/// `page_size(n)` (sent as `limit`, 1–100) and `cursor(c)` of a cursor-paged list query,
/// v0 or v1: the same two setters, with the same meaning, on each of them.
macro_rules! cursor_page_setters {
    () => {
        /// `limit`: items per page, 1–100 (service default 20).
        #[must_use]
        pub fn page_size(mut self, page_size: u32) -> Self {
            self.page_size = Some(page_size);
            self
        }

        /// `cursor`: where to start, a `nextCursor` from an earlier page.
        #[must_use]
        pub fn cursor(mut self, cursor: impl Into<String>) -> Self {
            self.cursor = Some(cursor.into());
            self
        }
    };
}
pub(crate) use cursor_page_setters;

/// The query of `GET /v0/agents`: the page size and where to start. Every part is optional.
///
/// ```
/// use cursor_agents::AgentsQuery;
/// let query = AgentsQuery::new().page_size(100).cursor("bc_ghi789");
/// assert_ne!(query, AgentsQuery::new());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AgentsQuery {
    page_size: Option<u32>,
    cursor: Option<String>,
}

impl AgentsQuery {
    /// The service's defaults: the first page, 20 agents.
    pub fn new() -> Self {
        Self::default()
    }

    cursor_page_setters!();

    /// The request for this query, checked first.
    pub(crate) fn request(&self) -> Result<Request> {
        with_cursor_page(Request::new(&crate::endpoints::LIST_AGENTS), self.page_size, self.cursor.as_deref())
    }
}

/// `request` with the page parameters of a cursor-paged list, v0 or v1 (`limit`, `cursor`),
/// once they pass [`check_cursor_page`].
pub(crate) fn with_cursor_page(request: Request, limit: Option<u32>, cursor: Option<&str>) -> Result<Request> {
    check_cursor_page(request.endpoint().name, limit, cursor)?;
    Ok(request.with_page_size(limit).with_cursor(cursor))
}

/// The page parameters of a cursor-paged list, v0 or v1 (both 1–100 items, a cursor from an
/// earlier page): refused before sending when out of range or empty.
fn check_cursor_page(endpoint: &'static str, limit: Option<u32>, cursor: Option<&str>) -> Result<()> {
    if let Some(limit) = limit
        && !(1..=MAX_LIST_LIMIT).contains(&limit)
    {
        return Err(invalid(endpoint, format!("limit must be between 1 and {MAX_LIST_LIMIT}; got {limit}")));
    }
    if cursor == Some("") {
        return Err(invalid(endpoint, "the cursor must not be empty: leave it unset for the first page"));
    }
    Ok(())
}

fn invalid(endpoint: &'static str, message: impl Into<String>) -> Error {
    Error::invalid_request(endpoint, message.into())
}
