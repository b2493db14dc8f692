//! Dates in the four formats APIs write them in, and splitting long ranges into capped windows.

use std::fmt;
use std::str::FromStr;

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, Duration, OffsetDateTime, Time, UtcOffset};

use crate::endpoint::DateFormat;

const DAY_MS: i64 = 86_400_000;

/// The earliest instant a [`DateSpec`] may stand for: 2000-01-01T00:00:00Z.
pub const EARLIEST: OffsetDateTime = time::macros::datetime!(2000-01-01 0:00 UTC);

/// The latest instant a [`DateSpec`] may stand for: 2100-12-31T23:59:59.999Z.
pub const LATEST: OffsetDateTime = time::macros::datetime!(2100-12-31 23:59:59.999 UTC);

/// The longest relative count [`DateSpec::from_str`] accepts, in days: the whole supported
/// span, so that no clock within it can make a longer count resolve inside it.
const MAX_RELATIVE_DAYS: i64 = 36_890;

/// A point in time as a caller may give it to any endpoint. It renders into the dialect each
/// endpoint speaks ([`DateSpec::render`]); relative forms stay relative where the endpoint
/// understands them, because the server caches those best.
///
/// **Supported span.** Every form must stand for an instant from [`EARLIEST`] (2000-01-01)
/// to [`LATEST`] (2100-12-31, end of day) UTC. Parsing refuses absolute values outside it and
/// relative counts longer than it ([`DateParseError`]); [`DateSpec::resolve`] refuses a value
/// built directly (`DaysAgo(u32::MAX)`, `EpochSeconds(0)`) that resolves outside it, and
/// [`DateRange::check_order`], which every request runs before sending, refuses such a range.
/// Nothing is clamped: a value out of the span is an error that says what to change, never a
/// silent 1970 that a range splitter would turn into hundreds of requests.
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
    /// `N` hours ago (`5h`; sent as is only where the format is [`AsGiven`](DateFormat::AsGiven), resolved elsewhere).
    HoursAgo(u32),
    /// `N` seconds ago (`300s`; sent as is only where the format is [`AsGiven`](DateFormat::AsGiven), resolved elsewhere).
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

/// A date that is none of the documented forms, or one outside the supported span
/// ([`EARLIEST`] to [`LATEST`]). The message says what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct DateParseError {
    input: String,
    reason: Reason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Reason {
    NotADate,
    /// A relative count longer than the supported span.
    CountTooLarge,
    /// Resolves (or would) outside the supported span; the text says to what, when known.
    OutOfSpan(Option<String>),
}

impl DateParseError {
    fn not_a_date(input: &str) -> Self {
        Self { input: input.to_owned(), reason: Reason::NotADate }
    }

    fn out_of_span(input: impl Into<String>, resolved: Option<OffsetDateTime>) -> Self {
        Self { input: input.into(), reason: Reason::OutOfSpan(resolved.map(iso_instant)) }
    }

    /// The text that was refused.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Whether the text had a documented form but stood for a date outside the supported
    /// span ([`EARLIEST`] to [`LATEST`]).
    pub fn is_out_of_range(&self) -> bool {
        !matches!(self.reason, Reason::NotADate)
    }

    fn message(&self) -> String {
        let input = &self.input;
        match &self.reason {
            Reason::NotADate => format!(
                "`{input}` is not a date: use now, today, yesterday, 7d, 5h, 300s, YYYY-MM-DD, an ISO 8601 instant or unix seconds/milliseconds"
            ),
            Reason::CountTooLarge => format!(
                "`{input}` reaches back more than {MAX_RELATIVE_DAYS} days: dates must fall between 2000-01-01 and \
                 2100-12-31 UTC, so give a smaller count or a YYYY-MM-DD date"
            ),
            Reason::OutOfSpan(resolved) => {
                let at = resolved.as_ref().map_or_else(String::new, |at| format!(" ({at})"));
                format!(
                    "`{input}`{at} is outside 2000-01-01 to 2100-12-31 UTC, the dates this SDK sends: give a date \
                     in that span (unix seconds have 10 digits, milliseconds 13)"
                )
            }
        }
    }
}

impl FromStr for DateSpec {
    type Err = DateParseError;

    /// Parses any documented form. Absolute values outside the supported span and relative
    /// counts longer than it are refused (see [`DateSpec`]).
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let spec = parse_form(input)?;
        let too_large = |n: u32, per_day: i64| i64::from(n) > MAX_RELATIVE_DAYS * per_day;
        let in_span = |at: Option<OffsetDateTime>| at.is_some_and(|at| (EARLIEST..=LATEST).contains(&at));
        let refused = match spec {
            DateSpec::DaysAgo(n) => too_large(n, 1),
            DateSpec::HoursAgo(n) => too_large(n, 24),
            DateSpec::SecondsAgo(n) => too_large(n, 86_400),
            DateSpec::Now | DateSpec::Today | DateSpec::Yesterday => false,
            // Absolute forms need no clock: check them now.
            absolute => !in_span(absolute.absolute()),
        };
        if !refused {
            return Ok(spec);
        }
        let reason = match spec {
            DateSpec::DaysAgo(_) | DateSpec::HoursAgo(_) | DateSpec::SecondsAgo(_) => Reason::CountTooLarge,
            absolute => Reason::OutOfSpan(absolute.absolute().map(iso_instant)),
        };
        Err(DateParseError { input: input.to_owned(), reason })
    }
}

/// The form of `input`, before the span check.
fn parse_form(input: &str) -> Result<DateSpec, DateParseError> {
    let text = input.trim();
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
            // Too many digits for a u32 is a count far past the span.
            return digits
                .parse()
                .map(relative)
                .map_err(|_| DateParseError { input: input.to_owned(), reason: Reason::CountTooLarge });
        }
    }
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = text.parse().map_err(|_| DateParseError::out_of_span(input, None))?;
        // Ten digits of seconds reach the year 2286; anything past 1e11 must be milliseconds.
        return Ok(if n >= 100_000_000_000 { DateSpec::EpochMillis(n) } else { DateSpec::EpochSeconds(n) });
    }
    if let Ok(date) = Date::parse(text, format_description!("[year]-[month]-[day]")) {
        return Ok(DateSpec::Date(date));
    }
    OffsetDateTime::parse(text, &Rfc3339).map(DateSpec::Instant).map_err(|_| DateParseError::not_a_date(input))
}

/// The canonical text of each form, which [`DateSpec::from_str`] reads back to the same value:
/// `now`, `today`, `yesterday`, `7d`, `5h`, `300s`, `2024-01-15`, an RFC 3339 instant in UTC,
/// unix seconds or milliseconds.
impl fmt::Display for DateSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            DateSpec::Now => f.write_str("now"),
            DateSpec::Today => f.write_str("today"),
            DateSpec::Yesterday => f.write_str("yesterday"),
            DateSpec::DaysAgo(n) => write!(f, "{n}d"),
            DateSpec::HoursAgo(n) => write!(f, "{n}h"),
            DateSpec::SecondsAgo(n) => write!(f, "{n}s"),
            DateSpec::Date(date) => f.write_str(&iso_date(date)),
            DateSpec::Instant(instant) => f.write_str(&iso_instant(instant)),
            DateSpec::EpochSeconds(s) => write!(f, "{s}"),
            DateSpec::EpochMillis(ms) => write!(f, "{ms}"),
        }
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

fn from_millis(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
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
    /// The instant an absolute form stands for; `None` for relative forms and for values
    /// `time` cannot represent.
    fn absolute(&self) -> Option<OffsetDateTime> {
        match *self {
            DateSpec::Date(date) => Some(midnight(date)),
            DateSpec::Instant(instant) => Some(instant),
            DateSpec::EpochSeconds(s) => OffsetDateTime::from_unix_timestamp(s).ok(),
            DateSpec::EpochMillis(ms) => from_millis(ms),
            _ => None,
        }
    }

    /// The instant this stands for, relative forms measured from `now`.
    ///
    /// Fails, without panicking, for any value outside the supported span ([`EARLIEST`] to
    /// [`LATEST`]), whether built directly (`DaysAgo(u32::MAX)`, `EpochSeconds(0)`) or
    /// resolved against a `now` that puts it there.
    pub fn resolve(&self, now: OffsetDateTime) -> Result<OffsetDateTime, DateParseError> {
        let now = now.to_offset(UtcOffset::UTC);
        let today = || now.replace_time(Time::MIDNIGHT);
        let resolved = match *self {
            DateSpec::Now => Some(now),
            DateSpec::Today => Some(today()),
            DateSpec::Yesterday => today().checked_sub(Duration::DAY),
            DateSpec::DaysAgo(n) => now.checked_sub(Duration::days(i64::from(n))),
            DateSpec::HoursAgo(n) => now.checked_sub(Duration::hours(i64::from(n))),
            DateSpec::SecondsAgo(n) => now.checked_sub(Duration::seconds(i64::from(n))),
            absolute => absolute.absolute(),
        };
        match resolved {
            Some(at) if (EARLIEST..=LATEST).contains(&at) => Ok(at),
            _ => Err(DateParseError::out_of_span(self.to_string(), resolved)),
        }
    }

    /// Renders for an endpoint's dialect. Forms the dialect understands are kept as given
    /// (relative shortcuts cache best); others are resolved against `now` first.
    ///
    /// - [`AsGiven`](DateFormat::AsGiven): every form as is;
    /// - [`EpochMillis`](DateFormat::EpochMillis): resolved to milliseconds;
    /// - [`Days`](DateFormat::Days): `YYYY-MM-DD`, or `now`/`today`/`yesterday`/`Nd`; an
    ///   instant is reduced to its UTC day, since the server ignores the time and a time
    ///   defeats caching;
    /// - [`IsoOrShorthand`](DateFormat::IsoOrShorthand): `now`, `Nd`, `YYYY-MM-DD` or an ISO
    ///   8601 instant.
    ///
    /// A value that [`resolve`](Self::resolve) refuses is rendered as the caller gave it
    /// ([`Display`](fmt::Display)), never clamped; [`DateRange::check_order`], which every
    /// request runs first, refuses it before anything is sent.
    pub fn render(&self, dialect: DateFormat, now: OffsetDateTime) -> DateValue {
        let text = |s: String| DateValue::Text(s);
        let Ok(resolved) = self.resolve(now) else {
            return text(self.to_string());
        };
        match dialect {
            DateFormat::EpochMillis => DateValue::Millis(to_millis(resolved)),
            DateFormat::AsGiven => text(self.to_string()),
            DateFormat::Days => text(match *self {
                DateSpec::Now => "now".into(),
                DateSpec::Today => "today".into(),
                DateSpec::Yesterday => "yesterday".into(),
                DateSpec::DaysAgo(n) => format!("{n}d"),
                DateSpec::Date(date) => iso_date(date),
                _ => iso_date(resolved.to_offset(UtcOffset::UTC).date()),
            }),
            DateFormat::IsoOrShorthand => text(match *self {
                DateSpec::Now => "now".into(),
                DateSpec::DaysAgo(n) => format!("{n}d"),
                DateSpec::Date(date) => iso_date(date),
                _ => iso_instant(resolved),
            }),
        }
    }
}

/// One window of a split range. Millisecond windows ([`split_millis`]) meet exactly, each
/// one's `end` being the next one's `start`; day windows ([`split_days`]) are inclusive and
/// the next starts the day after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window<T> {
    /// The first instant or day in the window.
    pub start: T,
    /// The window's end: the next window's start (milliseconds), or its last day (days).
    pub end: T,
}

/// Splits `[start, end]` (milliseconds) into consecutive windows whose end is at most
/// `max_days` days after their start ("the range cannot exceed 30 days") and that together
/// cover the range exactly, the first starting at `start` and the last ending at `end`.
///
/// Adjacent windows **meet exactly**: a window ends at the millisecond the next one starts,
/// so a server reading each window as `[start, end)` or as `[start, end]` misses no event
/// (with `[start, end]` an event in the seam millisecond is read by both windows, and the
/// pagination layer yields it once, by identity). Seams fall at UTC midnight, so windows
/// split by day where a server answers one row per day.
///
/// An empty list comes back when `end < start`.
pub fn split_millis(start: i64, end: i64, max_days: u32) -> Vec<Window<i64>> {
    let span = i64::from(max_days.max(1)) * DAY_MS;
    let mut windows = Vec::new();
    if end < start {
        return windows;
    }
    let mut cursor = start;
    loop {
        // The rest fits in one window: take it whole rather than leave a sliver for another.
        if end.saturating_sub(cursor) <= span {
            windows.push(Window { start: cursor, end });
            return windows;
        }
        // The midnight `span` after the start of cursor's day: after `cursor` (its day began
        // less than a day before it) by at most `span`, and added in this order it cannot
        // overflow, since `cursor + span < end` here.
        let seam = cursor + (span - cursor.rem_euclid(DAY_MS));
        windows.push(Window { start: cursor, end: seam });
        cursor = seam;
    }
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

    /// Checks both ends resolve inside the supported span ([`EARLIEST`] to [`LATEST`]) and
    /// that the range is not reversed, resolving relative forms against `now`. Every request
    /// with a range runs this before sending; the message says what to change.
    pub fn check_order(&self, now: OffsetDateTime) -> Result<(), String> {
        let start = self.start.resolve(now).map_err(|e| format!("startDate: {e}"))?;
        let end = self.end.resolve(now).map_err(|e| format!("endDate: {e}"))?;
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
    /// own forms when the range fits in `max_days`, otherwise absolute windows (which meet
    /// exactly for instants, see [`split_millis`], and are day-inclusive for [`Days`](DateFormat::Days)).
    /// A range [`check_order`](Self::check_order) refuses comes back as one pair in the
    /// caller's own forms, never clamped.
    pub fn windows(
        &self,
        dialect: DateFormat,
        max_days: Option<u32>,
        now: OffsetDateTime,
    ) -> Vec<(DateValue, DateValue)> {
        let single = || vec![(self.start.render(dialect, now), self.end.render(dialect, now))];
        let Some(max_days) = max_days else { return single() };
        let (Ok(start), Ok(end)) = (self.start.resolve(now), self.end.resolve(now)) else { return single() };
        if dialect == DateFormat::Days {
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
        let render = |s: &str| s.parse::<DateSpec>().unwrap().render(DateFormat::AsGiven, NOW).to_string();
        for form in ["now", "today", "yesterday", "7d", "5h", "300s", "2024-01-15", "1705315200", "1705315200000"] {
            assert_eq!(render(form), form);
        }
        assert_eq!(render("2024-01-15T10:00:00-05:00"), "2024-01-15T15:00:00Z");
    }

    #[test]
    fn renders_epoch_millis_for_post_bodies() {
        let ms = |spec: DateSpec| spec.render(DateFormat::EpochMillis, NOW);
        assert_eq!(ms(DateSpec::Date(date!(2024 - 03 - 18))), DateValue::Millis(1_710_720_000_000));
        assert_eq!(ms(DateSpec::EpochSeconds(1_710_720_000)), DateValue::Millis(1_710_720_000_000));
        assert_eq!(ms(DateSpec::Today), DateValue::Millis(to_millis(datetime!(2024-01-20 0:00 UTC))));
        assert_eq!(ms(DateSpec::DaysAgo(1)), DateValue::Millis(to_millis(datetime!(2024-01-19 15:30 UTC))));
    }

    #[test]
    fn renders_analytics_days_reducing_instants_to_their_day() {
        let day = |spec: DateSpec| spec.render(DateFormat::Days, NOW).to_string();
        assert_eq!(day(DateSpec::DaysAgo(30)), "30d");
        assert_eq!(day(DateSpec::Yesterday), "yesterday");
        assert_eq!(day(DateSpec::Instant(datetime!(2025-01-15 23:59:59 UTC))), "2025-01-15");
        assert_eq!(day(DateSpec::HoursAgo(20)), "2024-01-19");
        assert_eq!(day(DateSpec::EpochMillis(1_736_899_200_000)), "2025-01-15");
    }

    #[test]
    fn renders_aicode_as_iso_now_or_days() {
        let ai = |spec: DateSpec| spec.render(DateFormat::IsoOrShorthand, NOW).to_string();
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
            let windows = range.windows(DateFormat::Days, Some(30), NOW);
            assert_eq!(windows, vec![(DateValue::Text(format!("{days}d")), DateValue::Text("now".into()))]);
        }
        let windows = DateRange::last_days(31).windows(DateFormat::Days, Some(30), NOW);
        assert_eq!(windows.len(), 2, "31 days is over the cap");
    }

    #[test]
    fn ninety_days_of_analytics_become_three_day_windows() {
        let range = DateRange::new(date!(2024 - 01 - 01), date!(2024 - 03 - 30));
        let windows = range.windows(DateFormat::Days, Some(30), NOW);
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
    fn a_45_day_split_has_no_gap_millisecond_at_the_seam() {
        let start = to_millis(datetime!(2024-01-01 12:00 UTC));
        let end = start + 45 * DAY_MS;
        let windows = split_millis(start, end, 30);
        assert_eq!(windows.len(), 2);
        let seam = to_millis(datetime!(2024-01-31 0:00 UTC));
        assert_eq!((windows[0].end, windows[1].start), (seam, seam), "the first window ends where the second starts");
    }

    #[test]
    fn a_long_instant_range_renders_windows_that_meet() {
        let range = DateRange::new(datetime!(2024-01-01 12:00 UTC), datetime!(2024-03-01 12:00 UTC));
        let windows = range.windows(DateFormat::EpochMillis, Some(30), NOW);
        for pair in windows.windows(2) {
            assert_eq!(pair[0].1, pair[1].0);
        }
    }

    #[test]
    fn huge_relative_counts_are_refused_by_parse_with_what_to_change() {
        for text in ["4391842d", "99999999999d", "900000h", "4000000000s"] {
            let err = text.parse::<DateSpec>().unwrap_err();
            assert!(err.is_out_of_range(), "{text}");
            assert!(err.to_string().contains("smaller count"), "{err}");
        }
        assert_eq!("36000d".parse(), Ok(DateSpec::DaysAgo(36_000)), "a count within the span parses");
    }

    #[test]
    fn epoch_values_outside_the_span_are_refused_not_turned_into_1970() {
        for text in ["0", "1", "99999999999", "99999999999999999", "99999999999999999999999", "4102444800000000"] {
            let err = text.parse::<DateSpec>().unwrap_err();
            assert!(err.is_out_of_range(), "{text}");
            assert!(err.to_string().contains("2000-01-01 to 2100-12-31"), "{err}");
        }
        for text in ["1999-12-31", "2101-01-01", "9999-12-31", "1969-12-31T23:59:59Z"] {
            assert!(text.parse::<DateSpec>().unwrap_err().is_out_of_range(), "{text}");
        }
        assert!("2000-01-01".parse::<DateSpec>().is_ok() && "2100-12-31T23:59:59Z".parse::<DateSpec>().is_ok());
    }

    #[test]
    fn resolve_never_panics_and_refuses_values_built_outside_the_span() {
        let extremes = [
            DateSpec::DaysAgo(u32::MAX),
            DateSpec::HoursAgo(u32::MAX),
            DateSpec::SecondsAgo(u32::MAX),
            DateSpec::EpochSeconds(i64::MIN),
            DateSpec::EpochSeconds(i64::MAX),
            DateSpec::EpochSeconds(0),
            DateSpec::EpochMillis(i64::MIN),
            DateSpec::EpochMillis(i64::MAX),
            DateSpec::Date(Date::MIN),
            DateSpec::Date(Date::MAX),
            DateSpec::Instant(OffsetDateTime::new_utc(Date::MIN, Time::MIDNIGHT)),
        ];
        for spec in extremes {
            assert!(spec.resolve(NOW).is_err(), "{spec:?}");
            let _ = spec.render(DateFormat::Days, NOW);
            let _ = spec.render(DateFormat::IsoOrShorthand, NOW);
            assert_eq!(spec.render(DateFormat::EpochMillis, NOW), DateValue::Text(spec.to_string()), "never clamped");
        }
        let far_past = OffsetDateTime::new_utc(Date::MIN, Time::MIDNIGHT);
        assert!(DateSpec::Yesterday.resolve(far_past).is_err());
        assert!(DateSpec::Now.resolve(far_past).is_err(), "a clock outside the span is refused too");
    }

    #[test]
    fn check_order_refuses_out_of_span_ends_before_anything_is_sent() {
        let range = DateRange::new(DateSpec::EpochMillis(0), DateSpec::Now);
        let err = range.check_order(NOW).unwrap_err();
        assert!(err.starts_with("startDate: `0`") && err.contains("2000-01-01 to 2100-12-31"), "{err}");
        let err = DateRange::new(DateSpec::Today, DateSpec::EpochSeconds(i64::MAX)).check_order(NOW).unwrap_err();
        assert!(err.starts_with("endDate:"), "{err}");
        assert!(DateRange::last_days(u32::MAX).check_order(NOW).is_err());
        // Refused ranges are never split into hundreds of windows.
        assert_eq!(
            DateRange::new(DateSpec::EpochSeconds(1), DateSpec::Now)
                .windows(DateFormat::EpochMillis, Some(30), NOW)
                .len(),
            1
        );
    }

    #[test]
    fn reversed_range_is_refused() {
        let range = DateRange::new(date!(2024 - 02 - 01), date!(2024 - 01 - 01));
        assert!(range.check_order(NOW).unwrap_err().contains("before it starts"));
    }

    proptest! {
        #[test]
        fn millisecond_windows_cover_exactly_and_meet_exactly(start in -10_000_000_000_000i64..10_000_000_000_000, len in 0i64..400 * DAY_MS, max_days in 1u32..120) {
            let end = start + len;
            let windows = split_millis(start, end, max_days);
            prop_assert_eq!(windows.first().map(|w| w.start), Some(start));
            prop_assert_eq!(windows.last().map(|w| w.end), Some(end));
            for w in &windows {
                prop_assert!(w.start <= w.end);
                prop_assert!(w.end - w.start <= i64::from(max_days) * DAY_MS, "window longer than the cap");
            }
            for pair in windows.windows(2) {
                prop_assert!(pair[0].start < pair[0].end, "only the last window may be a single instant");
                prop_assert_eq!(pair[1].start, pair[0].end, "adjacent windows share exactly their boundary");
                prop_assert_eq!(pair[1].start.rem_euclid(DAY_MS), 0, "windows meet at UTC midnight");
            }
            // Every millisecond of the range lies in some window, read as `[start, end)` (the
            // last window also holds its end).
            let probe = start + len / 2;
            let holds = |w: &Window<i64>| w.start <= probe && (probe < w.end || (w.end == end && probe == end));
            prop_assert!(windows.iter().any(holds));
            // Aligning costs at most one window more than the fewest possible.
            let fewest = (len.max(1) + i64::from(max_days) * DAY_MS - 1) / (i64::from(max_days) * DAY_MS);
            prop_assert!(windows.len() as i64 <= fewest + 1);
        }

        #[test]
        fn millisecond_windows_never_overflow_at_the_ends_of_i64(start in prop_oneof![Just(i64::MIN), Just(i64::MAX - 40 * DAY_MS), any::<i64>()], len in 0i64..100 * DAY_MS) {
            let end = start.saturating_add(len);
            let windows = split_millis(start, end, 30);
            prop_assert_eq!(windows.last().map(|w| w.end), Some(end));
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
        fn parse_then_render_audit_dialect_round_trips(n in 0u32..=36_890, unit in prop::sample::select(vec!["d", "h", "s"])) {
            let text = format!("{n}{unit}");
            let spec: DateSpec = text.parse().unwrap();
            prop_assert_eq!(spec.render(DateFormat::AsGiven, NOW).to_string(), text);
        }
    }
}
