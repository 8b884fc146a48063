//! Property tests: no input makes the frame, transcoder, base64, WAV, Ogg or playback
//! paths panic, and their outputs keep their invariants.

use proptest::prelude::*;
use servicepro_media::b64;
use servicepro_media::framing::FrameChunker;
use servicepro_media::ogg_opus::{inspect, verify_ogg_opus};
use servicepro_media::playback::PlaybackClock;
use servicepro_media::transcode::{InboundTranscoder, OutboundTranscoder, UlawPassthrough};
use servicepro_media::wav::read_wav;

fn cases() -> u32 {
    if cfg!(debug_assertions) {
        64
    } else {
        512
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn base64_round_trips_and_matches_the_reference(data in proptest::collection::vec(any::<u8>(), 0..2000)) {
        use base64::Engine;
        let mut text = String::new();
        b64::encode_append(&data, &mut text);
        prop_assert_eq!(&text, &base64::engine::general_purpose::STANDARD.encode(&data));
        let mut back = Vec::new();
        prop_assert_eq!(b64::decode_append(text.as_bytes(), &mut back).unwrap(), data.len());
        prop_assert_eq!(back, data);
    }

    #[test]
    fn base64_decode_never_panics_and_agrees_on_validity(text in "[A-Za-z0-9+/=!\\- ]{0,64}") {
        use base64::Engine;
        let mut out = vec![1u8];
        let ours = b64::decode_append(text.as_bytes(), &mut out);
        let engine = base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new()
                .with_decode_allow_trailing_bits(true)
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
        );
        // Our contract is RFC 4648's: canonical padding or none. The reference's
        // `Indifferent` mode also takes partial padding ("AA="), which we refuse.
        if text.ends_with('=') && text.len() % 4 != 0 {
            prop_assert!(ours.is_err(), "partial padding accepted: {:?}", text);
            prop_assert_eq!(out, vec![1u8]);
            return Ok(());
        }
        match (ours, engine.decode(text.as_bytes())) {
            (Ok(n), Ok(reference)) => {
                prop_assert_eq!(n, reference.len());
                prop_assert_eq!(&out[1..], &reference[..]);
            }
            (Err(_), Err(_)) => prop_assert_eq!(out, vec![1u8]),
            (a, b) => prop_assert!(false, "disagree on {:?}: ours {:?}, reference {:?}", text, a, b),
        }
    }

    #[test]
    fn chunker_emits_whole_frames_preserving_bytes(pieces in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..500), 0..12), frame in 1usize..400) {
        let mut c = FrameChunker::new(frame);
        let mut out = Vec::new();
        for p in &pieces {
            c.push(p, |f| { assert_eq!(f.len(), frame); out.extend_from_slice(f) });
        }
        let all: Vec<u8> = pieces.concat();
        prop_assert_eq!(out.len() + c.pending_len(), all.len());
        prop_assert_eq!(&all[..out.len()], &out[..]);
    }

    #[test]
    fn outbound_accepts_any_split_and_emits_whole_frames(data in proptest::collection::vec(any::<u8>(), 0..6000), cuts in proptest::collection::vec(0usize..6000, 0..8)) {
        let mut t = OutboundTranscoder::from_24k().unwrap();
        let mut cuts = cuts.into_iter().map(|c| c.min(data.len())).collect::<Vec<_>>();
        cuts.sort_unstable();
        let mut frames = 0;
        let mut last = 0;
        for c in cuts.into_iter().chain([data.len()]) {
            t.push_pcm_le(&data[last..c], |f| { assert_eq!(f.len(), 160); frames += 1 }).unwrap();
            last = c;
        }
        prop_assert_eq!(frames, data.len() / 960);
        prop_assert_eq!(t.pending_bytes(), data.len() % 960);
        t.flush(|f| assert_eq!(f.len(), 160)).unwrap();
        prop_assert_eq!(t.pending_bytes(), 0);
    }

    #[test]
    fn transcoders_never_panic_on_arbitrary_text(text in ".{0,300}") {
        let mut i = InboundTranscoder::to_24k().unwrap();
        let mut out = String::new();
        let _ = i.push_base64(&text, &mut out);
        let mut o = OutboundTranscoder::from_24k().unwrap();
        let _ = o.push_base64(&text, |f| assert!(!f.is_empty()));
        let mut p = UlawPassthrough::new();
        let _ = p.push_base64(&text, |f| assert!(!f.is_empty()));
    }

    #[test]
    fn inbound_output_length_tracks_whole_frames(data in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let mut i = InboundTranscoder::to_24k().unwrap();
        let mut out = Vec::new();
        let n = i.push_ulaw(&data, &mut out).unwrap();
        prop_assert_eq!(n, data.len() / 160 * 960);
    }

    #[test]
    fn parsers_never_panic(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = read_wav(&data);
        let _ = inspect(&data);
        let mut riff = b"RIFF\0\0\0\0WAVEfmt ".to_vec();
        riff.extend_from_slice(&data);
        let _ = read_wav(&riff);
        let mut ogg = b"OggS\0\x02".to_vec();
        ogg.extend_from_slice(&data);
        let _ = inspect(&ogg);
        let _ = verify_ogg_opus(&ogg, 8000);
    }

    #[test]
    fn heard_never_exceeds_sent(ops in proptest::collection::vec((0u8..4, 0usize..400, 0u8..6), 0..60)) {
        let mut clock = PlaybackClock::new();
        for (op, n, name) in ops {
            let item = if name % 2 == 0 { "a" } else { "b" };
            let mark = format!("m{name}");
            match op {
                0 => clock.audio_sent(item, n),
                1 => clock.mark_sent(&mark),
                2 => clock.mark_echoed(&mark),
                _ => clock.clear_sent(),
            }
            for it in ["a", "b"] {
                prop_assert!(clock.heard_ms(it) <= clock.sent_ms(it));
            }
        }
    }
}
