//! Focused checks of the engine's helpers and of turns the fixtures do
//! not cover (tool failures, no phone, hostile input).

use crate::brain::agent::Channel;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};
use servicepro_schema::AppointmentStatus;

use crate::booking::availability::{DayFilter, TimeWindow};
use crate::brain::agent::NextAction;
use crate::brain::engine::text::{ascii, clip, duration_phrase};
use crate::brain::engine::when::merge;
use crate::brain::engine::{booking_confirmation, handle_turn, ConversationState};
use crate::brain::nlu::{DateSpec, TimeSpec, WhenPreference};
use crate::brain::timing::slot_preference;
use crate::brain::tools::AppointmentInfo;
use crate::packs::TenantTemplates;

use super::fake_tools::FakeTools;

fn now() -> DateTime<Utc> {
    "2026-12-01T15:00:00Z".parse().unwrap()
}

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

#[test]
fn corrections_keep_what_was_not_restated() {
    let sat = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    let sun = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    let morning = TimeSpec::Window {
        start: t(8, 0),
        end: t(12, 0),
    };
    let first = WhenPreference {
        date: DateSpec::ExactDate(sat),
        time: morning,
    };
    let fix = WhenPreference {
        date: DateSpec::ExactDate(sun),
        time: TimeSpec::Any,
    };
    let merged = merge(Some(first), fix);
    assert_eq!(merged.date, DateSpec::ExactDate(sun));
    assert_eq!(merged.time, morning);
}

#[test]
fn when_preferences_become_slot_preferences() {
    let sat = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    let weekend = slot_preference(
        &WhenPreference {
            date: DateSpec::Weekend { saturday: sat },
            time: TimeSpec::Exact(t(10, 0)),
        },
        false,
    );
    assert!(weekend.days.matches(sat));
    assert!(weekend
        .days
        .matches(NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()));
    assert!(!weekend
        .days
        .matches(NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()));
    assert_eq!(weekend.window, TimeWindow::Exact(t(10, 0)));
    let asap = slot_preference(
        &WhenPreference {
            date: DateSpec::Asap,
            time: TimeSpec::Any,
        },
        false,
    );
    assert!(asap.earliest);
    assert_eq!(asap.days, DayFilter::Any);
    let tuesdays = slot_preference(
        &WhenPreference {
            date: DateSpec::Weekday(Weekday::Tue),
            time: TimeSpec::Any,
        },
        false,
    );
    assert_eq!(tuesdays.days, DayFilter::Weekday(Weekday::Tue));
}

#[test]
fn text_helpers_keep_sms_plain_and_short() {
    assert_eq!(
        ascii("it\u{2019}s \u{201c}ok\u{201d} \u{2014} \u{1f44d}"),
        "it's \"ok\" - "
    );
    let long = "One sentence here. Another one that goes on and on and on.";
    assert_eq!(clip(long, 30), "One sentence here.");
    assert!(clip(&"word ".repeat(100), 50).len() <= 50);
    assert_eq!(duration_phrase(45), "about 45 minutes");
    assert_eq!(duration_phrase(60), "about 1 hour");
    assert_eq!(duration_phrase(150), "about 2.5 hours");
}

#[tokio::test]
async fn every_tool_failing_still_gets_a_polite_reply() {
    let tools = FakeTools::new("mobile-detailing", now());
    tools.set_failing(vec![String::from("all")]);
    let mut state = ConversationState::default();
    for text in [
        "hi",
        "full detail saturday for my 2019 civic at 12 oak st tulsa",
        "1",
        "talk to a person",
    ] {
        let r = handle_turn(
            &mut state,
            text,
            Some("+19185550123"),
            Channel::Sms,
            &tools,
            now(),
        )
        .await;
        assert!(!r.reply.is_empty(), "{text}");
        assert!(r.reply.is_ascii());
        assert!(
            r.reply.contains("Sorry") || r.reply.contains("sorry"),
            "{}",
            r.reply
        );
    }
}

#[tokio::test]
async fn availability_failure_offers_the_booking_link() {
    let tools = FakeTools::new("mobile-detailing", now());
    tools.set_failing(vec![String::from("check_availability")]);
    let mut state = ConversationState::default();
    let r = handle_turn(
        &mut state,
        "full detail for my 2019 civic at 12 oak st, tulsa",
        Some("+19185550123"),
        Channel::Sms,
        &tools,
        now(),
    )
    .await;
    assert!(
        r.reply.contains("https://book.example.com/test"),
        "{}",
        r.reply
    );
    let r = handle_turn(
        &mut state,
        "yes please",
        Some("+19185550123"),
        Channel::Sms,
        &tools,
        now(),
    )
    .await;
    assert!(
        r.next_actions
            .iter()
            .any(|a| matches!(a, NextAction::Handoff { .. })),
        "{}",
        r.reply
    );
}

#[tokio::test]
async fn hostile_input_never_panics() {
    let tools = FakeTools::new("house-cleaning", now());
    let mut state = ConversationState::default();
    let inputs = [
        String::new(),
        String::from("   "),
        "\u{0}\u{7f}\u{202e}".to_owned(),
        "9".repeat(5000),
        "🧹".repeat(300),
        String::from("99999999999999999999 bedrooms 1e400 baths"),
        String::from("book 31/31/2026 at 25:99"),
        String::from("$$$???!!!"),
    ];
    for text in &inputs {
        let r = handle_turn(&mut state, text, None, Channel::Sms, &tools, now()).await;
        assert!(r.reply.is_ascii());
        assert!(r.reply.len() <= 480);
    }
}

#[tokio::test]
async fn reschedule_without_a_phone_offers_a_person() {
    let tools = FakeTools::new("lawn-care", now());
    let mut state = ConversationState::default();
    let r = handle_turn(
        &mut state,
        "can i move my appointment to friday",
        None,
        Channel::Sms,
        &tools,
        now(),
    )
    .await;
    assert!(r.reply.contains("YES"), "{}", r.reply);
}

/// The same conversation on each channel: a text reads "Reply ...", a call
/// hears "Say ..." and is told its booking in a sentence, with the written
/// confirmation carried for the channel to text.
#[tokio::test]
async fn each_channel_is_asked_to_answer_in_its_own_words() {
    let cases = [
        (
            Channel::Sms,
            "Reply 1, 2 or 3 to book.",
            "Reply YES to cancel or NO to keep it.",
        ),
        (
            Channel::Web,
            "Reply 1, 2 or 3 to book.",
            "Reply YES to cancel or NO to keep it.",
        ),
        (
            Channel::Voice,
            "Say one, two or three.",
            "Say yes to cancel, or no to keep it.",
        ),
    ];
    for (channel, offer, cancel) in cases {
        let tools = FakeTools::new("mobile-detailing", now());
        let mut state = ConversationState::default();
        let phone = Some("+19185550123");
        let text = "full detail saturday for my 2019 civic at 12 oak st tulsa";
        let mut r = handle_turn(&mut state, text, phone, channel, &tools, now()).await;
        if !r.reply.contains(offer) {
            r = handle_turn(&mut state, "no thanks", phone, channel, &tools, now()).await;
        }
        assert!(r.reply.contains(offer), "{channel:?}: {}", r.reply);
        let booked = handle_turn(&mut state, "2", phone, channel, &tools, now()).await;
        assert!(
            booked
                .next_actions
                .iter()
                .any(|a| matches!(a, NextAction::Book { .. })),
            "{channel:?}: {}",
            booked.reply
        );
        match channel {
            Channel::Voice => {
                assert!(
                    booked
                        .reply
                        .starts_with("You're booked for a Full Detail on "),
                    "{}",
                    booked.reply
                );
                let written = booked.confirmation.clone().unwrap_or_default();
                assert!(
                    written.contains("Reply here"),
                    "the pack's text is texted: {written}"
                );
            }
            _ => {
                assert!(booked.reply.contains("Reply here"), "{}", booked.reply);
                assert_eq!(booked.confirmation, None);
            }
        }
        let text = "cancel my appointment";
        let asked = handle_turn(&mut state, text, phone, channel, &tools, now()).await;
        assert!(
            asked.reply.ends_with(cancel),
            "{channel:?}: {}",
            asked.reply
        );
        if channel == Channel::Voice {
            for r in [&r, &booked, &asked] {
                assert!(
                    !r.reply.contains("Reply") && !r.reply.contains("YES"),
                    "{}",
                    r.reply
                );
            }
        }
    }
}

fn call_booking() -> (crate::brain::tools::TenantProfile, AppointmentInfo) {
    let profile = crate::brain::tools::TenantProfile {
        business_name: "Clean Machine".into(),
        industry: "mobile-detailing".into(),
        time_zone: chrono_tz::America::Chicago,
        booking_url: None,
        owner_phone: None,
        templates: TenantTemplates::default(),
    };
    let starts_at: DateTime<Utc> = "2026-12-05T14:00:00Z".parse().unwrap();
    let appointment = AppointmentInfo {
        id: 7,
        service_name: "Full Detail".into(),
        service_id: 1,
        starts_at,
        ends_at: starts_at + chrono::Duration::hours(4),
        price_cents: 27_500,
        address: Some("123 Main St, Tulsa".into()),
        status: AppointmentStatus::Booked,
    };
    (profile, appointment)
}

/// A booking made during a call is confirmed by text in the words and
/// formats of an SMS booking's confirmation.
#[test]
fn a_call_booking_is_confirmed_like_an_sms_booking() {
    let (profile, appointment) = call_booking();
    let text = booking_confirmation(&profile, &appointment);
    assert_eq!(
        text,
        "Hi there! You're booked with Clean Machine: Full Detail on Saturday Dec 5 at 8:00 AM \
         at 123 Main St, Tulsa. Total: $275. Please remove personal items before we arrive. \
         Reply here if anything changes!"
    );
}

#[test]
fn a_booking_confirmation_uses_the_tenants_own_template() {
    let (mut profile, appointment) = call_booking();
    profile.templates = TenantTemplates::from_rows(
        "t",
        [(
            "booking_confirmation".to_owned(),
            "{service} booked: {date}, {time}. {business_name}".to_owned(),
        )],
    );
    assert_eq!(
        booking_confirmation(&profile, &appointment),
        "Full Detail booked: Saturday Dec 5, 8:00 AM. Clean Machine"
    );
}
