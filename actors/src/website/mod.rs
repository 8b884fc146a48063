//! Tenant websites, the engine side (no HTTP, no HTML: the server renders).
//!
//! * [`template`] — the ten [`template::TemplateId`]s and their colour palettes,
//!   with the WCAG contrast arithmetic they are tested against.
//! * [`seed`] — [`seed::WebsiteSeed`]: the site's content, built from the tenant's
//!   context and snapshot (pack, services, hours, area, number) and the owner's edits.
//! * [`overrides`] — the owner's shallow edits (copy, button colour, images) and the
//!   patch that changes them and/or the template; edits survive a template switch.
//! * [`images`] — uploads checked by magic bytes and size, named by their SHA-256.
//! * [`store`] — `tenant_websites`, `website_images`, and which tenant a verified
//!   custom domain serves.
//! * [`partner`] — `websiteGeneratorMode`: built-in, or the seed POSTed to a partner
//!   (HMAC-signed, retried).
//!
//! [`site_source`] is the one read the server renders a page from.

pub mod images;
pub mod overrides;
pub mod partner;
pub mod seed;
pub mod store;
pub mod template;

use crate::tenant::{Freshness, TenantError, TenantRegistry};
use servicepro_schema::{DbError, TenantDb, TenantId, TenantVersion};
use std::sync::Arc;

/// Why a site could not be read, changed or sent.
#[derive(Debug, thiserror::Error)]
pub enum WebsiteError {
    /// The database failed (`NotFound`: no such tenant or image).
    #[error(transparent)]
    Db(#[from] DbError),
    /// The tenant could not be read.
    #[error(transparent)]
    Tenant(#[from] TenantError),
    /// An owner's change or upload is not acceptable.
    #[error("{field}: {reason}")]
    Invalid {
        /// The field at fault (`overrides.accent`, `image`).
        field: String,
        /// Why.
        reason: String,
    },
    /// A stored site row does not decode (written by hand?).
    #[error("stored website settings are unreadable: {0}")]
    Stored(String),
    /// The partner did not take the seed.
    #[error(transparent)]
    Partner(#[from] partner::PartnerError),
}

impl From<images::ImageError> for WebsiteError {
    fn from(e: images::ImageError) -> Self {
        WebsiteError::Invalid {
            field: "image".to_owned(),
            reason: e.to_string(),
        }
    }
}

/// Everything a tenant's page is rendered from, at one tenant version.
#[derive(Debug, Clone)]
pub struct SiteSource {
    /// The version it was read at (the page cache's key).
    pub version: TenantVersion,
    /// The content.
    pub seed: Arc<seed::WebsiteSeed>,
    /// The template's colours with the owner's button colour.
    pub palette: template::Palette,
}

/// Reads `tenant`'s site at version `seen` (its context and snapshot through its
/// actor, its site row from the database) and builds the seed, in `template` when
/// given (a preview) else the tenant's own.
pub async fn site_source(
    tenants: &TenantRegistry,
    db: &TenantDb,
    tenant: &TenantId,
    seen: TenantVersion,
    template: Option<template::TemplateId>,
    urls: &seed::SeedUrls<'_>,
) -> Result<SiteSource, WebsiteError> {
    let ctx = tenants.context(tenant, Freshness::Seen(seen)).await?;
    let snapshot = tenants.snapshot(tenant, Freshness::Seen(seen)).await?;
    let mut row = store::load(db).await?;
    if let Some(template) = template {
        row.settings.template = template;
    }
    let palette = row
        .settings
        .template
        .palette()
        .with_accent(row.settings.overrides.accent());
    Ok(SiteSource {
        version: ctx.version,
        seed: Arc::new(seed::build(&ctx, &snapshot, &row, urls)),
        palette,
    })
}

/// What the owner sees of their site settings.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SiteView {
    /// The template in use.
    pub template: template::TemplateId,
    /// The owner's edits.
    pub overrides: overrides::SiteOverrides,
}

/// The owner's site settings now.
pub async fn settings(db: &TenantDb) -> Result<SiteView, WebsiteError> {
    let row = store::load(db).await?;
    Ok(SiteView {
        template: row.settings.template,
        overrides: row.settings.overrides,
    })
}

/// Applies an owner's `patch` (template switch and/or edits), while the status
/// policy leaves the dashboards writable. Answers the new settings.
pub async fn change(
    tenants: &TenantRegistry,
    db: &TenantDb,
    patch: overrides::SitePatch,
) -> Result<SiteView, WebsiteError> {
    let status = tenants
        .context(db.tenant(), Freshness::Check)
        .await?
        .tenant
        .status;
    servicepro_schema::policy::check(status, servicepro_schema::policy::Action::DashboardWrite)
        .map_err(TenantError::from)?;
    let saved = store::update(db, patch).await?;
    Ok(SiteView {
        template: saved.template,
        overrides: saved.overrides,
    })
}

/// Sends the tenant's current seed to the partner (partner mode); answers the seed.
pub async fn publish(
    tenants: &TenantRegistry,
    db: &TenantDb,
    partner: &partner::PartnerClient,
    urls: &seed::SeedUrls<'_>,
    now: i64,
) -> Result<Arc<seed::WebsiteSeed>, WebsiteError> {
    let tenant = db.tenant().clone();
    let seen = tenants.context(&tenant, Freshness::Check).await?.version;
    let source = site_source(tenants, db, &tenant, seen, None, urls).await?;
    partner.send(&source.seed, now).await?;
    Ok(source.seed)
}
