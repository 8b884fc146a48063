//! `GET /twilio/media-stream/{tenant}`: the websocket Twilio opens for
//! `<Connect><Stream>`. A thin edge: the [`Twilio<ByPath>`] extractor verifies the
//! handshake; the socket waits for the `start` frame, checks it once
//! ([`StartFrame::check`]: `<Stream>` drops query strings, so the call travels as
//! `customParameters`), has `voice::receptionist` start the call's `CallActor`
//! with it, then only moves text frames in and out. Frames over
//! `SERVICEPRO_WS_MAX_FRAME_BYTES` are refused at their header ([`FrameLimit`]) and a
//! socket without `start` within `SERVICEPRO_STREAM_START_TIMEOUT_MS` is closed; a
//! started call whose caller goes silent is ended by the `CallActor`'s idle timeout.
//! Everything else — audio,
//! barge-in, tools, failures — is the actor's business.

use crate::state::AppState;
use crate::twilio_webhook::{ByPath, Twilio};
use crate::ws_frame_limit::FrameLimit;
use actix::{Actor, ActorContext, ActorFutureExt, AsyncContext, StreamHandler, WrapFuture};
use actix_web::{web, HttpRequest, HttpResponse};
use actix_web_actors::ws;
use servicepro_actors::brain::db_tools::TenantSnapshot;
use servicepro_actors::call::{CallInbox, FrameRefused, StartFrame, TwilioFrame};
use servicepro_actors::realtime::twilio_stream::{parse_twilio_frame, TwilioEvent};
use servicepro_actors::tenant::context::TenantContext;
use servicepro_actors::tenant::{Freshness, TenantError};
use servicepro_schema::TenantId;
use std::sync::Arc;
use tracing::Instrument;

/// Frames kept while the call is being set up (about 2 s of audio).
pub const SETUP_BUFFER_FRAMES: usize = 120;

/// `GET /twilio/media-stream/{tenant}`: the stream of one of `tenant`'s calls. The
/// handshake is signed over this URL with the tenant's Twilio token (its own when it
/// brought its account, else the platform's), so the path's tenant is authenticated.
pub async fn media_stream(
    state: web::Data<AppState>,
    hook: Twilio<ByPath>,
    req: HttpRequest,
    stream: web::Payload,
) -> Result<HttpResponse, actix_web::Error> {
    let socket = MediaStreamSocket {
        state: state.get_ref().clone(),
        tenant: hook.tenant.tenant.id.clone(),
        context: hook.tenant,
        call: None,
        pending: Vec::new(),
        starting: false,
        span: tracing::Span::current(),
    };
    let limit = state.config.edge.ws_max_frame_bytes;
    ws::WsResponseBuilder::new(socket, &req, FrameLimit::new(stream, limit))
        .frame_size(limit)
        .start()
}

/// The tenant's snapshot for its call's tools and instructions (the one place the
/// media stream reads it).
async fn tenant_snapshot(
    state: &AppState,
    tenant: &TenantId,
    context: &TenantContext,
) -> Result<Arc<TenantSnapshot>, TenantError> {
    state
        .tenants
        .snapshot(tenant, Freshness::Seen(context.version))
        .await
}

/// One Twilio media stream.
pub struct MediaStreamSocket {
    state: AppState,
    /// The tenant the handshake was signed for.
    tenant: TenantId,
    /// Its context, read to verify the handshake and used again to start the call.
    context: Arc<TenantContext>,
    /// The call's inbox once it started; dropping it is the caller hanging up.
    call: Option<CallInbox>,
    pending: Vec<bytestring::ByteString>,
    starting: bool,
    /// The handshake's request span (request id, route, tenant): what the socket logs
    /// before the call starts, and the call's set-up, stay in it.
    span: tracing::Span,
}

/// A frame the call wants written to Twilio.
struct Outbound(String);

impl Actor for MediaStreamSocket {
    type Context = ws::WebsocketContext<Self>;

    /// A stream that has not sent its `start` within the configured time is closed
    /// (a socket that never starts a call holds nothing for long).
    fn started(&mut self, ctx: &mut Self::Context) {
        let timeout = self.state.config.edge.stream_start_timeout;
        ctx.run_later(timeout, move |act, ctx| {
            if act.call.is_none() && !act.starting {
                tracing::warn!(tenant_id = %act.tenant, ?timeout, "no start frame in time; closing the media stream");
                ctx.close(Some(ws::CloseCode::Policy.into()));
                ctx.stop();
            }
        });
    }

    /// The socket closed: the call takes the dropped inbox as the caller hanging
    /// up, after the frames already queued.
    fn stopped(&mut self, _: &mut Self::Context) {
        self.call = None;
    }
}

impl MediaStreamSocket {
    fn start_call(&mut self, start: StartFrame, ctx: &mut ws::WebsocketContext<Self>) {
        self.starting = true;
        let (state, tenant, context) = (
            self.state.clone(),
            self.tenant.clone(),
            Arc::clone(&self.context),
        );
        let setup = async move {
            let receptionist = state
                .receptionist
                .clone()
                .ok_or_else(|| "no realtime provider configured".to_owned())?;
            let snapshot = tenant_snapshot(&state, &tenant, &context)
                .await
                .map_err(|e| e.to_string())?;
            receptionist
                .answer(tenant, context, snapshot, start)
                .await
                .map_err(|e| e.to_string())
        };
        let setup = setup.instrument(self.span.clone());
        ctx.wait(setup.into_actor(self).map(|result, act, ctx| match result {
            Ok((inbox, rx)) => {
                for frame in act.pending.drain(..) {
                    if inbox.push(TwilioFrame(frame)) == Err(FrameRefused::Full) {
                        act.state.metrics.media_frames_dropped.inc();
                    }
                }
                act.call = Some(inbox);
                act.starting = false;
                let outbound = futures_util::stream::unfold(rx, |mut rx| async move {
                    rx.recv().await.map(|s| (Outbound(s), rx))
                });
                ctx.add_stream(outbound);
            }
            Err(reason) => {
                let _span = act.span.clone().entered();
                tracing::error!(%reason, "could not start the AI receptionist; closing the stream (Twilio continues with the IVR)");
                ctx.close(None);
                ctx.stop();
            }
        }));
    }

    /// A text frame before the call started: its `start` (checked once) starts it.
    fn before_call(&mut self, text: &str, ctx: &mut ws::WebsocketContext<Self>) {
        let _span = self.span.clone().entered();
        match parse_twilio_frame(text) {
            Ok(TwilioEvent::Start(start)) => match StartFrame::check(start, &self.tenant) {
                Ok(start) => self.start_call(start, ctx),
                Err(refused) => {
                    tracing::warn!(%refused, "start frame refused; closing");
                    ctx.close(None);
                    ctx.stop();
                }
            },
            Ok(TwilioEvent::Stop(_)) => ctx.stop(),
            Ok(_) => {}
            Err(e) => tracing::debug!(error = %e, "malformed frame before start skipped"),
        }
    }
}

impl StreamHandler<Result<ws::Message, ws::ProtocolError>> for MediaStreamSocket {
    fn handle(&mut self, msg: Result<ws::Message, ws::ProtocolError>, ctx: &mut Self::Context) {
        match msg {
            Ok(ws::Message::Text(text)) => {
                if let Some(call) = &self.call {
                    // A call that already ended reads no more frames: not a drop.
                    if call.push(TwilioFrame(text)) == Err(FrameRefused::Full) {
                        self.state.metrics.media_frames_dropped.inc();
                    }
                } else if self.starting {
                    if self.pending.len() < SETUP_BUFFER_FRAMES {
                        self.pending.push(text);
                    }
                } else {
                    self.before_call(&text, ctx);
                }
            }
            Ok(ws::Message::Ping(bytes)) => ctx.pong(&bytes),
            Ok(ws::Message::Close(reason)) => {
                ctx.close(reason);
                ctx.stop();
            }
            Ok(_) => {}
            Err(e) => {
                let _span = self.span.clone().entered();
                // An oversized frame (refused at its header by `FrameLimit`) lands here.
                tracing::warn!(error = %e, "media-stream protocol error; closing");
                ctx.close(Some(ws::CloseCode::Protocol.into()));
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
