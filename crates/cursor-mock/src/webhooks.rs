//! Agent webhooks: a `statusChange` POST on `FINISHED` and `ERROR`, signed with
//! `X-Webhook-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, retried with backoff.

use std::sync::{Arc, Mutex};

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::config::WebhookConfig;

/// One delivery to make.
#[derive(Debug, Clone)]
pub struct WebhookJob {
    /// `X-Webhook-ID`, the same for every attempt of the delivery.
    pub webhook_id: String,
    /// Agent concerned.
    pub agent_id: String,
    /// Status announced.
    pub status: String,
    /// Receiver.
    pub url: String,
    /// Secret to sign with.
    pub secret: Option<String>,
    /// The exact bytes sent (and signed).
    pub body: Vec<u8>,
}

/// `sha256=<hex>` of the HMAC-SHA256 of `body` under `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// What happened to one delivery, as shown by `GET /__mock/webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDelivery {
    /// `X-Webhook-ID`.
    pub webhook_id: String,
    /// Agent concerned.
    pub agent_id: String,
    /// Status announced.
    pub status: String,
    /// Receiver.
    pub url: String,
    /// One line per attempt: the HTTP status, or the transport error.
    pub attempts: Vec<String>,
    /// Whether an attempt got a 2xx.
    pub delivered: bool,
}

/// Sends webhook jobs in the background.
#[derive(Debug)]
pub struct WebhookSender {
    config: WebhookConfig,
    client: reqwest::Client,
    deliveries: Arc<Mutex<Vec<WebhookDelivery>>>,
    /// The runtime the server runs on, so that synchronous callers (such as
    /// `MockServer::advance_clock`) can start deliveries too.
    runtime: Option<tokio::runtime::Handle>,
}

impl WebhookSender {
    /// A sender.
    pub fn new(config: WebhookConfig) -> Self {
        let client = reqwest::Client::builder().timeout(config.timeout).build().unwrap_or_default();
        Self { config, client, deliveries: Arc::default(), runtime: tokio::runtime::Handle::try_current().ok() }
    }

    /// Every delivery so far, finished or not.
    pub fn deliveries(&self) -> Vec<WebhookDelivery> {
        self.deliveries.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Starts delivering jobs; returns at once.
    pub fn dispatch(&self, jobs: Vec<WebhookJob>) {
        for job in jobs {
            let index = {
                let mut log = self.deliveries.lock().unwrap_or_else(|e| e.into_inner());
                log.push(WebhookDelivery {
                    webhook_id: job.webhook_id.clone(),
                    agent_id: job.agent_id.clone(),
                    status: job.status.clone(),
                    url: job.url.clone(),
                    attempts: Vec::new(),
                    delivered: false,
                });
                log.len() - 1
            };
            let log = Arc::clone(&self.deliveries);
            let record = move |attempt: String, delivered: bool| {
                let mut log = log.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(entry) = log.get_mut(index) {
                    entry.attempts.push(attempt);
                    entry.delivered |= delivered;
                }
            };
            if !self.config.allow_non_loopback && !is_loopback(&job.url) {
                record("refused: not a loopback URL (see WebhookConfig::allow_non_loopback)".into(), false);
                continue;
            }
            let Some(runtime) = self.runtime.clone().or_else(|| tokio::runtime::Handle::try_current().ok()) else {
                record("not sent: no Tokio runtime to send from".into(), false);
                continue;
            };
            let client = self.client.clone();
            let config = self.config.clone();
            runtime.spawn(async move {
                let mut backoff = config.initial_backoff;
                for attempt in 1..=config.max_attempts.max(1) {
                    let mut request = client
                        .post(&job.url)
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "Cursor-Agent-Webhook/1.0")
                        .header("X-Webhook-ID", &job.webhook_id)
                        .header("X-Webhook-Event", "statusChange")
                        .body(job.body.clone());
                    if let Some(secret) = &job.secret {
                        request = request.header("X-Webhook-Signature", signature(secret, &job.body));
                    }
                    match request.send().await {
                        Ok(response) if response.status().is_success() => {
                            record(response.status().as_u16().to_string(), true);
                            return;
                        }
                        Ok(response) => record(response.status().as_u16().to_string(), false),
                        Err(error) => record(format!("error: {error}"), false),
                    }
                    if attempt < config.max_attempts {
                        tokio::time::sleep(backoff).await;
                        backoff *= 2;
                    }
                }
            });
        }
    }
}

fn is_loopback(url: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(url) else {
        return false;
    };
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_the_rfc_4231_vector() {
        // RFC 4231, test case 2.
        let sig = signature("Jefe", b"what do ya want for nothing?");
        assert_eq!(sig, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn only_loopback_hosts_are_loopback() {
        assert!(is_loopback("http://127.0.0.1:9000/hook"));
        assert!(is_loopback("http://localhost/hook"));
        assert!(is_loopback("http://[::1]:80/"));
        assert!(!is_loopback("https://example.com/hook"));
        assert!(!is_loopback("not a url"));
    }
}
