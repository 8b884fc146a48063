//! The call's provider session: opening it (in a task of its own, so a connector that
//! panics cannot take the actor down), its events as an actor stream tagged with the
//! session's generation (events of a replaced session are ignored), the bounded queue
//! of control events, and closing it.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant};

use actix::{ActorFutureExt, AsyncContext, Context, SpawnHandle, WrapFuture};
use futures_util::stream;
use tokio::sync::mpsc;

use super::actor::{CallActor, Phase, Turn};
use super::inbound::Pumped;
use super::summary::FallbackCause;
use crate::realtime::openai_events::{ClientEvent, ResponseOptions, ServerEvent};
use crate::realtime::provider::{RealtimeSession, SessionGuard, SessionSender, TrySendError};
use tracing::Instrument;

/// Control events (tool results, truncation, cancel, response requests) waiting for
/// room in the provider queue. They are rare; past this many something is stuck.
const MAX_CONTROL_BACKLOG: usize = 64;

/// Longest a closing session may take to write what it was handed.
const CLOSE_GRACE: Duration = Duration::from_millis(500);

/// Events handed to the session and not yet written to its socket, past which caller
/// audio waits in the actor's own queue (where the oldest frames are dropped first)
/// instead of piling up in the session's: 25 frames, half a second of audio.
pub(super) const MAX_IN_FLIGHT: u64 = 25;

/// An item of a provider session's event stream.
#[derive(Debug)]
pub(super) enum ProviderItem {
    /// An event of session `generation`.
    Event(u64, ServerEvent),
    /// Session `generation` ended (closed, lost or timed out).
    Ended(u64),
}

impl actix::Message for ProviderItem {
    type Result = ();
}

/// The open session, if any, and what it has cost so far.
#[derive(Debug, Default)]
pub(super) struct ProviderLink {
    sender: Option<SessionSender>,
    guard: Option<SessionGuard>,
    stream: Option<SpawnHandle>,
    events: EventSlot,
    generation: u64,
    opened_at: Option<Instant>,
    ai_time: Duration,
    control: VecDeque<ClientEvent>,
    reconnects: u32,
    /// Events handed to the current session, its opening `session.update` included.
    handed: u64,
}

impl ProviderLink {
    /// The generation of the newest session (opened or being opened).
    pub(super) fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether a session is open.
    pub(super) fn is_open(&self) -> bool {
        self.sender.is_some()
    }

    /// Sessions reopened after a drop.
    pub(super) fn reconnects(&self) -> u32 {
        self.reconnects
    }

    /// Counts a reopening.
    pub(super) fn count_reconnect(&mut self) {
        self.reconnects += 1;
    }

    /// Seconds sessions have been open, the current one included.
    pub(super) fn ai_seconds(&self) -> f64 {
        let open = self.opened_at.map_or(Duration::ZERO, |at| at.elapsed());
        (self.ai_time + open).as_secs_f64()
    }

    /// Queues a control event, dropping the oldest past the backlog limit.
    pub(super) fn queue(&mut self, event: ClientEvent) {
        if self.control.len() == MAX_CONTROL_BACKLOG {
            self.control.pop_front();
            tracing::warn!("provider control backlog full: oldest control event dropped");
        }
        self.control.push_back(event);
    }

    /// Room for more audio: how far the session's writes are behind what was handed
    /// to it, below [`MAX_IN_FLIGHT`].
    fn audio_room(&self) -> usize {
        let Some(sender) = &self.sender else {
            return 0;
        };
        let in_flight = self.handed.saturating_sub(sender.stats().frames_out);
        usize::try_from(MAX_IN_FLIGHT.saturating_sub(in_flight)).unwrap_or(0)
    }

    /// Hands queued control events to the session, in order, without waiting.
    fn pump_control(&mut self) -> Pumped {
        let Some(sender) = &self.sender else {
            return Pumped::Backlog;
        };
        while let Some(event) = self.control.front() {
            match sender.try_send(event.clone()) {
                Ok(()) => {
                    self.control.pop_front();
                    self.handed += 1;
                }
                Err(TrySendError::Full) => return Pumped::Backlog,
                Err(TrySendError::Closed) => return Pumped::Closed,
            }
        }
        Pumped::Drained
    }

    /// Closes the session at once and stops handling its events. Events already handed
    /// to it (a tool output, the last caller audio) are still written: the sender goes
    /// first, so the session's task drains its queue and closes the socket itself,
    /// while a lingering task keeps reading (and discarding) its events so it never
    /// stops early for want of a reader; the guard, which would abandon the queue, is
    /// dropped once the task ended or after [`CLOSE_GRACE`]. Control events not yet
    /// handed over belonged to this session and are dropped.
    pub(super) fn close(&mut self, ctx: &mut Context<CallActor>) {
        if let Some(handle) = self.stream.take() {
            ctx.cancel_future(handle);
        }
        self.sender = None;
        let events = self
            .events
            .try_borrow_mut()
            .ok()
            .and_then(|mut slot| slot.take());
        if let Some(guard) = self.guard.take() {
            actix::spawn(linger(guard, events));
        }
        self.control.clear();
        if let Some(at) = self.opened_at.take() {
            self.ai_time += at.elapsed();
        }
    }

    /// Closes what the actor's `Drop` can reach: no context there, the guard's drop
    /// closes the socket.
    pub(super) fn close_without_context(&mut self) {
        self.sender = None;
        self.guard = None;
        if let Ok(mut slot) = self.events.try_borrow_mut() {
            slot.take();
        }
        if let Some(at) = self.opened_at.take() {
            self.ai_time += at.elapsed();
        }
    }
}

/// The receiving end of the current session's events, shared by the actor stream that
/// reads it and [`ProviderLink::close`], which hands it to the lingering close.
type EventSlot = Rc<RefCell<Option<mpsc::Receiver<ServerEvent>>>>;

/// Keeps `guard` (and reads `events`) until its session's task has written what it was
/// handed and ended, for at most [`CLOSE_GRACE`].
async fn linger(guard: SessionGuard, events: Option<mpsc::Receiver<ServerEvent>>) {
    if let Some(mut events) = events {
        let drain = async { while events.recv().await.is_some() {} };
        let _ = tokio::time::timeout(CLOSE_GRACE, drain).await;
    }
    drop(guard);
}

/// The events in `slot` as a stream ending with [`ProviderItem::Ended`]; it ends
/// silently when the receiver is taken away by a close.
fn events(generation: u64, slot: EventSlot) -> impl futures_util::Stream<Item = ProviderItem> {
    let mut ended = false;
    stream::poll_fn(move |cx| {
        if ended {
            return Poll::Ready(None);
        }
        let Ok(mut slot) = slot.try_borrow_mut() else {
            return Poll::Ready(None);
        };
        let Some(rx) = slot.as_mut() else {
            return Poll::Ready(None);
        };
        match rx.poll_recv(cx) {
            Poll::Ready(Some(event)) => Poll::Ready(Some(ProviderItem::Event(generation, event))),
            Poll::Ready(None) => {
                ended = true;
                *slot = None;
                Poll::Ready(Some(ProviderItem::Ended(generation)))
            }
            Poll::Pending => Poll::Pending,
        }
    })
}

impl CallActor {
    /// Opens a provider session (a new generation), with `extra` context appended to
    /// the instructions after a reconnect. The result comes back to
    /// [`Self::session_opened`].
    pub(super) fn open_session(&mut self, extra: Option<String>, ctx: &mut Context<Self>) {
        self.link.generation += 1;
        let generation = self.link.generation;
        let config = self.env.session_config(extra.as_deref());
        let connector = Arc::clone(&self.env.connector);
        let limit = self.env.tuning.connect_timeout;
        let task = actix::spawn(
            async move {
                match tokio::time::timeout(limit, connector.connect(config)).await {
                    Ok(Ok(session)) => Ok(session),
                    Ok(Err(err)) => Err(err.to_string()),
                    Err(_) => Err("timed out opening the provider session".to_owned()),
                }
            }
            .instrument(self.span.clone()),
        );
        let opened = async move {
            task.await
                .unwrap_or_else(|err| Err(format!("provider connect task died: {err}")))
        };
        ctx.spawn(opened.into_actor(self).map(move |result, act, ctx| {
            let _span = act.entered();
            act.session_opened(generation, result, ctx)
        }));
    }

    /// Takes an opened session into use (greeting the caller, or resuming after a
    /// reconnect), or gives up on the AI leg.
    fn session_opened(
        &mut self,
        generation: u64,
        result: Result<RealtimeSession, String>,
        ctx: &mut Context<Self>,
    ) {
        let wanted = generation == self.link.generation
            && matches!(self.phase, Phase::Connecting | Phase::Reconnecting);
        if !wanted {
            return;
        }
        let resuming = self.phase == Phase::Reconnecting;
        match result {
            Ok(session) => {
                let (sender, rx, guard) = session.into_parts();
                self.link.sender = Some(sender);
                self.link.guard = Some(guard);
                self.link.opened_at = Some(Instant::now());
                self.link.handed = 1;
                self.link.events = Rc::new(RefCell::new(Some(rx)));
                let stream = events(generation, Rc::clone(&self.link.events));
                self.link.stream = Some(ctx.add_stream(stream));
                self.phase = Phase::Live;
                self.turn = Turn::default();
                let greet = if resuming {
                    ClientEvent::ResponseCreate {
                        response: Some(ResponseOptions {
                            instructions: Some(RESUME_LINE.to_owned()),
                        }),
                    }
                } else {
                    ClientEvent::response_create()
                };
                self.link.queue(greet);
                self.turn.requested = true;
                self.pump(ctx);
            }
            Err(err) => {
                self.tenant_metrics.realtime_errors.inc();
                tracing::warn!(%err, resuming, "provider session did not open");
                let cause = if resuming {
                    FallbackCause::ProviderLost
                } else {
                    FallbackCause::ProviderUnavailable
                };
                self.fall_back(cause, ctx);
            }
        }
    }

    /// Moves queued control events, then caller audio, into the session; schedules a
    /// retry when the provider queue is full.
    pub(super) fn pump(&mut self, ctx: &mut Context<Self>) {
        if !self.link.is_open() {
            return;
        }
        let mut result = self.link.pump_control();
        if result == Pumped::Drained {
            let room = self.link.audio_room();
            if let Some(sender) = &self.link.sender {
                let (pumped, sent) = self.caller.pump(sender, room);
                self.link.handed += sent as u64;
                result = pumped;
            }
        }
        if result == Pumped::Backlog && !self.pump_scheduled {
            self.pump_scheduled = true;
            ctx.run_later(self.env.tuning.pump_retry, |act, ctx| {
                act.pump_scheduled = false;
                act.pump(ctx);
            });
        }
    }
}

/// What the model is asked to say first after a reconnect.
const RESUME_LINE: &str = "The line dropped for a moment. Apologise briefly and continue \
                           the conversation where it left off.";
