//! Carrier keywords on an inbound text, answered before the agent sees it:
//! STOP (or an opt-out in the customer's own words, "stop texting me",
//! since the FCC's 2025 rule lets consent be revoked by any reasonable
//! means), START, YES from an opted-out number (resubscribe) and HELP.

use super::store;
use crate::brain::nlu::{carrier_keyword, normalize, opt_out_request, CarrierKeyword};
use crate::packs::{self, SmsTemplateKey, TenantTemplates};
use crate::tenant::context::TenantContext;
use crate::tenant::{Freshness, TenantRegistry};
use servicepro_schema::{DbError, TenantDb};

/// The compliance answer to `body` from `from`, after recording an opt-out
/// or opt-in; `None` when the text is for the agent (or, from an opted-out
/// number, for nobody). The tenant's own templates are read (from its actor) only
/// for the two replies that use them, not for every text.
pub(super) async fn compliance_answer(
    db: &TenantDb,
    ctx: &TenantContext,
    tenants: &TenantRegistry,
    from: &str,
    body: &str,
    opted_out: bool,
) -> Result<Option<String>, DbError> {
    let words = normalize(body);
    let keyword = carrier_keyword(&words)
        .or_else(|| opt_out_request(&words).then_some(CarrierKeyword::OptOut));
    let templates = || tenants.templates(&ctx.tenant.id, Freshness::Seen(ctx.version));
    match keyword {
        Some(CarrierKeyword::OptOut) => {
            store::set_opt_out(db, from, true).await?;
            tracing::info!("number opted out");
            Ok(Some(compliance_reply(
                ctx,
                &templates().await,
                SmsTemplateKey::OptOutConfirmation,
            )))
        }
        Some(CarrierKeyword::OptIn) => {
            store::set_opt_out(db, from, false).await?;
            Ok(Some(resubscribed(ctx)))
        }
        Some(CarrierKeyword::Yes) if opted_out => {
            store::set_opt_out(db, from, false).await?;
            Ok(Some(resubscribed(ctx)))
        }
        Some(CarrierKeyword::Help) if !opted_out => Ok(Some(compliance_reply(
            ctx,
            &templates().await,
            SmsTemplateKey::HelpReply,
        ))),
        _ => Ok(None),
    }
}

fn resubscribed(ctx: &TenantContext) -> String {
    format!(
        "{}: you're subscribed again. Text us any time!",
        ctx.tenant.name
    )
}

/// The opt-out confirmation or HELP reply in the tenant's words (its own template,
/// else its pack's, else a plain one).
pub fn compliance_reply(
    ctx: &TenantContext,
    templates: &TenantTemplates,
    key: SmsTemplateKey,
) -> String {
    packs::carrier_reply(
        templates,
        packs::pack(&ctx.tenant.industry).ok(),
        key,
        &ctx.tenant.name,
        ctx.config.as_ref().and_then(|c| c.owner_phone.as_deref()),
    )
}
