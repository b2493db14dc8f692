//! Pagination: what follows a page, and streams of pages and items that fetch lazily
//! and stop exactly at the end.

use std::collections::HashSet;
use std::hash::{BuildHasher, Hash, Hasher, RandomState};

use futures_util::{StreamExt as _, TryStreamExt as _};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::observe::Event;
use crate::request::{PageParam, Request};
use crate::stream::BoxStream;

/// What follows a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextPage {
    /// This was the last page.
    Done,
    /// Ask for this page number next.
    Number(u32),
    /// Ask with this cursor next.
    Cursor(String),
    /// The page contradicts itself (says more follow past its own total); stop with an error.
    Inconsistent(String),
}

/// A page of a paginated endpoint: knows its items and what follows it.
pub trait Page: DeserializeOwned + Send + 'static {
    /// The item type. Items serialize so that a stream can tell an item it already yielded
    /// by its whole row when it has no id (see [`item_id`](Self::item_id)).
    type Item: Serialize + Send + 'static;

    /// The item's own identity (an event id), when it has one. Streams yield an item whose
    /// identity they already yielded only once: at the seam of two date windows that both
    /// cover the boundary instant, or when a page shifts under the reader. Without an id the
    /// whole row is the identity.
    fn item_id(item: &Self::Item) -> Option<String> {
        let _ = item;
        None
    }

    /// What follows this page; `requested` is the page number that was asked for.
    fn next_page(&self, requested: u32) -> NextPage;

    /// The page number the server says it answered, when the shape reports one. A page that
    /// differs from the one asked for means the server repeats pages.
    fn reported_page(&self) -> Option<u32> {
        None
    }

    /// The items, in order.
    fn into_items(self) -> Vec<Self::Item>;
}

/// A page that says whether more follow (`hasNextPage`), and perhaps which page it is and
/// how many there are: the next number, done, or inconsistent when it says more follow past
/// its own last page.
pub fn next_by_flag(page: u32, has_next: bool, total_pages: Option<u32>) -> NextPage {
    if !has_next {
        return NextPage::Done;
    }
    if let Some(total) = total_pages
        && page >= total
    {
        return NextPage::Inconsistent(format!("page {page} of {total} says another page follows"));
    }
    NextPage::Number(page + 1)
}

/// A page that says only how many pages there are; the page number is the one asked for.
pub fn next_by_total_pages(requested: u32, total_pages: Option<u32>) -> NextPage {
    match total_pages {
        Some(total) if requested < total => NextPage::Number(requested + 1),
        _ => NextPage::Done,
    }
}

/// A page that says how many items there are across all pages, and its page and size.
pub fn next_by_total_count(page: u32, page_size: u32, total_count: u64) -> NextPage {
    if page_size > 0 && u64::from(page) * u64::from(page_size) < total_count {
        NextPage::Number(page + 1)
    } else {
        NextPage::Done
    }
}

/// A page that gives the next page's cursor, absent or empty on the last page.
pub fn next_by_cursor(next_cursor: Option<&str>) -> NextPage {
    match next_cursor {
        Some(cursor) if !cursor.is_empty() => NextPage::Cursor(cursor.to_owned()),
        _ => NextPage::Done,
    }
}

struct PageState {
    request: Request,
    requested: u32,
    seen_cursors: HashSet<String>,
    /// Fingerprints of the bodies answered so far: a body answered twice is a repeated page.
    seen_bodies: HashSet<u64>,
}

/// The identities of the items a stream has yielded, keyed with a per-process random key so
/// that no server can make two different items collide on purpose.
pub(crate) struct SeenItems {
    keys: RandomState,
    seen: HashSet<u64>,
}

impl SeenItems {
    pub(crate) fn new() -> Self {
        Self { keys: RandomState::new(), seen: HashSet::new() }
    }

    fn identity<P: Page>(&self, item: &P::Item) -> u64 {
        let mut hasher = self.keys.build_hasher();
        match P::item_id(item) {
            Some(id) => {
                0u8.hash(&mut hasher);
                id.hash(&mut hasher);
            }
            None => {
                1u8.hash(&mut hasher);
                // Serializing a model cannot fail (its maps have string keys); an item that
                // somehow did would be identified by nothing, and so never dropped.
                serde_json::to_vec(item).unwrap_or_default().hash(&mut hasher);
            }
        }
        hasher.finish()
    }

    /// The items of one page not yielded before. A non-empty page none of whose items is new
    /// repeats earlier pages: an error, before anything of it is yielded.
    pub(crate) fn fresh<P: Page>(&mut self, endpoint: &'static str, items: Vec<P::Item>) -> Result<Vec<P::Item>> {
        let identities: Vec<u64> = items.iter().map(|item| self.identity::<P>(item)).collect();
        if !items.is_empty() && identities.iter().all(|id| self.seen.contains(id)) {
            return Err(Error::Pagination {
                endpoint,
                message: format!(
                    "a page repeats {} items already read; stopping instead of yielding them again",
                    items.len()
                ),
            });
        }
        Ok(items.into_iter().zip(identities).filter(|(_, id)| self.seen.insert(*id)).map(|(item, _)| item).collect())
    }
}

impl Client {
    /// The pages of a paginated request, fetched one at a time as the stream is polled. The
    /// stream ends after the page that says it is the last, and fails instead of looping on a
    /// server that repeats a page or a cursor. A page number or cursor already set on the
    /// request is where it starts.
    pub fn pages<P: Page>(&self, request: Request) -> BoxStream<Result<P>> {
        self.pages_reading(request, |page: &P, requested| (page.next_page(requested), page.reported_page()))
    }

    /// The pages of a paginated request as untyped JSON, read by the endpoint's declared
    /// [`Pagination`](crate::Pagination): its [`MoreSignal`](crate::MoreSignal) says what
    /// follows each page. For tools that handle any endpoint (a command line's `api
    /// --paginate`); typed streams use [`pages`](Self::pages). The same guards hold: a
    /// repeated page, a repeated cursor or a page pointing back fails the stream.
    pub fn declared_pages(&self, request: Request) -> BoxStream<Result<serde_json::Value>> {
        let endpoint = request.endpoint();
        let Some(pagination) = endpoint.pagination else {
            let error = Error::invalid(endpoint.name, "this endpoint is not paginated");
            return futures_util::stream::once(async move { Err(error) }).boxed();
        };
        self.pages_reading(request, move |body: &serde_json::Value, requested| {
            (pagination.more.next_page(body, requested), None)
        })
    }

    /// The paging loop: `read` says what follows a page and which page it says it is.
    fn pages_reading<P, R>(&self, request: Request, read: R) -> BoxStream<Result<P>>
    where
        P: DeserializeOwned + Send + 'static,
        R: Fn(&P, u32) -> (NextPage, Option<u32>) + Clone + Send + Sync + 'static,
    {
        let client = self.clone();
        let requested = request.page_number();
        let state = Some(PageState { request, requested, seen_cursors: HashSet::new(), seen_bodies: HashSet::new() });
        futures_util::stream::try_unfold(state, move |state| {
            let client = client.clone();
            let read = read.clone();
            async move {
                let Some(mut state) = state else { return Ok(None) };
                let endpoint = state.request.endpoint.name;
                let (page, fingerprint): (P, u64) = client.send_json_fingerprinted(state.request.clone()).await?;
                let (next, reported) = read(&page, state.requested);
                if let Some(reported) = reported
                    && reported != state.requested
                {
                    return Err(Error::Pagination {
                        endpoint,
                        message: format!("asked for page {} but the server answered page {reported}", state.requested),
                    });
                }
                client.observe(|| Event::PageRead { endpoint, page: state.requested });
                if !state.seen_bodies.insert(fingerprint) {
                    return Err(Error::Pagination {
                        endpoint,
                        message: format!("page {} is the same answer as an earlier page", state.requested),
                    });
                }
                let next = match next {
                    NextPage::Done => None,
                    NextPage::Number(n) if n <= state.requested => {
                        return Err(Error::Pagination {
                            endpoint,
                            message: format!("page {} points back to page {n}", state.requested),
                        });
                    }
                    NextPage::Number(n) => {
                        state.request = state.request.with_page_param(PageParam::Number(n));
                        state.requested = n;
                        Some(state)
                    }
                    NextPage::Cursor(cursor) => {
                        if !state.seen_cursors.insert(cursor.clone()) {
                            return Err(Error::Pagination {
                                endpoint,
                                message: format!("the server repeated the cursor `{cursor}`"),
                            });
                        }
                        state.request = state.request.with_page_param(PageParam::Cursor(cursor));
                        state.requested += 1;
                        Some(state)
                    }
                    NextPage::Inconsistent(message) => return Err(Error::Pagination { endpoint, message }),
                };
                Ok(Some((page, next)))
            }
        })
        .boxed()
    }

    /// The items of a paginated request, page after page, fetched lazily. Each item is
    /// yielded once (see [`Page::item_id`]); a page that only repeats earlier items fails the
    /// stream before any of it is yielded.
    pub fn items<P: Page>(&self, request: Request) -> BoxStream<Result<P::Item>> {
        self.items_across::<P>(vec![request])
    }

    /// The items of several paginated requests (the windows of a split date range), one
    /// request after the other. Windows share their boundary instant, so an item at the seam
    /// may come in both: it is yielded once, whatever bounds the server applies.
    pub fn items_across<P: Page>(&self, requests: Vec<Request>) -> BoxStream<Result<P::Item>> {
        let client = self.clone();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(SeenItems::new()));
        futures_util::stream::iter(requests)
            .map(move |request| {
                let endpoint = request.endpoint().name;
                let seen = seen.clone();
                client
                    .pages::<P>(request)
                    .and_then(move |page| {
                        let fresh = seen
                            .lock()
                            .unwrap_or_else(|poisoned| poisoned.into_inner())
                            .fresh::<P>(endpoint, page.into_items());
                        async move { fresh.map(|items| futures_util::stream::iter(items.into_iter().map(Ok))) }
                    })
                    .try_flatten()
            })
            .flatten()
            .boxed()
    }

    /// The pages of several paginated requests, one request after the other.
    pub fn pages_across<P: Page>(&self, requests: Vec<Request>) -> BoxStream<Result<P>> {
        let client = self.clone();
        futures_util::stream::iter(requests).map(move |request| client.pages::<P>(request)).flatten().boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_shapes_stop_on_the_last_page_and_catch_contradictions() {
        assert_eq!(next_by_flag(1, true, Some(3)), NextPage::Number(2));
        assert_eq!(next_by_flag(3, false, Some(3)), NextPage::Done);
        assert!(matches!(next_by_flag(3, true, Some(3)), NextPage::Inconsistent(_)));
        assert_eq!(next_by_flag(7, true, None), NextPage::Number(8));
    }

    #[test]
    fn count_and_total_shapes() {
        assert_eq!(next_by_total_count(1, 100, 250), NextPage::Number(2));
        assert_eq!(next_by_total_count(3, 100, 250), NextPage::Done);
        assert_eq!(next_by_total_count(2, 100, 200), NextPage::Done);
        assert_eq!(next_by_total_count(1, 100, 0), NextPage::Done);
        assert_eq!(next_by_total_pages(1, Some(2)), NextPage::Number(2));
        assert_eq!(next_by_total_pages(2, Some(2)), NextPage::Done);
        assert_eq!(next_by_total_pages(1, None), NextPage::Done);
        assert_eq!(next_by_cursor(Some("")), NextPage::Done);
        assert_eq!(next_by_cursor(Some("c2")), NextPage::Cursor("c2".into()));
    }
}
