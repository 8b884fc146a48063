//! Everything one turn works with besides the state: the tools, what the
//! tenant sells, its industry pack, the clock and what the text means.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::brain::nlu::{Intent, Understanding};
use crate::brain::phrasing::Phrasing;
use crate::brain::tools::{AgentTools, TenantProfile};
use crate::packs::IndustryPack;

use super::catalog::Catalog;
use super::state::ConversationState;

/// The inputs of one turn.
pub(super) struct Ctx<'a> {
    /// The tools over the tenant's data.
    pub(super) tools: &'a dyn AgentTools,
    /// The tenant's services and add-ons.
    pub(super) catalog: Catalog,
    /// The tenant's industry pack, when it has a built-in one.
    pub(super) pack: Option<&'static IndustryPack>,
    /// The customer's phone, when the channel knows it.
    pub(super) phone: Option<&'a str>,
    /// The current instant.
    pub(super) now: DateTime<Utc>,
    /// What the text means.
    pub(super) u: Understanding,
    /// How to ask for answers on the customer's channel.
    pub(super) say: Phrasing,
}

impl Ctx<'_> {
    /// The tenant facts.
    pub(super) fn profile(&self) -> &TenantProfile {
        self.tools.profile()
    }

    /// The tenant's time zone.
    pub(super) fn tz(&self) -> Tz {
        self.profile().time_zone
    }

    /// The business name as customers know it.
    pub(super) fn business(&self) -> &str {
        &self.profile().business_name
    }

    /// What one job is called ("detail", "cleaning").
    pub(super) fn job_noun(&self) -> &str {
        self.pack
            .map_or("appointment", |p| p.agent.vocabulary.job_noun.as_str())
    }

    /// Minutes the chosen job takes: the service and add-ons, plus what the
    /// customer's answers add (a large dog, a van, four bedrooms).
    pub(super) fn job_minutes(&self, state: &ConversationState) -> Option<i32> {
        let base = self.catalog.job_minutes(state)?;
        let service = self.catalog.get(state.service_id?)?;
        let extra = super::details::adjustment(self.pack, state, &service.name);
        Some(base.saturating_add(extra.total.minutes.max(0)))
    }

    /// Whether the text carries `intent`.
    pub(super) fn has(&self, intent: Intent) -> bool {
        self.u.signals.has(intent)
    }

    /// A plain yes (not also a no).
    pub(super) fn yes(&self) -> bool {
        self.has(Intent::Affirm) && !self.has(Intent::Deny)
    }

    /// A plain no (not also a yes).
    pub(super) fn no(&self) -> bool {
        self.has(Intent::Deny) && !self.has(Intent::Affirm)
    }
}
