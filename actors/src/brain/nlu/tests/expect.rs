//! Declarative expectations for the case table, checked with a readable
//! failure message.

use chrono::{NaiveDate, NaiveTime, Weekday};

use super::super::{
    CarrierKeyword, DateSpec, Intent, LotSize, PetSize, SlotChoice, TimeSpec, Understanding,
    VehicleType,
};

/// One thing a case expects of its [`Understanding`].
#[derive(Debug, Clone)]
pub(super) enum E {
    Has(Intent),
    Not(Intent),
    Best(Intent),
    Carrier(Option<CarrierKeyword>),
    Service(&'static str),
    NoService,
    NotService(&'static str),
    Preferred(&'static str),
    Addon(&'static str),
    NegatedAddon(&'static str),
    Ambiguous(usize),
    NoAmbiguity,
    Date(DateSpec),
    On(NaiveDate),
    NoDate,
    Time(TimeSpec),
    At(NaiveTime),
    Vehicle {
        year: Option<u16>,
        make: Option<&'static str>,
        model: Option<&'static str>,
        kind: Option<VehicleType>,
    },
    Vehicles(usize),
    Color(&'static str),
    Street(&'static str),
    City(&'static str),
    State(&'static str),
    Unit(&'static str),
    NoAddress,
    Zip(&'static str),
    Beds(u32),
    Baths(f64),
    Windows(u32),
    Stories(u32),
    SqFt(u32),
    Lot(LotSize),
    Breed(&'static str),
    PetSize(PetSize),
    PetWeight(u32),
    NoPet,
    Name(&'static str),
    NoName,
    Email(&'static str),
    Slot(SlotChoice),
    NoSlot,
}

pub(super) fn check(u: &Understanding, e: &E) -> Result<(), String> {
    let ok = match e {
        E::Has(i) => u.signals.has(*i),
        E::Not(i) => !u.signals.has(*i),
        E::Best(i) => std::mem::discriminant(&u.signals.best()) == std::mem::discriminant(i),
        E::Carrier(k) => u.signals.carrier_keyword == *k,
        E::Service(name) => u.services.iter().any(|s| s.name == *name && !s.negated),
        E::NoService => u.services.is_empty(),
        E::NotService(name) => !u.services.iter().any(|s| s.name == *name),
        E::Preferred(name) => u.preferred_service().is_some_and(|s| s.name == *name),
        E::Addon(name) => u.addons.iter().any(|s| s.name == *name && !s.negated),
        E::NegatedAddon(name) => u.addons.iter().any(|s| s.name == *name && s.negated),
        E::Ambiguous(n) => u.ambiguous.first().is_some_and(|a| a.candidates.len() == *n),
        E::NoAmbiguity => u.ambiguous.is_empty(),
        E::Date(spec) => u.when.date == *spec,
        E::On(date) => u.when.date == DateSpec::ExactDate(*date),
        E::NoDate => u.when.date == DateSpec::Any,
        E::Time(spec) => u.when.time == *spec,
        E::At(time) => u.when.time == TimeSpec::Exact(*time),
        E::Vehicle { year, make, model, kind } => u.vehicle().is_some_and(|v| {
            v.year == *year
                && v.make.as_deref() == *make
                && v.model.as_deref() == *model
                && v.kind == *kind
        }),
        E::Vehicles(n) => u.vehicles.len() == *n,
        E::Color(c) => u.vehicle().is_some_and(|v| v.color.as_deref() == Some(*c)),
        E::Street(s) => u.address.as_ref().is_some_and(|a| a.street == *s),
        E::City(c) => u.address.as_ref().is_some_and(|a| a.city.as_deref() == Some(*c)),
        E::State(s) => u.address.as_ref().is_some_and(|a| a.state.as_deref() == Some(*s)),
        E::Unit(s) => u.address.as_ref().is_some_and(|a| a.unit.as_deref() == Some(*s)),
        E::NoAddress => u.address.is_none(),
        E::Zip(z) => u.zip.as_deref() == Some(*z),
        E::Beds(n) => u.property.bedrooms == Some(*n),
        E::Baths(n) => u.property.bathrooms == Some(*n),
        E::Windows(n) => u.property.windows == Some(*n),
        E::Stories(n) => u.property.stories == Some(*n),
        E::SqFt(n) => u.property.square_feet == Some(*n),
        E::Lot(l) => u.property.lot == Some(*l),
        E::Breed(b) => u.pet.as_ref().is_some_and(|p| p.breed.as_deref() == Some(*b)),
        E::PetSize(s) => u.pet.as_ref().is_some_and(|p| p.size == Some(*s)),
        E::PetWeight(w) => u.pet.as_ref().is_some_and(|p| p.weight_lbs == Some(*w)),
        E::NoPet => u.pet.is_none(),
        E::Name(n) => u.name.as_ref().is_some_and(|p| p.full() == *n),
        E::NoName => u.name.is_none(),
        E::Email(m) => u.email.as_deref() == Some(*m),
        E::Slot(s) => u.slot_choice == Some(*s),
        E::NoSlot => u.slot_choice.is_none(),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("expected {e:?}"))
    }
}

/// Shorthand for a vehicle expectation.
pub(super) fn vehicle(
    year: Option<u16>,
    make: &'static str,
    model: &'static str,
    kind: VehicleType,
) -> E {
    E::Vehicle { year, make: Some(make), model: Some(model), kind: Some(kind) }
}

pub(super) const SAT: Weekday = Weekday::Sat;
