//! The tenant's services with prices and its own SMS templates, for the
//! Settings page. They are changed through `tenant::catalog::change_catalog`
//! (the page's forms and the tenant API), not the settings update.

use diesel::{ExpressionMethods, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use servicepro_schema::models::{Service, SmsTemplate};
use servicepro_schema::schema::{services, sms_templates};
use servicepro_schema::{DbError, TenantDb};

/// Every active service and add-on, main services first, then by name.
pub async fn services(db: &TenantDb) -> Result<Vec<Service>, DbError> {
    db.transaction(|tx| {
        Box::pin(async move {
            Ok(tx
                .scope(services::table)
                .filter(services::active.eq(true))
                .order((services::is_addon, services::name))
                .select(Service::as_select())
                .load(tx.conn())
                .await?)
        })
    })
    .await
}

/// The tenant's own SMS templates, by key.
pub async fn templates(db: &TenantDb) -> Result<Vec<SmsTemplate>, DbError> {
    db.transaction(|tx| {
        Box::pin(async move {
            Ok(tx
                .scope(sms_templates::table)
                .order(sms_templates::template_key)
                .select(SmsTemplate::as_select())
                .load(tx.conn())
                .await?)
        })
    })
    .await
}
