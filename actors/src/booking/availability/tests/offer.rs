//! `offer`: preferences, spreading, fallbacks and their notes.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc, Weekday};
use chrono_tz::America::Chicago;

use super::support::*;
use crate::booking::availability::{
    offer, AvailabilityRules, Busy, DayFilter, Offer, OfferNote, Slot, SlotPreference, TimeWindow,
};

/// The local wall-clock start of a slot.
fn local(slot: &Slot) -> NaiveDateTime {
    slot.start.with_timezone(&Chicago).naive_local()
}

/// The local dates of the offered slots.
fn days(offer: &Offer) -> Vec<NaiveDate> {
    offer.slots.iter().map(|s| local(s).date()).collect()
}

/// Three one-hour offers at Monday 06:00.
fn three(rules: &AvailabilityRules, busy: &[Busy], preference: SlotPreference) -> Offer {
    offer(rules, busy, hours(1), monday_morning(), &preference, 3)
}

/// A preference for `days` and `window`, not in a hurry.
fn pref(days: DayFilter, window: TimeWindow) -> SlotPreference {
    SlotPreference {
        days,
        window,
        earliest: false,
        moving: None,
    }
}

/// Crew 0 busy all of a local day.
fn full_day(y: i32, m: u32, dd: u32) -> Busy {
    busy(0, at(y, m, dd, 8, 0), hours(10))
}

#[test]
fn weekend_preference_offers_weekend_days_spread_over_days() {
    let offer = three(&rules(), &[], pref(DayFilter::Weekend, TimeWindow::Any));
    assert!(offer.matched_preference);
    assert_eq!(offer.note, None);
    assert_eq!(
        days(&offer),
        vec![d(2026, 12, 12), d(2026, 12, 13), d(2026, 12, 19)]
    );
    assert!(offer.slots.iter().all(|s| local(s).time() == t(8, 0)));
}

#[test]
fn weekend_preference_within_a_short_horizon_stays_on_that_weekend() {
    let short = AvailabilityRules {
        horizon_days: 6,
        ..rules()
    };
    let offer = three(&short, &[], pref(DayFilter::Weekend, TimeWindow::Any));
    assert_eq!(
        days(&offer),
        vec![d(2026, 12, 12), d(2026, 12, 12), d(2026, 12, 13)]
    );
    let times: Vec<_> = offer.slots.iter().map(|s| local(s).time()).collect();
    assert_eq!(times, vec![t(8, 0), t(10, 0), t(8, 0)]);
}

#[test]
fn a_free_exact_time_comes_first_with_nearby_alternatives() {
    let thu = d(2026, 12, 10);
    let offer = three(
        &rules(),
        &[],
        pref(DayFilter::Date(thu), TimeWindow::Exact(t(14, 0))),
    );
    assert!(offer.matched_preference);
    let expected = [
        at(2026, 12, 10, 14, 0),
        at(2026, 12, 10, 12, 0),
        at(2026, 12, 10, 16, 0),
    ];
    assert_eq!(
        offer.slots.iter().map(|s| s.start).collect::<Vec<_>>(),
        expected
    );
}

#[test]
fn an_exact_time_off_the_grid_is_offered_when_free() {
    let offer = three(
        &rules(),
        &[],
        pref(
            DayFilter::Date(d(2026, 12, 10)),
            TimeWindow::Exact(t(10, 15)),
        ),
    );
    assert!(offer.matched_preference);
    assert_eq!(
        offer.slots.first().map(|s| s.start),
        Some(at(2026, 12, 10, 10, 15))
    );
}

#[test]
fn exact_time_on_any_day_is_offered_on_several_days() {
    let booked = [busy(0, at(2026, 12, 7, 10, 0), hours(1))];
    let offer = three(
        &rules(),
        &booked,
        pref(DayFilter::Any, TimeWindow::Exact(t(10, 0))),
    );
    assert!(offer.matched_preference);
    assert_eq!(
        days(&offer),
        vec![d(2026, 12, 8), d(2026, 12, 9), d(2026, 12, 10)]
    );
    assert!(offer.slots.iter().all(|s| local(s).time() == t(10, 0)));
}

#[test]
fn a_taken_exact_time_gets_nearby_times_that_day_and_a_note() {
    let thu = d(2026, 12, 10);
    let booked = [busy(0, at(2026, 12, 10, 14, 0), hours(1))];
    let offer = three(
        &rules(),
        &booked,
        pref(DayFilter::Date(thu), TimeWindow::Exact(t(14, 0))),
    );
    assert!(!offer.matched_preference);
    assert_eq!(offer.note, Some(OfferNote::TimeTaken));
    let times: Vec<_> = offer.slots.iter().map(|s| local(s).time()).collect();
    assert_eq!(times, vec![t(11, 0), t(13, 0), t(15, 0)]);
    assert_eq!(days(&offer), vec![thu; 3]);
}

#[test]
fn between_and_weekday_filters_are_honoured() {
    let preference = pref(
        DayFilter::Weekday(Weekday::Wed),
        TimeWindow::Between(t(9, 0), t(12, 0)),
    );
    let offer = three(&rules(), &[], preference);
    assert!(offer.matched_preference);
    assert_eq!(
        days(&offer),
        vec![d(2026, 12, 9), d(2026, 12, 9), d(2026, 12, 16)]
    );
    for slot in &offer.slots {
        assert_eq!(local(slot).weekday(), Weekday::Wed);
        assert!((t(9, 0)..t(12, 0)).contains(&local(slot).time()));
    }
}

#[test]
fn several_dates_are_honoured() {
    let wanted = vec![d(2026, 12, 15), d(2026, 12, 17)];
    let offer = three(
        &rules(),
        &[],
        pref(DayFilter::Dates(wanted.clone()), TimeWindow::Any),
    );
    assert!(offer.matched_preference);
    assert!(days(&offer).iter().all(|day| wanted.contains(day)));
}

#[test]
fn offers_are_spread_over_days_or_two_hours_apart() {
    let any_day = three(&rules(), &[], SlotPreference::default());
    assert_eq!(
        days(&any_day),
        vec![d(2026, 12, 7), d(2026, 12, 8), d(2026, 12, 9)]
    );
    let one_day = three(
        &rules(),
        &[],
        pref(DayFilter::Date(d(2026, 12, 10)), TimeWindow::Any),
    );
    let times: Vec<_> = one_day.slots.iter().map(|s| local(s).time()).collect();
    assert_eq!(times, vec![t(8, 0), t(10, 0), t(12, 0)]);
}

#[test]
fn earliest_keeps_the_soonest_times_two_hours_apart() {
    let preference = SlotPreference {
        earliest: true,
        ..SlotPreference::default()
    };
    let offer = three(&rules(), &[], preference);
    let expected = [
        at(2026, 12, 7, 8, 0),
        at(2026, 12, 7, 10, 0),
        at(2026, 12, 7, 12, 0),
    ];
    assert_eq!(
        offer.slots.iter().map(|s| s.start).collect::<Vec<_>>(),
        expected
    );
}

#[test]
fn close_slots_on_a_nearly_full_day_give_way_to_the_next_days() {
    let booked = [busy(0, at(2026, 12, 10, 9, 30), hours(9))];
    let offer = three(
        &rules(),
        &booked,
        pref(DayFilter::Date(d(2026, 12, 10)), TimeWindow::Any),
    );
    assert!(offer.matched_preference);
    assert_eq!(
        days(&offer),
        vec![d(2026, 12, 10), d(2026, 12, 11), d(2026, 12, 12)]
    );
}

#[test]
fn a_full_day_is_reported_and_the_nearest_days_after_it_offered() {
    let thu = d(2026, 12, 10);
    let cases = [
        TimeWindow::Any,
        TimeWindow::Exact(t(10, 0)),
        TimeWindow::Between(t(13, 0), t(15, 0)),
    ];
    for window in cases {
        let offer = three(
            &rules(),
            &[full_day(2026, 12, 10)],
            pref(DayFilter::Date(thu), window),
        );
        assert!(!offer.matched_preference);
        assert_eq!(offer.note, Some(OfferNote::DayFull(thu)));
        assert_eq!(
            days(&offer),
            vec![d(2026, 12, 11), d(2026, 12, 12), d(2026, 12, 13)]
        );
        assert!(
            offer.slots.iter().all(|s| window.matches(local(s).time())),
            "{window:?}"
        );
    }
}

#[test]
fn unbookable_days_are_explained() {
    let mut rules = rules();
    rules.hours.sun = None;
    rules.blackout_dates = vec![d(2026, 12, 15)];
    let lead = AvailabilityRules {
        lead_time: hours(24),
        ..rules.clone()
    };
    let cases = [
        (
            &rules,
            d(2026, 12, 13),
            OfferNote::DayClosed(d(2026, 12, 13)),
            d(2026, 12, 14),
        ),
        (
            &rules,
            d(2026, 12, 15),
            OfferNote::DayClosed(d(2026, 12, 15)),
            d(2026, 12, 16),
        ),
        (
            &rules,
            d(2026, 12, 1),
            OfferNote::TooSoon(d(2026, 12, 1)),
            d(2026, 12, 7),
        ),
        (
            &lead,
            d(2026, 12, 7),
            OfferNote::TooSoon(d(2026, 12, 7)),
            d(2026, 12, 8),
        ),
        (
            &rules,
            d(2026, 12, 30),
            OfferNote::BeyondHorizon(d(2026, 12, 30)),
            d(2026, 12, 21),
        ),
    ];
    for (rules, date, note, first_offered) in cases {
        let offer = three(rules, &[], pref(DayFilter::Date(date), TimeWindow::Any));
        assert!(!offer.matched_preference, "{date}");
        assert_eq!(offer.note, Some(note), "{date}");
        assert_eq!(offer.slots.len(), 3, "{date}");
        assert!(days(&offer).contains(&first_offered), "{date}");
        assert!(!days(&offer).contains(&date), "{date}");
    }
}

#[test]
fn times_outside_hours_are_explained_and_the_nearest_offered() {
    let cases = [
        TimeWindow::Exact(t(19, 0)),
        TimeWindow::Between(t(19, 0), t(21, 0)),
        TimeWindow::Exact(t(17, 30)),
    ];
    for window in cases {
        let offer = three(
            &rules(),
            &[],
            pref(DayFilter::Date(d(2026, 12, 10)), window),
        );
        assert!(!offer.matched_preference);
        assert_eq!(offer.note, Some(OfferNote::OutsideHours), "{window:?}");
        assert_eq!(
            offer.slots.first().map(|s| s.start),
            Some(at(2026, 12, 10, 13, 0)),
            "{window:?}"
        );
        assert_eq!(
            offer.slots.last().map(|s| s.start),
            Some(at(2026, 12, 10, 17, 0)),
            "{window:?}"
        );
    }
}

#[test]
fn nothing_free_at_all_is_no_availability() {
    let closed = AvailabilityRules {
        crews: 0,
        ..rules()
    };
    let offer = three(&closed, &[], SlotPreference::default());
    assert_eq!(offer.slots, vec![]);
    assert!(!offer.matched_preference);
    assert_eq!(offer.note, Some(OfferNote::NoAvailability));
}

#[test]
fn offers_are_never_in_the_past_inside_lead_time_or_beyond_the_horizon() {
    let rules = AvailabilityRules {
        lead_time: hours(30),
        horizon_days: 5,
        ..rules()
    };
    let now: DateTime<Utc> = at(2026, 12, 7, 15, 0);
    let preferences = [
        SlotPreference::default(),
        pref(DayFilter::Date(d(2026, 12, 7)), TimeWindow::Exact(t(16, 0))),
        pref(DayFilter::Date(d(2026, 12, 20)), TimeWindow::Any),
        pref(
            DayFilter::Weekday(Weekday::Mon),
            TimeWindow::Between(t(8, 0), t(9, 0)),
        ),
        pref(DayFilter::Weekend, TimeWindow::Exact(t(9, 45))),
    ];
    for preference in preferences {
        let offer = offer(&rules, &[], hours(1), now, &preference, 3);
        assert_eq!(offer.slots.len(), 3, "{preference:?}");
        for slot in &offer.slots {
            assert!(slot.start >= now + hours(30), "{preference:?}");
            assert!(local(slot).date() <= d(2026, 12, 12), "{preference:?}");
        }
    }
}

#[test]
fn count_limits_the_offers() {
    for count in [0, 1, 3, 5] {
        let offer = offer(
            &rules(),
            &[],
            hours(1),
            monday_morning(),
            &SlotPreference::default(),
            count,
        );
        assert_eq!(offer.slots.len(), count);
    }
    let tiny = AvailabilityRules {
        horizon_days: 0,
        ..rules()
    };
    let long_job = offer(
        &tiny,
        &[],
        hours(10),
        monday_morning(),
        &SlotPreference::default(),
        3,
    );
    assert_eq!(long_job.slots.len(), 1);
    assert_eq!(
        Duration::hours(10),
        long_job.slots[0].end - long_job.slots[0].start
    );
}
