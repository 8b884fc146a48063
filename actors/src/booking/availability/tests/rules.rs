//! `AvailabilityRules`: pack defaults, stored overrides, validation.

use chrono::{Duration, Weekday};
use serde_json::json;

use super::support::*;
use crate::booking::availability::{AvailabilityRules, RulesError, RulesOverrides};
use crate::packs::{pack, PackDefaults};

/// The mobile-detailing pack's scheduling defaults.
fn detailing() -> &'static PackDefaults {
    &pack("mobile-detailing").unwrap().defaults
}

#[test]
fn pack_defaults_seed_the_rules() {
    let pack = detailing();
    let rules = AvailabilityRules::from_pack_defaults(pack);
    assert_eq!(rules.time_zone, pack.time_zone);
    assert_eq!(rules.hours, pack.hours);
    assert_eq!(rules.crews, pack.crews);
    assert_eq!(
        rules.travel_buffer,
        Duration::minutes(i64::from(pack.travel_buffer_minutes))
    );
    assert_eq!(
        rules.lead_time,
        Duration::hours(i64::from(pack.lead_time_hours))
    );
    assert_eq!(rules.slot_step, mins(30));
    assert_eq!(rules.horizon_days, 14);
    assert!(rules.blackout_dates.is_empty());
    assert_eq!(rules.validate(), Ok(()));
}

#[test]
fn empty_or_null_stored_rules_are_the_pack_defaults() {
    let defaults = AvailabilityRules::from_pack_defaults(detailing());
    for stored in [json!({}), json!(null)] {
        assert_eq!(
            AvailabilityRules::from_stored(detailing(), &stored),
            Ok(defaults.clone())
        );
    }
}

#[test]
fn stored_fields_override_and_missing_or_unknown_ones_keep_the_pack() {
    let stored = json!({
        "crews": 3,
        "slot_step_minutes": 15,
        "time_zone": "America/Denver",
        "blackout_dates": ["2026-12-25"],
        "hours": { "sat": { "open": "09:00", "close": "13:00" } },
        "a_future_setting": true
    });
    let rules = AvailabilityRules::from_stored(detailing(), &stored).unwrap();
    assert_eq!(rules.crews, 3);
    assert_eq!(rules.slot_step, mins(15));
    assert_eq!(rules.time_zone, chrono_tz::America::Denver);
    assert_eq!(rules.blackout_dates, vec![d(2026, 12, 25)]);
    assert_eq!(rules.hours.on(Weekday::Mon), None);
    assert_eq!(
        rules.hours.on(Weekday::Sat).map(|h| h.close),
        Some(t(13, 0))
    );
    assert_eq!(rules.lead_time, hours(24));
    assert_eq!(rules.travel_buffer, mins(30));
}

#[test]
fn lead_time_minutes_win_over_hours() {
    let cases = [
        (json!({ "lead_time_hours": 2 }), hours(2)),
        (json!({ "lead_time_minutes": 90 }), mins(90)),
        (
            json!({ "lead_time_minutes": 90, "lead_time_hours": 2 }),
            mins(90),
        ),
    ];
    for (stored, lead) in cases {
        let rules = AvailabilityRules::from_stored(detailing(), &stored).unwrap();
        assert_eq!(rules.lead_time, lead, "{stored}");
    }
}

#[test]
fn rules_round_trip_through_their_stored_json() {
    let mut rules = AvailabilityRules::from_pack_defaults(detailing());
    rules.crews = 4;
    rules.lead_time = mins(45);
    rules.blackout_dates = vec![d(2026, 12, 24), d(2026, 12, 25)];
    let stored = serde_json::to_value(&rules).unwrap();
    assert_eq!(stored["time_zone"], json!("America/Chicago"));
    assert_eq!(stored["lead_time_minutes"], json!(45));
    assert_eq!(stored["hours"]["mon"]["open"], json!("08:00:00"));
    assert_eq!(
        AvailabilityRules::from_stored(detailing(), &stored),
        Ok(rules)
    );
}

#[test]
fn bad_stored_rules_are_refused_with_the_setting_named() {
    let cases = [
        (
            json!({ "time_zone": "America/Tulsa" }),
            RulesError::UnknownTimeZone("America/Tulsa".into()),
        ),
        (json!({ "slot_step_minutes": 0 }), RulesError::SlotStep(0)),
        (
            json!({ "slot_step_minutes": 1441 }),
            RulesError::SlotStep(1441),
        ),
        (json!({ "horizon_days": 400 }), RulesError::Horizon(400)),
        (
            json!({ "hours": { "tue": { "open": "18:00", "close": "08:00" } } }),
            RulesError::Hours(Weekday::Tue),
        ),
    ];
    for (stored, error) in cases {
        assert_eq!(
            AvailabilityRules::from_stored(detailing(), &stored),
            Err(error),
            "{stored}"
        );
    }
    for malformed in [
        json!({ "crews": "two" }),
        json!([1, 2]),
        json!({ "crews": -1 }),
    ] {
        let result = AvailabilityRules::from_stored(detailing(), &malformed);
        assert!(
            matches!(result, Err(RulesError::Malformed(_))),
            "{malformed}"
        );
    }
    assert_eq!(
        RulesError::Hours(Weekday::Tue).to_string(),
        "hours for Tue close at or before they open"
    );
}

#[test]
fn overrides_serialise_only_what_was_set() {
    let overrides = RulesOverrides {
        crews: Some(2),
        ..RulesOverrides::default()
    };
    assert_eq!(
        serde_json::to_value(&overrides).unwrap(),
        json!({ "crews": 2 })
    );
    let rules = overrides.resolve(detailing()).unwrap();
    assert_eq!(rules.crews, 2);
}
