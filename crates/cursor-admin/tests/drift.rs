//! The Admin API's answers in the seeds' shapes and in the current service's (NEWER.md): each
//! drift decodes both ways, keeps what it does not know, and re-serializes as it came.

use cursor_admin::{DailySpend, DailyUsage, GroupMember, Id, MemberSpend, TeamMembers, UsageEvent};
use serde_json::json;

fn spend_row(cents: serde_json::Value) -> serde_json::Value {
    json!({
        "spendCents": cents, "fastPremiumRequests": 12, "name": "Alex", "email": "developer@company.com",
        "role": "member", "hardLimitOverrideDollars": 100
    })
}

#[test]
fn spend_cents_decode_whole_and_fractional_and_round_trip_as_sent() {
    // Seeds: whole cents.
    let old: MemberSpend = serde_json::from_value(spend_row(json!(2450))).expect("whole cents");
    assert_eq!(old.spend_cents, 2450.0);
    assert_eq!(serde_json::to_value(&old).unwrap()["spendCents"], json!(2450), "written back as an integer");
    // Current service: fractional cents, which a `u64` refused.
    let new: MemberSpend = serde_json::from_value(spend_row(json!(2450.75))).expect("fractional cents");
    assert_eq!(new.spend_cents, 2450.75);
    assert_eq!(serde_json::to_value(&new).unwrap()["spendCents"], json!(2450.75));
    // Spend limits stay whole dollars.
    assert_eq!(new.hard_limit_override_dollars, Some(100));
    let fractional_limit = serde_json::from_value::<MemberSpend>(json!({
        "spendCents": 1, "fastPremiumRequests": 0, "email": "a@b.c", "role": "member", "hardLimitOverrideDollars": 9.5
    }));
    assert!(fractional_limit.is_err(), "a spend limit is documented in whole dollars");
}

#[test]
fn spend_rows_of_the_current_service_carry_typed_newer_fields() {
    let mut row = spend_row(json!(1234.5));
    row["overallSpendCents"] = json!(1500.25);
    row["effectivePerUserLimitDollars"] = json!(250);
    row["userId"] = json!("user_PDSPmvukpYgZEDXsoNirw3CFhy");
    row["somethingNew"] = json!({"x": 1});
    let new: MemberSpend = serde_json::from_value(row.clone()).expect("current shape");
    assert_eq!(new.overall_spend_cents, Some(1500.25));
    assert_eq!(new.effective_per_user_limit_dollars, Some(250));
    assert_eq!(new.user_id, Some(Id::Text("user_PDSPmvukpYgZEDXsoNirw3CFhy".into())));
    assert_eq!(new.extra.get("somethingNew"), Some(&json!({"x": 1})));
    assert_eq!(serde_json::to_value(&new).unwrap(), row, "nothing lost");

    let old: MemberSpend = serde_json::from_value(spend_row(json!(1))).expect("seeds shape");
    assert_eq!(
        (old.overall_spend_cents, old.effective_per_user_limit_dollars, old.user_id.as_ref()),
        (None, None, None)
    );
    assert_eq!(serde_json::to_value(&old).unwrap(), spend_row(json!(1)), "absent stays absent");
}

#[test]
fn member_ids_decode_from_numbers_strings_or_nothing_and_is_removed_is_kept() {
    let answer = json!({"teamMembers": [
        {"name": "Alex", "email": "a@company.com", "role": "member"},
        {"id": 12345, "name": "Sam", "email": "s@company.com", "role": "owner", "isRemoved": false},
        {"id": "user_abc123", "name": "Kim", "email": "k@company.com", "role": "member", "isRemoved": true},
    ]});
    let members: TeamMembers = serde_json::from_value(answer.clone()).expect("all three editions");
    let [seeds, numeric, encoded] = &members.team_members[..] else { panic!("three members") };
    assert_eq!((seeds.id.as_ref(), seeds.is_removed), (None, None));
    assert!(seeds.is_active());
    assert_eq!(numeric.id, Some(Id::Number(12345)));
    assert_eq!(numeric.id.as_ref().and_then(Id::as_u64), Some(12345));
    assert!(numeric.is_active());
    assert_eq!(encoded.id.as_ref().and_then(Id::as_encoded), Some("user_abc123"));
    assert!(!encoded.is_active());
    assert_eq!(serde_json::to_value(&members).unwrap(), answer);
}

#[test]
fn daily_usage_decodes_the_unpaged_seeds_and_the_paged_current_answer() {
    let row = json!({
        "date": 1_710_720_000_000_i64, "isActive": true, "totalLinesAdded": 1543, "totalLinesDeleted": 892,
        "acceptedLinesAdded": 1102, "acceptedLinesDeleted": 645, "totalApplies": 87, "totalAccepts": 73,
        "totalRejects": 14, "totalTabsShown": 342, "totalTabsAccepted": 289, "composerRequests": 45,
        "chatRequests": 128, "agentRequests": 12, "cmdkUsages": 67, "subscriptionIncludedReqs": 180,
        "apiKeyReqs": 0, "usageBasedReqs": 5, "bugbotUsages": 3, "email": "developer@company.com"
    });
    let old = json!({"data": [row.clone()], "period": {"startDate": 1, "endDate": 2}});
    let old_usage: DailyUsage = serde_json::from_value(old.clone()).expect("seeds shape");
    assert!(old_usage.pagination.is_none() && old_usage.data[0].user_id.is_none());
    assert_eq!(serde_json::to_value(&old_usage).unwrap(), old);

    let mut inactive = row.clone();
    inactive["isActive"] = json!(false);
    inactive["userId"] = json!(12345);
    inactive["day"] = json!("2024-03-18");
    let new = json!({
        "data": [inactive],
        "period": {"startDate": 1, "endDate": 2},
        "pagination": {"page": 1, "pageSize": 100, "totalUsers": 210, "totalPages": 3, "hasNextPage": true, "hasPreviousPage": false}
    });
    let new_usage: DailyUsage = serde_json::from_value(new.clone()).expect("current shape");
    let pagination = new_usage.pagination.as_ref().expect("paged");
    assert_eq!((pagination.total_users, pagination.total_pages, pagination.has_next_page), (Some(210), Some(3), true));
    let first = &new_usage.data[0];
    assert_eq!(
        (first.user_id.clone(), first.day.as_deref(), first.is_active),
        (Some(Id::Number(12345)), Some("2024-03-18"), false)
    );
    assert_eq!(serde_json::to_value(&new_usage).unwrap(), new);
}

#[test]
fn usage_events_decode_with_and_without_the_current_fields() {
    let old = json!({
        "timestamp": "1750979225854", "model": "claude-4-opus", "kindLabel": "Usage-based", "maxMode": true,
        "requestsCosts": 5, "isTokenBasedCall": true,
        "tokenUsage": {"inputTokens": 126, "outputTokens": 450, "cacheWriteTokens": 6112, "cacheReadTokens": 11964, "totalCents": 20.5},
        "isFreeBugbot": false, "userEmail": "developer@company.com"
    });
    let event: UsageEvent = serde_json::from_value(old.clone()).expect("seeds shape");
    assert_eq!((event.conversation_id.as_ref(), event.cloud_agent_id.as_ref()), (None, None));
    assert_eq!(serde_json::to_value(&event).unwrap(), old);

    let mut new = old.clone();
    new["conversationId"] = json!("conv_1");
    new["cloudAgentId"] = json!("bc_1");
    new["automationId"] = json!("auto_1");
    new["serviceAccountId"] = json!("sa_1");
    new["serviceAccountName"] = json!("CI Bot");
    new["cursorTokenFee"] = json!(0);
    new.as_object_mut().unwrap().remove("userEmail");
    let event: UsageEvent = serde_json::from_value(new.clone()).expect("current shape, userEmail missing");
    assert_eq!(event.conversation_id.as_deref(), Some("conv_1"));
    assert_eq!(event.cloud_agent_id.as_deref(), Some("bc_1"));
    assert_eq!(event.automation_id.as_deref(), Some("auto_1"));
    assert_eq!(
        (event.service_account_id.as_deref(), event.service_account_name.as_deref()),
        (Some("sa_1"), Some("CI Bot"))
    );
    assert!(event.user_email.is_empty());
    assert_eq!(event.dashboard_cents(), 20.5);
    assert_eq!(serde_json::to_value(&event).unwrap(), new, "a missing userEmail stays missing");
}

#[test]
fn group_spend_decodes_whole_and_fractional_cents() {
    let day: DailySpend = serde_json::from_value(json!({"date": "2025-01-15", "spendCents": 7500})).unwrap();
    assert_eq!(day.spend_cents, 7500.0);
    let day: DailySpend = serde_json::from_value(json!({"date": "2025-01-15", "spendCents": 7500.5})).unwrap();
    assert_eq!(day.spend_cents, 7500.5);
    let member = json!({
        "userId": "user_abc", "name": "Alex", "email": "a@company.com", "joinedAt": "2025-01-01T00:00:00.000Z",
        "leftAt": null, "spendCents": 12.25
    });
    let decoded: GroupMember = serde_json::from_value(member.clone()).unwrap();
    assert_eq!(decoded.spend_cents, Some(12.25));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), member);
}

#[test]
fn audit_events_of_types_the_seeds_do_not_list_decode_and_round_trip() {
    let page = json!({
        "events": [{
            "event_id": "evt_1", "timestamp": "2026-06-01T12:00:00.000Z", "user_email": "admin@company.com",
            "event_type": "mcp_server_config", "event_data": {"server": "github", "action": "added"}
        }],
        "pagination": {"page": 1, "pageSize": 100, "totalCount": 1, "totalPages": 1, "hasNextPage": false, "hasPreviousPage": false}
    });
    let decoded: cursor_admin::AuditLogPage = serde_json::from_value(page.clone()).expect("a newer event type");
    assert_eq!(decoded.events[0].event_type, "mcp_server_config");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), page);
}
