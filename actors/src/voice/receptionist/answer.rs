//! Answering one AI call: from the tenant's context and snapshot and the stream's checked
//! `start`, the call's [`CallDeps`] — its instructions (with the tenant's services and
//! the caller), the brain's tools, live-call control with the tenant's Twilio
//! credentials, the finaliser, the audio mode and voice, and whether it is recorded —
//! and the started [`CallActor`] with the queue of frames for the websocket edge.

use std::path::PathBuf;
use std::sync::Arc;

use actix::Addr;
use servicepro_schema::{DbPool, SecretBox, TenantDb, TenantId, VoiceAudio};
use tokio::sync::mpsc;

use super::{BrainTools, Confirmations, DbCallFinalizer, TwilioCallControl};
use crate::booking::BookingDesk;
use crate::brain::db_tools::{DbTools, TenantSnapshot};
use crate::brain::tools::AgentTools;
use crate::call::{
    AudioMode, CallActor, CallDeps, CallError, CallInbox, CallMetrics, CallProfile, CallTuning,
    StartFrame,
};
use crate::clock::Clock;
use crate::messaging::{SmsOutbox, TwilioCredentials, TwilioRest};
use crate::realtime::provider::RealtimeConnector;
use crate::tenant::context::TenantContext;
use crate::voice::call_flow::IncomingCall;
use crate::voice::call_instructions::call_instructions;
use crate::voice::callback_urls::CallbackUrls;

/// Frames a call may have queued for its websocket (about five seconds of audio).
pub const OUTBOUND_CAPACITY: usize = 256;
/// The provider voice the receptionist speaks with.
pub const VOICE: &str = "alloy";

/// What every AI call of the process is wired to; built once at start-up when a
/// realtime provider is configured.
#[derive(Clone)]
pub struct Receptionist {
    /// Opens provider sessions.
    pub connector: Arc<dyn RealtimeConnector>,
    /// The database.
    pub pool: DbPool,
    /// Per-tenant booking actors, for the tools.
    pub desk: BookingDesk,
    /// Texts (booking confirmations).
    pub outbox: Addr<SmsOutbox>,
    /// The engine's clock.
    pub clock: Clock,
    /// Twilio's REST API, for redirects of the live call.
    pub twilio: TwilioRest,
    /// Opens tenants' own Twilio tokens.
    pub secrets: SecretBox,
    /// The platform's Twilio account, for tenants without their own.
    pub platform: Option<TwilioCredentials>,
    /// Callback URLs of redirects.
    pub urls: CallbackUrls,
    /// Process-wide call metrics.
    pub metrics: Arc<CallMetrics>,
    /// The audio of calls of a tenant without a number.
    pub default_audio: VoiceAudio,
    /// Where calls of tenants that record calls are written.
    pub recordings_dir: PathBuf,
    /// A call whose caller sends no frame for this long is ended (the call actor's
    /// idle timeout, [`crate::call::TWILIO_IDLE_TIMEOUT`] by default).
    pub caller_idle_timeout: std::time::Duration,
}

impl Receptionist {
    /// Starts the receptionist on the call `start` opened, for `tenant` (whose handshake
    /// was verified) with its context and snapshot; returns the call's inbox and the frames
    /// it wants written to Twilio.
    pub async fn answer(
        &self,
        tenant: TenantId,
        ctx: Arc<TenantContext>,
        snapshot: Arc<TenantSnapshot>,
        start: StartFrame,
    ) -> Result<(CallInbox, mpsc::Receiver<String>), CallError> {
        let (outbound, frames) = mpsc::channel(OUTBOUND_CAPACITY);
        let deps = self
            .call_deps(tenant, ctx, snapshot, &start, outbound)
            .await;
        Ok((CallActor::start(deps, start)?, frames))
    }

    /// The [`CallDeps`] of the call `start` opened.
    pub async fn call_deps(
        &self,
        tenant: TenantId,
        ctx: Arc<TenantContext>,
        snapshot: Arc<TenantSnapshot>,
        start: &StartFrame,
        outbound: mpsc::Sender<String>,
    ) -> CallDeps {
        let db = TenantDb::new(self.pool.clone(), tenant.clone());
        let tools = DbTools::with_snapshot(
            Arc::clone(&snapshot),
            db,
            self.desk.clone(),
            self.outbox.clone(),
            self.clock.clone(),
            "voice",
        );
        let services = tools.get_services().await.unwrap_or_else(|err| {
            tracing::warn!(call_sid = %start.call_sid, %err, "services not read; the model will ask get_services");
            Vec::new()
        });
        let caller = start.caller();
        let profile = CallProfile {
            tenant_id: tenant.clone(),
            instructions: call_instructions(&snapshot, &services, caller.as_ref()),
            voice: VOICE.to_owned(),
            audio_mode: self.audio_mode(&ctx),
            recordings_dir: ctx
                .phone
                .as_ref()
                .is_some_and(|p| p.record_calls)
                .then(|| self.recordings_dir.clone()),
        };
        let confirmations = caller.clone().map(|caller| Confirmations {
            outbox: self.outbox.clone(),
            tenant,
            caller,
        });
        let call = IncomingCall {
            call_sid: start.call_sid.clone(),
            from: start.from.clone(),
            caller: caller.clone(),
            to: ctx.phone_number().unwrap_or_default().to_owned(),
        };
        let credentials = ctx.twilio_credentials(&self.secrets, self.platform.as_ref());
        CallDeps {
            connector: Arc::clone(&self.connector),
            profile,
            tools: Arc::new(BrainTools::new(
                tools,
                Some(&start.from),
                (self.clock)(),
                confirmations,
            )),
            control: Arc::new(TwilioCallControl::new(
                self.twilio.clone(),
                credentials,
                ctx,
                call,
                self.urls.clone(),
            )),
            finalizer: Arc::new(DbCallFinalizer::new(self.pool.clone())),
            outbound,
            metrics: Arc::clone(&self.metrics),
            tuning: CallTuning {
                twilio_idle_timeout: self.caller_idle_timeout,
                // Checked often enough that a short timeout is kept to within half of it.
                heartbeat: CallTuning::default()
                    .heartbeat
                    .min(self.caller_idle_timeout / 2),
                ..CallTuning::default()
            },
        }
    }

    /// PCM16 for tenants whose number is set to it, μ-law pass-through for the others;
    /// the process default for a tenant without a number.
    fn audio_mode(&self, ctx: &TenantContext) -> AudioMode {
        let audio = ctx
            .phone
            .as_ref()
            .map_or(self.default_audio, |p| p.voice_audio);
        if audio == VoiceAudio::Pcm16 {
            AudioMode::Transcode
        } else {
            AudioMode::Passthrough
        }
    }
}
