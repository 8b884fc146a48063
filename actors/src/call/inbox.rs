//! The edge's handle on a live call: Twilio's frames go to the call actor through
//! a bounded queue the actor reads as a stream, not as actix messages. An actix
//! message is boxed in an envelope per send, and the frame used to be copied out
//! of the websocket's buffer into a `String` first: two allocations per 20 ms
//! frame that BENCHMARKS.md (allocations per call-second) traced to this spot.
//! Here the frame stays the `ByteString` the websocket codec produced and the
//! queue's slots are reused.
//!
//! Dropping the inbox is the caller hanging up: the actor's frame stream ends
//! after every frame already queued, so the hang-up can never overtake the
//! caller's last audio (a separate `CallerHungUp` message could).

use actix::Addr;
use tokio::sync::mpsc;

use super::actor::CallActor;
use super::messages::TwilioFrame;

/// Why a frame was not queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FrameRefused {
    /// The queue is full (the actor is more than [`super::MAILBOX_CAPACITY`]
    /// frames behind): the frame is dropped, and the edge counts it.
    #[error("the call's frame queue is full")]
    Full,
    /// The call is over; nothing reads frames any more.
    #[error("the call has ended")]
    Ended,
}

/// Where the edge sends a call's Twilio frames (see the module docs).
#[derive(Debug)]
pub struct CallInbox {
    frames: mpsc::Sender<TwilioFrame>,
    addr: Addr<CallActor>,
}

impl CallInbox {
    pub(super) fn new(frames: mpsc::Sender<TwilioFrame>, addr: Addr<CallActor>) -> Self {
        CallInbox { frames, addr }
    }

    /// Queues one frame for the call, without waiting.
    pub fn push(&self, frame: TwilioFrame) -> Result<(), FrameRefused> {
        self.frames.try_send(frame).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => FrameRefused::Full,
            mpsc::error::TrySendError::Closed(_) => FrameRefused::Ended,
        })
    }

    /// Frames queued and not yet handled by the actor (it handles each frame as it
    /// takes it from the queue).
    pub fn queued(&self) -> usize {
        self.frames.max_capacity() - self.frames.capacity()
    }

    /// The call actor, for its other messages (`GetCallStats`, `CallerHungUp`).
    pub fn addr(&self) -> &Addr<CallActor> {
        &self.addr
    }
}
