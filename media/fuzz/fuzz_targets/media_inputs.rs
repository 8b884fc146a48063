//! Feeds arbitrary bytes to every parser and streaming path of servicepro-media.
//! Run with `cargo +nightly fuzz run media_inputs` from `media/`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use servicepro_media::b64;
use servicepro_media::ogg_opus::inspect;
use servicepro_media::playback::PlaybackClock;
use servicepro_media::transcode::{InboundTranscoder, OutboundTranscoder, UlawPassthrough};
use servicepro_media::wav::read_wav;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    match selector % 6 {
        0 => {
            let mut out = Vec::new();
            let _ = b64::decode_append(rest, &mut out);
        }
        1 => {
            if let Ok(text) = std::str::from_utf8(rest) {
                if let (Ok(mut i), Ok(mut o)) =
                    (InboundTranscoder::to_24k(), OutboundTranscoder::from_24k())
                {
                    let mut out = String::new();
                    let _ = i.push_base64(text, &mut out);
                    let _ = o.push_base64(text, |_| {});
                    let _ = o.flush(|_| {});
                }
                let _ = UlawPassthrough::new().push_base64(text, |_| {});
            }
        }
        2 => {
            if let Ok(mut o) = OutboundTranscoder::from_24k() {
                // Split the input where its bytes say, to exercise the carry-over paths.
                let cut = rest.first().map_or(0, |&b| usize::from(b)).min(rest.len());
                let _ = o.push_pcm_le(&rest[..cut], |f| assert_eq!(f.len(), 160));
                let _ = o.push_pcm_le(&rest[cut..], |f| assert_eq!(f.len(), 160));
            }
            if let Ok(mut i) = InboundTranscoder::to_24k() {
                let mut out = Vec::new();
                let _ = i.push_ulaw(rest, &mut out);
                let _ = i.flush(&mut out);
            }
        }
        3 => {
            let _ = read_wav(rest);
        }
        4 => {
            let _ = inspect(rest);
        }
        _ => {
            let mut clock = PlaybackClock::new();
            for pair in rest.chunks(2) {
                let name = format!("m{}", pair.get(1).copied().unwrap_or(0) % 8);
                match pair[0] % 4 {
                    0 => clock.audio_sent("item", usize::from(pair[0])),
                    1 => clock.mark_sent(&name),
                    2 => clock.mark_echoed(&name),
                    _ => clock.clear_sent(),
                }
                assert!(clock.heard_ms("item") <= clock.sent_ms("item"));
            }
        }
    }
});
