//! Fuzz-style properties of the date parser: no string panics `parse`, and no value a caller
//! can build panics `resolve`, `render` or a range's checks; every valid form round-trips
//! through `Display` and `parse`; whatever parses resolves inside the supported span or is
//! refused with an error, never clamped.

use cursor_core::dates::{EARLIEST, LATEST};
use cursor_core::time::{Date, Duration, OffsetDateTime, Time, UtcOffset};
use cursor_core::{DateFormat, DateRange, DateSpec, DateValue};
use proptest::prelude::*;

const NOW: OffsetDateTime = cursor_core::time::macros::datetime!(2025-08-01 12:34:56.789 UTC);

const DIALECTS: [DateFormat; 4] =
    [DateFormat::AsGiven, DateFormat::EpochMillis, DateFormat::Days, DateFormat::IsoOrShorthand];

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Text shaped like the documented forms, close enough to hit every branch of the parser.
fn date_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{0,25}[dhs]?",
        "-?[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,12})?(Z|[+-][0-9]{2}:[0-9]{2})",
        "(now|today|yesterday|NOW| now |to day|)",
        "\\PC{0,40}",
        any::<String>(),
    ]
}

/// Any value of the type, including ones no string parses to.
fn any_spec() -> impl Strategy<Value = DateSpec> {
    let date =
        (-9999i32..=9999, 1u16..=366).prop_map(|(y, d)| Date::from_ordinal_date(y, d.min(365)).unwrap_or(Date::MIN));
    let instant = (any::<i64>(), -86_399i32..=86_399).prop_map(|(s, offset)| {
        let at = OffsetDateTime::from_unix_timestamp(s % 253_402_300_799).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        at.to_offset(UtcOffset::from_whole_seconds(offset).unwrap_or(UtcOffset::UTC))
    });
    prop_oneof![
        Just(DateSpec::Now),
        Just(DateSpec::Today),
        Just(DateSpec::Yesterday),
        any::<u32>().prop_map(DateSpec::DaysAgo),
        any::<u32>().prop_map(DateSpec::HoursAgo),
        any::<u32>().prop_map(DateSpec::SecondsAgo),
        date.prop_map(DateSpec::Date),
        instant.prop_map(DateSpec::Instant),
        any::<i64>().prop_map(DateSpec::EpochSeconds),
        any::<i64>().prop_map(DateSpec::EpochMillis),
    ]
}

/// Valid forms: every documented form with a value inside the supported span.
fn valid_spec() -> impl Strategy<Value = DateSpec> {
    let span_ms = (LATEST - EARLIEST).whole_milliseconds() as i64;
    let earliest_ms = (EARLIEST.unix_timestamp_nanos() / 1_000_000) as i64;
    let ms = 0..=span_ms;
    prop_oneof![
        Just(DateSpec::Now),
        Just(DateSpec::Today),
        Just(DateSpec::Yesterday),
        (0u32..=9_000).prop_map(DateSpec::DaysAgo),
        (0u32..=9_000 * 24).prop_map(DateSpec::HoursAgo),
        (0u32..=9_000 * 86_400).prop_map(DateSpec::SecondsAgo),
        ms.clone().prop_map(move |ms| DateSpec::Date((EARLIEST + Duration::milliseconds(ms)).date())),
        (ms.clone(), -12i8..=14).prop_map(move |(ms, hours)| {
            let at = EARLIEST + Duration::milliseconds(ms);
            DateSpec::Instant(at.to_offset(UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC)))
        }),
        ms.clone().prop_map(move |ms| DateSpec::EpochSeconds((earliest_ms + ms) / 1000)),
        ms.prop_map(move |ms| DateSpec::EpochMillis(earliest_ms + ms)),
    ]
}

/// Resolves, renders in every dialect and checks ranges: the calls that must never panic.
fn exercise(spec: DateSpec, now: OffsetDateTime) -> Result<(), TestCaseError> {
    let resolved = spec.resolve(now);
    if let Ok(at) = resolved {
        prop_assert!((EARLIEST..=LATEST).contains(&at), "{spec:?} resolved outside the span: {at}");
    }
    for dialect in DIALECTS {
        let rendered = spec.render(dialect, now);
        if resolved.is_err() {
            prop_assert_eq!(
                &rendered,
                &DateValue::Text(spec.to_string()),
                "refused values render as given, not clamped"
            );
        }
    }
    let range = DateRange::new(spec, DateSpec::Now);
    let checked = range.check_order(now);
    if resolved.is_err() {
        prop_assert!(checked.is_err(), "a range with an unresolvable end must be refused");
    }
    for dialect in DIALECTS {
        let windows = range.windows(dialect, Some(30), now);
        prop_assert!(!windows.is_empty() || checked.is_err());
        // The span is about 101 years: never more windows than that many 30-day months.
        prop_assert!(windows.len() <= 1_300, "{} windows", windows.len());
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(1_000))]

    #[test]
    fn no_string_panics_parse_and_what_parses_never_panics_after(text in date_like()) {
        if let Ok(spec) = text.parse::<DateSpec>() {
            exercise(spec, NOW)?;
            prop_assert_eq!(spec.to_string().parse::<DateSpec>(), Ok(spec), "{} round-trips", text);
        } else {
            let err = text.parse::<DateSpec>().unwrap_err();
            prop_assert!(!err.to_string().is_empty());
        }
    }

    #[test]
    fn no_value_a_caller_can_build_panics(spec in any_spec(), now_s in prop_oneof![Just(NOW.unix_timestamp()), -377_705_116_800i64..=253_402_300_799]) {
        let now = OffsetDateTime::from_unix_timestamp(now_s).unwrap_or(NOW);
        exercise(spec, now)?;
        exercise(spec, OffsetDateTime::new_utc(Date::MIN, Time::MIDNIGHT))?;
        exercise(spec, OffsetDateTime::new_utc(Date::MAX, Time::MAX))?;
    }

    #[test]
    fn every_valid_form_round_trips_through_display_and_parse(spec in valid_spec()) {
        let text = spec.to_string();
        prop_assert_eq!(text.parse::<DateSpec>(), Ok(spec), "{}", text);
        prop_assert!(spec.resolve(NOW).is_ok(), "{} resolves", text);
        DateRange::new(spec, spec).check_order(NOW).map_err(TestCaseError::fail)?;
    }
}
