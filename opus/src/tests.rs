//! The safe API against the linked libopus: round trips, packet sizes, settings, errors.

use crate::*;

fn tone(rate: u32, channels: usize, frames: usize) -> Vec<i16> {
    (0..frames * channels)
        .map(|i| {
            let t = (i / channels) as f64 / f64::from(rate);
            ((t * 440.0 * std::f64::consts::TAU).sin() * 8000.0) as i16
        })
        .collect()
}

#[test]
fn reports_the_library_it_linked() {
    assert!(version().starts_with("libopus 1."), "{}", version());
    assert!(LINKED == "system" || LINKED == "vendored", "{LINKED}");
    // CI sets this on the step that hides the system library.
    if let Ok(expected) = std::env::var("SERVICEPRO_OPUS_EXPECT_LINKED") {
        assert_eq!(LINKED, expected, "linked {}", version());
    }
}

#[test]
fn mono_round_trip_decodes_what_the_packets_declare() {
    let mut enc = Encoder::new(SampleRate::Hz48000, Channels::Mono, Application::Voip).unwrap();
    enc.set_bitrate(16000).unwrap();
    enc.set_complexity(10).unwrap();
    let mut dec = Decoder::new(SampleRate::Hz48000, Channels::Mono).unwrap();
    let pcm = tone(48000, 1, 960 * 10);
    let mut packet = [0u8; MAX_PACKET];
    let mut out = vec![0i16; 5760];
    let mut decoded = Vec::new();
    for frame in pcm.chunks(960) {
        let n = enc.encode(frame, &mut packet).unwrap();
        assert!((1..200).contains(&n), "{n} bytes for 20 ms at 16 kbit/s");
        assert_eq!(
            packet_samples(&packet[..n], SampleRate::Hz48000).unwrap(),
            960
        );
        assert_eq!(
            packet_samples(&packet[..n], SampleRate::Hz8000).unwrap(),
            160
        );
        let got = dec.decode(&packet[..n], &mut out).unwrap();
        assert_eq!(got, 960);
        decoded.extend_from_slice(&out[..got]);
    }
    // After the lookahead the tone comes back at about its level.
    let rms =
        |s: &[i16]| (s.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>() / s.len() as f64).sqrt();
    let original = rms(&pcm[960..]);
    let back = rms(&decoded[1920..]);
    assert!(
        back > original * 0.5 && back < original * 1.5,
        "{back} vs {original}"
    );
}

#[test]
fn lookahead_is_libopus_voip_delay() {
    // 2.5 ms of encoder delay plus 4 ms of delay compensation at every rate.
    for (rate, expected) in [
        (SampleRate::Hz8000, 52),
        (SampleRate::Hz16000, 104),
        (SampleRate::Hz48000, 312),
    ] {
        let enc = Encoder::new(rate, Channels::Mono, Application::Voip).unwrap();
        assert_eq!(enc.lookahead().unwrap(), expected, "{rate:?}");
    }
}

#[test]
fn forced_stereo_keeps_two_channels_at_low_bitrates() {
    let pcm = tone(8000, 2, 160);
    let mut packet = [0u8; MAX_PACKET];
    let mut stereo_flag = |enc: &mut Encoder| {
        // Let the encoder settle, then read the TOC byte's stereo bit (RFC 6716 §3.1).
        let mut n = 0;
        for _ in 0..10 {
            n = enc.encode(&pcm, &mut packet).unwrap();
        }
        assert!(n > 0);
        packet[0] & 0x04 != 0
    };
    let mut free = Encoder::new(SampleRate::Hz8000, Channels::Stereo, Application::Voip).unwrap();
    free.set_bitrate(8000).unwrap();
    assert!(!stereo_flag(&mut free), "8 kbit/s folds stereo into mono");
    let mut forced = Encoder::new(SampleRate::Hz8000, Channels::Stereo, Application::Voip).unwrap();
    forced.set_bitrate(8000).unwrap();
    forced.set_force_channels(Some(Channels::Stereo)).unwrap();
    assert_eq!(forced.channels(), Channels::Stereo);
    assert!(stereo_flag(&mut forced));
    forced.set_force_channels(None).unwrap();
    assert!(!stereo_flag(&mut forced));
}

#[test]
fn refuses_bad_input_with_libopus_messages() {
    let mut enc = Encoder::new(SampleRate::Hz16000, Channels::Stereo, Application::Voip).unwrap();
    let mut packet = [0u8; MAX_PACKET];
    assert_eq!(
        enc.encode(&[0; 3], &mut packet),
        Err(Error::BadBuffer {
            len: 3,
            channels: 2
        })
    );
    // 100 samples per channel is not an Opus frame size.
    let err = enc.encode(&[0; 200], &mut packet).unwrap_err();
    assert_eq!(
        err,
        Error::Library {
            code: -1,
            message: "invalid argument"
        }
    );
    assert_eq!(err.to_string(), "libopus: invalid argument (-1)");
    assert!(enc.set_complexity(11).is_err());
    assert!(enc.set_bitrate(-5).is_err());
    assert!(matches!(
        enc.encode(&[0; 640], &mut packet[..0]),
        Err(Error::Library { code: -1, .. })
    ));

    let mut dec = Decoder::new(SampleRate::Hz16000, Channels::Mono).unwrap();
    assert_eq!(dec.channels(), Channels::Mono);
    let mut out = vec![0i16; 1920];
    assert_eq!(dec.decode(&[], &mut out), Err(Error::EmptyPacket));
    assert!(matches!(
        dec.decode(&[0xFF, 0xFF, 0xFF], &mut out),
        Err(Error::Library { code: -4, .. })
    ));
    assert!(matches!(
        dec.decode(&[0x08], &mut []),
        Err(Error::BadBuffer { len: 0, .. })
    ));
    assert_eq!(
        packet_samples(&[], SampleRate::Hz8000),
        Err(Error::EmptyPacket)
    );
    assert!(packet_samples(&[0x03], SampleRate::Hz8000).is_err());
}

#[test]
fn rates_and_layouts_round_trip_their_numbers() {
    for hz in [8000, 12000, 16000, 24000, 48000] {
        assert_eq!(SampleRate::from_hz(hz).map(SampleRate::hz), Some(hz));
    }
    assert_eq!(SampleRate::from_hz(44100), None);
    assert_eq!(Channels::from_count(2), Some(Channels::Stereo));
    assert_eq!(Channels::from_count(3), None);
    assert_eq!(Channels::Mono.count(), 1);
}

#[test]
fn many_states_are_created_and_freed() {
    for _ in 0..200 {
        let enc = Encoder::new(SampleRate::Hz24000, Channels::Stereo, Application::Audio).unwrap();
        let dec = Decoder::new(SampleRate::Hz24000, Channels::Stereo).unwrap();
        drop((enc, dec));
    }
}
