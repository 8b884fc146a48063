//! Plan tiers and feature gates. Every gate in the product asks
//! [`has_feature`]; nothing else decides what a tenant may use.

use crate::policy::Action;
use crate::types::{PlanTier, TenantStatus};

/// A gated capability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Feature {
    /// The AI booking agent answering texts.
    AiSmsAgent,
    /// The AI voice receptionist.
    AiVoiceAgent,
    /// A number of the tenant's own on the platform account.
    DedicatedNumber,
    /// Outbound marketing campaigns.
    Campaigns,
    /// Export of all the tenant's data.
    DataExport,
    /// The website generator.
    WebsiteGenerator,
}

impl Feature {
    /// What using the feature does, for the status policy.
    pub fn action(self) -> Action {
        match self {
            Feature::AiSmsAgent | Feature::AiVoiceAgent => Action::AiReply,
            Feature::DedicatedNumber => Action::InboundCall,
            Feature::Campaigns => Action::Campaign,
            Feature::DataExport => Action::DataExport,
            Feature::WebsiteGenerator => Action::DashboardWrite,
        }
    }

    /// Every feature, in display order.
    pub const ALL: [Feature; 6] = [
        Feature::AiSmsAgent,
        Feature::AiVoiceAgent,
        Feature::DedicatedNumber,
        Feature::Campaigns,
        Feature::DataExport,
        Feature::WebsiteGenerator,
    ];
}

/// Which features each tier includes (the master plan's `TIER_FEATURES`).
pub const TIER_FEATURES: [(PlanTier, &[Feature]); 3] = [
    (
        PlanTier::Starter,
        &[Feature::DataExport, Feature::WebsiteGenerator],
    ),
    (
        PlanTier::Pro,
        &[
            Feature::AiSmsAgent,
            Feature::DedicatedNumber,
            Feature::Campaigns,
            Feature::DataExport,
            Feature::WebsiteGenerator,
        ],
    ),
    (
        PlanTier::Elite,
        &[
            Feature::AiSmsAgent,
            Feature::AiVoiceAgent,
            Feature::DedicatedNumber,
            Feature::Campaigns,
            Feature::DataExport,
            Feature::WebsiteGenerator,
        ],
    ),
];

/// Whether a tenant on `tier` with `status` may use `feature`.
///
/// The tier decides what is included; the status takes away what the status
/// policy ([`crate::policy`]) refuses for the feature's action: `past_due` keeps
/// everything but campaigns, `suspended` and `cancelled` keep only data export —
/// data is never held hostage.
pub fn has_feature(tier: PlanTier, status: TenantStatus, feature: Feature) -> bool {
    let included = TIER_FEATURES
        .iter()
        .find(|(t, _)| *t == tier)
        .is_some_and(|(_, features)| features.contains(&feature));
    let allowed_by_status = crate::policy::may(status, feature.action());
    included && allowed_by_status
}

/// The features a tenant may use now, for profiles and dashboards.
pub fn enabled_features(tier: PlanTier, status: TenantStatus) -> Vec<Feature> {
    Feature::ALL
        .into_iter()
        .filter(|f| has_feature(tier, status, *f))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Feature::*;

    #[test]
    fn tiers_match_the_plan() {
        let active = TenantStatus::Active;
        assert_eq!(
            enabled_features(PlanTier::Starter, active),
            vec![DataExport, WebsiteGenerator]
        );
        assert!(has_feature(PlanTier::Pro, active, AiSmsAgent));
        assert!(has_feature(PlanTier::Pro, active, DedicatedNumber));
        assert!(!has_feature(PlanTier::Pro, active, AiVoiceAgent));
        assert!(has_feature(PlanTier::Elite, active, AiVoiceAgent));
        assert!(has_feature(
            PlanTier::Elite,
            TenantStatus::Trialing,
            AiVoiceAgent
        ));
    }

    #[test]
    fn status_degrades_but_keeps_export() {
        assert!(!has_feature(
            PlanTier::Elite,
            TenantStatus::PastDue,
            Campaigns
        ));
        assert!(has_feature(
            PlanTier::Elite,
            TenantStatus::PastDue,
            AiSmsAgent
        ));
        for s in [TenantStatus::Suspended, TenantStatus::Cancelled] {
            assert_eq!(enabled_features(PlanTier::Elite, s), vec![DataExport]);
        }
    }
}
