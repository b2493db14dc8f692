//! The Admin API's endpoint declarations: one constant per endpoint, read by the client and
//! by the contract tests.

use cursor_core::{Api, Bucket, DateFormat, DateParams, Endpoint, MoreSignal, Pagination, ParamLocation, Rate};

/// The Admin API (`/teams/…`, `/settings/…`).
pub const ADMIN_API: Api = Api::new("admin", "the Admin API");

/// Most Admin endpoints: 20 requests a minute per team.
pub const ADMIN_BUCKET: Bucket = Bucket::new("admin", &[Rate::per_minute(20)]);
/// `POST /teams/user-spend-limit`: 250 requests a minute in the current overview (the seeds'
/// Admin page said 60; set that with `RateLimits::set` to have it).
pub const SPEND_LIMIT_BUCKET: Bucket = Bucket::new("admin-spend-limit", &[Rate::per_minute(250)]);
/// `POST /teams/filtered-usage-events`: a budget of its own in the current documents, 60 a minute.
pub const USAGE_EVENTS_BUCKET: Bucket = Bucket::new("admin-usage-events", &[Rate::per_minute(60)]);
/// `POST /teams/remove-member`: a budget of its own in the current overview, 50 a minute.
pub const REMOVE_MEMBER_BUCKET: Bucket = Bucket::new("admin-remove-member", &[Rate::per_minute(50)]);

/// Every bucket of the Admin API.
pub const BUCKETS: &[Bucket] = &[ADMIN_BUCKET, SPEND_LIMIT_BUCKET, USAGE_EVENTS_BUCKET, REMOVE_MEMBER_BUCKET];

/// Audit-log pages: `page`/`pageSize` in the query, answered with
/// `pagination{page,pageSize,totalCount,totalPages,hasNextPage,hasPreviousPage}`.
pub const AUDIT_LOG_PAGES: Pagination = Pagination::numbered(
    ParamLocation::Query,
    "page",
    "pageSize",
    MoreSignal::Flag {
        has_next: "/pagination/hasNextPage",
        page: Some("/pagination/page"),
        total_pages: Some("/pagination/totalPages"),
    },
)
.page_fields(&["pagination"]);

/// Usage-event pages: `page`/`pageSize` in the JSON body, answered with
/// `totalUsageEventsCount` and `pagination{numPages,currentPage,pageSize,hasNextPage,hasPreviousPage}`.
pub const USAGE_EVENT_PAGES: Pagination = Pagination::numbered(
    ParamLocation::Body,
    "page",
    "pageSize",
    MoreSignal::Flag {
        has_next: "/pagination/hasNextPage",
        page: Some("/pagination/currentPage"),
        total_pages: Some("/pagination/numPages"),
    },
)
.page_fields(&["pagination"]);

/// Spend pages: `page`/`pageSize` in the JSON body, answered with `totalMembers` and
/// `totalPages` at the top.
pub const SPEND_PAGES: Pagination =
    Pagination::numbered(ParamLocation::Body, "page", "pageSize", MoreSignal::TotalPages("/totalPages"))
        .page_fields(&["totalPages"]);

/// The audit logs' range: `startTime`/`endTime` in the query, every documented form as given.
pub const AUDIT_LOG_DATES: DateParams =
    DateParams::new("startTime", "endTime", ParamLocation::Query, DateFormat::AsGiven);

/// Usage ranges: `startDate`/`endDate` as epoch milliseconds in the JSON body.
pub const EPOCH_MILLIS_DATES: DateParams =
    DateParams::new("startDate", "endDate", ParamLocation::Body, DateFormat::EpochMillis);

/// `GET /teams/members`: every team member.
pub const LIST_MEMBERS: Endpoint = Endpoint::get("admin.members", ADMIN_API, "/teams/members", ADMIN_BUCKET);

/// `GET /teams/audit-logs`: audit events, paged (`page`/`pageSize` in the query), at most 30
/// days per request.
pub const AUDIT_LOGS: Endpoint = Endpoint::get("admin.audit_logs", ADMIN_API, "/teams/audit-logs", ADMIN_BUCKET)
    .paginated(AUDIT_LOG_PAGES)
    .dates(AUDIT_LOG_DATES, Some(30));

/// `POST /teams/daily-usage-data`: daily usage rows; a query with a body, so it may be
/// retried. Split at 30 days (one document allows 90; the smaller cap works with both).
pub const DAILY_USAGE: Endpoint =
    Endpoint::post("admin.daily_usage", ADMIN_API, "/teams/daily-usage-data", ADMIN_BUCKET)
        .idempotent_because("a query with a body: it only reads")
        .dates(EPOCH_MILLIS_DATES, Some(30));

/// `POST /teams/spend`: members' spend this billing month, paged (`page` in the body).
pub const SPEND: Endpoint = Endpoint::post("admin.spend", ADMIN_API, "/teams/spend", ADMIN_BUCKET)
    .idempotent_because("a query with a body: it only reads")
    .paginated(SPEND_PAGES);

/// `POST /teams/filtered-usage-events`: usage events, paged (`page` in the body, up to 1000 a
/// page). The documents state no range cap, so ranges are never split. The current overview
/// gives it a budget of its own, 60 requests/minute.
pub const USAGE_EVENTS: Endpoint =
    Endpoint::post("admin.usage_events", ADMIN_API, "/teams/filtered-usage-events", USAGE_EVENTS_BUCKET)
        .idempotent_because("a query with a body: it only reads")
        .paginated(USAGE_EVENT_PAGES)
        .dates(EPOCH_MILLIS_DATES, None);

/// `POST /teams/user-spend-limit`: sets or clears one member's spend limit (its own rate
/// limit: 60 requests/minute in the seeds, 250 in the current overview). It sets a state, so
/// it is retried like a read.
pub const SET_USER_SPEND_LIMIT: Endpoint =
    Endpoint::post("admin.set_user_spend_limit", ADMIN_API, "/teams/user-spend-limit", SPEND_LIMIT_BUCKET)
        .idempotent_because("it sets the member's limit to the value given: sending it again leaves the same limit");

/// `GET /settings/repo-blocklists/repos`: every repository blocklist.
pub const LIST_REPO_BLOCKLISTS: Endpoint =
    Endpoint::get("admin.repo_blocklists", ADMIN_API, "/settings/repo-blocklists/repos", ADMIN_BUCKET);

/// `POST /settings/repo-blocklists/repos/upsert`: replaces the patterns of the repositories
/// given, leaving the others alone.
pub const UPSERT_REPO_BLOCKLISTS: Endpoint =
    Endpoint::post("admin.upsert_repo_blocklists", ADMIN_API, "/settings/repo-blocklists/repos/upsert", ADMIN_BUCKET)
        .idempotent_because(
            "an upsert replaces the patterns of the repositories given: sending it again leaves the same patterns",
        );

/// `DELETE /settings/repo-blocklists/repos/{repoId}`: removes one blocklist (`204`).
pub const DELETE_REPO_BLOCKLIST: Endpoint = Endpoint::delete(
    "admin.delete_repo_blocklist",
    ADMIN_API,
    "/settings/repo-blocklists/repos/{repoId}",
    ADMIN_BUCKET,
)
.empty_response();

/// `GET /teams/groups`: every billing group with its spend, plus the `Unassigned` group.
pub const LIST_GROUPS: Endpoint = Endpoint::get("admin.groups", ADMIN_API, "/teams/groups", ADMIN_BUCKET);

/// `GET /teams/groups/{groupId}`: one billing group with members and spend.
pub const GET_GROUP: Endpoint = Endpoint::get("admin.group", ADMIN_API, "/teams/groups/{groupId}", ADMIN_BUCKET);

/// `POST /teams/groups`: creates a billing group.
pub const CREATE_GROUP: Endpoint = Endpoint::post("admin.create_group", ADMIN_API, "/teams/groups", ADMIN_BUCKET)
    .uncertain_outcome_hint("list the groups to see whether it was created before creating it again");

/// `PATCH /teams/groups/{groupId}`: renames a group or attaches/detaches a directory group
/// (one field per request).
pub const UPDATE_GROUP: Endpoint =
    Endpoint::patch("admin.update_group", ADMIN_API, "/teams/groups/{groupId}", ADMIN_BUCKET)
        .uncertain_outcome_hint("get the group to see whether the change was applied");

/// `DELETE /teams/groups/{groupId}`: deletes a group (`204`); its history moves to `Unassigned`.
pub const DELETE_GROUP: Endpoint =
    Endpoint::delete("admin.delete_group", ADMIN_API, "/teams/groups/{groupId}", ADMIN_BUCKET).empty_response();

/// `POST /teams/groups/{groupId}/members`: adds members to a group.
pub const ADD_GROUP_MEMBERS: Endpoint =
    Endpoint::post("admin.add_group_members", ADMIN_API, "/teams/groups/{groupId}/members", ADMIN_BUCKET)
        .uncertain_outcome_hint("get the group to see whether the members were added before adding them again");

/// `DELETE /teams/groups/{groupId}/members`: removes members from a group (with a JSON body).
pub const REMOVE_GROUP_MEMBERS: Endpoint =
    Endpoint::delete("admin.remove_group_members", ADMIN_API, "/teams/groups/{groupId}/members", ADMIN_BUCKET);

/// `POST /teams/remove-member`: removes a member from the team (by `userId` or `email`). Its
/// own budget in the current overview: 50 requests/minute.
pub const REMOVE_MEMBER: Endpoint =
    Endpoint::post("admin.remove_member", ADMIN_API, "/teams/remove-member", REMOVE_MEMBER_BUCKET)
        .uncertain_outcome_hint(
            "list the members and check `isRemoved` to see whether the member was removed before sending it again",
        );

/// `GET /teams/model-access/configuration`: whether the team restricts models (preview).
pub const GET_MODEL_ACCESS_CONFIGURATION: Endpoint =
    Endpoint::get("admin.model_access_configuration", ADMIN_API, "/teams/model-access/configuration", ADMIN_BUCKET);

/// `PUT /teams/model-access/configuration`: turns the restriction on or off (preview). Sets a
/// state, so it is safe to repeat.
pub const SET_MODEL_ACCESS_CONFIGURATION: Endpoint =
    Endpoint::put("admin.set_model_access_restricted", ADMIN_API, "/teams/model-access/configuration", ADMIN_BUCKET);

/// `GET /teams/model-access/providers`: the providers and whether each is allowed (preview;
/// `409` when the team is unrestricted).
pub const LIST_MODEL_PROVIDERS: Endpoint =
    Endpoint::get("admin.model_providers", ADMIN_API, "/teams/model-access/providers", ADMIN_BUCKET);

/// `PUT /teams/model-access/providers/{provider}`: allows or blocks a provider (preview).
pub const SET_MODEL_PROVIDER: Endpoint = Endpoint::put(
    "admin.set_model_provider_allowed",
    ADMIN_API,
    "/teams/model-access/providers/{provider}",
    ADMIN_BUCKET,
);

/// `GET /teams/model-access/providers/{provider}/models`: a provider's models and whether
/// each is allowed (preview).
pub const LIST_PROVIDER_MODELS: Endpoint =
    Endpoint::get("admin.provider_models", ADMIN_API, "/teams/model-access/providers/{provider}/models", ADMIN_BUCKET);

/// `PUT /teams/model-access/providers/{provider}/models/{model}`: allows or blocks one model
/// (preview).
pub const SET_PROVIDER_MODEL: Endpoint = Endpoint::put(
    "admin.set_provider_model_allowed",
    ADMIN_API,
    "/teams/model-access/providers/{provider}/models/{model}",
    ADMIN_BUCKET,
);

/// The endpoints the seed documents do not have, from the current documentation (NEWER.md).
pub const NEWER_ENDPOINTS: &[&Endpoint] = &[
    &REMOVE_MEMBER,
    &GET_MODEL_ACCESS_CONFIGURATION,
    &SET_MODEL_ACCESS_CONFIGURATION,
    &LIST_MODEL_PROVIDERS,
    &SET_MODEL_PROVIDER,
    &LIST_PROVIDER_MODELS,
    &SET_PROVIDER_MODEL,
];

/// Every Admin API endpoint, for contract tests and tooling.
pub const ENDPOINTS: &[&Endpoint] = &[
    &LIST_MEMBERS,
    &AUDIT_LOGS,
    &DAILY_USAGE,
    &SPEND,
    &USAGE_EVENTS,
    &SET_USER_SPEND_LIMIT,
    &LIST_REPO_BLOCKLISTS,
    &UPSERT_REPO_BLOCKLISTS,
    &DELETE_REPO_BLOCKLIST,
    &LIST_GROUPS,
    &GET_GROUP,
    &CREATE_GROUP,
    &UPDATE_GROUP,
    &DELETE_GROUP,
    &ADD_GROUP_MEMBERS,
    &REMOVE_GROUP_MEMBERS,
    &REMOVE_MEMBER,
    &GET_MODEL_ACCESS_CONFIGURATION,
    &SET_MODEL_ACCESS_CONFIGURATION,
    &LIST_MODEL_PROVIDERS,
    &SET_MODEL_PROVIDER,
    &LIST_PROVIDER_MODELS,
    &SET_PROVIDER_MODEL,
];

#[cfg(test)]
mod tests {
    use super::*;
    use cursor_core::{Method, ResponseKind};

    #[test]
    fn twenty_three_endpoints_with_unique_names_and_routes() {
        // 16 from the seeds, 7 from the current documents.
        assert_eq!(ENDPOINTS.len(), 23);
        assert_eq!(NEWER_ENDPOINTS.len(), 7);
        assert!(NEWER_ENDPOINTS.iter().all(|e| ENDPOINTS.contains(e)));
        let mut names: Vec<_> = ENDPOINTS.iter().map(|e| e.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 23);
        let mut routes: Vec<_> = ENDPOINTS.iter().map(|e| (e.method.as_str(), e.path)).collect();
        routes.sort_unstable();
        routes.dedup();
        assert_eq!(routes.len(), 23);
        assert!(ENDPOINTS.iter().all(|e| e.api == ADMIN_API && e.name.starts_with("admin.")));
    }

    #[test]
    fn declarations_follow_the_documents() {
        // The spend limit, usage events and member removal have budgets of their own.
        for endpoint in ENDPOINTS {
            let expected = match endpoint.path {
                "/teams/user-spend-limit" => SPEND_LIMIT_BUCKET,
                "/teams/filtered-usage-events" => USAGE_EVENTS_BUCKET,
                "/teams/remove-member" => REMOVE_MEMBER_BUCKET,
                _ => ADMIN_BUCKET,
            };
            assert_eq!(endpoint.bucket, expected, "{}", endpoint.name);
        }
        // POSTs that only read may be retried; writes may not.
        for endpoint in [&DAILY_USAGE, &SPEND, &USAGE_EVENTS] {
            assert!(endpoint.method == Method::Post && endpoint.idempotent, "{}", endpoint.name);
        }
        // Writes that set a state are idempotent; the others are not, and say what to do
        // when their outcome is unknown.
        for endpoint in [&SET_USER_SPEND_LIMIT, &UPSERT_REPO_BLOCKLISTS] {
            assert!(endpoint.idempotent && endpoint.uncertain_outcome_hint.is_none(), "{}", endpoint.name);
        }
        for endpoint in [&CREATE_GROUP, &UPDATE_GROUP, &ADD_GROUP_MEMBERS, &REMOVE_MEMBER] {
            assert!(!endpoint.idempotent && endpoint.uncertain_outcome_hint.is_some(), "{}", endpoint.name);
        }
        // Deletes answer 204, except member removal, which answers with the group.
        assert_eq!(DELETE_REPO_BLOCKLIST.response, ResponseKind::Empty);
        assert_eq!(DELETE_GROUP.response, ResponseKind::Empty);
        assert_eq!(REMOVE_GROUP_MEMBERS.method, Method::Delete);
        assert_eq!(REMOVE_GROUP_MEMBERS.response, ResponseKind::Json);
        // Paging and date dialects.
        assert_eq!(
            (AUDIT_LOGS.pagination, AUDIT_LOGS.dates, AUDIT_LOGS.max_range_days),
            (Some(AUDIT_LOG_PAGES), Some(AUDIT_LOG_DATES), Some(30))
        );
        assert_eq!((DAILY_USAGE.dates, DAILY_USAGE.max_range_days), (Some(EPOCH_MILLIS_DATES), Some(30)));
        assert_eq!(SPEND.pagination, Some(SPEND_PAGES));
        assert_eq!(
            (USAGE_EVENTS.pagination, USAGE_EVENTS.dates, USAGE_EVENTS.max_range_days),
            (Some(USAGE_EVENT_PAGES), Some(EPOCH_MILLIS_DATES), None)
        );
        assert_eq!(GET_GROUP.path_params(), ["groupId"]);
        // The model-access writes set a state: safe to repeat.
        for endpoint in [&SET_MODEL_ACCESS_CONFIGURATION, &SET_MODEL_PROVIDER, &SET_PROVIDER_MODEL] {
            assert!(endpoint.idempotent, "{}", endpoint.name);
        }
        assert_eq!(SET_PROVIDER_MODEL.path_params(), ["provider", "model"]);
        assert_eq!(DELETE_REPO_BLOCKLIST.path_params(), ["repoId"]);
    }
}
