//! `MockServer`: binds, serves in the background, and shuts down on request or on drop.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::MockConfig;
use crate::faults::FaultConfig;
use crate::journal::JournalEntry;
use crate::state::AppState;
use crate::webhooks::WebhookDelivery;

/// How often agents are moved along the clock when nobody reads them.
const TICK: Duration = Duration::from_millis(20);

/// A running simulator. Dropping it stops the server.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<AppState>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    ticker: JoinHandle<()>,
}

impl MockServer {
    /// Binds `config.host:config.port` and starts serving in the background.
    pub async fn start(config: MockConfig) -> std::io::Result<MockServer> {
        let listener = TcpListener::bind((config.host, config.port)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(AppState::new(config));
        let app = crate::routes::router(Arc::clone(&state));
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            if let Err(error) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
                tracing::error!(%error, "cursor-mock stopped with an error");
            }
        });
        let ticker = {
            let state = Arc::clone(&state);
            tokio::spawn(async move {
                let mut interval = tokio::time::interval(TICK);
                loop {
                    interval.tick().await;
                    state.tick();
                }
            })
        };
        Ok(MockServer { addr, state, stop: Some(stop), server: Some(server), ticker })
    }

    /// `http://HOST:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Requests received so far (control API excluded), in arrival order.
    pub fn journal(&self) -> Vec<JournalEntry> {
        let mut entries = self.state.journal.entries();
        entries.sort_by_key(|e| e.seq);
        entries
    }

    /// Forgets the journal.
    pub fn clear_journal(&self) {
        self.state.journal.clear();
    }

    /// Webhook deliveries so far, with each attempt's outcome.
    pub fn webhook_deliveries(&self) -> Vec<WebhookDelivery> {
        self.state.webhooks.deliveries()
    }

    /// The faults in force.
    pub fn faults(&self) -> FaultConfig {
        self.state.faults.get()
    }

    /// Replaces the faults in force.
    pub fn set_faults(&self, faults: FaultConfig) {
        self.state.faults.set(faults);
    }

    /// Moves the calendar and simulated clocks forward.
    pub fn advance_clock(&self, by: Duration) {
        self.state.clock.advance(by);
        self.state.tick();
    }

    /// Restated usage costs and late usage events, to change the past under a client that
    /// syncs incrementally (see [`crate::restate`]).
    pub fn restatements(&self) -> &crate::restate::Restatements {
        &self.state.restatements
    }

    /// Every team's mutable state and the clocks, to save with [`crate::persist::save`].
    pub fn snapshot(&self) -> crate::persist::MockSnapshot {
        self.state.snapshot()
    }

    /// Replaces every team's state with a saved one (see [`crate::persist`]); a snapshot of
    /// another seed or other data sizes is refused and changes nothing.
    pub fn restore(&self, snapshot: crate::persist::MockSnapshot) -> Result<(), crate::persist::RestoreError> {
        self.state.restore(snapshot)
    }

    /// A receiver that changes after each answered write (a request other than `GET` or
    /// `HEAD`), for saving the state as it changes.
    pub fn writes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.state.writes()
    }

    /// Forgets every team's changes, rate-limit windows and the journal.
    pub fn reset(&self) {
        self.state.reset();
    }

    /// Stops accepting connections and waits (up to 5 s) for open ones to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let abort = server.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), server).await.is_err() {
                abort.abort();
            }
        }
        self.ticker.abort();
    }

    /// Serves until the server task ends (it only ends on shutdown or a fatal error).
    pub async fn wait(mut self) {
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
        self.ticker.abort();
    }
}
