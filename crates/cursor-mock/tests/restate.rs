//! The restatement control routes: a restated cost changes the events of its range on the
//! next read, a late event appears in its range, bad bodies are refused, and a reset forgets.

mod common;

use common::Harness;
use serde_json::{Value, json};

const KEY: &str = "key_restate_routes";

async fn events(h: &Harness, start: i64, end: i64) -> Vec<Value> {
    let body = json!({"startDate": start, "endDate": end, "pageSize": 1000});
    let (status, page) = h.post_json("/teams/filtered-usage-events", KEY, body).await;
    assert_eq!(status, 200, "{page}");
    page["usageEvents"].as_array().unwrap().clone()
}

fn cents(events: &[Value]) -> f64 {
    events.iter().map(|e| e["tokenUsage"]["totalCents"].as_f64().unwrap_or(0.0)).sum()
}

#[tokio::test]
async fn restated_costs_and_late_events_show_in_the_next_read() {
    let h = Harness::default_test().await;
    let now = (cursor_mock::TEST_NOW.unix_timestamp_nanos() / 1_000_000) as i64;
    let (start, end) = (now - 2 * 86_400_000, now);
    let before = events(&h, start, end).await;
    assert!(cents(&before) > 0.0);

    let (status, _) =
        h.post_json("/__mock/restate/costs", KEY, json!({"fromMs": start, "toMs": end, "factor": 2.0})).await;
    assert_eq!(status, 200);
    let late =
        json!({"events": [{"timestampMs": now - 3_600_000, "member": 1, "model": "late-model", "totalCents": 4.25}]});
    let (status, answer) = h.post_json("/__mock/restate/late-events", KEY, late).await;
    assert_eq!((status, answer["added"].as_u64()), (200, Some(1)));

    let after = events(&h, start, end).await;
    assert_eq!(after.len(), before.len() + 1);
    let late_cents = 4.25 * 2.0;
    assert!((cents(&after) - (2.0 * cents(&before) + late_cents)).abs() < 1e-6);
    assert!(after.iter().any(|e| e["model"] == "late-model"));
    // Outside the restated range nothing changed.
    let older = events(&h, start - 86_400_000, start - 1).await;
    assert!(older.iter().all(|e| e["model"] != "late-model"));

    let (status, _) =
        h.post_json("/__mock/restate/costs", KEY, json!({"fromMs": end, "toMs": start, "factor": 2.0})).await;
    assert_eq!(status, 400, "a reversed range is refused");
    let (status, _) = h
        .post_json(
            "/__mock/restate/late-events",
            KEY,
            json!({"events": [{"timestampMs": now, "member": 100000, "model": "m", "totalCents": 1.0}]}),
        )
        .await;
    assert_eq!(status, 400, "an unknown member is refused");

    let reset = h.client.post(h.url("/__mock/reset")).send().await.unwrap();
    assert_eq!(reset.status().as_u16(), 204);
    assert_eq!(events(&h, start, end).await, before, "a reset forgets restatements");
}
