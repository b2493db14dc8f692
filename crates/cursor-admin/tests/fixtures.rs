//! Every documented example response decodes and re-serializes to the same JSON: as
//! documented, with unknown fields added at every depth, and with optional fields removed.

mod common;

use common::*;
use cursor_admin::*;
use cursor_core::testing::{assert_lossless, assert_round_trips, with_unknown_fields, without_keys};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The three round trips for one fixture ([`assert_round_trips`]); `optional` are the keys the
/// model may miss (empty when every documented field is required). Returns the fixture decoded
/// as-is and with the optional keys removed.
fn round_trips<T: DeserializeOwned + Serialize>(fixture: &str, optional: &[&str]) -> (T, T) {
    let full = assert_round_trips::<T>(fixture, optional);
    (full, assert_lossless::<T>(&without_keys(fixture, optional)))
}

#[test]
fn members_round_trip_and_keep_unknown_roles() {
    let (members, _) = round_trips::<TeamMembers>(fixture("admin/members"), &[]);
    assert_eq!(members.team_members[1].role, Role::Owner);
    let free: TeamMembers = assert_lossless(
        r#"{"teamMembers":[{"name":"A","email":"a@x.com","role":"free-owner"},{"name":"B","email":"b@x.com","role":"guest"}]}"#,
    );
    assert_eq!(free.team_members[0].role, Role::FreeOwner);
    assert_eq!(free.team_members[1].role, Role::Unknown("guest".into()));
}

#[test]
fn audit_logs_round_trip() {
    let (page, minimal) =
        round_trips::<AuditLogPage>(fixture("admin/audit_logs"), &["params", "user_email", "event_data"]);
    assert_eq!(page.events[0].event_id, "evt_abc123");
    assert_eq!(page.events[0].event_data.as_ref().unwrap()["new_value"], 2000);
    assert_eq!(page.params.as_ref().unwrap().team_id, Some(12345));
    assert!(minimal.params.is_none() && minimal.events[1].user_email.is_none());
}

#[test]
fn daily_usage_round_trips_with_and_without_the_optional_columns() {
    let optional = ["applyMostUsedExtension", "tabMostUsedExtension", "clientVersion", "email", "mostUsedModel"];
    let (usage, minimal) = round_trips::<DailyUsage>(fixture("admin/daily_usage"), &optional);
    assert_eq!(usage.data[1].total_tabs_accepted, 398);
    assert_eq!(usage.data[0].email.as_deref(), Some("developer@company.com"));
    assert_eq!(usage.period.end_date, 1_710_892_800_000);
    assert!(minimal.data[0].email.is_none() && minimal.data[0].client_version.is_none());
}

#[test]
fn spend_round_trips() {
    let (page, _) = round_trips::<SpendPage>(fixture("admin/spend"), &[]);
    assert_eq!(page.team_member_spend[0].spend_cents, 2450.0);
    assert_eq!(page.team_member_spend[0].hard_limit_override_dollars, Some(100));
    assert_eq!(page.total_pages, 1);
}

#[test]
fn usage_events_round_trip_in_both_editions() {
    let (page, minimal) = round_trips::<UsageEventsPage>(
        fixture("admin/usage_events"),
        &["tokenUsage", "cursorTokenFee", "kind", "period"],
    );
    assert_eq!(page.usage_events[0].kind(), Some("Usage-based"));
    assert_eq!(page.usage_events[0].kind_label, None);
    assert!(
        minimal
            .usage_events
            .iter()
            .all(|e| e.token_usage.is_none() && e.cursor_token_fee.is_none() && e.kind().is_none())
    );

    let (older, _) = round_trips::<UsageEventsPage>(fixture("admin/usage_events.older"), &["tokenUsage", "kindLabel"]);
    assert_eq!(older.usage_events[1].kind(), Some("Included in Business"));
    assert_eq!(older.usage_events[1].kind_field, None, "kindLabel is kept under its own name");
    assert_eq!(older.usage_events[0].cursor_token_fee, None);
    let out = serde_json::to_value(&older).unwrap();
    assert!(out["usageEvents"][0].get("kind").is_none() && out["usageEvents"][0]["kindLabel"] == "Usage-based");
}

#[test]
fn dashboard_cents_adds_the_token_fee_to_the_model_cost() {
    let page: UsageEventsPage = serde_json::from_str(fixture("admin/usage_events")).unwrap();
    let cents: Vec<f64> = page.usage_events.iter().map(UsageEvent::dashboard_cents).collect();
    assert!((cents[0] - (20.18232 + 1.18)).abs() < 1e-9);
    assert!((cents[1] - (40.16699999999999 + 1.18)).abs() < 1e-9);
    assert_eq!(cents[2], 0.0, "no token usage and a zero fee");
    let older: UsageEventsPage = serde_json::from_str(fixture("admin/usage_events.older")).unwrap();
    assert!((older.usage_events[0].dashboard_cents() - 20.18232).abs() < 1e-9, "no fee: the model cost alone");
    assert_eq!(page.usage_events[0].timestamp_millis(), Some(1_750_979_225_854));
}

#[test]
fn spend_limit_outcomes_round_trip() {
    let ok: SpendLimitOutcome = assert_lossless(fixture("admin/set_user_spend_limit"));
    assert_eq!(ok.outcome, Outcome::Success);
    assert_lossless::<SpendLimitOutcome>(&with_unknown_fields(fixture("admin/set_user_spend_limit")));
    assert_lossless::<SpendLimitOutcome>(&without_keys(fixture("admin/set_user_spend_limit"), &["message"]));
    let err: SpendLimitOutcome = assert_lossless(fixture("admin/set_user_spend_limit.error"));
    assert_eq!(err.outcome, Outcome::Error);
}

#[test]
fn blocklists_round_trip() {
    let (lists, _) = round_trips::<RepoBlocklists>(fixture("admin/repo_blocklists"), &[]);
    assert_eq!(lists.repos[0].patterns, ["*.env", "config/*", "secrets/**"]);
}

#[test]
fn group_list_round_trips_with_the_unassigned_group() {
    let optional = [
        "unassignedGroup",
        "billingCycle",
        "spendCents",
        "currentMembers",
        "formerMembers",
        "dailySpend",
        "leftAt",
        "directoryGroupId",
    ];
    let (list, minimal) = round_trips::<GroupList>(fixture("admin/groups"), &optional);
    let unassigned = list.unassigned_group.as_ref().unwrap();
    assert!(unassigned.is_unassigned());
    assert_eq!(unassigned.spend_cents, Some(15000.0));
    assert_eq!(list.groups[1].directory_group(), Some("dir_group_abc123xyz"));
    assert_eq!(list.groups[0].directory_group_id, Some(None), "an explicit null is kept as such");
    assert_eq!(list.groups[0].daily_spend.as_ref().unwrap()[1].spend_cents, 9200.0);
    assert!(minimal.unassigned_group.is_none());
    assert_eq!(minimal.groups[0].directory_group_id, None, "an absent field stays absent");
}

#[test]
fn single_group_round_trips_with_former_members_and_daily_spend_per_member() {
    let (detail, minimal) = round_trips::<GroupResponse>(
        fixture("admin/group"),
        &["billingCycle", "formerMembers", "dailySpend", "leftAt", "spendCents"],
    );
    let group = &detail.group;
    let current = group.current_members.as_ref().unwrap();
    assert_eq!(current[0].daily_spend.as_ref().unwrap()[1].spend_cents, 7500.0);
    assert_eq!(current[0].left_at, Some(None));
    assert_eq!(current[0].left(), None);
    let former = &group.former_members.as_ref().unwrap()[0];
    assert_eq!(former.left(), Some("2024-01-14T17:00:00.000Z"));
    assert_eq!(minimal.group.current_members.as_ref().unwrap()[0].left_at, None);
}

#[test]
fn group_write_answers_round_trip() {
    for fixture in [
        fixture("admin/create_group"),
        fixture("admin/update_group"),
        fixture("admin/add_group_members"),
        fixture("admin/remove_group_members"),
    ] {
        let (answer, _) = round_trips::<GroupResponse>(fixture, &["members", "directoryGroupId"]);
        assert_eq!(answer.group.group_type, GroupType::Billing);
        assert!(answer.group.members.is_some() && answer.group.spend_cents.is_none());
    }
}

#[test]
fn a_cleared_spend_limit_decodes_whether_null_or_missing() {
    let row = |limit: &str| {
        format!(
            r#"{{"teamMemberSpend":[{{"spendCents":2450,"fastPremiumRequests":1,"name":"Alex","email":"developer@company.com","role":"member"{limit}}}],"subscriptionCycleStart":1708992000000,"totalMembers":1,"totalPages":1}}"#
        )
    };
    let null: cursor_admin::SpendPage = serde_json::from_str(&row(r#","hardLimitOverrideDollars":null"#)).unwrap();
    assert_eq!(null.team_member_spend[0].hard_limit_override_dollars, None);
    let missing: cursor_admin::SpendPage = serde_json::from_str(&row("")).unwrap();
    assert_eq!(missing.team_member_spend[0].hard_limit_override_dollars, None);
    let set: cursor_admin::SpendPage = serde_json::from_str(&row(r#","hardLimitOverrideDollars":100"#)).unwrap();
    assert_eq!(set.team_member_spend[0].hard_limit_override_dollars, Some(100));
}

#[test]
fn a_member_without_a_name_decodes() {
    let members: cursor_admin::TeamMembers = serde_json::from_str(
        r#"{"teamMembers":[{"email":"a@company.com","role":"member"},{"name":null,"email":"b@company.com","role":"owner"}]}"#,
    )
    .unwrap();
    assert_eq!(members.team_members[0].name, None);
    assert_eq!(members.team_members[1].name, None);
}
