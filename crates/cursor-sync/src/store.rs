//! The database side: opening SQLite or PostgreSQL through one driver, applying the versioned
//! migrations of its dialect, upserting a batch of rows together with its stream's watermark
//! in one transaction, and dumping tables for comparisons.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::Duration;

use cursor_core::CachedAnswer;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Row as _};

use crate::Error;
use crate::fleet::Lease;

/// Which SQL dialect a store speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite, embedded (bundled with the binary, nothing to install).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// One value bound into a column. Nulls keep their type, which PostgreSQL needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An integer column (also booleans, as 0/1).
    Int(Option<i64>),
    /// A floating-point column (money in fractional cents).
    Real(Option<f64>),
    /// A text column.
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}
impl From<u64> for Value {
    fn from(v: u64) -> Self {
        Value::Int(Some(i64::try_from(v).unwrap_or(i64::MAX)))
    }
}
impl From<Option<u64>> for Value {
    fn from(v: Option<u64>) -> Self {
        Value::Int(v.map(|v| i64::try_from(v).unwrap_or(i64::MAX)))
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(Some(i64::from(v)))
    }
}
impl From<Option<bool>> for Value {
    fn from(v: Option<bool>) -> Self {
        Value::Int(v.map(i64::from))
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(Some(v))
    }
}
impl From<Option<f64>> for Value {
    fn from(v: Option<f64>) -> Self {
        Value::Real(v)
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(Some(v))
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Some(v.to_owned()))
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::Text(v)
    }
}

/// A stream's table: its name, its key columns (after `team`) and every column (after
/// `team`, keys included, `raw` last).
#[derive(Debug)]
pub struct Table {
    /// Table name.
    pub name: &'static str,
    /// Primary-key columns after `team`.
    pub key: &'static [&'static str],
    /// All columns after `team`, in the order rows give their values; the last is `raw`.
    pub columns: &'static [&'static str],
}

/// Every table a sync writes, in a fixed order (for dumps), `sync_state` first. (The fleet's
/// `leases` table is bookkeeping, not data, and is left out.)
pub const TABLES: &[&str] = &[
    "sync_state",
    "members",
    "audit_events",
    "daily_usage",
    "spend",
    "usage_events",
    "aicode_commits",
    "aicode_changes",
    "analytics_team",
    "agents",
];

/// How a batch changed its table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Rows that were not there before.
    pub inserted: u64,
    /// Rows whose values changed.
    pub updated: u64,
    /// Rows read again with the same values.
    pub unchanged: u64,
}

impl Counts {
    /// Adds another batch's counts.
    pub fn add(&mut self, other: Counts) {
        self.inserted += other.inserted;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

/// A database the sync writes to and the report reads from.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    dialect: Dialect,
}

fn migration(version: i64, description: &'static str, sql: &'static str) -> Migration {
    Migration::new(version, Cow::Borrowed(description), MigrationType::Simple, Cow::Borrowed(sql), false)
}

fn migrator(dialect: Dialect) -> Migrator {
    let migrations = match dialect {
        Dialect::Sqlite => vec![
            migration(1, "streams", include_str!("../migrations/sqlite/0001_streams.sql")),
            migration(3, "etags", include_str!("../migrations/sqlite/0003_etags.sql")),
        ],
        Dialect::Postgres => vec![
            migration(1, "streams", include_str!("../migrations/postgres/0001_streams.sql")),
            migration(2, "leases", include_str!("../migrations/postgres/0002_leases.sql")),
            migration(3, "etags", include_str!("../migrations/postgres/0003_etags.sql")),
        ],
    };
    Migrator { migrations: Cow::Owned(migrations), ..Migrator::DEFAULT }
}

impl Store {
    /// Opens (creating a SQLite file when missing) and migrates the database at `url`:
    /// `sqlite:cursor.db`, `sqlite::memory:` or `postgres://user@host:port/db`.
    pub async fn open(url: &str) -> Result<Store, Error> {
        sqlx::any::install_default_drivers();
        let (dialect, url) = if let Some(rest) = url.strip_prefix("sqlite:") {
            let rest = rest.trim_start_matches("//");
            if rest.is_empty() {
                return Err(Error::Config("`--db sqlite:` needs a file name: `sqlite:cursor.db`".into()));
            }
            let sep = if rest.contains('?') { '&' } else { '?' };
            let mode = if rest.contains("mode=") { String::new() } else { format!("{sep}mode=rwc") };
            (Dialect::Sqlite, format!("sqlite:{rest}{mode}"))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Dialect::Postgres, url.to_owned())
        } else {
            return Err(Error::Config(format!(
                "unsupported database URL `{}`: use `sqlite:FILE` or `postgres://…`",
                url.split('@').next_back().unwrap_or_default()
            )));
        };
        let pool = AnyPoolOptions::new()
            // SQLite has one writer: a single connection serializes the streams' short write
            // transactions instead of failing them with SQLITE_BUSY.
            .max_connections(if dialect == Dialect::Sqlite { 1 } else { 8 })
            .acquire_timeout(Duration::from_secs(600))
            .connect(&url)
            .await?;
        migrator(dialect).run(&pool).await?;
        Ok(Store { pool, dialect })
    }

    /// The dialect.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The connection pool, for queries of your own.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Where `stream` of `team` stands (epoch milliseconds), if it ever completed a batch.
    pub async fn watermark(&self, team: &str, stream: &str) -> Result<Option<i64>, Error> {
        let row = sqlx::query("SELECT watermark_ms FROM sync_state WHERE team = $1 AND stream = $2")
            .bind(team)
            .bind(stream)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(row) => Some(row.try_get::<i64, _>(0)?),
            None => None,
        })
    }

    /// The `ETag` answers saved for `team`'s client by the last run (see
    /// [`cursor_core::Client::cached_answers`]).
    pub async fn etags(&self, team: &str) -> Result<Vec<CachedAnswer>, Error> {
        let rows = sqlx::query("SELECT request, etag, body FROM etags WHERE team = $1 ORDER BY seq")
            .bind(team)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let (request, etag, body): (String, String, String) =
                    (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
                Ok(CachedAnswer::new(request, etag, body))
            })
            .collect()
    }

    /// Replaces `team`'s saved `ETag` answers with `answers`, in one transaction. Bodies that
    /// are not UTF-8 (never a JSON answer) are not saved.
    pub async fn save_etags(&self, team: &str, answers: &[CachedAnswer]) -> Result<(), Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM etags WHERE team = $1").bind(team).execute(&mut *tx).await?;
        for (seq, answer) in answers.iter().enumerate() {
            let Ok(body) = std::str::from_utf8(&answer.body) else { continue };
            sqlx::query("INSERT INTO etags (team, request, seq, etag, body) VALUES ($1, $2, $3, $4, $5)")
                .bind(team)
                .bind(&answer.key)
                .bind(i64::try_from(seq).unwrap_or(i64::MAX))
                .bind(&answer.etag)
                .bind(body)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Upserts `rows` into `table` for `team` and moves `stream`'s watermark to
    /// `watermark_ms`, all in one transaction: either every row and the watermark are
    /// stored, or none. A row whose `raw` is unchanged is left alone (counted as unchanged).
    ///
    /// With a fleet `lease`, the same transaction first renews the lease on the condition
    /// that it is still this holder's and generation's (locking the lease row until the
    /// commit, so nobody can claim it in between): a worker that lost its lease gets
    /// [`Error::LeaseLost`] and writes nothing.
    pub async fn write_batch(
        &self,
        team: &str,
        stream: &str,
        table: &Table,
        rows: Vec<Vec<Value>>,
        watermark_ms: i64,
        lease: Option<&Lease>,
    ) -> Result<Counts, Error> {
        let sql = upsert_sql(table);
        let count_sql = format!("SELECT COUNT(*) FROM {} WHERE team = $1", table.name);
        let total = rows.len() as u64;
        let mut tx = self.pool.begin().await?;
        if let Some(lease) = lease {
            if lease.team != team || lease.stream != stream {
                return Err(Error::Config(format!(
                    "the lease of {}/{} guards no other stream",
                    lease.team, lease.stream
                )));
            }
            if !lease.renew_in(&mut tx).await? {
                return Err(Error::LeaseLost { team: team.to_owned(), stream: stream.to_owned() });
            }
        }
        let before: i64 = sqlx::query(&count_sql).bind(team).fetch_one(&mut *tx).await?.try_get(0)?;
        let mut changed = 0u64;
        for row in rows {
            debug_assert_eq!(row.len(), table.columns.len(), "{}: wrong number of values", table.name);
            let mut query = sqlx::query(&sql).bind(team);
            for value in row {
                query = match value {
                    Value::Int(v) => query.bind(v),
                    Value::Real(Some(v)) => query.bind(v),
                    // sqlx 0.8's Any driver swaps the types of null floats when it hands
                    // them to PostgreSQL (a null `f64` goes out as `float4`, which a
                    // `float8` parameter refuses): a null `f32` goes out as `float8`.
                    Value::Real(None) => query.bind(None::<f32>),
                    Value::Text(v) => query.bind(v),
                };
            }
            changed += query.execute(&mut *tx).await?.rows_affected();
        }
        let after: i64 = sqlx::query(&count_sql).bind(team).fetch_one(&mut *tx).await?.try_get(0)?;
        sqlx::query(
            "INSERT INTO sync_state (team, stream, watermark_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (team, stream) DO UPDATE SET watermark_ms = excluded.watermark_ms",
        )
        .bind(team)
        .bind(stream)
        .bind(watermark_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let inserted = u64::try_from(after - before).unwrap_or(0);
        let updated = changed.saturating_sub(inserted);
        // A batch may hold one key twice (overlapping pages): the second write is unchanged.
        Ok(Counts { inserted, updated, unchanged: total.saturating_sub(inserted + updated) })
    }

    /// Every row of every table, each rendered as one line of `column=value` pairs, sorted:
    /// two stores hold the same data exactly when their dumps are equal.
    pub async fn dump(&self) -> Result<BTreeMap<String, Vec<String>>, Error> {
        let mut out = BTreeMap::new();
        for table in TABLES {
            let rows = sqlx::query(&format!("SELECT * FROM {table}")).fetch_all(&self.pool).await?;
            let mut lines: Vec<String> = rows.iter().map(render_row).collect();
            lines.sort();
            out.insert((*table).to_owned(), lines);
        }
        Ok(out)
    }

    /// Rows of `table` for `team`.
    pub async fn count(&self, table: &str, team: &str) -> Result<i64, Error> {
        if !TABLES.contains(&table) {
            return Err(Error::Config(format!("no table `{table}`")));
        }
        let row = sqlx::query(&format!("SELECT COUNT(*) FROM {table} WHERE team = $1"))
            .bind(team)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }
}

fn upsert_sql(table: &Table) -> String {
    let columns: Vec<&str> = std::iter::once("team").chain(table.columns.iter().copied()).collect();
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    let key: Vec<&str> = std::iter::once("team").chain(table.key.iter().copied()).collect();
    let updates: Vec<String> =
        table.columns.iter().filter(|c| !table.key.contains(c)).map(|c| format!("{c} = excluded.{c}")).collect();
    format!(
        "INSERT INTO {name} ({columns}) VALUES ({placeholders}) ON CONFLICT ({key}) DO UPDATE SET {updates} \
         WHERE {name}.raw <> excluded.raw",
        name = table.name,
        columns = columns.join(", "),
        placeholders = placeholders.join(", "),
        key = key.join(", "),
        updates = updates.join(", "),
    )
}

/// One row as `col=value|col=value…`, with the same text for the same value in both dialects.
fn render_row(row: &AnyRow) -> String {
    use sqlx::Column as _;
    let mut parts = Vec::with_capacity(row.columns().len());
    for (i, column) in row.columns().iter().enumerate() {
        let value = if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
            v.map_or("NULL".to_owned(), |v| v.to_string())
        } else if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
            v.map_or("NULL".to_owned(), |v| format!("{v:?}"))
        } else if let Ok(v) = row.try_get::<Option<String>, _>(i) {
            v.map_or("NULL".to_owned(), |v| format!("{v:?}"))
        } else {
            "?".to_owned()
        };
        parts.push(format!("{}={value}", column.name()));
    }
    parts.join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upserts_update_only_columns_outside_the_key_and_only_when_raw_changed() {
        let table = Table { name: "t", key: &["k"], columns: &["k", "v", "raw"] };
        assert_eq!(
            upsert_sql(&table),
            "INSERT INTO t (team, k, v, raw) VALUES ($1, $2, $3, $4) ON CONFLICT (team, k) DO UPDATE SET \
             v = excluded.v, raw = excluded.raw WHERE t.raw <> excluded.raw"
        );
    }
}
