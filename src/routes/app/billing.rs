//! `GET /app/billing`: Plan and billing — the plan card (tier, status, trial
//! days left, next billing date), what each tier adds (from the one tier table,
//! `features::TIER_FEATURES`), the invoice state, and a form per other tier.
//! `POST /app/billing/upgrade {plan_tier}` changes the plan through the same
//! `BillingActor::Upgrade` as `POST /api/billing/upgrade`. Both work in every
//! status (billing is never read-only), so a suspended owner can pay and come back.

use super::layout::{money, OwnerPage};
use super::nudges::{self, NudgeView};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::chrome::{Banner, Chrome, Tone};
use crate::web::form::FormErrors;
use crate::web::page::{self, Caching};
use crate::web::session::{self, OwnerSession};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use servicepro_actors::billing::Upgrade;
use servicepro_actors::dashboard::plan;
use servicepro_schema::features::{Feature, TIER_FEATURES};
use servicepro_schema::{PlanTier, TenantStatus};

/// A tier's name as owners read it.
pub fn tier_name(tier: PlanTier) -> &'static str {
    match tier {
        PlanTier::Starter => "Starter",
        PlanTier::Pro => "Pro",
        PlanTier::Elite => "Elite",
    }
}

/// A feature in plain words.
fn feature_name(f: Feature) -> &'static str {
    match f {
        Feature::AiSmsAgent => "AI answers and books by text",
        Feature::AiVoiceAgent => "AI receptionist answers calls",
        Feature::DedicatedNumber => "Your own business number",
        Feature::Campaigns => "Text campaigns to customers",
        Feature::DataExport => "Export all your data",
        Feature::WebsiteGenerator => "Booking website",
    }
}

/// A status as owners read it.
fn status_name(s: TenantStatus) -> &'static str {
    match s {
        TenantStatus::Trialing => "Free trial",
        TenantStatus::Active => "Active",
        TenantStatus::PastDue => "Payment past due",
        TenantStatus::Suspended => "Suspended",
        TenantStatus::Cancelled => "Cancelled",
    }
}

struct TierCard {
    value: &'static str,
    name: &'static str,
    current: bool,
    /// Features this tier adds over the one below it.
    adds: Vec<&'static str>,
    /// Everything it includes.
    includes: Vec<&'static str>,
    /// "Upgrade" or "Downgrade".
    verb: &'static str,
}

#[derive(Template)]
#[template(path = "web/app/billing.html")]
struct BillingPage {
    chrome: Chrome,
    csrf: String,
    back: &'static str,
    nudges: Vec<NudgeView>,
    tier: &'static str,
    status: &'static str,
    status_tone: &'static str,
    trial_days_left: Option<i64>,
    next_billing: Option<String>,
    invoice_status: Option<String>,
    invoice_date: Option<String>,
    last_payment: Option<String>,
    tiers: Vec<TierCard>,
    billing_on: bool,
    errors: FormErrors,
}

fn tiers(current: PlanTier) -> Vec<TierCard> {
    let mut below: &[Feature] = &[];
    let rank = |t: PlanTier| TIER_FEATURES.iter().position(|(x, _)| *x == t);
    TIER_FEATURES
        .iter()
        .map(|(tier, features)| {
            let adds = features
                .iter()
                .filter(|f| !below.contains(f))
                .map(|f| feature_name(*f))
                .collect();
            below = features;
            TierCard {
                value: tier.as_str(),
                name: tier_name(*tier),
                current: *tier == current,
                adds,
                includes: features.iter().map(|f| feature_name(*f)).collect(),
                verb: if rank(*tier) > rank(current) {
                    "Upgrade"
                } else {
                    "Downgrade"
                },
            }
        })
        .collect()
}

async fn render(
    state: &AppState,
    owner: &OwnerSession,
    status: StatusCode,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let mut page_data = OwnerPage::load(state, owner, "Plan and billing", "/app/billing").await?;
    let now = (state.clock)();
    let view = plan::view(&page_data.db, now).await?;
    let nudges = nudges::for_page(state, &page_data).await?;
    let p = &view.profile;
    if let Some(text) = notice {
        if page_data.chrome.banner.is_none() {
            page_data.chrome.banner = Some(Banner {
                tone: Tone::Ok,
                text,
            });
        }
    }
    let trial_days_left = match (p.status, p.trial_ends_at) {
        (TenantStatus::Trialing, Some(ends)) => {
            Some(((ends - now).num_hours().max(0) + 23).div_euclid(24))
        }
        _ => None,
    };
    let day = |at: chrono::DateTime<chrono::Utc>| {
        at.with_timezone(&page_data.tz)
            .format("%-d %B %Y")
            .to_string()
    };
    let inv = &view.invoice;
    let tpl = BillingPage {
        csrf: page_data.csrf.clone(),
        back: "/app/billing",
        nudges,
        tier: tier_name(p.plan_tier),
        status: status_name(p.status),
        status_tone: match p.status {
            TenantStatus::Active | TenantStatus::Trialing => "ok",
            TenantStatus::PastDue => "warn",
            TenantStatus::Suspended | TenantStatus::Cancelled => "bad",
        },
        trial_days_left,
        next_billing: p.billing.next_billing_date.map(day),
        invoice_status: inv.latest_invoice_status.clone(),
        invoice_date: inv.latest_invoice_created.map(day),
        last_payment: match (inv.last_payment_at, inv.last_payment_cents) {
            (Some(at), Some(cents)) => Some(format!(
                "{} on {}",
                money(i32::try_from(cents).unwrap_or(i32::MAX)),
                day(at)
            )),
            _ => None,
        },
        tiers: tiers(p.plan_tier),
        billing_on: state.billing.is_some(),
        errors,
        chrome: page_data.chrome,
    };
    page::render(status, Caching::Private, &tpl)
}

/// `?changed=<tier>&checkout=1` after a plan change.
#[derive(serde::Deserialize)]
pub struct Changed {
    changed: Option<String>,
    checkout: Option<String>,
}

/// `GET /app/billing`.
pub async fn show(
    state: web::Data<AppState>,
    owner: OwnerSession,
    query: web::Query<Changed>,
) -> Result<HttpResponse, ApiError> {
    let notice = query
        .changed
        .as_deref()
        .and_then(|t| t.parse::<PlanTier>().ok())
        .map(|t| {
            let mut text = format!("Your plan is now {}.", tier_name(t));
            if query.checkout.as_deref() == Some("1") {
                text.push_str(" Add a card before your trial ends to keep it.");
            }
            text
        });
    render(&state, &owner, StatusCode::OK, FormErrors::none(), notice).await
}

/// The upgrade form.
#[derive(serde::Deserialize)]
pub struct UpgradeForm {
    csrf: Option<String>,
    plan_tier: Option<String>,
}

/// `POST /app/billing/upgrade`: 303 to the page with the new plan; 422 with
/// the reason next to the plan (unknown tier, the same tier, billing off, the
/// card refused); 403 without the form's token.
pub async fn upgrade(
    state: web::Data<AppState>,
    owner: OwnerSession,
    form: web::Form<UpgradeForm>,
) -> Result<HttpResponse, ApiError> {
    let form = form.into_inner();
    if let Some(res) = session::refuse_bad_csrf(
        &state,
        &owner.csrf_binding,
        form.csrf.as_deref(),
        "/app/billing",
    ) {
        return Ok(res);
    }
    let refused = |field: Option<&str>, message: String| {
        let mut errors = FormErrors::none();
        match field {
            Some(f) => errors.add(f, message),
            None => errors.general = Some(message),
        }
        errors
    };
    let tier = match form
        .plan_tier
        .as_deref()
        .unwrap_or_default()
        .parse::<PlanTier>()
    {
        Ok(t) => t,
        Err(e) => {
            let errors = refused(Some("plan_tier"), e.to_string());
            return render(
                &state,
                &owner,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                None,
            )
            .await;
        }
    };
    let Some(billing) = state.billing.as_ref() else {
        let errors = refused(
            None,
            "Plan changes are not available right now (billing is off).".to_owned(),
        );
        return render(
            &state,
            &owner,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            None,
        )
        .await;
    };
    let msg = Upgrade {
        tenant: owner.tenant.clone(),
        tier,
    };
    let sent = billing.send(msg).await.map_err(|e| {
        tracing::error!(error = %e, "billing actor unavailable");
        ApiError::internal()
    })?;
    match sent.map_err(ApiError::from) {
        Ok(done) => {
            tracing::info!(tier = %tier, "plan changed from the owner app");
            let checkout = if done.checkout_required {
                "&checkout=1"
            } else {
                ""
            };
            Ok(page::see_other(&format!(
                "/app/billing?changed={}{checkout}",
                tier.as_str()
            )))
        }
        Err(e) => {
            let errors = FormErrors::from_api(e)?;
            render(
                &state,
                &owner,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                None,
            )
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_tier_lists_what_it_adds_over_the_one_below() {
        let cards = tiers(PlanTier::Pro);
        assert_eq!(cards.len(), 3);
        assert_eq!(cards[0].verb, "Downgrade");
        assert!(cards[1].current);
        assert_eq!(cards[2].verb, "Upgrade");
        assert_eq!(cards[2].adds, vec!["AI receptionist answers calls"]);
        assert!(cards[1].adds.contains(&"AI answers and books by text"));
        assert!(!cards[1].adds.contains(&"Export all your data"));
        assert_eq!(cards[0].includes, cards[0].adds);
    }
}
