//! The service-area verdicts: inside, just outside, a far city, a bare
//! ZIP, an address without a ZIP, the travel fee, and what is valid.

use super::*;

/// 20 miles around Tulsa, the lawn-care pack's default radius.
fn tulsa_20() -> ServiceArea {
    ServiceArea {
        radius_miles: Some(20),
        base: Some("Tulsa, OK".to_owned()),
        ..ServiceArea::default()
    }
}

#[test]
fn inside_the_radius_is_served() {
    let area = tulsa_20();
    assert_eq!(
        area.check("4501 S Harvard Ave, Tulsa, OK 74135"),
        AreaCheck::Served
    );
    assert_eq!(area.check("88 Birch Ln, Broken Arrow"), AreaCheck::Served);
    assert_eq!(area.check("12 Oak Ct 74037"), AreaCheck::Served); // Jenks
}

#[test]
fn just_outside_and_far_away_are_not_served_and_say_where_we_work() {
    let area = tulsa_20();
    // Okmulgee is about 35 miles from Tulsa; Dallas about 240.
    for address in ["300 W 6th St, Okmulgee OK", "55 Elm St, Dallas TX 75201"] {
        match area.check(address) {
            AreaCheck::NotServed { reason } => {
                assert_eq!(reason, "we work within 20 miles of Tulsa, OK")
            }
            other => panic!("{address}: {other:?}"),
        }
    }
}

#[test]
fn a_street_without_zip_or_known_city_cannot_be_told() {
    let area = tulsa_20();
    assert_eq!(area.check("123 main st"), AreaCheck::Unknown);
    assert_eq!(area.check("123 main st, Nowheresville"), AreaCheck::Unknown);
}

#[test]
fn a_bare_zip_or_city_in_a_question_is_placed() {
    let area = tulsa_20();
    let (city, verdict) = area.check_place("74012").expect("a ZIP");
    assert_eq!(
        (city.as_str(), verdict),
        ("Broken Arrow", AreaCheck::Served)
    );
    let (city, verdict) = area
        .check_place("can you guys come out to oklahoma city?")
        .expect("a city");
    assert_eq!(city, "Oklahoma City");
    assert!(matches!(verdict, AreaCheck::NotServed { .. }));
    assert_eq!(area.check_place("can you come saturday?"), None);
}

#[test]
fn the_travel_fee_applies_past_the_radius_up_to_its_limit() {
    let area = ServiceArea {
        travel_fee: Some(TravelFee {
            fee_cents: 2500,
            up_to_miles: 45,
        }),
        ..tulsa_20()
    };
    assert!(matches!(
        area.check("300 W 6th St, Okmulgee OK"),
        AreaCheck::TravelFee { fee_cents: 2500, miles } if (30..45).contains(&miles)
    ));
    assert!(matches!(
        area.check("55 Elm St, Dallas TX 75201"),
        AreaCheck::NotServed { .. }
    ));
}

#[test]
fn cities_and_zips_lists_still_apply_and_mix_with_a_radius() {
    let listed = ServiceArea {
        cities: vec!["Tulsa".into(), "Broken Arrow".into()],
        zips: vec!["74135".into()],
        ..ServiceArea::default()
    };
    assert_eq!(listed.check("123 Main St, Tulsa OK"), AreaCheck::Served);
    assert_eq!(listed.check("9 elm st broken arrow"), AreaCheck::Served);
    assert_eq!(listed.check("4501 S Harvard Ave 74135"), AreaCheck::Served);
    assert_eq!(
        listed.check("55 Elm St, Dallas TX"),
        AreaCheck::NotServed {
            reason: "we serve Tulsa and Broken Arrow".into()
        }
    );
    assert_eq!(listed.check("123 main st"), AreaCheck::Unknown);
    let mixed = ServiceArea {
        cities: vec!["Okmulgee".into()],
        ..tulsa_20()
    };
    assert_eq!(mixed.check("300 W 6th St, Okmulgee OK"), AreaCheck::Served);
    assert_eq!(
        mixed.describe(),
        "we work within 20 miles of Tulsa, OK and in Okmulgee"
    );
}

#[test]
fn an_empty_area_or_a_radius_without_base_serves_everywhere() {
    assert_eq!(
        ServiceArea::default().check("anywhere at all"),
        AreaCheck::Served
    );
    let seeded = ServiceArea::parse(&serde_json::json!({"radius_miles": 20})).expect("seeded");
    assert!(seeded.is_everywhere());
    let based = seeded.with_base("74103").expect("a base");
    assert!(!based.is_everywhere());
}

#[test]
fn every_street_suffix_the_address_reader_knows_ends_the_street() {
    let area = ServiceArea {
        cities: vec!["Tulsa".into()],
        ..ServiceArea::default()
    };
    for address in [
        "12 Oak Court Dallas",
        "4501 Harvard Boulevard Plano",
        "88 Cherry Trail Frisco",
        "1 Oak Rd 75001",
    ] {
        assert!(
            matches!(area.check(address), AreaCheck::NotServed { .. }),
            "{address}"
        );
    }
    assert_eq!(area.check("12 Oak Court Tulsa"), AreaCheck::Served);
    assert_eq!(area.check("12 oak court"), AreaCheck::Unknown);
}

#[test]
fn validation_names_the_broken_part() {
    let bad = |v: serde_json::Value| ServiceArea::parse(&v).err();
    assert_eq!(
        bad(serde_json::json!({"zips": ["7413"]})),
        Some(AreaError::Zip)
    );
    assert_eq!(
        bad(serde_json::json!({"cities": [" "]})),
        Some(AreaError::City)
    );
    assert_eq!(
        bad(serde_json::json!({"radius_miles": 0})),
        Some(AreaError::Radius)
    );
    assert_eq!(
        bad(serde_json::json!({"radius_miles": 10, "base": "Atlantis"})),
        Some(AreaError::Base("Atlantis".into()))
    );
    assert_eq!(
        bad(
            serde_json::json!({"radius_miles": 10, "base": "74103", "travel_fee": {"fee_cents": 100, "up_to_miles": 5}})
        ),
        Some(AreaError::TravelFee)
    );
    assert!(matches!(
        bad(serde_json::json!({"radius_miles": "far"})),
        Some(AreaError::Malformed(_))
    ));
    let stored = serde_json::json!({"radius_miles": 15, "base": "Tulsa, OK"});
    let area = ServiceArea::parse(&stored).expect("valid");
    assert_eq!(serde_json::to_value(&area).expect("json"), stored);
}

#[test]
fn a_question_naming_a_place_is_checked_like_an_address() {
    let area = tulsa_20();
    assert_eq!(
        area.check("do you guys come out to jenks?"),
        AreaCheck::Served
    );
    assert!(matches!(
        area.check("can u come out to dallas"),
        AreaCheck::NotServed { .. }
    ));
    assert_eq!(
        area.check("can you come out to my place"),
        AreaCheck::Unknown
    );
    assert_eq!(place_name("can u come out to dallas"), Some("Dallas"));
    assert_eq!(place_name("do you do weekends"), None);
}

#[test]
fn the_service_area_faq_says_where_we_work() {
    let area = tulsa_20();
    assert_eq!(
        area.faq_answer("service_area", "We cover our service radius."),
        "We work within 20 miles of Tulsa, OK. Send us your address or ZIP and we'll confirm."
    );
    assert_eq!(area.faq_answer("payment", "Cards."), "Cards.");
    assert_eq!(
        ServiceArea::default().faq_answer("service_area", "Anywhere."),
        "Anywhere."
    );
}
