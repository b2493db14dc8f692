//! Helpers shared by the integration tests: a server per test and a small HTTP client.

#![allow(dead_code)]

use cursor_mock::{MockConfig, MockServer};
use reqwest::{Method, Response};
use serde_json::Value;

/// A running server and a client for it.
pub struct Harness {
    pub server: MockServer,
    pub client: reqwest::Client,
}

impl Harness {
    pub async fn start(config: MockConfig) -> Self {
        let server = MockServer::start(config).await.expect("the mock starts");
        Self { server, client: reqwest::Client::new() }
    }

    /// `MockConfig::for_tests()` with a smaller team so that tests stay quick.
    pub async fn default_test() -> Self {
        Self::start(test_config()).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.server.base_url(), path)
    }

    /// A request authenticated the documented way: Basic, key as user name, empty password.
    pub fn request(&self, method: Method, path: &str, key: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(path)).basic_auth(key, Some(""))
    }

    pub async fn get(&self, path: &str, key: &str) -> Response {
        self.request(Method::GET, path, key).send().await.expect("request sent")
    }

    pub async fn get_json(&self, path: &str, key: &str) -> (u16, Value) {
        json_of(self.get(path, key).await).await
    }

    pub async fn send_json(&self, method: Method, path: &str, key: &str, body: Value) -> (u16, Value) {
        let response = self.request(method, path, key).json(&body).send().await.expect("request sent");
        json_of(response).await
    }

    pub async fn post_json(&self, path: &str, key: &str, body: Value) -> (u16, Value) {
        self.send_json(Method::POST, path, key, body).await
    }

    /// The team roster from the control API.
    pub async fn roster(&self) -> Vec<Value> {
        let team: Value = self.client.get(self.url("/__mock/team")).send().await.unwrap().json().await.unwrap();
        team["members"].as_array().unwrap().clone()
    }
}

pub fn test_config() -> MockConfig {
    let mut config = MockConfig::for_tests();
    config.data.members = 60;
    config
}

pub async fn json_of(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("body read");
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
    };
    (status, value)
}

/// Asserts that an object has exactly these keys.
pub fn assert_keys(value: &Value, keys: &[&str]) {
    let mut actual: Vec<&str> =
        value.as_object().unwrap_or_else(|| panic!("not an object: {value}")).keys().map(String::as_str).collect();
    actual.sort_unstable();
    let mut expected = keys.to_vec();
    expected.sort_unstable();
    assert_eq!(actual, expected, "keys of {value}");
}

/// Asserts the Admin/Analytics/AI-code/Bugbot error shape.
pub fn assert_plain_error(body: &Value, error: &str) {
    assert_keys(body, &["error", "message"]);
    assert_eq!(body["error"], error, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
}

/// Asserts the Cloud Agents error shape.
pub fn assert_agents_error(body: &Value, code: &str) {
    assert_keys(body, &["error"]);
    assert_keys(&body["error"], &["code", "message"]);
    assert_eq!(body["error"]["code"], code, "{body}");
}
