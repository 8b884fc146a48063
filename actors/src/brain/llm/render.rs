//! How tool results are shown to the model: compact JSON with local times
//! in ISO-8601 (to quote back) and in words (to say).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};

use crate::booking::availability::{describe_relative, OfferNote, Slot};
use crate::brain::tools::{AppointmentInfo, ServiceInfo};
use crate::packs::format_usd;

/// A price as the customer reads it: "$120" or "from $120".
pub(super) fn price(cents: i32, starting_at: bool) -> String {
    let amount = format_usd(u32::try_from(cents).unwrap_or(0));
    if starting_at {
        format!("from {amount}")
    } else {
        amount
    }
}

/// A service or add-on.
pub(super) fn service(s: &ServiceInfo) -> Value {
    let mut value = json!({
        "id": s.id,
        "name": s.name,
        "description": s.description,
        "price": price(s.price_cents, s.starting_at),
        "duration_minutes": s.duration_minutes,
        "addon": s.is_addon,
    });
    if let Some(line) = s.upsell_line.as_deref() {
        value["upsell_line"] = json!(line);
    }
    if !s.pairs_with.is_empty() {
        value["pairs_with"] = json!(s.pairs_with);
    }
    value
}

/// A slot: `start` to quote back, `when` to say.
pub(super) fn slot(slot: &Slot, tz: Tz, now: DateTime<Utc>) -> Value {
    json!({
        "start": slot.start.with_timezone(&tz).to_rfc3339(),
        "when": describe_relative(slot, now, tz),
    })
}

/// Several slots.
pub(super) fn slots(list: &[Slot], tz: Tz, now: DateTime<Utc>) -> Value {
    Value::Array(list.iter().map(|s| slot(s, tz, now)).collect())
}

/// An appointment.
pub(super) fn appointment(a: &AppointmentInfo, tz: Tz, now: DateTime<Utc>) -> Value {
    let at = Slot {
        start: a.starts_at,
        end: a.ends_at,
        crew: 0,
    };
    json!({
        "id": a.id,
        "service": a.service_name,
        "service_id": a.service_id,
        "start": a.starts_at.with_timezone(&tz).to_rfc3339(),
        "when": describe_relative(&at, now, tz),
        "price": price(a.price_cents, false),
        "address": a.address,
        "status": a.status,
    })
}

/// Why an offer misses what was asked, in words.
pub(super) fn note(note: OfferNote) -> String {
    let day = |d: chrono::NaiveDate| d.format("%a %b %-d").to_string();
    match note {
        OfferNote::NoAvailability => "nothing is free in the booking window".to_owned(),
        OfferNote::DayClosed(d) => format!("closed on {}", day(d)),
        OfferNote::TooSoon(d) => format!("{} is too soon to book", day(d)),
        OfferNote::BeyondHorizon(d) => format!("{} is too far ahead to book", day(d)),
        OfferNote::OutsideHours => "that time is outside business hours".to_owned(),
        OfferNote::DayFull(d) => format!("{} is fully booked", day(d)),
        OfferNote::TimeTaken => "that time is taken; these are the nearest".to_owned(),
    }
}
