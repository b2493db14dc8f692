//! Shared test helpers: a client pointed at a mock server with a fixed clock, and JSON
//! parsing for the documents' example responses (the files under `tests/fixtures/analytics/`).

#![allow(dead_code)]

use cursor_analytics::AnalyticsClient;
use cursor_core::time::{Date, Month, OffsetDateTime};
use httpmock::MockServer;

/// `Basic base64("key_test:")`: the key as user name, an empty password.
pub const AUTH: &str = "Basic a2V5X3Rlc3Q6";

/// The instant the test clients think it is: 2025-02-20 15:30:00 UTC.
pub fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_740_065_400).expect("a valid instant")
}

/// A calendar day in 2025.
pub fn day(month: Month, day: u8) -> Date {
    Date::from_calendar_date(2025, month, day).expect("a valid day")
}

/// A client for `server` with no client-side limits, one attempt, and the clock at [`now`].
pub fn client(server: &MockServer) -> AnalyticsClient {
    let core = cursor_core::testing::loopback_client(&server.base_url()).clock(now).build().expect("a test client");
    AnalyticsClient::new(core)
}

/// Parses a JSON fixture.
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("a JSON fixture")
}
