//! A sync fleet: several `cursor sync --fleet` processes, on one machine or many, share the
//! configured teams' (team, stream) units through leases in PostgreSQL, with no coordinator
//! of their own.
//!
//! A worker claims one unit whose lease is free or expired with `SELECT … FOR UPDATE SKIP
//! LOCKED LIMIT 1` (concurrent claimers skip each other's rows instead of waiting), makes
//! itself the holder, bumps the unit's generation and sets the expiry on the server's clock.
//! It then runs the stream from its watermark with the single-process code, renewing the
//! lease from a heartbeat; every batch's transaction renews it too, on the condition that
//! holder and generation are still this worker's, so a worker that lost its lease (paused or
//! cut off past the expiry while another took the unit over) writes nothing more. A worker
//! killed mid-stream leaves its lease to expire; another claims the unit and reads on from
//! the watermark, and rows are upserted by identity, so there is no gap and no duplicate.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use sqlx::{AnyConnection, Row as _};

use crate::store::{Dialect, Store};
use crate::{Error, StreamKind, StreamReport, SyncOptions, SyncReport, Team};

/// How a fleet worker runs.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetOptions {
    /// This worker's id, stored as the holder of its leases: unique within the fleet.
    pub worker: String,
    /// How long a lease lasts without renewal: a killed worker's units wait this long
    /// before another worker takes them over.
    pub lease: Duration,
    /// How often a running unit renews its lease (well under `lease`, e.g. a tenth).
    pub heartbeat: Duration,
    /// A unit that ran to the end less than this long ago is skipped; the worker exits
    /// when every unit of its teams is that fresh.
    pub fresh_for: Duration,
    /// Units this worker runs at once (of different teams or rate-limit buckets).
    pub units_at_once: usize,
}

impl FleetOptions {
    /// The defaults: 60 s leases renewed every 6 s, units synced in the last 15 minutes
    /// skipped, 4 units at once.
    pub fn new(worker: impl Into<String>) -> Self {
        Self {
            worker: worker.into(),
            lease: Duration::from_secs(60),
            heartbeat: Duration::from_secs(6),
            fresh_for: Duration::from_secs(15 * 60),
            units_at_once: 4,
        }
    }

    /// A worker id unique across machines and restarts: `HOST:PID:START`.
    pub fn default_worker_id() -> String {
        let host = std::fs::read_to_string("/etc/hostname")
            .ok()
            .or_else(|| std::env::var("HOSTNAME").ok())
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "worker".to_owned());
        let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        format!("{host}:{}:{}", std::process::id(), started.as_millis())
    }
}

/// A held lease on one (team, stream) unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Lease {
    /// The team.
    pub team: String,
    /// The stream.
    pub stream: String,
    /// The worker holding it.
    pub holder: String,
    /// The unit's claim count when this worker claimed it.
    pub generation: i64,
    /// How long each renewal extends it.
    seconds: f64,
}

impl Lease {
    /// Extends the lease on `conn` if it is still this holder's and generation's; the
    /// updated row stays locked until `conn`'s transaction ends, so no claim can slip in.
    pub(crate) async fn renew_in(&self, conn: &mut AnyConnection) -> Result<bool, Error> {
        let renewed = sqlx::query(
            "UPDATE leases SET expires_at = clock_timestamp() + make_interval(secs => $1) \
             WHERE team = $2 AND stream = $3 AND holder = $4 AND generation = $5",
        )
        .bind(self.seconds)
        .bind(&self.team)
        .bind(&self.stream)
        .bind(&self.holder)
        .bind(self.generation)
        .execute(conn)
        .await?;
        Ok(renewed.rows_affected() == 1)
    }

    /// Extends the lease; `false` when another worker has taken the unit over.
    pub async fn renew(&self, store: &Store) -> Result<bool, Error> {
        let mut conn = store.pool().acquire().await?;
        self.renew_in(&mut conn).await
    }

    /// The unit's stream.
    fn kind(&self) -> Result<StreamKind, Error> {
        StreamKind::from_name(&self.stream).ok_or_else(|| Error::Config(format!("unknown stream `{}`", self.stream)))
    }
}

/// One worker's view of the fleet: its store, teams, streams and options.
#[derive(Debug, Clone)]
pub struct Fleet {
    store: Store,
    /// When this worker joined, in epoch seconds on the server's clock: a unit finished
    /// since then is never due again for it, however short `fresh_for` is.
    joined: f64,
    teams: Vec<String>,
    streams: Vec<StreamKind>,
    options: FleetOptions,
}

impl Fleet {
    /// Joins the fleet on `store` (PostgreSQL only), registering a unit for each of
    /// `teams` × `streams` that is not there yet.
    pub async fn join(
        store: &Store,
        teams: Vec<String>,
        streams: Vec<StreamKind>,
        options: FleetOptions,
    ) -> Result<Fleet, Error> {
        if store.dialect() != Dialect::Postgres {
            return Err(Error::Config(
                "a sync fleet shares its work through PostgreSQL leases: `--fleet` needs `--db postgres://…` \
                 (SQLite has one writer on one machine; run a single `cursor sync` there)"
                    .into(),
            ));
        }
        if teams.is_empty() || streams.is_empty() || options.units_at_once == 0 {
            return Err(Error::Config("a fleet worker needs teams, streams and at least one unit at once".into()));
        }
        if options.heartbeat >= options.lease {
            return Err(Error::Config("the heartbeat must be shorter than the lease".into()));
        }
        let units: Vec<(&str, StreamKind)> =
            teams.iter().flat_map(|team| streams.iter().map(move |&kind| (team.as_str(), kind))).collect();
        // A few hundred rows a statement keeps a thousand teams' registration to a few dozen
        // statements, far below PostgreSQL's limit of parameters.
        for chunk in units.chunks(300) {
            let values: Vec<String> =
                (0..chunk.len()).map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3)).collect();
            let sql = format!(
                "INSERT INTO leases (team, stream, bucket) VALUES {} ON CONFLICT (team, stream) DO NOTHING",
                values.join(", ")
            );
            let mut query = sqlx::query(&sql);
            for &(team, kind) in chunk {
                query = query.bind(team).bind(kind.name()).bind(bucket_of(kind));
            }
            query.execute(store.pool()).await?;
        }
        let joined: f64 = sqlx::query_scalar("SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS DOUBLE PRECISION)")
            .fetch_one(store.pool())
            .await?;
        Ok(Fleet { store: store.clone(), joined, teams, streams, options })
    }

    /// `WHERE` conditions selecting this worker's due units minus `skip`, with the bind
    /// values after `$1` (the freshness in seconds) and `$2` (when the worker joined).
    fn units_filter(&self, skip: &[(String, String)]) -> (String, Vec<String>) {
        let mut binds = Vec::new();
        let mut list = |values: &mut dyn Iterator<Item = String>| -> String {
            let marks: Vec<String> = values
                .map(|v| {
                    binds.push(v);
                    format!("${}", binds.len() + 2)
                })
                .collect();
            marks.join(", ")
        };
        let teams = list(&mut self.teams.iter().cloned());
        let streams = list(&mut self.streams.iter().map(|k| k.name().to_owned()));
        let mut filter = format!(
            "l.team IN ({teams}) AND l.stream IN ({streams}) \
             AND (l.done_at IS NULL OR (l.done_at < clock_timestamp() - make_interval(secs => $1) \
                  AND l.done_at < to_timestamp($2)))"
        );
        for (team, stream) in skip {
            let team = list(&mut std::iter::once(team.clone()));
            let stream = list(&mut std::iter::once(stream.clone()));
            filter += &format!(" AND NOT (l.team = {team} AND l.stream = {stream})");
        }
        (filter, binds)
    }

    /// Claims one unit that is due (not run to the end within `fresh_for`, nor since this
    /// worker joined), whose lease
    /// is free or expired, and none of whose team's streams of the same rate-limit bucket
    /// is held; `None` when there is none right now. Units in `skip` are left alone.
    pub async fn claim(&self, skip: &[(String, String)]) -> Result<Option<Lease>, Error> {
        let (filter, binds) = self.units_filter(skip);
        let sql = format!(
            "SELECT l.team, l.stream, l.generation FROM leases l WHERE {filter} \
             AND (l.holder IS NULL OR l.expires_at < clock_timestamp()) \
             AND NOT EXISTS (SELECT 1 FROM leases o WHERE o.team = l.team AND o.bucket = l.bucket \
                 AND o.stream <> l.stream AND o.holder IS NOT NULL AND o.expires_at >= clock_timestamp()) \
             ORDER BY l.done_at NULLS FIRST, l.team, l.stream LIMIT 1 FOR UPDATE OF l SKIP LOCKED"
        );
        let mut tx = self.store.pool().begin().await?;
        let mut query = sqlx::query(&sql).bind(self.options.fresh_for.as_secs_f64()).bind(self.joined);
        for value in &binds {
            query = query.bind(value);
        }
        let Some(row) = query.fetch_optional(&mut *tx).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let lease = Lease {
            team: row.try_get(0)?,
            stream: row.try_get(1)?,
            holder: self.options.worker.clone(),
            generation: row.try_get::<i64, _>(2)? + 1,
            seconds: self.options.lease.as_secs_f64(),
        };
        sqlx::query(
            "UPDATE leases SET holder = $1, generation = $2, expires_at = clock_timestamp() + make_interval(secs => $3) \
             WHERE team = $4 AND stream = $5",
        )
        .bind(&lease.holder)
        .bind(lease.generation)
        .bind(lease.seconds)
        .bind(&lease.team)
        .bind(&lease.stream)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(lease))
    }

    /// Units of this worker's teams that are due (held or not), minus `skip`: the worker
    /// is done when none is left.
    pub async fn due(&self, skip: &[(String, String)]) -> Result<i64, Error> {
        let (filter, binds) = self.units_filter(skip);
        let sql = format!("SELECT COUNT(*) FROM leases l WHERE {filter}");
        let mut query = sqlx::query_scalar::<_, i64>(&sql).bind(self.options.fresh_for.as_secs_f64()).bind(self.joined);
        for value in &binds {
            query = query.bind(value);
        }
        Ok(query.fetch_one(self.store.pool()).await?)
    }

    /// Frees the lease, marking the unit done now if `done`; `false` when the lease was
    /// no longer this worker's.
    pub async fn release(&self, lease: &Lease, done: bool) -> Result<bool, Error> {
        let released = sqlx::query(
            "UPDATE leases SET holder = NULL, expires_at = NULL, \
             done_at = CASE WHEN $1 = 1 THEN clock_timestamp() ELSE done_at END \
             WHERE team = $2 AND stream = $3 AND holder = $4 AND generation = $5",
        )
        .bind(i64::from(done))
        .bind(&lease.team)
        .bind(&lease.stream)
        .bind(&lease.holder)
        .bind(lease.generation)
        .execute(self.store.pool())
        .await?;
        Ok(released.rows_affected() == 1)
    }
}

/// The index in [`StreamKind::BUCKETS`] of the group `kind` belongs to.
fn bucket_of(kind: StreamKind) -> i64 {
    let index = StreamKind::BUCKETS.iter().position(|group| group.contains(&kind)).unwrap_or(0);
    i64::try_from(index).unwrap_or(0)
}

/// Renews `lease` every `every` until a renewal fails, and answers why: the lease was lost,
/// or the database failed (then the lease expires and another worker takes the unit over).
async fn heartbeat(store: &Store, lease: &Lease, every: Duration) -> Error {
    loop {
        tokio::time::sleep(every).await;
        match lease.renew(store).await {
            Ok(true) => {}
            Ok(false) => return Error::LeaseLost { team: lease.team.clone(), stream: lease.stream.clone() },
            Err(error) => return error,
        }
    }
}

/// Runs one fleet worker: joins the fleet of `teams` × `options.streams` on `store` and
/// claims, runs and releases units, `fleet.units_at_once` at a time, until every unit of
/// its teams is fresh (units held by other workers are waited for, so a unit of a killed
/// worker is taken over when its lease expires). A unit that fails is reported, freed for
/// the other workers and not tried again by this one. The report lists the units this
/// worker ran.
pub async fn run_worker(
    store: &Store,
    teams: &[Team],
    options: &SyncOptions,
    fleet: &FleetOptions,
) -> Result<SyncReport, Error> {
    let started = Instant::now();
    let names = teams.iter().map(|t| t.name.clone()).collect();
    let shared = Fleet::join(store, names, options.streams.clone(), fleet.clone()).await?;
    let failed: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
    let reports: Mutex<Vec<StreamReport>> = Mutex::new(Vec::new());
    let slot = || async {
        loop {
            let skip = failed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
            let Some(lease) = shared.claim(&skip).await? else {
                if shared.due(&skip).await? == 0 {
                    return Ok::<(), Error>(());
                }
                // Units are held elsewhere: wait for them to finish or their leases to expire.
                tokio::time::sleep(fleet.heartbeat).await;
                continue;
            };
            let team = teams.iter().find(|t| t.name == lease.team).ok_or_else(|| {
                Error::Config(format!("the fleet gave this worker team `{}`, which it has no key for", lease.team))
            })?;
            let ctx = crate::team_ctx(store, team, options, Some(&lease));
            let report = crate::run_stream(&ctx, lease.kind()?, heartbeat(store, &lease, fleet.heartbeat)).await;
            let done = report.error.is_none();
            if options.progress {
                eprintln!(
                    "{}/{}: {} (generation {})",
                    lease.team,
                    lease.stream,
                    if done { "done" } else { "failed" },
                    lease.generation
                );
            }
            shared.release(&lease, done).await?;
            if !done {
                failed
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((lease.team.clone(), lease.stream.clone()));
            }
            reports.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(report);
        }
    };
    let slots: Vec<_> = (0..fleet.units_at_once).map(|_| slot()).collect();
    let results = futures_util::future::join_all(slots).await;
    let mut streams = reports.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    streams.sort_by(|a, b| (&a.team, a.stream).cmp(&(&b.team, b.stream)));
    results.into_iter().collect::<Result<Vec<()>, Error>>()?;
    Ok(SyncReport { streams, seconds: started.elapsed().as_secs_f64() })
}
