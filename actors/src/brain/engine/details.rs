//! Job details: which of the pack's booking questions must be answered
//! before times are offered, and reading their answers from whatever the
//! customer texts.
//!
//! The questions that size the job (vehicle, lot size, bedrooms and
//! bathrooms, windows and stories, breed and pet size) block the offer:
//! price and duration depend on them. The pack's other questions (entry,
//! condition, matting, pet's name, ...) are recorded when volunteered and
//! confirmed by the business, so a customer is never held up by five
//! questions before seeing a time.

use crate::brain::nlu::{LotSize, PetSize, Understanding, VehicleType};
use crate::brain::tools::ServiceInfo;
use crate::packs::{Answer, BookingQuestion, IndustryPack, JobAdjustment};

use super::text::{price_phrase, usd};

use super::state::ConversationState;

/// Question keys whose answers size the job, so booking waits for them.
const SIZING_KEYS: &[&str] = &[
    "vehicle",
    "lot_size",
    "bedrooms",
    "bathrooms",
    "windows",
    "stories",
    "breed",
    "pet_size",
];

/// What the customer's answers so far add to `service` (the pack's effects).
pub(super) fn adjustment(
    pack: Option<&IndustryPack>,
    state: &ConversationState,
    service: &str,
) -> JobAdjustment {
    pack.map(|p| p.job_adjustment(service, |key| state.details.get(key).cloned()))
        .unwrap_or_default()
}

/// "$135 for a large pet" once answers size the job, else the menu's
/// "from $95".
pub(super) fn quoted_price(
    pack: Option<&IndustryPack>,
    state: &ConversationState,
    service: &ServiceInfo,
) -> String {
    let adj = adjustment(pack, state, &service.name);
    if adj.labels.is_empty() {
        return price_phrase(service);
    }
    let total = service.price_cents.saturating_add(adj.total.price_cents);
    format!("{} for {}", usd(total), adj.labels.join(" and "))
}

/// The first sizing question about `service` still unanswered.
pub(super) fn next_question<'a>(
    pack: Option<&'a IndustryPack>,
    state: &ConversationState,
    service: &str,
) -> Option<&'a BookingQuestion> {
    pack?.agent.booking_questions.iter().find(|q| {
        q.required
            && q.applies_to(service)
            && (SIZING_KEYS.contains(&q.key.as_str()) || q.sizes(service))
            && !state.details.contains_key(&q.key)
    })
}

/// Fills every detail the text carries; returns whether it carried any the
/// pack asks about (new, changed, or restated: "shes about 12 lbs" after a
/// shih tzu, already small, is still an answer). `pending` is the question just asked: a bare answer ("3",
/// "medium", "a mutt") is read against its answer kind.
pub(super) fn absorb(
    pack: Option<&IndustryPack>,
    state: &mut ConversationState,
    u: &Understanding,
    pending: Option<&str>,
) -> bool {
    let Some(pack) = pack else { return false };
    let mut changed = false;
    let mut filled = Vec::new();
    for (key, value) in from_entities(u) {
        filled.push(key);
        changed |= put(pack, state, key, value);
        changed |= pack.agent.question(key).is_some();
    }
    let pending = pending.filter(|key| !filled.contains(key));
    if let Some(q) = pending.and_then(|key| pack.agent.question(key)) {
        let value = parse_pending(q, u).filter(|_| !unknown(u));
        // Asked for the year, make and model of a vehicle whose type is
        // known: "idk" (or anything else) moves on with the type.
        let value = match (value, state.details.get("vehicle_type")) {
            (None, Some(kind)) if q.key == "vehicle" && !asked_back(u) => Some(kind.clone()),
            (value, _) => value,
        };
        if let Some(value) = value {
            changed |= put(pack, state, &q.key, value);
        }
    }
    changed
}

/// "idk", "not sure", "no idea": the customer does not know the answer.
fn unknown(u: &Understanding) -> bool {
    let padded = format!(" {} ", u.normalized);
    [
        "idk",
        "not sure",
        "no idea",
        "dunno",
        "dont know",
        "do not know",
        "no clue",
        "unsure",
        "not certain",
    ]
    .iter()
    .any(|p| padded.contains(&format!(" {p} ")))
}

/// A question back rather than an answer.
fn asked_back(u: &Understanding) -> bool {
    u.raw.contains('?') || u.signals.has(crate::brain::nlu::Intent::FaqQuestion)
}

/// Stores one detail the pack asks about; true when it is new or changed.
fn put(pack: &IndustryPack, state: &mut ConversationState, key: &str, value: String) -> bool {
    if value.trim().is_empty() || pack.agent.question(key).is_none() {
        return false;
    }
    if state.details.get(key) == Some(&value) {
        return false;
    }
    state.details.insert(key.to_owned(), value);
    true
}

/// Details the understanding layer recognised, by question key.
fn from_entities(u: &Understanding) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    // "on a minivan? its a 2019 honda odyssey": the vehicle that is named
    // (year, make or model) over a bare body type said before it.
    let named = u
        .vehicles
        .iter()
        .find(|v| v.year.is_some() || v.make.is_some() || v.model.is_some());
    if let Some(v) = named.or_else(|| u.vehicle()) {
        let words: Vec<String> = [
            v.year.map(|y| y.to_string()),
            v.color.clone(),
            v.make.clone(),
            v.model.clone(),
        ]
        .into_iter()
        .flatten()
        .collect();
        let kind = v
            .kind
            .or_else(|| u.vehicles.iter().find_map(|o| o.kind))
            .and_then(vehicle_type);
        // A bare body type ("our minivan") is no year, make and model:
        // that is still asked, once.
        if !words.is_empty() {
            out.push(("vehicle", words.join(" ")));
        }
        if let Some(kind) = kind {
            out.push(("vehicle_type", kind.to_owned()));
        }
    }
    let p = &u.property;
    if let Some(lot) = p.lot {
        let half = u.normalized.contains("half an acre") || u.normalized.contains("half a acre");
        let lot = if half { LotSize::Acres(0.5) } else { lot };
        out.push(("lot_size", lot_choice(lot).to_owned()));
    }
    if let Some(n) = p.bedrooms {
        out.push(("bedrooms", n.to_string()));
    }
    if let Some(n) = p.bathrooms {
        out.push(("bathrooms", (n.ceil().max(1.0) as u32).to_string()));
    }
    if let Some(n) = p.windows {
        out.push(("windows", n.to_string()));
    }
    if let Some(n) = p.stories {
        out.push(("stories", n.to_string()));
    }
    if let Some(pet) = &u.pet {
        if let Some(breed) = &pet.breed {
            out.push(("breed", breed.clone()));
        }
        if let Some(size) = pet.size {
            out.push(("pet_size", pet_size_choice(size).to_owned()));
        }
    }
    out
}

/// A bare answer to the question just asked, in the shape it expects.
fn parse_pending(q: &BookingQuestion, u: &Understanding) -> Option<String> {
    // "do you need my cats vaccine records" is a question even without a "?".
    if asked_back(u) {
        return None;
    }
    let raw = if q.key == "lot_size" {
        u.raw
            .replace("xl", "x-large")
            .replace("extra large", "x-large")
    } else if q.key == "pet_size" {
        u.raw.replace("extra large", "giant").replace("xl", "giant")
    } else {
        u.raw.clone()
    };
    match q.answer.parse(&raw).ok()? {
        Answer::Integer(n) => Some(n.to_string()),
        Answer::Choice(c) => Some(c),
        Answer::Text(t) => plausible_text(&t, u).then(|| t.chars().take(80).collect()),
    }
}

/// Free text is taken as an answer only when it is not something else
/// (a question, a yes/no, a request).
fn plausible_text(text: &str, u: &Understanding) -> bool {
    use crate::brain::nlu::Intent;
    let other = [
        Intent::Handoff,
        Intent::Cancel,
        Intent::Reschedule,
        Intent::PriceQuestion,
        Intent::DurationQuestion,
        Intent::FaqQuestion,
        Intent::Affirm,
        Intent::Deny,
        Intent::Greeting,
        Intent::Thanks,
    ];
    let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
    letters >= 2 && !other.iter().any(|i| u.signals.has(*i))
}

/// The pack's vehicle-type choice for a body type.
fn vehicle_type(kind: VehicleType) -> Option<&'static str> {
    match kind {
        VehicleType::Sedan => Some("sedan"),
        VehicleType::Coupe => Some("coupe"),
        VehicleType::Suv => Some("suv"),
        VehicleType::Truck => Some("truck"),
        VehicleType::Van => Some("van"),
        VehicleType::Car | VehicleType::Motorcycle | VehicleType::Boat | VehicleType::Rv => None,
    }
}

/// The lawn pack's lot-size choice for a stated size.
fn lot_choice(lot: LotSize) -> &'static str {
    let acres = match lot {
        LotSize::Small => return "small",
        LotSize::Medium => return "medium",
        LotSize::Large => return "large",
        LotSize::Acres(a) => a,
        LotSize::SquareFeet(f) => f64::from(f) / 43_560.0,
    };
    if acres < 0.25 {
        "small"
    } else if acres <= 0.5 {
        "medium"
    } else if acres <= 1.0 {
        "large"
    } else {
        "x-large"
    }
}

/// The grooming pack's size choice.
fn pet_size_choice(size: PetSize) -> &'static str {
    match size {
        PetSize::Small => "small",
        PetSize::Medium => "medium",
        PetSize::Large => "large",
        PetSize::ExtraLarge => "giant",
    }
}
