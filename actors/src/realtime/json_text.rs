//! JSON string literals written straight into a caller's buffer.
//!
//! The hot outbound frames (Twilio `media`/`mark`, OpenAI `input_audio_buffer.append`)
//! are built by hand into reused `String`s instead of through `serde_json`, which would
//! allocate per frame. This is the one place that knows how to quote text for JSON, so
//! a hand-built frame is valid JSON whatever the caller passes in.

use std::fmt::Write as _;

/// Appends `text` to `out` as a JSON string literal, quotes included.
pub(crate) fn push_json_str(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    push_escaped(out, text);
    out.push('"');
}

/// Appends `text` escaped for use inside a JSON string literal (no quotes).
/// Text that needs no escaping (base64, Twilio SIDs) is copied in one go.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    if !needs_escape(text.as_bytes()) {
        out.push_str(text);
        return;
    }
    let mut run_start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x00..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[run_start..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{byte:04x}");
        } else {
            out.push_str(escape);
        }
        run_start = i + 1;
    }
    out.push_str(&text[run_start..]);
}

/// Whether any byte of `bytes` must be escaped in a JSON string. Branch-free over
/// blocks so the compiler vectorises it: a caller's audio (1,280 base64 characters per
/// frame, transcoded) is checked at memory speed instead of byte by byte.
pub(crate) fn needs_escape(bytes: &[u8]) -> bool {
    bytes.chunks(64).any(|block| {
        block.iter().fold(false, |bad, &b| {
            bad | (b < 0x20) | (b == b'"') | (b == b'\\')
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_strings_round_trip_through_serde_json() {
        for text in [
            "",
            "MZ18ad3ab5a668481ce02b83e7395059f0",
            "quote \" backslash \\ newline \n tab \t bell \u{7} nul \u{0} é 😀",
        ] {
            let mut out = String::from("prefix:");
            push_json_str(&mut out, text);
            let back: String = serde_json::from_str(&out["prefix:".len()..]).unwrap();
            assert_eq!(back, text);
            let plain = !text.contains(['"', '\\']) && text.chars().all(|c| c >= ' ');
            assert_eq!(plain, !out.contains('\\'), "only what must be escaped is");
        }
    }

    #[test]
    fn the_block_check_finds_a_bad_byte_anywhere() {
        let mut text = "A".repeat(200);
        assert!(!needs_escape(text.as_bytes()));
        for at in [0, 63, 64, 65, 199] {
            for bad in ['"', '\\', '\n', '\u{1}'] {
                text.replace_range(at..=at, &bad.to_string());
                assert!(needs_escape(text.as_bytes()), "{bad:?} at {at}");
                text.replace_range(at..=at, "A");
            }
        }
    }
}
