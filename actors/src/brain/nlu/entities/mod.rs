//! Entity extraction: the facts a booking needs, pulled out of one text.
//! Each extractor is a pure function of the normalised text (plus the
//! tenant vocabulary for services).

mod address;
mod email;
mod name;
mod pet;
mod property;
mod slot;
mod vehicle;
mod vehicle_catalog;
mod vocabulary;

pub(crate) use address::starts_address;
pub use address::{address, street_suffix, zip_code, Address};
pub use email::email;
pub use name::{person_name, PersonName};
pub use pet::{pet, Pet, PetKind, PetSize};
pub use property::{property_details, LotSize, PropertyDetails};
pub use slot::{slot_choice, SlotChoice};
pub use vehicle::{vehicles, Vehicle, VehicleType};
pub use vocabulary::{
    match_terms, Ambiguity, Candidate, ServiceTerm, TermKind, TermMatch, TermMatches, Vocabulary,
};
