//! The database side of a tenant's site: its template and edits
//! (`tenant_websites`, [`SiteSettings`]), its uploaded images (`website_images`)
//! and the custom domain lookup (`resolve_tenant_version_by_domain`, before the
//! tenant is known). Every write moves the tenant's version (a row trigger), which
//! is what invalidates cached pages.

use super::images::{self, ImageId, Upload};
use super::overrides::{SiteOverrides, SitePatch};
use super::template::TemplateId;
use super::WebsiteError;
use chrono::Utc;
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;
use servicepro_schema::lookup::TenantVersion;
use servicepro_schema::schema::{tenant_owners, tenant_websites, website_images};
use servicepro_schema::{DbError, DbPool, TenantDb, TenantId};

/// A tenant's chosen template and its edits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SiteSettings {
    /// The template.
    pub template: TemplateId,
    /// The owner's edits.
    pub overrides: SiteOverrides,
}

/// What a site is built from besides the tenant's context and snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SiteRow {
    /// Template and edits.
    pub settings: SiteSettings,
    /// The city the owner gave at signup, when they signed up themselves.
    pub owner_city: Option<String>,
}

fn stored(template: &str, overrides: serde_json::Value) -> Result<SiteSettings, WebsiteError> {
    let template = TemplateId::parse(template).map_err(|e| WebsiteError::Stored(e.to_string()))?;
    let overrides =
        serde_json::from_value(overrides).map_err(|e| WebsiteError::Stored(e.to_string()))?;
    Ok(SiteSettings {
        template,
        overrides,
    })
}

/// The tenant's site settings (the defaults when it never chose) and owner city.
pub async fn load(db: &TenantDb) -> Result<SiteRow, WebsiteError> {
    let (row, city) = db
        .transaction(|tx| {
            Box::pin(async move {
                let row: Option<(String, serde_json::Value)> = tx
                    .scope(tenant_websites::table)
                    .select((tenant_websites::template, tenant_websites::overrides))
                    .first(tx.conn())
                    .await
                    .optional()?;
                let city: Option<String> = tx
                    .scope(tenant_owners::table)
                    .select(tenant_owners::city)
                    .first(tx.conn())
                    .await
                    .optional()?;
                Ok((row, city))
            })
        })
        .await?;
    let settings = match row {
        Some((template, overrides)) => stored(&template, overrides)?,
        None => SiteSettings::default(),
    };
    Ok(SiteRow {
        settings,
        owner_city: city.filter(|c| !c.trim().is_empty()),
    })
}

/// Applies `patch` (an image it names must be one of the tenant's uploads) and
/// answers the new settings.
pub async fn update(db: &TenantDb, patch: SitePatch) -> Result<SiteSettings, WebsiteError> {
    let current = load(db).await?.settings;
    let next = SiteSettings {
        template: patch.template.unwrap_or(current.template),
        overrides: patch.apply(current.overrides),
    };
    let overrides =
        serde_json::to_value(&next.overrides).map_err(|e| WebsiteError::Stored(e.to_string()))?;
    let template = next.template.slug();
    let wanted: Vec<String> = next
        .overrides
        .images()
        .map(|i| i.as_str().to_owned())
        .collect();
    let missing = db
        .transaction(move |tx| {
            Box::pin(async move {
                let found: Vec<String> = tx
                    .scope(website_images::table)
                    .filter(website_images::sha256.eq_any(&wanted))
                    .select(website_images::sha256)
                    .load(tx.conn())
                    .await?;
                if let Some(missing) = wanted.iter().find(|w| !found.contains(w)) {
                    return Ok(Some(missing.clone()));
                }
                tx.insert(
                    tenant_websites::table,
                    (
                        tenant_websites::template.eq(template),
                        tenant_websites::overrides.eq(&overrides),
                    ),
                )
                .on_conflict(tenant_websites::tenant_id)
                .do_update()
                .set((
                    tenant_websites::template.eq(template),
                    tenant_websites::overrides.eq(&overrides),
                    tenant_websites::updated_at.eq(Utc::now()),
                ))
                .execute(tx.conn())
                .await?;
                Ok(None)
            })
        })
        .await?;
    match missing {
        Some(id) => Err(WebsiteError::Invalid {
            field: if next.overrides.logo_image.as_ref().map(ImageId::as_str) == Some(&id) {
                "overrides.logo_image".to_owned()
            } else {
                "overrides.hero_image".to_owned()
            },
            reason: "no uploaded image has this id".to_owned(),
        }),
        None => Ok(next),
    }
}

/// Stores an uploaded image (checked first); storing the same bytes twice is one image.
pub async fn put_image(db: &TenantDb, bytes: Vec<u8>) -> Result<Upload, WebsiteError> {
    let upload = images::check(&bytes)?;
    let (id, content_type) = (upload.id.as_str().to_owned(), upload.kind.content_type());
    db.transaction(move |tx| {
        Box::pin(async move {
            tx.insert(
                website_images::table,
                (
                    website_images::sha256.eq(id),
                    website_images::content_type.eq(content_type),
                    website_images::bytes.eq(bytes),
                ),
            )
            .on_conflict_do_nothing()
            .execute(tx.conn())
            .await?;
            Ok(())
        })
    })
    .await?;
    Ok(upload)
}

/// A stored image: its media type and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImage {
    /// e.g. `image/png`.
    pub content_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// One of the tenant's images (`DbError::NotFound` when it has none by that id).
pub async fn image(db: &TenantDb, id: &ImageId) -> Result<StoredImage, WebsiteError> {
    let id = id.as_str().to_owned();
    let (content_type, bytes) = db
        .transaction(|tx| {
            Box::pin(async move {
                Ok(tx
                    .scope(website_images::table)
                    .filter(website_images::sha256.eq(id))
                    .select((website_images::content_type, website_images::bytes))
                    .first::<(String, Vec<u8>)>(tx.conn())
                    .await?)
            })
        })
        .await?;
    Ok(StoredImage {
        content_type,
        bytes,
    })
}

#[derive(diesel::QueryableByName)]
struct OwnerVersion {
    #[diesel(sql_type = diesel::sql_types::Text)]
    tenant_id: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    version: i64,
}

/// The tenant a verified custom `domain` serves (lower-case, no port), with its
/// version. One round trip.
pub async fn tenant_by_domain(
    pool: &DbPool,
    domain: &str,
) -> Result<Option<(TenantId, TenantVersion)>, DbError> {
    let mut conn = pool.get().await?;
    let found: Option<OwnerVersion> =
        diesel::sql_query("SELECT tenant_id, version FROM resolve_tenant_version_by_domain($1)")
            .bind::<diesel::sql_types::Text, _>(domain)
            .get_result(&mut *conn)
            .await
            .optional()?;
    Ok(found.and_then(|o| {
        Some((
            TenantId::parse(&o.tenant_id).ok()?,
            TenantVersion::new(o.version),
        ))
    }))
}
