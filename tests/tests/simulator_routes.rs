//! The simulator serves every route the API crates declare (read from their `ENDPOINTS`
//! lists, not retyped): none answers 405, or 404 for being unrouted.

use cursor_tests::{declared_endpoints, start_mock};

/// A value for a path parameter: the simulator's seeded group and blocklist entry where one
/// is needed to reach the handler, any id elsewhere (a missing agent is the handler's own 404).
fn parameter_value(name: &str) -> &'static str {
    match name {
        "groupId" => "group_PDSPmvukpYgZEDXsoNirw3CFhy",
        "repoId" => "repo_123",
        _ => "x_route_check",
    }
}

/// `path` with every `{name}` replaced by [`parameter_value`].
fn filled(path: &str) -> String {
    path.split('/')
        .map(|segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => parameter_value(name).to_owned(),
            None => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_declared_route_is_served() {
    let server = start_mock().await;
    let http = reqwest::Client::new();
    let endpoints = declared_endpoints();
    assert!(endpoints.len() > 65, "the seeds' 51 routes, the current documents' 14 and v1");
    // What an unrouted path answers, so the check below is known to tell it apart.
    let unrouted = http
        .get(format!("{}/teams/no-such-route", server.base_url()))
        .basic_auth("key_routes", Some(""))
        .send()
        .await
        .expect("the simulator answers");
    assert_eq!(unrouted.status().as_u16(), 404);
    assert!(unrouted.text().await.expect("a body").contains("Resource not found"));
    for endpoint in endpoints {
        let path = filled(endpoint.path);
        let method = reqwest::Method::from_bytes(endpoint.method.as_str().as_bytes()).expect("an HTTP method");
        let response = http
            .request(method, format!("{}{path}", server.base_url()))
            .basic_auth("key_routes", Some(""))
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .expect("the simulator answers");
        let status = response.status().as_u16();
        assert_ne!(status, 405, "{} {path}", endpoint.name);
        let body = response.text().await.expect("a body");
        // A 404 is only acceptable as the resource's own "not found", never as "no route".
        if status == 404 {
            assert!(
                !body.contains("Resource not found") && !body.contains("\"Not found\""),
                "{} {path}: {body}",
                endpoint.name
            );
        }
    }
}
