//! The rendered pages kept in memory: one per tenant, valid while the tenant's
//! version is the one it was rendered at. Every write to what a site shows (the
//! tenant row, number, settings, services, site row — including the TenantActor's
//! settings path) moves the version in the same transaction, so the next request
//! after a change renders afresh; no explicit invalidation can be forgotten.

use servicepro_actors::website::template::TemplateId;
use servicepro_schema::{TenantId, TenantVersion};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Pages kept at most (≈ 30 KB each); past it, an arbitrary page is dropped.
pub const MAX_PAGES: usize = 4_096;

/// One rendered page.
#[derive(Debug)]
pub struct Page {
    /// The tenant version it shows.
    pub version: TenantVersion,
    /// Its template.
    pub template: TemplateId,
    /// The HTML.
    pub html: String,
    /// Its entity tag (`"<version>"`: a version is never reused).
    pub etag: String,
}

impl Page {
    /// A page of `html` at `version`.
    pub fn new(version: TenantVersion, template: TemplateId, html: String) -> Self {
        Page {
            etag: format!("\"v{version}\""),
            version,
            template,
            html,
        }
    }
}

/// The cache, shared by every worker.
#[derive(Debug, Default)]
pub struct SiteCache {
    pages: Mutex<HashMap<TenantId, Arc<Page>>>,
    hits: AtomicU64,
    renders: AtomicU64,
}

impl SiteCache {
    fn map(&self) -> MutexGuard<'_, HashMap<TenantId, Arc<Page>>> {
        // Every critical section is one get, insert or remove: a panic cannot leave
        // the map half-changed, so a poisoned lock is used as is.
        match self.pages.lock() {
            Ok(map) => map,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// `tenant`'s page, when it was rendered at `version`.
    pub fn get(&self, tenant: &TenantId, version: TenantVersion) -> Option<Arc<Page>> {
        let page = self
            .map()
            .get(tenant)
            .filter(|p| p.version == version)
            .cloned();
        if page.is_some() {
            self.hits.fetch_add(1, Ordering::Relaxed);
        }
        page
    }

    /// Keeps `page` as `tenant`'s (unless a newer one is already kept).
    pub fn put(&self, tenant: &TenantId, page: Arc<Page>) {
        self.renders.fetch_add(1, Ordering::Relaxed);
        let mut map = self.map();
        if map.get(tenant).is_some_and(|p| p.version > page.version) {
            return;
        }
        if map.len() >= MAX_PAGES && !map.contains_key(tenant) {
            if let Some(victim) = map.keys().next().cloned() {
                map.remove(&victim);
            }
        }
        map.insert(tenant.clone(), page);
    }

    /// Pages served from memory and pages rendered, since start (for `/metrics` and tests).
    pub fn counts(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.renders.load(Ordering::Relaxed),
        )
    }
}
