//! The one rule bounding the `tenant` label: the first `cap` distinct tenants seen
//! by the process get their own label value (their id); every later tenant folds
//! into [`OTHER`]. Events no tenant can be named for are [`UNKNOWN`]. So a labelled
//! family has at most `cap + 2` series per other label combination, whatever the
//! number of tenants, and its sum is still the platform's total.
//!
//! The fold labels start with `_`, which no [`TenantId`] may contain, so they can
//! never be mistaken for a tenant called "other".

use prometheus_client::encoding::EncodeLabelSet;
use servicepro_schema::TenantId;
use std::collections::HashSet;
use std::num::NonZeroUsize;
use std::sync::{PoisonError, RwLock};

/// The label value of tenants past the cap.
pub const OTHER: &str = "_other";
/// The label value of events no tenant could be named for (a bad signature on a
/// request whose number or path names no tenant).
pub const UNKNOWN: &str = "_unknown";
/// Distinct tenant label values by default (`SERVICEPRO_METRICS_TENANT_CAP`).
pub const DEFAULT_CAP: NonZeroUsize = match NonZeroUsize::new(500) {
    Some(cap) => cap,
    None => NonZeroUsize::MIN,
};

/// The `tenant` label of a per-tenant series.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
pub struct TenantLabel {
    /// The tenant's id, [`OTHER`] or [`UNKNOWN`].
    pub tenant: String,
}

impl TenantLabel {
    /// The label of events with no tenant.
    pub fn unknown() -> Self {
        TenantLabel {
            tenant: UNKNOWN.to_owned(),
        }
    }
}

/// Hands out `tenant` label values, at most `cap` distinct tenant ids.
#[derive(Debug)]
pub struct TenantLabels {
    cap: NonZeroUsize,
    admitted: RwLock<HashSet<TenantId>>,
}

impl Default for TenantLabels {
    fn default() -> Self {
        Self::new(DEFAULT_CAP)
    }
}

impl TenantLabels {
    /// Labels for at most `cap` tenants.
    pub fn new(cap: NonZeroUsize) -> Self {
        TenantLabels {
            cap,
            admitted: RwLock::new(HashSet::new()),
        }
    }

    /// The cap.
    pub fn cap(&self) -> NonZeroUsize {
        self.cap
    }

    /// `tenant`'s label: its id when it already has one or there is room, else
    /// [`OTHER`]. A tenant once admitted keeps its label for the life of the process.
    pub fn label(&self, tenant: &TenantId) -> TenantLabel {
        let known = self
            .admitted
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(tenant);
        let own = known || {
            let mut admitted = self
                .admitted
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            admitted.contains(tenant)
                || (admitted.len() < self.cap.get() && admitted.insert(tenant.clone()))
        };
        TenantLabel {
            tenant: if own { tenant.as_str() } else { OTHER }.to_owned(),
        }
    }

    /// `tenant`'s label, or [`UNKNOWN`] without one.
    pub fn label_or_unknown(&self, tenant: Option<&TenantId>) -> TenantLabel {
        tenant.map_or_else(TenantLabel::unknown, |t| self.label(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(i: usize) -> TenantId {
        TenantId::parse(&format!("t{i:04}")).unwrap_or_else(|_| TenantId::root())
    }

    #[test]
    fn tenants_past_the_cap_fold_into_other_and_admitted_ones_keep_their_label() {
        let cap = NonZeroUsize::new(3).unwrap_or(NonZeroUsize::MIN);
        let labels = TenantLabels::new(cap);
        let given: Vec<String> = (0..5).map(|i| labels.label(&id(i)).tenant).collect();
        assert_eq!(given, ["t0000", "t0001", "t0002", OTHER, OTHER]);
        assert_eq!(labels.label(&id(1)).tenant, "t0001", "admitted for good");
        assert_eq!(labels.label(&id(4)).tenant, OTHER, "no room freed");
        assert_eq!(labels.label_or_unknown(None).tenant, UNKNOWN);
    }

    #[test]
    fn the_fold_labels_are_never_tenant_ids() {
        assert!(TenantId::parse(OTHER).is_err());
        assert!(TenantId::parse(UNKNOWN).is_err());
    }
}
