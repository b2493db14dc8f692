//! Filters the API would misread are refused before anything is sent: a comma in `user`
//! (read as a list separator) and dates outside the supported span.

use cursor_aicode::{AiCodeClient, AiCodeQuery, DateSpec, UserRef};
use cursor_core::RateLimits;
use cursor_core::testing::loopback_client;
use cursor_core::time::OffsetDateTime;
use futures_util::StreamExt as _;
use httpmock::prelude::*;
use serde_json::json;

fn client(server: &MockServer) -> AiCodeClient {
    let core = loopback_client(&server.base_url())
        .rate_limits(RateLimits::unlimited())
        .clock(|| OffsetDateTime::from_unix_timestamp(1_754_049_600).unwrap()) // 2025-08-01T12:00:00Z
        .build()
        .unwrap();
    AiCodeClient::new(core)
}

#[test]
fn a_comma_in_user_is_refused_in_every_form() {
    for text in ["a@company.com,b@company.com", "user_abc,user_def", "1,2", "a,b@company.com"] {
        let err = text.parse::<UserRef>().expect_err(text);
        assert!(err.to_string().contains("comma"), "{err}");
    }
    for user in [UserRef::Email("a@x.com,b@x.com".into()), UserRef::EncodedId("user_a,user_b".into())] {
        let err = user.validate().expect_err("refused");
        assert!(err.to_string().contains("list of users"), "{err}");
    }
}

#[tokio::test]
async fn a_comma_in_user_or_a_date_out_of_span_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(json!({"items": [], "totalCount": 0, "page": 1, "pageSize": 100}));
        })
        .await;
    let aicode = client(&server);
    let cases = [
        (AiCodeQuery::new().user(UserRef::Email("a@company.com,b@company.com".into())), "comma"),
        (AiCodeQuery::new().user("user_a,user_b"), "comma"),
        (AiCodeQuery::new().start_date(DateSpec::EpochMillis(0)), "2000-01-01 to 2100-12-31"),
        (AiCodeQuery::new().start_date(DateSpec::DaysAgo(u32::MAX)), "2000-01-01 to 2100-12-31"),
        (AiCodeQuery::new().end_date(DateSpec::EpochSeconds(i64::MAX)), "2000-01-01 to 2100-12-31"),
    ];
    for (query, needle) in cases {
        let err = aicode.commits_page(&query).await.unwrap_err();
        assert!(err.is_invalid_request() && err.to_string().contains(needle), "{err}");
        let err = aicode.changes_csv_rows(query.filter()).next().await.unwrap().unwrap_err();
        assert!(err.is_invalid_request() && err.to_string().contains(needle), "{err}");
    }
    any.assert_calls_async(0).await;
}
