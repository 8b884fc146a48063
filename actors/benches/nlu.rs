//! How long the offline brain takes to read one customer text (`brain::nlu::understand`):
//! the per-text NLU cost inside the SMS pipeline, and the bound on a hostile huge text
//! (the tests check such texts are safe; speed is measured here, not asserted).

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use servicepro_actors::brain::nlu::{understand, ServiceTerm, Vocabulary};
use std::hint::black_box;

fn term(id: i64, name: &str, aliases: &[&str]) -> ServiceTerm {
    ServiceTerm {
        id,
        name: name.to_owned(),
        aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
    }
}

/// A mobile detailer's menu, as the pack seeds it.
fn detailer() -> Vocabulary {
    Vocabulary {
        services: vec![
            term(
                1,
                "Full Detail",
                &["complete detail", "interior and exterior"],
            ),
            term(2, "Interior Detail", &["inside only", "interior only"]),
            term(3, "Exterior Detail", &["outside only", "wash and wax"]),
            term(4, "Ceramic Coating", &["ceramic"]),
            term(5, "Maintenance Wash", &["wash", "quick wash"]),
            term(6, "Paint Correction", &["polish", "swirl removal"]),
        ],
        addons: vec![
            term(10, "Pet Hair Removal", &["pet hair", "dog hair"]),
            term(11, "Headlight Restoration", &["headlights"]),
            term(12, "Engine Bay Detail", &["engine bay"]),
            term(13, "Leather Protectant", &["leather conditioning"]),
        ],
    }
}

/// Texts the way customers send them.
const TEXTS: &[&str] = &[
    "hi can i get a full detial sat morning for my 2019 f150 at 123 main st tulsa",
    "how much is an interior detail",
    "do u take venmo",
    "the 2nd one",
    "none of those work do u have anything later",
    "sorry i meant friday, any time after 3 works",
    "yes please",
];

fn bench_understand(c: &mut Criterion) {
    let vocab = detailer();
    let now = Utc
        .with_ymd_and_hms(2026, 12, 1, 15, 0, 0)
        .single()
        .unwrap_or_default();
    let tz = chrono_tz::America::Chicago;
    let mut group = c.benchmark_group("nlu");
    group.throughput(Throughput::Elements(TEXTS.len() as u64));
    group.bench_function("understand_7_typical_texts", |b| {
        b.iter(|| {
            for text in TEXTS {
                black_box(understand(black_box(text), &vocab, now, tz));
            }
        })
    });
    let huge = "full detail tmrw at 10 123 main st ".repeat(300);
    group.throughput(Throughput::Bytes(huge.len() as u64));
    group.bench_function("understand_10k_char_text", |b| {
        b.iter(|| black_box(understand(black_box(&huge), &vocab, now, tz)))
    });
    group.finish();
}

criterion_group!(benches, bench_understand);
criterion_main!(benches);
