//! The sync fleet against a real PostgreSQL server: claims never give one unit to two
//! workers, a worker that lost its lease cannot write, and three worker processes over
//! twenty simulated teams, one of them killed mid-stream, end with exactly the tables of one
//! uninterrupted sync.

mod common;

use std::time::{Duration, Instant};

use common::*;
use cursor_mock::{DataSizes, MockConfig, MockServer};
use cursor_sync::{Error, Fleet, FleetOptions, Store, StreamKind, SyncOptions, Team, Value};
use sqlx::Row as _;

fn fleet_options(worker: &str, lease: Duration) -> FleetOptions {
    FleetOptions { lease, heartbeat: lease / 10, ..FleetOptions::new(worker) }
}

fn names(teams: &[&str]) -> Vec<String> {
    teams.iter().map(|t| (*t).to_owned()).collect()
}

#[tokio::test]
async fn a_fleet_on_sqlite_is_refused_with_the_reason() {
    let db = sqlite_db("fleet_refused");
    let store = Store::open(&db.url).await.unwrap();
    let joined = Fleet::join(&store, names(&["a"]), vec![StreamKind::Members], FleetOptions::new("w")).await;
    let Err(Error::Config(message)) = joined else { panic!("a fleet on SQLite was accepted: {joined:?}") };
    assert!(message.contains("PostgreSQL"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_never_hold_one_unit_and_a_worker_that_lost_its_lease_writes_nothing() {
    let Some(url) = postgres_url() else { return };
    let store = Store::open(&fresh_postgres_db(&url, "leases").await).await.unwrap();

    // Fifteen units of five different buckets, claimed by sixteen concurrent claimers of two
    // workers: each unit goes to exactly one claim.
    let streams = vec![
        StreamKind::Members,
        StreamKind::AnalyticsTeam,
        StreamKind::AicodeCommits,
        StreamKind::AicodeChanges,
        StreamKind::Agents,
    ];
    let teams = names(&["a", "b", "c"]);
    let long = Duration::from_secs(60);
    let one = Fleet::join(&store, teams.clone(), streams.clone(), fleet_options("one", long)).await.unwrap();
    let two = Fleet::join(&store, teams, streams, fleet_options("two", long)).await.unwrap();
    let claimers: Vec<_> = (0..16)
        .map(|i| {
            let fleet = if i % 2 == 0 { one.clone() } else { two.clone() };
            tokio::spawn(async move {
                let mut got = Vec::new();
                while let Some(lease) = fleet.claim(&[]).await.unwrap() {
                    got.push(lease);
                }
                got
            })
        })
        .collect();
    let mut leases = Vec::new();
    for claimer in claimers {
        leases.extend(claimer.await.unwrap());
    }
    let mut units: Vec<(String, String)> = leases.iter().map(|l| (l.team.clone(), l.stream.clone())).collect();
    units.sort();
    units.dedup();
    assert_eq!(units.len(), 15, "every unit claimed");
    assert_eq!(leases.len(), 15, "no unit claimed twice: {leases:#?}");
    assert!(leases.iter().all(|l| l.generation == 1));
    assert!(leases.iter().any(|l| l.holder == "one") && leases.iter().any(|l| l.holder == "two"));

    // Two streams of one team and one rate-limit bucket never run at once.
    let admin = vec![StreamKind::Members, StreamKind::AuditEvents];
    let one = Fleet::join(&store, names(&["d"]), admin.clone(), fleet_options("one", long)).await.unwrap();
    let two = Fleet::join(&store, names(&["d"]), admin, fleet_options("two", long)).await.unwrap();
    let first = one.claim(&[]).await.unwrap().expect("a unit");
    assert_eq!(two.claim(&[]).await.unwrap(), None, "the other stream of the bucket waits");
    assert!(one.release(&first, true).await.unwrap());
    let second = two.claim(&[]).await.unwrap().expect("the other unit, once the first is done");
    assert_ne!(second.stream, first.stream);
    assert!(two.release(&second, true).await.unwrap());
    assert_eq!(one.due(&[]).await.unwrap(), 0, "both done and fresh");

    // A short lease: the holder stops renewing, another worker takes the unit over, and the
    // first one's batch is refused in its own transaction.
    let short = Duration::from_millis(300);
    let members = vec![StreamKind::Members];
    let zombie = Fleet::join(&store, names(&["z"]), members.clone(), fleet_options("zombie", short)).await.unwrap();
    let heir = Fleet::join(&store, names(&["z"]), members, fleet_options("heir", short)).await.unwrap();
    let lost = zombie.claim(&[]).await.unwrap().expect("a unit");
    assert_eq!(heir.claim(&[]).await.unwrap(), None, "a live lease is not taken");
    tokio::time::sleep(short * 2).await;
    let taken = heir.claim(&[]).await.unwrap().expect("the expired lease is taken over");
    assert_eq!((taken.generation, &taken.team, &taken.stream), (lost.generation + 1, &lost.team, &lost.stream));
    let row = || vec![vec![Value::from("a@b.c"), Value::Text(None), Value::from("member"), Value::from("{}")]];
    let table = StreamKind::Members.table();
    let refused = store.write_batch("z", "members", table, row(), 5, Some(&lost)).await;
    assert!(matches!(refused, Err(Error::LeaseLost { .. })), "{refused:?}");
    assert_eq!(store.count("members", "z").await.unwrap(), 0, "no row of the refused batch");
    assert_eq!(store.watermark("z", "members").await.unwrap(), None, "no watermark of the refused batch");
    assert!(!lost.renew(&store).await.unwrap(), "the lost lease cannot be renewed");
    assert!(!zombie.release(&lost, true).await.unwrap(), "nor released");
    let counts = store.write_batch("z", "members", table, row(), 7, Some(&taken)).await.unwrap();
    assert_eq!(counts.inserted, 1);
    assert_eq!(store.watermark("z", "members").await.unwrap(), Some(7));
    // With no freshness at all, a unit finished after a worker joined is still not run
    // again by that worker (it would loop forever), but a worker joining later runs it.
    let eager = |name: &str| FleetOptions { fresh_for: Duration::ZERO, ..fleet_options(name, short) };
    let before = Fleet::join(&store, names(&["z"]), vec![StreamKind::Members], eager("before")).await.unwrap();
    assert!(heir.release(&taken, true).await.unwrap());
    assert_eq!(before.claim(&[]).await.unwrap(), None);
    assert_eq!(before.due(&[]).await.unwrap(), 0);
    let after = Fleet::join(&store, names(&["z"]), vec![StreamKind::Members], eager("after")).await.unwrap();
    assert_eq!(after.claim(&[]).await.unwrap().map(|l| l.generation), Some(taken.generation + 1));
    store.close().await;
}

// ---------------------------------------------------------------------------------------------
// Three worker processes (the test binary running itself), one killed mid-stream.

const WORKER_DB: &str = "CURSOR_SYNC_TEST_WORKER_DB";
const WORKER_BASE_URL: &str = "CURSOR_SYNC_TEST_WORKER_BASE_URL";
const WORKER_ID: &str = "CURSOR_SYNC_TEST_WORKER_ID";
const TEAMS: usize = 20;
/// The lease of the workers: a killed worker's units are taken over this long after its
/// last renewal.
const LEASE: Duration = Duration::from_millis(1_500);

/// Tiny teams: twenty of them sync in a few seconds.
fn tiny_team() -> MockConfig {
    let data = DataSizes {
        members: 8,
        history_days: 14,
        commits: 120,
        changes: 160,
        agents_per_team: 3,
        audit_events_per_day: 4,
    };
    MockConfig { data, ..mock_config() }
}

fn fleet_teams(base_url: &str) -> Vec<Team> {
    (0..TEAMS).map(|i| Team::new(format!("team{i:02}"), client(base_url, &format!("key_fleet_{i:02}")))).collect()
}

fn fleet_sync_options() -> SyncOptions {
    SyncOptions { backfill_days: 12, ..options() }
}

/// Not a test of its own: the body of a fleet worker process the kill test spawns (a no-op
/// when run as part of the suite).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fleet_worker_process() {
    let (Ok(db), Ok(base_url), Ok(worker)) =
        (std::env::var(WORKER_DB), std::env::var(WORKER_BASE_URL), std::env::var(WORKER_ID))
    else {
        return;
    };
    let store = Store::open(&db).await.unwrap();
    let fleet = FleetOptions { units_at_once: 3, ..fleet_options(&worker, LEASE) };
    let report = cursor_sync::run_worker(&store, &fleet_teams(&base_url), &fleet_sync_options(), &fleet).await;
    assert_ok(&report.expect("the worker ran"));
}

fn spawn_worker(db: &str, base_url: &str, worker: &str) -> std::process::Child {
    let envs = [(WORKER_DB, db), (WORKER_BASE_URL, base_url), (WORKER_ID, worker)];
    spawn_self("fleet_worker_process", &envs, std::process::Stdio::null())
}

/// The units `worker` holds.
async fn held_by(store: &Store, worker: &str) -> Vec<(String, String, i64)> {
    sqlx::query("SELECT team, stream, generation FROM leases WHERE holder = $1 ORDER BY team, stream")
        .bind(worker)
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_workers_one_killed_mid_stream_end_with_the_tables_of_one_uninterrupted_sync() {
    let Some(url) = postgres_url() else { return };
    let server = MockServer::start(tiny_team()).await.unwrap();
    let base_url = server.base_url();

    // The reference: one uninterrupted sync of the twenty teams in this process.
    let reference = Store::open(&fresh_postgres_db(&url, "fleet_reference").await).await.unwrap();
    let started = Instant::now();
    assert_ok(&cursor_sync::sync(&reference, &fleet_teams(&base_url), &fleet_sync_options()).await);
    let single = started.elapsed();
    let expected = reference.dump().await.unwrap();
    assert!(expected.values().all(|rows| !rows.is_empty()), "every table has rows");

    // The fleet: three workers; after a random delay, one of them is killed (SIGKILL) at a
    // moment it holds a lease, i.e. mid-stream.
    let fleet_db = fresh_postgres_db(&url, "fleet").await;
    let store = Store::open(&fleet_db).await.unwrap();
    let seed = std::env::var("CURSOR_SYNC_FLEET_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    });
    eprintln!("fleet kill seed {seed} (rerun with CURSOR_SYNC_FLEET_SEED={seed})");
    let mut rng = fastrand::Rng::with_seed(seed);
    let workers = ["worker-0", "worker-1", "worker-2"];
    let mut children: Vec<_> = workers.iter().map(|w| spawn_worker(&fleet_db, &base_url, w)).collect();
    let victim = rng.usize(0..workers.len());
    // Within the first third of a single sync's time: the fleet (less concurrency than one
    // process running every stream at once) is still busy then, so the victim still claims.
    let delay = single.mul_f64(0.3 * rng.f64());
    eprintln!("killing {} after {delay:?} (a single sync took {single:?})", workers[victim]);
    tokio::time::sleep(delay).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    let held = loop {
        let held = held_by(&store, workers[victim]).await;
        if !held.is_empty() {
            break held;
        }
        assert!(children[victim].try_wait().unwrap().is_none(), "seed {seed}: the victim ended before its kill");
        assert!(Instant::now() < deadline, "seed {seed}: the victim never held a lease");
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    // `kill` sends SIGKILL on Unix: no destructor, no rollback, no lease released.
    children[victim].kill().unwrap();
    tokio::task::block_in_place(|| children[victim].wait()).unwrap();
    // What it held at the kill (it may have claimed more between the query and the kill).
    let held_at_kill = held_by(&store, workers[victim]).await;
    assert!(!held_at_kill.is_empty(), "seed {seed}: it held {held:?} a moment before");
    eprintln!("killed {} holding {held_at_kill:?}", workers[victim]);

    for (i, child) in children.iter_mut().enumerate().filter(|(i, _)| *i != victim) {
        let status = tokio::task::block_in_place(|| child.wait()).unwrap();
        assert!(status.success(), "seed {seed}: {} failed", workers[i]);
    }

    // Every unit the victim held was taken over (a later generation) and finished.
    for (team, stream, generation) in &held_at_kill {
        let row =
            sqlx::query("SELECT holder, generation, done_at IS NOT NULL FROM leases WHERE team = $1 AND stream = $2")
                .bind(team)
                .bind(stream)
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(row.get::<Option<String>, _>(0), None, "seed {seed}: {team}/{stream} still held");
        assert!(row.get::<i64, _>(1) > *generation, "seed {seed}: {team}/{stream} was not taken over");
        assert!(row.get::<bool, _>(2), "seed {seed}: {team}/{stream} never finished");
    }
    let unfinished: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM leases WHERE done_at IS NULL OR holder IS NOT NULL")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(unfinished, 0, "seed {seed}: every unit finished and freed");

    // No gap, no duplicate: the tables equal the uninterrupted sync's, row for row.
    let actual = store.dump().await.unwrap();
    for (table, rows) in &expected {
        let got = &actual[table];
        assert_eq!(got.len(), rows.len(), "seed {seed}, {table}: row counts differ");
        assert!(got == rows, "seed {seed}, {table}: rows differ");
    }
    eprintln!("fleet of 3 over {TEAMS} teams, one killed, equals one sync (seed {seed})");
    store.close().await;
    reference.close().await;
    server.shutdown().await;
}
