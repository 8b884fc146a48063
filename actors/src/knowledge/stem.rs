//! A light English stemmer, so "rains", "raining" and "rained" all find
//! an answer about rain.
//!
//! Deliberately small (no Porter): plural `-ies`/`-es`/`-s`, then `-ing`
//! and `-ed` with doubled consonants undone, then a silent final `e`
//! dropped so "price", "prices" and "pricing" meet at `pric`. Stems are
//! index terms, never shown to anyone. Each rule keeps at least three
//! letters and a vowel, so "yes", "need" and "bring" stay whole.

/// Shortest stem a rule may leave.
const MIN_STEM: usize = 3;

/// The stem of one lowercase word. Words with anything other than ASCII
/// letters (numbers, accents) are left as they are.
pub fn stem(word: &str) -> String {
    if !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_owned();
    }
    let mut stem = strip_plural(word);
    stem = strip_verb_ending(&stem);
    drop_silent_e(&stem)
}

/// Whether `c` is a vowel (`y` counts after a consonant, as in "dry").
fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// A stem a rule may leave: long enough and with a vowel in it.
fn acceptable(stem: &str) -> bool {
    stem.len() >= MIN_STEM && stem.bytes().any(is_vowel)
}

/// `-ies` to `-y`, `-es` after a sibilant, otherwise a plural `-s` (but
/// not `-ss`, `-us` or `-is`: "glass", "bus", "this").
fn strip_plural(word: &str) -> String {
    if let Some(base) = word.strip_suffix("ies") {
        let candidate = format!("{base}y");
        if word.len() > 4 && acceptable(&candidate) {
            return candidate;
        }
        return word.to_owned();
    }
    if let Some(base) = word.strip_suffix("es") {
        let sibilant = ["s", "x", "z", "ch", "sh"]
            .iter()
            .any(|s| base.ends_with(s));
        if sibilant && acceptable(base) {
            return base.to_owned();
        }
    }
    if let Some(base) = word.strip_suffix('s') {
        let keep = ["s", "u", "i"].iter().any(|s| base.ends_with(s));
        if !keep && acceptable(base) {
            return base.to_owned();
        }
    }
    word.to_owned()
}

/// `-ing` and `-ed` (with `-ied` to `-y`), undoing a doubled final
/// consonant ("mopping" to "mop"), but leaving "-eed" words ("need").
fn strip_verb_ending(word: &str) -> String {
    if let Some(base) = word.strip_suffix("ied") {
        let candidate = format!("{base}y");
        if word.len() > 4 && acceptable(&candidate) {
            return candidate;
        }
        return word.to_owned();
    }
    let base = match word.strip_suffix("ing") {
        Some(base) => base,
        None => match word.strip_suffix("ed") {
            Some(base) if !base.ends_with('e') => base,
            _ => return word.to_owned(),
        },
    };
    if !acceptable(base) {
        return word.to_owned();
    }
    undouble(base)
}

/// "mopp" to "mop"; leaves `ll`, `ss` and `zz` ("fill", "pass", "buzz").
fn undouble(stem: &str) -> String {
    let bytes = stem.as_bytes();
    match bytes {
        [.., a, b] if a == b && !is_vowel(*a) && !matches!(a, b'l' | b's' | b'z') => {
            stem[..stem.len() - 1].to_owned()
        }
        _ => stem.to_owned(),
    }
}

/// Drops a final `e` after a consonant ("price" to "pric", "take" to
/// "tak"), keeping "free" and "shoe".
fn drop_silent_e(stem: &str) -> String {
    match stem.as_bytes() {
        [.., c, b'e'] if stem.len() > MIN_STEM && !is_vowel(*c) => {
            stem[..stem.len() - 1].to_owned()
        }
        _ => stem.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::stem;

    fn same(words: &[&str]) {
        let stems: Vec<String> = words.iter().map(|w| stem(w)).collect();
        assert!(
            stems.windows(2).all(|w| w[0] == w[1]),
            "{words:?} -> {stems:?}"
        );
    }

    #[test]
    fn plurals_fold_to_the_singular() {
        same(&["price", "prices"]);
        same(&["window", "windows"]);
        same(&["box", "boxes"]);
        same(&["wash", "washes"]);
        same(&["brush", "brushes"]);
        same(&["puppy", "puppies"]);
        same(&["glass", "glasses"]);
        same(&["charge", "charges"]);
    }

    #[test]
    fn verb_endings_fold_to_the_root() {
        same(&["rain", "rains", "raining", "rained"]);
        same(&["clean", "cleaning", "cleaned", "cleanings"]);
        same(&["mop", "mopping", "mopped"]);
        same(&["schedule", "scheduled", "scheduling"]);
        same(&["price", "pricing"]);
        same(&["take", "takes", "taking"]);
        same(&["dry", "dries", "dried"]);
    }

    #[test]
    fn short_and_special_words_stay_whole() {
        for word in [
            "yes", "bus", "this", "need", "bring", "spring", "ring", "is", "as", "free",
        ] {
            assert_eq!(stem(word), word);
        }
        assert_eq!(stem("24"), "24");
        assert_eq!(stem("café"), "café");
        assert_eq!(stem(""), "");
        assert_eq!(stem("fill"), "fill");
        assert_eq!(stem("filling"), "fill");
    }
}
