use super::page::{ogg_crc, parse_page};
use super::*;
use crate::opus::{OpusDecoder, DEFAULT_BITRATE};
use crate::resample::StreamResampler;
use crate::wav::read_wav;

const SPEECH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../fixtures/audio/speech10s.wav"
);

fn record_fixture_at(rate: u32) -> (Vec<u8>, usize, usize) {
    let bytes = std::fs::read(SPEECH).unwrap();
    let wav = read_wav(&bytes).unwrap();
    let pcm8 = wav.to_pcm16();
    let pcm = if rate == 8000 {
        pcm8
    } else {
        let mut up = StreamResampler::new(8000, rate).unwrap();
        let mut out = Vec::new();
        up.push(&pcm8, &mut out).unwrap();
        out
    };
    let mut rec = OpusRecorder::new(Vec::new(), rate, DEFAULT_BITRATE, 0x5E41_CE01).unwrap();
    // Feed in uneven pieces, as a call would.
    for chunk in pcm.chunks(777) {
        rec.push(chunk).unwrap();
    }
    (rec.finish().unwrap(), wav.data.len(), pcm.len())
}

#[test]
fn ten_seconds_of_speech_is_8x_smaller_than_ulaw_and_decodes_to_ten_seconds() {
    let (file, ulaw_len, pcm_len) = record_fixture_at(16000);
    assert_eq!(ulaw_len, 80000);
    assert!(
        file.len() * 8 <= ulaw_len,
        "ogg {} bytes vs μ-law {ulaw_len}",
        file.len()
    );
    let info = inspect(&file).unwrap();
    assert_eq!(info.channels, 1);
    assert_eq!(info.input_rate, 16000);
    assert!(info.pre_skip > 0);
    assert!(info.vendor.starts_with("servicepro-media"));
    assert_eq!(info.comments, ["ENCODER=servicepro-media"]);
    assert_eq!(info.duration_ms(), 10_000);
    assert_eq!(
        info.final_granule,
        u64::from(info.pre_skip) + pcm_len as u64 * 3
    );
    assert!(info.pages >= 12, "a page per second: {}", info.pages);
    // Decoded at 48 kHz by our own decoder, every packet and page adds up: the
    // playable audio is the ten seconds recorded, the padding is under two frames.
    let report = verify_ogg_opus(&file, 48000).unwrap();
    assert_eq!(report.info, info);
    assert_eq!(report.samples(), pcm_len * 3);
    assert!(report.decoded_samples >= info.final_granule);
    assert!(report.decoded_samples < info.final_granule + 2 * 960);
    let at_16k = verify_ogg_opus(&file, 16000).unwrap();
    assert_eq!(at_16k.samples(), pcm_len);
    assert!(
        rms(at_16k.pcm.iter().copied()) > 500.0,
        "speech, not silence"
    );
}

#[test]
fn records_at_8k_and_48k_and_handles_tiny_recordings() {
    for rate in [8000, 48000] {
        let (file, _, pcm_len) = record_fixture_at(rate);
        let report = verify_ogg_opus(&file, rate).unwrap();
        assert_eq!(report.info.input_rate, rate);
        assert_eq!(
            report.info.duration_ms(),
            pcm_len as u64 * 1000 / u64::from(rate)
        );
        assert_eq!(report.samples(), pcm_len);
    }
    for len in [0usize, 1, 319, 320] {
        let mut rec = OpusRecorder::new(Vec::new(), 16000, DEFAULT_BITRATE, 7).unwrap();
        rec.push(&vec![100; len]).unwrap();
        let report = verify_ogg_opus(&rec.finish().unwrap(), 16000).unwrap();
        assert_eq!(report.info.duration_ms(), len as u64 / 16, "len {len}");
        assert_eq!(report.samples(), len, "len {len}");
    }
}

fn rms(samples: impl Iterator<Item = i16>) -> f64 {
    let (sum, n) = samples.fold((0f64, 0usize), |(s, n), x| {
        (s + f64::from(x) * f64::from(x), n + 1)
    });
    (sum / n.max(1) as f64).sqrt()
}

#[test]
fn stereo_keeps_two_parties_on_their_own_channels() {
    use crate::opus::STEREO_BITRATE;
    let bytes = std::fs::read(SPEECH).unwrap();
    let speech = read_wav(&bytes).unwrap().to_pcm16();
    let half = speech.len() / 2;
    // Turn-taking: the left party talks for 5 s, then the right party answers.
    let mut pcm = Vec::with_capacity(speech.len() * 2);
    for i in 0..speech.len() {
        let (l, r) = if i < half {
            (speech[i], 0)
        } else {
            (0, speech[i - half])
        };
        pcm.push(l);
        pcm.push(r);
    }
    let mut rec = OpusRecorder::with_channels(
        Vec::new(),
        2,
        8000,
        STEREO_BITRATE,
        9,
        &["ENCODER=servicepro-media", "TITLE=two parties"],
    )
    .unwrap();
    assert_eq!(rec.channels(), 2);
    for chunk in pcm.chunks(320) {
        rec.push(chunk).unwrap();
    }
    assert_eq!(rec.samples(), speech.len() as u64);
    let file = rec.finish().unwrap();
    let info = inspect(&file).unwrap();
    assert_eq!(info.channels, 2);
    assert_eq!(info.input_rate, 8000);
    assert_eq!(info.duration_ms(), 10_000);
    assert_eq!(info.comments[1], "TITLE=two parties");
    // ~16 kbit/s for both parties: 4× smaller than the two μ-law legs.
    assert!(file.len() * 4 <= speech.len() * 2, "{} bytes", file.len());

    let report = verify_ogg_opus(&file, 8000).unwrap();
    assert_eq!(report.samples(), speech.len());
    let decoded = &report.pcm;
    let channel = |c: usize, from: usize, to: usize| {
        rms(decoded[from * 2..to * 2].iter().skip(c).step_by(2).copied())
    };
    // Leave 100 ms around the turn for the codec's overlap.
    let (a, b) = (half - 800, half + 800);
    let (l1, r1) = (channel(0, 0, a), channel(1, 0, a));
    let (l2, r2) = (channel(0, b, speech.len()), channel(1, b, speech.len()));
    let original = rms(speech.iter().copied());
    assert!(
        l1 > original / 3.0 && r2 > original / 3.0,
        "{l1} {r2} vs {original}"
    );
    assert!(
        r1 * 10.0 < l1,
        "right is quiet while left talks: {r1} vs {l1}"
    );
    assert!(
        l2 * 10.0 < r2,
        "left is quiet while right talks: {l2} vs {r2}"
    );
}

#[test]
fn bad_channel_counts_are_refused() {
    use crate::opus::OpusEncoder;
    assert!(OpusEncoder::with_channels(8000, 3, 16000).is_err());
    assert!(OpusDecoder::with_channels(8000, 0).is_err());
    assert!(OggOpusWriter::with_channels(Vec::new(), 3, 8000, 0, 1, &[]).is_err());
    let mut stereo = OpusEncoder::with_channels(8000, 2, 16000).unwrap();
    assert_eq!(stereo.frame_len(), 160);
    assert_eq!(stereo.frame_samples(), 320);
    assert!(stereo.encode(&[0; 160]).is_err());
    assert!(stereo.encode(&[0; 320]).is_ok());
}

#[test]
fn inspect_rejects_corruption() {
    let (file, _, _) = record_fixture_at(8000);
    assert!(inspect(&file[..file.len() - 1]).is_err());
    let mut flipped = file.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    assert!(inspect(&flipped).is_err());
    assert!(inspect(b"").is_err());
    assert!(inspect(b"OggS").is_err());
    for cut in (0..200).step_by(7) {
        let _ = inspect(&file[..cut]);
    }
}

/// `file` with page `index` changed by `edit`, its CRC recomputed so the page layer
/// still accepts it.
fn edit_page(file: &[u8], index: usize, edit: impl FnOnce(&mut [u8])) -> Vec<u8> {
    let mut out = file.to_vec();
    let mut pos = 0;
    for _ in 0..index {
        pos += parse_page(&out[pos..]).unwrap().1;
    }
    let len = parse_page(&out[pos..]).unwrap().1;
    let page = &mut out[pos..pos + len];
    edit(page);
    page[22..26].fill(0);
    let crc = ogg_crc(page);
    page[22..26].copy_from_slice(&crc.to_le_bytes());
    out
}

fn add_to_granule(page: &mut [u8], delta: u64) {
    let granule = u64::from_le_bytes(page[6..14].try_into().unwrap());
    page[6..14].copy_from_slice(&(granule + delta).to_le_bytes());
}

#[test]
fn verify_catches_what_only_decoding_reveals() {
    let (file, _, _) = record_fixture_at(8000);
    let info = inspect(&file).unwrap();
    verify_ogg_opus(&file, 8000).unwrap();
    let error = |bytes: &[u8]| verify_ogg_opus(bytes, 8000).unwrap_err().to_string();

    // An inner page one frame late: still in order, so the page layer accepts it.
    let late = edit_page(&file, 3, |page| add_to_granule(page, 960));
    assert!(inspect(&late).is_ok());
    assert_eq!(
        error(&late),
        "ogg: a page's granule is not the samples decoded through it"
    );

    // The last page claiming a frame more than the packets hold.
    let long = edit_page(&file, info.pages - 1, |page| add_to_granule(page, 960));
    assert!(inspect(&long).is_ok());
    assert_eq!(error(&long), "ogg: final granule beyond the decoded audio");

    // The first audio packet's TOC byte saying 40 ms instead of 20 ms.
    let toc = edit_page(&file, 2, |page| {
        let first_packet = 27 + usize::from(page[26]);
        page[first_packet] += 1 << 3;
    });
    assert!(inspect(&toc).is_ok());
    assert!(verify_ogg_opus(&toc, 8000).is_err());

    // Rates the decoder does not produce.
    assert!(verify_ogg_opus(&file, 44100).is_err());
    assert!(verify_ogg_opus(&file[..file.len() - 1], 8000).is_err());
}

#[test]
fn inspect_checks_the_header_pages_flags_and_granules() {
    let (file, _, _) = record_fixture_at(8000);
    // Page 1 (OpusTags) marked as carrying a granule position.
    let tagged = edit_page(&file, 1, |page| add_to_granule(page, 1));
    assert_eq!(
        inspect(&tagged).unwrap_err().to_string(),
        "ogg: header page with a granule position"
    );
    // Page 0 without its BOS flag.
    let no_bos = edit_page(&file, 0, |page| page[5] &= !0x02);
    assert_eq!(
        inspect(&no_bos).unwrap_err().to_string(),
        "ogg: first page lacks BOS"
    );
}

#[test]
fn writer_rejects_bad_setup() {
    assert!(OggOpusWriter::new(Vec::new(), 44100, 0, 1, &[]).is_err());
    let w = OggOpusWriter::new(Vec::new(), 16000, 104, 1, &[]).unwrap();
    assert_eq!(w.pre_skip(), 312);
    assert!(w.finish(0).is_err());
    assert_eq!(ogg_crc(b""), 0);
}
