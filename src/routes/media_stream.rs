//! `GET /twilio/media-stream`: the websocket Twilio opens for
//! `<Connect><Stream>`. A thin edge: it checks the handshake's signature,
//! waits for the `start` frame to learn the tenant and call (`<Stream>`
//! drops query strings, so they travel as `customParameters`), starts the
//! call's `CallActor`, then only moves text frames in and out. Everything
//! else — audio, barge-in, tools, failures — is the actor's business.

use crate::error::ApiError;
use crate::state::AppState;
use actix::{Actor, ActorContext, ActorFutureExt, Addr, AsyncContext, StreamHandler, WrapFuture};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use actix_web_actors::ws;
use servicepro_actors::brain::db_tools::DbTools;
use servicepro_actors::brain::tools::AgentTools;
use servicepro_actors::call::{
    AudioMode, CallActor, CallDeps, CallProfile, CallTuning, CallerHungUp, TwilioFrame,
};
use servicepro_actors::realtime::twilio_stream::{parse_twilio_frame, TwilioEvent};
use servicepro_actors::tenant::context::TenantContext;
use servicepro_actors::tenant::Freshness;
use servicepro_actors::voice::call_flow::IncomingCall;
use servicepro_actors::voice::call_instructions::call_instructions;
use servicepro_actors::voice::receptionist::{
    BrainTools, Confirmations, DbCallFinalizer, TwilioCallControl,
};
use servicepro_schema::{TenantId, E164};
use std::sync::Arc;

/// Frames kept while the call is being set up (about 2 s of audio).
pub const SETUP_BUFFER_FRAMES: usize = 120;
/// Outbound frames the edge may hold for the socket.
pub const OUTBOUND_CAPACITY: usize = 256;

/// `GET /twilio/media-stream/{tenant}`: the stream of one of `tenant`'s calls. The
/// handshake is signed over this URL with the tenant's Twilio token (its own when it
/// brought its account, else the platform's), so the path's tenant is authenticated.
pub async fn media_stream(
    state: web::Data<AppState>,
    req: HttpRequest,
    tenant: web::Path<String>,
    stream: web::Payload,
) -> Result<HttpResponse, actix_web::Error> {
    let signature = req
        .headers()
        .get(crate::twilio_webhook::SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let tenant = TenantId::parse(&tenant).ok();
    let context = match &tenant {
        Some(id) => state.tenants.context(id, Freshness::Check).await.ok(),
        None => None,
    };
    let token = context.as_ref().and_then(|ctx| {
        ctx.webhook_auth_token(&state.secrets, state.config.twilio.auth_token.as_deref())
    });
    let valid = match (&tenant, token) {
        (Some(id), Some(token)) => servicepro_actors::twilio::validate(
            &token,
            &state.urls.media_stream(id.as_str()),
            &[],
            signature,
        ),
        _ => false,
    };
    let (Some(tenant), Some(context), true) = (tenant, context, valid) else {
        state.metrics.auth_rejected.inc();
        tracing::warn!("media-stream handshake with a bad or missing signature refused");
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "invalid_signature",
            "X-Twilio-Signature does not match",
        )
        .into());
    };
    ws::start(
        MediaStreamSocket {
            state: state.get_ref().clone(),
            tenant,
            context,
            call: None,
            pending: Vec::new(),
            starting: false,
        },
        &req,
        stream,
    )
}

/// One Twilio media stream.
pub struct MediaStreamSocket {
    state: AppState,
    /// The tenant the handshake was signed for.
    tenant: TenantId,
    /// Its context, read to verify the handshake and used again to start the call.
    context: Arc<TenantContext>,
    call: Option<Addr<CallActor>>,
    pending: Vec<String>,
    starting: bool,
}

/// A frame the call wants written to Twilio.
struct Outbound(String);

impl Actor for MediaStreamSocket {
    type Context = ws::WebsocketContext<Self>;

    fn stopped(&mut self, _: &mut Self::Context) {
        if let Some(call) = &self.call {
            call.do_send(CallerHungUp);
        }
    }
}

impl MediaStreamSocket {
    fn start_call(
        &mut self,
        start_frame: String,
        tenant: TenantId,
        call_sid: String,
        from: String,
        ctx: &mut ws::WebsocketContext<Self>,
    ) {
        self.starting = true;
        self.pending.push(start_frame);
        let state = self.state.clone();
        let tenant_ctx = Arc::clone(&self.context);
        let setup = async move {
            let profile_tenant = tenant.clone();
            let connector = state
                .realtime
                .clone()
                .ok_or("no realtime provider configured")?;
            let db = state.tenant_db(tenant.clone());
            let snapshot = state
                .tenants
                .snapshot(&tenant, Freshness::Seen(tenant_ctx.version))
                .await
                .map_err(|e| e.to_string())?;
            let tools = DbTools::with_snapshot(
                Arc::clone(&snapshot),
                db,
                state.desk.clone(),
                state.outbox.clone(),
                state.clock.clone(),
                "voice",
            );
            let services = tools.get_services().await.unwrap_or_else(|err| {
                tracing::warn!(tenant_id = %tenant, call_sid = %call_sid, %err, "services not read; the model will ask get_services");
                Vec::new()
            });
            let instructions =
                call_instructions(&snapshot, &services, E164::parse(&from).ok().as_ref());
            let call = IncomingCall {
                call_sid,
                from: from.clone(),
                to: tenant_ctx.phone_number().unwrap_or_default().to_owned(),
            };
            let platform = state
                .config
                .twilio
                .account_sid
                .clone()
                .zip(state.config.twilio.auth_token.clone())
                .map(
                    |(account_sid, auth_token)| servicepro_actors::messaging::TwilioCredentials {
                        account_sid,
                        auth_token,
                    },
                );
            let credentials = tenant_ctx.twilio_credentials(&state.secrets, platform.as_ref());
            let (tx, rx) = tokio::sync::mpsc::channel(OUTBOUND_CAPACITY);
            let deps = CallDeps {
                connector,
                profile: CallProfile {
                    tenant_id: tenant,
                    instructions,
                    voice: "alloy".to_owned(),
                    audio_mode: if tenant_ctx
                        .phone
                        .as_ref()
                        .map_or(state.config.voice_transcode, |p| p.voice_audio == "pcm16")
                    {
                        AudioMode::Transcode
                    } else {
                        AudioMode::Passthrough
                    },
                    recordings_dir: tenant_ctx
                        .phone
                        .as_ref()
                        .is_some_and(|p| p.record_calls)
                        .then(|| state.config.recordings_dir.clone()),
                },
                tools: Arc::new(BrainTools::new(
                    tools,
                    Some(&from),
                    (state.clock)(),
                    E164::parse(&from).ok().map(|caller| Confirmations {
                        outbox: state.outbox.clone(),
                        tenant: profile_tenant.clone(),
                        caller,
                    }),
                )),
                control: Arc::new(TwilioCallControl::new(
                    state.twilio.clone(),
                    credentials,
                    tenant_ctx,
                    call,
                    state.urls.clone(),
                )),
                finalizer: Arc::new(DbCallFinalizer::new(state.pool.clone())),
                outbound: tx,
                metrics: state.call_metrics.clone(),
                tuning: CallTuning::default(),
            };
            let addr = CallActor::start(deps).map_err(|e| e.to_string())?;
            Ok::<_, String>((addr, rx))
        };
        ctx.wait(setup.into_actor(self).map(|result, act, ctx| match result {
            Ok((addr, rx)) => {
                for frame in act.pending.drain(..) {
                    let _ = addr.try_send(TwilioFrame(frame));
                }
                act.call = Some(addr);
                act.starting = false;
                let outbound = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|s| (Outbound(s), rx)) });
                ctx.add_stream(outbound);
            }
            Err(reason) => {
                tracing::error!(%reason, "could not start the AI receptionist; closing the stream (Twilio continues with the IVR)");
                ctx.close(None);
                ctx.stop();
            }
        }));
    }
}

impl StreamHandler<Result<ws::Message, ws::ProtocolError>> for MediaStreamSocket {
    fn handle(&mut self, msg: Result<ws::Message, ws::ProtocolError>, ctx: &mut Self::Context) {
        match msg {
            Ok(ws::Message::Text(text)) => {
                let text = text.to_string();
                if let Some(call) = &self.call {
                    if call.try_send(TwilioFrame(text)).is_err() {
                        self.state.metrics.media_frames_dropped.inc();
                    }
                    return;
                }
                if self.starting {
                    if self.pending.len() < SETUP_BUFFER_FRAMES {
                        self.pending.push(text);
                    }
                    return;
                }
                match parse_twilio_frame(&text) {
                    Ok(TwilioEvent::Start(start)) => {
                        let named = start.custom_parameters.get("tenant_id");
                        if named.is_some_and(|t| t != self.tenant.as_str()) {
                            tracing::warn!(tenant_id = %self.tenant, named = ?named, "stream's tenant parameter differs from its signed URL; closing");
                            ctx.close(None);
                            ctx.stop();
                            return;
                        }
                        let tenant = self.tenant.clone();
                        let from = start
                            .custom_parameters
                            .get("from")
                            .cloned()
                            .unwrap_or_default();
                        let call_sid = start.call_sid.clone();
                        self.start_call(text, tenant, call_sid, from, ctx);
                    }
                    Ok(TwilioEvent::Stop(_)) => ctx.stop(),
                    Ok(_) => {}
                    Err(e) => tracing::debug!(error = %e, "malformed frame before start skipped"),
                }
            }
            Ok(ws::Message::Ping(bytes)) => ctx.pong(&bytes),
            Ok(ws::Message::Close(reason)) => {
                ctx.close(reason);
                ctx.stop();
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "media-stream protocol error");
                ctx.stop();
            }
        }
    }
}

impl StreamHandler<Outbound> for MediaStreamSocket {
    fn handle(&mut self, frame: Outbound, ctx: &mut Self::Context) {
        ctx.text(frame.0);
    }

    fn finished(&mut self, ctx: &mut Self::Context) {
        ctx.close(None);
        ctx.stop();
    }
}
