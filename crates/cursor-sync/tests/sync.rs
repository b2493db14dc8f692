//! End-to-end tests of `cursor-sync` against the simulator: the stored rows equal what the SDK
//! reads, a second run changes only restated rows, a run killed at random points and run
//! again ends with the rows of an uninterrupted run, SQLite and PostgreSQL hold identical
//! tables, several teams keep their rows apart, and the documented rate limits are never
//! exceeded.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use cursor_admin::{AdminClient, UsageEventsQuery};
use cursor_core::{Client, DateRange, DateSpec, Rate, RateLimits};
use cursor_mock::{MockConfig, MockServer, TEST_NOW};
use cursor_sync::{Store, StreamKind, SyncOptions, SyncReport, Team};
use futures_util::TryStreamExt as _;
use sqlx::Row as _;

mod common;

use common::*;

fn stream<'a>(report: &'a SyncReport, team: &str, name: &str) -> &'a cursor_sync::StreamReport {
    report.streams.iter().find(|s| s.team == team && s.stream == name).expect("the stream ran")
}

async fn column_set(store: &Store, sql: &str) -> BTreeSet<String> {
    sqlx::query(sql)
        .fetch_all(store.pool())
        .await
        .expect("a query")
        .iter()
        .map(|r| r.try_get::<String, _>(0).expect("text"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_rows_equal_what_the_sdk_reads() {
    let server = MockServer::start(mock_config()).await.unwrap();
    let client = client(&server.base_url(), "key_sqlite_equal");
    let db = sqlite_db("equal");
    let store = Store::open(&db.url).await.unwrap();
    let options = options();
    let report = cursor_sync::sync(&store, &[Team::new("acme", client.clone())], &options).await;
    assert_ok(&report);

    let admin = AdminClient::new(client.clone());
    let start = now_ms() - i64::from(options.backfill_days) * DAY_MS;
    let range = DateRange::new(DateSpec::EpochMillis(start), DateSpec::EpochMillis(now_ms()));

    // Members: the same emails.
    let members: BTreeSet<String> = admin.members().await.unwrap().team_members.into_iter().map(|m| m.email).collect();
    assert_eq!(column_set(&store, "SELECT email FROM members").await, members);

    // Usage events: the same number, the same total cost, to the fraction of a cent.
    let events: Vec<_> =
        admin.usage_events(&UsageEventsQuery::new().range(range).page_size(500)).try_collect().await.unwrap();
    assert!(events.len() > 500, "the team has several pages of events ({})", events.len());
    assert_eq!(store.count("usage_events", "acme").await.unwrap(), events.len() as i64);
    let sdk_cents: f64 = events.iter().map(|e| e.dashboard_cents()).sum();
    let row = sqlx::query("SELECT SUM(dashboard_cents), SUM(total_cents) FROM usage_events")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let db_cents: f64 = row.try_get(0).unwrap();
    assert!((db_cents - sdk_cents).abs() < 1e-6, "db {db_cents} sdk {sdk_cents}");
    let fractional: f64 = row.try_get(1).unwrap();
    assert!(fractional.fract() != 0.0, "cents keep their fractions");
    // Every stored cost is exactly the API's number.
    for row in sqlx::query("SELECT total_cents, cursor_token_fee, raw FROM usage_events")
        .fetch_all(store.pool())
        .await
        .unwrap()
    {
        let raw: serde_json::Value = serde_json::from_str(&row.try_get::<String, _>(2).unwrap()).unwrap();
        assert_eq!(row.try_get::<Option<f64>, _>(0).unwrap(), raw["tokenUsage"]["totalCents"].as_f64());
        assert_eq!(row.try_get::<Option<f64>, _>(1).unwrap(), raw["cursorTokenFee"].as_f64());
    }

    // Audit events: the same ids.
    let audit: BTreeSet<String> = admin
        .audit_logs(&cursor_admin::AuditLogQuery::new().range(range))
        .map_ok(|e| e.event_id)
        .try_collect()
        .await
        .unwrap();
    assert!(!audit.is_empty());
    assert_eq!(column_set(&store, "SELECT event_id FROM audit_events").await, audit);

    // Spend: one row per member of the current cycle, with the SDK's cents.
    let spend: Vec<_> = admin.spend(&cursor_admin::SpendQuery::new()).try_collect().await.unwrap();
    assert_eq!(store.count("spend", "acme").await.unwrap(), spend.len() as i64);
    let top = spend.iter().max_by(|a, b| a.spend_cents.partial_cmp(&b.spend_cents).unwrap()).unwrap();
    let stored: f64 = sqlx::query("SELECT spend_cents FROM spend WHERE email = $1")
        .bind(&top.email)
        .fetch_one(store.pool())
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    assert_eq!(stored, serde_json::to_value(top).unwrap()["spendCents"].as_f64().unwrap());

    // Daily usage: the same rows.
    let usage = admin.daily_usage(&range).await.unwrap();
    assert_eq!(store.count("daily_usage", "acme").await.unwrap(), usage.data.len() as i64);

    // AI code: the same commits (amended ones included) and changes.
    let aicode = cursor_aicode::AiCodeClient::new(client.clone());
    let query = cursor_aicode::AiCodeQuery::new().range(range).page_size(1000);
    let commits: Vec<_> = aicode.commits(&query).try_collect().await.unwrap();
    assert_eq!(store.count("aicode_commits", "acme").await.unwrap(), commits.len() as i64);
    let hashes: BTreeSet<_> = commits.iter().map(|c| c.commit_hash.clone().unwrap_or_default()).collect();
    assert!(hashes.len() < commits.len(), "amended commits repeat a hash and are all kept");
    let changes: Vec<_> = aicode.changes(&query).try_collect().await.unwrap();
    assert_eq!(store.count("aicode_changes", "acme").await.unwrap(), changes.len() as i64);

    // Agents and Analytics DAU.
    let agents: Vec<_> = cursor_agents::AgentsClient::new(client.clone())
        .list(&cursor_agents::AgentsQuery::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(store.count("agents", "acme").await.unwrap(), agents.len() as i64);
    let analytics = cursor_analytics::AnalyticsClient::new(client.clone());
    let days = cursor_analytics::AnalyticsQuery::new()
        .dates(DateSpec::Date((TEST_NOW - Duration::from_secs(35 * 86_400)).date()), DateSpec::Date(TEST_NOW.date()));
    let dau = analytics.dau(&days).await.unwrap();
    let stored_days = column_set(&store, "SELECT day FROM analytics_team WHERE metric = 'dau'").await;
    let sdk_days: BTreeSet<String> = dau.data.iter().filter_map(|d| d.date.clone()).collect();
    assert_eq!(stored_days, sdk_days);

    // The counts say every row was new, and the watermarks reached "now".
    assert_eq!(stream(&report, "acme", "usage_events").counts.inserted, events.len() as u64);
    for kind in StreamKind::ALL {
        assert_eq!(store.watermark("acme", kind.name()).await.unwrap(), Some(now_ms()), "{}", kind.name());
    }
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_run_revalidates_analytics_with_the_saved_etags_and_spends_no_budget_on_them() {
    let server = MockServer::start(mock_config()).await.unwrap();
    let db = sqlite_db("etags");
    let store = Store::open(&db.url).await.unwrap();
    let options = SyncOptions { streams: vec![StreamKind::AnalyticsTeam], ..options() };
    let analytics_answers = |server: &MockServer| -> Vec<u16> {
        server.journal().iter().filter(|e| e.path.starts_with("/analytics/team/")).map(|e| e.status).collect()
    };

    // Each run is a new process: a new client with an empty cache. The first run reads the
    // backfill; from the second on, every run reads the same trailing window (the clock is
    // frozen, as within one day of hourly runs), so the third can revalidate the second's.
    let backfill =
        cursor_sync::sync(&store, &[Team::new("acme", client(&server.base_url(), "key_etags"))], &options).await;
    assert_ok(&backfill);
    server.clear_journal();
    let first =
        cursor_sync::sync(&store, &[Team::new("acme", client(&server.base_url(), "key_etags"))], &options).await;
    assert_ok(&first);
    let first_statuses = analytics_answers(&server);
    assert!(!first_statuses.is_empty() && first_statuses.iter().all(|&s| s == 200), "{first_statuses:?}");
    let saved: i64 = sqlx::query("SELECT COUNT(*) FROM etags WHERE team = 'acme'")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    // Every answer of this run is saved (beside older ones, which the SDK's bounded cache
    // evicts oldest first).
    assert!(saved as usize >= first_statuses.len(), "{saved} saved for {} requests", first_statuses.len());
    let rows_before = store.dump().await.unwrap();
    server.clear_journal();

    let again =
        cursor_sync::sync(&store, &[Team::new("acme", client(&server.base_url(), "key_etags"))], &options).await;
    assert_ok(&again);
    let again_statuses = analytics_answers(&server);
    assert_eq!(again_statuses.len(), first_statuses.len(), "the same requests");
    assert!(again_statuses.iter().all(|&s| s == 304), "every unchanged metric is a 304: {again_statuses:?}");
    let analytics = stream(&again, "acme", "analytics_team");
    assert_eq!((analytics.counts.inserted, analytics.counts.updated), (0, 0), "{analytics:?}");
    assert_eq!(store.dump().await.unwrap(), rows_before, "a 304 changes no row");

    // Another team's key finds none of them.
    server.clear_journal();
    let other =
        cursor_sync::sync(&store, &[Team::new("acme", client(&server.base_url(), "key_other_team"))], &options).await;
    assert_ok(&other);
    assert!(analytics_answers(&server).iter().all(|&s| s == 200));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_run_changes_only_the_restated_rows_of_the_window() {
    let server = MockServer::start(mock_config()).await.unwrap();
    let client = client(&server.base_url(), "key_second_run");
    let db = sqlite_db("second");
    let store = Store::open(&db.url).await.unwrap();
    let teams = [Team::new("acme", client.clone())];
    assert_ok(&cursor_sync::sync(&store, &teams, &options()).await);
    let total_before = store.count("usage_events", "acme").await.unwrap();

    // Nothing changed upstream: a second run inserts and updates nothing anywhere.
    let again = cursor_sync::sync(&store, &teams, &options()).await;
    assert_ok(&again);
    assert_eq!((again.totals().inserted, again.totals().updated), (0, 0), "{again:#?}");
    assert!(stream(&again, "acme", "usage_events").requests < 10, "only the trailing window is read");

    // Costs restated two days ago and ten days ago; one late event yesterday.
    let restated_from = now_ms() - 2 * DAY_MS;
    server.restatements().restate_costs(restated_from, now_ms(), 1.5);
    server.restatements().restate_costs(now_ms() - 10 * DAY_MS, now_ms() - 9 * DAY_MS, 3.0);
    server.restatements().add_late_event(cursor_mock::restate::LateEvent {
        timestamp_ms: now_ms() - DAY_MS,
        member: 3,
        model: "late-model".into(),
        total_cents: 12.345,
    });
    let restated_events: i64 = sqlx::query(
        "SELECT COUNT(*) FROM usage_events WHERE timestamp_ms >= $1 AND (total_cents > 0 OR cursor_token_fee > 0)",
    )
    .bind(restated_from)
    .fetch_one(store.pool())
    .await
    .unwrap()
    .try_get(0)
    .unwrap();
    assert!(restated_events > 0);

    let third = cursor_sync::sync(&store, &teams, &options()).await;
    assert_ok(&third);
    let usage = stream(&third, "acme", "usage_events");
    assert_eq!(usage.counts.inserted, 1, "the late event, once: {usage:?}");
    assert_eq!(usage.counts.updated, restated_events as u64, "every restated event of the window, in place");
    for s in third.streams.iter().filter(|s| s.stream != "usage_events") {
        assert_eq!((s.counts.inserted, s.counts.updated), (0, 0), "{} changed", s.stream);
    }
    assert_eq!(store.count("usage_events", "acme").await.unwrap(), total_before + 1, "no row doubled");

    // The window's costs are the SDK's; the restatement ten days ago is outside the window.
    let range = DateRange::new(DateSpec::EpochMillis(restated_from), DateSpec::EpochMillis(now_ms()));
    let admin = AdminClient::new(client.clone());
    let sdk: f64 = admin
        .usage_events(&UsageEventsQuery::new().range(range))
        .try_fold(0.0, |sum, e| async move { Ok(sum + e.dashboard_cents()) })
        .await
        .unwrap();
    let db: f64 = sqlx::query("SELECT SUM(dashboard_cents) FROM usage_events WHERE timestamp_ms >= $1")
        .bind(restated_from)
        .fetch_one(store.pool())
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    assert!((sdk - db).abs() < 1e-6, "sdk {sdk} db {db}");
    // The late event lies in the restated range too: its cost came restated.
    let late: i64 = sqlx::query(
        "SELECT COUNT(*) FROM usage_events WHERE model = 'late-model' AND ABS(total_cents - $1) < 0.000001",
    )
    .bind(12.345 * 1.5)
    .fetch_one(store.pool())
    .await
    .unwrap()
    .try_get(0)
    .unwrap();
    let rows = column_set(&store, "SELECT raw FROM usage_events WHERE model = 'late-model'").await;
    assert_eq!(late, 1, "{rows:?}");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_teams_keep_their_rows_apart() {
    let server = MockServer::start(mock_config()).await.unwrap();
    let db = sqlite_db("teams");
    let store = Store::open(&db.url).await.unwrap();
    let teams = [
        Team::new("north", client(&server.base_url(), "key_team_north")),
        Team::new("south", client(&server.base_url(), "key_team_south")),
    ];
    let report = cursor_sync::sync(&store, &teams, &options()).await;
    assert_ok(&report);
    assert_eq!(report.streams.len(), 2 * StreamKind::ALL.len());
    for kind in StreamKind::ALL {
        let north = store.count(kind.table().name, "north").await.unwrap();
        let south = store.count(kind.table().name, "south").await.unwrap();
        assert!(north > 0, "{}", kind.name());
        // The simulator gives every key the same synthetic data.
        assert_eq!(north, south, "{}", kind.name());
    }
    assert_eq!(store.teams().await.unwrap(), vec!["north".to_owned(), "south".to_owned()]);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_documented_rates_no_request_is_refused() {
    // One simulated minute per real second on the server; the client's buckets keep the
    // documented numbers per second, so both sides count the same windows.
    let config = MockConfig { time_scale: 60.0, data: small_team(), ..MockConfig::for_tests() };
    let server = MockServer::start(config).await.unwrap();
    let second = Duration::from_secs(1);
    let per_second = |requests| Rate { requests, period: second };
    let limits = RateLimits::default()
        .set(cursor_admin::endpoints::ADMIN_BUCKET, [per_second(20)])
        .set(cursor_analytics::endpoints::TEAM_BUCKET, [per_second(100)])
        .set(cursor_aicode::endpoints::AICODE_BUCKET, [per_second(20)])
        .set(cursor_agents::endpoints::AGENTS_BUCKET, [per_second(60)]);
    let client = Client::builder()
        .api_key("key_rate_ceiling")
        .base_url(server.base_url())
        .clock(|| TEST_NOW)
        .rate_limits(limits)
        .build()
        .unwrap();
    let db = sqlite_db("rates");
    let store = Store::open(&db.url).await.unwrap();
    let report = cursor_sync::sync(&store, &[Team::new("acme", client)], &options()).await;
    assert_ok(&report);
    let journal = server.journal();
    assert!(journal.len() > 30, "enough requests to reach the limits ({})", journal.len());
    let refused: Vec<_> = journal.iter().filter(|e| e.status == 429).map(|e| e.path.clone()).collect();
    assert!(refused.is_empty(), "429s: {refused:?}");
    server.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// Crash safety: the test binary runs itself as the child process that syncs and gets killed.

const CHILD_DB: &str = "CURSOR_SYNC_TEST_CHILD_DB";
const CHILD_BASE_URL: &str = "CURSOR_SYNC_TEST_CHILD_BASE_URL";

/// Not a test of its own: the body of the child process the kill test spawns (a no-op
/// when run as part of the suite). It prints a progress line on stderr per committed batch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_sync_process() {
    let (Ok(db), Ok(base_url)) = (std::env::var(CHILD_DB), std::env::var(CHILD_BASE_URL)) else {
        return;
    };
    let store = Store::open(&db).await.unwrap();
    // Twenty days: enough batches to kill between, short enough for several runs.
    let options = SyncOptions { backfill_days: 20, progress: true, ..options() };
    let report = cursor_sync::sync(&store, &[Team::new("acme", client(&base_url, "key_crash"))], &options).await;
    assert_ok(&report);
}

fn spawn_child(db: &str, base_url: &str) -> std::process::Child {
    spawn_self("child_sync_process", &[(CHILD_DB, db), (CHILD_BASE_URL, base_url)], std::process::Stdio::piped())
}

/// Reads the child's progress lines until `batches` batches were reported committed (or
/// the child ended), and answers how many were.
fn wait_for_batches(child: &mut std::process::Child, batches: usize) -> usize {
    use std::io::BufRead as _;
    let stderr = std::io::BufReader::new(child.stderr.as_mut().expect("a piped stderr"));
    let mut seen = 0;
    for line in stderr.lines() {
        let Ok(line) = line else { break };
        if line.contains(": batch ") {
            seen += 1;
            if seen == batches {
                break;
            }
        }
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_random_points_it_ends_with_the_rows_of_an_uninterrupted_run() {
    let server = MockServer::start(mock_config()).await.unwrap();
    let base_url = server.base_url();
    let run_to_end = |db: &str| {
        let mut child = spawn_child(db, &base_url);
        tokio::task::block_in_place(|| {
            let batches = wait_for_batches(&mut child, usize::MAX);
            assert!(child.wait().unwrap().success(), "a child run failed");
            batches
        })
    };

    // The uninterrupted run, counting its batches: each kill lands after a random number of
    // them were committed. Kill points are counted in batches, not in time, so a loaded
    // machine (slower children) moves no kill past the end of the run.
    let whole = sqlite_db("whole");
    let total = run_to_end(&whole.url);
    assert!(total > 4, "enough batches to kill between ({total})");
    let expected = Store::open(&whole.url).await.unwrap().dump().await.unwrap();
    assert!(expected.values().all(|rows| !rows.is_empty()), "every table has rows");

    // Independent trials, each from an empty database: killed once (the first trial twice in
    // a row) after a random number of committed batches, while other streams are in flight,
    // then run to the end.
    let seed = std::env::var("CURSOR_SYNC_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(7);
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut kills = 0;
    for trial in 0..3 {
        let db = sqlite_db("killed");
        for _ in 0..if trial == 0 { 2 } else { 1 } {
            let mut child = spawn_child(&db.url, &base_url);
            let after = rng.usize(1..total - 1);
            tokio::task::block_in_place(|| {
                wait_for_batches(&mut child, after);
                // `kill` sends SIGKILL on Unix: no destructor, no rollback by the process.
                if child.try_wait().unwrap().is_none() {
                    child.kill().unwrap();
                    kills += 1;
                }
                child.wait().unwrap();
            });
        }
        run_to_end(&db.url);
        let actual = Store::open(&db.url).await.unwrap().dump().await.unwrap();
        for (table, rows) in &expected {
            let got = &actual[table];
            assert_eq!(got.len(), rows.len(), "trial {trial} (seed {seed}), {table}: row counts differ");
            assert!(got == rows, "trial {trial} (seed {seed}), {table}: rows differ");
        }
    }
    eprintln!("{kills} runs killed (seed {seed}; an uninterrupted run commits {total} batches)");
    assert!(kills > 0, "at least one run was killed mid-way");
    server.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: real, started by .ci/run.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_and_sqlite_hold_identical_tables() {
    let Some(url) = postgres_url() else { return };
    let server = MockServer::start(mock_config()).await.unwrap();
    let teams = [Team::new("acme", client(&server.base_url(), "key_pg_vs_sqlite"))];
    let sqlite_file = sqlite_db("pg_vs");
    let sqlite = Store::open(&sqlite_file.url).await.unwrap();
    let postgres = Store::open(&fresh_postgres_db(&url, "identical").await).await.unwrap();
    // Twelve days keep the test short; every stream still has rows of several batches.
    let options = SyncOptions { backfill_days: 12, ..options() };
    let on_sqlite = cursor_sync::sync(&sqlite, &teams, &options).await;
    let on_postgres = cursor_sync::sync(&postgres, &teams, &options).await;
    assert_ok(&on_sqlite);
    assert_ok(&on_postgres);

    // A second run on PostgreSQL, after a restatement, updates in place there too.
    server.restatements().restate_costs(now_ms() - DAY_MS, now_ms(), 2.0);
    let again_pg = cursor_sync::sync(&postgres, &teams, &options).await;
    let again_sqlite = cursor_sync::sync(&sqlite, &teams, &options).await;
    assert_ok(&again_pg);
    let counts = |r: &SyncReport| -> BTreeMap<&str, cursor_sync::Counts> {
        r.streams.iter().map(|s| (s.stream, s.counts)).collect()
    };
    assert_eq!(counts(&on_sqlite), counts(&on_postgres));
    assert_eq!(counts(&again_sqlite), counts(&again_pg));
    assert!(stream(&again_pg, "acme", "usage_events").counts.updated > 0);

    let (a, b) = (sqlite.dump().await.unwrap(), postgres.dump().await.unwrap());
    for (table, rows) in &a {
        assert!(!rows.is_empty(), "{table} is empty");
        assert!(rows == &b[table], "{table} differs: {:?} vs {:?}", rows.first(), b[table].first());
    }
    let report = cursor_sync::DbReport::load(&postgres, "acme", now_ms(), 7).await.unwrap();
    assert_eq!(report, cursor_sync::DbReport::load(&sqlite, "acme", now_ms(), 7).await.unwrap());
    assert!(report.members > 0 && !report.top_spenders.is_empty() && report.commits > 0);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_reads_the_synced_rows() {
    let server = MockServer::start(mock_config()).await.unwrap();
    let db = sqlite_db("report");
    let store = Store::open(&db.url).await.unwrap();
    let teams = [Team::new("acme", client(&server.base_url(), "key_report"))];
    assert_ok(&cursor_sync::sync(&store, &teams, &options()).await);
    let report = cursor_sync::DbReport::load(&store, "acme", now_ms(), 7).await.unwrap();
    assert_eq!(report.members, small_team().members as u64);
    assert_eq!(report.top_spenders.len(), 5);
    assert!(report.top_spenders.windows(2).all(|w| w[0].spend_cents >= w[1].spend_cents));
    assert_eq!(report.days.len(), 7, "{:?}", report.days.keys());
    assert!(report.days.values().all(|d| d.active_members > 0), "whole days of daily usage");
    assert!(report.days.values().any(|d| d.events > 0 && d.cents > 0.0 && d.dau.is_some()));
    assert_eq!(report.watermarks.len(), StreamKind::ALL.len());
    server.shutdown().await;
}
