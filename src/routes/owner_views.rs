//! Root views of one tenant's bookings, transcripts and calls, so they can
//! be checked from outside: `GET /api/admin/tenants/{id}/appointments`,
//! `GET /api/admin/tenants/{id}/conversations/{phone}` and
//! `GET /api/admin/tenants/{id}/calls` (with each call's recording, if any).

use crate::auth::RootAdmin;
use crate::error::ApiError;
use crate::request_span::record_tenant;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::{BoolExpressionMethods, ExpressionMethods, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use servicepro_actors::booking::store;
use servicepro_schema::models::MessageRow;
use servicepro_schema::root_db::AuditEntry;
use servicepro_schema::schema::{calls, customers, messages};
use servicepro_schema::{TenantId, E164};

async fn audited(state: &AppState, action: &str, tenant: &TenantId) -> Result<(), ApiError> {
    record_tenant(tenant.as_str());
    state
        .root_db
        .transaction(
            AuditEntry::new(RootAdmin::ACTOR, action, Some(tenant)),
            |_| Box::pin(async { Ok(()) }),
        )
        .await?;
    Ok(())
}

/// `GET /api/admin/tenants/{id}/appointments`: every appointment, oldest first.
pub async fn appointments(
    _admin: RootAdmin,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tenant = TenantId::parse(&path.into_inner()).map_err(|_| ApiError::not_found("tenant"))?;
    audited(&state, "tenant.appointments", &tenant).await?;
    let from = DateTime::<Utc>::UNIX_EPOCH;
    let rows = store::list_from(&state.tenant_db(tenant), from).await?;
    let list: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|a| {
            serde_json::json!({
                "id": a.id, "service": a.service_name, "service_id": a.service_id, "crew": a.crew,
                "starts_at": a.starts_at, "ends_at": a.ends_at, "price_cents": a.price_cents,
                "address": a.address, "status": a.status, "customer_phone": a.customer_phone,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "appointments": list })))
}

/// `GET /api/admin/tenants/{id}/conversations/{phone}`: every message with that number.
pub async fn conversation(
    _admin: RootAdmin,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, phone) = path.into_inner();
    let tenant = TenantId::parse(&id).map_err(|_| ApiError::not_found("tenant"))?;
    let phone = E164::parse(&phone).map_err(|e| ApiError::invalid_field("phone", e.to_string()))?;
    audited(&state, "tenant.conversation", &tenant).await?;
    let number = phone.as_str().to_owned();
    let rows: Vec<MessageRow> = state
        .tenant_db(tenant)
        .transaction(move |tx| {
            Box::pin(async move {
                let customer: Vec<i64> = tx
                    .scope(customers::table)
                    .filter(customers::phone.eq(&number))
                    .select(customers::id)
                    .load(tx.conn())
                    .await?;
                Ok(tx
                    .scope(messages::table)
                    .filter(
                        messages::customer_id
                            .eq_any(customer)
                            .or(messages::to_number.eq(&number))
                            .or(messages::from_number.eq(&number)),
                    )
                    .order((messages::created_at, messages::id))
                    .select(MessageRow::as_select())
                    .load(tx.conn())
                    .await?)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "phone": phone, "messages": rows })))
}

/// One call as `GET /api/admin/tenants/{id}/calls` shows it.
#[derive(Debug, diesel::Queryable, serde::Serialize)]
struct CallView {
    call_sid: String,
    direction: String,
    from_number: String,
    to_number: String,
    status: String,
    route: Option<String>,
    started_at: DateTime<Utc>,
    ended_at: Option<DateTime<Utc>>,
    duration_seconds: Option<i32>,
    summary: Option<String>,
    /// The call's recording (stereo Ogg Opus: caller left, AI right), when the
    /// tenant records calls and the file was written.
    recording_path: Option<String>,
    recording_duration_ms: Option<i32>,
}

/// `GET /api/admin/tenants/{id}/calls`: the latest 200 calls, newest first,
/// with where each call's recording is.
pub async fn calls(
    _admin: RootAdmin,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tenant = TenantId::parse(&path.into_inner()).map_err(|_| ApiError::not_found("tenant"))?;
    audited(&state, "tenant.calls", &tenant).await?;
    let rows: Vec<CallView> = state
        .tenant_db(tenant)
        .transaction(|tx| {
            Box::pin(async move {
                Ok(tx
                    .scope(calls::table)
                    .order((calls::started_at.desc(), calls::id.desc()))
                    .limit(200)
                    .select((
                        calls::call_sid,
                        calls::direction,
                        calls::from_number,
                        calls::to_number,
                        calls::status,
                        calls::route,
                        calls::started_at,
                        calls::ended_at,
                        calls::duration_seconds,
                        calls::summary,
                        calls::recording_path,
                        calls::recording_duration_ms,
                    ))
                    .load(tx.conn())
                    .await?)
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "calls": rows })))
}
