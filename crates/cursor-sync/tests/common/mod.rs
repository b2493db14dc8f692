//! Helpers shared by the sync tests: the simulator's small team, clients on its fixed clock,
//! SQLite files in temporary directories removed when dropped, and the PostgreSQL server of
//! the test run.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use cursor_core::{Client, RateLimits};
use cursor_mock::{DataSizes, MockConfig, TEST_NOW};
use cursor_sync::{SyncOptions, SyncReport};

/// A day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// The simulator's "now" in epoch milliseconds.
pub fn now_ms() -> i64 {
    (TEST_NOW.unix_timestamp_nanos() / 1_000_000) as i64
}

/// A small team, so that a whole sync takes a fraction of a second.
pub fn small_team() -> DataSizes {
    DataSizes {
        members: 30,
        history_days: 40,
        commits: 900,
        changes: 1_200,
        agents_per_team: 12,
        audit_events_per_day: 12,
    }
}

/// The simulator with the small team and no rate limits.
pub fn mock_config() -> MockConfig {
    MockConfig { data: small_team(), rate_limits: cursor_mock::RateLimits::unlimited(), ..MockConfig::for_tests() }
}

/// A client of the simulator at `base_url` with `key`, on the simulator's clock.
pub fn client(base_url: &str, key: &str) -> Client {
    Client::builder()
        .api_key(key)
        .base_url(base_url)
        .clock(|| TEST_NOW)
        .rate_limits(RateLimits::unlimited())
        .build()
        .expect("a client")
}

/// The sync options of the tests: 35 days of backfill.
pub fn options() -> SyncOptions {
    SyncOptions { backfill_days: 35, ..SyncOptions::default() }
}

/// A SQLite database in a directory of its own, removed (with SQLite's side files) when
/// this is dropped.
#[derive(Debug)]
pub struct TempDb {
    dir: PathBuf,
    /// `sqlite:DIR/NAME.db`.
    pub url: String,
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A fresh SQLite database named after `name`.
pub fn sqlite_db(name: &str) -> TempDb {
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "cursor-sync-{name}-{}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    ));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let url = format!("sqlite:{}", dir.join(format!("{name}.db")).display());
    TempDb { dir, url }
}

/// Fails with each failed stream's error.
pub fn assert_ok(report: &SyncReport) {
    for s in &report.streams {
        assert!(s.error.is_none(), "{}/{} failed: {:?}", s.team, s.stream, s.error);
    }
}

/// The PostgreSQL server of the test run; CI must provide one.
pub fn postgres_url() -> Option<String> {
    match std::env::var("CURSOR_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => panic!(
            "CURSOR_TEST_POSTGRES_URL is not set, but CI is: .ci/run starts PostgreSQL and exports it \
             (postgres://USER@127.0.0.1:PORT/DB)"
        ),
        _ => {
            eprintln!("skipped: CURSOR_TEST_POSTGRES_URL is not set (.ci/run sets it)");
            None
        }
    }
}

/// A fresh database on the server at `url`, for one test.
pub async fn fresh_postgres_db(url: &str, name: &str) -> String {
    use sqlx::Connection as _;
    sqlx::any::install_default_drivers();
    let db = format!("cursor_sync_{name}_{}_{}", std::process::id(), fastrand::u32(..));
    let mut conn = sqlx::AnyConnection::connect(url).await.expect("connect to CURSOR_TEST_POSTGRES_URL");
    sqlx::query(&format!("CREATE DATABASE {db}")).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let server = match base.rfind('/') {
        Some(slash) if slash > "postgres://".len() => &base[..slash],
        _ => base,
    };
    format!("{server}/{db}{query}")
}

/// Runs this test binary again as a child process that runs only the test `test` (a test
/// that does nothing unless its environment variables are set), with `envs` and the child's
/// stderr sent to `stderr`.
pub fn spawn_self(test: &str, envs: &[(&str, &str)], stderr: std::process::Stdio) -> std::process::Child {
    std::process::Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads", "1"])
        .envs(envs.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("the test binary runs itself")
}
