//! Loopback tests of pagination: every shape, empty and single pages, exact stops, and
//! servers that repeat a page or a cursor.

mod common;
use common::*;

mod support;

use cursor_core::{Endpoint, Extra, NextPage, Page, Request, next_by_cursor, next_by_total_count, next_by_total_pages};
use futures_util::TryStreamExt as _;
use serde::Deserialize;
use serde_json::json;
use support::{Reply, ScriptedServer, fast_client};

const AUDIT: Endpoint =
    Endpoint::get("admin.audit_logs", TEAM, "/teams/audit-logs", TEAM_BUCKET).paginated(BLOCK_PAGES);
const EVENTS: Endpoint = Endpoint::post("admin.usage_events", TEAM, "/teams/filtered-usage-events", TEAM_BUCKET)
    .idempotent_because("a query with a body: it only reads")
    .paginated(BODY_BLOCK_PAGES);
const SPEND: Endpoint = Endpoint::post("admin.spend", TEAM, "/teams/spend", TEAM_BUCKET)
    .idempotent_because("a query with a body: it only reads")
    .paginated(BODY_TOTAL_PAGES);
const COMMITS: Endpoint =
    Endpoint::get("aicode.commits", EXPORTS, "/analytics/ai-code/commits", EXPORTS_BUCKET).paginated(TOTAL_COUNT_PAGES);
const AGENTS: Endpoint = Endpoint::get("agents.list", JOBS, "/v0/agents", JOBS_BUCKET).paginated(CURSOR_PAGES);

#[derive(Deserialize)]
struct AuditPage {
    events: Vec<u32>,
    pagination: PageBlock,
}
impl Page for AuditPage {
    type Item = u32;
    fn next_page(&self, requested: u32) -> NextPage {
        self.pagination.next_page(requested)
    }
    fn reported_page(&self) -> Option<u32> {
        self.pagination.page
    }
    fn into_items(self) -> Vec<u32> {
        self.events
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EventsPage {
    usage_events: Vec<u32>,
    pagination: PageBlock,
}
impl Page for EventsPage {
    type Item = u32;
    fn next_page(&self, requested: u32) -> NextPage {
        self.pagination.next_page(requested)
    }
    fn reported_page(&self) -> Option<u32> {
        self.pagination.current_page
    }
    fn into_items(self) -> Vec<u32> {
        self.usage_events
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpendPage {
    team_member_spend: Vec<u32>,
    total_pages: Option<u32>,
}
impl Page for SpendPage {
    type Item = u32;
    fn next_page(&self, requested: u32) -> NextPage {
        next_by_total_pages(requested, self.total_pages)
    }
    fn into_items(self) -> Vec<u32> {
        self.team_member_spend
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CommitsPage {
    items: Vec<u32>,
    total_count: u64,
    page: u32,
    page_size: u32,
}
impl Page for CommitsPage {
    type Item = u32;
    fn next_page(&self, _requested: u32) -> NextPage {
        next_by_total_count(self.page, self.page_size, self.total_count)
    }
    fn reported_page(&self) -> Option<u32> {
        Some(self.page)
    }
    fn into_items(self) -> Vec<u32> {
        self.items
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AgentsPage {
    agents: Vec<u32>,
    next_cursor: Option<String>,
    #[serde(flatten)]
    _extra: Extra,
}
impl Page for AgentsPage {
    type Item = u32;
    fn next_page(&self, _requested: u32) -> NextPage {
        next_by_cursor(self.next_cursor.as_deref())
    }
    fn into_items(self) -> Vec<u32> {
        self.agents
    }
}

fn audit_page(page: u32, total_pages: u32, events: &[u32]) -> Reply {
    Reply::json(
        200,
        json!({"events": events, "pagination": {"page": page, "pageSize": 2, "totalCount": 5, "totalPages": total_pages,
            "hasNextPage": page < total_pages, "hasPreviousPage": page > 1}}),
    )
}

#[tokio::test]
async fn audit_log_pages_in_the_query_stop_after_the_last_page() {
    let server =
        ScriptedServer::start(vec![audit_page(1, 3, &[1, 2]), audit_page(2, 3, &[3, 4]), audit_page(3, 3, &[5])]).await;
    let items: Vec<u32> = fast_client(&server.base_url)
        .items::<AuditPage>(Request::new(&AUDIT).query("pageSize", 2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, vec![1, 2, 3, 4, 5]);
    let targets: Vec<String> = server.received().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        vec![
            "/teams/audit-logs?pageSize=2",
            "/teams/audit-logs?pageSize=2&page=2",
            "/teams/audit-logs?pageSize=2&page=3"
        ]
    );
}

#[tokio::test]
async fn an_empty_result_is_one_request_and_no_items() {
    let server = ScriptedServer::start(vec![Reply::json(
        200,
        json!({"events": [], "pagination": {"page": 1, "pageSize": 100, "totalCount": 0, "totalPages": 0, "hasNextPage": false, "hasPreviousPage": false}}),
    )])
    .await;
    let items: Vec<u32> =
        fast_client(&server.base_url).items::<AuditPage>(Request::new(&AUDIT)).try_collect().await.unwrap();
    assert!(items.is_empty());
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_server_that_repeats_a_page_is_stopped_with_an_error() {
    // Asked for page 2, the server answers page 1 again and says more follow.
    let server =
        ScriptedServer::start(vec![audit_page(1, 3, &[1, 2]), audit_page(1, 3, &[1, 2]), audit_page(1, 3, &[1, 2])])
            .await;
    let result: Result<Vec<u32>, _> =
        fast_client(&server.base_url).items::<AuditPage>(Request::new(&AUDIT)).try_collect().await;
    let err = result.unwrap_err();
    assert!(err.to_string().contains("asked for page 2 but the server answered page 1"), "{err}");
    assert_eq!(server.hits(), 2, "no request after the repeat");
}

#[tokio::test]
async fn a_page_that_claims_more_past_its_own_total_is_an_error() {
    let server = ScriptedServer::start(vec![Reply::json(
        200,
        json!({"events": [1], "pagination": {"page": 1, "pageSize": 1, "totalCount": 1, "totalPages": 1, "hasNextPage": true, "hasPreviousPage": false}}),
    )])
    .await;
    let err = fast_client(&server.base_url)
        .items::<AuditPage>(Request::new(&AUDIT))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(matches!(err, cursor_core::Error::Pagination { .. }), "{err}");
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn usage_events_put_the_page_in_the_body() {
    let page = |current: u32, events: &[u32]| {
        Reply::json(
            200,
            json!({"totalUsageEventsCount": 3, "usageEvents": events, "pagination": {"numPages": 2, "currentPage": current,
                "pageSize": 2, "hasNextPage": current < 2, "hasPreviousPage": current > 1}}),
        )
    };
    let server = ScriptedServer::start(vec![page(1, &[1, 2]), page(2, &[3])]).await;
    let request = Request::new(&EVENTS).json(&json!({"email": "developer@company.com", "pageSize": 2})).unwrap();
    let items: Vec<u32> = fast_client(&server.base_url).items::<EventsPage>(request).try_collect().await.unwrap();
    assert_eq!(items, vec![1, 2, 3]);
    let bodies: Vec<serde_json::Value> = server.received().iter().map(|r| r.json()).collect();
    assert_eq!(bodies[0], json!({"email": "developer@company.com", "pageSize": 2}));
    assert_eq!(bodies[1], json!({"email": "developer@company.com", "pageSize": 2, "page": 2}));
}

#[tokio::test]
async fn spend_pages_by_total_pages_starting_where_the_caller_asked() {
    let page =
        |members: &[u32]| Reply::json(200, json!({"teamMemberSpend": members, "totalMembers": 5, "totalPages": 3}));
    let server = ScriptedServer::start(vec![page(&[3, 4]), page(&[5])]).await;
    let request = Request::new(&SPEND).json(&json!({"page": 2, "pageSize": 2})).unwrap();
    let items: Vec<u32> = fast_client(&server.base_url).items::<SpendPage>(request).try_collect().await.unwrap();
    assert_eq!(items, vec![3, 4, 5]);
    assert_eq!(server.received()[1].json()["page"], json!(3));
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn aicode_pages_by_total_count_and_stops_exactly() {
    let page = |page: u32, items: &[u32]| {
        Reply::json(200, json!({"items": items, "totalCount": 4, "page": page, "pageSize": 2}))
    };
    let server = ScriptedServer::start(vec![page(1, &[1, 2]), page(2, &[3, 4])]).await;
    let items: Vec<u32> = fast_client(&server.base_url)
        .items::<CommitsPage>(Request::new(&COMMITS).query("pageSize", 2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, vec![1, 2, 3, 4]);
    assert_eq!(server.hits(), 2, "4 items at 2 per page is exactly 2 requests");
}

#[tokio::test]
async fn cursor_pages_follow_next_cursor_and_catch_a_repeat() {
    let server = ScriptedServer::start(vec![
        Reply::json(200, json!({"agents": [1], "nextCursor": "c2"})),
        Reply::json(200, json!({"agents": [2], "nextCursor": "c3"})),
        Reply::json(200, json!({"agents": [3]})),
    ])
    .await;
    let items: Vec<u32> = fast_client(&server.base_url)
        .items::<AgentsPage>(Request::new(&AGENTS).query("limit", 1))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, vec![1, 2, 3]);
    let targets: Vec<String> = server.received().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, vec!["/v0/agents?limit=1", "/v0/agents?limit=1&cursor=c2", "/v0/agents?limit=1&cursor=c3"]);

    let server = ScriptedServer::start(vec![
        Reply::json(200, json!({"agents": [1], "nextCursor": "same"})),
        Reply::json(200, json!({"agents": [2], "nextCursor": "same"})),
    ])
    .await;
    let err = fast_client(&server.base_url)
        .items::<AgentsPage>(Request::new(&AGENTS))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("repeated the cursor `same`"), "{err}");
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn pages_are_fetched_lazily() {
    let server = ScriptedServer::start(vec![audit_page(1, 3, &[1, 2]), audit_page(2, 3, &[3, 4])]).await;
    let mut pages = fast_client(&server.base_url).pages::<AuditPage>(Request::new(&AUDIT));
    let first = pages.try_next().await.unwrap().unwrap();
    assert_eq!(first.events, vec![1, 2]);
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(server.hits(), 1, "the second page is not fetched until asked for");
}

#[tokio::test]
async fn items_across_windows_keep_window_order() {
    let server =
        ScriptedServer::start(vec![audit_page(1, 1, &[1, 2]), audit_page(1, 2, &[3]), audit_page(2, 2, &[4])]).await;
    let requests = vec![Request::new(&AUDIT).query("startTime", "a"), Request::new(&AUDIT).query("startTime", "b")];
    let items: Vec<u32> =
        fast_client(&server.base_url).items_across::<AuditPage>(requests).try_collect().await.unwrap();
    assert_eq!(items, vec![1, 2, 3, 4]);
    assert_eq!(server.received()[2].target, "/teams/audit-logs?startTime=b&page=2");
}

#[tokio::test]
async fn declared_pages_read_any_endpoint_by_its_declared_more_signal() {
    // No page type: the endpoint's declaration says where the page goes and what follows.
    let server =
        ScriptedServer::start(vec![audit_page(1, 3, &[1, 2]), audit_page(2, 3, &[3, 4]), audit_page(3, 3, &[5])]).await;
    let client = fast_client(&server.base_url);
    let bodies: Vec<serde_json::Value> = client.declared_pages(Request::new(&AUDIT)).try_collect().await.unwrap();
    let events: Vec<u64> =
        bodies.iter().flat_map(|b| b["events"].as_array().unwrap().iter().map(|e| e.as_u64().unwrap())).collect();
    assert_eq!(events, vec![1, 2, 3, 4, 5]);
    assert_eq!(server.hits(), 3, "stops after the page that says it is the last");

    // A cursor endpoint, with a repeated cursor caught as the typed stream catches it.
    let server = ScriptedServer::start(vec![
        Reply::json(200, json!({"agents": [1], "nextCursor": "c2"})),
        Reply::json(200, json!({"agents": [2], "nextCursor": "c2"})),
    ])
    .await;
    let result: Result<Vec<_>, _> =
        fast_client(&server.base_url).declared_pages(Request::new(&AGENTS)).try_collect().await;
    assert!(result.unwrap_err().to_string().contains("repeated the cursor"));
    assert_eq!(server.received()[1].target, "/v0/agents?cursor=c2");

    // An endpoint declared without pagination is refused before anything is sent.
    const PLAIN: Endpoint = Endpoint::get("team.members", TEAM, "/teams/members", TEAM_BUCKET);
    let server = ScriptedServer::start(vec![]).await;
    let refused: Result<Vec<_>, _> =
        fast_client(&server.base_url).declared_pages(Request::new(&PLAIN)).try_collect().await;
    assert!(refused.unwrap_err().is_invalid_request());
    assert_eq!(server.hits(), 0);
}
