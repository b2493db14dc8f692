//! Shared test helpers: a client for a loopback mock server, and the documents' example
//! responses typed in as fixtures.
#![allow(dead_code)]

use cursor_admin::AdminClient;
use cursor_core::time::OffsetDateTime;
use httpmock::MockServer;

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

pub const MEMBERS: &str = r#"{
  "teamMembers": [
    {"name": "Alex", "email": "developer@company.com", "role": "member"},
    {"name": "Sam", "email": "admin@company.com", "role": "owner"}
  ]
}"#;

pub const AUDIT_LOGS: &str = r#"{
  "events": [
    {
      "event_id": "evt_abc123",
      "timestamp": "2024-01-15T12:30:00.000Z",
      "user_email": "admin@company.com",
      "event_type": "settings_changed",
      "event_data": {"setting_name": "team_spend_limit", "old_value": 1000, "new_value": 2000}
    },
    {
      "event_id": "evt_def456",
      "timestamp": "2024-01-15T10:15:00.000Z",
      "user_email": "developer@company.com",
      "event_type": "login",
      "event_data": {"ip_address": "192.168.1.1", "user_agent": "Cursor/0.42.0"}
    }
  ],
  "pagination": {"page": 1, "pageSize": 100, "totalCount": 2, "totalPages": 1, "hasNextPage": false, "hasPreviousPage": false},
  "params": {"teamId": 12345, "startDate": 1704729600000, "endDate": 1705334400000}
}"#;

pub const DAILY_USAGE: &str = r#"{
  "data": [
    {
      "date": 1710720000000, "isActive": true, "totalLinesAdded": 1543, "totalLinesDeleted": 892,
      "acceptedLinesAdded": 1102, "acceptedLinesDeleted": 645, "totalApplies": 87, "totalAccepts": 73,
      "totalRejects": 14, "totalTabsShown": 342, "totalTabsAccepted": 289, "composerRequests": 45,
      "chatRequests": 128, "agentRequests": 12, "cmdkUsages": 67, "subscriptionIncludedReqs": 180,
      "apiKeyReqs": 0, "usageBasedReqs": 5, "bugbotUsages": 3, "mostUsedModel": "gpt-5",
      "applyMostUsedExtension": ".tsx", "tabMostUsedExtension": ".ts", "clientVersion": "0.25.1",
      "email": "developer@company.com"
    },
    {
      "date": 1710806400000, "isActive": true, "totalLinesAdded": 2104, "totalLinesDeleted": 1203,
      "acceptedLinesAdded": 1876, "acceptedLinesDeleted": 987, "totalApplies": 102, "totalAccepts": 91,
      "totalRejects": 11, "totalTabsShown": 456, "totalTabsAccepted": 398, "composerRequests": 67,
      "chatRequests": 156, "agentRequests": 23, "cmdkUsages": 89, "subscriptionIncludedReqs": 320,
      "apiKeyReqs": 15, "usageBasedReqs": 0, "bugbotUsages": 5, "mostUsedModel": "claude-3-opus",
      "applyMostUsedExtension": ".py", "tabMostUsedExtension": ".py", "clientVersion": "0.25.1",
      "email": "developer@company.com"
    }
  ],
  "period": {"startDate": 1710720000000, "endDate": 1710892800000}
}"#;

pub const SPEND: &str = r#"{
  "teamMemberSpend": [
    {"spendCents": 2450, "fastPremiumRequests": 1250, "name": "Alex", "email": "developer@company.com", "role": "member", "hardLimitOverrideDollars": 100},
    {"spendCents": 1875, "fastPremiumRequests": 980, "name": "Sam", "email": "admin@company.com", "role": "owner", "hardLimitOverrideDollars": 0}
  ],
  "subscriptionCycleStart": 1708992000000,
  "totalMembers": 15,
  "totalPages": 1
}"#;

/// The primary document's edition: `kind` and `cursorTokenFee`.
pub const USAGE_EVENTS: &str = r#"{
  "totalUsageEventsCount": 113,
  "pagination": {"numPages": 12, "currentPage": 1, "pageSize": 10, "hasNextPage": true, "hasPreviousPage": false},
  "usageEvents": [
    {
      "timestamp": "1750979225854", "model": "claude-4-opus", "kind": "Usage-based", "maxMode": true,
      "requestsCosts": 5, "isTokenBasedCall": true,
      "tokenUsage": {"inputTokens": 126, "outputTokens": 450, "cacheWriteTokens": 6112, "cacheReadTokens": 11964, "totalCents": 20.18232},
      "cursorTokenFee": 1.18, "isFreeBugbot": false, "userEmail": "developer@company.com"
    },
    {
      "timestamp": "1750979173824", "model": "claude-4-opus", "kind": "Usage-based", "maxMode": true,
      "requestsCosts": 10, "isTokenBasedCall": true,
      "tokenUsage": {"inputTokens": 5805, "outputTokens": 311, "cacheWriteTokens": 11964, "cacheReadTokens": 0, "totalCents": 40.16699999999999},
      "cursorTokenFee": 1.18, "isFreeBugbot": false, "userEmail": "developer@company.com"
    },
    {
      "timestamp": "1750978339901", "model": "claude-4-sonnet-thinking", "kind": "Included in Business", "maxMode": true,
      "requestsCosts": 1.4, "isTokenBasedCall": false, "cursorTokenFee": 0, "isFreeBugbot": false,
      "userEmail": "admin@company.com"
    }
  ],
  "period": {"startDate": 1748411762359, "endDate": 1751003762359}
}"#;

/// The older (Spanish) edition: `kindLabel`, no `cursorTokenFee`.
pub const USAGE_EVENTS_OLDER: &str = r#"{
  "totalUsageEventsCount": 113,
  "pagination": {"numPages": 12, "currentPage": 1, "pageSize": 10, "hasNextPage": true, "hasPreviousPage": false},
  "usageEvents": [
    {
      "timestamp": "1750979225854", "model": "claude-4-opus", "kindLabel": "Usage-based", "maxMode": true,
      "requestsCosts": 5, "isTokenBasedCall": true,
      "tokenUsage": {"inputTokens": 126, "outputTokens": 450, "cacheWriteTokens": 6112, "cacheReadTokens": 11964, "totalCents": 20.18232},
      "isFreeBugbot": false, "userEmail": "developer@company.com"
    },
    {
      "timestamp": "1750978339901", "model": "claude-4-sonnet-thinking", "kindLabel": "Included in Business", "maxMode": true,
      "requestsCosts": 1.4, "isTokenBasedCall": false, "isFreeBugbot": false, "userEmail": "admin@company.com"
    }
  ],
  "period": {"startDate": 1748411762359, "endDate": 1751003762359}
}"#;

pub const SPEND_LIMIT_SUCCESS: &str =
    r#"{"outcome": "success", "message": "Spend limit set to $100 for user developer@company.com"}"#;

pub const SPEND_LIMIT_ERROR: &str = r#"{"outcome": "error", "message": "Invalid email format"}"#;

pub const BLOCKLISTS: &str = r#"{
  "repos": [
    {"id": "repo_123", "url": "https://github.com/company/sensitive-repo", "patterns": ["*.env", "config/*", "secrets/**"]},
    {"id": "repo_456", "url": "https://github.com/company/internal-tools", "patterns": ["*"]}
  ]
}"#;

pub const GROUPS: &str = r#"{
  "groups": [
    {
      "id": "group_PDSPmvukpYgZEDXsoNirw3CFhy", "name": "Engineering", "type": "BILLING", "directoryGroupId": null,
      "memberCount": 12, "createdAt": "2024-01-15T10:30:00.000Z", "updatedAt": "2024-01-20T14:22:00.000Z",
      "spendCents": 245000,
      "currentMembers": [
        {"userId": "user_abc123", "name": "Alex Developer", "email": "alex@company.com", "joinedAt": "2024-01-15T10:30:00.000Z", "leftAt": null, "spendCents": 12500}
      ],
      "formerMembers": [],
      "dailySpend": [{"date": "2025-01-15", "spendCents": 8500}, {"date": "2025-01-16", "spendCents": 9200}]
    },
    {
      "id": "group_kljUvI0ASZORvSEXf9hV0ydcso", "name": "Design", "type": "BILLING", "directoryGroupId": "dir_group_abc123xyz",
      "memberCount": 5, "createdAt": "2024-01-16T09:00:00.000Z", "updatedAt": "2024-01-16T09:00:00.000Z",
      "spendCents": 87500, "currentMembers": [], "formerMembers": [], "dailySpend": []
    }
  ],
  "unassignedGroup": {
    "id": "group_unassigned", "name": "Unassigned", "type": "BILLING", "directoryGroupId": null, "memberCount": 3,
    "createdAt": "2024-01-01T00:00:00.000Z", "updatedAt": "2024-01-01T00:00:00.000Z", "spendCents": 15000,
    "currentMembers": [], "formerMembers": [], "dailySpend": []
  },
  "billingCycle": {"cycleStart": "2025-01-01T00:00:00.000Z", "cycleEnd": "2025-02-01T00:00:00.000Z"}
}"#;

pub const GROUP: &str = r#"{
  "group": {
    "id": "group_PDSPmvukpYgZEDXsoNirw3CFhy", "name": "Engineering", "type": "BILLING", "directoryGroupId": null,
    "memberCount": 3, "createdAt": "2024-01-15T10:30:00.000Z", "updatedAt": "2024-01-20T14:22:00.000Z",
    "spendCents": 125000,
    "currentMembers": [
      {
        "userId": "user_abc123", "name": "Alex Developer", "email": "alex@company.com", "joinedAt": "2024-01-15T10:30:00.000Z",
        "leftAt": null, "spendCents": 75000,
        "dailySpend": [{"date": "2025-01-15", "spendCents": 5000}, {"date": "2025-01-16", "spendCents": 7500}]
      },
      {
        "userId": "user_def456", "name": "Sam Engineer", "email": "sam@company.com", "joinedAt": "2024-01-16T09:15:00.000Z",
        "leftAt": null, "spendCents": 50000,
        "dailySpend": [{"date": "2025-01-15", "spendCents": 3500}, {"date": "2025-01-16", "spendCents": 4200}]
      }
    ],
    "formerMembers": [
      {"userId": "user_xyz789", "name": "Former Member", "email": "former@company.com", "joinedAt": "2024-01-10T08:00:00.000Z", "leftAt": "2024-01-14T17:00:00.000Z", "spendCents": 0}
    ],
    "dailySpend": [{"date": "2025-01-15", "spendCents": 8500}, {"date": "2025-01-16", "spendCents": 11700}]
  },
  "billingCycle": {"cycleStart": "2025-01-01T00:00:00.000Z", "cycleEnd": "2025-02-01T00:00:00.000Z"}
}"#;

pub const GROUP_CREATED: &str = r#"{
  "group": {
    "id": "group_PDSPmvukpYgZEDXsoNirw3CFhy", "name": "Engineering", "type": "BILLING", "directoryGroupId": null,
    "memberCount": 0, "createdAt": "2024-01-15T10:30:00.000Z", "updatedAt": "2024-01-15T10:30:00.000Z", "members": []
  }
}"#;

pub const GROUP_UPDATED: &str = r#"{
  "group": {
    "id": "group_PDSPmvukpYgZEDXsoNirw3CFhy", "name": "Platform Engineering", "type": "BILLING", "directoryGroupId": null,
    "memberCount": 3, "createdAt": "2024-01-15T10:30:00.000Z", "updatedAt": "2024-01-25T16:45:00.000Z",
    "members": [{"userId": "user_abc123", "name": "Alex Developer", "email": "alex@company.com", "joinedAt": "2024-01-15T10:30:00.000Z"}]
  }
}"#;

pub const GROUP_MEMBERS_ADDED: &str = r#"{
  "group": {
    "id": "group_PDSPmvukpYgZEDXsoNirw3CFhy", "name": "Engineering", "type": "BILLING", "directoryGroupId": null,
    "memberCount": 2, "createdAt": "2024-01-15T10:30:00.000Z", "updatedAt": "2024-01-25T16:50:00.000Z",
    "members": [
      {"userId": "user_abc123", "name": "Alex Developer", "email": "alex@company.com", "joinedAt": "2024-01-25T16:50:00.000Z"},
      {"userId": "user_def456", "name": "Sam Engineer", "email": "sam@company.com", "joinedAt": "2024-01-25T16:50:00.000Z"}
    ]
  }
}"#;

pub const GROUP_MEMBERS_REMOVED: &str = r#"{
  "group": {
    "id": "group_PDSPmvukpYgZEDXsoNirw3CFhy", "name": "Engineering", "type": "BILLING", "directoryGroupId": null,
    "memberCount": 1, "createdAt": "2024-01-15T10:30:00.000Z", "updatedAt": "2024-01-25T17:00:00.000Z",
    "members": [{"userId": "user_abc123", "name": "Alex Developer", "email": "alex@company.com", "joinedAt": "2024-01-25T16:50:00.000Z"}]
  }
}"#;
