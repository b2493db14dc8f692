//! A new API family is a crate of declarations that edits nothing in `cursor-core`: this test
//! declares an "Organization API" the core has never seen — its own family, a bucket with its
//! own rate, cursor pages under its own parameter names and answer field, and a date range in
//! its own parameters capped at 7 days — and shows every mechanism of the core working from
//! those declarations alone: the limiter, the paging loop, the windows and the observer.
//! The core names no Cursor API; this file is the proof that it needs none.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cursor_core::testing::loopback_client;
use cursor_core::{
    Api, Bucket, DateFormat, DateParams, DateRange, DateSpec, Endpoint, Event, FnObserver, NextPage, Page, Pagination,
    ParamLocation, Rate, RateLimits, Request,
};
use futures_util::TryStreamExt as _;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::TcpListener;

/// The family, as its crate would declare it.
const ORG_API: Api = Api::new("org", "the Organization API");
/// 3 requests every 300 ms.
const ORG_BUCKET: Bucket = Bucket::new("org", &[Rate { requests: 3, period: Duration::from_millis(300) }]);
/// `?after=…&first=…`, answered with `{"page": {"next": …}}`.
const ORG_PAGES: Pagination = Pagination::cursor("after", "first", "/page/next").page_fields(&["page"]);
/// `from`/`to` in the query, as days.
const ORG_DATES: DateParams = DateParams::new("from", "to", ParamLocation::Query, DateFormat::Days);
/// `GET /org/activity`: activity entries, paged by cursor, at most 7 days a request.
const ACTIVITY: Endpoint =
    Endpoint::get("org.activity", ORG_API, "/org/activity", ORG_BUCKET).paginated(ORG_PAGES).dates(ORG_DATES, Some(7));

/// One page of activity, as the family's crate would model it.
#[derive(Deserialize)]
struct ActivityPage {
    entries: Vec<Entry>,
    page: PageInfo,
}

#[derive(Deserialize)]
struct PageInfo {
    next: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entry {
    id: String,
}

impl Page for ActivityPage {
    type Item = Entry;
    fn item_id(item: &Entry) -> Option<String> {
        Some(item.id.clone())
    }
    fn next_page(&self, _requested: u32) -> NextPage {
        cursor_core::next_by_cursor(self.page.next.as_deref())
    }
    fn into_items(self) -> Vec<Entry> {
        self.entries
    }
}

/// A loopback server for `/org/activity`: each window (`from`) has two pages, the second
/// reached with `after=<from>-2`; records every request line.
async fn serve(requests: Arc<Mutex<Vec<String>>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let requests = requests.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                while let Ok(Some(request_line)) = lines.next_line().await {
                    while let Ok(Some(header)) = lines.next_line().await {
                        if header.is_empty() {
                            break;
                        }
                    }
                    let target = request_line.split(' ').nth(1).unwrap_or_default().to_owned();
                    requests.lock().expect("requests").push(target.clone());
                    let param = |name: &str| {
                        target
                            .split(['?', '&'])
                            .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
                            .map(str::to_owned)
                    };
                    let from = param("from").unwrap_or_default();
                    let body = match param("after") {
                        None => serde_json::json!({"entries": [{"id": format!("{from}-1")}], "page": {"next": format!("{from}-2")}}),
                        Some(after) => serde_json::json!({"entries": [{"id": after}], "page": {"next": null}}),
                    }
                    .to_string();
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if write.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

#[tokio::test]
async fn a_family_core_has_never_seen_runs_on_its_declarations_alone() {
    let requests = Arc::new(Mutex::new(Vec::new()));
    let url = serve(requests.clone()).await;
    let families = Arc::new(Mutex::new(Vec::new()));
    let seen = families.clone();
    let client = loopback_client(&url)
        // The declared default rates, not the loopback builder's "no limits".
        .rate_limits(RateLimits::default())
        .observer(FnObserver(move |event: &Event<'_>| {
            if let Event::RateLimitWait { api, bucket, .. } = event {
                seen.lock().expect("events").push((api.as_str(), bucket.as_str()));
            }
        }))
        .build()
        .expect("a client");
    assert_eq!(client.current_rates(&ACTIVITY), ORG_BUCKET.default_rates(), "the declared rate is in force");

    // 20 days at 7 a request: three windows in the family's own date parameters.
    let now = client.now();
    let range = DateRange::new(DateSpec::Date(now.date() - time::Duration::days(19)), DateSpec::Date(now.date()));
    let windows = Request::new(&ACTIVITY).with_range(&range, now).expect("a valid range");
    assert_eq!(windows.len(), 3);

    let started = Instant::now();
    let entries: Vec<Entry> = client.items_across::<ActivityPage>(windows).try_collect().await.expect("every page");
    let elapsed = started.elapsed();

    // Every page of every window, each item once, in order.
    let ids: Vec<String> = entries.into_iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), 6, "{ids:?}");
    let sent = requests.lock().expect("requests").clone();
    assert_eq!(sent.len(), 6, "{sent:?}");
    assert!(sent.iter().all(|t| t.starts_with("/org/activity?from=") && t.contains("&to=")), "{sent:?}");
    assert_eq!(sent.iter().filter(|t| t.contains("&after=")).count(), 3, "the cursor goes in `after`: {sent:?}");
    // Six requests at 3 per 300 ms cannot finish before the second period opens.
    assert!(elapsed >= Duration::from_millis(300), "the bucket's declared rate held: {elapsed:?}");
    // The limiter made requests wait, and said for which family and bucket, by their declared names.
    let families = families.lock().expect("events").clone();
    assert!(!families.is_empty(), "requests past the third waited for the bucket");
    assert!(families.iter().all(|f| *f == ("org", "org")), "{families:?}");

    // The untyped reader follows the declared answer field as well.
    let bodies: Vec<serde_json::Value> =
        client.declared_pages(Request::new(&ACTIVITY).query("from", "2026-01-01")).try_collect().await.expect("pages");
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[1]["entries"][0]["id"], "2026-01-01-2");
}
