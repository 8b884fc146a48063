//! `BookingActor`: one per tenant, so a process commits one tenant's
//! bookings one at a time (a slot offered to two texters is decided here
//! first); the database's exclusion constraint decides across processes.
//! `BookingDesk` finds or starts a tenant's actor. Every channel books here, so a
//! new appointment committed is counted here (`servicepro_tenant_bookings_total`).

use super::store::{commit, CommitError, NewBooking, StoredAppointment};
use crate::booking::availability::AvailabilityRules;
use crate::metrics::TenantMetrics;
use actix::{
    Actor, ActorFutureExt, Addr, AtomicResponse, Context, Handler, Message, Supervised, Supervisor,
    WrapFuture,
};
use chrono::{DateTime, Utc};
use servicepro_schema::{DbPool, TenantDb, TenantId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tracing::Instrument;

/// Commit one booking (or move one, with `reschedule_of`).
#[derive(Debug, Message)]
#[rtype(result = "CommitOutcome")]
pub struct Commit {
    /// The tenant's rules at commit time.
    pub rules: AvailabilityRules,
    /// What to book.
    pub booking: NewBooking,
    /// The clock.
    pub now: DateTime<Utc>,
    /// The appointment being moved, for a reschedule.
    pub reschedule_of: Option<i64>,
}

/// The result of a [`Commit`].
pub type CommitOutcome = Result<StoredAppointment, CommitError>;

/// Commits one tenant's bookings in order.
pub struct BookingActor {
    db: TenantDb,
    metrics: Arc<TenantMetrics>,
    /// `booking{tenant_id}`, around every commit.
    span: tracing::Span,
}

impl Actor for BookingActor {
    type Context = Context<Self>;
}

impl Supervised for BookingActor {}

impl Handler<Commit> for BookingActor {
    type Result = AtomicResponse<Self, CommitOutcome>;

    fn handle(&mut self, msg: Commit, _: &mut Self::Context) -> Self::Result {
        let db = self.db.clone();
        let new = msg.reschedule_of.is_none();
        AtomicResponse::new(Box::pin(
            async move { commit(&db, &msg.rules, msg.booking, msg.now, msg.reschedule_of).await }
                .instrument(self.span.clone())
                .into_actor(self)
                .map(move |outcome, act, _| {
                    if new && outcome.is_ok() {
                        act.metrics.booking(act.db.tenant());
                    }
                    outcome
                }),
        ))
    }
}

/// Finds or starts the `BookingActor` of a tenant.
#[derive(Clone)]
pub struct BookingDesk {
    pool: DbPool,
    metrics: Arc<TenantMetrics>,
    actors: Arc<Mutex<HashMap<TenantId, Addr<BookingActor>>>>,
}

impl BookingDesk {
    /// A desk over `pool`; each booking made counts in `metrics`.
    pub fn new(pool: DbPool, metrics: Arc<TenantMetrics>) -> Self {
        BookingDesk {
            pool,
            metrics,
            actors: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// The tenant's booking actor (started under a supervisor on first use;
    /// must be called inside the actix system).
    pub fn for_tenant(&self, tenant: &TenantId) -> Addr<BookingActor> {
        let mut actors = match self.actors.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(addr) = actors.get(tenant).filter(|a| a.connected()) {
            return addr.clone();
        }
        let db = TenantDb::new(self.pool.clone(), tenant.clone());
        let metrics = self.metrics.clone();
        let addr = Supervisor::start(move |_| BookingActor {
            metrics: metrics.clone(),
            span: tracing::info_span!(parent: None, "booking", tenant_id = %db.tenant()),
            db: db.clone(),
        });
        actors.insert(tenant.clone(), addr.clone());
        addr
    }
}
