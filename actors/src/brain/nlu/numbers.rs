//! Numbers as customers write them: digits, number words, ordinals.

/// Reads a small whole number written as digits or as an English word
/// ("3", "three", "a couple"); used for counts, days and slot picks.
pub(crate) fn parse_count(word: &str) -> Option<u32> {
    if !word.is_empty() && word.len() <= 6 && word.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse().ok();
    }
    let value = match word {
        "zero" => 0,
        "one" | "single" => 1,
        "two" | "couple" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        _ => return None,
    };
    Some(value)
}

/// Reads a decimal or a fraction ("2.5", "1/2", "half", "5,000", "2k").
pub(crate) fn parse_amount(word: &str) -> Option<f64> {
    match word {
        "half" => return Some(0.5),
        "quarter" => return Some(0.25),
        "a" | "an" => return Some(1.0),
        _ => {}
    }
    if let Some(count) = parse_count(word) {
        return Some(f64::from(count));
    }
    if let Some((num, den)) = word.split_once('/') {
        let num: f64 = digits_only(num)?.parse().ok()?;
        let den: f64 = digits_only(den)?.parse().ok()?;
        return (den > 0.0).then(|| num / den);
    }
    let (body, scale) = match word.strip_suffix('k') {
        Some(body) => (body, 1000.0),
        None => (word, 1.0),
    };
    let cleaned: String = body.chars().filter(|c| *c != ',').collect();
    if cleaned.is_empty()
        || cleaned.len() > 9
        || !cleaned.chars().all(|c| c.is_ascii_digit() || c == '.')
        || cleaned.matches('.').count() > 1
    {
        return None;
    }
    let value: f64 = cleaned.parse().ok()?;
    value.is_finite().then_some(value * scale)
}

/// Reads an ordinal ("2nd", "second", "last" is not an ordinal here) as its
/// 1-based position.
pub(crate) fn parse_ordinal(word: &str) -> Option<u32> {
    let value = match word {
        "first" => 1,
        "second" => 2,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        _ => return parse_digit_ordinal(word),
    };
    Some(value)
}

/// Reads an ordinal written with digits ("1st", "22nd", "5th").
pub(crate) fn parse_digit_ordinal(word: &str) -> Option<u32> {
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|suffix| word.strip_suffix(suffix))?;
    digits_only(digits)?.parse().ok()
}

/// Returns `s` when it is 1–4 ASCII digits.
pub(crate) fn digits_only(s: &str) -> Option<&str> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_counts_amounts_and_ordinals() {
        assert_eq!(parse_count("three"), Some(3));
        assert_eq!(parse_count("12"), Some(12));
        assert_eq!(parse_count("1234567"), None);
        assert_eq!(parse_amount("2.5"), Some(2.5));
        assert_eq!(parse_amount("1/2"), Some(0.5));
        assert_eq!(parse_amount("5,000"), Some(5000.0));
        assert_eq!(parse_amount("2k"), Some(2000.0));
        assert_eq!(parse_amount("1/0"), None);
        assert_eq!(parse_amount("1.2.3"), None);
        assert_eq!(parse_ordinal("2nd"), Some(2));
        assert_eq!(parse_ordinal("third"), Some(3));
        assert_eq!(parse_ordinal("th"), None);
    }
}
