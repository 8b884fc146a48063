//! The agent's tools over the database: one tenant's services, knowledge
//! base, service area, calendar and bookings, plus texts through the
//! outbox. Built per turn from a snapshot of the tenant's settings.

use crate::booking::availability::{
    describe, offer, AvailabilityRules, DayFilter, Offer, Slot, SlotPreference, TimeWindow,
};
use crate::booking::store::CommitError;
use crate::booking::store::{self, NewBooking, StoredAppointment};
use crate::booking::{BookingDesk, Commit};
use crate::brain::tools::{
    AgentTools, AppointmentInfo, AreaCheck, BookOutcome, BookingRequest, KbAnswer, ServiceInfo,
    TenantProfile, ToolError,
};
use crate::clock::Clock;
use crate::knowledge::{global_entries_with_hours, KbEntry, KbSource, KnowledgeBase};
use crate::messaging::{SendSms, SmsOutbox};
use crate::packs::{self, booking_link_text, IndustryPack, SmsTemplateKey, TenantTemplates};
use crate::tenant::context::TenantContext;
use actix::Addr;
use chrono::{DateTime, Duration, Utc};
use diesel::{ExpressionMethods, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use futures_util::future::BoxFuture;
use servicepro_schema::models::Service;
use servicepro_schema::policy::{self, Action};
use servicepro_schema::schema::{kb_entries, services, sms_templates};
use servicepro_schema::TenantStatus;
use servicepro_schema::{DbError, TenantDb, TenantId, E164};

pub use crate::area::ServiceArea;
use crate::booking::link::{booking_link, PublicBase};

/// What the tools know of a tenant that changes rarely: its profile (with
/// its own SMS templates), pack, booking rules, service area, active services
/// and built knowledge-base index. Built once per tenant version and kept by
/// the tenant's `TenantActor` (`crate::tenant`), not rebuilt per message.
pub struct TenantSnapshot {
    tenant: TenantId,
    profile: TenantProfile,
    pack: &'static IndustryPack,
    rules: AvailabilityRules,
    area: ServiceArea,
    kb: KnowledgeBase,
    services: Vec<ServiceInfo>,
    /// The billing status it was read at: the status policy decides new bookings.
    status: TenantStatus,
}

/// The tools for one tenant.
pub struct DbTools {
    snapshot: std::sync::Arc<TenantSnapshot>,
    tenant: TenantId,
    db: TenantDb,
    profile: TenantProfile,
    pack: &'static IndustryPack,
    rules: AvailabilityRules,
    desk: BookingDesk,
    outbox: Addr<SmsOutbox>,
    clock: Clock,
    channel: String,
}

fn unavailable<E: std::error::Error + Send + Sync + 'static>(e: E) -> ToolError {
    ToolError::unavailable(e)
}

fn info(a: StoredAppointment) -> AppointmentInfo {
    AppointmentInfo {
        id: a.id,
        service_name: a.service_name,
        service_id: a.service_id,
        starts_at: a.starts_at,
        ends_at: a.ends_at,
        price_cents: a.price_cents,
        address: a.address,
        status: a.status,
    }
}

/// The tenant's active services and add-ons, with the pack's aliases and upsell lines.
async fn load_services(
    db: &TenantDb,
    pack: &'static IndustryPack,
) -> Result<Vec<ServiceInfo>, ToolError> {
    let rows: Vec<Service> = db
        .transaction(|tx| {
            Box::pin(async move {
                Ok(tx
                    .scope(services::table)
                    .filter(services::active.eq(true))
                    .order(services::id)
                    .select(Service::as_select())
                    .load(tx.conn())
                    .await?)
            })
        })
        .await
        .map_err(unavailable)?;
    Ok(rows
        .into_iter()
        .map(|s| {
            let main = pack.service(&s.name);
            let addon = pack.addon(&s.name);
            ServiceInfo {
                aliases: main
                    .map(|m| m.aliases.clone())
                    .or_else(|| addon.map(|a| a.aliases.clone()))
                    .unwrap_or_default(),
                starting_at: main.is_some_and(|m| m.starting_at),
                upsell_line: addon.map(|a| a.upsell_line.clone()),
                pairs_with: addon.map(|a| a.pairs_with.clone()).unwrap_or_default(),
                id: s.id,
                name: s.name,
                description: s.description,
                price_cents: s.price_cents,
                duration_minutes: s.duration_minutes,
                is_addon: s.is_addon,
            }
        })
        .collect())
}

impl TenantSnapshot {
    /// The tenant facts.
    pub fn profile(&self) -> &TenantProfile {
        &self.profile
    }

    /// The tenant's industry pack.
    pub fn pack(&self) -> &'static IndustryPack {
        self.pack
    }

    /// The booking rules in force (hours, time zone, blackout dates).
    pub fn rules(&self) -> &AvailabilityRules {
        &self.rules
    }

    /// The cities and ZIP codes served.
    pub fn area(&self) -> &ServiceArea {
        &self.area
    }

    /// The layered knowledge base (global, pack, tenant).
    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }

    /// The active services and add-ons, in the order they were created.
    pub fn services(&self) -> &[ServiceInfo] {
        &self.services
    }

    /// Reads the tenant's settings and builds its rules and knowledge base.
    pub async fn load(db: &TenantDb, base: &PublicBase) -> Result<Self, ToolError> {
        let ctx = TenantContext::load(db).await.map_err(unavailable)?;
        Self::build(db, &ctx, base).await
    }

    /// Builds the snapshot of `ctx`'s tenant: its rules and area from `ctx`, its
    /// knowledge base and active services read now; `base` makes its default
    /// booking link.
    pub async fn build(
        db: &TenantDb,
        ctx: &TenantContext,
        base: &PublicBase,
    ) -> Result<Self, ToolError> {
        let pack =
            packs::pack(&ctx.tenant.industry).map_err(|e| ToolError::Invalid(e.to_string()))?;
        let config = ctx.config.clone();
        let stored_rules = config
            .as_ref()
            .map(|c| c.booking_rules.clone())
            .unwrap_or_default();
        let mut rules = AvailabilityRules::from_stored(&pack.defaults, &stored_rules)
            .map_err(|e| ToolError::Invalid(e.to_string()))?;
        if let Some(hours) = config
            .as_ref()
            .and_then(|c| serde_json::from_value(c.business_hours.clone()).ok())
        {
            rules.hours = hours;
        }
        if let Ok(tz) = ctx.tenant.time_zone.parse() {
            rules.time_zone = tz;
        }
        let area = match config.as_ref().map(|c| ServiceArea::parse(&c.service_area)) {
            Some(Ok(area)) => area,
            None => ServiceArea::default(),
            Some(Err(e)) => return Err(ToolError::Invalid(format!("service_area: {e}"))),
        };
        if area.radius_miles.is_some() && area.base.is_none() {
            tracing::warn!("the service radius has no base yet, so it is not enforced");
        }
        let (tenant_kb, template_rows) = db
            .transaction(|tx| {
                Box::pin(async move {
                    let kb: Vec<(String, String, String, Vec<Option<String>>)> = tx
                        .scope(kb_entries::table)
                        .select((
                            kb_entries::question,
                            kb_entries::answer,
                            kb_entries::category,
                            kb_entries::keywords,
                        ))
                        .load(tx.conn())
                        .await?;
                    let templates: Vec<(String, String)> = tx
                        .scope(sms_templates::table)
                        .select((sms_templates::template_key, sms_templates::body))
                        .load(tx.conn())
                        .await?;
                    Ok((kb, templates))
                })
            })
            .await
            .map_err(unavailable)?;
        let tenant_entries = tenant_kb
            .into_iter()
            .map(|(q, a, c, k)| {
                KbEntry::new(
                    q,
                    a,
                    &c,
                    k.into_iter().flatten().collect(),
                    KbSource::Tenant,
                )
            })
            .collect();
        let kb = KnowledgeBase::layered(
            global_entries_with_hours(&rules.hours),
            pack,
            tenant_entries,
        );
        let services = load_services(db, pack).await?;
        let tenant = ctx.tenant.id.clone();
        let profile = TenantProfile {
            business_name: ctx.tenant.name.clone(),
            industry: ctx.tenant.industry.clone(),
            time_zone: rules.time_zone,
            booking_url: Some(booking_link(
                config.as_ref().and_then(|c| c.booking_url.as_deref()),
                base,
                &ctx.tenant.id,
            )),
            owner_phone: config.as_ref().and_then(|c| c.owner_phone.clone()),
            templates: TenantTemplates::from_rows(tenant.as_str(), template_rows),
        };
        Ok(TenantSnapshot {
            tenant,
            profile,
            pack,
            rules,
            area,
            kb,
            services,
            status: ctx.tenant.status,
        })
    }
}

impl DbTools {
    /// What the job's details add to the service's price and length (the
    /// pack's rule; an unknown service adds nothing and is refused by the store).
    fn sized(&self, service_id: i64, details: &serde_json::Value) -> crate::packs::Adjustment {
        self.snapshot
            .services
            .iter()
            .find(|s| s.id == service_id)
            .map(|s| self.pack.job_adjustment_json(&s.name, details).total)
            .unwrap_or_default()
    }

    /// Tools over a freshly read snapshot of the tenant.
    pub async fn load(
        db: TenantDb,
        desk: BookingDesk,
        outbox: Addr<SmsOutbox>,
        clock: Clock,
        channel: &str,
        base: &PublicBase,
    ) -> Result<Self, ToolError> {
        let snapshot = std::sync::Arc::new(TenantSnapshot::load(&db, base).await?);
        Ok(Self::with_snapshot(
            snapshot, db, desk, outbox, clock, channel,
        ))
    }

    /// Tools over a (cached) snapshot.
    pub fn with_snapshot(
        snapshot: std::sync::Arc<TenantSnapshot>,
        db: TenantDb,
        desk: BookingDesk,
        outbox: Addr<SmsOutbox>,
        clock: Clock,
        channel: &str,
    ) -> Self {
        DbTools {
            tenant: snapshot.tenant.clone(),
            profile: snapshot.profile.clone(),
            pack: snapshot.pack,
            rules: snapshot.rules.clone(),
            snapshot,
            db,
            desk,
            outbox,
            clock,
            channel: channel.to_owned(),
        }
    }

    /// The tenant's booking rules in force.
    pub fn rules(&self) -> &AvailabilityRules {
        &self.rules
    }

    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    async fn offer_for(
        &self,
        duration: Duration,
        preference: &SlotPreference,
        count: usize,
    ) -> Result<Offer, ToolError> {
        let now = self.now();
        let until = now + Duration::days(i64::from(self.rules.horizon_days) + 2);
        let busy = store::busy_between(&self.db, now - Duration::days(1), until, preference.moving)
            .await
            .map_err(unavailable)?;
        Ok(offer(&self.rules, &busy, duration, now, preference, count))
    }

    /// Free slots on `slot`'s day; a database failure is an outage, not "no alternatives".
    async fn alternatives_near(
        &self,
        slot: &Slot,
        except: Option<i64>,
    ) -> Result<Vec<Slot>, ToolError> {
        let date = slot.start.with_timezone(&self.rules.time_zone).date_naive();
        let preference = SlotPreference {
            days: DayFilter::Date(date),
            window: TimeWindow::Any,
            earliest: false,
            moving: except,
        };
        self.offer_for(slot.end - slot.start, &preference, 3)
            .await
            .map(|o| o.slots)
    }

    async fn settle(
        &self,
        slot: Slot,
        outcome: Result<StoredAppointment, CommitError>,
        except: Option<i64>,
    ) -> Result<BookOutcome, ToolError> {
        match outcome {
            Ok(stored) => Ok(BookOutcome::Booked(info(stored))),
            Err(CommitError::Taken) => Ok(BookOutcome::SlotTaken {
                alternatives: self.alternatives_near(&slot, except).await?,
            }),
            Err(CommitError::Rejected(reason)) => Ok(BookOutcome::Rejected {
                reason: format!(
                    "{} is no longer available ({reason})",
                    describe(&slot, self.rules.time_zone)
                ),
                alternatives: self.alternatives_near(&slot, except).await?,
            }),
            Err(CommitError::UnknownService) => {
                Err(ToolError::Invalid("unknown service".to_owned()))
            }
            Err(CommitError::Db(e)) => Err(unavailable(e)),
        }
    }

    async fn text(&self, to: &str, body: String, purpose: &str) -> Result<bool, ToolError> {
        let to = E164::parse(to).map_err(|e| ToolError::Invalid(e.to_string()))?;
        let send = SendSms {
            tenant: self.tenant.clone(),
            to,
            body,
            purpose: purpose.to_owned(),
            conversation_id: None,
            customer_id: None,
        };
        let queued = self
            .outbox
            .send(send)
            .await
            .map_err(unavailable)?
            .map_err(unavailable)?;
        Ok(queued.status != servicepro_schema::MessageStatus::Refused)
    }

    async fn tell_owner(
        &self,
        customer_phone: Option<&str>,
        summary: &str,
    ) -> Result<(), ToolError> {
        let Some(owner) = self.profile.owner_phone.clone() else {
            tracing::warn!("no owner phone: handoff recorded but not texted");
            return Ok(());
        };
        let phone = customer_phone.unwrap_or("unknown number");
        let body = self.profile.templates.render(
            Some(self.pack),
            SmsTemplateKey::HandoffNoticeOwner,
            &[
                ("customer_name", "A customer"),
                ("customer_phone", phone),
                ("summary", summary),
            ],
        );
        self.text(&owner, body, "owner_notice").await.map(|_| ())
    }
}

impl AgentTools for DbTools {
    fn profile(&self) -> &TenantProfile {
        &self.profile
    }

    fn get_services(&self) -> BoxFuture<'_, Result<Vec<ServiceInfo>, ToolError>> {
        Box::pin(async move { Ok(self.snapshot.services.clone()) })
    }

    fn search_kb<'a>(
        &'a self,
        question: &'a str,
    ) -> BoxFuture<'a, Result<Option<KbAnswer>, ToolError>> {
        Box::pin(async move {
            Ok(self.snapshot.kb.best_answer(question).map(|e| KbAnswer {
                question: e.question.clone(),
                answer: self.snapshot.area.faq_answer(&e.category, &e.answer),
            }))
        })
    }

    fn check_service_area<'a>(
        &'a self,
        address: &'a str,
    ) -> BoxFuture<'a, Result<AreaCheck, ToolError>> {
        Box::pin(async move { Ok(self.snapshot.area.check(address)) })
    }

    fn check_availability<'a>(
        &'a self,
        duration_minutes: i32,
        preference: &'a SlotPreference,
        count: usize,
    ) -> BoxFuture<'a, Result<Offer, ToolError>> {
        Box::pin(async move {
            self.offer_for(
                Duration::minutes(i64::from(duration_minutes.max(1))),
                preference,
                count,
            )
            .await
        })
    }

    fn book_appointment(
        &self,
        request: BookingRequest,
    ) -> BoxFuture<'_, Result<BookOutcome, ToolError>> {
        Box::pin(async move {
            if let Err(refused) = policy::check(self.snapshot.status, Action::NewBooking) {
                return Ok(BookOutcome::Rejected {
                    reason: refused.to_string(),
                    alternatives: Vec::new(),
                });
            }
            let Some(phone) = request.customer_phone.clone() else {
                return Err(ToolError::Invalid(
                    "a phone number is needed to book".to_owned(),
                ));
            };
            let sized = self.sized(request.service_id, &request.details);
            let booking = NewBooking {
                sized,
                customer_phone: phone,
                customer_name: request.customer_name.clone(),
                service_id: request.service_id,
                addon_ids: request.addon_ids.clone(),
                start: request.slot.start,
                address: request.address.clone(),
                details: request.details.clone(),
                conversation_id: request.conversation_id,
                channel: Some(self.channel.clone()),
            };
            let commit = Commit {
                rules: self.rules.clone(),
                booking,
                now: self.now(),
                reschedule_of: None,
            };
            let outcome = self
                .desk
                .for_tenant(&self.tenant)
                .send(commit)
                .await
                .map_err(unavailable)?;
            self.settle(request.slot, outcome, None).await
        })
    }

    fn upcoming_appointments<'a>(
        &'a self,
        customer_phone: &'a str,
    ) -> BoxFuture<'a, Result<Vec<AppointmentInfo>, ToolError>> {
        Box::pin(async move {
            let found = store::upcoming_for(&self.db, customer_phone, self.now())
                .await
                .map_err(unavailable)?;
            Ok(found.into_iter().map(info).collect())
        })
    }

    fn reschedule_appointment(
        &self,
        appointment_id: i64,
        slot: Slot,
    ) -> BoxFuture<'_, Result<BookOutcome, ToolError>> {
        Box::pin(async move {
            let Some(current) = store::get(&self.db, appointment_id)
                .await
                .map_err(unavailable)?
            else {
                return Err(ToolError::Invalid("no such appointment".to_owned()));
            };
            let booking = NewBooking {
                customer_phone: current.customer_phone.clone(),
                customer_name: None,
                service_id: current.service_id,
                addon_ids: Vec::new(),
                start: slot.start,
                address: current.address.clone(),
                details: serde_json::Value::Null,
                conversation_id: None,
                channel: Some(self.channel.clone()),
                sized: crate::packs::Adjustment::default(),
            };
            let commit = Commit {
                rules: self.rules.clone(),
                booking,
                now: self.now(),
                reschedule_of: Some(appointment_id),
            };
            let outcome = self
                .desk
                .for_tenant(&self.tenant)
                .send(commit)
                .await
                .map_err(unavailable)?;
            self.settle(slot, outcome, Some(appointment_id)).await
        })
    }

    fn cancel_appointment(
        &self,
        appointment_id: i64,
    ) -> BoxFuture<'_, Result<AppointmentInfo, ToolError>> {
        Box::pin(async move {
            store::cancel(&self.db, appointment_id)
                .await
                .map_err(unavailable)?
                .map(info)
                .ok_or_else(|| ToolError::Invalid("no such booked appointment".to_owned()))
        })
    }

    fn send_booking_link<'a>(&'a self, phone: &'a str) -> BoxFuture<'a, Result<bool, ToolError>> {
        Box::pin(async move {
            let Some(url) = self.profile.booking_url.clone() else {
                return Ok(false);
            };
            let body = booking_link_text(
                &self.profile.templates,
                Some(self.pack),
                &self.profile.business_name,
                &url,
            );
            self.text(phone, body, "booking_link").await
        })
    }

    fn handoff_to_human<'a>(
        &'a self,
        customer_phone: Option<&'a str>,
        summary: &'a str,
    ) -> BoxFuture<'a, Result<(), ToolError>> {
        Box::pin(async move { self.tell_owner(customer_phone, summary).await })
    }

    fn take_message<'a>(
        &'a self,
        customer_phone: Option<&'a str>,
        message: &'a str,
    ) -> BoxFuture<'a, Result<(), ToolError>> {
        Box::pin(async move {
            self.tell_owner(customer_phone, &format!("Message: {message}"))
                .await
        })
    }
}

impl From<DbError> for ToolError {
    fn from(e: DbError) -> Self {
        unavailable(e)
    }
}
