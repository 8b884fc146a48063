//! Recording both legs of a call into one stereo Ogg Opus file (caller left, AI right),
//! for tenants that opted in.
//!
//! The call actor only hands μ-law frames over: every caller frame Twilio sent (with its
//! stream timestamp) and every AI frame it queued to Twilio, through a bounded channel
//! to an encoder on the blocking pool ([`Recorder`]). A full channel drops the frame
//! and counts it; nothing on the media path ever waits for the encoder. When the call
//! ends (however it ends) the actor drops its end of the channel, the encoder finishes
//! the file and reports it through [`CallFinalizer::recording_saved`], and its task
//! ends. A recording failure (unwritable directory, full disk) is logged with the
//! tenant and the call, the partial file is removed, and the call goes on unaffected.
//!
//! Time: the caller leg is the clock, one 20 ms slot per caller frame, placed by
//! Twilio's `timestamp` (so frames dropped anywhere before the encoder leave silence,
//! not a shift). The AI leg models Twilio's playback buffer: frames queued to Twilio
//! wait in order and each slot plays the next 20 ms of them, so an answer sent in one
//! burst is heard over the following slots, as the caller heard it. A barge-in `clear`
//! empties that buffer, as Twilio does: audio sent but discarded by Twilio is *not* in
//! the recording (the recording is what the caller heard, to within the network's
//! delay, rather than everything the AI produced). AI audio still queued when the call
//! ends was never heard and is not recorded either, so a recording lasts exactly as
//! long as the caller's stream.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use servicepro_media::ogg_opus::OpusRecorder;
use servicepro_media::opus::STEREO_BITRATE;
use servicepro_media::{b64, g711, MediaError};
use servicepro_schema::TenantId;
use tokio::sync::mpsc;

use super::metrics::CallMetrics;
use super::ports::CallFinalizer;

/// Frames (caller and AI together) the encoder may be behind by: about five seconds of
/// a call, more than one AI answer arriving in a burst.
pub const RECORDING_QUEUE: usize = 512;
/// One 20 ms slot: 160 μ-law samples at 8 kHz.
const SLOT: usize = 160;
/// AI audio the modelled playback buffer holds at most (60 s); more is dropped.
const MAX_AI_BUFFER: usize = SLOT * 50 * 60;
/// Longest silence one jump in Twilio's timestamps inserts (10 s); a longer gap is
/// recorded as 10 s.
const MAX_GAP_SLOTS: i64 = 50 * 10;
/// File name suffixes tried when `{call_sid}.opus` exists (a second stream of one call).
const MAX_NAME_TRIES: u32 = 10;
/// libopus complexity of recordings: 5 halves the CPU of the default (10) for stereo
/// 8 kHz speech (criterion: 5.6 ms vs 10.8 ms per recorded call-second) with the same
/// file size and segmental SNR within 0.1 dB on the speech fixture (BENCHMARKS.md).
pub const RECORDING_COMPLEXITY: u8 = 5;

/// A recording that was written completely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedRecording {
    /// The tenant whose call it is.
    pub tenant_id: TenantId,
    /// The Twilio call.
    pub call_sid: String,
    /// The Ogg Opus file: stereo, caller on the left, the AI receptionist on the right.
    pub path: PathBuf,
    /// Length of the recording: the caller's stream, from its start to its last frame.
    pub duration_ms: u64,
    /// Size of the file.
    pub bytes: u64,
    /// Frames the call actor could not hand over because the encoder was behind (their
    /// slots are silent; the legs stay aligned).
    pub skipped_frames: u64,
}

/// Why a recording could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    /// The directory or the file could not be created or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory at fault.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// The encoder failed.
    #[error("encoding: {0}")]
    Media(#[from] MediaError),
}

/// Whether `call_sid` is safe as a file name: 1–64 ASCII letters, digits, `_` or `-`
/// (Twilio's are `CA` and 32 hex digits). Anything else, e.g. a path, is refused.
pub fn safe_call_sid(call_sid: &str) -> bool {
    (1..=64).contains(&call_sid.len())
        && call_sid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// What the call actor hands the encoder.
#[derive(Debug)]
enum Tap {
    /// A caller frame (base64 μ-law) at Twilio's stream timestamp.
    Caller {
        timestamp_ms: u64,
        clears: u32,
        payload: String,
    },
    /// An AI frame (base64 μ-law) as queued to Twilio.
    Ai { clears: u32, payload: String },
}

impl Tap {
    fn clears(&self) -> u32 {
        match self {
            Tap::Caller { clears, .. } | Tap::Ai { clears, .. } => *clears,
        }
    }
}

/// The call actor's end of a recording: hands frames to the encoder without ever
/// waiting. Dropping it ends the recording.
#[derive(Debug)]
pub(crate) struct Recorder {
    tx: Option<mpsc::Sender<Tap>>,
    /// Barge-in clears so far; frames carry it, so the encoder empties its playback
    /// buffer at the right point even if no frame follows the clear at once.
    clears: u32,
    skipped: Arc<AtomicU64>,
}

/// Where and whose a recording is.
struct Job {
    dir: PathBuf,
    tenant_id: TenantId,
    call_sid: String,
    sink: Arc<dyn CallFinalizer>,
    metrics: Arc<CallMetrics>,
    skipped: Arc<AtomicU64>,
}

impl Recorder {
    /// Starts recording call `call_sid` of `tenant_id` into `dir/{tenant}/{call_sid}.opus`
    /// on the blocking pool. `None` (logged) when the call sid is not a safe file name or
    /// no runtime is running; the call goes on either way.
    pub(crate) fn start(
        dir: &Path,
        tenant_id: &TenantId,
        call_sid: &str,
        sink: Arc<dyn CallFinalizer>,
        metrics: Arc<CallMetrics>,
    ) -> Option<Self> {
        if !safe_call_sid(call_sid) {
            metrics.recordings_failed.inc();
            tracing::warn!("call sid is not a safe file name: call not recorded");
            return None;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::error!("no runtime for the recorder: call not recorded");
            return None;
        };
        let (tx, rx) = mpsc::channel(RECORDING_QUEUE);
        let skipped = Arc::new(AtomicU64::new(0));
        let job = Job {
            dir: dir.to_owned(),
            tenant_id: tenant_id.clone(),
            call_sid: call_sid.to_owned(),
            sink,
            metrics,
            skipped: Arc::clone(&skipped),
        };
        // Detached: the task ends when the channel does (the actor drops its sender when
        // the call ends, or is dropped itself).
        // The encoder logs (and hands its file over) in the caller's span: the call's.
        let span = tracing::Span::current();
        drop(runtime.spawn_blocking(move || {
            let _span = span.entered();
            job.run(rx)
        }));
        Some(Self {
            tx: Some(tx),
            clears: 0,
            skipped,
        })
    }

    /// A caller frame (base64 μ-law) at Twilio's stream timestamp.
    pub(crate) fn caller(&mut self, timestamp_ms: u64, payload: &str) {
        self.hand_over(Tap::Caller {
            timestamp_ms,
            clears: self.clears,
            payload: payload.to_owned(),
        });
    }

    /// An AI frame (base64 μ-law) just queued to Twilio.
    pub(crate) fn ai(&mut self, payload: &str) {
        self.hand_over(Tap::Ai {
            clears: self.clears,
            payload: payload.to_owned(),
        });
    }

    /// Twilio was told to `clear`: audio it still held is never heard.
    pub(crate) fn clear(&mut self) {
        self.clears = self.clears.wrapping_add(1);
    }

    fn hand_over(&mut self, tap: Tap) {
        let Some(tx) = &self.tx else {
            return;
        };
        match tx.try_send(tap) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.skipped.fetch_add(1, Ordering::Relaxed);
            }
            // The encoder gave up (and said why): stop handing frames over.
            Err(mpsc::error::TrySendError::Closed(_)) => self.tx = None,
        }
    }
}

impl Job {
    /// The encoder: runs until the actor's end of the channel is gone.
    fn run(self, mut rx: mpsc::Receiver<Tap>) {
        let mut path = None;
        let result = self.write(&mut rx, &mut path);
        // Nothing more is read; the actor sees a closed channel and stops handing over.
        drop(rx);
        let skipped = self.skipped.load(Ordering::Relaxed);
        self.metrics.recording_frames_skipped.inc_by(skipped);
        match result {
            Ok((path, duration_ms, bytes)) => {
                self.metrics.recordings_saved.inc();
                tracing::info!(
                    path = %path.display(),
                    duration_ms,
                    bytes,
                    skipped,
                    "call recording saved"
                );
                self.sink.recording_saved(SavedRecording {
                    tenant_id: self.tenant_id,
                    call_sid: self.call_sid,
                    path,
                    duration_ms,
                    bytes,
                    skipped_frames: skipped,
                });
            }
            Err(err) => {
                self.metrics.recordings_failed.inc();
                tracing::error!(
                    error = %err,
                    "call recording failed; the call is unaffected"
                );
                if let Some(partial) = path {
                    let _ = std::fs::remove_file(partial);
                }
            }
        }
    }

    fn write(
        &self,
        rx: &mut mpsc::Receiver<Tap>,
        created: &mut Option<PathBuf>,
    ) -> Result<(PathBuf, u64, u64), RecordingError> {
        let dir = self.dir.join(self.tenant_id.as_str());
        std::fs::create_dir_all(&dir).map_err(|source| RecordingError::Io {
            path: dir.clone(),
            source,
        })?;
        let (path, file) = create_new_file(&dir, &self.call_sid)?;
        *created = Some(path.clone());
        let failed = |err: MediaError| match err {
            MediaError::Io(source) => RecordingError::Io {
                path: path.clone(),
                source,
            },
            other => RecordingError::Media(other),
        };
        let title = format!("TITLE=Call {}", self.call_sid);
        let tenant = format!("ORGANIZATION={}", self.tenant_id);
        let comments = [
            "ENCODER=servicepro-media",
            title.as_str(),
            tenant.as_str(),
            "DESCRIPTION=left: caller, right: AI receptionist",
        ];
        let mut encoder =
            OpusRecorder::with_channels(file, 2, 8000, STEREO_BITRATE, rand::random(), &comments)
                .map_err(failed)?;
        encoder
            .set_complexity(RECORDING_COMPLEXITY)
            .map_err(failed)?;
        let mut mixer = TwoLegMixer::default();
        let mut ulaw = Vec::with_capacity(SLOT);
        while let Some(tap) = rx.blocking_recv() {
            mixer.sync_clears(tap.clears());
            ulaw.clear();
            match tap {
                Tap::Caller {
                    timestamp_ms,
                    payload,
                    ..
                } => {
                    // A frame that is not base64 still takes its slot, as silence.
                    let _ = b64::decode_append(payload.as_bytes(), &mut ulaw);
                    encoder
                        .push(mixer.caller(timestamp_ms, &ulaw))
                        .map_err(failed)?;
                }
                Tap::Ai { payload, .. } => {
                    if b64::decode_append(payload.as_bytes(), &mut ulaw).is_ok() {
                        mixer.ai(&ulaw);
                    }
                }
            }
        }
        if mixer.ai_overflow > 0 {
            tracing::warn!(
                samples = mixer.ai_overflow,
                "AI audio beyond a minute ahead of playback was left out of the recording"
            );
        }
        let file = encoder.finish().map_err(failed)?;
        let io = |source| RecordingError::Io {
            path: path.clone(),
            source,
        };
        file.sync_all().map_err(io)?;
        let bytes = file.metadata().map_err(io)?.len();
        Ok((path, mixer.duration_ms(), bytes))
    }
}

/// Creates `dir/{call_sid}.opus`, or `{call_sid}-2.opus`… when an earlier stream of the
/// same call left a recording: never overwrites one.
fn create_new_file(dir: &Path, call_sid: &str) -> Result<(PathBuf, File), RecordingError> {
    let mut path = dir.join(format!("{call_sid}.opus"));
    for n in 2..=MAX_NAME_TRIES + 1 {
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists && n <= MAX_NAME_TRIES => {
                path = dir.join(format!("{call_sid}-{n}.opus"));
            }
            Err(source) => return Err(RecordingError::Io { path, source }),
        }
    }
    Err(RecordingError::Io {
        path,
        source: io::ErrorKind::AlreadyExists.into(),
    })
}

/// The two legs lined up in 20 ms slots of interleaved stereo PCM16 (caller left, AI
/// right), with the caller's frames as the clock and the AI's frames played from a
/// model of Twilio's playback buffer.
#[derive(Debug, Default)]
struct TwoLegMixer {
    /// AI μ-law queued to Twilio and not yet played (by this model's clock).
    ai: VecDeque<u8>,
    /// Clears seen so far.
    clears: u32,
    /// Slots written: the recording's length.
    slots: i64,
    /// Twilio's slot number minus ours (changes only when Twilio's timestamps jump back
    /// or leap further than [`MAX_GAP_SLOTS`]).
    shift: i64,
    /// The slots produced by the latest caller frame.
    out: Vec<i16>,
    /// AI audio dropped because the modelled buffer was full, in samples.
    ai_overflow: u64,
}

impl TwoLegMixer {
    /// A barge-in happened before this frame if its clear count moved on: the AI audio
    /// Twilio still held was discarded.
    fn sync_clears(&mut self, clears: u32) {
        if clears != self.clears {
            self.clears = clears;
            self.ai.clear();
        }
    }

    /// AI audio queued to Twilio.
    fn ai(&mut self, ulaw: &[u8]) {
        if self.ai.len() + ulaw.len() > MAX_AI_BUFFER {
            self.ai_overflow += ulaw.len() as u64;
            return;
        }
        self.ai.extend(ulaw);
    }

    /// A caller frame at Twilio timestamp `timestamp_ms`: returns the slots it completes
    /// (silence for any slots Twilio's clock skipped, then the frame's own), interleaved.
    fn caller(&mut self, timestamp_ms: u64, ulaw: &[u8]) -> &[i16] {
        self.out.clear();
        let twilio_slot = i64::try_from(timestamp_ms / 20).unwrap_or(i64::MAX);
        let mut at = twilio_slot.saturating_sub(self.shift);
        if at < self.slots {
            // A repeated or earlier timestamp: the next slot, and follow the new clock.
            at = self.slots;
            self.shift = twilio_slot.saturating_sub(at);
        } else if at > self.slots + MAX_GAP_SLOTS {
            at = self.slots + MAX_GAP_SLOTS;
            self.shift = twilio_slot.saturating_sub(at);
        }
        while self.slots < at {
            self.slot(&[]);
        }
        self.slot(ulaw);
        &self.out
    }

    fn slot(&mut self, caller: &[u8]) {
        for i in 0..SLOT {
            let left = caller.get(i).map_or(0, |&c| g711::ulaw_to_linear(c));
            let right = self.ai.pop_front().map_or(0, g711::ulaw_to_linear);
            self.out.push(left);
            self.out.push(right);
        }
        self.slots += 1;
    }

    /// Length of the recording so far.
    fn duration_ms(&self) -> u64 {
        u64::try_from(self.slots).unwrap_or(0) * 20
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(level: u8) -> Vec<u8> {
        // Alternating μ-law codes around a level: a loud, non-silent frame.
        (0..SLOT)
            .map(|i| if i % 2 == 0 { level } else { level | 0x80 })
            .collect()
    }

    fn energy(pcm: &[i16], channel: usize) -> Vec<u64> {
        pcm.chunks(SLOT * 2)
            .map(|slot| {
                slot.iter()
                    .skip(channel)
                    .step_by(2)
                    .map(|&s| u64::from(s.unsigned_abs()))
                    .sum()
            })
            .collect()
    }

    #[test]
    fn call_sids_that_are_not_plain_names_are_refused() {
        assert!(safe_call_sid("CA0123456789abcdef0123456789abcdef"));
        assert!(safe_call_sid("CA_ws-1"));
        for bad in [
            "",
            "..",
            "../etc/passwd",
            "CA/1",
            "CA\\1",
            "CA.opus",
            "CA 1",
            "ÇA1",
        ] {
            assert!(!safe_call_sid(bad), "{bad:?}");
        }
        assert!(!safe_call_sid(&"C".repeat(65)));
    }

    #[test]
    fn ai_audio_sent_in_a_burst_plays_slot_by_slot_after_it_was_sent() {
        let mut mix = TwoLegMixer::default();
        let caller = tone(0x10);
        let quiet = vec![0xFFu8; SLOT];
        assert_eq!(mix.caller(0, &caller).len(), SLOT * 2);
        for _ in 0..3 {
            mix.ai(&tone(0x20));
        }
        let mut pcm = Vec::new();
        for n in 1..6u64 {
            pcm.extend_from_slice(mix.caller(n * 20, &quiet));
        }
        let right = energy(&pcm, 1);
        let left = energy(&pcm, 0);
        assert!(right[..3].iter().all(|&e| e > 100_000), "{right:?}");
        assert!(right[3..].iter().all(|&e| e == 0), "{right:?}");
        assert!(left.iter().all(|&e| e == 0), "{left:?}");
        assert_eq!(mix.duration_ms(), 120);
    }

    #[test]
    fn a_clear_discards_the_ai_audio_twilio_still_held() {
        let mut mix = TwoLegMixer::default();
        for _ in 0..10 {
            mix.ai(&tone(0x20));
        }
        let quiet = vec![0xFFu8; SLOT];
        let mut pcm = mix.caller(0, &quiet).to_vec();
        pcm.extend_from_slice(mix.caller(20, &quiet));
        // Barge-in: the next frames carry the new clear count.
        mix.sync_clears(1);
        pcm.extend_from_slice(mix.caller(40, &tone(0x10)));
        mix.sync_clears(1);
        mix.ai(&tone(0x30));
        pcm.extend_from_slice(mix.caller(60, &tone(0x10)));
        pcm.extend_from_slice(mix.caller(80, &tone(0x10)));
        let right = energy(&pcm, 1);
        assert!(right[0] > 0 && right[1] > 0, "{right:?}");
        assert_eq!(
            right[2], 0,
            "8 frames were discarded by the clear: {right:?}"
        );
        assert!(right[3] > 0, "the new answer plays: {right:?}");
        assert_eq!(right[4], 0);
    }

    #[test]
    fn twilio_timestamps_keep_the_legs_aligned_through_gaps_repeats_and_leaps() {
        let mut mix = TwoLegMixer::default();
        let caller = tone(0x10);
        // The first frame at 40 ms: two silent slots first.
        assert_eq!(mix.caller(40, &caller).len(), 3 * SLOT * 2);
        // Frames lost before the encoder (100 ms): silence in their place.
        assert_eq!(mix.caller(160, &caller).len(), 6 * SLOT * 2);
        // A repeated timestamp takes the next slot and the clock follows it.
        assert_eq!(mix.caller(160, &caller).len(), SLOT * 2);
        assert_eq!(mix.caller(180, &caller).len(), SLOT * 2);
        assert_eq!(mix.duration_ms(), 220);
        // A leap of an hour inserts at most ten seconds.
        let slots = mix.caller(3_600_000, &caller).len() / (SLOT * 2);
        assert_eq!(slots, MAX_GAP_SLOTS as usize + 1);
        assert_eq!(mix.caller(3_600_020, &caller).len(), SLOT * 2);
        // A short frame is padded with silence.
        assert_eq!(mix.caller(3_600_040, &caller[..10]).len(), SLOT * 2);
    }

    #[test]
    fn the_modelled_playback_buffer_is_bounded() {
        let mut mix = TwoLegMixer::default();
        let frame = tone(0x20);
        for _ in 0..(MAX_AI_BUFFER / SLOT + 5) {
            mix.ai(&frame);
        }
        assert_eq!(mix.ai.len(), MAX_AI_BUFFER);
        assert_eq!(mix.ai_overflow, 5 * SLOT as u64);
    }
}
