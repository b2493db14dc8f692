//! `cursor api METHOD PATH`: any request, through the SDK's rate limits, retries and auth
//! (like `gh api`). The METHOD and PATH are matched against the endpoints the API crates
//! declare, so a request goes through its own bucket and is retried only as its idempotency
//! allows; an undeclared path goes through its API family's bucket and, unless it is a `GET`,
//! is never sent twice.

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;

use clap::Args;
use cursor_core::{Api, Bucket, Endpoint, Method, Request, ResponseKind};
use futures_util::TryStreamExt as _;
use serde_json::{Map, Value};

use super::{Ctx, UsageError};

/// `cursor api` arguments.
#[derive(Args, Debug)]
#[command(after_long_help = "\
Matching: METHOD and PATH are matched against every endpoint the SDK declares (Admin, \
Analytics, AI Code Tracking, Cloud Agents v0 and v1, Bugbot); a match uses that endpoint's \
rate-limit bucket, retry rules, answer kind (JSON, CSV, event stream, empty) and pagination. \
A path no endpoint declares goes through the bucket of its API family (by path prefix: \
/teams and /settings Admin, /analytics/ai-code AI Code Tracking, /analytics/by-user and \
/analytics Analytics, /v0 and /v1 Cloud Agents, /bugbot Bugbot) and, unless it is a GET, is \
treated as not idempotent: never sent again once it may have reached the server.

Output: the answer's body as JSON, pretty at a terminal and compact in a pipe; CSV and \
event-stream answers as they arrive; nothing for an empty answer.

Examples:
  cursor api GET /teams/members
  cursor api GET /teams/audit-logs -f pageSize=50 --paginate
  cursor api POST /teams/spend -F page=2
  cursor api POST /teams/groups -f name=Platform
  cursor api POST /v0/agents --input launch.json
  cursor api GET /analytics/ai-code/commits.csv > commits.csv")]
pub(crate) struct ApiArgs {
    /// The HTTP method: GET, POST, PUT, PATCH or DELETE.
    #[arg(value_parser = parse_method)]
    method: Method,
    /// The path, starting with `/` (a query string may follow `?`).
    path: String,
    /// A text field, key=value: in the query for GET, in the JSON body otherwise (repeatable).
    #[arg(short = 'f', long = "field", value_name = "KEY=VALUE")]
    fields: Vec<String>,
    /// A JSON field, key=JSON (a number, true, null, an object, …) or key=@FILE for a file's
    /// JSON (repeatable).
    #[arg(short = 'F', long = "json-field", value_name = "KEY=JSON")]
    json_fields: Vec<String>,
    /// Follow the endpoint's pagination (page numbers or cursors) and print one document with
    /// the items of every page.
    #[arg(long)]
    paginate: bool,
    /// The request body: a file of JSON, or `-` for standard input (not with -f/-F on a
    /// request with a body).
    #[arg(long, value_name = "FILE|-")]
    input: Option<PathBuf>,
}

fn parse_method(text: &str) -> Result<Method, String> {
    match text.to_ascii_uppercase().as_str() {
        "GET" => Ok(Method::Get),
        "POST" => Ok(Method::Post),
        "PUT" => Ok(Method::Put),
        "PATCH" => Ok(Method::Patch),
        "DELETE" => Ok(Method::Delete),
        _ => Err(format!("`{text}` is not one of GET, POST, PUT, PATCH, DELETE")),
    }
}

/// Every endpoint the SDK declares.
fn declared_endpoints() -> impl Iterator<Item = &'static Endpoint> {
    [
        cursor_admin::ENDPOINTS,
        cursor_analytics::ENDPOINTS,
        cursor_aicode::ENDPOINTS,
        cursor_agents::ENDPOINTS,
        cursor_agents::v1::endpoints::ENDPOINTS,
        cursor_bugbot::ENDPOINTS,
    ]
    .into_iter()
    .flatten()
    .copied()
}

/// The declared endpoint for a method and a concrete path (without its query), with the
/// values of its path parameters (still percent-encoded as given). Where several templates
/// match (`/v1/agents/{id}` and `/v1/agents/me`, say), the one with the most literal segments
/// wins.
fn match_endpoint(method: Method, path: &str) -> Option<(&'static Endpoint, Vec<(&'static str, String)>)> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    declared_endpoints()
        .filter(|endpoint| endpoint.method == method)
        .filter_map(|endpoint| {
            let template: Vec<&'static str> = endpoint.path.trim_start_matches('/').split('/').collect();
            if template.len() != segments.len() {
                return None;
            }
            let mut params = Vec::new();
            let mut literals = 0;
            for (pattern, segment) in template.iter().zip(&segments) {
                if let Some(name) = pattern.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                    if segment.is_empty() {
                        return None;
                    }
                    params.push((name, (*segment).to_owned()));
                } else if pattern == segment {
                    literals += 1;
                } else {
                    return None;
                }
            }
            Some((literals, endpoint, params))
        })
        .max_by_key(|(literals, _, _)| *literals)
        .map(|(_, endpoint, params)| (endpoint, params))
}

/// The API family and bucket of an undeclared path, by its prefix.
fn family_of(path: &str) -> Option<(Api, Bucket)> {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    if under("/teams") || under("/settings") {
        Some((cursor_admin::endpoints::ADMIN_API, cursor_admin::endpoints::ADMIN_BUCKET))
    } else if under("/analytics/ai-code") {
        Some((cursor_aicode::endpoints::AICODE_API, cursor_aicode::endpoints::AICODE_BUCKET))
    } else if under("/analytics/by-user") {
        Some((cursor_analytics::endpoints::ANALYTICS_API, cursor_analytics::endpoints::BY_USER_BUCKET))
    } else if under("/analytics") {
        Some((cursor_analytics::endpoints::ANALYTICS_API, cursor_analytics::endpoints::TEAM_BUCKET))
    } else if under("/v0") || under("/v1") {
        Some((cursor_agents::endpoints::AGENTS_API, cursor_agents::endpoints::AGENTS_BUCKET))
    } else if under("/bugbot") {
        Some((cursor_bugbot::endpoints::BUGBOT_API, cursor_bugbot::endpoints::BUGBOT_BUCKET))
    } else {
        None
    }
}

/// The name of every endpoint built for an undeclared path (in errors and `-v` lines).
const UNDECLARED: &str = "api.undeclared";

/// An endpoint for a path no API crate declares: its family's bucket, JSON answers, and not
/// idempotent unless it is a `GET`. Requests borrow their endpoint for `'static`, so this one
/// is leaked: one small allocation for the one request of the process.
fn undeclared_endpoint(method: Method, path: &str) -> anyhow::Result<&'static Endpoint> {
    let Some((api, bucket)) = family_of(path) else {
        return Err(UsageError(format!(
            "`{path}` is not under a Cursor API (/teams, /settings, /analytics, /v0, /v1, /bugbot)"
        ))
        .into());
    };
    let path: &'static str = String::leak(path.to_owned());
    let mut endpoint = match method {
        Method::Get => Endpoint::get(UNDECLARED, api, path, bucket),
        Method::Post => Endpoint::post(UNDECLARED, api, path, bucket),
        Method::Put => Endpoint::put(UNDECLARED, api, path, bucket),
        Method::Patch => Endpoint::patch(UNDECLARED, api, path, bucket),
        Method::Delete => Endpoint::delete(UNDECLARED, api, path, bucket),
    };
    endpoint.idempotent = method == Method::Get;
    Ok(Box::leak(Box::new(endpoint)))
}

/// Decodes `%XX` escapes (a path segment or query value as typed), so that the SDK encodes
/// the value once, not twice.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The fields of `-f` and `-F`, in order.
fn fields(args: &ApiArgs) -> anyhow::Result<Vec<(String, Value)>> {
    let split = |raw: &str, flag: &str| -> anyhow::Result<(String, String)> {
        match raw.split_once('=') {
            Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
            _ => Err(UsageError(format!("{flag} `{raw}`: expected KEY=VALUE")).into()),
        }
    };
    let mut out = Vec::new();
    for raw in &args.fields {
        let (key, value) = split(raw, "-f")?;
        out.push((key, Value::String(value)));
    }
    for raw in &args.json_fields {
        let (key, value) = split(raw, "-F")?;
        let (text, origin) = match value.strip_prefix('@') {
            Some(file) => (
                std::fs::read_to_string(file).map_err(|e| UsageError(format!("-F {key}=@{file}: {e}")))?,
                format!("the file {file}"),
            ),
            None => (value.clone(), format!("`{value}`")),
        };
        let json = serde_json::from_str(&text)
            .map_err(|e| UsageError(format!("-F {key}: {origin} is not JSON ({e}); use -f for a text value")))?;
        out.push((key, json));
    }
    Ok(out)
}

/// The body of `--input`: a file's JSON, or standard input's for `-`.
fn input_body(path: &std::path::Path) -> anyhow::Result<Value> {
    let text = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| UsageError(format!("--input -: {e}")))?
    } else {
        std::fs::read_to_string(path).map_err(|e| UsageError(format!("--input {}: {e}", path.display())))?
    };
    serde_json::from_str(&text).map_err(|e| UsageError(format!("--input {}: not JSON ({e})", path.display())).into())
}

/// The request the arguments describe, and its endpoint.
fn build_request(args: &ApiArgs) -> anyhow::Result<Request> {
    if !args.path.starts_with('/') {
        return Err(UsageError(format!("the path must start with `/`: `{}`", args.path)).into());
    }
    let (path, query) = match args.path.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (args.path.as_str(), None),
    };
    let mut request = match match_endpoint(args.method, path) {
        Some((endpoint, params)) => {
            let mut request = Request::new(endpoint);
            for (name, value) in params {
                request = request.path_param(name, percent_decode(&value))?;
            }
            request
        }
        None => Request::new(undeclared_endpoint(args.method, path)?),
    };
    for pair in query.into_iter().flat_map(|q| q.split('&')).filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        request = request.query(&percent_decode(key), percent_decode(value));
    }
    let fields = fields(args)?;
    if args.method == Method::Get {
        if args.input.is_some() {
            return Err(UsageError("--input sends a body, and a GET has none: use -f for query fields".into()).into());
        }
        for (key, value) in fields {
            let text = match value {
                Value::String(text) => text,
                other => other.to_string(),
            };
            request = request.query(&key, text);
        }
    } else if let Some(input) = &args.input {
        if !fields.is_empty() {
            return Err(UsageError("give the body with --input or with -f/-F, not both".into()).into());
        }
        request = request.json(&input_body(input)?)?;
    } else if !fields.is_empty() {
        request = request.json(&Value::Object(fields.into_iter().collect::<Map<String, Value>>()))?;
    }
    Ok(request)
}

/// Runs `cursor api`.
pub(crate) async fn run(ctx: &Ctx, args: ApiArgs) -> anyhow::Result<()> {
    let request = build_request(&args)?;
    let endpoint = request.endpoint();
    if args.paginate {
        if endpoint.pagination.is_none() {
            return Err(UsageError(format!(
                "--paginate: {} {} is not a paginated endpoint",
                endpoint.method.as_str(),
                request.path()
            ))
            .into());
        }
        let document = all_pages(ctx, request).await?;
        return print_json(&document);
    }
    match endpoint.response {
        ResponseKind::Empty => ctx.client.send_empty(request).await.map_err(Into::into),
        ResponseKind::Csv | ResponseKind::EventStream => {
            let mut stream = ctx.client.send_streaming(request).await?;
            while let Some(chunk) = stream.try_next().await? {
                // Written chunk by chunk as it arrives (an event stream may never end), as
                // bytes, so that a closed pipe is an I/O error the caller recognizes.
                let mut stdout = std::io::stdout().lock();
                stdout.write_all(&chunk)?;
                stdout.flush()?;
            }
            Ok(())
        }
        ResponseKind::Json if endpoint.name == UNDECLARED => {
            // An undeclared endpoint may answer anything, `204 No Content` included.
            let mut body = Vec::new();
            ctx.client.send_streaming(request).await?.copy_to(&mut body).await?;
            if body.iter().all(u8::is_ascii_whitespace) {
                return Ok(());
            }
            match serde_json::from_slice::<Value>(&body) {
                Ok(value) => print_json(&value),
                Err(_) => Ok(std::io::stdout().lock().write_all(&body)?),
            }
        }
        ResponseKind::Json => print_json(&ctx.client.send_json::<Value>(request).await?),
    }
}

/// Prints JSON: pretty at a terminal, compact (one line) in a pipe.
fn print_json(value: &Value) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    let mut text = if stdout.is_terminal() { serde_json::to_vec_pretty(value)? } else { serde_json::to_vec(value)? };
    text.push(b'\n');
    // Written as bytes, so that a closed pipe is an I/O error the caller recognizes.
    stdout.write_all(&text)?;
    Ok(())
}

/// Every page of a paginated request, merged into one document (see [`merge_page`]); the
/// endpoint's declared pagination says what follows each page and which fields describe one
/// page only (left out of the whole).
async fn all_pages(ctx: &Ctx, request: Request) -> anyhow::Result<Value> {
    let page_fields = request.endpoint().pagination.map_or(&[][..], |p| p.page_fields);
    let bodies: Vec<Value> = ctx.client.declared_pages(request).try_collect().await?;
    let mut document = Value::Null;
    for body in bodies {
        merge_page(&mut document, body);
    }
    if let Value::Object(map) = &mut document {
        for key in page_fields {
            map.remove(*key);
        }
    }
    Ok(document)
}

/// Adds a page to the merged document: arrays are appended in server order (the items),
/// objects are merged key by key (the by-user maps, the leaderboards' nested lists), and any
/// other value keeps the first page's (totals, `subscriptionCycleStart`, `params`).
fn merge_page(document: &mut Value, page: Value) {
    match (document, page) {
        (Value::Array(items), Value::Array(more)) => items.extend(more),
        (Value::Object(fields), Value::Object(more)) => {
            for (key, value) in more {
                match fields.get_mut(&key) {
                    Some(existing) => merge_page(existing, value),
                    None => {
                        fields.insert(key, value);
                    }
                }
            }
        }
        (document @ Value::Null, page) => *document = page,
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn args(method: &str, path: &str, fields: &[&str], json_fields: &[&str]) -> ApiArgs {
        ApiArgs {
            method: parse_method(method).unwrap(),
            path: path.to_owned(),
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
            json_fields: json_fields.iter().map(|f| (*f).to_owned()).collect(),
            paginate: false,
            input: None,
        }
    }

    #[test]
    fn declared_endpoints_are_matched_with_their_parameters_and_literals_win() {
        let (endpoint, params) = match_endpoint(Method::Get, "/teams/groups/group_1").unwrap();
        assert_eq!((endpoint.name, params), ("admin.group", vec![("groupId", "group_1".to_owned())]));
        assert_eq!(match_endpoint(Method::Get, "/v1/me").unwrap().0.name, "agents.v1.me");
        assert_eq!(match_endpoint(Method::Post, "/v0/agents").unwrap().0, &cursor_agents::endpoints::LAUNCH_AGENT);
        assert!(match_endpoint(Method::Get, "/teams/nope").is_none());
        assert!(match_endpoint(Method::Get, "/teams/groups/").is_none(), "an empty parameter matches nothing");
    }

    #[test]
    fn a_launch_is_not_idempotent_and_an_undeclared_write_is_not_either() {
        let launch = build_request(&args("POST", "/v0/agents", &["x=1"], &[])).unwrap();
        assert!(!launch.is_idempotent());
        assert_eq!(launch.endpoint().bucket, cursor_agents::endpoints::AGENTS_BUCKET);
        let unknown = build_request(&args("PUT", "/teams/something-new", &[], &[])).unwrap();
        assert!(!unknown.is_idempotent(), "a PUT is idempotent by HTTP's rules, but not an unknown one");
        assert_eq!(unknown.endpoint().bucket, cursor_admin::endpoints::ADMIN_BUCKET);
        let read = build_request(&args("GET", "/analytics/by-user/new-metric", &[], &[])).unwrap();
        assert!(read.is_idempotent());
        assert_eq!(read.endpoint().bucket, cursor_analytics::endpoints::BY_USER_BUCKET);
        assert!(build_request(&args("GET", "/elsewhere", &[], &[])).unwrap_err().is::<UsageError>());
    }

    #[test]
    fn fields_go_in_the_query_for_get_and_in_the_body_otherwise() {
        let get =
            build_request(&args("GET", "/teams/audit-logs?search=a%20b", &["users=x@y.com"], &["pageSize=5"])).unwrap();
        assert_eq!(get.path_and_query(), "/teams/audit-logs?search=a%20b&users=x@y.com&pageSize=5");
        assert!(get.body().is_none());
        let post =
            build_request(&args("POST", "/teams/spend", &["searchTerm=ann"], &["page=2", "x={\"a\":[1]}"])).unwrap();
        assert_eq!(post.body(), Some(&json!({"searchTerm": "ann", "page": 2, "x": {"a": [1]}})));
        let bad = build_request(&args("POST", "/teams/spend", &[], &["page=two"])).unwrap_err();
        assert!(bad.is::<UsageError>(), "{bad}");
        assert!(build_request(&args("POST", "/teams/spend", &["novalue"], &[])).unwrap_err().is::<UsageError>());
    }

    #[test]
    fn path_parameters_are_encoded_once() {
        let request = build_request(&args("GET", "/teams/groups/a%2Fb", &[], &[])).unwrap();
        assert_eq!(request.path(), "/teams/groups/a%2Fb");
    }

    #[test]
    fn pages_merge_items_in_order_and_keep_the_first_pages_totals() {
        let mut document = Value::Null;
        merge_page(&mut document, json!({"events": [1, 2], "total": 3, "data": {"a": [1]}}));
        merge_page(&mut document, json!({"events": [3], "total": 3, "data": {"a": [2], "b": [3]}}));
        assert_eq!(document, json!({"events": [1, 2, 3], "total": 3, "data": {"a": [1, 2], "b": [3]}}));
    }
}
