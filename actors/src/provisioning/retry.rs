//! [`NumberProvisioner`]: the supervised job that keeps trying to buy numbers for
//! tenants whose provisioning is pending. Every `poll` it asks the database which
//! tenants are due (their backoff elapsed, no live lease: safe with several
//! processes) and tries each in turn; a tick still running when the next comes is
//! not doubled.

use super::{ProvisionError, Provisioner};
use actix::{Actor, ActorFutureExt, AsyncContext, Context, Supervised, WrapFuture};
use std::time::Duration;

/// Tenants tried per tick at most.
pub const BATCH: i32 = 20;

/// The retry job.
pub struct NumberProvisioner {
    provisioner: Provisioner,
    poll: Duration,
    running: bool,
}

impl NumberProvisioner {
    /// A job polling every `poll`.
    pub fn new(provisioner: Provisioner, poll: Duration) -> Self {
        NumberProvisioner {
            provisioner,
            poll,
            running: false,
        }
    }

    fn tick(&mut self, ctx: &mut Context<Self>) {
        if self.running {
            return;
        }
        self.running = true;
        let provisioner = self.provisioner.clone();
        let work = async move {
            let due =
                match servicepro_schema::lookup::due_number_provisioning(&provisioner.pool, BATCH)
                    .await
                {
                    Ok(due) => due,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot list tenants due for a number");
                        return;
                    }
                };
            for tenant in due {
                match provisioner.retry_if_due(&tenant).await {
                    Ok(number) => {
                        tracing::info!(tenant_id = %tenant, number = %number.as_str(), "pending number provisioned")
                    }
                    Err(ProvisionError::Busy) => {}
                    // Logged and scheduled again by the provisioner itself.
                    Err(_) => {}
                }
            }
        };
        ctx.spawn(work.into_actor(self).map(|(), act, _| act.running = false));
    }
}

impl Actor for NumberProvisioner {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        ctx.run_interval(self.poll, |act, ctx| act.tick(ctx));
    }
}

impl Supervised for NumberProvisioner {
    fn restarting(&mut self, _: &mut Context<Self>) {
        self.running = false;
    }
}
