//! Validation tests: each breaks one rule in an otherwise good pack file
//! and checks the loader names the problem.

use super::loader::SOURCES;
use super::*;

/// The detailing pack's source with `from` replaced by `to` (which must occur).
fn detailing_with(from: &str, to: &str) -> String {
    let (_, source) = SOURCES[0];
    assert!(source.contains(from), "{from:?} not in the pack");
    source.replacen(from, to, 1)
}

fn problems(source: &str) -> Vec<PackProblem> {
    match parse_pack("mobile-detailing", source) {
        Err(PackError::Invalid { problems, .. }) => problems,
        other => panic!("expected validation problems, got {other:?}"),
    }
}

#[test]
fn alias_shared_by_two_services_is_rejected() {
    let source = detailing_with("aliases = [\"interior only\",", "aliases = [\"Complete\",");
    assert!(problems(&source).contains(&PackProblem::DuplicateTerm {
        term: "complete".into(),
        first: "Full Detail".into(),
        second: "Interior Detail".into(),
    }));
}

#[test]
fn addon_named_like_a_service_alias_is_rejected() {
    let source = detailing_with("name = \"Headlight Restoration\"", "name = \"Wash\"");
    assert!(problems(&source)
        .iter()
        .any(|p| matches!(p, PackProblem::DuplicateTerm { term, .. } if term == "wash")));
}

#[test]
fn zero_price_and_duration_are_rejected() {
    let source = detailing_with(
        "price_cents = 7500\nduration_minutes = 60",
        "price_cents = 0\nduration_minutes = 0",
    );
    let found = problems(&source);
    assert!(found.contains(&PackProblem::ZeroPrice {
        item: "Maintenance Wash".into()
    }));
    assert!(found.contains(&PackProblem::ZeroDuration {
        item: "Maintenance Wash".into()
    }));
}

#[test]
fn placeholder_not_supplied_for_that_template_is_rejected() {
    let source = detailing_with(
        "reminder = \"Reminder from {business_name}:",
        "reminder = \"{price} Reminder from {business_name}:",
    );
    assert!(
        problems(&source).contains(&PackProblem::PlaceholderNotAllowed {
            what: "sms_templates.reminder".into(),
            name: "price".into(),
        })
    );
}

#[test]
fn booking_link_without_the_link_is_rejected() {
    let source = detailing_with("{booking_url} Pick your service", "Pick your service");
    assert!(
        problems(&source).contains(&PackProblem::PlaceholderMissing {
            what: "sms_templates.booking_link".into(),
            name: "booking_url".into(),
        })
    );
}

#[test]
fn malformed_template_is_rejected() {
    let source = detailing_with(
        "Hi {customer_name}! You're booked",
        "Hi {customer name}! You're booked",
    );
    assert!(problems(&source).iter().any(|p| matches!(
        p,
        PackProblem::Template { what, error: TemplateError::BadName { .. } } if what == "sms_templates.booking_confirmation"
    )));
}

#[test]
fn missing_template_fails_to_parse() {
    let source = detailing_with("handoff_notice_owner = ", "handoff_notice_ownr = ");
    let err = parse_pack("mobile-detailing", &source).unwrap_err();
    assert!(matches!(err, PackError::Parse { .. }), "{err}");
}

#[test]
fn carrier_keywords_are_required() {
    let source = detailing_with("Reply STOP to opt out.", "Thanks!");
    assert!(problems(&source).contains(&PackProblem::MissingWord {
        what: "sms_templates.help_reply".into(),
        word: "STOP",
    }));
}

#[test]
fn non_ascii_sms_text_is_rejected() {
    let source = detailing_with("Life happens!", "Life happens\u{2019}");
    assert!(problems(&source).iter().any(|p| matches!(
        p,
        PackProblem::NotPlainText {
            found: '\u{2019}',
            ..
        }
    )));
}

#[test]
fn menu_must_not_announce_the_easter_egg() {
    let source = detailing_with(
        "3 to leave a voicemail.\"",
        "3 to leave a voicemail, 7 for a joke.\"",
    );
    assert!(problems(&source).contains(&PackProblem::MenuOptions));
}

#[test]
fn wrong_industry_and_unknown_pairing_are_rejected() {
    let source = detailing_with(
        "pairs_with = [\"Full Detail\", \"Paint Correction\"]",
        "pairs_with = [\"Full Detial\"]",
    );
    let err = parse_pack("lawn-care", &source).unwrap_err();
    let PackError::Invalid { problems, .. } = &err else {
        panic!("{err}");
    };
    assert!(problems.contains(&PackProblem::WrongIndustry {
        expected: "lawn-care".into(),
        found: "mobile-detailing".into(),
    }));
    assert!(problems.contains(&PackProblem::UnknownPairing {
        addon: "Monthly Maintenance Plan".into(),
        service: "Full Detial".into(),
    }));
    assert!(err.to_string().contains("Full Detial"));
}

#[test]
fn backwards_hours_and_bad_choices_are_rejected() {
    let source = detailing_with(
        "sat = { open = \"08:00\", close = \"18:00\" }",
        "sat = { open = \"18:00\", close = \"08:00\" }",
    );
    assert!(problems(&source).iter().any(|p| matches!(
        p,
        PackProblem::BadHours {
            day: chrono::Weekday::Sat,
            ..
        }
    )));
    let source = detailing_with(
        "choices = [\"clean\", \"normal\", \"heavy\"]",
        "choices = [\"Clean\", \"normal\"]",
    );
    assert!(problems(&source).contains(&PackProblem::BadAnswerKind {
        key: "condition".into(),
        reason: "choices must be single lowercase words",
    }));
}

#[test]
fn too_few_faqs_and_uncovered_topics_are_rejected() {
    let (_, source) = SOURCES[0];
    let first = source.find("[[faqs]]").unwrap();
    let start = first + 1 + source[first + 1..].find("[[faqs]]").unwrap();
    let end = source.find("[sms_templates]").unwrap();
    let trimmed = format!("{}{}", &source[..start], &source[end..]);
    let found = problems(&trimmed);
    assert!(found.contains(&PackProblem::Count {
        what: "faqs",
        found: 1,
        min: 12,
        max: 20
    }));
    assert!(found.contains(&PackProblem::MissingFaqCategory {
        category: FaqCategory::Weather
    }));
}
