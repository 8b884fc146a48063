//! The tenant's services and add-ons as the engine uses them: the
//! vocabulary the understanding layer matches against, lookups by id,
//! job lengths and the one add-on worth offering with a service.

use crate::brain::nlu::{ServiceTerm, Vocabulary};
use crate::brain::tools::ServiceInfo;

use super::state::ConversationState;
use super::text::{duration_phrase, price_phrase};

/// What the tenant sells, loaded once per turn from `get_services`.
#[derive(Debug, Clone, Default)]
pub(super) struct Catalog {
    services: Vec<ServiceInfo>,
}

impl Catalog {
    /// Wraps the services the tools returned.
    pub(super) fn new(services: Vec<ServiceInfo>) -> Self {
        Self { services }
    }

    /// The words the understanding layer should recognise.
    pub(super) fn vocabulary(&self) -> Vocabulary {
        let term = |s: &ServiceInfo| ServiceTerm {
            id: s.id,
            name: s.name.clone(),
            aliases: s.aliases.clone(),
        };
        Vocabulary {
            services: self.main_services().map(term).collect(),
            addons: self.addons().map(term).collect(),
        }
    }

    /// Bookable main services, in the tenant's order.
    pub(super) fn main_services(&self) -> impl Iterator<Item = &ServiceInfo> {
        self.services.iter().filter(|s| !s.is_addon)
    }

    /// Add-ons, in the tenant's order.
    fn addons(&self) -> impl Iterator<Item = &ServiceInfo> {
        self.services.iter().filter(|s| s.is_addon)
    }

    /// The service or add-on with `id`.
    pub(super) fn get(&self, id: i64) -> Option<&ServiceInfo> {
        self.services.iter().find(|s| s.id == id)
    }

    /// Whether `addon` can go with `service` (an empty pairing list means
    /// any service).
    pub(super) fn pairs(addon: &ServiceInfo, service: &ServiceInfo) -> bool {
        addon.pairs_with.is_empty() || addon.pairs_with.iter().any(|p| p == &service.name)
    }

    /// The add-on to offer once with `service`: the first that pairs with
    /// it, has an upsell line and was neither taken nor declined.
    pub(super) fn upsell_for(
        &self,
        service: &ServiceInfo,
        state: &ConversationState,
    ) -> Option<&ServiceInfo> {
        self.addons().find(|a| {
            Self::pairs(a, service)
                && a.upsell_line
                    .as_deref()
                    .is_some_and(|l| !l.trim().is_empty())
                && !state.addons.contains(&a.id)
                && !state.declined_addons.contains(&a.id)
        })
    }

    /// Minutes the chosen service and add-ons take together.
    pub(super) fn job_minutes(&self, state: &ConversationState) -> Option<i32> {
        let service = self.get(state.service_id?)?;
        let extra: i32 = state
            .addons
            .iter()
            .filter_map(|id| self.get(*id))
            .map(|a| a.duration_minutes.max(0))
            .sum();
        Some(service.duration_minutes.max(1).saturating_add(extra))
    }

    /// "Full Detail (from $275)" for lists.
    pub(super) fn label(service: &ServiceInfo) -> String {
        format!("{} ({})", service.name, price_phrase(service))
    }

    /// "A Full Detail is from $275 and takes about 4 hours."
    pub(super) fn price_sentence(service: &ServiceInfo) -> String {
        format!(
            "{} is {} and takes {}.",
            service.name,
            price_phrase(service),
            duration_phrase(service.duration_minutes)
        )
    }

    /// The main services as a comma list with prices.
    pub(super) fn menu(&self) -> String {
        self.main_services()
            .map(Self::label)
            .collect::<Vec<_>>()
            .join(", ")
    }
}
