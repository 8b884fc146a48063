//! Making the model's text fit an SMS: plain GSM-friendly characters, no
//! markdown, bounded length.

/// The longest reply sent (two SMS segments).
pub const MAX_REPLY_CHARS: usize = 320;

/// The model's reply cleaned for SMS and cut to [`MAX_REPLY_CHARS`] at a
/// sentence (or else word) boundary.
pub fn sms_text(raw: &str) -> String {
    let plain: String = raw
        .replace("**", "")
        .replace("__", "")
        .replace('`', "")
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            '\u{00A0}' => ' ',
            other => other,
        })
        .collect::<String>()
        .replace('\u{2026}', "...");
    let lines: Vec<&str> = plain
        .lines()
        .map(|line| line.trim().trim_start_matches('#').trim())
        .filter(|line| !line.is_empty())
        .collect();
    cut(&lines.join("\n"))
}

fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_REPLY_CHARS {
        return text.to_owned();
    }
    let head: String = text.chars().take(MAX_REPLY_CHARS).collect();
    let sentence_end = head
        .char_indices()
        .rev()
        .filter(|(i, c)| {
            matches!(c, '.' | '!' | '?')
                && head[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_whitespace)
        })
        .map(|(i, c)| i + c.len_utf8())
        .next()
        .filter(|end| *end >= head.len() / 2);
    if let Some(end) = sentence_end {
        return head[..end].to_owned();
    }
    let shorter: String = text.chars().take(MAX_REPLY_CHARS - 3).collect();
    let word_end = shorter.rfind(char::is_whitespace).unwrap_or(shorter.len());
    format!("{}...", shorter[..word_end].trim_end())
}
