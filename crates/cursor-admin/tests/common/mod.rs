//! Shared test helpers: a client for a loopback mock server, and the reader of the documents'
//! example responses (the files under `tests/fixtures/admin/`).
#![allow(dead_code)]

use cursor_admin::AdminClient;
use cursor_core::time::OffsetDateTime;
use httpmock::MockServer;

// Not every test file that shares this module reads a fixture.
#[allow(unused_imports)]
pub use cursor_core::testing::fixture;

/// `Basic base64("key_test:")`: the key as user name, an empty password.
pub const AUTH: &str = "Basic a2V5X3Rlc3Q6";

/// The fixed "now" of every test client, 2024-06-01T00:00:00Z, in epoch milliseconds.
pub const NOW_MS: i64 = 1_717_200_000_000;

/// The fixed "now" of every test client.
pub fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(NOW_MS / 1000).expect("valid instant")
}

/// An Admin client for `server`: no rate limits, no retries, a fixed clock.
pub fn admin(server: &MockServer) -> AdminClient {
    let client = cursor_core::testing::loopback_client(&server.base_url()).clock(now).build().expect("client");
    AdminClient::new(client)
}
