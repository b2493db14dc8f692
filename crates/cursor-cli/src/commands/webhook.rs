//! `cursor webhook verify`: checks a Cloud Agents webhook delivery's signature with
//! [`cursor_agents::webhook::verify_webhook`], reading the raw body from standard input.
//! Exit status 0 when the signature is valid, 1 when it is not (with one line saying why),
//! 2 on a usage error (no secret, an empty one, no signature). The secret is never printed.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use cursor_agents::webhook::{SIGNATURE_HEADER, SignatureError, WebhookError, verify_webhook};

use super::UsageError;

/// `webhook` actions.
#[derive(Subcommand, Debug)]
pub(crate) enum WebhookAction {
    /// Verify a delivery's signature: the raw body on standard input; exit 0 if valid, 1 if not.
    #[command(after_long_help = "\
Examples:
  cursor webhook verify --secret-env HOOK_SECRET --signature \"sha256=…\" < body.json
  cursor webhook verify --secret-env HOOK_SECRET --header-file headers.txt < body.json

Exit status: 0 valid, 1 invalid (one line on stderr says why), 2 usage error (the variable \
is unset or empty, no signature given).")]
    Verify(VerifyArgs),
}

/// `webhook verify` arguments.
#[derive(Args, Debug)]
pub(crate) struct VerifyArgs {
    /// The environment variable holding the webhook secret (never printed).
    #[arg(long, value_name = "NAME")]
    secret_env: String,
    /// The `X-Webhook-Signature` header's value (`sha256=<hex>`).
    #[arg(long, value_name = "SIG", required_unless_present = "header_file", conflicts_with = "header_file")]
    signature: Option<String>,
    /// A file of the delivery's headers, one `Name: value` a line (as `curl -D` writes them).
    #[arg(long, value_name = "FILE")]
    header_file: Option<PathBuf>,
}

/// Why `webhook verify` refused a delivery: exit status 1, not a usage error.
#[derive(Debug)]
pub(crate) struct InvalidSignature(pub(crate) String);

impl std::fmt::Display for InvalidSignature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidSignature {}

/// Runs a `webhook` action.
pub(crate) fn run(action: &WebhookAction) -> anyhow::Result<()> {
    match action {
        WebhookAction::Verify(args) => {
            let mut body = Vec::new();
            std::io::stdin().lock().read_to_end(&mut body)?;
            verify(args, &body)?;
            eprintln!("valid: the signature matches the body and the secret");
            Ok(())
        }
    }
}

/// Checks `body` against the secret and signature the arguments name.
fn verify(args: &VerifyArgs, body: &[u8]) -> anyhow::Result<()> {
    let secret = std::env::var(&args.secret_env).map_err(|_| {
        UsageError(format!("--secret-env: the environment variable {} is not set (or not UTF-8)", args.secret_env))
    })?;
    if secret.is_empty() {
        return Err(UsageError(format!("--secret-env: the environment variable {} is empty", args.secret_env)).into());
    }
    let headers: Vec<(String, String)> = match (&args.signature, &args.header_file) {
        (Some(signature), _) => vec![(SIGNATURE_HEADER.to_owned(), signature.clone())],
        (None, Some(file)) => read_headers(file)?,
        (None, None) => return Err(UsageError("give --signature or --header-file".into()).into()),
    };
    let pairs = headers.iter().map(|(name, value)| (name.as_str(), value.as_str()));
    match verify_webhook(secret.as_bytes(), pairs, body) {
        Ok(_) => Ok(()),
        // The signature is right; the body is just not a payload this SDK reads (a newer event).
        Err(WebhookError::Payload(_)) => Ok(()),
        Err(WebhookError::Signature(SignatureError::Missing)) => {
            Err(UsageError(format!("no {SIGNATURE_HEADER} header in --header-file")).into())
        }
        Err(WebhookError::Signature(error)) => Err(InvalidSignature(format!("invalid: {error}")).into()),
        Err(error) => Err(InvalidSignature(format!("invalid: {error}")).into()),
    }
}

/// `Name: value` lines; an HTTP status line and blank lines are skipped.
fn read_headers(path: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let text =
        std::fs::read_to_string(path).map_err(|e| UsageError(format!("--header-file {}: {e}", path.display())))?;
    Ok(text
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] =
        br#"{"event":"statusChange","timestamp":"2024-01-15T10:30:00Z","id":"bc_abc123","status":"FINISHED"}"#;
    const SECRET: &str = "a-webhook-secret-of-at-least-32-characters";

    fn args(env: &str, signature: &str) -> VerifyArgs {
        VerifyArgs { secret_env: env.to_owned(), signature: Some(signature.to_owned()), header_file: None }
    }

    #[test]
    fn header_files_are_read_as_curl_writes_them() {
        let path = std::env::temp_dir().join(format!("cursor-webhook-headers-{}", std::process::id()));
        let signature = cursor_agents::webhook::sign(SECRET.as_bytes(), BODY);
        std::fs::write(
            &path,
            format!("HTTP/1.1 200 OK\r\nX-Webhook-Signature: {signature}\r\nX-Webhook-ID: d1\r\n\r\n"),
        )
        .unwrap();
        let headers = read_headers(&path).unwrap();
        assert!(headers.contains(&("X-Webhook-Signature".to_owned(), signature)));
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn a_missing_variable_is_a_usage_error() {
        let error = verify(&args("CURSOR_TEST_NO_SUCH_VARIABLE_31337", "sha256=00"), BODY).unwrap_err();
        assert!(error.is::<UsageError>(), "{error}");
    }
}
