//! Tests of the five built-in packs: they load, validate, and carry the
//! content the product relies on.

use std::collections::HashMap;

use super::*;

fn loaded(industry: &str) -> &'static IndustryPack {
    match pack(industry) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

fn question_choices(p: &IndustryPack, key: &str) -> Vec<String> {
    match &p.agent.question(key).unwrap().answer {
        AnswerKind::Choice { choices } => choices.clone(),
        other => panic!("{key} is {other:?}"),
    }
}

#[test]
fn all_five_packs_load_and_validate() {
    let packs = all_packs().unwrap();
    for (p, id) in packs.iter().zip(INDUSTRIES) {
        assert_eq!(p.industry, id);
        assert!(validate(p, id).is_empty());
    }
    for ((id, _), industry) in loader_sources().iter().zip(INDUSTRIES) {
        assert_eq!(*id, industry);
    }
}

fn loader_sources() -> [(&'static str, &'static str); 5] {
    super::loader::SOURCES
}

#[test]
fn packs_are_parsed_once_and_shared() {
    let a = loaded("lawn-care");
    let b = loaded("  Lawn-Care ");
    assert!(std::ptr::eq(a, b));
}

#[test]
fn unknown_industry_is_an_error() {
    let err = pack("dog-walking").unwrap_err();
    assert_eq!(
        err,
        PackError::UnknownIndustry {
            industry: "dog-walking".into()
        }
    );
    assert!(err.to_string().contains("mobile-detailing"));
}

#[test]
fn every_pack_has_every_template_the_product_needs() {
    for p in all_packs().unwrap() {
        for key in SmsTemplateKey::ALL {
            let body = p.sms_templates.get(key);
            assert!(!body.trim().is_empty(), "{} {key}", p.industry);
            let used = placeholders(body).unwrap();
            assert!(used.iter().all(|n| key.allowed_placeholders().contains(n)));
        }
        assert_eq!(p.sms_templates.iter().count(), 10);
        for line in IvrLine::ALL {
            assert!(!p.ivr.raw(line).trim().is_empty(), "{} {line}", p.industry);
        }
        assert!((3..=5).contains(&p.ivr.jokes().len()));
    }
}

#[test]
fn sms_templates_render_with_the_standard_values() {
    let values = [
        ("customer_name", "Dana"),
        ("service", "Full Detail"),
        ("date", "Fri, May 8"),
        ("time", "9:00 AM"),
        ("address", "1234 S Peoria Ave, Tulsa"),
        ("business_name", "Clean Machine"),
        ("price", "$275"),
        ("booking_url", "https://book.example/cm"),
        ("caller", "+19185550123"),
        ("duration", "0:42"),
        ("recording_url", "https://rec.example/1"),
        ("owner_phone", "(918) 555-0100"),
        ("customer_phone", "+19185550123"),
        ("summary", "Asked about fleet pricing."),
    ];
    for p in all_packs().unwrap() {
        for key in SmsTemplateKey::ALL {
            let text = p.render_sms(key, &values).unwrap();
            assert!(!text.contains('{') && !text.contains('}'), "{text}");
        }
    }
    let detail = loaded("mobile-detailing");
    let text = detail
        .render_sms(SmsTemplateKey::BookingConfirmation, &values)
        .unwrap();
    assert!(text.starts_with(
        "Hi Dana! You're booked with Clean Machine: Full Detail on Fri, May 8 at 9:00 AM"
    ));
    assert!(text.contains("$275"));
}

#[test]
fn rendering_refuses_a_missing_value() {
    let p = loaded("house-cleaning");
    let err = p
        .render_sms(
            SmsTemplateKey::BookingLink,
            &[("business_name", "Sparkle Co")],
        )
        .unwrap_err();
    assert_eq!(
        err,
        TemplateError::Missing {
            name: "booking_url".into()
        }
    );
}

#[test]
fn ivr_lines_name_the_business() {
    let ivr = &loaded("mobile-detailing").ivr;
    assert_eq!(
        ivr.greeting("Clean Machine").unwrap(),
        "Thanks for calling Clean Machine!"
    );
    assert_eq!(
        ivr.menu("Clean Machine").unwrap(),
        "Press 1 to talk to a person, 2 to get our booking link by text, 3 to leave a voicemail."
    );
    assert!(ivr
        .paused_message("Clean Machine")
        .unwrap()
        .contains("Clean Machine"));
    assert!(!ivr.unknown_number_message().contains('{'));
    assert_eq!(ivr.joke(ivr.jokes().len()), ivr.joke(0));
    for p in all_packs().unwrap() {
        for line in IvrLine::ALL {
            let said = p.ivr.say(line, "Acme").unwrap();
            assert!(!said.contains('{'), "{said}");
        }
        assert!(!p.ivr.raw(IvrLine::Menu).contains('7'));
    }
}

#[test]
fn names_and_aliases_map_to_one_offering() {
    for p in all_packs().unwrap() {
        let mut owner: HashMap<String, String> = HashMap::new();
        for (offering, terms) in p.offerings() {
            for term in terms {
                let previous = owner.insert(normalize_term(term), offering.name().to_owned());
                assert!(
                    previous.is_none_or(|o| o == offering.name()),
                    "{}: {term:?} is used twice",
                    p.industry
                );
                assert_eq!(
                    p.lookup(term).map(|o| o.name().to_owned()),
                    Some(offering.name().to_owned())
                );
            }
        }
    }
}

#[test]
fn prices_and_durations_are_positive_and_counts_fit() {
    for p in all_packs().unwrap() {
        assert!((4..=7).contains(&p.services.len()), "{}", p.industry);
        assert!((3..=5).contains(&p.addons.len()), "{}", p.industry);
        assert!((12..=20).contains(&p.faqs.len()), "{}", p.industry);
        for s in &p.services {
            assert!(s.price_cents > 0 && s.duration_minutes > 0, "{}", s.name);
        }
        for a in &p.addons {
            assert!(a.price_cents > 0 && a.duration_minutes > 0, "{}", a.name);
            assert!(!a.upsell_line.is_empty());
        }
        assert_eq!(p.defaults.time_zone, chrono_tz::America::Chicago);
    }
}

#[test]
fn detailing_has_full_interior_and_ceramic() {
    let p = loaded("mobile-detailing");
    assert!(p.service("Full Detail").is_some());
    assert!(p.services.iter().any(|s| s.name.contains("Interior")));
    assert!(p
        .addons
        .iter()
        .any(|a| a.name.to_lowercase().contains("ceramic")));
    assert_eq!(p.lookup("inside and out").unwrap().name(), "Full Detail");
    assert_eq!(p.lookup("Inside only").unwrap().name(), "Interior Detail");
    assert!(matches!(p.lookup("ceramic"), Some(Offering::Addon(_))));
    assert!(p
        .upsells_for("Full Detail")
        .any(|a| a.name == "Ceramic Coating"));
    assert!(!p
        .upsells_for("Maintenance Wash")
        .any(|a| a.name == "Ceramic Coating"));
    assert_eq!(p.agent.vocabulary.asset_noun, "vehicle");
    assert!(question_choices(p, "vehicle_type").contains(&"suv".to_owned()));
    assert_eq!(p.defaults.hours.sun, None);
    assert!(p.defaults.hours.sat.is_some());
}

#[test]
fn messages_are_matched_to_offerings() {
    let p = loaded("mobile-detailing");
    let names = |msg: &str| {
        p.mentioned_in(msg)
            .iter()
            .map(|o| o.name().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names("Can I get inside and out on my Tahoe?"),
        ["Full Detail"]
    );
    assert_eq!(
        names("just the inside please, and a ceramic coating"),
        ["Interior Detail", "Ceramic Coating"]
    );
    assert_eq!(names("wash & wax"), ["Exterior Detail"]);
    assert!(names("hello there").is_empty());
}

#[test]
fn lawn_asks_lot_size() {
    let p = loaded("lawn-care");
    assert_eq!(
        question_choices(p, "lot_size"),
        ["small", "medium", "large", "x-large"]
    );
    assert_eq!(p.lookup("cut the grass").unwrap().name(), "Lawn Mowing");
    assert_eq!(p.lookup("mowing").unwrap().name(), "Lawn Mowing");
}

#[test]
fn cleaning_asks_bedrooms_and_bathrooms() {
    let p = loaded("house-cleaning");
    for key in ["bedrooms", "bathrooms"] {
        let q = p.agent.question(key).unwrap();
        assert!(matches!(q.answer, AnswerKind::Integer { .. }), "{key}");
        assert!(q.required);
    }
    let bedrooms = &p.agent.question("bedrooms").unwrap().answer;
    assert_eq!(bedrooms.parse("3 bed"), Ok(Answer::Integer(3)));
}

#[test]
fn window_washing_asks_windows_and_stories() {
    let p = loaded("window-washing");
    for key in ["windows", "stories"] {
        assert!(matches!(
            p.agent.question(key).unwrap().answer,
            AnswerKind::Integer { .. }
        ));
    }
}

#[test]
fn grooming_asks_pet_size_and_breed() {
    let p = loaded("pet-grooming");
    assert_eq!(
        question_choices(p, "pet_size"),
        ["small", "medium", "large", "giant"]
    );
    assert_eq!(p.agent.question("breed").unwrap().answer, AnswerKind::Text);
    assert_eq!(p.defaults.hours.mon, None);
}

#[test]
fn every_pack_answers_the_core_faq_topics() {
    for p in all_packs().unwrap() {
        for category in FaqCategory::REQUIRED {
            assert!(
                p.faqs_in(category).next().is_some(),
                "{} {category:?}",
                p.industry
            );
        }
        assert!(p.faqs.iter().all(|f| !f.keywords.is_empty()));
    }
}

#[test]
fn prices_format_like_a_receipt() {
    assert_eq!(format_usd(27500), "$275");
    assert_eq!(format_usd(2750), "$27.50");
    assert_eq!(format_usd(5), "$0.05");
    assert_eq!(format_usd(129_900), "$1,299");
    assert_eq!(format_usd(123_456_789), "$1,234,567.89");
}

#[test]
fn booking_questions_name_only_services_of_their_pack() {
    for industry in INDUSTRIES {
        let p = loaded(industry);
        for q in &p.agent.booking_questions {
            for name in &q.services {
                assert!(
                    p.service(name).is_some(),
                    "{industry}: question {} names unknown service {name}",
                    q.key
                );
            }
        }
    }
    let windows = loaded("window-washing");
    let count = windows
        .agent
        .booking_questions
        .iter()
        .find(|q| q.key == "windows")
        .expect("the window count question");
    assert!(count.applies_to("Exterior Window Cleaning"));
    assert!(
        !count.applies_to("Gutter Cleaning"),
        "gutters are not counted in windows"
    );
}
