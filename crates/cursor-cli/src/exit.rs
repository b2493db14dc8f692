//! Exit codes: what a script can tell from `cursor`'s status without reading its stderr.
//!
//! Every command returns an [`anyhow::Error`]; [`code_of`] looks through its chain for the
//! first error it knows (a [`UsageError`](crate::commands::UsageError), a
//! [`cursor_core::Error`], an [`Interrupted`]) and maps it to one of the codes below.

use std::fmt;

/// The command did what it was asked.
pub(crate) const SUCCESS: u8 = 0;
/// Any other failure (an agent that ended in error, a bulk update with failures…).
pub(crate) const FAILURE: u8 = 1;
/// A usage error: bad flags, or input the SDK refused before sending anything.
pub(crate) const USAGE: u8 = 2;
/// Authentication or permission: the server answered `401` or `403`.
pub(crate) const AUTH: u8 = 3;
/// Not found: the server answered `404`.
pub(crate) const NOT_FOUND: u8 = 4;
/// The rate limit outlasted the retries: the last answer was `429`.
pub(crate) const RATE_LIMITED: u8 = 5;
/// A write that may have happened: its outcome (or its answer) is unknown.
pub(crate) const OUTCOME_UNKNOWN: u8 = 6;
/// Any other API error: another 4xx or 5xx, a redirect, an answer that does not decode.
pub(crate) const API: u8 = 7;
/// A network error: the connection failed or broke, or timed out.
pub(crate) const NETWORK: u8 = 8;
/// Interrupted by Ctrl-C (128 + SIGINT, as shells report it).
pub(crate) const INTERRUPTED: u8 = 130;

/// The table of exit codes, as `--help` and the README show it (a test checks they agree).
pub(crate) const TABLE: &str = "\
Exit codes:
  0    success
  1    any other failure (an agent that ended in error, a bulk update with failures)
  2    usage error (bad flags, or input refused before anything was sent)
  3    authentication or permission (HTTP 401, 403)
  4    not found (HTTP 404)
  5    rate limit outlasting the retries (HTTP 429)
  6    outcome unknown (a write that may have happened)
  7    other API errors (other 4xx/5xx, undecodable answers)
  8    network errors (connection, timeout, TLS)
  130  interrupted (Ctrl-C)";

/// The command was interrupted by Ctrl-C.
#[derive(Debug)]
pub(crate) struct Interrupted;

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("interrupted")
    }
}

impl std::error::Error for Interrupted {}

/// The exit code of a failed command.
pub(crate) fn code_of(error: &anyhow::Error) -> u8 {
    for cause in error.chain() {
        if cause.is::<Interrupted>() {
            return INTERRUPTED;
        }
        if cause.is::<crate::commands::UsageError>() {
            return USAGE;
        }
        if let Some(error) = cause.downcast_ref::<cursor_core::Error>() {
            return code_of_sdk_error(error);
        }
    }
    FAILURE
}

/// The exit code of an SDK error.
pub(crate) fn code_of_sdk_error(error: &cursor_core::Error) -> u8 {
    use cursor_core::Error;
    match error {
        // Checked first: a write that may have happened matters more than why it failed.
        Error::OutcomeUnknown { .. } | Error::DoneButUnreadable { .. } => OUTCOME_UNKNOWN,
        Error::InvalidRequest { .. } | Error::Config(_) => USAGE,
        Error::Api(api) => match api.status {
            401 | 403 => AUTH,
            404 => NOT_FOUND,
            429 => RATE_LIMITED,
            _ => API,
        },
        Error::Timeout { .. } | Error::Transport { .. } | Error::Stream { .. } => NETWORK,
        // Refused, Redirected, BodyTooLarge, Decode, Pagination, and any variant added later.
        _ => API,
    }
}

/// Whether the error is only a closed stdout (`cursor … | head`): nothing more to say.
pub(crate) fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use cursor_core::{ApiError, ApiErrorBody, Error};

    use super::*;

    fn api(status: u16) -> Error {
        Error::Api(Box::new(ApiError::new("t.endpoint", status, ApiErrorBody::Text(String::new()), None, 1)))
    }

    #[test]
    fn each_sdk_error_has_its_code() {
        assert_eq!(code_of_sdk_error(&api(401)), AUTH);
        assert_eq!(code_of_sdk_error(&api(403)), AUTH);
        assert_eq!(code_of_sdk_error(&api(404)), NOT_FOUND);
        assert_eq!(code_of_sdk_error(&api(429)), RATE_LIMITED);
        assert_eq!(code_of_sdk_error(&api(400)), API);
        assert_eq!(code_of_sdk_error(&api(503)), API);
        assert_eq!(code_of_sdk_error(&Error::timeout("t", Duration::from_secs(1))), NETWORK);
        let unknown = Error::outcome_unknown("t", api(503), "");
        assert_eq!(code_of_sdk_error(&unknown), OUTCOME_UNKNOWN);
        assert_eq!(code_of_sdk_error(&Error::invalid_request("t", "no")), USAGE);
    }

    #[test]
    fn the_first_known_error_in_the_chain_decides() {
        let wrapped = anyhow::Error::from(api(404)).context("reading the agent");
        assert_eq!(code_of(&wrapped), NOT_FOUND);
        assert_eq!(code_of(&anyhow::anyhow!("agent ended in ERROR")), FAILURE);
        assert_eq!(code_of(&anyhow::Error::from(Interrupted)), INTERRUPTED);
        let usage = anyhow::Error::from(crate::commands::UsageError("bad".into()));
        assert_eq!(code_of(&usage), USAGE);
    }

    #[test]
    fn the_table_lists_every_code() {
        for code in [SUCCESS, FAILURE, USAGE, AUTH, NOT_FOUND, RATE_LIMITED, OUTCOME_UNKNOWN, API, NETWORK, INTERRUPTED]
        {
            assert!(TABLE.lines().any(|line| line.trim_start().starts_with(&format!("{code} "))), "{code}");
        }
    }
}
