//! Billing's configuration: Stripe (keys, API base, the price of each plan) and the
//! trial scheduler (grace period, sweep period). Read with the rest of
//! [`Config`](super::Config), each value checked once.

use super::{invalid, ConfigError, Source};
use servicepro_actors::billing::trials::TrialSchedule;
use servicepro_actors::billing::PriceMap;
use servicepro_schema::SecretString;
use std::time::Duration;
use url::Url;

/// Days past a trial's end before a tenant with no subscription is suspended.
pub const DEFAULT_TRIAL_GRACE_DAYS: u16 = 7;
/// How often the trial scheduler sweeps.
pub const DEFAULT_TRIAL_SWEEP: Duration = Duration::from_secs(300);

/// Stripe billing.
#[derive(Debug, Clone)]
pub struct StripeConfig {
    /// Secret API key; none means billing is off.
    pub secret_key: Option<SecretString>,
    /// Webhook signing secret (`whsec_…`).
    pub webhook_secret: Option<SecretString>,
    /// REST API base.
    pub api_base: Url,
    /// The price of each plan (`STRIPE_PRICE_STARTER/PRO/ELITE`); required with the key.
    pub prices: Option<PriceMap>,
}

impl StripeConfig {
    /// Reads and checks the Stripe variables.
    pub(super) fn read(src: &Source) -> Result<Self, ConfigError> {
        let stripe = StripeConfig {
            secret_key: src.secret("STRIPE_SECRET_KEY"),
            webhook_secret: src.secret("STRIPE_WEBHOOK_SECRET"),
            api_base: src.http_url("STRIPE_API_BASE", "https://api.stripe.com")?,
            prices: read_prices(src)?,
        };
        if stripe.secret_key.is_some() && stripe.webhook_secret.is_none() {
            return Err(invalid(
                "STRIPE_WEBHOOK_SECRET",
                "required when STRIPE_SECRET_KEY is set",
            ));
        }
        if stripe.secret_key.is_some() && stripe.prices.is_none() {
            return Err(invalid(
                "STRIPE_PRICE_STARTER",
                "STRIPE_PRICE_STARTER, STRIPE_PRICE_PRO and STRIPE_PRICE_ELITE are required when STRIPE_SECRET_KEY is set",
            ));
        }
        Ok(stripe)
    }
}

/// All three prices, or none; each a `price_…` id, all different.
fn read_prices(src: &Source) -> Result<Option<PriceMap>, ConfigError> {
    let vars = [
        "STRIPE_PRICE_STARTER",
        "STRIPE_PRICE_PRO",
        "STRIPE_PRICE_ELITE",
    ];
    let values: Vec<Option<String>> = vars.iter().map(|v| src.get(v)).collect();
    if values.iter().all(Option::is_none) {
        return Ok(None);
    }
    let mut prices = Vec::with_capacity(3);
    for (var, value) in vars.iter().zip(values) {
        match value {
            Some(p) if p.starts_with("price_") && !prices.contains(&p) => prices.push(p),
            Some(p) => {
                return Err(invalid(
                    var,
                    format!("expected a distinct price_… id, got {p}"),
                ))
            }
            None => return Err(invalid(var, "set all three STRIPE_PRICE_* or none")),
        }
    }
    let [starter, pro, elite] = <[String; 3]>::try_from(prices)
        .map_err(|_| invalid("STRIPE_PRICE_STARTER", "three prices expected"))?;
    Ok(Some(PriceMap {
        starter,
        pro,
        elite,
    }))
}

/// Reads the trial scheduler's variables.
pub(super) fn read_trials(src: &Source) -> Result<TrialSchedule, ConfigError> {
    let grace_days = match src.get("SERVICEPRO_TRIAL_GRACE_DAYS") {
        None => DEFAULT_TRIAL_GRACE_DAYS,
        Some(raw) => raw.parse::<u16>().map_err(|_| {
            invalid(
                "SERVICEPRO_TRIAL_GRACE_DAYS",
                format!("expected a number of days (0 or more), got {raw}"),
            )
        })?,
    };
    let every = match src.get("SERVICEPRO_TRIAL_SWEEP_SECS") {
        None => DEFAULT_TRIAL_SWEEP,
        Some(raw) => match raw.parse::<u64>() {
            Ok(secs) if secs > 0 => Duration::from_secs(secs),
            _ => {
                return Err(invalid(
                    "SERVICEPRO_TRIAL_SWEEP_SECS",
                    format!("expected a positive number of seconds, got {raw}"),
                ))
            }
        },
    };
    Ok(TrialSchedule { every, grace_days })
}
