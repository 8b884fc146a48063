//! [`Notices`]: texts the engine sends on its own account — to a customer
//! (a booking confirmation after a call) or to the tenant's owner (a text the
//! agent does not answer, a voicemail). Each goes through the outbox like
//! every other text; a failure is logged, never raised, because the caller's
//! own work (answering a webhook) must not fail for it.

use super::{SendSms, SmsOutbox};
use crate::tenant::context::TenantContext;
use actix::Addr;
use servicepro_schema::{TenantId, E164};

/// Sends the engine's own texts through the outbox.
#[derive(Clone)]
pub struct Notices {
    outbox: Addr<SmsOutbox>,
}

impl Notices {
    /// Notices through `outbox`.
    pub fn new(outbox: Addr<SmsOutbox>) -> Self {
        Notices { outbox }
    }

    /// Hands a text to the outbox; `true` when it was stored (sent or
    /// refused with a reason), `false` (logged) when the outbox failed.
    pub async fn text(&self, tenant: &TenantId, to: E164, body: String, purpose: &str) -> bool {
        let send = SendSms {
            tenant: tenant.clone(),
            to,
            body,
            purpose: purpose.to_owned(),
            conversation_id: None,
            customer_id: None,
        };
        match self.outbox.send(send).await {
            Ok(Ok(queued)) => {
                tracing::info!(message_id = queued.message_id, status = %queued.status, purpose, "text queued");
                true
            }
            Ok(Err(e)) => {
                tracing::error!(error = %e, purpose, "text not stored");
                false
            }
            Err(e) => {
                tracing::error!(error = %e, purpose, "outbox unavailable");
                false
            }
        }
    }

    /// Texts the tenant's owner (their `owner_phone`), if one is set.
    pub async fn text_owner(
        &self,
        ctx: &TenantContext,
        tenant: &TenantId,
        body: String,
        purpose: &str,
    ) -> bool {
        match ctx
            .config
            .as_ref()
            .and_then(|c| c.owner_phone.as_deref())
            .and_then(|p| E164::parse(p).ok())
        {
            Some(owner) => self.text(tenant, owner, body, purpose).await,
            None => {
                tracing::warn!(purpose, "no owner phone: notice not sent");
                false
            }
        }
    }
}
