//! Tenant websites, the server side: rendering the engine's
//! [`servicepro_actors::website`] seed with the askama templates, and the page cache.
//!
//! * [`render`] — the ten templates → one HTML page with its CSS inlined.
//! * [`cache`] — rendered pages per tenant, valid at one tenant version.
//!
//! [`live_page`] and [`preview_page`] are what the routes in `routes/sites.rs` call.

pub mod cache;
pub mod render;

use crate::state::AppState;
use cache::Page;
use servicepro_actors::website::seed::SeedUrls;
use servicepro_actors::website::template::TemplateId;
use servicepro_actors::website::{site_source, WebsiteError};
use servicepro_schema::lookup::tenant_version;
use servicepro_schema::{DbError, TenantId, TenantVersion};
use std::sync::Arc;

/// Why a page could not be served.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// The site's data could not be read.
    #[error(transparent)]
    Website(#[from] WebsiteError),
    /// A template failed to render.
    #[error("template failed to render")]
    Render(#[source] askama::Error),
}

impl From<DbError> for SiteError {
    fn from(e: DbError) -> Self {
        SiteError::Website(WebsiteError::Db(e))
    }
}

fn public_base(state: &AppState) -> String {
    state
        .config
        .public_url
        .as_str()
        .trim_end_matches('/')
        .to_owned()
}

/// `tenant`'s live page: from the cache while the tenant's version is unchanged,
/// else rendered and kept. `seen` is the version when the caller already read it
/// (the custom-domain lookup); else it is read now (one round trip).
/// `DbError::NotFound` when there is no such tenant.
pub async fn live_page(
    state: &AppState,
    tenant: &TenantId,
    seen: Option<TenantVersion>,
) -> Result<Arc<Page>, SiteError> {
    let version = match seen {
        Some(v) => v,
        None => tenant_version(&state.pool, tenant)
            .await?
            .ok_or(DbError::NotFound)?,
    };
    if let Some(page) = state.sites.get(tenant, version) {
        return Ok(page);
    }
    let page = Arc::new(render_at(state, tenant, version, None).await?);
    state.sites.put(tenant, Arc::clone(&page));
    Ok(page)
}

/// `tenant`'s site in `template`, rendered now with the preview banner (not cached).
pub async fn preview_page(
    state: &AppState,
    tenant: &TenantId,
    template: TemplateId,
) -> Result<Page, SiteError> {
    let version = tenant_version(&state.pool, tenant)
        .await?
        .ok_or(DbError::NotFound)?;
    render_at(state, tenant, version, Some(template)).await
}

async fn render_at(
    state: &AppState,
    tenant: &TenantId,
    version: TenantVersion,
    preview: Option<TemplateId>,
) -> Result<Page, SiteError> {
    let base = public_base(state);
    let urls = SeedUrls { public_base: &base };
    let db = state.tenant_db(tenant.clone());
    let source = site_source(&state.tenants, &db, tenant, version, preview, &urls).await?;
    let template = source.seed.template;
    let html = render::render(template, &source.seed, &source.palette, preview.is_some())
        .map_err(SiteError::Render)?;
    Ok(Page::new(source.version, template, html))
}
