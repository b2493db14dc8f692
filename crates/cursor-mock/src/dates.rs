//! The four date dialects the APIs accept, and the timestamp formats they answer with.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// `2025-07-30T14:12:03.000Z`: the Admin, Analytics and AI-code timestamp format.
/// Written by hand: it runs once per CSV row, millions of times.
pub fn iso_millis(at: OffsetDateTime) -> String {
    let at = at.to_offset(UtcOffset::UTC);
    let (year, month, day) = at.to_calendar_date();
    let (hour, minute, second, milli) = at.to_hms_milli();
    format!("{year:04}-{:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{milli:03}Z", u8::from(month))
}

/// `2024-01-15T10:30:00Z`: the Cloud Agents timestamp format.
pub fn iso_seconds(at: OffsetDateTime) -> String {
    let at = at.to_offset(UtcOffset::UTC);
    let fmt = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    at.format(&fmt).unwrap_or_default()
}

/// `2025-01-15`.
pub fn ymd(date: Date) -> String {
    let fmt = format_description!("[year]-[month]-[day]");
    date.format(&fmt).unwrap_or_default()
}

/// Epoch milliseconds of an instant.
pub fn epoch_ms(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

/// The instant of an epoch-milliseconds value.
pub fn from_epoch_ms(ms: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
}

/// Midnight UTC of a date.
pub fn midnight(date: Date) -> OffsetDateTime {
    PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc()
}

fn parse_ymd(s: &str) -> Option<Date> {
    let fmt = format_description!("[year]-[month]-[day]");
    Date::parse(s, &fmt).ok()
}

/// ISO 8601 date-times: with `Z`, with an offset, or without either (read as UTC).
fn parse_iso_datetime(s: &str) -> Option<OffsetDateTime> {
    if let Ok(at) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(at.to_offset(UtcOffset::UTC));
    }
    let naive = [
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond]"),
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
        format_description!("[year]-[month]-[day]T[hour]:[minute]"),
    ];
    naive.iter().find_map(|fmt| PrimitiveDateTime::parse(s, fmt).ok()).map(PrimitiveDateTime::assume_utc)
}

/// `7d`, `5h`, `300s` (the allowed units are given) into an amount and a unit.
fn parse_relative(s: &str, units: &[char]) -> Option<Duration> {
    let unit = s.chars().last()?;
    if !units.contains(&unit) {
        return None;
    }
    let digits = &s[..s.len() - unit.len_utf8()];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let amount: i64 = digits.parse().ok()?;
    match unit {
        'd' => Some(Duration::days(amount)),
        'h' => Some(Duration::hours(amount)),
        's' => Some(Duration::seconds(amount)),
        _ => None,
    }
}

/// Audit-log `startTime`/`endTime`: `now`, `today`, `yesterday`, `7d`, `5h`, `300s`, ISO 8601,
/// `YYYY-MM-DD`, unix seconds or milliseconds.
pub fn parse_audit_time(raw: &str, now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    let s = raw.trim();
    let today = midnight(now.date());
    match s {
        "now" => return Ok(now),
        "today" => return Ok(today),
        "yesterday" => return Ok(today - Duration::days(1)),
        _ => {}
    }
    if let Some(ago) = parse_relative(s, &['d', 'h', 's']) {
        return Ok(now - ago);
    }
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        let value: i64 = s.parse().map_err(|_| invalid_time(raw))?;
        // Seconds reach 11 digits only after the year 5138, so more digits mean milliseconds.
        let at = if s.len() >= 12 { from_epoch_ms(value) } else { OffsetDateTime::from_unix_timestamp(value).ok() };
        return at.ok_or_else(|| invalid_time(raw));
    }
    if let Some(date) = parse_ymd(s) {
        return Ok(midnight(date));
    }
    parse_iso_datetime(s).ok_or_else(|| invalid_time(raw))
}

fn invalid_time(raw: &str) -> String {
    format!(
        "Invalid date format: '{raw}'. Use now, today, yesterday, Nd, Nh, Ns, ISO 8601, YYYY-MM-DD or a unix timestamp"
    )
}

/// Analytics `startDate`/`endDate`: `YYYY-MM-DD`, ISO 8601 (time ignored), `now`, `today`,
/// `yesterday`, `Nd`. Everything resolves to a day.
pub fn parse_analytics_date(raw: &str, now: OffsetDateTime) -> Result<Date, String> {
    let s = raw.trim();
    let today = now.to_offset(UtcOffset::UTC).date();
    match s {
        "now" | "today" => return Ok(today),
        "yesterday" => return Ok(today - Duration::days(1)),
        _ => {}
    }
    if let Some(ago) = parse_relative(s, &['d']) {
        return Ok(today - ago);
    }
    if let Some(date) = parse_ymd(s) {
        return Ok(date);
    }
    parse_iso_datetime(s)
        .map(|at| at.date())
        .ok_or_else(|| format!("Invalid date format: '{raw}'. Use YYYY-MM-DD, ISO 8601, now, today, yesterday or Nd"))
}

/// AI-code `startDate`/`endDate`: ISO 8601 (a bare date is midnight UTC), `now`, `Nd`.
pub fn parse_aicode_time(raw: &str, now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    let s = raw.trim();
    if s == "now" {
        return Ok(now);
    }
    if let Some(ago) = parse_relative(s, &['d']) {
        return Ok(now - ago);
    }
    if let Some(date) = parse_ymd(s) {
        return Ok(midnight(date));
    }
    parse_iso_datetime(s)
        .ok_or_else(|| format!("Invalid date format: '{raw}'. Use an ISO 8601 date, now, or Nd (days ago)"))
}

/// First day of the billing cycle containing `date`, and first day of the next one.
pub fn cycle_bounds(date: Date) -> (Date, Date) {
    let start = Date::from_calendar_date(date.year(), date.month(), 1).unwrap_or(date);
    let (year, month) = match date.month() {
        Month::December => (date.year() + 1, Month::January),
        m => (date.year(), m.next()),
    };
    let end = Date::from_calendar_date(year, month, 1).unwrap_or(date);
    (start, end)
}

/// Serde for calendar times as RFC 3339 text (the state's `OffsetDateTime` fields).
pub(crate) mod rfc3339 {
    use serde::{Deserialize as _, Deserializer, Serializer};
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    /// Writes the time as RFC 3339.
    pub(crate) fn serialize<S: Serializer>(value: &OffsetDateTime, serializer: S) -> Result<S::Ok, S::Error> {
        let text = value.format(&Rfc3339).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }

    /// Reads an RFC 3339 time.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<OffsetDateTime, D::Error> {
        let text = String::deserialize(deserializer)?;
        OffsetDateTime::parse(&text, &Rfc3339).map_err(serde::de::Error::custom)
    }

    /// The same for optional times.
    pub(crate) mod option {
        use serde::{Deserialize as _, Deserializer, Serializer};
        use time::OffsetDateTime;

        /// Writes the time as RFC 3339, or `null`.
        pub(crate) fn serialize<S: Serializer>(
            value: &Option<OffsetDateTime>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads an RFC 3339 time or `null`.
        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<OffsetDateTime>, D::Error> {
            #[derive(serde::Deserialize)]
            struct Wrapped(#[serde(with = "super")] OffsetDateTime);
            Ok(Option::<Wrapped>::deserialize(deserializer)?.map(|Wrapped(value)| value))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2025-06-15 12:30:00 UTC);

    #[test]
    fn audit_dialect_accepts_every_documented_form() {
        let at = |s| parse_audit_time(s, NOW).unwrap();
        assert_eq!(at("now"), NOW);
        assert_eq!(at("today"), datetime!(2025-06-15 0:00 UTC));
        assert_eq!(at("yesterday"), datetime!(2025-06-14 0:00 UTC));
        assert_eq!(at("7d"), datetime!(2025-06-08 12:30 UTC));
        assert_eq!(at("5h"), datetime!(2025-06-15 7:30 UTC));
        assert_eq!(at("300s"), datetime!(2025-06-15 12:25 UTC));
        assert_eq!(at("2024-01-15T12:00:00Z"), datetime!(2024-01-15 12:00 UTC));
        assert_eq!(at("2024-01-15T10:00:00-05:00"), datetime!(2024-01-15 15:00 UTC));
        assert_eq!(at("2024-01-15"), datetime!(2024-01-15 0:00 UTC));
        assert_eq!(at("1705315200"), datetime!(2024-01-15 10:40 UTC));
        assert_eq!(at("1705315200000"), datetime!(2024-01-15 10:40 UTC));
        assert!(parse_audit_time("last week", NOW).is_err());
    }

    #[test]
    fn analytics_dialect_ignores_time_and_resolves_shortcuts() {
        let day = |s| parse_analytics_date(s, NOW).unwrap();
        assert_eq!(day("2025-01-15T14:30:00Z"), day("2025-01-15"));
        assert_eq!(day("now"), NOW.date());
        assert_eq!(day("yesterday"), NOW.date() - Duration::days(1));
        assert_eq!(day("30d"), NOW.date() - Duration::days(30));
        assert!(parse_analytics_date("5h", NOW).is_err());
    }

    #[test]
    fn aicode_dialect_accepts_iso_now_and_days() {
        assert_eq!(parse_aicode_time("now", NOW).unwrap(), NOW);
        assert_eq!(parse_aicode_time("0d", NOW).unwrap(), NOW);
        assert_eq!(parse_aicode_time("2025-07-01T00:00:00Z", NOW).unwrap(), datetime!(2025-07-01 0:00 UTC));
        assert!(parse_aicode_time("yesterday", NOW).is_err());
    }

    #[test]
    fn timestamps_are_formatted_as_documented() {
        assert_eq!(iso_millis(datetime!(2025-07-30 14:12:03 UTC)), "2025-07-30T14:12:03.000Z");
        assert_eq!(iso_seconds(datetime!(2024-01-15 10:30:00 UTC)), "2024-01-15T10:30:00Z");
        assert_eq!(epoch_ms(datetime!(2024-03-18 0:00 UTC)), 1_710_720_000_000);
    }
}
