//! A bounded in-memory cache of `ETag`-validated responses, for conditional requests.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use bytes::Bytes;

/// A cached answer: the validator and the body it validates.
#[derive(Debug, Clone)]
pub(crate) struct CachedResponse {
    pub(crate) etag: String,
    pub(crate) body: Bytes,
}

/// Least-recently-inserted eviction over a fixed number of entries. Keys include the API key's
/// fingerprint, so two teams never share an entry.
pub(crate) struct EtagCache {
    capacity: usize,
    inner: Mutex<CacheInner>,
}

#[derive(Default)]
struct CacheInner {
    entries: HashMap<String, CachedResponse>,
    order: VecDeque<String>,
}

impl EtagCache {
    pub(crate) fn new(capacity: usize) -> Self {
        Self { capacity: capacity.max(1), inner: Mutex::new(CacheInner::default()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheInner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn get(&self, key: &str) -> Option<CachedResponse> {
        self.lock().entries.get(key).cloned()
    }

    pub(crate) fn put(&self, key: String, response: CachedResponse) {
        let mut inner = self.lock();
        if inner.entries.insert(key.clone(), response).is_none() {
            inner.order.push_back(key);
        }
        while inner.order.len() > self.capacity {
            if let Some(oldest) = inner.order.pop_front() {
                inner.entries.remove(&oldest);
            }
        }
    }

    /// Every entry whose key starts with `prefix`, oldest first.
    pub(crate) fn entries_with_prefix(&self, prefix: &str) -> Vec<(String, CachedResponse)> {
        let inner = self.lock();
        inner
            .order
            .iter()
            .filter(|key| key.starts_with(prefix))
            .filter_map(|key| inner.entries.get(key).map(|entry| (key.clone(), entry.clone())))
            .collect()
    }

    /// Drops an entry (a cached body that no longer decodes).
    pub(crate) fn remove(&self, key: &str) {
        let mut inner = self.lock();
        if inner.entries.remove(key).is_some() {
            inner.order.retain(|k| k != key);
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(tag: &str) -> CachedResponse {
        CachedResponse { etag: tag.into(), body: Bytes::from_static(b"{}") }
    }

    #[test]
    fn keeps_at_most_capacity_entries_evicting_the_oldest() {
        let cache = EtagCache::new(2);
        cache.put("a".into(), entry("1"));
        cache.put("b".into(), entry("2"));
        cache.put("a".into(), entry("3"));
        assert_eq!(cache.get("a").unwrap().etag, "3", "a refresh replaces the entry");
        cache.put("c".into(), entry("4"));
        assert_eq!(cache.len(), 2);
        assert!(cache.get("a").is_none(), "the oldest insertion is evicted");
        assert!(cache.get("b").is_some() && cache.get("c").is_some());
    }

    #[test]
    fn lists_the_entries_of_one_prefix_oldest_first() {
        let cache = EtagCache::new(4);
        cache.put("k1 GET /b".into(), entry("1"));
        cache.put("k2 GET /a".into(), entry("2"));
        cache.put("k1 GET /a".into(), entry("3"));
        let listed: Vec<_> = cache.entries_with_prefix("k1 ").into_iter().map(|(key, e)| (key, e.etag)).collect();
        assert_eq!(listed, [("k1 GET /b".to_owned(), "1".to_owned()), ("k1 GET /a".to_owned(), "3".to_owned())]);
    }
}
