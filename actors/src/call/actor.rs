//! The call actor: one per live call (Twilio CallSid), supervised, owning the media
//! pipeline, the provider session, the playback clock, barge-in, the transcript and the
//! call record. The handlers live in sibling files by subject; this file holds the
//! state, the lifecycle and the mailbox.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use actix::{Actor, AsyncContext, Context, Handler, StreamHandler, Supervised, Supervisor};
use servicepro_media::MediaError;
use tokio::sync::mpsc;

use super::deps::{CallDeps, CallEnv};
use super::inbound::CallerAudio;
use super::inbox::CallInbox;
use super::link::ProviderLink;
use super::messages::{CallPhase, CallStats, CallerHungUp, GetCallStats, TwilioFrame};
use super::outbound::AiSpeech;
use super::start::StartFrame;
use super::summary::{CallEnd, TokenUsage};
use super::transcript::Transcript;
use crate::metrics::CallTenantMetrics;

/// Frames a call's [`CallInbox`] holds (about five seconds of Twilio frames), and
/// messages its mailbox holds.
pub const MAILBOX_CAPACITY: usize = 256;

/// Why a call actor could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// The transcoders could not be built.
    #[error("cannot build the call's audio pipeline: {0}")]
    Media(#[from] MediaError),
}

/// The phase of a call, with what an ending redirect will record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    AwaitingStart,
    Connecting,
    Live,
    Reconnecting,
    Redirecting(CallEnd),
    Finished,
}

/// Whether the model is answering, and answers we owe it.
#[derive(Debug, Default)]
pub(super) struct Turn {
    /// Between `response.created` and `response.done`.
    pub(super) active: bool,
    /// A `response.create` was queued and its `response.created` is still to come.
    pub(super) requested: bool,
    /// Ask for an answer once the active one is done (after a tool result).
    pub(super) owed: bool,
}

/// Counters of one call that no pipeline part owns.
#[derive(Debug, Default)]
pub(super) struct Tally {
    pub(super) malformed: u64,
    pub(super) speech_starts: u64,
    pub(super) barge_ins: u64,
    pub(super) max_reaction: Duration,
    pub(super) tool_calls: u64,
    pub(super) usage: TokenUsage,
}

/// One live call. Create it with [`CallActor::start`]; feed its [`CallInbox`]
/// [`TwilioFrame`]s and drop the inbox when the caller hangs up; drain the outbound
/// queue given in [`CallDeps`].
pub struct CallActor {
    pub(super) env: CallEnv,
    pub(super) phase: Phase,
    pub(super) call_sid: Option<String>,
    pub(super) stream_sid: Option<String>,
    pub(super) caller: CallerAudio,
    pub(super) speech: AiSpeech,
    pub(super) link: ProviderLink,
    pub(super) turn: Turn,
    pub(super) transcript: Transcript,
    pub(super) tool_calls_seen: HashSet<String>,
    pub(super) tally: Tally,
    pub(super) last_twilio: Instant,
    pub(super) pump_scheduled: bool,
    pub(super) finalized: bool,
    /// The tenant's live-call gauge (held up until finalised) and error counters,
    /// resolved once here so the call's path never looks a label up.
    pub(super) tenant_metrics: CallTenantMetrics,
    /// The checked `start` frame, until the actor has started with it.
    pub(super) start: Option<StartFrame>,
    /// `call{tenant_id, call_sid}`: entered around every handler and callback, and
    /// carried by the tasks the call spawns.
    pub(super) span: tracing::Span,
}

impl CallActor {
    /// A call actor for `deps` and the stream's checked `start`, not yet started. Counts
    /// as a live call from here on.
    pub fn new(deps: CallDeps, start: StartFrame) -> Result<Self, CallError> {
        let (env, outbound) = deps.split();
        let mode = env.profile.audio_mode;
        let tuning = &env.tuning;
        let caller = CallerAudio::new(
            mode,
            tuning.early_audio,
            tuning.caller_burst,
            tuning.append_frames,
        )?;
        let speech = AiSpeech::new(mode, outbound, env.tuning.frames_per_message)?;
        let span = tracing::info_span!(
            parent: None,
            "call",
            tenant_id = %env.profile.tenant_id,
            call_sid = %start.call_sid,
        );
        env.metrics.actors_alive.inc();
        env.metrics.live_calls.inc();
        let tenant_metrics = env.metrics.tenants.call(&env.profile.tenant_id);
        Ok(Self {
            tenant_metrics,
            span,
            env,
            phase: Phase::AwaitingStart,
            call_sid: None,
            stream_sid: None,
            caller,
            speech,
            link: ProviderLink::default(),
            turn: Turn::default(),
            transcript: Transcript::default(),
            tool_calls_seen: HashSet::new(),
            tally: Tally::default(),
            last_twilio: Instant::now(),
            pump_scheduled: false,
            finalized: false,
            start: Some(start),
        })
    }

    /// Starts a supervised call actor on the current arbiter and returns its
    /// [`CallInbox`]: a queue of `tuning.inbox_frames` ([`MAILBOX_CAPACITY`]) frames
    /// the actor reads as a stream (the edge pushes without waiting and drops what does not fit).
    pub fn start(deps: CallDeps, start: StartFrame) -> Result<CallInbox, CallError> {
        let capacity = deps.tuning.inbox_frames.max(1);
        let actor = Self::new(deps, start)?;
        let (frames, mut queued) = mpsc::channel::<TwilioFrame>(capacity);
        let addr = Supervisor::start(move |ctx: &mut Context<Self>| {
            ctx.set_mailbox_capacity(MAILBOX_CAPACITY);
            ctx.add_stream(futures_util::stream::poll_fn(move |cx| {
                queued.poll_recv(cx)
            }));
            actor
        });
        Ok(CallInbox::new(frames, addr))
    }

    /// Enters the call's span until the guard drops.
    pub(super) fn entered(&self) -> tracing::span::EnteredSpan {
        self.span.clone().entered()
    }

    fn stats(&self) -> CallStats {
        let frames = self.speech.frames_ref();
        CallStats {
            phase: match self.phase {
                Phase::AwaitingStart => CallPhase::AwaitingStart,
                Phase::Connecting => CallPhase::Connecting,
                Phase::Live => CallPhase::Live,
                Phase::Reconnecting => CallPhase::Reconnecting,
                Phase::Redirecting(_) => CallPhase::Redirecting,
                Phase::Finished => CallPhase::Finished,
            },
            call_sid: self.call_sid.clone(),
            frames_in: self.caller.frames_in(),
            queued_in: self.caller.queued(),
            dropped_in: self.caller.dropped(),
            over_pace: self.caller.over_pace(),
            frames_out: frames.frames_out(),
            dropped_out: frames.dropped_out(),
            malformed: self.tally.malformed,
            speech_starts: self.tally.speech_starts,
            barge_ins: self.tally.barge_ins,
            max_barge_in_reaction: self.tally.max_reaction,
            response_active: self.turn.active,
            reconnects: self.link.reconnects(),
            tool_calls: self.tally.tool_calls,
        }
    }
}

impl Actor for CallActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        let _span = self.entered();
        if self.phase == Phase::Finished {
            // Restarted by the supervisor after the call ended: stay an inert tombstone
            // until the edge drops the address (stopping again would restart again).
            return;
        }
        self.last_twilio = Instant::now();
        if let Some(start) = self.start.take() {
            self.begin(start, ctx);
        }
        ctx.run_interval(self.env.tuning.heartbeat, |act, ctx| {
            if act.last_twilio.elapsed() >= act.env.tuning.twilio_idle_timeout {
                let _span = act.entered();
                tracing::info!("no Twilio frame in time: caller gone");
                act.end_call(CallEnd::TwilioSilent, ctx);
            }
        });
    }
}

impl Supervised for CallActor {
    fn restarting(&mut self, _ctx: &mut Self::Context) {
        let _span = self.entered();
        if !self.finalized {
            self.finalize(CallEnd::Aborted);
        }
        self.phase = Phase::Finished;
    }
}

impl Drop for CallActor {
    fn drop(&mut self) {
        let _span = self.entered();
        if !self.finalized {
            self.finalize(CallEnd::Aborted);
        }
        self.env.metrics.actors_alive.dec();
    }
}

impl StreamHandler<TwilioFrame> for CallActor {
    fn handle(&mut self, msg: TwilioFrame, ctx: &mut Self::Context) {
        let _span = self.entered();
        self.on_twilio_text(&msg.0, ctx);
    }

    /// The edge dropped the [`CallInbox`] (the socket closed), after every frame it
    /// had queued: the caller hung up. Never stops the actor by itself (actix's
    /// default would, and the supervisor would restart it).
    fn finished(&mut self, ctx: &mut Self::Context) {
        if self.phase != Phase::Finished {
            <Self as Handler<CallerHungUp>>::handle(self, CallerHungUp, ctx);
        }
    }
}

impl Handler<CallerHungUp> for CallActor {
    type Result = ();

    fn handle(&mut self, _: CallerHungUp, ctx: &mut Self::Context) {
        let _span = self.entered();
        let end = match self.phase {
            Phase::Redirecting(end) => end,
            _ => CallEnd::CallerHungUp,
        };
        self.end_call(end, ctx);
    }
}

impl Handler<GetCallStats> for CallActor {
    type Result = actix::MessageResult<GetCallStats>;

    fn handle(&mut self, _: GetCallStats, _: &mut Self::Context) -> Self::Result {
        actix::MessageResult(self.stats())
    }
}

#[cfg(test)]
impl Handler<super::messages::InjectPanic> for CallActor {
    type Result = ();

    #[allow(clippy::panic)]
    fn handle(&mut self, _: super::messages::InjectPanic, _: &mut Self::Context) {
        panic!("injected panic in a call actor");
    }
}
