//! Whole-pipeline tests of [`super::understand`]: a table of real-sounding
//! customer texts, DST edges, and hostile input.

mod cases;
mod dst;
mod expect;
mod filtering;
mod robustness;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::{ServiceTerm, Vocabulary};

/// Wednesday 2026-03-04, 09:00 in Chicago (15:00 UTC).
pub(super) fn wednesday_morning() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 4, 15, 0, 0).unwrap()
}

pub(super) const CHICAGO: Tz = chrono_tz::America::Chicago;

pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(super) fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn term(id: i64, name: &str, aliases: &[&str]) -> ServiceTerm {
    ServiceTerm {
        id,
        name: name.to_owned(),
        aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
    }
}

/// A mobile detailer's vocabulary, like the root tenant's.
pub(super) fn detailer() -> Vocabulary {
    Vocabulary {
        services: vec![
            term(1, "Full Detail", &["complete detail", "full package"]),
            term(
                2,
                "Interior Detail",
                &["inside only", "interior only", "inside"],
            ),
            term(
                3,
                "Exterior Detail",
                &["outside only", "exterior only", "wash and wax"],
            ),
            term(4, "Ceramic Coating", &["ceramic"]),
            term(5, "Maintenance Wash", &["wash", "quick wash"]),
        ],
        addons: vec![
            term(10, "Pet Hair Removal", &["pet hair", "dog hair"]),
            term(11, "Headlight Restoration", &["headlights"]),
            term(12, "Engine Bay Detail", &["engine bay", "engine"]),
            term(13, "Odor Removal", &["smoke smell", "odor"]),
        ],
    }
}

#[test]
fn an_everyday_word_alias_needs_its_the() {
    use crate::brain::nlu::understand;
    let vocab = Vocabulary {
        services: vec![term(1, "Full Detail", &["the works", "full"])],
        addons: Vec::new(),
    };
    let named = |text: &str| {
        !understand(text, &vocab, wednesday_morning(), CHICAGO)
            .services
            .is_empty()
    };
    assert!(named("give me the works"));
    assert!(named("full please"));
    assert!(!named("10:30 works"));
    assert!(!named("none of those work"));
    assert!(!named("after work"));
}
