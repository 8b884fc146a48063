//! Natural-language understanding for the offline brain.
//!
//! Customers text the way people really do: typos, shorthand, several facts
//! in one message, corrections, emoji. [`understand`] reads one inbound text
//! and reports everything it means — intents, services, vehicle, address,
//! when — with pure functions: no I/O, no database, no AI provider. The
//! conversation actor combines the [`Understanding`] with its booking-flow
//! state (was a slot just offered? is the number opted out?) to decide what
//! to do next.

mod abbreviations;
mod carrier;
pub mod datetime;
pub mod entities;
mod fuzzy;
pub mod intent;
pub mod normalize;
mod numbers;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

pub use carrier::{carrier_keyword, opt_out_request, CarrierKeyword};
pub use datetime::{resolve_when, DateSpec, TimeSpec, WhenPreference};
pub use entities::{
    Address, Ambiguity, Candidate, LotSize, PersonName, Pet, PetKind, PetSize, PropertyDetails,
    ServiceTerm, SlotChoice, TermKind, TermMatch, Vehicle, VehicleType, Vocabulary,
};
pub use intent::{Intent, IntentHints, Scored, Signals};
pub use normalize::{normalize, Normalized, Token};

/// Everything the understanding layer needs besides the text.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    /// The current instant; relative dates are resolved from it.
    pub now: DateTime<Utc>,
    /// The tenant's time zone; "today" and "10am" are its wall clock.
    pub tz: Tz,
    /// The customer's number is opted out, so a bare "YES" re-subscribes.
    pub opted_out: bool,
}

/// What one customer text means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Understanding {
    /// Exactly what the customer sent.
    pub raw: String,
    /// The normalised words ("tmrw" → "tomorrow", lowercase, 👍 → yes).
    pub normalized: String,
    /// Every intent detected, best first, and any carrier keyword.
    pub signals: Signals,
    /// The tenant's services named, in the order said.
    pub services: Vec<TermMatch>,
    /// The tenant's add-ons named, in the order said.
    pub addons: Vec<TermMatch>,
    /// Words that could mean several services/add-ons: ask which.
    pub ambiguous: Vec<Ambiguity>,
    /// When the customer wants the job.
    pub when: WhenPreference,
    /// Vehicles described, in order.
    pub vehicles: Vec<Vehicle>,
    /// The street address, if one was given.
    pub address: Option<Address>,
    /// A ZIP code, from the address or on its own.
    pub zip: Option<String>,
    /// Bedrooms, bathrooms, windows, stories, square feet, lot size.
    pub property: PropertyDetails,
    /// A pet, for groomers.
    pub pet: Option<Pet>,
    /// The customer's name when they introduced or signed themselves.
    pub name: Option<PersonName>,
    /// An email address.
    pub email: Option<String>,
    /// A pick among offered slots; meaningful only right after an offer.
    pub slot_choice: Option<SlotChoice>,
}

impl Understanding {
    /// The service the customer wants now: after a change of mind the last
    /// one named (and not negated), otherwise the best-scored one.
    pub fn preferred_service(&self) -> Option<&TermMatch> {
        let wanted = self.services.iter().filter(|s| !s.negated);
        if self.signals.has(Intent::ChangeOfMind) {
            wanted.max_by_key(|s| s.position)
        } else {
            wanted.max_by(|a, b| {
                a.score
                    .total_cmp(&b.score)
                    .then(b.position.cmp(&a.position))
            })
        }
    }

    /// The first vehicle mentioned.
    pub fn vehicle(&self) -> Option<&Vehicle> {
        self.vehicles.first()
    }
}

/// Understands one customer text for a number that is not opted out.
pub fn understand(text: &str, vocab: &Vocabulary, now: DateTime<Utc>, tz: Tz) -> Understanding {
    understand_in(
        text,
        vocab,
        &Context {
            now,
            tz,
            opted_out: false,
        },
    )
}

/// Understands one customer text with the full [`Context`].
pub fn understand_in(text: &str, vocab: &Vocabulary, ctx: &Context) -> Understanding {
    let norm = normalize(text);
    let today = datetime::local_today(ctx.now, ctx.tz);
    let terms = entities::match_terms(&norm, vocab);
    let when = resolve_when(&norm, ctx.now, ctx.tz);
    let slot_choice = entities::slot_choice(&norm, today);
    let max_year = u16::try_from(today.year().saturating_add(1)).unwrap_or(u16::MAX);
    let address = entities::address(&norm);
    let zip = address
        .as_ref()
        .and_then(|a| a.zip.clone())
        .or_else(|| entities::zip_code(&norm));
    let hints = IntentHints {
        service_mentioned: !terms.services.is_empty()
            || !terms.addons.is_empty()
            || !terms.ambiguous.is_empty(),
        when_mentioned: when.is_specified(),
        slot_choice,
        opted_out: ctx.opted_out,
    };
    let signals = intent::detect(&norm, &hints);
    Understanding {
        raw: norm.original.clone(),
        normalized: norm.joined().to_owned(),
        signals,
        services: terms.services,
        addons: terms.addons,
        ambiguous: terms.ambiguous,
        when,
        vehicles: entities::vehicles(&norm, max_year),
        address,
        zip,
        property: entities::property_details(&norm),
        pet: entities::pet(&norm),
        name: entities::person_name(&norm),
        email: entities::email(&norm),
        slot_choice,
    }
}
