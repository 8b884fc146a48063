//! Which Stripe price is which plan (`STRIPE_PRICE_STARTER/PRO/ELITE`).

use servicepro_schema::PlanTier;

/// The price id of each plan tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceMap {
    /// `STRIPE_PRICE_STARTER`.
    pub starter: String,
    /// `STRIPE_PRICE_PRO`.
    pub pro: String,
    /// `STRIPE_PRICE_ELITE`.
    pub elite: String,
}

impl PriceMap {
    /// The price of `tier`.
    pub fn price(&self, tier: PlanTier) -> &str {
        match tier {
            PlanTier::Starter => &self.starter,
            PlanTier::Pro => &self.pro,
            PlanTier::Elite => &self.elite,
        }
    }

    /// The tier whose price is `price`, if one.
    pub fn tier(&self, price: &str) -> Option<PlanTier> {
        PlanTier::ALL
            .iter()
            .copied()
            .find(|t| self.price(*t) == price)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_and_tiers_round_trip() {
        let prices = PriceMap {
            starter: "price_s".into(),
            pro: "price_p".into(),
            elite: "price_e".into(),
        };
        for tier in PlanTier::ALL {
            assert_eq!(prices.tier(prices.price(*tier)), Some(*tier));
        }
        assert_eq!(prices.tier("price_other"), None);
    }
}
