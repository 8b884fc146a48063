//! `TenantRegistry`: finds or starts a tenant's [`TenantActor`] and asks it.
//!
//! Cheap to clone. Actors are kept in a fixed set of shards keyed by `TenantId`, so a
//! lookup locks one shard for one hash-map probe, never a process-wide lock over every
//! tenant. An actor is started on demand (only for a tenant the database knows: the
//! version read comes first) and takes itself off when it stops idle; one that died
//! (a panic) is replaced on the next lookup, and a request it never answered is asked
//! once more of its replacement.

use super::actor::{
    ChangeStatus, ChangeTier, ChangedBy, GetContext, GetSnapshot, Leave, RootWrite, TenantActor,
    UpdateSettings,
};
use super::context::TenantContext;
use super::settings::SettingsUpdate;
use super::TenantError;
use crate::booking::link::PublicBase;
use crate::brain::db_tools::TenantSnapshot;
use crate::packs::TenantTemplates;
use actix::{Addr, Handler, MailboxError, Message, Supervisor};
use servicepro_schema::lookup::{tenant_version, tenant_version_by_phone};
use servicepro_schema::policy::{self, Action};
use servicepro_schema::{DbError, DbPool, PlanTier, TenantId, TenantStatus, TenantVersion, E164};
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// A tenant actor with no message for this long stops (its state is in the database).
pub const DEFAULT_IDLE_STOP: Duration = Duration::from_secs(10 * 60);

/// How many shards the actor map is split into.
const SHARDS: usize = 16;

/// How fresh an answer must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Read the tenant's version now (one round trip) and answer at it.
    Check,
    /// The caller read this version from the database after its request arrived
    /// (the webhooks get it with the number lookup): answer at it, no extra read.
    Seen(TenantVersion),
}

type Shard = Mutex<HashMap<TenantId, Addr<TenantActor>>>;

struct Inner {
    shards: Vec<Shard>,
    hasher: RandomState,
    pool: DbPool,
    idle_stop: Duration,
    base: PublicBase,
}

impl Inner {
    fn shard(&self, tenant: &TenantId) -> MutexGuard<'_, HashMap<TenantId, Addr<TenantActor>>> {
        let i = (self.hasher.hash_one(tenant) % SHARDS as u64) as usize;
        // A panic while holding a shard lock cannot leave the map inconsistent (every
        // critical section is one insert, get or remove), so a poisoned lock is used as is.
        match self.shards[i].lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

impl Leave for Inner {
    fn leave(&self, tenant: &TenantId, addr: &Addr<TenantActor>) {
        let mut shard = self.shard(tenant);
        if shard.get(tenant) == Some(addr) {
            shard.remove(tenant);
        }
    }
}

/// Finds or starts tenant actors.
#[derive(Clone)]
pub struct TenantRegistry {
    inner: Arc<Inner>,
}

impl TenantRegistry {
    /// A registry whose actors stop after `idle_stop` without a message; `base`
    /// makes the tenants' default booking links.
    pub fn new(pool: DbPool, idle_stop: Duration, base: PublicBase) -> Self {
        TenantRegistry {
            inner: Arc::new(Inner {
                shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
                hasher: RandomState::new(),
                pool,
                idle_stop,
                base,
            }),
        }
    }

    /// `tenant`'s actor, started under a supervisor when it has none (must run inside
    /// the actix system). Callers should prefer the asking methods below, which first
    /// make sure the tenant exists.
    pub fn actor(&self, tenant: &TenantId) -> Addr<TenantActor> {
        let mut shard = self.inner.shard(tenant);
        if let Some(addr) = shard.get(tenant).filter(|a| a.connected()) {
            return addr.clone();
        }
        let (pool, idle_stop, id, base) = (
            self.inner.pool.clone(),
            self.inner.idle_stop,
            tenant.clone(),
            self.inner.base.clone(),
        );
        let inner: Arc<dyn Leave> = self.inner.clone();
        let registry = Arc::downgrade(&inner);
        let addr = Supervisor::start(move |_| {
            TenantActor::new(id, pool, idle_stop, registry, base.clone())
        });
        shard.insert(tenant.clone(), addr.clone());
        addr
    }

    /// Live tenant actors (for `/metrics` and tests).
    pub fn live(&self) -> usize {
        self.inner
            .shards
            .iter()
            .map(|s| match s.lock() {
                Ok(map) => map.values().filter(|a| a.connected()).count(),
                Err(poisoned) => poisoned
                    .into_inner()
                    .values()
                    .filter(|a| a.connected())
                    .count(),
            })
            .sum()
    }

    /// Whether `tenant` has a live actor now.
    pub fn is_live(&self, tenant: &TenantId) -> bool {
        self.inner
            .shard(tenant)
            .get(tenant)
            .is_some_and(|a| a.connected())
    }

    /// Asks `tenant`'s actor; when it died before answering, asks its replacement once.
    async fn ask<M, R>(&self, tenant: &TenantId, msg: M) -> Result<R, TenantError>
    where
        M: Message<Result = Result<R, TenantError>> + Clone + Send + 'static,
        R: Send + 'static,
        TenantActor: Handler<M>,
    {
        match self.actor(tenant).send(msg.clone()).await {
            Err(MailboxError::Closed) => self.actor(tenant).send(msg).await?,
            answer => answer?,
        }
    }

    async fn seen(
        &self,
        tenant: &TenantId,
        freshness: Freshness,
    ) -> Result<TenantVersion, TenantError> {
        match freshness {
            Freshness::Seen(version) => Ok(version),
            Freshness::Check => tenant_version(&self.inner.pool, tenant)
                .await?
                .ok_or(TenantError::Db(DbError::NotFound)),
        }
    }

    /// `tenant`'s context (`DbError::NotFound` when there is no such tenant).
    pub async fn context(
        &self,
        tenant: &TenantId,
        freshness: Freshness,
    ) -> Result<Arc<TenantContext>, TenantError> {
        let seen = self.seen(tenant, freshness).await?;
        self.ask(tenant, GetContext { seen }).await
    }

    /// The tenant's own SMS templates, read with its snapshot. When the snapshot
    /// cannot be read the error is logged and no own templates are returned, so the
    /// text (a HELP reply, an owner's notice) still goes out in its pack's words.
    pub async fn templates(&self, tenant: &TenantId, freshness: Freshness) -> TenantTemplates {
        match self.snapshot(tenant, freshness).await {
            Ok(snapshot) => snapshot.profile().templates.clone(),
            Err(e) => {
                tracing::error!(tenant_id = %tenant, error = %e, "tenant snapshot unreadable: its own sms templates are not used");
                TenantTemplates::default()
            }
        }
    }

    /// The brain's snapshot of `tenant`.
    pub async fn snapshot(
        &self,
        tenant: &TenantId,
        freshness: Freshness,
    ) -> Result<Arc<TenantSnapshot>, TenantError> {
        let seen = self.seen(tenant, freshness).await?;
        self.ask(tenant, GetSnapshot { seen }).await
    }

    /// The context of the tenant whose number is `number`, if one owns it: the number
    /// lookup returns the version too, so this costs one round trip when cached.
    pub async fn by_number(
        &self,
        number: &E164,
    ) -> Result<Option<Arc<TenantContext>>, TenantError> {
        match tenant_version_by_phone(&self.inner.pool, number.as_str()).await? {
            Some((tenant, seen)) => Ok(Some(self.ask(&tenant, GetContext { seen }).await?)),
            None => Ok(None),
        }
    }

    /// Moves `tenant` to `status`, audited as done `by` that operator.
    pub async fn change_status(
        &self,
        tenant: &TenantId,
        status: TenantStatus,
        by: &str,
    ) -> Result<Arc<TenantContext>, TenantError> {
        self.seen(tenant, Freshness::Check).await?;
        let msg = ChangeStatus {
            status,
            by: by.to_owned(),
        };
        self.ask(tenant, msg).await
    }

    /// Moves `tenant` to plan `tier`, audited as done `by` that operator.
    pub async fn change_tier(
        &self,
        tenant: &TenantId,
        tier: PlanTier,
        by: &str,
    ) -> Result<Arc<TenantContext>, TenantError> {
        self.seen(tenant, Freshness::Check).await?;
        let msg = ChangeTier {
            tier,
            by: by.to_owned(),
        };
        self.ask(tenant, msg).await
    }

    /// Runs a billing `write` through `tenant`'s actor (one at a time with its other
    /// writes; its cache read again after): answers what the write returned and the
    /// new context.
    pub async fn root_write<T: Send + 'static>(
        &self,
        tenant: &TenantId,
        write: RootWrite<T>,
    ) -> Result<(T, Arc<TenantContext>), TenantError> {
        self.seen(tenant, Freshness::Check).await?;
        self.ask(tenant, write).await
    }

    /// Changes `tenant`'s settings. The owner may only while the status policy
    /// leaves the dashboards writable (not suspended or cancelled); an operator may.
    pub async fn update_settings(
        &self,
        tenant: &TenantId,
        update: SettingsUpdate,
        by: ChangedBy,
    ) -> Result<Arc<TenantContext>, TenantError> {
        if by == ChangedBy::Owner {
            let status = self.context(tenant, Freshness::Check).await?.tenant.status;
            policy::check(status, Action::DashboardWrite)?;
        } else {
            self.seen(tenant, Freshness::Check).await?;
        }
        self.ask(tenant, UpdateSettings { update, by }).await
    }
}
