//! Predicates for the v1 error codes (`{"error": {"code", "message"}}`), as an extension
//! trait over [`cursor_core::Error`].

use cursor_core::{ApiErrorBody, Error};

/// The v1 error codes as questions on an [`Error`]. Each looks at the documented code of an
/// API error (also inside an outcome-unknown error), never at the message.
///
/// ```no_run
/// # async fn run(agents: cursor_agents::v1::AgentsClient) -> cursor_core::Result<()> {
/// use cursor_agents::v1::{CreateRun, V1ErrorExt as _};
/// match agents.create_run("bc-123", &CreateRun::new("Also add tests")).await {
///     Err(err) if err.is_agent_busy() => println!("a run is still active: wait for it or cancel it"),
///     Err(err) if err.is_agent_archived() => println!("unarchive the agent first"),
///     other => { other?; }
/// }
/// # Ok(()) }
/// ```
pub trait V1ErrorExt {
    /// The machine-readable code of an API error, when the body has one.
    fn api_code(&self) -> Option<&str>;

    /// `409 agent_busy`: the agent already has an active run.
    fn is_agent_busy(&self) -> bool {
        self.api_code() == Some("agent_busy")
    }

    /// `409 agent_archived`: the agent is archived and refuses new runs.
    fn is_agent_archived(&self) -> bool {
        self.api_code() == Some("agent_archived")
    }

    /// `409 run_not_cancellable`: the run is already terminal or was never active.
    fn is_run_not_cancellable(&self) -> bool {
        self.api_code() == Some("run_not_cancellable")
    }

    /// `410 stream_expired`: the run's events are past the retention window.
    fn is_stream_expired(&self) -> bool {
        self.api_code() == Some("stream_expired")
    }

    /// `stream_unavailable`: the service cannot stream this run now (poll instead).
    fn is_stream_unavailable(&self) -> bool {
        self.api_code() == Some("stream_unavailable")
    }

    /// `invalid_last_event_id`: the resume id does not belong to the run.
    fn is_invalid_last_event_id(&self) -> bool {
        self.api_code() == Some("invalid_last_event_id")
    }

    /// `404 agent_not_found`.
    fn is_agent_not_found(&self) -> bool {
        self.api_code() == Some("agent_not_found")
    }

    /// `404 run_not_found`.
    fn is_run_not_found(&self) -> bool {
        self.api_code() == Some("run_not_found")
    }
}

impl V1ErrorExt for Error {
    fn api_code(&self) -> Option<&str> {
        match &self.api_error()?.body {
            ApiErrorBody::Coded { code, .. } => Some(code),
            _ => None,
        }
    }
}
