//! `TenantActor`: one per active tenant, started on demand by the
//! [`super::registry::TenantRegistry`] under an `actix::Supervisor`.
//!
//! It owns the tenant's one cache: the [`TenantContext`] (row, number, settings) and,
//! built on first need, the brain's [`TenantSnapshot`] (rules, area, services, knowledge
//! base), both kept under the version the context was read at. Every request names the
//! version its caller just read from the database ([`GetContext::seen`]); the cache answers
//! only while it holds exactly that version, else the tenant is read again first, so a
//! change made anywhere is seen by the next message. It is also the one place a tenant's
//! status, plan tier and settings change ([`ChangeStatus`], [`ChangeTier`],
//! [`UpdateSettings`]): each writes through the database and replaces the cache.
//!
//! Reads and writes are handled one at a time (`AtomicResponse`): requests that arrive
//! while the tenant is being read wait and are then answered from the fresh cache. It
//! stops after its idle timeout without a message; a restart (a supervised stop) starts
//! from an empty cache — the database is the truth.

use super::changes::{self, PlanChange};
use super::context::TenantContext;
use super::settings::SettingsUpdate;
use super::TenantError;
use crate::booking::link::PublicBase;
use crate::brain::db_tools::TenantSnapshot;
use actix::{
    fut, Actor, ActorContext, ActorFutureExt, AsyncContext, AtomicResponse, Context, Handler,
    Message, Supervised, WrapFuture,
};
use futures_util::future::BoxFuture;
use servicepro_schema::{
    DbError, DbPool, PlanTier, RootDb, TenantDb, TenantId, TenantStatus, TenantVersion,
};
use std::future::Future;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use tracing::Instrument;

/// The tenant's context; the caller read `seen` from the database after its request
/// arrived (resolving the number, or [`super::registry::Freshness::Check`]).
#[derive(Debug, Clone, Message)]
#[rtype(result = "Result<Arc<TenantContext>, TenantError>")]
pub struct GetContext {
    /// The version the caller read.
    pub seen: TenantVersion,
}

/// The brain's snapshot of the tenant, at the version the caller read.
#[derive(Debug, Clone, Message)]
#[rtype(result = "Result<Arc<TenantSnapshot>, TenantError>")]
pub struct GetSnapshot {
    /// The version the caller read.
    pub seen: TenantVersion,
}

/// Moves the tenant to `status` (root path, audited); answers the new context.
#[derive(Debug, Clone, Message)]
#[rtype(result = "Result<Arc<TenantContext>, TenantError>")]
pub struct ChangeStatus {
    /// The new status.
    pub status: TenantStatus,
    /// Who asked, for the audit log.
    pub by: String,
}

/// Moves the tenant to plan `tier` (root path, audited); answers the new context.
#[derive(Debug, Clone, Message)]
#[rtype(result = "Result<Arc<TenantContext>, TenantError>")]
pub struct ChangeTier {
    /// The new plan.
    pub tier: PlanTier,
    /// Who asked, for the audit log.
    pub by: String,
}

/// Who changes a tenant's settings, which decides the database path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangedBy {
    /// A platform operator (the named actor): the audited root path.
    Root(String),
    /// The tenant's owner: the tenant-scoped path.
    Owner,
}

/// Changes the tenant's settings (validated first); answers the new context.
#[derive(Debug, Clone, Message)]
#[rtype(result = "Result<Arc<TenantContext>, TenantError>")]
pub struct UpdateSettings {
    /// What to change.
    pub update: SettingsUpdate,
    /// Who asked.
    pub by: ChangedBy,
}

/// A billing write through the audited root path that may move the tenant's status
/// or plan (a Stripe event, an upgrade, the trial scheduler): run one at a time with
/// the actor's other writes, then the tenant is read again and cached. Answers what
/// the write returned and the new context.
pub struct RootWrite<T> {
    /// The write, given the root path (may be run twice: once more by a replaced actor).
    pub write: Arc<dyn Fn(RootDb) -> BoxFuture<'static, Result<T, DbError>> + Send + Sync>,
}

impl<T> Clone for RootWrite<T> {
    fn clone(&self) -> Self {
        RootWrite {
            write: Arc::clone(&self.write),
        }
    }
}

impl<T: 'static> Message for RootWrite<T> {
    type Result = Result<(T, Arc<TenantContext>), TenantError>;
}

/// What the actor keeps: the context and, once needed, the snapshot of one version.
struct Cached {
    context: Arc<TenantContext>,
    snapshot: Option<Arc<TenantSnapshot>>,
}

/// Where an idle actor takes itself off before stopping.
pub(super) trait Leave: Send + Sync {
    /// Forgets `addr` as `tenant`'s actor, if it still is.
    fn leave(&self, tenant: &TenantId, addr: &actix::Addr<TenantActor>);
}

/// The actor of one tenant.
pub struct TenantActor {
    tenant: TenantId,
    pool: DbPool,
    idle_stop: Duration,
    registry: Weak<dyn Leave>,
    /// Makes the default booking link of the snapshot.
    base: PublicBase,
    cached: Option<Cached>,
    last_seen: Instant,
    /// `tenant{tenant_id}`: entered around every handler, so what it logs names the tenant.
    span: tracing::Span,
}

type Reply<T> = AtomicResponse<TenantActor, Result<Arc<T>, TenantError>>;

impl TenantActor {
    pub(super) fn new(
        tenant: TenantId,
        pool: DbPool,
        idle_stop: Duration,
        registry: Weak<dyn Leave>,
        base: PublicBase,
    ) -> Self {
        TenantActor {
            span: tracing::info_span!(parent: None, "tenant", tenant_id = %tenant),
            tenant,
            pool,
            idle_stop,
            registry,
            base,
            cached: None,
            last_seen: Instant::now(),
        }
    }

    fn db(&self) -> TenantDb {
        TenantDb::new(self.pool.clone(), self.tenant.clone())
    }

    /// The cache, when it holds version `seen`.
    fn at(&self, seen: TenantVersion) -> Option<&Cached> {
        self.cached.as_ref().filter(|c| c.context.version == seen)
    }

    /// Runs `write`, then reads the tenant again and keeps what it read.
    fn write_then_reload<F>(&mut self, write: F) -> Reply<TenantContext>
    where
        F: Future<Output = Result<(), TenantError>> + 'static,
    {
        let reply = self.write_returning(write);
        AtomicResponse::new(Box::pin(reply.map(|res, _, _| res.map(|((), ctx)| ctx))))
    }

    /// Runs `write`, then reads the tenant again and keeps what it read; answers both.
    fn write_returning<T, F>(
        &mut self,
        write: F,
    ) -> actix::ResponseActFuture<Self, Result<(T, Arc<TenantContext>), TenantError>>
    where
        T: 'static,
        F: Future<Output = Result<T, TenantError>> + 'static,
    {
        self.last_seen = Instant::now();
        let db = self.db();
        let work = async move {
            let answer = write.await?;
            Ok((answer, Arc::new(TenantContext::load(&db).await?)))
        };
        Box::pin(work.instrument(self.span.clone()).into_actor(self).map(
            |res: Result<(T, Arc<TenantContext>), TenantError>, act, _| {
                let (answer, context) = res?;
                act.keep(Arc::clone(&context), None);
                Ok((answer, context))
            },
        ))
    }

    fn keep(&mut self, context: Arc<TenantContext>, snapshot: Option<Arc<TenantSnapshot>>) {
        self.cached = Some(Cached { context, snapshot });
    }
}

impl Actor for TenantActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        let every = (self.idle_stop / 4).max(Duration::from_millis(10));
        ctx.run_interval(every, |act, ctx| {
            if act.last_seen.elapsed() >= act.idle_stop {
                let _span = act.span.clone().entered();
                tracing::debug!("tenant idle; stopping");
                if let Some(registry) = act.registry.upgrade() {
                    registry.leave(&act.tenant, &ctx.address());
                }
                ctx.stop();
            }
        });
    }
}

impl Supervised for TenantActor {
    fn restarting(&mut self, _: &mut Self::Context) {
        let _span = self.span.clone().entered();
        tracing::info!("tenant actor restarting; its cache is read again");
        self.cached = None;
        self.last_seen = Instant::now();
    }
}

impl Handler<GetContext> for TenantActor {
    type Result = Reply<TenantContext>;

    fn handle(&mut self, msg: GetContext, _: &mut Self::Context) -> Self::Result {
        self.last_seen = Instant::now();
        if let Some(cached) = self.at(msg.seen) {
            let context = Arc::clone(&cached.context);
            return AtomicResponse::new(Box::pin(fut::ready(Ok(context))));
        }
        let db = self.db();
        let load = async move { Ok(Arc::new(TenantContext::load(&db).await?)) };
        AtomicResponse::new(Box::pin(
            load.instrument(self.span.clone()).into_actor(self).map(
                |res: Result<_, TenantError>, act, _| {
                    let context = res?;
                    act.keep(Arc::clone(&context), None);
                    Ok(context)
                },
            ),
        ))
    }
}

impl Handler<GetSnapshot> for TenantActor {
    type Result = Reply<TenantSnapshot>;

    fn handle(&mut self, msg: GetSnapshot, _: &mut Self::Context) -> Self::Result {
        self.last_seen = Instant::now();
        let cached = self.at(msg.seen);
        if let Some(snapshot) = cached.and_then(|c| c.snapshot.clone()) {
            return AtomicResponse::new(Box::pin(fut::ready(Ok(snapshot))));
        }
        let known = cached.map(|c| Arc::clone(&c.context));
        let db = self.db();
        let base = self.base.clone();
        let build = async move {
            let context = match known {
                Some(context) => context,
                None => Arc::new(TenantContext::load(&db).await?),
            };
            let snapshot = TenantSnapshot::build(&db, &context, &base)
                .await
                .map_err(TenantError::Snapshot)?;
            Ok((context, Arc::new(snapshot)))
        };
        AtomicResponse::new(Box::pin(
            build.instrument(self.span.clone()).into_actor(self).map(
                |res: Result<_, TenantError>, act, _| {
                    let (context, snapshot) = res?;
                    act.keep(context, Some(Arc::clone(&snapshot)));
                    Ok(snapshot)
                },
            ),
        ))
    }
}

impl Handler<ChangeStatus> for TenantActor {
    type Result = Reply<TenantContext>;

    fn handle(&mut self, msg: ChangeStatus, _: &mut Self::Context) -> Self::Result {
        let (root, tenant) = (RootDb::new(self.pool.clone()), self.tenant.clone());
        self.write_then_reload(async move {
            let change = PlanChange::Status(msg.status);
            Ok(changes::set_plan(&root, &msg.by, &tenant, change).await?)
        })
    }
}

impl Handler<ChangeTier> for TenantActor {
    type Result = Reply<TenantContext>;

    fn handle(&mut self, msg: ChangeTier, _: &mut Self::Context) -> Self::Result {
        let (root, tenant) = (RootDb::new(self.pool.clone()), self.tenant.clone());
        self.write_then_reload(async move {
            let change = PlanChange::Tier(msg.tier);
            Ok(changes::set_plan(&root, &msg.by, &tenant, change).await?)
        })
    }
}

impl Handler<UpdateSettings> for TenantActor {
    type Result = Reply<TenantContext>;

    fn handle(&mut self, msg: UpdateSettings, _: &mut Self::Context) -> Self::Result {
        let pool = self.pool.clone();
        let tenant = self.tenant.clone();
        self.write_then_reload(async move {
            changes::set_settings(pool, &tenant, &msg.update, &msg.by).await
        })
    }
}

impl<T: 'static> Handler<RootWrite<T>> for TenantActor {
    type Result = AtomicResponse<Self, Result<(T, Arc<TenantContext>), TenantError>>;

    fn handle(&mut self, msg: RootWrite<T>, _: &mut Self::Context) -> Self::Result {
        let write = (msg.write)(RootDb::new(self.pool.clone()));
        AtomicResponse::new(self.write_returning(async move { Ok(write.await?) }))
    }
}
