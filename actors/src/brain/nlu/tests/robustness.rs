//! No input may panic or take long: random bytes, hostile Unicode, huge
//! texts, pathological repetitions.

use super::{detailer, wednesday_morning, CHICAGO};
use crate::brain::nlu::normalize::{normalize, MAX_ANALYSED_CHARS};
use crate::brain::nlu::{understand, understand_in, Context, Intent, Vocabulary};

/// A tiny deterministic generator, so failures reproduce.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn run(text: &str) {
    let u = understand(text, &detailer(), wednesday_morning(), CHICAGO);
    assert!(serde_json::to_string(&u).is_ok());
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..300 {
        let len = rng.below(200) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
        run(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn random_texty_soup_never_panics() {
    const PIECES: &[&str] = &[
        "12",
        "/",
        ":",
        "-",
        "am",
        "pm",
        "the",
        "2nd",
        "one",
        "st",
        "ave",
        "#",
        "@",
        "$",
        ",",
        "between",
        "and",
        "at",
        "next",
        "saturday",
        "tmrw",
        "f",
        "150",
        "model",
        "3",
        "bed",
        "bath",
        "acre",
        "1/2",
        "my",
        "name",
        "is",
        "this",
        "-",
        "x@y.co",
        "detail",
        "  ",
        "👍",
        "99999",
        "0:00",
        "24:60",
        "13pm",
        "0am",
        "31st",
        "2/30",
        "9/99/9999",
        "in",
        "a",
        "couple",
        "days",
        "lb",
        "—",
        "é",
        "ß",
        "İ",
        "ﬃ",
        "\u{202e}",
        "\u{0}",
        "\n",
        "noon-2pm",
        "10-",
        "-10",
    ];
    let mut rng = XorShift(42);
    for _ in 0..400 {
        let n = rng.below(25) as usize;
        let text: String = (0..n)
            .map(|_| PIECES[rng.below(PIECES.len() as u64) as usize])
            .collect::<Vec<_>>()
            .join(if rng.below(2) == 0 { " " } else { "" });
        run(&text);
    }
}

#[test]
fn hostile_unicode_and_edge_texts() {
    for text in [
        "",
        " ",
        "\n\t\r",
        "🎉🎉🎉🎉",
        "👍👎👍",
        "مرحبا، أريد تنظيف سيارتي غدا",
        "\u{202e}evil rtl override\u{202c}",
        "שלום 123 main st",
        "こんにちは、明日",
        "ＳＴＯＰ",
        "İSTANBUL ǅ ﬃ",
        "\u{0}\u{1}\u{7f}",
        "\u{fe0f}\u{200d}\u{200b}",
        "a@",
        "@",
        "-",
        "- ",
        "----",
        "my name is",
        "this is",
        "12/",
        "/12",
        "1/0 acre",
        "99/99",
        "0/0/0000",
        "2/29/2027",
        "between and",
        "at",
        "at 99",
        "10:",
        ":30",
        "999999 main st",
        "1 st",
        "#",
        "$$$",
        "option",
        "the",
        "next",
        "in 99999999999 days",
        "in 400 weeks",
    ] {
        run(text);
    }
}

#[test]
fn huge_texts_are_safe_and_cut_to_the_analysed_length() {
    for text in [
        "a".repeat(10_000),
        "1 ".repeat(5_000),
        "👍".repeat(3_000),
        "full detail tmrw at 10 ".repeat(500),
        "123 main st ".repeat(900),
        "/".repeat(10_000),
        "detail ".repeat(1_500),
        "مرحبا ".repeat(2_000),
        "x".repeat(100_000),
    ] {
        run(&text);
        let analysed = normalize(&text);
        assert!(
            analysed.tokens.len() <= MAX_ANALYSED_CHARS,
            "{} tokens",
            analysed.tokens.len()
        );
    }
}

#[test]
fn empty_vocabulary_and_opted_out_context() {
    let ctx = Context {
        now: wednesday_morning(),
        tz: CHICAGO,
        opted_out: true,
    };
    let u = understand_in("YES", &Vocabulary::default(), &ctx);
    assert_eq!(u.signals.best(), Intent::OptIn);
    let u = understand_in("yes please", &Vocabulary::default(), &ctx);
    assert!(!u.signals.has(Intent::OptIn));
    let u = understand_in("", &Vocabulary::default(), &ctx);
    assert_eq!(u.signals.best(), Intent::Unknown);
}
