//! Frames from Twilio: parsed here (malformed ones counted and skipped), then the
//! caller's audio, mark echoes, key presses and the stream's stop; and the call's
//! beginning from the `start` frame the edge checked ([`StartFrame`]).

use std::sync::Arc;
use std::time::Instant;

use actix::Context;

use super::actor::{CallActor, Phase};
use super::recording::Recorder;
use super::start::StartFrame;
use super::summary::CallEnd;
use crate::realtime::twilio_stream::{parse_twilio_frame, Dtmf, Track, TwilioEvent};

impl CallActor {
    /// Handles one raw text frame from the media-stream websocket.
    pub(super) fn on_twilio_text(&mut self, text: &str, ctx: &mut Context<Self>) {
        if self.phase == Phase::Finished {
            return;
        }
        self.last_twilio = Instant::now();
        let event = match parse_twilio_frame(text) {
            Ok(event) => event,
            Err(err) => {
                self.tally.malformed += 1;
                tracing::debug!(%err, "malformed Twilio frame skipped");
                return;
            }
        };
        let foreign = match (&self.stream_sid, event.stream_sid()) {
            (Some(ours), Some(theirs)) => ours != theirs,
            _ => false,
        };
        if foreign {
            self.tally.malformed += 1;
            tracing::debug!("frame of another stream skipped");
            return;
        }
        match event {
            TwilioEvent::Media(media) => {
                if media.track == Track::Outbound
                    || !self.caller.admit(&media.payload, self.last_twilio)
                {
                    return;
                }
                // The caller is still on the line while a redirect is under way: recorded,
                // though no longer sent to the AI.
                self.speech
                    .frames()
                    .record_caller(media.timestamp_ms, &media.payload);
                if matches!(self.phase, Phase::Redirecting(_)) {
                    return;
                }
                self.caller.push(&media.payload);
                self.pump(ctx);
            }
            TwilioEvent::Mark(mark) => {
                self.speech
                    .frames()
                    .mark_echoed(&mark.name, self.last_twilio);
            }
            TwilioEvent::Start(_) => {
                // The edge checked the stream's one `start` and began the call with it.
                self.tally.malformed += 1;
                tracing::debug!("second `start` frame skipped");
            }
            TwilioEvent::Dtmf(dtmf) => self.on_dtmf(&dtmf, ctx),
            TwilioEvent::Stop(_) => {
                let end = match self.phase {
                    Phase::Redirecting(end) => end,
                    _ => CallEnd::StreamStopped,
                };
                self.end_call(end, ctx);
            }
            TwilioEvent::Connected(_) => {}
            TwilioEvent::Unknown { event } => {
                tracing::debug!(event, "unknown Twilio event skipped");
            }
        }
    }

    /// Begins the call with the stream's checked `start`: addresses outbound frames to
    /// its stream, starts the recorder when the tenant records calls, opens the session.
    pub(super) fn begin(&mut self, start: StartFrame, ctx: &mut Context<Self>) {
        self.speech.frames().set_stream(&start.stream_sid);
        if let Some(dir) = &self.env.profile.recordings_dir {
            if let Some(recorder) = Recorder::start(
                dir,
                &self.env.profile.tenant_id,
                &start.call_sid,
                Arc::clone(&self.env.finalizer),
                Arc::clone(&self.env.metrics),
            ) {
                self.speech.frames().record_with(recorder);
            }
        }
        self.stream_sid = Some(start.stream_sid);
        self.call_sid = Some(start.call_sid);
        self.phase = Phase::Connecting;
        self.open_session(None, ctx);
    }

    fn on_dtmf(&mut self, dtmf: &Dtmf, ctx: &mut Context<Self>) {
        match dtmf.digit {
            '0' => {
                tracing::info!("caller pressed 0: transfer to a person");
                self.hand_off(ctx);
            }
            digit => {
                tracing::debug!(%digit, "key press ignored");
            }
        }
    }
}
