//! Dates in the four dialects the APIs speak, and splitting long ranges into capped windows.

use std::fmt;
use std::str::FromStr;

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, Duration, OffsetDateTime, Time, UtcOffset};

use crate::endpoint::DateParams;

const DAY_MS: i64 = 86_400_000;

/// A point in time as a caller may give it to any endpoint. It renders into the dialect each
/// endpoint speaks ([`DateSpec::render`]); relative forms stay relative where the endpoint
/// understands them, because the server caches those best.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSpec {
    /// The current instant (`now`).
    Now,
    /// Midnight UTC today (`today`).
    Today,
    /// Midnight UTC yesterday (`yesterday`).
    Yesterday,
    /// `N` days ago (`7d`).
    DaysAgo(u32),
    /// `N` hours ago (`5h`; audit logs only, resolved elsewhere).
    HoursAgo(u32),
    /// `N` seconds ago (`300s`; audit logs only, resolved elsewhere).
    SecondsAgo(u32),
    /// A calendar day, midnight UTC (`2024-01-15`).
    Date(Date),
    /// An instant (`2024-01-15T12:00:00Z`).
    Instant(OffsetDateTime),
    /// Unix seconds (`1705315200`).
    EpochSeconds(i64),
    /// Unix milliseconds (`1705315200000`).
    EpochMillis(i64),
}

/// A date rendered for the wire: query parameters are text; POST bodies take numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateValue {
    /// A query-string value.
    Text(String),
    /// Epoch milliseconds for a JSON body.
    Millis(i64),
}

impl fmt::Display for DateValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateValue::Text(text) => f.write_str(text),
            DateValue::Millis(ms) => write!(f, "{ms}"),
        }
    }
}

/// A date string that is none of the documented forms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{input}` is not a date: use now, today, yesterday, 7d, 5h, 300s, YYYY-MM-DD, an ISO 8601 instant or unix seconds/milliseconds"
)]
pub struct DateParseError {
    input: String,
}

impl FromStr for DateSpec {
    type Err = DateParseError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let text = input.trim();
        let err = || DateParseError { input: input.to_owned() };
        match text {
            "now" => return Ok(DateSpec::Now),
            "today" => return Ok(DateSpec::Today),
            "yesterday" => return Ok(DateSpec::Yesterday),
            _ => {}
        }
        if let Some((digits, unit)) = text.split_at_checked(text.len().saturating_sub(1))
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            let relative: Option<fn(u32) -> DateSpec> = match unit {
                "d" => Some(DateSpec::DaysAgo),
                "h" => Some(DateSpec::HoursAgo),
                "s" => Some(DateSpec::SecondsAgo),
                _ => None,
            };
            if let Some(relative) = relative {
                return digits.parse().map(relative).map_err(|_| err());
            }
        }
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            let n: i64 = text.parse().map_err(|_| err())?;
            // Ten digits of seconds reach the year 2286; anything past 1e11 must be milliseconds.
            return Ok(if n >= 100_000_000_000 { DateSpec::EpochMillis(n) } else { DateSpec::EpochSeconds(n) });
        }
        if let Ok(date) = Date::parse(text, format_description!("[year]-[month]-[day]")) {
            return Ok(DateSpec::Date(date));
        }
        OffsetDateTime::parse(text, &Rfc3339).map(DateSpec::Instant).map_err(|_| err())
    }
}

impl From<Date> for DateSpec {
    fn from(date: Date) -> Self {
        DateSpec::Date(date)
    }
}

impl From<OffsetDateTime> for DateSpec {
    fn from(instant: OffsetDateTime) -> Self {
        DateSpec::Instant(instant)
    }
}

impl From<std::time::SystemTime> for DateSpec {
    fn from(instant: std::time::SystemTime) -> Self {
        DateSpec::Instant(instant.into())
    }
}

fn midnight(date: Date) -> OffsetDateTime {
    date.with_time(Time::MIDNIGHT).assume_utc()
}

fn from_millis(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Milliseconds since the epoch of an instant.
pub fn to_millis(instant: OffsetDateTime) -> i64 {
    i64::try_from(instant.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn iso_date(date: Date) -> String {
    date.format(format_description!("[year]-[month]-[day]")).unwrap_or_default()
}

fn iso_instant(instant: OffsetDateTime) -> String {
    instant.to_offset(UtcOffset::UTC).format(&Rfc3339).unwrap_or_default()
}

impl DateSpec {
    /// The instant this stands for, relative forms measured from `now`.
    pub fn resolve(&self, now: OffsetDateTime) -> OffsetDateTime {
        let now = now.to_offset(UtcOffset::UTC);
        match *self {
            DateSpec::Now => now,
            DateSpec::Today => midnight(now.date()),
            DateSpec::Yesterday => midnight(now.date()) - Duration::DAY,
            DateSpec::DaysAgo(n) => now - Duration::days(i64::from(n)),
            DateSpec::HoursAgo(n) => now - Duration::hours(i64::from(n)),
            DateSpec::SecondsAgo(n) => now - Duration::seconds(i64::from(n)),
            DateSpec::Date(date) => midnight(date),
            DateSpec::Instant(instant) => instant,
            DateSpec::EpochSeconds(s) => from_millis(s.saturating_mul(1000)),
            DateSpec::EpochMillis(ms) => from_millis(ms),
        }
    }

    /// Renders for an endpoint's dialect. Forms the dialect understands are kept as given
    /// (relative shortcuts cache best); others are resolved against `now` first.
    ///
    /// - audit logs: every form as is;
    /// - epoch-millisecond bodies: resolved to milliseconds;
    /// - analytics: `YYYY-MM-DD`, or `now`/`today`/`yesterday`/`Nd`; an instant is reduced to
    ///   its UTC day, since the server ignores the time and a time defeats caching;
    /// - AI code: `now`, `Nd`, `YYYY-MM-DD` or an ISO 8601 instant.
    pub fn render(&self, dialect: DateParams, now: OffsetDateTime) -> DateValue {
        let text = |s: String| DateValue::Text(s);
        match dialect {
            DateParams::EpochMillisBody => DateValue::Millis(to_millis(self.resolve(now))),
            DateParams::None | DateParams::AuditLog => text(match *self {
                DateSpec::Now => "now".into(),
                DateSpec::Today => "today".into(),
                DateSpec::Yesterday => "yesterday".into(),
                DateSpec::DaysAgo(n) => format!("{n}d"),
                DateSpec::HoursAgo(n) => format!("{n}h"),
                DateSpec::SecondsAgo(n) => format!("{n}s"),
                DateSpec::Date(date) => iso_date(date),
                DateSpec::Instant(instant) => iso_instant(instant),
                DateSpec::EpochSeconds(s) => s.to_string(),
                DateSpec::EpochMillis(ms) => ms.to_string(),
            }),
            DateParams::AnalyticsDay => text(match *self {
                DateSpec::Now => "now".into(),
                DateSpec::Today => "today".into(),
                DateSpec::Yesterday => "yesterday".into(),
                DateSpec::DaysAgo(n) => format!("{n}d"),
                DateSpec::Date(date) => iso_date(date),
                other => iso_date(other.resolve(now).to_offset(UtcOffset::UTC).date()),
            }),
            DateParams::AiCode => text(match *self {
                DateSpec::Now => "now".into(),
                DateSpec::DaysAgo(n) => format!("{n}d"),
                DateSpec::Date(date) => iso_date(date),
                other => iso_instant(other.resolve(now)),
            }),
        }
    }
}

/// One window of a split range. Ends are inclusive, like the APIs' own ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window<T> {
    /// The first instant or day in the window.
    pub start: T,
    /// The last instant or day in the window.
    pub end: T,
}

/// Splits `[start, end]` (inclusive milliseconds) into consecutive windows whose end is at
/// most `max_days` days after their start ("the range cannot exceed 30 days"), that never
/// overlap and together cover the range exactly.
///
/// Windows meet at UTC midnight, so no day straddles two windows: endpoints that answer one
/// row per day (daily usage) would otherwise return the shared day twice.
///
/// An empty list comes back when `end < start`.
pub fn split_millis(start: i64, end: i64, max_days: u32) -> Vec<Window<i64>> {
    let span = i64::from(max_days.max(1)) * DAY_MS;
    let mut windows = Vec::new();
    let mut cursor = start;
    while cursor <= end {
        let day_start = cursor - cursor.rem_euclid(DAY_MS);
        // The rest fits in one window: take it whole rather than leave a sliver for another.
        let window_end = if end.saturating_sub(cursor) <= span { end } else { day_start.saturating_add(span) - 1 };
        windows.push(Window { start: cursor, end: window_end });
        if window_end == i64::MAX {
            break;
        }
        cursor = window_end + 1;
    }
    windows
}

/// Splits the inclusive day range `[start, end]` into windows whose last day is at most
/// `max_days` days after their first.
pub fn split_days(start: Date, end: Date, max_days: u32) -> Vec<Window<Date>> {
    let span = Duration::days(i64::from(max_days.max(1)));
    let mut windows = Vec::new();
    let mut cursor = start;
    while cursor <= end {
        let window_end = cursor.checked_add(span).map_or(end, |d| d.min(end));
        windows.push(Window { start: cursor, end: window_end });
        match window_end.next_day() {
            Some(next) => cursor = next,
            None => break,
        }
    }
    windows
}

/// A range as the caller gave it, and how it renders per request: either as one window that
/// keeps the caller's forms, or as several absolute windows when it is longer than the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// The start (inclusive).
    pub start: DateSpec,
    /// The end (inclusive).
    pub end: DateSpec,
}

impl DateRange {
    /// A range from `start` to `end`.
    pub fn new(start: impl Into<DateSpec>, end: impl Into<DateSpec>) -> Self {
        Self { start: start.into(), end: end.into() }
    }

    /// The last `days` days up to now (`7d` to `now`).
    pub fn last_days(days: u32) -> Self {
        Self { start: DateSpec::DaysAgo(days), end: DateSpec::Now }
    }

    /// Checks the range is not reversed, resolving relative forms against `now`.
    pub fn check_order(&self, now: OffsetDateTime) -> Result<(), String> {
        let (start, end) = (self.start.resolve(now), self.end.resolve(now));
        if end < start {
            return Err(format!(
                "the range ends ({}) before it starts ({}): swap startDate and endDate",
                iso_instant(end),
                iso_instant(start)
            ));
        }
        Ok(())
    }

    /// The (start, end) values to send, one pair per request: a single pair in the caller's
    /// own forms when the range fits in `max_days`, otherwise absolute windows.
    pub fn windows(
        &self,
        dialect: DateParams,
        max_days: Option<u32>,
        now: OffsetDateTime,
    ) -> Vec<(DateValue, DateValue)> {
        let single = || vec![(self.start.render(dialect, now), self.end.render(dialect, now))];
        let Some(max_days) = max_days else { return single() };
        let (start, end) = (self.start.resolve(now), self.end.resolve(now));
        if dialect == DateParams::AnalyticsDay {
            let (first, last) = (start.to_offset(UtcOffset::UTC).date(), end.to_offset(UtcOffset::UTC).date());
            if (last - first).whole_days() <= i64::from(max_days) {
                return single();
            }
            return split_days(first, last, max_days)
                .into_iter()
                .map(|w| (DateValue::Text(iso_date(w.start)), DateValue::Text(iso_date(w.end))))
                .collect();
        }
        let (start_ms, end_ms) = (to_millis(start), to_millis(end));
        if end_ms - start_ms <= i64::from(max_days) * DAY_MS {
            return single();
        }
        split_millis(start_ms, end_ms, max_days)
            .into_iter()
            .map(|w| {
                let render = |ms| DateSpec::EpochMillis(ms).render(dialect, now);
                (render(w.start), render(w.end))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    const NOW: OffsetDateTime = datetime!(2024-01-20 15:30:00 UTC);

    #[test]
    fn parses_every_documented_form() {
        assert_eq!("now".parse(), Ok(DateSpec::Now));
        assert_eq!("today".parse(), Ok(DateSpec::Today));
        assert_eq!("yesterday".parse(), Ok(DateSpec::Yesterday));
        assert_eq!("7d".parse(), Ok(DateSpec::DaysAgo(7)));
        assert_eq!("5h".parse(), Ok(DateSpec::HoursAgo(5)));
        assert_eq!("300s".parse(), Ok(DateSpec::SecondsAgo(300)));
        assert_eq!("2024-01-15".parse(), Ok(DateSpec::Date(date!(2024 - 01 - 15))));
        assert_eq!("2024-01-15T10:00:00-05:00".parse(), Ok(DateSpec::Instant(datetime!(2024-01-15 15:00:00 UTC))));
        assert_eq!("1705315200".parse(), Ok(DateSpec::EpochSeconds(1_705_315_200)));
        assert_eq!("1705315200000".parse(), Ok(DateSpec::EpochMillis(1_705_315_200_000)));
        assert!("last tuesday".parse::<DateSpec>().is_err());
        assert!("d".parse::<DateSpec>().is_err());
    }

    #[test]
    fn renders_audit_log_dialect_as_given() {
        let render = |s: &str| s.parse::<DateSpec>().unwrap().render(DateParams::AuditLog, NOW).to_string();
        for form in ["now", "today", "yesterday", "7d", "5h", "300s", "2024-01-15", "1705315200", "1705315200000"] {
            assert_eq!(render(form), form);
        }
        assert_eq!(render("2024-01-15T10:00:00-05:00"), "2024-01-15T15:00:00Z");
    }

    #[test]
    fn renders_epoch_millis_for_post_bodies() {
        let ms = |spec: DateSpec| spec.render(DateParams::EpochMillisBody, NOW);
        assert_eq!(ms(DateSpec::Date(date!(2024 - 03 - 18))), DateValue::Millis(1_710_720_000_000));
        assert_eq!(ms(DateSpec::EpochSeconds(1_710_720_000)), DateValue::Millis(1_710_720_000_000));
        assert_eq!(ms(DateSpec::Today), DateValue::Millis(to_millis(datetime!(2024-01-20 0:00 UTC))));
        assert_eq!(ms(DateSpec::DaysAgo(1)), DateValue::Millis(to_millis(datetime!(2024-01-19 15:30 UTC))));
    }

    #[test]
    fn renders_analytics_days_reducing_instants_to_their_day() {
        let day = |spec: DateSpec| spec.render(DateParams::AnalyticsDay, NOW).to_string();
        assert_eq!(day(DateSpec::DaysAgo(30)), "30d");
        assert_eq!(day(DateSpec::Yesterday), "yesterday");
        assert_eq!(day(DateSpec::Instant(datetime!(2025-01-15 23:59:59 UTC))), "2025-01-15");
        assert_eq!(day(DateSpec::HoursAgo(20)), "2024-01-19");
        assert_eq!(day(DateSpec::EpochMillis(1_736_899_200_000)), "2025-01-15");
    }

    #[test]
    fn renders_aicode_as_iso_now_or_days() {
        let ai = |spec: DateSpec| spec.render(DateParams::AiCode, NOW).to_string();
        assert_eq!(ai(DateSpec::Now), "now");
        assert_eq!(ai(DateSpec::DaysAgo(14)), "14d");
        assert_eq!(ai(DateSpec::Date(date!(2025 - 07 - 01))), "2025-07-01");
        assert_eq!(ai(DateSpec::Yesterday), "2024-01-19T00:00:00Z");
        assert_eq!(ai(DateSpec::EpochSeconds(1_705_315_200)), "2024-01-15T10:40:00Z");
    }

    #[test]
    fn a_short_range_keeps_the_callers_forms() {
        for days in [7, 30] {
            let range = DateRange::last_days(days);
            let windows = range.windows(DateParams::AnalyticsDay, Some(30), NOW);
            assert_eq!(windows, vec![(DateValue::Text(format!("{days}d")), DateValue::Text("now".into()))]);
        }
        let windows = DateRange::last_days(31).windows(DateParams::AnalyticsDay, Some(30), NOW);
        assert_eq!(windows.len(), 2, "31 days is over the cap");
    }

    #[test]
    fn ninety_days_of_analytics_become_three_day_windows() {
        let range = DateRange::new(date!(2024 - 01 - 01), date!(2024 - 03 - 30));
        let windows = range.windows(DateParams::AnalyticsDay, Some(30), NOW);
        let text: Vec<(String, String)> = windows.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(
            text,
            vec![
                ("2024-01-01".into(), "2024-01-31".into()),
                ("2024-02-01".into(), "2024-03-02".into()),
                ("2024-03-03".into(), "2024-03-30".into()),
            ]
        );
    }

    #[test]
    fn reversed_range_is_refused() {
        let range = DateRange::new(date!(2024 - 02 - 01), date!(2024 - 01 - 01));
        assert!(range.check_order(NOW).unwrap_err().contains("before it starts"));
    }

    proptest! {
        #[test]
        fn millisecond_windows_cover_exactly_without_overlap(start in -10_000_000_000_000i64..10_000_000_000_000, len in 0i64..400 * DAY_MS, max_days in 1u32..120) {
            let end = start + len;
            let windows = split_millis(start, end, max_days);
            prop_assert_eq!(windows.first().map(|w| w.start), Some(start));
            prop_assert_eq!(windows.last().map(|w| w.end), Some(end));
            for w in &windows {
                prop_assert!(w.start <= w.end);
                prop_assert!(w.end - w.start <= i64::from(max_days) * DAY_MS, "window longer than the cap");
            }
            for pair in windows.windows(2) {
                prop_assert_eq!(pair[1].start, pair[0].end + 1, "gap or overlap");
                prop_assert_eq!(pair[1].start.rem_euclid(DAY_MS), 0, "windows meet at UTC midnight");
            }
            // Aligning costs at most one window more than the fewest possible.
            let fewest = (len + 1 + i64::from(max_days) * DAY_MS - 1) / (i64::from(max_days) * DAY_MS);
            prop_assert!(windows.len() as i64 <= fewest + 1);
        }

        #[test]
        fn day_windows_cover_exactly_without_overlap(offset in 0i64..20_000, len in 0i64..800, max_days in 1u32..120) {
            let start = date!(1990 - 01 - 01) + Duration::days(offset);
            let end = start + Duration::days(len);
            let windows = split_days(start, end, max_days);
            prop_assert_eq!(windows.first().map(|w| w.start), Some(start));
            prop_assert_eq!(windows.last().map(|w| w.end), Some(end));
            for w in &windows {
                prop_assert!((w.end - w.start).whole_days() <= i64::from(max_days));
            }
            for pair in windows.windows(2) {
                prop_assert_eq!(pair[0].end.next_day(), Some(pair[1].start));
            }
        }

        #[test]
        fn parse_then_render_audit_dialect_round_trips(n in 0u32..100_000, unit in prop::sample::select(vec!["d", "h", "s"])) {
            let text = format!("{n}{unit}");
            let spec: DateSpec = text.parse().unwrap();
            prop_assert_eq!(spec.render(DateParams::AuditLog, NOW).to_string(), text);
        }
    }
}
