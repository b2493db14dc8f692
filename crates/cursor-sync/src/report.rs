//! The team report read from a synced database instead of the API: members, top spenders of
//! the latest billing cycle, usage per day, daily active users, AI code and agents.

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::Row as _;

use crate::{Error, Store};

const DAY_MS: i64 = 86_400_000;
/// How many top spenders the report keeps.
const TOP: i64 = 5;

/// One top spender of the latest billing cycle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spender {
    /// Display name.
    pub name: Option<String>,
    /// Email.
    pub email: String,
    /// Spend in (fractional) cents.
    pub spend_cents: f64,
}

/// One day of usage.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DayUsage {
    /// Usage events that day.
    pub events: u64,
    /// What the dashboard shows for them, in cents.
    pub cents: f64,
    /// Members active that day (daily usage).
    pub active_members: u64,
    /// Lines added that day (daily usage).
    pub lines_added: u64,
    /// Lines added from accepted AI suggestions (daily usage).
    pub accepted_lines_added: u64,
    /// Tab completions accepted (daily usage).
    pub tabs_accepted: u64,
    /// Daily active users (Analytics).
    pub dau: Option<u64>,
}

/// A team's report, read from the database.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DbReport {
    /// The team.
    pub team: String,
    /// Members in all.
    pub members: u64,
    /// Members per role.
    pub members_by_role: BTreeMap<String, u64>,
    /// The latest billing cycle synced (epoch ms).
    pub cycle_start_ms: Option<i64>,
    /// The top spenders of that cycle.
    pub top_spenders: Vec<Spender>,
    /// Usage per day (`YYYY-MM-DD`) over the report's days.
    pub days: BTreeMap<String, DayUsage>,
    /// AI-code commits ingested over the report's days.
    pub commits: u64,
    /// Lines those commits added.
    pub commit_lines_added: u64,
    /// Of which by AI (Tab + Composer).
    pub commit_ai_lines_added: u64,
    /// Agents per status.
    pub agents_by_status: BTreeMap<String, u64>,
    /// Each stream's watermark (epoch ms): how fresh the data is.
    pub watermarks: BTreeMap<String, i64>,
}

fn day_of(ms: i64) -> String {
    let date = cursor_core::time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map(|t| t.date())
        .unwrap_or(cursor_core::time::Date::MIN);
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

impl Store {
    /// The teams that have synced rows.
    pub async fn teams(&self) -> Result<Vec<String>, Error> {
        let rows = sqlx::query("SELECT DISTINCT team FROM sync_state ORDER BY team").fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok(r.try_get::<String, _>(0)?)).collect()
    }
}

impl DbReport {
    /// The report of `team` over the `days` UTC days that end with the day of `now_ms`.
    pub async fn load(store: &Store, team: &str, now_ms: i64, days: u32) -> Result<DbReport, Error> {
        let pool = store.pool();
        let since = now_ms.div_euclid(DAY_MS) * DAY_MS - (i64::from(days.max(1)) - 1) * DAY_MS;

        let mut members_by_role = BTreeMap::new();
        for row in sqlx::query("SELECT role, COUNT(*) FROM members WHERE team = $1 GROUP BY role")
            .bind(team)
            .fetch_all(pool)
            .await?
        {
            members_by_role.insert(row.try_get::<String, _>(0)?, count(row.try_get(1)?));
        }

        let cycle_start_ms: Option<i64> = sqlx::query("SELECT MAX(cycle_start_ms) FROM spend WHERE team = $1")
            .bind(team)
            .fetch_one(pool)
            .await?
            .try_get(0)?;
        let mut top_spenders = Vec::new();
        if let Some(cycle) = cycle_start_ms {
            for row in sqlx::query(
                "SELECT name, email, spend_cents FROM spend WHERE team = $1 AND cycle_start_ms = $2 \
                 ORDER BY spend_cents DESC, email LIMIT $3",
            )
            .bind(team)
            .bind(cycle)
            .bind(TOP)
            .fetch_all(pool)
            .await?
            {
                top_spenders.push(Spender {
                    name: row.try_get(0)?,
                    email: row.try_get(1)?,
                    spend_cents: row.try_get(2)?,
                });
            }
        }

        // Summed in key order, so that both dialects add the same floats in the same order.
        let mut days_map: BTreeMap<String, DayUsage> = BTreeMap::new();
        for row in sqlx::query(
            "SELECT timestamp_ms, dashboard_cents FROM usage_events WHERE team = $1 AND timestamp_ms >= $2 \
             ORDER BY timestamp_ms, user_email, model, kind, seq",
        )
        .bind(team)
        .bind(since)
        .fetch_all(pool)
        .await?
        {
            let day = days_map.entry(day_of(row.try_get(0)?)).or_default();
            day.events += 1;
            day.cents += row.try_get::<f64, _>(1)?;
        }
        for row in sqlx::query(
            "SELECT date_ms, is_active, total_lines_added, accepted_lines_added, total_tabs_accepted \
             FROM daily_usage WHERE team = $1 AND date_ms >= $2",
        )
        .bind(team)
        .bind(since)
        .fetch_all(pool)
        .await?
        {
            let day = days_map.entry(day_of(row.try_get(0)?)).or_default();
            day.active_members += count(row.try_get(1)?);
            day.lines_added += count(row.try_get(2)?);
            day.accepted_lines_added += count(row.try_get(3)?);
            day.tabs_accepted += count(row.try_get(4)?);
        }
        let first_day = day_of(since);
        for row in sqlx::query("SELECT day, raw FROM analytics_team WHERE team = $1 AND metric = 'dau' AND day >= $2")
            .bind(team)
            .bind(&first_day)
            .fetch_all(pool)
            .await?
        {
            let raw: String = row.try_get(1)?;
            let dau = serde_json::from_str::<serde_json::Value>(&raw)?.get("dau").and_then(serde_json::Value::as_u64);
            days_map.entry(row.try_get(0)?).or_default().dau = dau;
        }

        let commits = sqlx::query(
            "SELECT COUNT(*), CAST(SUM(total_lines_added) AS BIGINT), CAST(SUM(tab_lines_added) AS BIGINT), \
             CAST(SUM(composer_lines_added) AS BIGINT) FROM aicode_commits WHERE team = $1 AND created_at_ms >= $2",
        )
        .bind(team)
        .bind(since)
        .fetch_one(pool)
        .await?;
        let sum = |i: usize| -> Result<u64, Error> { Ok(count(commits.try_get::<Option<i64>, _>(i)?.unwrap_or(0))) };

        let mut agents_by_status = BTreeMap::new();
        for row in sqlx::query("SELECT status, COUNT(*) FROM agents WHERE team = $1 GROUP BY status")
            .bind(team)
            .fetch_all(pool)
            .await?
        {
            agents_by_status.insert(row.try_get::<String, _>(0)?, count(row.try_get(1)?));
        }
        let mut watermarks = BTreeMap::new();
        for row in sqlx::query("SELECT stream, watermark_ms FROM sync_state WHERE team = $1")
            .bind(team)
            .fetch_all(pool)
            .await?
        {
            watermarks.insert(row.try_get::<String, _>(0)?, row.try_get::<i64, _>(1)?);
        }

        Ok(DbReport {
            team: team.to_owned(),
            members: members_by_role.values().sum(),
            members_by_role,
            cycle_start_ms,
            top_spenders,
            days: days_map,
            commits: sum(0)?,
            commit_lines_added: sum(1)?,
            commit_ai_lines_added: sum(2)? + sum(3)?,
            agents_by_status,
            watermarks,
        })
    }
}
