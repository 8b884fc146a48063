//! Setting a tenant up from its industry pack: services and add-ons with
//! prices and durations, every SMS template, and scheduling defaults in
//! its config — so no tenant starts from scratch. Seeding never overwrites
//! what a tenant already has (existing names and keys are kept).

use crate::packs::{self, IndustryPack, PackError};
use diesel::ExpressionMethods;
use diesel_async::RunQueryDsl;
use servicepro_schema::models::{NewService, NewSmsTemplate};
use servicepro_schema::root_db::{AuditEntry, RootTx};
use servicepro_schema::schema::{services, sms_templates, tenant_config, tenants};
use servicepro_schema::{DbError, RootDb, TenantId};

/// Why a tenant could not be seeded.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The tenant's industry has no pack.
    #[error(transparent)]
    Pack(#[from] PackError),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// What seeding added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct SeedReport {
    /// Services and add-ons inserted.
    pub services: usize,
    /// SMS templates inserted.
    pub sms_templates: usize,
}

fn cents(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// The scheduling defaults stored in `tenant_config`.
pub fn booking_rules_json(pack: &IndustryPack) -> serde_json::Value {
    let d = &pack.defaults;
    serde_json::json!({
        "time_zone": d.time_zone.name(),
        "travel_buffer_minutes": d.travel_buffer_minutes,
        "crews": d.crews,
        "lead_time_hours": d.lead_time_hours,
        "reminder_hours_before": d.reminder_hours_before,
    })
}

/// Seeds `tenant` from `pack` inside an open root transaction.
pub async fn seed_in(
    tx: &mut RootTx,
    tenant: &str,
    pack: &IndustryPack,
) -> Result<SeedReport, DbError> {
    let mut offerings: Vec<NewService> = pack
        .services
        .iter()
        .map(|s| NewService {
            name: s.name.clone(),
            description: s.description.clone(),
            price_cents: cents(s.price_cents),
            duration_minutes: cents(s.duration_minutes),
            is_addon: false,
        })
        .collect();
    offerings.extend(pack.addons.iter().map(|a| NewService {
        name: a.name.clone(),
        description: a.description.clone(),
        price_cents: cents(a.price_cents),
        duration_minutes: cents(a.duration_minutes.max(1)),
        is_addon: true,
    }));
    let mut report = SeedReport::default();
    for offering in &offerings {
        report.services += diesel::insert_into(services::table)
            .values((services::tenant_id.eq(tenant), offering))
            .on_conflict_do_nothing()
            .execute(tx.conn())
            .await?;
    }
    for (key, body) in pack.sms_templates.iter() {
        let template = NewSmsTemplate {
            template_key: key.as_str().to_owned(),
            body: body.to_owned(),
        };
        report.sms_templates += diesel::insert_into(sms_templates::table)
            .values((sms_templates::tenant_id.eq(tenant), &template))
            .on_conflict_do_nothing()
            .execute(tx.conn())
            .await?;
    }
    let hours = serde_json::to_value(pack.defaults.hours).unwrap_or_default();
    let area = serde_json::json!({ "radius_miles": pack.defaults.service_radius_miles });
    diesel::insert_into(tenant_config::table)
        .values((
            tenant_config::tenant_id.eq(tenant),
            tenant_config::business_hours.eq(&hours),
            tenant_config::booking_rules.eq(booking_rules_json(pack)),
            tenant_config::service_area.eq(&area),
        ))
        .on_conflict(tenant_config::tenant_id)
        .do_update()
        .set((
            tenant_config::business_hours.eq(diesel::dsl::sql::<diesel::sql_types::Jsonb>(
                "CASE WHEN tenant_config.business_hours = '{}' THEN EXCLUDED.business_hours ELSE tenant_config.business_hours END",
            )),
            tenant_config::booking_rules.eq(diesel::dsl::sql::<diesel::sql_types::Jsonb>(
                "CASE WHEN tenant_config.booking_rules = '{}' THEN EXCLUDED.booking_rules ELSE tenant_config.booking_rules END",
            )),
            tenant_config::service_area.eq(diesel::dsl::sql::<diesel::sql_types::Jsonb>(
                "CASE WHEN tenant_config.service_area = '{}' THEN EXCLUDED.service_area ELSE tenant_config.service_area END",
            )),
        ))
        .execute(tx.conn())
        .await?;
    Ok(report)
}

/// Seeds the root tenant from its pack when it has no services yet (a
/// fresh database: the migration creates the root tenant bare).
pub async fn seed_root_if_bare(root: &RootDb) -> Result<Option<SeedReport>, SeedError> {
    let tenant = TenantId::root();
    let has_services: bool = root
        .transaction(
            AuditEntry::new("startup", "tenant.check_seeded", Some(&tenant)),
            |tx| {
                Box::pin(async move {
                    use diesel::QueryDsl;
                    let n: i64 = services::table
                        .filter(services::tenant_id.eq(TenantId::ROOT))
                        .count()
                        .get_result(tx.conn())
                        .await?;
                    Ok(n > 0)
                })
            },
        )
        .await?;
    if has_services {
        return Ok(None);
    }
    Ok(Some(seed_tenant(root, "startup", &tenant).await?))
}

/// Seeds `tenant` from its own industry's pack in an audited transaction
/// (used at start-up for the root tenant and by `servicepro` admin commands).
pub async fn seed_tenant(
    root: &RootDb,
    actor: &str,
    tenant: &TenantId,
) -> Result<SeedReport, SeedError> {
    let id = tenant.as_str().to_owned();
    let industry: String = root
        .transaction(
            AuditEntry::new(actor, "tenant.read_industry", Some(tenant)),
            move |tx| {
                Box::pin(async move {
                    use diesel::QueryDsl;
                    Ok(tenants::table
                        .filter(tenants::id.eq(id))
                        .select(tenants::industry)
                        .first(tx.conn())
                        .await?)
                })
            },
        )
        .await?;
    let pack = packs::pack(&industry)?;
    let id = tenant.as_str().to_owned();
    Ok(root
        .transaction(
            AuditEntry::new(actor, "tenant.seed", Some(tenant)),
            move |tx| Box::pin(async move { seed_in(tx, &id, pack).await }),
        )
        .await?)
}
